"""Shared test fixtures: paths to the bundled corpus and to ../shared (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"


@pytest.fixture
def shared() -> Path:
    """``../shared``; the test is skipped when it is absent."""
    if not (SHARED / "gold").is_dir():
        pytest.skip(f"../shared is absent ({SHARED}): the shared gold and corpus are not here")
    return SHARED
