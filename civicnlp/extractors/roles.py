"""Responsible units, lead officials and people (filled in by issue 4)."""

from __future__ import annotations

from civicnlp.document import Official, Person, Unit
from civicnlp.extractors.context import Context

__all__ = ["extract_officials", "extract_people", "extract_units"]


def extract_units(text: str, *, context: Context) -> list[Unit]:
    """Every responsible unit named in ``text``, de-duplicated by name."""
    return []


def extract_officials(text: str, *, context: Context) -> list[Official]:
    """Every lead official named in ``text``, de-duplicated by name."""
    return []


def extract_people(text: str, *, context: Context) -> list[Person]:
    """Named persons joined to a title or role."""
    return []
