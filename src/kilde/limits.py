"""How much kilde takes on: the longest text (``MAX_TEXT_CHARS``), and a time limit for one record
of a batch, so that one pathological article cannot hold a worker for hours.

``call_with_time_limit(function, seconds)`` runs ``function`` and raises ``RecordTimeout`` once
it has run ``seconds``; the batch then writes an error record and goes on with the next record.
How the running code is stopped depends on the thread it runs in:

- the main thread of a process (``kilde batch IN.jsonl -o OUT.jsonl``, a serial corpus run,
  each ``--workers`` process): ``SIGALRM`` from ``setitimer``. Its handler raises in the
  analysing code at the next bytecode, and also stops a long regular-expression match
  (``re`` checks for signals while it backtracks) or a ``sleep``;
- any other thread (a Dask worker runs its tasks in threads, which cannot take signals): a
  watchdog timer thread raises the exception in the analysing thread with
  ``PyThreadState_SetAsyncExc``, which the interpreter delivers at that thread's next bytecode.
  This stops everything written in Python, which is where kilde spends its time, but not a
  single long call into C (a regular-expression match, for one): that runs to its end first.

So the limit is cooperative: it needs the interpreter to run. The alternative, analysing in a
child process that is killed at the limit (what ``kilde serve`` does), would also stop a stuck
C call, but Dask's worker processes are daemons, which may not start child processes, and a
second copy of the pipeline per worker would double the memory of a run. A killed run (or a
worker that dies) is still covered by the resume of corpus runs.

``RecordTimeout`` derives from ``BaseException``, so ``except Exception`` in the analysing code
cannot swallow it. An analysis stopped halfway may leave a shared pipeline in a half-updated
state, so the pipelines of the process are dropped after a timeout and built anew for the next
record. Time spent building a pipeline is not the record's: the pipeline an analysis needs is
built before its clock starts (``kilde.analysis.warm_pipeline``).
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

MAX_TEXT_CHARS = 2_000_000
"""Longest text analysed in one call; longer input is rejected, not truncated."""

DEFAULT_TIME_LIMIT = 300.0
"""Seconds one record may take in ``kilde batch`` (``--time-limit``; 0 for none). Analysis cost is
linear in length, and the longest text kilde takes (2,000,000 characters) needs about a minute
with the model (benchmarks/long_texts.py): five minutes stops only a record that is stuck."""

T = TypeVar("T")


class RecordTimeout(BaseException):
    """One record ran past its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:
        return timeout_reason(self.seconds)


def timeout_reason(seconds: float) -> str:
    """The error message of a record that ran past the limit."""
    return f"the analysis took longer than the time limit of {seconds:g} s (--time-limit); stopped"


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    active = [True]

    def on_alarm(signum: int, frame: object) -> None:
        if active[0]:
            raise RecordTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        active[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _set_async_exc(thread_id: int, exception: type[BaseException] | None) -> int:
    """Raise ``exception`` in another thread at its next bytecode (None: forget a pending one)."""
    set_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    return int(set_exc(ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None))


@contextlib.contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    class Timeout(RecordTimeout):
        # The asynchronous exception is raised without arguments: this subclass knows its limit.
        def __init__(self) -> None:
            super().__init__(seconds)

    def fire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                _set_async_exc(target, Timeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.name = "kilde-time-limit"
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["active"] = False
            fired = state["fired"]
        timer.cancel()
        if fired:
            # Fired as the work finished: the exception may still be pending, to be raised in
            # whatever this thread runs next. Take it back, and raise it here instead.
            _set_async_exc(target, None)
            raise Timeout


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``RecordTimeout`` in the code inside once it has run ``seconds`` (None or 0: no limit)."""
    if not seconds or seconds <= 0:
        yield
    elif _can_alarm():
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


class Budget:
    """The time one record may take, spent in phases (``run``), with pipeline builds between them.

    A timeout in any phase calls ``on_timeout`` (``kilde.analysis.record_budget`` drops the
    pipelines of the process there, see the module docstring); a phase started with no time
    left times out at once.
    """

    def __init__(self, seconds: float | None, on_timeout: Callable[[], None] | None = None) -> None:
        self.seconds = seconds if seconds and seconds > 0 else None
        self.on_timeout = on_timeout
        # Only the phases spend it: time between them (building a pipeline) is not the record's.
        self._left = self.seconds

    def run(self, function: Callable[[], T]) -> T:
        if self._left is None or self.seconds is None:
            return function()
        left = self._left
        started = time.monotonic()
        try:
            if left <= 0:
                raise RecordTimeout(self.seconds)
            with time_limit(max(left, 0.001)):  # setitimer takes a tiny value for 0, no limit
                return function()
        except RecordTimeout:
            if self.on_timeout is not None:
                self.on_timeout()
            raise RecordTimeout(self.seconds) from None
        finally:
            self._left = left - (time.monotonic() - started)
