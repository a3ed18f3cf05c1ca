"""``civicnlp train DATA -o DIR``: cross-validate and train a document-type model folder."""

from __future__ import annotations

import argparse
import sys

from civicnlp.cli.common import fail
from civicnlp.errors import CivicError

__all__ = ["register"]


def _labels(value: str) -> list[str]:
    labels = [x.strip() for x in value.split(",") if x.strip()]
    if not labels:
        raise argparse.ArgumentTypeError("give labels separated by commas, e.g. plan,report")
    return labels


def _folds(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n == 1 or n < 0:
        raise argparse.ArgumentTypeError("folds must be 0 (no cross-validation) or at least 2")
    return n


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``train`` subcommand."""
    p = sub.add_parser(
        "train",
        help="train a document-type model on your own labeled documents",
        description="Train a document-type model. DATA is a folder with one subfolder per label "
        "(the files inside, in any format civicnlp reads, are that label's documents), or a "
        ".jsonl/.csv file with a text and a label field. Prints cross-validated per-label "
        "precision/recall/F1 and a confusion matrix, then writes the model folder DIR (use it "
        "with --model DIR on extract, classify and evaluate).",
    )
    p.add_argument("data", metavar="DATA", help="folder of label subfolders, or a .jsonl/.csv file")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="model folder to write")
    p.add_argument("--text-field", default="text", help="text field of a .jsonl/.csv (default: text)")
    p.add_argument("--label-field", default="label", help="label field of a .jsonl/.csv (default: label)")
    p.add_argument("--id-field", default="id", help="id field of a .jsonl/.csv (default: id)")
    p.add_argument("--labels", type=_labels, default=None, metavar="L1,L2", help="train on these labels only")
    p.add_argument(
        "--folds", type=_folds, default=5, metavar="K", help="cross-validation folds (default 5; 0 skips it)"
    )
    p.add_argument("--calibration-folds", type=int, default=5, metavar="K", help="folds of the calibration (default 5)")
    p.add_argument("-C", type=float, default=None, dest="C", help="the SVM's inverse regularization (default 0.5)")
    from civicnlp.cli.transformer_train import add_transformer_options

    add_transformer_options(p)  # --backend, --base, --epochs, --device … (issue 6)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``train``."""
    from civicnlp.classify.data import load_labeled
    from civicnlp.classify.train import train_model

    try:
        data = load_labeled(
            args.data,
            text_field=args.text_field,
            label_field=args.label_field,
            id_field=args.id_field,
            labels=args.labels,
        )
        counts = data.counts()
        print(f"civicnlp train: {len(data)} documents, {len(counts)} labels: "
              + ", ".join(f"{k} {v}" for k, v in counts.items()))  # fmt: skip
        if data.left_out:
            print("  left out (not in --labels): " + ", ".join(f"{k} {v}" for k, v in sorted(data.left_out.items())))
        if data.errors:
            print(f"  {len(data.errors)} inputs could not be read, e.g. {data.errors[0]}", file=sys.stderr)
        if data.unlabeled:
            print(f"  {data.unlabeled} rows had no label and were left out", file=sys.stderr)
        if args.backend == "transformer":
            from civicnlp.cli.transformer_train import run_transformer

            return run_transformer(args, data)
        params = {"calibration_cv": args.calibration_folds}
        if args.C is not None:
            params["C"] = args.C
        result = train_model(data, args.output, folds=args.folds, params=params)
    except CivicError as err:
        return fail(err)
    if result.cv is not None:
        print(f"\ncross-validated ({args.folds} folds):")
        print(result.cv.table())
    print(f"\nwrote {args.output} in {result.seconds:.1f}s (CPU {result.cpu_seconds:.1f}s)")
    return 0
