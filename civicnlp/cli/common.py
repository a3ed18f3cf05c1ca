"""Pieces the subcommands share: model loading, progress, usage errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from civicnlp.errors import CivicError

__all__ = ["add_model_option", "add_read_options", "fail", "progress_bar"]


def add_model_option(parser: argparse.ArgumentParser) -> None:
    """``--model DIR``."""
    parser.add_argument(
        "--model",
        metavar="DIR",
        default=None,
        help="model folder from `civicnlp train` (default: the bundled default model)",
    )


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """Options for .jsonl/.csv inputs and size limits."""
    parser.add_argument("--text-field", default="text", help="text column of .jsonl/.csv inputs (default: text)")
    parser.add_argument("--id-field", default="id", help="id column of .jsonl/.csv inputs (default: id)")
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=50 * 1024 * 1024,
        metavar="N",
        help="refuse input files larger than N bytes (default: 50 MB)",
    )


def fail(err: CivicError | str, code: int = 2) -> int:
    """Print a usage error and return its exit code."""
    print(f"civicnlp: {err}", file=sys.stderr)
    return code


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A rich progress bar over ``total`` units on a terminal; silent in pipes."""
    if not sys.stderr.isatty() or total <= 0:
        yield lambda n: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    with Progress(TextColumn(label), BarColumn(), TransferSpeedColumn(), TimeRemainingColumn(), transient=True) as prog:
        task = prog.add_task(label, total=total)
        yield lambda n: prog.advance(task, n)
