"""Finding inputs: files and folders, recursive and sorted; what is skipped is counted with why.

A folder is walked depth-first with names in sorted order, so the inputs come in the order of
their relative paths. Directory links are not followed (no loops, no escaping the folder); file
links are read, and a broken or looping one becomes that file's error record when it is read.
Hidden entries (``.git``, ``.DS_Store``) and Office lock files (``~$name.docx``) are skipped and
counted, as are files whose extension civicnlp does not read and things that are not files.

A folder may hold an ignore file, ``.civicnlpignore``: one shell pattern a line (``#`` starts a
comment), matched against the names of that folder's entries; what matches is skipped and
counted as "ignored". The bundled ``corpus/`` uses it to keep its answers (``gold.jsonl``) out.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from civicnlp.read import reader_for

__all__ = ["IGNORE_FILE", "InputFile", "Skipped", "iter_inputs", "safe_name"]

IGNORE_FILE = ".civicnlpignore"


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


def _skip_reason(name: str) -> str | None:
    """Why a folder entry is left out by its name alone, or None."""
    if name.startswith("~$"):
        return "office lock file"
    if name.startswith("."):
        return "hidden"
    return None


def _ignore_patterns(folder: Path) -> list[str]:
    """The patterns of ``folder``'s ignore file; none when it has no (readable) one."""
    try:
        text = (folder / IGNORE_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _walk(top: Path, skipped: Skipped) -> Iterator[InputFile]:
    """Every readable-looking file under the folder ``top``, in sorted relative-path order."""
    # a stack of folders still to list, and of entries to visit (reversed so pop() is sorted order)
    stack: list[tuple[str, bool]] = []  # (path relative to top, is_dir)

    def push_folder(rel_dir: str) -> None:
        folder = top / rel_dir if rel_dir else top
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            skipped.add(f"folder not readable ({exc.strerror or exc})", safe_name(rel_dir or "."))
            return
        found: list[tuple[str, bool]] = []
        patterns = _ignore_patterns(folder) if any(e.name == IGNORE_FILE for e in entries) else []
        for entry in entries:
            rel = os.path.join(rel_dir, entry.name) if rel_dir else entry.name
            if entry.name == IGNORE_FILE:
                continue
            if any(fnmatch.fnmatchcase(entry.name, pat) for pat in patterns):
                skipped.add(f"ignored ({IGNORE_FILE})", safe_name(rel))
                continue
            why = _skip_reason(entry.name)
            if why:
                skipped.add(why, safe_name(rel))
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    found.append((rel, True))
                    continue
                if entry.is_symlink() and entry.is_dir():
                    skipped.add("directory link not followed", safe_name(rel))
                    continue
                if not entry.is_symlink() and not entry.is_file(follow_symlinks=False):
                    skipped.add("not a regular file (a pipe, socket or device)", safe_name(rel))
                    continue
            except OSError:
                pass  # a link we cannot follow: reading it gives its error record
            found.append((rel, False))
        stack.extend(reversed(found))

    push_folder("")
    while stack:
        rel, is_dir = stack.pop()
        if is_dir:
            push_folder(rel)
            continue
        p = top / rel
        if reader_for(p) is None:
            skipped.add(f"unknown extension '{p.suffix or '(none)'}'", safe_name(rel))
            continue
        yield InputFile(p, safe_name(rel))


def iter_inputs(paths: Iterable[str | Path], skipped: Skipped) -> Iterator[InputFile]:
    """Every readable-looking file under ``paths`` in sorted order; others counted in ``skipped``.

    A folder's files get ids relative to that folder; a file named directly gets its own name.
    A link to a folder named directly is followed (once: links inside it are not).
    """
    for top in paths:
        top = Path(top)
        if top.is_dir():
            yield from _walk(top, skipped)
            continue
        rel = safe_name(top.name)
        if reader_for(top) is None and (top.exists() or top.is_symlink()):
            skipped.add(f"unknown extension '{top.suffix or '(none)'}'", rel)
            continue
        yield InputFile(top, rel)
