"""Action items with officials, units and deadlines (filled in by issue 4)."""

from __future__ import annotations

from civicnlp.document import ActionItem
from civicnlp.extractors.context import Context

__all__ = ["extract_action_items"]


def extract_action_items(text: str, *, context: Context) -> list[ActionItem]:
    """The numbered items of ``text`` that assign work."""
    return []
