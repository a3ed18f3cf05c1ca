"""Labeled data for training and evaluation: a folder of label subfolders, or a .jsonl/.csv.

- A folder: each subfolder's name is a label; every file under it (any format the readers
  take: txt/md, docx, html, and .jsonl/.csv rows) is one document of that label.
- A ``.jsonl`` / ``.csv`` file: one document per row, its text in ``text_field`` and its label
  in ``label_field``.

Texts are normalized exactly as the pipeline normalizes what it classifies
(``civicnlp.text.normalize``), so a model sees the same kind of text in training and in use.
Files that cannot be read are counted in ``LabeledData.errors`` and left out.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from civicnlp.errors import CivicError, Errors
from civicnlp.read import RawDoc, ReadOptions, read_file, reader_for

__all__ = ["LabeledData", "data_hash", "load_labeled"]


@dataclass
class LabeledData:
    """Documents with their labels, in a stable order (sorted paths, then row order)."""

    source: str
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    errors: list[CivicError] = field(default_factory=list)
    unlabeled: int = 0
    left_out: Counter[str] = field(default_factory=Counter)

    def counts(self) -> dict[str, int]:
        """Documents per label, labels sorted."""
        return dict(sorted(Counter(self.labels).items()))

    def __len__(self) -> int:
        return len(self.texts)


def data_hash(texts: list[str], labels: list[str]) -> str:
    """sha256 over the (text, label) pairs in order: names the exact data a model was trained on."""
    h = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        h.update(text.encode("utf-8"))
        h.update(b"\x1f")
        h.update(label.encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()


def _add(data: LabeledData, raw: RawDoc, label: str | None, keep: Collection[str] | None) -> None:
    from civicnlp.text.normalize import normalize

    if raw.error is not None:
        data.errors.append(raw.error)
        return
    if not label:
        data.unlabeled += 1
        return
    if keep is not None and label not in keep:
        data.left_out[label] += 1
        return
    text = normalize(raw.text).text
    if not text.strip():
        data.unlabeled += 1
        return
    data.ids.append(raw.id)
    data.texts.append(text)
    data.labels.append(label)


def load_labeled(
    path: str | Path,
    *,
    text_field: str = "text",
    label_field: str = "label",
    id_field: str = "id",
    labels: Collection[str] | None = None,
) -> LabeledData:
    """Read labeled documents from a folder of label subfolders or a .jsonl/.csv file.

    ``labels`` keeps only those labels (the others are counted in ``left_out``). Raises
    ``CivicError`` E401 when ``path`` does not exist and E305 when it holds no labeled document.
    """
    from civicnlp.engine.inputs import Skipped, iter_inputs

    top = Path(path)
    if not top.exists():
        raise CivicError(Errors.E401, path=str(path))
    options = ReadOptions(text_field=text_field, id_field=id_field, label_field=label_field)
    data = LabeledData(source=str(path))
    if top.is_dir():
        for sub in sorted(p for p in top.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for item in iter_inputs([sub], Skipped()):
                for raw in read_file(item.path, f"{sub.name}/{item.rel}", options):
                    _add(data, raw, sub.name, labels)
    elif reader_for(top) == "rows":
        for raw in read_file(top, top.name, options):
            _add(data, raw, raw.label, labels)
    if not data.texts:
        raise CivicError(Errors.E305, path=str(path))
    return data
