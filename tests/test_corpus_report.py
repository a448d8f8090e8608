"""``kilde report``: a self-contained HTML page, checked in headless Chromium (the system browser).

The screenshot goes to the test's tmp folder, and also to ``$KILDE_SCREENSHOT_DIR`` when set.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("plotly")
pytest.importorskip("duckdb")

from chromium import CHROMIUM, CHROMIUM_ARGS

from kilde.cli import main
from kilde.corpus import RunOptions, run_corpus
from kilde.corpus.report import build_report, count_step, month_range, month_sql, report_figures
from kilde.corpus.sample import write_jsonl

SECTIONS = (
    "Quotes per article",
    "Top sources",
    "Source kinds",
    "Direct vs indirect",
    "Hedged share",
    "Second-hand reporting",
    "Gender of quoted persons",
)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    source = root / "in.jsonl"
    write_jsonl(source, 40, seed=5)
    with source.open("a", encoding="utf-8") as stream:
        stream.write('{"id": "broken"}\n')
    run_corpus([source], root / "out", RunOptions(chunk_size=8, progress=False))
    return root / "out"


@pytest.fixture(scope="module")
def report(run_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("page") / "report.html"
    assert main(["report", str(run_dir), "-o", str(target)]) == 0
    return target


def test_report_is_self_contained(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert page.count("<script") >= len(SECTIONS)
    assert not re.search(r"<script[^>]+src=", page)  # plotly.js inline, no CDN
    assert not re.search(r"<link[^>]+href=", page)
    assert page.count("Plotly.newPlot") >= len(SECTIONS) * 2
    assert page.count("plotly.js v") == 1  # the library once, not once per chart
    for title in SECTIONS:
        assert f"<h2>{title}</h2>" in page
    assert "records that failed" in page


def test_report_without_outlets_or_dates(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": 1, "text": "«Vi er klare», sier ordfører Kari Lunde til NTB."}\n', encoding="utf-8"
    )
    run_corpus([source], tmp_path / "out", RunOptions(progress=False))
    page = build_report(tmp_path / "out")
    assert "by outlet" not in page and "by month" not in page
    assert "<h2>Top sources</h2>" in page


def test_report_needs_a_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "r.html")]) == 1
    assert "has no tables" in capsys.readouterr().err


def test_report_renders_in_chromium(report: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"no system Chromium at {CHROMIUM} (CI installs it with apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    errors: list[str] = []
    screenshot = tmp_path / "kilde-report.png"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(report.as_uri())
            # Every chart drawn: plotly puts an <svg class="main-svg"> in each chart's div.
            page.wait_for_function(
                "[...document.querySelectorAll('.plotly-graph-div')]"
                ".every(div => div.querySelector('svg.main-svg'))",
                timeout=60_000,
            )
            charts = page.evaluate("document.querySelectorAll('.plotly-graph-div').length")
            bars = page.evaluate("document.querySelectorAll('.plotly-graph-div g.point').length")
            widest = page.evaluate(
                "Math.max(...[...document.querySelectorAll('.chart')]"
                ".map(chart => chart.scrollWidth - chart.clientWidth))"
            )
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []
    assert charts >= 3 * len(SECTIONS) - 1  # overall, by outlet and by month for (nearly) every section
    assert bars > 50
    assert widest <= 0  # no chart wider than its place in the grid
    assert screenshot.stat().st_size > 50_000
    target = os.environ.get("KILDE_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(screenshot, Path(target) / screenshot.name)


# --- months, counts and outlets in the charts ---------------------------------------------------

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
COUNT_CHARTS = ("Articles by number of quotes", "Quotes by source kind", "Quotes by type", "Top ")


def title_of(fig: Any) -> str:
    return fig.layout.title.text or ""


def test_month_sql_reads_dates_and_text() -> None:
    import duckdb

    connection = duckdb.connect()
    connection.execute("CREATE TABLE d (published DATE)")
    connection.execute("INSERT INTO d VALUES ('2019-11-05'), ('2020-01-31'), (NULL)")
    assert sorted(connection.execute(f"SELECT {month_sql('published')} FROM d").fetchall(), key=str) == [
        ("2019-11",),
        ("2020-01",),
        (None,),
    ]
    connection.execute("CREATE TABLE t (published VARCHAR)")
    values = ["2019-11", "2019-11-05", "2019", "2019-13", "nov. 2019", "", "2021-02-03T10:00:00"]
    connection.executemany("INSERT INTO t VALUES (?)", [[value] for value in values])
    months = connection.execute(f"SELECT published, {month_sql('published')} FROM t").fetchall()
    assert dict(months) == {
        "2019-11": "2019-11",
        "2019-11-05": "2019-11",
        "2019": None,  # a year alone has no month
        "2019-13": None,
        "nov. 2019": None,
        "": None,
        "2021-02-03T10:00:00": "2021-02",
    }


def test_month_range_has_every_month() -> None:
    assert month_range([]) == []
    assert month_range(["2020-02", "2019-11", "2020-02"]) == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert month_range(["2021-05"]) == ["2021-05"]
    assert month_range(["1901-01", "2020-06"]) == ["1901-01", "2020-06"]  # a stray date: no 1,400 bars


def test_count_step_is_a_whole_number() -> None:
    for top in (0, 0.5, 1, 3, 7, 8, 9, 16, 17, 99, 1_000, 123_456):
        step = count_step(top)
        assert isinstance(step, int) and step >= 1
        assert top / step <= 8
    assert count_step(3) == 1 and count_step(40) == 5


def test_month_charts_have_one_bar_per_month(run_dir: Path) -> None:
    figures = report_figures(run_dir)
    by_month = [fig for fig in figures if "by month" in title_of(fig)]
    assert len(by_month) >= 6
    for fig in by_month:
        axis = fig.layout.xaxis
        assert axis.type == "category", title_of(fig)
        months = list(axis.categoryarray)
        assert months and all(MONTH.match(month) for month in months), months
        assert months == month_range(months)  # consecutive: a month without articles is a gap, not skipped
        for trace in fig.data:
            assert all(MONTH.match(str(x)) for x in trace.x), (title_of(fig), trace.x)


def test_outlet_shares_show_how_many_articles(run_dir: Path) -> None:
    import duckdb

    quotes = str(run_dir / "tables" / "quotes.parquet")
    expected = dict(
        duckdb.connect()
        .execute(f"SELECT outlet, count(DISTINCT article_id) FROM read_parquet('{quotes}') GROUP BY ALL")
        .fetchall()
    )
    figures = report_figures(run_dir)
    by_outlet = [fig for fig in figures if title_of(fig).endswith(": by outlet")]
    assert len(by_outlet) >= 5
    for fig in by_outlet:
        assert fig.layout.xaxis.title.text
        labels = list(fig.data[0].x)
        assert all(re.fullmatch(r".+ \(n=[\d,]+\)", label) for label in labels), labels
        assert "%{customdata[2]:,d} articles" in fig.data[0].hovertemplate
    direct = next(fig for fig in by_outlet if title_of(fig).startswith("Direct vs indirect"))
    shown = {
        re.sub(r" \(n=[\d,]+\)$", "", x): int(re.search(r"n=([\d,]+)", x)[1].replace(",", ""))
        for x in direct.data[0].x
    }
    assert shown == expected


def test_count_axes_have_whole_number_ticks(run_dir: Path) -> None:
    figures = report_figures(run_dir)
    counted = [fig for fig in figures if title_of(fig).startswith(COUNT_CHARTS) and fig.data[0].type == "bar"]
    assert len(counted) >= 4
    for fig in counted:
        horizontal = fig.data[0].orientation == "h"
        axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
        assert axis.tickformat == ",d", title_of(fig)
        assert float(axis.dtick).is_integer() and axis.dtick >= 1, (title_of(fig), axis.dtick)
    histogram = next(fig for fig in figures if title_of(fig) == "Articles by number of quotes")
    labels = list(histogram.data[0].x)
    assert histogram.layout.xaxis.type == "category"
    assert labels == [str(n) if n < 30 else "30+" for n in range(len(labels))]  # no number skipped
    for fig in figures:
        for trace in fig.data:
            if trace.type == "heatmap":
                assert trace.colorbar.tickformat == ",d" and trace.colorbar.dtick >= 1


def rewrite_published(outdir: Path, sql: Callable[[str], str]) -> None:
    """Store ``published`` in every table as ``sql(key column)`` gives it (text or date)."""
    import duckdb

    connection = duckdb.connect()
    for path in sorted((outdir / "tables").glob("*.parquet")):
        columns = [row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()]
        if "published" not in columns:
            continue
        key = "id" if "article_id" not in columns else "article_id"
        temporary = path.with_name(path.name + ".tmp")
        connection.execute(
            f"COPY (SELECT * REPLACE ({sql(key)} AS published) FROM '{path}')"
            f" TO '{temporary}' (FORMAT parquet)"
        )
        temporary.replace(path)


DAY = "substr(CAST(published AS VARCHAR), 1, 10)"
STORED_DATES = {
    "date": lambda key: f"CAST({DAY} AS DATE)",
    "day text": lambda key: DAY,
    "month text": lambda key: f"substr({DAY}, 1, 7)",
    # Each article at its own precision: a year alone, a month, a day.
    "mixed text": lambda key: (
        f"CASE hash({key}) % 3 WHEN 0 THEN substr({DAY}, 1, 4) WHEN 1 THEN substr({DAY}, 1, 7) ELSE {DAY} END"
    ),
}


@pytest.mark.parametrize("stored", list(STORED_DATES))
def test_months_from_dates_or_text(tmp_path: Path, stored: str) -> None:
    """Whether ``published`` is a date or ISO text at year, month or day precision, months come
    from its first seven characters, and a year alone is left out of the monthly charts."""
    import duckdb

    source = tmp_path / "in.jsonl"
    write_jsonl(source, 16, seed=11)
    run_corpus([source], tmp_path / "out", RunOptions(chunk_size=8, progress=False))
    rewrite_published(tmp_path / "out", STORED_DATES[stored])
    articles = str(tmp_path / "out" / "tables" / "articles.parquet")
    published = [row[0] for row in duckdb.connect().execute(f"SELECT published FROM '{articles}'").fetchall()]
    months = month_range([str(value)[:7] for value in published if value and MONTH.match(str(value)[:7])])
    assert months
    if stored == "mixed text":
        assert any(len(str(value)) == 4 for value in published)
    by_month = [fig for fig in report_figures(tmp_path / "out") if "by month" in title_of(fig)]
    assert len(by_month) >= 6
    for fig in by_month:
        assert list(fig.layout.xaxis.categoryarray) == months, title_of(fig)
    page = build_report(tmp_path / "out")
    assert "Source kinds: by month" in page
