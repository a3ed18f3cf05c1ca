"""Encoding detection: BOMs, strict UTF-8, UTF-16/32 without a BOM, GB18030 (covers GBK/GB2312)
or Big5, then charset-normalizer where the cheap checks fail.

Every candidate is decoded strictly (a byte that does not fit rejects it) and then judged by how
plausible its text is as Chinese or plain text: the share of its non-ASCII characters that are
common Han characters (GB2312 or Big5 level 1), CJK/full-width punctuation or ordinary symbols.
Text in a wrong-but-decodable codec (Big5 bytes read as GB18030, UTF-16 read as GB18030, random
bytes behind a BOM) scores far lower than the right reading.
"""

from __future__ import annotations

import codecs
import contextlib
from functools import lru_cache

from civicnlp.errors import Errors, ReadError

__all__ = ["decode", "plausibility"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES = (
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\x7fELF", "an executable"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a zip archive (a .docx saved as .txt?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls): re-save it as .docx or .txt"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
# how much of a file the plausibility score looks at (characters)
_SAMPLE = 4000
# a reading below this share of plausible characters is rejected
_MIN_SCORE = 0.8
_CONTROL_OK = set("\t\n\r\f\v")
# symbols and pinyin letters outside the blocks above that Chinese documents use
_SYMBOLS = frozenset("\xa0§°±²³µ·×÷¥→←↑↓√≤≥≠∶∽∈∩∪℃№‰★☆※" + "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ")


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """Han characters common in simplified (GB2312, both levels) or traditional (Big5 level 1) text."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xF8):  # GB2312 Han rows
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("gb2312"))
    for lead in range(0xA4, 0xC7):  # Big5 level 1 (common traditional characters)
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("big5"))
    return frozenset(chars)


def _ordinary(ch: str) -> bool:
    """A non-Han character that ordinary Chinese documents use."""
    cp = ord(ch)
    return (
        0x3000 <= cp <= 0x303F  # CJK punctuation: 、。《》「」【】〔〕
        or 0xFF01 <= cp <= 0xFF65  # full-width forms: （），：；！？ full-width digits
        or 0x2000 <= cp <= 0x206F  # general punctuation: “”‘’…—
        or 0x2460 <= cp <= 0x24FF  # enclosed numbers ①②
        or 0x2160 <= cp <= 0x217F  # Roman numerals Ⅰ Ⅱ
        or 0x25A0 <= cp <= 0x25FF  # □ ■ ○ ●
        or ch in _SYMBOLS
    )


def plausibility(text: str) -> float:
    """Share (0..1) of a text's characters that ordinary Chinese or plain text would hold.

    ASCII counts as plausible except control characters; a replacement character, a stray
    byte-order mark, private-use or rare characters count against.
    """
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    han = _common_han()
    good = bad = 0
    for ch in sample:
        if ch < "\x80":
            if ch >= " " or ch in _CONTROL_OK:
                good += 1
            else:
                bad += 1
        elif ch in han or _ordinary(ch):
            good += 1
        else:
            bad += 1
    return good / (good + bad)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _signature(data: bytes) -> str | None:
    for sig, what in _SIGNATURES:
        if data.startswith(sig):
            return what
    return None


def _wide_candidates(data: bytes) -> list[str]:
    """UTF-16/32 codecs the byte count allows, most likely first by where the NULs fall."""
    head = data[:4096]
    out: list[str] = []
    if len(data) % 4 == 0:
        out += ["utf-32-le", "utf-32-be"]
    if len(data) % 2 == 0:
        # ASCII in UTF-16-LE puts NUL at odd offsets; BE at even ones
        le_first = head[1::2].count(0) >= head[0::2].count(0)
        out += ["utf-16-le", "utf-16-be"] if le_first else ["utf-16-be", "utf-16-le"]
    return out


def _best(data: bytes, codecs_: list[str]) -> tuple[float, str, str] | None:
    """The most plausible strict reading among ``codecs_`` (earlier wins ties)."""
    best: tuple[float, str, str] | None = None
    for codec in codecs_:
        text = _strict(data, codec)
        if text is None:
            continue
        score = plausibility(text)
        if best is None or score > best[0] + 0.02:
            best = (score, codec, text)
    return best


def _damage_allowed(data: bytes) -> int:
    """How many damaged bytes (or stray NULs) a text may hold and still be read: 4, or 1 per 5 000."""
    return max(4, len(data) // 5_000)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes to text; returns ``(text, encoding)`` or raises E102 (binary) / E103.

    Order: a byte-order mark; NUL bytes mean UTF-16/32 (or binary, unless they are as few as
    the damaged bytes below: then each is read as a space); strict UTF-8; GB18030
    against Big5 (and UTF-16 without NULs) by plausibility; UTF-8/GB18030/Big5 with a few
    damaged bytes (at most 4, or 1 per 5 000 bytes) shown as U+FFFD; charset-normalizer last.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = _strict(data, name)
            if text is not None and plausibility(text) >= _MIN_SCORE:
                return text, name.replace("-sig", "")
            break  # a BOM followed by garbage: judge the bytes without it
    if b"\x00" in data:
        what = _signature(data)
        if what is None:
            best = _best(data, _wide_candidates(data))
            if best and best[0] >= _MIN_SCORE:
                return best[2], best[1]
            if data.count(0) <= _damage_allowed(data):
                # a stray NUL or two in a text (a crawler's or a database's): read as a space
                text, encoding = decode(data.replace(b"\x00", b" "), path)
                return text, encoding
        raise ReadError(Errors.E102, path=path, detail=what or "it contains NUL bytes")
    what = _signature(data)
    if what is not None:
        raise ReadError(Errors.E102, path=path, detail=f"it is {what}")
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    # GB18030 first (it wins ties); UTF-16 without NULs is pure Han text with no ASCII at all
    best = _best(data, ["gb18030", "big5", *_wide_candidates(data)[-2:]])
    if best and best[0] >= _MIN_SCORE:
        return best[2], best[1]
    # a file cut mid-character or with a stray byte: keep it when the damage is a few bytes
    for codec in ("utf-8", "gb18030", "big5"):
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") <= _damage_allowed(data) and plausibility(text) >= _MIN_SCORE:
            return text, codec
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is not None and match.encoding:
        text = str(match)
        if text and plausibility(text) >= _MIN_SCORE:
            return text, match.encoding.replace("_", "-")
    raise ReadError(Errors.E103, path=path)
