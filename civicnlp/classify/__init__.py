"""Document-type classification: models are folders of data files, loaded without unpickling.

The default model lives in the repository's top-level ``models/default/``. Where it is looked
for, first found wins:

1. ``$CIVICNLP_MODEL`` (a model folder), when set;
2. ``models/default`` next to the ``civicnlp`` package (a source checkout or editable install);
3. ``<prefix>/share/civicnlp/models/default`` (the wheel's data files, for a regular install).

See ``civicnlp.classify.model_io`` for the folder format and the backends.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path
from typing import Protocol

from civicnlp.document import DocType

__all__ = ["Classifier", "default_model_path", "load_model", "model_search_path"]


class Classifier(Protocol):
    """What the pipeline needs of a model: a label with probabilities for a text."""

    labels: list[str]

    def classify(self, text: str, title: str | None = None) -> DocType:
        """The document type of one document."""
        ...


def model_search_path() -> list[Path]:
    """The folders where the default model is looked for, in order."""
    env = os.environ.get("CIVICNLP_MODEL")
    if env:
        return [Path(env)]
    out = [Path(__file__).resolve().parent.parent.parent / "models" / "default"]
    for prefix in dict.fromkeys([sysconfig.get_paths()["data"], sys.prefix, sys.base_prefix]):
        out.append(Path(prefix) / "share" / "civicnlp" / "models" / "default")
    return out


def default_model_path() -> Path:
    """The folder of the default model shipped with civicnlp (the first candidate holding one)."""
    candidates = model_search_path()
    for folder in candidates:
        if (folder / "model.json").is_file():
            return folder
    return candidates[0]


def load_model(path: str | Path | None = None) -> Classifier | None:
    """Load a model folder (``None``: the default model); None while no default model exists."""
    from civicnlp.classify.model_io import load_model_dir

    folder = Path(path) if path is not None else default_model_path()
    if path is None and not (folder / "model.json").exists():
        return None
    return load_model_dir(folder)
