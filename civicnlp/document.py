"""The record's objects: every extracted item keeps its surface text, value and offsets.

Each class's ``to_dict()`` gives the ``civicnlp.document/1`` form (``../shared/spec/SCHEMA.md``);
``Document.to_dict()`` is the whole record. Offsets are character offsets into the document's
normalized ``text``, end exclusive. Empty is ``[]``, never ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

__all__ = [
    "LIST_FIELDS",
    "RECORD_FIELDS",
    "SCHEMA",
    "ActionItem",
    "DateItem",
    "DocType",
    "Document",
    "Metric",
    "Official",
    "Person",
    "Phase",
    "Section",
    "Source",
    "Unit",
]

SCHEMA = "civicnlp.document/1"
# the item lists of a record, in record order; and every field a record always has (SCHEMA.md)
LIST_FIELDS = (
    "sections",
    "action_items",
    "phases",
    "people",
    "responsible_units",
    "lead_officials",
    "dates",
    "metrics",
)
RECORD_FIELDS = ("schema", "id", "source", "title", "doc_type", "text", *LIST_FIELDS, "warnings")

DateValue = str | dict[str, str]


def _plain(value: Any) -> Any:
    if isinstance(value, _Item):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Item:
    """Mixin: ``to_dict()`` over the dataclass fields, leaving out optional ones that are None."""

    _omit_if_none: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            if v is None and f.name in self._omit_if_none:
                continue
            out[f.name] = _plain(v)
        return out


@dataclass(frozen=True)
class Section(_Item):
    """A numbered or titled heading; ``start``/``end`` cover the heading and its body."""

    id: str
    parent: str | None
    level: int
    marker: str
    number: int | None
    heading: str
    start: int
    end: int
    heading_start: int = 0
    heading_end: int = 0


@dataclass(frozen=True)
class DateItem(_Item):
    """A date, range, duration or recurrence with its ISO-like value (``X`` for hidden digits)."""

    text: str
    kind: str  # date | range | duration | recurring
    value: DateValue
    start: int
    end: int
    mod: str | None = None
    end_mod: str | None = None
    start_mod: str | None = None
    approx: bool = False
    resolved: DateValue | None = None
    calendar: str | None = None  # "lunar" for 农历 dates (value keeps the lunar month/day)
    holiday: str | None = None  # 春节 in 2021年春节 / 每年春节期间
    note: str | None = None  # e.g. "working days" for N个工作日
    _omit_if_none: ClassVar[tuple[str, ...]] = (
        "mod",
        "end_mod",
        "start_mod",
        "resolved",
        "calendar",
        "holiday",
        "note",
    )


@dataclass(frozen=True)
class Metric(_Item):
    """A quantity: number (multipliers applied), unit as written, and what it counts."""

    text: str
    value: int | float
    unit: str
    subject: str | None
    approx: bool
    start: int
    end: int
    bound: str | None = None  # a bound word left outside the span: 不少于, 超过, ≥, 以内, 以下
    _omit_if_none: ClassVar[tuple[str, ...]] = ("bound",)


@dataclass(frozen=True)
class Unit(_Item):
    """A responsible unit (责任单位, 牵头单位 …)."""

    name: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Official(_Item):
    """A lead official (牵头领导, 责任人 …); ``placeholder`` for anonymized names (xxx)."""

    name: str
    placeholder: bool
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Person(_Item):
    """A named person joined to a title or a role."""

    name: str
    title: str | None
    role: str | None
    text: str
    start: int
    end: int
    placeholder: bool = False


@dataclass(frozen=True)
class ActionItem(_Item):
    """A numbered item that assigns work, with who leads it, who does it, and by when."""

    section: str | None
    marker: str
    number: int | None
    text: str
    lead_officials: list[str]
    responsible_units: list[str]
    deadline: DateValue | None
    start: int
    end: int
    deadline_mod: str | None = None
    deadline_text: str | None = None
    _omit_if_none: ClassVar[tuple[str, ...]] = ("deadline_mod", "deadline_text")


@dataclass(frozen=True)
class Phase(_Item):
    """A named stage of the work with its dates."""

    name: str
    start_date: str | None
    end_date: str | None
    text: str
    start: int
    end: int
    start_mod: str | None = None
    end_mod: str | None = None
    _omit_if_none: ClassVar[tuple[str, ...]] = ("start_mod", "end_mod")


@dataclass(frozen=True)
class DocType(_Item):
    """The document's kind: the best label, its probability, and every label's probability."""

    label: str
    score: float
    scores: dict[str, float]


@dataclass(frozen=True)
class Source(_Item):
    """Where a document came from."""

    path: str
    part: int = 1
    parts: int = 1
    encoding: str | None = None
    row: str | None = None
    _omit_if_none: ClassVar[tuple[str, ...]] = ("row",)


@dataclass
class Document(_Item):
    """One document's extraction; ``to_dict()`` is the ``civicnlp.document/1`` record."""

    id: str
    source: Source
    text: str
    title: str | None = None
    doc_type: DocType | None = None
    sections: list[Section] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    responsible_units: list[Unit] = field(default_factory=list)
    lead_officials: list[Official] = field(default_factory=list)
    dates: list[DateItem] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    doc_date: str | None = None

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        """The record as plain JSON-ready data; ``include_text=False`` leaves ``text`` out."""
        out: dict[str, Any] = {"schema": SCHEMA}
        out.update(super().to_dict())
        if not include_text:
            out.pop("text")
        return out
