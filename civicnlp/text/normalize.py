"""Normalization, exactly as SCHEMA.md says: decode done, ``\\r\\n`` → ``\\n``, hard-wrapped lines
rejoined inside sentences, converter pinyin glosses removed — nothing else rewritten.

``normalize`` returns the text and an offset map back to the input, so that any span of the
normalized text can be traced to the source.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import regex

from civicnlp.text.markers import is_heading_line

__all__ = ["Normalized", "normalize"]

# pinyin glosses that converter sites leave after characters: 鄉(xiāng) -> 鄉
_GLOSS = regex.compile(r"(?<=[\p{Han}])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[0-5]?[)）]")
# a line that ends a sentence (or a heading, a table row …) and must not be joined to the next
_FINAL = set("。！？!?；;：:…”’」』）)】》>|\t")
_PROSE_PUNCT = set("，,。；;、")


@dataclass
class Normalized:
    """Normalized text plus a map from its offsets to the input's offsets."""

    text: str
    # pieces: (normalized_start, source_start) for each copied run; offsets map linearly inside
    _runs: list[tuple[int, int]] = field(default_factory=list)

    def source_offset(self, pos: int) -> int:
        """The input offset that normalized offset ``pos`` came from."""
        if not self._runs:
            return pos
        i = bisect_right([r[0] for r in self._runs], pos) - 1
        n0, s0 = self._runs[max(i, 0)]
        return s0 + (pos - n0)


def _prose_like(line: str) -> bool:
    """A line that is running text cut by a layout break (not a title or a short label)."""
    stripped = line.strip()
    if len(stripped) >= 30:
        return True
    return len(stripped) >= 12 and any(ch in _PROSE_PUNCT for ch in stripped)


def _should_join(prev: str, nxt: str) -> bool:
    p = prev.rstrip(" \t\u3000\xa0")
    n = nxt.strip(" \u3000\xa0")
    if not p or not n:
        return False
    if p[-1] in _FINAL or "\t" in p or "\t" in n:
        return False
    if not _prose_like(p):
        return False
    if is_heading_line(n):
        return False
    # both ends must be text: a Han character or a digit/letter continuing a word
    return bool(regex.match(r"[\p{Han}\p{L}\p{N}“‘《（(、，,]", n)) and bool(
        regex.search(r"[\p{Han}\p{L}\p{N}”’》、，,“（(]$", p)
    )


def _strip_glosses(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """Pass 1: ``\r\n``/``\r`` → ``\n`` and pinyin glosses removed; returns text and runs."""
    out: list[str] = []
    runs: list[tuple[int, int]] = []
    pos = src = 0
    for m in regex.finditer(r"\r\n?|" + _GLOSS.pattern, raw):
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
    starts = [0]
    for m in regex.finditer("\n", text):
        starts.append(m.end())
    lines = [(text[s : (starts[i + 1] - 1 if i + 1 < len(starts) else len(text))], s) for i, s in enumerate(starts)]
    out: list[str] = []
    runs: list[tuple[int, int]] = []
    pos = 0
    i, n = 0, len(lines)
    skip_lead = False
    while i < n:
        line, s0 = lines[i]
        if skip_lead:
            lead = len(line) - len(line.lstrip(" \u3000\xa0"))
            line, s0 = line[lead:], s0 + lead
            skip_lead = False
        if line:
            runs.append((pos, s0))
            out.append(line)
            pos += len(line)
        k = i + 1
        while k < n and not lines[k][0].strip() and k - i <= 2:
            k += 1
        if k < n and _should_join(line, lines[k][0]):
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
    first = Normalized(text1, runs1)
    return Normalized(text2, [(n, first.source_offset(s)) for n, s in runs2])
