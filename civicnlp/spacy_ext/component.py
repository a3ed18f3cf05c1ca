"""The spaCy component ``civic_structure_v1``: civicnlp's whole pipeline on one ``Doc``.

How a ``Doc`` maps onto civicnlp (the one decision this module makes):

* ``doc.text`` is normalized exactly as ``civicnlp.extract`` normalizes an input
  (``civicnlp.text.normalize``), and the record is built by ``civicnlp.pipeline.Pipeline``
  over the same text that ``civicnlp.extract(doc.text)`` would use, so ``doc._.civic`` equals
  ``civicnlp.extract(doc.text)[0].to_dict()`` for a text that is one document.
* The record's offsets point into its normalized ``text``; span offsets are mapped back to
  ``doc.text`` through ``Normalized.source_offset`` and cut with ``alignment_mode="expand"``.
* A ``Doc`` is one document: a compilation is not split (the record covers the whole text
  and carries warning E203). ``civicnlp.spacy_ext.part_docs`` gives one ``Doc`` per part.

This module deliberately has no ``from __future__ import annotations``: spaCy validates the
factory's config against its runtime annotations.
"""

import json
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from civicnlp.document import SCHEMA, Source
from civicnlp.errors import Errors
from civicnlp.pipeline import Pipeline
from civicnlp.spacy_ext.spans import annotate, register_extensions
from civicnlp.text.normalize import normalize
from civicnlp.text.split import split_parts

__all__ = ["FACTORY", "CivicStructure", "make_civic_structure"]

FACTORY = "civic_structure_v1"
_CFG = "civic.json"
_MODEL_DIR = "model"


class CivicStructure:
    """Sets ``doc.spans["civic_*"]``, span and doc extensions, ``doc.cats`` and ``doc._.civic``."""

    def __init__(self, nlp: Language, name: str = FACTORY, *, model: str | None = None, doc_id: str = "text") -> None:
        self.name = name
        self.model = model
        self.doc_id = doc_id
        self._pipeline: Pipeline | None = None
        register_extensions()

    @property
    def pipeline(self) -> Pipeline:
        """civicnlp's pipeline with this component's model, loaded on first use."""
        if self._pipeline is None:
            from civicnlp import _pipeline

            self._pipeline = _pipeline(self.model)
        return self._pipeline

    def __call__(self, doc: Doc) -> Doc:
        """Extract the record of ``doc.text`` and put it on ``doc``."""
        norm = normalize(doc.text)
        parts = split_parts(norm.text)
        source = Source(path=self.doc_id)
        if len(parts) == 1:
            base, end = parts[0].start, parts[0].end
            document = self.pipeline.build(norm.text[base:end], doc_id=self.doc_id, source=source)
        else:
            base = 0
            document = self.pipeline.build(norm.text, doc_id=self.doc_id, source=source)
            document.warnings.append(Errors.E203.format(id=self.doc_id, parts=len(parts)))
        annotate(doc, document, lambda pos: norm.source_offset(base + pos))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Process a stream of docs one at a time (lazily)."""
        for doc in stream:
            yield self(doc)

    # --- serialization: the model folder travels inside the saved pipeline -------------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write ``civic.json``, and a copy of the model folder when one was given explicitly."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        cfg: dict[str, Any] = {"schema": SCHEMA, "model": None, "doc_id": self.doc_id}
        if self.model is not None:
            target = path / _MODEL_DIR
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(self.model, target)
            cfg["model"] = _MODEL_DIR
        (path / _CFG).write_text(json.dumps(cfg, ensure_ascii=False, indent=1), encoding="utf8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "CivicStructure":
        """Read what ``to_disk`` wrote; a copied model folder replaces the configured one."""
        path = Path(path)
        cfg_file = path / _CFG
        if cfg_file.exists():
            cfg = json.loads(cfg_file.read_text(encoding="utf8"))
            self.doc_id = cfg.get("doc_id", self.doc_id)
            self.model = str(path / cfg["model"]) if cfg.get("model") else None
            self._pipeline = None
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The settings; the model is referred to by its path (use ``to_disk`` to ship it)."""
        return json.dumps({"schema": SCHEMA, "model": self.model, "doc_id": self.doc_id}).encode("utf8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "CivicStructure":
        """Restore the settings written by ``to_bytes``."""
        cfg = json.loads(data.decode("utf8"))
        self.model, self.doc_id = cfg.get("model"), cfg.get("doc_id", self.doc_id)
        self._pipeline = None
        return self


@Language.factory(
    FACTORY,
    default_config={"model": None, "doc_id": "text"},
    assigns=["doc.spans", "doc.cats", "doc._.civic", "doc._.doc_type"],
)
def make_civic_structure(nlp: Language, name: str, model: str | None, doc_id: str) -> CivicStructure:
    """Factory of ``civic_structure_v1``: ``model`` is a model folder (None: the default model)."""
    return CivicStructure(nlp, name, model=model, doc_id=doc_id)
