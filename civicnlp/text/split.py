"""Splitting compilations: one text holding several documents (a 范文 collection) becomes one
text per part; the collection's preface and site boilerplate are dropped."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import regex

from civicnlp.lexicon import load_json

__all__ = ["Part", "split_parts"]


@dataclass(frozen=True)
class Part:
    """One document of a compilation: its span in the normalized text."""

    start: int
    end: int


def _compiled() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    spec = load_json("split.json")
    return (
        regex.compile(spec["part_heading"]),
        regex.compile(spec["boilerplate"]),
        regex.compile(spec["doc_title"]),
    )


_CACHE: list[tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]] = []


def _patterns() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    if not _CACHE:
        _CACHE.append(_compiled())
    return _CACHE[0]


def _line_spans(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _trim(text: str, start: int, end: int, boiler: regex.Pattern[str]) -> tuple[int, int]:
    """Drop blank and boilerplate lines at both ends of a part."""
    spans = [s for s in _line_spans(text[start:end])]
    keep = [(a + start, b + start) for a, b in spans]
    while keep and (not text[keep[0][0] : keep[0][1]].strip() or boiler.search(text[keep[0][0] : keep[0][1]])):
        keep.pop(0)
    while keep and (not text[keep[-1][0] : keep[-1][1]].strip() or boiler.search(text[keep[-1][0] : keep[-1][1]])):
        keep.pop()
    if not keep:
        return start, start
    return keep[0][0], keep[-1][1]


def split_parts(text: str) -> list[Part]:
    """The documents in ``text``: one Part for a plain document, one per part of a compilation."""
    heading, boiler, doc_title = _patterns()
    spans = _line_spans(text)
    starts = [a for a, b in spans if heading.fullmatch(text[a:b].strip(" \t\u3000\xa0"))]
    if len(starts) < 2:
        # repeated title + body blocks: the same title-like line two or more times
        seen: dict[str, list[int]] = {}
        for a, b in spans:
            line = text[a:b].strip(" \t\u3000\xa0")
            if line and doc_title.fullmatch(line):
                seen.setdefault(line, []).append(a)
        repeats = [v for v in seen.values() if len(v) >= 2]
        starts = sorted(repeats[0]) if len(repeats) == 1 else []
        if len(starts) >= 2 and any(b - a < 80 for a, b in itertools.pairwise(starts)):
            starts = []
    if len(starts) < 2:
        a, b = _trim(text, 0, len(text), boiler)
        return [Part(a, b)] if b > a else [Part(0, len(text))]
    parts = []
    bounds = [*starts, len(text)]
    for a, b in itertools.pairwise(bounds):
        s, e = _trim(text, a, b, boiler)
        if e > s:
            parts.append(Part(s, e))
    return parts
