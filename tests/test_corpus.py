"""Corpus runs: readers, local and Dask runs with identical output, kill and rerun, tables.

The corpus is written here: sample articles (``kilde.corpus.sample``) as JSON Lines, a
folder of .txt and .html files, and WARC / WARC.gz archives made with warcio.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("warcio")
pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

import duckdb
import pyarrow.parquet as pq
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kilde import KildeError
from kilde.cli import main
from kilde.corpus import RunOptions, run_corpus
from kilde.corpus.sample import as_html, sample_records
from kilde.corpus.shards import ShardStore, line_id
from kilde.io.corpus import count_corpus, iter_corpus, prepare_document
from kilde.io.records import CorpusError, CorpusRecord

TABLE_NAMES = ("articles", "quotes", "entities", "hedges")


# --- writing a corpus ---------------------------------------------------------------------------


def write_jsonl(path: Path, records: list[dict[str, Any]], extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join([*lines, *extra_lines]) + "\n", encoding="utf-8")
    return path


def write_warc(path: Path, records: list[dict[str, Any]], compress: bool) -> list[str]:
    """An archive with one HTML response per record plus records that are not articles.

    Returns the ids of the article records, in archive order.
    """
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)

        def response(url: str, body: bytes, status: str, content_type: str, date: str | None = None) -> None:
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            headers = {"WARC-Date": date} if date else None
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict=headers
            )
            writer.write_record(record)

        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "www.fjordnytt.no")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record("https://www.fjordnytt.no/", "request", http_headers=request)
        )
        for record in records:
            page = as_html(record).encode("utf-8")
            response(record["url"], page, "200 OK", "text/html; charset=utf-8", "2024-06-01T12:00:00Z")
        response("https://www.fjordnytt.no/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "200 OK", "image/png")
        response("https://www.fjordnytt.no/gammel", b"", "301 Moved Permanently", "text/html")
    with path.open("rb") as archive:
        ids = [
            record.rec_headers.get_header("WARC-Record-ID").strip("<>")
            for record in ArchiveIterator(archive)
            if record.rec_type == "response" and record.http_headers.get_statuscode() == "200"
        ]
    return ids[: len(records)]


@pytest.fixture(scope="module")
def samples() -> list[dict[str, Any]]:
    return list(sample_records(48, seed=11))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, samples: list[dict[str, Any]]) -> list[Path]:
    """JSON Lines (with two bad lines), a folder of .txt/.html files, and a WARC.gz: 48 articles, 2 errors."""
    root = tmp_path_factory.mktemp("corpus")
    jsonl = write_jsonl(
        root / "nyheter.jsonl",
        samples[:30],
        extra_lines=('{"id": "broken", "text": "no end', '{"id": "tom", "text": "  "}'),
    )
    folder = root / "sider"
    (folder / "2024" / "03").mkdir(parents=True)
    for record in samples[30:36]:
        (folder / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")
    for record in samples[36:42]:
        (folder / "2024" / "03" / f"{record['id']}.html").write_text(as_html(record), encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")  # unknown kind: ignored
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    write_warc(root / "crawl.warc.gz", samples[42:], compress=True)
    return [jsonl, folder, root / "crawl.warc.gz"]


def shard_results(outdir: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted((outdir / "shards").glob("part-*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return sorted(rows, key=lambda row: json.dumps(row["id"]))


def error_ids(outdir: Path) -> list[Any]:
    path = outdir / "errors.jsonl"
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def tables(outdir: Path) -> dict[str, list[dict[str, Any]]]:
    return {name: pq.read_table(outdir / "tables" / f"{name}.parquet").to_pylist() for name in TABLE_NAMES}


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory: pytest.TempPathFactory, corpus: list[Path]) -> Path:
    """The reference: the whole corpus analysed in this process."""
    outdir = tmp_path_factory.mktemp("serial") / "out"
    summary = run_corpus(corpus, outdir, RunOptions(workers=1, chunk_size=4, shard_size=10, progress=False))
    assert (summary.records, summary.ok, summary.errors, summary.skipped) == (50, 48, 2, 0)
    return outdir


# --- readers ------------------------------------------------------------------------------------


def test_jsonl_records_keep_ids_language_and_metadata(tmp_path: Path, samples: list[dict[str, Any]]) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", samples[:2], extra_lines=('{"text": "Uten id."}', "[1]"))
    items = list(iter_corpus([path]))
    assert [item.id for item in items] == [samples[0]["id"], samples[1]["id"], "line-3", "line-4"]
    first = items[0]
    assert isinstance(first, CorpusRecord)
    assert first.text == samples[0]["text"] and first.language == samples[0]["language"]
    assert first.metadata == {key: samples[0][key] for key in ("url", "outlet", "published")}
    assert isinstance(items[3], CorpusError) and items[3].source.endswith("a.jsonl:4")
    document = prepare_document(first)
    assert document.metadata["outlet"] == samples[0]["outlet"]
    assert document.metadata["published"] == samples[0]["published"]
    assert count_corpus([path]) == 4


def test_folder_of_txt_and_html(corpus: list[Path], samples: list[dict[str, Any]]) -> None:
    folder = corpus[1]
    items = list(iter_corpus([folder]))
    expected = [f"{record['id']}.txt" for record in samples[30:36]] + [
        f"2024/03/{record['id']}.html" for record in samples[36:42]
    ]
    # Relative paths; a folder's files (sorted) before its subfolders; .md and hidden files skipped.
    assert [item.id for item in items] == expected
    assert count_corpus([folder]) == 12
    page = next(item for item in items if str(item.id).endswith(".html"))
    assert isinstance(page, CorpusRecord) and page.data is not None
    document = prepare_document(page)
    source = next(record for record in samples if str(page.id).endswith(record["id"] + ".html"))
    assert "Forsiden" not in document.text and "informasjonskapsler" not in document.text
    assert document.text.split("\n\n")[1] == source["text"].split("\n\n")[1]
    assert document.metadata["outlet"] == source["outlet"]  # the page's site name: it has no URL
    assert document.metadata["published"] == source["published"]


@pytest.mark.parametrize("compress", [False, True])
def test_warc_pages(tmp_path: Path, samples: list[dict[str, Any]], compress: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    ids = write_warc(path, samples[:3], compress=compress)
    if compress:
        assert path.read_bytes()[:2] == b"\x1f\x8b"
        gzip.decompress(path.read_bytes())  # a real gzip file
    items = list(iter_corpus([path]))
    assert [item.id for item in items] == ids  # the request, the image and the redirect are skipped
    assert all(str(item_id).startswith("urn:uuid:") for item_id in ids)
    assert count_corpus([path]) is None  # not counted: that would read the archive twice
    for item, record in zip(items, samples, strict=False):
        assert isinstance(item, CorpusRecord)
        assert item.metadata["url"] == record["url"]
        document = prepare_document(item)
        assert document.metadata["url"] == record["url"]
        assert document.metadata["outlet"] == record["outlet"]  # host name without www.
        assert document.metadata["published"] == record["published"]  # the page's date beats the WARC date
        assert record["text"].split("\n\n")[1] in document.text


def test_warc_date_and_http_charset(tmp_path: Path) -> None:
    """A page without a date gets the capture date; a Latin-1 page that only HTTP declares is read."""
    paragraph = "Et bolighus brant ned natt til søndag, opplyser politiet til avisen i en melding."
    page = f"<html><body><article><h1>Brann i Bergen</h1><p>{paragraph}</p></article></body></html>"
    path = tmp_path / "one.warc"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=iso-8859-1")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            "http://www.bt.no/nyheter/1",
            "response",
            payload=io.BytesIO(page.encode("latin-1")),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2023-11-05T09:30:00Z"},
        )
        writer.write_record(record)
    (item,) = list(iter_corpus([path]))
    assert isinstance(item, CorpusRecord)
    document = prepare_document(item)
    assert "søndag" in document.text
    assert document.metadata["published"] == "2023-11-05"
    assert document.metadata["outlet"] == "bt.no"


def test_missing_and_unknown_inputs(tmp_path: Path) -> None:
    with pytest.raises(KildeError, match="no such file"):
        iter_corpus([tmp_path / "nope.jsonl"])
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(KildeError, match="cannot tell how to read"):
        iter_corpus([odd])


# --- runs ---------------------------------------------------------------------------------------


def test_serial_run_output(serial_run: Path, samples: list[dict[str, Any]]) -> None:
    results = shard_results(serial_run)
    assert len(results) == 48
    assert all(result["schema"] == "kilde/1" for result in results)
    assert sorted(error_ids(serial_run)) == ["broken", "tom"]
    jsonl_ids = {record["id"] for record in samples[:30]}
    by_id = {result["id"]: result for result in results}
    assert jsonl_ids <= set(by_id)
    first = by_id[samples[0]["id"]]
    assert first["text"] == samples[0]["text"]
    assert first["metadata"]["outlet"] == samples[0]["outlet"]
    assert all(line.startswith('{"id": ') for line in (serial_run / "shards" / "part-00000.jsonl").open())
    summary = json.loads((serial_run / "summary.json").read_text(encoding="utf-8"))
    assert summary["records"] == summary["ok"] + summary["errors"] + summary["skipped"] == 50
    assert not list((serial_run / "shards").glob(".*"))  # no temporary files left


def test_workers_2_gives_identical_output(
    tmp_path: Path, corpus: list[Path], serial_run: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = tmp_path / "out"
    argv = ["batch", *map(str, corpus), "-o", str(outdir), "--workers", "2", "--chunk-size", "4"]
    assert main([*argv, "--shard-size", "10"]) == 0
    assert "50 records: 48 ok, 2 errors, 0 skipped" in capsys.readouterr().err
    assert shard_results(outdir) == shard_results(serial_run)
    assert sorted(error_ids(outdir)) == sorted(error_ids(serial_run))
    assert tables(outdir) == tables(serial_run)
    summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert len(summary["worker_peak_rss_mb"]) == 2  # two worker processes did the work
    # Each built its pipelines once, one per language (nb, nn), however many chunks it took.
    assert all(built <= 2 for built in summary["worker_pipelines_built"].values())
    # A rerun finds everything done.
    assert main([*argv]) == 0
    assert "50 records: 0 ok, 0 errors, 50 skipped" in capsys.readouterr().err


def test_dask_local_cluster_gives_identical_output(
    tmp_path: Path, corpus: list[Path], serial_run: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        outdir = tmp_path / "out"
        options = RunOptions(scheduler=cluster.scheduler_address, chunk_size=4, shard_size=10, progress=False)
        summary = run_corpus(corpus, outdir, options)
    assert (summary.ok, summary.errors) == (48, 2)
    assert len(summary.worker_peak_rss_mb) == 2
    assert all(built <= 2 for built in summary.worker_pipelines_built.values())
    assert shard_results(outdir) == shard_results(serial_run)
    assert sorted(error_ids(outdir)) == sorted(error_ids(serial_run))
    assert tables(outdir) == tables(serial_run)


def test_kill_and_rerun(tmp_path: Path) -> None:
    """SIGKILL mid-run leaves only complete shards; the rerun finishes with every id exactly once."""
    records = list(sample_records(90, seed=3))
    source = write_jsonl(tmp_path / "in.jsonl", records)
    outdir = tmp_path / "out"
    script = (
        "import sys; from kilde.cli import main; sys.exit(main(sys.argv[1:]))"  # the same as the kilde script
    )
    argv = [sys.executable, "-c", script, "batch", str(source), "-o", str(outdir)]
    options = ["--workers", "2", "--chunk-size", "3", "--shard-size", "6"]
    process = subprocess.Popen(
        [*argv, *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 90
        while len(list((outdir / "shards").glob("part-*.jsonl"))) < 3:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "no shards after 90 s"
            time.sleep(0.02)
        children = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        # The pool's workers notice that their driver is gone and stop.
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children)
    finally:
        if process.poll() is None or any(_alive(pid) for pid in _children(process.pid)):
            os.killpg(process.pid, signal.SIGKILL)  # our own process group only
        process.wait(timeout=10)

    done_before = shard_results(outdir)
    assert 6 <= len(done_before) < 90  # killed midway
    for path in (outdir / "shards").glob("part-*.jsonl"):  # every committed shard is whole
        assert len(path.read_text(encoding="utf-8").splitlines()) == 6

    rerun = subprocess.run([*argv, *options], capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert f"90 records: {90 - len(done_before)} ok, 0 errors, {len(done_before)} skipped" in rerun.stderr
    ids = [row["id"] for row in shard_results(outdir)]
    assert sorted(ids) == sorted(record["id"] for record in records)  # every id exactly once
    assert error_ids(outdir) == []
    articles = pq.read_table(outdir / "tables" / "articles.parquet").column("id").to_pylist()
    assert articles == sorted(ids)
    assert not list((outdir / "shards").glob(".*"))


def _children(pid: int) -> list[int]:
    import psutil

    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_duplicates_and_counts(tmp_path: Path, samples: list[dict[str, Any]]) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [samples[0], samples[1], samples[0]])
    summary = run_corpus([source], tmp_path / "out", RunOptions(progress=False))
    assert (summary.records, summary.ok, summary.errors, summary.skipped) == (3, 2, 1, 0)
    (error,) = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").open(encoding="utf-8")]
    assert error["id"] == samples[0]["id"] and "duplicate id" in error["error"]
    more = write_jsonl(tmp_path / "more.jsonl", [samples[2]])
    summary = run_corpus([source, more], tmp_path / "out", RunOptions(progress=False))
    assert (summary.records, summary.ok, summary.errors, summary.skipped) == (4, 1, 0, 3)


def test_leftovers_of_a_kill_are_cleaned(tmp_path: Path, samples: list[dict[str, Any]]) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", samples[:4])
    outdir = tmp_path / "out"
    run_corpus([source], outdir, RunOptions(shard_size=2, progress=False))
    shards = outdir / "shards"
    (shards / "part-00001.jsonl").unlink()  # as if killed before this shard's commit point
    (shards / ".part-00005.jsonl.123.tmp").write_text('{"id": "half', encoding="utf-8")
    summary = run_corpus([source], outdir, RunOptions(shard_size=2, progress=False))
    assert (summary.ok, summary.skipped) == (2, 2)
    for part in [*shards.glob("part-*.parquet"), *shards.glob("*.keys.json")]:
        assert (shards / (part.name.split(".")[0] + ".jsonl")).exists()  # orphans went; no shard twice
    assert not list(shards.glob(".*"))
    assert len(tables(outdir)["articles"]) == 4


def test_second_run_on_same_folder_is_refused(tmp_path: Path, samples: list[dict[str, Any]]) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", samples[:1])
    with ShardStore(tmp_path / "out"), pytest.raises(KildeError, match="another kilde run"):
        run_corpus([source], tmp_path / "out", RunOptions(progress=False))


def test_cli_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "«Ja», sier han."}])
    assert main(["batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "2"]) == 2
    assert "give an output folder" in capsys.readouterr().err
    assert main(["batch", str(source), str(source), "-o", str(tmp_path / "out.jsonl")]) == 2
    capsys.readouterr()
    assert main(["batch", str(source), "-o", str(tmp_path / "o"), "-w", "2", "--scheduler", "tcp://x:1"]) == 2
    assert "either" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    # The old single-file form is untouched.
    assert main(["batch", str(source), "-o", str(tmp_path / "out.jsonl")]) == 0
    assert "1 records: 1 ok, 0 errors" in capsys.readouterr().err
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))["id"] == "a"


def test_rerun_without_id_lists(tmp_path: Path, samples: list[dict[str, Any]]) -> None:
    """Shards whose key list is missing (an older kilde, or by hand) are read instead."""
    source = write_jsonl(tmp_path / "in.jsonl", samples[:3])
    outdir = tmp_path / "out"
    run_corpus([source], outdir, RunOptions(shard_size=2, progress=False))
    for path in (outdir / "shards").glob("part-*.keys.json"):
        path.unlink()
    summary = run_corpus([source], outdir, RunOptions(progress=False))
    assert (summary.ok, summary.skipped) == (0, 3)


def test_line_id_reads_only_the_start() -> None:
    assert line_id('{"id": "a\\"b", "schema": "kilde/1"}') == 'a"b'
    assert line_id('{"id": 12, "x": 1}') == 12
    assert line_id('{"schema": "kilde/1", "id": "late"}') == "late"


# --- tables -------------------------------------------------------------------------------------


def test_tables_with_duckdb(serial_run: Path, samples: list[dict[str, Any]]) -> None:
    folder = (serial_run / "tables").as_posix()
    connection = duckdb.connect()
    counts = connection.execute(
        f"SELECT (SELECT count(*) FROM '{folder}/articles.parquet'),"
        f" (SELECT count(*) FROM '{folder}/quotes.parquet')"
    ).fetchone()
    assert counts is not None
    articles, quotes = counts
    assert articles == 48
    results = shard_results(serial_run)
    assert quotes == sum(len(result["quotes"]) for result in results)
    # The README's example: top sources in a corpus.
    top = connection.execute(
        f"""SELECT speaker_name, count(*) AS quotes, count(DISTINCT article_id) AS articles
            FROM '{folder}/quotes.parquet' WHERE speaker_name IS NOT NULL
            GROUP BY speaker_name ORDER BY quotes DESC LIMIT 10"""
    ).fetchall()
    assert top and top[0][1] >= top[-1][1]
    # Per-article counts agree with the quotes table; metadata came along.
    mismatches = connection.execute(
        f"""SELECT a.id FROM '{folder}/articles.parquet' a
            LEFT JOIN (SELECT article_id, count(*) n, sum(hedged::INT) h FROM '{folder}/quotes.parquet'
                       GROUP BY ALL) q ON q.article_id = a.id
            WHERE coalesce(q.n, 0) != a.n_quotes OR coalesce(q.h, 0) != a.n_hedged"""
    ).fetchall()
    assert mismatches == []
    row = connection.execute(
        f"SELECT outlet, url, published::VARCHAR FROM '{folder}/articles.parquet' WHERE id = ?",
        [samples[0]["id"]],
    ).fetchone()
    assert row == (samples[0]["outlet"], samples[0]["url"], samples[0]["published"])
    kinds = dict(
        connection.execute(
            f"SELECT relayed, count(*) FROM '{folder}/quotes.parquet' "
            "WHERE speaker_kind IN ('media', 'document') GROUP BY ALL"
        ).fetchall()
    )
    assert set(kinds) <= {True}  # quotes from media and documents always count as relayed
    # Every quote has a chain of at least its own speaker; a longer one starts at a cited source.
    chains = connection.execute(
        f"SELECT min(chain_depth), count(*) FILTER (WHERE chain_depth > 1 AND first_source IS NULL) "
        f"FROM '{folder}/quotes.parquet'"
    ).fetchone()
    assert chains == (1, 0)
    genders = {
        g
        for (g,) in connection.execute(
            f"SELECT DISTINCT speaker_gender FROM '{folder}/quotes.parquet'"
        ).fetchall()
    }
    assert genders <= {"f", "m", None}


def test_pipeline_rebuilt_when_vocabulary_grows(
    monkeypatch: pytest.MonkeyPatch, samples: list[dict[str, Any]]
) -> None:
    """A worker drops a pipeline whose vocabulary outgrew the limit; the results stay the same."""
    from kilde.corpus import work
    from kilde.pipeline import load

    records = [CorpusRecord(id=r["id"], text=r["text"], language=r["language"]) for r in samples[:4]]
    before = work.process_chunk(records)
    pipeline = load("nb")
    monkeypatch.setattr(work, "VOCAB_LIMIT", 10)
    after = work.process_chunk(records)
    assert load("nb") is not pipeline  # rebuilt
    assert [o.line for o in after.outcomes] == [o.line for o in before.outcomes]
    assert not work.recycle_pipelines(set())


def test_interrupt_commits_what_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, samples: list[dict[str, Any]]
) -> None:
    import kilde

    source = write_jsonl(tmp_path / "in.jsonl", samples[:8])
    real_analyze = kilde.analyze
    calls = []

    def interrupted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real_analyze(*args, **kwargs)

    monkeypatch.setattr(kilde.analysis, "analyze", interrupted)
    options = RunOptions(chunk_size=2, shard_size=100, progress=False)
    with pytest.raises(KeyboardInterrupt):
        run_corpus([source], tmp_path / "out", options)
    assert len(shard_results(tmp_path / "out")) == 4  # the two chunks that came back
    summary = run_corpus([source], tmp_path / "out", options)
    assert (summary.ok, summary.skipped) == (4, 4)
    assert len(shard_results(tmp_path / "out")) == 8


def test_quote_rows_carry_chain_depth_and_first_source() -> None:
    from kilde import analyze
    from kilde.corpus.tables import article_rows

    text = (
        "Soldat klager\n\n"
        "En soldat klager til moren sin over at han fryser, ifølge etterretningstjenesten, "
        "skriver Dagbladet.\n\n"
        "– Vi har ikke varme klær, sier soldaten."
    )
    rows = article_rows(analyze(text, "nb", doc_id="soldat"))["quotes"]
    by_content = {row["content"]: row for row in rows}
    soldier = by_content["Vi har ikke varme klær"]
    assert (soldier["chain_depth"], soldier["first_source"], soldier["first_source_kind"]) == (
        3,
        "Dagbladet",
        "media",
    )
    assert soldier["nested"] and soldier["relayed"]
    outlet = next(row for row in rows if row["speaker_name"] == "Dagbladet")
    assert (outlet["chain_depth"], outlet["first_source"]) == (1, "Dagbladet")
