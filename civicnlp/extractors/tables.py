"""Task tables (任务分解表, 重点任务清单): numbered rows whose cells say who does what by when.

A header row names the columns (序号 | 任务 | 牵头单位 | 责任单位 | 责任领导 | 完成时限); the
rows under it are read in any of the layouts that readers and copies leave:

- cells split by ``|`` (Markdown, PDF copies) or tabs (what the .docx and .html readers write);
- cells split by runs of spaces (a flattened copy that kept its gaps);
- one cell per line;
- flattened into a run-on line, cells glued together (``1推进……区城管局各街道王明2021年6月底前2……``):
  the trailing cells are peeled off by their look — a date, person names, unit names.

Each row becomes a :class:`TableRow` whose cells carry their column's role (``task``,
``unit``, ``official``, ``deadline``, ``other``). Bare 序号 cells are not sections; the
action-item stage turns numbered rows into items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import regex

from civicnlp.extractors.names import is_person_name, looks_like_unit, unit_suffixes
from civicnlp.lexicon import load_lines

__all__ = ["Cell", "TableRow", "column_role", "find_table_rows", "find_tables"]

_NUMBER_LABELS = ("序号", "编号", "序")
_TASK_LABELS = (
    "工作任务", "重点任务", "主要任务", "具体任务", "任务内容", "任务名称", "工作内容", "工作措施", "具体措施",
    "主要措施", "工作事项", "重点工作", "工作要求", "目标任务", "任务", "事项", "内容", "项目", "措施",
)  # fmt: skip
_ROW_NUM = regex.compile(r"^[ \t\u3000]*([0-9０-９]{1,3})[ \t\u3000]*[.、．]?[ \t\u3000]*$")
_DEADLINE_TAIL = regex.compile(
    r"(?:(?:[0-9０-９xX]{2,4}年)?(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,2})月(?:底|末|初|上旬|中旬|下旬|[0-9０-９]{1,2}日)?"
    r"|[0-9０-９xX]{2,4}年(?:底|末|年底|上半年|下半年)?"
    r"|[0-9０-９xX]{2,4}年第?[一二三四1-4]季度)(?:前|之前|以前|底前)?(?:完成)?"
    r"|长期坚持|长期|持续推进|持续开展|持续|常态化(?:推进|开展)?|年内完成"
)
_DEADLINE_AT_END = regex.compile(rf"(?:{_DEADLINE_TAIL.pattern})$")
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_LABEL_SPACE = regex.compile(r"[\s\u3000]+")
_NON_SPACE_RUN = regex.compile(r"[^ \t\u3000\xa0]+")
_PIPE = regex.compile(r"[|｜]")
_TAB = regex.compile(r"\t")
_NAME_LIST_SEP = regex.compile(r"[、，,/□ ]+")
_PLACEHOLDER_AT_END = regex.compile(r"(?:[xXｘＸ×＊*○〇]{2,5}|某某)$")
_HAN_AT_END = {n: regex.compile(rf"\p{{Han}}{{{n}}}$") for n in (3, 2)}
_UNIT_OPENING = regex.compile(r"^(?:各|有关|相关|[省市县区镇乡]|街道|社区)")
_RULE_LINE = regex.compile(r"[\s|｜:：\-—]+")
# a table's caption line: ……责任分解及工作进度表, 重点任务清单表
_CAPTION = regex.compile(r"(?:责任|任务|分工|进度|分解|清单|台账)\p{Han}{0,8}表$")
# a numbered row that opens a line and goes on with its task: 1、健全……
_ROW_LINE = regex.compile(r"^[ \t\u3000]*([0-9０-９]{1,3})[、.．](?=[^\s0-9０-９])")
_CELL_SEP = regex.compile(r"[、，,]")
_RUN_ON_NUMBER = regex.compile(r"(?<![0-9０-９年月日.])([0-9０-９]{1,3})[.、．]?(?=[\p{Han}“《])")


@dataclass(frozen=True)
class Cell:
    """One cell of a row: its column's role and label, and its span in the text."""

    role: str  # task | unit | official | deadline | other
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class TableRow:
    """A numbered row of a task table."""

    number: int
    marker: str
    start: int
    end: int
    cells: tuple[Cell, ...]


@cache
def _cue_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return (
        frozenset(load_lines("unit_cues.txt")),
        frozenset(load_lines("official_cues.txt")),
        frozenset(load_lines("deadline_cues.txt")),
    )


def column_role(label: str) -> str | None:
    """The role of a header cell (``牵头单位`` → ``unit``), or None when it is no column label."""
    lab = _LABEL_SPACE.sub("", label)
    units, officials, deadlines = _cue_sets()
    if lab in _NUMBER_LABELS:
        return "number"
    short = len(lab) <= 5  # a column label, not a heading that happens to end alike
    if lab in units or (short and lab.endswith(("单位", "部门", "科室"))):
        return "unit"
    if lab in officials or (short and lab.endswith("领导")):
        return "official"
    if lab in deadlines or (short and lab.endswith(("时限", "时间", "期限"))):
        return "deadline"
    if lab in _TASK_LABELS or lab.endswith(_TASK_LABELS):
        return "task"
    if lab in ("备注", "完成标准", "工作目标", "考核标准", "目标", "标准", "督办领导"):
        return "other"
    return None


@cache
def _label_alt() -> str:
    units, officials, deadlines = _cue_sets()
    labels = set(_NUMBER_LABELS) | set(_TASK_LABELS) | units | officials | deadlines | {"备注", "完成标准"}
    return "(?:" + "|".join(map(regex.escape, sorted(labels, key=len, reverse=True))) + ")"


# word alternations compiled with ``re``: the same matches as ``regex``, scanned faster
@cache
def _label_alt_re() -> re.Pattern[str]:
    return re.compile(_label_alt())


@cache
def _label_run() -> re.Pattern[str]:
    alt = _label_alt()
    return re.compile(rf"{alt}(?:[ \u3000]*{alt}){{2,}}")


def _good_header(roles: Sequence[str | None]) -> bool:
    known = [r for r in roles if r]
    return (
        len(roles) >= 3
        and len(known) >= len(roles) - 1
        and any(r in ("unit", "official") for r in known)
        and any(r in ("number", "task") for r in known)
    )


def _split_cells(line: str, base: int, delim: str) -> list[tuple[int, int]]:
    """Cell spans of a delimited line (edge cells of a ``|`` row dropped), stripped of spaces."""
    if delim == "space":
        return [(base + m.start(), base + m.end()) for m in _NON_SPACE_RUN.finditer(line)]
    pat = _PIPE if delim == "|" else _TAB
    spans, pos = [], 0
    for m in pat.finditer(line):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(line)))
    out = []
    for a, b in spans:
        seg = line[a:b]
        lead = len(seg) - len(seg.lstrip(" \u3000\xa0"))
        trail = len(seg) - len(seg.rstrip(" \u3000\xa0"))
        out.append((base + a + lead, base + b - trail))
    if delim == "|":
        if out and out[0][0] == out[0][1]:
            out = out[1:]
        if out and out[-1][0] == out[-1][1]:
            out = out[:-1]
    return out


def _looks_deadline(s: str) -> bool:
    return bool(_DEADLINE_TAIL.fullmatch(s.strip()))


def _type_cells(shadow: str, spans: list[tuple[int, int]], roles: list[str]) -> list[Cell]:
    """Give cells roles when their count does not match the header: the first is the task;
    later ones by their look (a date → deadline, person names → official, else unit)."""
    want_units = "unit" in roles
    out: list[Cell] = []
    for i, (a, b) in enumerate(spans):
        s = shadow[a:b]
        if i == 0:
            out.append(Cell("task", "", a, b))
        elif _looks_deadline(s):
            out.append(Cell("deadline", "", a, b))
        elif all(is_person_name(p) for p in _NAME_LIST_SEP.split(s) if p):
            out.append(Cell("official" if "official" in roles else "unit", "", a, b))
        elif want_units:
            out.append(Cell("unit", "", a, b))
    # a unit cell glued onto the task by a joined line break: peel it off the task's end
    missing = roles.count("unit") - sum(c.role == "unit" for c in out)
    if out and out[0].role == "task" and missing > 0:
        task = out[0]
        peeled = _peel(shadow, task.start, task.end, ["task"] + ["unit"] * missing)
        out = peeled + out[1:]
    return out


def _row(
    shadow: str, header: list[tuple[str, str]], spans: list[tuple[int, int]], start: int, end: int
) -> TableRow | None:
    """A row from its cell spans; the first cell must be its number."""
    if not spans:
        return None
    m = _ROW_NUM.match(shadow[spans[0][0] : spans[0][1]])
    if not m:
        return None
    number = int(m.group(1).translate(_FULL_DIGITS))
    roles = [r for r, _ in header]
    rest = spans[1:]
    if len(spans) == len(header):
        cells = [Cell(r, lab, a, b) for (r, lab), (a, b) in zip(header[1:], rest, strict=True) if b > a]
    elif len(rest) == 1:
        cells = _peel(shadow, rest[0][0], rest[0][1], roles)
    else:
        cells = _type_cells(shadow, [s for s in rest if s[1] > s[0]], roles)
    marker = shadow[spans[0][0] : spans[0][1]].strip()
    return TableRow(number, marker, start, end, tuple(cells))


def _peel(shadow: str, a: int, b: int, roles: list[str]) -> list[Cell]:
    """Cells of a run-on row ``任务……单位单位姓名日期``: deadline, officials and units are
    peeled off its end by their look; what stays is the task."""
    cells: list[Cell] = []
    end = b
    while end > a and shadow[end - 1] in " \t\u3000\xa0，,。；;":
        end -= 1
    if "deadline" in roles:
        m = _DEADLINE_AT_END.search(shadow[a:end])
        if m and m.start() > 0:
            cells.append(Cell("deadline", "", a + m.start(), end))
            end = a + m.start()
            while end > a and shadow[end - 1] in " \t\u3000\xa0，,；;":
                end -= 1
    if "official" in roles:
        need = roles.count("official")
        o_end = pos = end
        count = 0
        while pos > a:
            seg = shadow[a:pos]
            stripped = seg.rstrip("、，,/ ")
            if count >= need and len(stripped) == len(seg):
                break  # no separator: the cell holds no more names
            m = _PLACEHOLDER_AT_END.search(stripped)
            if not m:
                m = next(
                    (mm for n in (3, 2) if (mm := _HAN_AT_END[n].search(stripped)) and is_person_name(mm.group())),
                    None,
                )
            if not m:
                break
            pos = a + m.start()
            count += 1
        if pos < o_end:
            cells.append(Cell("official", "", pos, o_end))
            end = pos
    if "unit" in roles:
        need = roles.count("unit")
        u_end = pos = end
        count = 0
        suffixes = unit_suffixes()
        while pos > a:
            seg = shadow[a:pos]
            stripped = seg.rstrip("、，,/ ")
            if count >= need and len(stripped) == len(seg):
                break
            if not stripped.endswith(suffixes):
                break
            k = _unit_start(stripped)
            if k is None:
                break
            cells.append(Cell("unit", "", a + k, a + len(stripped)))
            pos = a + k
            count += 1
        end = pos if pos < u_end else end
    if end > a:
        cells.append(Cell("task", "", a, end))
    return sorted(cells, key=lambda c: c.start)


def _unit_start(seg: str) -> int | None:
    """Start of the shortest unit name that ``seg`` ends with: it opens with an admin word or
    各/有关/相关 (taken along when they stand just before)."""
    for k in range(len(seg) - 2, max(-1, len(seg) - 16), -1):
        piece = seg[k:]
        if _UNIT_OPENING.match(piece) and (len(piece) >= 3 or piece[0] == "各") and looks_like_unit(piece):
            for lead in ("各", "有关", "相关"):
                if seg[:k].endswith(lead):
                    return k - len(lead)
            return k
    return None


def _delimited(shadow: str, lines: list[tuple[int, int]]) -> Iterator[TableRow]:
    i = 0
    while i < len(lines):
        ls, le = lines[i]
        line = shadow[ls:le]
        delim = "|" if ("|" in line or "｜" in line) else "\t" if "\t" in line else "space"
        spans = _split_cells(line, ls, delim)
        roles = [column_role(shadow[a:b]) for a, b in spans]
        if not _good_header(roles) or (delim == "space" and None in roles):
            i += 1
            continue
        header = [(r or "other", shadow[a:b]) for r, (a, b) in zip(roles, spans, strict=True)]
        if header[0][0] != "number":
            header = [("number", ""), *header]
        j = i + 1
        while j < len(lines):
            rs, re_ = lines[j]
            row_line = shadow[rs:re_]
            if not row_line.strip() or _RULE_LINE.fullmatch(row_line):
                j += 1
                continue
            if delim != "space" and delim not in row_line and not (delim == "|" and "｜" in row_line):
                break
            row = _row(shadow, header, _split_cells(row_line, rs, delim), rs, re_)
            if row is None and not _ROW_NUM.match(row_line.split()[0] if row_line.split() else ""):
                if delim == "space":
                    break
                j += 1
                continue
            if row is not None:
                yield row
            j += 1
        i = j


def _one_per_line(shadow: str, lines: list[tuple[int, int]]) -> Iterator[TableRow]:
    i = 0
    while i < len(lines):
        labels: list[tuple[str, str]] = []
        j = i
        while j < len(lines):
            s = shadow[lines[j][0] : lines[j][1]].strip()
            if not s and labels:
                j += 1
                continue
            r = column_role(s) if s else None
            if r is None:
                break
            labels.append((r, s))
            j += 1
        if not _good_header([r for r, _ in labels]):
            i = max(j, i + 1)
            continue
        header = labels if labels[0][0] == "number" else [("number", ""), *labels]
        roles = [r for r, _ in header]
        expect = 1
        while j < len(lines):
            s = shadow[lines[j][0] : lines[j][1]]
            m = _ROW_NUM.match(s)
            if not m or int(m.group(1).translate(_FULL_DIGITS)) != expect:
                break
            k = j + 1
            cell_lines: list[tuple[int, int]] = []
            while k < len(lines):
                t = shadow[lines[k][0] : lines[k][1]]
                nm = _ROW_NUM.match(t)
                if nm and int(nm.group(1).translate(_FULL_DIGITS)) == expect + 1:
                    break
                if len(cell_lines) >= len(header) - 1 and (t.strip() or not cell_lines):
                    break
                if t.strip():
                    a, b = lines[k]
                    a += len(t) - len(t.lstrip())
                    b -= len(t) - len(t.rstrip())
                    cell_lines.append((a, b))
                k += 1
            if len(cell_lines) == len(header) - 1:
                cells = [Cell(r, lab, a, b) for (r, lab), (a, b) in zip(header[1:], cell_lines, strict=True)]
            elif len(cell_lines) == 1:
                cells = _peel(shadow, cell_lines[0][0], cell_lines[0][1], roles)
            else:
                cells = _type_cells(shadow, cell_lines, roles)
            end = cell_lines[-1][1] if cell_lines else lines[j][1]
            yield TableRow(expect, s.strip(), lines[j][0], end, tuple(cells))
            expect += 1
            j = k
        i = max(j, i + 1)


def _run_on(shadow: str, lines: list[tuple[int, int]]) -> Iterator[TableRow]:
    """Header labels glued together, rows glued after them: ``序号任务牵头单位……1推进……2……``."""
    for ls, le in lines:
        line = shadow[ls:le]
        h = _label_run().search(line)
        if not h:
            continue
        labels = [m.group() for m in _label_alt_re().finditer(h.group())]
        roles = [column_role(x) or "other" for x in labels]
        if not _good_header(roles) or "|" in line or "\t" in line:
            continue
        pos = ls + h.end()
        expect = 1
        starts: list[tuple[int, int, int]] = []  # (number, number start, text start)
        for m in _RUN_ON_NUMBER.finditer(shadow[pos:le]):
            n = int(m.group(1).translate(_FULL_DIGITS))
            if n == expect:
                starts.append((n, pos + m.start(), pos + m.end()))
                expect += 1
        for k, (n, ns, ts) in enumerate(starts):
            end = starts[k + 1][1] if k + 1 < len(starts) else le
            cells = _peel(shadow, ts, end, roles)
            yield TableRow(n, shadow[ns:ts], ns, end, tuple(cells))


def _is_unit_cell(line: str) -> bool:
    """Whether a line is only a cell of unit names: ``区财政局、`` ``甲局、乙局`` (each piece a
    unit name, short, split by ``、，,``; a trailing separator allowed)."""
    s = line.strip(" \t\u3000\xa0")
    if not s or len(s) > 60:
        return False
    pieces = [p for p in _CELL_SEP.split(s.rstrip("、，,")) if p]
    return bool(pieces) and all(len(p) <= 16 and looks_like_unit(p) for p in pieces)


def _headerless(shadow: str, lines: list[tuple[int, int]]) -> tuple[list[TableRow], list[tuple[int, int]]]:
    """A task table whose header row was lost, under its caption (``……责任分解表``): numbered
    rows ``1、……`` one per line, the unit-name lines that follow a row its unit cells, the first
    line that is only a date its deadline; unit-name lines that follow no row (a row whose number
    was lost) are returned as loose unit cells. Nothing unless some row has a unit cell."""
    cap = next(
        (
            k
            for k, (a, b) in enumerate(lines)
            if len(shadow[a:b].strip()) <= 40 and _CAPTION.search(shadow[a:b].strip())
        ),
        None,
    )
    if cap is None:
        return [], []
    rows: list[TableRow] = []
    loose: list[tuple[int, int]] = []
    expect = 1
    current: tuple[int, str, int, list[Cell], bool] | None = None  # number, marker, start, cells, open
    ends: list[int] = []

    def close() -> None:
        if current is not None:
            n, marker, start, cells, _ = current
            end = max([c.end for c in cells] + ends)
            rows.append(TableRow(n, marker, start, end, tuple(cells)))

    for a, b in lines[cap + 1 :]:
        line = shadow[a:b]
        m = _ROW_LINE.match(line)
        if m and int(m.group(1).translate(_FULL_DIGITS)) == expect:
            close()
            current = (expect, m.group(0).strip(), a + len(line) - len(line.lstrip()), [], True)
            ends = [b]
            expect += 1
            continue
        t = line.strip(" \t\u3000\xa0")
        if not t:
            continue
        ca = a + len(line) - len(line.lstrip(" \t\u3000\xa0"))
        cb = ca + len(t)
        if _is_unit_cell(t):
            if current is not None and current[4]:
                current[3].append(Cell("unit", "", ca, cb))
            else:
                loose.append((ca, cb))
            continue
        if current is not None:
            n, marker, start, cells, _ = current
            if _looks_deadline(t) and not any(c.role == "deadline" for c in cells):
                cells.append(Cell("deadline", "", ca, cb))
            current = (n, marker, start, cells, False)
    close()
    if not any(c.role == "unit" for r in rows for c in r.cells):
        return [], []
    return rows, loose


def _lines(sh: str) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in sh.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    return lines


def find_tables(text: str, shadow: str | None = None) -> tuple[list[TableRow], list[tuple[int, int]]]:
    """Every numbered row of every task table in ``text`` (``shadow``: its simplified copy), and
    the spans of unit-name cells that belong to no row (a header-less table's row whose number
    was lost; see :func:`_headerless`)."""
    sh = shadow if shadow is not None else text
    lines = _lines(sh)
    rows: list[TableRow] = []
    taken: list[tuple[int, int]] = []
    for finder in (_delimited, _one_per_line, _run_on):
        for row in finder(sh, lines):
            if any(a < row.end and row.start < b for a, b in taken):
                continue
            rows.append(row)
        taken = [(r.start, r.end) for r in rows]
    loose: list[tuple[int, int]] = []
    if not rows:
        rows, loose = _headerless(sh, lines)
    rows.sort(key=lambda r: r.start)
    return rows, loose


def find_table_rows(text: str, shadow: str | None = None) -> list[TableRow]:
    """Every numbered row of every task table in ``text`` (``shadow``: its simplified copy)."""
    return find_tables(text, shadow)[0]
