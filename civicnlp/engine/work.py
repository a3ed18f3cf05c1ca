"""The local engine's work: inputs as *units*, units grouped into *tasks*, a task turned into bytes.

A unit is what the resume journal counts as done or not: one document file (read by the worker
that processes it) or one row of a .jsonl/.csv file (read by the main process, so that one big
table is spread over every worker). Units come in a fixed order — the sorted input order — so
the units already written are always a prefix of that order.

A worker turns a task into the encoded output (JSON Lines or CSV rows, as ``RecordWriter``
writes them) and a few counts: only bytes and strings cross process boundaries.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from civicnlp.engine.inputs import InputFile, Skipped, iter_inputs
from civicnlp.pipeline import DEFAULT_TIME_BUDGET, ErrorRecord, Pipeline, Result
from civicnlp.read import RawDoc, ReadOptions, read_file, reader_for
from civicnlp.writers import RecordWriter

__all__ = [
    "Encoder",
    "Settings",
    "TaskResult",
    "Unit",
    "UnitOutput",
    "WorkerState",
    "batch_units",
    "init_worker",
    "iter_units",
    "load_pipeline",
    "run_task",
    "work",
]

# a task holds at most this many units, or about this many bytes of input
TASK_UNITS = 64
TASK_BYTES = 512 * 1024


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to turn tasks into output; small and picklable."""

    model: str | None = None
    time_budget: float = DEFAULT_TIME_BUDGET
    fmt: str = "jsonl"
    include_text: bool = True
    options: ReadOptions = field(default_factory=ReadOptions)


@dataclass(frozen=True)
class UnitOutput:
    """The encoded records of one unit and what they were."""

    data: bytes
    documents: int = 0
    error_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    """One input the journal counts: a document file, a table row, or an already finished row.

    ``key`` is stable across runs of the same command; ``size`` is its input bytes;
    ``first`` marks the first unit of an input file (for the file count).
    """

    key: str
    size: int
    first: bool = True
    file: InputFile | None = None
    raw: RawDoc | None = None
    done: UnitOutput | None = None


@dataclass
class TaskResult:
    """The output of one task: its bytes, in unit order, and the counts."""

    data: bytes = b""
    documents: int = 0
    error_ids: list[str] = field(default_factory=list)


class Encoder:
    """Records to bytes exactly as ``RecordWriter`` writes them (``header``: the CSV header)."""

    def __init__(self, fmt: str = "jsonl", include_text: bool = True) -> None:
        self.include_text = include_text
        self._buf = io.StringIO()
        self._writer = RecordWriter(self._buf, fmt)
        self.header = self._buf.getvalue().encode("utf-8")

    def encode(self, result: Result) -> bytes:
        """One record's line(s)."""
        self._buf.seek(0)
        self._buf.truncate()
        self._writer.write(result.to_dict(include_text=self.include_text))
        return self._buf.getvalue().encode("utf-8")


def load_pipeline(settings: Settings) -> Pipeline:
    """The pipeline with its model, loaded once per process (raises ``CivicError`` for a bad model)."""
    from civicnlp.classify import load_model

    return Pipeline(load_model(settings.model), time_budget=settings.time_budget)


def _file_size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _finished(encoder: Encoder, raw: RawDoc) -> UnitOutput:
    """The output of a row that failed to read: its error record (no model needed)."""
    results = list(Pipeline(None).process_raw(raw))
    return UnitOutput(
        b"".join(encoder.encode(r) for r in results),
        documents=sum(1 for r in results if not isinstance(r, ErrorRecord)),
        error_ids=tuple(r.id for r in results if isinstance(r, ErrorRecord)),
    )


def iter_units(paths: Iterable[str | Path], options: ReadOptions, skipped: Skipped, encoder: Encoder) -> Iterator[Unit]:
    """Every unit under ``paths`` in input order; rows of .jsonl/.csv files are read here.

    A row that failed to read comes as a finished unit (its error record already encoded), so
    that no exception object has to cross a process boundary.
    """
    for item in iter_inputs(paths, skipped):
        # journal keys are UTF-8 text, unique even for file names that are not UTF-8
        base = os.fsencode(item.path).decode("utf-8", "backslashreplace")
        if reader_for(item.path) != "rows":
            yield Unit(key=base, size=_file_size(item.path), file=item)
            continue
        for n, raw in enumerate(read_file(item.path, item.rel, options), start=1):
            size = len(raw.text.encode("utf-8"))
            key = f"{base}#{n}"
            if raw.error is not None:
                yield Unit(key=key, size=size, first=n == 1, done=_finished(encoder, raw))
            else:
                yield Unit(key=key, size=size, first=n == 1, raw=raw)


def batch_units(
    units: Iterable[Unit], max_units: int = TASK_UNITS, max_bytes: int = TASK_BYTES
) -> Iterator[list[Unit]]:
    """Group units into tasks of at most ``max_units`` units or about ``max_bytes`` of input."""
    task: list[Unit] = []
    size = 0
    for unit in units:
        task.append(unit)
        size += unit.size
        if len(task) >= max_units or size >= max_bytes:
            yield task
            task, size = [], 0
    if task:
        yield task


def run_task(pipeline: Pipeline, encoder: Encoder, options: ReadOptions, task: list[Unit]) -> TaskResult:
    """Read, extract and encode every unit of ``task``, in order."""
    out = TaskResult()
    chunks: list[bytes] = []
    for unit in task:
        if unit.done is not None:
            chunks.append(unit.done.data)
            out.documents += unit.done.documents
            out.error_ids.extend(unit.done.error_ids)
            continue
        if unit.file is not None:
            raws: Iterable[RawDoc] = read_file(unit.file.path, unit.file.rel, options)
        else:
            raws = [unit.raw] if unit.raw is not None else []
        for raw in raws:
            for res in pipeline.process_raw(raw):
                chunks.append(encoder.encode(res))
                if isinstance(res, ErrorRecord):
                    out.error_ids.append(res.id)
                else:
                    out.documents += 1
    out.data = b"".join(chunks)
    return out


@dataclass
class WorkerState:
    """What a worker builds once: the pipeline (with its model) and the record encoder."""

    pipeline: Pipeline
    encoder: Encoder
    options: ReadOptions


def init_worker(settings: Settings) -> WorkerState:
    """Build a worker's state: load the model once for all the tasks it will run."""
    return WorkerState(load_pipeline(settings), Encoder(settings.fmt, settings.include_text), settings.options)


def work(state: WorkerState, task: list[Unit]) -> TaskResult:
    """Run one task with a worker's state."""
    return run_task(state.pipeline, state.encoder, state.options, task)
