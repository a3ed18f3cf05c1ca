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

__all__ = ["FORMATS", "RecordWriter", "atomic_output"]

FORMATS = ("jsonl", "csv")
CSV_COLUMNS = (
    "id",
    "path",
    "part",
    "parts",
    "encoding",
    "title",
    "doc_type",
    "doc_type_score",
    "sections",
    "action_items",
    "phases",
    "people",
    "responsible_units",
    "lead_officials",
    "dates",
    "metrics",
    "warnings",
    "error",
)


@contextmanager
def atomic_output(target: str | Path) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``target`` only when the block ends without error;
    ``-`` is standard output."""
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
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


class RecordWriter:
    """Writes records (dicts) to a stream as JSON Lines or CSV."""

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
        }
        for key in CSV_COLUMNS[8:]:
            if key in record:
                row[key] = json.dumps(record[key], ensure_ascii=False)
        self._csv.writerow(row)
