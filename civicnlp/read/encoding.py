"""Encoding detection: BOMs, strict UTF-8, GB18030 (covers GBK/GB2312), UTF-16/32, Big5,
then charset-normalizer where the cheap checks fail."""

from __future__ import annotations

import codecs

from civicnlp.errors import Errors, ReadError

__all__ = ["decode"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_binary(data: bytes) -> str | None:
    head = data[:4096]
    if head.startswith((b"%PDF", b"\x89PNG", b"\x7fELF", b"GIF8", b"\xff\xd8\xff")):
        return "its first bytes are a binary file signature"
    if head.startswith(b"PK\x03\x04"):
        return "it is a zip archive"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte for ASCII/CJK-light text."""
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f")
    return cjk / len(text)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes to text; returns ``(text, encoding)`` or raises E102/E103."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name.replace("-sig", "")
            except UnicodeDecodeError:
                break
    guess16 = _utf16_without_bom(data)
    if guess16:
        try:
            return data.decode(guess16), guess16
        except UnicodeDecodeError:
            pass
    binary = _looks_binary(data)
    if binary:
        raise ReadError(Errors.E102, path=path, detail=binary)
    if b"\x00" in data[:4096]:
        raise ReadError(Errors.E102, path=path, detail="it contains NUL bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for name in ("gb18030", "big5"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        candidates.append((_cjk_share(text), name, text))
    if candidates:
        # GB18030 decodes nearly anything; prefer Big5 only when it reads clearly better.
        candidates.sort(key=lambda c: (c[0], c[1] == "gb18030"), reverse=True)
        best = candidates[0]
        gb = next((c for c in candidates if c[1] == "gb18030"), None)
        if gb and best[1] == "big5" and best[0] < gb[0] + 0.05:
            best = gb
        if best[0] > 0.05:
            return best[2], best[1]
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is not None and match.encoding:
        text = str(match)
        if text and not any(ch in text for ch in "\x00"):
            return text, match.encoding.replace("_", "-")
    if candidates:
        return candidates[0][2], candidates[0][1]
    raise ReadError(Errors.E103, path=path)
