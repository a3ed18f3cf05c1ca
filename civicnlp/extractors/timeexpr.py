"""The date grammar: one compiled pattern for every time expression, and what a match means.

``MAIN`` is a single alternation, scanned once over a text (leftmost match wins; at one
position the first alternative that matches wins, so longer forms come first). Each
alternative is a named group; ``read_match`` turns a match into a ``Token`` holding the
parts of the expression (year, month, day, modifier, clock …) — ``Token.value()`` gives its
ISO-like value. Word lists come from ``lexicon/date_rules.json``; the structure is here.

Forms read (X marks a digit the text leaves out or hides):

========================  ==========================================
``2018年3月16日``          date ``2018-03-16``
``二〇一八年三月十六日``    date ``2018-03-16``
``20xx年4月`` ``××××年``  date ``20XX-04`` / ``XXXX``
``xx21年5月1日`` ``20x3年`` date ``XX21-05-01`` / ``20X3`` (one X per hidden digit)
``2016-05-24 10:02``      date ``2016-05-24T10:02``
``9月10日上午``            date ``XXXX-09-10`` (the day part stays in the span)
``晚上六点三十分``          time, joined to the date before it by ``dates.py``
``2021年6月底``            date ``2021-06`` mod ``end`` (上旬 early, 中旬 mid, 下旬 late, 月初 start)
``年底`` ``2019年末``       date ``XXXX-12`` / ``2019-12`` mod ``end``; 年初 ``-01`` mod ``start``
``2021年第四季度``          date ``2021-Q4``; ``上半年`` ``XXXX-H1``
``2015-2017年``            range ``2015``..``2017`` (also ``1—9月份``, ``4月13-19日``)
``十三五``                 range ``2016``..``2020`` (``第八个五年规划`` is a name: nothing)
``规划(2021-2025)``        range ``2021``..``2025`` (bare years only in brackets, end > start)
``2018年4月10前``          date ``2018-04-10`` (a day without 日 only before 前/之前/以前)
``农历九月初九``            date ``XXXX-09-09`` (calendar lunar)
``“3.15”`` ``3·15``        date ``XXXX-03-15``
``三个月`` ``24小时``       duration ``P3M`` / ``PT24H``; ``十几日`` ``P10D`` approx; ``1.5天`` ``P1.5D``
``每年年初`` ``一周一通报``   recurring ``yearly`` mod start / ``weekly``
========================  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from civicnlp.extractors.numerals import AR_DIGIT, CN_DIGIT, PLACEHOLDER, ascii_digits, digit_string, number_value
from civicnlp.lexicon import load_json

__all__ = ["MAIN", "POINT", "RULES", "Token", "alternation", "read_match"]

RULES: dict[str, Any] = load_json("date_rules.json")


def alternation(words: Any) -> str:
    """A regex alternation of ``words`` (longest first, escaped), without a group."""
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


D = AR_DIGIT
PH = PLACEHOLDER
SP = r"[ \t\u3000\xa0]{0,2}"  # spaces inside a date: 2017 年 8 月 18 日
SEP = alternation(RULES["range_separators"])
MMOD = alternation(RULES["month_mods"])
YMOD = alternation(RULES["year_mods"])
# 初步, 底线: a modifier that starts another word is no modifier (2023年初步安排 is 2023年)
MOD_TAIL = (
    "(?!"
    + "|".join(rf"(?<={regex.escape(m)})(?:{alternation(tails)})" for m, tails in RULES["mod_word_tails"].items())
    + ")"
)
REL = alternation(RULES["relative_years"])
DAYPART = alternation(RULES["dayparts"])
HOLIDAY = alternation(RULES["holidays"])
HOL_TAIL = alternation(RULES["holiday_tails"])
# 年底考核, 上半年工作总结: a year word used as an adjective (an optional filler such as 工作 between)
ADJ = rf"(?:{alternation(RULES['year_mod_adjective_fillers'])})?(?:{alternation(RULES['year_mod_adjective_nouns'])})"

# a year: 4 digits 1800-2099 (full-width too), 20xx/20__, xx/××××, 二〇一八, 二００一, and four
# positions of digits and hidden digits (xx21, 20x3, xxx3: each hidden digit is one X)
CN_YEAR_DIGIT = "[〇零○ＯO一二三四五六七八九０-９]"
MASKED_YEAR = rf"(?=(?:{D}|{PH}){{0,3}}{PH})(?:[1１2２]|{PH})(?:{D}|{PH}){{3}}"
YNUM = (
    rf"(?:(?:[1１][89８９]|[2２][0０]){D}{{2}}|{MASKED_YEAR}|{PH}{{2,4}}"
    rf"|{CN_DIGIT}{{4}}|[一二]{CN_YEAR_DIGIT}{{3}})"
)
YEAR_LB = r"(?<![0-9０-９A-Za-zｘＸ×_＿])"
MNUM = rf"(?:[1１][0-2０-２]|[0０]?[1-9１-９]|十[一二]?|[一二三四五六七八九]|{PH}{{1,2}})"
DNUM = rf"(?:[3３][01０１]|[12１２]{D}|[0０]?[1-9１-９]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|廿[一二三四五六七八九]|[一二三四五六七八九]|{PH}{{1,2}})"
HOUR = rf"(?:[01０１]?{D}|[2２][0-4０-４]|二十[一二三四]?|十[一二]?|[一二三四五六七八九十])"
MINUTE = rf"(?:[0-5０-５]?{D}|[一二三四五]?十[一二三四五六七八九]?|[〇零][一二三四五六七八九]|[一二三四五六七八九])"
CLOCK = (
    rf"(?:(?P<hh>{HOUR}){SP}[点點时時](?:{SP}(?P<mi>{MINUTE}){SP}分|(?P<half>半)|整)?"
    rf"|(?P<hh>[01０１]?{D}|[2２][0-3０-３])[:：](?P<mi>[0-5０-５]{D})(?![0-9０-９]))"
)
WEEKDAY = rf"(?:{SP}[（(]{SP}(?:星期|礼拜|禮拜|周|週)[一二三四五六日天]{SP}[）)])"  # 12月8日（星期二）
DAYTAIL = rf"(?:{SP}(?P<dend>末))?{WEEKDAY}?(?:{SP}(?P<dp>{DAYPART}))?(?:{SP}{CLOCK})?"

MONTH = rf"(?P<m>{MNUM}){SP}月(?:份)?"
# a day whose 日 was left out before 前 (4月10前, 4月10日之前 written short): Arabic digits only
DAY = rf"(?:(?P<d>{DNUM}){SP}[日号號]|(?P<d>[12１２]?{D}|[3３][01０１])(?=(?:{alternation(RULES['day_bare_before'])})))"
QUARTER = r"第?(?P<q>[一二三四1-4１-４])季度?"

# a point led by a year: 2021年 / 2021年度 / 2021年3月 / 2021年3月16日上午 / 2021年底 / 2021年上半年
YEAR_LED = (
    rf"{YEAR_LB}(?P<ypart>(?P<y>{YNUM}){SP}年(?![轻龄级鉴薪輕齡級])(?P<ydu>度)?)"
    rf"(?:{SP}{MONTH}(?:{SP}{DAY}{DAYTAIL}|{SP}(?P<mmod>{MMOD}){MOD_TAIL})?"
    rf"|年?(?P<ymod>{YMOD}){MOD_TAIL}(?![于於了止端])"
    rf"|(?P<hf>[上下])半年(?!{SP}(?:{ADJ}))"
    rf"|{QUARTER}"
    rf"|(?P<hol>{HOLIDAY})"
    r")?"
)
# a point led by a month: 3月 / 3月16日 / 今年8月 / 9月下旬 / 次年2月
MONTH_CORE = rf"{MONTH}(?:{SP}{DAY}{DAYTAIL}|{SP}(?P<mmod>{MMOD}){MOD_TAIL})?"
# a month right after '-' is a range's end, unless no number stands before the '-' (即日-5月20日)
MONTH_LB = (
    r"(?<![0-9０-９/A-Za-z第近每这這上下本当當个個几幾数數十一二三四五六七八九同前后後])"
    r"(?<![0-9０-９A-Za-zｘＸ×_＿十一二三四五六七八九][ \t\u3000]{0,2}\-)"
)
MONTH_LED = rf"(?:(?P<rel>{REL}){SP}|{MONTH_LB}){MONTH_CORE}"
# 2016-05-24, 2016/5/24, 2016.05.24 with an optional clock 10:02
DIGIT_DATE = (
    rf"(?<![0-9０-９.．])(?P<iy>(?:[1１][9９]|[2２][0０]){D}{{2}})(?P<isep>[-/.．])(?P<im>[01０１]?{D})(?P=isep)"
    rf"(?P<id>[0-3０-３]?{D})(?![0-9０-９])(?:[ \t\u3000]{{1,2}}(?P<hh>[01]?{D}|2[0-3])[:：](?P<mi>[0-5]{D})(?![0-9０-９]))?"
)
# 2021.06, 2021-06, 2021/06 (a two-digit month, so that 2021.5 stays a number)
DIGIT_YM = rf"(?<![0-9０-９.．])(?P<ymy>(?:[1１][9９]|[2２][0０]){D}{{2}})[-/.．](?P<ymm>[0０][1-9１-９]|[1１][0-2０-２])(?![0-9０-９.．%％])"
# a 落款 whose 月/日 were lost: 2021年920 at a line end
COMPACT = rf"{YEAR_LB}(?P<cy>(?:[1１][9９]|[2２][0０]){D}{{2}})年(?P<cmd>{D}{{3,4}})(?=[ \t\u3000]*(?:\n|$))"
# explicit ranges with a bare first number: 2015-2017年, 2021年1-9月, 4月13-19日
YEAR_RANGE = (
    rf"{YEAR_LB}(?P<ry1>{YNUM}){SP}(?:年{SP})?(?:{SEP}){SP}(?P<ry2>{YNUM}){SP}年(?:度)?"
    rf"(?!{SP}(?:{MNUM}{SP}月|[底末初终終上下第]))"
)
# a bare year range in brackets (规划(2021-2025)): both years 1900-2099, the end after the start
# (checked in read_match), so that phone, document and page numbers stay out
PAREN_YEAR_RANGE = (
    rf"(?<=[（(【\[［]{SP})(?P<py1>(?:[1１][9９]|[2２][0０]){D}{{2}}){SP}(?:{alternation(RULES['bracket_year_range_separators'])})"
    rf"{SP}(?P<py2>(?:[1１][9９]|[2２][0０]){D}{{2}})(?={SP}[）)】\]］])"
)
MONTH_RANGE = (
    rf"(?:{YEAR_LB}(?P<rmy>{YNUM}){SP}年{SP}|(?<![0-9０-９.．\-/A-Za-z第]))"
    rf"(?P<rm1>{MNUM}){SP}(?:{SEP}){SP}(?P<rm2>{MNUM}){SP}月(?:份)?"
)
DAY_RANGE = (
    rf"(?:{YEAR_LB}(?P<rdy>{YNUM}){SP}年{SP}|(?<![0-9０-９.．\-/A-Za-z第]))"
    rf"(?P<rdm>{MNUM}){SP}月{SP}(?P<rd1>{DNUM}){SP}(?:{SEP}){SP}(?:(?P<rdm2>{MNUM}){SP}月{SP})?(?P<rd2>{DNUM}){SP}[日号號]"
    rf"|(?<![0-9０-９.．\-/A-Za-z第])(?P<rdm>{MNUM}){SP}月{SP}(?P<rd1>{DNUM}){SP}[日号號]{SP}(?:{SEP}){SP}(?P<rd2>{DNUM}){SP}[日号號]"
)
FIVE_YEAR = r"(?<![一二三四五六七八九十百零〇两])(?P<fyn>十[一二三四五六七八九])五(?![个個项項条條年万萬%％0-9０-９一二三四五六七八九十])"
LM = r"(?:十[一二]?|[一二三四五六七八九])"
LD = r"(?:初[一二三四五六七八九十]|廿[一二三四五六七八九]|二十[一二三四五六七八九]?|三十|十[一二三四五六七八九]?)"
LUNAR = (
    rf"(?:(?P<lun>农历|阴历|農曆|陰曆|農歷){SP}(?P<lm>正|腊|臘|冬|{LM})月(?P<ld>{LD})"
    rf"|(?P<lm>正|腊|臘|冬|{LM})月(?P<ld>初[一二三四五六七八九十]|廿[一二三四五六七八九])"
    rf"|(?P<lm>正|腊|臘|冬)月(?P<ld>{LD}))"
)
RECURRING = (
    rf"每(?:一|个|個)?{SP}(?P<ru>半年|季度|年度|星期|小时|小時|个月|個月|[年月周週天日季旬晚])"
    rf"(?:(?<=年)(?:年?(?P<rmod>{YMOD}){MOD_TAIL}(?![于於了止端])(?!{ADJ})|(?P<rhol>{HOLIDAY})(?:{HOL_TAIL})?)"
    rf"|(?<=月)(?P<rday>{DNUM}{SP}[日号號]))?"
    rf"|按(?P<ru>季度|月|季|年|周|週|日|天)(?![度份底末初期常程内龄齡节節])"
    rf"|(?<![一二三四五六七八九十〇零])一(?P<ru>[日天周週月年季旬])一(?![日天周週月年号號季旬一二三四五六七八九十])"
    r"(?:(?![的地之和与及])\p{Han}){1,2}"
)
STANDALONE_QUARTER = rf"(?:(?P<rel>{REL}){SP}|(?<![每前后後近上下个個第]))(?P<sqf>第)?(?P<q>[一二三四1-4１-４])季度"
# 上半年工作总结: an adjective; but a half joined by 及/和/与 to a half used as a time word is one
# too (上半年工作进度及下半年工作计划)
HALF_JOINED = (
    rf"(?<=半年(?!{SP}(?:{ADJ}))[^，,。；;：:\n]{{0,12}}(?:{alternation(RULES['half_joiners'])}){SP}[上下]半年)"
)
STANDALONE_HALF = rf"(?:(?P<rel>{REL}){SP})?(?P<hf>[上下])半年(?:(?!{SP}(?:{ADJ}))|{HALF_JOINED})"
STANDALONE_YMOD = rf"(?:(?P<rel>{REL}){SP}年?|(?<![每年0-9０-９])年)(?P<ymod>{YMOD}){MOD_TAIL}(?![于於了止端])(?!{ADJ})"
DUR_NUM = (
    rf"(?P<dn>{D}+(?:[.．](?!(?:[1１][9９]|[2２][0０]){D}{{2}}{SP}年){D}+)?|[一二两兩三四五六七八九十百千]+(?P<dap>几|幾|多|余|餘)?|半)"
    rf"(?P<da>多|余|餘)?"
)
DURATION = (
    rf"(?<![第每周週0-9０-９.．])(?:{DUR_NUM}{SP}(?P<du>{alternation(RULES['duration_units'])})"
    rf"|(?P<dn>数|數|几|幾)(?:个|個)?(?P<du>月|年|天|日|周|週|星期|小时|小時))"
    r"(?P<dq>以上|左右|多(?![次个個种種项項名人件天日年月]))?"
)
BARE_MD = (
    r"(?:(?<=[“\"「『《‘])(?P<bm>1[0-2]|[1-9])[.．·・](?P<bd>3[01]|[12][0-9]|[1-9])(?![0-9０-９.．%％])"
    r"|(?<![0-9０-９.．])(?P<bm>1[0-2]|[1-9])[·・](?P<bd>3[01]|[12][0-9]|[1-9])(?![0-9０-９%％‰倍]))"
)
BARE_YEAR = (
    r"(?<![0-9０-９.．\-—/〔\[［(（A-Za-z:：第号號])(?P<by>20[0-4][0-9])"
    r"(?![0-9０-９.．%％\-—–/~～年月日号號:：A-Za-z])"
)
# a day of a month named by a relative word: 本月25日, 次月5日
REL_MONTH_WORDS = ("本月", "当月", "當月", "次月", "下月", "上月", "同月")
REL_MONTH = alternation(REL_MONTH_WORDS)
REL_MONTH_DAY = rf"(?P<relm>{REL_MONTH}){SP}(?P<d>{DNUM}){SP}[日号號]{DAYTAIL}"
# a day of the month alone, held by a day part after it: 26日下午1:30
DAY_ALONE = rf"(?<![0-9０-９月.．\-—~～])(?P<d>[12１２]?{D}|[3３][01０１]){SP}[日号號](?={SP}(?:{DAYPART})){DAYTAIL}"
CLOCK_ALONE = rf"(?:(?P<cdp>{DAYPART}){SP}(?:{CLOCK})|(?<![0-9０-９.．:：]){CLOCK})"

_ALTS = [
    ("fyp", FIVE_YEAR),
    ("rec", RECURRING),
    ("lunar", LUNAR),
    ("iso", DIGIT_DATE),
    ("ym", DIGIT_YM),
    ("compact", COMPACT),
    ("yrange", YEAR_RANGE),
    ("pyrange", PAREN_YEAR_RANGE),
    ("mrange", MONTH_RANGE),
    ("drange", DAY_RANGE),
    ("yled", YEAR_LED),
    ("squarter", STANDALONE_QUARTER),
    ("shalf", STANDALONE_HALF),
    ("symod", STANDALONE_YMOD),
    ("mled", MONTH_LED),
    ("sday", DAY_ALONE),
    ("rmday", REL_MONTH_DAY),
    ("dur", DURATION),
    ("bmd", BARE_MD),
    ("byear", BARE_YEAR),
    ("clock", CLOCK_ALONE),
]
# every alternative starts with one of these characters or words; the guard lets the engine
# skip all other positions at once (about ten times faster than trying each alternative there)
_FIRST = set("0123456789０１２３４５６７８９〇零○ＯO一二三四五六七八九十两兩百千半数數几幾每按第")
_FIRST |= set('农阴農陰正腊臘冬年xX×ｘＸ_＿*＊“"「『《‘')
_LEAD_WORDS = {*RULES["relative_years"], *RULES["dayparts"], *REL_MONTH_WORDS, "上半年", "下半年"}
TRIGGER = "(?:[" + "".join(sorted(regex.escape(c) for c in _FIRST)) + "]|" + alternation(_LEAD_WORDS) + ")"
MAIN = regex.compile(f"(?={TRIGGER})(?:" + "|".join(f"(?P<{name}>{pat})" for name, pat in _ALTS) + ")", regex.V0)
POINT = regex.compile(
    rf"(?P<iso>{DIGIT_DATE})|(?P<ym>{DIGIT_YM})|(?P<yled>{YEAR_LED})|(?P<mled>(?:(?P<rel>{REL}){SP})?{MONTH_CORE})",
    regex.V0,
)
RANGE_SEP = regex.compile(rf"{SP}(?:{SEP}|一(?={SP}[0-9０-９])){SP}")  # 6月5日一6月30日: 一 typed for —
BARE_DAY_END = regex.compile(rf"(?P<d>{DNUM}){SP}[日号號]{DAYTAIL}")
CONTINUATION = regex.compile(rf"{SP}[、和及与與]{SP}(?P<d>{DNUM}){SP}[日号號](?!{SP}月){DAYTAIL}")
_ADJ_AFTER = regex.compile(rf"{SP}(?:{ADJ})")

_MONTH_MOD: dict[str, str] = RULES["month_mods"]
_YEAR_MOD: dict[str, str] = RULES["year_mods"]
_DAYPART: dict[str, int] = RULES["dayparts"]
_REL: dict[str, int] = RULES["relative_years"]
_DUR_UNIT: dict[str, str] = RULES["duration_units"]
_REC_UNIT: dict[str, str] = RULES["recurring_units"]
_LUNAR_MONTH = {"正": 1, "冬": 11, "腊": 12, "臘": 12}


@dataclass
class Token:
    """One time expression as read: its kind, span, parts and flags.

    ``y``/``m``/``d`` are strings (``2018``, ``20XX``, ``09``) or None; ``hh``/``mi`` a clock
    time; ``q``/``hf`` a quarter or half; ``rel`` a year offset from a relative word
    (今年 0, 次年 +1); ``dur`` an ISO duration; ``rec`` a recurrence key.
    """

    kind: str  # date | range | duration | recurring | time
    start: int
    end: int
    y: str | None = None
    m: str | None = None
    d: str | None = None
    hh: int | None = None
    mi: int | None = None
    q: int | None = None
    hf: int | None = None
    mod: str | None = None
    rel: int | None = None
    approx: bool = False
    dur: str | None = None
    rec: str | None = None
    calendar: str | None = None
    holiday: str | None = None
    note: str | None = None
    fixed: dict[str, str] | None = None  # a range value given whole (十三五)
    parts: list[Token] = field(default_factory=list)  # the two ends of a range

    def value(self) -> str | dict[str, str]:
        """The ISO-like value of this token (a dict for a range)."""
        if self.fixed is not None:
            return dict(self.fixed)
        if self.kind == "range":
            return {"start": str(self.parts[0].value()), "end": str(self.parts[1].value())}
        if self.kind == "duration":
            return self.dur or "PX"
        if self.kind == "recurring":
            return self.rec or "X"
        y = self.y or "XXXX"
        if self.q is not None:
            return f"{y}-Q{self.q}"
        if self.hf is not None:
            return f"{y}-H{self.hf}"
        if self.m is None:
            return y
        out = f"{y}-{self.m}"
        if self.d is not None:
            out += f"-{self.d}"
            if self.hh is not None:
                out += f"T{self.hh:02d}:{self.mi or 0:02d}"
        return out


def _year(s: str) -> str | None:
    s = ascii_digits(s)
    if _PH_YEAR.fullmatch(s):
        return "XXXX"
    if _PH_MASKED.fullmatch(s) and _PH_UNIT.search(s):
        return "".join("X" if _PH_UNIT.fullmatch(c) else c for c in s)  # 20x3 → 20X3, xx21 → XX21
    digits = digit_string(s)
    if digits is None or len(digits) != 4 or not 1800 <= int(digits) <= 2099:
        return None
    return digits


def _unit(s: str, hi: int) -> str | None:
    """A month (hi=12) or day (hi=31) as two digits, XX for a placeholder, None if invalid."""
    s = ascii_digits(s).strip()
    if _PH_UNIT.fullmatch(s):
        return "XX"
    if s.startswith("廿"):
        s = "二十" + s[1:]
    v = number_value(s)
    if v is None or not isinstance(v, int) or not 1 <= v <= hi:
        return None
    return f"{v:02d}"


def _clock(m: regex.Match[str], daypart: str | None) -> tuple[int, int] | None:
    hh_s = m.group("hh")
    if hh_s is None:
        return None
    hh = number_value(hh_s)
    if not isinstance(hh, int) or not 0 <= hh <= 24:
        return None
    mi = 0
    if m.group("mi"):
        mv = number_value(m.group("mi"))
        if not isinstance(mv, int) or not 0 <= mv <= 59:
            return None
        mi = mv
    elif m.group("half"):
        mi = 30
    if daypart and _DAYPART.get(daypart, 0) == 12 and hh < 12:
        hh += 12
    return hh, mi


def _g(m: regex.Match[str], name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:
        return None


def _point(m: regex.Match[str], start: int, end: int) -> Token | None:
    """A date token from a match of YEAR_LED / MONTH_LED / DIGIT_DATE (or POINT)."""
    tok = Token("date", start, end)
    if m.group("iy") is not None:
        tok.y = _year(m.group("iy"))
        tok.m = _unit(m.group("im"), 12)
        tok.d = _unit(m.group("id"), 31)
        if tok.y is None or tok.m is None or tok.d is None:
            return None
        clock = _clock(m, None)
        if clock:
            tok.hh, tok.mi = clock
        return tok
    if m.group("y") is not None:
        tok.y = _year(m.group("y"))
        if tok.y is None:
            return None
    rel = _g(m, "rel")
    if rel:
        tok.rel = _REL[rel]
    if m.group("m") is not None:
        tok.m = _unit(m.group("m"), 12)
        if tok.m is None:
            return None
    if m.group("d") is not None:
        tok.d = _unit(m.group("d"), 31)
        if tok.d is None:
            return None
        dp = m.group("dp")
        clock = _clock(m, dp)
        if clock:
            tok.hh, tok.mi = clock
    if m.group("mmod"):
        tok.mod = _MONTH_MOD[m.group("mmod")]
    ymod = _g(m, "ymod")
    if ymod:
        tok.mod = _YEAR_MOD[ymod]
        tok.m = "12" if tok.mod == "end" else "01"
    if _g(m, "hf"):
        tok.hf = 1 if m.group("hf") == "上" else 2
    q = _g(m, "q")
    if q:
        tok.q = int(number_value(q) or 0)
    hol = _g(m, "hol")
    if hol:
        tok.holiday = hol
    return tok


_DNUM_RE = regex.compile(rf"(?P<d>{DNUM})")
_NOT_DUR_AFTER = regex.compile(r"[级級轻輕代纪紀龄齡华華会會度岁歲]")
_PH_YEAR = regex.compile(PH + "{2,4}")
_PH_MASKED = regex.compile(rf"(?:{D}|{PH}){{4}}")
_PH_UNIT = regex.compile(PH + "{1,2}")
_CLAUSE_BREAK = regex.compile(r"[，,。；;：:、！!？?\n]")
_QTY_AFTER = tuple(RULES["day_quantity_after"])
_QTY_BEFORE = tuple(RULES["day_quantity_before"])
_DUR_AFTER = tuple(RULES["day_duration_after"])
_DUR_BEFORE = tuple(RULES["day_duration_before"])


def _qty_before(text: str, start: int) -> bool:
    """可用天数7天 / 优良天数达到300天: a count of days named just before, in the same clause."""
    clause = _CLAUSE_BREAK.split(text[max(0, start - 8) : start])[-1]
    return any(w in clause for w in _QTY_BEFORE)


_VAGUE_BEFORE = tuple(RULES["vague_few_before"])
_PLAN_WORDS = tuple(RULES["plan_words"])
# 第N个 and at most eight characters of topic (第八个法治宣传教育) before 五年规划
_PLAN_ORDINAL = regex.compile(r"第(?:[0-9０-９]+|[一二三四五六七八九十]+)[个個]\p{Han}{0,8}$")
_A_UNITS = frozenset(RULES["a_unit_words"])
_A_BEFORE = tuple(RULES["a_unit_before"])


def _a_year(text: str, start: int, before: str, after: str) -> bool:
    """一年 / 一天 naming a period rather than measuring one: after 的 or in a clause that says
    what it is (是), with no duration cue (一年来, 为期一年, 用一年时间 stay durations)."""
    if _day_duration_cue(before, after):
        return False
    clause = _CLAUSE_BREAK.split(text[max(0, start - 24) : start])[-1]
    return before.endswith(_A_BEFORE) or "是" in clause


def _day_duration_cue(before: str, after: str) -> bool:
    return after.startswith(_DUR_AFTER) or before.endswith(_DUR_BEFORE)


def _duration(m: regex.Match[str], text: str) -> Token | None:
    dn, du = m.group("dn"), m.group("du")
    start, end = m.span()
    unit = _DUR_UNIT.get(du) or _DUR_UNIT.get(du.lstrip("个個"), "") or ("M" if du == "月" else "")
    approx = bool(m.group("da") or m.group("dap") or m.group("dq"))
    after = text[end : end + 6]
    before = text[max(0, start - 4) : start]
    vague = dn in ("数", "數", "几", "幾")
    if vague and before.endswith(_VAGUE_BEFORE):
        return None  # 近几年来, 这几年: as vague as 近年来, no duration
    if dn in ("一", "壹") and du in _A_UNITS and not m.group("dq") and _a_year(text, start, before, after):
        return None  # 今年是关键一年, 难忘的一天: 一 is "a", the year is named, not measured
    if du == "年" and text.startswith(_PLAN_WORDS, end) and _PLAN_ORDINAL.search(text, max(0, start - 14), start):
        return None  # 第八个五年规划, 第七个普法五年规划: the name of a plan, no duration
    if dn == "半" and du == "年" and start > 0 and text[start - 1] in "上下":
        return None  # 上半年工作总结: the half of a year used as an adjective, no duration
    if (
        du == "日"
        and not approx
        and not vague
        and (number_value(dn) or 0) <= 31
        and not _day_duration_cue(before, after)
    ):
        return None  # N日 is a duration only with a cue (十日内, 为期三日); else a day of a month
    if (du in ("年", "周", "週") and _NOT_DUR_AFTER.match(after)) or (du in ("周", "週") and after.startswith("年")):
        return None  # 三年级, 90年代, 100周年 (一年一度 is read as recurring earlier)
    if du in ("天", "日") and (after.startswith(_QTY_AFTER) or _qty_before(text, start)):
        return None  # 可用天数8.4天 / 库存可用7天 / 7天警戒线: a stock level, a metric (会期1.5天 is a duration)
    if vague:
        n_txt, approx = "X", True
    else:
        core = dn.rstrip("几幾多余餘")
        if core == "半":
            val: float | None = 0.5
        else:
            v = number_value(core)
            val = None if v is None else float(v)
        if val is None:
            return None
        if ascii_digits(dn).isdigit() and len(dn) >= 4 and unit == "Y":
            return None  # 2021年 is a year, not 2021 years
        if "半" in du:
            val += 0.5
        n_txt = _num_txt(val)
        if unit == "Y" and not float(val).is_integer():
            n_txt, unit = _num_txt(val * 12), "M"
    if unit == "Q":
        n_txt, unit = (_num_txt(float(n_txt) * 3) if n_txt != "X" else "X"), "M"
    if unit == "TEN":
        n_txt, unit = (_num_txt(float(n_txt) * 10) if n_txt != "X" else "X"), "D"
    iso = f"PT{n_txt}{unit[1]}" if unit.startswith("T") else f"P{n_txt}{unit}"
    tok = Token("duration", start, end, dur=iso, approx=approx)
    if "工作日" in du:
        tok.note = "working days"
    return tok


def _num_txt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _recurring(m: regex.Match[str]) -> Token:
    unit = m.group("ru")
    tok = Token("recurring", m.start(), m.end(), rec=_REC_UNIT.get(unit, "X"))
    if m.group("rmod"):
        tok.mod = _YEAR_MOD[m.group("rmod")]
    if m.group("rhol"):
        tok.holiday = m.group("rhol")
    if m.group("rday"):
        dm = _DNUM_RE.match(m.group("rday"))
        tok.d = _unit(dm.group("d"), 31) if dm else None
    return tok


def _five_year(m: regex.Match[str]) -> Token | None:
    n = number_value(m.group("fyn"))
    first_n = RULES["five_year_plan_first_number"]
    if not isinstance(n, int) or n < first_n:
        return None
    y0 = RULES["five_year_plan_first"] + 5 * (n - first_n)
    tok = Token("range", m.start("fyn"), m.end(), fixed={"start": str(y0), "end": str(y0 + 4)})
    tok.note = "five-year plan"
    return tok


def _lunar(m: regex.Match[str]) -> Token | None:
    lm, ld = m.group("lm"), m.group("ld")
    month = _LUNAR_MONTH.get(lm) or number_value(lm)
    ld = ld.replace("初", "").replace("廿", "二十")
    day = number_value(ld)
    if not isinstance(month, int) or not isinstance(day, int) or not (1 <= month <= 12 and 1 <= day <= 30):
        return None
    tok = Token("date", m.start(), m.end(), m=f"{month:02d}", d=f"{day:02d}")
    tok.calendar = "lunar"
    return tok


def _range_of(a: Token, b: Token, start: int, end: int) -> Token:
    """A range from two points; the end inherits the start's year and month where it omits them."""
    if b.y is None and b.rel is not None and a.y is not None and a.y.isdigit():
        b.y, b.rel = str(int(a.y) + b.rel), None
    elif b.y is None and b.rel is None:
        b.y = a.y
        if a.rel is not None:
            b.rel = a.rel
        if b.m is None and b.d is not None:
            b.m = a.m
    elif b.y is None and b.rel is not None and a.rel is not None:
        b.rel = a.rel + b.rel
    return Token("range", start, end, parts=[a, b])


def read_match(m: regex.Match[str], text: str) -> Token | None:
    """The token a ``MAIN`` match stands for, or None when the match is not a date after all."""
    name = ""
    for alt, _ in _ALTS:
        if m.group(alt) is not None:
            name = alt
            break
    start, end = m.span()
    if name == "fyp":
        return _five_year(m)
    if name == "rec":
        return _recurring(m)
    if name == "lunar":
        return _lunar(m)
    if name in ("iso", "yled", "mled", "squarter", "shalf", "symod", "sday", "rmday"):
        tok = _point(m, start, end)
        if tok is None:
            return None
        if name in ("sday", "rmday"):
            tok.m = "XX"
        if name == "yled" and tok.mod and m.group("ymod") and _ADJ_AFTER.match(text, end):
            # 2021年终总结: the year is a date, 年终 an adjective
            tok.mod, tok.m, tok.end = None, None, m.end("ypart")
        return tok
    if name == "ym":
        return _year_month(m)
    if name == "compact":
        md = m.group("cmd")
        mm, dd = (md[0], md[1:]) if len(md) == 3 else (md[:2], md[2:])
        y = _year(m.group("cy"))
        mo, da = _unit(mm, 12), _unit(dd, 31)
        if y is None or mo is None or da is None:
            return None
        return Token("date", start, end, y=y, m=mo, d=da, note="month and day marks lost")
    if name == "yrange":
        y1, y2 = _year(m.group("ry1")), _year(m.group("ry2"))
        if y1 is None or y2 is None:
            return None
        return Token("range", start, end, parts=[Token("date", start, end, y=y1), Token("date", start, end, y=y2)])
    if name == "pyrange":
        y1, y2 = _year(m.group("py1")), _year(m.group("py2"))
        if y1 is None or y2 is None or not 1900 <= int(y1) < int(y2):
            return None
        return Token("range", start, end, parts=[Token("date", start, end, y=y1), Token("date", start, end, y=y2)])
    if name == "mrange":
        y = _year(m.group("rmy")) if m.group("rmy") else None
        m1, m2 = _unit(m.group("rm1"), 12), _unit(m.group("rm2"), 12)
        if (
            m1 is None
            or m2 is None
            or (m.group("rmy") and y is None)
            or int(m1.replace("XX", "0")) > int(m2.replace("XX", "13"))
        ):
            return None
        return Token(
            "range", start, end, parts=[Token("date", start, end, y=y, m=m1), Token("date", start, end, y=y, m=m2)]
        )
    if name == "drange":
        y = _year(m.group("rdy")) if m.group("rdy") else None
        mo = _unit(m.group("rdm"), 12)
        mo2 = _unit(m.group("rdm2"), 12) if m.group("rdm2") else mo
        d1, d2 = _unit(m.group("rd1"), 31), _unit(m.group("rd2"), 31)
        if mo is None or mo2 is None or d1 is None or d2 is None or (m.group("rdy") and y is None):
            return None
        return Token(
            "range",
            start,
            end,
            parts=[Token("date", start, end, y=y, m=mo, d=d1), Token("date", start, end, y=y, m=mo2, d=d2)],
        )
    if name == "dur":
        return _duration(m, text)
    if name == "bmd":
        return Token("date", start, end, m=f"{int(m.group('bm')):02d}", d=f"{int(m.group('bd')):02d}")
    if name == "byear":
        return Token("date", start, end, y=m.group("by"))
    if name == "clock":
        clock = _clock(m, m.group("cdp"))
        if clock is None:
            return None
        if not m.group("cdp") and not m.group("mi") and not m.group("half"):
            return None  # 三点 alone is "three points", not a time
        tok = Token("time", start, end)
        tok.hh, tok.mi = clock
        return tok
    return None


def _year_month(m: regex.Match[str]) -> Token | None:
    y, mo = _year(m.group("ymy")), _unit(m.group("ymm"), 12)
    if y is None or mo is None:
        return None
    return Token("date", m.start(), m.end(), y=y, m=mo)


def point_at(text: str, pos: int) -> Token | None:
    """A date point starting exactly at ``pos`` (the end of a range), or None."""
    m = POINT.match(text, pos)
    if not m:
        return None
    if m.group("ym") is not None:
        return _year_month(m)
    return _point(m, m.start(), m.end())


def range_tail(text: str, tok: Token) -> Token | None:
    """``tok`` extended into a range when a separator and a second point follow it."""
    if tok.kind != "date" or tok.q is not None or tok.hf is not None:
        return None
    sep = RANGE_SEP.match(text, tok.end)
    if not sep:
        return None
    end_tok = point_at(text, sep.end())
    if end_tok is None and tok.d is not None:
        bm = BARE_DAY_END.match(text, sep.end())
        if bm:
            d = _unit(bm.group("d"), 31)
            if d is not None:
                end_tok = Token("date", bm.start(), bm.end(), d=d)
    if end_tok is None:
        return None
    return _range_of(tok, end_tok, tok.start, end_tok.end)


def continuation(text: str, tok: Token) -> Token | None:
    """A bare day after a day-level date (10月8日、9日), inheriting its year and month."""
    if tok.kind != "date" or tok.d is None:
        return None
    cm = CONTINUATION.match(text, tok.end)
    if not cm:
        return None
    d = _unit(cm.group("d"), 31)
    if d is None:
        return None
    return Token("date", cm.start("d"), cm.end(), y=tok.y, m=tok.m, d=d, rel=tok.rel)
