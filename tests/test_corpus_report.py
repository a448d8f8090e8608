"""``kilde report``: a self-contained HTML page, checked in headless Chromium (the system browser).

The screenshot goes to the test's tmp folder, and also to ``$KILDE_SCREENSHOT_DIR`` when set.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("plotly")
pytest.importorskip("duckdb")

from chromium import CHROMIUM, CHROMIUM_ARGS

from kilde.cli import main
from kilde.corpus import RunOptions, run_corpus
from kilde.corpus.report import build_report
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
