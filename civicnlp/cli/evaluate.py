"""``civicnlp evaluate DATA [--model DIR]``: per-label P/R/F1, macro-F1, confusion matrix."""

from __future__ import annotations

import argparse
import json
import sys

from civicnlp.cli.common import add_model_option, fail
from civicnlp.errors import CivicError, Errors

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``evaluate`` subcommand."""
    p = sub.add_parser(
        "evaluate",
        help="score a model on labeled documents",
        description="Classify labeled documents (a folder of label subfolders, or a .jsonl/.csv "
        "with text and label fields) and print per-label precision, recall and F1, macro-F1 and "
        "the confusion matrix (scikit-learn's metrics). Documents whose label the model does "
        "not have are left out and counted.",
    )
    p.add_argument("data", metavar="DATA", help="folder of label subfolders, or a .jsonl/.csv file")
    p.add_argument("--text-field", default="text", help="text field of a .jsonl/.csv (default: text)")
    p.add_argument("--label-field", default="label", help="label field of a .jsonl/.csv (default: label)")
    p.add_argument("--id-field", default="id", help="id field of a .jsonl/.csv (default: id)")
    p.add_argument("--json", action="store_true", help="print the metrics as one JSON object")
    p.add_argument("--errors", action="store_true", help="also list the misclassified documents")
    add_model_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``evaluate``."""
    from civicnlp.classify import default_model_path, load_model
    from civicnlp.classify.data import load_labeled
    from civicnlp.classify.train import evaluate

    try:
        model = load_model(args.model)
        if model is None:
            raise CivicError(Errors.E301, path=str(default_model_path()))
        data = load_labeled(
            args.data,
            text_field=args.text_field,
            label_field=args.label_field,
            id_field=args.id_field,
            labels=set(model.labels),
        )
    except CivicError as err:
        return fail(err)
    pred = [model.classify(text).label for text in data.texts]
    metrics = evaluate(data.labels, pred, list(model.labels))
    if args.json:
        out = metrics.to_dict()
        out["documents"] = len(data)
        out["left_out"] = dict(sorted(data.left_out.items()))
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"civicnlp evaluate: {len(data)} documents from {args.data}")
        if data.left_out:
            print("  left out (labels the model does not have): "
                  + ", ".join(f"{k} {v}" for k, v in sorted(data.left_out.items())))  # fmt: skip
        print(metrics.table())
    if args.errors:
        for doc_id, gold, guess in zip(data.ids, data.labels, pred, strict=True):
            if gold != guess:
                print(f"  {doc_id}\t{gold} -> {guess}", file=sys.stderr if args.json else sys.stdout)
    if data.errors:
        print(f"  {len(data.errors)} inputs could not be read, e.g. {data.errors[0]}", file=sys.stderr)
    return 1 if data.errors else 0
