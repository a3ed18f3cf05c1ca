"""Durable progress: output that survives Ctrl-C, a crash or ``kill -9``, and is finished by a rerun.

Records go to ``OUT.partial``. After each task, the units it covered are appended to the journal
``OUT.journal`` — one JSON line ``{"n": units done so far, "end": bytes of OUT.partial they
fill, "errors": error records so far, "keys": [the task's unit keys]}`` — after the records themselves were written. A rerun with
``--resume`` reads the journal, cuts ``OUT.partial`` back to the last journaled end (dropping any
records, or half a line, written after it), skips the units already done and appends the rest.
At the end ``OUT.partial`` is renamed to ``OUT`` and the journal removed, so ``OUT`` only ever
appears whole. The journal's first line names the command (inputs and options); a journal of a
different command is refused rather than mixed in.

Both files are flushed to the operating system after every task (enough for a killed process)
and synced to disk every few seconds and at the end (for a power cut, a journaled end past the
file's real size is found and the journal rolled back to the last entry that fits).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from civicnlp.errors import CivicError, Errors

__all__ = ["DurableOutput", "Progress", "StreamOutput", "journal_path", "partial_path"]

JOURNAL_FORMAT = "civicnlp.journal/1"


def partial_path(target: str | Path) -> Path:
    """Where the records of an unfinished run are: ``OUT.partial``."""
    return Path(f"{target}.partial")


def journal_path(target: str | Path) -> Path:
    """Where the progress of an unfinished run is: ``OUT.journal``."""
    return Path(f"{target}.journal")


@dataclass
class Progress:
    """How far a run got: ``done`` units (a prefix of the input order) filling ``end`` bytes."""

    done: int = 0
    end: int = 0
    last_key: str | None = None
    errors: int = 0  # error records among them


class StreamOutput:
    """Records to a stream (standard output): no progress is kept, nothing can be resumed."""

    def __init__(self, stream: BinaryIO, header: bytes = b"") -> None:
        self._stream = stream
        self._header = header
        self.progress = Progress()
        self.discarded = False

    def open(self, resume: bool = False) -> Progress:
        """Start writing (``resume`` is not possible on a stream)."""
        if resume:
            raise CivicError(Errors.E406)
        self._stream.write(self._header)
        return self.progress

    def write(self, data: bytes, keys: list[str], errors: int = 0) -> None:
        """Write one task's records (``errors``: how many are error records)."""
        self._stream.write(data)
        self._stream.flush()
        self.progress.done += len(keys)
        self.progress.errors += errors

    def done_keys(self) -> set[str]:
        """Keys of the units done before this run: none."""
        return set()

    def finish(self) -> None:
        """Flush the stream."""
        self._stream.flush()

    def close(self) -> None:
        """Flush what was written."""
        self._stream.flush()


class DurableOutput:
    """Records to ``OUT.partial`` with a journal, renamed to ``OUT`` when the run completes."""

    def __init__(
        self, target: str | Path, command: dict[str, Any], *, header: bytes = b"", sync_s: float = 2.0
    ) -> None:
        self.target = Path(target)
        self.partial = partial_path(target)
        self.journal = journal_path(target)
        self.command = command
        self.progress = Progress()
        self.discarded = False  # an earlier run's progress was thrown away (no --resume)
        self._header = header
        self._sync_s = sync_s
        self._last_sync = 0.0
        self._out: BinaryIO | None = None
        self._log: BinaryIO | None = None

    # --- starting -------------------------------------------------------------------------
    def open(self, resume: bool = False) -> Progress:
        """Start a fresh run, or (``resume``) continue the one the journal describes.

        The journal is locked for the whole run: a second run writing the same output at the
        same time is refused (``E408``) instead of interleaving with this one.
        """
        self.target.parent.mkdir(parents=True, exist_ok=True)
        existed = self.journal.exists() and self.journal.stat().st_size > 0
        self._log = open(self.journal, "a+b")  # noqa: SIM115
        try:
            _lock(self._log, self.target)
            found = self._recover() if resume and existed else None
            if found is None:
                self.discarded = existed
                self._log.truncate(0)
                self._log.write(_line({"format": JOURNAL_FORMAT, "command": self.command}))
                self._log.flush()
                os.fsync(self._log.fileno())
                self.progress = Progress()
                with open(self.partial, "wb"):
                    pass
            else:
                self.progress, journal_end = found
                self._log.truncate(journal_end)
            self._out = open(self.partial, "r+b" if self.partial.exists() else "w+b")  # noqa: SIM115
        except BaseException:
            self._log.close()
            self._log = None
            raise
        self._out.truncate(self.progress.end)
        self._out.seek(self.progress.end)
        if self.progress.end == 0 and self._header:
            self._out.write(self._header)
            self.progress.end = len(self._header)
        self._last_sync = time.monotonic()
        return self.progress

    def _entries(self) -> Iterator[tuple[dict[str, Any], int]]:
        """The journal's entries after its header, each with the byte offset where its line ends;
        stops at a torn last line."""
        with open(self.journal, "rb") as log:
            head = log.readline()
            try:
                meta = json.loads(head)
            except ValueError:
                meta = None
            if not isinstance(meta, dict) or meta.get("format") != JOURNAL_FORMAT or not head.endswith(b"\n"):
                return
            if meta.get("command") != self.command:
                raise CivicError(
                    Errors.E405, path=str(self.journal), detail=_difference(meta.get("command"), self.command)
                )
            yield meta, log.tell()
            for line in log:
                if not line.endswith(b"\n"):
                    return
                try:
                    entry = json.loads(line)
                    int(entry["n"]), int(entry["end"]), list(entry["keys"])
                except (ValueError, KeyError, TypeError):
                    return
                yield entry, log.tell()

    def _recover(self) -> tuple[Progress, int] | None:
        """The last journaled progress that the partial file really holds, and where that entry's
        line ends in the journal; None when the journal is unusable (start over)."""
        size = self.partial.stat().st_size if self.partial.exists() else 0
        best: tuple[Progress, int] | None = None
        for entry, line_end in self._entries():
            if "format" in entry:  # the header: nothing done yet
                best = (Progress(), line_end)
                continue
            if entry["end"] > size:
                break
            keys = entry["keys"]
            last = keys[-1] if keys else None
            best = (Progress(entry["n"], entry["end"], last, int(entry.get("errors", 0))), line_end)
        return best

    def done_keys(self) -> set[str]:
        """Keys of every unit the journal counts as done (used when the inputs changed order)."""
        keys: set[str] = set()
        for entry, _ in self._entries():
            if "format" in entry:
                continue
            if entry["n"] > self.progress.done:
                break
            keys.update(entry["keys"])
        return keys

    # --- running --------------------------------------------------------------------------
    def write(self, data: bytes, keys: list[str], errors: int = 0) -> None:
        """Write one task's records (``errors``: how many are error records), then journal its
        units as done."""
        assert self._out is not None and self._log is not None, "open() first"
        self._out.write(data)
        self._out.flush()
        p = self.progress
        p.end += len(data)
        p.done += len(keys)
        p.errors += errors
        if keys:
            p.last_key = keys[-1]
        self._log.write(_line({"n": p.done, "end": p.end, "errors": p.errors, "keys": keys}))
        self._log.flush()
        now = time.monotonic()
        if now - self._last_sync >= self._sync_s:
            self._sync()
            self._last_sync = now

    def _sync(self) -> None:
        for fh in (self._out, self._log):  # records before the journal that counts them
            if fh is not None:
                fh.flush()
                os.fsync(fh.fileno())

    def finish(self) -> None:
        """The run is complete: ``OUT.partial`` becomes ``OUT``, the journal goes."""
        assert self._out is not None and self._log is not None, "open() first"
        self._sync()
        self._out.close()
        self._out = None
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(self.partial, 0o666 & ~mask)
        os.replace(self.partial, self.target)
        self.journal.unlink()
        self._log.close()  # releases the lock
        self._log = None

    def close(self) -> None:
        """Stop writing, keeping the progress (after an interrupt or a failure)."""
        if self._out is not None and self._log is not None:
            self._sync()
        for fh in (self._out, self._log):
            if fh is not None:
                fh.close()
        self._out = self._log = None


def _lock(fh: BinaryIO, target: Path) -> None:
    """Hold an exclusive lock on the open journal, or refuse: another run writes this output."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        return
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise CivicError(Errors.E408, path=str(target)) from None


def _line(obj: dict[str, Any]) -> bytes:
    return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")


def _difference(old: object, new: dict[str, Any]) -> str:
    """Which option differs between two commands, for the error message."""
    if not isinstance(old, dict):
        return "unreadable command"
    diff = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    return "differs in: " + ", ".join(diff) if diff else "differs"
