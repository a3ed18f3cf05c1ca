"""Normalization, exactly as SCHEMA.md says: decode done, ``\\r\\n`` → ``\\n``, hard-wrapped lines
rejoined inside sentences, converter pinyin glosses removed — nothing else rewritten (NBSP,
U+3000, full-width digits, ``□``, typos, placeholders and traditional characters stay).

A line break is removed (with the blank lines, up to two, and the indentation after it) only
where it falls inside a sentence: the previous line is running text (it holds prose
punctuation) that ends with no sentence-final mark, and the next line is not a heading, a table
row, a part title, a field label (``组长：``) or a page number. A title (the first line, or a line ending in a 文种 word) is never joined
to its body, and a heading (a marker line whose heading runs to the line end) never to the next
line; a marker line that ends in ``，``/``、`` or already holds its ``。``/``：`` is running text.

``normalize`` returns the text and an offset map back to the input, so that any span of the
normalized text can be traced to the source (``Normalized.source_offset``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import regex

from civicnlp.lexicon import load_json
from civicnlp.text.markers import heading_cut, is_heading_line, match_marker
from civicnlp.text.split import is_part_heading

__all__ = ["Normalized", "normalize"]

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# a pinyin syllable in brackets after a Han character, with a tone mark or a tone digit:
# 鄉(xiāng) 社區(qū) -> 鄉 社區; English abbreviations such as (MES) (app) are left alone
_GLOSS = regex.compile(
    r"(?<=\p{Han})[(（](?=[a-zü" + _TONED + r"]*[" + _TONED + r"1-5])"
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüv" + _TONED + r"]{1,4}(?:ng|n|r)?|[ńňǹḿ]g?)[1-5]?[)）]"
)
_BREAKS = regex.compile(r"\r\n?|" + _GLOSS.pattern)
# a line that ends a sentence (or a heading, a table row …) and must not be joined to the next
_FINAL = set("。！？!?；;：:…”’」』）)】》>|\t")
_PROSE_PUNCT = regex.compile(r"[，,、；;。]")
_SPACE = " \t\u3000\xa0"
# a line ending in a 文种 word is a title: never joined to the text after it (lexicon/title.json)
_TITLE_END = regex.compile("(?:" + "|".join(map(regex.escape, load_json("title.json")["wenzhong_end"])) + ")$")
_TEXT_END = regex.compile(r"[\p{Han}\p{L}\p{N}”’》、，,“（(]$")
_TEXT_START = regex.compile(r"[\p{Han}\p{L}\p{N}“‘《（(、，,]")
_TABLE = regex.compile(r"^[|｜]")
# a next line that opens with a short label (组长：, 活动时间:, 各位代表：) starts a field of its own
_LABEL = regex.compile(r"^[\p{Han}\p{L}\p{N} ]{1,6}[:：]")
# a page number left by the layout (a line that is only a number): kept on its own line
_PAGE_NO = regex.compile(r"^[-—－ ]*\d{1,4}[-—－ ]*$")


@dataclass
class Normalized:
    """Normalized text plus a map from its offsets to the input's offsets."""

    text: str
    # pieces: (normalized_start, source_start) for each copied run; offsets map linearly inside
    _runs: list[tuple[int, int]] = field(default_factory=list)
    _keys: list[int] = field(default_factory=list, init=False, repr=False)

    def source_offset(self, pos: int) -> int:
        """The input offset that normalized offset ``pos`` came from."""
        if not self._runs:
            return pos
        if len(self._keys) != len(self._runs):
            self._keys = [r[0] for r in self._runs]
        i = bisect_right(self._keys, pos) - 1
        n0, s0 = self._runs[max(i, 0)]
        return s0 + (pos - n0)


def _is_heading(line: str) -> bool:
    """A marker line whose heading runs to the line end (not running text after a marker)."""
    mk = match_marker(line)
    if mk is None:
        return False
    body = line[mk.end :].rstrip(_SPACE)
    if not body or body[-1] in "，,、":
        return False
    return heading_cut(body) >= len(body)


def _should_join(prev: str, nxt: str, *, first: bool) -> bool:
    """Whether the line break between ``prev`` and ``nxt`` falls inside a sentence."""
    p = prev.rstrip(_SPACE)
    n = nxt.strip(_SPACE)
    if not p or not n or first:
        return False
    if p[-1] in _FINAL or "\t" in p or "\t" in n or _TABLE.match(p.lstrip(_SPACE)) or _TABLE.match(n):
        return False
    stripped = p.lstrip(_SPACE)
    if len(stripped) < 6 or not _PROSE_PUNCT.search(stripped) or _TITLE_END.search(stripped):
        return False
    if _is_heading(p) or is_heading_line(n) or is_part_heading(n) or _LABEL.match(n) or _PAGE_NO.match(n):
        return False
    # both ends must be text: a Han character or a digit/letter continuing a word
    return bool(_TEXT_START.match(n)) and bool(_TEXT_END.search(p))


def _strip_glosses(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """Pass 1: ``\\r\\n``/``\\r`` → ``\\n`` and pinyin glosses removed; returns text and runs."""
    out: list[str] = []
    runs: list[tuple[int, int]] = []
    pos = src = 0
    for m in _BREAKS.finditer(raw):
        if m.start() > src:
            runs.append((pos, src))
            out.append(raw[src : m.start()])
            pos += m.start() - src
        if m.group().startswith("\r"):
            runs.append((pos, m.start()))
            out.append("\n")
            pos += 1
        src = m.end()
    if src < len(raw):
        runs.append((pos, src))
        out.append(raw[src:])
    return "".join(out), runs


def _reflow(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Pass 2: join hard-wrapped lines (across up to two blank lines) inside sentences."""
    lines: list[tuple[str, int]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((line, pos))
        pos += len(line) + 1
    out: list[str] = []
    runs: list[tuple[int, int]] = []
    pos = 0
    i, n = 0, len(lines)
    skip_lead = False
    seen_text = False
    while i < n:
        line, s0 = lines[i]
        if skip_lead:
            lead = len(line) - len(line.lstrip(_SPACE))
            line, s0 = line[lead:], s0 + lead
            skip_lead = False
        if line:
            runs.append((pos, s0))
            out.append(line)
            pos += len(line)
        first = not seen_text
        seen_text = seen_text or bool(line.strip())
        k = i + 1
        while k < n and not lines[k][0].strip() and k - i <= 2:
            k += 1
        if k < n and _should_join(line, lines[k][0], first=first):
            i = k
            skip_lead = True
            continue
        if i < n - 1:
            runs.append((pos, s0 + len(line)))
            out.append("\n")
            pos += 1
        i += 1
    return "".join(out), runs


def normalize(raw: str) -> Normalized:
    """Normalize one input text (see the module docstring); offsets map back to ``raw``."""
    text1, runs1 = _strip_glosses(raw)
    if "\n" not in text1:
        return Normalized(text1, runs1)
    text2, runs2 = _reflow(text1)
    return Normalized(text2, _compose(runs2, len(text2), runs1))


def _compose(outer: list[tuple[int, int]], outer_len: int, inner: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs from the outer text straight to the source, through the inner text's runs.

    A run is ``(start_here, start_there)`` and lasts until the next run starts; an outer run
    is split wherever an inner run starts inside it.
    """
    keys = [k for k, _ in inner]
    out: list[tuple[int, int]] = []
    for j, (n0, m0) in enumerate(outer):
        n_end = outer[j + 1][0] if j + 1 < len(outer) else outer_len
        length = n_end - n0
        if length <= 0:
            continue
        i = max(bisect_right(keys, m0) - 1, 0)
        pos = n0
        while pos < n_end:
            m = m0 + (pos - n0)
            k0, s0 = inner[i]
            out.append((pos, s0 + (m - k0)))
            nxt = inner[i + 1][0] if i + 1 < len(inner) else None
            if nxt is None:
                break
            pos = n0 + (nxt - m0)
            i += 1
    return out
