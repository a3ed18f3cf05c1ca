"""Dates, ranges, durations and recurrences (filled in by issue 3)."""

from __future__ import annotations

from civicnlp.document import DateItem
from civicnlp.extractors.context import Context

__all__ = ["extract_dates", "find_doc_date"]


def extract_dates(text: str, *, context: Context) -> list[DateItem]:
    """Every date or time expression in ``text``."""
    return []


def find_doc_date(text: str, dates: list[DateItem]) -> str | None:
    """The document's own date (its 落款), when it has one."""
    return None
