#!/usr/bin/env python3
"""Records requests exactly as the reference's botocore signs them, for the emulator's SigV4 tests.

A real botocore Lightsail client builds and signs each request at a fixed clock; a `before-send` hook
captures the wire request and answers it locally, so nothing leaves the process. Writes
tests/data/sigv4/botocore_requests.json. Run: python3 emulator/tests/record/sigv4_botocore.py
"""
import datetime
import hashlib
import json
import os
import pathlib
import sys
import tempfile
from unittest import mock

# botocore builds parts of its User-Agent from a set: pin string hashing so re-recording is stable.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

os.environ["HOME"] = tempfile.mkdtemp()
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(name, None)

import botocore.auth  # noqa: E402
import botocore.session  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402

FIXED = datetime.datetime(2019, 9, 30, 18, 0, 38)
KEY_ID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
# The token lightsail-emulator's credential endpoints hand out for KEY_ID.
TOKEN = "EMULATORSESSION" + hashlib.sha256(
    ("lightsail-emulator-session:" + KEY_ID).encode()
).hexdigest()

CASES = [
    ("create_instance_snapshot", "create_instance_snapshot",
     {"instanceName": "WordPress-1", "instanceSnapshotName": "WordPress-Snapshot-1"}, None),
    ("create_with_tags_unicode", "create_instance_snapshot",
     {"instanceName": "WordPress-1", "instanceSnapshotName": "Snap-2",
      "tags": [{"key": "owner", "value": "Zoë  spaces\tand tab"}]}, None),
    ("get_instances", "get_instances", {}, None),
    ("session_token", "get_operations", {}, TOKEN),
]


class _Body:
    def __init__(self, data):
        self._data = data

    def stream(self, **_):
        yield self._data


def record():
    captured = []

    def before_send(request, **_):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        captured.append({
            "method": request.method,
            "url": request.url,
            # The invocation id is random and unsigned: pin it so re-recording gives the same file.
            "headers": [[k, "00000000-0000-4000-8000-000000000000" if k == "amz-sdk-invocation-id"
                         else (v.decode() if isinstance(v, bytes) else v)]
                        for k, v in request.headers.items()],
            "body": body.decode(),
        })
        return AWSResponse(request.url, 200, {"x-amzn-RequestId": "x"}, _Body(b"{}"))

    results = []
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: FIXED):
        for name, method, params, token in CASES:
            session = botocore.session.get_session()
            client = session.create_client(
                "lightsail", region_name="us-west-2", endpoint_url="http://127.0.0.1:8080",
                aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET, aws_session_token=token,
            )
            client.meta.events.register("before-send.lightsail", before_send)
            getattr(client, method)(**params)
            request = captured.pop()
            request["name"] = name
            results.append(request)
    out = pathlib.Path(__file__).resolve().parent.parent / "data" / "sigv4" / "botocore_requests.json"
    out.write_text(json.dumps({"now": int(FIXED.replace(tzinfo=datetime.timezone.utc).timestamp()),
                               "requests": results}, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    record()
