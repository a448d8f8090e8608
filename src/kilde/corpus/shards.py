"""The output folder of a corpus run, written so that a kill at any moment loses nothing that was done.

Layout of ``OUTDIR``::

    shards/part-00000.jsonl            kilde/1 results, one per line, "id" first
    shards/part-00000.ids.json         their ids, so that a rerun need not read the results
    shards/part-00000.<table>.parquet  that shard's rows of each table
    shards/errors-00000.jsonl          {"id", "error", "source"} for records of that shard that failed
    errors.jsonl                       every error, gathered at the end of a run
    tables/<table>.parquet             the merged tables
    summary.json                       counts of the last run

Every file is written to a hidden temporary file, fsynced and renamed into place, so a
file under its final name is always complete. A shard is committed in a fixed order:
table parts, then errors, then ``part-N.jsonl`` last. The JSON Lines part is the commit
point: table parts and id lists without it are leftovers of a killed run and are removed
at the next start, and a rerun skips exactly the ids found in ``part-*.jsonl`` (read from
its id list) and ``errors-*.jsonl``.
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

from kilde import KildeError
from kilde.corpus.tables import TABLES, Rows, merge_parts, write_part
from kilde.io.records import record_key

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


def _read_ids(path: Path) -> list[Any] | None:
    try:
        ids = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return ids if isinstance(ids, list) else None


def _line_ids(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as stream:
        return [line_id(line) for line in stream if line.strip()]


def line_id(line: str) -> Any:
    """The id of a shard line without parsing the (long) rest of it: the writer puts "id" first."""
    if line.startswith(_ID_PREFIX):
        with contextlib.suppress(json.JSONDecodeError):
            return json.JSONDecoder().raw_decode(line, len(_ID_PREFIX))[0]
    return json.loads(line)["id"]


@dataclass
class DoneSet:
    """What earlier runs finished: the keys of every id in a shard, and how many results and errors."""

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
        """Remove temporary files and uncommitted table parts that a killed run left behind."""
        committed = {
            match.group(2) for match in self._shard_files() if match.group(1) == "part" and not match.group(3)
        }
        for path in list(self.shards.iterdir()):
            match = _SHARD_FILE.match(path.name)
            if path.name.startswith(".") and path.name.endswith(".tmp") and path.is_file():
                path.unlink(missing_ok=True)
            elif match is None:
                continue
            else:
                orphan = bool(match.group(3)) and match.group(2) not in committed  # no results to go with
                if orphan or (retry_errors and match.group(1) == "errors"):
                    path.unlink(missing_ok=True)
        for folder in (self.outdir, self.outdir / TABLES_DIR):
            for path in folder.glob(".*.tmp"):
                path.unlink(missing_ok=True)
        shutil.rmtree(self.shards / SPILL_DIR, ignore_errors=True)

    def _files(self, kind: str) -> list[Path]:
        return sorted(self.shards.glob(f"{kind}-*.jsonl"))

    def done(self) -> DoneSet:
        """Every id already written, as ``record_key``s.

        Results are known from each shard's id list; a shard without one (written by hand, or
        by another tool) is read, but only the start of each line.
        """
        done = DoneSet()
        for path in self._files("part"):
            ids = _read_ids(path.with_name(path.name.removesuffix(".jsonl") + ".ids.json"))
            if ids is None:
                ids = _line_ids(path)
            done.keys.update(record_key(record_id) for record_id in ids)
            done.results += len(ids)
        for path in self._files("errors"):
            ids = _line_ids(path)
            done.keys.update(record_key(record_id) for record_id in ids)
            done.errors += len(ids)
        return done

    def commit(self, results: list[str], ids: list[Any], errors: list[str], rows: Rows) -> None:
        """Write one shard: id list and table parts, then errors, then results (the commit point)."""
        number = f"{self.next_number:05d}"
        self.next_number += 1
        if results:
            atomic_write_lines(self.shards / f"part-{number}.ids.json", [json.dumps(ids, ensure_ascii=False)])
            for table in TABLES:
                atomic_write(
                    self.shards / f"part-{number}.{table}.parquet",
                    partial(_write_part, table=table, rows=rows.get(table, [])),
                )
        if errors:
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
