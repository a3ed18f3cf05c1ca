"""Dates, ranges, durations and recurrences, with ISO-like values (``X`` for hidden digits).

One scan of the text with the grammar of ``timeexpr`` (a single compiled pattern) finds every
time expression; then

- a point followed by a separator and a second point becomes a range (``2021年4月13日-19日``:
  the end inherits the start's year and month), and a bare day after ``、`` a second point
  (``10月8日、9日``);
- a clock time standing alone (``晚上六点三十分``) joins the nearest earlier date that names a day;
- the document's own date (its 落款: a date on a line of its own near the end, or after a
  ``发文日期`` label) is found, and dates that leave the year out get ``resolved`` from it where
  that is unambiguous (``value`` keeps what the text says).

Public helpers: ``extract_dates``, ``find_doc_date``, and ``parse_date_span`` for a single date
expression such as a table cell (``2021年6月底前`` → ``2021-06`` mod ``end``).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache

import regex

from civicnlp.document import DateItem, DateValue
from civicnlp.extractors.context import Context
from civicnlp.extractors.timeexpr import MAIN, RULES, Token, continuation, range_tail, read_match
from civicnlp.lexicon import load_json
from civicnlp.text.split import collection_title_end

__all__ = ["doc_date_of", "extract_dates", "find_doc_date", "parse_date_span", "resolve_value"]

_TIME_JOIN_WINDOW = 3000  # a clock time joins a day named at most this many characters before it
_TAIL_SHARE = 0.4  # a 落款 sits in the last 40% of a document
_LABELS = tuple(sorted(RULES["doc_date_labels"], key=len, reverse=True))
_AFTER = tuple(RULES["doc_date_after"])
_FULL_DAY = regex.compile(r"^\d{4}-\d{2}-\d{2}")
_HIDDEN_YEAR_MONTH = regex.compile(r"XXXX-(\d{2})")
_LINE_JUNK = regex.compile(r"[\s\u3000\xa0□:：（）()\[\]【】,，。.、]+")
# one character that _LINE_JUNK does not remove
_NOT_JUNK = regex.compile(r"[^\s\u3000\xa0□:：（）()\[\]【】,，。.、]")
_LABEL_MAX = max((len(w) for w in _LABELS), default=0)
_AFTER_MAX = max((len(w) for w in _AFTER), default=0)
_NEWLINE = regex.compile(r"\n")


@cache
def _unit_words() -> tuple[str, ...]:
    units = load_json("units.json")
    words = {w for key in ("measure_words", "physical_units", "number_followers") for w in units.get(key, [])}
    return tuple(sorted(words, key=len, reverse=True))


def _followed_by_unit(text: str, end: int) -> bool:
    """2000户, 2021.06万元: the number before ``end`` counts something, it is no date."""
    return text[end : end + 6].lstrip(" \u3000").startswith(_unit_words())


def _scan(text: str) -> list[Token]:
    """Every time expression of ``text`` as tokens, in document order, ranges merged."""
    out: list[Token] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = MAIN.search(text, pos)
        if m is None:
            break
        tok = read_match(m, text)
        if tok is None or ((m.group("byear") or m.group("ym")) is not None and _followed_by_unit(text, m.end())):
            pos = m.start() + 1
            continue
        rng = range_tail(text, tok)
        if rng is not None:
            tok = rng
        out.append(tok)
        last = tok.parts[-1] if tok.kind == "range" and tok.parts else tok
        while True:
            cont = continuation(text, last)
            if cont is None:
                break
            out.append(cont)
            last = cont
        pos = max(last.end, tok.end)
    return out


def _join_times(tokens: list[Token]) -> None:
    """Give a clock time standing alone the day of the nearest earlier date (in place)."""
    last_day: Token | None = None
    for tok in tokens:
        if tok.kind == "date" and tok.d is not None:
            last_day = tok
        elif tok.kind == "range" and tok.parts and tok.parts[-1].d is not None:
            last_day = tok.parts[-1]
        elif tok.kind == "time":
            tok.kind = "date"
            if last_day is not None and tok.start - last_day.end <= _TIME_JOIN_WINDOW:
                tok.y, tok.m, tok.d, tok.rel = last_day.y, last_day.m, last_day.d, last_day.rel
            else:
                tok.m, tok.d = "XX", "XX"


def _item(text: str, tok: Token) -> DateItem:
    start_mod = end_mod = mod = None
    if tok.kind == "range" and tok.parts:
        start_mod, end_mod = tok.parts[0].mod, tok.parts[1].mod
    else:
        mod = tok.mod
    return DateItem(
        text=text[tok.start : tok.end],
        kind=tok.kind,
        value=tok.value(),
        start=tok.start,
        end=tok.end,
        mod=mod,
        end_mod=end_mod,
        start_mod=start_mod,
        approx=tok.approx,
        calendar=tok.calendar,
        holiday=tok.holiday,
        note=tok.note,
    )


def _kept(text: str, pos: int, endpos: int, limit: int) -> str:
    """``_LINE_JUNK.sub("", text[pos:endpos])`` when it is at most ``limit`` characters long;
    else its first ``limit + 1`` characters (enough to tell that it is longer). The scan stops
    there, so that a long line costs no more than a short one."""
    out: list[str] = []
    for m in _NOT_JUNK.finditer(text, pos, endpos):
        out.append(m.group())
        if len(out) > limit:
            break
    return "".join(out)


def doc_date_of(text: str, dates: Sequence[DateItem]) -> str | None:
    """The document's own date among ``dates``: its 落款, else a labelled 发文日期/成文日期.

    A 落款 is a date naming a day that stands on a line of its own (or before 印发) in the
    last part of the document; the last such wins. Returns the date's value, or None.
    """
    tail_from = int(len(text) * (1 - _TAIL_SHARE))
    own_line: list[DateItem] = []
    labelled: list[DateItem] = []
    newlines: list[int] | None = None  # offsets of the line breaks, found on first use
    for it in dates:
        if it.kind != "date" or not isinstance(it.value, str) or not _FULL_DAY.match(it.value):
            continue
        if newlines is None:
            newlines = [m.start() for m in _NEWLINE.finditer(text)]
        k = bisect_left(newlines, it.start)  # the line breaks before the date: newlines[:k]
        ls = newlines[k - 1] + 1 if k > 0 else 0
        k = bisect_left(newlines, it.end)
        le = newlines[k] if k < len(newlines) else len(text)
        # what the line holds before and after the date, without spaces and punctuation: only
        # nothing or a label (发文日期：) before it counts, so a longer rest is never read whole
        before_c = _kept(text, ls, it.start, _LABEL_MAX)
        if len(before_c) > _LABEL_MAX:
            continue
        after_c = _kept(text, it.end, le, _AFTER_MAX)
        label = next((w for w in _LABELS if before_c.endswith(w)), None)
        if label is not None and before_c == label and not after_c:
            labelled.append(it)
        if not before_c and (not after_c or after_c.startswith(_AFTER)) and it.start >= tail_from:
            own_line.append(it)
    if own_line:
        return str(own_line[-1].value)[:10]
    if labelled:
        return str(labelled[0].value)[:10]
    return None


def resolve_value(value: DateValue, doc_date: str, *, rel: int | None = None) -> DateValue | None:
    """``value`` with its hidden year (``XXXX``) filled from ``doc_date``, or None when unsure.

    ``rel`` is a year offset (次年 +1, 去年 -1). A month late in the year named by a document
    dated in its first quarter may belong to the year before, so it is left unresolved. A range
    whose end month comes before its start month (11月至2月) ends in the next year.

    >>> resolve_value("XXXX-09-10", "2018-10-01")
    '2018-09-10'
    """
    if isinstance(value, dict):
        start, end = value.get("start", ""), value.get("end", "")
        end_rel = rel
        if end_rel is None and start[5:7].isdigit() and end[5:7].isdigit() and end[5:7] < start[5:7]:
            end_rel = 1
        s, e = resolve_value(start, doc_date), resolve_value(end, doc_date, rel=end_rel)
        return None if s is None or e is None else {"start": str(s), "end": str(e)}
    if not value.startswith("XXXX"):
        return value or None  # the year is written (or partly hidden, 20XX): nothing to fill
    if value == "XXXX" or not doc_date[:4].isdigit():
        return None
    year = int(doc_date[:4])
    month = int(doc_date[5:7]) if doc_date[5:7].isdigit() else 0
    m = _HIDDEN_YEAR_MONTH.match(value)
    if m and rel is None and 0 < month <= 3 and int(m.group(1)) >= 10:
        return None
    return f"{year + (rel or 0):04d}" + value[4:]


def _resolved(tok: Token, item: DateItem, doc_date: str | None) -> DateValue | None:
    if doc_date is None or item.kind not in ("date", "range"):
        return None
    if item.kind == "range" and tok.parts:
        if not any(p.y is None for p in tok.parts):
            return None
        s = resolve_value(str(tok.parts[0].value()), doc_date, rel=tok.parts[0].rel)
        e_rel = tok.parts[1].rel
        if e_rel is None and tok.parts[0].y is None and tok.parts[1].y is None:
            a, b = tok.parts[0].m, tok.parts[1].m
            if a and b and a.isdigit() and b.isdigit() and int(b) < int(a):
                e_rel = (tok.parts[0].rel or 0) + 1  # 11月至2月: the end is in the next year
        e = resolve_value(str(tok.parts[1].value()), doc_date, rel=e_rel)
        if s is None or e is None:
            return None
        return {"start": str(s), "end": str(e)}
    if tok.y is not None or not isinstance(item.value, str):
        return None
    return resolve_value(item.value, doc_date, rel=tok.rel)


def _extract(text: str) -> tuple[list[Token], list[DateItem]]:
    tokens = _scan(text)
    _join_times(tokens)
    items = [_item(text, t) for t in tokens]
    doc_date = doc_date_of(text, items)
    if doc_date is not None:
        items = [
            dataclasses.replace(it, resolved=r) if (r := _resolved(t, it, doc_date)) is not None else it
            for t, it in zip(tokens, items, strict=True)
        ]
    return tokens, items


def extract_dates(text: str, *, context: Context | None = None) -> list[DateItem]:
    """Every date or time expression in ``text``, in document order.

    ``kind`` is ``date`` (a point at any granularity: ``2018-03-16``, ``20XX-04``, ``2021-Q4``,
    ``XXXX-09-10T18:30``), ``range`` (``{"start", "end"}``), ``duration`` (``P3M``, ``PT24H``)
    or ``recurring`` (``yearly``, ``monthly``, ``weekly``, ``daily``, ``quarterly``). Month-part
    words give ``mod`` (``end``, ``start``, ``early``, ``mid``, ``late``; ``start_mod``/``end_mod``
    on a range); ``resolved`` fills a missing year from the document's own date.
    ``text[item.start:item.end] == item.text`` always.
    """
    head = collection_title_end(text)  # a collection's title line is site chrome
    return [it for it in _extract(text)[1] if it.start >= head]


def find_doc_date(text: str, dates: list[DateItem]) -> str | None:
    """The document's own date (its 落款, or a labelled 发文日期), as ``YYYY-MM-DD``, or None.

    ``dates`` are the items ``extract_dates`` found in ``text`` (they already carry
    ``resolved`` values computed from this same date).
    """
    return doc_date_of(text, dates)


def parse_date_span(s: str, *, doc_date: str | None = None) -> DateItem | None:
    """The first date expression in a short string (a table cell, a deadline), or None.

    Offsets are into ``s``. ``2021年6月底前`` → ``DateItem(text='2021年6月底', value='2021-06',
    mod='end')``; ``4月13日-4月19日`` → a range. With ``doc_date`` (``YYYY-MM-DD``), a date
    without a year gets ``resolved``.

    >>> parse_date_span("2021年6月底前").value
    '2021-06'
    """
    tokens, items = _extract(s)
    for tok, it in zip(tokens, items, strict=True):
        if it.kind in ("date", "range"):
            if doc_date is not None and it.resolved is None:
                r = _resolved(tok, it, doc_date)
                if r is not None:
                    it = dataclasses.replace(it, resolved=r)
            return it
    return items[0] if items else None
