"""civicnlp inside spaCy: the civic tokenizer and the ``civic_structure_v1`` component.

>>> import civicnlp
>>> nlp = civicnlp.load()                      # doctest: +SKIP
>>> doc = nlp(text)                            # doctest: +SKIP
>>> doc._.doc_type, [s.text for s in doc.spans["civic_units"]]   # doctest: +SKIP

Importing this module registers ``civicnlp.CivicTokenizer.v1`` (``spacy.registry.tokenizers``)
and the ``civic_structure_v1`` factory; after ``pip install civicnlp`` the ``spacy_factories``
and ``spacy_tokenizers`` entry points do the same, so ``spacy.load`` of a saved pipeline and
``nlp.add_pipe("civic_structure_v1")`` work without importing civicnlp first.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from civicnlp.spacy_ext.component import FACTORY, CivicStructure, make_civic_structure
from civicnlp.spacy_ext.spans import DOC_EXTENSIONS, GROUPS, SPAN_EXTENSIONS, annotate
from civicnlp.spacy_ext.tokenizer import TOKENIZER_NAME, CivicTokenizer, create_civic_tokenizer

__all__ = [
    "DOC_EXTENSIONS",
    "FACTORY",
    "GROUPS",
    "SPAN_EXTENSIONS",
    "TOKENIZER_NAME",
    "CivicStructure",
    "CivicTokenizer",
    "create_civic_tokenizer",
    "load",
    "make_civic_structure",
    "part_docs",
]


def load(model: str | Path | None = None) -> Language:
    """A Chinese spaCy pipeline: the civic tokenizer, then ``civic_structure_v1``.

    ``model`` is a civicnlp model folder (default: the bundled model). A bad folder raises
    the catalogue's ``CivicError`` here, not at the first document.
    """
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    comp = nlp.add_pipe(FACTORY, config={"model": str(model) if model is not None else None})
    assert isinstance(comp, CivicStructure)
    comp.pipeline  # noqa: B018 - load the model now so that a bad folder fails here
    return nlp


def _component(nlp: Language) -> CivicStructure:
    for _, proc in nlp.pipeline:
        if isinstance(proc, CivicStructure):
            return proc
    raise ValueError(f"the pipeline has no {FACTORY} component; add it with nlp.add_pipe({FACTORY!r})")


def part_docs(nlp: Language, text: str, *, doc_id: str = "text") -> Iterator[Doc]:
    """One ``Doc`` per document of ``text`` (the parts of a compilation), as ``civicnlp.extract``
    splits it; each Doc's text is its part's normalized text, and ``doc._.civic`` is that part's
    record (with ``id`` and ``source.part``). The pipeline's other components run after ours.
    """
    comp = _component(nlp)
    for document in comp.pipeline.process_text(text, doc_id=doc_id, path=doc_id):
        doc = nlp.make_doc(document.text)
        annotate(doc, document, lambda pos: pos)
        for _, proc in nlp.pipeline:
            if proc is not comp:
                doc = proc(doc)
        yield doc
