"""The local engine: read every input, run the pipeline, write the records, count all.

``run_extract`` is the engine behind ``civicnlp extract``: units of input (work.py) grouped into
tasks, run by an executor — worker processes (pool.py) or this process — and written in input
order to an output that keeps durable progress (resume.py). ``results_iter`` is the simple
in-process form behind the Python API's ``extract_path``.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from civicnlp.engine import work
from civicnlp.engine.inputs import InputFile, Skipped, iter_inputs
from civicnlp.engine.work import Encoder, Settings, TaskResult, Unit, batch_units, iter_units
from civicnlp.pipeline import Pipeline, Result
from civicnlp.read import ReadOptions, read_file

__all__ = ["Executor", "Output", "Report", "results_iter", "run_extract"]


@dataclass
class Report:
    """What a run did: files, documents, errors, skipped paths, bytes and time."""

    files: int = 0
    documents: int = 0
    errors: int = 0
    bytes: int = 0
    seconds: float = 0.0
    skipped: Skipped = field(default_factory=Skipped)
    error_ids: list[str] = field(default_factory=list)
    resumed: int = 0  # inputs (files or rows) an earlier run had already done
    resumed_errors: int = 0  # error records that earlier run wrote
    notes: list[str] = field(default_factory=list)

    @property
    def mb_per_s(self) -> float:
        """Throughput in megabytes of input per second."""
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        """One line for stderr."""
        resumed = f" (resumed: {self.resumed} inputs were already done)" if self.resumed else ""
        return (
            f"{self.files} files, {self.documents} documents, {self.errors} errors, "
            f"{self.skipped.count} skipped, {self.seconds:.1f} s, {self.mb_per_s:.2f} MB/s{resumed}"
        )


def _file_size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def process_file(pipeline: Pipeline, item: InputFile, options: ReadOptions) -> list[Result]:
    """All results of one input file (documents and error records)."""
    out: list[Result] = []
    for raw in read_file(item.path, item.rel, options):
        out.extend(pipeline.process_raw(raw))
    return out


def results_iter(paths: Iterable[str | Path], pipeline: Pipeline, options: ReadOptions | None = None) -> Iterator[Any]:
    """Results of every input under ``paths`` as an iterator (the API's ``extract_path``)."""
    opts = options or ReadOptions()
    for item in iter_inputs(paths, Skipped()):
        yield from process_file(pipeline, item, opts)


class Executor(Protocol):
    """Runs tasks and yields their results in task order (``pool.Pool``, ``pool.SerialExecutor``)."""

    workers: int

    def map(self, tasks: Iterable[list[Unit]]) -> Iterator[TaskResult]:
        """The result of each task, in order."""
        ...


class Output(Protocol):
    """Where records go (``resume.DurableOutput``, ``resume.StreamOutput``), already opened."""

    @property
    def progress(self) -> Any:
        """``done`` (units written before and during this run), ``last_key`` and ``errors``."""
        ...

    def write(self, data: bytes, keys: list[str], errors: int = 0) -> None:
        """One task's records, the keys of its units, and how many records are errors."""
        ...

    def done_keys(self) -> set[str]:
        """Keys of the units done before this run."""
        ...


def _remaining(paths: Sequence[str | Path], settings: Settings, output: Output, report: Report) -> Iterator[Unit]:
    """The units still to do: all of them, or those after the ``done`` prefix of a resumed run.

    The prefix is checked by the key of its last unit; if the inputs changed since (a file was
    added or removed), the units are matched by key instead, so none is done twice.
    """
    encoder = Encoder(settings.fmt, settings.include_text)
    done = output.progress.done
    report.resumed = done
    report.resumed_errors = output.progress.errors
    units = iter_units(paths, settings.options, report.skipped, encoder)
    if done == 0:
        yield from units
        return
    last: Unit | None = None
    for _ in range(done):
        last = next(units, None)
        if last is None:
            break
    if last is not None and last.key == output.progress.last_key:
        yield from units
        return
    report.notes.append(
        "the inputs changed since the interrupted run; finishing it by matching inputs by name "
        "(new inputs come after the old ones in the output)"
    )
    keys = output.done_keys()
    report.skipped = Skipped()
    for unit in iter_units(paths, settings.options, report.skipped, encoder):
        if unit.key not in keys:
            yield unit


def run_extract(
    paths: Sequence[str | Path],
    settings: Settings,
    executor: Executor,
    output: Output,
    *,
    progress: Callable[[int], None] | None = None,
    task_units: int | None = None,
) -> Report:
    """Extract every input under ``paths`` not yet done and write the records in input order.

    Memory stays bounded: units are read lazily and the executor has a bounded number of tasks
    in flight (``task_units``: units per task, default ``work.TASK_UNITS``). Each task's records
    are written, and its units journaled, as soon as every task before it is written. Ctrl-C
    raises ``KeyboardInterrupt`` with the progress kept.
    """
    report = Report()
    t0 = time.perf_counter()
    # (keys, input bytes, files started) of each task sent and not yet written: bounded by the window
    inflight: deque[tuple[list[str], int, int]] = deque()

    def tasks() -> Iterator[list[Unit]]:
        size = task_units or work.TASK_UNITS
        for task in batch_units(_remaining(paths, settings, output, report), max_units=size):
            inflight.append(([u.key for u in task], sum(u.size for u in task), sum(u.first for u in task)))
            yield task

    for result in executor.map(tasks()):
        keys, size, files = inflight.popleft()
        output.write(result.data, keys, len(result.error_ids))
        report.files += files
        report.bytes += size
        report.documents += result.documents
        report.errors += len(result.error_ids)
        report.error_ids.extend(result.error_ids)
        if progress:
            progress(size)
    report.seconds = time.perf_counter() - t0
    return report
