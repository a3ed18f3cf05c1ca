"""Make a folder of hostile inputs for ``civicnlp extract``: broken, huge, tricky and malicious.

    python tests/hostile/make_hostile.py DIR [--small]

Every input is generated here, at test time (the large ones would bloat the repository); the
texts are made up for this purpose. ``make_hostile(folder)`` returns one ``Hostile`` per input,
saying what it is and what the run should make of it: ``"record"`` (a document, possibly partial),
``"error"`` (an error record with that code), ``"rows"`` (a table: some rows records, some error
records) or ``"skip"`` (not read, counted as skipped). ``small=True`` shrinks the two giant
inputs (50 MB on one line, a million lines) for quick local runs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Hostile", "make_hostile"]

# a made-up civic sentence, repeated to build big texts
_SENTENCE = "社区开展垃圾分类宣传活动，发放宣传单3000份，覆盖居民1200户，责任单位：街道办事处。"
_MINIMAL_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    ),
}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True)
class Hostile:
    """One hostile input: its name in the folder, what it is, and what the run should give."""

    name: str
    kind: str
    expect: str  # record | error | rows | skip
    code: str | None = None  # the error code, for expect == "error"


def _docx(parts: dict[str, str | bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _document_xml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def make_hostile(folder: Path, *, small: bool = False) -> list[Hostile]:
    """Write the hostile inputs into ``folder`` (created); returns what each one is."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20240901)
    out: list[Hostile] = []

    def add(name: str, data: bytes | str, kind: str, expect: str, code: str | None = None) -> None:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        out.append(Hostile(name, kind, expect, code))

    # -- bytes that are not text ---------------------------------------------------------
    add("empty.txt", b"", "an empty file", "error", "E101")
    add("blank.txt", " \n\t\u3000\n" * 50, "only white space", "error", "E101")
    add("binary.txt", bytes(rng.getrandbits(8) for _ in range(64 * 1024)), "random bytes", "error")
    add("nul_laden.txt", ("通知" + "\x00" * 7) * 3000, "text full of NUL bytes", "error", "E102")
    add("png_named_txt.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "a PNG named .txt", "error", "E102")
    good = ("关于开展环境整治的通知\n" + _SENTENCE * 20 + "\n").encode("utf-8")
    add("truncated_utf8.txt", good[:-2] + "二".encode()[:2], "UTF-8 cut in the middle of a character", "record")
    mixed = "\n".join(_SENTENCE for _ in range(30))
    add(
        "mixed_encodings.txt",
        mixed[:200].encode("utf-8") + mixed[200:400].encode("gb18030") + mixed[400:].encode("big5", "replace"),
        "UTF-8, GB18030 and Big5 in one file",
        "record_or_error",
    )
    add("utf16_no_bom.txt", ("倡议书\n" + _SENTENCE * 10).encode("utf-16-le"), "UTF-16 without a BOM", "record")
    add(
        "bom_then_garbage.txt",
        b"\xef\xbb\xbf" + bytes(rng.getrandbits(8) for _ in range(4096)),
        "a BOM, then noise",
        "error",
    )
    # -- Word files that are not Word files ------------------------------------------------
    add("not_a_zip.docx", "这不是一个Word文件，只是文字。\n" * 20, "text named .docx", "error", "E106")
    add("truncated.docx", _docx({**_MINIMAL_DOCX_PARTS, "word/document.xml": _document_xml(_paragraph("半截"))})[:300],
        "a .docx cut short", "error", "E106")  # fmt: skip
    add("no_document_xml.docx", _docx({"hello.txt": "你好"}), "a zip without word/document.xml", "error", "E106")
    with zipfile.ZipFile(folder / "zip_bomb.docx", "w", zipfile.ZIP_DEFLATED) as zf:
        for name, part in {**_MINIMAL_DOCX_PARTS, "word/document.xml": _document_xml(_paragraph("炸弹"))}.items():
            zf.writestr(name, part)
        with zf.open("word/zeros.bin", "w") as fh:  # written in pieces: the generator stays small too
            for _ in range(64):
                fh.write(bytes(1 << 20))
    out.append(Hostile("zip_bomb.docx", "a zip bomb: 64 MiB of zeros packed into a small .docx", "error", "E110"))
    many = {**_MINIMAL_DOCX_PARTS, "word/document.xml": _document_xml(_paragraph("条目"))}
    many.update({f"word/media/x{i}.xml": "" for i in range(2500)})
    add("many_entries.docx", _docx(many, compression=zipfile.ZIP_STORED), "a .docx with 2 500 entries", "error", "E110")
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f']><w:document xmlns:w="{_W}"><w:body>{_paragraph("&j;")}</w:body></w:document>'
    )
    add("xml_bomb.docx", _docx({**_MINIMAL_DOCX_PARTS, "word/document.xml": laughs}), "billion laughs in document.xml",
        "record_or_error")  # fmt: skip
    add("broken_xml.docx", _docx({**_MINIMAL_DOCX_PARTS, "word/document.xml": "<w:document><w:body><w:p>"}),
        "a .docx whose XML is broken", "error", "E106")  # fmt: skip
    # -- HTML --------------------------------------------------------------------------------
    depth = 20_000 if small else 100_000
    add("deeply_nested.html", "<div>" * depth + "深处的一句话。" + "</div>" * depth, f"{depth} nested <div>", "record")
    add("script_only.html", "<html><head><script>" + "var a=1;" * 5000 + "</script></head><body></body></html>",
        "HTML with script only", "error", "E101")  # fmt: skip
    add(
        "bogus_charset.html",
        '<meta charset="x-no-such-codec"><p>' + _SENTENCE + "</p>",
        "HTML declaring a bogus charset",
        "record",
    )
    # -- tables ------------------------------------------------------------------------------
    rows = [
        json.dumps({"id": "ok", "text": _SENTENCE}, ensure_ascii=False),
        "{not json",
        "[1, 2, 3]",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "num-text", "text": 12345}),
        "[" * 100_000,
        json.dumps({"id": "nested", "text": _SENTENCE, "x": [[[[[[]]]]]]}, ensure_ascii=False),
    ]
    add("bad_rows.jsonl", "\n".join(rows) + "\n", "JSON Lines with bad rows", "rows")
    add(
        "ragged.csv", "id,text\n1," + _SENTENCE + '\n2\n3,a,b,c,d\n4,"unterminated\n5,\x00nul\n', "a ragged CSV", "rows"
    )
    # -- backtracking bait and storms ---------------------------------------------------------
    add("digit_run.txt", "共有" + "9" * 200_000 + "户", "200 000 digits in a row", "record")
    add("huge_numbers.txt", "\n".join(f"第{k}项：共计" + "9" * 400 + "万户，约" + "九" * 300 + "人" for k in range(20)),
        "numbers far beyond float range", "record")  # fmt: skip
    add("marker_storm.txt", "一、" * 200_000, "一、 repeated 200 000 times", "record")
    add(
        "paren_storm.txt", "（" * 100_000 + "责任单位：" + "、" * 100_000, "unclosed brackets and list commas", "record"
    )
    add("date_storm.txt", "2020年1月1日至" * 50_000, "a chain of 50 000 date ranges", "record")
    add("cue_storm.txt", ("责任单位：" + "牵头领导：") * 40_000, "cue words with nothing after them", "record")
    add("name_storm.txt", "张书记" * 100_000, "a title after a surname, 100 000 times", "record")
    # -- big inputs ------------------------------------------------------------------------------
    line_bytes = 2_000_000 if small else 50_000_000
    unit = _SENTENCE.encode("utf-8")
    with open(folder / "giant_line.txt", "wb") as fh:
        for _ in range(line_bytes // len(unit)):
            fh.write(unit)
    out.append(Hostile("giant_line.txt", f"{line_bytes:,} bytes on one line", "record"))
    lines = 20_000 if small else 1_000_000
    with open(folder / "million_lines.txt", "wb") as fh:
        chunk = ("一、加强领导\n" + "（一）责任单位：街道\n" + "第三条 2020年\n" + "1.完成100户\n") * 1000
        for _ in range(lines // 4000):
            fh.write(chunk.encode("utf-8"))
    out.append(Hostile("million_lines.txt", f"{lines:,} short lines", "record"))
    with open(folder / "over_limit.txt", "wb") as fh:  # sparse: costs no disk
        fh.truncate(60 * 1024 * 1024)
    out.append(Hostile("over_limit.txt", "60 MiB, over the 50 MiB limit", "error", "E104"))
    # -- file-system oddities --------------------------------------------------------------------
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    out += [Hostile("loop_a.txt", "a symbolic link loop", "error", "E107")]
    out += [Hostile("loop_b.txt", "a symbolic link loop", "error", "E107")]
    os.symlink("no_such_file.txt", folder / "dangling.txt")
    out.append(Hostile("dangling.txt", "a link to nothing", "error", "E107"))
    os.mkfifo(folder / "fifo.txt")
    out.append(Hostile("fifo.txt", "a named pipe called .txt", "skip"))
    add("unreadable.txt", _SENTENCE, "a file without read permission", "error_unless_privileged", "E105")
    os.chmod(folder / "unreadable.txt", 0)
    bad_name = os.fsencode(folder) + b"/bad_name_\xff\xfe.txt"
    with open(bad_name, "wb") as fh:
        fh.write(("非UTF-8文件名\n" + _SENTENCE).encode("utf-8"))
    out.append(Hostile(os.fsdecode(b"bad_name_\xff\xfe.txt"), "a file name that is not UTF-8", "record"))
    os.mkdir(folder / "dir_named.txt")
    out.append(Hostile("dir_named.txt", "a folder named .txt (read as a folder: empty)", "skip"))
    add("no_extension", _SENTENCE, "a file with no extension", "skip")
    return out


def main() -> None:
    """``python tests/hostile/make_hostile.py DIR [--small]``: write the inputs, list them."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--small", action="store_true", help="shrink the two giant inputs")
    args = ap.parse_args()
    for h in make_hostile(args.folder, small=args.small):
        print(f"{h.name!a:32} {h.expect:8} {h.code or '':5} {h.kind}")


if __name__ == "__main__":
    main()
