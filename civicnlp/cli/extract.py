"""``civicnlp extract PATH... -o FILE``: one civicnlp.document/1 record per document."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from civicnlp.cli.common import add_model_option, add_read_options, fail, progress_bar
from civicnlp.errors import CivicError, Errors

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``extract`` subcommand."""
    p = sub.add_parser(
        "extract",
        help="extract records from files and folders",
        description="Read files and folders (txt/md, docx, html, jsonl, csv) and write one "
        "civicnlp.document/1 record per document. Exit 0 when every file was read, 1 when some "
        "failed (each has an error record), 2 for usage errors.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (folders are read recursively)")
    p.add_argument("-o", "--output", default="-", metavar="FILE", help="output file, '-' for stdout (default)")
    p.add_argument("--format", default="jsonl", help="jsonl (default) or csv")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    p.add_argument("--no-text", action="store_true", help="leave each record's text out")
    p.add_argument("--time-budget", type=float, default=30.0, metavar="S", help="seconds per document (default 30)")
    add_model_option(p)
    add_read_options(p)
    p.set_defaults(func=run)


def _total_bytes(paths: list[str]) -> int:
    total = 0
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for dirpath, _, files in os.walk(path):
                total += sum(_size(Path(dirpath) / f) for f in files)
        else:
            total += _size(path)
    return total


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def run(args: argparse.Namespace) -> int:
    """Run ``extract``."""
    from civicnlp.classify import load_model
    from civicnlp.engine.local import run_local
    from civicnlp.pipeline import Pipeline, Result
    from civicnlp.read import ReadOptions
    from civicnlp.writers import FORMATS, RecordWriter, atomic_output

    if args.format not in FORMATS:
        return fail(CivicError(Errors.E402, value=args.format, choices=", ".join(FORMATS)))
    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        return fail(CivicError(Errors.E401, path=missing[0]))
    try:
        model = load_model(args.model)
    except CivicError as err:
        return fail(err)
    pipeline = Pipeline(model, time_budget=args.time_budget)
    options = ReadOptions(text_field=args.text_field, id_field=args.id_field, max_bytes=args.max_bytes)
    include_text = not args.no_text
    with atomic_output(args.output) as stream, progress_bar(_total_bytes(args.paths), "extract") as advance:
        writer = RecordWriter(stream, args.format)

        def sink(res: Result) -> None:
            writer.write(res.to_dict(include_text=include_text))

        report = run_local(args.paths, pipeline, sink, options=options, progress=advance)
    print(f"civicnlp extract: {report.summary()}", file=sys.stderr)
    for reason, rels in sorted(report.skipped.reasons.items()):
        print(
            f"  skipped {len(rels)} ({reason}): {', '.join(rels[:5])}{' …' if len(rels) > 5 else ''}", file=sys.stderr
        )
    if report.errors:
        print(f"  {report.errors} inputs failed; their error records are in the output.", file=sys.stderr)
    return 1 if report.errors else 0
