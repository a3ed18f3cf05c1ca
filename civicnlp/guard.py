"""Time limits for the work on one document: a deadline that can stop even a regex that hangs.

A stage of the pipeline is plain Python and regular expressions; a pattern that backtracks
catastrophically on a hostile text would run for hours, and a check *between* stages never gets
its turn. ``Deadline.run(fn)`` therefore arms a real-time timer (``SIGALRM`` through
``signal.setitimer``) for the time left: when it fires, the handler raises ``BudgetExceeded``
inside ``fn``, wherever it is. Both ``regex`` and ``re`` check for signals while they match, so
the exception arrives within milliseconds even in the middle of a match.

Where no timer can be used — a thread other than the main one, a platform without
``setitimer``, or a timer someone else (a test runner's timeout) already armed — ``run`` calls
``fn`` unguarded and the caller's checks between stages (``Deadline.expired``) still bound the
run, at stage granularity.

Deadlines nest: a deadline run inside another's ``run`` arms the timer for whichever ends first
and gives the outer one its timer back when it returns. ``BudgetExceeded`` carries the deadline
that ran out, so a caller can tell its own from an outer one.

``BudgetExceeded`` derives from ``BaseException``, not ``Exception``: an ``except Exception``
inside an extractor cannot swallow it and carry on past the budget.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

__all__ = ["DEFAULT_TIME_BUDGET", "BudgetExceeded", "Deadline", "remaining", "timer_available"]

DEFAULT_TIME_BUDGET = 8.0  # seconds per document: over 10x the slowest real document measured (0.58 s)

T = TypeVar("T")

# deadlines whose ``run`` is in progress on the main thread, innermost last
_ACTIVE: list[Deadline] = []
# the SIGALRM handler in place before the outermost ``run`` armed ours
_PREVIOUS: list[Any] = []


class BudgetExceeded(BaseException):
    """The time of ``deadline`` ran out while its ``run`` was in progress."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__(f"time budget of {deadline.seconds:g}s exceeded")
        self.deadline = deadline


def timer_available() -> bool:
    """Whether ``Deadline.run`` can interrupt its function here (the main thread, with ``setitimer``)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    """The timer fired: raise for the earliest deadline that has run out, else re-arm."""
    if not _ACTIVE:  # a late signal after the last run returned: nothing to stop
        return
    now = time.monotonic()
    due = min(_ACTIVE, key=lambda d: d.end)
    if due.end <= now + 0.001:
        raise BudgetExceeded(due)
    signal.setitimer(signal.ITIMER_REAL, due.end - now)


def _foreign_timer() -> bool:
    """Someone else's timer is armed (e.g. a test runner's timeout): leave SIGALRM alone."""
    if _ACTIVE:
        return False
    handler = signal.getsignal(signal.SIGALRM)
    return handler not in (signal.SIG_DFL, signal.SIG_IGN, None) and signal.getitimer(signal.ITIMER_REAL)[0] > 0


class Deadline:
    """``seconds`` from now; ``run(fn)`` calls ``fn`` and stops it with ``BudgetExceeded`` when they pass."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + max(0.0, seconds)

    def remaining(self) -> float:
        """Seconds left (0 when the time is up)."""
        return max(0.0, self.end - time.monotonic())

    @property
    def expired(self) -> bool:
        """Whether the time is up."""
        return time.monotonic() >= self.end

    def run(self, fn: Callable[[], T]) -> T:
        """``fn()``, interrupted by ``BudgetExceeded(self)`` if this deadline passes first.

        Raises ``BudgetExceeded`` at once when the time is already up. Without a usable timer
        (see the module docstring) ``fn`` runs to its end and its result is returned.
        """
        if self.expired:
            raise BudgetExceeded(self)
        if self.end == float("inf") or not timer_available() or _foreign_timer():
            return fn()
        if not _ACTIVE:
            _PREVIOUS.append(signal.signal(signal.SIGALRM, _on_alarm))
        _ACTIVE.append(self)
        try:
            signal.setitimer(signal.ITIMER_REAL, max(0.001, min(d.end for d in _ACTIVE) - time.monotonic()))
            return fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _ACTIVE.remove(self)
            if _ACTIVE:  # an outer run is still in progress: give it its timer back
                signal.setitimer(signal.ITIMER_REAL, max(0.001, min(d.end for d in _ACTIVE) - time.monotonic()))
            else:
                previous = _PREVIOUS.pop()
                signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def remaining() -> float | None:
    """Seconds left to the innermost deadline in progress on this thread, or None.

    For code that wants to bound one call itself, e.g. ``pattern.finditer(text,
    timeout=guard.remaining())`` with the ``regex`` module (``None`` there means no limit).
    """
    if not _ACTIVE or not timer_available():
        return None
    return max(0.001, min(d.end for d in _ACTIVE) - time.monotonic())
