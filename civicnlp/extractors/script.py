"""A simplified-script shadow of a text, character for character, so that offsets never move.

Rules and lexicons are written in simplified characters; :func:`simplified` maps the
traditional characters they need (``lexicon/t2s.txt``) one to one, so a match found in the
shadow is sliced from the original text at the same offsets and keeps its script as written.
A text with none of those characters (most of them) is returned as it is, after one scan.
"""

from __future__ import annotations

import re
from functools import cache

from civicnlp.lexicon import load_lines

__all__ = ["simplified"]


@cache
def _table() -> dict[int, str]:
    lines = load_lines("t2s.txt")
    table: dict[int, str] = {}
    for trad, simp in zip(lines[0::2], lines[1::2], strict=True):
        if len(trad) != len(simp):
            raise ValueError(f"t2s.txt: lines differ in length: {trad[:8]}… / {simp[:8]}…")
        for t, s in zip(trad, simp, strict=True):
            if t != s:
                table[ord(t)] = s
    return table


@cache
def _traditional() -> re.Pattern[str]:
    """One character that :func:`simplified` maps (a plain ``re`` class: a fast scan)."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_table())) + "]")


def simplified(text: str) -> str:
    """``text`` with traditional characters mapped to simplified ones; same length, same offsets."""
    if _traditional().search(text) is None:
        return text
    return text.translate(_table())
