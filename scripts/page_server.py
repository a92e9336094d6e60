#!/usr/bin/env python3
"""A loopback Lightsail endpoint that answers `GetInstanceSnapshots` from pre-generated pages.

The scale scenario of scripts/bench.py measures how the clients' cost grows with the size of a listing,
so the server's cost per page must not grow with it: every page of every listing is encoded once, ahead
of time, and a request costs a header parse, a look-up of its `pageToken` and one write. It is not an
emulator (no state, no signature check, one operation); `lightsail-emulator` is the product, this is a
measuring instrument. This script makes the pages (under target/page_server/pages/) and hands over to
scripts/page_server.rs, built with `rustc -O` into target/page_server/ (a Python server cost about a
millisecond a page on a busy machine, more than our client spends on one).

Usage:
  python3 scripts/page_server.py [--page-size 100] N [N ...]

For each N it listens on its own port of 127.0.0.1 and prints one line `N http://127.0.0.1:PORT`, then a
line `ready`, and serves until its stdin closes. `python3 scripts/page_server.py --dump N` prints the
pages of N as JSON lines instead (to look at the data).

The snapshots are what `lightsail-emulator` returns for `create-instance-snapshot` of a WordPress
instance, with a tag and a float `createdAt` (as Lightsail sends it), names `snapshot-00001` ... so that
every run sees the same bytes.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, "target", "page_server")

REGION = "us-west-2"
ACCOUNT = "123456789012"


def snapshot(i):
    digest = hashlib.md5(str(i).encode()).hexdigest()
    uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    return {
        "name": f"snapshot-{i:05d}",
        "arn": f"arn:aws:lightsail:{REGION}:{ACCOUNT}:InstanceSnapshot/{uuid}",
        "supportCode": f"{ACCOUNT}/ami-{digest[:17]}",
        "createdAt": 1700000000 + i + 0.125,
        "location": {"availabilityZone": "all", "regionName": REGION},
        "resourceType": "InstanceSnapshot",
        "tags": [{"key": "team", "value": f"team-{i % 7}"}],
        "state": "available",
        "fromAttachedDisks": [],
        "fromInstanceName": "WordPress-1",
        "fromInstanceArn": f"arn:aws:lightsail:{REGION}:{ACCOUNT}:Instance/0b9a5f4e-3c2d-4e1f-9a8b-7c6d5e4f3a2b",
        "fromBlueprintId": "wordpress",
        "fromBundleId": "micro_3_0",
        "isFromAutoSnapshot": False,
        "sizeInGb": 40,
    }


def pages(n, page_size):
    """The JSON bodies of a listing of n snapshots, keyed by the pageToken that asks for each."""
    out = {}
    items = [snapshot(i) for i in range(1, n + 1)]
    starts = list(range(0, n, page_size)) or [0]
    for number, start in enumerate(starts):
        body = {"instanceSnapshots": items[start:start + page_size]}
        if number + 1 < len(starts):
            body["nextPageToken"] = f"page-{number + 2}"
        token = None if number == 0 else f"page-{number + 1}"
        out[token] = json.dumps(body, separators=(",", ":")).encode()
    return out


def build_server():
    """Compiles scripts/page_server.rs (std only) into target/page_server/ unless already up to date."""
    source = os.path.join(ROOT, "scripts", "page_server.rs")
    binary = os.path.join(CACHE, "page_server")
    if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(source):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run(["rustc", "--edition", "2021", "-O", "-o", binary, source], check=True)
    return binary


def write_pages(n, page_size):
    """The pages of a listing of n, as files 1.json, 2.json ... under target/page_server/pages/ (written
    once: they never change); returns the directory, relative to the pages folder."""
    name = f"{n}" if page_size == 100 else f"{n}-by-{page_size}"
    folder = os.path.join(CACHE, "pages", name)
    stamp = os.path.join(folder, "complete")
    if not os.path.exists(stamp):
        os.makedirs(folder, exist_ok=True)
        bodies = pages(n, page_size)
        for number, token in enumerate(bodies, start=1):
            with open(os.path.join(folder, f"{number}.json"), "wb") as f:
                f.write(bodies[token])
        open(stamp, "w").close()
    return name


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", type=int, nargs="+", metavar="N")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--dump", action="store_true", help="print the pages as JSON lines and exit")
    args = parser.parse_args()
    if args.dump:
        for n in args.sizes:
            for body in pages(n, args.page_size).values():
                sys.stdout.write(body.decode() + "\n")
        return
    binary = build_server()
    names = [write_pages(n, args.page_size) for n in args.sizes]
    os.chdir(os.path.join(CACHE, "pages"))
    sys.stdout.flush()
    os.execv(binary, [binary] + names)


if __name__ == "__main__":
    main()
