"""``civicnlp train --backend transformer``: the options and the run, kept apart from ``train``.

``civicnlp.cli.train`` adds these options with :func:`add_transformer_options` and hands the
loaded data to :func:`run_transformer` when ``--backend transformer`` is given.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from civicnlp.cli.common import fail, progress_bar
from civicnlp.errors import CivicError

__all__ = ["add_transformer_options", "run_transformer"]


def add_transformer_options(p: argparse.ArgumentParser) -> None:
    """``--backend``, ``--base`` and the fine-tuning options."""
    p.add_argument(
        "--backend",
        choices=("sklearn", "transformer"),
        default="sklearn",
        help="sklearn (default: fast, CPU) or transformer (fine-tunes --base; needs civicnlp[transformers])",
    )
    g = p.add_argument_group("transformer backend")
    g.add_argument(
        "--base",
        metavar="CHECKPOINT_DIR",
        default=None,
        help="local Hugging Face checkpoint to fine-tune (safetensors), e.g. models/pretrained-base "
        "or a folder from `civicnlp pretrain`",
    )
    g.add_argument("--epochs", type=int, default=3, metavar="N", help="fine-tuning epochs (default 3)")
    g.add_argument(
        "--max-length", type=int, default=256, metavar="N", help="tokens per document, head+tail (default 256)"
    )
    g.add_argument("--batch-size", type=int, default=16, metavar="N", help="documents per step (default 16)")
    g.add_argument(
        "--lr", type=float, default=None, metavar="X", help="learning rate (default 3e-4 small / 5e-5 base-size)"
    )
    g.add_argument(
        "--holdout", type=float, default=0.1, metavar="F", help="share of each label held out and scored (default 0.1)"
    )
    g.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    g.add_argument("--device", default="cpu", help="cpu (default), cuda, cuda:N, mps or auto")


def run_transformer(args: argparse.Namespace, data: Any) -> int:
    """Fine-tune ``args.base`` on ``data`` (a ``LabeledData``) and write ``args.output``."""
    from civicnlp.classify.transformer_model import train_transformer
    from civicnlp.cli.pretrain import training_progress

    if not args.base:
        return fail("--backend transformer needs --base CHECKPOINT_DIR (e.g. models/pretrained-base)")
    if args.epochs < 1 or args.max_length < 8 or args.batch_size < 1 or not 0 <= args.holdout < 1:
        return fail("--epochs and --batch-size must be >= 1, --max-length >= 8 and --holdout in [0, 1)")
    from pathlib import Path

    n = len(data.texts)
    steps = max(1, -(-round(n * (1 - args.holdout)) // args.batch_size)) * args.epochs
    try:
        with progress_bar(steps, "fine-tune") as advance:
            card = train_transformer(
                data.texts,
                data.labels,
                base=Path(args.base),
                out=Path(args.output),
                epochs=args.epochs,
                max_length=args.max_length,
                seed=args.seed,
                device=args.device,
                batch_size=args.batch_size,
                lr=args.lr,
                holdout=args.holdout,
                source=str(args.data),
                progress=training_progress(steps, "fine-tune", advance),
            )
    except CivicError as err:
        return fail(err)
    held = card.get("held_out")
    if held:
        from civicnlp.classify.train import Metrics

        keys = ("labels", "per_label", "macro_f1", "accuracy", "confusion")
        print(f"\nheld out ({held['documents']} documents, {held['fraction']:.0%} of each label):")
        print(Metrics(**{k: held[k] for k in keys}).table())
    t = card["training"]
    print(f"\nwrote {args.output} in {t['seconds']:.1f}s on {t['device']}", file=sys.stdout)
    return 0
