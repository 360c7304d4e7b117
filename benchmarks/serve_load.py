"""Load on the desk's API: validations per second and latency of `POST /api/validate` with a complete
report (examples/illustrative-2021-county.json as a JSON body), from this process against `ogi serve`
in another, on loopback, at 1, 8 and 32 concurrent clients (keep-alive connections).

Run: python benchmarks/serve_load.py [--workers N] [--requests N] [--seconds S] [--url URL]
Starts `ogi serve` on a free loopback port (unless --url names a running one), sends at most
--requests requests or --seconds seconds per level (whichever ends first), and prints one line per
level: clients, requests, seconds, validations per second, p50 and p99 latency (ms), failures.
The client is a minimal asyncio HTTP/1.1 client, so that it takes as little of the machine as it can.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPORT = Path(__file__).resolve().parent.parent / "examples" / "illustrative-2021-county.json"
LEVELS = (1, 8, 32)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _request(host: str, port: int, body: bytes) -> bytes:
    head = (
        f"POST /api/validate HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode() + body


async def _client(
    host: str, port: int, request: bytes, stop: list[float], budget: list[int], times: list[float]
) -> int:
    """One keep-alive connection sending requests one after another; returns its failures."""
    reader, writer = await asyncio.open_connection(host, port)
    failures = 0
    try:
        while budget[0] > 0 and time.perf_counter() < stop[0]:
            budget[0] -= 1
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            times.append(time.perf_counter() - start)
            if not head.startswith(b"HTTP/1.1 200"):
                failures += 1
    finally:
        writer.close()
    return failures


async def _level(host: str, port: int, body: bytes, clients: int, most: int, seconds: float) -> str:
    request = _request(host, port, body)
    times: list[float] = []
    budget = [most]
    began = time.perf_counter()
    stop = [began + seconds]
    failures = await asyncio.gather(
        *(_client(host, port, request, stop, budget, times) for _ in range(clients))
    )
    elapsed = time.perf_counter() - began
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{clients:>7} {len(times):>8} {elapsed:>7.2f} {len(times) / elapsed:>8.0f} "
        f"{statistics.median(ordered) * 1000:>7.2f} {p99 * 1000:>7.2f} {sum(failures):>8}"
    )


def _wait(url: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(url + "/api/rules", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit(f"no server at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1, help="ogi serve --workers (default 1)")
    parser.add_argument("--requests", type=int, default=5000, help="most requests per level")
    parser.add_argument("--seconds", type=float, default=10.0, help="most seconds per level")
    parser.add_argument("--url", help="a running desk (loopback only); default: start ogi serve")
    args = parser.parse_args()
    server = None
    if args.url:
        url = args.url.rstrip("/")
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("loopback only")
    else:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "ogi_report", "serve", "--port", str(port)]
        server = subprocess.Popen([*command, "--workers", str(args.workers)], stderr=subprocess.DEVNULL)
    try:
        _wait(url)
        body = REPORT.read_bytes()
        check = httpx.post(url + "/api/validate", content=body, headers={"content-type": "application/json"})
        summary = json.loads(check.text)["summary"]
        if check.status_code != 200 or summary["errors"]:
            raise SystemExit(f"unexpected answer: {check.status_code} {summary}")
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        try:
            import uvloop  # the client's own loop, as lean as the server's

            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        except ImportError:
            pass
        run = asyncio.run
        print(f"POST /api/validate, {REPORT.name} ({len(body):,} bytes), server workers: {args.workers}")
        print("clients requests seconds  valid/s  p50 ms  p99 ms failures")
        run(_level(host, port, body, 1, min(args.requests, 500), args.seconds))  # warm up
        for clients in LEVELS:
            print(run(_level(host, port, body, clients, args.requests, args.seconds)), flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
