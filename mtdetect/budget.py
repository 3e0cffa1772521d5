"""A time budget for scoring one document, so one pathological record cannot stall a worker.

An interval timer (SIGALRM) interrupts the Python code that scores the document and
raises `OverBudget` there. It derives from BaseException so that no `except Exception`
inside a feature can swallow it. Signals reach only the main thread, so where the
scoring runs in another thread (Dask's threaded workers) or the platform has no
SIGALRM, the budget is not enforced and scoring runs to its end.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

DEFAULT_SECONDS = 120.0  # a 5 MB article scores in well under a minute on one core


class OverBudget(BaseException):
    """Scoring one document took longer than its time budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:
        return f"scoring took longer than the time budget of {self.seconds:g} s"


def enforceable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise OverBudget inside the block once `seconds` have passed (None or 0: no budget)."""
    if not seconds or not enforceable():
        yield
        return

    def expire(signum, frame):
        raise OverBudget(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
