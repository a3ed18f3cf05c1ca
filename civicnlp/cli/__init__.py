"""The ``civicnlp`` command: argument parsing and reporting only; every rule lives in the core.

Each subcommand is a module here with ``register(subparsers)``; its parser's ``func`` runs it
and returns the exit code (0 clean, 1 some inputs failed, 2 usage errors).
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["COMMANDS", "main"]

# subcommand modules, in the order --help lists them
COMMANDS = ("extract", "classify", "train", "evaluate", "show", "pretrain")


def build_parser() -> argparse.ArgumentParser:
    """The whole argument parser."""
    from civicnlp import __version__

    parser = argparse.ArgumentParser(
        prog="civicnlp",
        description="Read Chinese civic documents: type, sections, action items, dates, metrics.",
    )
    parser.add_argument("--version", action="version", version=f"civicnlp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"civicnlp.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("civicnlp: interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
