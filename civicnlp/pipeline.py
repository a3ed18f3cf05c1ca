"""The one place that knows the order of the stages: normalize → split → extract → classify → record.

Every stage's failure on one document becomes a warning or an error record, never an
exception that escapes. Each document has a time budget (``time_budget`` seconds): every stage
runs under a ``guard.Deadline`` that interrupts it, even inside a regex that backtracks, when the
budget runs out; the record is then partial, with warning E202 naming the stage. Normalizing and
splitting an input count against the budget of its document when it holds one, and have a
budget of their own before the parts of a compilation; past it the text is kept as given (one
document) with an E202 warning.
"""

from __future__ import annotations

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
from civicnlp.guard import DEFAULT_TIME_BUDGET, BudgetExceeded, Deadline
from civicnlp.read import RawDoc
from civicnlp.text.normalize import normalize
from civicnlp.text.split import split_parts

__all__ = ["DEFAULT_TIME_BUDGET", "ErrorRecord", "Pipeline", "Result"]

# a small document run once per process before the first budgeted one, so that loading the
# lexicons, the tokenizer and the model is not charged to (or interrupted by) a document's budget
_WARM_UP = "关于开展文明创建活动的工作方案\n一、工作目标\n2024年3月1日前，完成10个社区的整治，责任单位：街道办。\n"
_WARM: list[bool] = []


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
        self._warm_up()
        notes: list[str] = []
        prep = Deadline(self.time_budget)

        def step(name: str, fn: Callable[[], Any]) -> Any:
            try:
                return prep.run(fn)
            except BudgetExceeded:
                notes.append(Errors.E202.format(id=doc_id, seconds=self.time_budget, stage=name))
            except Exception as exc:  # a bug must not lose the input: keep it whole, say so
                notes.append(Errors.E201.format(id=doc_id, stage=name, detail=f"{type(exc).__name__}: {exc}"))
            return None

        norm = step("normalize", lambda: normalize(text).text)
        if norm is None:
            norm = text.replace("\r\n", "\n")
        parts = step("split", lambda: split_parts(norm)) if not notes else None
        if not parts or len(parts) == 1:  # one document: what is left of the budget is its own
            whole = parts[0] if parts else None
            body = norm[whole.start : whole.end] if whole is not None else norm
            source = Source(path=path, encoding=encoding, row=row)
            yield self.build(body, doc_id=doc_id, source=source, notes=notes, deadline=prep)
            return
        n = len(parts)
        for i, part in enumerate(parts, start=1):
            source = Source(path=path, part=i, parts=n, encoding=encoding, row=row)
            pid = f"{doc_id}#{i}" if n > 1 else doc_id
            yield self.build(norm[part.start : part.end], doc_id=pid, source=source)

    def _warm_up(self) -> None:
        """Once per process: run a small document unbudgeted, so lazy loading is never cut short."""
        if _WARM:
            return
        _WARM.append(True)
        Pipeline(self.model, time_budget=float("inf")).build(_WARM_UP, doc_id="warm-up", source=Source("warm-up"))

    def build(
        self,
        text: str,
        *,
        doc_id: str,
        source: Source,
        notes: Iterable[str] = (),
        deadline: Deadline | None = None,
    ) -> Document:
        """Run the extractors and the classifier over one document's normalized text.

        Every stage runs under the document's ``deadline`` (default: ``time_budget`` from now);
        when it passes, the stage is stopped and the stages after it are skipped, with one E202
        warning (``notes``: warnings from before the extraction, put first).
        """
        doc = Document(id=doc_id, source=source, text=text, warnings=list(notes))
        ctx = Context(text=text)
        deadline = deadline or Deadline(self.time_budget)
        skipped: list[str] = []

        def stage(name: str, fn: Callable[[], Any]) -> Any:
            if skipped:
                skipped.append(name)
                return None
            try:
                return deadline.run(fn)
            except BudgetExceeded:
                skipped.append(name)
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
        if skipped:
            where = skipped[0] + (f" (skipped: {', '.join(skipped[1:])})" if len(skipped) > 1 else "")
            doc.warnings.append(Errors.E202.format(id=doc_id, seconds=self.time_budget, stage=where))
        return doc

    def process_many(self, raws: Iterable[RawDoc]) -> Iterator[Result]:
        """Stream the results of many inputs, in input order."""
        for raw in raws:
            yield from self.process_raw(raw)
