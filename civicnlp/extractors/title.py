"""The document's own title line, if it has one."""

from __future__ import annotations

import regex

from civicnlp.text.markers import match_marker

__all__ = ["find_title"]

_SENTENCE = regex.compile(r"[。！？!?；;]")


def find_title(text: str) -> tuple[str | None, int, int]:
    """``(title, start, end)`` of the first line when it reads as a title, else ``(None, 0, 0)``."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip(" \t\u3000\xa0")
        if not stripped:
            pos += len(line) + 1
            continue
        start = pos + line.index(stripped[0])
        if (
            len(stripped) <= 60
            and not _SENTENCE.search(stripped[:-1])
            and not stripped.endswith(("。", "；", "，", "：", ":"))
            and match_marker(stripped) is None
            and regex.search(r"\p{Han}", stripped)
        ):
            return stripped, start, start + len(stripped)
        return None, 0, 0
    return None, 0, 0
