#!/usr/bin/env python3
"""Side-by-side benchmark of the reference AWS CLI (v1.45.11) and our `aws`, on loopback only.

Measures, for each scenario, the median wall time over N runs and the peak RSS (from wait4's rusage of
each child), for both CLIs in the same run, and writes docs/benchmarks.md with the machine description.

Scenarios:
  a  --generate-cli-skeleton
  b  create-instance-snapshot against lightsail-emulator, json output
  c  the same with --output table --query ...
  d  a usage error (missing required argument)
  e  help, up to groff (a stand-in `groff` on PATH that only drains its input)
  f  aws_completer (one Tab press), beside the reference's own `aws_completer`

The scale scenario (`scale_*` functions): `get-instance-snapshots` over pages of 100 at N = 100, 1,000
and 5,000 snapshots, served by scripts/page_server.py (pre-encoded pages, constant cost per page, so the
clients are what is measured), in json, table, text, with --query and with --max-items; the outputs of
both CLIs are checked identical, and our cost per item is the slope of callgrind's instruction count and
of the CPU time between the smallest and the largest N.

Usage:
  python3 scripts/bench.py [--runs N] [--quick] [--ours PATH] [--emulator PATH] [--write docs/benchmarks.md]
                           [--no-scale | --scale-only] [--scale-sizes 100,1000,5000] [--scale-runs N]
                           [--no-callgrind]

Network safety: both CLIs get --endpoint-url http://127.0.0.1:PORT, explicit credentials and region,
AWS_EC2_METADATA_DISABLED=true and a throwaway HOME. Run it under `unshare -n` for belt and braces
(the script re-executes itself that way when it can).
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def isolate():
    """Re-exec inside a private network namespace with only loopback, if not already done."""
    if os.environ.get("BENCH_ISOLATED") == "1" or not shutil.which("unshare"):
        return
    env = dict(os.environ, BENCH_ISOLATED="1")
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "sh", sys.executable] + sys.argv
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode == 0:
        os.execvpe("unshare", cmd, env)


def run_once(argv, env):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    # ru_maxrss is in KiB on Linux.
    return elapsed, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


GNU_TIME = "/usr/bin/time"


def peak_rss_mib(argv, env):
    """Peak RSS of one run, from GNU time's %M. (wait4's ru_maxrss from this Python process would include
    the forked interpreter's pages before exec, overstating a small binary several-fold.)"""
    if not os.path.exists(GNU_TIME):
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run([GNU_TIME, "-f", "%M", "-o", out.name] + argv, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        text = out.read().strip().splitlines()
        return int(text[-1]) / 1024.0 if text else None


def measure(argv, env, runs, before=None):
    times, rss, codes = [], [], set()
    for _ in range(runs):
        if before:
            before()
        t, r, c = run_once(argv, env)
        times.append(t)
        rss.append(r)
        codes.add(c)
    if before:
        before()
    exact = peak_rss_mib(argv, env)
    return statistics.median(times), (exact if exact is not None else max(rss)), codes


class Emulator:
    def __init__(self, path):
        self.proc = subprocess.Popen([path, "--port", "0", "--deterministic", "--instance", "WordPress-1"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise SystemExit(f"emulator did not start: {line!r}")
        self.url = line.split("listening on ", 1)[1]

    def reset(self):
        import urllib.request
        req = urllib.request.Request(self.url + "/_emulator/reset", data=b"", method="POST")
        with urllib.request.urlopen(req, timeout=5) as resp:
            resp.read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=5)


SCALE_HEADING = "## Scale: a paginated listing"
SCALE_OPERATION = ["lightsail", "get-instance-snapshots"]
# (name, extra arguments); {half} is N // 2.
SCALE_VARIANTS = [
    ("json", []),
    ("table", ["--output", "table"]),
    ("text", ["--output", "text"]),
    ("json --query", ["--query", "instanceSnapshots[?state=='available'].[name, createdAt, tags[0].value]"]),
    ("text --query", ["--output", "text", "--query", "instanceSnapshots[].[name, state]"]),
    ("json --max-items N/2", ["--max-items", "{half}"]),
]


class PageServer:
    """scripts/page_server.py: one loopback port per listing size."""

    def __init__(self, sizes):
        self.proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/page_server.py")]
                                     + [str(n) for n in sizes],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.urls = {}
        for line in self.proc.stdout:
            line = line.strip()
            if line == "ready":
                break
            n, url = line.split()
            self.urls[int(n)] = url
        if len(self.urls) != len(sizes):
            raise SystemExit("page_server.py did not start")

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=5)


def scale_argv(url, extra, n):
    return SCALE_OPERATION + ["--endpoint-url", url] + [a.replace("{half}", str(n // 2)) for a in extra]


def scale_server_floor(url, pages):
    """Wall time for a raw client to fetch every page (a new connection each, as our client does): what
    the server and loopback add to every measurement."""
    import socket
    start = time.perf_counter()
    token = None
    host, port = url.rsplit("/", 1)[1].split(":")
    for _ in range(pages):
        body = b"{}" if token is None else ('{"pageToken": "%s"}' % token).encode()
        head = ("POST / HTTP/1.1\r\nHost: %s:%s\r\nX-Amz-Target: Lightsail_20161128.GetInstanceSnapshots\r\n"
                "Content-Length: %d\r\n\r\n" % (host, port, len(body))).encode()
        with socket.create_connection((host, int(port))) as conn:
            conn.sendall(head + body)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head_bytes, _, rest = data.partition(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head_bytes.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            while len(rest) < length:
                rest += conn.recv(65536)
        token = json_next_token(rest)
    return time.perf_counter() - start


def json_next_token(body):
    import json
    return json.loads(body).get("nextPageToken")


def scale_check_identical(ref, ours, argv, env):
    """Runs both once and compares stdout, stderr and exit code: (the first difference or None, the
    reference's stdout size in bytes)."""
    a = subprocess.run([ref] + argv, env=env, capture_output=True, stdin=subprocess.DEVNULL)
    b = subprocess.run([ours] + argv, env=env, capture_output=True, stdin=subprocess.DEVNULL)
    if a.returncode != b.returncode:
        return f"exit code {a.returncode} vs {b.returncode}", len(a.stdout)
    for what, x, y in (("stdout", a.stdout, b.stdout), ("stderr", a.stderr, b.stderr)):
        if x != y:
            at = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            return f"{what} differs at byte {at} ({len(x)} vs {len(y)} bytes)", len(a.stdout)
    if a.returncode != 0:
        return f"both failed with exit code {a.returncode}: {a.stderr[-200:]!r}", len(a.stdout)
    return None, len(a.stdout)


def scale_callgrind(ours, argv, env):
    """Instructions our binary executes for one run (valgrind's callgrind), or None."""
    if not shutil.which("valgrind"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", ours] + argv,
                              env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        for line in proc.stderr.splitlines():
            if "Collected :" in line:
                return int(line.rsplit(":", 1)[1].strip())
    return None


def scale_measure(ref, ours, argv, env, ref_runs, our_runs):
    """Interleaved runs of both CLIs: median wall time, median CPU time (user + sys) of each."""
    ref_t, ref_cpu, our_t, our_cpu = [], [], [], []
    for i in range(max(ref_runs, our_runs)):
        for path, runs, times, cpus in ((ref, ref_runs, ref_t, ref_cpu), (ours, our_runs, our_t, our_cpu)):
            if i >= runs:
                continue
            start = time.perf_counter()
            proc = subprocess.Popen([path] + argv, env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            _, _, usage = os.wait4(proc.pid, 0)
            times.append(time.perf_counter() - start)
            cpus.append(usage.ru_utime + usage.ru_stime)
    med = statistics.median
    return med(ref_t), med(ref_cpu), med(our_t), med(our_cpu)


def scale_scenario(args, env, sizes, ref_runs, our_runs, callgrind):
    """The scale rows: one per (N, variant)."""
    rows = []
    server = PageServer(sizes)
    try:
        floors = {}
        for n in sizes:
            floors[n] = min(scale_server_floor(server.urls[n], max(1, -(-n // 100))) for _ in range(3))
            print(f"scale N={n}: server floor {floors[n]*1000:.2f} ms for {max(1, -(-n // 100))} pages",
                  flush=True)
        for n in sizes:
            for name, extra in SCALE_VARIANTS:
                argv = scale_argv(server.urls[n], extra, n)
                difference, out_bytes = scale_check_identical(args.reference, args.ours, argv, env)
                identical = difference is None
                ref_t, ref_cpu, our_t, our_cpu = scale_measure(args.reference, args.ours, argv, env,
                                                               ref_runs, our_runs)
                ref_rss = peak_rss_mib([args.reference] + argv, env)
                our_rss = peak_rss_mib([args.ours] + argv, env)
                instructions = scale_callgrind(args.ours, argv, env) if callgrind else None
                row = dict(n=n, variant=name, ref_t=ref_t, ref_cpu=ref_cpu, ref_rss=ref_rss, our_t=our_t,
                           our_cpu=our_cpu, our_rss=our_rss, ratio=ref_t / our_t, instructions=instructions,
                           identical=identical, difference=difference,
                           out_bytes=out_bytes, floor=floors[n])
                rows.append(row)
                print(f"scale N={n} {name}: reference {ref_t*1000:.0f} ms cpu {ref_cpu*1000:.0f} ms "
                      f"{ref_rss or 0:.1f} MiB | ours {our_t*1000:.2f} ms cpu {our_cpu*1000:.2f} ms "
                      f"{our_rss or 0:.1f} MiB"
                      f"{'' if instructions is None else f' {instructions:,} instr'} | ratio {ref_t/our_t:.0f}x"
                      f" | {'identical' if identical else 'DIFFERENT: ' + difference}", flush=True)
    finally:
        server.stop()
    return rows


def fmt_mib(value):
    return "?" if value is None else f"{value:.1f} MiB"


def scale_markdown(rows, ref_runs, our_runs):
    """The generated scale section of docs/benchmarks.md."""
    sizes = sorted({r["n"] for r in rows})
    lines = [
        SCALE_HEADING,
        "",
        "`aws lightsail get-instance-snapshots` paginated (pages of 100) over N snapshots, served by",
        "`scripts/page_server.py` on loopback (every page encoded once at start-up, so the server's cost per",
        "page is constant and the clients are what is measured), both CLIs side by side in one run, each",
        f"run of the reference followed by runs of ours (median wall time of {ref_runs} runs of the reference",
        f"and {our_runs} of ours; peak RSS from GNU `time -f %M`; CPU time is user + sys). Every cell's",
        "stdout, stderr and exit code were compared between the two CLIs: \"identical\" below is that check.",
        "",
        "| N | output | reference time | reference CPU | reference RSS | ours time | ours CPU | ours RSS | ratio | CPU ratio | ours instructions | output |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        instr = "" if r["instructions"] is None else f"{r['instructions']:,}"
        check = f"identical, {r['out_bytes']:,} B" if r["identical"] else f"DIFFERENT: {r['difference']}"
        cpu_ratio = r["ref_cpu"] / r["our_cpu"] if r["our_cpu"] > 0 else float("inf")
        lines.append(f"| {r['n']:,} | {r['variant']} | {r['ref_t']*1000:.0f} ms | {r['ref_cpu']*1000:.0f} ms | "
                     f"{fmt_mib(r['ref_rss'])} | {r['our_t']*1000:.2f} ms | {r['our_cpu']*1000:.2f} ms | "
                     f"{fmt_mib(r['our_rss'])} | {r['ratio']:.0f}x | {cpu_ratio:.0f}x | {instr} | {check} |")
    floors = ", ".join(f"{r['floor']*1000:.1f} ms at N = {r['n']:,}" for r in rows if r["variant"] == "json")
    lines += ["", f"Server floor (a raw Python client fetching every page, one connection each): {floors}.", ""]
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        by = {(r["n"], r["variant"]): r for r in rows}
        lines += [
            f"Our cost per item: the slope between N = {lo:,} and N = {hi:,} of the instruction count",
            "(callgrind, repeatable) and of the CPU time (noisy on a shared machine); the reference's CPU per",
            "item is given for scale.",
            "",
            "| output | instructions per item | our CPU per item | reference CPU per item |",
            "| --- | ---: | ---: | ---: |",
        ]
        for name, _ in SCALE_VARIANTS:
            a, b = by.get((lo, name)), by.get((hi, name))
            if not a or not b:
                continue
            items = hi - lo
            if name.startswith("json --max-items"):
                items = hi // 2 - lo // 2
            instr = "" if a["instructions"] is None or b["instructions"] is None else \
                f"{(b['instructions'] - a['instructions']) / items:,.0f}"
            lines.append(f"| {name} | {instr} | {(b['our_cpu'] - a['our_cpu']) / items * 1e6:.1f} us | "
                         f"{(b['ref_cpu'] - a['ref_cpu']) / items * 1e6:.1f} us |")
        lines.append("")
    targets = []

    def verdict(ok):
        return "met" if ok else "MISSED"
    by = {(r["n"], r["variant"]): r for r in rows}
    for n, floor in ((1000, 100), (5000, 50)):
        for name in ("json", "table"):
            r = by.get((n, name))
            if r:
                targets.append(f"N = {n:,} {name} >= {floor}x: {r['ratio']:.0f}x, {verdict(r['ratio'] >= floor)}")
    for name in ("json", "table"):
        r = by.get((5000, name))
        if r and r["our_rss"] is not None:
            targets.append(f"N = 5,000 {name} RSS <= 24 MiB: {r['our_rss']:.1f} MiB, "
                           f"{verdict(r['our_rss'] <= 24)}")
    lo_text, hi_text = by.get((sizes[0], "text")), by.get((sizes[-1], "text"))
    if lo_text and hi_text and lo_text["our_rss"] is not None and hi_text["our_rss"] is not None:
        growth = hi_text["our_rss"] - lo_text["our_rss"]
        targets.append(f"text RSS flat (N = {sizes[-1]:,} within 1 MiB of N = {sizes[0]:,}): "
                       f"{growth:+.1f} MiB, {verdict(growth <= 1.0)}")
    different = [f"N = {r['n']:,} {r['variant']}" for r in rows if not r["identical"]]
    targets.append("outputs identical: " + ("all" if not different else "NOT " + ", ".join(different)))
    lines += ["Targets: " + "; ".join(targets) + ".", ""]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--quick", action="store_true", help="3 runs each, for CI: checks the bench works")
    parser.add_argument("--ours", default=os.path.join(ROOT, "target/release/aws"))
    parser.add_argument("--emulator", default=os.path.join(ROOT, "target/release/lightsail-emulator"))
    parser.add_argument("--reference", default=shutil.which("aws") or "aws")
    parser.add_argument("--write", default=None, help="write the results as Markdown to this file")
    scale_group = parser.add_mutually_exclusive_group()
    scale_group.add_argument("--no-scale", action="store_true", help="skip the scale scenario")
    scale_group.add_argument("--scale-only", action="store_true", help="run only the scale scenario")
    parser.add_argument("--scale-sizes", default=None,
                        help="comma-separated listing sizes (default 100,1000,5000; 100,1000 with --quick)")
    parser.add_argument("--scale-runs", type=int, default=None,
                        help="runs of the reference per scale cell (default 5, 1 with --quick); ours runs 3x")
    parser.add_argument("--no-callgrind", action="store_true",
                        help="skip the instruction counts of the scale scenario (always skipped with --quick)")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs

    home = tempfile.mkdtemp()
    fake_bin = tempfile.mkdtemp()
    with open(os.path.join(fake_bin, "groff"), "w") as f:
        f.write("#!/bin/sh\ncat >/dev/null\n")
    os.chmod(os.path.join(fake_bin, "groff"), 0o755)
    base_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_DEFAULT_REGION": "us-west-2",
        "LC_ALL": "C.UTF-8",
    }
    help_env = dict(base_env, PATH=fake_bin + ":" + base_env["PATH"], PAGER="cat")

    emulator = Emulator(args.emulator)
    endpoint = ["--endpoint-url", emulator.url]
    cis = ["lightsail", "create-instance-snapshot", "--instance-name", "WordPress-1",
           "--instance-snapshot-name", "WordPress-Snapshot-1"]
    scenarios = [
        ("a", "--generate-cli-skeleton", cis[:2] + ["--generate-cli-skeleton"] + endpoint, base_env, None),
        ("b", "create-instance-snapshot, json", cis + endpoint, base_env, emulator.reset),
        ("c", "create-instance-snapshot, table + --query",
         cis + endpoint + ["--output", "table", "--query", "operations[].[resourceName,status]"], base_env,
         emulator.reset),
        ("d", "usage error", cis[:2] + ["--instance-name", "x"] + endpoint, base_env, None),
        ("e", "help (up to groff)", cis[:2] + ["help"], help_env, None),
    ]
    rows = []
    floor_t, floor_rss, _ = measure(["/bin/true"], base_env, runs)
    print(f"floor (/bin/true through this harness): {floor_t*1000:.2f} ms {floor_rss:.1f} MiB", flush=True)
    try:
        for key, title, argv, env, before in ([] if args.scale_only else scenarios):
            ref_t, ref_rss, ref_codes = measure([args.reference] + argv, env, runs, before)
            our_t, our_rss, our_codes = measure([args.ours] + argv, env, runs, before)
            rows.append((key, title, ref_t, ref_rss, our_t, our_rss, ref_t / our_t, ref_codes, our_codes))
            print(f"{key} {title}: reference {ref_t*1000:.1f} ms {ref_rss:.1f} MiB | ours {our_t*1000:.2f} ms "
                  f"{our_rss:.1f} MiB | ratio {ref_t/our_t:.0f}x | exit codes {sorted(ref_codes)} vs "
                  f"{sorted(our_codes)}", flush=True)
    finally:
        emulator.stop()
    rows += completer_rows(args, base_env, runs)

    scale_lines = None
    if not args.no_scale:
        sizes = [int(n) for n in (args.scale_sizes or ("100,1000" if args.quick else "100,1000,5000")).split(",")]
        ref_runs = args.scale_runs or (1 if args.quick else 5)
        our_runs = 3 * ref_runs
        scale_rows = scale_scenario(args, base_env, sizes, ref_runs, our_runs,
                                    callgrind=not (args.quick or args.no_callgrind))
        scale_lines = scale_markdown(scale_rows, ref_runs, our_runs)

    size = os.path.getsize(args.ours)
    print(f"our binary: {size/1e6:.2f} MB ({args.ours})")
    if args.write:
        head = None if args.scale_only else markdown_head(rows, runs, size, floor_t)
        write_sections(args.write, head, scale_lines)


def completer_rows(args, base_env, runs):
    """(f) one Tab press: `aws_completer` for `aws lightsail get-instance --<TAB>` (the operation's options
    and the global ones), ours beside our `aws`, the reference's beside its `aws`."""
    ours = os.path.join(os.path.dirname(args.ours), "aws_completer")
    reference = os.path.join(os.path.dirname(args.reference), "aws_completer")
    if not (os.access(ours, os.X_OK) and os.access(reference, os.X_OK)):
        print(f"f aws_completer: skipped (no {ours} or {reference})", flush=True)
        return []
    line = "aws lightsail get-instance --"
    env = dict(base_env, COMP_LINE=line, COMP_POINT=str(len(line)))
    ref_t, ref_rss, ref_codes = measure([reference], env, runs)
    our_t, our_rss, our_codes = measure([ours], env, runs)
    title = "aws_completer, `aws lightsail get-instance --<TAB>`"
    print(f"f {title}: reference {ref_t*1000:.1f} ms {ref_rss:.1f} MiB | ours {our_t*1000:.2f} ms "
          f"{our_rss:.1f} MiB | ratio {ref_t/our_t:.0f}x | exit codes {sorted(ref_codes)} vs {sorted(our_codes)}",
          flush=True)
    return [("f", title, ref_t, ref_rss, our_t, our_rss, ref_t / our_t, ref_codes, our_codes)]


def markdown_head(rows, runs, size, floor_t):
    """The generated top of docs/benchmarks.md: the small-call scenarios."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    lines = [
        "# Benchmarks",
        "",
        "Measured side by side in one run by `python3 scripts/bench.py --write docs/benchmarks.md`",
        f"(median wall time of {runs} runs per cell; peak RSS from GNU `time -f %M`; loopback emulator;",
        "release build of ours, `awscli==1.45.11` under CPython for the reference).",
        "",
        f"Machine: {platform.system()} {platform.release()}, {os.cpu_count()} cores, {cpu}; "
        f"Python {platform.python_version()}.",
        "",
        "| scenario | reference time | reference RSS | ours time | ours RSS | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, title, ref_t, ref_rss, our_t, our_rss, ratio, _, _ in rows:
        lines.append(f"| ({key}) {title} | {ref_t*1000:.1f} ms | {ref_rss:.1f} MiB | {our_t*1000:.2f} ms | "
                     f"{our_rss:.1f} MiB | {ratio:.0f}x |")
    by_key = {row[0]: row for row in rows}
    def verdict(ok):
        return "met" if ok else "MISSED"
    max_rss = max(row[5] for row in rows)
    targets = []
    if "b" in by_key:
        targets.append(f"(b) ratio >= 100x: {by_key['b'][6]:.0f}x, {verdict(by_key['b'][6] >= 100)}")
    if "a" in by_key:
        targets.append(f"(a) ratio >= 200x: {by_key['a'][6]:.0f}x, {verdict(by_key['a'][6] >= 200)}")
    targets.append(f"peak RSS <= 10 MiB: {max_rss:.1f} MiB at most, {verdict(max_rss <= 10)}")
    targets.append(f"stripped binary <= 15 MB: {size/1e6:.2f} MB, {verdict(size <= 15e6)}")
    lines += ["", "Targets: " + "; ".join(targets) + "."]
    lines += [
        "",
        f"Floor: starting `/bin/true` through the same harness takes {floor_t*1000:.2f} ms, so most of our",
        "time per call is process creation; the ratios are wall time against wall time, floor included.",
        "",
        f"Stripped release binary: {size/1e6:.2f} MB.",
        "",
    ]
    return lines


def write_sections(path, head, scale):
    """Writes docs/benchmarks.md: the generated head (or the file's old one when None), then the scale
    section (or its old one when None), then every other `## ...` section of the old file as it was
    (hand-written, e.g. the release profile study from scripts/profile_release.sh)."""
    try:
        with open(path) as f:
            old = f.read().splitlines()
    except OSError:
        old = []
    first = next((i for i, line in enumerate(old) if line.startswith("## ")), len(old))
    old_head, sections, current = old[:first], [], None
    for line in old[first:]:
        if line.startswith("## "):
            current = [line]
            sections.append(current)
        else:
            current.append(line)
    old_scale = [sec for sec in sections if sec[0] == SCALE_HEADING]
    others = [sec for sec in sections if sec[0] != SCALE_HEADING]
    lines = list(head if head is not None else old_head)
    scale = scale if scale is not None else (old_scale[0] if old_scale else [])
    for section in [scale] + others:
        if not section:
            continue
        while lines and lines[-1] == "":
            lines.pop()
        lines += [""] + section
    while lines and lines[-1] == "":
        lines.pop()
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    isolate()
    main()
