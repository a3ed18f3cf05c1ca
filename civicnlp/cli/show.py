"""``civicnlp show FILE[#N] [--part N] [--html OUT.html] [--model DIR]``: look at a document."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

from civicnlp.cli.common import add_model_option, add_read_options, fail
from civicnlp.errors import CivicError, Errors

__all__ = ["register", "split_part"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``show`` subcommand."""
    p = sub.add_parser(
        "show",
        help="show one file's structure in the terminal or as an HTML page",
        description="Extract one file and show it: type and probability, section tree, action items "
        "with officials, units and deadline, phases as a timeline, dates and metrics. A compilation "
        "shows every part; pick one with FILE#N or --part N. --html writes one self-contained page "
        "with every extracted span highlighted in the text. Exit 0 when shown, 1 when the file could "
        "not be read, 2 for usage errors.",
    )
    p.add_argument("file", metavar="FILE", help="a file (txt/md, docx, html, jsonl, csv); FILE#N picks part N")
    p.add_argument("--part", type=int, default=None, metavar="N", help="show only part N of a compilation (1-based)")
    p.add_argument("--html", default=None, metavar="OUT.html", help="write an HTML page instead of the terminal view")
    p.add_argument("--width", type=int, default=None, metavar="COLS", help="terminal width (default: detected)")
    add_model_option(p)
    add_read_options(p)
    p.set_defaults(func=run)


def split_part(arg: str) -> tuple[str, int | None]:
    """``FILE#N`` → ``(FILE, N)`` when ``FILE#N`` itself is not a path; else ``(arg, None)``."""
    m = re.fullmatch(r"(.+)#(\d+)", arg)
    if m and not os.path.lexists(arg):
        return m.group(1), int(m.group(2))
    return arg, None


def _records(path: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    from civicnlp.classify import load_model
    from civicnlp.pipeline import Pipeline
    from civicnlp.read import ReadOptions, read_file

    pipeline = Pipeline(load_model(args.model))
    options = ReadOptions(text_field=args.text_field, id_field=args.id_field, max_bytes=args.max_bytes)
    out: list[dict[str, Any]] = []
    for raw in read_file(path, path.name, options):
        out.extend(res.to_dict() for res in pipeline.process_raw(raw))
    return out


def run(args: argparse.Namespace) -> int:
    """Run ``show``."""
    from rich.console import Console

    from civicnlp.show import render_html, render_terminal

    file, part = split_part(args.file)
    if args.part is not None:
        part = args.part
    if not os.path.lexists(file):
        return fail(CivicError(Errors.E401, path=file))
    try:
        records = _records(Path(file), args)
    except CivicError as err:
        return fail(err)
    if part is not None:
        parts = max((r.get("source", {}).get("parts", 1) for r in records), default=0)
        picked = [r for r in records if r.get("source", {}).get("part") == part and "error" not in r]
        if not picked:
            return fail(CivicError(Errors.E404, path=file, parts=parts, part=part))
        records = picked
    failed = sum(1 for r in records if "error" in r)
    if args.html:
        page = render_html(records, title=f"civicnlp show · {Path(file).name}" + (f" #{part}" if part else ""))
        Path(args.html).write_text(page, encoding="utf-8")
        print(f"civicnlp show: wrote {args.html} ({len(records)} document(s))", file=sys.stderr)
    else:
        console = Console(width=args.width) if args.width else Console()
        for record in records:
            render_terminal(record, console)
    for r in records:
        if "error" in r:
            print(f"civicnlp show: {r['error']['message']}", file=sys.stderr)
    return 1 if failed else 0
