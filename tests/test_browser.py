"""The web page in a real browser: the app under uvicorn, driven with Playwright and system Chromium.

The server runs in a background thread on a free loopback port with the default process pool.
The browser may only talk to that server: any other request fails the test, which also proves
that the page loads nothing from a CDN. Content-Security-Policy violations and script errors
show up as console errors and fail the test too.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS

import kilde
from kilde.report import collect_sources, provenance_chains

SCREENSHOT_ENV = "KILDE_SCREENSHOT_DIR"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="the browser tests need Chromium at /usr/bin/chromium"
)

sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
uvicorn = pytest.importorskip("uvicorn", reason="the browser tests need uvicorn")

ARTICLE = """Kommunen stenger badeplassen ved Lyngvatnet

Foto: Kari Strand / Lyngdalsposten

Lyngdal kommune stenger badeplassen ved Lyngvatnet resten av sommeren etter funn av blågrønnalger, \
opplyser kommuneoverlege Siri Hovland.

– Vi tar ingen sjanser når det gjelder barn som bader, sier Hovland til Lyngdalsposten.

Prøvene skal ha vist høye verdier allerede i forrige uke. Lokalavisa skriver at rapporten fra \
laboratoriet slår fast at algene kan være giftige for hunder.

Annonse

Leder i velforeningen, Per Arne Fjeld, mener at kommunen burde ha varslet innbyggerne tidligere.

«Vi fikk vite det på Facebook. Det er ikke godt nok», sier Fjeld.

Ifølge Miljødirektoratet er algeoppblomstring vanlig i varme somre.
"""

XSS_ARTICLE = """Farlig kode i artikkelen

«Dette er <script>window.__xss=1</script> helt trygt», sier sikkerhetsrådgiver Ola Nordmann.

<img src=x onerror="window.__xss=1"> Kari Hansen sier at hun ikke har sett noe uvanlig.
"""

PAGE = """<!doctype html><html lang="nb"><head><meta charset="utf-8">
<title>Ny bru over Sagelva | Dalbladet</title></head><body>
<nav><a href="/">Forside</a> <a href="/kultur">Kultur</a></nav>
<main><article><h1>Ny bru over Sagelva</h1>
<p>Den nye gangbrua over Sagelva åpner for trafikk på mandag, melder Dalbladet.</p>
<p>«Vi har ventet på denne brua i over ti år», sier nærmiljøutvalgets leder Ingrid Moen.</p>
</article></main></body></html>
"""


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    """The real app under uvicorn in a background thread, on a port the OS picked."""
    from kilde.server import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(workers=1), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the kilde server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server_url: str) -> Iterator[Any]:
    """A fresh page that fails the test on script errors, CSP violations or any non-local request."""
    # Reduced motion: no transitions, so computed styles are final when the test reads them.
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True, reduced_motion="reduce"
    )
    problems: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith(server_url):
            route.continue_()
        else:
            problems.append(f"request outside the server: {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" and "status of 422" not in message.text
            else None
        ),
    )
    tab.goto(server_url)
    yield tab
    context.close()
    assert not problems, problems


def analyse(page: Any, text: str) -> None:
    page.fill("#article-text", text)
    page.click("#analyze-button")
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_selector("#article p")


def highlighted_quotes(page: Any) -> dict[str, str]:
    """Quote id → the text highlighted for it in the article, from the DOM."""
    return page.evaluate(
        """() => {
            const texts = {};
            for (const node of document.querySelectorAll("#article .q")) {
                for (const id of node.dataset.quotes.split(" ")) {
                    texts[id] = (texts[id] || "") + node.textContent;
                }
            }
            return texts;
        }"""
    )


def save_screenshot(page: Any, tmp_path: Path, name: str) -> Path:
    """A full-page PNG under pytest's tmp dir, copied to $KILDE_SCREENSHOT_DIR when that is set."""
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    target = os.environ.get(SCREENSHOT_ENV)
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / name)
    return path


def test_analyse_highlight_select_and_download(page: Any, tmp_path: Path) -> None:
    expected = kilde.analyze(ARTICLE)
    sources = collect_sources(expected)
    analyse(page, ARTICLE)

    assert page.inner_text("#result-title") == "Kommunen stenger badeplassen ved Lyngvatnet"
    # Every quote is highlighted over exactly its content, in its speaker's colour.
    highlighted = highlighted_quotes(page)
    for quote in expected["quotes"]:
        assert highlighted[quote["id"]] == "".join(span["text"] for span in quote["content"])
    assert page.locator("#article sup.qid").count() == len(expected["quotes"])
    assert "sier" in page.locator("#article .cue").all_inner_texts()
    assert "skal ha" in page.locator("#article .hedge").all_inner_texts()
    boilerplate = page.locator("#article p.boilerplate")
    assert any("Annonse" in text for text in boilerplate.all_inner_texts())
    assert any("Foto: Kari Strand" in text for text in boilerplate.all_inner_texts())

    # The sources panel lists the speakers as the terminal report groups them.
    assert page.locator("#sources .source-name").all_inner_texts() == [source.name for source in sources]
    fjeld = page.locator("#sources .source", has_text="Per Arne Fjeld")
    assert "2 quotes" in fjeld.inner_text() and "1 direct" in fjeld.inner_text()
    hovland = page.locator("#sources .source", has_text="Siri Hovland")
    assert "to Lyngdalsposten" in hovland.inner_text()
    # The provenance graph: one SVG node per source on a chain, an edge to each from its citer.
    nodes = page.locator("#provenance svg .prov-node")
    names = nodes.locator("text").all_text_contents()
    assert names[0] == "This article" and {"Lokalavisa", "rapporten fra laboratoriet"} <= set(names)
    assert page.locator("#provenance svg .prov-edge").count() == nodes.count() - 1
    report = page.locator("#provenance .prov-node", has_text="rapporten fra laboratoriet")
    assert report.get_attribute("data-depth") == "2"
    assert "cited by Lokalavisa" in (report.locator("title").text_content() or "")
    label = page.locator("#provenance svg").get_attribute("aria-label") or ""
    assert len(label.split("; ")) == len(provenance_chains(expected))
    save_screenshot(page, tmp_path, "kilde-web.png")

    # Clicking a source highlights its quotes (and only those) and lists them.
    fjeld.click()
    assert fjeld.get_attribute("aria-pressed") == "true"
    fjeld_quotes = {q["id"] for q in expected["quotes"] if q["speaker"]["name"] == "Per Arne Fjeld"}
    selected = page.evaluate(
        """() => [...document.querySelectorAll("#article .q.is-selected")].map((n) => n.dataset.quotes)"""
    )
    assert selected and {ids.split(" ")[-1] for ids in selected} == fjeld_quotes
    others = page.locator("#article .q:not(.is-selected)").first
    assert others.evaluate("(node) => getComputedStyle(node).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert page.locator(".source-quotes:not([hidden]) .quote-link").count() == len(fjeld_quotes)
    save_screenshot(page, tmp_path, "kilde-web-selected.png")
    fjeld.click()
    assert page.locator("#article .q.is-selected").count() == 0

    # The JSON download is the kilde/1 object itself.
    with page.expect_download() as download_info:
        page.click("#download-button")
    download = download_info.value
    assert download.suggested_filename.endswith(".kilde.json")
    assert json.loads(Path(download.path()).read_text(encoding="utf-8")) == expected


def test_markup_in_the_article_is_shown_as_text_and_never_runs(page: Any) -> None:
    analyse(page, XSS_ARTICLE)
    page.wait_for_timeout(300)  # give an injected onerror handler the chance to fire
    assert page.evaluate("() => window.__xss") is None
    article = page.inner_text("#article")
    assert "<script>window.__xss=1</script>" in article
    assert '<img src=x onerror="window.__xss=1">' in article
    assert page.locator("#article script, #article img").count() == 0
    assert page.locator("script").count() == 1  # only /static/app.js


def test_upload_an_html_file(page: Any, tmp_path: Path) -> None:
    upload = tmp_path / "bru.html"
    upload.write_text(PAGE, encoding="utf-8")
    page.set_input_files("#article-file", str(upload))
    assert "bru.html" in page.inner_text("#file-name")
    page.click("#analyze-button")
    page.wait_for_selector("#results:not([hidden])")
    assert page.inner_text("#result-title") == "Ny bru over Sagelva"
    assert "Ingrid Moen" in page.locator("#sources .source-name").all_inner_texts()
    assert "Forside" not in page.inner_text("#article")


def test_errors_are_shown(page: Any, tmp_path: Path) -> None:
    page.click("#analyze-button")
    assert "Paste an article" in page.inner_text("#status")
    binary = tmp_path / "skann.txt"
    binary.write_bytes(b"%PDF-1.7 not an article")
    page.set_input_files("#article-file", str(binary))
    page.click("#analyze-button")
    page.wait_for_selector("#status.error:has-text('PDF')")
    assert page.is_hidden("#results")
    page.click("#file-clear")
    page.click("#example-button")
    page.wait_for_function("() => document.querySelector('#article-text').value.length > 100")
    page.click("#analyze-button")
    page.wait_for_selector("#results:not([hidden])")
    assert page.is_hidden("#status")


def test_provenance_graph_of_a_retold_story(page: Any, tmp_path: Path) -> None:
    """A story retold from an outlet: the graph nests the service and the soldier under it."""
    text = (Path(__file__).parent / "cases" / "soldat_og_mor_nb.txt").read_text(encoding="utf-8")
    analyse(page, text)
    graph = page.locator("#provenance svg")
    rows = graph.locator(".prov-node").evaluate_all(
        '(nodes) => nodes.map((node) => [Number(node.dataset.depth), node.querySelector("text").textContent])'
    )
    assert rows[:4] == [
        [0, "This article"],
        [1, "The Guardian"],
        [2, "ukrainske etterretningstjenesten"],
        [3, "russisk soldat"],
    ]
    # Boxes are sized to their names and the graph to its boxes.
    widths = graph.locator(".prov-box").evaluate_all("(boxes) => boxes.map((b) => b.getBBox().width)")
    assert all(width > 20 for width in widths)
    assert graph.evaluate("(svg) => svg.getBBox().width <= svg.width.baseVal.value + 1")
    # Clicking a source in the graph selects its quotes in the article.
    graph.locator(".prov-node", has_text="russisk soldat").first.click()
    assert page.locator("#article .q.is-selected").count() > 0
    save_screenshot(page, tmp_path, "kilde-web-provenance.png")
