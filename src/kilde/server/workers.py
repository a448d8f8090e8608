"""Run analyses away from the event loop, each with a time limit.

Two runners share one interface:

- ``ProcessRunner`` (the default) keeps a few worker processes with warm pipelines. An analysis
  that overruns its time limit gets its worker killed and replaced, so a pathological article
  cannot hold a CPU for ever, and analyses use several cores despite the GIL.
- ``ThreadRunner`` runs analyses in threads of the server process. A thread cannot be stopped, so
  an overrun analysis keeps its slot until it finishes; it exists for tests and for analyzers that
  cannot be pickled (lambdas, closures).

Both raise the exceptions below; the app maps them to HTTP statuses.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from kilde.server.jobs import Analyzer, Job, Outcome, run_job

log = logging.getLogger("kilde.server")

WORKER_START_SECONDS = 120.0
"""How long a new worker process may take to import kilde and build its pipelines."""

RESTART_ATTEMPTS = 3
"""Tries to replace a killed worker before the pool runs one short (and logs it)."""


class AnalysisTimeout(Exception):
    """The analysis ran past its time limit."""


class ServerBusy(Exception):
    """No worker became free in time; every worker is busy with other requests."""


class AnalysisFailed(Exception):
    """The analysis broke (a bug or a dead worker), not the input."""


class InvalidInput(Exception):
    """kilde cannot analyse this input; the message is meant for the user."""


class Runner(Protocol):
    """Runs jobs with a time limit; ``start`` before the first job, ``stop`` at shutdown."""

    async def start(self) -> None: ...

    async def run(self, job: Job, time_limit: float, queue_limit: float) -> dict[str, Any]: ...

    async def stop(self) -> None: ...

    def status(self) -> dict[str, int]: ...


def default_workers() -> int:
    """One worker per core, at most four: analyses are CPU-bound and a page sends one at a time."""
    return max(1, min(4, os.cpu_count() or 1))


def _result(outcome: Outcome) -> dict[str, Any]:
    if outcome.status == "ok" and outcome.result is not None:
        return outcome.result
    if outcome.status == "invalid":
        raise InvalidInput(outcome.message)
    raise AnalysisFailed(outcome.message or "the analysis failed")


class ThreadRunner:
    """Analyses in a thread pool of the server process; see the module docstring for the trade-off."""

    def __init__(self, analyzer: Analyzer, workers: int) -> None:
        self._analyzer = analyzer
        self._workers = workers
        self._executor: ThreadPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._busy = 0

    async def start(self) -> None:
        self._executor = ThreadPoolExecutor(self._workers, thread_name_prefix="kilde-analysis")
        self._slots = asyncio.Semaphore(self._workers)

    async def run(self, job: Job, time_limit: float, queue_limit: float) -> dict[str, Any]:
        assert self._executor is not None and self._slots is not None, "start() the runner first"
        try:
            await asyncio.wait_for(self._slots.acquire(), queue_limit)
        except TimeoutError:
            raise ServerBusy from None
        future = asyncio.get_running_loop().run_in_executor(self._executor, run_job, self._analyzer, job)
        self._busy += 1
        # The slot is freed when the thread is really done, not when the request gives up on it,
        # so overrun analyses cannot pile up more threads than ``workers``.
        future.add_done_callback(self._finished)
        try:
            outcome = await asyncio.wait_for(asyncio.shield(future), time_limit)
        except TimeoutError:
            raise AnalysisTimeout from None
        return _result(outcome)

    def _finished(self, _: object) -> None:
        self._busy -= 1
        assert self._slots is not None
        self._slots.release()

    async def stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    def status(self) -> dict[str, int]:
        return {"workers": self._workers, "busy": self._busy}


def _worker_main(conn: Connection, analyzer: Analyzer, warmup: Callable[[], None] | None) -> None:
    """The loop of a worker process: announce readiness, then answer one job per message."""
    # Ctrl-C reaches the whole process group; the server decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if warmup is not None:
            warmup()
    except Exception as error:
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        return
    conn.send(("ready", ""))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the server went away
            return
        if job is None:
            return
        conn.send(run_job(analyzer, job))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


def _exchange(worker: _Worker, job: Job, time_limit: float) -> Outcome:
    """Send a job to a worker and wait for its answer (blocking; runs in a thread)."""
    try:
        worker.conn.send(job)
        if not worker.conn.poll(time_limit):
            raise AnalysisTimeout
        outcome = worker.conn.recv()
    except (EOFError, OSError) as error:
        raise AnalysisFailed(f"the analysis worker stopped unexpectedly ({type(error).__name__})") from None
    if not isinstance(outcome, Outcome):
        raise AnalysisFailed("the analysis worker sent an unexpected answer")
    return outcome


class ProcessRunner:
    """A pool of worker processes with warm pipelines; overrun or crashed workers are replaced.

    The analyzer and warmup are pickled into each worker (``spawn``: a fresh interpreter, no
    inherited locks or threads from the server), so they must be importable module-level functions.
    """

    def __init__(
        self,
        analyzer: Analyzer,
        workers: int,
        warmup: Callable[[], None] | None = None,
        start_method: str = "spawn",
    ) -> None:
        self._analyzer = analyzer
        self._size = workers
        self._warmup = warmup
        self._context = multiprocessing.get_context(start_method)
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stopping = False
        # Each analysis blocks one thread while it waits on its worker's pipe. A pool of our own,
        # sized to the workers, keeps that from starving (or being starved by) asyncio's default one.
        self._threads = ThreadPoolExecutor(2 * workers + 2, thread_name_prefix="kilde-pool")

    async def _in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._threads, function, *args)

    def _spawn(self) -> _Worker:
        """Start one worker and wait until its pipelines are built (blocking; runs in a thread)."""
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, self._analyzer, self._warmup), name="kilde-worker", daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            if not parent.poll(WORKER_START_SECONDS):
                raise RuntimeError(f"a worker did not start within {WORKER_START_SECONDS:.0f} s")
            state, message = parent.recv()
        except (EOFError, OSError):
            worker.kill()
            raise RuntimeError(f"a worker exited while starting (exit code {process.exitcode})") from None
        except BaseException:
            worker.kill()
            raise
        if state != "ready":
            worker.kill()
            raise RuntimeError(f"a worker could not start: {message}")
        return worker

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(self._in_thread(self._spawn) for _ in range(self._size)))
        for worker in workers:
            self._workers.add(worker)
            self._idle.put_nowait(worker)

    async def run(self, job: Job, time_limit: float, queue_limit: float) -> dict[str, Any]:
        assert self._idle is not None, "start() the runner first"
        try:
            worker = await asyncio.wait_for(self._idle.get(), queue_limit)
        except TimeoutError:
            raise ServerBusy from None
        # A task of its own, shielded: if the request is cancelled (client gone, shutdown), the
        # exchange still finishes and hands the worker back or replaces it.
        task = asyncio.ensure_future(self._use(worker, job, time_limit))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return _result(await asyncio.shield(task))

    async def _use(self, worker: _Worker, job: Job, time_limit: float) -> Outcome:
        try:
            outcome = await self._in_thread(_exchange, worker, job, time_limit)
        except BaseException:
            # Overrun, dead or interrupted: the worker may be mid-analysis, so it cannot be reused.
            self._retire(worker)
            raise
        assert self._idle is not None
        self._idle.put_nowait(worker)
        return outcome

    def _retire(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        worker.kill()
        if not self._stopping:
            task = asyncio.ensure_future(self._replace())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _replace(self) -> None:
        for attempt in range(1, RESTART_ATTEMPTS + 1):
            try:
                worker = await self._in_thread(self._spawn)
            except Exception as error:
                log.error("replacing an analysis worker failed (attempt %d): %s", attempt, error)
                continue
            if self._stopping:
                worker.kill()
                return
            assert self._idle is not None
            self._workers.add(worker)
            self._idle.put_nowait(worker)
            return
        log.error("the analysis pool now runs with %d of %d workers", len(self._workers), self._size)

    async def stop(self) -> None:
        """Kill every worker; analyses in flight fail and replacements that finish starting are killed."""
        self._stopping = True
        workers, self._workers = list(self._workers), set()
        await asyncio.gather(*(self._in_thread(worker.kill) for worker in workers))
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks), timeout=10)
            for task in pending:
                task.cancel()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def status(self) -> dict[str, int]:
        idle = self._idle.qsize() if self._idle is not None else 0
        return {"workers": len(self._workers), "busy": len(self._workers) - idle}
