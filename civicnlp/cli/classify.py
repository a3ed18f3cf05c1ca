"""``civicnlp classify PATH... [--model DIR] [--explain]``: one line per document: id, label, probability."""

from __future__ import annotations

import argparse
import json
import os
import sys

from civicnlp.cli.common import add_model_option, add_read_options, fail
from civicnlp.errors import CivicError, Errors

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``classify`` subcommand."""
    p = sub.add_parser(
        "classify",
        help="tell the document type of files (one line per document)",
        description="Classify every document under the given files and folders (each part of a "
        "compilation on its own). Prints one tab-separated line per document: id, label, "
        "probability; --explain adds the n-grams (and structure cues) that weighed most for that label. Exit 0 when "
        "every file was read, 1 when some failed, 2 for usage errors.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (folders are read recursively)")
    p.add_argument("--explain", action="store_true", help="add the n-grams that weighed most for the label")
    p.add_argument("--top", type=int, default=6, metavar="N", help="how many n-grams --explain shows (default 6)")
    p.add_argument("--json", action="store_true", help="one JSON object per line instead of tab-separated text")
    add_model_option(p)
    add_read_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``classify``."""
    from civicnlp.classify import load_model
    from civicnlp.engine.inputs import Skipped, iter_inputs
    from civicnlp.read import ReadOptions, read_file
    from civicnlp.text.normalize import normalize
    from civicnlp.text.split import split_parts

    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        return fail(CivicError(Errors.E401, path=missing[0]))
    try:
        model = load_model(args.model)
    except CivicError as err:
        return fail(err)
    if model is None:
        from civicnlp.classify import default_model_path

        return fail(CivicError(Errors.E301, path=str(default_model_path())))
    explain = getattr(model, "explain", None) if args.explain else None
    options = ReadOptions(text_field=args.text_field, id_field=args.id_field, max_bytes=args.max_bytes)
    errors = 0
    out = sys.stdout
    for item in iter_inputs(args.paths, Skipped()):
        for raw in read_file(item.path, item.rel, options):
            if raw.error is not None:
                errors += 1
                print(f"civicnlp classify: {raw.error}", file=sys.stderr)
                continue
            text = normalize(raw.text).text
            parts = split_parts(text)
            for i, part in enumerate(parts, start=1):
                doc_id = f"{raw.id}#{i}" if len(parts) > 1 else raw.id
                body = text[part.start : part.end]
                dt = model.classify(body)
                feats = None
                if explain is not None:  # the n-grams that weighed most, then the structure cues
                    feats = explain(body, top=args.top, blocks=("chars", "words", "title"))
                    feats += explain(body, top=3, blocks=("structure",))
                if args.json:
                    rec: dict[str, object] = {"id": doc_id, "label": dt.label, "score": dt.score, "scores": dt.scores}
                    if feats is not None:
                        rec["explain"] = [[name, round(w, 4)] for name, w in feats]
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                else:
                    line = f"{doc_id}\t{dt.label}\t{dt.score:.3f}"
                    if feats is not None:
                        line += "\t" + " ".join(f"{name}({w:+.3f})" for name, w in feats)
                    out.write(line + "\n")
    if args.explain and explain is None:
        print("civicnlp classify: this model's backend cannot explain its decisions", file=sys.stderr)
    return 1 if errors else 0
