"""Golden files: small hand-written documents built and compared with a stored graph by
isomorphism. Regenerate with ``pytest tests/test_golden.py --update-goldens`` and review the diff."""
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from conftest import GOLDEN

CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))


def _build(name: str, tmp_path: Path) -> Graph:
    from kg import api
    from kg.core.namespaces import ONTOLOGY_GRAPH
    from kg.store.rdfio import rdflib_triples

    result = api.build([GOLDEN / f"{name}.txt"], out_dir=None)
    assert result.conforms, result.state.report.text
    graph = Graph()
    for graph_iri, triples in result.state.dataset.named.items():
        if graph_iri != ONTOLOGY_GRAPH:
            for triple in rdflib_triples(triples):
                graph.add(triple)
    # Round-trip through Turtle so lexical forms (95 vs 95.0 for decimals) compare equal.
    return Graph().parse(data=graph.serialize(format="longturtle"), format="turtle")


def _dump(graph: Graph) -> str:
    return "\n".join(sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip()))


@pytest.mark.parametrize("name", CASES)
def test_golden(name, tmp_path, update_goldens):
    graph = _build(name, tmp_path)
    golden_path = GOLDEN / f"{name}.ttl"
    if update_goldens or not golden_path.exists():
        from kg.core.namespaces import bind_prefixes

        bind_prefixes(graph)
        golden_path.write_text(graph.serialize(format="longturtle"), encoding="utf-8")
        if not update_goldens:
            pytest.fail(f"{golden_path.name} was missing and has been written; review it and run again")
    expected = Graph().parse(golden_path, format="turtle")
    if to_isomorphic(graph) != to_isomorphic(expected):
        _, only_expected, only_built = graph_diff(to_isomorphic(expected), to_isomorphic(graph))
        pytest.fail(f"{name}: graph differs from {golden_path.name}\n--- only in golden:\n{_dump(only_expected)[:3000]}"
                    f"\n+++ only in build:\n{_dump(only_built)[:3000]}")


def test_goldens_exist_for_every_case():
    assert CASES and all((GOLDEN / f"{name}.ttl").exists() for name in CASES)
