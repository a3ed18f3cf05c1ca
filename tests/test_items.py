"""Action items: which numbered items assign work, their notes and deadlines; task tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import civicnlp
from civicnlp.extractors.tables import column_role, find_table_rows

FIXTURES = Path(__file__).parent / "fixtures" / "tables"


def items_of(text: str) -> list[tuple[str, list[str], list[str], str | None]]:
    doc = civicnlp.extract(text)[0]
    for a in doc.action_items:
        assert doc.text[a.start : a.end] == a.text
    return [
        (a.marker, a.responsible_units, a.lead_officials, a.deadline if isinstance(a.deadline, str) else None)
        for a in doc.action_items
    ]


# every layout of the same kind of task table: (fixture, [(number, units, officials, deadline)])
TABLES = [
    (
        "pipe.txt",
        [
            ("1", ["镇建设办", "各村社区", "镇规划所"], ["刘建华"], "2021-06"),
            ("2", ["镇水利站", "沿河各村"], ["赵敏", "孙立"], "2021-08-31"),
            ("3", ["镇市场监管所", "镇综合执法队"], ["xxx"], None),
        ],
    ),
    (
        "tabs.txt",
        [
            ("1", ["东湖街道城管科", "各社区居委会"], ["王建国"], "2022-03"),
            ("2", ["街道平安办", "辖区物业公司", "各社区"], ["李晓东"], "2022-05"),
            ("3", ["街道团工委", "各社区", "辖区学校"], ["某某"], None),
        ],
    ),
    (
        "lines.txt",
        [
            ("1", ["街道文化站", "青石社区"], ["陈立新"], "2023-09"),
            ("2", ["街道社会事务办", "各社区"], ["周红梅"], "2023-11"),
        ],
    ),
    (
        "lines_long.txt",
        [
            ("1", ["区住建局", "各街道"], ["郑海涛"], "2023-10"),
            ("2", ["区交警大队", "区文明办"], ["何静"], None),
        ],
    ),
    (
        "spaces.txt",
        [
            ("1", ["区城管局", "各街道"], ["韩志强"], "2022-04"),
            ("2", ["区市场监管局", "各街道", "区交警大队"], ["×××", "×××"], "2022-05"),
            ("3", ["区交通运输局", "区环卫处"], ["马丽"], "2022-06"),
        ],
    ),
    (
        "runon.txt",
        [
            ("1", ["区城管局", "各街道"], ["王建平"], "2022-06"),
            ("2", ["区住建局", "区交通运输局"], ["李明"], "2022-09"),
            ("3", ["区农业农村局", "各镇"], ["周强"], "2022-12"),
        ],
    ),
]


@pytest.mark.parametrize(("fixture", "expected"), TABLES, ids=[t[0] for t in TABLES])
def test_table_layouts(fixture: str, expected: list[tuple[str, list[str], list[str], str | None]]) -> None:
    assert items_of((FIXTURES / fixture).read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize(
    ("label", "role"),
    [("序号", "number"), ("工作任务", "task"), ("牵头单位", "unit"), ("配合部门", "unit"), ("责任领导", "official"),
     ("完成时限", "deadline"), ("完成时间", "deadline"), ("备注", "other"), ("加强组织领导", None)],
)  # fmt: skip
def test_column_roles(label: str, role: str | None) -> None:
    assert column_role(label) == role


def test_table_header_alone_is_no_row() -> None:
    assert find_table_rows("序号\t工作任务\t牵头单位\t完成时限\n") == []


PLAN = """东湖街道垃圾分类工作方案
一、工作目标
全年实现生活垃圾分类覆盖率达到95%。
二、主要任务
（一）完善收运体系。新增分类收集点20个，于2024年6月底前完成。（牵头单位：街道城管科；配合单位：各社区）
（二）加强宣传引导。组织志愿者入户宣传。（责任领导：何静）
三、实施步骤
（一）动员部署阶段（2024年3月1日-3月15日）。召开动员会。
（二）集中推进阶段（2024年3月16日-10月31日）。全面铺开。
四、保障措施
（一）强化督查考核。将分类成效纳入年度考核。
（二）落实经费保障。安排专项经费。
"""


def test_plan_items_notes_deadline() -> None:
    assert items_of(PLAN) == [
        ("（一）", ["街道城管科", "各社区"], [], "2024-06"),
        ("（二）", [], ["何静"], None),
        ("（一）", [], [], None),
        ("（二）", [], [], None),
    ]


SUMMARY = """东湖街道2023年工作总结
一、加强组织领导
街道成立了领导小组，统筹推进各项工作。
二、深化宣传发动
开展宣传活动12场。
"""


def test_summary_items_are_no_action_items() -> None:
    assert items_of(SUMMARY) == []


RUN_ON = (
    "关于印发《社区消防安全整治工作方案》的通知各社区:现印发给你们。社区消防安全整治工作方案"
    "一、工作目标消除火灾隐患。二、工作职责(一)街道应急办:负责统筹协调。(二)街道城管科:负责清理楼道堆物。"
    "三、时间安排(一)排查阶段(2024年5月底前)。全面摸排。四、工作要求(一)加强协调配合。各单位要密切配合。"
    "(二)强化督查问责。对工作不力的予以通报。附件1消防检查要点一、检查范围1.楼道通道。2.电动车停放。"
)


def test_run_on_text_items_skip_goals_stages_and_annex() -> None:
    assert [m for m, *_ in items_of(RUN_ON)] == ["(一)", "(二)", "(一)", "(二)"]


def test_items_numbering_fix_and_notes_after_page_break() -> None:
    text = "".join(f"{i}、推进第{i}项整改。（牵头领导□xxx□责任单位：各村社）\n" for i in range(1, 10))
    text += "0、推进第十项整改。（牵\n\n头领导□xxx□责任单位：城建办）\n"
    got = items_of(text)
    assert [m for m, *_ in got][-1] == "10、"
    assert got[-1][1:3] == (["城建办"], ["xxx"])


@pytest.mark.parametrize("gold", ["seed.jsonl", "dev.jsonl"])
def test_shared_gold_items(shared: Path, gold: str) -> None:
    """The shared gold's action items pair one to one by marker, with their units and officials."""
    for line in (shared / "gold" / gold).read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if g.get("action_items") is None:
            continue
        docs = civicnlp.extract(g["text"], doc_id=g["id"])
        got = [(a.marker, a.responsible_units, a.lead_officials) for d in docs for a in d.action_items]
        want = [(a["marker"], a["responsible_units"], a["lead_officials"]) for a in g["action_items"]]
        assert [m for m, *_ in got] == [m for m, *_ in want], g["id"]
        assert [sorted(u) for _, u, _ in got] == [sorted(u) for _, u, _ in want], g["id"]


# (id, text, expected markers): numbered tasks in text whose line breaks were lost, and what
# copies do to markers (a space before the dot, an OCR'd 1, a lost 、, page counters)
RUN_ON_ITEMS = [
    (
        "list-after-heading-on-its-line",
        "区环境整治工作方案\n三、工作措施1.加强组织领导。街道成立专班。2.加大宣传力度。利用展板宣传。\n",
        ["1.", "2."],
    ),
    (
        "whole-document-one-line",
        "社区消防整治实施方案。一、工作目标消除隐患。二、工作措施1.开展排查。逐户检查。2.集中整治。限期整改。"
        "3.强化督查。每周通报。",
        ["1.", "2.", "3."],
    ),
    (
        "whole-document-one-line-semicolons",
        "社区消防整治实施方案。一、工作目标消除隐患。二、工作措施1.开展排查;2.集中整治;3.强化督查。",
        ["1.", "2.", "3."],
    ),
    (
        "space-before-dot-lines",
        "村庄清洁行动方案\n二、主要措施\n1 .清理垃圾。组织村民清扫。\n2 .整治污水。疏通沟渠。\n",
        ["1 .", "2 ."],
    ),
    (
        "space-before-dot-run-on",
        "村庄清洁行动方案。一、工作目标村容整洁。二、主要措施1 .清理垃圾。组织村民清扫。2 .整治污水。疏通沟渠。",
        ["1 .", "2 ."],
    ),
    (
        "lost-dun-after-numeral",
        "镇防汛工作方案。一、指导思想坚持预防为主。二、工作目标确保安全度汛。三工作措施1.落实责任。层层签订责任书。"
        "2.储备物资。备足沙袋。",
        ["1.", "2."],
    ),
    (
        "ocr-one-then-note-closes-item",
        "社区创建方案。一、工作目标环境整洁。二、职责分工社区服务站:负责统筹协调。l负责建立台账;2.开展日常巡查;"
        "3.督促问题整改。(责任人:XXX)物业公司:负责小区保洁。(责任人:XXX)",
        ["1.", "2.", "3."],
    ),
    (
        "page-counters-are-not-items",
        "1、街道卫生整治方案一、工作目标道路整洁。二、工作措施1.清扫道路。每日清扫两次,并对背街小巷进行\n"
        "2、保洁。2.整治摊点。规范占道经营。\n3、3.宣传引导。张贴倡议书。",
        ["1.", "2.", "3."],
    ),
    (
        "made-plan-sentence",
        "为做好防汛工作,特制定本方案如下:\n一、主要任务\n（一）检修泵站\n（二）清理河道\n",
        ["（一）", "（二）"],
    ),
    (
        "focus-heading-imperative-bodies",
        "镇消防工作方案\n四、整治重点\n（一）沿街商铺\n深入排查电气线路老化等隐患。\n（二）老旧小区\n对楼道堆放杂物重点清理整治。\n",
        ["（一）", "（二）"],
    ),
    (
        "focus-heading-descriptive-bodies",
        "镇地灾防治方案\n二、防范重点\n（一）重点防范期\n我镇重点防范期为每年汛期。\n（二）重点防范区域\n沿河各村及山脚农户。\n",
        [],
    ),
    (
        "run-on-summary-has-none",
        "镇2023年环境整治工作总结。一、主要做法1.加强领导。成立专班。2.加大宣传。印发资料。",
        [],
    ),
    (
        "notice-issuing-plan-reads-attachment",
        "关于印发河道清淤分工方案的通知各街道:现将方案印发给你们,请认真落实。附件:河道清淤分工方案区河长办"
        "2022年3月4日附件河道清淤分工方案一、加强设施建设1.扩大清淤投入。(责任单位:区水务局牵头,区财政局等部门分工负责)"
        "二、健全工作机制1.完善巡河制度。(责任单位:区河长办)",
        ["1.", "1."],
    ),
    (
        "attachment-is-appendix-when-main-has-items",
        "社区保洁工作方案\n一、主要任务\n1.清扫道路。\n2.清运垃圾。\n附件1\n保洁工作安排表\n1.东片区\n2.西片区\n",
        ["1.", "2."],
    ),
    (
        "attachment-not-a-plan-stays-closed",
        "关于开展评选活动的通知\n各单位:现将有关事项通知如下,请按时报送。\n附件:推荐人选登记表\n1.填写姓名\n2.填写单位\n",
        [],
    ),
    (
        "bare-digit-markers-in-sequence",
        "村森林防火工作方案。一、工作目标不发生火灾。二、工作措施(一)抓好隐患排查。1全面排查隐患点位。逐户登记。"
        "2压实巡护责任。划定巡护区域。3逐一配齐扑火工具。",
        ["1", "2", "3"],
    ),
    (
        "bare-digit-before-measure-word-is-no-marker",
        "村森林防火工作方案。一、工作目标不发生火灾。二、工作措施(一)加强巡护。1名护林员负责一片山林。2月起每日巡山。",
        ["(一)"],
    ),
    (
        "numbering-restarts-under-next-heading",
        "街道卫生整治计划。一、工作思路以整洁为目标。二、健全工作制度1、明确包片责任人,签订责任书。2、加强宣传。印发资料。"
        "三、背街小巷保洁1、坚持每日清扫两次,周末集中",
        ["1、", "2、", "1、"],
    ),
    (
        "stage-is-no-item",
        "整治方案\n三、实施步骤\n（一）全面实施阶段（3月-7月）开展整治。\n（二）组织实施阶段（8月）逐项验收。\n",
        [],
    ),
]


@pytest.mark.parametrize(("text", "markers"), [c[1:] for c in RUN_ON_ITEMS], ids=[c[0] for c in RUN_ON_ITEMS])
def test_run_on_and_copied_markers(text: str, markers: list[str]) -> None:
    assert [m for m, *_ in items_of(text)] == markers


def test_ocr_one_item_and_its_closing_note() -> None:
    got = items_of(RUN_ON_ITEMS[6][1])
    assert [(m, o) for m, _u, o, _d in got] == [("1.", []), ("2.", []), ("3.", ["XXX"])]
    doc = civicnlp.extract(RUN_ON_ITEMS[6][1])[0]
    assert doc.action_items[-1].text.endswith("(责任人:XXX)")


def test_official_in_running_text_is_no_item_note() -> None:
    text = "镇环境整治方案\n三、工作措施\n1.加强组织领导。成立以镇长为组长、分管领导董丽萍为副组长的领导小组。\n2.加大宣传。\n"
    doc = civicnlp.extract(text)[0]
    assert [(a.marker, a.lead_officials) for a in doc.action_items] == [("1.", []), ("2.", [])]
    assert [o.name for o in doc.lead_officials] == ["董丽萍"]


# a task table whose header row was lost under its caption: numbered rows one per line, the
# unit-name lines after a row are its unit cells (trailing 、 kept by the copy), the first line
# that is only a date its deadline; unit lines before any row still count for the document
HEADERLESS = """环境整治任务分解及进度表
区住建局
区水务局、区园林局、
1、河道沿岸垃圾全部清运，设立保洁岗位。
区水务局、
各镇人民政府
一、区水务局负责制定清运方案；
二、各镇负责组织保洁人员。
2019年5月中旬之前
2、建成区主干道实现机扫全覆盖。
区城管局负责，各镇配合，按季度考核。
2019年9月30日前
"""

HEADERLESS_CASES = [
    (
        "rows-units-deadlines",
        HEADERLESS,
        [("1、", ["区水务局", "各镇人民政府"], [], "2019-05"), ("2、", [], [], "2019-09-30")],
        ["区住建局", "区水务局", "区园林局", "各镇人民政府"],
    ),
    (
        "traditional",
        "綠化任務責任分解表\n1、完成道路綠化補植。\n區林業局、\n區財政局\n2020年3月底前\n",
        [("1、", ["區林業局", "區財政局"], [], "2020-03")],
        ["區林業局", "區財政局"],
    ),
    ("no-caption-no-table", HEADERLESS.split("\n", 1)[1], None, None),
    (
        "caption-without-unit-cells",
        "工作进度表\n1、完成调研。\n2019年5月前\n2、形成报告。\n2019年6月前\n",
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("text", "items", "units"), [c[1:] for c in HEADERLESS_CASES], ids=[c[0] for c in HEADERLESS_CASES]
)
def test_headerless_task_table(text: str, items: list[tuple[str, list[str], list[str], str | None]] | None,
                               units: list[str] | None) -> None:  # fmt: skip
    rows = find_table_rows(text)
    if items is None:
        assert rows == []
        return
    assert [r.marker for r in rows] == [m for m, *_ in items]
    assert items_of(text) == items
    doc = civicnlp.extract(text)[0]
    assert [u.name for u in doc.responsible_units] == units
