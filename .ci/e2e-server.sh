# shellcheck shell=bash
#
# Local S3-compatible server (s3s-fs) for `tests/end_to_end.rs`.
#
# s3s-fs is an independent S3 implementation with its own SigV4 verifier, so
# these tests check the URLs `presign` mints against someone else's reading of
# the spec, over real HTTP, with curl as the client.
#
# Usage from another bash script (e.g. .ci/run):
#
#     source .ci/e2e-server.sh
#     e2e_start                      # exports PRESIGN_E2E_* ; stops on EXIT
#     cargo test --test end_to_end
#     e2e_stop
#
# or standalone (starts, runs the command, stops; default command is
# `cargo test --test end_to_end`):
#
#     .ci/e2e-server.sh run [command...]
#
# Exported by e2e_start:
#   PRESIGN_E2E_ENDPOINT    http://127.0.0.1:<port>   (the server listens on 127.0.0.1 only)
#   PRESIGN_E2E_ACCESS_KEY  random per run
#   PRESIGN_E2E_SECRET_KEY  random per run
#   PRESIGN_E2E_BUCKET      bucket that already exists (s3s-fs maps a bucket to <root>/<bucket>/)
#   PRESIGN_E2E_ROOT        the server's temporary data directory
#   PRESIGN_E2E_LOG         the server's log (RUST_LOG=s3s=debug: signature mismatches are logged)
#
# Overridable: S3S_FS (path to the binary), PRESIGN_E2E_BUCKET (bucket name).
# Sourcing this file defines functions only; it does not change shell options.
# The functions are safe under `set -euo pipefail`.

E2E_PID=""
E2E_TMP=""

_e2e_log() { printf 'e2e-server: %s\n' "$*" >&2; }

# Prints the path of the s3s-fs binary, installing it first if needed.
e2e_find_or_install() {
    local bin="${S3S_FS:-}"
    if [ -n "$bin" ] && [ -x "$bin" ]; then
        printf '%s\n' "$bin"
        return 0
    fi
    if bin="$(command -v s3s-fs 2>/dev/null)"; then
        printf '%s\n' "$bin"
        return 0
    fi
    bin="${CARGO_HOME:-$HOME/.cargo}/bin/s3s-fs"
    if [ -x "$bin" ]; then
        printf '%s\n' "$bin"
        return 0
    fi
    _e2e_log "s3s-fs not found; installing it (cargo +nightly install s3s-fs --features binary --locked)"
    cargo +nightly install s3s-fs --features binary --locked >&2 || return 1
    [ -x "$bin" ] || { _e2e_log "install finished but $bin is missing"; return 1; }
    printf '%s\n' "$bin"
}

# Prints a TCP port that was free on 127.0.0.1 a moment ago.
e2e_free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

_e2e_random_hex() {
    python3 -c "import secrets; print(secrets.token_hex($1))"
}

# Starts s3s-fs on 127.0.0.1:<free port> with a fresh temporary root and exports
# the PRESIGN_E2E_* variables. Returns non-zero if the server does not come up.
e2e_start() {
    if [ -n "$E2E_PID" ]; then
        _e2e_log "already running (pid $E2E_PID)"
        return 0
    fi
    command -v curl >/dev/null || { _e2e_log "curl is required"; return 1; }
    command -v python3 >/dev/null || { _e2e_log "python3 is required"; return 1; }
    local bin
    bin="$(e2e_find_or_install)" || return 1

    E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/presign-e2e.XXXXXX")" || return 1
    _e2e_install_trap

    local bucket="${PRESIGN_E2E_BUCKET:-presign-e2e}"
    mkdir -p "$E2E_TMP/root/$bucket" || return 1

    local access_key secret_key
    access_key="E2E$(_e2e_random_hex 8 | tr 'a-f' 'A-F')"
    secret_key="$(_e2e_random_hex 20)"

    local attempt port code
    for attempt in 1 2 3; do
        port="$(e2e_free_port)" || return 1
        # Another process may grab the port between e2e_free_port and bind: retry.
        RUST_LOG="${RUST_LOG:-s3s=debug,s3s_fs=info}" NO_COLOR=1 \
            "$bin" --host 127.0.0.1 --port "$port" \
            --access-key "$access_key" --secret-key "$secret_key" \
            "$E2E_TMP/root" >"$E2E_TMP/server.log" 2>&1 &
        E2E_PID=$!
        local i
        for i in $(seq 1 100); do
            if ! kill -0 "$E2E_PID" 2>/dev/null; then
                break
            fi
            # Any HTTP status (403 for an unsigned request) means it is answering.
            code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/" 2>/dev/null || true)"
            if [ -n "$code" ] && [ "$code" != "000" ]; then
                export PRESIGN_E2E_ENDPOINT="http://127.0.0.1:$port"
                export PRESIGN_E2E_ACCESS_KEY="$access_key"
                export PRESIGN_E2E_SECRET_KEY="$secret_key"
                export PRESIGN_E2E_BUCKET="$bucket"
                export PRESIGN_E2E_ROOT="$E2E_TMP/root"
                export PRESIGN_E2E_LOG="$E2E_TMP/server.log"
                _e2e_log "s3s-fs (pid $E2E_PID) at $PRESIGN_E2E_ENDPOINT, bucket $bucket, log $PRESIGN_E2E_LOG"
                return 0
            fi
            sleep 0.1
        done
        _e2e_log "attempt $attempt: s3s-fs did not answer on port $port; log:"
        tail -n 20 "$E2E_TMP/server.log" >&2 || true
        _e2e_kill
    done
    return 1
}

# True while the process runs (a zombie waiting to be reaped does not count).
_e2e_alive() {
    local state
    state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
    case "$state" in
        Z* | "") return 1 ;;
    esac
    return 0
}

_e2e_kill() {
    if [ -n "$E2E_PID" ]; then
        # s3s-fs has no SIGTERM handler, so TERM ends it at once; KILL after 5 s
        # covers a server that hangs.
        kill "$E2E_PID" 2>/dev/null || true
        local i
        for i in $(seq 1 50); do
            _e2e_alive "$E2E_PID" || break
            sleep 0.1
        done
        if _e2e_alive "$E2E_PID"; then
            kill -9 "$E2E_PID" 2>/dev/null || true
        fi
        wait "$E2E_PID" 2>/dev/null || true
        E2E_PID=""
    fi
}

# Stops the server (by PID) and removes its temporary root. Idempotent.
# Set PRESIGN_E2E_KEEP=1 to keep the root and log for inspection.
e2e_stop() {
    _e2e_kill
    if [ -n "$E2E_TMP" ] && [ -d "$E2E_TMP" ]; then
        if [ "${PRESIGN_E2E_KEEP:-0}" = 1 ]; then
            _e2e_log "kept $E2E_TMP"
        else
            rm -rf -- "$E2E_TMP"
        fi
    fi
    E2E_TMP=""
    unset PRESIGN_E2E_ENDPOINT PRESIGN_E2E_ACCESS_KEY PRESIGN_E2E_SECRET_KEY \
        PRESIGN_E2E_ROOT PRESIGN_E2E_LOG
    return 0
}

# Adds e2e_stop to the EXIT trap, keeping whatever trap the caller had.
_e2e_install_trap() {
    local existing
    existing="$(trap -p EXIT)"
    case "$existing" in
        *e2e_stop*) return 0 ;;
    esac
    if [ -z "$existing" ]; then
        trap 'e2e_stop' EXIT
    else
        # `trap -p` prints: trap -- '<command>' EXIT
        existing="${existing#trap -- \'}"
        existing="${existing%\' EXIT}"
        existing="${existing//\'\\\'\'/\'}"
        # shellcheck disable=SC2064
        trap "e2e_stop; $existing" EXIT
    fi
}

# Standalone: .ci/e2e-server.sh run [command...]
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
        run)
            shift
            if [ "$#" -eq 0 ]; then
                set -- cargo test --test end_to_end
            fi
            e2e_start
            status=0
            "$@" || status=$?
            if [ "$status" -ne 0 ]; then
                _e2e_log "command failed ($status); last server log lines:"
                tail -n 40 "$PRESIGN_E2E_LOG" >&2 || true
            fi
            e2e_stop
            exit "$status"
            ;;
        *)
            printf 'usage: %s run [command...]   (or: source it, then e2e_start / e2e_stop)\n' "$0" >&2
            exit 2
            ;;
    esac
fi
