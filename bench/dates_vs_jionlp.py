"""Dates side by side: civicnlp's ``extract_dates`` against jionlp's ``extract_time``.

Runs both over the texts of ``../shared/gold/dev.jsonl`` (or the gold files given), scores
each against the gold dates with the shared scorer's own matching (``../shared/eval/score.py``:
one-to-one on normalized text, equal or one containing the other at least half its length),
and prints F1 and throughput (characters per second) for both in one table. Value accuracy
is printed for civicnlp only (jionlp writes its values in another form).

jionlp is never a civicnlp dependency: give it its own environment, with civicnlp in it::

    python3 -m venv --system-site-packages /work/venv-jionlp
    /work/venv-jionlp/bin/pip install jionlp regex cn2an
    /work/venv-jionlp/bin/pip install --no-deps -e .
    /work/venv-jionlp/bin/python bench/dates_vs_jionlp.py

Run with any other interpreter, the jionlp row says it was skipped and why.
Options: ``--repeat N`` times civicnlp N times and keeps the best run (default 3);
``--limit N`` scores only the first N documents.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


def load_scorer() -> ModuleType:
    """The shared scorer as a module (its ``match``, ``norm`` and ``same_value``)."""
    spec = importlib.util.spec_from_file_location("civic_score", SHARED / "eval" / "score.py")
    if spec is None or spec.loader is None:
        raise ImportError("cannot load ../shared/eval/score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def ours(text: str) -> list[dict[str, Any]]:
    """civicnlp's dates of one text, as record dicts."""
    from civicnlp.extractors.dates import extract_dates

    return [d.to_dict() for d in extract_dates(text)]


def make_jionlp() -> tuple[Callable[[str], list[dict[str, Any]]] | None, str]:
    """jionlp's extract_time as a function, or None and the reason it is not available."""
    try:
        import jionlp
    except ImportError as exc:
        return None, f"skipped: jionlp is not installed in {sys.executable} ({exc}); see this script's docstring"
    base = time.mktime((2021, 6, 1, 0, 0, 0, 0, 0, -1))  # a fixed base: results must not depend on today

    logging.disable(logging.ERROR)  # jionlp logs a traceback for each string it cannot parse

    def run(text: str) -> list[dict[str, Any]]:
        out = []
        for r in jionlp.ner.extract_time(text, time_base=base, with_parsing=False):
            out.append({"text": r["text"], "kind": r.get("type"), "value": None})
        return out

    return run, f"jionlp {getattr(jionlp, '__version__', '?')}"


def score(
    scorer: ModuleType, gold_docs: list[dict[str, Any]], preds: list[list[dict[str, Any]]], values: bool
) -> dict[str, Any]:
    """tp/fp/fn, P/R/F1 (and value accuracy) over all documents, with the scorer's matching."""
    tp = fp = fn = ok = n = 0
    for g, p in zip(gold_docs, preds, strict=True):
        gd = g.get("dates")
        if gd is None:
            continue
        pairs, missed, extra = scorer.match(gd, p, key=lambda d: d.get("text"))
        tp, fp, fn = tp + len(pairs), fp + len(extra), fn + len(missed)
        if values:
            for a, b in pairs:
                n += 1
                ok += bool(scorer.same_value(a.get("value"), b.get("value")))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": prec, "r": rec, "f1": f1, "value": (ok / n) if n else None}


def timed(
    fn: Callable[[str], list[dict[str, Any]]], texts: list[str], repeat: int
) -> tuple[list[list[dict[str, Any]]], float]:
    """Results of ``fn`` over ``texts`` and the best wall time of ``repeat`` runs."""
    best = float("inf")
    out: list[list[dict[str, Any]]] = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = [fn(t) for t in texts]
        best = min(best, time.perf_counter() - t0)
    return out, best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", help="gold JSONL files (default: ../shared/gold/dev.jsonl)")
    ap.add_argument("--repeat", type=int, default=3, help="time civicnlp this many times, keep the best")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    a = ap.parse_args()
    golds = [Path(g) for g in a.gold] or [SHARED / "gold" / "dev.jsonl"]
    if not all(g.exists() for g in golds) or not (SHARED / "eval" / "score.py").exists():
        print(f"skipped: gold files or the scorer not found under {SHARED}")
        return 0
    scorer = load_scorer()
    docs = [json.loads(line) for g in golds for line in g.open(encoding="utf-8") if line.strip()]
    if a.limit:
        docs = docs[: a.limit]
    texts = [d["text"] for d in docs]
    chars = sum(len(t) for t in texts)
    ours(texts[0])  # warm up: load the lexicons and compile the grammar once, outside the timing
    rows = []
    preds, secs = timed(ours, texts, a.repeat)
    rows.append(("civicnlp", score(scorer, docs, preds, values=True), chars / secs))
    jio, label = make_jionlp()
    if jio is not None:
        jio(texts[0])
        jpreds, jsecs = timed(jio, texts, 1)
        rows.append((label, score(scorer, docs, jpreds, values=False), chars / jsecs))
    print(f"{len(docs)} documents, {chars} characters, {sum(len(d.get('dates') or []) for d in docs)} gold dates")
    print(f"{'system':16} {'P':>6} {'R':>6} {'F1':>6} {'value':>6} {'tp/fp/fn':>12} {'chars/s':>12}")
    for name, r, cps in rows:
        va = f"{r['value']:.3f}" if r["value"] is not None else "-"
        print(
            f"{name:16} {r['p']:6.3f} {r['r']:6.3f} {r['f1']:6.3f} {va:>6} {r['tp']:>4}/{r['fp']}/{r['fn']:<4} {cps:12,.0f}"
        )
    if jio is None:
        print(label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
