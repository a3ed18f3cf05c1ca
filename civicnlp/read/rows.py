"""``.jsonl`` and ``.csv``: one document per row, as crawlers and databases export them."""

from __future__ import annotations

import csv
import io
import json
import sys
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


def _bad_row(path: str, n: int, code: Errors, detail: str, encoding: str) -> RawDoc:
    from civicnlp.read import RawDoc

    err = CivicError(code, row=n, path=path, detail=detail[:200])
    return RawDoc(id=f"{path}:{n}", path=path, text="", encoding=encoding, row=str(n), error=err)


def _jsonl(text: str, path: str, opts: ReadOptions, encoding: str) -> Iterator[RawDoc]:
    # split on "\n" only: JSON strings may hold U+2028 and other characters str.splitlines breaks on
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            yield _bad_row(path, n, Errors.E109, str(exc), encoding)
            continue
        except RecursionError:  # "[[[[…" nested deeper than the parser's stack: this row only
            yield _bad_row(path, n, Errors.E109, "nested too deeply", encoding)
            continue
        if not isinstance(rec, dict):
            yield _bad_row(path, n, Errors.E109, f"a row must be a JSON object, not {type(rec).__name__}", encoding)
            continue
        yield _row(path, n, rec, opts, encoding)


def _csv(text: str, path: str, opts: ReadOptions, encoding: str) -> Iterator[RawDoc]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    n = 0
    while True:
        n += 1
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a NUL byte, an unterminated quote …: this row only
            yield _bad_row(path, n, Errors.E112, str(exc), encoding)
            continue
        yield _row(path, n, {k: v for k, v in rec.items() if isinstance(k, str)}, opts, encoding)


def read_rows(data: bytes, path: str, opts: ReadOptions) -> Iterator[RawDoc]:
    """Yield one RawDoc per row; a bad row is a RawDoc with an error, not a failed file.

    ``.jsonl``: one JSON object per line, blank lines skipped; ``.csv``: a header row naming the
    columns. The text is in ``opts.text_field``, the row id in ``opts.id_field`` (else the row's
    number: its line in a .jsonl, its data row in a .csv); the document id is ``path:row-id``.
    """
    text, encoding = decode(data, path)
    if path.lower().endswith(".jsonl"):
        yield from _jsonl(text, path, opts, encoding)
    else:
        yield from _csv(text, path, opts, encoding)
