"""Phases: stage headings and sentences with their dates (values from the date extractor)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import civicnlp
from civicnlp.document import DateItem
from civicnlp.extractors.context import Context
from civicnlp.extractors.phases import extract_phases, phase_dates


def phases_of(text: str) -> list[tuple[str, str | None, str | None]]:
    doc = civicnlp.extract(text)[0]
    for p in doc.phases:
        assert doc.text[p.start : p.end] == p.text
    return [(p.name, p.start_date, p.end_date) for p in doc.phases]


CASES = [
    (
        "heading-range",
        "三、实施步骤\n（一）动员部署阶段（2024年3月1日-3月10日）。召开动员会。\n（二）集中整治阶段（2024年3月11日-5月20日）。逐项整治。\n",
        [("动员部署阶段", "2024-03-01", "2024-03-10"), ("集中整治阶段", "2024-03-11", "2024-05-20")],
    ),
    (
        "deadline-only",
        "三、时间安排\n（一）摸底调查（2023年5月底前）。全面摸排。\n（二）集中清理（2023年8月底前）。全面清理。\n",
        [("摸底调查", None, "2023-05"), ("集中清理", None, "2023-08")],
    ),
    (
        "stage-without-date",
        "四、工作步骤\n（一）宣传发动阶段\n各社区张贴通告。\n",
        [("宣传发动阶段", None, None)],
    ),
    (
        "sentence",
        "本次行动分两步走，巩固提升阶段：2022年9月1日至2022年12月31日，建立长效机制。",
        [("巩固提升阶段", "2022-09-01", "2022-12-31")],
    ),
    (
        "trad",
        "三、實施步驟\n（一）動員部署階段（2021年4月1日-4月10日）。各村制定方案。\n",
        [("動員部署階段", "2021-04-01", "2021-04-10")],
    ),
    ("not-a-stage", "当前阶段要抓好落实，现阶段任务艰巨。", []),
    ("next-stage-work", "王书记对下阶段工作提出要求。", []),
    ("schedule-heading-is-no-stage", "三、时间安排\n本方案自印发之日起实施。\n", []),
]


# stage names with 实施/全面 in them, run-on stages, and time words that are no stages
CASES += [
    (
        "quanmian-shishi-heading",
        "二、进度安排\n（一）宣传准备阶段（2月）制定方案。\n（二）全面实施阶段（3月-7月）逐项整治。\n",
        [("宣传准备阶段", "XXXX-02", "XXXX-02"), ("全面实施阶段", "XXXX-03", "XXXX-07")],
    ),
    (
        "zuzhi-shishi-heading",
        "三、工作步骤\n（一）组织实施阶段（2025年4月-6月）各村落实。\n",
        [("组织实施阶段", "2025-04", "2025-06")],
    ),
    (
        "shishi-alone-under-schedule",
        "二、进度要求\n（一）实施阶段（5月-9月）推进整治。\n",
        [("实施阶段", "XXXX-05", "XXXX-09")],
    ),
    (
        "schedule-heading-shishi-jieduan",
        "三、实施阶段\n（一）动员阶段（6月）召开会议。\n（二）整治阶段（7月-8月）集中清理。\n",
        [("动员阶段", "XXXX-06", "XXXX-06"), ("整治阶段", "XXXX-07", "XXXX-08")],
    ),
    (
        "run-on-stages",
        "二、进度要求(一)前期摸底阶段(2月)全面排查。(二)全面实施阶段(3月-7月)逐项整改。(三)总结验收阶段(9-12月)组织验收。",
        [
            ("前期摸底阶段", "XXXX-02", "XXXX-02"),
            ("全面实施阶段", "XXXX-03", "XXXX-07"),
            ("总结验收阶段", "XXXX-09", "XXXX-12"),
        ],
    ),
    (
        "sentence-with-leading-word",
        "工作分三步：（一）前期调研阶段：2023年3月1日至3月20日。",
        [("前期调研阶段", "2023-03-01", "2023-03-20")],
    ),
    (
        "sentence-word-before-known-words",
        "工作分两步：（一）宣教集中阶段（2023年6月1日至6月30日），各村开展宣传。",
        [("宣教集中阶段", "2023-06-01", "2023-06-30")],
    ),
    (
        "open-start-until-a-day",
        "二、实施步骤\n（一）宣传发动阶段（即日-5月20日）\n各村召开动员会。\n",
        [("宣传发动阶段", None, "XXXX-05-20")],
    ),
    ("era-is-no-stage", "三、推动经济全面转向高质量发展新阶段\n全年增长6%。\n", []),
    ("whole-stage-word", "做好全阶段的质量管理，下一阶段继续推进。", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_phase_patterns(text: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert phases_of(text) == expected


@pytest.mark.parametrize(
    ("after", "before", "value", "want"),
    [
        ("前", "（", "2024-05", (None, "2024-05")),
        ("起", "（", "2024-05", ("2024-05", None)),
        ("）", "至", "2024-05", (None, "2024-05")),
        ("）", "（", "2024-05", ("2024-05", "2024-05")),
    ],
    ids=["before", "from", "until", "point"],
)
def test_point_date_in_a_stage(after: str, before: str, value: str, want: tuple[str | None, str | None]) -> None:
    text = f"攻坚阶段{before}2024年5月{after}"
    start = text.index("2024")
    d = DateItem("2024年5月", "date", value, start, start + 7)
    ctx = Context(text=text, dates=[d])
    assert phase_dates(ctx, 0, len(text))[:2] == want


def test_stage_children_of_a_stage_and_inline_text() -> None:
    text = "一、时间安排(一)集中整治(2024年底前)。分两批推进。1.第一阶段(2023年7月至2023年12月)。2.第二阶段(2024年1月至2024年11月)。"
    ctx = Context(text=text)
    names = [p.name for p in extract_phases(text, context=ctx)]
    assert names == ["集中整治", "第一阶段", "第二阶段"]


@pytest.mark.parametrize("gold", ["seed.jsonl", "dev.jsonl"])
def test_shared_gold_phases(shared: Path, gold: str) -> None:
    for line in (shared / "gold" / gold).read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if g.get("phases") is None:
            continue
        got = [
            (p.name, p.start_date, p.end_date) for d in civicnlp.extract(g["text"], doc_id=g["id"]) for p in d.phases
        ]
        want = [(p["name"], p["start_date"], p["end_date"]) for p in g["phases"]]
        assert got == want, g["id"]
