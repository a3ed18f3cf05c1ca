"""civicnlp: read Chinese civic documents (倡议书, 工作总结, 工作方案, 工作汇报), tell what kind
each one is, and pull out its structure as data.

>>> import civicnlp
>>> docs = civicnlp.extract("关于开展垃圾分类的倡议书\\n一、从我做起……")
>>> docs[0].to_dict()["schema"]
'civicnlp.document/1'
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from civicnlp.document import SCHEMA, Document
from civicnlp.errors import CivicError

if TYPE_CHECKING:
    from civicnlp.pipeline import Pipeline, Result

__all__ = ["SCHEMA", "CivicError", "Document", "__version__", "extract", "extract_path", "load", "tokenize"]

__version__ = "0.1.0"

_DEFAULT: dict[str | None, Any] = {}


def _pipeline(model: str | Path | None) -> Pipeline:
    from civicnlp.classify import load_model
    from civicnlp.pipeline import Pipeline

    key = str(model) if model is not None else None
    if key not in _DEFAULT:
        _DEFAULT[key] = Pipeline(load_model(model))
    pipe: Pipeline = _DEFAULT[key]
    return pipe


def extract(text: str, *, model: str | Path | None = None, doc_id: str = "text") -> list[Document]:
    """Extract the documents of one text (several when it is a compilation).

    ``model`` is a model folder (default: the bundled model). Returns ``Document`` objects;
    ``doc.to_dict()`` is the ``civicnlp.document/1`` record.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() takes a str, got {type(text).__name__}; for files use extract_path()")
    return list(_pipeline(model).process_text(text, doc_id=doc_id, path=doc_id))


def extract_path(path: str | Path, *, model: str | Path | None = None) -> Iterator[Result]:
    """Extract every document under a file or folder, in sorted order.

    Yields ``Document`` objects, and an ``ErrorRecord`` (``.error`` holds code and message)
    for each input that could not be read — never raises for a bad file.
    """
    from civicnlp.engine.local import results_iter

    yield from results_iter([path], _pipeline(model))


def tokenize(text: str) -> list[str]:
    """Segment ``text`` with jieba and the civic dictionary (never touching global jieba)."""
    from civicnlp.tokenize import tokenize as _tokenize

    return _tokenize(text)


def load(model: str | Path | None = None) -> Any:
    """A spaCy ``Language`` with the civic tokenizer and civicnlp's components."""
    from civicnlp.spacy_ext import load as _load

    return _load(model)
