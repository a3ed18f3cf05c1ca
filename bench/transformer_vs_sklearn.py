"""Transformer backend vs the scikit-learn default, side by side on the shared corpus.

1. pretrain a small character-level BERT on every text of ``../shared/corpus/train.jsonl``
   (or reuse ``--base DIR``),
2. fine-tune it on the train documents of the core labels (initiative, summary, plan, report),
3. fit the scikit-learn default (``DocTypeClassifier()``) on the same documents,
4. score both on the dev documents of those labels: macro-F1, accuracy, training time and
   prediction speed (documents per second, one ``classify``-style call per document, as the
   pipeline calls it; the transformer's batched speed is reported too). On a shared machine
   wall-clock speed is noisy, so documents per CPU-second (``time.process_time``) are given too.

Usage::

    python bench/transformer_vs_sklearn.py                      # CPU, small sizes
    python bench/transformer_vs_sklearn.py --device cuda        # on a GPU
    python bench/transformer_vs_sklearn.py --save-base models/pretrained-base

Needs the extra: pip install "civicnlp[transformers]".
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORE = ("initiative", "summary", "plan", "report")


def load(path: Path) -> list[dict[str, Any]]:
    """Rows of a .jsonl file."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def scores(gold: list[str], pred: list[str], labels: list[str]) -> dict[str, Any]:
    """Per-label F1, macro-F1 and accuracy."""
    from civicnlp.classify.train import evaluate

    m = evaluate(gold, pred, labels)
    return {
        "macro_f1": m.macro_f1,
        "accuracy": m.accuracy,
        "per_label_f1": {k: v["f1"] for k, v in m.per_label.items()},
    }


def device_name(device: str) -> str:
    """The CPU or GPU the run used, in words."""
    import torch

    if device.startswith("cuda") and torch.cuda.is_available():
        return f"{torch.cuda.get_device_name(0)} (torch {torch.__version__})"
    return f"{platform.processor() or platform.machine()} CPU, {torch.get_num_threads()} torch threads (torch {torch.__version__})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (default ../shared)")
    ap.add_argument("--device", default="cpu", help="cpu (default), cuda, cuda:N, auto")
    ap.add_argument("--base", type=Path, default=None, help="reuse this base checkpoint instead of pretraining")
    ap.add_argument(
        "--save-base", type=Path, default=None, help="copy the pretrained base here (e.g. models/pretrained-base)"
    )
    ap.add_argument("--workdir", type=Path, default=None, help="keep checkpoints here (default: a temporary folder)")
    ap.add_argument("--steps", type=int, default=800, help="pretraining steps (default 800)")
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--heads", type=int, default=2)
    ap.add_argument("--seq-len", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=4, help="fine-tuning epochs (default 4)")
    ap.add_argument("--max-length", type=int, default=256, help="fine-tuning tokens per document (default 256)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1: best on a shared machine)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)

    from civicnlp.classify.transformer_model import TransformerClassifier, train_transformer
    from civicnlp.classify.transformer_pretrain import PretrainOptions, pretrain
    from civicnlp.text.normalize import normalize

    # texts normalized as the pipeline normalizes what it classifies
    train_rows = [{**r, "text": normalize(r["text"]).text} for r in load(args.shared / "corpus" / "train.jsonl")]
    dev_rows = [
        {**r, "text": normalize(r["text"]).text}
        for r in load(args.shared / "corpus" / "dev.jsonl")
        if r.get("label") in CORE
    ]
    core = [r for r in train_rows if r.get("label") in CORE]
    texts, labels = [r["text"] for r in core], [r["label"] for r in core]
    dev_texts, dev_gold = [r["text"] for r in dev_rows], [r["label"] for r in dev_rows]
    label_list = sorted(CORE)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="civicnlp-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "device": device_name(args.device),
        "train_documents": len(texts),
        "pretrain_documents": len(train_rows),
        "dev_documents": len(dev_texts),
    }

    def log(msg: str) -> None:
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    def every(name: str, n: int) -> Any:
        def report(step: int, total: int, loss: float) -> None:
            if step % n == 0 or step == total:
                log(f"{name} {step}/{total} loss {loss:.4f}")

        return report

    # -- scikit-learn default --------------------------------------------------------------
    from civicnlp.classify.estimator import DocTypeClassifier

    t0, c0 = time.perf_counter(), time.process_time()
    sk = DocTypeClassifier().fit(texts, labels)
    sk_train, sk_train_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    sk_pred = [str(sk.predict([t])[0]) for t in dev_texts]
    sk_speed = len(dev_texts) / (time.perf_counter() - t0)
    sk_cpu_speed = len(dev_texts) / (time.process_time() - c0)
    result["sklearn"] = {
        **scores(dev_gold, sk_pred, label_list),
        "train_seconds": round(sk_train, 1),
        "train_cpu_seconds": round(sk_train_cpu, 1),
        "docs_per_second": round(sk_speed, 1),
        "docs_per_cpu_second": round(sk_cpu_speed, 1),
    }
    log(f"sklearn: {result['sklearn']}")

    # -- transformer: pretrain ----------------------------------------------------------------
    base = args.base
    if base is None:
        base = work / "base"
        opts = PretrainOptions(
            layers=args.layers,
            hidden=args.hidden,
            heads=args.heads,
            steps=args.steps,
            seq_len=args.seq_len,
            batch=args.batch,
            seed=args.seed,
        )
        card = pretrain(
            [r["text"] for r in train_rows], base, options=opts, device=args.device, progress=every("pretrain", 50)
        )
        result["pretrain"] = {
            "seconds": card["training"]["seconds"],
            "final_loss": card["training"]["final_loss"],
            "parameters": card["parameters"],
            "vocab_size": card["vocab_size"],
            "options": card["options"],
            "size_mb": round(sum(p.stat().st_size for p in base.iterdir()) / 1e6, 2),
        }
        log(f"pretrain: {result['pretrain']}")
        if args.save_base:
            shutil.copytree(base, args.save_base, dirs_exist_ok=True)

    # -- transformer: fine-tune --------------------------------------------------------------
    t0, c0 = time.perf_counter(), time.process_time()
    card = train_transformer(
        texts,
        labels,
        base=base,
        out=work / "model",
        epochs=args.epochs,
        max_length=args.max_length,
        seed=args.seed,
        device=args.device,
        holdout=0.0,
        source="train.jsonl",
        progress=every("fine-tune", 20),
    )
    tr_train, tr_train_cpu = time.perf_counter() - t0, time.process_time() - c0
    clf = TransformerClassifier.load(work / "model", device=args.device)
    t0, c0 = time.perf_counter(), time.process_time()
    tr_pred = [clf.classify(t).label for t in dev_texts]
    tr_speed = len(dev_texts) / (time.perf_counter() - t0)
    tr_cpu_speed = len(dev_texts) / (time.process_time() - c0)
    t0 = time.perf_counter()
    clf.predict_proba(dev_texts)
    tr_batched = len(dev_texts) / (time.perf_counter() - t0)
    result["transformer"] = {
        **scores(dev_gold, tr_pred, label_list),
        "train_seconds": round(tr_train, 1),
        "train_cpu_seconds": round(tr_train_cpu, 1),
        "train_seconds_with_pretrain": round(tr_train + result.get("pretrain", {}).get("seconds", 0.0), 1),
        "docs_per_second": round(tr_speed, 1),
        "docs_per_cpu_second": round(tr_cpu_speed, 1),
        "docs_per_second_batched": round(tr_batched, 1),
        "epochs": args.epochs,
        "max_length": args.max_length,
        "lr": card["training"]["lr"],
    }
    log(f"transformer: {result['transformer']}")

    sk_f1, tr_f1 = result["sklearn"]["macro_f1"], result["transformer"]["macro_f1"]
    wins = tr_f1 > sk_f1 and tr_speed >= 50
    result["winner"] = "transformer" if wins else "sklearn"
    result["macro_f1_difference"] = round(tr_f1 - sk_f1, 4)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
