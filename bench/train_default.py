"""Train the default document-type model and measure it.

    python bench/train_default.py [--out models/default] [--folds 5] [--dev]

Trains on the four core labels (initiative, summary, plan, report) of
``../shared/corpus/train.jsonl`` with 5-fold cross-validation for the model card, writes the
model folder, and reports: training wall and CPU time, the folder's size, the time to load it
(in a fresh process, as a user's first call pays it) and to classify a first document, and with
``--dev`` the scores on ``../shared/corpus/dev.jsonl`` (core labels). Not a test: timings depend
on the machine. Exits 2 when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

_LOAD = """
import time, sys
t = time.perf_counter()
from civicnlp.classify import load_model
m = load_model(sys.argv[1])
t1 = time.perf_counter()
m.classify("关于开展垃圾分类的倡议书\\n广大居民朋友们：让我们行动起来。")
t2 = time.perf_counter()
print(f"{t1 - t:.3f} {t2 - t1:.3f}")
"""


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "models" / "default"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--dev", action="store_true", help="also score ../shared/corpus/dev.jsonl")
    args = ap.parse_args()
    train = SHARED / "corpus" / "train.jsonl"
    if not train.is_file():
        print(f"bench/train_default.py: {train} is absent; nothing to train on", file=sys.stderr)
        return 2
    from civicnlp.classify.data import load_labeled
    from civicnlp.classify.train import CORE_LABELS, evaluate, train_model

    t0, c0 = time.perf_counter(), time.process_time()
    data = load_labeled(train, labels=CORE_LABELS)
    read_s = time.perf_counter() - t0
    result = train_model(data, args.out, folds=args.folds)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out = Path(args.out)
    print(f"training data: {len(data)} documents {data.counts()}; left out {dict(data.left_out)}")
    if result.cv is not None:
        print(f"cross-validated ({args.folds} folds) on train:\n{result.cv.table()}")
    print(f"train: {wall:.1f}s wall, {cpu:.1f}s CPU (reading+normalizing {read_s:.1f}s)")
    print(
        f"model folder: {out} {folder_size(out) / 1e6:.2f} MB "
        + json.dumps({p.name: p.stat().st_size for p in sorted(out.iterdir())})
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", _LOAD, str(out)], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(3)
    ]
    loads = sorted(float(r[0]) for r in runs)
    firsts = sorted(float(r[1]) for r in runs)
    print(f"load (fresh process, best of 3): {loads[0]:.3f}s; first classify (builds the tokenizer): {firsts[0]:.3f}s")
    if args.dev:
        from civicnlp.classify import load_model

        model = load_model(out)
        assert model is not None
        dev = load_labeled(SHARED / "corpus" / "dev.jsonl", labels=CORE_LABELS)
        t = time.perf_counter()
        pred = [model.classify(text).label for text in dev.texts]
        per_doc = (time.perf_counter() - t) / max(len(dev), 1)
        print(
            f"dev ({len(dev)} documents, {per_doc * 1000:.1f} ms/document):\n{evaluate(dev.labels, pred, model.labels).table()}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
