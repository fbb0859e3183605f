"""Named queries written again to be faster on a large store (#14) give the rows they gave as
first written, on a built store: the texts before are kept here."""
from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"

BEFORE = {
    "platform-services": """SELECT DISTINCT ?platform ?initiative ?region ?kind
WHERE {
  ?platform gk:serves ?initiative .
  { ?platform a gk:Platform . }
  OPTIONAL { ?platform gk:inRegion ?region }
  OPTIONAL { ?platform gk:platformKind ?kind }
}
ORDER BY ?platform ?initiative""",
}


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    from kg import api
    from kg.query.engines import open_target

    store = tmp_path_factory.mktemp("rewrites") / "store"
    api.build([DATA], out_dir=None, store=store, validate=False)
    return open_target(store=store)


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_a_rewritten_query_gives_the_rows_it_gave(built_store, name):
    from kg.query.named import named_query
    from kg.query.sparql import run_query

    now = run_query(built_store.target, named_query(name, {}, graph=built_store.names))
    before = run_query(built_store.target, BEFORE[name])
    assert now.rows == before.rows and len(now.rows) >= 10
