"""Load test of the web app (run: python benchmarks/load.py [--url URL] [--requests 400] [--clients 8]).

Without ``--url`` it starts ``kilde serve`` on a free loopback port (``--workers`` analysis
processes), waits until it is ready, and stops it afterwards. Each of N client threads keeps one
HTTP connection and posts the bundled example article (``src/kilde/examples/artikkel_nb.txt``)
to ``/api/analyze`` until the shared budget of requests is spent. A warm-up round (one request per
client) is not counted. Prints p50/p95/p99 latency, throughput and the error count; exits 1 when
any request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources

import httpx

START_SECONDS = 180.0


@dataclass
class Tally:
    """Latencies of successful requests and a description of every failure, shared by all clients."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies.append(seconds)
            else:
                self.errors.append(error)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_server(workers: int | None, time_limit: float) -> Iterator[str]:
    """``kilde serve`` in a child process; yields its URL once ``/api/health`` answers."""
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "import sys; from kilde.cli import main; sys.exit(main())",
        "serve",
        "--port",
        str(port),
        "--time-limit",
        str(time_limit),
    ]
    if workers is not None:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None:
                raise SystemExit(f"kilde serve exited with {process.returncode}:\n{process.stderr.read()}")
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"kilde serve did not start within {START_SECONDS:.0f} s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def _client(url: str, body: bytes, budget: Iterator[int], tally: Tally, timeout: float) -> None:
    headers = {"content-type": "application/json"}
    with httpx.Client(base_url=url, timeout=timeout) as client:
        for _ in budget:  # a view on the shared count of requests left
            started = time.perf_counter()
            try:
                response = client.post("/api/analyze", content=body, headers=headers)
                error = (
                    None if response.status_code == 200 else f"HTTP {response.status_code}: {response.text}"
                )
                if error is None and response.json().get("schema") != "kilde/1":
                    error = "answer is not kilde/1"
            except httpx.HTTPError as failure:
                error = f"{type(failure).__name__}: {failure}"
            tally.record(time.perf_counter() - started, error)


def run_load(url: str, text: str, requests: int, clients: int, timeout: float) -> tuple[Tally, float]:
    """A warm-up round, then ``requests`` requests from ``clients`` threads; the tally and wall time."""
    body = json.dumps({"text": text, "language": "nb"}).encode("utf-8")
    warmup = Tally()
    threads = [
        threading.Thread(target=_client, args=(url, body, iter([0]), warmup, timeout)) for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if warmup.errors:
        raise SystemExit(f"warm-up failed: {warmup.errors[0]}")

    tally = Tally()
    lock = threading.Lock()
    counter = iter(range(requests))

    def budget() -> Iterator[int]:
        while True:
            with lock:
                item = next(counter, None)
            if item is None:
                return
            yield item

    threads = [
        threading.Thread(target=_client, args=(url, body, budget(), tally, timeout)) for _ in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started


def _percentile(values: list[float], share: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def report(tally: Tally, seconds: float, requests: int, clients: int, url: str, text: str) -> None:
    ms = [latency * 1000 for latency in tally.latencies]
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"target        {url}  ({machine})")
    print(f"article       artikkel_nb.txt, {len(text):,} characters")
    print(f"requests      {requests} from {clients} concurrent clients")
    print(f"errors        {len(tally.errors)}")
    print(f"wall time     {seconds:.2f} s")
    print(f"throughput    {len(ms) / seconds:.1f} requests/s")
    if ms:
        print(
            f"latency ms    p50 {_percentile(ms, 50):.0f}  p95 {_percentile(ms, 95):.0f}  "
            f"p99 {_percentile(ms, 99):.0f}  max {max(ms):.0f}  mean {statistics.fmean(ms):.0f}"
        )
    for error in tally.errors[:5]:
        print(f"  error: {' '.join(error.split())[:200]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", help="a running kilde server; default: start one")
    parser.add_argument("--requests", type=int, default=400, help="requests in total (default 400)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, help="analysis processes of the started server")
    parser.add_argument("--time-limit", type=float, default=20.0, help="the started server's time limit")
    parser.add_argument("--timeout", type=float, default=60.0, help="client timeout per request, seconds")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.clients < 1:
        parser.error("--requests and --clients must be at least 1")
    text = (resources.files("kilde") / "examples" / "artikkel_nb.txt").read_text(encoding="utf-8")
    if args.url:
        tally, seconds = run_load(args.url.rstrip("/"), text, args.requests, args.clients, args.timeout)
        report(tally, seconds, args.requests, args.clients, args.url, text)
    else:
        with local_server(args.workers, args.time_limit) as url:
            tally, seconds = run_load(url, text, args.requests, args.clients, args.timeout)
            workers = httpx.get(f"{url}/api/health").json()["workers"]
        report(tally, seconds, args.requests, args.clients, f"{url} (kilde serve, {workers} workers)", text)
    return 1 if tally.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
