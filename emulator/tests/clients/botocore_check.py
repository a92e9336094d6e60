#!/usr/bin/env python3
"""Every operation sample (emulator/tests/samples/*.json) through botocore, the reference's own library.

For each sample: reset the emulator, run its setup steps, call the operation through a real botocore
Lightsail client, and check that botocore accepts the answer: a success is parsed, and its raw body holds
only members of the operation's output shape (as botocore's model defines them), with the right JSON types,
required members present and enum values known (or allowed with --allow-enum); an expected error is a
ClientError whose code botocore maps to the client's modeled exception class. Every operation of
botocore's own Lightsail model must have at least one successful sample accepted (no operation may be
left out or answer UnknownOperationException).

Usage: python3 botocore_check.py --emulator BIN [--allow-enum SHAPE=VALUE]...
Runs inside a private network namespace (unshare -n, loopback only): re-executes itself there, and
refuses to run without it. Prints one line per sample, then two summaries (samples accepted, operations of
the model answered); exit 0 only when every sample passes and every operation was answered.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

MARKER = "BOTOCORE_CHECK_ISOLATED"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
KEY_ID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def isolate() -> None:
    if os.environ.get(MARKER) == "1":
        return
    if not shutil.which("unshare") or not shutil.which("ip"):
        sys.exit("botocore_check.py: needs `unshare` and `ip` to stay on loopback")
    env = dict(os.environ, **{MARKER: "1"})
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', sys.executable,
           os.path.abspath(__file__), *sys.argv[1:]]
    sys.exit(subprocess.run(cmd, env=env).returncode)


def post(url: str, path: str, body: bytes) -> None:
    request = urllib.request.Request(url + path, data=body, method="POST")
    with urllib.request.urlopen(request, timeout=30) as resp:
        resp.read()


def setup_request(step: dict) -> tuple[str, bytes]:
    if "advance" in step:
        return "/_emulator/clock", json.dumps({"advance": step["advance"]}).encode()
    call = {"target": step["op"], "body": step.get("body", {})}
    if step.get("region") is not None:
        call["region"] = step["region"]
    return "/_emulator/call", json.dumps(call).encode()


def check_shape(shape, value, path: str, allowed: set, problems: list) -> None:
    kind = shape.type_name
    expected = {
        "structure": dict, "map": dict, "list": list, "string": str, "blob": str, "boolean": bool,
        "integer": int, "long": int, "float": (int, float), "double": (int, float), "timestamp": (int, float),
    }[kind]
    if not isinstance(value, expected) or (kind in ("integer", "long", "float", "double", "timestamp")
                                           and isinstance(value, bool)):
        problems.append(f"{path}: expected {kind} ({shape.name}), found {value!r}")
        return
    if kind == "structure":
        for key, inner in value.items():
            if key not in shape.members:
                problems.append(f"{path}: {key} is not a member of {shape.name}")
            elif inner is None:
                problems.append(f"{path}.{key} is null")
            else:
                check_shape(shape.members[key], inner, f"{path}.{key}", allowed, problems)
        for name in shape.required_members:
            if name not in value:
                problems.append(f"{path}: required {name} missing")
    elif kind == "list":
        for i, item in enumerate(value):
            check_shape(shape.member, item, f"{path}[{i}]", allowed, problems)
    elif kind == "map":
        for key, item in value.items():
            check_shape(shape.value, item, f"{path}.{key}", allowed, problems)
    elif kind == "string" and shape.enum and value not in shape.enum and (shape.name, value) not in allowed:
        problems.append(f"{path}: {value!r} is not a {shape.name} value")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--allow-enum", action="append", default=[], help="SHAPE=VALUE accepted off-enum")
    args = parser.parse_args()
    isolate()

    home = tempfile.mkdtemp(prefix="botocore-check-")
    os.environ.update({"HOME": home, "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.devnull,
                       "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
    import botocore
    import botocore.config
    import botocore.exceptions
    import botocore.session
    from botocore import xform_name

    allowed = {tuple(a.split("=", 1)) for a in args.allow_enum}
    proc = subprocess.Popen([args.emulator, "--port", "0", "--deterministic"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.match(r"listening on (http://127\.0\.0\.1:\d+)\s*$", line)
        if not m:
            print(f"emulator did not start: {line!r}")
            return 1
        url = m.group(1)
        session = botocore.session.get_session()
        raw = {}

        def capture(response_dict, **_):
            raw["status"] = response_dict["status_code"]
            raw["body"] = response_dict["body"]

        clients = {}

        def client_for(region: str):
            """One client per region (samples of domains and distributions are signed for us-east-1)."""
            if region not in clients:
                client = session.create_client(
                    "lightsail", region_name=region, endpoint_url=url, aws_access_key_id=KEY_ID,
                    aws_secret_access_key=SECRET,
                    config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}))
                client.meta.events.register("before-parse.lightsail.*", capture)
                clients[region] = client
            return clients[region]

        model = client_for("us-west-2").meta.service_model
        failures = 0
        count = 0
        answered = set()
        for path in sorted(SAMPLES.glob("*.json")):
            for sample in json.loads(path.read_text(encoding="utf-8"))["samples"]:
                count += 1
                operation = sample["operation"]
                label = f"{path.stem}: {operation} {json.dumps(sample.get('input', {}))}"
                post(url, "/_emulator/reset", b"")
                for step in sample.get("setup", []):
                    post(url, *setup_request(step))
                client = client_for(sample.get("region") or "us-west-2")
                method = getattr(client, xform_name(operation))
                problems = []
                expected_error = sample.get("expect_error")
                try:
                    parsed = method(**sample.get("input", {}))
                    if expected_error:
                        problems.append(f"expected {expected_error}, got success")
                    body = json.loads(raw["body"].decode("utf-8"))
                    output = model.operation_model(operation).output_shape
                    if output is not None:
                        check_shape(output, body, "$", allowed, problems)
                    dropped = set(body) - set(parsed)
                    if dropped:
                        problems.append(f"botocore dropped {sorted(dropped)}")
                except botocore.exceptions.ClientError as error:
                    code = error.response["Error"]["Code"]
                    if code != expected_error:
                        problems.append(f"unexpected error {code}: {error.response['Error']['Message']}")
                    elif not isinstance(error, getattr(client.exceptions, code, ())):
                        problems.append(f"{code} is not the client's modeled exception class")
                except Exception as error:  # a parse failure, a validation error: all are failures here
                    problems.append(f"{type(error).__name__}: {error}")
                if problems:
                    failures += 1
                    print(f"FAIL {label}")
                    for problem in problems:
                        print(f"    {problem}")
                else:
                    print(f"ok   {label}")
                    if not expected_error:
                        answered.add(operation)
        print(f"botocore {botocore.__version__}: {count - failures}/{count} samples accepted")
        operations = set(model.operation_names)
        unanswered = sorted(operations - answered)
        for operation in unanswered:
            print(f"MISSING {operation}: no successful sample accepted")
        print(f"botocore {botocore.__version__}: {len(operations & answered)}/{len(operations)} operations "
              "of the model answered and parsed")
        return 1 if failures or unanswered else 0
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
