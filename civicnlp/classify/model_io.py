"""Safe model folders (filled in by issue 5)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from civicnlp.errors import Errors, ModelError

if TYPE_CHECKING:
    from civicnlp.classify import Classifier

__all__ = ["load_model_dir"]


def load_model_dir(folder: Path) -> Classifier:
    """Load the model in ``folder`` without unpickling anything."""
    raise ModelError(Errors.E301, path=str(folder))
