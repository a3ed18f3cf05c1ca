"""HTML: the visible text, block elements as line breaks; script, style and navigation dropped."""

from __future__ import annotations

from civicnlp.errors import Errors, ReadError

__all__ = ["html_to_text"]

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "template", "iframe", "svg")
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "hr",
    "title",
    "main",
    "td",
    "th",
}


def html_to_text(markup: str, path: str) -> str:
    """Visible text of an HTML page: one line per block, cells of a row joined by tabs."""
    try:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(markup, "lxml")
    except Exception as exc:
        raise ReadError(Errors.E111, path=path, detail=f"{type(exc).__name__}: {exc}") from None
    for tag in soup.find_all(_DROP):
        tag.decompose()
    parts: list[str] = []
    # iterate without recursion so that deeply nested pages cannot exhaust the stack
    for node in soup.descendants:
        name = getattr(node, "name", None)
        if name is None:
            if node.parent is not None and getattr(node.parent, "name", None) in _DROP:
                continue
            if type(node).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                continue
            parts.append(str(node))
        elif name in ("td", "th"):
            parts.append("\t")
        elif name in _BLOCK:
            parts.append("\n")
    lines = [" ".join(line.split()).replace(" \t", "\t").strip("\t ") for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)
