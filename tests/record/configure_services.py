#!/usr/bin/env python3
"""Writes src/configure/data/services.txt: every service botocore 1.43.11 ships, in name order, with its
model's endpoint prefix (`name prefix` per line). `aws configure add-model` maps a model's endpoint prefix
to a service name with this table, as the reference does with botocore's models.

Run from the repo root with the reference installed: python3 tests/record/configure_services.py
(reads only botocore's bundled data; set HOME to an empty directory so no ~/.aws/models is seen).
"""
import os
import tempfile

import botocore
import botocore.session

assert botocore.__version__ == "1.43.11", botocore.__version__
os.environ["HOME"] = tempfile.mkdtemp()
os.environ.pop("AWS_DATA_PATH", None)
session = botocore.session.get_session()
out = os.path.join(os.path.dirname(__file__), "..", "..", "src", "configure", "data", "services.txt")
with open(out, "w") as f:
    for name in session.get_available_services():
        f.write(f"{name} {session.get_service_model(name).endpoint_prefix}\n")
