"""ASGI middleware: the Host and Origin checks, the request size limit and the security headers.

All are plain ASGI (not Starlette's ``BaseHTTPMiddleware``) so that they also cover responses
that other middleware or the router produce, and so the body limit sees the raw body messages.

A refusal that comes before the app has read the body (a bad ``Host``, a foreign ``Origin``, a
body over the limit) first reads and discards the rest of the body, up to ``DRAIN_BYTES`` and
``DRAIN_SECONDS``, and only then answers and closes the connection. Closing a connection with
unread request bytes makes the kernel send a reset, and clients that write the whole body before
reading (``urllib``, ``http.client``, ``requests``) then see "connection reset" instead of the
JSON answer. A client that sent ``Expect: 100-continue`` is answered at once: it waits for the
server's go-ahead before sending the body, and reading would give it that go-ahead.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    # Only kilde's own files: no inline script or style, no CDN, no plugins, no framing.
    (
        b"content-security-policy",
        b"default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


async def send_json_error(send: Send, status: int, message: str) -> None:
    """Answer with ``{"detail": message}``, the shape FastAPI uses for its own errors."""
    body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


DRAIN_BYTES = 64 * 1024 * 1024
"""Most bytes of a refused request read (and discarded) so that its client gets the answer."""

DRAIN_SECONDS = 30.0
"""Longest time spent reading a refused request's body before answering anyway."""


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    message: str,
    *,
    read: int | None = None,
    drain_bytes: int = DRAIN_BYTES,
) -> None:
    """Answer a JSON error to a request whose body the app has not read, and close the connection.

    The rest of the body is read and discarded first (``read``: the bytes already read, None when
    nothing was), so that the client has finished sending when the answer arrives; see the module
    docstring.
    """
    # The server says "100 Continue" at the first read; until then such a client sends nothing.
    waiting = read is None and (_header(scope, b"expect") or "").strip().lower() == "100-continue"
    declared = _content_length(scope["headers"])
    read = read or 0
    if not waiting and (declared is None or 0 < declared <= drain_bytes):
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(DRAIN_SECONDS):
                while read <= drain_bytes:
                    request = await receive()
                    if request["type"] == "http.disconnect":
                        return  # the client went away; there is nobody to answer
                    read += len(request.get("body", b""))
                    if not request.get("more_body", False):
                        break
    await send_json_error(send, status, message)


def _shown(header: str) -> str:
    """A request header as an error message may quote it: printable and at most 100 characters."""
    return "".join(char for char in header[:100] if char.isprintable())


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"


class BodySizeLimit:
    """Answer 413 to requests whose body is over ``max_bytes``.

    A declared ``Content-Length`` is checked before reading anything. Chunked bodies declare no
    length, so the body is read here, counting bytes, and handed to the app only when complete:
    the app never holds more than ``max_bytes`` of a request.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, drain_bytes: int = DRAIN_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Refused bodies are read up to far beyond the limit, so their clients get the 413.
        self.drain_bytes = max(drain_bytes, 4 * max_bytes)

    def _too_large(self, size: int | None = None) -> str:
        limit = _megabytes(self.max_bytes)
        if size is None:
            return f"the request is larger than {limit}; kilde accepts at most {limit}"
        return f"the request is {_megabytes(size)}; kilde accepts at most {limit}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope["headers"])
        if declared == -1:
            await send_json_error(send, 400, "the Content-Length header is not a number")
            return
        if declared is not None and declared > self.max_bytes:
            await refuse(scope, receive, send, 413, self._too_large(declared), drain_bytes=self.drain_bytes)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away; there is nobody to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                if message.get("more_body", False):  # read the rest, so the client gets the answer
                    await refuse(
                        scope, receive, send, 413, self._too_large(), read=size, drain_bytes=self.drain_bytes
                    )
                else:
                    await send_json_error(send, 413, self._too_large())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _content_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    """The declared body size, None when absent, -1 when it is not a number."""
    for name, value in headers:
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the buffered body once, then waits on the client (for disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class SecurityHeaders:
    """Add ``SECURITY_HEADERS`` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in SECURITY_HEADERS if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
"""The names a browser on the same machine uses for a server bound to a loopback address."""

_DEFAULT_PORTS = {"http": 80, "https": 443}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _split_host(value: str) -> tuple[str, int | None]:
    """``name``, ``name:port``, ``[v6]``, ``[v6]:port`` (or a bare IPv6 address) as a normalised
    host and a port; raises ValueError when it is none of these.

    IP addresses come out in their canonical form (``[::1]`` and ``::1`` are the same), names in
    lower case without a trailing dot.
    """
    text = value.strip().lower()
    port: str | None = None
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise ValueError(value)
        port = rest[1:] if rest else None
    elif text.count(":") > 1:  # a bare IPv6 address has no port
        host = text
    else:
        host, colon, port_text = text.partition(":")
        port = port_text if colon else None
    if port is not None and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(value)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        host = host.removesuffix(".")
        if not host or not all(char.isascii() and (char.isalnum() or char in "-._") for char in host):
            raise ValueError(value) from None
        return host, int(port) if port else None
    if isinstance(address, ipaddress.IPv6Address) and not text.startswith("[") and port is not None:
        raise ValueError(value)
    return address.compressed, int(port) if port else None


def _address(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


class AllowedHosts:
    """The ``Host`` values a server answers to: names or addresses (any port, or one port when the
    entry names it), IP networks (``10.0.0.0/8``: any address in them) or ``*`` (anything)."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.anything = False
        self.names: set[tuple[str, int | None]] = set()
        self.networks: list[Network] = []
        for entry in entries:
            text = entry.strip()
            if text == "*":
                self.anything = True
            elif "/" in text:
                try:
                    self.networks.append(ipaddress.ip_network(text.strip("[]"), strict=False))
                except ValueError:
                    raise ValueError(f"not a host name, address or network: {entry!r}") from None
            else:
                try:
                    self.names.add(_split_host(text))
                except ValueError:
                    raise ValueError(f"not a host name or address: {entry!r}") from None

    def allow(self, host: str, port: int | None) -> bool:
        if self.anything or (host, None) in self.names or (host, port) in self.names:
            return True
        address = _address(host)
        return address is not None and any(address in network for network in self.networks)


def _origin(value: str) -> tuple[str, str, int | None]:
    """``scheme://host[:port]`` as (scheme, normalised host, explicit port); raises ValueError."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in _DEFAULT_PORTS or parts.path not in ("", "/") or parts.query:
        raise ValueError(value)
    if parts.username or parts.password or parts.fragment or not parts.netloc:
        raise ValueError(value)
    host, port = _split_host(parts.netloc)
    return parts.scheme.lower(), host, port


def normalise_origin(value: str) -> str:
    """An origin as browsers send it in the ``Origin`` header (default port left out), or ``*``."""
    if value.strip() == "*":
        return "*"
    try:
        scheme, host, port = _origin(value)
    except ValueError:
        raise ValueError(f"not an origin (scheme://host[:port]): {value!r}") from None
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" if port in (None, _DEFAULT_PORTS[scheme]) else f"{scheme}://{shown}:{port}"


class RequestGuard:
    """Refuse requests for another ``Host`` (400) and cross-origin writes (403).

    - ``Host`` must be one of ``allowed_hosts`` (see ``AllowedHosts``). A web page cannot choose the
      ``Host`` its browser sends, so this stops DNS rebinding: a page whose own domain name has
      been pointed at this server's address, which would otherwise read the answers.
    - A request other than GET, HEAD or OPTIONS that carries an ``Origin`` header must come from
      the server's own origin (same host and port as ``Host``) or one of ``allowed_origins``
      (``*``: any). This stops other sites' pages from posting articles and occupying the workers.
      Requests without ``Origin`` (curl, scripts) are not browsers' cross-site requests.
    """

    def __init__(
        self, app: ASGIApp, allowed_hosts: Iterable[str], allowed_origins: Iterable[str] = ()
    ) -> None:
        self.app = app
        self.hosts = AllowedHosts(allowed_hosts)
        self.origins = {normalise_origin(origin) for origin in allowed_origins}

    def _own_origin(self, origin: str, host: str, port: int | None) -> bool:
        try:
            scheme, origin_host, origin_port = _origin(origin)
        except ValueError:
            return False  # "null" (sandboxed frames, file pages) or garbage
        if origin_host != host:
            return False
        effective = origin_port or _DEFAULT_PORTS[scheme]
        # Without a port in Host (a proxy on 80 or 443), either default port is the server's.
        return effective in _DEFAULT_PORTS.values() if port is None else effective == port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = _header(scope, b"host")
        host, port = "", None
        if header is not None:  # only HTTP/1.0 clients leave it out, and browsers never do
            try:
                host, port = _split_host(header)
            except ValueError:
                host = ""
            if not host or not self.hosts.allow(host, port):
                message = (
                    f"this server does not answer to the host name {_shown(header)!r}; "
                    "start kilde serve with --allowed-host to allow it"
                )
                await refuse(scope, receive, send, 400, message)
                return
        origin = _header(scope, b"origin")
        if (
            origin is not None
            and scope["method"] not in ("GET", "HEAD", "OPTIONS")
            and "*" not in self.origins
            and not self._own_origin(origin, host, port)
        ):
            try:
                allowed = normalise_origin(origin) in self.origins
            except ValueError:
                allowed = False
            if not allowed:
                message = (
                    f"requests from pages of {_shown(origin)!r} are refused; "
                    "start kilde serve with --allow-origin to allow them"
                )
                await refuse(scope, receive, send, 403, message)
                return
        await self.app(scope, receive, send)
