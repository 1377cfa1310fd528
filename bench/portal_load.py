"""A bounded load run of the download portal, on loopback only.

Starts ``packgen serve`` on a free 127.0.0.1 port (or uses ``--url``, which
must be a loopback address), builds one personalised pack, then sends a
fixed number of requests with a fixed concurrency, round robin over:

- ``GET /``                   the listing page;
- ``GET /packs/KEY/NAME.zip``  the cached personalised zip (~800 KB);
- ``POST /personalise``       the same form again (a cache hit: 303, no build).

It prints the time from submitting the first personalised pack to its being
ready (nothing cached; once the default pack, which the server builds in the
background, is made, and ``--settle`` seconds more, default 10, so the worker
has loaded the project as it does at start-up), latency percentiles per target,
throughput and errors, and exits 1 if any request failed. Every loop is
bounded by count and by time.

    PYTHONPATH=. python bench/portal_load.py                 # 200 requests, 20 at a time
    PYTHONPATH=. python bench/portal_load.py -n 1000 -c 50
    PYTHONPATH=. python bench/portal_load.py --targets listing   # one target alone
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
LOGO = REPO / "docs" / "examples" / "orgs" / "riverside-logo.svg"
FORM = {
    "name": "Riverside Family Hub",
    "website": "https://riverside.example.org",
    "support_name": "Riverside Parent-Infant Team",
    "support_url": "https://riverside.example.org/parent-infant",
    "support_phone": "0114 496 0000",
}
DEADLINE = 300.0  # seconds for the whole run, whatever -n says


def loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(cache: str, jobs: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    )
    command = [sys.executable, "-m", "packgen", "serve", "--port", str(port), "--cache", cache]
    command += ["--jobs", str(jobs)] if jobs else []
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # it answers at once; the default pack comes after
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"packgen serve exited with {process.returncode}")
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("packgen serve did not start within 120 s")


def wait_for_default_pack(url: str, limit: float = 600.0) -> float:
    """Seconds until the default pack's zip is made (the server builds it in the background
    and answers at once): the first personalised pack is timed on a server at rest."""
    began = time.monotonic()
    page = httpx.get(url + "/", timeout=10).text
    found = re.search(r'href="(/downloads/[^"/]+\.zip)"', page)
    if not found:
        raise SystemExit("the listing links no zip of the default pack")
    while time.monotonic() - began < limit:
        answer = httpx.get(url + found.group(1), headers={"accept": "application/json"}, timeout=10)
        if answer.status_code == 200 and answer.json().get("ready"):
            return time.monotonic() - began
        time.sleep(1.0)
    raise SystemExit(f"the default pack was not built within {limit:.0f} s")


CHOICE: dict[str, list[str]] = {}  # the form's own choice (--choose); empty: its defaults


def post_form(client: httpx.Client | httpx.AsyncClient, url: str):  # type: ignore[no-untyped-def]
    files = {"logo": ("logo.svg", LOGO.read_bytes(), "image/svg+xml")}
    data: dict[str, object] = dict(FORM)
    if CHOICE:
        data |= {"choices": "1", **CHOICE}
    return client.post(url + "/personalise", data=data, files=files)


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of processes so far (Linux /proc), in seconds."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the server's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


SERVER_PID: list[int] = []


def prime(url: str) -> str:
    """Build the personalised pack once; the zip's path. Prints submit-to-ready time,
    the load average and (for a server this run started) the CPU time its workers used."""
    with httpx.Client(timeout=60) as client:
        workers = _children(SERVER_PID[0]) if SERVER_PID else []
        cpu = _cpu_seconds(workers)
        load = os.getloadavg()[0]
        began = time.perf_counter()
        response = post_form(client, url)
        if response.status_code != 303:
            raise SystemExit(f"POST /personalise answered {response.status_code}")
        pack = response.headers["location"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = client.get(url + pack + "/status").json()
            if status["state"] == "ready":
                took = time.perf_counter() - began
                used = _cpu_seconds(workers) - cpu
                files = status.get("files", "?")
                print(f"first personalised pack: {took:.2f} s from submit to ready ({files} files)")
                if workers:
                    print(f"  worker CPU time {used:.2f} s in {len(workers)} worker(s)")
                print(f"  load average {load:.2f} before, {os.getloadavg()[0]:.2f} after")
                return str(status["download"])
            if status["state"] != "building":
                raise SystemExit(f"the pack could not be built: {status}")
            time.sleep(0.02)
    raise SystemExit("the pack was not built within 120 s")


TARGETS = {"listing": "GET /", "zip": "GET zip", "post": "POST /personalise (cached)"}


async def run(url: str, zip_path: str, total: int, concurrency: int, only: list[str]) -> int:
    targets = [TARGETS[name] for name in only]
    latencies: dict[str, list[float]] = {t: [] for t in targets}
    errors: dict[str, list[str]] = {t: [] for t in targets}
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def one(index: int) -> None:
            target = targets[index % len(targets)]
            async with gate:
                start = time.perf_counter()
                try:
                    if target == "GET /":
                        response = await client.get(url + "/")
                        ok = response.status_code == 200 and b"</html>" in response.content
                    elif target == "GET zip":
                        response = await client.get(url + zip_path)
                        ok = response.status_code == 200 and response.content[:2] == b"PK"
                    else:
                        response = await post_form(client, url)
                        ok = response.status_code == 303
                    if not ok:
                        errors[target].append(f"HTTP {response.status_code}")
                except httpx.HTTPError as exc:
                    errors[target].append(type(exc).__name__)
                latencies[target].append(time.perf_counter() - start)

        began = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(total))), DEADLINE)
        elapsed = time.perf_counter() - began

    print(
        f"{total} requests, {concurrency} concurrent, {elapsed:.2f} s, {total / elapsed:.0f} req/s"
    )
    print(f"{'target':30} {'n':>5} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} errors")
    failed = 0
    for target in targets:
        times = sorted(latencies[target])
        if not times:
            continue
        cuts = (
            statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
        )
        row = [cuts[49], cuts[89], cuts[98], times[-1]]
        cells = " ".join(f"{t * 1000:8.1f}" for t in row)
        print(f"{target:30} {len(times):5} {cells} {len(errors[target])}")
        failed += len(errors[target])
        for problem in sorted(set(errors[target])):
            print(f"    {problem} x{errors[target].count(problem)}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=200, help="requests (default 200)")
    parser.add_argument("-c", "--concurrency", type=int, default=20, help="at once (default 20)")
    parser.add_argument("--url", help="a running portal on loopback (default: start one)")
    parser.add_argument(
        "--settle",
        type=float,
        default=10.0,
        help="seconds between start-up and the first pack (default 10; 0: at once)",
    )
    parser.add_argument(
        "--choose",
        action="append",
        default=[],
        metavar="FIELD=V1,V2",
        help="the form's choice, e.g. products=poster-speak-up sizes=A4 profiles=office "
        "kit=banner languages=en-GB (repeat; default: what the form ticks at first)",
    )
    parser.add_argument("--jobs", type=int, help="the server's --jobs (default: its own)")
    parser.add_argument(
        "--cache",
        metavar="DIR",
        help="keep the server's cache here, to reuse its default pack between runs "
        "(personalised packs in it are removed first, so the first pack is still built)",
    )
    parser.add_argument(
        "--targets",
        default="listing,zip,post",
        help="comma-separated, round robin: listing, zip, post (default: all three)",
    )
    args = parser.parse_args()
    only = [t.strip() for t in args.targets.split(",") if t.strip()]
    if not only or any(t not in TARGETS for t in only):
        parser.error(f"--targets takes {', '.join(TARGETS)}")
    if not 1 <= args.requests <= 10_000 or not 1 <= args.concurrency <= 200:
        parser.error("use 1-10000 requests and 1-200 concurrent")
    for item in args.choose:
        name, _, values = item.partition("=")
        CHOICE[name.strip()] = [v for v in values.split(",") if v]
    process = None
    with tempfile.TemporaryDirectory(prefix="packgen-load-") as scratch:
        cache = args.cache or scratch
        for packs in Path(cache).glob("*/packs"):
            shutil.rmtree(packs)
        if args.url:
            if not loopback(args.url):
                parser.error("--url must be a loopback address (127.0.0.1, ::1 or localhost)")
            url = args.url.rstrip("/")
        else:
            process, url = start_server(cache, args.jobs)
            SERVER_PID.append(process.pid)
            waited = wait_for_default_pack(url)
            print(f"listing served at once; default pack built in the background in {waited:.1f} s")
            time.sleep(max(0.0, min(args.settle, 120.0)))
        try:
            zip_path = prime(url)
            return asyncio.run(run(url, zip_path, args.requests, args.concurrency, only))
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=20)


if __name__ == "__main__":
    raise SystemExit(main())
