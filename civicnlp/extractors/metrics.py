"""Quantities with units and subjects (filled in by issue 3)."""

from __future__ import annotations

from civicnlp.document import Metric
from civicnlp.extractors.context import Context

__all__ = ["extract_metrics"]


def extract_metrics(text: str, *, context: Context) -> list[Metric]:
    """Every quantity in ``text``."""
    return []
