"""The local engine: read every input, run the pipeline, hand records to a sink, count all."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from civicnlp.engine.inputs import InputFile, Skipped, iter_inputs
from civicnlp.pipeline import ErrorRecord, Pipeline, Result
from civicnlp.read import ReadOptions, read_file

__all__ = ["Report", "run_local"]


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

    @property
    def mb_per_s(self) -> float:
        """Throughput in megabytes of input per second."""
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        """One line for stderr."""
        return (
            f"{self.files} files, {self.documents} documents, {self.errors} errors, "
            f"{self.skipped.count} skipped, {self.seconds:.1f} s, {self.mb_per_s:.2f} MB/s"
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


def run_local(
    paths: Iterable[str | Path],
    pipeline: Pipeline,
    sink: Callable[[Result], None],
    *,
    options: ReadOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Run ``pipeline`` over every input under ``paths`` in sorted order; ``sink`` gets each result."""
    opts = options or ReadOptions()
    report = Report()
    t0 = time.perf_counter()
    for item in iter_inputs(paths, report.skipped):
        report.files += 1
        size = _file_size(item.path)
        report.bytes += size
        for res in process_file(pipeline, item, opts):
            _count(report, res)
            sink(res)
        if progress:
            progress(size)
    report.seconds = time.perf_counter() - t0
    return report


def _count(report: Report, res: Result) -> None:
    if isinstance(res, ErrorRecord):
        report.errors += 1
        report.error_ids.append(res.id)
    else:
        report.documents += 1


def results_iter(paths: Iterable[str | Path], pipeline: Pipeline, options: ReadOptions | None = None) -> Iterator[Any]:
    """Results of every input under ``paths`` as an iterator (the API's ``extract_path``)."""
    opts = options or ReadOptions()
    for item in iter_inputs(paths, Skipped()):
        yield from process_file(pipeline, item, opts)
