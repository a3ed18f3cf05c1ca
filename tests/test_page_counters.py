"""Page counters at line starts (``1、`` ``2、`` left by a page layout) are not markers (GOLD.md,
"Tables"): not sections, not items; the real outline runs inline. Every text here is written
for these tests."""

from __future__ import annotations

import pytest

import civicnlp
from civicnlp.extractors.context import Context
from civicnlp.extractors.sections import extract_sections, page_counters

_PAGE = "全镇上下认真落实各项部署," * 22  # a page-long stretch of running text without a final stop


def counters(text: str) -> list[str]:
    return [text[a:b] for a, b in page_counters(text)]


COUNTED = [
    (
        "first-page-holds-the-outline",
        "1、镇卫生整治方案一、工作目标道路整洁。二、工作措施开展清扫,对背街小巷进行\n2、保洁。整治摊点。\n3、宣传引导。",
        ["1、", "2、", "3、"],
    ),
    (
        "after-a-file-name-line",
        "镇整治方案.docx\n1、镇整治方案为改善环境制定本方案。一、工作目标道路整洁。二、工作措施清扫\n2、道路。整治摊点。",
        ["1、", "2、"],
    ),
    (
        "page-break-cuts-a-year-heading",
        "镇治水工作汇报.docx\n\n1、镇治水工作汇报全镇河道整治稳步推进,现将有关情况汇报如下:一、20\n\n"
        "2、22年工作进展(一)健全制度,落实巡河责任。",
        ["1、", "2、"],
    ),
    ("page-long-broken-lines", f"{_PAGE}落实\n2、{_PAGE}推进\n3、工作。", ["2、", "3、"]),
]

NOT_COUNTED = [
    ("plain-list", "一、主要任务\n1、清扫道路。\n2、整治摊点。\n3、宣传引导。"),
    ("list-after-unmarked-heading", "主要任务\n1、清扫道路\n2、整治摊点\n3、宣传引导"),
    ("list-after-如下", "现将有关事项通知如下\n1、清扫道路。\n2、整治摊点。"),
    (
        "long-items-without-stops",
        "（一）重点任务\n1、加快推进道路改造，完善排水设施，提升通行能力，方便群众出行\n"
        "2、加强沿街商铺管理，规范门前三包，杜绝占道经营，营造整洁环境\n3、强化宣传。",
    ),
    ("one-broken-line-only", f"{_PAGE}落实\n2、{_PAGE}。\n3、工作。"),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in COUNTED], ids=[c[0] for c in COUNTED])
def test_page_counters_found(text: str, want: list[str]) -> None:
    assert counters(text) == want
    ctx = Context(text=text)
    markers = [s.marker for s in extract_sections(text, context=ctx)]
    assert not set(markers) & set(want)


@pytest.mark.parametrize("text", [c[1] for c in NOT_COUNTED], ids=[c[0] for c in NOT_COUNTED])
def test_real_lists_are_no_page_counters(text: str) -> None:
    assert counters(text) == []


def test_counters_skipped_by_inline_items() -> None:
    text = (
        "1、镇卫生整治实施方案一、工作目标道路整洁。二、工作措施1.清扫道路。每日清扫,并对背街小巷进行\n"
        "2、保洁。2.整治摊点。规范经营。(责任人:xxx)\n3、3.宣传引导。张贴倡议书。"
    )
    doc = civicnlp.extract(text)[0]
    assert [(a.marker, a.lead_officials) for a in doc.action_items] == [("1.", []), ("2.", ["xxx"]), ("3.", [])]
    assert doc.sections == []
