"""Responsibility notes, units, officials and people: a table of patterns written for these tests."""

from __future__ import annotations

import pytest

from civicnlp.extractors.context import Context
from civicnlp.extractors.names import is_person_name, is_placeholder, looks_like_unit
from civicnlp.extractors.notes import parse_notes
from civicnlp.extractors.roles import extract_officials, extract_units, find_people

# (id, text, units, officials) — every note shape GOLD.md names, in both scripts
NOTES = [
    ("cue-colon", "加快道路修复。（责任单位：区城管局）", ["区城管局"], []),
    ("cue-halfwidth-colon", "加快道路修复。(责任单位:区城管局)", ["区城管局"], []),
    ("cue-two-units", "清理小广告。（责任单位：区城管局、各街道）", ["区城管局", "各街道"], []),
    ("cue-comma-sep", "清理小广告。（责任单位：区城管局，各街道）", ["区城管局", "各街道"], []),
    ("cue-slash-sep", "清理小广告。（责任单位：区城管局/各街道）", ["区城管局", "各街道"], []),
    ("cue-semicolon-sep", "清理小广告。（责任单位：区城管局；各街道）", ["区城管局", "各街道"], []),
    ("cue-space-sep", "责任单位：区城管局 各街道", ["区城管局", "各街道"], []),
    ("cue-own-line", "整治占道经营。\n责任单位：区市场监管局\n", ["区市场监管局"], []),
    (
        "lead-and-partner",
        "（牵头单位：县教育局；配合单位：县财政局、县人社局）",
        ["县教育局", "县财政局", "县人社局"],
        [],
    ),
    ("lead-dept", "（牵头部门：市发改委；配合部门：市统计局）", ["市发改委", "市统计局"], []),
    ("main-unit", "（主责单位：镇综治办）", ["镇综治办"], []),
    ("subject", "（责任主体：各村民小组）", ["各村民小组"], []),
    ("assist-unit", "协办单位：镇卫生院、镇文化站", ["镇卫生院", "镇文化站"], []),
    ("dept-cue", "（负责部门：区民政局、区残联）", ["区民政局", "区残联"], []),
    ("ge-whole", "（责任单位：各村社）", ["各村社"], []),
    ("ge-window", "（责任单位：各窗口单位）", ["各窗口单位"], []),
    ("ge-phrase", "（责任单位：各县市、区政府）", ["各县市、区政府"], []),
    ("nested-paren", "（责任单位：各县（市、区）政府）", ["各县（市、区）政府"], []),
    ("ji-one-unit", "（责任单位：区卫健局及各医疗机构）", ["区卫健局及各医疗机构"], []),
    ("cue-then-field", "（负责部门：区商务局；适用范围：全区）", ["区商务局"], []),
    ("cue-no-sep", "各责任单位要认真研究具体方案。", [], []),
    ("cue-no-names", "明确整治施工牵头单位;会同有关部门推进。", [], []),
    ("box-lead-officials", "（牵头领导□xxx□xxx□责任单位：行政执法、交警）", ["行政执法", "交警"], ["xxx", "xxx"]),
    ("box-three", "（牵头领导□xxx□xxx□xxx□责任单位：各社区）", ["各社区"], ["xxx", "xxx", "xxx"]),
    ("lead-official-name", "（牵头领导：陈立新；责任单位：街道城管科）", ["街道城管科"], ["陈立新"]),
    ("split-official", "分管领导：王建国、李晓东", [], ["王建国", "李晓东"]),
    ("duty-official", "（责任领导：周红梅）", [], ["周红梅"]),
    ("responsible-person", "（责任人：赵敏）", [], ["赵敏"]),
    ("responsible-person-unit", "（责任人：镇安监站）", ["镇安监站"], []),
    ("contact-official", "联系领导：孙立", [], ["孙立"]),
    ("baobao-official", "包保领导：马丽", [], ["马丽"]),
    ("official-title-after", "（分管领导：韩志强副镇长）", [], ["韩志强"]),
    ("official-title-before", "（分管领导：副镇长韩志强）", [], ["韩志强"]),
    ("placeholder-x", "（责任领导：XXX）", [], ["XXX"]),
    ("placeholder-times", "（责任领导：×××）", [], ["×××"]),
    ("placeholder-mou", "（牵头领导：某某）", [], ["某某"]),
    ("placeholder-surname", "（牵头领导：王某某；责任单位：镇水利站）", ["镇水利站"], ["王某某"]),
    ("verb-lead", "推进政务公开。（县政府办牵头）", ["县政府办"], []),
    ("verb-two-lead", "（县政府办、县数据局牵头）", ["县政府办", "县数据局"], []),
    ("verb-lead-partner", "（县卫健局牵头，县医保局配合）", ["县卫健局", "县医保局"], []),
    ("verb-duty-split", "（县交通局、县水利局按职责分工负责）", ["县交通局", "县水利局"], []),
    ("verb-deng-fuze", "（县农业局、县林业局等负责）", ["县农业局", "县林业局"], []),
    ("verb-deng-bumen", "（县发改局牵头，县财政局等有关部门配合）", ["县发改局", "县财政局"], []),
    ("verb-canjia", "（市文旅局牵头，各区县政府参加）", ["市文旅局", "各区县政府"], []),
    ("verb-shishi", "（省数据局牵头，省有关部门具体实施）", ["省数据局", "省有关部门"], []),
    ("verb-huitong", "（市发改委会同有关部门负责）", ["市发改委", "有关部门"], []),
    ("verb-fentou", "（市数据局牵头，各有关部门分头落实）", ["市数据局", "各有关部门"], []),
    (
        "cue-with-verbs",
        "(责任单位:区应急局牵头，区水务局、区气象局等部门分工负责)",
        ["区应急局", "区水务局", "区气象局"],
        [],
    ),
    ("verb-not-unit", "（以党建引领为抓手）", [], []),
    ("verb-running-text", "由区城管局牵头开展集中整治。", [], []),
    ("verb-body-opening", "区城管局牵头，各街道配合，开展集中整治。", [], []),
    ("verb-abbrev-paren", "（以下简称“通信线”）", [], []),
    ("verb-loose-pieces", "（如分公司业务承揽、分配、实施）", [], []),
    ("verb-you-inside", "（技工院校内由人社部门负责）", [], []),
    ("table-kv-row", "公开责任部门 | 县人民政府办公室 | 公开形式: | 主动公开 |", ["县人民政府办公室"], []),
    ("table-kv-tab", "责任部门\t县应急管理局\t发布日期\t2023-05-06", ["县应急管理局"], []),
    ("trad-cue", "（責任單位：縣應急局、各鄉鎮）", ["縣應急局", "各鄉鎮"], []),
    ("trad-lead", "（牽頭單位：縣教育局；配合單位：縣財政局）", ["縣教育局", "縣財政局"], []),
    ("trad-official", "（分管領導：陳立新）", [], ["陳立新"]),
    ("trad-verb", "（縣衛健局牽頭，縣醫保局配合）", ["縣衛健局", "縣醫保局"], []),
    ("fullwidth-space", "责任单位：\u3000区城管局", ["区城管局"], []),
    ("role-suffix-paren", "（责任单位：区城管局（牵头）、各街道）", ["区城管局", "各街道"], []),
]


# a lead-official cue joined to its name in running text (no separator): the name counts
NOTES += [
    ("joined-official-wei", "民政分管领导孔繁星为副组长", [], ["孔繁星"]),
    ("joined-official-two-char", "分管领导温宁负责协调", [], ["温宁"]),
    ("joined-official-placeholder", "责任领导xxx同志牵头", [], ["xxx"]),
    ("joined-official-mask", "分管领导王某某任副组长", [], ["王某某"]),
    ("joined-rare-surname", "分管领导桑晓琳为副组长", [], ["桑晓琳"]),
    ("cue-then-verb-no-name", "分管领导要亲自抓，主要领导负总责", [], []),
    ("cue-then-unit-word", "分管领导干部参加培训", [], []),
]


@pytest.mark.parametrize(("text", "units", "officials"), [n[1:] for n in NOTES], ids=[n[0] for n in NOTES])
def test_note_patterns(text: str, units: list[str], officials: list[str]) -> None:
    notes = parse_notes(text)
    got_units = [m.name for m in notes.mentions if m.kind == "unit"]
    got_officials = [m.name for m in notes.mentions if m.kind == "official"]
    assert got_units == units
    assert got_officials == officials
    for m in notes.mentions:
        assert text[m.start : m.end] == m.name


# (id, text, [(name, title, role)]) — people are names joined to a title or a role
PEOPLE = [
    ("name-title", "会议由吴振华书记主持。", [("吴振华", "书记", None)]),
    ("two-name-title", "叶明书记、张秀英主任任组长", [("叶明", "书记", None), ("张秀英", "主任", "组长")]),
    ("org-name-title", "落实县委周建军书记的批示", [("周建军", "书记", None)]),
    ("placeholder-title", "xxx副书记任常务副组长", [("xxx", "副书记", "常务副组长")]),
    ("placeholder-upper", "县政府XXX县长在会上", [("XXX", "县长", None)]),
    ("title-name-tongzhi", "由党委副书记、乡长林国栋同志为组长", [("林国栋", "乡长", "组长")]),
    ("title-name-space", "城关镇人民政府镇长 何志远\n各位代表", [("何志远", "镇长", None)]),
    (
        "title-name-comma",
        "成员由纪委副书记严明、纪检专干方丽组成",
        [("严明", "纪委副书记", None), ("方丽", "纪检专干", None)],
    ),
    ("title-placeholder-tongzhi", "受到省委书记XXX同志的肯定", [("XXX", "省委书记", None)]),
    ("title-mask", "由街道党工委书记钱某某总负责", [("钱某某", "党工委书记", None)]),
    ("mask-title", "由镇党委冯某某书记任组长", [("冯某某", "书记", "组长")]),
    (
        "label-role",
        "组长：郭永生\n副组长：彭晓燕、蔡文博",
        [("郭永生", None, "组长"), ("彭晓燕", None, "副组长"), ("蔡文博", None, "副组长")],
    ),
    ("label-spaced", "组 长：卢海鹰", [("卢海鹰", None, "组长")]),
    ("label-title", "林长:邓子豪", [("邓子豪", "林长", None)]),
    ("label-fuzeren", "护林员负责人:魏长青", [("魏长青", None, "负责人")]),
    ("assign-role", "综合办公室由曹文军同志任主任", [("曹文军", None, "主任")]),
    ("role-by-name", "组长由人大主席唐海峰同志担任", [("唐海峰", "人大主席", "组长")]),
    ("role-by-name-plain", "副组长由许敏同志担任", [("许敏", None, "副组长")]),
    ("general-secretary", "深入学习贯彻习近平总书记重要讲话精神", [("习近平", "总书记", None)]),
    ("vice-mayor", "以及市政府程立副市长批示意见", [("程立", "副市长", None)]),
    ("trad", "由鎮黨委書記蕭永康同志任組長", [("蕭永康", "黨委書記", "组长")]),
    ("title-then-verb", "局长范卫东主持会议", [("范卫东", "局长", None)]),
    ("name-zai", "汤立新市长在常务会上", [("汤立新", "市长", None)]),
]


# name + 为/任/担任/兼任 + (办公室) title or role, with or without 同志, after a boundary, a title or
# a lead-official cue; and less common surnames
PEOPLE += [
    ("wei-office-title", "领导小组下设办公室，韦某某为办公室副主任。", [("韦某某", "办公室副主任", None)]),
    ("you-ren-office-title", "由陶晓东任办公室主任，负责日常工作。", [("陶晓东", "办公室主任", None)]),
    ("you-ren-role", "由龚伟任组长，统筹协调。", [("龚伟", None, "组长")]),
    ("wei-role-after-comma", "成立工作专班，罗丹为副组长。", [("罗丹", None, "副组长")]),
    (
        "jianren",
        "指挥部办公室由应急所长倪斌兼任。邹敏兼任办公室主任。",
        [("倪斌", "所长", None), ("邹敏", "办公室主任", None)],
    ),
    ("after-official-cue", "民政分管领导桑晓琳为副组长", [("桑晓琳", None, "副组长")]),
    ("after-title-yi-wei", "成立以镇长贲立群为组长的领导小组", [("贲立群", "镇长", "组长")]),
    ("rare-surname-title", "副县长汲海涛出席", [("汲海涛", "副县长", None)]),
    ("rare-surname-hong", "洪建华主任主持会议", [("洪建华", "主任", None)]),
    ("rare-surname-lai", "由赖小芳同志任副组长", [("赖小芳", None, "副组长")]),
    ("compound-surname", "司徒俊杰书记讲话", [("司徒俊杰", "书记", None)]),
    ("zongzhi-title", "由党总支书记鲁某某为组长", [("鲁某某", "党总支书记", "组长")]),
    ("placeholder-wei", "XXX为组长，XXX为副组长", [("XXX", None, "组长"), ("XXX", None, "副组长")]),
]


# a title shared across a list, chained titles (the nearest one, with its organ), 我叫…,任…镇长,
# and titles kept as written (traditional stays traditional)
PEOPLE += [
    (
        "shared-title-list",
        "副区长崔建明、钟丽华任副组长。",
        [("崔建明", "副区长", None), ("钟丽华", "副区长", "副组长")],
    ),
    (
        "shared-title-list-trad",
        "副區長崔建明、鍾麗華，公安局政委潘志強任副組長。",
        [("崔建明", "副區長", None), ("鍾麗華", "副區長", None), ("潘志強", "政委", "副组长")],
    ),
    ("chained-titles", "区委常委、组织部长、政法委书记雷向东到会", [("雷向东", "政法委书记", None)]),
    ("chained-titles-trad", "區委常委、政法委書記雷向東到會", [("雷向東", "政法委書記", None)]),
    ("jiao-ren-town-head", "我叫孟xx，任xx乡乡长，现述职如下", [("孟xx", "乡长", None)]),
    ("jiao-ren-town-head-real", "本人叫严立新,任南湖镇镇长。", [("严立新", "镇长", None)]),
    ("trad-title-surface", "縣長龐德明出席會議", [("龐德明", "縣長", None)]),
]


@pytest.mark.parametrize(("text", "expected"), [p[1:] for p in PEOPLE], ids=[p[0] for p in PEOPLE])
def test_people_patterns(text: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    got = find_people(text)
    assert [(p.name, p.title, p.role) for p in got] == expected
    for p in got:
        assert text[p.start : p.end] == p.text
        assert p.name in p.text


# no false names from place, unit or function words
NOT_PEOPLE = [
    ("unit-office-head", "文明办主任参加会议"),
    ("high-tech-zone", "高新区主任负责协调"),
    ("party-committee", "各村党支部书记为第一责任人"),
    ("residents", "部分居民代表、居民组长、楼道长参加"),
    ("city-long-term", "建立城市长效管理机制"),
    ("congress-standing", "提请全国人大常委会审议"),
    ("signer", "签发人：赵建平"),
    ("contact", "联系人：孙丽华 电话：1234"),
    ("tongzhi-only", "董明同志具体负责政务公开"),
    ("assign-no-name", "由分管副镇长任主任"),
    ("assign-first", "乡长任第一副组长"),
    ("title-alone", "各分管领导任副组长"),
    ("duty-officer", "值班领导要坚守岗位"),
    ("rehab", "康复指导员29人参加培训"),
    ("station-head", "退役军人服务站,明确站长及工作人员职责"),
    ("cue-official-not-person", "牵头领导□xxx□责任单位：各村社"),
]


NOT_PEOPLE += [
    ("title-wei-role", "董事长任组长，总经理任副组长"),
    ("wei-no-role", "王明为人正直"),
    ("yi-title-wei-role", "成立以党委书记为组长的领导小组"),
    ("function-word-he", "组长和村民代表参加"),
    ("function-word-tong", "会议通过主席团名单"),
    ("function-word-quan", "经理全程参与"),
    ("function-word-dou", "总书记都亲自部署"),
    ("staff-title", "办公室干事任成员"),
]


@pytest.mark.parametrize("text", [p[1] for p in NOT_PEOPLE], ids=[p[0] for p in NOT_PEOPLE])
def test_no_false_people(text: str) -> None:
    assert find_people(text) == []


NAMES = [
    ("王明", True),
    ("桑晓琳", True),
    ("洪波", True),
    ("赖文", True),
    ("司徒俊杰", True),
    ("汲海涛", True),
    ("和平", False),
    ("通过", False),
    ("全面", False),
    ("欧阳晓", True),
    ("xxx", True),
    ("×××", True),
    ("某某", True),
    ("张某", True),
    ("李XX", True),
    ("文明办", False),
    ("高新区", False),
    ("居民", False),
    ("党委", False),
    ("镇XXX", False),
    ("行政执法", False),
]


@pytest.mark.parametrize(("name", "ok"), NAMES, ids=[n[0] for n in NAMES])
def test_person_name(name: str, ok: bool) -> None:
    assert is_person_name(name) is ok


@pytest.mark.parametrize(
    ("name", "ok"),
    [("xxx", True), ("XX", True), ("某某", True), ("王某某", True), ("王明", False), ("区城管局", False)],
)
def test_placeholder(name: str, ok: bool) -> None:
    assert is_placeholder(name) is ok


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("区城管局", True),
        ("各村社", True),
        ("城市建设服务中心", True),
        ("省有关部门", True),
        ("王明", False),
        ("加强", False),
    ],
)
def test_looks_like_unit(name: str, ok: bool) -> None:
    assert looks_like_unit(name) is ok


def test_document_lists_dedupe_and_keep_first_span() -> None:
    text = "1、清理垃圾。（牵头领导□xxx□责任单位：各村社）\n2、拆除违建。（牵头领导□xxx□责任单位：各村社、城建办）\n"
    ctx = Context(text=text)
    units = extract_units(text, context=ctx)
    officials = extract_officials(text, context=ctx)
    assert [u.name for u in units] == ["各村社", "城建办"]
    assert units[0].start == text.index("各村社")
    assert [(o.name, o.placeholder) for o in officials] == [("xxx", True)]
    assert ctx.notes is not None  # parsed once, shared with the items stage
