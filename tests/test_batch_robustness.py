"""Batch jobs never lose a record: every input record ends as exactly one result or one error.

Bad metadata (lone surrogates, numbers too long for Python), duplicate ids across kills and
reruns, records that run past the time limit, and files in folders that are no regular files
(a FIFO, a link to /dev/zero, a huge file) each become one error record; the run goes on.
The example texts are written for these tests.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import kilde
import kilde.analysis
from kilde import KildeError
from kilde.cli import main
from kilde.io import JsonlError, JsonlRecord, iter_jsonl_records
from kilde.io.corpus import count_corpus, iter_corpus, normalize_date
from kilde.io.records import CorpusRecord, input_key
from kilde.limits import RecordTimeout, time_limit

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

import pyarrow.parquet as pq

from kilde.corpus import RunOptions, run_corpus
from kilde.corpus.work import ChunkResult, Outcome, process_chunk

HUGE = "9" * 5000  # over Python's 4,300-digit limit on int-string conversion

TEXTS = (
    "– Vi åpner brua i morgen, sier ordfører Kari Nordmo til Bygdeposten.",
    "Ifølge politiet var ingen skadet da bussen kjørte av vegen.",
    "«Dette er en god dag for bygda», sier rektor Marte Lie.",
    "Ho seier at ferja truleg går som vanleg igjen i morgon.",
)


def record(record_id: Any, text_number: int = 0, **fields: Any) -> str:
    """One JSON Lines record (ASCII, so that a lone surrogate is written as its escape)."""
    return json.dumps({"id": record_id, "text": TEXTS[text_number % len(TEXTS)], **fields})


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    # Strict UTF-8: an output file must hold no lone surrogate.
    text = path.read_bytes().decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def shard_records(outdir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every committed result and error of a corpus run's shards."""
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for path in sorted((outdir / "shards").glob("part-*.jsonl")):
        results += read_jsonl(path)
    for path in sorted((outdir / "shards").glob("errors-*.jsonl")):
        errors += read_jsonl(path)
    return results, errors


BAD_METADATA = [
    record("god-1", 0, published="2019-11", outlet="bygdeposten.no"),
    '{"id": "\\ud800", "text": "' + TEXTS[1] + '"}',  # a lone surrogate in the id
    record("rar-kilde", 2, outlet="\udc00"),  # ... and in the outlet
    '{"id": "stort-tall", "text": "' + TEXTS[0] + '", "sider": ' + HUGE + "}",
    '{"id": ' + HUGE + ', "text": "' + TEXTS[0] + '"}',
    '{"id": ' + HUGE + ', "text": ',  # broken JSON, with an id too long to read back
    record(1, 3, published="2019"),
    record("1", 3, published="2019-11-05T10:00:00Z"),
    record("god-2", 1, published="2020-02"),
]


# --- readers ------------------------------------------------------------------------------------


def test_reader_turns_bad_metadata_into_errors(tmp_path: Path) -> None:
    items = list(iter_jsonl_records(write_lines(tmp_path / "in.jsonl", BAD_METADATA)))
    assert len(items) == len(BAD_METADATA)
    kinds = [type(item).__name__ for item in items]
    assert kinds == ["JsonlRecord", *["JsonlError"] * 5, "JsonlRecord", "JsonlRecord", "JsonlRecord"]
    errors = [item for item in items if isinstance(item, JsonlError)]
    assert errors[0].id == "\ud800" and errors[0].reason.startswith('"id" holds a lone surrogate (\\ud800)')
    assert errors[1].id == "rar-kilde" and errors[1].reason.startswith('"outlet" holds a lone surrogate')
    assert errors[2].id == "stort-tall" and "4,300" in errors[2].reason
    assert errors[3].id == "line-5" and "4,300" in errors[3].reason
    assert errors[4].id == "line-6"  # the id cannot be read back either
    assert [item.id for item in items if isinstance(item, JsonlRecord)] == ["god-1", 1, "1", "god-2"]


def test_overlong_line_is_skipped_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kilde.io.jsonl as jsonl

    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 200)
    monkeypatch.setattr(jsonl, "_READ_BLOCK", 64)
    path = write_lines(
        tmp_path / "in.jsonl", [record("a"), record("lang", text=" ".join(TEXTS * 4)), record("b")]
    )
    items = list(iter_jsonl_records(path))
    assert [(type(item).__name__, item.id) for item in items] == [
        ("JsonlRecord", "a"),
        ("JsonlError", "line-2"),
        ("JsonlRecord", "b"),
    ]
    assert "longer than" in items[1].reason  # type: ignore[union-attr]
    assert jsonl.count_jsonl_records(path) == 3


def test_dates_keep_their_precision() -> None:
    assert normalize_date("2019") == "2019"
    assert normalize_date("2019-11") == "2019-11"
    assert normalize_date(" 2019-11-05 ") == "2019-11-05"
    assert normalize_date("2019-11-05T10:00:00+01:00") == "2019-11-05"
    for bad in ("2019-13", "0000", "19", "november 2019", "", None, 2019, "2019-11-31"):
        assert normalize_date(bad) is None, bad


# --- kilde batch IN.jsonl -o OUT.jsonl -----------------------------------------------------------


def test_jsonl_mode_survives_bad_metadata(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_lines(tmp_path / "in.jsonl", BAD_METADATA)
    target = tmp_path / "out.jsonl"
    assert main(["batch", str(source), "-o", str(target)]) == 0
    rows = read_jsonl(target)
    assert len(rows) == len(BAD_METADATA)  # one output line per input line, in order
    assert [row["id"] for row in rows] == [
        "god-1",
        "\\ud800",  # written as its escape, so the file stays UTF-8
        "rar-kilde",
        "stort-tall",
        "line-5",
        "line-6",
        1,
        "1",
        "god-2",
    ]
    assert ["error" in row for row in rows] == [False, True, True, True, True, True, False, False, False]
    assert "9 records: 4 ok, 5 errors" in capsys.readouterr().err


# --- corpus runs --------------------------------------------------------------------------------


def test_corpus_run_survives_bad_metadata(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "in.jsonl", BAD_METADATA)
    outdir = tmp_path / "run"
    summary = run_corpus([source], outdir, RunOptions(progress=False, shard_size=3))
    assert (summary.records, summary.ok, summary.errors) == (9, 4, 5)
    results, errors = shard_records(outdir)
    assert sorted(map(json.dumps, (row["id"] for row in results))) == sorted(
        map(json.dumps, ["god-1", 1, "1", "god-2"])
    )
    assert sorted(error["source"] for error in errors) == [f"{source}:{n}" for n in range(2, 7)]
    assert "\\ud800" in [error["id"] for error in errors]
    assert len(read_jsonl(outdir / "errors.jsonl")) == 5

    articles = pq.read_table(outdir / "tables" / "articles.parquet").to_pylist()
    by_key = {(row["id"], row["id_type"]): row for row in articles}
    assert len(articles) == 4 and ("1", "integer") in by_key and ("1", "string") in by_key
    assert by_key[("1", "integer")]["published"] == "2019"
    assert by_key[("1", "integer")]["published_precision"] == "year"
    assert by_key[("1", "string")]["published"] == "2019-11-05"
    assert by_key[("1", "string")]["published_precision"] == "day"
    assert by_key[("god-1", "string")]["published"] == "2019-11"
    assert by_key[("god-1", "string")]["published_precision"] == "month"
    quotes = pq.read_table(outdir / "tables" / "quotes.parquet").to_pylist()
    assert {(row["article_id"], row["article_id_type"]) for row in quotes} >= {
        ("1", "integer"),
        ("1", "string"),
    }
    assert {row["published"] for row in quotes} >= {"2019", "2019-11", "2019-11-05"}

    # The report bins months from text dates of any precision.
    assert main(["report", str(outdir), "-o", str(tmp_path / "report.html")]) == 0
    assert (tmp_path / "report.html").stat().st_size > 0

    # A rerun finds all nine records done.
    again = run_corpus([source], outdir, RunOptions(progress=False))
    assert (again.records, again.skipped) == (9, 9)


def test_input_keys() -> None:
    assert input_key("a") == '"a"' and input_key("a", 2) == '"a"#2'
    assert input_key(1) != input_key("1")
    assert input_key("\ud800").isascii() and input_key("\ud800") != input_key("\\ud800")


def test_duplicate_whose_error_was_committed_first(tmp_path: Path) -> None:
    """Killed after the duplicate's error was committed but before its original's result."""
    source = write_lines(tmp_path / "in.jsonl", [record("a", 0), record("x", 1), record("x", 2)])
    outdir = tmp_path / "run"
    run_corpus([source], outdir, RunOptions(progress=False, shard_size=1, chunk_size=4))
    shards = outdir / "shards"
    results, errors = shard_records(outdir)
    assert len(results) == 2 and [error["source"] for error in errors] == [f"{source}:3"]
    # Take back the results shard of "x" (as if the kill came just before its commit point).
    for path in shards.glob("part-*.jsonl"):
        if read_jsonl(path)[0]["id"] == "x":
            path.unlink()
    summary = run_corpus([source], outdir, RunOptions(progress=False, shard_size=1))
    assert (summary.ok, summary.errors, summary.skipped) == (1, 0, 2)  # x analysed, not skipped
    results, errors = shard_records(outdir)
    assert sorted(row["id"] for row in results) == ["a", "x"]
    assert [row["text"] for row in results if row["id"] == "x"] == [TEXTS[1]]  # the first x, not the copy
    assert [error["source"] for error in errors] == [f"{source}:3"]


def test_duplicate_whose_original_was_committed_first(tmp_path: Path) -> None:
    """Killed after the original's result was committed but before the duplicate's error."""
    lines = [record("x", 0), record("b", 1), record("x", 2), record("x", 3)]
    source = write_lines(tmp_path / "in.jsonl", lines)
    outdir = tmp_path / "run"
    run_corpus([source], outdir, RunOptions(progress=False, shard_size=1, chunk_size=1))
    for path in (outdir / "shards").glob("errors-*"):
        path.unlink()
    summary = run_corpus([source], outdir, RunOptions(progress=False))
    assert (summary.ok, summary.errors, summary.skipped) == (0, 2, 2)  # both copies get their error again
    results, errors = shard_records(outdir)
    assert sorted(row["id"] for row in results) == ["b", "x"]
    assert sorted(error["source"] for error in errors) == [f"{source}:3", f"{source}:4"]
    assert all("duplicate id" in error["error"] for error in errors)


def test_old_output_without_key_lists(tmp_path: Path) -> None:
    """Shards of an older kilde (id lists, no key lists) are read by their ids."""
    source = write_lines(tmp_path / "in.jsonl", [record("x", 0), record("x", 1), record("y", 2)])
    outdir = tmp_path / "run"
    run_corpus([source], outdir, RunOptions(progress=False, shard_size=1))
    for path in (outdir / "shards").glob("*.keys.json"):
        path.unlink()
    summary = run_corpus([source], outdir, RunOptions(progress=False))
    assert (summary.ok, summary.errors, summary.skipped) == (0, 0, 3)


# --- folders ------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_folder_reads_only_regular_files(tmp_path: Path) -> None:
    folder = tmp_path / "sider"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    (folder / "b.txt").write_text(TEXTS[2], encoding="utf-8")
    os.mkfifo(folder / "kø.txt")  # reading it would wait for a writer for ever
    os.mkfifo(folder / "strøm.jsonl")
    (folder / "null.txt").symlink_to("/dev/zero")  # reading it would never end
    (folder / "borte.txt").symlink_to(folder / "finnes-ikke.txt")
    with (folder / "stor.txt").open("wb") as stream:  # 21 MB, sparse
        stream.truncate(21 * 1024 * 1024)
    (folder / os.fsdecode(b"l\xf8k.txt")).write_text(TEXTS[1], encoding="utf-8")  # a Latin-1 name

    found: list[Any] = []
    reader = threading.Thread(target=lambda: found.extend(iter_corpus([folder])), daemon=True)
    reader.start()
    reader.join(30)
    assert not reader.is_alive(), "reading the folder blocked"
    assert count_corpus([folder]) == len(found) == 8
    reasons = {item.id: getattr(item, "reason", None) for item in found}
    assert "named pipe" in reasons["kø.txt"] and "named pipe" in reasons["strøm.jsonl"]
    assert "character device" in reasons["null.txt"]
    assert "No such file" in reasons["borte.txt"]
    assert "21.0 MB" in reasons["stor.txt"]
    assert reasons["a.txt"] is None and reasons["l\\xf8k.txt"] is None  # ids that any file can hold

    outdir = tmp_path / "run"
    summary = run_corpus([folder], outdir, RunOptions(progress=False))
    assert (summary.records, summary.ok, summary.errors) == (8, 3, 5)
    results, errors = shard_records(outdir)
    assert sorted(row["id"] for row in results) == ["a.txt", "b.txt", "l\\xf8k.txt"]
    assert len(errors) == 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_devices_given_as_inputs_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "null.jsonl").symlink_to("/dev/zero")
    assert main(["batch", str(tmp_path / "null.jsonl"), "-o", str(tmp_path / "run")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kilde: error:") and "character device" in err and len(err.splitlines()) == 1


# --- time limit ---------------------------------------------------------------------------------


def slow_on_marker(monkeypatch: pytest.MonkeyPatch, busy: bool = False) -> None:
    """Make kilde.analyze hang on texts that contain SAKTE (sleeping, or busy in Python)."""
    real_analyze = kilde.analyze

    def analyze(text: str, language: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
        if "SAKTE" in text:
            end = time.monotonic() + 30
            while time.monotonic() < end:
                if not busy:
                    time.sleep(30)
        return real_analyze(text, language=language, doc_id=doc_id)

    monkeypatch.setattr(kilde.analysis, "analyze", analyze)


# Far below the 30 s a marked record hangs, far above what a normal record takes on a busy machine.
TEST_TIME_LIMIT = 5.0
TIMED_LINES = [record("før", 0), record("treg", text="SAKTE. " + TEXTS[1]), record("etter", 2)]


def test_time_limit_in_jsonl_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    slow_on_marker(monkeypatch)
    source = write_lines(tmp_path / "in.jsonl", TIMED_LINES)
    target = tmp_path / "out.jsonl"
    started = time.monotonic()
    assert main(["batch", str(source), "-o", str(target), "--time-limit", str(TEST_TIME_LIMIT)]) == 0
    assert time.monotonic() - started < 20
    rows = read_jsonl(target)
    assert [row["id"] for row in rows] == ["før", "treg", "etter"]
    assert f"time limit of {TEST_TIME_LIMIT:g} s" in rows[1]["error"] and "error" not in rows[2]
    assert "3 records: 2 ok, 1 errors" in capsys.readouterr().err


def test_time_limit_in_serial_corpus_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow_on_marker(monkeypatch)
    source = write_lines(tmp_path / "in.jsonl", TIMED_LINES)
    summary = run_corpus([source], tmp_path / "run", RunOptions(progress=False, time_limit=TEST_TIME_LIMIT))
    assert (summary.ok, summary.errors) == (2, 1)
    (error,) = read_jsonl(tmp_path / "run" / "errors.jsonl")
    assert error["id"] == "treg" and "time limit" in error["error"]


def test_time_limit_in_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dask runs tasks in threads, which take no signals: a watchdog stops the record instead."""
    slow_on_marker(monkeypatch, busy=True)
    records = [
        CorpusRecord(id=name, text=json.loads(line)["text"], key=input_key(name))
        for name, line in zip(("før", "treg", "etter"), TIMED_LINES, strict=True)
    ]
    done: list[Any] = []
    worker = threading.Thread(target=lambda: done.append(process_chunk(records, None, TEST_TIME_LIMIT)))
    started = time.monotonic()
    worker.start()
    worker.join(25)
    assert done, "the record was not stopped"
    assert time.monotonic() - started < 20
    outcomes = done[0].outcomes
    assert [outcome.error is None for outcome in outcomes] == [True, False, True]
    assert "time limit" in str(outcomes[1].error)


def test_time_limit_context_in_both_kinds_of_thread() -> None:
    def spin() -> None:
        end = time.monotonic() + 10
        while time.monotonic() < end:
            pass

    for in_thread in (False, True):
        caught: list[float] = []

        def run(caught: list[float] = caught) -> None:
            started = time.monotonic()
            try:
                with time_limit(0.2):
                    spin()
            except RecordTimeout:
                caught.append(time.monotonic() - started)
            with time_limit(5):  # finishes in time: no exception, nothing pending afterwards
                pass
            time.sleep(0.1)

        if in_thread:
            thread = threading.Thread(target=run)
            thread.start()
            thread.join(15)
        else:
            run()
        assert caught and caught[0] < 2, in_thread


def test_time_limit_reaches_pool_workers(tmp_path: Path) -> None:
    """Spawned workers see no monkeypatch: a limit no real analysis can keep shows they apply it."""
    source = write_lines(tmp_path / "in.jsonl", [record(f"r{n}", n) for n in range(4)])
    options = RunOptions(progress=False, workers=2, chunk_size=2, time_limit=0.001)
    summary = run_corpus([source], tmp_path / "run", options)
    assert (summary.ok, summary.errors) == (0, 4)
    assert all("time limit" in error["error"] for error in read_jsonl(tmp_path / "run" / "errors.jsonl"))


def test_time_limit_reaches_dask_workers(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    source = write_lines(tmp_path / "in.jsonl", [record(f"r{n}", n) for n in range(3)])
    with distributed.LocalCluster(
        n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        options = RunOptions(progress=False, scheduler=cluster.scheduler_address, time_limit=0.001)
        summary = run_corpus([source], tmp_path / "run", options)
    assert (summary.ok, summary.errors) == (0, 3)
    assert all("time limit" in error["error"] for error in read_jsonl(tmp_path / "run" / "errors.jsonl"))


# --- workers that die ----------------------------------------------------------------------------


def dying_chunk(records: list[CorpusRecord], language: str | None, limit: float | None) -> ChunkResult:
    """A stand-in for process_chunk whose worker process dies on a record saying DØ (no analysis)."""
    if any("DØ" in (item.text or "") for item in records):
        os._exit(3)
    outcomes = [Outcome(item.key, item.id, line=json.dumps({"id": item.id}), rows={}) for item in records]
    return ChunkResult(outcomes, os.getpid(), 0, 0.0)


def always_dying_chunk(records: list[CorpusRecord], language: str | None, limit: float | None) -> ChunkResult:
    os._exit(3)


def dying_records() -> list[CorpusRecord]:
    names = ["r0", "r1", "gift", "r3", "r4", "r5"]
    return [
        CorpusRecord(id=name, text=("DØ. " if name == "gift" else "") + TEXTS[0], key=input_key(name))
        for name in names
    ]


def test_a_record_that_kills_its_pool_worker_is_one_error() -> None:
    from kilde.corpus.backends import DIED, run_processes

    records = dying_records()
    chunks = iter([records[:3], records[3:5], records[5:]])
    results = list(run_processes(chunks, None, 2, None, task=dying_chunk))
    outcomes = [outcome for result in results for outcome in result.outcomes]
    assert sorted(outcome.id for outcome in outcomes) == sorted(item.id for item in records)  # each once
    assert {outcome.id: outcome.error for outcome in outcomes if outcome.error} == {"gift": DIED}


def test_workers_dying_on_everything_stop_the_run() -> None:
    from kilde.corpus.backends import run_processes

    records = dying_records()
    with pytest.raises(KildeError, match="died on 3 records in a row"):
        list(run_processes(iter([records[:2], records[2:]]), None, 1, None, task=always_dying_chunk))


def test_a_record_that_kills_its_dask_worker_is_one_error() -> None:
    distributed = pytest.importorskip("distributed")
    import dask

    from kilde.corpus.backends import DIED, run_dask

    records = dying_records()
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
    ):
        chunks = iter([records[:3], records[3:]])
        results = list(run_dask(chunks, None, cluster.scheduler_address, None, task=dying_chunk))
    outcomes = [outcome for result in results for outcome in result.outcomes]
    assert sorted(outcome.id for outcome in outcomes) == sorted(item.id for item in records)
    assert {outcome.id: outcome.error for outcome in outcomes if outcome.error} == {"gift": DIED}


# --- kills at random moments ---------------------------------------------------------------------


def kill_test_lines() -> list[str]:
    """30 records: good ones, duplicates (one three times), and bad ones of every kind."""
    lines = [record(f"sak-{n:02d}", n) for n in range(18)]
    lines[3:3] = [record("sak-01", 5)]  # duplicate right after its original's chunk
    lines[6:6] = [record("sak-05", 6), record("sak-05", 7)]  # two copies
    lines[10:10] = ['{"id": "brutt", "text": ', '{"id": "\\udfff", "text": "Tekst."}']
    lines[14:14] = ['{"id": "tall", "n": ' + HUGE + "}", '["ikke", "et", "objekt"]', record(7, 1)]
    lines += [record("7", 2), '{"id": "tom", "text": "  "}', record("sak-17", 3)]
    lines += [record("hei", 1, outlet="\ud83d")]
    assert len(lines) == 30
    return lines


def _files(outdir: Path) -> set[str]:
    shards = outdir / "shards"
    return {path.name for path in shards.iterdir()} if shards.is_dir() else set()


def test_kills_at_random_moments_lose_nothing(tmp_path: Path) -> None:
    lines = kill_test_lines()
    source = write_lines(tmp_path / "in.jsonl", lines)
    outdir = tmp_path / "run"
    script = "import sys; from kilde.cli import main; sys.exit(main(sys.argv[1:]))"
    argv = [sys.executable, "-c", script, "batch", str(source), "-o", str(outdir)]
    argv += ["--chunk-size", "3", "--shard-size", "1"]
    rng = random.Random(int(os.environ.get("KILDE_KILL_SEED", "20240501")))
    started = time.monotonic()
    kills = 0
    for _ in range(6):
        # Kill at a random moment while the run is writing: after 1 to 3 new files (a fixed wait
        # could outlast a fast run and kill nothing), then 0-0.2 s later.
        before = _files(outdir)
        wanted = rng.randint(1, 3)
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while (
            len(_files(outdir) - before) < wanted and process.poll() is None and time.monotonic() < deadline
        ):
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.2))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=10)
    assert kills >= 3
    final = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert final.returncode == 0, final.stderr
    assert "30 records:" in final.stderr
    assert time.monotonic() - started < 90

    results, errors = shard_records(outdir)
    # The line of every record: a result is the first record with its id, an error names its line.
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        try:
            value = json.loads(line)
            key = json.dumps(value["id"]) if isinstance(value, dict) and "id" in value else None
        except (ValueError, KeyError):
            key = None
        if key is not None:
            first_line.setdefault(key, number)
    ended = Counter(first_line[json.dumps(row["id"])] for row in results)
    ended.update(int(error["source"].rsplit(":", 1)[1]) for error in errors)
    assert ended == Counter(range(1, 31)), ended  # every line exactly once
    assert read_jsonl(outdir / "errors.jsonl") == errors
    articles = pq.read_table(outdir / "tables" / "articles.parquet").to_pylist()
    assert len(articles) == len(results) == 18 + 2  # sak-00..17, 7 and "7"
    summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert summary["results_in_output"] == len(results) and summary["errors_in_output"] == len(errors)


def test_readme_and_cli_state_the_batch_limits() -> None:
    import inspect

    from kilde.cli import batch_command
    from kilde.io.jsonl import MAX_LINE_BYTES
    from kilde.limits import DEFAULT_TIME_LIMIT

    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8").split())
    assert f"line over {MAX_LINE_BYTES // 1024 // 1024} MiB" in readme
    assert f"--time-limit SECONDS` (default {DEFAULT_TIME_LIMIT:g}" in readme
    assert inspect.signature(batch_command).parameters["time_limit"].default == DEFAULT_TIME_LIMIT
    assert "`published_precision`" in readme and "`id_type`" in readme
