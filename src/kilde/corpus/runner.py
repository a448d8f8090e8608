"""Run kilde over a corpus: read the inputs, skip what is done, analyse in chunks, write shards.

The driver (this module) only reads input, hands out chunks and writes what comes back;
analysis runs wherever the backend puts it. Results arrive in any order and are written
in shards of ``shard_size`` records, so the shard a record lands in depends on timing,
but the set of results (compare sorted by id) and the merged tables do not.

Every input record ends as exactly one result or one error record, however often the run is
killed and run again: records are remembered by their input key (``input_key``: the id and how
many records with that id came before, see ``kilde.corpus.shards``), the first record with an id
is analysed and every later one becomes a "duplicate id" error, and each record gets at most
``time_limit`` seconds (``kilde.limits``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from kilde.corpus.backends import run_dask, run_processes, run_serial
from kilde.corpus.shards import ShardStore
from kilde.corpus.tables import TABLES, Rows
from kilde.corpus.work import ChunkResult, Outcome, peak_rss_kb
from kilde.io.corpus import check_inputs, count_corpus, iter_corpus
from kilde.io.records import CorpusError, CorpusRecord, input_key, record_key
from kilde.limits import DEFAULT_TIME_LIMIT

DEFAULT_CHUNK_SIZE = 32
"""Records per task: about a second of work, far above the per-task cost of a pool or of Dask."""

DEFAULT_SHARD_SIZE = 1000
"""Records per shard file: a kill loses at most this much finished work per run."""


@dataclass
class RunOptions:
    """How to run: ``workers`` local processes (1: in this process) or a Dask ``scheduler`` address."""

    workers: int = 1
    scheduler: str | None = None
    language: str | None = None
    chunk_size: int = DEFAULT_CHUNK_SIZE
    shard_size: int = DEFAULT_SHARD_SIZE
    retry_errors: bool = False
    progress: bool = True
    # Seconds one record may take before it becomes an error record (None or 0: no limit).
    time_limit: float | None = DEFAULT_TIME_LIMIT
    # Use a process pool even for one worker (benchmarks compare like with like).
    pool_for_one: bool = False


@dataclass
class RunSummary:
    """What one run did. ``records`` = ``ok`` + ``errors`` + ``skipped`` (records done by an earlier run)."""

    records: int = 0
    ok: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    # Start-up (reading the output, starting workers, loading pipelines) until the first chunk came back.
    first_result_seconds: float | None = None
    shards_written: int = 0
    results_in_output: int = 0
    errors_in_output: int = 0
    # Per worker process id: peak resident memory (VmHWM), and what getrusage's ru_maxrss says.
    worker_peak_rss_mb: dict[str, float] = field(default_factory=dict)
    worker_getrusage_mb: dict[str, float] = field(default_factory=dict)
    worker_pipelines_built: dict[str, int] = field(default_factory=dict)

    @property
    def articles_per_second(self) -> float:
        return (self.ok + self.errors) / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"{self.records} records: {self.ok} ok, {self.errors} errors, {self.skipped} skipped"
            f" (done before); {self.seconds:.1f} s, {self.articles_per_second:.1f} articles/s"
        )

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "articles_per_second": round(self.articles_per_second, 2)}


class _RateColumn(ProgressColumn):
    """Articles analysed per second since the start (skipped records do not count)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        analysed = task.fields.get("analysed", 0)
        rate = analysed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.1f} articles/s", style="progress.data.speed")


def _progress(console: Console, enabled: bool) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not (enabled and console.is_terminal),
    )


class _ShardWriter:
    """Collects outcomes and commits a shard whenever ``shard_size`` records have come together."""

    def __init__(self, store: ShardStore, shard_size: int, summary: RunSummary) -> None:
        self.store = store
        self.shard_size = shard_size
        self.summary = summary
        self.results: list[str] = []
        self.result_keys: list[str] = []
        self.errors: list[str] = []
        self.error_keys: list[str] = []
        self.rows: Rows = {table: [] for table in TABLES}

    def add(self, outcome: Outcome) -> None:
        if outcome.line is not None:
            self.results.append(outcome.line)
            self.result_keys.append(outcome.key)
            for table, rows in (outcome.rows or {}).items():
                self.rows[table].extend(rows)
            self.summary.ok += 1
        else:
            self.errors.append(outcome.error_line())
            self.error_keys.append(outcome.key)
            self.summary.errors += 1
        if len(self.results) + len(self.errors) >= self.shard_size:
            self.flush()

    def flush(self) -> None:
        if self.results or self.errors:
            self.store.commit(self.results, self.result_keys, self.errors, self.error_keys, self.rows)
            self.summary.shards_written += 1
            self.results, self.result_keys, self.errors, self.error_keys = [], [], [], []
            self.rows = {table: [] for table in TABLES}


def _chunks(
    items: Iterator[CorpusRecord | CorpusError],
    done: set[str],
    chunk_size: int,
    writer: _ShardWriter,
    advance: Callable[[int], object],
) -> Iterator[list[CorpusRecord]]:
    """Chunks of the records still to analyse; skipped, duplicate and unreadable records are handled here.

    Each record gets its input key from the records with the same id before it, whether those
    are done, analysed now or errors, so the same input always gives the same keys.
    """
    seen: dict[str, int] = {}
    chunk: list[CorpusRecord] = []
    for item in items:
        id_key = record_key(item.id)
        occurrence = seen.get(id_key, 0)
        seen[id_key] = occurrence + 1
        key = input_key(item.id, occurrence)
        if key in done:
            writer.summary.skipped += 1
            advance(1)
            continue
        if occurrence:
            reason = (
                f"duplicate id {item.id!r}: record {occurrence + 1} with this id in the input;"
                " only the first is analysed"
            )
            writer.add(Outcome(key, item.id, error=reason, source=item.source))
            advance(1)
            continue
        if isinstance(item, CorpusError):
            writer.add(Outcome(key, item.id, error=item.reason, source=item.source))
            advance(1)
            continue
        chunk.append(dataclasses.replace(item, key=key))
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_corpus(
    inputs: Sequence[Path | str],
    outdir: Path | str,
    options: RunOptions | None = None,
    console: Console | None = None,
) -> RunSummary:
    """Analyse every record of ``inputs`` into ``outdir`` (layout in ``kilde.corpus.shards``).

    Raises ``KildeError`` for unusable inputs or output folder, or when workers die;
    committed shards survive any failure or kill, and running again goes on from them.
    """
    options = options or RunOptions()
    paths = check_inputs(inputs)
    console = console or Console(stderr=True)
    summary = RunSummary()
    started = time.perf_counter()
    with ShardStore(Path(outdir), retry_errors=options.retry_errors) as store:
        done = store.done()
        total = count_corpus(paths) if options.progress and console.is_terminal else None
        writer = _ShardWriter(store, options.shard_size, summary)
        peaks: dict[str, int] = {}
        rusage: dict[str, int] = {}
        with _progress(console, options.progress) as progress:
            task = progress.add_task("Analysing", total=total, analysed=0)

            def advance(records: int, analysed: int = 0) -> None:
                fields = progress.tasks[0].fields
                progress.update(task, advance=records, analysed=fields["analysed"] + analysed)

            chunks = _chunks(iter_corpus(paths), done.keys, options.chunk_size, writer, advance)
            try:
                for result in _backend(chunks, options):
                    if summary.first_result_seconds is None:
                        summary.first_result_seconds = time.perf_counter() - started
                    for outcome in result.outcomes:
                        writer.add(outcome)
                    if result.pid:  # 0: no worker came back (it died on the record)
                        peaks[str(result.pid)] = max(peaks.get(str(result.pid), 0), result.peak_rss_kb)
                        rusage[str(result.pid)] = max(rusage.get(str(result.pid), 0), result.getrusage_kb)
                        summary.worker_pipelines_built[str(result.pid)] = result.pipelines_built
                    advance(len(result.outcomes), len(result.outcomes))
            finally:
                # Also on Ctrl-C or a failure: what came back is committed, a rerun goes on from it.
                writer.flush()
        summary.seconds = time.perf_counter() - started
        summary.records = summary.ok + summary.errors + summary.skipped
        summary.results_in_output = done.results + summary.ok
        summary.errors_in_output = done.errors + summary.errors
        if not peaks:  # nothing was analysed: report the driver itself
            peaks["driver"] = peak_rss_kb()
        summary.worker_peak_rss_mb = {pid: round(kb / 1024, 1) for pid, kb in peaks.items()}
        summary.worker_getrusage_mb = {pid: round(kb / 1024, 1) for pid, kb in rusage.items()}
        store.finish(
            {
                "inputs": [str(path) for path in paths],
                "workers": options.workers,
                "scheduler": options.scheduler,
                **summary.as_dict(),
            }
        )
    return summary


def _backend(chunks: Iterator[list[CorpusRecord]], options: RunOptions) -> Iterator[ChunkResult]:
    limit = options.time_limit
    if options.scheduler:
        return run_dask(chunks, options.language, options.scheduler, limit)
    if options.workers > 1 or options.pool_for_one:
        return run_processes(chunks, options.language, options.workers, limit)
    return run_serial(chunks, options.language, limit)
