"""``DocTypeClassifier``: the scikit-learn estimator behind the default model.

TF-IDF over four blocks of features (body character n-grams, civic-tokenizer word n-grams,
the title line's character n-grams, structure tokens — see ``civicnlp.classify.features``),
weighted and joined, then a linear SVM (or logistic regression) whose scores are calibrated into probabilities
(``CalibratedClassifierCV``, sigmoid per label, one model fitted on all data).

It follows scikit-learn's estimator contract: ``__init__`` stores its parameters and nothing
else, learned state lives in attributes ending in ``_``, ``fit`` returns ``self``, and it
clones, cross-validates and grid-searches like any classifier. ``X`` is an iterable of
document texts; a bare ``str`` raises ``CivicError`` E306.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from civicnlp.classify.features import Analyzer, Cues, DocView, default_cues, make_view
from civicnlp.errors import CivicError, Errors

__all__ = ["DocTypeClassifier", "check_documents"]


def check_documents(X: Any) -> list[str]:
    """``X`` as a list of texts; a bare str/bytes (one document, not an iterable of them) → E306."""
    if isinstance(X, str | bytes):
        raise CivicError(Errors.E306, kind=type(X).__name__)
    if not isinstance(X, Iterable):
        raise CivicError(Errors.E306, kind=type(X).__name__)
    docs = list(X)
    for doc in docs:
        if not isinstance(doc, str):
            raise TypeError(f"each document must be a str, got {type(doc).__name__}")
    return docs


class DocTypeClassifier(ClassifierMixin, BaseEstimator):
    """Calibrated linear classifier of civic document types over text + structure features.

    Parameters
    ----------
    char_ngram_range, word_ngram_range, title_ngram_range:
        n-gram ranges of the body-character, word and title-character blocks.
    min_df:
        a feature must occur in at least this many training documents (char and word blocks).
    max_chars:
        how much of a document's start the character block reads.
    word_chars:
        how much of a document's start the word block segments (``None``: ``max_chars``);
        jieba is the costliest feature, so a shorter reach keeps extraction fast.
    char_weight, word_weight, title_weight, structure_weight:
        each block's weight in the joined feature vector.
    C:
        the linear model's inverse regularization strength.
    classifier:
        ``"svm"`` (``LinearSVC``, the default) or ``"logreg"`` (``LogisticRegression``).
    calibration_cv:
        folds used to fit the sigmoid calibration.
    cues:
        the structure cue tables (None: the installed lexicon's, copied at ``fit``).
    """

    def __init__(
        self,
        *,
        char_ngram_range: tuple[int, int] = (1, 3),
        word_ngram_range: tuple[int, int] = (1, 1),
        title_ngram_range: tuple[int, int] = (1, 3),
        min_df: int = 2,
        max_chars: int = 1000,
        word_chars: int | None = 300,
        char_weight: float = 1.0,
        word_weight: float = 1.0,
        title_weight: float = 1.0,
        structure_weight: float = 1.0,
        C: float = 0.5,
        classifier: str = "svm",
        calibration_cv: int = 5,
        cues: dict[str, Any] | None = None,
    ) -> None:
        self.char_ngram_range = char_ngram_range
        self.word_ngram_range = word_ngram_range
        self.title_ngram_range = title_ngram_range
        self.min_df = min_df
        self.max_chars = max_chars
        self.word_chars = word_chars
        self.char_weight = char_weight
        self.word_weight = word_weight
        self.title_weight = title_weight
        self.structure_weight = structure_weight
        self.C = C
        self.classifier = classifier
        self.calibration_cv = calibration_cv
        self.cues = cues

    # -- blocks -------------------------------------------------------------------------
    def block_specs(self) -> list[dict[str, Any]]:
        """The feature blocks as plain data: name, analyzer, n-grams, TF-IDF options, weight."""
        return [
            {"name": "chars", "ngram": list(self.char_ngram_range), "min_df": self.min_df, "sublinear_tf": True,
             "binary": False, "weight": self.char_weight},
            {"name": "words", "ngram": list(self.word_ngram_range), "min_df": self.min_df, "sublinear_tf": True,
             "binary": False, "weight": self.word_weight},
            {"name": "title", "ngram": list(self.title_ngram_range), "min_df": 1, "sublinear_tf": False,
             "binary": True, "weight": self.title_weight},
            {"name": "structure", "ngram": [1, 1], "min_df": 1, "sublinear_tf": False, "binary": True,
             "weight": self.structure_weight},
        ]  # fmt: skip

    def _linear(self) -> LinearSVC | LogisticRegression:
        if self.classifier == "svm":
            return LinearSVC(C=self.C, random_state=0)
        if self.classifier == "logreg":
            return LogisticRegression(C=self.C, max_iter=2000)
        raise ValueError(f"classifier must be 'svm' or 'logreg', got {self.classifier!r}")

    def _views(self, docs: list[str]) -> list[DocView]:
        return [make_view(doc, None, self.cues_obj_, self.max_chars, self.word_chars) for doc in docs]

    # -- scikit-learn API -------------------------------------------------------------
    def fit(self, X: Iterable[str], y: Iterable[str]) -> DocTypeClassifier:
        """Fit on documents ``X`` (texts) and labels ``y``; returns ``self``."""
        docs = check_documents(X)
        labels = np.asarray(list(y))
        if len(labels) != len(docs):
            raise ValueError(f"X has {len(docs)} documents but y has {len(labels)} labels")
        self.cues_ = dict(self.cues) if self.cues is not None else default_cues()
        self.cues_obj_ = Cues(self.cues_)
        specs = self.block_specs()
        union = FeatureUnion(
            [
                (
                    s["name"],
                    TfidfVectorizer(
                        analyzer=Analyzer(s["name"], self.cues_obj_, tuple(s["ngram"])),
                        min_df=s["min_df"],
                        sublinear_tf=s["sublinear_tf"],
                        binary=s["binary"],
                        dtype=np.float64,
                    ),
                )
                for s in specs
                if s["weight"] > 0
            ],
            transformer_weights={s["name"]: s["weight"] for s in specs if s["weight"] > 0},
        )
        clf = CalibratedClassifierCV(self._linear(), method="sigmoid", cv=self.calibration_cv, ensemble=False)
        self.pipeline_ = Pipeline([("features", union), ("clf", clf)]).fit(self._views(docs), labels)
        self.classes_ = self.pipeline_.classes_
        self.blocks_ = [s for s in specs if s["weight"] > 0]
        return self

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Calibrated probabilities, one row per document, columns in ``classes_`` order."""
        check_is_fitted(self, "pipeline_")
        proba: np.ndarray = self.pipeline_.predict_proba(self._views(check_documents(X)))
        return proba

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The most probable label of each document."""
        proba = self.predict_proba(X)
        labels: np.ndarray = self.classes_[np.argmax(proba, axis=1)]
        return labels
