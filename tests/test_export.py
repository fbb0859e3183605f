"""Tables export: exact rows on a hand-made graph, JSON and CSV alike, and the evidence and
column contract on the bundled sample."""
import csv
import json
import re
from pathlib import Path

import pytest
from rdflib import Graph

from kg.outputs import export
from kg.query import tables
from kg.core.errors import KGError
from kg.store.rdfio import AtomicFiles

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "export_fixture.ttl"
# The text the fixture's evidence offsets refer to (see the comment at the top of the fixture).
FIXTURE_TEXT = "河南省数字政府建设实施方案（2023—2025年）\n推进“豫事办”一网通办。省大数据局牵头。到2025年可办率达到95%以上。依托郑州数据交易中心。"
B = "https://w3id.org/govkg/"
DOC = B + "doc/fixture/0"
DOC_LABEL = "河南省数字政府建设实施方案（2023—2025年）"

# The contract: columns every entity row has, and those per type.
BASE = {"id", "type", "label", "label_en", "aliases", "region", "document"}
REGION_KEYS = {"code", "parent", "initiatives"}
DOCUMENT_KEYS = {"title", "genre", "period_start", "period_end", "issuer", "doc_number"}
CONTRACT = {
    **{t: REGION_KEYS for t in ("Country", "Province", "City", "District")},
    **{t: DOCUMENT_KEYS for t in ("Plan", "ImplementationScheme", "ActionPlan", "Guidance", "Regulation", "Notice", "Article")},
    "Initiative": set(),
    "Platform": {"kind", "initiatives"},
    "Department": set(),
    "Task": {"number", "title", "lead_units", "support_units", "deadlines"},
    "Goal": {"indicator", "value", "unit", "comparator", "year"},
    "DataExchange": {"status"},
    "CitedWork": set(),
}
LISTS = {"aliases", "initiatives", "lead_units", "support_units", "deadlines"}
INTS = {"period_start", "period_end", "year"}


def _full(**values):
    return {**dict.fromkeys(tables.ENTITY_COLUMNS), **values}


EXPECTED_ENTITIES = [
    _full(id=B + "cited/eeeeeeeeee", type="CitedWork", label="国务院关于加强数字政府建设的指导意见", aliases=[],
          document=DOC, title="国务院关于加强数字政府建设的指导意见", doc_number="国发〔2022〕14号"),
    _full(id=B + "data-exchange/410100-dddddddddd", type="DataExchange", label="郑州数据交易中心", aliases=[],
          region="郑州市", document=DOC, status="existing", initiatives=[]),
    _full(id=B + "department/410000-bbbbbbbbbb", type="Department", label="省大数据局", aliases=[], region="河南省", document=DOC),
    _full(id=B + "department/410000-cccccccccc", type="Department", label="省政务服务中心", aliases=[], region="河南省",
          document=DOC),
    _full(id=DOC, type="ImplementationScheme", label="河南省数字政府建设实施方案（2023—2025年）", aliases=[], region="河南省",
          document=DOC, title="河南省数字政府建设实施方案（2023—2025年）", genre="ImplementationScheme",
          period_start=2023, period_end=2025, issuer="河南省人民政府", doc_number="豫政〔2023〕1号"),
    _full(id=B + "doc/fixture/1", type="Article", label="数据要素评论", aliases=[], title="数据要素评论", genre="Article"),
    _full(id=B + "goal/fixture/0/46-63", type="Goal", label="政务服务事项网上可办率不少于95%", aliases=[], region="河南省",
          document=DOC, indicator="政务服务事项网上可办率", value=95, unit="%", comparator="不少于", year=2025),
    _full(id=B + "goal/fixture/0/99-100", type="Goal", label="数据中心1.5至2个", aliases=[], document=DOC,
          indicator="数据中心", value=1.5, value_max=2, unit="个"),
    _full(id=B + "initiative/one-network-service", type="Initiative", label="一网通办", label_en="One-Network Service",
          aliases=["政务服务一网通办"], document=DOC),
    _full(id=B + "platform/410000-aaaaaaaaaa", type="Platform", label="豫事办", aliases=["“豫事办”"], region="河南省",
          document=DOC, kind="app", initiatives=["一网通办"]),
    _full(id=B + "region/410000", type="Province", label="河南省", aliases=["河南"], document=DOC, code="410000",
          parent="中国", initiatives=["一网通办"]),
    _full(id=B + "region/410100", type="City", label="郑州市", aliases=["郑州"], document=DOC, code="410100",
          parent="河南省", initiatives=[]),
    _full(id=B + "region/410102", type="District", label="中原区", aliases=[], document=DOC, code="410102", parent="郑州市",
          initiatives=[]),
    _full(id=B + "region/CN", type="Country", label="中国", label_en="China", aliases=[], code="CN", initiatives=[]),
    _full(id=B + "task/fixture/0/1", type="Task", label="推进一网通办", aliases=[], region="河南省", document=DOC,
          number="1", title="推进一网通办", lead_units=["省大数据局"], support_units=["省政务服务中心"],
          deadlines=["2023-06-30", "2023-12-31"], deadline_text="2023年底前"),
]

ONS = B + "initiative/one-network-service"
EXPECTED_RELATIONS = [
    {"id": B + "assertion/mentions", "subject": DOC, "subject_label": DOC_LABEL, "predicate": "gk:mentionsInitiative",
     "object": ONS, "object_label": "一网通办"},
    {"id": B + "assertion/serves", "subject": B + "platform/410000-aaaaaaaaaa", "subject_label": "豫事办",
     "predicate": "gk:serves", "object": ONS, "object_label": "一网通办"},
    {"id": B + "assertion/adopts", "subject": B + "region/410000", "subject_label": "河南省", "predicate": "gk:adopts",
     "object": ONS, "object_label": "一网通办"},
]


@pytest.fixture(scope="module")
def fixture_graph():
    return Graph().parse(FIXTURE, format="turtle")


def test_fixture_entity_rows_are_exact(fixture_graph):
    rows = tables.entity_rows(fixture_graph)
    assert [r["id"] for r in rows] == [r["id"] for r in EXPECTED_ENTITIES]
    for row, expected in zip(rows, EXPECTED_ENTITIES):
        assert row == expected, row["id"]


def test_every_contract_type_is_in_the_fixture(fixture_graph):
    types = {r["type"] for r in tables.entity_rows(fixture_graph)}
    assert {"Country", "Province", "City", "District", "ImplementationScheme", "Article", "Initiative", "Platform",
            "Department", "Task", "Goal", "DataExchange", "CitedWork"} <= types


def test_only_used_initiatives_are_exported(fixture_graph):
    ids = {r["id"] for r in tables.entity_rows(fixture_graph)}
    assert ONS in ids
    assert B + "initiative/city-brain" not in ids  # in the graph, neither adopted nor mentioned


def test_fixture_relation_rows_are_exact(fixture_graph):
    assert tables.relation_rows(fixture_graph) == EXPECTED_RELATIONS


def test_fixture_evidence_rows_quote_the_text(fixture_graph):
    rows = tables.evidence_rows(fixture_graph)
    about = [(r["about"], r["start"], r["end"]) for r in rows]
    assert about == [
        (B + "assertion/adopts", 26, 46), (B + "assertion/mentions", 26, 46), (B + "assertion/serves", 26, 46),
        (B + "cited/eeeeeeeeee", 0, 25), (B + "data-exchange/410100-dddddddddd", 65, 73),
        (B + "department/410000-bbbbbbbbbb", 38, 43), (DOC, 0, 25), (B + "goal/fixture/0/46-63", 46, 63),
        (B + "platform/410000-aaaaaaaaaa", 29, 32), (B + "task/fixture/0/1", 26, 46),
    ]
    for row in rows:
        assert row["quote"], row
        assert FIXTURE_TEXT[row["start"]:row["end"]] == row["quote"]
        assert row["document"] == DOC and row["source"] == "fixture.txt"
    sections = {r["about"]: r["section"] for r in rows}
    assert sections[B + "task/fixture/0/1"] == "一、总体要求 › （一）政务服务"
    assert sections[B + "platform/410000-aaaaaaaaaa"] is None


def test_json_and_csv_hold_the_same_rows(fixture_graph, tmp_path):
    json_paths = export.export_tables(fixture_graph, out_dir=tmp_path, fmt="json")
    csv_paths = export.export_tables(fixture_graph, out_dir=tmp_path, fmt="csv")
    assert [p.name for p in json_paths] == ["entities.json", "relations.json", "evidence.json"]
    assert [p.name for p in csv_paths] == ["entities.csv", "relations.csv", "evidence.csv"]
    in_memory = tables.tables(fixture_graph)
    for json_path, csv_path in zip(json_paths, csv_paths):
        as_json = json.loads(json_path.read_text(encoding="utf-8"))
        # Entities sorted by id; relations and evidence streamed in the store's order.
        assert sorted(as_json, key=json.dumps) == sorted(in_memory[json_path.stem], key=json.dumps)
        assert len(as_json) == len(in_memory[json_path.stem])
        assert export.read_table(csv_path) == as_json
    assert json.loads(json_paths[0].read_text(encoding="utf-8")) == in_memory["entities"]
    assert json_paths[0].read_text(encoding="utf-8") == json.dumps(in_memory["entities"], ensure_ascii=False, indent=1) + "\n"
    assert json.loads(json_paths[0].read_text(encoding="utf-8")) == EXPECTED_ENTITIES
    assert csv_paths[0].read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with open(csv_paths[0], encoding="utf-8-sig", newline="") as handle:
        raw = list(csv.DictReader(handle))
    assert list(raw[0]) == list(tables.ENTITY_COLUMNS)
    province = next(r for r in raw if r["type"] == "Province")
    assert province["aliases"] == '["河南"]' and province["initiatives"] == '["一网通办"]'
    assert province["kind"] == ""  # a column that does not apply is an empty cell
    assert next(r for r in raw if r["type"] == "Department")["initiatives"] == ""
    assert next(r for r in raw if r["type"] == "District")["initiatives"] == "[]"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in json_paths + csv_paths)  # no temp files


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_every_file_is_written_beside_and_replaced_at_the_end(fixture_graph, tmp_path, monkeypatch, fmt):
    created, seen_at_commit = [], []

    class Recording(AtomicFiles):
        def create(self, path):
            created.append(Path(path).name)
            return super().create(path)

        def commit(self):
            seen_at_commit.append(sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")))
            return super().commit()

    monkeypatch.setattr(export, "AtomicFiles", Recording)
    paths = export.export_tables(fixture_graph, out_dir=tmp_path, fmt=fmt)
    assert created == [p.name for p in paths] == [f"entities.{fmt}", f"relations.{fmt}", f"evidence.{fmt}"]
    assert seen_at_commit == [[]]  # nothing replaced before every table was written


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_failing_export_leaves_the_old_files(fixture_graph, tmp_path, monkeypatch, fmt):
    paths = export.export_tables(fixture_graph, out_dir=tmp_path, fmt=fmt)
    before = {p.name: p.read_bytes() for p in paths}
    real = export.TABLE_WRITERS[fmt]

    def failing(handle, rows, columns):
        if columns == tables.EVIDENCE_COLUMNS:
            raise RuntimeError("disk full")
        return real(handle, [{**r, "label": "changed"} for r in rows], columns)

    monkeypatch.setitem(export.TABLE_WRITERS, fmt, failing)
    with pytest.raises(RuntimeError):
        export.export_tables(fixture_graph, out_dir=tmp_path, fmt=fmt)
    assert {p.name: p.read_bytes() for p in paths} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)


def test_export_reads_a_graph_file_and_is_deterministic(tmp_path):
    first = export.export(FIXTURE, out_dir=tmp_path / "a", fmt="csv")
    second = export.export(str(FIXTURE), out_dir=tmp_path / "b", fmt=export.TableFormat.CSV)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_unknown_format_is_an_error(fixture_graph, tmp_path):
    with pytest.raises(KGError, match="unknown table format 'xml'"):
        export.export(fixture_graph, out_dir=tmp_path, fmt="xml")
    assert not tmp_path.joinpath("entities.xml").exists()


def test_columns_for_matches_the_contract():
    for type_, keys in CONTRACT.items():
        assert BASE | keys <= set(tables.columns_for(type_)), type_
    with pytest.raises(KeyError):
        tables.columns_for("Evidence")


# ---------------------------------------------------------------- the bundled sample


@pytest.fixture(scope="module")
def sample_tables(sample_graph):
    return tables.tables(sample_graph)


def test_sample_evidence_quotes_equal_the_source_text(sample_tables, sample_text):
    rows = sample_tables["evidence"]
    assert len(rows) > 100
    for row in rows:
        assert row["source"] == "newsletter_2023_19.txt"
        assert row["quote"] and sample_text[row["start"]:row["end"]] == row["quote"], row


def test_sample_entity_rows_keep_the_contract(sample_tables):
    rows = sample_tables["entities"]
    assert {"Province", "City", "ImplementationScheme", "Plan", "ActionPlan", "Article", "Initiative"} <= {r["type"] for r in rows}
    for row in rows:
        assert row["type"] in CONTRACT, row
        applicable = BASE | CONTRACT[row["type"]]
        assert list(row) == list(tables.ENTITY_COLUMNS)
        for key in set(tables.ENTITY_COLUMNS) - set(tables.columns_for(row["type"])):
            assert row[key] is None, (row["id"], key)
        for key in applicable:
            if key in LISTS:
                assert isinstance(row[key], list), (row["id"], key)
            elif key in INTS:
                assert row[key] is None or isinstance(row[key], int), (row["id"], key)
        assert row["label"], row
        if row["type"] in REGION_KEYS_TYPES:
            assert row["code"] and row["region"] is None
        if row["type"] in CONTRACT and CONTRACT[row["type"]] is DOCUMENT_KEYS:
            assert row["genre"] == row["type"] and row["document"] == row["id"]


REGION_KEYS_TYPES = {t for t, keys in CONTRACT.items() if keys is REGION_KEYS}


def test_sample_rows_refer_to_each_other(sample_tables):
    entities = {r["id"]: r for r in sample_tables["entities"]}
    relations = {r["id"] for r in sample_tables["relations"]}
    documents = {i for i, r in entities.items() if CONTRACT[r["type"]] is DOCUMENT_KEYS}
    assert all(r["about"] in entities or r["about"] in relations for r in sample_tables["evidence"])
    assert all(r["document"] in documents for r in sample_tables["evidence"])
    assert all(r["document"] is None or r["document"] in documents for r in entities.values())
    used = {r["object"] for r in sample_tables["relations"] if r["predicate"] in ("gk:adopts", "gk:mentionsInitiative")}
    assert {i for i, r in entities.items() if r["type"] == "Initiative"} == used
    qingdao = next(r for r in entities.values() if r["label"] == "青岛市")
    assert qingdao["parent"] == "山东省" and "一网通办" in qingdao["initiatives"]
    assert qingdao["initiatives"] == sorted(qingdao["initiatives"])
    for row in sample_tables["relations"]:
        assert re.fullmatch(r"[a-z]+:[A-Za-z]+", row["predicate"]) and row["subject"] in entities, row


def test_sample_rows_are_sorted(sample_tables):
    ids = [r["id"] for r in sample_tables["entities"]]
    assert ids == sorted(ids, key=tables.natural_key)
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- spreadsheets and notebooks

def test_pandas_reads_the_csv_tables(fixture_graph, tmp_path):
    import pandas as pd

    paths = export.export_tables(fixture_graph, out_dir=tmp_path, fmt="csv")
    frames = {p.stem: pd.read_csv(p, encoding="utf-8-sig", dtype=str, keep_default_na=False) for p in paths}
    assert list(frames["entities"].columns) == list(tables.ENTITY_COLUMNS)
    assert list(frames["relations"].columns) == list(tables.RELATION_COLUMNS)
    assert "河南省" in set(frames["entities"]["label"])
    assert {name: len(frame) for name, frame in frames.items()} == {name: len(rows) for name, rows in tables.tables(fixture_graph).items()}


def test_xlsx_has_a_sheet_per_table_with_the_csv_rows(fixture_graph, tmp_path):
    import openpyxl
    import pandas as pd

    csv_paths = export.export_tables(fixture_graph, out_dir=tmp_path, fmt="csv")
    [xlsx] = export.export_tables(fixture_graph, out_dir=tmp_path, fmt="xlsx")
    assert xlsx.name == "tables.xlsx"
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["entities", "relations", "evidence"]
    for path in csv_paths:
        sheet = book[path.stem]
        assert sheet.max_row - 1 == len(pd.read_csv(path, encoding="utf-8-sig")) > 0
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        assert all(8 <= w <= 60 for w in widths)
    entities = book["entities"]
    header = [c.value for c in entities[1]]
    assert header[header.index("document") + 1] == "document_title"
    rows = [dict(zip(header, (c.value for c in row))) for row in entities.iter_rows(min_row=2)]
    width = {c.value: entities.column_dimensions[c.column_letter].width for c in entities[1]}
    assert width["id"] > width["kind"]  # a column as wide as its text
    task = next(r for r in rows if r["type"] == "Task")
    assert task["deadlines"] == "2023-06-30; 2023-12-31" and task["lead_units"] == "省大数据局"
    assert task["document_title"] == DOC_LABEL
    scheme = next(r for r in rows if r["type"] == "ImplementationScheme")
    assert scheme["period_start"] == 2023 and scheme["kind"] is None
    evidence = book["evidence"]
    header = [c.value for c in evidence[1]]
    assert header[:4] == ["about", "about_label", "document", "document_title"]
    labels = {row[0].value: row[1].value for row in evidence.iter_rows(min_row=2)}
    assert labels[B + "assertion/adopts"] == "河南省 gk:adopts 一网通办"
    assert labels[B + "task/fixture/0/1"] == "推进一网通办"
    relations = book["relations"]
    assert [c.value for c in relations[1]] == list(tables.RELATION_COLUMNS)


def test_xlsx_cells_keep_text_as_text(tmp_path):
    import openpyxl

    named = {"entities": [{"id": "e", "label": "=HYPERLINK(\"x\")", "aliases": ["a", "b"], "title": "ok\x0bno"}],
             "relations": [], "evidence": []}
    path = tmp_path / "t.xlsx"
    path.write_bytes(export._xlsx_bytes(named))
    sheet = openpyxl.load_workbook(path)["entities"]
    cells = {header.value: cell for header, cell in zip(sheet[1], sheet[2])}
    assert cells["label"].value == "=HYPERLINK(\"x\")" and cells["label"].data_type == "s"  # text, not a formula
    assert cells["aliases"].value == "a; b"
    assert cells["title"].value == "okno"  # a character a worksheet cannot hold is dropped


def test_xlsx_without_openpyxl_names_the_extra(fixture_graph, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(KGError, match=re.escape("pip install 'govkg[xlsx]'")):
        export.export_tables(fixture_graph, out_dir=tmp_path, fmt="xlsx")
    assert not list(tmp_path.iterdir())


def test_tables_in_a_notebook(fixture_graph):
    held = export.table_rows(fixture_graph)
    assert repr(held) == "Tables(entities 15, relations 3, evidence 10)"
    frame = held.to_frame("relations")
    assert list(frame.columns) == list(tables.RELATION_COLUMNS)
    assert frame.to_dict("records") == EXPECTED_RELATIONS
    assert "<td>entities</td>" in held._repr_html_()
    with pytest.raises(KGError, match="unknown table 'regions'"):
        held.to_frame("regions")


def test_cli_exports_a_workbook(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["export", str(FIXTURE), "--format", "xlsx", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {tmp_path / 'tables.xlsx'}"
    quiet = CliRunner().invoke(main, ["export", str(FIXTURE), "--format", "gexf", "-o", str(tmp_path), "-q"])
    assert quiet.exit_code == 0 and quiet.stdout == "" and (tmp_path / "govkg-policy.gexf").is_file()
