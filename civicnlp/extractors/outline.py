"""The numbered outline that action items and phases are chosen from.

Where the document kept its line breaks the outline is ``context.sections``. A text copied as
one run-on line (markers mid-line: ``……如下:一、工作目标……二、工作职责(一)市工信局:……``) has
no sections, so its markers are found inline and kept only where they continue a sequence
(``(二)`` after ``(一)``; a ``1.`` restarts a list only under a new parent). Inline reading also
knows what copies do to markers: a space before the dot (``1 .``), a ``1`` read as ``l``/``L``/``I``
by OCR (kept when ``2.`` follows), a ``、`` lost after a Chinese numeral that continues its
sequence (``。三工作措施1.……``), a bare number at a sentence start (``。1全面排查……``, kept only in
sequence 1, 2, 3 and never before a measure word), and page counters at line starts (see
:func:`civicnlp.extractors.sections.page_counters`), which are skipped. A section whose line
runs on with a numbered list of its own (``三、工作措施1.加强组织领导。……2.加大宣传。……``)
gets that list as its children. An inline item that closes with a responsibility note
(``……。(责任人:XXX)``) ends there when a new ``X:`` block follows. An attachment (``附件1``)
starts a part of its own; nodes in it are flagged ``annex``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import regex

from civicnlp.document import Section
from civicnlp.extractors.context import Context
from civicnlp.extractors.script import simplified
from civicnlp.extractors.sections import clean_heading, page_counters
from civicnlp.lexicon import load_lines
from civicnlp.text.markers import cn_number

__all__ = ["Node", "annex_starts", "build_outline"]

_CN = "一二三四五六七八九十"
# measure words and date/time words that a bare number before them counts, not enumerates
_MEASURE = "年月日号時时分秒个個项項条條次万萬亿億千百元人户戶名岁歲家批类類种種期届屆位栋棟座辆輛台套件份处處天周週倍层層米吨噸斤亩畝所间間支场場轮輪篇部张張本"
_INLINE = regex.compile(
    rf"(?P<cn>(?<![{_CN}百零〇两第])[{_CN}]{{1,3}}、)"
    rf"|(?P<cn_paren>[（(][{_CN}]{{1,3}}[）)])"
    r"|(?P<arabic_paren>[（(][0-9０-９]{1,2}[）)])"
    r"|(?P<arabic_dot>(?<![0-9０-９.．A-Za-z])[0-9０-９]{1,2}[ \u3000]?[.．](?![0-9０-９])(?=[ \u3000]?[\p{Han}“《（(]))"
    r"|(?P<arabic_dun>(?<![0-9０-９.．])[0-9０-９]{1,2}、(?![0-9０-９]))"
    r"|(?P<circled>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])"
    # a 1 that OCR read as a letter, at a sentence start: kept only when 2. follows
    r"|(?P<ocr_one>(?<=[。；;：:])[lLI](?=\p{Han}))"
    # a bare number at a sentence start run into its heading (。1全面排查……。2落实……): kept only
    # in sequence 1, 2, 3 (see ``_bare_ok``); never before a measure word (1月, 2名, 3个)
    rf"|(?P<arabic_bare>(?<=[。；;！!？?]|^)[1-9１-９][0-9０-９]?(?![0-9０-９{_MEASURE}])(?=\p{{Han}}))"
    # a Chinese numeral that lost its 、, at a sentence start, before a short heading that runs
    # into a marker of its own (。三工作措施1.……): kept only where it continues its sequence
    rf"|(?P<cn_bare>(?<=[。；;]|^)[{_CN}]{{1,2}}(?![是年个大项要次条点名批类级方])"
    rf"(?=\p{{Han}}{{2,10}}?(?:[0-9０-９]{{1,2}}[ \u3000]?[.．、]|[（(][{_CN}]{{1,3}}[）)])))",
    regex.M,
)
_BARE_REACH = 600  # how far on the next bare number of a sequence may stand
_OCR_REACH = 300  # how far on the 2. that confirms an OCR'd 1 may stand
_ANNEX = regex.compile(
    r"(?:(?<=^|[\n。；;”\s])附件\s*[0-9０-９一二三四五六七八九十]{0,2}(?![0-9０-９）)、，,]))", regex.M
)
_HEAD_STOP = regex.compile(r"[。：:；;！？!?\n]")
# a new ``X:`` block right after an item's closing note (物业公司:负责……)
_NEW_BLOCK = regex.compile(r"[^，,。；;：:（）()\s]{2,15}[：:]")
_MARKER_PUNCT = regex.compile(r"[（()）、.．\s]")
_DIGIT_RUN = regex.compile(r"[0-9０-９]+")


@dataclass(frozen=True)
class Node:
    """One numbered heading: its marker, heading, spans and place in the tree."""

    index: int
    marker: str
    number: int | None
    level: int
    heading: str
    start: int
    end: int  # end of the heading and everything under it
    body_end: int  # end of its own body: where its first child starts
    head_end: int  # end of the heading's line (or of the inline heading)
    parent: int | None
    children: tuple[int, ...]
    section_id: str | None
    annex: bool


def annex_starts(text: str) -> list[int]:
    """Offsets where an attachment (``附件1``) begins."""
    return [m.start() for m in _ANNEX.finditer(text)]


def _number(family: str, raw: str) -> int | None:
    if family == "circled":
        return "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(raw) + 1
    return cn_number(_MARKER_PUNCT.sub("", raw))


def _inline(
    text: str, annexes: list[int], lo: int = 0, hi: int | None = None, skip: frozenset[int] = frozenset()
) -> list[tuple[int, int, str, int, str]]:
    """Accepted inline markers in ``text[lo:hi]``: (start, end, family, number, marker text).

    ``skip`` holds the starts of page counters, which are never markers."""
    out: list[tuple[int, int, str, int, str]] = []
    stack: list[str] = []
    last: dict[str, int] = {}
    next_annex = iter([*[a for a in annexes if a > lo], len(text) + 1])
    annex_at = next(next_annex)
    found = [m for m in _INLINE.finditer(text, lo, len(text) if hi is None else hi) if m.start() not in skip]
    for k, m in enumerate(found):
        while m.start() >= annex_at:
            stack, last = [], {}
            annex_at = next(next_annex)
        fam = m.lastgroup or ""
        if fam == "ocr_one":
            nxt = next((x for x in found[k + 1 :] if x.lastgroup == "arabic_dot"), None)
            if nxt is None or nxt.start() - m.end() > _OCR_REACH or _number("arabic_dot", nxt.group()) != 2:
                continue
            fam, n = "arabic_dot", 1
        elif fam == "arabic_bare":
            n_b = _number(fam, m.group())
            if n_b is None or not _bare_ok(found, k, n_b, last.get(fam)):
                continue
            n = n_b
        elif fam == "cn_bare":
            n_bare = cn_number(m.group())
            if "cn" not in stack or n_bare is None or n_bare != last["cn"] + 1:
                continue
            fam, n = "cn", n_bare
        else:
            got = _number(fam, m.group())
            if got is None:
                continue
            n = got
        if fam in stack:
            prev = last[fam]
            if n == 0 and prev % 10 == 9:
                n = prev + 1
            if n != prev + 1:
                continue
            del stack[stack.index(fam) + 1 :]
        else:
            if n != 1:
                continue
            stack.append(fam)
        last[fam] = n
        marker = m.group().strip()
        if m.lastgroup == "ocr_one":
            marker = "1."  # read as the 1. that its sequence shows
        elif m.lastgroup == "cn_bare":
            marker = m.group() + "、"
        elif fam in ("arabic_dot", "arabic_dun") and str(n) not in marker:
            marker = _DIGIT_RUN.sub(str(n), marker)
        out.append((m.start(), m.end(), fam, n, marker))
    return out


def _bare_ok(found: list[regex.Match[str]], k: int, n: int, prev: int | None) -> bool:
    """Whether the bare number ``found[k]`` (value ``n``) is a marker: it goes on its sequence
    (``prev + 1``), or it starts one (``1``) that a bare ``2`` within reach confirms."""
    if prev is not None and n == prev + 1:
        return True
    if n != 1:
        return False
    end = found[k].end()
    for x in found[k + 1 :]:
        if x.start() - end > _BARE_REACH:
            break
        if x.lastgroup == "arabic_bare":
            return _number("arabic_bare", x.group()) == 2
    return False


@cache
def _closing_note_re() -> regex.Pattern[str]:
    """A responsibility note in brackets after a sentence end: ``。(责任人:XXX)``."""
    cues = sorted(set(load_lines("official_cues.txt")) | set(load_lines("unit_cues.txt")), key=len, reverse=True)
    alt = "|".join(map(regex.escape, cues))
    return regex.compile(rf"(?<=[。；;])[（(](?:{alt})[：:][^（）()\n]{{1,40}}[）)]")


def _closing_note(text: str, shadow: str, start: int, end: int) -> int:
    """Where an inline item closes: just after a responsibility note in brackets that ends a
    sentence (``……。(责任人:XXX)``) when a new ``X:`` block follows it; else ``end``.

    ``shadow`` is ``simplified(text)``; matching it with ``endpos=end`` reads it as if it ended
    there."""
    for m in _closing_note_re().finditer(shadow, start, end):
        if _NEW_BLOCK.match(text, m.end(), end):
            return m.end()
    return end


def _from_inline(
    text: str,
    annexes: list[int],
    lo: int = 0,
    hi: int | None = None,
    skip: frozenset[int] = frozenset(),
    shadow: str | None = None,
) -> list[Node]:
    """Nodes for the inline markers of ``text[lo:hi]`` (levels and parents among themselves);
    ``shadow`` is ``simplified(text)`` when the caller has it."""
    hi = len(text) if hi is None else hi
    if shadow is None:
        shadow = simplified(text)
    found = _inline(text, annexes, lo, hi, skip)
    levels: dict[str, int] = {}
    parts = [lo, *[a for a in annexes if lo < a < hi]]
    raw: list[tuple[int, int, str, int, str, int, int]] = []
    for s, e, fam, n, marker in found:
        part = sum(1 for a in parts[1:] if a <= s)
        key = f"{part}:{fam}"
        levels.setdefault(key, len([k for k in levels if k.startswith(f"{part}:")]) + 1)
        raw.append((s, e, fam, n, marker, levels[key], part))
    nodes: list[Node] = []
    parents: list[int | None] = []
    kids: list[list[int]] = [[] for _ in raw]
    stack: list[int] = []
    for i, (_s, _e, _fam, _n, _mk, level, part) in enumerate(raw):
        while stack and (raw[stack[-1]][5] >= level or raw[stack[-1]][6] != part):
            stack.pop()
        parents.append(stack[-1] if stack else None)
        if stack:
            kids[stack[-1]].append(i)
        stack.append(i)
    for i, (s, e, _fam, n, marker, level, part) in enumerate(raw):
        end = hi
        for j in range(i + 1, len(raw)):
            if raw[j][5] <= level or raw[j][6] != part:
                end = raw[j][0]
                break
        part_end = next((a for a in annexes if a > s), len(text))
        end = min(end, part_end, hi)
        children = tuple(kids[i])
        if not children:
            end = _closing_note(text, shadow, e, end)
        body_end = raw[children[0]][0] if children else end
        nxt = raw[i + 1][0] if i + 1 < len(raw) else hi
        stop = _HEAD_STOP.search(text, e, min(nxt, end) if min(nxt, end) > e else e)
        head_end = stop.start() if stop else min(nxt, end)
        heading = clean_heading(text[e:head_end])
        nodes.append(
            Node(i, marker, n, level, heading, s, end, body_end, head_end, parents[i], children, None, part > 0)
        )
    return nodes


def _from_sections(text: str, sections: list[Section], annexes: list[int]) -> list[Node]:
    index = {s.id: i for i, s in enumerate(sections)}
    kids: dict[int, list[int]] = {i: [] for i in range(len(sections))}
    for i, s in enumerate(sections):
        if s.parent in index:
            kids[index[s.parent]].append(i)
    nodes: list[Node] = []
    for i, s in enumerate(sections):
        children = tuple(kids[i])
        body_end = sections[children[0]].start if children else s.end
        line_end = text.find("\n", s.start)
        line_end = len(text) if line_end < 0 else line_end
        nxt = sections[i + 1].start if i + 1 < len(sections) else len(text)
        head_end = max(min(line_end, nxt), s.start)
        parent = index.get(s.parent) if s.parent else None
        annex = any(a <= s.start for a in annexes)
        nodes.append(
            Node(
                i,
                s.marker,
                s.number,
                s.level,
                s.heading,
                s.start,
                s.end,
                body_end,
                head_end,
                parent,
                children,
                s.id,
                annex,
            )
        )
    return nodes


def _with_run_on_lists(
    text: str, nodes: list[Node], annexes: list[int], skip: frozenset[int], shadow: str
) -> list[Node]:
    """Add, under each leaf section, the numbered list its own line runs on with (two or more
    inline markers in sequence, none at a line start): ``三、工作措施1.……。2.……``."""
    added: dict[int, list[Node]] = {}
    for node in nodes:
        if node.children:
            continue
        line_end = text.find("\n", node.start)
        hi = min(node.end, len(text) if line_end < 0 else line_end)
        lo = node.start + len(node.marker)
        inner = _from_inline(text, annexes, lo, hi, skip, shadow)
        top = [n for n in inner if n.parent is None]
        if len(top) >= 2:
            added[node.index] = inner
    if not added:
        return nodes
    # rebuild: every node keeps its place; a run-on list follows its section
    order: list[tuple[str, int, int]] = []  # (kind, owner index, index in its list)
    for node in nodes:
        order.append(("s", node.index, -1))
        order += [("i", node.index, k) for k in range(len(added.get(node.index, [])))]
    new_index = {(kind, owner, k): i for i, (kind, owner, k) in enumerate(order)}
    kids: dict[int, list[int]] = {i: [] for i in range(len(order))}
    parent_of: dict[int, int | None] = {}
    for i, (kind, owner, k) in enumerate(order):
        if kind == "s":
            p = nodes[owner].parent
            parent_of[i] = None if p is None else new_index[("s", p, -1)]
        else:
            p = added[owner][k].parent
            parent_of[i] = new_index[("s", owner, -1)] if p is None else new_index[("i", owner, p)]
        up = parent_of[i]
        if up is not None:
            kids[up].append(i)
    out: list[Node] = []
    for i, (kind, owner, k) in enumerate(order):
        base = nodes[owner] if kind == "s" else added[owner][k]
        level = base.level if kind == "s" else nodes[owner].level + base.level
        children = tuple(kids[i])
        body_end, heading = base.body_end, base.heading
        if kind == "s" and owner in added:
            body_end = added[owner][0].start
            # the heading ends where its list begins (工作措施1.加强…: 工作措施)
            head_start = text.find(heading[:4], base.start) if heading else -1
            if 0 <= head_start < body_end < head_start + len(heading):
                heading = clean_heading(text[head_start:body_end])
        section_id = base.section_id if kind == "s" else nodes[owner].section_id
        annex = base.annex if kind == "s" else nodes[owner].annex
        out.append(
            replace(
                base,
                index=i,
                level=level,
                parent=parent_of[i],
                children=children,
                body_end=body_end,
                heading=heading,
                section_id=section_id,
                annex=annex,
            )
        )
    return out


def build_outline(text: str, context: Context) -> list[Node]:
    """The outline of ``text``: its sections, or inline markers when the text is run-on.

    Built once per document: the outline of ``context.text`` is kept in ``context.outline``
    (for the sections it was built from) and handed out again to the next caller."""
    cached = context.outline
    if cached is not None and cached[0] is text and cached[1] is context.sections:
        return cached[2]
    nodes = _build_outline(text, context)
    if text is context.text:
        context.outline = (text, context.sections, nodes)
    return nodes


def _build_outline(text: str, context: Context) -> list[Node]:
    shadow = context.shadow() if text is context.text else simplified(text)
    annexes = annex_starts(text)
    sections = context.sections
    skip = frozenset(a for a, _ in page_counters(text, context.lines()))
    inline: list[Node] = []
    longest = max((len(line) for line in text.split("\n")), default=0)
    if len(sections) < 2 or longest > 1500:
        inline = _from_inline(text, annexes, skip=skip, shadow=shadow)
    if len(inline) > 2 * len(sections) and (len(inline) > 2 or not sections):
        return inline
    return _with_run_on_lists(text, _from_sections(text, sections, annexes), annexes, skip, shadow)
