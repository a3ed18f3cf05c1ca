"""Splitting compilations: one text holding several documents (a 范文 collection) becomes one
text per part; the collection's preface and site boilerplate are dropped.

A part opens at a part title line — ``……篇一``, ``……篇1``, ``篇一：……``, ``【篇一】……``,
``范文一``, ``第一篇：……``, ``……工作总结(一)`` — numbered in sequence (a title out of sequence
is not a split). Two or more such titles split the text; one alone splits off the preface only
where the preface announces a collection (``……(精选6篇)``). Without part titles, the same
title line repeated over two or more substantial bodies (repeated title + body blocks) splits
the text, unless the repeat is a page header (the numbering runs on across it) or the first
copy has no body of its own. ``第N篇`` is not a split in a book-like text that has ``第N章``.
Blank and boilerplate lines (``下面是小编为大家整理的……仅供参考``) are trimmed at each part's
ends. Patterns live in ``lexicon/split.json``; all are script-neutral or list both scripts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import regex

from civicnlp.lexicon import load_json
from civicnlp.text.markers import cn_number, match_marker

__all__ = ["Part", "collection_title_end", "is_part_heading", "part_heading", "split_parts"]

_SPACE = " \t\u3000\xa0"
_SENTENCE = regex.compile(r"[。；;！？!?]")
_FULL_STOP = regex.compile(r"[。！？!?]")


@dataclass(frozen=True)
class Part:
    """One document of a compilation: its span in the normalized text."""

    start: int
    end: int


@dataclass(frozen=True)
class _Patterns:
    headings: tuple[regex.Pattern[str], ...]
    book_chapter: regex.Pattern[str]
    header: regex.Pattern[str]
    boiler: regex.Pattern[str]
    head: regex.Pattern[str]
    doc_title: regex.Pattern[str]
    lead_in: regex.Pattern[str]


@cache
def _patterns() -> _Patterns:
    spec = load_json("split.json")
    return _Patterns(
        tuple(regex.compile(p) for p in spec["part_headings"]),
        regex.compile(spec["book_chapter"], regex.MULTILINE),
        regex.compile(spec["collection_header"]),
        regex.compile(spec["boilerplate"]),
        regex.compile(spec["collection_title"]),
        regex.compile(spec["doc_title"]),
        regex.compile(spec["lead_in"]),
    )


def part_heading(line: str) -> tuple[int, bool] | None:
    """``(number, is_book_style)`` when ``line`` is a part title (``……篇二`` → 2), else None."""
    s = line.strip(_SPACE)
    if not s or len(s) > 80 or _SENTENCE.search(s):
        return None
    for pat in _patterns().headings:
        m = pat.match(s)
        if m:
            n = cn_number(m.group("n"))
            if n is None or n == 0:
                return None
            return n, m.groupdict().get("book") is not None
    return None


def is_part_heading(line: str) -> bool:
    """Whether ``line`` is a part title of a collection (``……篇一``, ``第二篇：……``)."""
    return part_heading(line) is not None


def collection_title_end(text: str) -> int:
    """Where a collection's own title line that opens ``text`` ends (``……总结(精选5篇)``,
    ``……总结6篇``), else 0. Such a line is site chrome: nothing in it is a date or a quantity,
    but it stays in the part, since it still names the kind of document that follows."""
    pos = 0
    for line in text.split("\n"):
        if line.strip(_SPACE):
            return pos + len(line) if _patterns().head.match(line.strip(_SPACE)) else 0
        pos += len(line) + 1
    return 0


def _line_spans(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _trim(text: str, spans: list[tuple[int, int]], pats: _Patterns) -> tuple[int, int] | None:
    """The span of ``spans`` without blank and boilerplate lines at both ends."""
    lo, hi = 0, len(spans)

    def drop(k: int) -> bool:
        line = text[spans[k][0] : spans[k][1]]
        return not line.strip() or bool(pats.boiler.search(line))

    while lo < hi and drop(lo):
        lo += 1
    while hi > lo and drop(hi - 1):
        hi -= 1
    if lo >= hi:
        return None
    return spans[lo][0], spans[hi - 1][1]


def _heading_starts(text: str, spans: list[tuple[int, int]], pats: _Patterns) -> list[int]:
    """Line indexes of part titles, numbered in sequence."""
    found: list[tuple[int, int, bool]] = []
    for k, (a, b) in enumerate(spans):
        ph = part_heading(text[a:b])
        if ph is not None:
            found.append((k, ph[0], ph[1]))
    if not found:
        return []
    if any(book for _, _, book in found) and pats.book_chapter.search(text):
        found = [f for f in found if not f[2]]
    starts: list[int] = []
    last = 0
    for k, n, _ in found:
        if not starts or n == last + 1:
            starts.append(k)
            last = n
    return starts


def _substantial(text: str, spans: list[tuple[int, int]]) -> bool:
    """A body of its own: running text (a sentence) beside the title line."""
    body = [text[a:b].strip() for a, b in spans[1:]]
    return sum(len(x) for x in body) >= 30 and any(_FULL_STOP.search(x) for x in body)


def _leads_into(text: str, spans: list[tuple[int, int]], title: str, pats: _Patterns) -> bool:
    """Whether a segment leads into the next copy of its title: it ends ``……如下：`` or it is the
    notice that issues that title (``印发《……》``)."""
    lines = [text[a:b].strip(_SPACE) for a, b in spans if text[a:b].strip()]
    if lines and pats.lead_in.search(lines[-1]):
        return True
    return f"《{title}》" in text[spans[0][0] : spans[-1][1]] if spans else False


def _first_last_marker(text: str, spans: list[tuple[int, int]]) -> tuple[tuple[str, int | None] | None, ...]:
    marks = [(mk.family, mk.number) for a, b in spans if (mk := match_marker(text[a:b])) is not None]
    return (marks[0], marks[-1]) if marks else (None, None)


def _repeat_starts(text: str, spans: list[tuple[int, int]], pats: _Patterns) -> list[int]:
    """Line indexes of a title line repeated over several bodies (repeated title + body)."""
    seen: dict[str, list[int]] = {}
    for k, (a, b) in enumerate(spans):
        line = text[a:b].strip(_SPACE)
        if line and len(line) <= 42 and pats.doc_title.match(line):
            seen.setdefault(line, []).append(k)
    repeats = sorted((v for v in seen.values() if len(v) >= 2), key=len, reverse=True)
    if not repeats:
        return []
    starts = repeats[0]
    title = text[slice(*spans[starts[0]])].strip(_SPACE)
    bounds = [*starts, len(spans)]
    # the first copy without a body of its own is the page's title over the first document
    while len(starts) >= 2 and not _substantial(text, spans[starts[0] : starts[1]]):
        starts = starts[1:]
        bounds = bounds[1:]
    kept = [starts[0]] if starts else []
    for j in range(1, len(starts)):
        prev_seg = spans[kept[-1] : starts[j]]
        seg = spans[starts[j] : bounds[j + 1]]
        if not _substantial(text, seg) or _leads_into(text, prev_seg, title, pats):
            continue
        _, last = _first_last_marker(text, prev_seg)
        first, _ = _first_last_marker(text, seg)
        if (
            first
            and last
            and first[0] == last[0]
            and first[1] is not None
            and last[1] is not None
            and first[1] == last[1] + 1
        ):
            continue  # the numbering runs on: a page header, not a new document
        kept.append(starts[j])
    return kept if len(kept) >= 2 else []


def split_parts(text: str) -> list[Part]:
    """The documents in ``text``: one Part for a plain document, one per part of a compilation."""
    pats = _patterns()
    spans = _line_spans(text)
    starts = _heading_starts(text, spans, pats)
    if len(starts) == 1:
        preface = text[: spans[starts[0]][0]]
        if not any(pats.header.search(line.strip(_SPACE)) for line in preface.split("\n")):
            starts = []
    if not starts:
        starts = _repeat_starts(text, spans, pats)
    if not starts:
        trimmed = _trim(text, spans, pats)
        return [Part(*trimmed)] if trimmed else [Part(0, len(text))]
    parts = []
    for a, b in itertools.pairwise([*starts, len(spans)]):
        trimmed = _trim(text, spans[a:b], pats)
        if trimmed:
            parts.append(Part(*trimmed))
    return parts or [Part(0, len(text))]
