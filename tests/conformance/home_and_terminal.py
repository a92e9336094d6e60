"""Case features beyond stdout and stderr, for record.py: files under HOME, time placeholders and their
normalisation, files compared after the run, a controlling terminal, and the one Python-only stderr report
the recorder removes. `tests/conformance/support/home.rs` applies the same rules to the replay.

- `files` keys starting with `~/` are created under `$HOME` (mode 0644) instead of the working directory.
- `{now}`, `{now+N}`, `{now-N}` (N seconds) are the case's start time plus N, as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
- `compare_files` names HOME-relative paths (`~/.aws/cli/cache`, a file or a directory, recursively); after
  the run every file there is recorded as `{"mode": "0600", "content": "..."}` under `files`.
- In written files, the requests and the terminal output, a `YYYY-MM-DDTHH:MM:SSZ` within 400 days of the
  start becomes `{now+K}` (K rounded to a minute: cases use whole minutes, runs take seconds), and
  `botocore-session-<epoch within an hour of the start>` becomes `botocore-session-{epoch}`.
- `terminal`: the run gets a pseudo-terminal as its controlling terminal (stdin, stdout and stderr stay
  pipes); once the terminal shows a prompt (output ending in ": "), the text is typed on it. What the
  program wrote to the terminal is recorded as `terminal`. Without `terminal` a run has no controlling
  terminal at all (a new session).
- Python's `warnings` report of GetPassWarning (two lines naming the reference interpreter's getpass.py) is
  removed from the reference's stderr (docs/deviations.md).

Python 3.11 standard library only.
"""

from __future__ import annotations

import calendar
import os
import re
import select
import subprocess
import sys
import threading
import time

NOW_OFFSET = re.compile(r"\{now([+-]\d+)\}")
ISO_UTC = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z")
SESSION_NAME = re.compile(r"botocore-session-(\d{9,11})\b")
GETPASS_WARNING = re.compile(r"^[^\n]*getpass\.py:\d+: GetPassWarning: [^\n]*\n(?:  [^\n]*\n)?", re.M)
TIME_WINDOW = 400 * 86400
SESSION_WINDOW = 3600


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def now_placeholders(text: str, start: float) -> str:
    """`{now}` and `{now+N}` / `{now-N}` as ISO 8601 UTC times relative to the case's start."""
    text = text.replace("{now}", iso(start))
    return NOW_OFFSET.sub(lambda m: iso(start + int(m.group(1))), text)


def normalise_times(text: str, start: float) -> str:
    """Times near the case's start back into placeholder form (see the module doc)."""

    def stamp(m: re.Match) -> str:
        y, mo, d, h, mi, s = (int(g) for g in m.groups())
        if not (1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 61):
            return m.group(0)
        offset = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) - int(start)
        if abs(offset) > TIME_WINDOW:
            return m.group(0)
        minutes = (offset + 30) // 60
        if minutes == 0:
            return "{now}"
        return "{now%+d}" % (minutes * 60)

    def session(m: re.Match) -> str:
        if abs(int(m.group(1)) - start) > SESSION_WINDOW:
            return m.group(0)
        return "botocore-session-{epoch}"

    return SESSION_NAME.sub(session, ISO_UTC.sub(stamp, text))


def normalise_json_times(value, start: float):
    """normalise_times applied to every string (and key) of a JSON value."""
    if isinstance(value, str):
        return normalise_times(value, start)
    if isinstance(value, list):
        return [normalise_json_times(v, start) for v in value]
    if isinstance(value, dict):
        return {normalise_times(k, start): normalise_json_times(v, start) for k, v in value.items()}
    return value


def file_path(rel: str, cwd: str, home: str) -> str:
    """Where a `files` entry goes: `~/x` under HOME, anything else under the working directory."""
    if rel.startswith("~/"):
        return os.path.join(home, rel[2:])
    return os.path.join(cwd, rel)


def collect_files(home: str, wanted: list[str], normalise) -> dict:
    """Every file under the HOME-relative paths in `wanted`, as {"~/path": {"mode", "content"}}."""
    found = {}
    for entry in wanted:
        base = os.path.join(home, entry[2:] if entry.startswith("~/") else entry)
        paths = []
        if os.path.isdir(base):
            for root, dirs, names in os.walk(base):
                dirs.sort()
                paths.extend(os.path.join(root, n) for n in sorted(names))
        elif os.path.lexists(base):
            paths.append(base)
        for path in paths:
            rel = "~/" + os.path.relpath(path, home)
            with open(path, "rb") as f:
                data = f.read()
            found[rel] = {
                "mode": "%04o" % (os.lstat(path).st_mode & 0o7777),
                "content": normalise(data.decode("utf-8", "surrogateescape")),
            }
    return dict(sorted(found.items()))


def strip_getpass_warning(stderr: str) -> str:
    return GETPASS_WARNING.sub("", stderr)


# A tiny exec wrapper: makes the inherited pty its controlling terminal, then becomes the program.
_CTTY = ("import fcntl, os, sys, termios\n"
         "fd = int(sys.argv[1]); fcntl.ioctl(fd, termios.TIOCSCTTY, 0); os.close(fd)\n"
         "os.execv(sys.argv[2], sys.argv[2:])\n")


def run_with_terminal(argv: list[str], env: dict, cwd: str, stdin: bytes, typed: bytes, timeout: float):
    """Runs argv in a new session whose controlling terminal is a fresh pty; returns
    (returncode, stdout, stderr, what the program wrote to the terminal)."""
    master, slave = os.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-c", _CTTY, str(slave), *argv], cwd=cwd, env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True, pass_fds=(slave,), umask=0o022)
        outputs = {}

        def drain(name, pipe):
            outputs[name] = pipe.read()

        readers = [threading.Thread(target=drain, args=(n, p), daemon=True)
                   for n, p in (("stdout", proc.stdout), ("stderr", proc.stderr))]
        for reader in readers:
            reader.start()
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass
        shown, sent = b"", False
        deadline = time.monotonic() + timeout
        while proc.poll() is None:
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise subprocess.TimeoutExpired(argv, timeout)
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                shown += os.read(master, 65536)
                if not sent and shown.endswith(b": "):
                    os.write(master, typed)
                    sent = True
        while select.select([master], [], [], 0.1)[0]:
            chunk = os.read(master, 65536)
            if not chunk:
                break
            shown += chunk
        for reader in readers:
            reader.join()
        return proc.returncode, outputs.get("stdout", b""), outputs.get("stderr", b""), shown
    finally:
        os.close(master)
        os.close(slave)
