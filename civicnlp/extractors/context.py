"""What earlier stages found, handed to later ones so that nothing is parsed twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from civicnlp.document import DateItem, Section
from civicnlp.extractors.script import simplified

if TYPE_CHECKING:
    from civicnlp.extractors.notes import Notes
    from civicnlp.extractors.outline import Node

__all__ = ["Context"]


@dataclass
class Context:
    """The document being extracted and the results of the stages run so far.

    ``warnings`` collects what a stage noticed and could not resolve cleanly; the pipeline
    copies it into the record.
    """

    text: str
    title: str | None = None
    title_end: int = 0
    sections: list[Section] = field(default_factory=list)
    dates: list[DateItem] = field(default_factory=list)
    doc_date: str | None = None
    warnings: list[str] = field(default_factory=list)
    # responsibility notes, parsed once by extractors.notes.notes_of() and shared by units,
    # officials and action items
    notes: Notes | None = None
    # derived from ``text`` once per document, on first use (see the methods below)
    _shadow: str | None = field(default=None, init=False, repr=False, compare=False)
    _lines: tuple[tuple[int, int], ...] | None = field(default=None, init=False, repr=False, compare=False)
    # the outline built by extractors.outline.build_outline for action items and phases, with
    # the text and the sections it was built from
    outline: tuple[str, list[Section], list[Node]] | None = field(default=None, init=False, repr=False, compare=False)

    def lines(self) -> list[tuple[int, int]]:
        """(start, end) of every line of ``text``, end exclusive and without the newline."""
        if self._lines is None:
            out: list[tuple[int, int]] = []
            pos = 0
            for line in self.text.split("\n"):
                out.append((pos, pos + len(line)))
                pos += len(line) + 1
            self._lines = tuple(out)
        return list(self._lines)

    def shadow(self) -> str:
        """``text`` in simplified script (:func:`civicnlp.extractors.script.simplified`), computed once."""
        if self._shadow is None:
            self._shadow = simplified(self.text)
        return self._shadow
