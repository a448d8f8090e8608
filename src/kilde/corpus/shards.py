"""The output folder of a corpus run, written so that a kill at any moment loses nothing that was done.

Layout of ``OUTDIR``::

    shards/part-00000.jsonl            kilde/1 results, one per line, "id" first
    shards/part-00000.keys.json        the input keys of those results
    shards/part-00000.<table>.parquet  that shard's rows of each table
    shards/errors-00000.jsonl          {"id", "error", "source"} for records of that shard that failed
    shards/errors-00000.keys.json      the input keys of those errors
    errors.jsonl                       every error, gathered at the end of a run
    tables/<table>.parquet             the merged tables
    summary.json                       counts of the last run

What a rerun skips is kept by *input key* (``kilde.io.records.input_key``): the id of a record
and how many records with that id came before it in the input, so the first ``a17`` is
``"a17"`` and a second one ``"a17"#1``. Each input record has its own key, so a duplicate's
error never stands for the record it duplicates, and a duplicate whose original was done by an
earlier run still gets its error record.

Every file is written to a hidden temporary file, fsynced and renamed into place, so a
file under its final name is always complete. A shard is committed in a fixed order: key
lists and table parts, then ``errors-N.jsonl``, then ``part-N.jsonl`` last. Each JSON Lines
file is the commit point of its records: a key list or table part without it is a leftover of
a killed run and is removed at the next start, and a rerun skips exactly the keys of the
committed ``part-*.jsonl`` and ``errors-*.jsonl`` files. Shards written before key lists
existed are read by their ids (``part-N.ids.json``, else the lines themselves).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from kilde.corpus.tables import TABLES, Rows, merge_parts, write_part
from kilde.errors import KildeError
from kilde.io.records import input_key, record_key

SHARDS_DIR = "shards"
TABLES_DIR = "tables"
ERRORS_FILE = "errors.jsonl"
SUMMARY_FILE = "summary.json"
LOCK_FILE = ".kilde.lock"

_SHARD_FILE = re.compile(r"^(part|errors)-(\d{5,})(?:\.jsonl|\.([a-z]+)\.(?:parquet|json))$")
SPILL_DIR = ".duckdb-spill"
"""Where DuckDB may spill while it sorts the tables; removed after the merge."""
_ID_PREFIX = '{"id": '


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a crash right after could otherwise undo it)."""
    with contextlib.suppress(OSError):  # some file systems do not allow opening a directory
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(temp_path)``, then fsync the file and rename it to ``target`` in one step."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(temp)
        descriptor = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def atomic_write_lines(target: Path, lines: list[str]) -> None:
    def write(path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="\n") as stream:
            stream.writelines(line + "\n" for line in lines)

    atomic_write(target, write)


def _write_part(path: Path, table: str, rows: list[dict[str, Any]]) -> None:
    write_part(path, table, rows)


def _merge_parts(path: Path, parts: list[Path], table: str, temp_dir: Path) -> None:
    merge_parts(parts, table, path, temp_dir)


def _read_list(path: Path) -> list[Any] | None:
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return values if isinstance(values, list) else None


def _sidecar(path: Path, name: str) -> Path:
    """``part-00001.keys.json`` next to ``part-00001.jsonl``."""
    return path.with_name(path.name.removesuffix(".jsonl") + f".{name}.json")


def _line_ids(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as stream:
        return [line_id(line) for line in stream if line.strip()]


def _error_lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                with contextlib.suppress(ValueError):
                    error = json.loads(line)
                    if isinstance(error, dict):
                        yield error


def line_id(line: str) -> Any:
    """The id of a shard line without parsing the (long) rest of it: the writer puts "id" first."""
    if line.startswith(_ID_PREFIX):
        with contextlib.suppress(json.JSONDecodeError):
            return json.JSONDecoder().raw_decode(line, len(_ID_PREFIX))[0]
    return json.loads(line)["id"]


@dataclass
class DoneSet:
    """What earlier runs finished: every record's input key, and how many results and errors."""

    keys: set[str] = field(default_factory=set)
    results: int = 0
    errors: int = 0


class ShardStore:
    """Owns ``OUTDIR`` for one run: a lock against a second run, cleanup, commits and the final files."""

    def __init__(self, outdir: Path, retry_errors: bool = False) -> None:
        if outdir.exists() and not outdir.is_dir():
            raise KildeError(f"{outdir} is a file; give a folder for the output of a corpus run")
        # Never spread shards among someone's own files (a home folder, the input folder).
        if (
            outdir.is_dir()
            and not (outdir / SHARDS_DIR).is_dir()
            and any(not path.name.startswith(".") for path in outdir.iterdir())
        ):
            raise KildeError(
                f"{outdir} is a directory with other files in it, not the output of a corpus run;"
                " give a new or empty folder (or OUT.jsonl to write one file)"
            )
        self.outdir = outdir
        self.shards = outdir / SHARDS_DIR
        try:
            self.shards.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise KildeError(f"cannot create {self.shards}: {error.strerror or error}") from None
        self._lock: IO[str] | None = (outdir / LOCK_FILE).open("w")
        try:
            # Released by the kernel when the process dies, so a killed run never blocks the rerun.
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            self._lock = None
            raise KildeError(f"another kilde run is writing to {outdir}") from None
        self._clean(retry_errors)
        numbers = [int(match.group(2)) for match in self._shard_files()]
        self.next_number = max(numbers, default=-1) + 1

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> ShardStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _shard_files(self) -> Iterator[re.Match[str]]:
        for path in self.shards.iterdir():
            match = _SHARD_FILE.match(path.name)
            if match:
                yield match

    def _clean(self, retry_errors: bool) -> None:
        """Remove temporary files and uncommitted key lists and table parts that a killed run left behind."""
        committed = {match.group(1, 2) for match in self._shard_files() if not match.group(3)}
        for path in list(self.shards.iterdir()):
            match = _SHARD_FILE.match(path.name)
            if path.name.startswith(".") and path.name.endswith(".tmp") and path.is_file():
                path.unlink(missing_ok=True)
            elif match is None:
                continue
            else:
                # A key list or table part without its JSON Lines file: that was never committed.
                orphan = bool(match.group(3)) and match.group(1, 2) not in committed
                if orphan or (retry_errors and match.group(1) == "errors"):
                    path.unlink(missing_ok=True)
        for folder in (self.outdir, self.outdir / TABLES_DIR):
            for path in folder.glob(".*.tmp"):
                path.unlink(missing_ok=True)
        shutil.rmtree(self.shards / SPILL_DIR, ignore_errors=True)

    def _files(self, kind: str) -> list[Path]:
        return sorted(self.shards.glob(f"{kind}-*.jsonl"))

    def done(self) -> DoneSet:
        """The input key of every record already written.

        Keys come from each file's key list. A results file without one (an older kilde, or
        written by hand) gives its ids, read from its id list or the start of each line: a
        result is always the first record with its id. An errors file without one gives its
        ids too, a duplicate's error counting as the next record with that id.
        """
        done = DoneSet()
        for path in self._files("part"):
            keys = _read_list(_sidecar(path, "keys"))
            if keys is None:
                ids = _read_list(_sidecar(path, "ids"))
                keys = [record_key(record_id) for record_id in (ids if ids is not None else _line_ids(path))]
            done.keys.update(keys)
            done.results += len(keys)
        duplicates: dict[str, int] = {}
        for path in self._files("errors"):
            keys = _read_list(_sidecar(path, "keys"))
            if keys is None:
                keys = []
                for error in _error_lines(path):
                    key = record_key(error.get("id"))
                    if str(error.get("error", "")).startswith("duplicate id"):
                        duplicates[key] = duplicates.get(key, 0) + 1
                        key = input_key(error.get("id"), duplicates[key])
                    keys.append(key)
            done.keys.update(keys)
            done.errors += len(keys)
        return done

    def commit(
        self, results: list[str], result_keys: list[str], errors: list[str], error_keys: list[str], rows: Rows
    ) -> None:
        """Write one shard: key lists and table parts, then errors, then results (each its commit point)."""
        number = f"{self.next_number:05d}"
        self.next_number += 1
        if results:
            atomic_write_lines(self.shards / f"part-{number}.keys.json", [json.dumps(result_keys)])
            for table in TABLES:
                atomic_write(
                    self.shards / f"part-{number}.{table}.parquet",
                    partial(_write_part, table=table, rows=rows.get(table, [])),
                )
        if errors:
            atomic_write_lines(self.shards / f"errors-{number}.keys.json", [json.dumps(error_keys)])
            atomic_write_lines(self.shards / f"errors-{number}.jsonl", errors)
        if results:
            atomic_write_lines(self.shards / f"part-{number}.jsonl", results)

    def finish(self, summary: dict[str, Any]) -> None:
        """Gather the errors, merge the tables and write the summary, each file atomically."""

        def gather(path: Path) -> None:
            with path.open("w", encoding="utf-8", newline="\n") as out:
                for part in self._files("errors"):
                    with part.open(encoding="utf-8") as stream:
                        shutil.copyfileobj(stream, out)

        atomic_write(self.outdir / ERRORS_FILE, gather)
        tables = self.outdir / TABLES_DIR
        tables.mkdir(exist_ok=True)
        temp_dir = self.shards / SPILL_DIR
        try:
            for table in TABLES:
                parts = sorted(self.shards.glob(f"part-*.{table}.parquet"))
                atomic_write(
                    tables / f"{table}.parquet",
                    partial(_merge_parts, parts=parts, table=table, temp_dir=temp_dir),
                )
        finally:
            shutil.rmtree(temp_dir, ignore_errors=True)
        atomic_write_lines(self.outdir / SUMMARY_FILE, [json.dumps(summary, ensure_ascii=False, indent=2)])
