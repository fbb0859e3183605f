"""Malformed inputs, generated: whatever a file holds, the build ends with exit 0 or 3, says each
problem in one line naming the file, and still builds the good file beside it (#16)."""
import io
import zipfile

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from kg.cli import main

GOOD = "河南省数字政府建设实施方案（2023—2025年）\n\n一、主要任务\n\n1.建设“豫事办”APP，推进“一网通办”。\n"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# Content that readers meet in the wild, broken in the ways files break.
_TEXTISH = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=200).map(lambda t: t.encode("utf-16")),
    st.text(alphabet="一二、（）。\n 1.“”\"牵头单位：", max_size=300).map(lambda t: t.encode("gb18030")),
)
_DOCX = st.one_of(
    st.binary(max_size=300),
    st.dictionaries(st.sampled_from(["word/document.xml", "[Content_Types].xml", "x"]), st.binary(max_size=200),
                    max_size=3).map(_zip),
)
_PDF = st.one_of(st.binary(max_size=300), st.binary(max_size=200).map(lambda b: b"%PDF-1.4\n" + b))
_HTML = st.text(max_size=300).map(lambda t: f"<html><body><p>{t}</p><div>".encode("utf-8", "surrogatepass"))
_FILES = st.one_of(
    st.tuples(st.just("bad.txt"), _TEXTISH),
    st.tuples(st.just("bad.md"), _TEXTISH),
    st.tuples(st.just("bad.docx"), _DOCX),
    st.tuples(st.just("bad.pdf"), _PDF),
    st.tuples(st.just("bad.html"), _HTML),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=_FILES)
def test_a_malformed_file_never_stops_the_build_of_the_good_one(tmp_path_factory, bad):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    name, data = bad
    (folder / name).write_bytes(data)
    result = CliRunner().invoke(main, ["build", str(folder), "--no-store", "--no-validate", "--out", str(folder / "out")])
    assert result.exit_code in (0, 3), (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for line in result.stderr.splitlines():
        assert line.startswith(("error: ", "warning: ")), line
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ") and "source file(s)" not in line]
    assert all(name in line for line in errors), errors  # each problem names the file
    turtle = (folder / "out" / "govkg.ttl").read_text(encoding="utf-8")
    assert "豫事办" in turtle  # the good file was built and written
