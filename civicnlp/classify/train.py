"""Training a document-type model: check the counts, cross-validate, fit, save the folder.

Used by ``civicnlp train`` and ``bench/train_default.py``; the metrics are scikit-learn's
(``precision_recall_fscore_support``, ``confusion_matrix``), never hand-written.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from civicnlp.classify.data import LabeledData, data_hash
from civicnlp.classify.estimator import DocTypeClassifier
from civicnlp.errors import Errors, ModelError

__all__ = ["CORE_LABELS", "Metrics", "TrainResult", "cross_validate", "evaluate", "minimum_per_label", "train_model"]

CORE_LABELS = ("initiative", "summary", "plan", "report")


@dataclass
class Metrics:
    """Per-label precision/recall/F1/support, macro-F1, accuracy and the confusion matrix."""

    labels: list[str]
    per_label: dict[str, dict[str, float]]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]

    def to_dict(self) -> dict[str, Any]:
        """The metrics as JSON-able data (for the model card)."""
        return {
            "labels": self.labels,
            "per_label": self.per_label,
            "macro_f1": self.macro_f1,
            "accuracy": self.accuracy,
            "confusion": self.confusion,
        }

    def table(self) -> str:
        """A plain-text report: one line per label, macro-F1, and the confusion matrix."""
        width = max([len(x) for x in self.labels] + [8])
        lines = [f"{'label':<{width}}  precision  recall     f1  support"]
        for label in self.labels:
            m = self.per_label[label]
            lines.append(
                f"{label:<{width}}  {m['precision']:9.3f}  {m['recall']:6.3f}  {m['f1']:5.3f}  {int(m['support']):7d}"
            )
        lines.append(f"{'macro-F1':<{width}}  {self.macro_f1:.4f}   accuracy {self.accuracy:.4f}")
        lines.append("confusion matrix (rows: true label, columns: predicted):")
        cell = max(width, 6)
        lines.append(" " * cell + "".join(f"{x[:cell]:>{cell + 1}}" for x in self.labels))
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append(f"{label[:cell]:<{cell}}" + "".join(f"{n:>{cell + 1}}" for n in row))
        return "\n".join(lines)


def evaluate(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> Metrics:
    """scikit-learn's metrics of ``pred`` against ``gold`` over ``labels``."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    labels = list(labels)
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    per_label = {
        label: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": round(float(f[i]), 4),
                "support": int(s[i])}
        for i, label in enumerate(labels)
    }  # fmt: skip
    return Metrics(
        labels=labels,
        per_label=per_label,
        macro_f1=round(float(np.mean(f)), 4),
        accuracy=round(float(accuracy_score(gold, pred)), 4),
        confusion=confusion_matrix(gold, pred, labels=labels).tolist(),
    )


def minimum_per_label(folds: int, calibration_cv: int) -> int:
    """The fewest documents a label needs: every cross-validation training part must still hold
    ``calibration_cv`` of them for the calibration's own folds."""
    if folds < 2:  # no cross-validation: the calibration's folds alone
        return max(calibration_cv, 2)
    n = max(folds, calibration_cv, 2)
    while n - math.ceil(n / folds) < calibration_cv:
        n += 1
    return n


def check_counts(labels: Sequence[str], minimum: int, source: str = "the data") -> dict[str, int]:
    """Documents per label; E307 with a single label, E304 for the smallest label under ``minimum``."""
    counts = dict(sorted(Counter(labels).items()))
    if len(counts) < 2:
        raise ModelError(Errors.E307, path=source, label=next(iter(counts), ""))
    for label, n in sorted(counts.items(), key=lambda kv: (kv[1], kv[0])):
        if n < minimum:
            raise ModelError(Errors.E304, label=label, count=n, minimum=minimum)
    return counts


def cross_validate(est: DocTypeClassifier, texts: list[str], labels: list[str], folds: int) -> Metrics:
    """Stratified ``folds``-fold cross-validated predictions of a fresh clone of ``est``."""
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    pred = cross_val_predict(clone(est), texts, np.asarray(labels), cv=cv)
    return evaluate(labels, [str(x) for x in pred], sorted(set(labels)))


@dataclass
class TrainResult:
    """What training produced: the model card, the CV metrics (None with ``folds=0``), seconds."""

    card: dict[str, Any]
    cv: Metrics | None
    seconds: float
    cpu_seconds: float


def train_model(
    data: LabeledData,
    out: str | Path,
    *,
    folds: int = 5,
    params: dict[str, Any] | None = None,
) -> TrainResult:
    """Cross-validate (``folds`` >= 2; 0 skips it), fit on all of ``data``, write the folder ``out``."""
    from civicnlp.classify.model_io import save_linear

    t0, c0 = time.perf_counter(), time.process_time()
    est = DocTypeClassifier(**(params or {}))
    minimum = minimum_per_label(folds, est.calibration_cv)
    counts = check_counts(data.labels, minimum, data.source)
    cv = cross_validate(est, data.texts, data.labels, folds) if folds >= 2 else None
    est.fit(data.texts, data.labels)
    info: dict[str, Any] = {
        "training": {
            "data": Path(data.source).name,
            "documents": len(data),
            "counts": counts,
            "data_sha256": data_hash(data.texts, data.labels),
            "left_out": dict(sorted(data.left_out.items())),
            "unreadable": len(data.errors),
        },
        "cross_validation": ({"folds": folds, **cv.to_dict()} if cv is not None else None),
    }
    card = save_linear(est, Path(out), info)
    return TrainResult(card=card, cv=cv, seconds=time.perf_counter() - t0, cpu_seconds=time.process_time() - c0)
