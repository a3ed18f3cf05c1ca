"""Enumeration markers at line starts (``一、`` ``（一）`` ``1.`` ``(1)`` ``①`` ``第一条`` ``2.1``).

The families are data (``lexicon/markers.json``); this module compiles them once and reads a
marker's integer value. Markers are script-neutral (the same in simplified and traditional
pages). A match can be *weak* — a decimal outline (``2.1``, which may also be a decimal such as
``3.2平方公里``), a bare outline number (``1 总则``) or an Arabic marker followed by a digit
(``1、1月9日``): such a marker is a heading only when its sequence in the document confirms it,
which :mod:`civicnlp.extractors.sections` checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from civicnlp.lexicon import load_json

__all__ = ["Family", "Marker", "cn_number", "family_rank", "heading_cut", "is_heading_line", "match_marker"]

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_FULL = str.maketrans("０１２３４５６７８９", "0123456789")
_OUTLINE_SPLIT = regex.compile(r"[.．]")
_CLAUSE = regex.compile(r"[，,。；;、]")
_HEAD_END = regex.compile(r"[。：]|(?<!\d):|:(?!\d)")


@dataclass(frozen=True)
class Marker:
    """A marker found at a line start: its family, its text as written, and its number.

    ``start``/``end`` are offsets in the line (``start`` after any indentation). ``weak`` marks a
    match that needs its sequence to confirm it (see the module docstring); ``path`` holds the
    numbers of a decimal outline (``(2, 1)`` for ``2.1``), empty otherwise.
    """

    family: str
    text: str
    number: int | None
    start: int
    end: int
    weak: bool = False
    path: tuple[int, ...] = ()


@dataclass(frozen=True)
class Family:
    """One marker spelling from ``markers.json``, compiled."""

    family: str
    rank: int
    num: str
    chars: str
    pattern: regex.Pattern[str]


def cn_number(s: str) -> int | None:
    """Integer value of a small Chinese or Arabic numeral (一 … 九百九十九, full-width digits)."""
    s = s.translate(_FULL)
    if s.isdigit():
        return int(s)
    if not s:
        return None
    if len(s) > 1 and all(ch in _CN_DIGIT for ch in s):  # 二〇 style
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
def _spec() -> tuple[regex.Pattern[str], frozenset[str], tuple[Family, ...]]:
    spec = load_json("markers.json")
    lead = spec["lead"]
    families = tuple(
        Family(
            f["family"], int(f["rank"]), f["num"], f.get("chars", ""), regex.compile(lead + "(?:" + f["pattern"] + ")")
        )
        for f in spec["families"]
    )
    return regex.compile(lead), frozenset(spec["first_chars"]), families


@cache
def family_rank(family: str) -> int:
    """Where a family sits in a typical 公文 (lower is higher in the tree); outlines by depth."""
    if family.startswith("outline"):
        return 10 + int(family[len("outline") :] or 1)
    for f in _spec()[2]:
        if f.family == family:
            return f.rank
    return 99


def match_marker(line: str) -> Marker | None:
    """The enumeration marker at the start of ``line``, or None."""
    lead_re, first_chars, families = _spec()
    lead_m = lead_re.match(line)
    lead = lead_m.end() if lead_m else 0
    if lead >= len(line) or line[lead] not in first_chars:
        return None
    for fam in families:
        m = fam.pattern.match(line)
        if not m:
            continue
        raw = m.group("n")
        family = fam.family
        number: int | None
        path: tuple[int, ...] = ()
        if fam.num == "outline":
            path = tuple(int(p.translate(_FULL)) for p in _OUTLINE_SPLIT.split(raw))
            family = f"outline{len(path)}"
            number = path[-1]
        elif fam.num == "bare":
            number = int(raw.translate(_FULL))
            path = (number,)
        elif fam.num == "circled":
            number = fam.chars.index(raw) + 1
        else:
            number = cn_number(raw)
        weak = "weak" in m.groupdict() and m.group("weak") is not None
        return Marker(family, line[lead : m.end()].strip(), number, lead, m.end(), weak, path)
    return None


def is_heading_line(line: str) -> bool:
    """Whether a line starts with an enumeration marker (used to keep line breaks before it).

    A weak outline counts only when a short heading follows it (``1 总则``, ``2.1 组织机构``),
    not when the line reads as running text (``3.2平方公里的……``).
    """
    mk = match_marker(line)
    if mk is None:
        return False
    if not mk.weak or not mk.family.startswith("outline"):
        return True
    rest = line[mk.end :].strip()
    return 0 < len(rest) <= 24 and not _CLAUSE.search(rest)


def heading_cut(raw: str) -> int:
    """Where a heading ends in ``raw`` (the text after its marker): the first ``。``/``：``/``:``
    (a colon between digits, as in ``9:30``, does not end it), else ``len(raw)``."""
    m = _HEAD_END.search(raw)
    return m.start() if m else len(raw)
