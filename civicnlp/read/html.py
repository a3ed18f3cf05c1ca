"""HTML: the visible text, block elements as line breaks; script, style and navigation dropped.

Parsed with BeautifulSoup over lxml (a real parser, no regexes) and walked with an explicit stack,
so that a page nested a hundred thousand levels deep cannot exhaust Python's recursion limit.
"""

from __future__ import annotations

from typing import Any

from civicnlp.errors import Errors, ReadError
from civicnlp.read.encoding import decode

__all__ = ["html_to_text", "read_html"]

# never visible, or page chrome rather than the document
_DROP = frozenset(
    {
        "head",
        "title",
        "meta",
        "link",
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "aside",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "form",
        "button",
        "select",
        "input",
        "textarea",
        "menu",
    }
)
# page header/footer are chrome at page level; inside an article they hold its title and date
_CHROME = frozenset({"header", "footer"})
_KEEP_CHROME_IN = frozenset({"article", "main"})
_BLOCK = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_CELL = frozenset({"td", "th"})
_ASCII_SPACE = " \t\n\r\f"
_TRANSLATE = str.maketrans({c: " " for c in _ASCII_SPACE})

# gb2312/gbk pages routinely use characters beyond what they declare: read them as GB18030
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8"}


def _hidden(tag: Any) -> bool:
    """An element the page hides: ``hidden``, ``aria-hidden``, or an inline ``display:none``."""
    attrs = tag.attrs or {}
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    style = "".join(str(attrs.get("style", "")).lower().split())
    return "display:none" in style or "visibility:hidden" in style


def _dropped(tag: Any, in_article: bool) -> bool:
    name = tag.name
    if name in _DROP:
        return True
    if name in _CHROME and not in_article:
        return True
    return _hidden(tag)


def html_to_text(markup: str, path: str) -> str:
    """Visible text of an HTML page: one line per block, the cells of a table row joined by tabs.

    Whitespace inside a line collapses as a browser would (ASCII spaces only; NBSP and U+3000
    stay, as the normalization keeps them); ``<pre>`` keeps its line breaks; ``<br>`` breaks.
    """
    try:
        from bs4 import BeautifulSoup
        from bs4.element import NavigableString, Tag

        soup = BeautifulSoup(markup, "lxml")
    except Exception as exc:
        raise ReadError(Errors.E111, path=path, detail=f"{type(exc).__name__}: {exc}") from None

    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        cells = [" ".join(w for w in cell.split(" ") if w) for cell in "".join(current).split("\t")]
        current.clear()
        while cells and not cells[-1]:
            cells.pop()
        while cells and not cells[0]:
            cells.pop(0)
        line = "\t".join(cells)
        if line.strip():
            lines.append(line)

    # explicit stack of (node, entering, state); state = (in_article, in_pre, in_cell); no recursion
    stack: list[tuple[Any, bool, tuple[bool, bool, bool]]] = [(soup, True, (False, False, False))]
    while stack:
        node, entering, (in_article, in_pre, in_cell) = stack.pop()
        if isinstance(node, NavigableString):
            if type(node) is not NavigableString and type(node).__name__ != "CData":
                continue  # comments, doctype, processing instructions
            text = str(node).replace("\t", " ")
            if in_pre and not in_cell:
                for i, part in enumerate(text.replace("\r\n", "\n").split("\n")):
                    if i:
                        flush()
                    current.append(part)
            else:
                current.append(text.translate(_TRANSLATE))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if not entering:
            if name in _CELL and not in_cell:
                current.append("\t")
            elif name in _BLOCK:
                if in_cell:
                    current.append(" ")
                else:
                    flush()
            continue
        if node is not soup and _dropped(node, in_article):
            continue
        if name == "br" or (name in _BLOCK and node is not soup):
            if in_cell:
                current.append(" ")
            else:
                flush()
            if name == "br":
                continue
        stack.append((node, False, (in_article, in_pre, in_cell)))
        state = (in_article or name in _KEEP_CHROME_IN, in_pre or name in ("pre", "listing"), in_cell or name in _CELL)
        for child in reversed(node.contents):
            stack.append((child, True, state))
    flush()
    return "\n".join(lines)


def read_html(data: bytes, path: str) -> tuple[str, str]:
    """Decode an HTML file (a BOM, else its declared charset, else detection) and extract its text.

    Returns ``(text, encoding)``.
    """
    text: str | None = None
    encoding = ""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        from bs4.dammit import EncodingDetector

        declared = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
        if declared:
            codec = _SUPERSETS.get(declared.lower(), declared.lower())
            try:
                text, encoding = data.decode(codec), codec
            except (UnicodeDecodeError, LookupError):
                text = None  # the declaration is wrong: detect instead
    if text is None:
        text, encoding = decode(data, path)
    return html_to_text(text, path), encoding
