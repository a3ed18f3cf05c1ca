"""One self-contained HTML page for records: the text with every extracted span highlighted by
kind, the outline, the action-item table, the phases and the dates and metrics tables.

No scripts, no fonts, no images, no links out: a Content-Security-Policy of ``default-src
'none'`` makes the browser refuse any fetch, so the page works offline and leaks nothing.
"""

from __future__ import annotations

import itertools
from html import escape
from typing import Any

from civicnlp.show.format import KINDS, date_text, highlights, item_text, phase_dates, section_tree

__all__ = ["render_html"]

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f7f9;color:#1d232b}
header.top{background:#243447;color:#fff;padding:.8rem 1.5rem;font-size:1.05rem}
article.doc{background:#fff;margin:1.2rem auto;max-width:1200px;padding:1rem 1.5rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
article.doc h1{font-size:1.4rem;margin:.3rem 0}
.meta{color:#556;font-size:.9rem;margin:.2rem 0 .8rem}
.badge{display:inline-block;background:#2e7d32;color:#fff;border-radius:4px;padding:1px 7px;font-weight:bold}
.scores{color:#778}
.layout{display:grid;grid-template-columns:minmax(200px,1fr) 3fr;gap:1.2rem}
nav.outline{font-size:.9rem;border-right:1px solid #e3e6ea;padding-right:.8rem}
nav.outline ol{list-style:none;padding-left:.9rem;margin:.2rem 0}
nav.outline>ol{padding-left:0}
nav.outline a{color:#234;text-decoration:none}
nav.outline a:hover{text-decoration:underline}
nav.outline .mk{font-weight:bold;color:#456}
h2{font-size:1.1rem;border-bottom:1px solid #e3e6ea;padding-bottom:.2rem;margin-top:1.2rem}
.legend{margin:.3rem 0 .6rem}
.legend span.hl{display:inline-block;white-space:nowrap;margin:0 .4rem .3rem 0;padding:1px 6px;font-size:.85rem}
.doc-text{white-space:pre-wrap;line-height:1.9;font-size:1rem}
span.hl{border-radius:3px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #dde1e6;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f2f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}
ol.timeline{list-style:none;padding-left:0;border-left:3px solid #7cc48d;margin-left:.5rem}
ol.timeline li{position:relative;padding:.2rem 0 .5rem 1rem}
ol.timeline li::before{content:"";position:absolute;left:-.5rem;top:.55rem;width:.75rem;height:.75rem;border-radius:50%;background:#2e7d32}
.none{color:#889;font-style:italic}
.warn{color:#8a5a00}
"""


def _kind_css() -> str:
    rules = []
    for kind in KINDS:
        if kind.key == "heading":
            rules.append(f"span.k-{kind.key}{{font-weight:bold;background:{kind.color}}}")
        elif kind.key == "item":
            rules.append(f"span.k-{kind.key}{{background:{kind.color};border-bottom:2px solid #e0b400}}")
        else:
            rules.append(f"span.k-{kind.key}{{background:{kind.color}}}")
    return "\n".join(rules)


def _highlighted(record: dict[str, Any], anchor: str) -> str:
    """The record's text with each character run wrapped in the kinds of the spans over it."""
    text: str = record.get("text") or ""
    spans = highlights(record)
    cuts = sorted({0, len(text), *(h.start for h in spans), *(h.end for h in spans)})
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active = [h for h in spans if h.start <= a and b <= h.end]
        for h in active:
            if h.kind.key == "heading" and h.start == a:
                out.append(f'<a id="{anchor}-{escape(str(h.entry.get("id", "")))}"></a>')
        chunk = escape(text[a:b])
        if not active:
            out.append(chunk)
            continue
        classes = " ".join(dict.fromkeys(f"k-{h.kind.key}" for h in active))
        tip = escape(" | ".join(dict.fromkeys(h.tip for h in active)))
        out.append(f'<span class="hl {classes}" title="{tip}">{chunk}</span>')
    return "".join(out)


def _legend(record: dict[str, Any]) -> str:
    counts: dict[str, int] = {}
    for h in highlights(record):
        counts[h.kind.key] = counts.get(h.kind.key, 0) + 1
    bits = [f'<span class="hl k-{k.key}">{escape(k.label)} · {counts.get(k.key, 0)}</span>' for k in KINDS]
    return f'<div class="legend">{"".join(bits)}</div>'


def _outline(record: dict[str, Any], anchor: str) -> str:
    def render(nodes: list[Any]) -> str:
        items = []
        for sec, children in nodes:
            link = (
                f'<a href="#{anchor}-{escape(sec["id"])}"><span class="mk">{escape(sec.get("marker", ""))}</span> '
                f"{escape(sec.get('heading', ''))}</a>"
            )
            items.append(f"<li>{link}{render(children) if children else ''}</li>")
        return f"<ol>{''.join(items)}</ol>"

    sections = record.get("sections") or []
    body = render(section_tree(sections)) if sections else '<p class="none">no sections</p>'
    return f'<nav class="outline"><h2>Outline</h2>{body}</nav>'


def _short(text: str, n: int = 70) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def _table(title: str, cls: str, head: list[str], rows: list[list[tuple[str, str]]]) -> str:
    if not rows:
        return f'<section class="{cls}"><h2>{escape(title)}</h2><p class="none">none found</p></section>'
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f'<td class="{c}">{escape(v)}</td>' for v, c in row) + "</tr>" for row in rows)
    return (
        f'<section class="{cls}"><h2>{escape(title)} ({len(rows)})</h2>'
        f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table></section>"
    )


def _items(record: dict[str, Any]) -> str:
    rows = [
        [
            (it.get("marker", ""), ""),
            (_short(item_text(it)), ""),
            ("、".join(it.get("lead_officials") or []), ""),
            ("、".join(it.get("responsible_units") or []), ""),
            (date_text(it.get("deadline"), it, prefix="deadline_"), ""),
        ]
        for it in record.get("action_items") or []
    ]
    return _table("Action items", "items", ["#", "item", "lead officials", "responsible units", "deadline"], rows)


def _phases(record: dict[str, Any]) -> str:
    phases = record.get("phases") or []
    if not phases:
        return '<section class="phases"><h2>Phases</h2><p class="none">none found</p></section>'
    lis = "".join(f"<li><b>{escape(p.get('name', ''))}</b> {escape(phase_dates(p))}</li>" for p in phases)
    return f'<section class="phases"><h2>Phases ({len(phases)})</h2><ol class="timeline">{lis}</ol></section>'


def _dates(record: dict[str, Any]) -> str:
    rows = [
        [
            (d.get("text", ""), ""),
            (d.get("kind", ""), ""),
            (date_text(d.get("value"), d), ""),
            (date_text(d["resolved"]) if d.get("resolved") else "", ""),
        ]
        for d in record.get("dates") or []
    ]
    return _table("Dates", "dates", ["text", "kind", "value", "resolved"], rows)


def _metrics(record: dict[str, Any]) -> str:
    rows = [
        [
            (m.get("text", ""), ""),
            (("≈" if m.get("approx") else "") + str(m.get("value")), "num"),
            (m.get("unit", ""), ""),
            (m.get("subject") or "", ""),
        ]
        for m in record.get("metrics") or []
    ]
    return _table("Metrics", "metrics", ["text", "value", "unit", "subject"], rows)


def _who(record: dict[str, Any]) -> str:
    rows = []
    for label, field in (("units", "responsible_units"), ("officials", "lead_officials")):
        names = [x.get("name", "") for x in record.get(field) or []]
        if names:
            rows.append([(label, ""), ("、".join(names), "")])
    people = [
        " ".join(x for x in (p.get("name"), p.get("title"), p.get("role") and f"({p['role']})") if x)
        for p in record.get("people") or []
    ]
    if people:
        rows.append([("people", ""), ("、".join(people), "")])
    return _table("Who", "who", ["kind", "names"], rows)


def _header(record: dict[str, Any]) -> str:
    dt = record.get("doc_type")
    if dt:
        scores = ", ".join(f"{k} {v:.2f}" for k, v in sorted(dt.get("scores", {}).items(), key=lambda kv: -kv[1]))
        kind = (
            f'<span class="badge">{escape(dt["label"])} {dt["score"]:.2f}</span> '
            f'<span class="scores">({escape(scores)})</span>'
        )
    else:
        kind = '<span class="none">no model loaded</span>'
    src = record.get("source", {})
    part = f" · part {src.get('part')}/{src.get('parts')}" if src.get("parts", 1) > 1 else ""
    date = f" · dated {escape(record['doc_date'])}" if record.get("doc_date") else ""
    return (
        f"<h1>{escape(record.get('title') or '(no title)')}</h1>"
        f'<p class="meta">{kind} · id {escape(str(record.get("id")))}{escape(part)}{date}</p>'
    )


def _warnings(record: dict[str, Any]) -> str:
    warns = record.get("warnings") or []
    if not warns:
        return ""
    lis = "".join(f"<li>{escape(w)}</li>" for w in warns)
    return f'<section class="warnings"><h2>Warnings ({len(warns)})</h2><ul class="warn">{lis}</ul></section>'


def _article(record: dict[str, Any], n: int) -> str:
    anchor = f"d{n}"
    if "error" in record:
        msg = escape(record["error"].get("message", ""))
        return f'<article class="doc error" id="{anchor}"><h1>{escape(str(record.get("id")))}</h1><p class="warn">{msg}</p></article>'
    main = (
        f'<section class="text"><h2>Text</h2>{_legend(record)}'
        f'<div class="doc-text">{_highlighted(record, anchor)}</div></section>'
        f"{_items(record)}{_phases(record)}{_who(record)}{_metrics(record)}{_dates(record)}{_warnings(record)}"
    )
    return (
        f'<article class="doc" id="{anchor}">{_header(record)}'
        f'<div class="layout">{_outline(record, anchor)}<main>{main}</main></div></article>'
    )


def render_html(records: list[dict[str, Any]], *, title: str = "civicnlp show") -> str:
    """One self-contained HTML page showing ``records`` (``civicnlp.document/1`` dicts)."""
    css = _CSS + _kind_css()
    articles = "".join(_article(r, i) for i, r in enumerate(records, start=1))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{css}</style></head>"
        f'<body><header class="top">{escape(title)} · {len(records)} document(s)</header>{articles}</body></html>\n'
    )
