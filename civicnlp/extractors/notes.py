"""Responsibility notes: who leads, who does, by when — parsed once per document.

A note names units or officials in one of three shapes (GOLD.md, "Conventions"):

- after a cue word and ``：``/``:``/``□``/a space/a table cell break:
  ``责任单位：区城管局、各街道``, ``牵头领导□xxx□xxx□责任单位：各村社``;
- in a parenthesis of verb clauses, with or without a cue:
  ``（省大数据局牵头，省财政厅、省商务厅按职责分工负责）``, ``（X、Y等负责）``;
- in the cells of a task table (see :mod:`civicnlp.extractors.tables`);
- a lead-official cue joined to a name in running text (``民政分管领导王明为副组长``): the name is
  one of the document's lead officials (``Mention.prose``), but no item's note.

Units named in running text (``由X牵头开展……``) are not notes. :func:`notes_of` parses a
document once and caches the result in ``Context.notes`` for units, officials and items.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache

import regex

from civicnlp.extractors.context import Context
from civicnlp.extractors.names import is_person_name, is_placeholder, looks_like_unit, strip_title
from civicnlp.extractors.script import simplified
from civicnlp.extractors.tables import TableRow, find_tables
from civicnlp.lexicon import load_lines

__all__ = ["Mention", "Notes", "notes_of", "parse_notes", "split_names"]

OPEN, CLOSE = "（(", "）)"
_SPACE = " \t\u3000\xa0"
# separators between names inside one list (、 and friends; □ and spaces where layouts use them)
_NAME_SEP = set("、，,；;/／□|｜ \t\u3000\xa0")
_CLAUSE_SEP = set("，,；;")
_VERB = (
    r"(?:(?:等(?:有关|相关)?(?:部门|单位))?(?:按照?职责分工|依职责|按职责|根据职责|分工|分头|具体|共同|协同)?"
    r"(?:牵头负责|牵头|负责|配合|参与|参加|实施|落实|协助|协办|负总责|主抓|主责|承办))$"
)
_VERB_RE = regex.compile(_VERB)
_TRAIL_JUNK = regex.compile(r"(?:等(?:有关|相关)?(?:部门|单位)|等)$")
_LEAD_JUNK = regex.compile(r"^(?:由|请)")
_JOINED_PLACEHOLDER = regex.compile(
    r"[xXｘＸ×]{2,5}(?![a-zA-Zｘ-ｚＸ-Ｚ])|(?:某某|\p{Han}(?:某某?|[xXｘＸ×]{1,3}))(?![\p{Han}a-zA-Z])"
)
_NOT_UNIT_CHARS = set("的以把将要在了着过由如。！？!?“”")
_ADMIN_TAIL = regex.compile(r"^[区县市](?:政府|委|人民政府)?$")
_ROLE_IN_PARENS = regex.compile(r"[（(](?:牵头|配合|负责|责任|主责)[^（）()]{0,4}[）)]$")
_HAN_CHAR = regex.compile(r"\p{Han}")


@dataclass(frozen=True)
class Mention:
    """One name in a note: a unit, an official, or a deadline's text, with offsets."""

    kind: str  # "unit" | "official" | "deadline"
    name: str
    start: int
    end: int
    cue: str | None = None
    placeholder: bool = False
    note_start: int = 0
    note_end: int = 0
    row: int | None = None  # index into Notes.rows for a table cell
    # named in running text, joined to its cue (分管领导王明为……): a document's official, not
    # an item's note
    prose: bool = False


@dataclass(frozen=True)
class Notes:
    """Every note of a document: its mentions in text order, and its task-table rows."""

    mentions: tuple[Mention, ...] = ()
    rows: tuple[TableRow, ...] = ()
    _starts: tuple[int, ...] = field(default=(), repr=False)

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions whose span lies inside ``[start, end)``."""
        i = bisect_left(self._starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if m.end <= end:
                out.append(m)
            i += 1
        return out


@cache
def _cues() -> tuple[frozenset[str], frozenset[str], frozenset[str], re.Pattern[str], re.Pattern[str]]:
    # word alternations compiled with ``re``: the same matches as ``regex``, scanned faster
    officials = frozenset(load_lines("official_cues.txt"))
    units = frozenset(load_lines("unit_cues.txt"))
    deadlines = frozenset(load_lines("deadline_cues.txt"))
    words = sorted(officials | units | deadlines, key=len, reverse=True)
    cue_re = re.compile("|".join(map(regex.escape, words)))
    labels = sorted(set(words) | set(load_lines("field_labels.txt")), key=len, reverse=True)
    label_re = re.compile("(?:" + "|".join(map(regex.escape, labels)) + r")[ \t\u3000]*[：:]")
    return officials, units, deadlines, cue_re, label_re


@cache
def _cue_firsts() -> frozenset[str]:
    """First characters of every cue and field label: where ``_cues()``'s patterns may match."""
    officials, units, deadlines, _, _ = _cues()
    return frozenset(w[0] for w in officials | units | deadlines | frozenset(load_lines("field_labels.txt")))


_SEP = regex.compile(r"[ \t\u3000\xa0]*(?:[：:]|□+|[|｜]|\t)[ \t\u3000\xa0□]*|[ \t\u3000\xa0]+")


def _depth_split(shadow: str, start: int, end: int, seps: set[str]) -> list[tuple[int, int]]:
    """Split ``shadow[start:end]`` on ``seps`` at parenthesis depth 0; spans stripped of spaces."""
    out: list[tuple[int, int]] = []
    depth, piece = 0, start
    for i in range(start, end):
        ch = shadow[i]
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in seps:
            out.append((piece, i))
            piece = i + 1
    out.append((piece, end))
    spans = []
    for a, b in out:
        while a < b and shadow[a] in _SPACE + "□":
            a += 1
        while b > a and shadow[b - 1] in _SPACE + "□":
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


def _merge_set_phrases(shadow: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep ``各县市、区政府`` one unit: a short admin tail joins the piece before it."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        piece = shadow[a:b]
        if out and len(piece) <= 4 and _ADMIN_TAIL.match(piece):
            prev = shadow[out[-1][0] : out[-1][1]]
            if prev.endswith(("县市", "市", "县")) and shadow[out[-1][1] : a].strip() == "、":
                out[-1] = (out[-1][0], b)
                continue
        out.append((a, b))
    return out


def split_names(shadow: str, start: int, end: int) -> list[tuple[int, int]]:
    """Name spans in one list of a note: split on ``、，,；;/□`` and spaces at paren depth 0,
    verbs (牵头/负责/配合 …) and ``等部门`` trimmed, ``由`` dropped, ``各县市、区政府`` kept whole."""
    out: list[tuple[int, int]] = []
    for ca, cb in _depth_split(shadow, start, end, _CLAUSE_SEP):
        clause = shadow[ca:cb]
        v = _VERB_RE.search(clause)
        if v:
            cb = ca + v.start()
        lead = _LEAD_JUNK.match(shadow[ca:cb])
        if lead:
            ca += lead.end()
        # 会同 joins a leading unit and its partners: both are named
        pieces: list[tuple[int, int]] = []
        for pa, pb in _depth_split(shadow, ca, cb, _NAME_SEP - _CLAUSE_SEP):
            k = shadow.find("会同", pa, pb)
            if k > pa:
                pieces += [(pa, k), (k + 2, pb)]
            else:
                pieces.append((pa, pb))
        for pa, pb in _merge_set_phrases(shadow, pieces):
            t = _TRAIL_JUNK.search(shadow[pa:pb])
            if t and t.start() > 0:
                pb = pa + t.start()
            # a trailing role in parentheses: 区城管局（牵头）
            m = _ROLE_IN_PARENS.search(shadow[pa:pb])
            if m and m.start() > 0:
                pb = pa + m.start()
            if pb > pa:
                out.append((pa, pb))
    return out


def _list_end(shadow: str, start: int, cell: bool, cue_re: re.Pattern[str], label_re: re.Pattern[str]) -> int:
    """Where a cue's list of names ends: line end, ``。``, the note's closing parenthesis, the
    next cue or field label, or (in a table row) the next cell."""
    firsts = _cue_firsts()
    depth = 0
    n = len(shadow)
    i = start
    while i < n:
        ch = shadow[i]
        if ch in "\n。":
            return i
        if cell and ch in "|｜\t":
            return i
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and ch in firsts and (cue_re.match(shadow, i) or label_re.match(shadow, i)):
            # the next cue ends the list, with the separator before it
            j = i
            while j > start and shadow[j - 1] in _NAME_SEP:
                j -= 1
            return j
        i += 1
    return n


_PAREN_OR_NEWLINE = re.compile(r"[（(）)\n]")


def _paren_groups(shadow: str) -> list[tuple[int, int]]:
    """(start, end) of the contents of every outermost parenthesis on one line."""
    out: list[tuple[int, int]] = []
    depth, open_at = 0, -1
    for m in _PAREN_OR_NEWLINE.finditer(shadow):
        i, ch = m.start(), m.group()
        if ch in OPEN:
            if depth == 0:
                open_at = i + 1
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0:
                out.append((open_at, i))
        elif ch == "\n":
            depth = 0
    return out


def _name_right_after(shadow: str, start: int) -> int | None:
    """End of a person name joined to a cue without a separator (``分管领导王明为……``): a
    placeholder, or two to four characters that read as a name and end where a non-Han character
    or a word that follows names (为, 任, 同志 …) begins; else None."""
    m = _JOINED_PLACEHOLDER.match(shadow, start)
    if m:
        return m.end()
    for n in (2, 3, 4):
        cand = shadow[start : start + n]
        if len(cand) < n or not is_person_name(cand, placeholder_ok=False):
            continue
        nxt = shadow[start + n : start + n + 1]
        if not nxt or not _HAN_CHAR.match(nxt) or shadow.startswith(_after_name(), start + n):
            return start + n
    return None


@cache
def _after_name() -> tuple[str, ...]:
    return tuple(sorted(set(load_lines("after_name.txt")), key=len, reverse=True))


def _unitish(name: str) -> bool:
    return 2 <= len(name) <= 30 and not any(ch in _NOT_UNIT_CHARS for ch in name)


class _Builder:
    def __init__(self, text: str, shadow: str) -> None:
        self.text = text
        self.shadow = shadow
        self.out: list[Mention] = []
        self.seen: set[tuple[int, int]] = set()
        officials, units, deadlines, self.cue_re, self.label_re = _cues()
        self.officials, self.units, self.deadlines = officials, units, deadlines
        self.labels = frozenset(load_lines("field_labels.txt")) | officials | units | deadlines

    def add_names(
        self,
        spans: list[tuple[int, int]],
        kind: str,
        cue: str | None,
        note: tuple[int, int],
        row: int | None = None,
        prose: bool = False,
    ) -> None:
        for a, b in spans:
            name_s = self.shadow[a:b]
            if name_s in self.labels or self.cue_re.fullmatch(name_s) or len(name_s) > 40:
                continue
            k = kind
            if kind == "official":
                if not (is_person_name(name_s) or is_placeholder(name_s)):
                    bare, _title, off = strip_title(name_s)
                    if bare != name_s:
                        a, b = a + off, a + off + len(bare)
                    elif looks_like_unit(name_s):
                        k = "unit"  # 责任人：区城管局
            elif kind == "unit" and not _unitish(name_s):
                continue
            if (a, b) in self.seen:
                continue
            self.seen.add((a, b))
            name = self.text[a:b]
            placeholder = k == "official" and is_placeholder(name_s)
            self.out.append(Mention(k, name, a, b, cue, placeholder, *note, row, prose))

    def cue_notes(self) -> None:
        sh = self.shadow
        for m in self.cue_re.finditer(sh):
            cue = m.group()
            sep = _SEP.match(sh, m.end())
            if not sep:
                if cue in self.officials:
                    e = _name_right_after(sh, m.end())
                    if e is not None:  # 分管领导桑媛媛为副组长: the name joined to its cue
                        self.add_names([(m.end(), e)], "official", cue, (m.start(), e), prose=True)
                continue
            cell = any(c in sep.group() for c in "|｜\t")
            ls = sep.end()
            if self.cue_re.match(sh, ls):
                continue  # a header row: 牵头单位\t责任单位
            le = _list_end(sh, ls, cell, self.cue_re, self.label_re)
            if le <= ls:
                continue
            if cue in self.deadlines:
                self.add_deadline(ls, le, cue, (m.start(), le))
                continue
            kind = "official" if cue in self.officials else "unit"
            self.add_names(split_names(sh, ls, le), kind, cue, (m.start(), le))

    def add_deadline(self, a: int, b: int, cue: str, note: tuple[int, int], row: int | None = None) -> None:
        while b > a and self.shadow[b - 1] in "；;，,、 \t":
            b -= 1
        if b > a:
            self.out.append(Mention("deadline", self.text[a:b], a, b, cue, False, *note, row))

    def verb_parens(self) -> None:
        sh = self.shadow
        for a, b in _paren_groups(sh):
            content = sh[a:b]
            if not content.strip() or self.cue_re.search(content):
                continue
            clauses = _depth_split(sh, a, b, _CLAUSE_SEP)
            if not clauses or not all(_VERB_RE.search(sh[x:y]) for x, y in clauses):
                continue
            spans = split_names(sh, a, b)
            names = [sh[x:y] for x, y in spans]
            # with no cue, every name must look like a unit (省大数据局, 各有关部门, X及各地区)
            if not names or not all(_unitish(n) and looks_like_unit(n.split("及")[0]) for n in names):
                continue
            for x, y in spans:
                kind = "official" if is_person_name(sh[x:y]) and not looks_like_unit(sh[x:y]) else "unit"
                self.add_names([(x, y)], kind, None, (a - 1, b + 1))

    def table_rows(self, rows: tuple[TableRow, ...]) -> None:
        for r_i, row in enumerate(rows):
            for cell in row.cells:
                note = (row.start, row.end)
                if cell.role == "deadline":
                    self.add_deadline(cell.start, cell.end, "完成时限", note, r_i)
                elif cell.role in ("unit", "official"):
                    spans = split_names(self.shadow, cell.start, cell.end)
                    self.add_names(spans, cell.role, cell.label, note, r_i)


def parse_notes(text: str, *, shadow: str | None = None) -> Notes:
    """Every responsibility note of ``text`` (see the module docstring); ``shadow`` is
    ``simplified(text)`` when the caller has it."""
    if shadow is None:
        shadow = simplified(text)
    found, loose = find_tables(text, shadow)
    rows = tuple(found)
    b = _Builder(text, shadow)
    b.table_rows(rows)
    for a, e in loose:  # unit cells of a table row whose number was lost
        b.add_names(split_names(shadow, a, e), "unit", None, (a, e))
    in_rows = [(r.start, r.end) for r in rows]
    b.cue_notes()
    b.verb_parens()
    mentions = [
        m for m in b.out if m.row is not None or not any(s <= m.start < e for s, e in in_rows) or m.kind != "deadline"
    ]
    mentions.sort(key=lambda m: (m.start, m.end))
    return Notes(tuple(mentions), rows, tuple(m.start for m in mentions))


def notes_of(context: Context) -> Notes:
    """The document's notes, parsed on first use and cached in ``context.notes``."""
    if context.notes is None:
        context.notes = parse_notes(context.text, shadow=context.shadow())
    return context.notes
