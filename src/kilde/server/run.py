"""Start the web app with uvicorn: what ``kilde serve`` does."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence

import python_multipart  # noqa: F401  # uploads need it: fail at start, not at the first upload
import uvicorn

from kilde.errors import KildeError
from kilde.server.app import DEFAULT_TIME_LIMIT, create_app
from kilde.server.middleware import LOOPBACK_HOSTS, AllowedHosts


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    return host.strip("[]") in ("", "0.0.0.0", "::")


def bound_hosts(host: str) -> list[str]:
    """The ``Host`` values a server bound to ``host`` answers to without ``--allowed-host``.

    The bound name or address itself; for a loopback address also ``localhost``, ``127.0.0.1`` and
    ``[::1]``; for all interfaces (``0.0.0.0``, ``::``) those, this machine's name and any IP
    address (a browser that typed an address cannot be the victim of DNS rebinding, which needs a
    name). Ports are not checked: a browser sends the port it connected to, so checking it would
    protect nothing and would refuse SSH tunnels and mapped container ports.
    """
    if _is_wildcard(host):
        hosts = [*LOOPBACK_HOSTS, "0.0.0.0/0", "::/0"]
        name = socket.gethostname()
        try:
            AllowedHosts([name])
        except ValueError:
            pass
        else:
            hosts.append(name)
        return hosts
    if _is_loopback(host):
        return [*LOOPBACK_HOSTS, host]
    return [host]


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    log_level: str = "info",
    allowed_hosts: Sequence[str] = (),
    allowed_origins: Sequence[str] = (),
) -> None:
    """Serve the web app until Ctrl-C; analysis workers start (and warm up) before the first request.

    ``allowed_hosts`` adds to the ``Host`` values of ``bound_hosts`` (for a proxy's or a DNS
    name); ``allowed_origins`` are other sites whose pages may post to the API.
    """
    try:
        app = create_app(
            time_limit=time_limit,
            workers=workers,
            allowed_hosts=[*bound_hosts(host), *allowed_hosts],
            allowed_origins=allowed_origins,
        )
    except ValueError as error:
        raise KildeError(str(error)) from None
    if not _is_loopback(host):
        # The app has no accounts or passwords; say so before exposing it to a network.
        print(f"kilde: warning: serving on {host} makes the app reachable by others; it has no login")
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
