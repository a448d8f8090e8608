"""The web app for fact-checkers: ``create_app`` builds the FastAPI application behind ``kilde serve``.

Routes: ``/`` (the page), ``/static/*`` (its files), ``/docs`` (API reference without a CDN),
``/openapi.json``, and under ``/api``: ``analyze`` (``kilde/1``), ``report`` (the page's view),
``example`` and ``health``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from functools import cache
from importlib.resources import files
from pathlib import Path, PureWindowsPath
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

import kilde
from kilde.io.text import normalize_newlines
from kilde.schema import openapi_schema
from kilde.server.docs import render_docs
from kilde.server.jobs import Analyzer, Job, warm_kilde
from kilde.server.middleware import (
    LOOPBACK_HOSTS,
    AllowedHosts,
    BodySizeLimit,
    RequestGuard,
    SecurityHeaders,
    normalise_origin,
)
from kilde.server.models import (
    UPLOAD_SCHEMA,
    AnalyzeRequest,
    ErrorMessage,
    Example,
    Health,
    Report,
)
from kilde.server.view import page_view
from kilde.server.workers import (
    AnalysisFailed,
    AnalysisTimeout,
    InvalidInput,
    ProcessRunner,
    Runner,
    ServerBusy,
    ThreadRunner,
    default_workers,
)

log = logging.getLogger("kilde.server")

STATIC_DIR = Path(__file__).parent / "static"

DEFAULT_TIME_LIMIT = 20.0
"""Seconds one analysis may take before the request answers 503."""

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
"""Largest request body (2 MB); larger requests answer 413."""

LANGUAGES = ("nb", "nn", "auto")

Executor = Literal["process", "thread"]


class UnsupportedMedia(Exception):
    """The request body is neither JSON nor a multipart upload."""


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def _one_line(message: str, limit: int = 300) -> str:
    """An exception's message for a client: one line, bounded (a traceback stays in the log)."""
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _validation_message(error: ValidationError | RequestValidationError) -> str:
    """One line from pydantic's error list: ``the body is not valid JSON: …`` or ``text: Field required``."""
    parts = []
    for item in error.errors():
        if item.get("type") == "json_invalid":
            return f"the body is not valid JSON: {item.get('ctx', {}).get('error', item.get('msg'))}"
        if item.get("type") == "model_type":
            return 'the body must be a JSON object: {"text": "…", "language": "auto"}'
        location = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
        parts.append(f"{location}: {item.get('msg')}" if location else str(item.get("msg")))
    return "; ".join(parts) or "the request is not valid"


def _upload_name(filename: str | None) -> str:
    """The file's own name without any folders a browser or client may have sent along."""
    name = PureWindowsPath(filename or "").name  # splits on both / and \
    name = "".join(char for char in name if char.isprintable()).strip()
    return name[:200] or "the uploaded file"


async def _upload_job(request: Request) -> Job:
    try:
        form = await request.form(max_files=1, max_fields=8)
    except HTTPException as error:  # malformed multipart; Starlette says 400, kilde says 422 like JSON
        raise InvalidInput(f"the upload is not valid multipart data: {error.detail}") from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput('send the article as a file field named "file"')
        language = form.get("language") or None
        if language is not None and language not in LANGUAGES:
            raise InvalidInput(f'"language" must be "nb", "nn" or "auto", not {str(language)[:20]!r}')
        name = _upload_name(upload.filename)
        data = await upload.read()
    finally:
        await form.close()  # the upload's spooled temporary file
    stem = PureWindowsPath(name).stem if upload.filename else None
    return Job(data=data, name=name, language=str(language) if language else None, doc_id=stem or None)


async def _json_job(request: Request) -> Job:
    try:
        payload = AnalyzeRequest.model_validate_json(await request.body())
    except ValidationError as error:
        raise InvalidInput(_validation_message(error)) from None
    if not payload.text.strip():
        raise InvalidInput("the text is empty")
    return Job(text=normalize_newlines(payload.text), language=payload.language, doc_id=payload.id)


async def job_from_request(request: Request) -> Job:
    """The job for a JSON body ``{"text", "language"?, "id"?}`` or a multipart upload of a file."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media == "multipart/form-data":
        return await _upload_job(request)
    if media in ("", "application/json") or media.endswith("+json"):
        return await _json_job(request)
    raise UnsupportedMedia(media)


_ANALYZE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AnalyzeRequest.model_json_schema()},
            "multipart/form-data": {"schema": UPLOAD_SCHEMA},
        },
    }
}

# The packaged kilde/1 JSON Schema, its definitions added to the document's components.
_KILDE1_ROOT, _KILDE1_DEFINITIONS = openapi_schema()
_KILDE1_CONTENT: dict[str, Any] = {"application/json": {"schema": _KILDE1_ROOT}}

_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorMessage, "description": "The request is over the size limit (2 MB by default)."},
    415: {"model": ErrorMessage, "description": "The body is neither JSON nor multipart/form-data."},
    422: {"model": ErrorMessage, "description": "Malformed JSON, empty text, or input kilde cannot read."},
    400: {"model": ErrorMessage, "description": "The Host header is not one the server answers to."},
    403: {"model": ErrorMessage, "description": "A cross-origin request from a page not allowed."},
    500: {"model": ErrorMessage, "description": "The analysis failed (a bug in kilde)."},
    503: {
        "model": ErrorMessage,
        "description": "The analysis ran over its time limit, or all workers are busy.",
    },
}


def create_app(
    analyzer: Analyzer | None = None,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    queue_limit: float | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    workers: int | None = None,
    executor: Executor = "process",
    allowed_hosts: Iterable[str] | None = None,
    allowed_origins: Iterable[str] = (),
) -> FastAPI:
    """The kilde web app.

    ``analyzer`` replaces ``kilde.analyze`` (tests inject slow or failing ones). ``time_limit``
    bounds one analysis and ``queue_limit`` (default: the same) the wait for a free worker; both
    answer 503 when exceeded. ``executor`` is ``process`` (a pool of ``workers`` processes; the
    analyzer must be a module-level function) or ``thread`` (threads of the server process).

    ``allowed_hosts`` are the ``Host`` values answered (others get 400): names or addresses, with
    or without ``:port``, IP networks (``192.168.0.0/16``) or ``*`` for any. The default is the
    loopback names ``localhost``, ``127.0.0.1`` and ``[::1]``; ``kilde serve`` adds the address it
    binds. (Starlette's ``TestClient`` sends ``Host: testserver``: give it
    ``base_url="http://localhost"``.) Requests other than GET/HEAD/OPTIONS with an ``Origin``
    header must come from the server's own origin or one of ``allowed_origins`` (403 otherwise;
    ``*`` allows any), which also get CORS headers so their pages can read the answers.

    The process pool starts workers with ``spawn``, which re-imports the main module: a script
    that runs the app itself needs the ``if __name__ == "__main__":`` guard.
    """
    if time_limit <= 0:
        raise ValueError("time_limit must be positive")
    if max_body_bytes <= 0:
        raise ValueError("max_body_bytes must be positive")
    size = default_workers() if workers is None else workers
    if size < 1:
        raise ValueError("workers must be at least 1")
    waiting = time_limit if queue_limit is None else queue_limit
    hosts = list(LOOPBACK_HOSTS if allowed_hosts is None else allowed_hosts)
    origins = sorted({normalise_origin(origin) for origin in allowed_origins})  # ValueError if malformed
    AllowedHosts(hosts)  # ValueError for a malformed entry now, not at the first request
    function = analyzer or kilde.analyze
    runner: Runner
    if executor == "process":
        runner = ProcessRunner(function, size, warmup=warm_kilde if analyzer is None else None)
    elif executor == "thread":
        runner = ThreadRunner(function, size)
    else:
        raise ValueError(f"executor must be 'process' or 'thread', not {executor!r}")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Workers build their pipelines before the server accepts requests; say why startup waits.
        logging.getLogger("uvicorn.error").info("Starting %d analysis %s workers", size, executor)
        await runner.start()
        try:
            yield
        finally:
            await runner.stop()

    app = FastAPI(
        title="kilde",
        version=kilde.__version__,
        description="Who said what, to whom, according to whom, in Norwegian news.",
        lifespan=lifespan,
        # Swagger UI and ReDoc load from a CDN; /docs is kilde's own page instead.
        docs_url=None,
        redoc_url=None,
        # kilde runs offline and article text is confidential work in progress: no telemetry.
        telemetry={"tracing": False, "metrics": False, "logs": False, "auto_configure": False},
    )
    app.state.runner = runner
    build_openapi = app.openapi

    def openapi_with_kilde1() -> dict[str, Any]:
        # FastAPI builds the document once and keeps it; the kilde/1 definitions join its components.
        spec = build_openapi()
        spec.setdefault("components", {}).setdefault("schemas", {}).update(_KILDE1_DEFINITIONS)
        return spec

    app.openapi = openapi_with_kilde1  # type: ignore[method-assign]
    # The last added is the outermost: security headers on every answer, then the Host and Origin
    # checks before anything else, CORS headers (allowed origins only) on the size limit's 413 too.
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
            expose_headers=["retry-after"],
        )
    app.add_middleware(RequestGuard, allowed_hosts=hosts, allowed_origins=origins)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    async def analyse(request: Request, view: Callable[[dict[str, Any]], Any]) -> JSONResponse:
        """The answer to an analysis request: ``view`` of its result, or the JSON error for it."""
        try:
            job = await job_from_request(request)
            result = await runner.run(job, time_limit, waiting)
            return JSONResponse(view(result), headers={"Cache-Control": "no-store"})
        except UnsupportedMedia as error:
            return _error(415, f"send JSON or a multipart file upload, not {str(error) or 'this'}")
        except InvalidInput as error:
            return _error(422, str(error))
        except AnalysisTimeout:
            return _error(
                503,
                f"the analysis took longer than {time_limit:g} s and was stopped; try a shorter text",
            )
        except ServerBusy:
            busy = "the server is busy with other analyses; try again shortly"
            return _error(503, busy, {"Retry-After": "5"})
        except AnalysisFailed as error:
            log.error("analysis failed: %s", error)
            return _error(500, f"the analysis failed: {_one_line(str(error))}")
        except Exception as error:  # a bug outside the analysis (the view, the JSON encoding)
            log.exception("answering an analysis request failed")
            return _error(500, f"the server failed: {_one_line(f'{type(error).__name__}: {error}')}")

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(error))

    @app.exception_handler(Exception)
    async def unexpected_error(_: Request, error: Exception) -> JSONResponse:
        # The last resort for a bug in any route: the same JSON shape as every other error, one
        # line, no traceback (Starlette logs that). The analysis routes catch their own.
        return _error(500, f"the server failed: {_one_line(f'{type(error).__name__}: {error}')}")

    @app.post(
        "/api/analyze",
        summary="Analyse one article",
        description=(
            'Send JSON {"text", "language"?, "id"?} or upload a .txt or .html file '
            '(multipart field "file", optional field "language"). HTML is recognised by its '
            "content and the article is extracted from the page. Returns the kilde/1 object."
        ),
        openapi_extra=_ANALYZE_BODY,
        responses={200: {"description": "The kilde/1 object.", "content": _KILDE1_CONTENT}, **_ERRORS},
        response_class=JSONResponse,
    )
    async def analyze_endpoint(request: Request) -> Any:
        return await analyse(request, lambda result: result)

    @app.post(
        "/api/report",
        summary="Analyse one article for the web page",
        description="Same input as /api/analyze; returns the kilde/1 object with its sources grouped.",
        openapi_extra=_ANALYZE_BODY,
        responses={200: {"model": Report, "description": "The analysis and its sources."}, **_ERRORS},
        response_class=JSONResponse,
    )
    async def report_endpoint(request: Request) -> Any:
        return await analyse(request, page_view)

    @app.get("/api/example", summary="A bundled example article", response_model=Example)
    async def example_endpoint(language: Literal["nb", "nn"] = "nb") -> Example:
        path = files("kilde") / "examples" / f"artikkel_{language}.txt"
        return Example(language=language, text=path.read_text(encoding="utf-8"))

    @app.get("/api/health", summary="Server status", response_model=Health)
    async def health_endpoint() -> Health:
        return Health(status="ok", version=kilde.__version__, **runner.status())

    @cache
    def docs_page() -> str:
        return render_docs(app.openapi())

    @app.get("/docs", include_in_schema=False)
    async def docs_endpoint() -> HTMLResponse:
        return HTMLResponse(docs_page())

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    return app
