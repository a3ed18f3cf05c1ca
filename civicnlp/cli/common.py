"""Pieces the subcommands share: model loading, progress, usage errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from civicnlp.errors import CivicError

__all__ = ["add_model_option", "add_read_options", "fail", "positive_int", "progress_bar"]


def positive_int(value: str) -> int:
    """An argparse type: an integer of at least 1 (a bad value is a usage error, exit 2)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {n}")
    return n


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
        type=positive_int,
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
