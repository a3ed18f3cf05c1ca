"""The civic tokenizer: jieba with civicnlp's civic dictionary, on a private ``jieba.Tokenizer``.

The dictionary is ``civicnlp/lexicon/civic_dict.txt`` in jieba's user-dictionary format
(``word freq tag`` per line). It is loaded into a tokenizer of civicnlp's own, so importing or
using civicnlp never changes a user's global ``jieba`` (its dictionary, its words, its cache
of cuts). Each term gets at least the frequency jieba needs to keep it whole
(``suggest_freq``), so 新时代文明实践站 or 牵头领导 always come out as one token.

>>> from civicnlp.tokenize import tokenize
>>> tokenize("各社区网格员负责垃圾分类")  # doctest: +SKIP
['各', '社区', '网格员', '负责', '垃圾分类']
"""

from __future__ import annotations

import logging
import sys
import threading
import types
from functools import lru_cache
from importlib import resources

import jieba

__all__ = ["DICT_NAME", "civic_terms", "get_tokenizer", "tokenize"]

DICT_NAME = "civic_dict.txt"

_LOCK = threading.Lock()
_TOKENIZER: list[jieba.Tokenizer] = []


def civic_terms() -> list[tuple[str, int, str]]:
    """The civic dictionary's entries as ``(word, freq, tag)``, in file order."""
    text = resources.files("civicnlp.lexicon").joinpath(DICT_NAME).read_text(encoding="utf-8")
    entries: list[tuple[str, int, str]] = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        tag = parts[2] if len(parts) > 2 else "n"
        entries.append((word, freq, tag))
    return entries


def _build() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    # jieba logs "Building prefix dict ..." at DEBUG to stderr; keep it quiet while we build,
    # then put the user's logging level back as it was.
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        tok.initialize()
        for word, freq, tag in civic_terms():
            needed = tok.suggest_freq(word, tune=False)
            tok.add_word(word, max(freq, needed), tag)
    finally:
        logger.setLevel(level)
    return tok


def get_tokenizer() -> jieba.Tokenizer:
    """civicnlp's own jieba tokenizer with the civic dictionary (built once per process)."""
    if not _TOKENIZER:
        with _LOCK:
            if not _TOKENIZER:
                _TOKENIZER.append(_build())
    return _TOKENIZER[0]


@lru_cache(maxsize=4096)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(w for w in get_tokenizer().cut(text) if w.strip())


def tokenize(text: str) -> list[str]:
    """Segment ``text`` into words with jieba and the civic dictionary; whitespace is dropped.

    Raises ``TypeError`` for anything but a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize() takes a str, got {type(text).__name__}")
    return list(_cut(text))


class _CallableModule(types.ModuleType):
    """Importing ``civicnlp.tokenize`` makes it an attribute of ``civicnlp`` in place of the
    ``civicnlp.tokenize()`` function; calling the module keeps ``civicnlp.tokenize(text)`` working."""

    def __call__(self, text: str) -> list[str]:
        return tokenize(text)


sys.modules[__name__].__class__ = _CallableModule
