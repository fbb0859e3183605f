"""The named SPARQL queries (kg/queries/*.rq) and kg.query.sparql: every query parses, runs and
returns rows on the sample; parameters are escaped; results round-trip through rdflib's
W3C result parsers; syntax errors name the line and column."""
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from conftest import DATA
from kg.core import iris
from kg.query import named, ordering, results, sparql
from kg.core.errors import NotFoundError, QueryError

QUERIES = named.list_queries()
NAMES = [q.name for q in QUERIES]
ONE_NETWORK = iris.INITIATIVE + "one-network-service"
QINGDAO = iris.region("370200")

ECHO = """# title: Echo
# description: Returns its parameter.
# param: word (string) — any text (default x)
SELECT ?word WHERE { VALUES ?word { "x" } }
"""


def _terms_in_values_block(query, param) -> list[str]:
    block = re.search(rf"VALUES\s+\?{param}\s*\{{([^{{}}]*)\}}", query.text)
    return block.group(1).split()


def _bag(result) -> list:
    return sorted(tuple(results._n3(v) if v is not None else "" for v in row) for row in result.rows)


def test_the_library_has_the_queries_the_cli_documents():
    assert {"regions-adopting", "initiatives-compared", "region-platforms", "departments-by-tasks", "tasks-due-before",
            "goals-for-year", "data-exchanges", "regions-in-province", "entity-evidence"} <= set(NAMES)


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_every_query_has_a_header_and_values_blocks_for_each_parameter(query):
    assert query.title and query.description
    for param in query.params:
        assert param.meaning and param.default, param
        assert param.kind in named._LITERAL_KINDS or named.subclasses_of(param.kind)
        blocks = re.findall(rf"VALUES\s+\?{param.name}\s*\{{([^{{}}]*)\}}", query.text)
        assert blocks and len({b.strip() for b in blocks}) == 1, param.name  # every copy holds the same default


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_every_query_returns_rows_on_the_sample(sample_graph, query):
    result = sparql.run_query(sample_graph, query.text)
    assert result.kind is results.QueryKind.SELECT
    assert len(result.rows) > 0
    assert all(len(row) == len(result.variables) for row in result.rows)


@pytest.mark.parametrize("query", [q for q in QUERIES if q.params], ids=[q.name for q in QUERIES if q.params])
def test_the_documented_default_is_the_default(sample_graph, query):
    for param in query.params:
        if len(_terms_in_values_block(query, param.name)) != 1:
            continue  # a default of several values ("both") has no single name
        text = named.named_query(query.name, {param.name: param.default}, graph=sample_graph)
        assert _bag(sparql.run_query(sample_graph, text)) == _bag(sparql.run_query(sample_graph, query.text))


def test_the_same_query_text_runs_on_pyoxigraph(sample_graph):
    ox = pytest.importorskip("pyoxigraph")
    from kg.core.namespaces import PREFIXES
    from kg.store.rdfio import turtle

    store = ox.Store()
    store.load(turtle(sample_graph), format=ox.RdfFormat.TURTLE)
    for query in QUERIES:
        expected = sparql.run_query(sample_graph, query.text)
        solutions = store.query(query.text, prefixes=dict(PREFIXES))
        rows = [tuple(s[v] for v in expected.variables) for s in solutions]
        assert len(rows) == len(expected.rows), query.name


def test_names_resolve_the_way_people_type_them(sample_graph):
    texts = {named.named_query("region-platforms", {"region": name}, graph=sample_graph)
             for name in ("青岛", "青岛市", "370200", QINGDAO, f"<{QINGDAO}>")}
    assert texts == {named.named_query("region-platforms", {"region": QINGDAO})}
    texts = {named.named_query("regions-adopting", {"initiative": name}, graph=sample_graph)
             for name in ("一网通办", "One-Network Service", "政务服务一网通办", ONE_NETWORK)}
    assert len(texts) == 1 and f"VALUES ?initiative {{ <{ONE_NETWORK}> }}" in texts.pop()


def test_parameters_of_every_kind(sample_graph):
    rows = named.run_named(sample_graph, "tasks-due-before", {"before": "2023-07-01"}).rows
    assert rows and all(str(row[2]) < "2023-07-01" for row in rows)
    goals = named.run_named(sample_graph, "goals-for-year", {"year": "2023"}).column("goal")
    year = Literal("2023", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))
    assert goals and set(goals) == set(sample_graph.subjects(URIRef(iris.term("targetYear")), year))
    planned = named.run_named(sample_graph, "data-exchanges", {"status": "计划中"})
    assert {str(s) for s in planned.column("status")} == {iris.term("planned")}
    from kg.core.ontology import divisions
    from kg.core.regions import ancestors

    inside = [c for c in divisions() if "410000" in ancestors(c)]  # every division of 河南省, from the reference data
    assert len(named.run_named(sample_graph, "regions-in-province", {"province": "河南"}).rows) == len(inside)


def test_errors_name_what_to_fix(sample_graph):
    with pytest.raises(NotFoundError) as unknown_query:
        named.named_query("regions-adopt")
    assert "regions-adopting" in unknown_query.value.candidates
    with pytest.raises(QueryError, match="has no parameter 'region'.*initiative"):
        named.named_query("regions-adopting", {"region": "青岛"})
    with pytest.raises(NotFoundError) as unknown_name:
        named.named_query("regions-adopting", {"initiative": "一网通帮"}, graph=sample_graph)
    assert "一网通办" in unknown_name.value.candidates
    with pytest.raises(NotFoundError):  # a region is not an initiative
        named.named_query("regions-adopting", {"initiative": "青岛市"}, graph=sample_graph)
    with pytest.raises(QueryError, match="needs a graph"):
        named.named_query("region-platforms", {"region": "青岛"})
    with pytest.raises(QueryError, match="not a date"):
        named.named_query("tasks-due-before", {"before": "2023-13-01"})
    with pytest.raises(QueryError, match="not a year"):
        named.named_query("goals-for-year", {"year": "2025年"})


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_a_string_parameter_comes_back_exactly_whatever_it_holds(text):
    result = sparql.run_query(Graph(), named.bind_params(ECHO, {"word": text}))
    assert result.rows == ((Literal(text),),)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('\\uU0075aF"\'\n\r\t{}#<>?. '))))
def test_escapes_and_unicode_escapes_in_a_parameter_stay_literal(text):
    result = sparql.run_query(Graph(), named.bind_params(ECHO, {"word": text}))
    assert result.rows == ((Literal(text),),)


@pytest.mark.parametrize("attack", ['"} ?platform ?p ?o . FILTER(true) } #', "\\\" } #", "\\u0022 } #",
                                    '""" } #', "'} UNION { ?s ?p ?o } #", "\n} #\n"])
def test_a_parameter_cannot_inject_query_text(sample_graph, attack):
    text = named.named_query("platforms-named", {"word": attack})
    assert text.count("VALUES ?word") == 1
    result = sparql.run_query(sample_graph, text)
    assert result.variables == ("platform", "platform_label", "kind", "region_label") and result.rows == ()
    assert sparql.run_query(Graph(), named.bind_params(ECHO, {"word": attack})).rows == ((Literal(attack),),)


@pytest.mark.parametrize("iri", ["https://example.org/a> } ?s ?p ?o {", "https://example.org/a\\u003E", 'https://example.org/"',
                                 "https://example.org/a b"])
def test_an_iri_parameter_cannot_inject_query_text(iri):
    with pytest.raises(QueryError, match="not a valid IRI"):
        named.named_query("region-platforms", {"region": iri})


def test_syntax_errors_give_line_and_column(sample_graph):
    with pytest.raises(QueryError, match=r"line 3, column \d+") as error:
        sparql.run_query(sample_graph, "SELECT ?x WHERE {\n  ?x gk:adopts ?y .\n  FILTER(?x = ) }")
    assert error.value.exit_code == 2
    with pytest.raises(QueryError, match=r"line 2, column 6: unknown prefix 'foo:'"):
        sparql.run_query(sample_graph, "SELECT ?x WHERE {\n  ?x foo:bar ?y }")
    with pytest.raises(QueryError, match=r"line 1, column 1"):
        sparql.run_query(sample_graph, "SELEC ?x WHERE { ?x ?p ?o }")


def test_prefixes_are_predeclared_and_bindings_apply(sample_graph):
    result = sparql.run_query(sample_graph, "SELECT ?i WHERE { ?r gk:adopts ?i }", bindings={"r": URIRef(iris.region("420000"))})
    assert len(result.rows) == len(set(sample_graph.objects(URIRef(iris.region("420000")), URIRef(iris.term("adopts")))))


@pytest.fixture(scope="module")
def goals(sample_graph):
    return named.run_named(sample_graph, "goals-for-year")


def test_json_results_parse_back(goals):
    back = Result.parse(io.BytesIO(goals.serialize("json").encode("utf-8")), format="json")
    assert [str(v) for v in back.vars] == list(goals.variables)
    assert [tuple(row) for row in back] == [tuple(row) for row in goals.rows]
    assert any(None in row for row in goals.rows)  # unbound values are left out, and come back unbound


def test_csv_results_parse_back(goals):
    data = goals.serialize("csv")
    assert data.startswith(",".join(goals.variables) + "\r\n") and data.endswith("\r\n")
    back = Result.parse(io.BytesIO(data.encode("utf-8")), format="csv")
    plain = [tuple("" if v is None else str(v) for v in row) for row in goals.rows]
    assert [tuple("" if v is None else str(v) for v in row) for row in back] == plain


def test_tsv_results_parse_back(goals):
    data = goals.serialize("tsv")
    assert data.split("\n", 1)[0] == "\t".join("?" + v for v in goals.variables)
    back = Result.parse(io.BytesIO(data.encode("utf-8")), format="tsv")
    assert [tuple(row) for row in back] == [tuple(row) for row in goals.rows]


def test_ask_and_construct_results(sample_graph):
    ask = sparql.run_query(sample_graph, "ASK { ?r gk:adopts gki:one-network-service }")
    assert Result.parse(io.BytesIO(ask.serialize("json").encode()), format="json").askAnswer is True
    assert ask.serialize("table") == "yes\n"
    with pytest.raises(QueryError, match="cannot be written as csv"):
        ask.serialize("csv")
    built = sparql.run_query(sample_graph, "CONSTRUCT { ?r gk:adopts gki:one-network-service } "
                                           "WHERE { ?r gk:adopts gki:one-network-service }")
    assert len(Graph().parse(data=built.serialize("turtle"), format="turtle")) == 3
    assert len(Graph().parse(data=built.serialize("nt"), format="nt")) == 3
    with pytest.raises(QueryError, match="cannot be written as xml"):
        built.serialize("xml")  # XML results are for SELECT and ASK; a graph is turtle or nt
    with pytest.raises(QueryError, match="unknown result format"):
        built.serialize("rdfxml")


def test_the_table_aligns_chinese_text(goals):
    lines = goals.serialize("table").splitlines()
    assert lines[0].split() == list(goals.variables)
    assert lines[-1] == f"({len(goals.rows)} rows)" and len(lines) == len(goals.rows) + 3
    starts = {results._width(line[:line.index("%")]) for line in lines[2:-1] if "%" in line.split()}
    assert len(starts) <= 1  # the unit column starts at the same display column in every row


def test_engines_are_pluggable(sample_graph):
    seen = {}

    def fake(target, text, *, prefixes, bindings):
        seen.update(target=target, text=text, prefixes=prefixes, bindings=bindings)
        return results.QueryResult(results.QueryKind.ASK, boolean=True)

    sparql.register_engine("fake", fake)
    try:
        assert sparql.run_query("https://example.org/sparql", "ASK {}", bindings={"x": 1}, engine="fake").boolean
        assert seen["target"] == "https://example.org/sparql" and seen["prefixes"]["gk"] == iris.NS
    finally:
        sparql._ENGINES.pop("fake")
    with pytest.raises(QueryError, match="unknown SPARQL engine"):
        sparql.run_query(sample_graph, "ASK {}", engine="fake")


def test_a_fact_stated_in_many_sources_is_one_row(tmp_path):
    """The store's default graph is the union of the sources' graphs, where a statement made by
    three sources matches three times: every named query must still give each row once (#14)."""
    import shutil

    from kg import api
    from kg.query.engines import open_target

    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(DATA / "newsletter_2023_19.txt", tmp_path / name)
    api.build([tmp_path], out_dir=None, store=tmp_path / "store", validate=False)
    target = open_target(store=tmp_path / "store")
    for query in named.list_queries():
        rows = sparql.run_query(target.target, named.named_query(query.name, {}, graph=target.names), engine="oxigraph").rows
        assert rows and len(rows) == len(set(rows)), query.name


def test_xml_results_read_back_with_rdflib(sample_graph):
    import io

    from rdflib.query import Result

    text = "SELECT ?r ?label ?code WHERE { ?r gk:adopts ?i ; rdfs:label ?label . OPTIONAL { ?r gk:nothing ?code } }"
    result = sparql.run_query(sample_graph, text)
    parsed = Result.parse(io.BytesIO(result.serialize("xml").encode("utf-8")), format="xml")
    assert [str(v) for v in parsed.vars] == ["r", "label", "code"]
    assert sorted((row[0], row[1], row[2]) for row in parsed) == sorted(result.rows)
    ask = Result.parse(io.BytesIO(sparql.run_query(sample_graph, "ASK { ?s gk:adopts ?o }").serialize("xml").encode()),
                       format="xml")
    assert ask.askAnswer is True


def test_a_graph_file_answers_as_the_store_does(tmp_path):
    """`--graph FILE` loads the file into an in-memory Oxigraph store: every named query gives
    the rows it gives on the store (and the same as the TriG file, whose graphs are kept)."""
    from kg import api
    from kg.query.engines import open_target

    out = tmp_path / "out"
    api.build([DATA], out_dir=out, store=out / "store", validate=False)
    store = open_target(store=out / "store")
    assert store.engine == "oxigraph"

    def answers(target):
        assert target.engine == "oxigraph"
        return {q.name: sorted(tuple("" if t is None else str(t) for t in row)
                               for row in sparql.run_query(target.target, named.named_query(q.name, {}, graph=target.names),
                                                           engine="oxigraph").rows)
                for q in named.list_queries()}

    expected = answers(store)
    assert answers(open_target(out / "govkg.ttl")) == expected
    assert answers(open_target(out / "govkg.trig")) == expected


def test_a_broken_graph_file_is_one_error_naming_its_line(tmp_path):
    from kg.core.errors import SourceError
    from kg.query.engines import open_target

    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix a: <http://a/> .\na:x a:y a:z .\na:x a:y "unterminated .\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"broken.ttl:3: not a valid turtle graph"):
        open_target(broken)


# ---------------------------------------------------------------- ORDER BY on the decoded rows

def _ordered_by_oxigraph(graph, text: str) -> tuple:
    from kg.core.namespaces import PREFIXES
    from kg.store.view import oxigraph_store

    return sparql._oxigraph_run(oxigraph_store(graph), text, PREFIXES, None, None).rows


def test_every_named_query_is_ordered_as_oxigraph_orders_it(sample_graph):
    for query in named.list_queries():
        text = named.named_query(query.name, {}, graph=sample_graph)
        assert ordering.split_final_order(text) is not None, query.name  # each ends in a plain ORDER BY
        assert sparql.run_query(sample_graph, text).rows == _ordered_by_oxigraph(sample_graph, text), query.name


def test_order_by_of_every_kind_of_column_matches_oxigraph():
    from rdflib import BNode
    from rdflib.namespace import XSD

    ex = "http://example.org/"
    graph = Graph()
    values = {
        "iri": [URIRef(ex + n) for n in ("b", "a10", "a2", "Z")],
        "text": [Literal(t) for t in ("青岛", "b", "B", "a", "")],
        "zh": [Literal(t, lang="zh") for t in ("青岛", "济南", "北京")],
        "int": [Literal(n) for n in (10, 2, -3, 2)],
        "date": [Literal(d, datatype=XSD.date) for d in ("2024-01-02", "2023-12-31", "2024-01-02")],
        "mixed": [Literal("x"), Literal(3), URIRef(ex + "m")],
        "langs": [Literal("a", lang="en"), Literal("b", lang="zh"), Literal("c")],
        "blank": [BNode("b1"), URIRef(ex + "q"), Literal("t")],
    }
    for column, items in values.items():
        for n, value in enumerate(items):
            graph.add((URIRef(f"{ex}row{column}{n}"), URIRef(ex + column), value))
            graph.add((URIRef(f"{ex}row{column}{n}"), URIRef(ex + "n"), Literal(n % 2)))
    for column in values:
        for keys in ("?v", "DESC(?v)", "?n DESC(?v)", "DESC(?n) ?v ?s"):
            text = f"SELECT ?s ?v ?n WHERE {{ ?s <{ex}{column}> ?v OPTIONAL {{ ?s <{ex}n> ?n }} }} ORDER BY {keys}"
            assert sparql.run_query(graph, text).rows == _ordered_by_oxigraph(graph, text), (column, keys)
        unordered, keys = ordering.split_final_order(text)
        rows = sparql.run_query(graph, unordered)
        sorted_here = ordering.sorted_rows(rows.rows, rows.variables, keys)
        assert (sorted_here is not None) == (column not in ("mixed", "langs", "blank")), column  # else Oxigraph sorts
    text = f"SELECT ?s WHERE {{ ?s <{ex}int> ?v }} ORDER BY ?v"  # a key that is not projected: Oxigraph sorts
    assert sparql.run_query(graph, text).rows == _ordered_by_oxigraph(graph, text)


def test_passages_of_many_nodes_at_once_are_those_read_one_by_one(sample_graph):
    from kg.query.evidence import passage
    from kg.query.lookup import evidence_of_all, label_of

    evidence = URIRef(iris.term("evidence"))
    abouts = sorted({str(s) for s, _ in sample_graph.subject_objects(evidence)})[:300]
    found = evidence_of_all(sample_graph, [*abouts, ONE_NETWORK + "-not-stated"])
    assert found[ONE_NETWORK + "-not-stated"] == []
    for about in abouts:
        expected = []
        for node in sample_graph.objects(URIRef(about), evidence):
            one = passage(sample_graph, node)
            section = sample_graph.value(node, URIRef(iris.term("sectionPath")))
            expected.append({"document": label_of(sample_graph, one.document), "document_iri": str(one.document),
                             "section": str(section or ""), "start": one.start, "end": one.end, "quote": one.quote})
        key = lambda row: (row["document_iri"], row["start"], row["end"], row["quote"])  # noqa: E731
        assert sorted(found[about], key=key) == sorted(expected, key=key), about
        assert [(r["document_iri"], r["start"]) for r in found[about]] == sorted((r["document_iri"], r["start"]) for r in expected)
