"""Start the web app with uvicorn: what ``kilde serve`` does."""

from __future__ import annotations

import ipaddress

import python_multipart  # noqa: F401  # uploads need it: fail at start, not at the first upload
import uvicorn

from kilde import KildeError
from kilde.server.app import DEFAULT_TIME_LIMIT, create_app


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    log_level: str = "info",
) -> None:
    """Serve the web app until Ctrl-C; analysis workers start (and warm up) before the first request."""
    try:
        app = create_app(time_limit=time_limit, workers=workers)
    except ValueError as error:
        raise KildeError(str(error)) from None
    if not _is_loopback(host):
        # The app has no accounts or passwords; say so before exposing it to a network.
        print(f"kilde: warning: serving on {host} makes the app reachable by others; it has no login")
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
