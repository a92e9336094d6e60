#!/usr/bin/env python3
"""The emulator's own cost per call and per page as its state grows: N instance snapshots (default 100 and
20,000), in memory and with a state file.

For each N and storage, a fresh release emulator (`--page-size 100`, real clock) is filled with N snapshots
through `POST /_emulator/call`, then timed on signed calls sent over one keep-alive loopback connection
(signed with botocore's SigV4 signer before the clock starts): creates, single gets, the first and the last
page of GetInstanceSnapshots, the first page of GetOperations, and a full listing page by page. The figure
for each is the emulator's own time per call — from request read to answer built: journal, SigV4,
validation, transaction (and commit to the file), response layer, serialization — read from its
`GET /_emulator/stats` counters, so the Python client costs nothing in it; the client-observed median round
trip is printed beside it.

Usage: python3 emulator/scripts/scale.py [--emulator PATH] [N ...]
Runs inside a private network namespace (unshare -n, loopback only): re-executes itself there. Prints a
Markdown table (docs/robustness.md, "Emulator at scale").
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MARKER = "EMULATOR_SCALE_ISOLATED"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY_ID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def isolate() -> None:
    if os.environ.get(MARKER) == "1":
        return
    if not shutil.which("unshare") or not shutil.which("ip"):
        sys.exit("scale.py: needs `unshare` and `ip` to stay on loopback")
    env = dict(os.environ, **{MARKER: "1"})
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', sys.executable,
           os.path.abspath(__file__), *sys.argv[1:]]
    sys.exit(subprocess.run(cmd, env=env).returncode)


class Emulator:
    def __init__(self, binary: str, state_file: str | None):
        args = [binary, "--port", "0", "--page-size", "100"]
        if state_file:
            args += ["--state-file", state_file]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        m = re.match(r"listening on http://127\.0\.0\.1:(\d+)", self.proc.stdout.readline())
        if not m:
            raise RuntimeError("emulator did not start")
        self.port = int(m.group(1))
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port)

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> bytes:
        self.conn.request(method, path, body=body, headers=headers or {})
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return data

    def stats(self) -> dict:
        return json.loads(self.request("GET", "/_emulator/stats"))

    def stop(self) -> None:
        self.conn.close()
        self.proc.terminate()
        self.proc.wait()


def signed(port: int, operation: str, body: dict) -> tuple[bytes, dict]:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    data = json.dumps(body).encode()
    request = AWSRequest(method="POST", url=f"http://127.0.0.1:{port}/", data=data, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"Lightsail_20161128.{operation}"})
    SigV4Auth(Credentials(KEY_ID, SECRET), "lightsail", "us-west-2").add_auth(request)
    return data, dict(request.headers.items())


def timed(emulator: Emulator, operation: str, bodies: list[dict]) -> tuple[float, float, list[bytes]]:
    """(emulator's own mean µs per call, client median µs per call, answers) for these calls."""
    prepared = [signed(emulator.port, operation, body) for body in bodies]
    target = f"Lightsail_20161128.{operation}"
    before = emulator.stats().get(target, {"count": 0, "total_us": 0})
    rounds, answers = [], []
    for data, headers in prepared:
        started = time.perf_counter()
        answers.append(emulator.request("POST", "/", data, headers))
        rounds.append(time.perf_counter() - started)
    after = emulator.stats()[target]
    own = (after["total_us"] - before["total_us"]) / (after["count"] - before["count"])
    return own, statistics.median(rounds) * 1e6, answers


def measure(binary: str, n: int, state_file: str | None) -> dict:
    emulator = Emulator(binary, state_file)
    try:
        started = time.perf_counter()
        for i in range(n):
            emulator.request("POST", "/_emulator/call", json.dumps({
                "target": "CreateInstanceSnapshot",
                "body": {"instanceName": "WordPress-1", "instanceSnapshotName": f"s-{i:06d}"}}).encode())
        fill = (time.perf_counter() - started) / max(n, 1) * 1e6
        row = {"n": n, "state": "file" if state_file else "memory", "fill_us": fill}
        row["create"] = timed(emulator, "CreateInstanceSnapshot", [
            {"instanceName": "WordPress-1", "instanceSnapshotName": f"extra-{i:04d}"} for i in range(200)])[:2]
        total = n + 200
        picks = random.Random(7).sample(range(n), min(n, 300))
        row["get"] = timed(emulator, "GetInstanceSnapshot",
                           [{"instanceSnapshotName": f"s-{i:06d}"} for i in picks])[:2]
        row["first_page"] = timed(emulator, "GetInstanceSnapshots", [{}] * 100)[:2]
        last = {"pageToken": f"lightsail-emulator-page-{total - 100}"}
        row["last_page"] = timed(emulator, "GetInstanceSnapshots", [last] * 100)[:2]
        row["operations_page"] = timed(emulator, "GetOperations", [{}] * 100)[:2]
        # The whole listing, page by page (tokens known in advance: positions are dense).
        pages = [{}] + [{"pageToken": f"lightsail-emulator-page-{p}"} for p in range(100, total, 100)]
        own, _, answers = timed(emulator, "GetInstanceSnapshots", pages)
        listed = sum(len(json.loads(a)["instanceSnapshots"]) for a in answers)
        assert listed == total, (listed, total)
        row["listing"] = (own * len(pages) / 1000, len(pages))
        return row
    finally:
        emulator.stop()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emulator", default=os.path.join(ROOT, "target", "release", "lightsail-emulator"))
    parser.add_argument("sizes", nargs="*", type=int)
    args = parser.parse_args()
    isolate()
    sizes = args.sizes or [100, 20_000]
    work = tempfile.mkdtemp(prefix="emulator-scale-")
    print("| snapshots | state | create | get one | first page (100) | last page (100) | GetOperations page (100) "
          "| all pages: total ms (pages) | filling: µs per create |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    try:
        for n in sizes:
            for use_file in (False, True):
                state = os.path.join(work, f"state-{n}.db") if use_file else None
                row = measure(args.emulator, n, state)
                cell = lambda pair: f"{pair[0]:.0f} µs ({pair[1]:.0f})"  # noqa: E731
                print(f"| {n:,} | {row['state']} | {cell(row['create'])} | {cell(row['get'])} | "
                      f"{cell(row['first_page'])} | {cell(row['last_page'])} | {cell(row['operations_page'])} | "
                      f"{row['listing'][0]:.1f} ({row['listing'][1]}) | {row['fill_us']:.0f} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\nEach cell: the emulator's own mean time per call (from GET /_emulator/stats), and in brackets the "
          "client-observed median round trip over keep-alive loopback (µs).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
