"""The ``sklearn`` backend at prediction time: the trained pipeline rebuilt from plain arrays.

A model trained by ``DocTypeClassifier`` is saved as vocabularies (JSON), IDF weights,
coefficients, intercepts and sigmoid calibration parameters (``.npz``, read with
``allow_pickle=False``). ``LinearModel`` recomputes exactly what the scikit-learn pipeline
computes — the same analyzers (``civicnlp.classify.features``), TF (raw / sublinear / binary)
× IDF, L2 normalization per block, block weights, the linear decision function, one sigmoid
per label and normalization to sum 1 — with numpy alone, so loading a model needs no
scikit-learn objects and never unpickles anything. ``tests/test_classify.py`` checks that its
probabilities equal the fitted estimator's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np

from civicnlp.classify.features import Cues, DocView, analyze, make_view
from civicnlp.document import DocType

__all__ = ["Block", "LinearModel"]


@dataclass(frozen=True)
class Block:
    """One feature block: analyzer, TF-IDF options, weight, and its slice of the feature space."""

    name: str
    ngram: tuple[int, int]
    sublinear_tf: bool
    binary: bool
    weight: float
    offset: int
    vocabulary: dict[str, int]
    terms: list[str]


class LinearModel:
    """A calibrated linear document-type model held as numpy arrays (the ``sklearn`` backend)."""

    backend = "sklearn"

    def __init__(
        self,
        *,
        labels: list[str],
        blocks: list[Block],
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        cal_a: np.ndarray,
        cal_b: np.ndarray,
        cues: dict[str, Any],
        max_chars: int,
        word_chars: int | None = None,
        card: dict[str, Any] | None = None,
    ) -> None:
        self.labels = list(labels)
        self.blocks = blocks
        self.idf = idf
        self.coef = coef
        self.intercept = intercept
        self.cal_a = cal_a
        self.cal_b = cal_b
        self.cues = Cues(cues)
        self.max_chars = max_chars
        self.word_chars = word_chars
        self.card = card or {}
        self.n_features = sum(len(b.terms) for b in blocks)

    # -- features -----------------------------------------------------------------------
    def view(self, text: str, title: str | None = None) -> DocView:
        """What the model sees of a document."""
        return make_view(text, title, self.cues, self.max_chars, self.word_chars)

    def vector(self, view: DocView) -> tuple[np.ndarray, np.ndarray]:
        """The document's feature vector as (indices, values), like one row of the sklearn matrix."""
        all_idx: list[np.ndarray] = []
        all_val: list[np.ndarray] = []
        for block in self.blocks:
            # count each feature in C (Counter) and look the distinct ones up with map(): no
            # Python-level loop per feature, the hot spot of extraction
            counts = Counter(analyze(block.name, view, self.cues, block.ngram))
            n = len(counts)
            found = np.fromiter(map(block.vocabulary.get, counts, repeat(-1, n)), dtype=np.int64, count=n)
            freq = np.fromiter(counts.values(), dtype=np.float64, count=n)
            keep = found >= 0
            if not keep.any():
                continue
            order = np.argsort(found[keep], kind="stable")
            idx = found[keep][order]
            tf = freq[keep][order]
            if block.binary:
                tf = np.ones_like(tf)
            if block.sublinear_tf:
                tf = np.log(tf) + 1.0
            idx = idx + block.offset
            val = tf * self.idf[idx]
            norm = float(np.sqrt(np.dot(val, val)))
            if norm > 0.0:
                val = val / norm
            all_idx.append(idx)
            all_val.append(val * block.weight)
        if not all_idx:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        return np.concatenate(all_idx), np.concatenate(all_val)

    # -- prediction ---------------------------------------------------------------------
    def _proba_one(self, view: DocView) -> np.ndarray:
        idx, val = self.vector(view)
        decision = self.coef[:, idx] @ val + self.intercept
        calibrated = 1.0 / (1.0 + np.exp(self.cal_a * decision + self.cal_b))
        if len(self.labels) == 2:
            return np.array([1.0 - calibrated[0], calibrated[0]])
        total = float(calibrated.sum())
        if total == 0.0:
            return np.full(len(self.labels), 1.0 / len(self.labels))
        out: np.ndarray = calibrated / total
        return out

    def predict_proba(self, texts: Iterable[str], titles: Iterable[str | None] | None = None) -> np.ndarray:
        """Probabilities, one row per text, columns in ``labels`` order (a bare str → E306)."""
        from civicnlp.classify.estimator import check_documents

        docs = check_documents(texts)
        heads = list(titles) if titles is not None else [None] * len(docs)
        rows = [self._proba_one(self.view(t, h)) for t, h in zip(docs, heads, strict=True)]
        return np.vstack(rows) if rows else np.zeros((0, len(self.labels)))

    def classify(self, text: str, title: str | None = None) -> DocType:
        """The document type of one document, with every label's probability."""
        proba = self._proba_one(self.view(text, title))
        best = int(np.argmax(proba))
        scores = {label: float(p) for label, p in zip(self.labels, proba, strict=True)}
        return DocType(label=self.labels[best], score=float(proba[best]), scores=scores)

    def explain(
        self, text: str, title: str | None = None, top: int = 8, blocks: Iterable[str] | None = None
    ) -> list[tuple[str, float]]:
        """The features that weighed most for the chosen label: ``(block:feature, contribution)``,
        largest first; ``blocks`` keeps only features of those blocks (e.g. the n-gram blocks)."""
        view = self.view(text, title)
        idx, val = self.vector(view)
        if blocks is not None:
            keep = np.zeros(len(idx), dtype=bool)
            for block in self.blocks:
                if block.name in set(blocks):
                    keep |= (idx >= block.offset) & (idx < block.offset + len(block.terms))
            idx, val = idx[keep], val[keep]
        best = int(np.argmax(self._proba_one(view)))
        if len(self.labels) == 2:
            contrib = val * self.coef[0, idx] * (1.0 if best == 1 else -1.0)
        else:
            contrib = val * self.coef[best, idx]
        order = np.argsort(-contrib)[:top]
        return [(self.feature_name(int(idx[i])), float(contrib[i])) for i in order if contrib[i] > 0]

    def feature_name(self, j: int) -> str:
        """``block:term`` of feature ``j``."""
        for block in self.blocks:
            if block.offset <= j < block.offset + len(block.terms):
                return f"{block.name}:{block.terms[j - block.offset]}"
        raise IndexError(j)
