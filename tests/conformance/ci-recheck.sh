#!/usr/bin/env bash
# CI drift check: re-records every conformance case with the reference CLI into a temporary directory and
# fails if anything differs from the committed expectations in tests/conformance/expected/.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The emulator under test is the workspace's own, unless LIGHTSAIL_EMULATOR_BIN names another.
if [ -z "${LIGHTSAIL_EMULATOR_BIN:-}" ]; then
  cargo build -p lightsail-emulator
fi
# So is the loopback peer (the recording proxy and canned server of `peer` cases).
if [ -z "${LOOPBACK_PEER_BIN:-}" ]; then
  cargo build -p loopback-peer
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Many cases sleep through retry back-offs rather than use CPU, so run several at once.
python3 tests/conformance/record.py --out "$out" --jobs 4
if diff -ru tests/conformance/expected "$out"; then
  echo "conformance re-check: the reference still produces every committed expectation"
else
  echo "conformance re-check: the recorded expectations drifted from the reference (diff above)" >&2
  exit 1
fi
