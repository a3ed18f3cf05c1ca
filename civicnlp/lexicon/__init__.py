"""Lexicons and rule tables: data files in this folder, each loaded once per process."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["load_json", "load_lines"]


@cache
def load_json(name: str) -> Any:
    """A JSON data file from ``civicnlp/lexicon`` (cached)."""
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """A one-entry-per-line data file (``#`` comments and blanks skipped), cached."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
