"""Finding inputs: files and folders, recursive and sorted; what is skipped is counted with why."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from civicnlp.read import reader_for

__all__ = ["InputFile", "Skipped", "iter_inputs", "safe_name"]


@dataclass(frozen=True)
class InputFile:
    """A file to read, with the id base (its path relative to the input folder)."""

    path: Path
    rel: str


@dataclass
class Skipped:
    """Files not read, by reason (an unknown extension, a directory link not followed …)."""

    reasons: dict[str, list[str]] = field(default_factory=dict)

    def add(self, reason: str, rel: str) -> None:
        """Count one skipped path under ``reason``."""
        self.reasons.setdefault(reason, []).append(rel)

    @property
    def count(self) -> int:
        """How many paths were skipped."""
        return sum(len(v) for v in self.reasons.values())


def safe_name(name: str) -> str:
    """A file name as valid UTF-8 text (undecodable bytes shown as U+FFFD)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def iter_inputs(paths: Iterable[str | Path], skipped: Skipped) -> Iterator[InputFile]:
    """Every readable-looking file under ``paths`` in sorted order; others counted in ``skipped``.

    Directory links are not followed (no loops); file links are read, and a broken or looping
    one becomes that file's error record when it is read.
    """
    for top in paths:
        top = Path(top)
        if top.is_dir() and not top.is_symlink():
            for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
                dirnames.sort()
                base = Path(dirpath)
                for d in list(dirnames):
                    if (base / d).is_symlink():
                        skipped.add("directory link not followed", safe_name(os.path.relpath(base / d, top)))
                for name in sorted(filenames):
                    p = base / name
                    rel = safe_name(os.path.relpath(p, top))
                    if reader_for(p) is None:
                        skipped.add(f"unknown extension '{p.suffix or '(none)'}'", rel)
                        continue
                    yield InputFile(p, rel)
        elif top.is_symlink() and top.is_dir():
            yield from iter_inputs([top.resolve()], skipped)
        else:
            rel = safe_name(top.name)
            if reader_for(top) is None and (top.exists() or top.is_symlink()):
                skipped.add(f"unknown extension '{top.suffix or '(none)'}'", rel)
                continue
            yield InputFile(top, rel)
