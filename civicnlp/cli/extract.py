"""``civicnlp extract PATH... -o FILE``: one civicnlp.document/1 record per document."""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from civicnlp.cli.common import add_model_option, add_read_options, fail, positive_int, progress_bar
from civicnlp.errors import CivicError, Errors
from civicnlp.guard import DEFAULT_TIME_BUDGET

if TYPE_CHECKING:
    from civicnlp.engine.local import Executor, Report
    from civicnlp.engine.work import Settings

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``extract`` subcommand."""
    p = sub.add_parser(
        "extract",
        help="extract records from files and folders",
        description="Read files and folders (txt/md, docx, html, jsonl, csv) and write one "
        "civicnlp.document/1 record per document, in input order. Exit 0 when every file was read, "
        "1 when some failed (each has an error record) or the run stopped early, 2 for usage errors, "
        "130 after Ctrl-C. A run writing to a file keeps its progress: after any stop, rerun the "
        "same command with --resume to finish it.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (folders are read recursively)")
    p.add_argument("-o", "--output", default="-", metavar="FILE", help="output file, '-' for stdout (default)")
    p.add_argument("--format", default="jsonl", help="jsonl (default) or csv")
    p.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        metavar="N",
        help="worker processes, each with its own model (default: the number of cores, or 1 for a "
        "small input; 1 runs in this process)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted run of the same command: inputs already written are skipped",
    )
    p.add_argument(
        "--engine",
        choices=("local", "spark"),
        default="local",
        help="local processes (default) or Apache Spark (needs the 'spark' extra and Java)",
    )
    p.add_argument(
        "--master",
        default="local[*]",
        metavar="URL",
        help="Spark master with --engine spark (default: local[*]; e.g. local[2], yarn, spark://host:7077)",
    )
    p.add_argument("--no-text", action="store_true", help="leave each record's text out")
    p.add_argument(
        "--time-budget",
        type=float,
        default=DEFAULT_TIME_BUDGET,
        metavar="S",
        help=f"seconds per document before it gets a partial record with warning E202 "
        f"(default {DEFAULT_TIME_BUDGET:g})",
    )
    add_model_option(p)
    add_read_options(p)
    p.set_defaults(func=run)


def _input_bytes(paths: list[str], limit: int | None) -> int:
    """Bytes of the files the run will read (the engine's own listing of inputs), counted up to
    just past ``limit`` when that is all the caller needs to know."""
    from civicnlp.engine.inputs import Skipped, iter_inputs

    total = 0
    for item in iter_inputs(paths, Skipped()):
        total += _size(item.path)
        if limit is not None and total > limit:
            break
    return total


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def _settings(args: argparse.Namespace) -> Settings:
    from civicnlp.engine.work import Settings
    from civicnlp.read import ReadOptions

    options = ReadOptions(
        text_field=args.text_field,
        id_field=args.id_field,
        max_bytes=args.max_bytes,
    )
    model = os.path.abspath(args.model) if args.model is not None else None
    return Settings(model, args.time_budget, args.format, not args.no_text, options)


def _command(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """What makes two runs the same job (the resume journal refuses another job's progress)."""
    return {
        "paths": [os.path.abspath(p) for p in args.paths],
        "format": settings.fmt,
        "text": settings.include_text,
        "text_field": settings.options.text_field,
        "id_field": settings.options.id_field,
        "max_bytes": settings.options.max_bytes,
        "model": settings.model,
    }


def _resume_command(args: argparse.Namespace) -> str:
    """The command line that finishes an interrupted run."""
    parts = ["civicnlp", "extract", *args.paths, "-o", args.output]
    if args.format != "jsonl":
        parts += ["--format", args.format]
    if args.no_text:
        parts.append("--no-text")
    if args.model is not None:
        parts += ["--model", args.model]
    for opt, value, default in (
        ("--text-field", args.text_field, "text"),
        ("--id-field", args.id_field, "id"),
        ("--max-bytes", args.max_bytes, 50 * 1024 * 1024),
        ("--workers", args.workers, None),
        ("--time-budget", args.time_budget, DEFAULT_TIME_BUDGET),
    ):
        if value != default:
            parts += [opt, str(value)]
    return shlex.join([*parts, "--resume"])


@contextmanager
def _executor(settings: Settings, workers: int) -> Iterator[Executor]:
    """Worker processes, or this process for one worker or where no process can be started."""
    from civicnlp.engine.pool import Pool, PoolUnavailable, SerialExecutor
    from civicnlp.engine.work import init_worker, work

    if workers > 1:
        try:
            with Pool(workers, init_worker, (settings,), work) as pool:
                yield pool
            return
        except PoolUnavailable as exc:
            print(f"civicnlp extract: cannot start worker processes ({exc}); running in one process.", file=sys.stderr)
    with SerialExecutor(init_worker, (settings,), work) as serial:
        yield serial


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """A polite ``kill`` stops the run like Ctrl-C does (progress kept, resume explained)."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def run(args: argparse.Namespace) -> int:
    """Run ``extract``."""
    from civicnlp.writers import FORMATS

    if args.format not in FORMATS:
        return fail(CivicError(Errors.E402, value=args.format, choices=", ".join(FORMATS)))
    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        return fail(CivicError(Errors.E401, path=missing[0]))
    if args.resume and args.output == "-":
        return fail(CivicError(Errors.E406))
    if args.engine == "spark":
        if args.resume:
            return fail(CivicError(Errors.E409))
        return _run_spark(args)
    return _run_local(args)


def _run_local(args: argparse.Namespace) -> int:
    from civicnlp.engine.local import run_extract
    from civicnlp.engine.pool import WorkerError, default_workers
    from civicnlp.engine.resume import DurableOutput, StreamOutput
    from civicnlp.engine.work import TASK_BYTES, Encoder

    settings = _settings(args)
    header = Encoder(settings.fmt, settings.include_text).header
    output: DurableOutput | StreamOutput
    if args.output == "-":
        output = StreamOutput(sys.stdout.buffer, header)
    else:
        output = DurableOutput(args.output, _command(args, settings), header=header)
    # the progress bar (terminal only) needs the whole size; otherwise only whether it is small
    total = _input_bytes(args.paths, None if sys.stderr.isatty() else TASK_BYTES)
    workers = args.workers or default_workers()
    if args.workers is None and total <= TASK_BYTES:
        workers = 1  # one task's worth of input: starting workers would only cost time
    opened = False  # once the output is open, a stop keeps progress that --resume finishes
    with _sigterm_as_interrupt():
        try:
            with _executor(settings, workers) as executor:
                try:
                    progress = output.open(resume=args.resume)
                except OSError as exc:
                    return fail(f"cannot write '{args.output}': {exc.strerror or exc}")
                opened = True
                if output.discarded:
                    print(
                        "civicnlp extract: starting over (an unfinished run's progress was discarded).", file=sys.stderr
                    )
                if progress.done:
                    print(f"civicnlp extract: resuming after {progress.done} inputs already done.", file=sys.stderr)
                try:
                    with progress_bar(total, "extract") as advance:
                        report = run_extract(args.paths, settings, executor, output, progress=advance)
                except BaseException:
                    output.close()
                    raise
                output.finish()
        except CivicError as err:
            return fail(err)
        except WorkerError as err:
            if err.setup:
                return fail(str(err))
            return _stopped(args, output, opened, str(err))
        except KeyboardInterrupt:
            return _stopped(args, output, opened, None)
        except BrokenPipeError:  # `civicnlp extract DIR | head`: the reader is gone
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        except OSError as exc:  # the output cannot be written (disk full …)
            return _stopped(args, output, opened, f"writing the output failed ({exc.strerror or exc})")
    return _finished(report)


def _stopped(args: argparse.Namespace, output: Any, opened: bool, failure: str | None) -> int:
    """Say why a run stopped (``failure``; None: interrupted), what it kept and how to finish it."""
    from civicnlp.engine.resume import partial_path

    resumable = opened and args.output != "-"
    if failure is None:
        print("civicnlp extract: interrupted.", file=sys.stderr)
    elif resumable:
        print(
            f"civicnlp: {CivicError(Errors.E205, detail=failure, partial=partial_path(args.output))}", file=sys.stderr
        )
    else:
        print(f"civicnlp extract: {failure}", file=sys.stderr)
    if resumable:
        print(
            f"  {output.progress.done} inputs are done and kept in {partial_path(args.output)}; finish the job "
            f"with:\n  {_resume_command(args)}",
            file=sys.stderr,
        )
    return 130 if failure is None else 1


def _finished(report: Report) -> int:
    print(f"civicnlp extract: {report.summary()}", file=sys.stderr)
    for note in report.notes:
        print(f"  note: {note}", file=sys.stderr)
    for reason, rels in sorted(report.skipped.reasons.items()):
        print(
            f"  skipped {len(rels)} ({reason}): {', '.join(rels[:5])}{' …' if len(rels) > 5 else ''}", file=sys.stderr
        )
    errors = report.errors + report.resumed_errors
    if errors:
        print(f"  {errors} inputs failed; their error records are in the output.", file=sys.stderr)
    return 1 if errors else 0


def _run_spark(args: argparse.Namespace) -> int:
    from civicnlp.engine.spark import SparkUnavailable, run_spark
    from civicnlp.writers import atomic_output

    settings = _settings(args)
    try:
        with atomic_output(args.output) as stream:
            report = run_spark(args.paths, settings, stream, master=args.master)
    except SparkUnavailable as exc:
        return fail(exc.error)
    except CivicError as err:
        return fail(err)
    return _finished(report)
