import io

import pytest

from kg.core.errors import SourceError
from kg.ingest.readers import READERS, discover, read_source, register_reader

PLAN = "某市数字政府建设实施方案\n\n一、总体要求\n\n到2025年，政务服务事项全程网办率达到95%以上。\n"


def test_utf8_and_utf8_with_bom(tmp_path):
    (tmp_path / "a.txt").write_bytes(PLAN.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + PLAN.encode("utf-8"))
    a, b = read_source(tmp_path / "a.txt"), read_source(tmp_path / "b.txt")
    assert a.text == b.text == PLAN
    assert (a.encoding, b.encoding) == ("utf-8", "utf-8-sig")


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_gb_encodings_are_detected(tmp_path, encoding):
    (tmp_path / "c.txt").write_bytes(PLAN.encode(encoding))
    source = read_source(tmp_path / "c.txt")
    assert source.text == PLAN
    assert source.encoding == "gb18030"


def test_html_keeps_block_structure_and_drops_scripts(tmp_path):
    html = "<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>某市方案</h1><p>一、总体要求</p><p>到2025年，建成平台。</p></body></html>"
    (tmp_path / "d.html").write_text(html, encoding="utf-8")
    text = read_source(tmp_path / "d.html").text
    assert text.split("\n\n") == ["某市方案", "一、总体要求", "到2025年，建成平台。"]


GOV_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>某市数字政府建设行动方案_某市人民政府</title></head>
<body><div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/hd">政民互动</a></div>
<div class="article"><h1>某市数字政府建设行动方案</h1>
<p>为加快数字政府建设，结合我市实际，制定本行动方案。</p><p>一、主要任务</p>
<p>（一）建设市一体化政务服务平台。依托“某事通”APP，推进政务服务“一网通办”。（责任单位：市营商局）</p>
<p>（二）推进“一网统管”。到2025年，政务服务事项网上可办率达到100%。</p></div>
<div class="footer">主办：某市人民政府办公室 承办：某市信息中心 ICP备12345678号</div></body></html>"""


def test_a_government_web_page_gives_its_article_title_first(tmp_path):
    (tmp_path / "page.html").write_text(GOV_PAGE, encoding="utf-8")
    lines = read_source(tmp_path / "page.html").text.split("\n\n")
    assert lines[0] == "某市数字政府建设行动方案"          # the article's title, not the browser title
    assert "一、主要任务" in lines and any(line.startswith("（二）推进") for line in lines)
    assert not any("政民互动" in line or "ICP备" in line for line in lines)  # navigation and footer left out


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某市数字政府建设实施方案")
    document.add_paragraph("一、总体要求")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "任务"
    table.rows[0].cells[1].text = "牵头单位"
    document.save(tmp_path / "e.docx")
    text = read_source(tmp_path / "e.docx").text
    assert text.split("\n\n") == ["某市数字政府建设实施方案", "一、总体要求", "任务　牵头单位"]


def _pdf_with_text(line: str) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 12 Tf 20 100 Td ({line}) Tj ET".encode()
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_pdf_text_layer(tmp_path):
    (tmp_path / "f.pdf").write_bytes(_pdf_with_text("Digital government plan 2025"))
    assert "Digital government plan 2025" in read_source(tmp_path / "f.pdf").text


def test_pdf_without_text_layer_names_the_fix(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    with open(tmp_path / "scan.pdf", "wb") as handle:
        writer.write(handle)
    with pytest.raises(SourceError, match=r"scan\.pdf: the PDF has no text layer .*OCR"):
        read_source(tmp_path / "scan.pdf")


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", r"empty\.txt: the file is empty"),
    ("blank.txt", b"  \n\n ", r"blank\.txt: the file is empty"),
    ("binary.txt", b"abc\n\x00\x01\x02\xff", r"binary\.txt:2: looks like a binary file"),
    ("broken.docx", b"this is not a zip", r"broken\.docx: not a readable \.docx"),
    ("broken.pdf", b"%PDF-1.4 garbage", r"broken\.pdf: not a readable PDF"),
    ("notes.xyz", "数字政府".encode(), r"notes\.xyz: unknown file type '\.xyz'.*supported:"),
])
def test_bad_input_names_the_file_and_the_fix(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(SourceError, match=message) as info:
        read_source(tmp_path / name)
    assert info.value.fix


def test_undecodable_text_names_the_line(tmp_path):
    data = "第一行\n第二行\n".encode("utf-8") + bytes([0x80, 0xff, 0xfe, 0x81, 0x30]) * 20
    (tmp_path / "bad.txt").write_bytes(data)
    with pytest.raises(SourceError, match=r"bad\.txt:3: cannot decode") as info:
        read_source(tmp_path / "bad.txt")
    assert "UTF-8" in info.value.fix


def test_registry_accepts_an_extension_reader(tmp_path):
    @register_reader(".rev", name="reversed")
    def read_reversed(path, data):
        return data.decode("utf-8")[::-1], "utf-8"

    try:
        (tmp_path / "x.rev").write_text("案方施实", encoding="utf-8")
        source = read_source(tmp_path / "x.rev")
        assert (source.text, source.format) == ("实施方案", "reversed")
    finally:
        READERS.pop(".rev")


def test_discover_walks_directories_in_order_and_skips_readmes(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ["b.txt", "a.md", "README.md", "sub/c.html", ".hidden.txt", "image.png"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])] == ["a.md", "b.txt", "sub/c.html"]


def test_utf16_and_utf32_with_a_byte_order_mark_are_read_as_text(tmp_path):
    from kg.ingest.readers import read_source

    text = "河南省数字政府建设实施方案\n\n一、主要任务\n"
    for encoding, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-32-le", b"\xff\xfe\x00\x00")):
        path = tmp_path / f"plan-{encoding}.txt"
        path.write_bytes(bom + text.encode(encoding))
        assert read_source(path).text == text


def test_a_missing_path_and_a_pipe_are_one_line_errors_and_the_good_file_is_built(tmp_path):
    import os

    from kg import api

    (tmp_path / "good.txt").write_text("河南省数字政府建设实施方案\n\n一、主要任务\n\n1.建设豫事办。\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    result = api.build([tmp_path, tmp_path / "missing"], out_dir=None, validate=False)
    assert sorted(str(e) for e in result.errors) == [
        f"{tmp_path / 'missing'}: no such file or folder (check the path)",
        f"{tmp_path / 'pipe.txt'}: is not a regular file (give the file itself, not a pipe or a device)"]
    assert [s.name for s in result.state.sources] == ["good.txt"]


def test_files_over_a_limit_are_refused_in_one_line_naming_file_and_limit(tmp_path, monkeypatch):
    import io
    import zipfile

    from kg.ingest.readers import read_source

    buffer = io.BytesIO()  # a .docx whose XML unzips to 3 MB (a zip bomb, scaled down)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (3 * 2**20))
    (tmp_path / "bomb.docx").write_bytes(buffer.getvalue())
    monkeypatch.setenv("GOVKG_MAX_EXPANDED_MB", "1")
    with pytest.raises(SourceError) as failed:
        read_source(tmp_path / "bomb.docx")
    assert str(failed.value) == (f"{tmp_path / 'bomb.docx'}: unzips to 3 MB, over the limit of 1 MB "
                                 "(split the document, or raise GOVKG_MAX_EXPANDED_MB)")
    (tmp_path / "long.txt").write_text("数字政府。" * 3000, encoding="utf-8")
    monkeypatch.setenv("GOVKG_MAX_CHARS", "10000")
    with pytest.raises(SourceError) as failed:
        read_source(tmp_path / "long.txt")
    assert "holds 15,000 characters, over the limit of 10,000" in str(failed.value)
    monkeypatch.setenv("GOVKG_MAX_FILE_MB", "0.01")
    with pytest.raises(SourceError) as failed:
        read_source(tmp_path / "long.txt")
    assert "long.txt: is 0.0429 MB, over the limit of 0.01 MB" in str(failed.value)
    monkeypatch.setenv("GOVKG_MAX_FILE_MB", "lots")
    with pytest.raises(SourceError) as failed:
        read_source(tmp_path / "long.txt")
    assert str(failed.value) == "GOVKG_MAX_FILE_MB: 'lots' is not a number (set it to a number (default 64.0))"


def test_a_docx_whose_document_part_is_empty_is_one_error(tmp_path):
    """Found by tests/test_fuzz.py: lxml's XMLSyntaxError escaped as a traceback."""
    import io
    import zipfile

    from kg.ingest.readers import read_source

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"")
        archive.writestr("word/document.xml", b"")
    (tmp_path / "empty.docx").write_bytes(buffer.getvalue())
    with pytest.raises(SourceError, match=r"empty\.docx: not a readable \.docx file \(.*\) \(open it in Word"):
        read_source(tmp_path / "empty.docx")


def test_linked_folders_are_followed_once_and_link_loops_are_named(tmp_path):
    from kg import api

    docs, elsewhere = tmp_path / "docs", tmp_path / "elsewhere"
    (docs / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    plan = "北京市数字政府建设实施方案\n一、工作任务\n（一）推进一网通办。（牵头单位：市政务服务局）\n"
    (docs / "a.txt").write_text(plan, encoding="utf-8")
    (elsewhere / "b.txt").write_text(plan.replace("北京", "天津"), encoding="utf-8")
    (docs / "linked").symlink_to(elsewhere)           # a folder linked in: followed
    (docs / "again").symlink_to(elsewhere)            # the same folder twice: read once
    (docs / "sub" / "loop").symlink_to(docs)          # back up the tree: a loop
    (docs / "x.txt").symlink_to(docs / "y.txt")       # file links that loop
    (docs / "y.txt").symlink_to(docs / "x.txt")
    notices: list[str] = []
    found = discover([docs], notices)
    assert sorted(p.name for p in found) == ["a.txt", "b.txt", "x.txt", "y.txt"]
    assert any("loop" in line and line.startswith(str(docs / "sub" / "loop")) for line in notices)
    assert any("read once" in line for line in notices)
    with pytest.raises(SourceError, match="symbolic link that loops"):
        read_source(docs / "x.txt")
    result = api.build([docs], out_dir=None)
    assert sorted(source.name for source in result.state.sources) == ["a.txt", "b.txt"]
    assert any("loops back" in w for w in result.state.warnings)
    assert {e.path.rsplit("/", 1)[-1] for e in result.state.errors} == {"x.txt", "y.txt"}
