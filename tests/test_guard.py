"""``civicnlp.guard``: a deadline stops a regex that backtracks, nests, and leaves SIGALRM as it was."""

from __future__ import annotations

import signal
import threading
from typing import Any

import pytest
import regex

from civicnlp import guard
from civicnlp.guard import BudgetExceeded, Deadline

# (a|aa)+$ against a long run of a's and one mismatch: exponential in both regex and re
_BAIT = ("(a|aa)+$", "a" * 80 + "!")

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no setitimer on this platform")


def _backtrack() -> Any:
    return regex.search(*_BAIT)


def test_deadline_interrupts_a_catastrophic_regex() -> None:
    d = Deadline(0.2)
    with pytest.raises(BudgetExceeded) as err:
        d.run(_backtrack)
    assert err.value.deadline is d
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_the_re_module_is_interrupted_too() -> None:
    import re

    with pytest.raises(BudgetExceeded):
        Deadline(0.2).run(lambda: re.search(*_BAIT))


def test_except_exception_cannot_swallow_the_budget() -> None:
    def stubborn() -> str:
        try:
            _backtrack()
        except Exception:  # what a careless extractor might do
            return "swallowed"
        return "finished"

    with pytest.raises(BudgetExceeded):
        Deadline(0.2).run(stubborn)


def test_a_result_in_time_is_returned_and_the_timer_disarmed() -> None:
    assert Deadline(5).run(lambda: 42) == 42
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_an_expired_deadline_raises_at_once() -> None:
    d = Deadline(0)
    assert d.expired and d.remaining() == 0
    with pytest.raises(BudgetExceeded):
        d.run(lambda: 1)


def test_nested_deadlines_the_earlier_one_fires_and_the_outer_keeps_its_timer() -> None:
    outer = Deadline(30)

    def body() -> str:
        inner = Deadline(0.2)
        with pytest.raises(BudgetExceeded) as err:
            inner.run(_backtrack)
        assert err.value.deadline is inner
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30  # the outer deadline is armed again
        return "ok"

    assert outer.run(body) == "ok"


def test_an_inner_deadline_longer_than_the_outer_one_cannot_extend_it() -> None:
    outer = Deadline(0.2)
    with pytest.raises(BudgetExceeded) as err:
        outer.run(lambda: Deadline(60).run(_backtrack))
    assert err.value.deadline is outer


def test_a_previous_handler_is_restored() -> None:
    def mine(signum: int, frame: Any) -> None:
        pass

    old = signal.signal(signal.SIGALRM, mine)
    try:
        assert Deadline(5).run(lambda: 1) == 1
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, old)


def test_someone_elses_armed_timer_is_left_alone() -> None:
    fired: list[int] = []
    old = signal.signal(signal.SIGALRM, lambda s, f: fired.append(s))
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        assert Deadline(5).run(lambda: guard.remaining()) is None  # ran unguarded
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 90
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_outside_the_main_thread_it_runs_unguarded() -> None:
    out: list[Any] = []
    t = threading.Thread(target=lambda: out.append((guard.timer_available(), Deadline(5).run(lambda: "done"))))
    t.start()
    t.join()
    assert out == [(False, "done")]


def test_remaining_is_the_innermost_time_left() -> None:
    assert guard.remaining() is None
    left = Deadline(5).run(guard.remaining)
    assert left is not None and 0 < left <= 5
