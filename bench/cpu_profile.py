"""CPU seconds of the extraction pipeline in one process, against ``jieba.lcut`` on the same texts.

    python bench/cpu_profile.py                          # every text of ../shared/corpus/{train,dev}.jsonl
    python bench/cpu_profile.py --mb 2 --profile 25      # the first ~2 MB of text, top-25 cProfile rows
    python bench/cpu_profile.py --out /tmp/a.jsonl       # also write the records (to ``cmp`` two versions)

The figure is ``time.process_time()`` (CPU seconds of this process), which a busy shared machine
disturbs far less than wall-clock time. Texts go through ``Pipeline(model=None).process_text`` with
no time budget, so that a slow moment never truncates a record and two runs can be compared byte
for byte. Start-up (imports, lexicons, the warm-up document) is left out of the timed part.
The baseline segments the same texts with ``jieba.lcut`` (dictionary loaded before timing).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def load_texts(mb: float | None) -> list[tuple[str, str]]:
    """(id, text) of the corpus in file order, stopping after ``mb`` MB of UTF-8 text."""
    out: list[tuple[str, str]] = []
    size = 0
    for name in ("train.jsonl", "dev.jsonl"):
        with open(CORPUS / name, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                out.append((str(rec["id"]), rec["text"]))
                size += len(rec["text"].encode("utf-8"))
                if mb is not None and size >= mb * 1e6:
                    return out
    return out


# start-up work that is no document's: lazy imports (cn2an) and lexicons, run before timing
_WARM_UP = "关于开展三项整治的工作方案\n一、工作目标\n3月底前完成三百户、10个社区，责任单位：街道办。组长：王明\n"


def warm_pipeline() -> Any:
    """A pipeline with no model and no time budget, its lazy loading done."""
    from civicnlp.pipeline import Pipeline

    pipe = Pipeline(None, time_budget=float("inf"))
    list(pipe.process_text(_WARM_UP, doc_id="warm"))
    return pipe


def run_pipeline(pipe: Any, texts: list[tuple[str, str]], out_path: str | None) -> float:
    """CPU seconds to extract every text (records written to ``out_path`` when given)."""
    sink = open(out_path, "w", encoding="utf-8") if out_path else None  # noqa: SIM115
    t0 = time.process_time()
    for doc_id, text in texts:
        for doc in pipe.process_text(text, doc_id=doc_id):
            if sink is not None:
                sink.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
    cpu = time.process_time() - t0
    if sink is not None:
        sink.close()
    return cpu


def run_jieba(texts: list[tuple[str, str]]) -> float:
    """CPU seconds for ``jieba.lcut`` over every text."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    t0 = time.process_time()
    for _, text in texts:
        jieba.lcut(text)
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=None, help="stop after this many MB of text (default: all)")
    ap.add_argument("--out", default=None, help="write the records here (JSON lines)")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="print the top N cProfile rows")
    ap.add_argument("--no-jieba", action="store_true", help="skip the jieba baseline")
    args = ap.parse_args(argv)

    texts = load_texts(args.mb)
    chars = sum(len(t) for _, t in texts)
    mb = sum(len(t.encode("utf-8")) for _, t in texts) / 1e6
    pipe = warm_pipeline()
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        cpu = run_pipeline(pipe, texts, args.out)
        prof.disable()
        for key in ("tottime", "cumulative"):
            print(f"--- top {args.profile} by {key} (profiler overhead included) ---")
            pstats.Stats(prof, stream=sys.stdout).sort_stats(key).print_stats(args.profile)
    else:
        cpu = run_pipeline(pipe, texts, args.out)
    print(f"texts {len(texts)}  chars {chars:,}  MB {mb:.2f}")
    print(f"pipeline   cpu {cpu:7.2f} s   {chars / cpu:10,.0f} chars/s   {mb / cpu:.3f} MB/s")
    if not args.no_jieba:
        base = run_jieba(texts)
        print(f"jieba.lcut cpu {base:7.2f} s   {chars / base:10,.0f} chars/s   {mb / base:.3f} MB/s")
        print(f"pipeline / jieba cpu time: {cpu / base:.2f}x")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
