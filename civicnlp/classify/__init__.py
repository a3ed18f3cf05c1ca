"""Document-type classification: models are folders of data files, loaded without unpickling."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from civicnlp.document import DocType

__all__ = ["Classifier", "default_model_path", "load_model"]


class Classifier(Protocol):
    """What the pipeline needs of a model: a label with probabilities for a text."""

    labels: list[str]

    def classify(self, text: str, title: str | None = None) -> DocType:
        """The document type of one document."""
        ...


def default_model_path() -> Path:
    """The folder of the default model shipped with civicnlp."""
    import os

    env = os.environ.get("CIVICNLP_MODEL")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "models" / "default"


def load_model(path: str | Path | None = None) -> Classifier | None:
    """Load a model folder (``None``: the default model); None while no default model exists."""
    from civicnlp.classify.model_io import load_model_dir

    folder = Path(path) if path is not None else default_model_path()
    if path is None and not (folder / "model.json").exists():
        return None
    return load_model_dir(folder)
