"""The web app (``kilde serve``): API, limits, errors, docs, static page and headers.

Most tests run analyses in threads (``executor="thread"``) so that no worker processes start;
``test_process_*`` cover the default process pool, including a worker killed over its time limit.
Assertions rely on the kilde/1 shape and on the grouping in ``kilde.report``, not on how many
quotes the stages find.
"""

from __future__ import annotations

import re
import threading
import time
import warnings
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import pytest
from typer.testing import CliRunner

import kilde
from kilde import KildeError
from kilde.report import collect_sources
from kilde.server import create_app
from kilde.server.app import STATIC_DIR
from kilde.server.middleware import SECURITY_HEADERS

with warnings.catch_warnings():
    # Starlette suggests httpx2 for its TestClient; the pinned httpx works and is what we have.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

ARTICLE = (
    "Kommunen stenger badeplassen ved Lyngvatnet\n\n"
    "Lyngdal kommune stenger badeplassen ved Lyngvatnet resten av sommeren etter funn av "
    "blågrønnalger, opplyser kommuneoverlege Siri Hovland.\n\n"
    "– Vi tar ingen sjanser når det gjelder barn som bader, sier Hovland til Lyngdalsposten.\n\n"
    "Prøvene skal ha vist høye verdier allerede i forrige uke.\n\n"
    "Annonse\n\n"
    "«Vi fikk vite det på Facebook. Det er ikke godt nok», sier velforeningens leder Per Arne Fjeld.\n"
)

PAGE = """<!doctype html><html lang="nb"><head><meta charset="utf-8">
<title>Ny bru over Sagelva | Dalbladet</title></head><body>
<nav><a href="/">Forside</a> <a href="/kultur">Kultur</a> <a href="/vaer">Vær</a></nav>
<main><article><h1>Ny bru over Sagelva</h1>
<p>Den nye gangbrua over Sagelva åpner for trafikk på mandag, melder Dalbladet.</p>
<p>«Vi har ventet på denne brua i over ti år», sier nærmiljøutvalgets leder Ingrid Moen.</p>
<p>Ifølge kommunen har prosjektet kostet rundt fire millioner kroner.</p>
</article></main>
<footer><p>Redaktør: Jon Lie. Personvern. Informasjonskapsler.</p></footer></body></html>
"""

LIMIT = 2 * 1024 * 1024


def fake_result(text: str, language: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
    """A minimal kilde/1 object, for analyzers that stand in for the real one."""
    return {
        "schema": "kilde/1",
        "id": doc_id,
        "language": language or "nb",
        "title": None,
        "text": text,
        "boilerplate": [],
        "quotes": [],
        "entities": [],
        "hedges": [],
        "provenance": [],
    }


def sleepy_analyzer(text: str, language: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
    """Hangs on texts containing "SLOW" (module level, so it can be pickled into worker processes)."""
    if "SLOW" in text:
        time.sleep(120)
    return fake_result(text, language, doc_id)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(executor="thread", workers=2)) as test_client:
        yield test_client


def assert_serves(client: TestClient) -> None:
    """The server still answers a normal analysis."""
    response = client.post("/api/analyze", json={"text": "– Vi er klare, sier ordfører Kari Lunde."})
    assert response.status_code == 200, response.text
    assert response.json()["schema"] == "kilde/1"


def assert_error(response: Any, status: int, fragment: str = "") -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    assert fragment in detail, detail


# --- analysis -----------------------------------------------------------------------------------


def test_analyze_json(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": ARTICLE, "language": "auto", "id": "bad-1"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data == kilde.analyze(ARTICLE, doc_id="bad-1")
    assert data["schema"] == "kilde/1" and data["language"] == "nb"
    speakers = {quote["speaker"]["name"] for quote in data["quotes"]}
    assert "Siri Hovland" in speakers
    assert response.headers["cache-control"] == "no-store"


def test_analyze_json_language_and_newlines(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": ARTICLE.replace("\n", "\r\n"), "language": "nn"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["language"] == "nn"
    assert data["text"] == ARTICLE  # Windows line endings normalised, as in kilde batch


def test_upload_text_file(client: TestClient) -> None:
    response = client.post(
        "/api/analyze", files={"file": ("../mapper/bading.txt", ARTICLE.encode(), "text/plain")}
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["id"] == "bading"  # folders in the file name are dropped
    assert data["text"] == ARTICLE
    assert data["quotes"] == kilde.analyze(ARTICLE)["quotes"]


def test_upload_html_file(client: TestClient) -> None:
    response = client.post(
        "/api/analyze",
        files={"file": ("bru.html", PAGE.encode(), "text/html")},
        data={"language": "nb"},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["text"].startswith("Ny bru over Sagelva\n\n")
    assert "Forside" not in data["text"] and "Personvern" not in data["text"]
    assert any(quote["speaker"]["name"] == "Ingrid Moen" for quote in data["quotes"])


def test_upload_bad_files(client: TestClient) -> None:
    cases = {
        ("scan.pdf", b"%PDF-1.7 binary"): "PDF",
        ("tom.txt", b""): "empty",
        ("latin1.txt", "Blåbær og tyttebær.".encode("latin-1")): "UTF-8",
        ("meny.html", b"<html><body><nav><a href='/'>Forside</a></nav></body></html>"): "no article",
    }
    for (name, data), fragment in cases.items():
        assert_error(client.post("/api/analyze", files={"file": (name, data)}), 422, fragment)
    assert_error(client.post("/api/analyze", files={"other": ("a.txt", b"Hei")}), 422, '"file"')
    bad_language = client.post("/api/analyze", files={"file": ("a.txt", b"Hei")}, data={"language": "sv"})
    assert_error(bad_language, 422, "language")
    assert_serves(client)


def test_report_groups_sources_like_the_terminal_report(client: TestClient) -> None:
    response = client.post("/api/report", json={"text": ARTICLE})
    assert response.status_code == 200, response.text
    view = response.json()
    result = view["result"]
    assert result == kilde.analyze(ARTICLE)
    sources = collect_sources(result)
    assert [source["name"] for source in view["sources"]] == [source.name for source in sources]
    assert [source["quotes"] for source in view["sources"]] == [source.quotes for source in sources]
    keys = {source["key"] for source in view["sources"]}
    assert set(view["quote_sources"]) == {quote["id"] for quote in result["quotes"]}
    assert set(view["quote_sources"].values()) <= keys
    assert all(chain[0] == "article" for chain in view["provenance"])
    colours = [source["colour"] for source in view["sources"]]
    assert len(set(colours)) == len(colours)


def test_example_and_health(client: TestClient) -> None:
    example = client.get("/api/example", params={"language": "nn"})
    assert example.status_code == 200
    expected = (files("kilde") / "examples" / "artikkel_nn.txt").read_text(encoding="utf-8")
    assert example.json() == {"language": "nn", "text": expected}
    assert_error(client.get("/api/example", params={"language": "sv"}), 422, "language")
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["version"] == kilde.__version__
    assert health["workers"] == 2


# --- limits and errors ----------------------------------------------------------------------------


def test_request_over_2_mb_is_413(client: TestClient) -> None:
    body = b'{"text": "' + b"a" * LIMIT + b'"}'
    response = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert_error(response, 413, "2 MB")
    assert_serves(client)


def test_chunked_request_over_2_mb_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count the bytes itself
        yield b'{"text": "'
        for _ in range(40):
            yield b"a" * 64 * 1024
        yield b'"}'

    response = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "2 MB")
    upload = client.post("/api/analyze", files={"file": ("stor.txt", b"a" * (LIMIT + 1))})
    assert_error(upload, 413)
    assert_serves(client)


def test_body_limit_boundary() -> None:
    app = create_app(fake_result, executor="thread", workers=1, max_body_bytes=1000)
    with TestClient(app) as small:
        prefix, suffix = b'{"text": "', b'"}'
        exact = prefix + b"a" * (1000 - len(prefix) - len(suffix)) + suffix
        assert small.post("/api/analyze", content=exact).status_code == 200

        def chunks(data: bytes) -> Iterator[bytes]:
            yield from (data[i : i + 100] for i in range(0, len(data), 100))

        assert small.post("/api/analyze", content=chunks(exact)).status_code == 200
        over = exact[:-2] + b'a"}'
        assert_error(small.post("/api/analyze", content=over), 413)
        assert_error(small.post("/api/analyze", content=chunks(over)), 413)
        assert_error(small.post("/api/analyze", content=b"{}", headers={"content-length": "abc"}), 400)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b'{"text": "Hei", ', "not valid JSON"),
        (b"not json at all", "not valid JSON"),
        (b"", "not valid JSON"),
        (b'["a list"]', "must be a JSON object"),
        (b"{}", "text: Field required"),
        (b'{"text": 42}', "text: Input should be a valid string"),
        (b'{"text": "Hei", "language": "sv"}', "language"),
        (b'{"text": ""}', "empty"),
        (b'{"text": "  \\n\\t "}', "empty"),
    ],
)
def test_bad_json_is_422(client: TestClient, body: bytes, fragment: str) -> None:
    response = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert_error(response, 422, fragment)
    assert_serves(client)


def test_unsupported_media_type_is_415(client: TestClient) -> None:
    response = client.post("/api/analyze", content="Hei", headers={"content-type": "text/plain"})
    assert_error(response, 415, "text/plain")
    assert_serves(client)


def test_overrun_analysis_is_503_and_server_keeps_serving() -> None:
    release = threading.Event()

    def slow(text: str, language: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
        if "SLOW" in text:
            release.wait(30)
        return fake_result(text, language, doc_id)

    app = create_app(slow, executor="thread", workers=2, time_limit=0.2)
    with TestClient(app) as test_client:
        started = time.monotonic()
        response = test_client.post("/api/analyze", json={"text": "SLOW article"})
        assert_error(response, 503, "longer than 0.2 s")
        assert time.monotonic() - started < 5
        fast = test_client.post("/api/analyze", json={"text": "Rask artikkel"})
        assert fast.status_code == 200 and fast.json()["text"] == "Rask artikkel"
        release.set()


def test_busy_server_is_503() -> None:
    release = threading.Event()
    entered = threading.Event()

    def blocking(text: str, language: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
        if "BLOCK" in text:
            entered.set()
            release.wait(30)
        return fake_result(text, language, doc_id)

    app = create_app(blocking, executor="thread", workers=1, time_limit=30, queue_limit=0.2)
    with TestClient(app) as test_client:
        first: dict[str, Any] = {}
        worker = threading.Thread(
            target=lambda: first.update(response=test_client.post("/api/analyze", json={"text": "BLOCK"}))
        )
        worker.start()
        assert entered.wait(10)
        assert test_client.get("/api/health").json()["busy"] == 1
        response = test_client.post("/api/analyze", json={"text": "Neste"})
        assert_error(response, 503, "busy")
        assert response.headers["retry-after"] == "5"
        release.set()
        worker.join(10)
        assert first["response"].status_code == 200
        assert test_client.post("/api/analyze", json={"text": "Neste"}).status_code == 200


def test_failing_analyzer_is_500_and_kilde_errors_are_422() -> None:
    def broken(text: str, language: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
        if "BUG" in text:
            raise RuntimeError("something broke")
        if "REFUSE" in text:
            raise KildeError("kilde cannot read this")
        return fake_result(text, language, doc_id)

    with TestClient(create_app(broken, executor="thread", workers=1)) as test_client:
        assert_error(test_client.post("/api/analyze", json={"text": "BUG"}), 500, "something broke")
        assert_error(test_client.post("/api/analyze", json={"text": "REFUSE"}), 422, "cannot read this")
        assert test_client.post("/api/analyze", json={"text": "ok"}).status_code == 200


def test_process_pool_analyses_with_kilde() -> None:
    with TestClient(create_app(workers=1)) as test_client:
        assert test_client.get("/api/health").json()["workers"] == 1
        response = test_client.post("/api/analyze", json={"text": ARTICLE})
        assert response.status_code == 200, response.text
        assert response.json() == kilde.analyze(ARTICLE)
        upload = test_client.post("/api/analyze", files={"file": ("bru.html", PAGE.encode())})
        assert upload.status_code == 200 and upload.json()["id"] == "bru"
        assert_error(test_client.post("/api/analyze", files={"file": ("x.pdf", b"%PDF-1.4")}), 422, "PDF")


def test_process_pool_kills_an_overrun_worker_and_replaces_it() -> None:
    app = create_app(sleepy_analyzer, workers=1, time_limit=1.0, queue_limit=60)
    with TestClient(app) as test_client:
        assert_error(test_client.post("/api/analyze", json={"text": "SLOW"}), 503, "longer than 1 s")
        # The only worker was killed; the next request waits for its replacement, then succeeds.
        response = test_client.post("/api/analyze", json={"text": "Etter omstart"})
        assert response.status_code == 200, response.text
        assert response.json()["text"] == "Etter omstart"
        assert test_client.get("/api/health").json() == {
            "status": "ok",
            "version": kilde.__version__,
            "workers": 1,
            "busy": 0,
        }


def test_create_app_rejects_bad_settings() -> None:
    for settings in ({"time_limit": 0}, {"workers": 0}, {"max_body_bytes": 0}, {"executor": "fork"}):
        with pytest.raises(ValueError):
            create_app(**settings)  # type: ignore[arg-type]


# --- docs, page and headers ----------------------------------------------------------------------


def test_openapi_and_docs_without_cdn(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/analyze"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert {"413", "422", "503"} <= set(spec["paths"]["/api/analyze"]["post"]["responses"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    assert "/api/analyze" in docs.text and "multipart/form-data" in docs.text
    assert "<script" not in docs.text
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", docs.text)
    assert client.get("/redoc").status_code == 404


def test_static_page_is_self_contained(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/app.js" defer></script>' in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), "inline script"
    assert not re.search(r"\son[a-z]+=", page.text), "inline event handler"
    assert " style=" not in page.text
    for name, media in (("app.js", "javascript"), ("app.css", "text/css"), ("favicon.svg", "image/svg+xml")):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and media in response.headers["content-type"]
    for path in STATIC_DIR.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), f"external URL in {path.name}"
    script = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script.replace("never through\n// innerHTML", "")
    assert "insertAdjacentHTML" not in script and "document.write" not in script


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("get", "/", {}),
        ("get", "/docs", {}),
        ("get", "/static/app.js", {}),
        ("get", "/nowhere", {}),
        ("post", "/api/analyze", {"json": {"text": ""}}),
        ("post", "/api/analyze", {"content": b"x" * (LIMIT + 1)}),
    ],
)
def test_security_headers(client: TestClient, method: str, path: str, kwargs: dict[str, Any]) -> None:
    response = getattr(client, method)(path, **kwargs)
    headers = {name.decode(): value.decode() for name, value in SECURITY_HEADERS}
    for name, value in headers.items():
        assert response.headers[name] == value
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


# --- command line ---------------------------------------------------------------------------------


def test_serve_command_passes_options(monkeypatch: pytest.MonkeyPatch) -> None:
    from kilde.cli import app
    from kilde.server import run

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(run, "serve", lambda **options: calls.append(options))
    result = CliRunner().invoke(
        app, ["serve", "--host", "0.0.0.0", "--port", "9001", "--workers", "3", "--time-limit", "5"]
    )
    assert result.exit_code == 0, result.output
    assert calls == [{"host": "0.0.0.0", "port": 9001, "workers": 3, "time_limit": 5.0}]
    defaults = CliRunner().invoke(app, ["serve"])
    assert defaults.exit_code == 0, defaults.output
    assert calls[-1] == {"host": "127.0.0.1", "port": 8000, "workers": None, "time_limit": 20.0}
    assert CliRunner().invoke(app, ["serve", "--port", "0"]).exit_code == 2
