"""Where chunks run: in this process, in a pool of local processes, or on a Dask cluster.

Each backend takes an iterator of chunks and yields ``ChunkResult``s as they finish, in
any order. Only a few chunks per worker are in flight at a time, so a corpus of millions
of articles is read as fast as it is analysed rather than all at once.

A worker process that dies (the out-of-memory killer, a crash in a library) takes its chunk
with it. The records of every chunk lost that way are analysed again one at a time, each
alone in a worker, so that a record that kills its worker again becomes one error record
(``the worker process died …``) and the run goes on; the other records of its chunk are
analysed as usual. When workers die on ``MAX_DEATHS_IN_A_ROW`` records in a row, the fault
is the machine's (memory, installation), not the records', and the run stops.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from kilde.corpus.work import ChunkResult, Outcome, init_pool_worker, process_chunk
from kilde.errors import KildeError
from kilde.io.records import CorpusRecord, record_key

Chunks = Iterator[list[CorpusRecord]]
Task = Callable[[list[CorpusRecord], str | None, float | None], ChunkResult]

MAX_DEATHS_IN_A_ROW = 3
"""Records analysed alone that may kill their worker one after another before a run stops."""

DIED = (
    "the worker process died while analysing this record, also when it was analysed alone"
    " (out of memory, or a crash in a library)"
)

IN_FLIGHT_PER_WORKER = 2
"""Chunks queued per worker: one running and one ready, so no worker waits for the driver."""

_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def run_serial(
    chunks: Chunks, language: str | None, time_limit: float | None = None
) -> Iterator[ChunkResult]:
    """Analyse in this process: no start-up cost, and the pipeline is shared with the caller.

    The time limit of each record is a ``SIGALRM`` when this is the main thread, as it is for
    ``kilde batch`` (``kilde.limits``).
    """
    for chunk in chunks:
        yield process_chunk(chunk, language, time_limit)


class _Deaths:
    """Counts records that killed their worker when analysed alone, and turns each into an error."""

    def __init__(self) -> None:
        self.in_a_row = 0

    def survived(self) -> None:
        self.in_a_row = 0

    def died(self, record: CorpusRecord) -> ChunkResult:
        self.in_a_row += 1
        if self.in_a_row >= MAX_DEATHS_IN_A_ROW:
            raise KildeError(
                f"worker processes died on {self.in_a_row} records in a row, each analysed alone"
                " (out of memory? is kilde installed where they run?); finished shards are kept:"
                " run the same command to go on"
            )
        outcome = Outcome(record.key or record_key(record.id), record.id, error=DIED, source=record.source)
        return ChunkResult([outcome], pid=0, peak_rss_kb=0, seconds=0.0)


def _pool(workers: int) -> ProcessPoolExecutor:
    # "spawn", not "fork": the driver runs Rich's refresh thread, and forking a process
    # with threads can deadlock the child.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_pool_worker,
        initargs=(os.getpid(),),
    )


def run_processes(
    chunks: Chunks,
    language: str | None,
    workers: int,
    time_limit: float | None = None,
    task: Task = process_chunk,
) -> Iterator[ChunkResult]:
    """Analyse in ``workers`` local processes, each loading the pipeline once.

    A pool process runs its tasks in its main thread, so each record's time limit is a ``SIGALRM``.
    A dead worker breaks the whole pool: what finished is kept, the pool is started anew, and
    the records of the lost chunks are analysed one at a time (see the module docstring).
    ``task`` is ``process_chunk`` (tests give another).
    """
    # Numeric libraries would otherwise start a thread per core in every worker and make
    # the workers fight over the cores; spawned workers inherit this environment.
    for variable in _ONE_THREAD:
        os.environ.setdefault(variable, "1")
    pools = [_pool(workers)]
    pending: dict[Future[ChunkResult], list[CorpusRecord]] = {}
    deaths = _Deaths()

    def restart() -> None:
        pools[0].shutdown(wait=True, cancel_futures=True)
        pools[0] = _pool(workers)

    def alone(record: CorpusRecord) -> ChunkResult:
        try:
            result = pools[0].submit(task, [record], language, time_limit).result()
        except BrokenProcessPool:
            restart()
            return deaths.died(record)
        deaths.survived()
        return result

    def broken(future: Future[ChunkResult]) -> bool:
        return isinstance(future.exception(), BrokenProcessPool)

    def settle(everything: bool) -> Iterator[ChunkResult]:
        """The chunks that finished; after a death, all in flight, and the lost ones record by record."""
        finished, _ = wait(pending, return_when=ALL_COMPLETED if everything else FIRST_COMPLETED)
        if any(broken(future) for future in finished):
            finished, _ = wait(pending, return_when=ALL_COMPLETED)  # the rest fail with the pool
        lost: list[list[CorpusRecord]] = []
        for future in finished:
            chunk = pending.pop(future)
            if broken(future):
                lost.append(chunk)
                continue
            deaths.survived()
            yield future.result()
        if lost:
            restart()
            for chunk in lost:
                for record in chunk:
                    yield alone(record)

    def submit(chunk: list[CorpusRecord]) -> Iterator[ChunkResult]:
        try:
            pending[pools[0].submit(task, chunk, language, time_limit)] = chunk
        except BrokenProcessPool:  # a worker died while idle, or since the last look
            yield from settle(everything=True)
            restart()
            pending[pools[0].submit(task, chunk, language, time_limit)] = chunk

    try:
        for chunk in chunks:
            yield from submit(chunk)
            while len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                yield from settle(everything=False)
        while pending:
            yield from settle(everything=False)
    finally:
        pools[0].shutdown(wait=True, cancel_futures=True)


def run_dask(
    chunks: Chunks,
    language: str | None,
    address: str,
    time_limit: float | None = None,
    task: Task = process_chunk,
) -> Iterator[ChunkResult]:
    """Analyse on the workers of a running Dask cluster (``tcp://host:port``).

    kilde must be installed on the workers. Give them one thread each (``--nthreads 1``):
    analysis holds the GIL, so more threads per process only add waiting. Dask runs tasks in
    worker threads, which cannot take signals, so each record's time limit is a watchdog thread
    that raises in the analysing thread (``kilde.limits`` says what that can stop).

    A chunk on which workers kept dying (Dask's ``KilledWorker``, after its own retries) is
    sent again one record per task, one task at a time; a record whose own task is killed
    that way becomes one error record (see the module docstring).
    """
    from distributed import Client, as_completed
    from distributed.scheduler import KilledWorker

    try:
        client = Client(address, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise KildeError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        threads = max(1, sum(client.nthreads().values()))
        running = as_completed(loop=client.loop)
        chunk_of: dict[Any, list[CorpusRecord]] = {}
        lost: list[CorpusRecord] = []
        deaths = _Deaths()

        def collect(future: Any) -> Iterator[ChunkResult]:
            chunk = chunk_of.pop(future.key)
            try:
                result = future.result()
            except KilledWorker:
                lost.extend(chunk)
                return
            deaths.survived()
            yield result

        def alone() -> Iterator[ChunkResult]:
            """The chunks in flight finish first; then each lost record runs alone, one at a time.

            One at a time, because Dask counts a worker's death against every task queued on
            that worker: a record that runs alone is the only one to blame.
            """
            while not running.is_empty():
                yield from collect(next(running))
            while lost:
                record = lost.pop(0)
                try:
                    result = client.submit(task, [record], language, time_limit, pure=False).result()
                except KilledWorker:
                    yield deaths.died(record)
                    continue
                deaths.survived()
                yield result

        for chunk in chunks:
            future = client.submit(task, chunk, language, time_limit, pure=False)
            chunk_of[future.key] = chunk
            running.add(future)
            while running.count() >= IN_FLIGHT_PER_WORKER * threads:
                yield from collect(next(running))
                if lost:
                    yield from alone()
        while not running.is_empty():
            yield from collect(next(running))
        yield from alone()
    finally:
        client.close()
