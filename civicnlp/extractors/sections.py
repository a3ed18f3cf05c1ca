"""Sections: every line that starts with an enumeration marker, as a flat list with parents.

Rules (``../shared/spec/GOLD.md``):

- a section is a line that starts with a marker (``markers.json``); a stand-alone line without
  one (a table caption, a part title ``……篇1``, ``目录``) is not. Weak markers (decimal outlines,
  a bare ``1 总则``, ``1、1月9日``) are kept only when their sequence confirms them, so that
  decimals (``3.2平方公里``) and dates are not read as headings;
- ``level``: the first family met is level 1; the others follow in their usual 公文 order
  (``一、`` > ``（一）`` > ``1.``/``1、`` > ``(1)`` > ``①``; outlines by depth), ties by first
  appearance;
- ``heading``: the text after the marker up to the first ``。``/``：``/``:`` outside brackets, or
  the line end; without trailing punctuation, TOC dot leaders and page numbers, and a trailing
  parenthetical of dates or 牵头/责任 notes. A heading whose line ends inside a sentence
  (``，`` ``、``, or ``；`` where its siblings do not end so) goes on over the next line, joined
  with a space. A marker alone on its line takes the next line as its heading;
- numbering typos are resolved from the sequence (``0、`` after ``9、`` is 10, with a warning);
- ``start``/``end`` cover the heading and its body up to the next section of the same or a
  higher level; ``heading_start``/``heading_end`` span the heading's source (both lines when
  it was joined).

Work is linear in the number of lines: one marker match per line, one pass per step.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import regex

from civicnlp.document import Section
from civicnlp.extractors.context import Context
from civicnlp.text.markers import Marker, family_rank, heading_cut, match_marker

__all__ = ["clean_heading", "extract_sections", "heading_cut", "page_counters"]

_SPACE = " \t\u3000\xa0"
_TRAIL_PUNCT = "。：:；;，,、！!？?…— \t\u3000\xa0"
# a trailing parenthetical of dates, times or responsibility notes; □ stands in for a lost （
_NOTE = r"(?:\d|[０-９]|[一二三四五六七八九十]月|年|日|牵头|牽頭|责任|責任|配合|负责|負責|领导|領導|单位|單位|部门|部門|时间|時間|时限|時限|完成|前)"
_TRAIL_PAREN = regex.compile(r"(?:[（(][^（）()]*|□[^（）()□]*)" + _NOTE + r"[^（）()]*[）)]\s*$")
_UNCLOSED = regex.compile(r"(?:[（(【〔][^（）()【】〔〕]*|□[^（）()□]*)" + _NOTE + r"[^（）()【】〔〕]*$")
_TOC_TAIL = regex.compile(
    r"(?:[.．。…·⋯_—\-]{2,}[\s.．。…·⋯_—\-]*\d{1,4}|[ \t\u3000]{3,}\d{1,4}|\t+\d{1,4}"
    r"|\s*PAGEREF\s+_Toc\d+\s*\\?h?\s*\d*)\s*$"
)
_TABLE = regex.compile(r"^\s*[|｜]")
# a short run-in heading and its body on one line, parted by a space (1.2 编制依据 依据《…》，…)
_RUN_IN = regex.compile(
    r"([^\s，,。；;：:、！!？?“”\"（）()]{1,19}[\p{Han}）])[ \t\u3000\xa0]+(?=[\p{Han}“《（(〔【]|\d+[.．、])"
)
_PROSE = regex.compile(r"[，,。、；;]")
_WORD = regex.compile(r"[\p{L}\p{N}]")
_DIGITS = regex.compile(r"\d+")
_CN_DIGITS = regex.compile(r"[一二三四五六七八九十百零〇]+")
# a TOC entry with its page number glued on (1总则3), known by the real heading it repeats
_PAGE_NO = regex.compile(r"^(.*\D)\d{1,3}$")
# a (N) marker ending a line after a word: a line break lost when a table was flattened
# (``成员:全体人员(1)抢险队:``); kept only as a run 1, 2, … over nearby lines
_TAIL = regex.compile(
    r"(?<=[\p{Han}\p{L}\p{N}])[(（](?P<n>\d{1,2})[)）](?P<h>[^()（）:：。，,；;!！?？\s|]{1,20})[:：]?[ \t\u3000]*$",
    regex.MULTILINE,
)
# a heading of a higher family inside a line, after a sentence end (。二、进度要求, ；（三）…):
# the document's real outline runs inline, so the markers at its line starts are page counters
_INLINE_HIGHER = regex.compile(
    r"[。；;！!？?：:](?:[一二三四五六七八九十]{1,2}[、．.]|[（(][一二三四五六七八九十]{1,2}[）)])"
    # a heading opens with a word, or with a year that a page break may cut (……如下：一、20)
    r"(?=\p{Han}|[0-9０-９]{2}(?:[0-9０-９]|\s*$))"
)
_COUNTER_FAMILIES = ("arabic_dun", "arabic_dot")
_CONTINUE = "，,、"
_SEMI = ";；"
_FINAL = "。！？!?；;：:…”’」』）)】"


def clean_heading(raw: str) -> str:
    """Heading text from what follows a marker: cut at ``。``/``：``/``:`` (or where a short
    run-in heading meets its body after a space), then drop TOC leaders and page numbers,
    trailing notes in brackets and trailing punctuation. Always a prefix of ``raw.lstrip()``."""
    head = raw.lstrip(_SPACE)
    cut = heading_cut(head)
    run_in = _RUN_IN.match(head)
    if run_in and run_in.end(1) < cut:
        body = head[run_in.end() :]
        sentence = body[: heading_cut(body)]
        if (
            (cut < len(head) and len(sentence) >= 10)
            or (len(body) >= 20 and _PROSE.search(body))
            or match_marker(body) is not None
        ):
            cut = run_in.end(1)
    head = head[:cut]
    head = _TOC_TAIL.sub("", head)
    for _ in range(3):
        before = head
        head = head.rstrip(_TRAIL_PUNCT)
        head = _TRAIL_PAREN.sub("", head)
        head = _UNCLOSED.sub("", head)
        if head == before:
            break
    return head.rstrip(_TRAIL_PUNCT)


@dataclass
class _Cand:
    idx: int  # line index
    line_start: int
    marker: Marker
    family: str
    number: int | None
    head_start: int
    head_end: int
    heading: str
    cut: bool  # the heading ended at 。/：/: inside its line
    line_tail: str  # last character of the line (stripped) when not cut
    level: int = 0
    marker_text: str = ""


def _blank(text: str, span: tuple[int, int]) -> bool:
    return not text[span[0] : span[1]].strip()


def _next_nonblank(text: str, lines: list[tuple[int, int]], idx: int, limit: int = 2) -> int | None:
    j = idx + 1
    while j < len(lines) and j - idx <= limit + 1:
        if not _blank(text, lines[j]):
            return j
        j += 1
    return None


def _prev_nonblank(text: str, lines: list[tuple[int, int]], idx: int) -> int | None:
    j = idx - 1
    while j >= 0:
        if not _blank(text, lines[j]):
            return j
        j -= 1
    return None


def _candidate(text: str, lines: list[tuple[int, int]], idx: int, mk: Marker) -> _Cand | None:
    ls, le = lines[idx]
    rest_start = ls + mk.end
    rest = text[rest_start:le]
    lead = len(rest) - len(rest.lstrip(_SPACE))
    head_start = rest_start + lead
    body = rest[lead:]
    cut = heading_cut(body) < len(body.rstrip(_TRAIL_PUNCT))
    heading = clean_heading(body)
    if not body.strip():
        # a marker alone on its line takes the next line as its heading, unless it interrupts a
        # sentence (a page counter left by the layout)
        prev = _prev_nonblank(text, lines, idx)
        if prev is not None:
            p = text[slice(*lines[prev])].rstrip(_SPACE)
            running = len(p.strip(_SPACE)) >= 15 or _PROSE.search(p) is not None
            if p and p[-1] not in _FINAL and running and match_marker(p) is None:
                return None
        nxt = _next_nonblank(text, lines, idx, limit=1)
        if nxt is None:
            return None
        nline = text[slice(*lines[nxt])]
        if match_marker(nline) is not None or _TABLE.match(nline):
            return None
        lead2 = len(nline) - len(nline.lstrip(_SPACE))
        head_start = lines[nxt][0] + lead2
        body = nline[lead2:]
        cut = heading_cut(body) < len(body.rstrip(_TRAIL_PUNCT))
        heading = clean_heading(body)
        idx = nxt
        le = lines[nxt][1]
    if not heading or not _WORD.search(heading):
        return None
    tail = text[ls:le].rstrip(_SPACE)[-1:] if not cut else ""
    return _Cand(idx, ls, mk, mk.family, mk.number, head_start, head_start + len(heading), heading, cut, tail)


def page_counters(text: str, lines: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Spans of the page counters at line starts (``1、`` ``2、`` left by a page layout; GOLD.md,
    "Tables": they are not markers).

    A family of Arabic markers at line starts is read as page counters when at least two of its
    members, and at least half, show it: the line before breaks off inside a sentence (no
    final punctuation), or the line holds headings of a higher family after a sentence end
    (``……方案一、目标任务……。二、进度要求……``); and either the family opens the text (its first
    member on the first or second line) with such inline headings in its first or second line,
    or all lines before its members (but one) break off page-long (200 characters or more) and
    of one length within 15%.
    """
    if lines is None:
        lines = []
        pos = 0
        for line in text.split("\n"):
            lines.append((pos, pos + len(line)))
            pos += len(line) + 1
    fams: dict[str, list[tuple[int, int, bool, bool, int, int]]] = {}
    prev: tuple[int, int] | None = None
    nonblank = 0
    for ls, le in lines:
        line = text[ls:le]
        if not line.strip():
            continue
        nonblank += 1
        mk = match_marker(line) if line.lstrip(_SPACE)[:1].isdigit() else None
        if mk is not None and mk.family in _COUNTER_FAMILIES:
            p = text[prev[0] : prev[1]].rstrip(_SPACE) if prev else ""
            mid = bool(p) and p[-1] not in _FINAL and not p.endswith(("如下", "以下"))
            inline = _INLINE_HIGHER.search(line, mk.end) is not None
            fams.setdefault(mk.family, []).append((ls + mk.start, ls + mk.end, mid, inline, len(p), nonblank))
        prev = (ls, le)
    out: list[tuple[int, int]] = []
    for members in fams.values():
        shown = [m for m in members if m[2] or m[3]]
        if len(shown) < 2 or 2 * len(shown) < len(members):
            continue
        # page 1 opens the text and holds the title and the first headings
        first_page = members[0][5] <= 2 and any(m[3] for m in members[:2])
        pages = [m[4] for m in members if m[2] and m[4] >= 200]
        page_like = len(pages) >= max(2, len(members) - 1) and max(pages) - min(pages) <= 0.15 * max(pages)
        if first_page or page_like:
            out += [(a, b) for a, b, *_ in members]
    return sorted(out)


def _confirm(cands: list[_Cand]) -> list[_Cand]:
    """Drop weak markers that their sequence does not confirm (see ``markers``)."""
    paths = {c.marker.path for c in cands if c.family.startswith("outline")}
    kept: list[_Cand] = []
    last: dict[str, int | None] = {}
    for i, c in enumerate(cands):
        mk = c.marker
        ok = True
        if mk.weak and c.family.startswith("outline"):
            p = mk.path
            if len(p) == 1:  # 1 总则: a decimal outline N.x follows, or it goes on from N-1
                ok = any(len(q) >= 2 and q[0] == p[0] for q in paths) or last.get(c.family) == p[0] - 1
            else:
                ok = (
                    p[:-1] in paths
                    or (*p[:-1], p[-1] - 1) in paths
                    or (*p[:-1], p[-1] + 1) in paths
                    or any(len(q) == len(p) + 1 and q[:-1] == p for q in paths)
                )
        elif mk.weak:
            prev = last.get(c.family)
            if c.number is not None and prev is not None and c.number == prev + 1:
                ok = True
            elif c.number == 1:
                nxt = next((d for d in cands[i + 1 :] if d.family == c.family), None)
                ok = nxt is not None and nxt.number == 2
            else:
                ok = False
        if ok:
            kept.append(c)
            last[c.family] = c.number
    return kept


def _continue_headings(text: str, lines: list[tuple[int, int]], cands: list[_Cand]) -> None:
    """A heading whose line ends inside a sentence goes on over the next line (joined by a space)."""
    semi_end: dict[str, list[bool]] = {}
    for c in cands:
        semi_end.setdefault(c.family, []).append(c.line_tail in _SEMI)
    for c in cands:
        if c.cut or not c.line_tail:
            continue
        if c.line_tail in _SEMI:
            ends = semi_end[c.family]
            if (sum(ends) - 1) * 2 >= len(ends) - 1 and len(ends) > 1:
                continue  # the list's items all end with ；: it closes the item
        elif c.line_tail not in _CONTINUE:
            continue
        nxt = _next_nonblank(text, lines, c.idx, limit=1)
        if nxt is None:
            continue
        nline = text[slice(*lines[nxt])]
        if match_marker(nline) is not None or _TABLE.match(nline):
            continue
        more = clean_heading(nline)
        if not more:
            continue
        lead = len(nline) - len(nline.lstrip(_SPACE))
        first = text[c.head_start : lines[c.idx][1]].rstrip(_SPACE)
        c.heading = f"{first} {more}"
        c.head_end = lines[nxt][0] + lead + len(more)


def _tail_markers(text: str, lines: list[tuple[int, int]]) -> list[_Cand]:
    """``(N)`` markers that end lines of a flattened table, in runs of 1, 2, … (see ``_TAIL``)."""
    starts = [a for a, _ in lines]
    found: list[tuple[int, int, regex.Match[str]]] = []
    for m in _TAIL.finditer(text):
        idx = bisect_right(starts, m.start()) - 1
        if m.start() > lines[idx][0] + 1:
            found.append((idx, int(m.group("n")), m))
    runs: list[list[tuple[int, int, regex.Match[str]]]] = []
    for f in found:
        if runs and f[1] == runs[-1][-1][1] + 1 and 0 < f[0] - runs[-1][-1][0] <= 3:
            runs[-1].append(f)
        elif f[1] == 1:
            runs.append([f])
    out: list[_Cand] = []
    for run in runs:
        if len(run) < 2:
            continue
        for idx, n, m in run:
            head = clean_heading(m.group("h"))
            if not head:
                continue
            mk = Marker("arabic_paren", text[m.start() : m.start("h")], n, 0, m.start("h") - m.start())
            hs = m.start("h")
            out.append(_Cand(idx, m.start(), mk, mk.family, n, hs, hs + len(head), head, True, ""))
    return out


def _strip_page_numbers(cands: list[_Cand]) -> None:
    """``总则3`` where ``总则`` is a heading too: a TOC entry's page number, not heading text."""
    headings = {c.heading for c in cands}
    for c in cands:
        m = _PAGE_NO.match(c.heading)
        if m and m.group(1) in headings:
            c.heading = m.group(1)
            c.head_end = c.head_start + len(c.heading)


def _levels(cands: list[_Cand]) -> dict[str, int]:
    """First family met is level 1; the rest by their usual 公文 rank, ties by first appearance."""
    order: dict[str, int] = {}
    for i, c in enumerate(cands):
        order.setdefault(c.family, i)
    if not order:
        return {}
    first = min(order, key=order.__getitem__)
    rest = sorted((f for f in order if f != first), key=lambda f: (family_rank(f), order[f]))
    return {f: i + 1 for i, f in enumerate([first, *rest])}


def _cn_numeral(n: int) -> str:
    """一 … 九十九 for a corrected Chinese marker."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _renumber(c: _Cand, fixed: int) -> str:
    """The marker as it should read with number ``fixed`` (``0、`` → ``10、``)."""
    text = c.marker.text
    if _DIGITS.search(text):
        return _DIGITS.sub(str(fixed), text, count=1)
    if _CN_DIGITS.search(text) and fixed < 100:
        return _CN_DIGITS.sub(_cn_numeral(fixed), text, count=1)
    return text


def _resolve_numbers(cands: list[_Cand], parents: list[int | None], warnings: list[str]) -> None:
    """Numbering typos from the sequence of siblings (same parent, same family).

    ``0、`` after ``9、`` is 10; a number that breaks a sequence the next sibling resumes
    (``2、 2、 4、``) is the missing one. Each fix, and each gap left open, is a warning.
    """
    groups: dict[tuple[int | None, str], list[int]] = {}
    for i, c in enumerate(cands):
        c.marker_text = c.marker.text
        if c.number is not None and not c.family.startswith("outline"):
            groups.setdefault((parents[i], c.family), []).append(i)
    for members in groups.values():
        for j in range(1, len(members)):
            c = cands[members[j]]
            prev = cands[members[j - 1]].number
            n = c.number
            if prev is None or n is None or n == prev + 1 or n == 1:
                continue
            nxt = cands[members[j + 1]].number if j + 1 < len(members) else None
            expected = prev + 1
            if (n == 0 and expected % 10 == 0) or nxt == expected + 1:
                after = "?" if nxt is None else str(nxt)
                warnings.append(f"numbering: item '{c.marker.text}' read as {expected} (sequence {prev} → {after})")
                c.number = expected
                c.marker_text = _renumber(c, expected)
            else:
                warnings.append(f"numbering: item '{c.marker.text}' follows {prev} (sequence broken)")


def extract_sections(text: str, *, context: Context) -> list[Section]:
    """Every marker-led line of ``text`` as a ``Section`` (see the module docstring)."""
    lines = context.lines()
    counters = {a for a, _ in page_counters(text, lines)}
    cands: list[_Cand] = []
    for idx, span in enumerate(lines):
        mk = match_marker(text[span[0] : span[1]])
        if mk is None or span[0] + mk.start in counters:
            continue
        cand = _candidate(text, lines, idx, mk)
        if cand is not None:
            cands.append(cand)
    cands = _confirm(cands)
    tails = _tail_markers(text, lines)
    if tails:
        cands = sorted([*cands, *tails], key=lambda c: c.line_start + c.marker.start)
    _continue_headings(text, lines, cands)
    _strip_page_numbers(cands)
    levels = _levels(cands)
    for c in cands:
        c.level = levels[c.family]

    ends = [len(text)] * len(cands)
    open_: list[int] = []  # indexes of sections whose end is not yet known
    parents: list[int | None] = []
    for i, c in enumerate(cands):
        while open_ and cands[open_[-1]].level >= c.level:
            ends[open_.pop()] = c.line_start
        parents.append(open_[-1] if open_ else None)
        open_.append(i)
    _resolve_numbers(cands, parents, context.warnings)
    sections: list[Section] = []
    for i, c in enumerate(cands):
        parent = parents[i]
        sections.append(
            Section(
                id=f"s{i + 1}",
                parent=f"s{parent + 1}" if parent is not None else None,
                level=c.level,
                marker=c.marker_text,
                number=c.number,
                heading=c.heading,
                start=c.line_start + c.marker.start,
                end=max(ends[i], c.head_end),
                heading_start=c.head_start,
                heading_end=c.head_end,
            )
        )
    return sections
