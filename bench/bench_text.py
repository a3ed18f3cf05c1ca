"""Throughput of the text stages: normalize, split, title and sections, over the shared corpus
(or the files given). Usage: python bench/bench_text.py [FILE.jsonl ...] [--repeat N]

Prints characters per second for each stage and for one long concatenated text (to show the
stages stay linear). Skips with a message when ../shared is absent and no file is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def main() -> int:
    from civicnlp.extractors.context import Context
    from civicnlp.extractors.sections import extract_sections
    from civicnlp.extractors.title import find_title
    from civicnlp.text.normalize import normalize
    from civicnlp.text.split import split_parts

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    files = [Path(f) for f in a.files] or [SHARED / "corpus" / "train.jsonl", SHARED / "corpus" / "dev.jsonl"]
    if not all(f.exists() for f in files):
        print(f"skipped: corpus not found ({', '.join(map(str, files))})")
        return 0
    texts = [json.loads(line)["text"] for f in files for line in f.open(encoding="utf-8") if line.strip()]
    texts = texts * a.repeat
    chars = sum(len(t) for t in texts)

    t0 = time.perf_counter()
    norms = [normalize(t).text for t in texts]
    t1 = time.perf_counter()
    parts = [(n, split_parts(n)) for n in norms]
    t2 = time.perf_counter()
    n_sections = 0
    for n, ps in parts:
        for p in ps:
            doc = n[p.start : p.end]
            find_title(doc)
            n_sections += len(extract_sections(doc, context=Context(text=doc)))
    t3 = time.perf_counter()
    mb = chars / 1e6
    print(f"{len(texts)} texts, {mb:.2f} M chars, {n_sections} sections")
    for name, secs in (("normalize", t1 - t0), ("split", t2 - t1), ("title+sections", t3 - t2)):
        print(f"  {name:15} {secs:6.2f} s  {mb / secs if secs else float('inf'):6.2f} M chars/s")

    long = "\n".join(texts)
    t0 = time.perf_counter()
    norm = normalize(long).text
    split_parts(norm)
    extract_sections(norm, context=Context(text=norm))
    secs = time.perf_counter() - t0
    print(f"  one long text  {secs:6.2f} s  {len(long) / 1e6 / secs:6.2f} M chars/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
