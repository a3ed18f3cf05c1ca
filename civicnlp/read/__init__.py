"""Reading: bytes on disk to text, one module per input kind.

``read_file`` yields ``RawDoc`` values; a failure is a ``RawDoc`` with ``error`` set, never an
exception, so one broken file among thousands is reported and the run goes on.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from civicnlp.errors import CivicError, Errors, ReadError
from civicnlp.guard import BudgetExceeded, Deadline

__all__ = ["DEFAULT_READ_BUDGET", "READERS", "RawDoc", "ReadOptions", "read_file", "reader_for"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# seconds that reading one document file (decoding, unpacking a .docx, parsing HTML) may take
DEFAULT_READ_BUDGET = 10.0


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read: row fields for .jsonl/.csv, the size limit and the time limit."""

    text_field: str = "text"
    id_field: str = "id"
    label_field: str = "label"
    max_bytes: int = DEFAULT_MAX_BYTES
    time_budget: float = DEFAULT_READ_BUDGET


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


def _os_error(exc: OSError, path: Path, rel: str) -> ReadError:
    """The error record for an OS failure: a link loop or dangling link, else unreadable."""
    if exc.errno == errno.ELOOP or (exc.errno == errno.ENOENT and path.is_symlink()):
        return ReadError(Errors.E107, path=rel, detail=exc.strerror or str(exc))
    return ReadError(Errors.E105, path=rel, detail=exc.strerror or str(exc))


def _load_bytes(path: Path, rel: str, max_bytes: int) -> bytes:
    """The file's bytes, or a ReadError: unreadable, not a regular file, too big, or empty.

    Opened non-blocking and checked with ``fstat`` on the open descriptor, so that a pipe or a
    device named ``*.txt`` fails at once instead of hanging the run.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _os_error(exc, path, rel) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "a pipe, socket or device"
            raise ReadError(Errors.E105, path=rel, detail=f"it is {kind}, not a regular file")
        if st.st_size > max_bytes:
            raise ReadError(Errors.E104, path=rel, size=st.st_size, limit=max_bytes)
        chunks: list[bytes] = []
        got = 0
        while got <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise _os_error(exc, path, rel) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:  # grew while we looked
        raise ReadError(Errors.E104, path=rel, size=len(data), limit=max_bytes)
    if not data.strip():
        raise ReadError(Errors.E101, path=rel, detail=f"{len(data)} bytes, no text" if data else "0 bytes")
    return data


def _to_text(kind: str | None, data: bytes, rel: str) -> tuple[str, str]:
    """``(text, encoding)`` of a document file's bytes."""
    if kind == "docx":
        from civicnlp.read.docx import read_docx

        return read_docx(data, rel), "docx"
    if kind == "html":
        from civicnlp.read.html import read_html

        return read_html(data, rel)
    from civicnlp.read.encoding import decode

    return decode(data, rel)


def read_file(path: Path, rel: str | None = None, options: ReadOptions | None = None) -> Iterator[RawDoc]:
    """Read one file into its texts: one for a document file, one per row for .jsonl/.csv.

    Never raises for a bad file: a failure is one ``RawDoc`` with ``error`` set (for .jsonl/.csv,
    a bad row is one such ``RawDoc`` among the good rows). Turning a document file into text
    may take ``options.time_budget`` seconds; past that it is stopped (``guard.Deadline``) and
    the file gets error E113.
    """
    opts = options or ReadOptions()
    rel = rel if rel is not None else os.fspath(path)
    kind = reader_for(path)
    try:
        data = _load_bytes(path, rel, opts.max_bytes)
        if kind == "rows":
            from civicnlp.read.rows import read_rows

            yield from read_rows(data, rel, opts)
            return
        try:
            text, encoding = Deadline(opts.time_budget).run(lambda: _to_text(kind, data, rel))
        except BudgetExceeded:
            raise ReadError(Errors.E113, path=rel, seconds=opts.time_budget) from None
        if not text.strip():
            raise ReadError(Errors.E101, path=rel, detail=f"no text in its {len(data)} bytes")
        yield RawDoc(id=rel, path=rel, text=text, encoding=encoding)
    except CivicError as err:
        yield RawDoc(id=rel, path=rel, text="", error=err)
    except Exception as exc:  # a reader's bug must not end the run: report it as this file's error
        bug = CivicError(Errors.E201, id=rel, stage="read", detail=f"{type(exc).__name__}: {exc}")
        yield RawDoc(id=rel, path=rel, text="", error=bug)
