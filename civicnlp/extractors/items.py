"""Action items: the numbered items that assign work, with officials, units and deadline.

Chosen from the outline (:mod:`civicnlp.extractors.outline`) and from task-table rows:

- a node whose own body (up to its first child) carries a responsibility note is an item;
- else a leaf node is an item when the document is a plan (its title's last 文种 word is one of
  ``lexicon/plan_words.txt``; with no title line, the first sentence of a run-on text ending in
  such a word, or ``特制定本方案如下``; or it carries notes) and the node's heading opens with a
  verb of work (``lexicon/task_verbs.txt``) or sits right under a task heading (主要任务, 工作职责,
  保障措施 …; in run-on text also one that opens with it: ``职责分工城市建设服务中心``) or under a
  heading that opens with such a verb, or sits under a focus heading (``lexicon/focus_headings.txt``:
  火灾防控重点) with a body whose first sentence sets work (``深入排查……``, ``对……重点整治``).
  A rule for every leaf whose body sets work was tried over the bundled corpus and rejected: it
  read descriptions, 条款 and notices as items;
- a leaf whose sibling (same parent, same marker style) is an item, or whose numbering restarts
  under the next parent of the same level as a list of items (``三、……1、……``), is one too;
- never: stages (phases), nodes in an attachment (unless the attachment holds the plan that a
  notice issues: no items before it, a plan word in its title, ``lexicon/annex_plan_words.txt``),
  nodes under aims/grounds/scope headings
  (``lexicon/non_task_headings.txt``), nodes inside a task table (its rows are the items).

Officials, units and deadline come from the notes inside the item's own body (parsed once,
:func:`civicnlp.extractors.notes.notes_of`; a name joined to its cue in running text counts for
the document, not the item); a deadline is also read from a date followed by
前/之前/以前 there (``于2021年6月底前完成``), its value taken from ``context.dates``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import regex

from civicnlp.document import ActionItem, DateItem
from civicnlp.extractors.context import Context
from civicnlp.extractors.notes import Mention, Notes, notes_of
from civicnlp.extractors.outline import Node, annex_starts, build_outline
from civicnlp.extractors.phases import date_at, is_phase_node
from civicnlp.extractors.script import simplified
from civicnlp.extractors.sections import page_counters
from civicnlp.extractors.tables import TableRow
from civicnlp.lexicon import load_lines
from civicnlp.text.markers import match_marker

__all__ = ["deadline_of", "extract_action_items", "is_plan_like"]

_LOOK_BACK = regex.compile(r"(?:汇报|报告|总结|述职)如下")
_NOUN_HEADS = ("组织机构", "组织体系", "组织架构", "组织结构", "组织领导", "组织保障")
# a title run into its text: no clause punctuation, ends with a 文种 word before 。 or a marker
_FIRST_SENTENCE = regex.compile(r"^[^。！？!?\n，,；;：:]{4,80}?(\p{Han}{2,})(?:[。\n]|[一二三四五六七八九十]{1,2}、)")
_MADE_PLAN = regex.compile(
    r"(?:制定|制订|拟定|拟订)(?:本|此)[^。！？!?\n：:，,]{0,20}?(?:方案|计划|预案|办法|要点)"
    r"|(?:制定|制订|拟定|拟订)[^。！？!?\n：:]{0,30}?(?:方案|计划|预案|办法|安排|要点)(?:如下|[：:])"
)
_DEADLINE_AFTER = regex.compile(r"^\s*(?:底前|前|之前|以前|为止)")
_SENTENCE_END = regex.compile(r"[。；;！!\n]")
_ANNEX_HEAD = regex.compile(r"附件\s*[0-9０-９一二三四五六七八九十]{0,2}[\s：:．.、]*")
_MARKER_STYLE = regex.compile(r"[0-9０-９]+|[一二三四五六七八九十]+")


@cache
def _words(name: str) -> tuple[str, ...]:
    return tuple(sorted(set(load_lines(name)), key=len, reverse=True))


@cache
def _verbs_by_length() -> tuple[tuple[int, frozenset[str]], ...]:
    """The verbs of work grouped by length."""
    verbs = _words("task_verbs.txt")
    return tuple((n, frozenset(v for v in verbs if len(v) == n)) for n in sorted({len(v) for v in verbs}))


@cache
def _title_end_res(name: str) -> tuple[regex.Pattern[str], ...]:
    """For each word of a list: the word where a title ends (after 的, before 》/的通知/a line end)."""
    return tuple(regex.compile(rf"(?<=的){w}|{w}(?=》|的通知|[〔（(]|\s*\n|$)") for w in _words(name))


def is_plan_like(context: Context, notes: Notes) -> bool:
    """Whether the document lays out work to do: the last 文种 word of its title is a plan's; with
    no title word, 文种 words near its start outvote each other (``汇报如下`` settles it as a
    look back); with none, whether it carries responsibility notes."""
    title = simplified(context.title or "")
    best, kind = -1, None
    for name, k in (("plan_words.txt", True), ("nonplan_words.txt", False)):
        for w in _words(name):
            i = title.rfind(w)
            if i >= 0 and i + len(w) > best:
                best, kind = i + len(w), k
    if kind is not None:
        return kind
    shadow = context.shadow()
    head = shadow[:400]
    if _LOOK_BACK.search(shadow):
        return False
    # a run-on text's title is its first sentence: ……实施方案。一、…… / ……实施方案一、目标……
    counters = page_counters(context.text)
    if counters and not context.text[: counters[0][0]].strip():
        head = head[counters[0][1] :]  # page 1's counter before the title
    first = _FIRST_SENTENCE.match(head) if match_marker(head) is None else None
    if first:
        for name, k in (("plan_words.txt", True), ("nonplan_words.txt", False)):
            if any(first.group(1).endswith(w) for w in _words(name)):
                return k
    if _MADE_PLAN.search(head):
        return True  # 特制定本方案如下 / 现制定如下实施方案
    # a 文种 word where a title ends: at a line end, before 》 or 的通知
    plan = sum(len(pat.findall(head)) for pat in _title_end_res("plan_words.txt"))
    back = sum(len(pat.findall(head)) for pat in _title_end_res("nonplan_words.txt"))
    if plan != back:
        return plan > back
    return bool(notes.mentions)


def _opens_with_verb(heading: str) -> bool:
    h = simplified(heading)
    if h.startswith(_NOUN_HEADS):
        return False
    # a verb of work opens it, and two characters or more follow the verb
    return any(n + 2 <= len(h) and h[:n] in verbs for n, verbs in _verbs_by_length())


def _is_task_heading(heading: str, run_on: bool = False) -> bool:
    """Whether ``heading`` names a part of tasks (主要任务, 职责分工, 防控重点 …); in run-on
    text, where a heading runs into its body, also one that opens with such a word."""
    h = simplified(heading)
    words = _words("task_headings.txt")
    if any(h.endswith(w) or h.endswith(w + "分工") for w in words):
        return True
    return run_on and any(h.startswith(w) and len(w) >= 4 for w in words)


def _non_task(heading: str) -> bool:
    h = simplified(heading)
    return h.endswith("目标") or any(w in h for w in _words("non_task_headings.txt"))


def _lineage(node: Node, nodes: list[Node]) -> list[Node]:
    out = [node]
    p = node.parent
    while p is not None:
        out.append(nodes[p])
        p = nodes[p].parent
    return out


def _value(d: DateItem) -> tuple[str | None, str | None]:
    if isinstance(d.value, dict):
        return d.value.get("end") or d.value.get("start"), d.end_mod
    return d.value, d.mod


def deadline_of(
    context: Context, mentions: list[Mention], start: int, end: int
) -> tuple[str | None, str | None, str | None]:
    """(value, mod, text) of the deadline in ``[start, end)``: a 完成时限 note's date, else the
    first date followed by 前/之前/以前."""
    for m in mentions:
        if m.kind == "deadline":
            d = date_at(context, m.start, m.end)
            if d is not None:
                v, mod = _value(d)
                return v, mod, m.name
    for d in context.dates:
        in_span = start <= d.start and d.end <= end and d.kind in ("date", "range")
        if in_span and _DEADLINE_AFTER.match(context.text[d.end : d.end + 4]):
            v, mod = _value(d)
            return v, mod, d.text
    return None, None, None


def _names(mentions: list[Mention]) -> tuple[list[str], list[str]]:
    """(officials, units) of one item: units once each; a placeholder official once per slot."""
    officials: list[str] = []
    units: list[str] = []
    for m in mentions:
        if m.prose:
            continue  # named in running text: not the item's note
        if m.kind == "official" and (m.placeholder or m.name not in officials):
            officials.append(m.name)
        elif m.kind == "unit" and m.name not in units:
            units.append(m.name)
    return officials, units


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n\u3000\xa0":
        end -= 1
    return end


def _node_is_item(node: Node, nodes: list[Node], own: list[Mention], plan: bool, text: str) -> bool:
    if node.annex or is_phase_node(node, nodes, text):
        return False
    if any(m.kind in ("unit", "official") for m in own):
        return True
    if node.children or not plan or not node.heading:
        return False
    if any(_non_task(n.heading) for n in _lineage(node, nodes)):
        return False
    parent = nodes[node.parent] if node.parent is not None else None
    if _opens_with_verb(node.heading):
        return True
    if parent is None:
        return False
    if _is_task_heading(parent.heading, parent.section_id is None) or _opens_with_verb(parent.heading):
        return True
    return _is_focus_heading(parent.heading) and _body_sets_work(text, node)


def _is_focus_heading(heading: str) -> bool:
    h = simplified(heading)
    return any(h.endswith(w) for w in _words("focus_headings.txt"))


def _body_sets_work(text: str, node: Node) -> bool:
    """Whether the first sentence of a node's body names work to do (a verb of work in it)."""
    body = simplified(text[node.head_end : node.body_end]).lstrip("。：:；; \n\t\u3000")
    first = _SENTENCE_END.split(body, maxsplit=1)[0][:80]
    return any(v in first for v in _words("task_verbs.txt") if len(v) >= 2)


def _row_item(text: str, context: Context, row: TableRow, r_i: int, notes: Notes, nodes: list[Node]) -> ActionItem:
    mentions = [m for m in notes.within(row.start, row.end) if m.row == r_i]
    officials, units = _names(mentions)
    value, mod, dtext = deadline_of(context, mentions, row.start, row.end)
    section = None
    for n in nodes:
        if n.start <= row.start < n.end and n.section_id:
            section = n.section_id
    end = _trim_end(text, row.start, row.end)
    return ActionItem(
        section, row.marker, row.number, text[row.start : end], officials, units, value, row.start, end, mod, dtext
    )


def _annex_title(text: str, start: int) -> str:
    """The title an attachment opens with: after ``附件N`` and its colon, up to the line end
    (the first non-empty line when the marker stands alone)."""
    m = _ANNEX_HEAD.match(text, start)
    pos = m.end() if m else start
    line = text[pos : pos + 80].split("\n", 1)[0]
    return simplified(line.strip(" \t\u3000\xa0"))


def _plan_annexes(text: str, nodes: list[Node], chosen: set[int]) -> frozenset[int]:
    """Starts of the attachments that hold the document's own plan: the notice that issues it
    (``关于印发……方案的通知``) has no work items of its own before its first attachment, and
    the attachment's title names a plan (``lexicon/annex_plan_words.txt``)."""
    starts = annex_starts(text)
    if not starts or any(not nodes[i].annex for i in chosen):
        return frozenset()
    words = _words("annex_plan_words.txt")
    return frozenset(a for a in starts if any(w in _annex_title(text, a) for w in words))


def _same_list_as(node: Node, nodes: list[Node], chosen: set[int], text: str) -> bool:
    """Whether a leaf belongs to a list of items: a sibling of its own (same parent, same marker
    style) is an item (``1.加强……`` ``2.逐一落实……``), or its numbering restarts under the next
    parent of the same level (``二、……1、……2、`` then ``三、……1、……``) with the marker style and
    level of items chosen under an earlier sibling of that parent."""
    if node.children or not node.heading or node.parent is None:
        return False
    parent = nodes[node.parent]
    if any(_non_task(n.heading) for n in _lineage(node, nodes)) or is_phase_node(node, nodes, text):
        return False
    style = _MARKER_STYLE.sub("0", node.marker)
    for i in chosen:
        other = nodes[i]
        if other.parent is None or _MARKER_STYLE.sub("0", other.marker) != style:
            continue
        if other.parent == node.parent:
            return True
        up = nodes[other.parent]
        if other.start < node.start and up.level == parent.level and up.parent == parent.parent:
            return other.level == node.level
    return False


def extract_action_items(text: str, *, context: Context) -> list[ActionItem]:
    """The numbered items of ``text`` that assign work (see the module docstring)."""
    notes = notes_of(context)
    nodes = build_outline(text, context)
    plan = is_plan_like(context, notes)
    rows = [(r.start, r.end) for r in notes.rows]
    owns: dict[int, list[Mention]] = {}
    chosen: set[int] = set()
    for node in nodes:
        if any(a <= node.start < b for a, b in rows):
            continue
        own = [m for m in notes.within(node.start, node.body_end) if m.row is None and not m.prose]
        owns[node.index] = own
        if _node_is_item(node, nodes, own, plan, text):
            chosen.add(node.index)
    opened = _plan_annexes(text, nodes, chosen) if plan else frozenset()
    if opened:
        starts = annex_starts(text)
        for node in nodes:
            part = max((a for a in starts if a <= node.start), default=None)
            readable = node.annex and part in opened and node.index in owns
            if readable and _node_is_item(replace(node, annex=False), nodes, owns[node.index], plan, text):
                chosen.add(node.index)
    if plan:
        for node in nodes:
            open_leaf = node.index in owns and node.index not in chosen and not node.annex
            if open_leaf and _same_list_as(node, nodes, chosen, text):
                chosen.add(node.index)
    out: list[tuple[int, ActionItem]] = []
    for node in nodes:
        if node.index not in chosen:
            continue
        own_end = node.body_end
        own = owns[node.index]
        officials, units = _names(own)
        value, mod, dtext = deadline_of(context, own, node.start, own_end)
        end = _trim_end(text, node.start, own_end)
        item = ActionItem(
            node.section_id,
            node.marker,
            node.number,
            text[node.start : end],
            officials,
            units,
            value,
            node.start,
            end,
            mod,
            dtext,
        )
        out.append((node.start, item))
    for r_i, row in enumerate(notes.rows):
        out.append((row.start, _row_item(text, context, row, r_i, notes, nodes)))
    out.sort(key=lambda x: x[0])
    return [item for _, item in out]
