"""The civic tokenizer as a spaCy tokenizer, registered as ``civicnlp.CivicTokenizer.v1``.

It segments with :func:`civicnlp.tokenize.tokenize` (its own ``jieba.Tokenizer`` with the civic
dictionary, so the user's global jieba is never changed) and aligns the words back onto the
text, so that ``doc.text`` is always exactly the text given.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry
from spacy.vocab import Vocab

__all__ = ["TOKENIZER_NAME", "CivicTokenizer", "create_civic_tokenizer"]

TOKENIZER_NAME = "civicnlp.CivicTokenizer.v1"


def _words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """Words from the civic tokenizer aligned on ``text`` (whitespace runs become tokens)."""
    from civicnlp.tokenize import tokenize

    words = [w for w in tokenize(text) if w.strip()]
    try:
        return get_words_and_spaces(words, text)
    except ValueError:  # the tokenizer changed the text somewhere: fall back to characters
        return get_words_and_spaces([c for c in text if not c.isspace()], text)


class CivicTokenizer:
    """A spaCy tokenizer over :func:`civicnlp.tokenize.tokenize`; it has no state to save."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        """Tokenize ``text`` into a ``Doc`` whose text is ``text`` unchanged."""
        words, spaces = _words_and_spaces(text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Tokenize a stream of texts lazily."""
        for text in texts:
            yield self(text)

    def initialize(self, get_examples: Callable[[], Any] | None = None, **settings: Any) -> None:
        """Nothing to initialize (the settings of spaCy's own ``zh`` tokenizer are ignored)."""

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The tokenizer's name (it holds no data)."""
        return json.dumps({"tokenizer": TOKENIZER_NAME}).encode("utf8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> CivicTokenizer:
        """Nothing to restore."""
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write a small marker file so that the saved pipeline says which tokenizer it uses."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CivicTokenizer:
        """Nothing to restore."""
        return self


@registry.tokenizers(TOKENIZER_NAME)
def create_civic_tokenizer() -> Callable[[Language], CivicTokenizer]:
    """Registered tokenizer factory: ``[nlp.tokenizer] @tokenizers = "civicnlp.CivicTokenizer.v1"``."""

    def create(nlp: Language) -> CivicTokenizer:
        return CivicTokenizer(nlp.vocab)

    return create
