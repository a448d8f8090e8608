"""Where chunks run: in this process, in a pool of local processes, or on a Dask cluster.

Each backend takes an iterator of chunks and yields ``ChunkResult``s as they finish, in
any order. Only a few chunks per worker are in flight at a time, so a corpus of millions
of articles is read as fast as it is analysed rather than all at once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from kilde import KildeError
from kilde.corpus.work import ChunkResult, init_pool_worker, process_chunk
from kilde.io.records import CorpusRecord

Chunks = Iterator[list[CorpusRecord]]

IN_FLIGHT_PER_WORKER = 2
"""Chunks queued per worker: one running and one ready, so no worker waits for the driver."""

_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def run_serial(
    chunks: Chunks, language: str | None, time_limit: float | None = None
) -> Iterator[ChunkResult]:
    """Analyse in this process: no start-up cost, and the pipeline is shared with the caller.

    The time limit of each record is a ``SIGALRM`` when this is the main thread, as it is for
    ``kilde batch`` (``kilde.corpus.limits``).
    """
    for chunk in chunks:
        yield process_chunk(chunk, language, time_limit)


def run_processes(
    chunks: Chunks, language: str | None, workers: int, time_limit: float | None = None
) -> Iterator[ChunkResult]:
    """Analyse in ``workers`` local processes, each loading the pipeline once.

    A pool process runs its tasks in its main thread, so each record's time limit is a ``SIGALRM``.
    """
    # Numeric libraries would otherwise start a thread per core in every worker and make
    # the workers fight over the cores; spawned workers inherit this environment.
    for variable in _ONE_THREAD:
        os.environ.setdefault(variable, "1")
    # "spawn", not "fork": the driver runs Rich's refresh thread, and forking a process
    # with threads can deadlock the child.
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_pool_worker,
        initargs=(os.getpid(),),
    )
    pending: set[Future[ChunkResult]] = set()
    try:
        for chunk in chunks:
            pending.add(pool.submit(process_chunk, chunk, language, time_limit))
            while len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in finished)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in finished)
    except BrokenProcessPool:
        raise KildeError(
            "a worker process died (out of memory?); finished shards are kept: run the same command to go on"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(
    chunks: Chunks, language: str | None, address: str, time_limit: float | None = None
) -> Iterator[ChunkResult]:
    """Analyse on the workers of a running Dask cluster (``tcp://host:port``).

    kilde must be installed on the workers. Give them one thread each (``--nthreads 1``):
    analysis holds the GIL, so more threads per process only add waiting. Dask runs tasks in
    worker threads, which cannot take signals, so each record's time limit is a watchdog thread
    that raises in the analysing thread (``kilde.corpus.limits`` says what that can stop).
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
        for chunk in chunks:
            running.add(client.submit(process_chunk, chunk, language, time_limit, pure=False))
            while running.count() >= IN_FLIGHT_PER_WORKER * threads:
                yield next(running).result()
        for future in running:
            yield future.result()
    except KilledWorker as error:
        raise KildeError(
            f"Dask workers died on a chunk ({error}); finished shards are kept: run the same command to go on"
        ) from None
    finally:
        client.close()
