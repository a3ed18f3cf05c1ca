"""Extractors: each a pure function ``(text, *, context) -> list[Item]`` with offsets into text.

They share nothing but the text and what earlier stages put in the ``Context``.
"""

from civicnlp.extractors.context import Context

__all__ = ["Context"]
