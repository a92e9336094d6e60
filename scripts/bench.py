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

Usage:
  python3 scripts/bench.py [--runs N] [--quick] [--ours PATH] [--emulator PATH] [--write docs/benchmarks.md]

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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--quick", action="store_true", help="3 runs each, for CI: checks the bench works")
    parser.add_argument("--ours", default=os.path.join(ROOT, "target/release/aws"))
    parser.add_argument("--emulator", default=os.path.join(ROOT, "target/release/lightsail-emulator"))
    parser.add_argument("--reference", default=shutil.which("aws") or "aws")
    parser.add_argument("--write", default=None, help="write the results as Markdown to this file")
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
        for key, title, argv, env, before in scenarios:
            ref_t, ref_rss, ref_codes = measure([args.reference] + argv, env, runs, before)
            our_t, our_rss, our_codes = measure([args.ours] + argv, env, runs, before)
            rows.append((key, title, ref_t, ref_rss, our_t, our_rss, ref_t / our_t, ref_codes, our_codes))
            print(f"{key} {title}: reference {ref_t*1000:.1f} ms {ref_rss:.1f} MiB | ours {our_t*1000:.2f} ms "
                  f"{our_rss:.1f} MiB | ratio {ref_t/our_t:.0f}x | exit codes {sorted(ref_codes)} vs "
                  f"{sorted(our_codes)}", flush=True)
    finally:
        emulator.stop()
    rows += completer_rows(args, base_env, runs)

    size = os.path.getsize(args.ours)
    print(f"our binary: {size/1e6:.2f} MB ({args.ours})")
    if args.write:
        write_markdown(args.write, rows, runs, size, floor_t)


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


def write_markdown(path, rows, runs, size, floor_t):
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
    # Keep the hand-written sections that follow the generated table ("## ..." headings, e.g. the release
    # profile study from scripts/profile_release.sh).
    try:
        with open(path) as f:
            old = f.read().splitlines()
        tail = next((i for i, line in enumerate(old) if line.startswith("## ")), None)
        if tail is not None:
            lines += old[tail:] + [""]
    except OSError:
        pass
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    isolate()
    main()
