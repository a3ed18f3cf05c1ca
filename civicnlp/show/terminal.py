"""The terminal view of one record (rich): type, outline, action items, phases, dates, metrics."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from civicnlp.show.format import date_text, item_text, phase_dates, section_tree

__all__ = ["render_terminal"]


def _short(text: str, n: int = 60) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def _header(record: dict[str, Any]) -> Panel:
    title = record.get("title") or "(no title)"
    lines = Text()
    lines.append(title + "\n", style="bold")
    dt = record.get("doc_type")
    if dt:
        lines.append("type: ")
        lines.append(f"{dt['label']} {dt['score']:.2f}", style="bold green")
        others = sorted(dt.get("scores", {}).items(), key=lambda kv: -kv[1])
        lines.append("   (" + ", ".join(f"{k} {v:.2f}" for k, v in others) + ")", style="dim")
    else:
        lines.append("type: (no model loaded)", style="dim")
    src = record.get("source", {})
    part = f"  part {src.get('part')}/{src.get('parts')}" if src.get("parts", 1) > 1 else ""
    lines.append(f"\nid: {record.get('id')}{part}", style="dim")
    if record.get("doc_date"):
        lines.append(f"   dated {record['doc_date']}", style="dim")
    return Panel(lines, title="civicnlp show", title_align="left")


def _outline(record: dict[str, Any]) -> RenderableType | None:
    sections = record.get("sections") or []
    if not sections:
        return None
    tree = Tree(Text("Outline", style="bold"))

    def add(branch: Tree, nodes: list[Any]) -> None:
        for sec, children in nodes:
            sub = branch.add(Text.assemble((sec.get("marker", ""), "bold"), " ", _short(sec.get("heading", ""), 50)))
            add(sub, children)

    add(tree, section_tree(sections))
    return tree


def _items(record: dict[str, Any]) -> RenderableType | None:
    items = record.get("action_items") or []
    if not items:
        return None
    table = Table(title=f"Action items ({len(items)})", title_justify="left", show_lines=False, expand=True)
    table.add_column("#", no_wrap=True)
    table.add_column("item", ratio=3)
    table.add_column("officials", ratio=1)
    table.add_column("units", ratio=2)
    table.add_column("deadline", no_wrap=True)
    for it in items:
        table.add_row(
            it.get("marker", ""),
            _short(item_text(it), 80),
            "、".join(it.get("lead_officials") or []),
            "、".join(it.get("responsible_units") or []),
            date_text(it.get("deadline"), it, prefix="deadline_"),
        )
    return table


def _phases(record: dict[str, Any]) -> RenderableType | None:
    phases = record.get("phases") or []
    if not phases:
        return None
    text = Text()
    text.append("Phases\n", style="bold")
    for i, ph in enumerate(phases):
        text.append("●", style="green")
        text.append(f" {ph.get('name', '')}  ", style="bold")
        text.append(f"{phase_dates(ph)}\n")
        if i < len(phases) - 1:
            text.append("│\n", style="green")
    return text


def _who(record: dict[str, Any]) -> RenderableType | None:
    units = [u["name"] for u in record.get("responsible_units") or []]
    officials = [o["name"] for o in record.get("lead_officials") or []]
    people = [
        " ".join(x for x in (p.get("name"), p.get("title"), p.get("role") and f"({p['role']})") if x)
        for p in record.get("people") or []
    ]
    if not (units or officials or people):
        return None
    table = Table(title="Who", title_justify="left", show_header=False, expand=True)
    table.add_column("kind", style="bold", no_wrap=True)
    table.add_column("names")
    for label, names in (("units", units), ("officials", officials), ("people", people)):
        if names:
            table.add_row(label, "、".join(names))
    return table


def _dates(record: dict[str, Any]) -> RenderableType | None:
    dates = record.get("dates") or []
    if not dates:
        return None
    table = Table(title=f"Dates ({len(dates)})", title_justify="left")
    table.add_column("text")
    table.add_column("kind")
    table.add_column("value")
    table.add_column("resolved")
    for d in dates:
        resolved = d.get("resolved")
        table.add_row(
            d.get("text", ""), d.get("kind", ""), date_text(d.get("value"), d), date_text(resolved) if resolved else ""
        )
    return table


def _metrics(record: dict[str, Any]) -> RenderableType | None:
    metrics = record.get("metrics") or []
    if not metrics:
        return None
    table = Table(title=f"Metrics ({len(metrics)})", title_justify="left")
    table.add_column("text")
    table.add_column("value", justify="right")
    table.add_column("unit")
    table.add_column("subject")
    for m in metrics:
        value = f"≈{m.get('value')}" if m.get("approx") else str(m.get("value"))
        table.add_row(m.get("text", ""), value, m.get("unit", ""), m.get("subject") or "")
    return table


def _warnings(record: dict[str, Any]) -> RenderableType | None:
    warns = record.get("warnings") or []
    if not warns:
        return None
    text = Text()
    text.append(f"Warnings ({len(warns)})\n", style="bold yellow")
    for w in warns:
        text.append(f"• {w}\n", style="yellow")
    return text


def render_terminal(record: dict[str, Any], console: Console | None = None) -> None:
    """Print the view of one ``civicnlp.document/1`` record to ``console`` (default: stdout)."""
    console = console or Console()
    if "error" in record:
        console.print(Panel(Text(record["error"].get("message", ""), style="red"), title=str(record.get("id"))))
        return
    parts = [
        _header(record),
        _outline(record),
        _items(record),
        _phases(record),
        _who(record),
        _dates(record),
        _metrics(record),
        _warnings(record),
    ]
    missing = [
        name
        for name, field in (
            ("action items", "action_items"),
            ("phases", "phases"),
            ("dates", "dates"),
            ("metrics", "metrics"),
        )
        if not record.get(field)
    ]
    shown: list[RenderableType] = [p for p in parts if p is not None]
    if missing:
        shown.append(Text("none found: " + ", ".join(missing), style="dim"))
    console.print(Group(*shown))
