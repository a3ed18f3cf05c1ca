"""Action items: the numbered items that assign work, with officials, units and deadline.

Chosen from the outline (:mod:`civicnlp.extractors.outline`) and from task-table rows:

- a node whose own body (up to its first child) carries a responsibility note is an item;
- else a leaf node is an item when the document is a plan (its title's last 文种 word is one of
  ``lexicon/plan_words.txt``, or it carries notes) and the node's heading opens with a verb of
  work (``lexicon/task_verbs.txt``) or sits right under a task heading (主要任务, 工作职责,
  保障措施 …) or under a heading that opens with such a verb;
- never: stages (phases), nodes in an attachment, nodes under aims/grounds/scope headings
  (``lexicon/non_task_headings.txt``), nodes inside a task table (its rows are the items).

Officials, units and deadline come from the notes inside the item's own body (parsed once,
:func:`civicnlp.extractors.notes.notes_of`); a deadline is also read from a date followed by
前/之前/以前 there (``于2021年6月底前完成``), its value taken from ``context.dates``.
"""

from __future__ import annotations

from functools import cache

import regex

from civicnlp.document import ActionItem, DateItem
from civicnlp.extractors.context import Context
from civicnlp.extractors.notes import Mention, Notes, notes_of
from civicnlp.extractors.outline import Node, build_outline
from civicnlp.extractors.phases import date_at, is_phase_node
from civicnlp.extractors.script import simplified
from civicnlp.extractors.tables import TableRow
from civicnlp.lexicon import load_lines

__all__ = ["deadline_of", "extract_action_items", "is_plan_like"]

_LOOK_BACK = regex.compile(r"(?:汇报|报告|总结|述职)如下")
_NOUN_HEADS = ("组织机构", "组织体系", "组织架构", "组织结构", "组织领导", "组织保障")
_DEADLINE_AFTER = regex.compile(r"^\s*(?:底前|前|之前|以前|为止)")


@cache
def _words(name: str) -> tuple[str, ...]:
    return tuple(sorted(set(load_lines(name)), key=len, reverse=True))


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
    head = simplified(context.text[:400])
    if _LOOK_BACK.search(simplified(context.text)):
        return False
    # a 文种 word where a title ends: at a line end, before 》 or 的通知
    plan = sum(
        len(regex.findall(rf"(?<=的){w}|{w}(?=》|的通知|[〔（(]|\s*\n|$)", head)) for w in _words("plan_words.txt")
    )
    back = sum(
        len(regex.findall(rf"(?<=的){w}|{w}(?=》|的通知|[〔（(]|\s*\n|$)", head)) for w in _words("nonplan_words.txt")
    )
    if plan != back:
        return plan > back
    return bool(notes.mentions)


def _opens_with_verb(heading: str) -> bool:
    h = simplified(heading)
    if h.startswith(_NOUN_HEADS):
        return False
    return any(h.startswith(v) and len(h) >= len(v) + 2 for v in _words("task_verbs.txt"))


def _is_task_heading(heading: str) -> bool:
    h = simplified(heading)
    return any(h.endswith(w) or h.endswith(w + "分工") for w in _words("task_headings.txt"))


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
    return parent is not None and (_is_task_heading(parent.heading) or _opens_with_verb(parent.heading))


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


def extract_action_items(text: str, *, context: Context) -> list[ActionItem]:
    """The numbered items of ``text`` that assign work (see the module docstring)."""
    notes = notes_of(context)
    nodes = build_outline(text, context)
    plan = is_plan_like(context, notes)
    rows = [(r.start, r.end) for r in notes.rows]
    out: list[tuple[int, ActionItem]] = []
    for node in nodes:
        if any(a <= node.start < b for a, b in rows):
            continue
        own_end = node.body_end
        own = [m for m in notes.within(node.start, own_end) if m.row is None]
        if not _node_is_item(node, nodes, own, plan, text):
            continue
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
