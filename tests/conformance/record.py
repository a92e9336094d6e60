#!/usr/bin/env python3
"""Record the conformance corpus: run every case through the reference CLI and write what it did.

Each case (tests/conformance/cases/<group>.json, format in README.md) runs in a fresh temporary HOME and
working directory, with only a minimal base environment plus the case's own variables, against a fresh
deterministic `lightsail-emulator` when the case names a scenario. The whole recorder runs inside a private
network namespace (`unshare -n`, only loopback up): it re-executes itself there if it is not already
isolated, and refuses to run at all if it cannot be. It also refuses any case whose endpoint is not a
loopback address. The results (stdout, stderr, exit code, and the requests the emulator received) are
written to tests/conformance/expected/<group>/<id>.json; those files are never edited by hand.

Usage:
    python3 tests/conformance/record.py [--out DIR] [--only PATTERN] [--jobs N] [--check]

The reference must be AWS CLI 1.45.11 (found on PATH as `aws`, or named by CONFORMANCE_REFERENCE_AWS).
The emulator is LIGHTSAIL_EMULATOR_BIN, else <workspace>/target/debug/lightsail-emulator; without it the
scenario cases are left unrecorded (or, with --out, the run fails: a drift check must cover every case).
Cases with a `peer` (a recording proxy or canned server) need LOOPBACK_PEER_BIN, else
<workspace>/target/debug/loopback-peer, on the same terms.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import home_and_terminal as extras

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE.parent.parent
CASES_DIR = HERE / "cases"
EXPECTED_DIR = HERE / "expected"
REFERENCE_VERSION = "aws-cli/1.45.11 "
NETNS_MARKER = "CONFORMANCE_IN_NETNS"
STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DEAD_ENDPOINT = "http://127.0.0.1:9"
DEFAULT_TIMEOUT = 60
CASE_FIELDS = {
    "id", "note", "argv", "env", "config", "credentials", "files", "stdin", "scenario", "ignore", "timeout", "deviation",
    "program", "home_files",
    "compare_files", "terminal",
    "setup",
    "peer", "stdout_closed", "interrupt", "stderr_loggers",
}
PEER_FIELDS = {"mode", "status", "headers", "body"}
# Programs a case may run instead of `aws` (`program`), found beside the reference's `aws`.
PROGRAMS = {"aws", "aws_completer"}
SCENARIO_FIELDS = {"instances", "snapshots", "faults", "allow_unsigned", "snapshot_delay", "page_size", "region", "access_keys",
                   "https", "delays", "identity"}
# A URL that can only lead to this machine: a loopback host (an unclosed `[::1` too, which the CLI rejects),
# whatever the scheme (optional) and port (a bad scheme or port is rejected before any connection), no `@`.
LOOPBACK = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)?(127\.\d+\.\d+\.\d+|localhost|\[::1\]|\[::1$)(:[^/?#@]*)?([/?#][^@]*)?$")


# ---------------------------------------------------------------------------------------------------------
# Cases


def load_groups(only: str | None) -> list[tuple[str, list[dict]]]:
    """All (group, cases) pairs, defaults applied, filtered by --only (a glob on `group/id`)."""
    groups = []
    for path in sorted(CASES_DIR.glob("*.json")):
        group = path.stem
        data = json.loads(path.read_text(encoding="utf-8"))
        defaults = data.get("defaults", {})
        cases = []
        seen = set()
        for raw in data["cases"]:
            case = {**defaults, **raw}
            case["env"] = {**defaults.get("env", {}), **raw.get("env", {})}
            unknown = set(case) - CASE_FIELDS
            if unknown:
                sys.exit(f"{group}/{case.get('id')}: unknown case fields {sorted(unknown)}")
            if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", case["id"]):
                sys.exit(f"{group}/{case['id']}: ids are lowercase letters, digits, '.', '_' and '-'")
            if case["id"] in seen:
                sys.exit(f"{group}/{case['id']}: duplicate id")
            seen.add(case["id"])
            scenario = case.get("scenario")
            if scenario is not None and set(scenario) - SCENARIO_FIELDS:
                sys.exit(f"{group}/{case['id']}: unknown scenario fields {sorted(set(scenario) - SCENARIO_FIELDS)}")
            if case.get("program", "aws") not in PROGRAMS:
                sys.exit(f"{group}/{case['id']}: program must be one of {sorted(PROGRAMS)}")
            problem = setup_problem(case) or peer_problem(case)
            if problem:
                sys.exit(f"{group}/{case['id']}: {problem}")
            if only and not fnmatch.fnmatchcase(f"{group}/{case['id']}", only):
                continue
            problem = endpoint_problem(case)
            if problem:
                sys.exit(f"{group}/{case['id']}: refusing to run: {problem}")
            cases.append(case)
        if cases:
            groups.append((group, cases))
    return groups


def endpoint_problem(case: dict) -> str | None:
    """Why this case could reach a non-loopback address, or None when every endpoint it names is loopback."""
    argv = case.get("argv", [])
    endpoints = []
    for i, arg in enumerate(argv):
        if arg == "--endpoint-url" and i + 1 < len(argv):
            endpoints.append(argv[i + 1])
        elif arg.startswith("--endpoint-url="):
            endpoints.append(arg.split("=", 1)[1])
    for name, value in (case.get("env") or {}).items():
        if name.startswith("AWS_ENDPOINT_URL") and value is not None:
            endpoints.append(value)
    for text in (case.get("config"), case.get("credentials")):
        for line in (text or "").splitlines():
            m = re.match(r"\s*endpoint_url\s*=\s*(\S*)", line)
            if m:
                endpoints.append(m.group(1))
    # Parameter values that are URLs are fetched (without any proxy): they must be loopback too.
    endpoints += [a for a in argv if a.startswith(("http://", "https://"))]
    concrete = [concrete_url(e) for e in endpoints]
    bad = [e for e in concrete if not LOOPBACK.match(e)]
    if bad:
        return f"non-loopback endpoint {bad[0]!r}"
    if not concrete and not proxies_everything(case):
        return "no loopback --endpoint-url or AWS_ENDPOINT_URL (nor an https proxy on the loopback peer)"
    return None


def setup_problem(case: dict) -> str | None:
    """Why a case's `setup` list is malformed (the Rust replay refuses the same), or None."""
    steps = case.get("setup")
    if steps is None:
        return None
    if not isinstance(steps, list):
        return "setup must be a list of steps"
    if case.get("scenario") is None:
        return "setup needs a scenario (an emulator)"
    for step in steps:
        if not isinstance(step, dict):
            return "a setup step is an object"
        if "advance" in step:
            seconds = step["advance"]
            if len(step) != 1 or isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
                return '{"advance": SECONDS} takes a number of seconds, 0 or more'
            continue
        unknown = set(step) - {"op", "body", "region"}
        if unknown:
            return f"unknown setup field {sorted(unknown)[0]!r}"
        if not isinstance(step.get("op"), str):
            return 'a setup step needs "op" or "advance"'
        if not isinstance(step.get("body", {}), dict):
            return "a setup body is an object"
    return None


def setup_request(step: dict) -> tuple[str, bytes]:
    """The admin request that runs one setup step (the Rust replay's SetupStep::request sends the same)."""
    if "advance" in step:
        return "/_emulator/clock", json.dumps({"advance": step["advance"]}).encode()
    call = {"target": step["op"], "body": step.get("body", {})}
    if step.get("region") is not None:
        call["region"] = step["region"]
    return "/_emulator/call", json.dumps(call).encode()


def concrete_url(url: str) -> str:
    """A URL with its placeholders replaced by the addresses they stand for (ports as nothing listens)."""
    return (url.replace("{endpoint}", DEAD_ENDPOINT).replace("{https_endpoint}", "https://127.0.0.1:9")
            .replace("{peer}", DEAD_ENDPOINT).replace("{port}", "9").replace("{https_port}", "9")
            .replace("{peer_port}", "9"))


def proxies_everything(case: dict) -> bool:
    """Whether every https request of the case goes to a loopback proxy (the peer): then the case may leave the
    endpoint to the CLI's own resolution, and the peer's log shows the host it chose. The proxy is the one
    urllib picks (the lower-case variable wins, an empty one unsets it) and no NO_PROXY may bypass it."""
    env = case.get("env") or {}
    if case.get("peer") is None or any(env.get(n) is not None for n in ("NO_PROXY", "no_proxy")):
        return False
    lower, upper = env.get("https_proxy"), env.get("HTTPS_PROXY")
    proxy = lower if lower is not None else upper
    return bool(proxy) and LOOPBACK.match(concrete_url(proxy)) is not None


def peer_problem(case: dict) -> str | None:
    """What is wrong with a case's `peer`, `stdout_closed` and `interrupt` fields, if anything."""
    peer = case.get("peer")
    if peer is not None:
        if not isinstance(peer, dict) or set(peer) - PEER_FIELDS:
            return f"peer must be an object with fields among {sorted(PEER_FIELDS)}"
        if peer.get("mode", "proxy") not in {"proxy", "reply", "close", "garbage", "hang"}:
            return f"unknown peer mode {peer.get('mode')!r}"
    if case.get("interrupt") and peer is None:
        return "interrupt needs a peer (the signal is sent once the peer has received a request)"
    return None


def peer_args(peer: dict) -> list[str]:
    """The loopback peer's command line for a case's `peer` (the Rust replay builds the same list)."""
    args = ["--mode", peer.get("mode", "proxy")]
    if peer.get("status") is not None:
        args += ["--status", str(peer["status"])]
    for header in peer.get("headers", []):
        args += ["--header", header]
    if peer.get("body") is not None:
        args += ["--body", peer["body"]]
    return args


def emulator_args(scenario: dict, cert: str) -> list[str]:
    """The emulator's command-line for a scenario (the Rust replay builds the same list); `cert` is where an
    HTTPS scenario's CA certificate goes (the `{cert}` placeholder)."""
    args = ["--port", "0", "--deterministic"]
    for name in scenario.get("instances", ["WordPress-1"]):
        args += ["--instance", name]
    for pair in scenario.get("snapshots", []):
        args += ["--snapshot", pair]
    for fault in scenario.get("faults", []):
        args += ["--fault", fault]
    for pair in scenario.get("access_keys", []):
        args += ["--access-key", pair]
    if scenario.get("region") is not None:
        args += ["--region", scenario["region"]]
    if scenario.get("allow_unsigned"):
        args.append("--allow-unsigned")
    if scenario.get("snapshot_delay") is not None:
        args += ["--snapshot-delay", str(scenario["snapshot_delay"])]
    if scenario.get("page_size") is not None:
        args += ["--page-size", str(scenario["page_size"])]
    for key, seconds in (scenario.get("delays") or {}).items():
        args += ["--delay", json.dumps(seconds) if key == "default" else f"{key}={json.dumps(seconds)}"]
    if scenario.get("https"):
        args += ["--https-port", "0", "--cert-out", cert]
    if scenario.get("identity") is not None:
        args += ["--identity", json.dumps(scenario["identity"], separators=(",", ":"), ensure_ascii=False)]
    return args


# ---------------------------------------------------------------------------------------------------------
# Running one case


class Emulator:
    """A running `lightsail-emulator` subprocess for one case."""

    def __init__(self, binary: str, scenario: dict, cert: str):
        self.proc = subprocess.Popen(
            [binary, *emulator_args(scenario, cert)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.proc.stdout.readline()
        m = re.match(r"listening on (http://127\.0\.0\.1:(\d+))\s*$", line)
        if not m:
            self.stop()
            raise RuntimeError(f"emulator did not announce its address (first line {line!r})")
        self.endpoint, self.port = m.group(1), m.group(2)
        self.https_port = None
        if scenario.get("https"):
            line = self.proc.stdout.readline()
            m = re.match(r"listening on https://127\.0\.0\.1:(\d+)\s*$", line)
            if not m:
                self.stop()
                raise RuntimeError(f"emulator did not announce its https address (line {line!r})")
            self.https_port = m.group(1)
        # Keep draining its output so the emulator never blocks on a full pipe.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def set_up(self, steps: list) -> None:
        """Runs the case's setup steps; a step that does not answer 200 fails the case."""
        for step in steps:
            path, body = setup_request(step)
            request = urllib.request.Request(f"{self.endpoint}{path}", data=body, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=30) as resp:
                    resp.read()
            except urllib.error.HTTPError as err:
                raise RuntimeError(f"setup step {body.decode()}: {err.code}: {err.read().decode(errors='replace')}")

    def requests(self) -> list:
        with urllib.request.urlopen(f"{self.endpoint}/_emulator/requests", timeout=10) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


class Peer:
    """A running `loopback-peer` (tests/conformance/peer/) for one case: a recording proxy or canned server."""

    def __init__(self, binary: str, peer: dict):
        self.proc = subprocess.Popen([binary, *peer_args(peer)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"listening on (http://127\.0\.0\.1:(\d+))\s*$", line)
        if not m:
            self.stop()
            raise RuntimeError(f"loopback-peer did not announce its address (first line {line!r})")
        self.url, self.port = m.group(1), m.group(2)

    def log(self) -> list:
        with urllib.request.urlopen(f"{self.url}/_peer/log", timeout=10) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


def substitute(text: str, names: dict[str, str]) -> str:
    for key, value in names.items():
        if not key.startswith("_"):
            text = text.replace("{" + key + "}", value)
    if "_start" in names:
        text = extras.now_placeholders(text, float(names["_start"]))
    return text


def normalise_ports(text: str, https_port: str | None, peer_port: str | None) -> str:
    """The HTTPS server's and the peer's ports as placeholders, only where no digit follows."""
    if https_port is not None:
        text = re.sub(rf"127\.0\.0\.1:{https_port}(?!\d)", "127.0.0.1:{https_port}", text)
    if peer_port is not None:
        text = re.sub(rf"127\.0\.0\.1:{peer_port}(?!\d)", "127.0.0.1:{peer_port}", text)
    return text


def normalise(text: str, root: str, port: str | None, https_port: str | None = None,
              peer_port: str | None = None) -> str:
    """Replace what changes from run to run (temp paths, emulator and peer ports, kernel release) by placeholders.
    The HTTPS and peer ports go first, and only where no digit follows, so no port can eat into another."""
    text = normalise_ports(text, https_port, peer_port)
    text = text.replace(root, "{tmp}")
    if port is not None:
        text = text.replace(f"127.0.0.1:{port}", "127.0.0.1:{port}")
    release = os.uname().release
    if len(release) >= 3:
        text = text.replace(release, "{uname-release}")
    return text


DEBUG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - MainThread - ([\w.]+) - DEBUG - (.*)$")


def debug_records(text: str, loggers: list[str]) -> str:
    """`--debug` output reduced to the one-line records of `loggers`, without their timestamps
    (`LOGGER - MESSAGE` per line): what the `stderr_loggers` field compares."""
    kept = []
    for line in text.splitlines():
        match = DEBUG_RECORD.match(line)
        if match and match.group(1) in loggers:
            kept.append(f"{match.group(1)} - {match.group(2)}\n")
    return "".join(kept)


def base_env(home: str, reference_dir: str) -> dict[str, str]:
    return {
        "PATH": f"{reference_dir}:{STANDARD_PATH}",
        "HOME": home,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_DEFAULT_REGION": "us-west-2",
        "LC_ALL": "C.UTF-8",
    }


def decode(data: bytes, field: str, out: dict) -> None:
    try:
        out[field] = data.decode("utf-8")
    except UnicodeDecodeError:
        import base64

        out[field + "_base64"] = base64.b64encode(data).decode("ascii")


def home_snapshot(home: str, root: str) -> dict:
    """Every directory and file under HOME after the run (`home_files` cases): relative path to its
    permission bits (octal text) and, for a file, its content (normalised like stdout)."""
    snapshot = {}
    for dirpath, dirnames, filenames in os.walk(home):
        dirnames.sort()
        for name in sorted(dirnames) + sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, home)
            mode = os.lstat(path).st_mode
            entry: dict = {"mode": format(mode & 0o7777, "o")}
            if os.path.isdir(path):
                entry["type"] = "dir"
            else:
                with open(path, "rb") as f:
                    data = f.read()
                decode(normalise(data.decode("utf-8", "surrogateescape"), root, None).encode(
                    "utf-8", "surrogateescape"), "content", entry)
            snapshot[rel] = entry
    return dict(sorted(snapshot.items()))


def run_case(case: dict, aws: str, emulator_bin: str | None, peer_bin: str | None = None) -> dict:
    scenario = case.get("scenario")
    root = tempfile.mkdtemp(prefix="conformance-")
    emulator = None
    peer = None
    try:
        home, cwd = os.path.join(root, "home"), os.path.join(root, "cwd")
        os.makedirs(os.path.join(home, ".aws"))
        os.makedirs(cwd)
        # Fixed modes, so that `home_files` cases do not depend on the recorder's umask.
        for path in (home, os.path.join(home, ".aws")):
            os.chmod(path, 0o755)
        cert = os.path.join(root, "emulator-ca.pem")
        if scenario is not None:
            emulator = Emulator(emulator_bin, scenario, cert)
            emulator.set_up(case.get("setup") or [])
            endpoint, port = emulator.endpoint, emulator.port
        else:
            endpoint, port = DEAD_ENDPOINT, "9"
        https_port = emulator.https_port if emulator else None
        if case.get("peer") is not None:
            peer = Peer(peer_bin, case["peer"])
        start = time.time()
        names = {"endpoint": endpoint, "https_endpoint": f"https://127.0.0.1:{https_port or '9'}", "port": port,
                 "https_port": https_port or "9", "cert": cert, "tmp": root, "home": home, "cwd": cwd,
                 "peer": peer.url if peer else DEAD_ENDPOINT, "peer_port": peer.port if peer else "9",
                 "_start": repr(start)}
        for rel, content in (case.get("files") or {}).items():
            path = extras.file_path(rel, cwd, home)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(substitute(content, names))
            if rel.startswith("~/"):
                os.chmod(path, 0o644)
        for name in ("config", "credentials"):
            if case.get(name) is not None:
                with open(os.path.join(home, ".aws", name), "w", encoding="utf-8") as f:
                    f.write(substitute(case[name], names))
                os.chmod(os.path.join(home, ".aws", name), 0o644)
        env = base_env(home, os.path.dirname(aws))
        for key, value in (case.get("env") or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = substitute(value, names)
        argv = [substitute(a, names) for a in case["argv"]]
        stdin = case.get("stdin")
        stdin_bytes = substitute(stdin, names).encode("utf-8") if stdin is not None else b""
        program = aws if case.get("program", "aws") == "aws" else os.path.join(os.path.dirname(aws), case["program"])
        timeout = case.get("timeout", DEFAULT_TIMEOUT)
        terminal = None
        if case.get("terminal") is not None:
            returncode, stdout, stderr, terminal = extras.run_with_terminal(
                [program, *argv], env, cwd, stdin_bytes, substitute(case["terminal"], names).encode("utf-8"),
                timeout)
        else:
            proc = run_process([program, *argv], cwd, env, stdin_bytes, case, peer)
            returncode, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
        result: dict = {}
        norm_port = port if scenario is not None else None
        peer_port = peer.port if peer else None

        def norm(text: str) -> str:
            return normalise(text, root, norm_port, https_port, peer_port)

        decode(norm(stdout.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape"), "stdout", result)
        stderr_text = extras.strip_getpass_warning(stderr.decode("utf-8", "surrogateescape"))
        if case.get("stderr_loggers"):
            stderr_text = debug_records(stderr_text, case["stderr_loggers"])
        decode(norm(stderr_text).encode("utf-8", "surrogateescape"), "stderr", result)
        result["exit_code"] = returncode
        # Requests may carry a peer's or the HTTPS server's address as a parameter value (a URL that was not
        # fetched): those ports change from run to run too. The emulator's own port and temp paths are left
        # as sent, as they always were.
        requests = emulator.requests() if emulator else None
        if requests is not None:
            requests = extras.normalise_json_times(requests, start)
            if peer_port or https_port:
                requests = json.loads(normalise_ports(json.dumps(requests), https_port, peer_port))
        result["requests"] = requests
        if peer is not None:
            result["peer_requests"] = json.loads(norm(json.dumps(peer.log())))
        if case.get("home_files"):
            result["home"] = home_snapshot(home, root)
        later = lambda text: extras.normalise_times(norm(text), start)
        if case.get("compare_files"):
            result["files"] = extras.collect_files(home, case["compare_files"], later)
        if terminal is not None:
            result["terminal"] = later(terminal.decode("utf-8", "surrogateescape"))
        for field in case.get("ignore", []):
            # Not compared, and not stable from run to run (timestamps, addresses): not stored either.
            for key in (field, field + "_base64"):
                if key in result:
                    result[key] = None
        return result
    finally:
        if emulator:
            emulator.stop()
        if peer:
            peer.stop()
        shutil.rmtree(root, ignore_errors=True)


def run_process(cmd: list[str], cwd: str, env: dict, stdin: bytes, case: dict,
                peer: Peer | None) -> subprocess.CompletedProcess:
    """Runs the CLI like `subprocess.run(capture_output=True)`, except that `stdout_closed` gives it a pipe
    whose reading end is already closed (a `| head` that has gone away), and `interrupt` sends it SIGINT (a
    Ctrl-C) once the peer has received its first request."""
    timeout = case.get("timeout", DEFAULT_TIMEOUT)
    if not case.get("stdout_closed") and not case.get("interrupt"):
        return subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, timeout=timeout, umask=0o022,
                              start_new_session=True)
    stdout = subprocess.PIPE
    if case.get("stdout_closed"):
        read_end, stdout = os.pipe()
        os.close(read_end)
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=stdout, stderr=subprocess.PIPE,
                            umask=0o022, start_new_session=True)
    if case.get("stdout_closed"):
        os.close(stdout)
    if case.get("interrupt"):
        deadline = time.monotonic() + timeout
        while not peer.log():
            if time.monotonic() > deadline or proc.poll() is not None:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out or b"", err)


# ---------------------------------------------------------------------------------------------------------
# Driver


def ensure_isolated() -> None:
    """Re-execute inside a private network namespace (only loopback) unless already there."""
    if os.environ.get(NETNS_MARKER) == "1":
        return
    if not shutil.which("unshare") or not shutil.which("ip"):
        sys.exit("record.py: needs `unshare` and `ip` to isolate the reference from the network")
    env = dict(os.environ, **{NETNS_MARKER: "1"})
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', sys.executable,
           os.path.abspath(__file__), *sys.argv[1:]]
    proc = subprocess.run(cmd, env=env)
    sys.exit(proc.returncode)


def find_reference() -> str:
    aws = os.environ.get("CONFORMANCE_REFERENCE_AWS") or shutil.which("aws")
    if not aws:
        sys.exit("record.py: the reference `aws` is not on PATH")
    if "/shims/" in aws and shutil.which("pyenv"):
        # A pyenv shim needs pyenv's own environment: run the real script instead.
        aws = subprocess.run(["pyenv", "which", "aws"], capture_output=True, text=True, check=True).stdout.strip()
    aws = os.path.realpath(aws)
    version = subprocess.run([aws, "--version"], capture_output=True, text=True,
                             env={"PATH": f"{os.path.dirname(aws)}:{STANDARD_PATH}", "HOME": tempfile.gettempdir()})
    text = version.stdout + version.stderr
    if not text.startswith(REFERENCE_VERSION):
        sys.exit(f"record.py: the reference must be {REFERENCE_VERSION.strip()}, found {text.strip()!r} at {aws}")
    return aws


def find_peer() -> str | None:
    path = os.environ.get("LOOPBACK_PEER_BIN") or str(WORKSPACE / "target" / "debug" / "loopback-peer")
    return path if os.access(path, os.X_OK) else None


def find_emulator() -> str | None:
    path = os.environ.get("LIGHTSAIL_EMULATOR_BIN") or str(WORKSPACE / "target" / "debug" / "lightsail-emulator")
    return path if os.access(path, os.X_OK) else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", help="write expected files under DIR instead of tests/conformance/expected")
    parser.add_argument("--only", help="record only cases whose `group/id` matches this glob")
    parser.add_argument("--jobs", type=int, default=2, help="cases to run at once (default 2)")
    args = parser.parse_args()

    ensure_isolated()
    aws = find_reference()
    emulator_bin = find_emulator()
    peer_bin = find_peer()
    out_dir = Path(args.out) if args.out else EXPECTED_DIR
    groups = load_groups(args.only)
    if args.out and emulator_bin is None and any(c.get("scenario") is not None for _, cs in groups for c in cs):
        sys.exit("record.py: no emulator binary (build it: cargo build -p lightsail-emulator)")
    if args.out and peer_bin is None and any(c.get("peer") is not None for _, cs in groups for c in cs):
        sys.exit("record.py: no loopback-peer binary (build it: cargo build -p loopback-peer)")

    jobs = [(group, case) for group, cases in groups for case in cases]
    counts = {"recorded": 0, "skipped": 0, "failed": 0}
    lock = threading.Lock()

    def one(job):
        group, case = job
        key = f"{group}/{case['id']}"
        if case.get("scenario") is not None and emulator_bin is None:
            with lock:
                counts["skipped"] += 1
            return f"not recorded (no emulator): {key}"
        if case.get("peer") is not None and peer_bin is None:
            with lock:
                counts["skipped"] += 1
            return f"not recorded (no loopback-peer): {key}"
        started = time.monotonic()
        try:
            result = run_case(case, aws, emulator_bin, peer_bin)
        except Exception as err:  # a case that cannot run is reported, the others go on
            with lock:
                counts["failed"] += 1
            return f"FAILED {key}: {type(err).__name__}: {err}"
        path = out_dir / group / f"{case['id']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        with lock:
            counts["recorded"] += 1
        return f"recorded {key} (exit {result['exit_code']}, {time.monotonic() - started:.1f}s)"

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for line in pool.map(one, jobs):
            print(line, flush=True)

    if not args.only:
        wanted = {out_dir / g / f"{c['id']}.json" for g, cs in groups for c in cs}
        for stale in sorted(out_dir.glob("*/*.json")):
            if stale not in wanted:
                stale.unlink()
                print(f"removed stale {stale.relative_to(out_dir)}")

    print(f"record: {counts['recorded']} recorded, {counts['skipped']} not recorded (no emulator), "
          f"{counts['failed']} failed, of {len(jobs)} cases")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
