"""Quantities: a number with its unit or measure word, the value normalized, and its subject.

One compiled pattern (built from ``lexicon/units.json``) finds number + unit spans in a
single pass: Arabic and full-width digits (``1,100``, ``1. 5``), Chinese numerals (``三百``,
``十几``, read with ``cn2an`` on the matched span only), ``万``/``亿``/``万亿`` multiplied into
the value, approximation words inside the span (约 近 逾 … 多 余 几 … 以上 左右 → ``approx``;
``25余万元``; 百/千/万 alone only with one: ``近百场``, ``逾万人``),
percentages in every spelling (``100%``, ``95％``, ``百分之九十五``). What is not a metric is
dropped: spans inside dates and durations (``context.dates``), ordinals (第三批), slogan counts
(四个意识, “四个一”), the article 一 (一支队伍) unless a count cue or the clause end shows it
is a count (其中一组, 接地一次。), class labels (三类会议24个, 一级响应, 一类会议…三类会议; 分为四级,
4类对象 and 五类场所…两类场所 do count), groupings (4人一组: 4人 counts, 一组 does not), page chrome (已省略721字) and quoted
slogans with any quote marks ('两个确保“). A range ``3-5名`` gives two metrics, the bare first end
taking the second's unit (and multiplier: ``5~10万元``). The per-cent sign stays as written
(``95％`` → unit ``％``); tenths keep their unit (``近三成`` → 3 ``成``).

``subject`` is the noun phrase the number counts or rates, from the same clause: after a
measure word the noun that follows (``7个文明创建宣传版面``), else the words before the number
with leading verbs stripped (``共清理乱张贴22处`` → ``乱张贴``; ``清运率100%`` → ``清运率``).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from math import isfinite
from typing import Any

import regex

from civicnlp.document import DateItem, Metric
from civicnlp.extractors.context import Context
from civicnlp.extractors.numerals import as_number, number_value
from civicnlp.extractors.timeexpr import alternation
from civicnlp.lexicon import load_json
from civicnlp.text.split import collection_title_end

__all__ = ["extract_metrics", "find_metrics"]

_U: dict[str, Any] = load_json("units.json")
_MEASURE = set(_U["measure_words"])
_ARABIC_ONLY = set(_U["arabic_only"])
_MEASURE_ANY = _MEASURE | _ARABIC_ONLY
_NOT_CN = set(_U["not_after_chinese"])
_LATIN = set(_U["latin_units"])
_MULT: dict[str, int] = _U["multipliers"]
_ONE_CUES = tuple(_U["one_cues"])
_ONE_NEVER = tuple(_U["one_never"])
_CHROME = tuple(_U["chrome_before"])
_TWO_COUNTS = set(_U["two_counts"])
_CLASS_UNITS = set(_U["class_units"])
_CLASS_CUES = tuple(_U["class_count_cues"])
_GROUP_WORDS = alternation(_U["group_words"])
_BLOCKERS = tuple(_U["unit_word_blockers"])
_BLOCKER_EXCEPTIONS = tuple(_U["unit_word_blocker_exceptions"])
_NEAR_BLOCK = set(_U["approx_near_blockers"])
_PAGE_UNITS = frozenset(_U["page_units"])
_PAGE_NUM = r"(?:[0-9０-９]+|[一二两兩三四五六七八九十百]+)"
_PAGE_WORD = alternation(_U["page_units"])
_PAGE_GAP = r"[ \t\u3000,，/|｜、]*"
# 第2页共4页 (either order), 共4页 alone on its line: a page counter left by a site's layout
_PAGE_BEFORE = regex.compile(
    rf"(?:第[ \t\u3000]*{_PAGE_NUM}[ \t\u3000]*(?:{_PAGE_WORD}){_PAGE_GAP}|(?:^|(?<=\n))[ \t\u3000]*)共[ \t\u3000]*$"
)
_PAGE_AFTER = regex.compile(rf"{_PAGE_GAP}第[ \t\u3000]*{_PAGE_NUM}[ \t\u3000]*(?:{_PAGE_WORD})|[ \t\u3000]*(?:\n|$)")


def _by_length(words: list[str]) -> tuple[tuple[int, frozenset[str]], ...]:
    """``words`` grouped by length, longest first: a text's end (or start) of each length is
    looked up once, and the first hit is the longest word that matches."""
    return tuple((n, frozenset(w for w in words if len(w) == n)) for n in sorted({len(w) for w in words}, reverse=True))


_BOUNDS_BEFORE = _by_length(_U["bounds_before"])
_BOUNDS_AFTER = _by_length(_U["bounds_after"])

_HAN_UNITS = alternation(
    [u for u in (*_U["measure_words"], *_U["physical_units"], *_U["arabic_only"]) if u not in _LATIN]
)
_LATIN_UNITS = alternation(_U["latin_units"])
_DEN = alternation(_U["per_denominators"])

_AR = (
    r"(?P<ar>(?<![0-9０-９.．A-Za-z_#＃/])(?<![0-9０-９][:：])(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9０-９]+)"
    r"(?:[.．][0-9０-９]+|(?<=\p{Han}[0-9]{1,3})\.[ ](?=[0-9])[0-9]+)?)"
)
_CN = (
    r"(?P<cn>(?<![第初周週星期礼禮届屆零〇一二两兩三四五六七八九十百千万萬亿億点點])[一二两兩三四五六七八九十][零〇一二两兩三四五六七八九十百千万萬亿億]*"
    rf"(?:[点點][零〇一二三四五六七八九]+(?:{alternation(_MULT)})?)?)"  # 七点二个百分点, 四十七点三万亿元: a decimal
)
# 百/千/万 alone stand for 一百/一千/一万 only with an approx word: 近百场, 逾万人, 千余人
_BARE = (
    r"(?P<bare>(?<![第初周週星期礼禮届屆零〇一二两兩三四五六七八九十百千万萬亿億数數几幾上成好])[百千万萬]"
    rf"(?:{alternation(_MULT)})?(?=(?<=(?:{alternation(_U['approx_before'])})[百千万萬]+)"
    rf"|{alternation(_U['approx_between'])}))"
)
_PATTERN = regex.compile(
    r"(?=[0-9０-９一二两兩三四五六七八九十百千万萬大约約近逾])"  # a guard: every match starts with one of these
    rf"(?:(?P<pcn>(?P<pre>{alternation(_U['approx_before'])})?百分之(?P<pnum>[零〇一二两兩三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)"
    rf"(?P<aa>{alternation(_U['approx_after'])})?)"
    rf"|(?P<pre>{alternation(_U['approx_before'])})?"
    rf"(?:{_AR}(?:(?P<ab>{alternation(_U['approx_between'])})(?=(?:{alternation(_MULT)})))?"  # 25余万元
    rf"(?P<mult>{alternation(_MULT)})?|{_CN}|{_BARE})"
    rf"(?P<ab>{alternation(_U['approx_between'])})?"
    r"[ \t\u3000]?"
    rf"(?:(?P<pct>[%％‰])|(?P<unit>{_HAN_UNITS}|(?:{_LATIN_UNITS})(?![A-Za-z]))(?:/(?P<den>{_DEN}))?)?"
    rf"(?P<aa>{alternation(_U['approx_after'])})?)"
)
_CLAUSE_END = regex.compile(r"[ \t\u3000]*(?:[，,。；;、：:！!？?）)\n]|$)")
_HAN_RUN = regex.compile(r"[\p{Han}A-Za-z0-9“”\"《》〈〉（）()·]+$")
_RIGHT_RUN = regex.compile(r"[\p{Han}A-Za-z“\"《][\p{Han}A-Za-z“”\"《》（）()·]{0,15}")
_TITLE_COUNT_END = regex.compile(r"[)）\]】 \t\u3000]*(?:\n|$)")


_STOP_RE = regex.compile(alternation(_U["subject_stop_after"]))
_LEAD_RE = regex.compile(alternation(_U["subject_strip_lead"]))
_TAIL_RE = regex.compile(f"(?:{alternation(_U['subject_strip_tail'])})$")
_SLOGAN_RE = regex.compile(alternation(_U["slogans"]))
_CLOSE_QUOTE = regex.compile(r"[^“”\"'‘’「」『』]{0,7}[“”\"'‘’「」『』]")
_ONE_AFTER_UNIT = regex.compile(r"[“‘\"']?一")
_GROUPING = regex.compile(rf"一(?:{_GROUP_WORDS})")  # 4人一组: a grouping, no slogan
_CLASS_MEMBERS = regex.compile(
    r"\p{Han}{1,4}?(?:[0-9０-９]+|[一二两兩三四五六七八九十][零〇一二两兩三四五六七八九十百千]*)(?:多|余|餘)?"
    + "(?:"
    + alternation([u for u in _U["measure_words"] if u not in _U["class_units"]])
    + ")"
)  # 三类会议24个: a count of the class's members follows
_RANGE_FIRST = regex.compile(
    r"(?<![0-9０-９.．A-Za-z_#＃~～/\-—–－:：])(?P<n>[0-9０-９]+(?:[.．][0-9０-９]+)?)(?:[-—–－~～至到]|——)$"
)
_CN_CHARS = "零〇一二两兩三四五六七八九十百千"
_LEAD_MULT = regex.compile(rf"[0-9０-９.．,]+({alternation(_MULT)})")
_CN_RANGE_BEFORE = regex.compile(r"[一二两兩三四五六七八九十][到至\-—~～]$")  # 一到二户
_OPEN_QUOTES = "“\"'‘「『"
_RANGE_GAP = regex.compile(r"[ \t]*(?:[-—–－~～至到]|——)[ \t]*")
_CLAUSE_SPLIT = regex.compile(r"[，,。；;：:！!？?\n]")
_HAN_PAIR = regex.compile(r"\p{Han}{2}")
_COUNT_FORMS = frozenset({"两", "兩"})  # 两类: a count; a class label says 二类
# a series of class labels holds the first class or an ordinal 二 (一类 … 三类, 二类 … 三类)
_LABEL_FORMS = frozenset({"一", "二", "1", "１"})


def _at_line_start(text: str, s: int) -> bool:
    """Only spaces stand between the start of ``s``'s line and ``s``."""
    return not text[text.rfind("\n", 0, s) + 1 : s].strip(" \t\u3000")


def _overlaps(starts: list[int], spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """True when [s, e) overlaps one of ``spans`` (sorted, not overlapping each other)."""
    i = bisect_left(starts, e)
    return i > 0 and spans[i - 1][1] > s


def _is_slogan(text: str, s: int, e: int) -> bool:
    return any(m.start() < e and s < m.end() for m in _SLOGAN_RE.finditer(text, max(0, s - 6), e + 6))


def _quoted_short(text: str, s: int, e: int) -> bool:
    """A count that opens a short quoted name: “四个一”, “两个限电序位表”, '两个确保“ (any quote
    marks, matched or not, typed half-width or full-width)."""
    if s == 0 or text[s - 1] not in _OPEN_QUOTES:
        return False
    return _CLOSE_QUOTE.match(text, e, e + 8) is not None


def _page_counter(text: str, s: int, e: int) -> bool:
    """A page count that is a site's page counter: 第 2 页, 共4页 after a 第N页 (第2页共4页), or
    共4页 opening its line with a 第N页 or nothing after it (共4页 第2页)."""
    if text[max(0, s - 4) : s].rstrip(" \t\u3000").endswith("第"):
        return True
    before = _PAGE_BEFORE.search(text, max(text.rfind("\n", 0, s) + 1, s - 16), s)
    if before is None:
        return False
    if before.group().lstrip(" \t\u3000").startswith("第"):
        return True
    return _PAGE_AFTER.match(text, e) is not None


def _subject(text: str, s: int, e: int, unit: str | None) -> str | None:
    """The noun phrase a quantity counts: the noun after a measure word, else the words before."""
    if unit in _MEASURE:
        m = _RIGHT_RUN.match(text, e)
        if m and not _STOP_RE.match(m.group(0)):
            cand = m.group(0)
            stop = _STOP_RE.search(cand, 1)
            if stop:
                cand = cand[: stop.start()]
            if cand and not cand[0].isdigit():
                return cand
    m = _HAN_RUN.search(text, max(0, s - 24), s)
    if not m:
        return None
    cand = m.group(0)
    while (tail := _TAIL_RE.search(cand)) is not None and tail.start() > 0:
        cand = cand[: tail.start()]
    # leading verbs and adverbs go, but never so far as to leave a word's last character
    # (覆盖率 keeps 覆盖, 达标率 keeps 达)
    while (lead := _LEAD_RE.match(cand)) is not None and len(cand) - lead.end() >= (3 if lead.end() == 1 else 2):
        cand = cand[lead.end() :]
    cand = cand.strip('“”"（）()·')
    if not cand or cand.isdigit() or _LEAD_RE.fullmatch(cand) or _TAIL_RE.fullmatch(cand):
        return None
    return cand


def find_metrics(text: str, dates: list[DateItem] | None = None) -> list[Metric]:
    """Every quantity in ``text`` not inside one of ``dates`` (see ``extract_metrics``)."""
    spans = sorted((d.start, d.end) for d in dates or [])
    starts = [a for a, _ in spans]
    out: list[Metric] = []
    for m in _PATTERN.finditer(text):
        item = _read(text, m, starts, spans)
        if item is None:
            continue
        if out and out[-1].end == item.start and _GROUPING.fullmatch(item.text):
            continue  # 4人一组: the 一组 after a count says how they are grouped
        if item.subject is None and out and _RANGE_GAP.fullmatch(text, out[-1].end, item.start):
            item = replace(item, subject=out[-1].subject)  # 5%—8%: the second end rates the same thing
        first = _range_first(text, item, starts, spans, out[-1].end if out else 0)
        if first is not None:
            out.append(first)
        out.append(item)
    # a digit run beyond float range (a hostile or garbled input) is no quantity: keep JSON finite
    return [m for m in out if isfinite(m.value)]


def _range_first(text: str, item: Metric, starts: list[int], spans: list[tuple[int, int]], floor: int) -> Metric | None:
    """3-5名, 5—8%: the bare first end of a range is a metric with the second end's unit."""
    if not item.unit or item.text[:1] not in "0123456789０１２３４５６７８９":
        return None
    m = _RANGE_FIRST.search(text, max(floor, item.start - 16), item.start)
    if m is None or _overlaps(starts, spans, m.start("n"), m.end("n")):
        return None
    s, e = m.span("n")
    if s > 0 and text[s - 1] == "第":
        return None
    v = number_value(m.group("n"))
    if v is None:
        return None
    mult = _LEAD_MULT.match(item.text)
    if mult:
        v = as_number(float(v) * _MULT[mult.group(1)])  # 5~10万元: both ends in 万
    return Metric(text[s:e], v, item.unit, item.subject, False, s, e, _bound(text, s, e))


def _read(text: str, m: regex.Match[str], starts: list[int], spans: list[tuple[int, int]]) -> Metric | None:
    pcn, unit, pct, ar, mult = m.group("pcn", "unit", "pct", "ar", "mult")
    if not pcn and not unit and not pct and not (ar and mult):
        return None  # a bare number (most matches): no unit, no per-cent, no 万/亿
    s, e = m.span()
    approx = bool(m.group("aa"))
    pre = m.group("pre")
    if pre:
        if pre in ("近",) and s > 0 and text[s - 1] in _NEAR_BLOCK:
            s += len(pre)
        else:
            approx = True
    if pcn:
        v = number_value(m.group("pnum").replace("点", "点"))
        if v is None or _overlaps(starts, spans, s, e):
            return None
        return Metric(text[s:e], v, "%", _subject(text, s, e, "%"), approx, s, e, _bound(text, s, e))
    cn = m.group("cn")
    if m.group("ab"):
        approx = True
    if not unit and not pct:
        if not (ar and mult):
            return None
        if m.group("aa"):  # 以上/左右 after a bare number belong to no unit
            e = m.start("aa")
            approx = bool(pre and s == m.start()) or bool(m.group("ab"))
    if _overlaps(starts, spans, s, e):
        return None
    before = text[max(0, s - 4) : s]
    if before.endswith(_CHROME):
        return None  # 此处隐藏3018个字: page chrome
    if (
        unit
        and text.startswith(_BLOCKERS, m.start("unit"))
        and not text.startswith(_BLOCKER_EXCEPTIONS, m.start("unit"))
    ):
        return None  # 2组织机构: the unit character starts a word (两支队伍 still counts)
    if ar and text[m.end("ar") : m.end("ar") + 1] in (" ", "\u3000") and _at_line_start(text, s):
        return None  # "2 组织": a heading number
    if ar and "." in ar and unit in _MEASURE_ANY and _at_line_start(text, s):
        return None  # "2.3本镇共有…": an outline number, not 2.3 volumes
    if unit in _PAGE_UNITS and _page_counter(text, s, e):
        return None  # 第2页共4页: a page counter, site chrome
    if unit in ("篇",) and _TITLE_COUNT_END.match(text, e):
        return None  # "……活动总结(精选6篇)": a collection's count of its parts
    if unit and _ONE_AFTER_UNIT.match(text, m.end("unit")) and not _GROUPING.match(text, m.end("unit")):
        return None  # 四个一, 三个‘一’, 五位一体: a slogan (4人一组 is a grouping)
    if unit in _CLASS_UNITS and not _class_count(text, s, e, unit, approx):
        return None  # 三类会议24个, 一级响应: a class label
    bare = m.group("bare")
    if cn is not None or bare is not None:
        if unit is None or unit in _ARABIC_ONLY or unit in _NOT_CN or unit in _LATIN or pct:
            return None
        core = cn or bare
        num_start = m.start("cn") if cn is not None else m.start("bare")
        if core in ("二",) and (unit not in _TWO_COUNTS or _CN_RANGE_BEFORE.search(text, max(0, s - 2), s)):
            return None  # 二期, 二类, 二次: an ordinal; 一到二户: a rough range, no count
        if core in ("一", "壹") and not _counted_one(text, num_start, m.end()):
            return None
        if _is_slogan(text, s, e) or _quoted_short(text, num_start, e):
            return None
        v = _cn_number(cn) if cn is not None else number_value(bare)  # 百 → 100, 万 → 10000
    else:
        if unit in _LATIN and m.group("ab"):
            return None
        v = number_value(ar)
        if v is not None and mult:
            v = as_number(float(v) * _MULT[mult])
        if unit is not None and not pct and _is_slogan(text, s, e):
            return None
    if v is None:
        return None
    if s > 0 and text[s - 1] == "第":
        return None
    if pct:
        unit_out = pct  # as written: %, ％, ‰
    elif unit:
        unit_out = unit + (f"/{m.group('den')}" if m.group("den") else "")
    else:
        unit_out = None
    return Metric(text[s:e], v, unit_out or "", _subject(text, s, e, unit), approx, s, e, _bound(text, s, e))


def _cn_number(cn: str) -> int | float | None:
    """A Chinese numeral's value; a decimal may end in a multiplier (四十七点三万亿 → 4.73e13)."""
    for word, factor in sorted(_MULT.items(), key=lambda kv: -len(kv[0])):
        if ("点" in cn or "點" in cn) and cn.endswith(word):
            v = number_value(cn[: -len(word)])
            return None if v is None else as_number(float(v) * factor)
    return number_value(cn)


def _class_count(text: str, s: int, e: int, unit: str, approx: bool) -> bool:
    """N类/N级 counts classes after 分为 (分为四级) or, for 类, when no count of the class's
    members follows it in the clause (4类对象, 十余类食品三百多件); else it is a label
    (三类会议24个, 三级联动, 一级响应)."""
    if text[max(0, s - 4) : s].endswith(_CLASS_CUES):
        return True
    if unit in ("级", "級"):
        return False
    if approx:
        return True
    return _CLASS_MEMBERS.match(text, e) is None and not _class_series(text, s, e, unit)


def _class_series(text: str, s: int, e: int, unit: str) -> bool:
    """一类会议 … 二类会议 … 三类会议: the same noun after several class numbers, one of them
    the first class or an ordinal 二 and none written 两 (the count form), names classes;
    五类场所 … 两类场所 count kinds of places."""
    noun = text[e : e + 2]
    if len(noun) < 2 or not _HAN_PAIR.fullmatch(noun):
        return False
    num = text[s : e - len(unit)]
    nums = set(_class_numbers(text, unit, noun))
    if num in _COUNT_FORMS or nums & _COUNT_FORMS or not nums & _LABEL_FORMS:
        return False
    return any(n != num for n in nums)


@lru_cache(maxsize=16)
def _class_numbers(text: str, unit: str, noun: str) -> tuple[str, ...]:
    """The numbers written before ``unit`` + ``noun`` anywhere in ``text`` (一类会议 → 一), found
    once per document and class noun."""
    pat = rf"(?<![0-9０-９{_CN_CHARS}])([0-9０-９{_CN_CHARS}]+){regex.escape(unit)}{regex.escape(noun)}"
    return tuple(m.group(1) for m in regex.finditer(pat, text))


def _counted_one(text: str, s: int, e: int) -> bool:
    """一 + measure word is a count after a cue (其中一组, 至少…一个) or at a clause end."""
    if s > 0 and text[s - 1] in "每统統唯之万萬第初同逐单單专專":
        return False
    if text.startswith(_ONE_NEVER, s + 1):
        return False
    before = text[max(0, s - 6) : s]
    clause = _CLAUSE_SPLIT.split(before)[-1]
    if any(cue in clause for cue in _ONE_CUES):
        return True
    return _CLAUSE_END.match(text, e) is not None


def _bound(text: str, s: int, e: int) -> str | None:
    before = text[max(0, s - 4) : s]
    for n, words in _BOUNDS_BEFORE:
        if n <= len(before) and (w := before[len(before) - n :]) in words:
            return w
    after = text[e : e + 3]
    for n, words in _BOUNDS_AFTER:
        if n <= len(after) and (w := after[:n]) in words:
            return w
    return None


def extract_metrics(text: str, *, context: Context | None = None) -> list[Metric]:
    """Every quantity in ``text``: number (multipliers applied), unit as written, subject, approx.

    Spans inside the dates already found (``context.dates``: 2021年, 三个月, 24小时) are left
    out. ``text[item.start:item.end] == item.text`` always; values are ints where whole.
    """
    head = collection_title_end(text)  # a collection's title line is site chrome
    return [m for m in find_metrics(text, context.dates if context is not None else []) if m.start >= head]
