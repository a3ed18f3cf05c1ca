"""The document's own title line, if it has one.

The title is the first line of the text that reads as a title (short, no sentence inside, not
ending in ``：``/``，``, not an enumerated item), after page chrome — breadcrumbs, share bars,
metadata rows of disclosure pages (``lexicon/title.json``). A metadata row that names the title
(``标题：……``) or a ``【……】`` opening gives it directly. When the first line after the chrome
is running text, the document has no title line. A compilation part's title is its
``……篇N`` line, which opens the part. Both scripts read alike.
"""

from __future__ import annotations

from functools import cache

import regex

from civicnlp.lexicon import load_json
from civicnlp.text.markers import match_marker

__all__ = ["find_title", "is_title_like"]

_SENTENCE = regex.compile(r"[。！？!?；;]")
_SPACE = " \t\u3000\xa0"
_MAX_LINES = 20
_MAX_LEN = 80
_HAN2 = regex.compile(r"\p{Han}{2}")


@cache
def _patterns() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    spec = load_json("title.json")
    return regex.compile(spec["chrome"]), regex.compile(spec["labeled"]), regex.compile(spec["bracketed"])


def is_title_like(line: str) -> bool:
    """Whether a (stripped) line reads as a title: short, Han, no sentence inside, not an item."""
    s = line.strip(_SPACE)
    return (
        0 < len(s) <= _MAX_LEN
        and not _SENTENCE.search(s)
        and not s.endswith(("：", ":", "，", ",", "、"))
        and bool(_HAN2.search(s))
        and match_marker(s) is None
    )


def find_title(text: str) -> tuple[str | None, int, int]:
    """``(title, start, end)`` of the document's title line, else ``(None, 0, 0)``.

    ``text[start:end] == title`` always.
    """
    chrome, labeled, bracketed = _patterns()
    pos = 0
    seen = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        stripped = line.strip(_SPACE)
        if not stripped:
            continue
        seen += 1
        if seen > _MAX_LINES:
            break
        m = labeled.match(line)
        if m:
            t = m.group("t").strip(_SPACE)
            if t and is_title_like(t):
                start = line_start + line.index(t, m.start("t"))
                return t, start, start + len(t)
        if chrome.match(stripped):
            continue
        if is_title_like(stripped):
            start = line_start + line.index(stripped)
            return stripped, start, start + len(stripped)
        m = bracketed.match(stripped)
        if m and is_title_like(m.group("t")):
            t = m.group("t").strip(_SPACE)
            start = line_start + line.index(t)
            return t, start, start + len(t)
        return None, 0, 0
    return None, 0, 0
