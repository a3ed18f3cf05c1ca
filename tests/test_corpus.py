"""The bundled sample corpus ``corpus/``: what it holds, its gold answers, and extracting it."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from civicnlp.cli import main
from civicnlp.document import LIST_FIELDS, RECORD_FIELDS
from civicnlp.read import read_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GOLD = CORPUS / "gold.jsonl"
SCHEMA_FIELDS = RECORD_FIELDS
GOLD_LISTS = LIST_FIELDS
DATE_VALUE = re.compile(r"^[0-9X]{4}(-(Q[1-4]|H[12]|[0-9X]{2}(-[0-9X]{2}(T\d{2}(:\d{2})?)?)?))?$")
DURATION = re.compile(r"^P(T?\d+[YMWDHS])+$")
RECURRING = {"yearly", "quarterly", "monthly", "weekly", "daily"}


def _gold() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _files() -> dict[str, Path]:
    """Corpus input files by stem (what ``civicnlp extract corpus/`` reads)."""
    from civicnlp.engine.inputs import Skipped, iter_inputs

    return {f.path.stem: f.path for f in iter_inputs([CORPUS], Skipped())}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[dict[str, Any]], str]:
    """``civicnlp extract corpus/ -o out.jsonl``, run once for this module."""
    out = tmp_path_factory.mktemp("corpus") / "out.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "civicnlp", "extract", str(CORPUS), "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return proc.returncode, records, proc.stderr


def test_corpus_holds_the_promised_samples() -> None:
    gold = _gold()
    files = _files()
    assert len(files) >= 10
    assert sorted(g["id"] for g in gold) == sorted(files)  # one gold record per input file
    types = Counter(g["doc_type"] for g in gold)
    assert all(types[t] >= 2 for t in ("initiative", "summary", "plan", "report")), types
    suffixes = Counter(p.suffix for p in files.values())
    assert suffixes[".docx"] >= 1 and suffixes[".html"] >= 1
    encodings = {stem: next(read_file(p, p.name)).encoding for stem, p in files.items()}
    assert "gb18030" in encodings.values()
    assert "big5" in encodings.values()  # the traditional-character sample
    compilation = [g for g in gold if re.search(r"篇[一二三四五六七八九十]", g["title"] or "")]
    assert compilation, "a compilation file with ……篇一 parts"


@pytest.mark.parametrize("record", _gold(), ids=lambda g: g["id"])
def test_gold_record_is_well_formed(record: dict[str, Any]) -> None:
    assert record["doc_type"] in ("initiative", "summary", "plan", "report")
    for field in GOLD_LISTS:
        assert isinstance(record[field], list), field
    path = _files()[record["id"]]
    (raw,) = read_file(path, path.name)
    text = raw.text
    assert record["text"] == text  # the gold's text is the file as civicnlp reads it
    assert record["title"] in text
    for s in record["sections"]:
        assert set(s) >= {"level", "marker", "heading"} and s["level"] >= 1
        assert s["marker"] + s["heading"] in text, s
    for a in record["action_items"]:
        assert set(a) >= {"marker", "lead_officials", "responsible_units"}
        for name in a["lead_officials"] + a["responsible_units"]:
            assert name in text, name
        if a.get("deadline"):
            assert DATE_VALUE.match(a["deadline"]), a
    for name in record["responsible_units"] + record["lead_officials"] + [p["name"] for p in record["people"]]:
        assert name in text, name
    for ph in record["phases"]:
        assert ph["name"] in text
        for key in ("start_date", "end_date"):
            assert ph[key] is None or DATE_VALUE.match(ph[key]), ph
    for d in record["dates"]:
        assert d["text"] in text, d
        value = d["value"]
        if d["kind"] == "range":
            assert DATE_VALUE.match(value["start"]) and DATE_VALUE.match(value["end"]), d
        elif d["kind"] == "duration":
            assert DURATION.match(value), d
        elif d["kind"] == "recurring":
            assert value in RECURRING, d
        else:
            assert d["kind"] == "date" and DATE_VALUE.match(value), d
    for m in record["metrics"]:
        assert m["text"] in text, m
        assert isinstance(m["value"], (int, float)) and not isinstance(m["value"], bool)
        assert isinstance(m["approx"], bool) and m["unit"]
        assert m["unit"] in m["text"], m


def test_extract_corpus_one_record_per_document_with_every_field(
    extracted: tuple[int, list[dict[str, Any]], str],
) -> None:
    code, records, stderr = extracted
    assert code == 0, stderr
    gold = _gold()
    # one record per document: one per file, and one per part of the compilation
    stems = Counter(re.sub(r"\.\w+(#\d+)?$", "", r["id"]) for r in records)
    assert set(stems) == {g["id"] for g in gold}
    compilation = next(g["id"] for g in gold if g["id"].startswith("compilation"))
    assert stems[compilation] >= 3
    assert all(n == 1 for stem, n in stems.items() if stem != compilation)
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        missing = [f for f in SCHEMA_FIELDS if f not in r]
        assert not missing, (r["id"], missing)
        assert "error" not in r
        assert {"path", "part", "parts", "encoding"} <= set(r["source"])
    assert "gold.jsonl" in stderr  # the answers file is skipped, and the skip is reported


def test_extracted_offsets_point_into_text(extracted: tuple[int, list[dict[str, Any]], str]) -> None:
    _, records, _ = extracted
    for r in records:
        for field in GOLD_LISTS:
            for item in r[field]:
                if isinstance(item, dict) and "start" in item and "text" in item:
                    assert r["text"][item["start"] : item["end"]] == item["text"], (r["id"], field, item)


def test_compilation_drops_the_preface(extracted: tuple[int, list[dict[str, Any]], str]) -> None:
    _, records, _ = extracted
    parts = [r for r in records if r["id"].startswith("compilation")]
    assert [r["source"]["part"] for r in parts] == list(range(1, len(parts) + 1))
    assert all("小编" not in r["text"] and "精选" not in r["text"] for r in parts)
    assert all(re.search(r"篇[一二三]$", r["title"] or "") for r in parts)


@pytest.mark.shared
def test_sections_match_the_corpus_gold(
    shared: Path, extracted: tuple[int, list[dict[str, Any]], str], tmp_path: Path
) -> None:
    _, records, _ = extracted
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(shared / "eval" / "score.py"), str(GOLD), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(proc.stdout)
    assert result["missing_documents"] == []
    assert result["fields"]["sections"]["f1"] >= 0.97


def test_make_samples_regenerates_the_committed_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_samples", CORPUS / "make_samples.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert (CORPUS / "summary-forest-fire-gb18030.txt").read_bytes() == mod.FOREST_SUMMARY.encode("gb18030")
    assert (CORPUS / "initiative-water-saving-big5.txt").read_bytes() == mod.WATER_INITIATIVE_TRADITIONAL.encode("big5")
    fresh = tmp_path / "plan.docx"
    mod.make_docx(fresh)
    committed = CORPUS / "plan-flood-prevention.docx"
    assert next(read_file(fresh, "x.docx")).text == next(read_file(committed, "x.docx")).text


def test_cli_in_process_matches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's main command, run in this process: exit 0 and the summary on stderr."""
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(CORPUS), "-o", str(out), "--no-text"]) == 0
    err = capsys.readouterr().err
    files = len(_gold())  # the compilation's three parts make two more documents than files
    assert re.search(rf"{files} files, {files + 2} documents, 0 errors, 2 skipped", err), err
