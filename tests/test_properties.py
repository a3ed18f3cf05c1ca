"""Property tests: every extractor and the whole pipeline on arbitrary Unicode and on random
civic-like text — no exception, every offset valid, the same output twice, a valid record.

Hypothesis runs derandomized (a fixed seed: the same examples on every run) with a budget that
fits CI; ``CIVICNLP_HYPOTHESIS=deep`` runs many more examples (still derandomized) for a soak.
Backtracking bait for each pattern family checks that a document over its time budget comes
back as a partial record with warning E202 instead of hanging.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicnlp.document import Document
from civicnlp.extractors.context import Context
from civicnlp.extractors.dates import extract_dates, find_doc_date
from civicnlp.extractors.items import extract_action_items
from civicnlp.extractors.metrics import extract_metrics
from civicnlp.extractors.phases import extract_phases
from civicnlp.extractors.roles import extract_officials, extract_people, extract_units
from civicnlp.extractors.sections import extract_sections
from civicnlp.extractors.title import find_title
from civicnlp.pipeline import Pipeline
from civicnlp.text.normalize import normalize
from civicnlp.text.split import split_parts

settings.register_profile(
    "civicnlp-ci",
    derandomize=True,
    database=None,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("civicnlp-deep", parent=settings.get_profile("civicnlp-ci"), max_examples=1000)
PROFILE = settings.get_profile("civicnlp-deep" if os.environ.get("CIVICNLP_HYPOTHESIS") == "deep" else "civicnlp-ci")

# -- a small grammar of civic text (made-up pieces) ----------------------------------------------
MARKERS = [
    "一、",
    "二、",
    "十、",
    "（一）",
    "（三）",
    "1、",
    "2.",
    "3．",
    "(4)",
    "⑤",
    "第二条",
    "第三章",
    "2.1",
    "2.1.3",
    "Ⅱ.",
    "0、",
]
CUES = [
    "责任单位：",
    "牵头单位：",
    "配合单位：",
    "牵头领导：",
    "责任领导：",
    "责任人：",
    "完成时限：",
    "时间：",
    "组长：",
    "副组长：",
]
UNITS = ["街道办事处", "区城管局", "各社区", "市场监管所", "团委", "行政执法中队"]
NAMES = ["张伟", "李娜", "王建国", "欧阳明", "xxx", "×××", "某某", "叶展"]
TITLES = ["书记", "主任", "局长", "同志", "副主任"]
NUMBERS = ["3000", "1.5万", "12.5亿", "百分之九十五", "1100多", "三", "十几", "95%", "0", "２０", "近200", "约3.5"]
MEASURES = ["户", "人", "份", "个", "元", "平方米", "元/户", "处", "次"]
DATES = [
    "2020年3月1日",
    "20xx年4月13日",
    "9月10日",
    "年底前",
    "3月至5月",
    "2018年3月16日-2018年4月1日",
    "每周",
    "三个月",
    "2021年第三季度",
    "上半年",
    "月底",
    "晚上六点三十分",
    "农历正月初一",
]
PHASES = ["动员部署阶段", "集中整治阶段", "巩固提升阶段", "第一阶段", "攻坚阶段（2020年5月-6月）"]
TITLE_LINES = ["关于开展垃圾分类的倡议书", "社区环境整治工作方案", "2020年度工作总结", "关于创建工作的汇报"]
WORDS = ["开展", "推进", "环境整治", "社区", "宣传", "居民", "完成", "落实", "检查", "清运率达到", "发放", "覆盖"]
PUNCT = ["，", "。", "；", "\n", "\n\n", "：", "、", "（", "）", " ", "\u3000", "\t", "|"]
PIECES = MARKERS + CUES + UNITS + NAMES + TITLES + NUMBERS + MEASURES + DATES + PHASES + TITLE_LINES + WORDS + PUNCT

civic_text = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
# arbitrary Unicode, surrogates left out (a str from a file never holds one)
unicode_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
mixed_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=80).map("".join)
STRATEGIES = {"unicode": unicode_text, "civic": civic_text, "mixed": mixed_text}


# -- the stages in pipeline order, run WITHOUT the pipeline's safety net ---------------------------
def _stages(text: str) -> dict[str, Any]:
    """Every extractor's output over ``text``; an exception escapes (the pipeline would hide it)."""
    ctx = Context(text=text)
    out: dict[str, Any] = {}
    title = find_title(text)
    out["title"] = title
    if title:
        ctx.title, _, ctx.title_end = title
    ctx.sections = out["sections"] = extract_sections(text, context=ctx)
    ctx.dates = out["dates"] = extract_dates(text, context=ctx)
    ctx.doc_date = out["doc_date"] = find_doc_date(text, ctx.dates)
    out["metrics"] = extract_metrics(text, context=ctx)
    out["responsible_units"] = extract_units(text, context=ctx)
    out["lead_officials"] = extract_officials(text, context=ctx)
    out["people"] = extract_people(text, context=ctx)
    out["action_items"] = extract_action_items(text, context=ctx)
    out["phases"] = extract_phases(text, context=ctx)
    return out


def _check_offsets(text: str, out: dict[str, Any]) -> None:
    for field, items in out.items():
        if not isinstance(items, list):
            continue
        for item in items:
            where = f"{field}: {item!r}"
            assert 0 <= item.start <= item.end <= len(text), where
            if hasattr(item, "text"):
                assert text[item.start : item.end] == item.text, where
            if field == "sections":
                assert item.start <= item.heading_start <= item.heading_end <= item.end or item.heading_end == 0, where
    if out["title"]:
        title, _start, end = out["title"]
        assert _str_or_none(title) and 0 <= end <= len(text)


@pytest.mark.parametrize("kind", list(STRATEGIES))
def test_every_extractor_on_random_text(kind: str) -> None:
    @PROFILE
    @given(STRATEGIES[kind])
    def check(text: str) -> None:
        norm = normalize(text).text
        for part in split_parts(norm):
            assert 0 <= part.start <= part.end <= len(norm)
        out = _stages(norm)
        _check_offsets(norm, out)
        assert repr(_stages(norm)) == repr(out), "not deterministic"

    check()


# -- the record: a small validator of civicnlp.document/1 (SCHEMA.md) -----------------------------
DATE_KINDS = {"date", "range", "duration", "recurring"}


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _str_or_none(x: Any) -> bool:
    return x is None or isinstance(x, str)


def _span(item: dict[str, Any], text: str | None) -> None:
    assert isinstance(item["start"], int) and isinstance(item["end"], int), item
    if text is not None:
        assert 0 <= item["start"] <= item["end"] <= len(text), item
        if "text" in item:
            assert text[item["start"] : item["end"]] == item["text"], item


_ITEM_FIELDS: dict[str, dict[str, Callable[[Any], bool]]] = {
    "sections": {
        "id": lambda v: isinstance(v, str),
        "parent": _str_or_none,
        "level": lambda v: isinstance(v, int) and v >= 1,
        "marker": lambda v: isinstance(v, str),
        "number": lambda v: v is None or isinstance(v, int),
        "heading": lambda v: isinstance(v, str),
    },
    "action_items": {
        "section": _str_or_none,
        "marker": lambda v: isinstance(v, str),
        "text": lambda v: isinstance(v, str),
        "lead_officials": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "responsible_units": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "deadline": lambda v: v is None or isinstance(v, str | dict),
    },
    "phases": {"name": lambda v: isinstance(v, str), "start_date": _str_or_none, "end_date": _str_or_none},
    "people": {"name": lambda v: isinstance(v, str), "title": _str_or_none, "role": _str_or_none},
    "responsible_units": {"name": lambda v: isinstance(v, str)},
    "lead_officials": {"name": lambda v: isinstance(v, str), "placeholder": lambda v: isinstance(v, bool)},
    "dates": {"kind": lambda v: v in DATE_KINDS, "value": lambda v: isinstance(v, str | dict)},
    "metrics": {
        "value": _number,
        "unit": lambda v: isinstance(v, str),
        "subject": _str_or_none,
        "approx": lambda v: isinstance(v, bool),
    },
}


def check_record(rec: dict[str, Any]) -> None:
    """Raise AssertionError unless ``rec`` is a valid ``civicnlp.document/1`` record (or error record)."""
    json.loads(json.dumps(rec, ensure_ascii=False, allow_nan=False))  # strict JSON: no NaN/Infinity
    assert rec["schema"] == "civicnlp.document/1"
    assert isinstance(rec["id"], str) and rec["id"]
    src = rec["source"]
    assert isinstance(src["path"], str) and _str_or_none(src.get("encoding"))
    assert isinstance(src["part"], int) and isinstance(src["parts"], int) and 1 <= src["part"] <= src["parts"]
    if "error" in rec:
        assert set(rec["error"]) == {"code", "message"} and rec["error"]["code"].startswith("E")
        return
    text = rec.get("text")
    assert text is None or isinstance(text, str)
    assert _str_or_none(rec["title"])
    dt = rec["doc_type"]
    if dt is not None:
        assert isinstance(dt["label"], str) and 0 <= dt["score"] <= 1
        assert dt["label"] in dt["scores"] and abs(sum(dt["scores"].values()) - 1) < 1e-6
    for field, checks in _ITEM_FIELDS.items():
        assert isinstance(rec[field], list), field
        for item in rec[field]:
            _span(item, text)
            for key, ok in checks.items():
                assert ok(item[key]), (field, key, item)
    assert isinstance(rec["warnings"], list) and all(isinstance(w, str) for w in rec["warnings"])


@pytest.mark.parametrize("kind", list(STRATEGIES))
def test_pipeline_records_are_valid_and_deterministic(kind: str) -> None:
    pipe = Pipeline(None)

    @PROFILE
    @given(STRATEGIES[kind])
    def check(text: str) -> None:
        docs = [d.to_dict() for d in pipe.process_text(text, doc_id="p")]
        assert docs, "no document"
        for rec in docs:
            check_record(rec)
            assert not [w for w in rec["warnings"] if w.startswith("E201")], rec["warnings"]
        again = [d.to_dict() for d in pipe.process_text(text, doc_id="p")]
        assert again == docs, "not deterministic"

    check()


def test_record_validator_rejects_a_bad_offset() -> None:
    (doc,) = Pipeline(None).process_text("一、社区共有3000户居民。", doc_id="x")
    rec = doc.to_dict()
    check_record(rec)
    assert rec["metrics"]
    rec["metrics"][0]["start"] += 1
    with pytest.raises(AssertionError):
        check_record(rec)


def test_huge_number_gives_a_finite_metric_value() -> None:
    (doc,) = Pipeline(None).process_text("共有" + "9" * 400 + "户", doc_id="x")
    check_record(doc.to_dict())


# -- backtracking bait, one per pattern family: never a hang, a partial record ------------------------
BAIT = {
    "split-boilerplate-digits": "共有" + "9" * 200_000 + "户",
    "sections-marker-storm": "一、" * 100_000,
    "sections-nested-markers": "（一）1.(1)①" * 40_000,
    "dates-range-chain": "2020年1月1日至" * 40_000,
    "dates-digit-year": "2" * 100_000 + "年",
    "metrics-number-chain": "1万" * 100_000,
    "metrics-cn-numerals": "九" * 100_000 + "户",
    "notes-cue-storm": "责任单位：" * 40_000,
    "notes-open-brackets": "（" * 100_000 + "责任单位：" + "、" * 100_000,
    "names-title-storm": "张书记" * 100_000,
    "tables-tab-rows": ("单位\t" * 2000 + "\n") * 100,
    "normalize-pinyin": "鄉(" * 100_000,
    "title-long-line": "关于" * 100_000 + "的倡议书",
}


@pytest.mark.parametrize("name", list(BAIT))
def test_backtracking_bait_comes_back_within_its_budget(name: str) -> None:
    """Completes at all (without the guard the slow ones run for minutes); over budget → E202."""
    docs = list(Pipeline(None, time_budget=1.0).process_text(BAIT[name], doc_id=name))
    assert docs
    for doc in docs:
        assert isinstance(doc, Document)
        check_record(doc.to_dict())
        budget = [w for w in doc.warnings if w.startswith("E202")]
        assert len(budget) <= 2, budget
