"""Enumeration markers at line starts (``一、`` ``（一）`` ``1.`` ``(1)`` ``①`` ``第一条`` ``2.1``).

The families are data (``lexicon/markers.json``); this module compiles them once and reads a
marker's integer value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from civicnlp.lexicon import load_json

__all__ = ["Marker", "cn_number", "is_heading_line", "match_marker"]

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_LEAD = "[ \t\u3000\xa0]*"


@dataclass(frozen=True)
class Marker:
    """A marker found at a line start: its family, its text as written, and its number."""

    family: str
    text: str
    number: int | None
    start: int  # offset of the marker in the line
    end: int


def cn_number(s: str) -> int | None:
    """Integer value of a small Chinese or Arabic numeral (一 … 九十九, 百, full-width digits)."""
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if not s:
        return None
    if all(ch in _CN_DIGIT for ch in s) and len(s) > 1:  # 二〇 style
        return int("".join(str(_CN_DIGIT[ch]) for ch in s))
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGIT:
            cur = _CN_DIGIT[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


@cache
def _families() -> tuple[tuple[str, str, regex.Pattern[str]], ...]:
    spec = load_json("markers.json")["families"]
    return tuple((f["family"], f["num"], regex.compile(_LEAD + "(?:" + f["pattern"] + ")")) for f in spec)


def match_marker(line: str) -> Marker | None:
    """The enumeration marker at the start of ``line``, or None."""
    for family, num, pat in _families():
        m = pat.match(line)
        if not m:
            continue
        raw = m.group("n")
        number: int | None
        if num == "outline":
            parts = regex.split(r"[.．]", raw)
            family = f"outline{len(parts)}"
            number = int(parts[-1])
        elif num == "circled":
            number = _CIRCLED.index(raw) + 1
        else:
            number = cn_number(raw)
        lead = len(line) - len(line.lstrip(" \t\u3000\xa0"))
        return Marker(family, line[lead : m.end()].strip(), number, lead, m.end())
    return None


def is_heading_line(line: str) -> bool:
    """Whether a line starts with an enumeration marker (used to keep line breaks before it)."""
    return match_marker(line) is not None
