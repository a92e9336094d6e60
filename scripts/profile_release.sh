#!/bin/sh
# Measures alternative release profiles for the `aws` binary, one variable at a time from the profile in
# Cargo.toml, and prints a Markdown table (the "Release profile" section of docs/benchmarks.md).
#
# For each variant: a clean release build into its own target dir (/tmp/prof-<name>, or $PROF_ROOT-<name>)
# with the profile changed through `cargo --config`, so Cargo.toml is never edited; then
#   - build time (wall and user+sys CPU seconds of the clean build, dependencies included),
#   - stripped binary size,
#   - instructions executed (valgrind --tool=callgrind, total "Collected") for
#       (a) aws lightsail create-instance-snapshot --generate-cli-skeleton
#       (b) a full create-instance-snapshot call against lightsail-emulator,
#   - peak RSS (GNU time %M) of (a) and (b).
# Instruction counts are the primary metric: they are repeatable on a busy machine, wall times are not.
#
# Usage:
#   scripts/profile_release.sh            build every variant, then measure
#   scripts/profile_release.sh build      only build (skips variants already built: after changing
#                                          Cargo.toml, delete /tmp/prof-* first)
#   scripts/profile_release.sh measure    only measure (skips variants not built)
#   scripts/profile_release.sh annotate   one callgrind profile of (b) with the current profile, from a
#                                          non-stripped build (/tmp/prof-symbols), with callgrind_annotate
#
# Network safety: every run of `aws` happens inside `unshare -n` (a namespace with loopback only), with
# --endpoint-url http://127.0.0.1:PORT, explicit credentials and region, AWS_EC2_METADATA_DISABLED=true
# and a throwaway HOME.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PROF_ROOT=${PROF_ROOT:-/tmp/prof}

# name|cargo --config arguments (the baseline is Cargo.toml's [profile.release] unchanged). The last two
# are not profile settings but linker choices (rustflags), measured because dynamic loading is a quarter
# of the instructions of a call: a non-PIE executable (no relative relocations) and a static glibc.
VARIANTS='base|
lto-thin|--config profile.release.lto="thin"
lto-off|--config profile.release.lto="off"
lto-false|--config profile.release.lto=false
cgu-16|--config profile.release.codegen-units=16
opt-3|--config profile.release.opt-level=3
opt-s|--config profile.release.opt-level="s"
opt-z|--config profile.release.opt-level="z"
unwind|--config profile.release.panic="unwind"
non-pie|--config build.rustflags=["-C","relocation-model=static"]
crt-static|--config build.rustflags=["-C","target-feature=+crt-static"]'

build_variant() { # name, config args
    dir="$PROF_ROOT-$1"
    if [ -x "$dir/release/aws" ]; then
        return
    fi
    echo "building $1 ($2)" >&2
    set -f # the rustflags arrays are not globs
    # shellcheck disable=SC2086 # the config arguments are meant to split
    (cd "$ROOT" && CARGO_TARGET_DIR="$dir" /usr/bin/time -f '%e %U %S' -o "$dir.buildtime" \
        cargo build --release --quiet --bin aws $2)
}

build_all() {
    mkdir -p "$(dirname "$PROF_ROOT")"
    echo "$VARIANTS" | while IFS='|' read -r name args; do
        build_variant "$name" "$args"
    done
    # The emulator, once, with the baseline profile (built after the timed `aws` build).
    (cd "$ROOT" && CARGO_TARGET_DIR="$PROF_ROOT-base" cargo build --release --quiet -p lightsail-emulator)
}

# --- measurement, inside the network namespace -------------------------------------------------------

EMULATOR="$PROF_ROOT-base/release/lightsail-emulator"

start_emulator() {
    fifo=$(mktemp -u)
    mkfifo "$fifo"
    "$EMULATOR" --port 0 --deterministic --instance WordPress-1 >"$fifo" 2>/dev/null &
    EMULATOR_PID=$!
    exec 3<"$fifo"
    rm -f "$fifo"
    read -r line <&3
    # keep draining its stdout so it never blocks
    cat <&3 >/dev/null &
    exec 3<&-
    URL=${line#listening on }
}

reset_emulator() {
    curl -s -o /dev/null -X POST "$URL/_emulator/reset"
}

run_env() { # runs "$@" with the isolated CLI environment
    env -i PATH="$PATH" HOME="$HOME_DIR" LC_ALL=C.UTF-8 AWS_EC2_METADATA_DISABLED=true \
        AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
        AWS_DEFAULT_REGION=us-west-2 "$@"
}

instructions() { # binary, args... -> total instructions (callgrind)
    log=$(mktemp)
    run_env valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$log" "$@" \
        >/dev/null 2>&1 </dev/null || true
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$log"
    rm -f "$log"
}

peak_rss_kib() { # binary, args... -> median peak RSS in KiB (GNU time) of 5 runs; varies +-150 KiB
    out=$(mktemp)
    for _ in 1 2 3 4 5; do
        run_env /usr/bin/time -f '%M' -a -o "$out" "$@" >/dev/null 2>&1 </dev/null || true
        case "$*" in *--endpoint-url*) reset_emulator ;; esac
    done
    sort -n "$out" | sed -n 3p
    rm -f "$out"
}

measure_all() {
    HOME_DIR=$(mktemp -d)
    start_emulator
    trap 'kill $EMULATOR_PID 2>/dev/null || true' EXIT
    skel="lightsail create-instance-snapshot --generate-cli-skeleton"
    call="lightsail create-instance-snapshot --instance-name WordPress-1 --instance-snapshot-name Snap-1 \
--endpoint-url $URL"
    # Sanity: the call must succeed against the emulator.
    reset_emulator
    # shellcheck disable=SC2086
    run_env "$PROF_ROOT-base/release/aws" $call >/dev/null
    reset_emulator

    rows=$(mktemp)
    echo "$VARIANTS" | while IFS='|' read -r name args; do
        aws="$PROF_ROOT-$name/release/aws"
        if [ ! -x "$aws" ]; then
            echo "skipping $name: not built" >&2
            continue
        fi
        # shellcheck disable=SC2086 # the call must succeed with every variant
        run_env "$aws" $call >/dev/null || { echo "$name: the call failed" >&2; exit 1; }
        reset_emulator
        # shellcheck disable=SC2086
        ia=$(instructions "$aws" $skel)
        # shellcheck disable=SC2086
        ib=$(instructions "$aws" $call)
        reset_emulator
        # shellcheck disable=SC2086
        ra=$(peak_rss_kib "$aws" $skel)
        # shellcheck disable=SC2086
        rb=$(peak_rss_kib "$aws" $call)
        reset_emulator
        size=$(stat -c %s "$aws")
        read -r bw bu bs <"$PROF_ROOT-$name.buildtime"
        label=${args#--config }
        label=${label#profile.release.}
        [ -n "$label" ] || label="Cargo.toml (lto=true, codegen-units=1, opt-level=2, panic=abort, strip)"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%.0f s / %.0f s\n' \
            "$label" "$ia" "$ib" "$ra" "$rb" "$size" "$bw" "$(echo "$bu + $bs" | bc)" >>"$rows"
    done
    format_table "$rows"
    rm -f "$rows"
}

format_table() { # tab-separated rows, the first the baseline -> Markdown with changes against it
    python3 - "$1" <<'EOF_PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
print("| variant | instructions (a) skeleton | instructions (b) call | peak RSS (a) / (b) | stripped size "
      "| clean build wall / CPU |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
base = None
for name, ia, ib, ra, rb, size, build in rows:
    ia, ib, size = int(ia), int(ib), int(size)
    base = base or (ia, ib, size)
    def change(v, b):
        return "" if v == b else f" ({(v - b) / b * 100:+.1f}%)"
    print(f"| `{name}` | {ia:,}{change(ia, base[0])} | {ib:,}{change(ib, base[1])} | "
          f"{int(ra) / 1024:.1f} / {int(rb) / 1024:.1f} MiB | {size / 1e6:.2f} MB{change(size, base[2])} | {build} |")
EOF_PY
}

# --- one annotated profile of (b) ----------------------------------------------------------------------

annotate() {
    dir="$PROF_ROOT-symbols"
    (cd "$ROOT" && CARGO_TARGET_DIR="$dir" cargo build --release --quiet --bin aws \
        --config profile.release.strip=false)
    exec unshare -n sh -c 'ip link set lo up; exec "$0" annotate-inside' "$0"
}

annotate_inside() {
    HOME_DIR=$(mktemp -d)
    start_emulator
    trap 'kill $EMULATOR_PID 2>/dev/null || true' EXIT
    reset_emulator
    out=${CALLGRIND_OUT:-/tmp/prof-callgrind.out}
    run_env valgrind --tool=callgrind --callgrind-out-file="$out" --log-file=/dev/null \
        "$PROF_ROOT-symbols/release/aws" lightsail create-instance-snapshot --instance-name WordPress-1 \
        --instance-snapshot-name Snap-1 --endpoint-url "$URL" >/dev/null </dev/null
    echo "== exclusive (self) cost, top functions"
    callgrind_annotate "$out" | sed -n '1,60p'
    echo "== inclusive cost, top functions"
    callgrind_annotate --inclusive=yes "$out" | sed -n '1,80p'
}

case "${1:-all}" in
    build) build_all ;;
    measure-inside) measure_all ;;
    measure) exec unshare -n sh -c 'ip link set lo up; exec "$0" measure-inside' "$0" ;;
    annotate) annotate ;;
    annotate-inside) annotate_inside ;;
    all)
        build_all
        exec unshare -n sh -c 'ip link set lo up; exec "$0" measure-inside' "$0"
        ;;
    *) echo "usage: $0 [build|measure|annotate]" >&2; exit 2 ;;
esac
