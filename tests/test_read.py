"""Reading: encodings, every input kind, bad input, and finding inputs in folders."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import zipfile
from pathlib import Path

import pytest

from civicnlp.engine.inputs import Skipped, iter_inputs
from civicnlp.read import RawDoc, ReadOptions, read_file
from civicnlp.read.docx import read_docx
from civicnlp.read.encoding import decode, plausibility
from civicnlp.read.html import html_to_text, read_html

FIXTURES = Path(__file__).parent / "fixtures"

SIMPLIFIED = (
    "关于开展冬季清洁家园行动的通知\n各村民小组：\n一、全面清理房前屋后的积存垃圾，清运率达到100%。\n"
    "（一）各组于12月20日前完成自查。\n"
)
TRADITIONAL = "關於開展冬季清潔家園行動的通知\n各村民小組：\n一、全面清理房前屋後的積存垃圾。\n"
PURE_HAN = "全体居民积极参与垃圾分类共建美丽家园"  # no ASCII at all: UTF-16 holds no NUL byte

# (sample id, text, codec written, encoding civicnlp must report)
ENCODINGS = [
    ("simplified", SIMPLIFIED, "utf-8", "utf-8"),
    ("simplified", SIMPLIFIED, "utf-8-sig", "utf-8"),
    ("simplified", SIMPLIFIED, "gb18030", "gb18030"),
    ("simplified", SIMPLIFIED, "gbk", "gb18030"),
    ("simplified", SIMPLIFIED, "gb2312", "gb18030"),
    ("simplified", SIMPLIFIED, "utf-16", "utf-16"),
    ("simplified", SIMPLIFIED, "utf-16-le", "utf-16-le"),
    ("simplified", SIMPLIFIED, "utf-16-be", "utf-16-be"),
    ("simplified", SIMPLIFIED, "utf-32", "utf-32"),
    ("simplified", SIMPLIFIED, "utf-32-le", "utf-32-le"),
    ("simplified", SIMPLIFIED, "utf-32-be", "utf-32-be"),
    ("traditional", TRADITIONAL, "big5", "big5"),
    ("traditional", TRADITIONAL, "gb18030", "gb18030"),
    ("traditional", TRADITIONAL, "utf-8", "utf-8"),
    ("traditional", TRADITIONAL, "utf-16", "utf-16"),
    ("pure-han", PURE_HAN, "gb18030", "gb18030"),
    ("pure-han", PURE_HAN, "utf-16-le", "utf-16-le"),
    ("pure-han", PURE_HAN, "utf-16-be", "utf-16-be"),
    ("pure-han", PURE_HAN, "utf-32-le", "utf-32-le"),
]


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [pytest.param(t, c, e, id=f"{name}-{c}") for name, t, c, e in ENCODINGS],
)
def test_decode_encoding_table(text: str, codec: str, expected: str) -> None:
    decoded, encoding = decode(text.encode(codec), "sample.txt")
    assert encoding == expected
    assert decoded.lstrip("\ufeff") == text


@pytest.mark.parametrize(
    ("text", "codec", "damage"),
    [
        pytest.param(SIMPLIFIED * 3, "utf-8", lambda b: b[:-2], id="utf-8-cut-mid-character"),
        pytest.param(SIMPLIFIED * 3, "utf-8", lambda b: b[:40] + b"\xff" + b[40:], id="utf-8-stray-byte"),
        pytest.param(SIMPLIFIED * 3, "gb18030", lambda b: b[:41] + b"\xff" + b[41:], id="gb18030-stray-byte"),
        pytest.param(TRADITIONAL * 3, "big5", lambda b: b[:41] + b"\xff" + b[41:], id="big5-stray-byte"),
    ],
)
def test_decode_keeps_a_file_with_a_few_damaged_bytes(text: str, codec: str, damage) -> None:  # type: ignore[no-untyped-def]
    decoded, encoding = decode(damage(text.encode(codec)), "damaged.txt")
    assert encoding == codec
    assert 1 <= decoded.count("\ufffd") <= 4
    assert decoded[:10] == text[:10]


@pytest.mark.parametrize(
    ("codec", "expected"),
    [("utf-8", "utf-8"), ("gb18030", "gb18030"), ("utf-16", "utf-16"), ("big5", "big5")],
)
def test_read_file_records_encoding(tmp_path: Path, codec: str, expected: str) -> None:
    text = TRADITIONAL if codec == "big5" else SIMPLIFIED
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(codec))
    (raw,) = read_file(path, "doc.txt")
    assert raw.error is None
    assert raw.encoding == expected
    assert raw.text == text


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(200), "E102", id="png-signature"),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)), "E102", id="pdf-signature"),
        pytest.param(b"PK\x03\x04" + bytes(50), "E102", id="zip-as-txt"),
        pytest.param(bytes(range(256)) * 8, "E102", id="nul-bytes"),
        pytest.param(b"\xff\xfe\xfd\x80\x81abc" * 3, "E103", id="garbage-behind-a-bom"),
        pytest.param(b"\x80\x81\xfe\xff" * 40, "E103", id="undecodable"),
    ],
)
def test_decode_refuses(data: bytes, code: str) -> None:
    from civicnlp.errors import CivicError

    with pytest.raises(CivicError) as info:
        decode(data, "bad.txt")
    assert info.value.code == code
    assert "bad.txt" in info.value.message


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("关于做好防汛工作的通知。一、加强值守。", False),
        ("plain ASCII text, with punctuation: fine.", False),
        ("鄉(xiāng)鎮(zhèn) 〔2023〕 ①②③ ×·°", False),
        ("\ufeff\u80fd\u6181\ufeff\ue000\ue001\x01\x02", True),
        ("\ufffd\ufffd\ufffd文字", True),
    ],
)
def test_plausibility(text: str, low: bool) -> None:
    assert (plausibility(text) < 0.8) is low


def test_same_document_in_three_encodings_gives_identical_text(tmp_path: Path) -> None:
    """Issue 2: the same document saved as UTF-8, GB18030 and UTF-16 gives identical ``text``."""
    import civicnlp
    from civicnlp.document import Document

    for codec in ("utf-8", "gb18030", "utf-16"):
        (tmp_path / f"{codec}.txt").write_bytes(SIMPLIFIED.encode(codec))
    docs = [d for d in civicnlp.extract_path(tmp_path) if isinstance(d, Document)]
    assert len(docs) == 3
    assert {d.source.encoding for d in docs} == {"utf-8", "gb18030", "utf-16"}
    assert len({d.text for d in docs}) == 1
    assert docs[0].text.startswith("关于开展冬季清洁家园行动的通知")


# ---------------------------------------------------------------- input kinds


def _docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("关于做好春耕生产的工作方案")
    d.add_paragraph("一、工作任务")
    table = d.add_table(rows=3, cols=3)
    for c, value in enumerate(["序号", "任务", "牵头单位"]):
        table.cell(0, c).text = value
    for c, value in enumerate(["1", "√", "√"]):  # equal neighbours are two cells, not one
        table.cell(1, c).text = value
    table.cell(2, 0).text = "2"
    merged = table.cell(2, 1).merge(table.cell(2, 2))  # one cell over two columns
    merged.text = "合并单元格"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内层甲"
    inner.cell(0, 1).text = "内层乙"
    d.add_paragraph("二、工作要求")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables_in_document_order() -> None:
    text = read_docx(_docx_bytes(), "plan.docx")
    assert text.split("\n") == [
        "关于做好春耕生产的工作方案",
        "一、工作任务",
        "序号\t任务\t牵头单位",
        "1\t√ 内层甲 内层乙\t√",  # a nested table stays inside its cell
        "2\t合并单元格",
        "二、工作要求",
    ]


HTML_CASES = [
    ("<p>甲</p><p>乙</p>", "甲\n乙"),
    ("<div>甲<div>乙</div>丙</div>", "甲\n乙\n丙"),
    ("<p>甲<br>乙</p>", "甲\n乙"),
    ("<p>甲  <b>乙</b>\n 丙</p>", "甲 乙 丙"),
    ("<p>\u3000\u3000一、标题</p>", "\u3000\u3000一、标题"),
    ("<p>&nbsp;缩进</p>", "\xa0缩进"),
    ("<script>var a = '脚本';</script><style>p {}</style><p>正文</p>", "正文"),
    ("<nav>导航</nav><p>正文</p>", "正文"),
    (
        "<header>页头</header><article><header><h1>标题</h1></header><p>正文</p></article><footer>页脚</footer>",
        "标题\n正文",
    ),
    (
        "<table><tr><td>1</td><td>任务</td></tr><tr><td>2</td><td><p>分</p><p>段</p></td></tr></table>",
        "1\t任务\n2\t分 段",
    ),
    ("<p hidden>藏</p><p style='display: none'>藏</p><p aria-hidden='true'>藏</p><p>显</p>", "显"),
    ("<p>甲<!-- 注释 -->乙</p>", "甲乙"),
    ("<pre>第一行\n第二行</pre>", "第一行\n第二行"),
    ("<ul><li>一项</li><li>二项</li></ul>", "一项\n二项"),
    ("<html><head><title>标签页标题</title></head><body><p>正文</p></body></html>", "正文"),
]


@pytest.mark.parametrize(("markup", "expected"), HTML_CASES, ids=[f"html-{i}" for i in range(len(HTML_CASES))])
def test_html_to_text(markup: str, expected: str) -> None:
    assert html_to_text(markup, "page.html") == expected


def test_html_deeply_nested_does_not_hit_the_recursion_limit() -> None:
    depth = 20_000  # Python's recursion limit is 1000
    markup = "<div>" * depth + "深处的文字" + "</div>" * depth + "<p>其后</p>"
    assert html_to_text(markup, "deep.html") == "深处的文字\n其后"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(
            '<meta charset="gb2312"><p>朱镕基</p>'.encode("gbk"), "gb18030", id="declared-gb2312-read-as-gb18030"
        ),
        pytest.param('<meta charset="utf-8"><p>文字</p>'.encode(), "utf-8", id="declared-utf8"),
        pytest.param('<meta charset="utf-8"><p>文字</p>'.encode("gb18030"), "gb18030", id="wrong-declaration"),
        pytest.param("<p>文字</p>".encode("utf-16"), "utf-16", id="bom"),
    ],
)
def test_read_html_encodings(data: bytes, encoding: str) -> None:
    text, enc = read_html(data, "page.html")
    assert enc == encoding
    assert text in ("朱镕基", "文字")


def test_html_fixture_page() -> None:
    (raw,) = read_file(FIXTURES / "page.html", "page.html")
    assert raw.error is None
    assert raw.text.split("\n") == [
        "关于开展冬季防火检查的通知",
        "各居民小组：",
        "为做好冬季防火工作",
        "一、全面排查隐患。",
        "段落之后的文字",
        "二、加强值班",
        "值守。",
        "序号\t任务",
        "1\t清理 楼道杂物",
        "第一行",
        "第二行",
        "\xa0全角\u3000空格",
    ]


def _kind_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    if name.endswith(".docx"):
        path.write_bytes(_docx_bytes())
    elif name.endswith((".html", ".htm")):
        path.write_text("<html><body><p>一、工作任务</p></body></html>", encoding="utf-8")
    else:
        path.write_text("一、工作任务\n", encoding="utf-8")
    return path


KINDS = [
    ("a.txt", "一、工作任务", "utf-8"),
    ("a.md", "一、工作任务", "utf-8"),
    ("a.text", "一、工作任务", "utf-8"),
    ("a.TXT", "一、工作任务", "utf-8"),
    ("a.html", "一、工作任务", "utf-8"),
    ("a.htm", "一、工作任务", "utf-8"),
    ("a.docx", "关于做好春耕生产的工作方案", "docx"),
]


@pytest.mark.parametrize(("name", "first_line", "encoding"), [pytest.param(*k, id=k[0]) for k in KINDS])
def test_input_kinds(tmp_path: Path, name: str, first_line: str, encoding: str) -> None:
    path = _kind_file(tmp_path, name)
    (raw,) = read_file(path, name)
    assert raw.error is None
    assert raw.id == name
    assert raw.encoding == encoding
    assert raw.text.split("\n")[0] == first_line


# ---------------------------------------------------------------- rows


def _rows(path: Path, **opts: str) -> list[RawDoc]:
    return list(read_file(path, path.name, ReadOptions(**opts)))  # type: ignore[arg-type]


def test_jsonl_rows_and_bad_rows() -> None:
    rows = _rows(FIXTURES / "rows.jsonl")
    got = [(r.id, r.error.code if r.error else None) for r in rows]
    assert got == [
        ("rows.jsonl:a1", None),
        ("rows.jsonl:a2", "E108"),  # no text in the text field
        ("rows.jsonl:4", "E109"),  # not JSON
        ("rows.jsonl:5", "E109"),  # not an object
        ("rows.jsonl:6", None),  # no id: the line number
    ]
    assert rows[0].text == "第一条记录的正文。"
    assert rows[0].label == "plan"
    assert "\u2028" in rows[4].text  # U+2028 inside a string does not split the line


def test_jsonl_custom_fields() -> None:
    rows = _rows(FIXTURES / "rows.jsonl", text_field="body", id_field="nope")
    ok = [r for r in rows if r.error is None]
    assert [(r.id, r.text) for r in ok] == [("rows.jsonl:3", "正文放在别的字段")]


def test_csv_rows() -> None:
    rows = _rows(FIXTURES / "rows.csv")
    assert [(r.id, r.row, r.error.code if r.error else None) for r in rows] == [
        ("rows.csv:r1", "r1", None),
        ("rows.csv:r2", "r2", "E108"),
        ("rows.csv:3", "3", None),
    ]
    assert rows[0].encoding == "utf-8"  # BOM removed, recorded as utf-8
    custom = _rows(FIXTURES / "rows.csv", text_field="body")
    assert [r.text for r in custom] == ["甲", "乙", "丙"]


def test_csv_bad_row_is_a_row_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    real = csv.field_size_limit
    old = real()
    monkeypatch.setattr(csv, "field_size_limit", lambda *_a: real(100))  # a field over 100 chars is an error
    path = tmp_path / "big.csv"
    path.write_text("id,text\n1,短\n2," + "长" * 300 + "\n3,也短\n", encoding="utf-8")
    try:
        rows = list(read_file(path, "big.csv"))
    finally:
        real(old)
    codes = [r.error.code if r.error else None for r in rows]
    assert codes[0] is None
    assert codes[1] == "E112"
    assert "row 2" in rows[1].error.message  # type: ignore[union-attr]


# ---------------------------------------------------------------- bad input


def _symlink_loop(tmp: Path) -> Path:
    os.symlink(tmp / "loop-b.txt", tmp / "loop-a.txt")
    os.symlink(tmp / "loop-a.txt", tmp / "loop-b.txt")
    return tmp / "loop-a.txt"


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.txt"
    os.mkfifo(path)
    return path


def _dir_named_txt(tmp: Path) -> Path:
    path = tmp / "folder.txt"
    path.mkdir()
    return path


def _write(name: str, data: bytes):  # type: ignore[no-untyped-def]
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return make


def _sparse_over_limit(tmp: Path) -> Path:
    path = tmp / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)  # sparse: no 50 MB written to disk
    return path


def _dangling(tmp: Path) -> Path:
    os.symlink(tmp / "nowhere.txt", tmp / "dangling.txt")
    return tmp / "dangling.txt"


BAD_INPUTS = [
    ("empty", _write("empty.txt", b""), "E101"),
    ("whitespace-only", _write("blank.txt", b" \n\t\n"), "E101"),
    ("html-without-visible-text", _write("blank.html", b"<html><script>x()</script></html>"), "E101"),
    ("binary", _write("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(100)), "E102"),
    ("undecodable", _write("bad.txt", b"\x80\x81\xfe\xff" * 40), "E103"),
    ("over-50-MB", _sparse_over_limit, "E104"),
    ("symlink-loop", _symlink_loop, "E107"),
    ("dangling-symlink", _dangling, "E107"),
    ("fifo", _fifo, "E105"),
    ("directory-named-txt", _dir_named_txt, "E105"),
    ("docx-not-a-zip", _write("fake.docx", "这不是压缩包".encode()), "E106"),
    ("docx-empty", _write("empty.docx", b""), "E101"),
    ("docx-old-word-format", _write("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)), "E106"),
]


@pytest.mark.parametrize(("maker", "code"), [pytest.param(m, c, id=i) for i, m, c in BAD_INPUTS])
def test_bad_input_gives_an_error_record(tmp_path: Path, maker, code: str) -> None:  # type: ignore[no-untyped-def]
    path = maker(tmp_path)
    (raw,) = read_file(path, path.name)
    assert raw.error is not None, raw
    assert raw.error.code == code
    assert path.name in raw.error.message
    assert raw.text == ""


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(_zip({"hello.txt": b"hi"}), "E106", id="zip-without-word-document"),
        pytest.param(_zip({"word/document.xml": b"<not xml"}), "E106", id="broken-xml"),
        pytest.param(_zip({"word/document.xml": b"0" * 5_000_000}), "E110", id="zip-bomb-ratio"),
    ],
)
def test_docx_broken_zips(tmp_path: Path, data: bytes, code: str) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    (raw,) = read_file(path, "broken.docx")
    assert raw.error is not None
    assert raw.error.code == code


def test_max_bytes_option(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(SIMPLIFIED, encoding="utf-8")
    (raw,) = read_file(path, "doc.txt", ReadOptions(max_bytes=10))
    assert raw.error is not None and raw.error.code == "E104"
    assert "--max-bytes" in raw.error.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files without read permission")
def test_file_without_read_permission(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("机密", encoding="utf-8")
    path.chmod(0)
    (raw,) = read_file(path, "secret.txt")
    assert raw.error is not None and raw.error.code == "E105"


def test_permission_denied_is_an_error_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Also under root (where chmod 000 does not stop reading): the OS refusing to open the file."""
    import errno

    path = tmp_path / "secret.txt"
    path.write_text("机密", encoding="utf-8")
    real_open = os.open

    def refuse(p, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(p) == os.fspath(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(p))
        return real_open(p, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    (raw,) = read_file(path, "secret.txt")
    assert raw.error is not None and raw.error.code == "E105"
    assert "Permission denied" in raw.error.message


def test_a_reader_bug_is_an_error_record_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from civicnlp.read import encoding

    path = tmp_path / "doc.txt"
    path.write_text("正文", encoding="utf-8")

    def boom(data: bytes, path: str) -> tuple[str, str]:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(encoding, "decode", boom)
    (raw,) = read_file(path, "doc.txt")
    assert raw.error is not None and raw.error.code == "E201"


# ---------------------------------------------------------------- finding inputs


def test_iter_inputs_sorted_recursive_and_skips_counted(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.md", "a/b/c.html", "c.docx", "d.pdf", "notes", ".hidden.txt", "~$lock.docx", "x.jsonl"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("ref", encoding="utf-8")
    os.symlink(tmp_path / "a", tmp_path / "link-to-a")
    os.mkfifo(tmp_path / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    with contextlib.suppress(OSError):
        sock.bind(str(tmp_path / "sock.txt"))
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / ".civicnlpignore").write_text("# answers\ngold.jsonl\n*.bak.txt\n", encoding="utf-8")
    (tmp_path / "ignored" / "gold.jsonl").write_text("{}", encoding="utf-8")
    (tmp_path / "ignored" / "old.bak.txt").write_text("x", encoding="utf-8")
    (tmp_path / "ignored" / "kept.txt").write_text("x", encoding="utf-8")
    skipped = Skipped()
    rels = [f.rel for f in iter_inputs([tmp_path], skipped)]
    sock.close()
    assert rels == ["a/b/c.html", "a/z.md", "b.txt", "c.docx", "ignored/kept.txt", "x.jsonl"]
    reasons = {reason: sorted(paths) for reason, paths in skipped.reasons.items()}
    assert reasons["unknown extension '.pdf'"] == ["d.pdf"]
    assert reasons["unknown extension '(none)'"] == ["notes"]
    assert reasons["hidden"] == [".git", ".hidden.txt"]
    assert reasons["office lock file"] == ["~$lock.docx"]
    assert reasons["directory link not followed"] == ["link-to-a"]
    assert "pipe.txt" in reasons["not a regular file (a pipe, socket or device)"]
    assert reasons["ignored (.civicnlpignore)"] == ["ignored/gold.jsonl", "ignored/old.bak.txt"]


def test_iter_inputs_single_files_and_linked_folder(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "docs", tmp_path / "link")
    (tmp_path / "one.md").write_text("x", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"x")
    skipped = Skipped()
    paths = [tmp_path / "one.md", tmp_path / "link", tmp_path / "photo.jpg"]
    assert [f.rel for f in iter_inputs(paths, skipped)] == ["one.md", "a.txt"]
    assert skipped.reasons == {"unknown extension '.jpg'": ["photo.jpg"]}


def test_undecodable_file_name(tmp_path: Path) -> None:
    name = os.fsdecode(b"\xff\xfe-doc.txt")
    try:
        (tmp_path / name).write_text("正文", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses undecodable names")
    (item,) = iter_inputs([tmp_path], Skipped())
    item.rel.encode("utf-8")  # valid UTF-8: the bad bytes shown as U+FFFD
    (raw,) = read_file(item.path, item.rel)
    assert raw.error is None
