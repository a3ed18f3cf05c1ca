"""Normalization (SCHEMA.md "Normalization"): joins inside sentences, non-joins, glosses, offsets.

Every example text here is written for these tests.
"""

from __future__ import annotations

import pytest

from civicnlp.text.normalize import normalize

# a sentence of running text cut by a layout break; the opening line is a title
BODY = "社区工作简报\n"

JOINS = [
    # (id, input, normalized)
    (
        "mid-word",
        BODY + "今年三月，社区及时召\n\n开民情恳谈会，听取意见。",
        BODY + "今年三月，社区及时召开民情恳谈会，听取意见。",
    ),
    (
        "single-break",
        BODY + "各网格员要深入楼栋，逐户\n登记居民信息。",
        BODY + "各网格员要深入楼栋，逐户登记居民信息。",
    ),
    (
        "two-blank-lines",
        BODY + "全体党员干部要带头参与，主动\n\n\n承担志愿服务任务。",
        BODY + "全体党员干部要带头参与，主动承担志愿服务任务。",
    ),
    (
        "indent-dropped",
        BODY + "活动吸引了辖区居民、商户\n\u3000\u3000和驻区单位踊跃参加。",
        BODY + "活动吸引了辖区居民、商户和驻区单位踊跃参加。",
    ),
    (
        "after-comma",
        BODY + "我们清理了卫生死角三十余处，\n拆除违章搭建五处。",
        BODY + "我们清理了卫生死角三十余处，拆除违章搭建五处。",
    ),
    (
        "before-quote",
        BODY + "社区广泛开展主题宣传，倡导\n“文明出行”的新风尚。",
        BODY + "社区广泛开展主题宣传，倡导“文明出行”的新风尚。",
    ),
    ("digits-continue", BODY + "全年累计服务群众，共计\n3200人次。", BODY + "全年累计服务群众，共计3200人次。"),
    (
        "item-body-wrap",
        BODY + "1、加强领导。成立由书记任组长的工作专班，负\n责统筹协调。",
        BODY + "1、加强领导。成立由书记任组长的工作专班，负责统筹协调。",
    ),
    (
        "item-ends-with-comma",
        BODY + "（三）各村要结合实际制定方案，\n明确时间表和路线图。",
        BODY + "（三）各村要结合实际制定方案，明确时间表和路线图。",
    ),
    (
        "traditional",
        BODY + "社區工作人員深入走訪，了解\n居民的實際困難。",
        BODY + "社區工作人員深入走訪，了解居民的實際困難。",
    ),
]

NON_JOINS = [
    ("sentence-end", BODY + "今年工作取得明显成效。\n明年将继续努力。"),
    ("exclamation", BODY + "让我们携手共建美好家园！\n倡议人：某某社区"),
    ("semicolon", BODY + "一要提高认识；\n二要落实责任。"),
    ("colon", BODY + "现将有关情况报告如下：\n一、基本情况"),
    ("title-to-body", "关于开展垃圾分类的倡议书\n各位居民朋友们，大家好。"),
    ("title-ending-doc-word", BODY + "某某街道关于开展文明创建活动的工作方案\n为推进创建工作，特制定本方案。"),
    ("heading-to-body", BODY + "一、领导重视，落实监管责任\n乡里成立了工作领导小组。"),
    ("heading-to-part-title", BODY + "二、加强宣传，营造氛围\n\n某某工作总结篇2"),
    ("outline-heading", BODY + "1.1 编制目的\n为做好防汛工作，制定本预案。"),
    ("next-is-marker", BODY + "社区认真落实各项工作，主要做法有\n1、加强组织领导。"),
    ("next-is-cn-paren", BODY + "全年共开展活动十二场，其中包括\n（一）文艺演出。"),
    ("next-is-label", BODY + "领导小组下设办公室，负责日常协调\n组长：张某"),
    ("next-is-page-number", BODY + "各部门要加强协作，形成工作\n12\n合力。"),
    ("short-label-line", BODY + "活动地点\n社区广场"),
    ("table-row", BODY + "| 序号 | 项目，内容 |\n| 1 | 义诊 |"),
    ("no-prose-punct", BODY + "某某县人民政府办公室关于印发某某应急预案的通知文件\n各乡镇人民政府"),
    ("signature", BODY + "某某社区居民委员会\n2023年5月1日"),
    ("first-line-is-title", "凝心聚力，共建文明城市\n全体居民朋友们"),
    ("blank-lines-over-limit", BODY + "社区组织志愿者清理卫生死角，共\n\n\n\n计二十处。"),
]


@pytest.mark.parametrize(("raw", "expected"), [j[1:] for j in JOINS], ids=[j[0] for j in JOINS])
def test_joins(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize("raw", [n[1] for n in NON_JOINS], ids=[n[0] for n in NON_JOINS])
def test_non_joins(raw: str) -> None:
    assert normalize(raw).text == raw


GLOSSES = [
    ("鄉(xiāng)鎮(zhèn)人民政府", "鄉鎮人民政府"),
    ("社區(qū)工作總結(jié)", "社區工作總結"),
    ("全角括號（guó）家", "全角括號家"),
    ("聲調數字(xiang1)鎮", "聲調數字鎮"),
    ("製造執行系統(MES)上線", "製造執行系統(MES)上線"),
    ("應用程序(app)推廣", "應用程序(app)推廣"),
    ("無聲調(de)不刪", "無聲調(de)不刪"),
    ("前面不是漢字 (xiāng) 保留", "前面不是漢字 (xiāng) 保留"),
]


@pytest.mark.parametrize(("raw", "expected"), GLOSSES, ids=[g[1][:6] for g in GLOSSES])
def test_pinyin_glosses(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


KEPT = [
    ("nbsp-and-ideographic-space", "一、\xa0总体要求\n\u3000\u3000正文。"),
    ("full-width-digits", "全年完成１２３件。"),
    ("placeholders", "xxx同志、×××同志、某某同志□出席。"),
    ("traditional-characters", "堅持以人民為中心。"),
    ("typos-stay", "加强组织领道。"),
]


@pytest.mark.parametrize("raw", [k[1] for k in KEPT], ids=[k[0] for k in KEPT])
def test_nothing_else_rewritten(raw: str) -> None:
    assert normalize(raw).text == raw


def test_crlf() -> None:
    assert normalize("标题\r\n正文。\r\n").text == "标题\n正文。\n"
    assert normalize("甲。\r乙。").text == "甲。\n乙。"


OFFSET_CASES = [
    "社区工作简报\n今年三月，社区及时召\n\n开民情恳谈会，听取意见。\r\n鄉(xiāng)鎮(zhèn)幹部參加。",
    "标题\r\n\r\n各网格员要深入楼栋，逐户\n\u3000\u3000登记居民信息。",
    "社區(qū)服務中心",
]


@pytest.mark.parametrize("raw", OFFSET_CASES, ids=["wrap+gloss", "crlf+indent", "gloss-only"])
def test_offsets_map_back_to_the_source(raw: str) -> None:
    norm = normalize(raw)
    for pos, ch in enumerate(norm.text):
        src = norm.source_offset(pos)
        if ch == "\n":
            assert raw[src] in "\r\n"
        else:
            assert raw[src] == ch, (pos, ch)


def test_offsets_identity_without_changes() -> None:
    norm = normalize("一行文字。")
    assert [norm.source_offset(i) for i in range(5)] == [0, 1, 2, 3, 4]
