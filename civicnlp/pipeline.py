"""The one place that knows the order of the stages: normalize → split → extract → classify → record.

Every stage's failure on one document becomes a warning or an error record, never an
exception that escapes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from civicnlp.classify import Classifier
from civicnlp.document import Document, Source
from civicnlp.errors import CivicError, Errors
from civicnlp.extractors.context import Context
from civicnlp.extractors.dates import extract_dates, find_doc_date
from civicnlp.extractors.items import extract_action_items
from civicnlp.extractors.metrics import extract_metrics
from civicnlp.extractors.phases import extract_phases
from civicnlp.extractors.roles import extract_officials, extract_people, extract_units
from civicnlp.extractors.sections import extract_sections
from civicnlp.extractors.title import find_title
from civicnlp.read import RawDoc
from civicnlp.text.normalize import normalize
from civicnlp.text.split import split_parts

__all__ = ["DEFAULT_TIME_BUDGET", "ErrorRecord", "Pipeline", "Result"]

DEFAULT_TIME_BUDGET = 30.0


@dataclass(frozen=True)
class ErrorRecord:
    """An input that produced no document: ``{"schema", "id", "source", "error"}``."""

    id: str
    source: Source
    error: CivicError

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        """The error record."""
        return {
            "schema": "civicnlp.document/1",
            "id": self.id,
            "source": self.source.to_dict(),
            "error": self.error.to_dict(),
        }


Result = Document | ErrorRecord

# (field on Document, stage function); run in this order, each may read what the earlier ones set
_Stage = Callable[[str, Context], Any]


class Pipeline:
    """Runs every stage over texts; holds the model so that it is loaded once per process."""

    def __init__(self, model: Classifier | None = None, *, time_budget: float = DEFAULT_TIME_BUDGET) -> None:
        self.model = model
        self.time_budget = time_budget

    def process_raw(self, raw: RawDoc) -> Iterator[Result]:
        """The documents of one input (several when it is a compilation), or its error record."""
        if raw.error is not None:
            yield ErrorRecord(raw.id, Source(raw.path, encoding=raw.encoding, row=raw.row), raw.error)
            return
        yield from self.process_text(raw.text, doc_id=raw.id, path=raw.path, encoding=raw.encoding, row=raw.row)

    def process_text(
        self,
        text: str,
        *,
        doc_id: str = "text",
        path: str = "text",
        encoding: str | None = None,
        row: str | None = None,
    ) -> Iterator[Document]:
        """Normalize, split and extract one input text."""
        norm = normalize(text).text
        parts = split_parts(norm)
        n = len(parts)
        for i, part in enumerate(parts, start=1):
            source = Source(path=path, part=i, parts=n, encoding=encoding, row=row)
            pid = f"{doc_id}#{i}" if n > 1 else doc_id
            yield self.build(norm[part.start : part.end], doc_id=pid, source=source)

    def build(self, text: str, *, doc_id: str, source: Source) -> Document:
        """Run the extractors and the classifier over one document's normalized text."""
        doc = Document(id=doc_id, source=source, text=text)
        ctx = Context(text=text)
        deadline = time.monotonic() + self.time_budget

        def stage(name: str, fn: Callable[[], Any]) -> Any:
            if time.monotonic() > deadline:
                doc.warnings.append(Errors.E202.format(id=doc_id, seconds=self.time_budget, stage=name))
                return None
            try:
                return fn()
            except Exception as exc:  # one stage's bug must not lose the document
                doc.warnings.append(Errors.E201.format(id=doc_id, stage=name, detail=f"{type(exc).__name__}: {exc}"))
                return None

        title = stage("title", lambda: find_title(text))
        if title:
            ctx.title, _, ctx.title_end = title
            doc.title = ctx.title
        ctx.sections = stage("sections", lambda: extract_sections(text, context=ctx)) or []
        ctx.dates = stage("dates", lambda: extract_dates(text, context=ctx)) or []
        ctx.doc_date = stage("doc_date", lambda: find_doc_date(text, ctx.dates))
        doc.sections, doc.dates, doc.doc_date = ctx.sections, ctx.dates, ctx.doc_date
        doc.metrics = stage("metrics", lambda: extract_metrics(text, context=ctx)) or []
        doc.responsible_units = stage("units", lambda: extract_units(text, context=ctx)) or []
        doc.lead_officials = stage("officials", lambda: extract_officials(text, context=ctx)) or []
        doc.people = stage("people", lambda: extract_people(text, context=ctx)) or []
        doc.action_items = stage("action_items", lambda: extract_action_items(text, context=ctx)) or []
        doc.phases = stage("phases", lambda: extract_phases(text, context=ctx)) or []
        if self.model is not None:
            model = self.model
            doc.doc_type = stage("doc_type", lambda: model.classify(text, ctx.title))
        doc.warnings.extend(ctx.warnings)
        return doc

    def process_many(self, raws: Iterable[RawDoc]) -> Iterator[Result]:
        """Stream the results of many inputs, in input order."""
        for raw in raws:
            yield from self.process_raw(raw)
