"""What a worker does with a chunk of records; the same function runs in-process, in a local
process pool and on Dask workers, which is what makes their output identical.

The spaCy pipeline is built once per process and language (``kilde.load`` caches it), at
the first record that needs it, never per article. It is rebuilt only when its vocabulary
has grown too large (see ``VOCAB_LIMIT``).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import signal
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from kilde import analysis
from kilde.corpus.tables import Rows, article_rows
from kilde.errors import KildeError
from kilde.io.corpus import prepare_document
from kilde.io.records import CorpusRecord, RecordId, has_surrogates, record_key, writable, writable_id
from kilde.io.text import InputDocument
from kilde.limits import Budget, RecordTimeout

VOCAB_LIMIT = 500_000
"""Strings a pipeline's vocabulary may hold before the worker builds a fresh pipeline.

spaCy keeps every word form it has seen (about 400 bytes each, measured); names, numbers
and typos keep coming, so over millions of articles the vocabulary alone would outgrow a
worker's memory. Results do not depend on the vocabulary, so a rebuild changes nothing else.
"""

# kilde's stages keep per-call state on the shared pipeline; a Dask worker with several
# threads must not run two analyses at once in one process. Uncontended, the lock is free.
_ANALYSIS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Outcome:
    """The result of one record: a ``kilde/1`` line and its table rows, or the reason it failed.

    ``key`` is the record's ``input_key``, what the output remembers it by.
    """

    key: str
    id: RecordId
    line: str | None = None
    rows: Rows | None = None
    error: str | None = None
    source: str = ""

    def error_line(self) -> str:
        """``{"id", "error", "source"}``; lone surrogates (in a bad id, say) written as ``\\ud800``."""
        fields = {
            "id": writable_id(self.id),
            "error": writable(self.error or ""),
            "source": writable(self.source),
        }
        return json.dumps(fields, ensure_ascii=False)


@dataclass(frozen=True)
class ChunkResult:
    """The outcomes of one chunk, with the worker's process id and peak memory so far."""

    outcomes: list[Outcome]
    pid: int
    peak_rss_kb: int
    seconds: float
    getrusage_kb: int = 0
    # Pipelines this process has built (since its last vocabulary rebuild): one per language.
    pipelines_built: int = 0


def maxrss_kb() -> int:
    """``getrusage``'s peak resident memory in KiB (Linux reports KiB, macOS bytes).

    In a spawned worker this also counts the pages the worker shared with its parent between
    fork and exec, so it reads at least the parent's size; ``peak_rss_kb`` does not.
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def peak_rss_kb() -> int:
    """Peak resident memory of this process's own image in KiB (``VmHWM``), else ``maxrss_kb``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return maxrss_kb()


def _language(record: CorpusRecord, default: str | None) -> str | None:
    """As in ``kilde batch``: the record's language, ``auto`` meaning detect, else the run's default."""
    if record.language is None:
        return default
    return None if record.language == "auto" else record.language


def _analysed(record: CorpusRecord, default_language: str | None, budget: Budget) -> tuple[str, Rows] | str:
    """The ``kilde/1`` line of one record and its table rows, or why there are none (raises for a
    record that cannot be read).

    Reading (HTML extraction) and analysis share the record's ``budget``; the pipeline is built
    between them, off the clock (``kilde.analysis.analyse_record``).
    """
    if isinstance(record.id, str) and has_surrogates(record.id):
        raise KildeError(f'the id "{writable(record.id)}" holds a lone surrogate and cannot be written')
    document = budget.run(lambda: prepare_document(record))
    language = _language(record, default_language)
    analysed = analysis.analyse_record(document.text, language, str(record.id), budget=budget)
    if analysed.result is None:
        return analysed.error or "no result"
    result = analysed.result
    return budget.run(lambda: _result_line(record, document, result))


def _result_line(record: CorpusRecord, document: InputDocument, result: dict[str, Any]) -> tuple[str, Rows]:
    result["id"] = record.id
    if document.metadata:
        result["metadata"] = document.metadata
    # "id" first: a rerun reads the ids of finished shards without parsing whole lines.
    line = json.dumps({"id": record.id, **result}, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as error:
        char = line[error.start]
        raise KildeError(
            f"the result holds a lone surrogate (\\u{ord(char):04x}) from the record's text or metadata,"
            " which cannot be written as UTF-8"
        ) from None
    return line, article_rows(result)


def analyse_record(
    record: CorpusRecord, default_language: str | None = None, time_limit: float | None = None
) -> Outcome:
    """Read, analyse and flatten one record within ``time_limit`` seconds; never raises for a bad record."""
    key = record.key or record_key(record.id)
    try:
        analysed = _analysed(record, default_language, analysis.record_budget(time_limit))
        if isinstance(analysed, str):
            return Outcome(key, record.id, error=analysed, source=record.source)
        line, rows = analysed
        return Outcome(key, record.id, line=line, rows=rows, source=record.source)
    except KildeError as error:
        return Outcome(key, record.id, error=str(error), source=record.source)
    except RecordTimeout as error:
        return Outcome(key, record.id, error=str(error), source=record.source)
    except Exception as error:  # one broken record must not stop a corpus
        return Outcome(key, record.id, error=f"{type(error).__name__}: {error}", source=record.source)


def process_chunk(
    records: list[CorpusRecord], default_language: str | None = None, time_limit: float | None = None
) -> ChunkResult:
    """Analyse a chunk of records in this process (the task that pools and Dask run).

    Each record gets ``time_limit`` seconds (``kilde.limits``); the lock is taken
    before the clock starts, so waiting for another thread's analysis does not count.
    """
    with _ANALYSIS_LOCK:
        started = time.perf_counter()
        outcomes = [analyse_record(record, default_language, time_limit) for record in records]
        languages = {row["language"] for o in outcomes if o.rows for row in o.rows["articles"]}
        recycle_pipelines(languages)
        seconds = time.perf_counter() - started
        return ChunkResult(outcomes, os.getpid(), peak_rss_kb(), seconds, maxrss_kb(), _pipelines_built())


def _pipelines_built() -> int:
    from kilde.pipeline import pipelines_built

    return pipelines_built()


def recycle_pipelines(languages: set[str]) -> bool:
    """Drop this process's pipelines when one has outgrown ``VOCAB_LIMIT``; True when it did."""
    from kilde.pipeline import drop_pipelines, load

    if not any(len(load(language).vocab.strings) > VOCAB_LIMIT for language in languages):
        return False
    drop_pipelines()
    gc.collect()
    return True


def init_pool_worker(parent_pid: int) -> None:
    """Set up a local pool process: Ctrl-C is the driver's to handle, and the worker ends with it.

    A driver killed with SIGKILL cannot stop its pool, so each worker watches for its parent
    to change and exits then, instead of analysing on for nobody.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(70)

    threading.Thread(target=watch, name="kilde-parent-watch", daemon=True).start()


def warm_up(language: str | None) -> int:
    """Build the pipeline before the first chunk arrives (used by benchmarks); returns the process id."""
    analysis.load(language or "nb")
    return os.getpid()
