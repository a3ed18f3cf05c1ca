"""Shared wording of the views: span kinds, their labels and colours, and value formatting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["KINDS", "Highlight", "Kind", "date_text", "highlights", "item_text", "phase_dates", "section_tree"]


@dataclass(frozen=True)
class Kind:
    """A kind of extracted span as the views show it."""

    key: str  # CSS class suffix and legend key
    field: str  # record field
    label: str  # shown to the reader
    color: str  # highlight colour (HTML) / rich colour name (terminal)
    rich: str


# long spans first, so that short ones are drawn over them
KINDS: tuple[Kind, ...] = (
    Kind("item", "action_items", "任务 action item", "#fff4c2", "yellow"),
    Kind("phase", "phases", "阶段 phase", "#dff5e3", "green"),
    Kind("heading", "sections", "标题 heading", "#e6e6e6", "white"),
    Kind("unit", "responsible_units", "单位 unit", "#a9d4ff", "blue"),
    Kind("official", "lead_officials", "领导 official", "#ffc98f", "dark_orange"),
    Kind("person", "people", "人员 person", "#f7b6d8", "magenta"),
    Kind("date", "dates", "日期 date", "#d4c2ff", "purple"),
    Kind("metric", "metrics", "数量 metric", "#9fe8d8", "cyan"),
)


def _mod(value: str, mod: Any) -> str:
    return f"{value} ({mod})" if mod else value


def date_text(value: Any, entry: dict[str, Any] | None = None, *, prefix: str = "") -> str:
    """A date value as one short string: ``2024-05``, ``2024-05-01 → 2024-05-15``, ``P3M``."""
    entry = entry or {}
    if value is None:
        return ""
    if isinstance(value, dict):
        start = _mod(str(value.get("start", "?")), entry.get(f"{prefix}start_mod"))
        end = _mod(str(value.get("end", "?")), entry.get(f"{prefix}end_mod"))
        return f"{start} → {end}"
    return _mod(str(value), entry.get(f"{prefix}mod"))


def phase_dates(phase: dict[str, Any]) -> str:
    """A phase's dates: ``2024-05-01 → 2024-05-15``, with ``(end)``-style marks; ``?`` when unknown."""
    start = _mod(phase.get("start_date") or "?", phase.get("start_mod"))
    end = _mod(phase.get("end_date") or "?", phase.get("end_mod"))
    return f"{start} → {end}"


def item_text(item: dict[str, Any]) -> str:
    """An action item's text without its leading marker (the views show the marker apart)."""
    text: str = item.get("text", "")
    marker: str = item.get("marker", "")
    return text[len(marker) :].lstrip() if marker and text.startswith(marker) else text


def _span_of(kind: Kind, entry: dict[str, Any]) -> tuple[int, int]:
    if kind.key == "heading":
        start, end = entry.get("heading_start", 0), entry.get("heading_end", 0)
        if end > start:  # the marker and the heading words
            return min(entry["start"], start), end
        # no heading offsets: the marker line is the heading
        return entry["start"], entry["start"] + len(entry.get("marker", "")) + len(entry.get("heading", ""))
    return entry["start"], entry["end"]


def _tip(kind: Kind, entry: dict[str, Any]) -> str:
    if kind.key == "item":
        bits = [f"{kind.label} {entry.get('marker', '')}".strip()]
        if entry.get("lead_officials"):
            bits.append("领导 " + "、".join(entry["lead_officials"]))
        if entry.get("responsible_units"):
            bits.append("单位 " + "、".join(entry["responsible_units"]))
        if entry.get("deadline") is not None:
            bits.append("期限 " + date_text(entry["deadline"], entry, prefix="deadline_"))
        return "; ".join(bits)
    if kind.key == "heading":
        return f"{kind.label} {entry.get('id', '')} level {entry.get('level', '')}"
    if kind.key == "phase":
        return f"{kind.label}: {phase_dates(entry)}"
    if kind.key == "date":
        return f"{kind.label} ({entry.get('kind', '')}): {date_text(entry.get('value'), entry)}"
    if kind.key == "metric":
        subject = f" · {entry['subject']}" if entry.get("subject") else ""
        approx = "≈" if entry.get("approx") else ""
        return f"{kind.label}: {approx}{entry.get('value')} {entry.get('unit', '')}{subject}"
    if kind.key == "person":
        extra = " ".join(x for x in (entry.get("title"), entry.get("role")) if x)
        return f"{kind.label}: {entry.get('name', '')} {extra}".strip()
    return f"{kind.label}: {entry.get('name', '')}"


@dataclass(frozen=True)
class Highlight:
    """One extracted span to highlight: offsets into the record's text, kind, tooltip, entry."""

    start: int
    end: int
    kind: Kind
    tip: str
    entry: dict[str, Any]


def highlights(record: dict[str, Any]) -> list[Highlight]:
    """Every extracted span of ``record`` (clipped to its text), in KINDS order."""
    out: list[Highlight] = []
    n = len(record.get("text") or "")
    for kind in KINDS:
        for entry in record.get(kind.field) or []:
            start, end = _span_of(kind, entry)
            start, end = max(0, min(start, n)), max(0, min(end, n))
            if end > start:
                out.append(Highlight(start, end, kind, _tip(kind, entry), entry))
    return out


def section_tree(sections: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[Any]]]:
    """Sections as a forest: ``[(section, children), ...]`` following ``parent`` links."""
    nodes: dict[str, tuple[dict[str, Any], list[Any]]] = {}
    roots: list[tuple[dict[str, Any], list[Any]]] = []
    for sec in sections:
        node: tuple[dict[str, Any], list[Any]] = (sec, [])
        nodes[sec["id"]] = node
        parent = nodes.get(sec.get("parent") or "")
        (parent[1] if parent else roots).append(node)
    return roots
