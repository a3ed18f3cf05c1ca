"""``.jsonl`` and ``.csv``: one document per row, as crawlers and databases export them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from civicnlp.errors import CivicError, Errors
from civicnlp.read.encoding import decode

if TYPE_CHECKING:
    from civicnlp.read import RawDoc, ReadOptions

__all__ = ["read_rows"]


def _row(path: str, n: int, rec: dict[str, object], opts: ReadOptions, encoding: str) -> RawDoc:
    from civicnlp.read import RawDoc

    rid = rec.get(opts.id_field)
    row_id = str(rid) if rid not in (None, "") else str(n)
    doc_id = f"{path}:{row_id}"
    text = rec.get(opts.text_field)
    label = rec.get(opts.label_field)
    if not isinstance(text, str) or not text.strip():
        err = CivicError(Errors.E108, row=n, path=path, field=opts.text_field)
        return RawDoc(id=doc_id, path=path, text="", encoding=encoding, row=row_id, error=err)
    return RawDoc(
        id=doc_id,
        path=path,
        text=text,
        encoding=encoding,
        row=row_id,
        label=str(label) if label not in (None, "") else None,
    )


def read_rows(data: bytes, path: str, opts: ReadOptions) -> Iterator[RawDoc]:
    """Yield one RawDoc per row; a bad row is a RawDoc with an error, not a failed file."""
    from civicnlp.read import RawDoc

    text, encoding = decode(data, path)
    if path.lower().endswith(".jsonl"):
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                if not isinstance(rec, dict):
                    raise ValueError("a row must be a JSON object")
            except ValueError as exc:
                err = CivicError(Errors.E109, row=n, path=path, detail=str(exc)[:200])
                yield RawDoc(id=f"{path}:{n}", path=path, text="", encoding=encoding, row=str(n), error=err)
                continue
            yield _row(path, n, rec, opts, encoding)
        return
    csv.field_size_limit(64 * 1024 * 1024)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for n, rec in enumerate(reader, start=1):
        yield _row(path, n, dict(rec), opts, encoding)
