"""Reading: bytes on disk to text, one module per input kind.

``read_file`` yields ``RawDoc`` values; a failure is a ``RawDoc`` with ``error`` set, never an
exception, so one broken file among thousands is reported and the run goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from civicnlp.errors import CivicError, Errors, ReadError

__all__ = ["READERS", "RawDoc", "ReadOptions", "read_file", "reader_for"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read: row fields for .jsonl/.csv and the size limit."""

    text_field: str = "text"
    id_field: str = "id"
    label_field: str = "label"
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class RawDoc:
    """One input text (a file, or one row of a table) before normalization."""

    id: str
    path: str
    text: str
    encoding: str | None = None
    row: str | None = None
    label: str | None = None
    error: CivicError | None = None


TEXT_EXT = (".txt", ".md", ".text")
READERS = (*TEXT_EXT, ".docx", ".html", ".htm", ".jsonl", ".csv")


def reader_for(path: Path) -> str | None:
    """The input kind of ``path`` by its extension, or None when civicnlp does not read it."""
    ext = path.suffix.lower()
    if ext in TEXT_EXT:
        return "text"
    if ext == ".docx":
        return "docx"
    if ext in (".html", ".htm"):
        return "html"
    if ext in (".jsonl", ".csv"):
        return "rows"
    return None


def _load_bytes(path: Path, rel: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:  # vanished, loop, permission
        if isinstance(exc, OSError) and exc.errno == 40:  # ELOOP
            raise ReadError(Errors.E107, path=rel, detail=exc.strerror) from None
        raise ReadError(Errors.E105, path=rel, detail=exc.strerror or str(exc)) from None
    if size > max_bytes:
        raise ReadError(Errors.E104, path=rel, size=size, limit=max_bytes)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        if exc.errno == 40:
            raise ReadError(Errors.E107, path=rel, detail=exc.strerror) from None
        raise ReadError(Errors.E105, path=rel, detail=exc.strerror or str(exc)) from None
    if len(data) > max_bytes:  # grew while we looked
        raise ReadError(Errors.E104, path=rel, size=len(data), limit=max_bytes)
    if not data:
        raise ReadError(Errors.E101, path=rel)
    return data


def read_file(path: Path, rel: str | None = None, options: ReadOptions | None = None) -> Iterator[RawDoc]:
    """Read one file into its texts: one for a document file, one per row for .jsonl/.csv."""
    opts = options or ReadOptions()
    rel = rel if rel is not None else os.fspath(path)
    kind = reader_for(path)
    try:
        data = _load_bytes(path, rel, opts.max_bytes)
        if kind == "rows":
            from civicnlp.read.rows import read_rows

            yield from read_rows(data, rel, opts)
            return
        if kind == "docx":
            from civicnlp.read.docx import read_docx

            yield RawDoc(id=rel, path=rel, text=read_docx(data, rel), encoding="docx")
            return
        from civicnlp.read.encoding import decode

        text, encoding = decode(data, rel)
        if kind == "html":
            from civicnlp.read.html import html_to_text

            text = html_to_text(text, rel)
        yield RawDoc(id=rel, path=rel, text=text, encoding=encoding)
    except CivicError as err:
        yield RawDoc(id=rel, path=rel, text="", error=err)
