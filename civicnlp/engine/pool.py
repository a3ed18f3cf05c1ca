"""An ordered process pool with bounded memory, and the in-process executor it falls back to.

``Pool.map(tasks)`` sends tasks to worker processes through a bounded queue and yields results
in task order. At most ``window`` tasks are in flight (sent but not yet yielded), so neither the
input nor the results pile up, however long the input and however slow one task is: the reader
waits for the writer. (``multiprocessing.Pool.imap`` would instead let its feeder thread read the
whole input into memory.) Each worker builds its state once (``init``: the pipeline and its
model) and ignores Ctrl-C; the main process handles it and stops the workers. Workers also
stop by themselves when the main process dies (``kill -9``), so none is left behind.

Workers are forked on Linux (nothing is imported twice); set ``CIVICNLP_START_METHOD=spawn``
(or ``forkserver``) to choose another start method.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

__all__ = ["Pool", "PoolUnavailable", "SerialExecutor", "WorkerError", "default_workers"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_POLL_S = 0.2  # how often a waiting main process checks that its workers are alive
_READY = -1  # sequence number of a worker's "state built" message


class WorkerError(RuntimeError):
    """A worker failed to start (``setup=True``: e.g. a bad model), died, or raised on a task."""

    def __init__(self, message: str, *, setup: bool = False) -> None:
        super().__init__(message)
        self.setup = setup


class PoolUnavailable(RuntimeError):
    """Worker processes cannot be started here (no semaphores, no fork); run in-process instead."""


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def _describe(exc: BaseException) -> str:
    """A message for an exception from a worker: a civic error's own text, else the traceback."""
    from civicnlp.errors import CivicError

    if isinstance(exc, CivicError):
        return exc.message
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()


def _die_with_parent() -> None:
    """On Linux, have the kernel stop this worker when the main process dies, even by ``kill -9``."""
    if sys.platform != "linux":
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no libc: the idle check still applies
        pass


def _worker(
    init: Callable[..., S],
    init_args: tuple[Any, ...],
    fn: Callable[[S, Any], Any],
    inq: Any,
    outq: Any,
) -> None:
    """A worker process: build the state once, then run tasks until the ``None`` sentinel."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # terminate() stops a worker at once
    _die_with_parent()
    try:
        state = init(*init_args)
    except BaseException as exc:
        outq.put((_READY, False, _describe(exc)))
        return
    outq.put((_READY, True, None))
    parent = os.getppid()
    while True:
        try:
            item = inq.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:  # the main process was killed (kill -9): do not linger
                return
            continue
        if item is None:
            return
        seq, task = item
        try:
            outq.put((seq, True, fn(state, task)))
        except BaseException as exc:
            outq.put((seq, False, _describe(exc)))


def _context() -> Any:
    """``fork`` on Linux (fast, nothing re-imported); ``spawn`` elsewhere."""
    method = os.environ.get("CIVICNLP_START_METHOD") or ("fork" if sys.platform == "linux" else "spawn")
    return mp.get_context(method)


class Pool(Generic[S, T, R]):
    """``workers`` processes, each running ``fn(state, task)`` with ``state = init(*init_args)``.

    Use as a context manager: entering starts the workers and waits until each has built its
    state (raising ``WorkerError(setup=True)`` if one could not, ``PoolUnavailable`` if no
    process can be started); leaving stops them.
    """

    def __init__(
        self,
        workers: int,
        init: Callable[..., S],
        init_args: tuple[Any, ...],
        fn: Callable[[S, T], R],
        *,
        window: int | None = None,
    ) -> None:
        self.workers = workers
        self.window = window or 4 * workers
        self._init, self._init_args, self._fn = init, init_args, fn
        self._procs: list[Any] = []
        self._abandoned = False  # a map() left with tasks in flight: stop the workers at once
        self._inq: Any = None
        self._outq: Any = None

    def __enter__(self) -> Pool[S, T, R]:
        try:
            ctx = _context()
            self._inq = ctx.Queue(maxsize=self.window)
            self._outq = ctx.Queue()
            for _ in range(self.workers):
                p = ctx.Process(
                    target=_worker,
                    args=(self._init, self._init_args, self._fn, self._inq, self._outq),
                    daemon=True,
                )
                p.start()
                self._procs.append(p)
        except (OSError, ValueError, ImportError, NotImplementedError) as exc:
            self._stop(force=True)
            raise PoolUnavailable(f"{type(exc).__name__}: {exc}") from exc
        try:
            for _ in self._procs:
                _seq, ok, payload = self._get()
                if not ok:
                    raise WorkerError(payload, setup=True)
        except BaseException:
            self._stop(force=True)
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop(force=exc_type is not None)

    def _get(self) -> tuple[int, bool, Any]:
        """The next message from the workers; ``WorkerError`` if one of them died meanwhile."""
        while True:
            try:
                msg: tuple[int, bool, Any] = self._outq.get(timeout=_POLL_S)
                return msg
            except queue.Empty:
                dead = [p for p in self._procs if p.exitcode is not None]
                if dead:
                    try:  # its last words (a failed start says why) may have arrived meanwhile
                        last: tuple[int, bool, Any] = self._outq.get(timeout=_POLL_S)
                        return last
                    except queue.Empty:
                        pass
                    raise WorkerError(
                        f"a worker process stopped unexpectedly (exit code {dead[0].exitcode}, "
                        "e.g. killed for lack of memory)"
                    ) from None

    def map(self, tasks: Iterable[T]) -> Iterator[R]:
        """``fn(state, task)`` for each task, yielded in task order, ``window`` tasks in flight."""
        it = iter(tasks)
        done: dict[int, tuple[bool, Any]] = {}
        sent = written = 0
        exhausted = False
        try:
            while True:
                while not exhausted and sent - written < self.window:
                    task = next(it, None)
                    if task is None:
                        exhausted = True
                        break
                    self._inq.put((sent, task))
                    sent += 1
                if written == sent:
                    return
                while written not in done:
                    seq, ok, payload = self._get()
                    done[seq] = (ok, payload)
                ok, payload = done.pop(written)
                written += 1
                if not ok:
                    raise WorkerError(payload)
                yield payload
        finally:
            if written != sent:
                self._abandoned = True

    def _stop(self, *, force: bool) -> None:
        """Stop the workers: politely after a clean run, at once after an error or Ctrl-C."""
        force = force or self._abandoned
        if not force and self._inq is not None:
            for _ in self._procs:
                try:
                    self._inq.put(None, timeout=1.0)
                except (queue.Full, OSError, ValueError):
                    force = True
                    break
        for p in self._procs:
            if force and p.is_alive():
                p.terminate()
            p.join(timeout=5.0)
            if p.is_alive():  # pragma: no cover - a worker stuck in C code
                p.kill()
                p.join()
        self._procs = []
        for q in (self._inq, self._outq):
            if q is not None:
                q.cancel_join_thread()
                q.close()
        self._inq = self._outq = None


class SerialExecutor(Generic[S, T, R]):
    """The same interface as ``Pool``, run in this process (``--workers 1``, or no pool here)."""

    def __init__(self, init: Callable[..., S], init_args: tuple[Any, ...], fn: Callable[[S, T], R]) -> None:
        self._state = init(*init_args)
        self._fn = fn
        self.workers = 1

    def __enter__(self) -> SerialExecutor[S, T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, tasks: Iterable[T]) -> Iterator[R]:
        """``fn(state, task)`` for each task, in order."""
        for task in tasks:
            yield self._fn(self._state, task)
