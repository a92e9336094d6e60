#!/usr/bin/env bash
# The README's first command: builds everything, starts lightsail-emulator on loopback with an instance
# `WordPress-1`, runs the seed's example (json, then table, then --query with text output), and stops
# the emulator. Needs only the Rust toolchain; no AWS account and no network.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --workspace --bins
bin="$PWD/target/release"

work=$(mktemp -d)
"$bin/lightsail-emulator" --port 0 --deterministic --instance WordPress-1 >"$work/emulator.out" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  [ -s "$work/emulator.out" ] && break
  sleep 0.05
done
url=$(sed -n 's/^listening on //p' "$work/emulator.out" | head -n 1)
[ -n "$url" ] || { echo "the emulator did not start" >&2; exit 1; }
port=${url##*:}

# A throwaway home and explicit credentials: nothing is read from, or sent beyond, this machine.
export HOME="$work/home" AWS_EC2_METADATA_DISABLED=true AWS_DEFAULT_REGION=us-west-2 \
  AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
mkdir -p "$HOME"

reset_emulator() {
  # The emulator's admin endpoint, over bash's /dev/tcp: no curl needed.
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'POST /_emulator/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' >&3
  cat <&3 >/dev/null
  exec 3<&-
}

run() {
  echo "\$ aws $*"
  "$bin/aws" "$@" --endpoint-url "$url"
  echo
}

run lightsail create-instance-snapshot --instance-name WordPress-1 --instance-snapshot-name WordPress-Snapshot-1
reset_emulator
run lightsail create-instance-snapshot --instance-name WordPress-1 --instance-snapshot-name WordPress-Snapshot-1 \
  --output table
reset_emulator
run lightsail create-instance-snapshot --instance-name WordPress-1 --instance-snapshot-name WordPress-Snapshot-1 \
  --query 'operations[].[resourceType,resourceName,status]' --output text
