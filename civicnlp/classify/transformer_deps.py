"""The optional ``transformers`` extra: one late import, one clear error when it is missing.

Every torch / transformers / tokenizers / safetensors import of civicnlp goes through
:func:`try_transformers_import`, so ``import civicnlp`` never needs them and a user without the
extra gets an error that names the exact install command.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from civicnlp.errors import CivicError, Errors

__all__ = ["INSTALL", "MissingExtraError", "TransformerLibs", "resolve_device", "try_transformers_import"]

INSTALL = 'pip install "civicnlp[transformers]"'


class MissingExtraError(CivicError, ImportError):
    """E403: the ``transformers`` extra is not installed (also an ``ImportError``)."""


@dataclass(frozen=True)
class TransformerLibs:
    """The imported modules of the extra."""

    torch: Any
    transformers: Any
    tokenizers: Any
    safetensors_torch: Any

    def versions(self) -> dict[str, str]:
        """Library versions for a model card."""
        import safetensors

        return {
            "torch": str(self.torch.__version__),
            "transformers": str(self.transformers.__version__),
            "tokenizers": str(self.tokenizers.__version__),
            "safetensors": str(safetensors.__version__),
        }


def try_transformers_import() -> TransformerLibs:
    """Import the extra's libraries, offline; raise :class:`MissingExtraError` (E403) when absent.

    Hub access is switched off (``HF_HUB_OFFLINE``/``TRANSFORMERS_OFFLINE``) unless the user set
    those variables: civicnlp only ever loads checkpoints from local folders.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import safetensors.torch as safetensors_torch
        import tokenizers
        import torch
        import transformers
    except ImportError as exc:
        missing = getattr(exc, "name", None) or str(exc)
        raise MissingExtraError(Errors.E403, detail=f"{missing} (the transformer backend)", install=INSTALL) from exc
    transformers.logging.set_verbosity_error()
    disable = getattr(transformers.utils.logging, "disable_progress_bar", None)
    if disable is not None:  # civicnlp shows its own progress
        disable()
    return TransformerLibs(torch, transformers, tokenizers, safetensors_torch)


def resolve_device(libs: TransformerLibs, device: str) -> Any:
    """A ``torch.device`` for ``cpu``, ``cuda``, ``cuda:N``, ``mps`` or ``auto`` (cuda when present)."""
    torch = libs.torch
    name = device.strip().lower()
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise CivicError(
            Errors.E403,
            detail=f"device '{device}' was asked for but this torch build sees no CUDA GPU",
            install="a CUDA build of torch (see pytorch.org), or use --device cpu",
        )
    if name == "mps" and not torch.backends.mps.is_available():
        raise CivicError(
            Errors.E403,
            detail="device 'mps' was asked for but is not available",
            install="torch on Apple silicon, or use --device cpu",
        )
    try:
        return torch.device(name)
    except RuntimeError as exc:
        raise CivicError(Errors.E402, value=device, choices="cpu, cuda, cuda:N, mps, auto") from exc
