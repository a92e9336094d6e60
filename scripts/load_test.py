#!/usr/bin/env python3
"""Bounded load test of our `aws` binary against one `lightsail-emulator`, on loopback only.

Phase 1 runs N sequential `aws lightsail create-instance-snapshot` calls, each creating a distinct snapshot;
phase 2 runs C concurrent clients (threads, each running its own `aws` processes one after another) making
M calls each. Every call must exit 0 and print the CreateInstanceSnapshot operation for its own snapshot.
Afterwards the emulator's `GET /_emulator/state` must hold exactly one snapshot per call (none lost, none
duplicated, none unexpected), a sample is read back through `aws lightsail get-instance-snapshot`, and the
whole list is read through the paginated `aws lightsail get-instance-snapshots` (pages of 100).

The emulator keeps its state in a file (`--state-file`, SQLite, every change committed before it answers)
unless --memory is given; with the file, the emulator is then stopped and started again on it, and the
state must still hold every snapshot.

Usage:
    python3 scripts/load_test.py [--sequential N] [--clients C] [--per-client M] [--time-limit SECS]
                                 [--memory] [--aws PATH] [--emulator PATH] [--json-out FILE]

Defaults: N=10000, C=50, M=100, a 1500 s limit (the script stops launching calls and fails when it is
reached), target/release/{aws,lightsail-emulator} (build them with `cargo build --release --workspace`).
Exit status 0 only when every check passes.

Network safety: the script re-executes itself inside `unshare -n` (a private network namespace with only
loopback up) and refuses to run if it cannot; every call gets `--endpoint-url http://127.0.0.1:PORT`,
explicit example credentials and region, AWS_EC2_METADATA_DISABLED=true and a throwaway HOME.
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = "LOAD_TEST_ISOLATED"
INSTANCE = "WordPress-1"


def isolate() -> None:
    """Re-execute inside a private network namespace with only loopback, unless already there."""
    if os.environ.get(MARKER) == "1":
        return
    if not shutil.which("unshare") or not shutil.which("ip"):
        sys.exit("load_test.py: needs `unshare` and `ip` to stay on loopback")
    env = dict(os.environ, **{MARKER: "1"})
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', sys.executable,
           os.path.abspath(__file__), *sys.argv[1:]]
    sys.exit(subprocess.run(cmd, env=env).returncode)


class Emulator:
    """One `lightsail-emulator` on an ephemeral loopback port, stopped by `stop()`."""

    def __init__(self, binary: str, state_file: str | None):
        args = [binary, "--port", "0", "--page-size", "100"]
        if state_file:
            args += ["--state-file", state_file]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"listening on (http://127\.0\.0\.1:\d+)\s*$", line)
        if not m:
            self.stop()
            raise RuntimeError(f"emulator did not announce its address: {line!r}")
        self.endpoint = m.group(1)
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def state(self) -> dict:
        with urllib.request.urlopen(f"{self.endpoint}/_emulator/state", timeout=60) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def snapshot_names(self) -> list[str]:
        """The names of every instance snapshot the emulator holds (its state dump)."""
        return [r["name"] for r in self.state()["resources"] if r["kind"] == "InstanceSnapshot"]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Calls:
    """Runs `aws` calls and keeps the tally; refuses new calls after the deadline."""

    def __init__(self, aws: str, endpoint: str, home: str, deadline: float):
        self.aws, self.endpoint, self.deadline = aws, endpoint, deadline
        self.env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AWS_DEFAULT_REGION": "us-west-2",
            "LC_ALL": "C.UTF-8",
        }
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.ok = 0
        self.failures: list[str] = []
        self.skipped = 0

    def run(self, argv: list[str]) -> subprocess.CompletedProcess | None:
        if time.monotonic() > self.deadline:
            with self.lock:
                self.skipped += 1
            return None
        return subprocess.run([self.aws, *argv, "--endpoint-url", self.endpoint], env=self.env,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=120)

    def create(self, name: str) -> None:
        try:
            started = time.monotonic()
            proc = self.run(["lightsail", "create-instance-snapshot", "--instance-name", INSTANCE,
                             "--instance-snapshot-name", name])
            with self.lock:
                self.latencies.append(time.monotonic() - started)
        except subprocess.TimeoutExpired:
            self.fail(f"{name}: timed out")
            return
        if proc is None:
            return
        problem = None
        if proc.returncode != 0:
            problem = f"exit {proc.returncode}: {proc.stderr.decode(errors='replace').strip()[:300]}"
        else:
            try:
                op = json.loads(proc.stdout)["operations"][0]
                if op["resourceName"] != name or op["operationType"] != "CreateInstanceSnapshot":
                    problem = f"unexpected operation {op}"
            except (ValueError, KeyError, IndexError, TypeError) as err:
                problem = f"unparsable output ({err}): {proc.stdout[:200]!r}"
            if proc.stderr:
                problem = f"unexpected stderr: {proc.stderr[:200]!r}"
        if problem:
            self.fail(f"{name}: {problem}")
        else:
            with self.lock:
                self.ok += 1

    def fail(self, text: str) -> None:
        with self.lock:
            self.failures.append(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sequential", type=int, default=10000, help="sequential calls (default 10000)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--per-client", type=int, default=100, help="calls per concurrent client (default 100)")
    parser.add_argument("--time-limit", type=float, default=1500, help="seconds before giving up (default 1500)")
    parser.add_argument("--sample", type=int, default=25, help="snapshots read back through the CLI (default 25)")
    parser.add_argument("--memory", action="store_true", help="keep the emulator's state in memory, not a file")
    parser.add_argument("--aws", default=os.path.join(ROOT, "target", "release", "aws"))
    parser.add_argument("--emulator", default=os.path.join(ROOT, "target", "release", "lightsail-emulator"))
    parser.add_argument("--json-out", help="also write the results as JSON to this file")
    args = parser.parse_args()

    isolate()
    for path in (args.aws, args.emulator):
        if not os.access(path, os.X_OK):
            sys.exit(f"load_test.py: {path} is missing (cargo build --release --workspace)")

    started = time.monotonic()
    deadline = started + args.time_limit
    home = tempfile.mkdtemp(prefix="load-test-home-")
    state_file = None if args.memory else os.path.join(home, "emulator-state.db")
    emulator = Emulator(args.emulator, state_file)
    results: dict = {"sequential_calls": args.sequential, "clients": args.clients,
                     "calls_per_client": args.per_client, "state": "memory" if args.memory else "file"}
    lost, duplicated, unexpected, sample_failures = [], [], [], []
    calls = None
    try:
        calls = Calls(args.aws, emulator.endpoint, home, deadline)
        initial = len(emulator.snapshot_names())

        t0 = time.monotonic()
        sequential_names = [f"load-seq-{i:05d}" for i in range(args.sequential)]
        for name in sequential_names:
            calls.create(name)
        results["sequential_seconds"] = round(time.monotonic() - t0, 2)
        sequential_latencies = sorted(calls.latencies)
        print(f"sequential: {args.sequential} calls in {results['sequential_seconds']} s, "
              f"{len(calls.failures)} failures so far", flush=True)

        t0 = time.monotonic()
        parallel_names = [[f"load-par-{c:02d}-{j:03d}" for j in range(args.per_client)]
                          for c in range(args.clients)]

        def client(names: list[str]) -> None:
            for name in names:
                calls.create(name)

        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.clients)) as pool:
            list(pool.map(client, parallel_names))
        results["concurrent_seconds"] = round(time.monotonic() - t0, 2)
        print(f"concurrent: {args.clients} clients x {args.per_client} calls in "
              f"{results['concurrent_seconds']} s", flush=True)

        expected = sequential_names + [n for names in parallel_names for n in names]
        names = emulator.snapshot_names()
        counts = collections.Counter(names)
        wanted = set(expected)
        lost = [n for n in expected if counts[n] == 0]
        duplicated = sorted(n for n, k in counts.items() if k > 1)
        unexpected = sorted(n for n in counts if n not in wanted)

        sample = expected[:: max(1, len(expected) // max(1, args.sample))][: args.sample]
        sample_failures = []
        for name in sample:
            proc = calls.run(["lightsail", "get-instance-snapshot", "--instance-snapshot-name", name,
                              "--query", "instanceSnapshot.name", "--output", "text"])
            if proc is None or proc.returncode != 0 or proc.stdout.decode().strip() != name:
                sample_failures.append(name)

        # The whole list through the CLI's paginated get-instance-snapshots (pages of 100).
        t0 = time.monotonic()
        # json output: --query applies to the merged pages (text would apply it page by page).
        listing = calls.run(["lightsail", "get-instance-snapshots", "--query", "length(instanceSnapshots)",
                             "--output", "json"])
        results["list_all_seconds"] = round(time.monotonic() - t0, 2)
        listed = int(listing.stdout.decode().strip()) if listing is not None and listing.returncode == 0 else -1
        results["listed_through_cli"] = listed

        restarted = None
        if state_file:
            emulator.stop()
            emulator = Emulator(args.emulator, state_file)
            restarted = collections.Counter(emulator.snapshot_names())
            lost += [n for n in expected if restarted[n] == 0 and n not in lost]
        results["after_restart"] = sum(restarted.values()) if restarted is not None else None

        def percentile(values: list[float], q: float) -> float:
            return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1) if values else 0.0

        results.update({
            "sequential_ms_median": percentile(sequential_latencies, 0.5),
            "sequential_ms_p99": percentile(sequential_latencies, 0.99),
            "calls_ok": calls.ok,
            "call_failures": len(calls.failures),
            "calls_not_run_deadline": calls.skipped,
            "snapshots_before": initial,
            "snapshots_after": len(names),
            "snapshots_expected": len(expected),
            "lost": len(lost),
            "duplicated": len(duplicated),
            "unexpected": len(unexpected),
            "sample_read_back": len(sample),
            "sample_failures": len(sample_failures),
            "wall_seconds": round(time.monotonic() - started, 2),
        })
    finally:
        emulator.stop()
        shutil.rmtree(home, ignore_errors=True)

    for failure in (calls.failures if calls else [])[:10]:
        print(f"failure: {failure}")
    if lost:
        print(f"lost (first 10): {lost[:10]}")
    if duplicated:
        print(f"duplicated (first 10): {duplicated[:10]}")
    if unexpected:
        print(f"unexpected (first 10): {unexpected[:10]}")
    if sample_failures:
        print(f"read back failed (first 10): {sample_failures[:10]}")
    print(json.dumps(results, indent=2))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
    passed = (results["call_failures"] == 0 and results["calls_not_run_deadline"] == 0
              and results["calls_ok"] == results["snapshots_expected"]
              and results["snapshots_after"] - results["snapshots_before"] == results["snapshots_expected"]
              and not lost and not duplicated and not unexpected and not sample_failures
              and results["listed_through_cli"] == results["snapshots_after"]
              and results["after_restart"] in (None, results["snapshots_after"]))
    print("load test: PASS" if passed else "load test: FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
