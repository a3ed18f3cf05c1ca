"""Named stages with their dates (filled in by issue 4)."""

from __future__ import annotations

from civicnlp.document import Phase
from civicnlp.extractors.context import Context

__all__ = ["extract_phases"]


def extract_phases(text: str, *, context: Context) -> list[Phase]:
    """Named stages (部署阶段, 攻坚阶段 …) with their dates."""
    return []
