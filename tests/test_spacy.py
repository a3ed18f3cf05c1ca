"""civicnlp inside spaCy: tokenizer, component, span groups, offsets, streaming, save/load."""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import civicnlp
from civicnlp.classify import default_model_path
from civicnlp.document import ActionItem, DateItem, Document, Metric, Official, Section, Source, Unit
from civicnlp.errors import CivicError
from civicnlp.spacy_ext import (
    FACTORY,
    GROUPS,
    TOKENIZER_NAME,
    CivicStructure,
    CivicTokenizer,
    annotate,
    part_docs,
)

# A plan written for these tests (not from any corpus).
PLAN = """关于开展河道清洁专项行动的工作方案

为改善辖区水环境，经街道研究，决定于2024年5月至2024年10月开展河道清洁专项行动，覆盖沿河居民3200户。

一、工作目标
全年清理河道垃圾120吨，沿岸绿化达标率达到95%。

二、主要任务
1、开展河岸垃圾清理。组织志愿者每周巡河一次，清理漂浮物。（牵头领导：王明；责任单位：城建办、各社区）
2、整治沿河违章搭建。对沿河违建逐一登记，6月底前全部拆除。（牵头领导：李华；责任单位：执法中队）
3、建立长效管护机制。落实河长制，健全巡查台账。（牵头领导：王明；责任单位：农业农村办）

三、实施步骤
（一）动员部署阶段（2024年5月1日-5月15日）。召开动员大会，印发方案。
（二）集中整治阶段（2024年5月16日-9月30日）。全面开展清理整治。
（三）巩固提升阶段（2024年10月）。总结经验，完善机制。

XX街道办事处
2024年4月20日
"""

# The same kind of plan, hard-wrapped in the middle of sentences and with pinyin glosses that a
# converter site left: normalization removes both, so record offsets differ from doc offsets.
WRAPPED = """关于整治背街小巷的工作方案

为进一步改善鄉(xiāng)鎮(zhèn)人居环境，经研究决定，在全镇范围内组织开展背街小巷环境
整治工作，现将有关事项安排如下。

一、工作目标
通过集中整治，做到路面平整、无乱堆乱放，群众满意度明显
提升。

二、工作措施
1、全面排查摸底。各村对背街小巷逐条登记造册。（牵头领导：赵强；责任单位：城管中队）
2、集中清理整治。对堆放杂物限期清理。（牵头领导：钱进；责任单位：各村委会）
"""

# Two plans in one file, as a 范文 collection lays them out.
COMPILATION = """街道工作方案范文（精选2篇）

工作方案篇一

一、总体要求
做好辖区绿化养护工作，确保树木成活。
二、工作安排
1、开展春季补植。

工作方案篇二

一、总体要求
做好辖区消防安全检查，消除火灾隐患。
二、工作安排
1、开展入户宣传。
"""


@pytest.fixture(scope="module")
def nlp() -> Language:
    return civicnlp.load()


def _spans(doc: Doc) -> dict[str, list[tuple[int, int, str]]]:
    return {g: [(s.start_char, s.end_char, s.label_) for s in doc.spans[g]] for g in GROUPS}


def _zh(segmenter: str) -> Language:
    """spaCy's own Chinese pipeline with one of its segmenters, then our component."""
    if segmenter == "civic":
        return civicnlp.load()
    if segmenter == "jieba":
        pytest.importorskip("jieba", reason="spaCy's jieba segmenter needs the jieba package")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})
    nlp.add_pipe(FACTORY)
    return nlp


# --- the pipeline that civicnlp.load() builds --------------------------------------------------


def test_load_builds_chinese_pipeline_with_civic_tokenizer(nlp: Language) -> None:
    assert nlp.lang == "zh"
    assert isinstance(nlp.tokenizer, CivicTokenizer)
    assert nlp.pipe_names == [FACTORY]
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == TOKENIZER_NAME


def test_names_are_registered_with_spacy() -> None:
    assert spacy.registry.tokenizers.get(TOKENIZER_NAME) is not None
    assert Language.has_factory(FACTORY)


def test_bad_model_folder_fails_at_load(tmp_path: Path) -> None:
    with pytest.raises(CivicError) as info:
        civicnlp.load(tmp_path)
    assert info.value.code.startswith("E3")


@pytest.mark.parametrize(
    "text",
    [
        PLAN,
        WRAPPED,
        "",
        "   ",
        "一、工作目标\n\n\n  二、 措施",
        "责任单位：城建办　各社区",  # U+3000 kept
        "ABC 12 x  y\t\tz\r\n末尾",
        "鄉(xiāng)鎮(zhèn)",
    ],
    ids=["plan", "wrapped", "empty", "spaces", "blank-lines", "ideographic-space", "latin-tabs-crlf", "gloss"],
)
def test_tokenizer_keeps_text_exactly(nlp: Language, text: str) -> None:
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert all(t.text for t in doc)


def test_tokenizer_uses_civic_words(nlp: Language) -> None:
    words = [t.text for t in nlp.make_doc("牵头领导：王明")]
    assert "牵头领导" in words


def test_tokenizer_leaves_global_jieba_alone(nlp: Language) -> None:
    import jieba

    before = (jieba.dt.initialized, len(jieba.dt.FREQ), jieba.dt.FREQ.get("牵头领导"))
    nlp.make_doc("牵头领导和责任单位都要落实")
    assert (jieba.dt.initialized, len(jieba.dt.FREQ), jieba.dt.FREQ.get("牵头领导")) == before


# --- what the component puts on a Doc ----------------------------------------------------------


def test_every_group_and_extension_is_set(nlp: Language) -> None:
    doc = nlp(PLAN)
    assert set(GROUPS) <= set(doc.spans)
    assert doc._.civic["schema"] == civicnlp.SCHEMA
    assert doc._.civic["title"] == "关于开展河道清洁专项行动的工作方案"
    label = doc._.civic["doc_type"]["label"] if doc._.civic["doc_type"] else None
    assert doc._.doc_type == label
    assert len(doc.spans["civic_sections"]) >= 3


def test_record_is_exactly_what_extract_gives(nlp: Language) -> None:
    """One implementation: the component's record is civicnlp.extract's record."""
    for text in (PLAN, WRAPPED):
        assert nlp(text)._.civic == civicnlp.extract(text)[0].to_dict()


def _check_spans(doc: Doc) -> None:
    """Every record entry has its span, on token boundaries, over the entry's surface text."""
    record = doc._.civic
    for group, (field, label, _) in GROUPS.items():
        assert len(doc.spans[group]) == len(record[field]), group
        for span, entry in zip(doc.spans[group], record[field], strict=True):
            assert span.label_ == label
            assert span._.civic == entry
            assert doc[span.start].idx == span.start_char
            surface = entry.get("marker", "") + entry["heading"] if field == "sections" else entry["text"]
            assert surface[:6] in span.text.replace("\n", ""), (group, entry, span.text)


@pytest.mark.parametrize("text", [PLAN, WRAPPED], ids=["plain", "wrapped+glosses"])
def test_spans_land_on_their_items(nlp: Language, text: str) -> None:
    """Record offsets (normalized text) are mapped back onto doc.text."""
    _check_spans(nlp(text))


def test_wrapped_text_needs_the_offset_map(nlp: Language) -> None:
    doc = nlp(WRAPPED)
    record = doc._.civic
    assert "\n整治" not in record["text"] and "(xiāng)" not in record["text"]  # normalized
    sec = next(s for s in doc.spans["civic_sections"] if s._.civic["marker"] == "二、")
    assert record["text"].index("二、工作措施") != WRAPPED.index("二、工作措施")
    assert sec.start_char == WRAPPED.index("二、工作措施")


def _synthetic() -> Document:
    """A record with one item of each short kind, at offsets inside tokens."""
    text = "一、任务\n城建办负责清理，完成率95%，6月底前完成。牵头领导：王明。"
    doc = Document(id="t", source=Source("t"), text=text)
    doc.sections = [Section("s1", None, 1, "一、", 1, "任务", 0, len(text), 2, 4)]
    doc.responsible_units = [Unit("城建", "城建", 5, 7)]  # inside the token 城建办
    doc.lead_officials = [Official("王明", False, "王明", text.index("王明"), text.index("王明") + 2)]
    a = text.index("95%")
    doc.metrics = [Metric("95%", 95, "%", "完成率", False, a, a + 3)]
    b = text.index("6月底")
    doc.dates = [DateItem("6月底", "date", "XXXX-06", b, b + 3, mod="end")]
    return doc


def test_annotate_expands_to_tokens_and_sets_values(nlp: Language) -> None:
    document = _synthetic()
    doc = nlp.make_doc(document.text)
    annotate(doc, document, lambda pos: pos)
    (unit,) = doc.spans["civic_units"]
    assert unit.text.startswith("城建") and unit.start_char == 5 and unit.end_char >= 7
    assert unit._.value == "城建"
    (metric,) = doc.spans["civic_metrics"]
    assert (metric._.value, metric._.unit, metric._.subject, metric._.approx) == (95, "%", "完成率", False)
    (date,) = doc.spans["civic_dates"]
    assert (date._.value, date._.kind, date._.mod) == ("XXXX-06", "date", "end")
    (official,) = doc.spans["civic_officials"]
    assert (official.text, official._.value, official._.placeholder) == ("王明", "王明", False)
    (section,) = doc.spans["civic_sections"]
    assert (section._.value, section._.level, section._.marker) == ("任务", 1, "一、")
    assert doc._.civic["warnings"] == []


def test_same_boundaries_in_two_groups_keep_their_own_values(nlp: Language) -> None:
    document = _synthetic()
    sec = document.sections[0]
    document.action_items = [ActionItem("s1", "一、", 1, document.text, ["王明"], ["城建"], None, 0, sec.end)]
    doc = nlp.make_doc(document.text)
    annotate(doc, document, lambda pos: pos)
    (section,), (item,) = doc.spans["civic_sections"], doc.spans["civic_items"]
    assert (section.start_char, section.end_char) == (item.start_char, item.end_char)
    assert (section._.value, section._.lead_officials) == ("任务", None)
    assert (item._.value, item._.lead_officials) == (document.text, ["王明"])


def test_values_survive_doc_serialization(nlp: Language) -> None:
    doc = nlp(PLAN)
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert _spans(back) == _spans(doc)
    assert [s._.civic for s in back.spans["civic_sections"]] == [s._.civic for s in doc.spans["civic_sections"]]
    assert back._.civic == doc._.civic


def test_second_run_replaces_the_first(nlp: Language) -> None:
    doc = nlp(PLAN)
    first = _spans(doc)
    comp = nlp.get_pipe(FACTORY)
    doc = comp(doc)
    assert _spans(doc) == first
    assert [s._.civic for s in doc.spans["civic_sections"]] == doc._.civic["sections"]


def test_annotate_maps_through_a_shift(nlp: Language) -> None:
    document = _synthetic()
    doc = nlp.make_doc("前言\n" + document.text)
    annotate(doc, document, lambda pos: pos + 3)
    assert doc.spans["civic_metrics"][0].text == "95%"


def test_unplaceable_span_is_a_warning_not_silence(nlp: Language) -> None:
    document = _synthetic()
    document.responsible_units = [Unit("空", "", 3, 3)]
    doc = nlp.make_doc(document.text)
    annotate(doc, document, lambda pos: pos)
    assert list(doc.spans["civic_units"]) == []
    assert any(w.startswith("E204") for w in doc._.civic["warnings"])


# --- spaCy's own Chinese tokenizers -------------------------------------------------------------


@pytest.mark.parametrize("segmenter", ["civic", "char", "jieba"])
def test_component_after_any_zh_tokenizer(segmenter: str) -> None:
    nlp = _zh(segmenter)
    for text in (PLAN, WRAPPED):
        doc = nlp(text)
        assert doc.text == text
        assert doc._.civic == civicnlp.extract(text)[0].to_dict()
        _check_spans(doc)


def test_char_tokens_give_exact_item_offsets() -> None:
    """With one token per character, expand changes nothing: spans are the items exactly."""
    nlp = _zh("char")
    doc = nlp(PLAN)
    base = PLAN.index(doc._.civic["text"][:20])
    for span in doc.spans["civic_sections"]:
        assert (span.start_char - base, span.end_char - base) == (span._.civic["start"], span._.civic["end"])


# --- streaming, compilations, save and load ------------------------------------------------------


def test_pipe_streams(nlp: Language) -> None:
    def endless() -> Iterator[str]:
        yield from itertools.cycle([PLAN, WRAPPED])

    docs = list(itertools.islice(nlp.pipe(endless(), batch_size=1), 3))
    assert [d.text for d in docs] == [PLAN, WRAPPED, PLAN]
    assert docs[2]._.civic == docs[0]._.civic


def test_compilation_in_one_doc_warns(nlp: Language) -> None:
    doc = nlp(COMPILATION)
    assert any(w.startswith("E203") for w in doc._.civic["warnings"])


def test_part_docs_gives_one_doc_per_part(nlp: Language) -> None:
    docs = list(part_docs(nlp, COMPILATION, doc_id="c"))
    records = [d.to_dict() for d in civicnlp.extract(COMPILATION, doc_id="c")]
    assert len(docs) == len(records) == 2
    for doc, record in zip(docs, records, strict=True):
        assert doc._.civic == record
        assert doc.text == record["text"]
        assert [(s.start_char, s.end_char) for s in doc.spans["civic_sections"]] == [
            (x["start"], x["end"]) for x in record["sections"]
        ]


def test_part_docs_needs_the_component() -> None:
    with pytest.raises(ValueError, match=FACTORY):
        list(part_docs(spacy.blank("zh"), PLAN))


def _state(doc: Doc) -> tuple[Any, ...]:
    return (_spans(doc), doc._.civic, doc._.doc_type, dict(doc.cats), [t.text for t in doc])


def test_to_disk_and_spacy_load_give_the_same_result(nlp: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == nlp.pipe_names
    assert isinstance(loaded.tokenizer, CivicTokenizer)
    for text in (PLAN, WRAPPED):
        assert _state(loaded(text)) == _state(nlp(text))


def test_to_bytes_round_trip(nlp: Language) -> None:
    other = civicnlp.load()
    other.from_bytes(nlp.to_bytes())
    assert _state(other(PLAN)) == _state(nlp(PLAN))


def _has_model() -> bool:
    return (default_model_path() / "model.json").exists()


@pytest.mark.skipif(not _has_model(), reason="no default model (models/default) has been trained yet")
def test_saved_pipeline_carries_its_model(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(default_model_path(), model)
    nlp = civicnlp.load(model)
    expected = _state(nlp(PLAN))
    assert expected[2] is not None  # a doc type
    nlp.to_disk(tmp_path / "pipe")
    shutil.rmtree(model)  # the saved pipeline must not need the original folder
    loaded = spacy.load(tmp_path / "pipe")
    comp = loaded.get_pipe(FACTORY)
    assert isinstance(comp, CivicStructure)
    assert Path(str(comp.model)).is_relative_to(tmp_path / "pipe")
    assert _state(loaded(PLAN)) == expected


def _entry_points_installed() -> bool:
    names = {ep.name for ep in importlib.metadata.entry_points(group="spacy_factories")}
    return FACTORY in names


@pytest.mark.skipif(
    not _entry_points_installed(),
    reason="civicnlp's spacy_factories/spacy_tokenizers entry points are not installed (pip install -e . after "
    "they are added to pyproject.toml)",
)
def test_spacy_load_in_a_fresh_process_uses_entry_points(nlp: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipe")
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    code = (
        "import json, sys, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pipe')!r})\n"
        f"doc = nlp(open({str(tmp_path / 'plan.txt')!r}, encoding='utf-8').read())\n"
        "print(json.dumps({g: [[s.start_char, s.end_char] for s in doc.spans[g]] for g in sorted(doc.spans)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    doc = nlp(PLAN)
    expected = {g: [[s.start_char, s.end_char] for s in doc.spans[g]] for g in sorted(GROUPS)}
    assert json.loads(out.strip().splitlines()[-1]) == expected


def test_add_pipe_to_a_users_pipeline() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(FACTORY, config={"doc_id": "mine"})
    doc = nlp(PLAN)
    assert doc._.civic["id"] == "mine"
    assert len(list(doc.sents)) > 1


def test_shared_compilation_part_docs_match_extract(nlp: Language, shared: Path) -> None:
    text = (shared / "gold" / "seed-compilation.txt").read_text(encoding="utf-8")
    docs = list(part_docs(nlp, text, doc_id="seed"))
    records = [d.to_dict() for d in civicnlp.extract(text, doc_id="seed")]
    assert [d._.civic for d in docs] == records
    assert len(docs) >= 4
    four = docs[3]
    assert four._.civic["source"]["part"] == 4
    assert len(four.spans["civic_items"]) == len(records[3]["action_items"])
