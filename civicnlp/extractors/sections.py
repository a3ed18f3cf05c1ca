"""Sections: every line that starts with an enumeration marker, as a flat list with parents.

Level is the order in which marker families first appear in the document (GOLD.md). The
heading is the text after the marker up to the first ``。``/``：``/``:`` or the line end, without
a trailing parenthetical of dates or 牵头/责任 notes.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from civicnlp.document import Section
from civicnlp.extractors.context import Context
from civicnlp.text.markers import Marker, match_marker

__all__ = ["clean_heading", "extract_sections"]

_HEAD_END = regex.compile(r"[。：:！？!?]")
_TRAIL_PAREN = regex.compile(
    r"[（(][^（）()]*(?:\d|[一二三四五六七八九十]月|年|日|牵头|责任|配合|负责|领导|单位|部门|时间|时限)[^（）()]*[）)]\s*$"
)
_TOC_TAIL = regex.compile(r"(?:[.．。…·\s-]{3,}|\t)\s*\d+\s*$")
_TRAIL_PUNCT = "。：:；;，,、 \t\u3000\xa0"


@dataclass
class _Found:
    marker: Marker
    family: str
    number: int | None
    marker_text: str
    line_start: int
    line_end: int
    head_start: int
    head_end: int
    heading: str


def clean_heading(raw: str) -> str:
    """Heading text from what follows a marker: cut at 。/：, drop trailing notes and punctuation."""
    m = _HEAD_END.search(raw)
    head = raw[: m.start()] if m else raw
    head = _TOC_TAIL.sub("", head)
    for _ in range(2):
        head = head.rstrip(_TRAIL_PUNCT)
        head = _TRAIL_PAREN.sub("", head)
    return head.strip(_TRAIL_PUNCT)


def _fix_number(prev: int | None, found: int | None, marker_text: str) -> tuple[int | None, str | None]:
    """Resolve numbering typos from the sequence: ``0、`` after ``9、`` is 10."""
    if prev is None or found is None or found == prev + 1:
        return found, None
    expected = prev + 1
    if found == 0 and expected % 10 == 0:
        return expected, f"numbering: item '{marker_text}' read as {expected} (sequence {prev} → ?)"
    return found, None


def extract_sections(text: str, *, context: Context) -> list[Section]:
    """Every marker-led line of ``text`` as a ``Section`` (see the module docstring)."""
    found: list[_Found] = []
    last_number: dict[str, int | None] = {}
    lines = context.lines()
    for idx, (ls, le) in enumerate(lines):
        line = text[ls:le]
        mk = match_marker(line)
        if mk is None:
            continue
        rest_start = ls + mk.end
        rest = text[rest_start:le]
        lead = len(rest) - len(rest.lstrip(" \t\u3000\xa0"))
        head_start = rest_start + lead
        heading = clean_heading(rest[lead:])
        if not heading and not rest.strip():
            # a marker alone on its line: the heading is the next non-empty line
            nxt = next((j for j in range(idx + 1, min(idx + 3, len(lines))) if text[slice(*lines[j])].strip()), None)
            if nxt is not None and match_marker(text[slice(*lines[nxt])]) is None:
                heading = clean_heading(text[slice(*lines[nxt])].strip())
                head_start = lines[nxt][0]
        if not heading:
            continue
        number, warning = _fix_number(last_number.get(mk.family), mk.number, mk.text)
        marker_text = mk.text
        if warning:
            context.warnings.append(warning)
            marker_text = regex.sub(r"[0-9０-９]+", str(number), mk.text, count=1)
        last_number[mk.family] = number
        head_end = head_start + len(heading)
        found.append(_Found(mk, mk.family, number, marker_text, ls, le, head_start, head_end, heading))

    levels: dict[str, int] = {}
    for f in found:
        levels.setdefault(f.family, len(levels) + 1)

    sections: list[Section] = []
    stack: list[Section] = []
    for i, f in enumerate(found):
        level = levels[f.family]
        end = len(text)
        for g in found[i + 1 :]:
            if levels[g.family] <= level:
                end = g.line_start
                break
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1].id if stack else None
        sec = Section(
            id=f"s{i + 1}",
            parent=parent,
            level=level,
            marker=f.marker_text,
            number=f.number,
            heading=f.heading,
            start=f.line_start + f.marker.start,
            end=end,
            heading_start=f.head_start,
            heading_end=f.head_end,
        )
        sections.append(sec)
        stack.append(sec)
    return sections
