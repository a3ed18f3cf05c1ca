"""Put one civicnlp record on a spaCy ``Doc``: span groups, span extensions, doc extensions.

The record's offsets point into the record's own (normalized) text; ``to_doc`` maps each of
them to a character offset of ``doc.text``, and spans are cut with
``alignment_mode="expand"``, so they never assume that an item starts or ends on a token
boundary of whatever tokenizer made the ``Doc``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc, Span

from civicnlp.document import Document
from civicnlp.errors import Errors

__all__ = ["DOC_EXTENSIONS", "GROUPS", "SPAN_EXTENSIONS", "annotate", "register_extensions"]

# span group -> (record field, span label, record key that gives span._.value)
GROUPS: dict[str, tuple[str, str, str]] = {
    "civic_sections": ("sections", "SECTION", "heading"),
    "civic_items": ("action_items", "ITEM", "text"),
    "civic_units": ("responsible_units", "UNIT", "name"),
    "civic_officials": ("lead_officials", "OFFICIAL", "name"),
    "civic_people": ("people", "PERSON", "name"),
    "civic_phases": ("phases", "PHASE", "name"),
    "civic_dates": ("dates", "DATE", "value"),
    "civic_metrics": ("metrics", "METRIC", "value"),
}

# span._.<name> (read-only): ``civic`` is the record entry, ``value`` its normalized value; the
# others are the entry's key of the same name where the entry has one (None elsewhere)
SPAN_EXTENSIONS: tuple[str, ...] = (
    "civic",
    "value",
    "unit",
    "subject",
    "approx",
    "kind",
    "mod",
    "start_mod",
    "end_mod",
    "resolved",
    "placeholder",
    "title",
    "role",
    "lead_officials",
    "responsible_units",
    "deadline",
    "deadline_mod",
    "section",
    "level",
    "parent",
    "marker",
    "number",
    "start_date",
    "end_date",
)
DOC_EXTENSIONS: tuple[str, ...] = ("civic", "doc_type")


_KEY = "civicnlp"
_VALUE_KEY = {label: value_key for _, label, value_key in GROUPS.values()}


def _entry(span: Span) -> dict[str, Any] | None:
    """The record entry of a span that ``annotate`` placed (by label and boundaries)."""
    data: dict[Any, Any] = span.doc.user_data
    entry: dict[str, Any] | None = data.get((_KEY, span.label_, span.start_char, span.end_char))
    return entry


def _getter(name: str) -> Callable[[Span], Any]:
    if name == "civic":
        return _entry

    def get(span: Span) -> Any:
        entry = _entry(span)
        if entry is None:
            return None
        key = _VALUE_KEY.get(span.label_) if name == "value" else name
        return entry.get(key) if key else None

    return get


def register_extensions() -> None:
    """Register the ``Doc`` and ``Span`` extensions (existing ones of the same name are kept).

    Span extensions are getters over the record entry stored under the span's label and
    boundaries: spaCy keys plain span-extension values by boundaries only, so a section and an
    action item with the same offsets would otherwise share (and overwrite) their values.
    """
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_getter(name))


def annotate(doc: Doc, document: Document, to_doc: Callable[[int], int]) -> dict[str, Any]:
    """Set the span groups and extensions of ``doc`` from ``document``; returns the record.

    ``to_doc`` maps an offset of ``document.text`` to an offset of ``doc.text``. An end offset
    is mapped as the end of its last character, so that text removed by normalization just
    before it is not pulled in. A span that cannot be placed is left out with a warning
    (E204) in the record's ``warnings``.
    """
    register_extensions()
    record = document.to_dict()
    warnings: list[str] = record["warnings"]
    data: dict[Any, Any] = doc.user_data
    for key in [k for k in data if isinstance(k, tuple) and k[:1] == (_KEY,)]:
        del data[key]  # a second run over the same Doc replaces the first
    for group, (field, label, _) in GROUPS.items():
        spans: list[Span] = []
        for entry in record[field]:
            start, end = entry["start"], entry["end"]
            a = to_doc(start)
            b = to_doc(end - 1) + 1 if end > start else a
            span = doc.char_span(a, b, label=label, alignment_mode="expand") if b > a else None
            if span is None:
                warnings.append(
                    Errors.E204.format(id=record["id"], kind=field, start=start, end=end, text=entry.get("text", ""))
                )
                continue
            data.setdefault((_KEY, label, span.start_char, span.end_char), entry)
            spans.append(span)
        doc.spans[group] = spans
    doc_type = record.get("doc_type")
    doc._.doc_type = doc_type["label"] if doc_type else None
    if doc_type:
        doc.cats = dict(doc_type["scores"])
    doc._.civic = record
    return record
