"""The web app (``kilde serve``): API, limits, errors, docs, static page and headers.

Most tests run analyses in threads (``executor="thread"``) so that no worker processes start;
``test_process_*`` cover the default process pool, including a worker killed over its time limit.
Assertions rely on the kilde/1 shape and on the grouping in ``kilde.report``, not on how many
quotes the stages find.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from typer.testing import CliRunner

import kilde
import kilde.analysis
from kilde import KildeError
from kilde.report import collect_sources
from kilde.schema import json_schema
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


def local_client(app: Any, **options: Any) -> TestClient:
    """A TestClient that sends ``Host: localhost``: the app answers loopback names by default, and
    TestClient's own ``testserver`` is not one of them."""
    return TestClient(app, base_url="http://localhost", **options)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with local_client(create_app(executor="thread", workers=2)) as test_client:
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
    # The graph: the article at the root, every other node under the node that cites it.
    graph = view["provenance_graph"]
    assert graph[0]["id"] == "article" and graph[0]["parent"] is None
    ids = [node["id"] for node in graph]
    assert len(ids) == len(set(ids))
    for node in graph[1:]:
        parent = graph[ids.index(node["parent"])]
        assert ids.index(node["parent"]) < ids.index(node["id"]) and node["depth"] == parent["depth"] + 1
        assert node["source"] is None or node["source"] in keys
    ends = sorted(quote for node in graph for quote in node["quotes"])
    assert ends == sorted(quote["id"] for quote in result["quotes"])
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
    with local_client(app) as small:
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
    with local_client(app) as test_client:
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
    with local_client(app) as test_client:
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

    with local_client(create_app(broken, executor="thread", workers=1)) as test_client:
        assert_error(test_client.post("/api/analyze", json={"text": "BUG"}), 500, "something broke")
        assert_error(test_client.post("/api/analyze", json={"text": "REFUSE"}), 422, "cannot read this")
        assert test_client.post("/api/analyze", json={"text": "ok"}).status_code == 200


def assert_clean_500(response: Any, fragment: str) -> None:
    """A JSON 500 whose detail is one line and shows no traceback or source paths."""
    assert_error(response, 500, fragment)
    detail = response.json()["detail"]
    assert "\n" not in detail and "Traceback" not in detail and ".py" not in detail, detail
    assert len(detail) < 400
    assert set(response.json()) == {"detail"}


def test_crash_inside_kilde_analyze_is_a_clean_500(monkeypatch: pytest.MonkeyPatch) -> None:
    """kilde.analyze itself raising (as it once did on a text ending in a cue verb) is a JSON 500."""
    real = kilde.analyze

    def crashing(text: str, language: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
        if text.rstrip().endswith("sier"):
            raise IndexError("list index out of range\n  in a second line\n" + "x" * 2000)
        return real(text, language=language, doc_id=doc_id)

    monkeypatch.setattr(kilde.analysis, "analyze", crashing)
    with local_client(create_app(executor="thread", workers=1)) as test_client:
        for path in ("/api/analyze", "/api/report"):
            response = test_client.post(path, json={"text": "Det er farlig å bade her, sier"})
            assert_clean_500(response, "IndexError: list index out of range")
            upload = test_client.post(path, files={"file": ("slutt.txt", b"Vannet er kaldt, sier")})
            assert_clean_500(upload, "IndexError")
        assert test_client.get("/api/health").json()["workers"] == 1
        assert_serves(test_client)


def test_crash_outside_the_analysis_is_a_clean_500(monkeypatch: pytest.MonkeyPatch) -> None:
    from kilde.server import app as app_module

    def broken_view(result: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("speaker")

    monkeypatch.setattr(app_module, "page_view", broken_view)
    with local_client(create_app(fake_result, executor="thread", workers=1)) as test_client:
        response = test_client.post("/api/report", json={"text": "Hei"})
        assert_clean_500(response, "KeyError")
        for name, value in SECURITY_HEADERS:
            assert response.headers[name.decode()] == value.decode()
        assert test_client.post("/api/analyze", json={"text": "Hei"}).status_code == 200


def test_unexpected_error_in_any_route_is_json(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(fake_result, executor="thread", workers=1)

    @app.get("/api/broken")
    async def broken() -> None:
        raise ZeroDivisionError("division by zero")

    with local_client(app, raise_server_exceptions=False) as test_client:
        assert_clean_500(test_client.get("/api/broken"), "ZeroDivisionError")
        assert_serves(test_client)


def crashing_analyzer(text: str, language: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
    """Raises on texts containing "CRASH", exits its process on "EXIT" (module level: picklable)."""
    if "CRASH" in text:
        raise ValueError("the analysis tripped over itself")
    if "EXIT" in text:
        raise SystemExit(3)
    return fake_result(text, language, doc_id)


def test_process_pool_survives_a_crashing_analysis() -> None:
    with local_client(create_app(crashing_analyzer, workers=1, queue_limit=60)) as test_client:
        assert_clean_500(test_client.post("/api/analyze", json={"text": "CRASH"}), "tripped over itself")
        # The worker caught the exception and stays; the same one answers the next request.
        assert test_client.get("/api/health").json()["workers"] == 1
        assert test_client.post("/api/analyze", json={"text": "Etterpå"}).status_code == 200
        # A worker that dies mid-analysis is a 500 too, and is replaced.
        assert_clean_500(test_client.post("/api/analyze", json={"text": "EXIT"}), "stopped unexpectedly")
        response = test_client.post("/api/analyze", json={"text": "Etter omstart"})
        assert response.status_code == 200, response.text
        assert test_client.get("/api/health").json()["workers"] == 1


def test_process_pool_analyses_with_kilde() -> None:
    with local_client(create_app(workers=1)) as test_client:
        assert test_client.get("/api/health").json()["workers"] == 1
        response = test_client.post("/api/analyze", json={"text": ARTICLE})
        assert response.status_code == 200, response.text
        assert response.json() == kilde.analyze(ARTICLE)
        upload = test_client.post("/api/analyze", files={"file": ("bru.html", PAGE.encode())})
        assert upload.status_code == 200 and upload.json()["id"] == "bru"
        assert_error(test_client.post("/api/analyze", files={"file": ("x.pdf", b"%PDF-1.4")}), 422, "PDF")


def test_process_pool_kills_an_overrun_worker_and_replaces_it() -> None:
    app = create_app(sleepy_analyzer, workers=1, time_limit=1.0, queue_limit=60)
    with local_client(app) as test_client:
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


# --- a real server: big bodies over real sockets ------------------------------------------------


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a background thread (analyses in threads)."""
    app = create_app(fake_result, executor="thread", workers=1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)
    sock.close()


def big_body(megabytes: int) -> bytes:
    return b'{"text": "' + "Blåbær. ".encode() * (megabytes * 1024 * 1024 // 9) + b'"}'


def pieces(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    yield from (data[i : i + size] for i in range(0, len(data), size))


def http_post(
    url: str, body: bytes, *, chunked: bool = False, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    """POST with http.client, which writes the whole body before it reads the answer."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        sent = {"content-type": "application/json", **(headers or {})}
        if chunked:
            connection.request("POST", "/api/analyze", body=pieces(body), headers=sent, encode_chunked=True)
        else:
            connection.request("POST", "/api/analyze", body=body, headers=sent)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


@pytest.mark.parametrize("megabytes", [3, 10])
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_big_bodies_get_the_json_413_over_http_client(live_url: str, megabytes: int, chunked: bool) -> None:
    status, answer = http_post(live_url, big_body(megabytes), chunked=chunked)
    assert status == 413
    assert "2 MB" in answer["detail"]
    assert http_post(live_url, b'{"text": "Det regner, sier Ola."}') == (
        200,
        fake_result("Det regner, sier Ola."),
    )


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_big_bodies_get_the_json_413_over_urllib(live_url: str, chunked: bool) -> None:
    body = big_body(10)
    request = urllib.request.Request(
        f"{live_url}/api/analyze",
        # An iterable body has no length, so urllib sends it chunked.
        data=pieces(body) if chunked else body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=60)
    assert raised.value.code == 413
    assert raised.value.headers["content-type"] == "application/json"
    assert "2 MB" in json.loads(raised.value.read())["detail"]


def test_expect_100_continue_gets_the_413_without_sending_the_body(live_url: str) -> None:
    """A client that waits for "100 Continue" is answered at once and never has to send 10 MB."""
    address = urlsplit(live_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as raw:
        raw.sendall(
            b"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10485760\r\nExpect: 100-continue\r\n\r\n"
        )
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 "), head
    assert b"100 Continue" not in head
    assert "10 MB" in json.loads(body)["detail"]


def test_expect_100_continue_chunked_gets_the_413_after_sending(live_url: str) -> None:
    """Without a length the server must count, so it says "100 Continue"; then it reads to the end."""
    address = urlsplit(live_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as raw:
        raw.sendall(
            b"POST /api/analyze HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
        )
        assert raw.recv(65536).startswith(b"HTTP/1.1 100 Continue\r\n")
        for piece in pieces(big_body(3)):
            raw.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        raw.sendall(b"0\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 "), head
    assert "2 MB" in json.loads(body)["detail"]


def test_refused_host_gets_its_answer_over_http_client(live_url: str) -> None:
    status, answer = http_post(live_url, big_body(1), headers={"Host": "angriper.example"})
    assert status == 400 and "angriper.example" in answer["detail"]
    status, answer = http_post(live_url, big_body(3), headers={"Origin": "http://angriper.example"})
    assert status == 403 and "angriper.example" in answer["detail"]
    status, _ = http_post(live_url, b'{"text": "Hei"}', headers={"Origin": live_url})
    assert status == 200


# --- Host and Origin checks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:8000", "LOCALHOST.", "127.0.0.1", "127.0.0.1:1234", "[::1]", "[::1]:8000"],
)
def test_loopback_hosts_are_answered_by_default(client: TestClient, host: str) -> None:
    assert client.get("/api/health", headers={"host": host}).status_code == 200
    response = client.post("/api/analyze", json={"text": "Hei"}, headers={"host": host})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "host",
    ["testserver", "angriper.example", "localhost.angriper.example", "127.0.0.2", "[::2]", "", "a b", "x:0"],
)
def test_other_hosts_are_400(client: TestClient, host: str) -> None:
    """A page on a domain re-pointed at 127.0.0.1 (DNS rebinding) sends its own name as Host."""
    for response in (
        client.get("/", headers={"host": host}),
        client.get("/api/health", headers={"host": host}),
        client.post("/api/analyze", json={"text": "Hei"}, headers={"host": host}),
    ):
        assert_error(response, 400, "--allowed-host")
        assert response.headers["x-frame-options"] == "DENY"


def test_allowed_hosts_setting() -> None:
    app = create_app(
        fake_result,
        executor="thread",
        workers=1,
        allowed_hosts=["kilde.example", "intern:8080", "10.0.0.0/8"],
    )
    expected = {
        "kilde.example": 200,
        "kilde.example:443": 200,
        "intern:8080": 200,
        "intern:8081": 400,
        "10.1.2.3:8000": 200,
        "11.0.0.1": 400,
        "localhost": 400,  # given hosts replace the default loopback names
    }
    with local_client(app) as test_client:
        statuses = {
            host: test_client.get("/api/health", headers={"host": host}).status_code for host in expected
        }
    assert statuses == expected
    with local_client(create_app(fake_result, executor="thread", workers=1, allowed_hosts=["*"])) as anyhost:
        assert anyhost.get("/api/health", headers={"host": "hva-som-helst.example"}).status_code == 200


def test_bound_hosts() -> None:
    """What ``kilde serve --host`` answers to without --allowed-host."""
    from kilde.server.middleware import AllowedHosts, _split_host
    from kilde.server.run import bound_hosts

    def allows(bind: str, host: str) -> bool:
        return AllowedHosts(bound_hosts(bind)).allow(*_split_host(host))

    for name in ("localhost", "127.0.0.1:8000", "[::1]:8000"):
        assert allows("127.0.0.1", name) and allows("::1", name) and allows("localhost", name)
    assert allows("127.0.0.5", "127.0.0.5") and not allows("127.0.0.1", "127.0.0.5")
    assert allows("192.168.1.20", "192.168.1.20:8000") and not allows("192.168.1.20", "localhost")
    assert not allows("192.168.1.20", "192.168.1.21")
    for bind in ("0.0.0.0", "::"):  # all interfaces: any address, loopback and this machine's name
        assert allows(bind, "192.168.1.20:8000") and allows(bind, "[fe80::1]") and allows(bind, "localhost")
        assert not allows(bind, "angriper.example")


def test_cross_origin_posts_are_403(client: TestClient) -> None:
    for origin in ("http://angriper.example", "null", "http://localhost:8000", "https://localhost.example"):
        response = client.post("/api/analyze", json={"text": "Hei"}, headers={"origin": origin})
        assert_error(response, 403, "--allow-origin")
        upload = client.post("/api/report", files={"file": ("a.txt", b"Hei")}, headers={"origin": origin})
        assert_error(upload, 403)
    # The page's own origin (TestClient's base URL), and GETs from anywhere, are fine.
    assert (
        client.post("/api/report", json={"text": "Hei"}, headers={"origin": "http://localhost"}).status_code
        == 200
    )
    own = client.post(
        "/api/analyze",
        json={"text": "Hei"},
        headers={"origin": "http://127.0.0.1:8000", "host": "127.0.0.1:8000"},
    )
    assert own.status_code == 200
    assert client.get("/api/health", headers={"origin": "http://angriper.example"}).status_code == 200
    assert_serves(client)


def test_allowed_origins_setting() -> None:
    app = create_app(fake_result, executor="thread", workers=1, allowed_origins=["https://verktoy.example/"])
    with local_client(app) as test_client:
        allowed = test_client.post(
            "/api/analyze", json={"text": "Hei"}, headers={"origin": "https://verktoy.example"}
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://verktoy.example"
        preflight = test_client.options(
            "/api/analyze",
            headers={
                "origin": "https://verktoy.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        too_big = test_client.post(
            "/api/analyze", content=b"x" * (LIMIT + 1), headers={"origin": "https://verktoy.example"}
        )
        assert_error(too_big, 413)
        assert too_big.headers["access-control-allow-origin"] == "https://verktoy.example"
        other = test_client.post(
            "/api/analyze", json={"text": "Hei"}, headers={"origin": "https://annen.example"}
        )
        assert_error(other, 403)
        assert "access-control-allow-origin" not in other.headers
    app = create_app(fake_result, executor="thread", workers=1, allowed_origins=["*"])
    with local_client(app) as test_client:
        anyone = test_client.post("/api/analyze", json={"text": "Hei"}, headers={"origin": "null"})
        assert anyone.status_code == 200


def test_bad_host_and_origin_settings_are_refused() -> None:
    for settings in (
        {"allowed_hosts": ["to ord"]},
        {"allowed_hosts": ["vert:99999"]},
        {"allowed_hosts": ["10.0.0.0/33"]},
        {"allowed_origins": ["verktoy.example"]},
        {"allowed_origins": ["ftp://verktoy.example"]},
        {"allowed_origins": ["https://verktoy.example/sti"]},
    ):
        with pytest.raises(ValueError):
            create_app(fake_result, executor="thread", **settings)  # type: ignore[arg-type]
    from kilde.cli import app

    result = CliRunner().invoke(app, ["serve", "--allowed-host", "to ord"])
    assert result.exit_code == 1
    assert "not a host name" in result.output


# --- docs, page and headers ----------------------------------------------------------------------


def test_openapi_and_docs_without_cdn(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/analyze"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert {"413", "422", "503"} <= set(spec["paths"]["/api/analyze"]["post"]["responses"])
    # The answer is described by the packaged kilde/1 schema, its definitions in the components.
    answer = spec["paths"]["/api/analyze"]["post"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"]["title"] == json_schema()["title"]
    assert {"kilde1_quote", "kilde1_span", "kilde1_edge"} <= set(spec["components"]["schemas"])
    assert "#/$defs/" not in json.dumps(spec)
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
    options = ["--host", "0.0.0.0", "--port", "9001", "--workers", "3", "--time-limit", "5"]
    checks = ["--allowed-host", "kilde.example", "--allowed-host", "10.0.0.0/8"]
    result = CliRunner().invoke(
        app, ["serve", *options, *checks, "--allow-origin", "https://verktoy.example"]
    )
    assert result.exit_code == 0, result.output
    assert calls == [
        {
            "host": "0.0.0.0",
            "port": 9001,
            "workers": 3,
            "time_limit": 5.0,
            "allowed_hosts": ["kilde.example", "10.0.0.0/8"],
            "allowed_origins": ["https://verktoy.example"],
        }
    ]
    defaults = CliRunner().invoke(app, ["serve"])
    assert defaults.exit_code == 0, defaults.output
    assert calls[-1] == {
        "host": "127.0.0.1",
        "port": 8000,
        "workers": None,
        "time_limit": 20.0,
        "allowed_hosts": [],
        "allowed_origins": [],
    }
    assert CliRunner().invoke(app, ["serve", "--port", "0"]).exit_code == 2


def test_provenance_graph_of_a_retold_story(client: TestClient) -> None:
    text = (
        "Soldat klager\n\n"
        "En soldat klager til moren sin over at han fryser, ifølge etterretningstjenesten, "
        "skriver Dagbladet.\n\n"
        "– Vi har ikke varme klær, sier soldaten."
    )
    response = client.post("/api/report", json={"text": text, "language": "nb"})
    assert response.status_code == 200, response.text
    graph = response.json()["provenance_graph"]
    assert [(node["depth"], node["name"]) for node in graph] == [
        (0, "This article"),
        (1, "Dagbladet"),
        (2, "etterretningstjenesten"),
        (3, "soldat"),
    ]
    assert [node["kind"] for node in graph] == ["article", "media", "organization", "person"]
    assert len(graph[3]["quotes"]) == 2
