"""``.docx``: paragraphs and table cells in document order, with zip-bomb guards."""

from __future__ import annotations

import io
import zipfile

from civicnlp.errors import Errors, ReadError

__all__ = ["read_docx"]

MAX_UNPACKED = 200 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_RATIO = 200


def _check_zip(data: bytes, path: str) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError(Errors.E106, path=path, detail=f"not a zip archive: {exc}") from None
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ReadError(Errors.E110, path=path, detail=f"{len(infos)} entries")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED or total > MAX_RATIO * max(len(data), 1):
        raise ReadError(Errors.E110, path=path, detail=f"{total} bytes unpacked from {len(data)}")
    if "word/document.xml" not in zf.namelist():
        raise ReadError(Errors.E106, path=path, detail="no word/document.xml inside")


def read_docx(data: bytes, path: str) -> str:
    """The text of a .docx: one line per paragraph, table rows as cells joined by tabs."""
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
                for row in block.rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        t = cell.text.strip()
                        if not cells or cells[-1] != t:  # merged cells repeat
                            cells.append(t)
                    lines.append("\t".join(cells))
        return "\n".join(lines)
    except ReadError:
        raise
    except Exception as exc:  # python-docx raises many kinds on broken files
        raise ReadError(Errors.E106, path=path, detail=f"{type(exc).__name__}: {exc}") from None
