"""Sections: marker families, levels and parents, heading cleaning, numbering typos, non-sections.

Every example text here is written for these tests.
"""

from __future__ import annotations

import pytest

from civicnlp.extractors.context import Context
from civicnlp.extractors.sections import clean_heading, extract_sections
from civicnlp.text.markers import cn_number, is_heading_line, match_marker


def sections(text: str) -> list[tuple[str, str, int, str | None]]:
    """(marker, heading, level, parent marker) of every section of ``text``."""
    ctx = Context(text=text)
    secs = extract_sections(text, context=ctx)
    by_id = {s.id: s for s in secs}
    return [(s.marker, s.heading, s.level, by_id[s.parent].marker if s.parent else None) for s in secs]


def headings(text: str) -> list[str]:
    return [h for _, h, _, _ in sections(text)]


# --------------------------------------------------------------------------- marker families

FAMILIES = [
    # line, family, number, marker as written
    ("一、加强组织领导", "cn", 1, "一、"),
    ("十二、其他事项", "cn", 12, "十二、"),
    ("三．工作要求", "cn", 3, "三．"),
    ("四, 保障措施", "cn", 4, "四,"),
    ("一、2023年工作回顾", "cn", 1, "一、"),
    ("（一）指导思想", "cn_paren", 1, "（一）"),
    ("(二)基本原则", "cn_paren", 2, "(二)"),
    ("（ 三 ）实施步骤", "cn_paren", 3, "（ 三 ）"),
    ("〔四〕工作要求", "cn_paren", 4, "〔四〕"),
    ("五）落实责任", "cn_paren", 5, "五）"),
    ("㈡宣传发动", "cn_paren", 2, "㈡"),
    ("1.明确目标", "arabic_dot", 1, "1."),
    ("2. 细化任务", "arabic_dot", 2, "2."),
    ("3．压实责任", "arabic_dot", 3, "3．"),
    ("4﹒强化督查", "arabic_dot", 4, "4﹒"),
    ("⒌总结提高", "arabic_dot", 5, "⒌"),
    ("1、成立工作专班", "arabic_dun", 1, "1、"),
    ("12、完善台账", "arabic_dun", 12, "12、"),
    ("１、全角数字", "arabic_dun", 1, "１、"),
    ("１０．全角十", "arabic_dot", 10, "１０．"),
    ("3,落实经费", "arabic_dun", 3, "3,"),
    ("(1)入户走访", "arabic_paren", 1, "(1)"),
    ("（2）集中整治", "arabic_paren", 2, "（2）"),
    ("（１）全角括号", "arabic_paren", 1, "（１）"),
    ("⑶巩固提升", "arabic_paren", 3, "⑶"),
    ("1）张贴海报", "arabic_half_paren", 1, "1）"),
    ("2)发放传单", "arabic_half_paren", 2, "2)"),
    ("①清理杂物", "circled", 1, "①"),
    ("⑩建立台账", "circled", 10, "⑩"),
    ("❸定期回访", "circled_neg", 3, "❸"),
    ("第一章 总则", "chapter", 1, "第一章"),
    ("第十二章 附则", "chapter", 12, "第十二章"),
    ("第一节 工作目标", "section", 1, "第一节"),
    ("第一条 为规范管理，制定本办法。", "article", 1, "第一条"),
    ("第二十三条 本办法自发布之日起施行。", "article", 23, "第二十三条"),
    ("第二部分 主要任务", "part", 2, "第二部分"),
    ("2.1 组织机构", "outline2", 1, "2.1"),
    ("2.1.3 现场处置", "outline3", 3, "2.1.3"),
    ("２.３ 全角大纲", "outline2", 3, "２.３"),
    ("1.1.编制目的", "outline2", 1, "1.1."),
    ("1 总则", "outline1", 1, "1"),
    ("3应急响应", "outline1", 3, "3"),
    ("\u3000\u3000二、缩进的标题", "cn", 2, "二、"),
    ("\u2003\u20035.全角空格缩进", "arabic_dot", 5, "5."),
]


@pytest.mark.parametrize(("line", "family", "number", "marker"), FAMILIES, ids=[f[0][:8] for f in FAMILIES])
def test_marker_family(line: str, family: str, number: int, marker: str) -> None:
    mk = match_marker(line)
    assert mk is not None
    assert (mk.family, mk.number, mk.text) == (family, number, marker)


NOT_MARKERS = [
    "一是加强领导，二是完善制度。",
    "一年来，我们做了大量工作。",
    "2023年工作要点",
    "1月9日上午，社区开展义诊。",
    "0.7平方公里的辖区内",
    "1,000人参加活动",
    "十三五期间成效显著",
    "二〇二三年五月",
    "Ⅰ级响应",
    "（2022年修订）",
    "（5个）",
    "| 1 | 组织领导 |",
    "第一篇文章",
    "",
]


@pytest.mark.parametrize("line", NOT_MARKERS, ids=[n[:8] or "empty" for n in NOT_MARKERS])
def test_not_a_marker(line: str) -> None:
    assert match_marker(line) is None


WEAK = [
    ("2.1 组织机构", True),
    ("1 总则", True),
    ("1、1月9日，社区开展义诊。", True),
    ("3.2平方公里", True),
    ("1、成立专班", False),
    ("一、总体要求", False),
]


@pytest.mark.parametrize(("line", "weak"), WEAK, ids=[w[0][:8] for w in WEAK])
def test_weak_markers_need_their_sequence(line: str, weak: bool) -> None:
    mk = match_marker(line)
    assert mk is not None and mk.weak is weak


@pytest.mark.parametrize(
    ("line", "heading"),
    [("2.1 组织机构", True), ("3.2平方公里的湿地得到修复，成效明显", False), ("1、开展巡查", True)],
)
def test_is_heading_line(line: str, heading: bool) -> None:
    assert is_heading_line(line) is heading


@pytest.mark.parametrize(
    ("s", "n"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("九十九", 99),
        ("一百零二", 102),
        ("12", 12),
        ("１２", 12),
        ("两", 2),
    ],
)
def test_cn_number(s: str, n: int) -> None:
    assert cn_number(s) == n


# --------------------------------------------------------------------------- heading cleaning

HEADINGS = [
    ("加强组织领导。成立由书记任组长的领导小组。", "加强组织领导"),
    ("工作目标：到年底完成改造。", "工作目标"),
    ("活动时间:每周六上午", "活动时间"),
    ("9:30在广场集合", "9:30在广场集合"),
    ("部署阶段（3月1日-3月15日）", "部署阶段"),
    ("攻坚阶段(2024年4月至6月)。全面推进。", "攻坚阶段"),
    ("巩固阶段□5月1日-5月31日）。开展回头看。", "巩固阶段"),
    ("整治背街小巷（牵头单位：城管中队；配合单位：各社区）", "整治背街小巷"),
    ("规范停车秩序（责任人：xxx）", "规范停车秩序"),
    ("强化宣传引导（试行）", "强化宣传引导（试行）"),
    ("总体要求………………………………3", "总体要求"),
    ("保障措施.............12", "保障措施"),
    ("工作原则\t5", "工作原则"),
    ("组织机构 PAGEREF _Toc12345 \\h 7", "组织机构"),
    ("深化文明创建，提升城市品质；", "深化文明创建，提升城市品质"),
    ("营造浓厚氛围!", "营造浓厚氛围"),
    ("编制依据 依据有关法律法规，结合本镇实际，制定本预案。", "编制依据"),
    ("适用范围 本预案适用于全镇范围内各类灾害的应急处置工作。", "适用范围"),
    ("凝聚合力 共建家园", "凝聚合力 共建家园"),
    ("夯实基础 提升水平。全面完成各项任务。", "夯实基础 提升水平"),
    ("  前后空格  ", "前后空格"),
    ("对上一年度营业收入 10 亿元以上的企业，给予补贴", "对上一年度营业收入 10 亿元以上的企业，给予补贴"),
    ("规范 OTA 升级备案，加强统筹管理", "规范 OTA 升级备案，加强统筹管理"),
    ("主动掌握分类知识(分类容器有四种:蓝色、绿色)", "主动掌握分类知识(分类容器有四种"),
]


@pytest.mark.parametrize(("raw", "heading"), HEADINGS, ids=[h[1][:10] for h in HEADINGS])
def test_clean_heading(raw: str, heading: str) -> None:
    assert clean_heading(raw) == heading


# --------------------------------------------------------------------------- levels and parents

LEVEL_DOCS = [
    (
        "typical-gongwen",
        "某某工作方案\n一、总体要求\n（一）指导思想\n1.坚持问题导向\n(1)摸清底数\n①逐户登记\n二、主要任务\n（一）整治环境",
        [
            ("一、", "总体要求", 1, None),
            ("（一）", "指导思想", 2, "一、"),
            ("1.", "坚持问题导向", 3, "（一）"),
            ("(1)", "摸清底数", 4, "1."),
            ("①", "逐户登记", 5, "(1)"),
            ("二、", "主要任务", 1, None),
            ("（一）", "整治环境", 2, "二、"),
        ],
    ),
    (
        "starts-at-arabic",
        "1、清理楼道杂物。\n2、规范车辆停放。\n（一）动员阶段。召开会议。\n（二）实施阶段。全面推进。\n1、加强领导。",
        [
            ("1、", "清理楼道杂物", 1, None),
            ("2、", "规范车辆停放", 1, None),
            ("（一）", "动员阶段", 2, "2、"),
            ("（二）", "实施阶段", 2, "2、"),
            ("1、", "加强领导", 1, None),
        ],
    ),
    (
        "usual-order-after-first",
        "一、基本情况\n1、人口概况\n2、经济概况\n二、组织机构\n(一)领导小组\n1、组长职责\n(1)统筹协调",
        [
            ("一、", "基本情况", 1, None),
            ("1、", "人口概况", 3, "一、"),
            ("2、", "经济概况", 3, "一、"),
            ("二、", "组织机构", 1, None),
            ("(一)", "领导小组", 2, "二、"),
            ("1、", "组长职责", 3, "(一)"),
            ("(1)", "统筹协调", 4, "1、"),
        ],
    ),
    (
        "decimal-outline",
        "某镇防汛应急预案\n1 总则\n1.1 编制目的\n为做好防汛工作，制定本预案。\n1.2 适用范围\n1.2.1 自然灾害\n2 组织体系\n2.1 指挥部",
        [
            ("1", "总则", 1, None),
            ("1.1", "编制目的", 2, "1"),
            ("1.2", "适用范围", 2, "1"),
            ("1.2.1", "自然灾害", 3, "1.2"),
            ("2", "组织体系", 1, None),
            ("2.1", "指挥部", 2, "2"),
        ],
    ),
    (
        "chapters-and-articles",
        "第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条 本办法适用于全区。\n第二章 职责\n第三条 各单位应当履行职责。",
        [
            ("第一章", "总则", 1, None),
            ("第一条", "为了规范管理，制定本办法", 2, "第一章"),
            ("第二条", "本办法适用于全区", 2, "第一章"),
            ("第二章", "职责", 1, None),
            ("第三条", "各单位应当履行职责", 2, "第二章"),
        ],
    ),
    (
        "traditional-script",
        "社區工作總結\n一、加強組織領導\n（一）健全機構\n二、強化宣傳引導",
        [
            ("一、", "加強組織領導", 1, None),
            ("（一）", "健全機構", 2, "一、"),
            ("二、", "強化宣傳引導", 1, None),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [d[1:] for d in LEVEL_DOCS], ids=[d[0] for d in LEVEL_DOCS])
def test_levels_and_parents(text: str, expected: list[tuple[str, str, int, str | None]]) -> None:
    assert sections(text) == expected


def test_spans_cover_heading_and_body() -> None:
    text = "标题\n一、第一部分\n正文一。\n（一）小节\n正文二。\n二、第二部分\n正文三。"
    ctx = Context(text=text)
    secs = extract_sections(text, context=ctx)
    first, sub, second = secs
    assert text[first.start : first.end] == "一、第一部分\n正文一。\n（一）小节\n正文二。\n"
    assert text[sub.start : sub.end] == "（一）小节\n正文二。\n"
    assert second.end == len(text)
    for s in secs:
        assert text[s.heading_start : s.heading_end] == s.heading


# --------------------------------------------------------------------------- numbering typos

TYPOS = [
    (
        "zero-after-nine",
        "\n".join(f"{i}、第{i}项工作。" for i in range(1, 10)) + "\n0、第十项工作。",
        "10、",
        10,
        "numbering: item '0、' read as 10 (sequence 9 → ?)",
    ),
    (
        "repeated-number",
        "1、甲项工作。\n2、乙项工作。\n2、丙项工作。\n4、丁项工作。",
        "3、",
        3,
        "numbering: item '2、' read as 3 (sequence 2 → 4)",
    ),
    (
        "chinese-repeated",
        "一、甲。\n二、乙。\n二、丙。\n四、丁。",
        "三、",
        3,
        "numbering: item '二、' read as 3 (sequence 2 → 4)",
    ),
]


@pytest.mark.parametrize(("text", "marker", "number", "warning"), [t[1:] for t in TYPOS], ids=[t[0] for t in TYPOS])
def test_numbering_typo_resolved_with_warning(text: str, marker: str, number: int, warning: str) -> None:
    ctx = Context(text=text)
    secs = extract_sections(text, context=ctx)
    fixed = [s for s in secs if s.marker == marker]
    assert len(fixed) == 1 and fixed[0].number == number
    assert warning in ctx.warnings


def test_gap_is_a_warning_not_a_fix() -> None:
    ctx = Context(text="1、甲。\n2、乙。\n5、丙。")
    secs = extract_sections(ctx.text, context=ctx)
    assert [s.number for s in secs] == [1, 2, 5]
    assert ctx.warnings == ["numbering: item '5、' follows 2 (sequence broken)"]


def test_clean_sequence_has_no_warning() -> None:
    ctx = Context(text="一、甲\n（一）子项\n二、乙\n（一）子项\n（二）子项")
    extract_sections(ctx.text, context=ctx)
    assert ctx.warnings == []


# --------------------------------------------------------------------------- special layouts

LAYOUTS = [
    (
        "heading-over-two-lines",
        "一、加强组织建设，\n提升创建成效\n社区成立了工作专班。",
        ["加强组织建设， 提升创建成效"],
    ),
    (
        "semicolon-continues-when-siblings-end-with-period",
        "1、完善基础设施。\n2、美化社区环境。\n3、读书增长知识;\n读书陶冶情操。后续正文。",
        ["完善基础设施", "美化社区环境", "读书增长知识; 读书陶冶情操"],
    ),
    (
        "semicolon-ends-a-semicolon-list",
        "1.办公支出120万元;\n2.培训支出30万元;\n3.其他支出5万元;\n为完成全年任务，做好以下工作:",
        ["办公支出120万元", "培训支出30万元", "其他支出5万元"],
    ),
    ("marker-alone-on-its-line", "工作方案\n一、\n总体目标\n全面完成改造任务。", ["总体目标"]),
    ("page-counter-inside-a-sentence", "为提升居民环保意识，社区组织志愿者开展\n2、\n入户宣传，发放资料。", []),
    (
        "toc-lines-are-sections",
        "目录\n一、总体要求……………1\n二、主要任务……………3\n一、总体要求\n正文。\n二、主要任务\n正文。",
        ["总体要求", "主要任务", "总体要求", "主要任务"],
    ),
    (
        "toc-page-number-glued",
        "目录\n1总则3\n1.1编制目的4\n2组织体系6\n1总则\n1.1编制目的\n为做好工作，制定本预案。\n2组织体系\n2.1指挥部",
        ["总则", "编制目的", "组织体系", "总则", "编制目的", "组织体系", "指挥部"],
    ),
    (
        "flattened-table-tail-markers",
        "组 长:张某\n成 员:全体干部(1)巡查队:\n队长:李某 成员:各村干部(2)保障队\n队长:王某(3)宣传队",
        ["巡查队", "保障队", "宣传队"],
    ),
    (
        "nested-marker-after-a-space",
        "1.4 工作原则 1.4.1 坚持以人为本\n1.4.2 坚持统一领导",
        ["工作原则", "坚持统一领导"],
    ),
    (
        "weak-dates-in-sequence",
        "1、1月9日，社区发放春联。\n2、2月5日，社区举办灯谜会。",
        ["1月9日，社区发放春联", "2月5日，社区举办灯谜会"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [d[1:] for d in LAYOUTS], ids=[d[0] for d in LAYOUTS])
def test_layouts(text: str, expected: list[str]) -> None:
    assert headings(text) == expected


# --------------------------------------------------------------------------- non-sections

NON_SECTIONS = [
    ("inline-yishi", "今年，一是加强领导，二是完善制度，三是强化督查。"),
    ("decimal-area", "全镇共整治荒地\n3.2平方公里，新增绿地\n1.5公顷。"),
    ("decimal-money", "12.5万元用于改造\n8.3万元用于绿化"),
    ("table-caption", "表1 各村完成情况\n| 序号 | 村名 |\n| 1 | 东村 |"),
    ("part-title", "社区工作总结篇1\n今年以来，社区认真落实各项任务。"),
    ("toc-word", "目录\n前言"),
    ("lone-bare-number", "2 各村\n1 东村"),
    ("single-weak-date", "3、5月份完成全部任务。"),
]


@pytest.mark.parametrize("text", [d[1] for d in NON_SECTIONS], ids=[d[0] for d in NON_SECTIONS])
def test_not_sections(text: str) -> None:
    assert sections(text) == []


def test_empty_text() -> None:
    assert sections("") == []
