"""Score civicnlp against a gold file: extract each gold text as its own document, then run the
shared scorer. Usage: python bench/eval_gold.py [GOLD.jsonl ...] [--show-errors N] [--field F]

Skips with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def predict(gold: Path, out: Path, model: str | None) -> None:
    import civicnlp

    with out.open("w", encoding="utf-8") as fh:
        for line in gold.open(encoding="utf-8"):
            if not line.strip():
                continue
            g = json.loads(line)
            for doc in civicnlp.extract(g["text"], doc_id=g["id"], model=model):
                fh.write(json.dumps(doc.to_dict(include_text=False), ensure_ascii=False) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", help="gold files (default: ../shared/gold/seed.jsonl and dev.jsonl)")
    ap.add_argument("--show-errors", type=int, default=0)
    ap.add_argument("--model", default=None)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    golds = [Path(g) for g in a.gold] or [SHARED / "gold" / "seed.jsonl", SHARED / "gold" / "dev.jsonl"]
    if not all(g.exists() for g in golds):
        print(f"skipped: gold files not found ({', '.join(map(str, golds))})")
        return 0
    for gold in golds:
        with tempfile.TemporaryDirectory() as tmp:
            pred = Path(tmp) / "pred.jsonl"
            predict(gold, pred, a.model)
            print(f"== {gold}")
            cmd = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(pred)]
            if a.show_errors:
                cmd += ["--show-errors", str(a.show_errors)]
            if a.json:
                cmd.append("--json")
            subprocess.run(cmd, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
