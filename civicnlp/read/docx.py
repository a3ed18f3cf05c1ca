"""``.docx``: paragraphs and table cells in document order, with zip-bomb guards."""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

from civicnlp.errors import Errors, ReadError

__all__ = ["read_docx"]

MAX_UNPACKED = 200 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_RATIO = 200
# bytes unpacked at a time while the sizes are verified
_PIECE = 64 * 1024


def _check_zip(data: bytes, path: str) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise ReadError(Errors.E106, path=path, detail=f"not a zip archive: {exc}") from None
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ReadError(Errors.E110, path=path, detail=f"{len(infos)} entries")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED or total > MAX_RATIO * max(len(data), 1):
        raise ReadError(Errors.E110, path=path, detail=f"{total} bytes unpacked from {len(data)}")
    if "word/document.xml" not in zf.namelist():
        raise ReadError(Errors.E106, path=path, detail="no word/document.xml inside")
    _verify_sizes(zf, infos, path)


def _verify_sizes(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], path: str) -> None:
    """Unpack every entry in small pieces, keeping none, to prove it is no larger than it says.

    The sizes checked above are the ones the archive *declares*; an archive that lies about them
    (a small declared size over a stream that inflates to gigabytes) would pass, and
    ``zipfile.read`` — what python-docx calls — inflates an entry's whole stream in one call
    before it cuts it to the declared size. Reading in pieces stops at the declared size (and
    fails the CRC check when there is more), so memory and work stay bounded by the declared
    sizes plus one piece per entry.
    """
    for info in infos:
        if info.is_dir():
            continue
        try:
            with zf.open(info) as fh:
                while fh.read(_PIECE):
                    pass
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise ReadError(Errors.E106, path=path, detail=f"entry {info.filename!r} is damaged: {exc}") from None


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs (and nested tables) on one line, so that a table row stays one line."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    parts: list[str] = []
    for block in cell.iter_inner_content():
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.extend(_row_line(row) for row in block.rows)
    return " ".join(p.strip() for p in parts if p.strip()).replace("\t", " ")


def _row_line(row: Any) -> str:
    """One table row: its cells joined by tabs; a cell spanning several columns counted once."""
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        key = id(cell._tc)
        if key in seen:  # a horizontally merged cell is repeated once per grid column
            continue
        seen.add(key)
        cells.append(_cell_text(cell))
    return "\t".join(cells).strip("\t")


def read_docx(data: bytes, path: str) -> str:
    """The text of a .docx: one line per body paragraph, one per table row (cells joined by tabs),
    in document order. Headers, footers, comments and text boxes are left out."""
    _check_zip(data, path)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.extend(_row_line(row) for row in block.rows)
        return "\n".join(lines)
    except ReadError:
        raise
    except Exception as exc:  # python-docx raises many kinds on broken files
        raise ReadError(Errors.E106, path=path, detail=f"{type(exc).__name__}: {exc}") from None
