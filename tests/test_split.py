"""Compilation splitting: every part-title pattern, preface and boilerplate dropped, no false splits.

Every example text here is written for these tests.
"""

from __future__ import annotations

import pytest

import civicnlp
from civicnlp.text.split import collection_title_end, is_part_heading, part_heading, split_parts

BODY_A = "今年以来，社区围绕环境整治开展了大量工作，居民满意度明显提升。"
BODY_B = "为倡导绿色生活，社区号召全体居民节约用水、节约用电，从身边小事做起。"
BODY_C = "街道坚持问题导向，逐项梳理短板，推动各项任务按期完成，取得了阶段性成效。"
PREFACE = "社区工作总结范文(精选3篇)\n\n时光飞逝，又到了写总结的时候。下面是小编为大家整理的社区工作总结，仅供参考，欢迎阅读。\n\n"


def parts(text: str) -> list[str]:
    return [text[p.start : p.end] for p in split_parts(text)]


def first_lines(text: str) -> list[str]:
    return [p.split("\n", 1)[0] for p in parts(text)]


HEADINGS = [
    # line, number
    ("社区环境整治工作总结篇一", 1),
    ("社区环境整治工作总结篇十二", 12),
    ("社区环境整治工作总结 篇2", 2),
    ("社區環境整治工作總結篇三", 3),
    ("篇一：社区环境整治工作总结", 1),
    ("篇1:社区环境整治工作总结", 1),
    ("【篇一】社区环境整治工作总结", 1),
    ("【篇2】", 2),
    ("社区环境整治工作总结【篇3】", 3),
    ("社区环境整治工作总结(篇1)", 1),
    ("第一篇：社区环境整治工作总结", 1),
    ("第2篇 社区环境整治工作总结", 2),
    ("第三篇", 3),
    ("社区环境整治工作总结范文一", 1),
    ("范文二：社区环境整治工作总结", 2),
    ("社区环境整治工作总结(一)", 1),
    ("社區環境整治工作總結（二）", 2),
]


@pytest.mark.parametrize(("line", "number"), HEADINGS, ids=[h[0] for h in HEADINGS])
def test_part_heading_patterns(line: str, number: int) -> None:
    found = part_heading(line)
    assert found is not None and found[0] == number


NOT_HEADINGS = [
    "谱写社区治理新篇章",
    "第一篇文章写得很好。",
    "今年共撰写简报二十篇，其中篇一获奖。",
    "（一）加强组织领导",
    "社区环境整治工作总结",
    "篇",
]


@pytest.mark.parametrize("line", NOT_HEADINGS, ids=NOT_HEADINGS)
def test_not_part_headings(line: str) -> None:
    assert not is_part_heading(line)


def _collection(titles: list[str], bodies: list[str], preface: str = PREFACE) -> str:
    return preface + "\n\n".join(f"{t}\n\n{b}" for t, b in zip(titles, bodies, strict=True))


BODIES = [BODY_A, BODY_B, BODY_C]
SPLITS = [
    ("pian-cn-suffix", [f"社区工作总结篇{n}" for n in "一二三"]),
    ("pian-digit-suffix", [f"社区工作总结 篇{n}" for n in "123"]),
    ("pian-prefix-colon", [f"篇{n}：社区工作总结" for n in "一二三"]),
    ("bracketed-pian", [f"【篇{n}】社区工作总结" for n in "一二三"]),
    ("di-n-pian", [f"第{n}篇：社区工作总结" for n in "一二三"]),
    ("fanwen-n", [f"社区工作总结范文{n}" for n in "一二三"]),
    ("title-paren-n", [f"社区工作总结({n})" for n in "一二三"]),
    ("traditional", [f"社區工作總結篇{n}" for n in "一二三"]),
]


@pytest.mark.parametrize("titles", [s[1] for s in SPLITS], ids=[s[0] for s in SPLITS])
def test_split_each_pattern_drops_the_preface(titles: list[str]) -> None:
    text = _collection(titles, BODIES)
    got = parts(text)
    assert [p.split("\n", 1)[0] for p in got] == titles
    assert all("小编" not in p and "精选" not in p for p in got)
    assert [p.rstrip().endswith(b) for p, b in zip(got, BODIES, strict=True)] == [True, True, True]


def test_repeated_title_and_body_blocks() -> None:
    text = "节约用水倡议书(通用2篇)\n\n节约用水倡议书\n\n" + BODY_B + "\n\n节约用水倡议书\n\n" + BODY_A
    assert first_lines(text) == ["节约用水倡议书", "节约用水倡议书"]
    assert parts(text)[0].rstrip().endswith(BODY_B)


def test_boilerplate_at_part_ends_dropped() -> None:
    text = _collection(
        ["社区工作总结篇一", "社区工作总结篇二"], [BODY_A + "\n\n……此处隐藏2000个字……", BODY_B + "\n\n未完待续"]
    )
    got = parts(text)
    assert got[0].rstrip().endswith(BODY_A) and got[1].rstrip().endswith(BODY_B)


def test_single_part_title_with_collection_header_drops_preface() -> None:
    text = PREFACE + "社区工作总结篇1\n\n" + BODY_A
    assert first_lines(text) == ["社区工作总结篇1"]


def test_out_of_sequence_titles_do_not_split() -> None:
    text = "社区工作总结篇一\n\n" + BODY_A + "\n\n社区工作总结篇三\n\n" + BODY_B
    assert len(parts(text)) == 1


SINGLE = [
    ("plain", "社区工作总结\n\n" + BODY_A + "\n\n一、主要做法\n" + BODY_C),
    ("title-twice-at-top", "社区工作总结\n\n社区工作总结\n\n一、主要做法\n" + BODY_A + "\n二、下步打算\n" + BODY_C),
    (
        "lead-in-then-title-again",
        "社区工作总结\n\n" + BODY_A + "现将有关情况总结如下：\n\n社区工作总结\n\n一、主要做法\n" + BODY_C,
    ),
    (
        "page-header-repeat",
        "社区工作总结\n\n1、清理卫生死角。"
        + BODY_A
        + "\n2、整治乱停乱放。"
        + BODY_B
        + "\n\n社区工作总结\n\n3、规范门店招牌。"
        + BODY_C,
    ),
    (
        "book-like-di-n-pian",
        "某市发展规划纲要\n\n第一篇 总体要求\n\n第一章 发展基础\n\n"
        + BODY_A
        + "\n\n第二篇 主要任务\n\n第二章 产业发展\n\n"
        + BODY_C,
    ),
    (
        "issuing-notice",
        "某镇防汛工作方案\n\n各村：现将《某镇防汛工作方案》印发给你们，请认真执行。\n\n某镇人民政府\n\n某镇防汛工作方案\n\n"
        + BODY_C
        + BODY_A,
    ),
]


@pytest.mark.parametrize("text", [s[1] for s in SINGLE], ids=[s[0] for s in SINGLE])
def test_single_document_stays_one(text: str) -> None:
    assert len(split_parts(text)) == 1


def test_site_boilerplate_trimmed_from_a_single_document() -> None:
    text = "下面是小编为大家整理的社区工作总结，仅供参考。\n\n社区工作总结\n\n" + BODY_A + "\n\n点击下载全文"
    assert parts(text) == ["社区工作总结\n\n" + BODY_A]


def test_api_records_part_numbers_and_titles() -> None:
    text = _collection([f"社区工作总结篇{n}" for n in "一二三"], BODIES)
    docs = list(civicnlp.extract(text, doc_id="collection"))
    assert [d.title for d in docs] == [f"社区工作总结篇{n}" for n in "一二三"]
    assert [(d.source.part, d.source.parts) for d in docs] == [(1, 3), (2, 3), (3, 3)]
    assert [d.id for d in docs] == ["collection#1", "collection#2", "collection#3"]


def test_api_single_document_is_part_one_of_one() -> None:
    docs = list(civicnlp.extract("社区工作总结\n\n" + BODY_A, doc_id="one"))
    assert len(docs) == 1
    assert (docs[0].source.part, docs[0].source.parts) == (1, 1)
    assert docs[0].title == "社区工作总结"


COLLECTION_TITLES = [
    ("bracket-count-then-edition", "镇团委工作总结(精选4篇)(最新2020年版)(2)"),
    ("bracket-count-fullwidth", "社区消防安全倡议书（通用5篇）"),
    ("edition-only", "某街道年度工作计划(最新2023年版)"),
    ("bare-count-after-doc-word", "2024年社区活动总结6篇"),
    ("bare-count-trad", "街道工作總結范文3篇"),
]
NOT_COLLECTION_TITLES = [
    ("plain-title", "2024年社区活动总结"),
    ("sentence-with-count", "全年共撰写信息稿件12篇。"),
    ("count-not-after-doc-word", "年内发表论文8篇"),
    ("body-line", "一、2024年完成道路改造3条"),
]


@pytest.mark.parametrize("line", [c[1] for c in COLLECTION_TITLES], ids=[c[0] for c in COLLECTION_TITLES])
def test_collection_title_line_is_chrome(line: str) -> None:
    text = "\n" + line + "\n正文第一句。"
    assert collection_title_end(text) == len(line) + 1


@pytest.mark.parametrize("line", [c[1] for c in NOT_COLLECTION_TITLES], ids=[c[0] for c in NOT_COLLECTION_TITLES])
def test_real_first_line_is_no_collection_title(line: str) -> None:
    assert collection_title_end(line + "\n正文第一句。") == 0


def test_collection_title_only_at_the_start() -> None:
    assert collection_title_end("社区工作总结\n镇团委工作总结(精选4篇)") == 0
