"""Writers: records to JSON Lines or CSV, atomically (temporary file + rename)."""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from civicnlp.document import LIST_FIELDS

__all__ = ["FORMATS", "RecordWriter", "atomic_output"]

FORMATS = ("jsonl", "csv")
# the scalar columns, then each list or object as JSON text in its cell, then the text
_JSON_COLUMNS = (*LIST_FIELDS, "warnings", "error")
CSV_COLUMNS = (
    "id",
    "path",
    "part",
    "parts",
    "encoding",
    "title",
    "doc_type",
    "doc_type_score",
    "doc_date",
    *_JSON_COLUMNS,
    "text",
)


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(target: str | Path) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``target`` only when the block ends without error;
    ``-`` is standard output.

    The stream is a temporary file beside ``target``, flushed to disk and renamed over it at the
    end, so a crash or an interrupt never leaves half a file where a whole one was. The new file
    gets the usual permissions (0666 less the umask), not the temporary file's 0600.
    """
    if str(target) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


class RecordWriter:
    """Writes records (dicts) to a stream as JSON Lines or CSV.

    CSV has one row per record with the columns of ``CSV_COLUMNS``: source fields flattened, the
    list fields as JSON text in their cells, ``text`` last (empty with ``--no-text``).
    """

    def __init__(self, stream: IO[str], fmt: str = "jsonl") -> None:
        self.stream = stream
        self.fmt = fmt
        self._csv: Any = None
        if fmt == "csv":
            self._csv = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, extrasaction="ignore")
            self._csv.writeheader()

    def write(self, record: dict[str, Any]) -> None:
        """Write one record."""
        if self.fmt == "jsonl":
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        src = record.get("source") or {}
        dt = record.get("doc_type") or {}
        row: dict[str, Any] = {
            "id": record.get("id"),
            "path": src.get("path"),
            "part": src.get("part"),
            "parts": src.get("parts"),
            "encoding": src.get("encoding"),
            "title": record.get("title"),
            "doc_type": dt.get("label"),
            "doc_type_score": dt.get("score"),
            "doc_date": record.get("doc_date"),
            "text": record.get("text"),
        }
        for key in _JSON_COLUMNS:
            if key in record:
                row[key] = json.dumps(record[key], ensure_ascii=False)
        self._csv.writerow(row)
