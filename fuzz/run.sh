#!/usr/bin/env bash
# Builds every cargo-fuzz target of presign (all `[[bin]]`s of fuzz/Cargo.toml, as listed by
# `cargo fuzz list`, including `inspect`) and runs each for a bounded time.
#
#   fuzz/run.sh [SECONDS_PER_TARGET]     (default 60)
#
# Prints one line per target with the executions libFuzzer reports; on a crash, panic or
# timeout prints the tail of the fuzzer's log (with the artifact path) and exits non-zero
# after running the remaining targets. Installs cargo-fuzz when it is missing; needs the
# nightly toolchain (cargo-fuzz instruments with -Z flags).
set -euo pipefail

secs="${1:-60}"
if ! [[ "$secs" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [SECONDS_PER_TARGET]" >&2
    exit 2
fi
cd "$(dirname "$0")"

if ! cargo +nightly --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# The crate forbids `unsafe`, so AddressSanitizer finds nothing a panic would not; without
# it each target runs several times more inputs. Debug assertions (overflow checks) stay on.
sanitizer=(--sanitizer none)
mapfile -t targets < <(cargo +nightly fuzz list)
cargo +nightly fuzz build "${sanitizer[@]}"

status=0
total=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    log="$(mktemp)"
    if cargo +nightly fuzz run "${sanitizer[@]}" "$t" "corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
        >"$log" 2>&1; then
        runs="$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -n 1)"
        runs="${runs:-$(grep -oE '^#[0-9]+[[:space:]]+DONE' "$log" | grep -oE '[0-9]+' | tail -n 1)}"
        echo "fuzz $t: ${runs:-?} executions in ${secs} s, no failure"
        total=$((total + ${runs:-0}))
    else
        echo "fuzz $t: FAILED (crash, panic or timeout); log tail:"
        tail -n 60 "$log"
        status=1
    fi
    rm -f "$log"
done
echo "fuzz: ${#targets[@]} targets, $total executions, $([ "$status" = 0 ] && echo passed || echo FAILED)"
exit "$status"
