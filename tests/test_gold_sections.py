"""Sections F1 against the shared gold (seed and dev), and the seed compilation's split.

Reads ``../shared`` at run time (skipped when it is absent) and scores with the shared scorer
(``../shared/eval/score.py``, imported by path), exactly as ``bench/eval_gold.py`` does.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from civicnlp.pipeline import Pipeline

TARGET_F1 = 0.97


def _scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("civicnlp_shared_score", shared / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _records(text: str, doc_id: str) -> list[dict[str, Any]]:
    return [d.to_dict(include_text=False) for d in Pipeline().process_text(text, doc_id=doc_id, path=doc_id)]


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", ["seed", "dev"])
def test_sections_f1(shared: Path, name: str) -> None:
    score = _scorer(shared)
    gold = _load(shared / "gold" / f"{name}.jsonl")
    preds = [rec for g in gold for rec in _records(g["text"], g["id"])]
    result = score.score(gold, score.merge_parts(preds), show_errors=20)
    row = result["fields"]["sections"]
    assert row["f1"] >= TARGET_F1, (row, result.get("errors", {}).get("sections"))


def test_seed_compilation_splits_into_five_parts(shared: Path) -> None:
    text = (shared / "gold" / "seed-compilation.txt").read_text(encoding="utf-8")
    records = _records(text, "seed-compilation.txt")
    assert len(records) == 5
    titles = [r["title"] for r in records]
    assert [t[-2:] for t in titles] == ["篇一", "篇二", "篇三", "篇四", "篇五"]
    assert [(r["source"]["part"], r["source"]["parts"]) for r in records] == [(i, 5) for i in range(1, 6)]
    # the collection's header and preface belong to no part
    preface = text[: text.index(titles[0])].strip()
    assert preface
    docs = list(Pipeline().process_text(text, doc_id="seed-compilation.txt"))
    for doc in docs:
        for line in preface.splitlines():
            if line.strip():
                assert line.strip() not in doc.text


def test_seed_compilation_sections_against_all_seed_parts(shared: Path) -> None:
    """The split file, parts taken together, scored against every seed part's gold sections."""
    score = _scorer(shared)
    seed = _load(shared / "gold" / "seed.jsonl")
    gold = [{"id": "seed-compilation", "sections": [s for g in seed for s in (g.get("sections") or [])]}]
    text = (shared / "gold" / "seed-compilation.txt").read_text(encoding="utf-8")
    preds = _records(text, "seed-compilation.txt")
    result = score.score(gold, score.merge_parts(preds), show_errors=20)
    row = result["fields"]["sections"]
    assert row["f1"] >= TARGET_F1, (row, result.get("errors", {}).get("sections"))
