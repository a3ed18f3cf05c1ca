"""Numerals: regex fragments for Arabic, full-width and Chinese numbers, and their values.

Extractors match a numeral span with the fragments here and only then turn the matched span
into a number: Arabic and full-width digits directly, Chinese numerals with ``cn2an`` (cached),
so that ``cn2an`` never sees free text. Traditional forms (兩, 萬, 億, 參) are read too.

>>> number_value("3.5")
3.5
>>> number_value("三百")
300
>>> number_value("二〇一八")
2018
>>> number_value("１２")
12
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "AR_DIGIT",
    "CN_COUNT",
    "CN_DIGIT",
    "PLACEHOLDER",
    "as_number",
    "ascii_digits",
    "digit_string",
    "number_value",
]

# character classes (regex fragments, no groups)
AR_DIGIT = "[0-9０-９]"
CN_DIGIT = "[〇零○ＯO一二三四五六七八九]"  # digit-by-digit Chinese (二〇一八)
CN_COUNT = "[零〇一二两兩三四五六七八九十百千万萬亿億]"  # positional Chinese numerals (三百五十)
PLACEHOLDER = "[xX×ｘＸ_＿*＊]"  # a hidden digit (20xx, ××××, 20__)

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")
_TRAD = str.maketrans({"兩": "两", "萬": "万", "億": "亿", "參": "三", "叁": "三", "貳": "二", "壹": "一", "點": "点"})
_CN_DIGITS = {
    "〇": "0",
    "零": "0",
    "○": "0",
    "Ｏ": "0",
    "O": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}


def ascii_digits(s: str) -> str:
    """``s`` with full-width digits, dot, percent and comma made ASCII."""
    return s.translate(_FULLWIDTH)


def as_number(x: float) -> int | float:
    """``x`` as an int where it is whole, else a float rounded to 10 places."""
    if float(x).is_integer():
        return int(x)
    return round(float(x), 10)


def digit_string(s: str) -> str | None:
    """Digits read one by one (``二〇一八`` → ``2018``, ``２０２１`` → ``2021``), or None."""
    out = []
    for ch in ascii_digits(s):
        if ch.isascii() and ch.isdigit():
            out.append(ch)
        elif ch in _CN_DIGITS:
            out.append(_CN_DIGITS[ch])
        else:
            return None
    return "".join(out)


@lru_cache(maxsize=4096)
def _cn_value(s: str) -> float | None:
    import cn2an  # imported late: only Chinese numerals need it

    s = s.translate(_TRAD)
    if s[:1] in "百千万亿":  # 百日, 千人: an implied 一
        s = "一" + s
    try:
        return float(cn2an.cn2an(s, "normal"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def number_value(s: str) -> int | float | None:
    """The value of a numeral span: Arabic (full-width, ``1,000``, ``1. 5``) or Chinese.

    Returns None when the span is not a number. Multipliers inside a Chinese numeral
    (三万) are applied; a trailing 万/亿 after Arabic digits is not (callers handle it).
    """
    t = ascii_digits(s).replace(" ", "").replace("\u3000", "")
    if not t:
        return None
    if t[0].isdigit():
        t = t.replace(",", "")
        try:
            return as_number(float(t))
        except ValueError:
            return None
    v = _cn_value(t)
    return None if v is None else as_number(v)
