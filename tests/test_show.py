"""``civicnlp show``: the terminal view, the HTML page (structure, and Chromium where installed)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from civicnlp.cli import main
from civicnlp.cli.show import split_part
from civicnlp.document import (
    ActionItem,
    DateItem,
    DocType,
    Document,
    Metric,
    Official,
    Person,
    Phase,
    Section,
    Source,
    Unit,
)
from civicnlp.show import KINDS, render_html, render_terminal
from civicnlp.show.format import highlights

# A plan written for these tests (not from any corpus).
PLAN = """关于开展河道清洁专项行动的工作方案

为改善辖区水环境，决定开展河道清洁专项行动，覆盖沿河居民3200户。

一、主要任务
1、开展河岸垃圾清理。组织志愿者清理漂浮物。（牵头领导：王明；责任单位：城建办、各社区）
2、整治沿河违章搭建。6月底前全部拆除。（牵头领导：李华；责任单位：执法中队）

二、实施步骤
（一）动员部署阶段（2024年5月1日-5月15日）。召开动员大会。
（二）巩固提升阶段（2024年10月）。完善机制。
领导小组由张立群书记任组长。
"""


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _document() -> Document:
    """A hand-built record of PLAN with every field filled (independent of the extractors)."""
    t = PLAN
    doc = Document(id="plan.txt", source=Source("plan.txt"), text=t, title="关于开展河道清洁专项行动的工作方案")
    doc.doc_type = DocType("plan", 0.91, {"plan": 0.91, "report": 0.04, "summary": 0.03, "initiative": 0.02})
    s1, s2 = t.index("一、主要任务"), t.index("二、实施步骤")
    i1, i2 = t.index("1、开展"), t.index("2、整治")
    p1, p2 = t.index("（一）"), t.index("（二）")
    doc.sections = [
        Section("s1", None, 1, "一、", 1, "主要任务", s1, s2, s1 + 2, s1 + 6),
        Section("s2", "s1", 2, "1、", 1, "开展河岸垃圾清理", i1, i2, i1 + 2, i1 + 10),
        Section("s3", "s1", 2, "2、", 2, "整治沿河违章搭建", i2, s2, i2 + 2, i2 + 10),
        Section("s4", None, 1, "二、", 2, "实施步骤", s2, len(t), s2 + 2, s2 + 6),
    ]
    item1 = t[i1 : t.index("\n", i1)]
    item2 = t[i2 : t.index("\n", i2)]
    doc.action_items = [
        ActionItem("s1", "1、", 1, item1, ["王明"], ["城建办", "各社区"], None, i1, i1 + len(item1)),
        ActionItem("s1", "2、", 2, item2, ["李华"], ["执法中队"], "XXXX-06", i2, i2 + len(item2), deadline_mod="end"),
    ]
    ph1 = t[p1 : t.index("\n", p1)]
    ph2 = t[p2 : t.index("\n", p2)]
    doc.phases = [
        Phase("动员部署阶段", "2024-05-01", "2024-05-15", ph1, p1, p1 + len(ph1)),
        Phase("巩固提升阶段", "2024-10", "2024-10", ph2, p2, p2 + len(ph2), end_mod="end"),
    ]
    doc.responsible_units = [Unit(name, name, *_at(t, name)) for name in ("城建办", "各社区", "执法中队")]
    doc.lead_officials = [Official(name, False, name, *_at(t, name)) for name in ("王明", "李华")]
    doc.people = [Person("张立群", "书记", "组长", "张立群书记", *_at(t, "张立群书记"))]
    doc.dates = [
        DateItem(
            "2024年5月1日-5月15日",
            "range",
            {"start": "2024-05-01", "end": "2024-05-15"},
            *_at(t, "2024年5月1日-5月15日"),
        ),
        DateItem("6月底", "date", "XXXX-06", *_at(t, "6月底"), mod="end", resolved="2024-06"),
        DateItem("2024年10月", "date", "2024-10", *_at(t, "2024年10月")),
    ]
    doc.metrics = [Metric("3200户", 3200, "户", "沿河居民", False, *_at(t, "3200户"))]
    doc.warnings = ["a warning for the view"]
    return doc


@pytest.fixture
def record() -> dict[str, Any]:
    rec = _document().to_dict()
    for field in ("sections", "action_items", "phases", "responsible_units", "dates", "metrics", "people"):
        for entry in rec[field]:
            if "text" in entry:
                assert rec["text"][entry["start"] : entry["end"]] == entry["text"], entry
    return rec


def _terminal(record: dict[str, Any]) -> str:
    console = Console(file=io.StringIO(), width=160, record=True, color_system=None)
    render_terminal(record, console)
    return console.export_text()


# --- terminal ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expected",
    [
        "关于开展河道清洁专项行动的工作方案",
        "plan 0.91",
        "report 0.04",
        "一、 主要任务",
        "1、 开展河岸垃圾清理",
        "Action items (2)",
        "城建办、各社区",
        "执法中队",
        "王明",
        "XXXX-06 (end)",
        "● 动员部署阶段  2024-05-01 → 2024-05-15",
        "2024-05-01 → 2024-05-15",
        "2024-10 → 2024-10 (end)",
        "Metrics (1)",
        "沿河居民",
        "张立群 书记 (组长)",
        "a warning for the view",
    ],
)
def test_terminal_view_shows(record: dict[str, Any], expected: str) -> None:
    assert expected in _terminal(record)


def test_terminal_outline_is_a_tree(record: dict[str, Any]) -> None:
    lines = _terminal(record).splitlines()
    top = next(i for i, line in enumerate(lines) if "一、 主要任务" in line)
    child = next(i for i, line in enumerate(lines) if "1、 开展河岸垃圾清理" in line)
    assert child > top
    assert lines[child].index("1、") > lines[top].index("一、")  # indented under its parent


def test_terminal_phases_in_order(record: dict[str, Any]) -> None:
    out = _terminal(record)
    assert out.index("动员部署阶段  2024") < out.index("巩固提升阶段  2024")


def test_terminal_says_what_is_missing() -> None:
    rec = Document(id="x", source=Source("x"), text="一段没有结构的文字。").to_dict()
    out = _terminal(rec)
    assert "no model loaded" in out
    assert "none found: action items, phases, dates, metrics" in out


# --- HTML, structurally -------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects what the tests check: tags, ids, links, the highlighted text per character."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[dict[str, str | None]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.text_chars: list[tuple[str, frozenset[str]]] = []
        self.rows: dict[str, int] = {}
        self._stack: list[tuple[str, frozenset[str]]] = []
        self._in_text = 0
        self._section: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        self.attrs.append(a)
        classes = frozenset((a.get("class") or "").split())
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "section":
            self._section.append(next(iter(classes), ""))
        if tag == "tr" and self._section and self.tags[-2:-1] != ["thead"]:
            self.rows[self._section[-1]] = self.rows.get(self._section[-1], 0) + 1
        if tag == "div" and "doc-text" in classes:
            self._in_text += 1
        if tag in ("div", "span", "section") and self._in_text:
            self._stack.append((tag, frozenset(c[2:] for c in classes if c.startswith("k-"))))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self._section:
            self._section.pop()
        if tag in ("div", "span", "section") and self._in_text:
            self._stack.pop()
            if tag == "div" and not self._stack:
                self._in_text -= 1

    def handle_data(self, data: str) -> None:
        if self._in_text:
            kinds = frozenset().union(*(k for _, k in self._stack))
            self.text_chars.extend((ch, kinds) for ch in data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def test_html_is_self_contained(record: dict[str, Any]) -> None:
    page = render_html([record])
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    parsed = _parse(page)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(parsed.tags)
    assert not any("src" in a for a in parsed.attrs)
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(", page)
    assert parsed.tags.count("style") == 1


def test_html_text_is_the_record_text_with_every_span_highlighted(record: dict[str, Any]) -> None:
    parsed = _parse(render_html([record]))
    assert "".join(ch for ch, _ in parsed.text_chars) == record["text"]
    expected: list[set[str]] = [set() for _ in record["text"]]
    for h in highlights(record):
        for i in range(h.start, h.end):
            expected[i].add(h.kind.key)
    assert [set(k) for _, k in parsed.text_chars] == expected
    # every kind of the hand-built record is present
    assert set().union(*expected) == {k.key for k in KINDS}


def test_html_outline_links_resolve(record: dict[str, Any]) -> None:
    parsed = _parse(render_html([record]))
    targets = [link[1:] for link in parsed.links if link.startswith("#")]
    assert len(targets) == len(record["sections"])
    assert set(targets) <= parsed.ids


@pytest.mark.parametrize(("section", "field"), [("items", "action_items"), ("metrics", "metrics"), ("dates", "dates")])
def test_html_tables_have_a_row_per_entry(record: dict[str, Any], section: str, field: str) -> None:
    parsed = _parse(render_html([record]))
    assert parsed.rows.get(section, 0) == len(record[field])


@pytest.mark.parametrize(
    "expected",
    [
        "plan 0.91",
        "城建办、各社区",
        "XXXX-06 (end)",
        "动员部署阶段",
        "2024-10 → 2024-10 (end)",
        "沿河居民",
        "a warning for the view",
    ],
)
def test_html_shows(record: dict[str, Any], expected: str) -> None:
    assert expected in render_html([record])


def test_html_escapes_the_text() -> None:
    rec = Document(id="x", source=Source("x"), text="<script>alert(1)</script> & 一、标题").to_dict()
    page = render_html([rec])
    assert "<script>" not in page and "&lt;script&gt;" in page


# --- the command ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("a.txt", ("a.txt", None)),
        ("a.txt#4", ("a.txt", 4)),
        ("dir/篇#12", ("dir/篇", 12)),
        ("a.txt#x", ("a.txt#x", None)),
        ("#3", ("#3", None)),
    ],
    ids=["plain", "part", "cjk-part", "not-a-number", "no-file"],
)
def test_split_part(arg: str, expected: tuple[str, int | None]) -> None:
    assert split_part(arg) == expected


def test_split_part_prefers_an_existing_file(tmp_path: Path) -> None:
    odd = tmp_path / "x#2"
    odd.write_text("一", encoding="utf-8")
    assert split_part(str(odd)) == (str(odd), None)


def test_cli_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "plan.txt"
    f.write_text(PLAN, encoding="utf-8")
    assert main(["show", str(f), "--width", "140"]) == 0
    out = capsys.readouterr().out
    assert "关于开展河道清洁专项行动的工作方案" in out
    assert "主要任务" in out


def test_cli_html(tmp_path: Path) -> None:
    f = tmp_path / "plan.txt"
    f.write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out.html"
    assert main(["show", str(f), "--html", str(out)]) == 0
    parsed = _parse(out.read_text(encoding="utf-8"))
    assert "".join(ch for ch, _ in parsed.text_chars) == PLAN.strip("\n")
    assert "heading" in set().union(*(k for _, k in parsed.text_chars))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "{dir}/missing.txt"], 2, "E401"),
        (["show", "{dir}/plan.txt", "--part", "3"], 2, "E404"),
        (["show", "{dir}/plan.txt#2"], 2, "E404"),
        (["show", "{dir}/empty.txt"], 1, "E101"),
    ],
    ids=["missing", "part-out-of-range", "hash-part-out-of-range", "unreadable"],
)
def test_cli_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main([a.format(dir=tmp_path) for a in args]) == code
    assert message in capsys.readouterr().err


def test_cli_picks_a_part_of_a_compilation(shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import civicnlp

    src = shared / "gold" / "seed-compilation.txt"
    record = civicnlp.extract(src.read_text(encoding="utf-8"))[3].to_dict()
    out = tmp_path / "p4.html"
    assert main(["show", f"{src}#4", "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count('<article class="doc"') == 1
    assert "part 4/" in page
    parsed = _parse(page)
    assert "".join(ch for ch, _ in parsed.text_chars) == record["text"]
    assert parsed.rows.get("items", 0) == len(record["action_items"])
    assert main(["show", str(src), "--part", "4", "--width", "140"]) == 0
    assert record["title"] in capsys.readouterr().out


# --- in a real browser --------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _screenshot(page: Path, png: Path) -> list[str]:
    """Render ``page`` in headless Chromium; returns the console messages it logged."""
    assert CHROMIUM is not None
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1280,1600",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install -y chromium fonts-wqy-microhei)"
)


@needs_chromium
def test_chromium_catches_console_errors(tmp_path: Path) -> None:
    """The check below can fail: a page that logs an error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><script>console.error("boom")</script>x</body></html>')
    assert any("boom" in line for line in _screenshot(bad, tmp_path / "bad.png"))


@needs_chromium
def test_html_renders_in_chromium_without_console_errors(record: dict[str, Any], tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(render_html([record]), encoding="utf-8")
    png = tmp_path / "page.png"
    assert _screenshot(page, png) == []
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 1600)
    assert len(data) > 20_000  # a page with content, not a blank image
