"""The numbered outline that action items and phases are chosen from.

Where the document kept its line breaks the outline is ``context.sections``. A text copied as
one run-on line (markers mid-line: ``……如下:一、工作目标……二、工作职责(一)市工信局:……``) has
no sections, so its markers are found inline and kept only where they continue a sequence
(``(二)`` after ``(一)``; a ``1.`` restarts a list only under a new parent). An attachment
(``附件1``) starts a part of its own; nodes in it are flagged ``annex``.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from civicnlp.document import Section
from civicnlp.extractors.context import Context
from civicnlp.extractors.sections import clean_heading
from civicnlp.text.markers import cn_number

__all__ = ["Node", "annex_starts", "build_outline"]

_CN = "一二三四五六七八九十"
_INLINE = regex.compile(
    rf"(?P<cn>(?<![{_CN}百零〇两第])[{_CN}]{{1,3}}、)"
    rf"|(?P<cn_paren>[（(][{_CN}]{{1,3}}[）)])"
    r"|(?P<arabic_paren>[（(][0-9０-９]{1,2}[）)])"
    r"|(?P<arabic_dot>(?<![0-9０-９.．A-Za-z])[0-9０-９]{1,2}[.．](?![0-9０-９])(?=[ \u3000]?[\p{Han}“《（(]))"
    r"|(?P<arabic_dun>(?<![0-9０-９.．])[0-9０-９]{1,2}、(?![0-9０-９]))"
    r"|(?P<circled>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])"
)
_ANNEX = regex.compile(
    r"(?:(?<=^|[\n。；;”\s])附件\s*[0-9０-９一二三四五六七八九十]{0,2}(?![0-9０-９）)、，,]))", regex.M
)
_HEAD_STOP = regex.compile(r"[。：:；;！？!?\n]")


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
    return cn_number(regex.sub(r"[（()）、.．\s]", "", raw))


def _inline(text: str, annexes: list[int]) -> list[tuple[int, int, str, int, str]]:
    """Accepted inline markers: (start, end, family, number, marker text)."""
    out: list[tuple[int, int, str, int, str]] = []
    stack: list[str] = []
    last: dict[str, int] = {}
    next_annex = iter([*annexes, len(text) + 1])
    annex_at = next(next_annex)
    for m in _INLINE.finditer(text):
        while m.start() >= annex_at:
            stack, last = [], {}
            annex_at = next(next_annex)
        fam = m.lastgroup or ""
        n = _number(fam, m.group())
        if n is None:
            continue
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
        marker = m.group()
        if marker != m.group().strip():
            marker = marker.strip()
        if fam in ("arabic_dot", "arabic_dun") and str(n) not in marker:
            marker = regex.sub(r"[0-9０-９]+", str(n), marker)
        out.append((m.start(), m.end(), fam, n, marker))
    return out


def _from_inline(text: str, annexes: list[int]) -> list[Node]:
    found = _inline(text, annexes)
    levels: dict[str, int] = {}
    parts = [0, *annexes]
    raw: list[tuple[int, int, str, int, str, int, int]] = []
    for s, e, fam, n, marker in found:
        part = sum(1 for a in parts[1:] if a <= s)
        key = f"{part}:{fam}"
        levels.setdefault(key, len([k for k in levels if k.startswith(f"{part}:")]) + 1)
        raw.append((s, e, fam, n, marker, levels[key], part))
    nodes: list[Node] = []
    parents: list[int | None] = []
    stack: list[int] = []
    for i, (_s, _e, _fam, _n, _mk, level, part) in enumerate(raw):
        while stack and (raw[stack[-1]][5] >= level or raw[stack[-1]][6] != part):
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(i)
    for i, (s, e, _fam, n, marker, level, part) in enumerate(raw):
        end = len(text)
        for j in range(i + 1, len(raw)):
            if raw[j][5] <= level or raw[j][6] != part:
                end = raw[j][0]
                break
        part_end = next((a for a in annexes if a > s), len(text))
        end = min(end, part_end)
        children = tuple(j for j in range(i + 1, len(raw)) if parents[j] == i)
        body_end = raw[children[0]][0] if children else end
        nxt = raw[i + 1][0] if i + 1 < len(raw) else len(text)
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


def build_outline(text: str, context: Context) -> list[Node]:
    """The outline of ``text``: its sections, or inline markers when the text is run-on."""
    annexes = annex_starts(text)
    sections = context.sections
    inline: list[Node] = []
    longest = max((len(line) for line in text.split("\n")), default=0)
    if len(sections) < 2 or longest > 1500:
        inline = _from_inline(text, annexes)
    if len(inline) > max(2, 2 * len(sections)):
        return inline
    return _from_sections(text, sections, annexes)
