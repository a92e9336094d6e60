#!/usr/bin/env bash
# Rewrites tests/conformance/known-failures.txt from what our binary does now: run it after a change makes
# cases pass (or, deliberately, fail), and commit the list with the change.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --workspace --bins
CONFORMANCE_WRITE_KNOWN_FAILURES=1 cargo test --test conformance -- --nocapture
