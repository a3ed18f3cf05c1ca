"""Named stages with their dates: ``（一）部署阶段（20xx年4月13日-20xx年4月19日）``.

A stage is an outline node whose heading ends in ``阶段``, or a node under a schedule heading
(时间安排, 实施步骤 …) that carries a date or a stage word; or, in running text, a stage name
(``动员部署阶段``, ``第二阶段``; with the words between a marker and it: ``(一)前期筹备阶段``)
followed by a date. A schedule heading opens with a step word or is a short one ending in it
(``三、实施阶段`` over its stages), so ``全面实施阶段`` and ``组织实施阶段`` are stages; time words
(现阶段, 下一阶段, 全阶段, 高质量发展新阶段) are not. Dates come from ``context.dates`` (the date
extractor): the first date or range in the stage's heading; a range gives start and end, a
date followed by 前 gives the end only, one followed by 起 the start only.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import regex

from civicnlp.document import DateItem, Phase
from civicnlp.extractors import dates as _dates
from civicnlp.extractors.context import Context
from civicnlp.extractors.outline import Node, build_outline
from civicnlp.extractors.script import simplified
from civicnlp.lexicon import load_lines

__all__ = ["date_at", "extract_phases", "is_phase_node", "phase_dates"]

_DATEISH = regex.compile(
    r"[0-9０-９xX]{1,4}\s*(?:[-—－~～至到]\s*[0-9０-９]{1,2}\s*)?[年月日]|[一二三四五六七八九十]{1,2}月|月底|年底|上旬|中旬|下旬"
)
_BEFORE = regex.compile(r"^\s*(?:底前|前|之前|以前|为止|止)")
_FROM = regex.compile(r"^\s*(?:起|开始|以后|后)")
# words that make ``……阶段`` no stage: 现阶段, 新发展阶段, 这一阶段 (any length); 下一阶段, 各个阶段,
# 全阶段 (short ones only: 全面实施阶段 is a stage)
_NOT_STAGE_ANY = ("现", "新", "这", "该", "本", "此", "那", "个")
# an era or a turning point, not a stage of the work (高质量发展新阶段, 关键阶段)
_NOT_STAGE_END = ("新阶段", "关键阶段", "重要阶段", "历史阶段", "发展阶段", "初级阶段", "特殊阶段")
_NOT_STAGE_SHORT = ("下", "上", "每", "各", "全", "两", "几")
# a marker or a line start just before a stage name: the words after it belong to the name
_NAME_START = regex.compile(
    r"(?:^|[\n。；;：:]|[（(][一二三四五六七八九十0-9０-９]{1,2}[）)]|[一二三四五六七八九十]{1,2}、|[0-9０-９]{1,2}[.．、])$"
)
_HEAD_STOP = regex.compile(r"[。\n]")
_CLAUSE_STOP = regex.compile(r"[。；;\n]")
_RANGE_OPEN = regex.compile(r"[至到—\-－~～]\s*$")
_NAMED_STAGE = regex.compile(r"([^\s，,、：:（）()]{2,12}阶段)")
_LEAD_HAN = regex.compile(r"\p{Han}{1,4}$")
_DATE_GAP = regex.compile(r"[：:，,（(□\s]{0,3}(?:时间[：:为]?)?")
_TO_CLOSE = regex.compile(r"[^（）()]*[）)]")
_LOOSE_DATE = regex.compile(
    r"[0-9０-９xX]{2,4}年[^（）()。，,；;\n]{0,24}?(?:日|月底|月|年底|底|末|旬)"
    r"|[0-9０-９]{1,2}月[^（）()。，,；;\n]{0,16}?(?:日|底|末|旬|月)"
)


@cache
def _words(name: str) -> tuple[str, ...]:
    return tuple(sorted(set(load_lines(name)), key=len, reverse=True))


@cache
def _stage_re() -> regex.Pattern[str]:
    words = "|".join(map(regex.escape, _words("phase_words.txt")))
    return regex.compile(rf"(?:第[一二三四五六七八九十]{{1,3}}|(?:{words}){{1,3}})阶段")


@lru_cache(maxsize=4096)
def _is_schedule_heading(head: str) -> bool:
    """``时间安排``, ``实施步骤及时间安排``, ``五、进度要求``: a schedule's own heading (a step word
    opens it, or ends a short one), not a stage named with such a word (``全面实施阶段``)."""
    words = _words("step_headings.txt")
    return any(head.startswith(w) or (head.endswith(w) and len(head) <= len(w) + 4) for w in words)


def _not_stage(name: str) -> bool:
    """``现阶段``, ``下一阶段``, ``新发展阶段``, ``高质量发展新阶段``: a time word, not a named stage."""
    if name.endswith(_NOT_STAGE_END):
        return True
    return name.startswith(_NOT_STAGE_ANY) or (name.startswith(_NOT_STAGE_SHORT) and len(name) <= 5)


def _ancestors(node: Node, nodes: list[Node]) -> list[Node]:
    out = []
    p = node.parent
    while p is not None:
        out.append(nodes[p])
        p = nodes[p].parent
    return out


def _region_end(text: str, node: Node) -> int:
    """The heading's own stretch: to the first 。 or line end, at most 80 characters in."""
    stop = _HEAD_STOP.search(text, node.start, node.body_end)
    end = stop.start() if stop else node.body_end
    return min(end, node.start + 80, node.body_end)


def is_phase_node(node: Node, nodes: list[Node], text: str) -> bool:
    """Whether an outline node is a stage of the work rather than a task."""
    head = simplified(node.heading)
    parent = nodes[node.parent] if node.parent is not None else None
    under_schedule = parent is not None and _is_schedule_heading(simplified(parent.heading))
    if not under_schedule and _is_schedule_heading(head) and (node.children or not head.endswith("阶段")):
        return False  # the schedule's own heading (三、时间安排, 三、实施阶段 over its stages)
    if head.endswith("阶段") and not _not_stage(head):
        return True
    if parent is None:
        return False
    # a child of a stage (1.第一阶段 under （三）集中整治) is a stage too when dated
    if not under_schedule and not is_phase_node(parent, nodes, text):
        return False
    region = simplified(text[node.start : _region_end(text, node)])
    return bool(_DATEISH.search(region) or _stage_re().search(head))


def date_at(context: Context, start: int, end: int) -> DateItem | None:
    """The first date or range of ``context.dates`` that starts inside ``[start, end)``."""
    for d in context.dates:
        if start <= d.start < end and d.kind in ("date", "range"):
            return d
    fn: Any = getattr(_dates, "parse_date_span", None)
    if fn is None or context.dates:
        return None
    m = _LOOSE_DATE.search(context.text[start:end])
    if not m:
        return None
    try:
        got = fn(m.group())
    except Exception:  # a parser's miss is no stage's failure
        return None
    if isinstance(got, list):
        got = got[0] if got else None
    if isinstance(got, DateItem):
        a = start + m.start()
        return DateItem(got.text, got.kind, got.value, a, a + len(got.text), got.mod, got.end_mod, got.start_mod)
    return None


def phase_dates(context: Context, start: int, end: int) -> tuple[str | None, str | None, str | None, str | None]:
    """(start_date, end_date, start_mod, end_mod) from the first date in ``[start, end)``."""
    d = date_at(context, start, end)
    if d is None:
        return None, None, None, None
    if isinstance(d.value, dict):
        return d.value.get("start"), d.value.get("end"), d.start_mod, d.end_mod
    after = context.text[d.end : d.end + 4]
    before = context.text[max(start, d.start - 2) : d.start]
    if _BEFORE.match(after) or _RANGE_OPEN.search(before):
        return None, d.value, None, d.mod
    if _FROM.match(after):
        return d.value, None, d.mod, None
    return d.value, d.value, d.mod, d.mod


def extract_phases(text: str, *, context: Context) -> list[Phase]:
    """Named stages (部署阶段, 攻坚阶段 …) with their dates."""
    nodes = build_outline(text, context)
    out: list[Phase] = []
    taken: list[tuple[int, int]] = []
    for node in nodes:
        if node.annex or not node.heading or not is_phase_node(node, nodes, text):
            continue
        region_end = _region_end(text, node)
        sd, ed, smod, emod = phase_dates(context, node.start, region_end)
        name = node.heading
        if not simplified(name).endswith(("阶段", "期")):
            # a heading that opens with its dates: the stage's name follows them
            named = _NAMED_STAGE.search(simplified(text[node.start : region_end]))
            if named:
                name = text[node.start + named.start(1) : node.start + named.end(1)]
        out.append(Phase(name, sd, ed, text[node.start : region_end], node.start, region_end, smod, emod))
        taken.append((node.start, region_end))
    shadow = context.shadow() if text is context.text else simplified(text)
    for m in _stage_re().finditer(shadow):
        if any(a <= m.start() < b for a, b in taken):
            continue
        name = m.group()
        start = m.start()
        # words before the stage's known ones, back to a marker: (一)前期筹备阶段
        lead = _LEAD_HAN.search(shadow[max(0, start - 4) : start])
        if lead and _NAME_START.search(shadow[max(0, start - len(lead.group()) - 5) : start - len(lead.group())]):
            start -= len(lead.group())
            name = shadow[start : m.end()]
        if _not_stage(name) or any(a <= start < b for a, b in taken):
            continue
        gap = _DATE_GAP.match(shadow, m.end())
        date_start = gap.end() if gap else m.end()
        if not _DATEISH.match(shadow, date_start, date_start + 12) and not _DATEISH.match(
            shadow[date_start : date_start + 12].lstrip("即日起至-—－~～")
        ):
            continue
        stop = _CLAUSE_STOP.search(text, date_start)
        end = min(stop.start() if stop else len(text), date_start + 40)
        sd, ed, smod, emod = phase_dates(context, date_start, end)
        close = _TO_CLOSE.match(text[date_start:end])
        end = date_start + close.end() if close else end
        out.append(Phase(text[start : m.end()], sd, ed, text[start:end], start, end, smod, emod))
        taken.append((start, end))
    out.sort(key=lambda p: p.start)
    return out
