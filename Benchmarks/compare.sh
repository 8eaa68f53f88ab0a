#!/usr/bin/env bash
# End-to-end comparison of CORS layers over loopback HTTP, with wrk.
#
# Starts on 127.0.0.1, each on its own port:
#   Hummingbird 2: no CORS, Hummingbird's CORSMiddleware, swift-cors
#   Vapor 4:       no CORS, Vapor's CORSMiddleware, swift-cors
#   FastAPI:       no CORS, the tutorial's app (Starlette's CORSMiddleware), under uvicorn
# then, interleaved over ROUNDS rounds, runs wrk against each: GET /me with a trusted Origin
# (compare/get.lua) and the preflight for PUT /me with two headers (compare/preflight.lua).
# Prints a table of requests/s and p99 latency with ratios to the same framework's no-CORS
# server and to its built-in middleware; writes results/compare.{json,csv,md,png}.
#
# Settings (environment): DURATION seconds per wrk run (5), ROUNDS (3), THREADS (2),
# CONNECTIONS (2), BASE_PORT (18080), SKIP_BUILD=1 to reuse the release binary.
# Loopback only; every server it starts is stopped on exit.
set -euo pipefail

cd "$(dirname "$0")"
HERE=$(pwd)
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-2}
BASE_PORT=${BASE_PORT:-18080}
HOST=127.0.0.1
RESULTS="$HERE/results"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cors-compare.XXXXXX")
RAW="$WORK/raw"
mkdir -p "$RAW" "$RESULTS"

PIDS=()
cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for pid in "${PIDS[@]}"; do
        # Give each server 10 s to stop gracefully, then kill it.
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '==> %s\n' "$*" >&2; }

# --- Tools -------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
    log "installing wrk (Debian package)"
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if ! command -v curl >/dev/null; then
    apt-get update -qq && apt-get install -y -qq curl >/dev/null
fi

VENV="$HERE/.venv"
if ! "$VENV/bin/python" -c 'import fastapi, uvicorn, matplotlib' 2>/dev/null; then
    log "creating $VENV with fastapi, uvicorn and matplotlib"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet fastapi uvicorn matplotlib
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    log "building CompareServer (release)"
    swift build -c release --product CompareServer >&2
fi
SERVER_BIN="$(swift build -c release --show-bin-path)/CompareServer"
[[ -x "$SERVER_BIN" ]] || { echo "no $SERVER_BIN; build it or unset SKIP_BUILD" >&2; exit 1; }

# --- Servers -----------------------------------------------------------------------------------
SERVERS=(hummingbird-none hummingbird-builtin hummingbird-ours vapor-none vapor-builtin vapor-ours fastapi-none fastapi-builtin)
declare -A PORT
port=$BASE_PORT
for server in "${SERVERS[@]}"; do
    port=$((port + 1))
    PORT[$server]=$port
    if (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
        echo "port $port on $HOST is already in use; set BASE_PORT" >&2
        exit 1
    fi
done

start_server() {
    local server=$1 framework=${1%-*} cors=${1#*-} port=${PORT[$1]}
    if [[ $framework == fastapi ]]; then
        (cd "$HERE/../Tests/FastAPI" && CORS=$cors exec "$VENV/bin/python" -m uvicorn tutorial_app:app \
            --host "$HOST" --port "$port" --log-level warning --no-access-log) \
            >"$WORK/$server.log" 2>&1 &
    else
        "$SERVER_BIN" --framework "$framework" --cors "$cors" --port "$port" >"$WORK/$server.log" 2>&1 &
    fi
    PIDS+=($!)
}

wait_ready() {
    local server=$1 url="http://$HOST:${PORT[$1]}/me"
    for _ in $(seq 300); do
        if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "$server did not answer $url within 30 s; its log:" >&2
    cat "$WORK/$server.log" >&2
    exit 1
}

log "starting ${#SERVERS[@]} servers on $HOST:$((BASE_PORT + 1))-$port"
for server in "${SERVERS[@]}"; do start_server "$server"; done
for server in "${SERVERS[@]}"; do wait_ready "$server"; done

# What each server answers, so that a misconfigured server is seen before it is measured.
log "responses (status and CORS fields)"
for server in "${SERVERS[@]}"; do
    url="http://$HOST:${PORT[$server]}/me"
    get=$(curl -sS -D - -o /dev/null -H 'Origin: https://app.example.com' "$url" | tr -d '\r' \
        | awk 'NR==1{s=$2} tolower($1)~/^access-control-allow-origin:/{o=$2} END{print s, (o==""?"-":o)}')
    pre=$(curl -sS -D - -o /dev/null -X OPTIONS -H 'Origin: https://app.example.com' \
        -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: authorization,content-type' \
        "$url" | tr -d '\r' | awk 'NR==1{print $2}')
    printf '  %-20s GET /me: %-30s preflight: %s\n' "$server" "$get" "$pre" >&2
done

# --- Load --------------------------------------------------------------------------------------
run_wrk() {
    local server=$1 scenario=$2 round=$3
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --latency -s "$HERE/compare/$scenario.lua" \
        "http://$HOST:${PORT[$server]}/me" >"$RAW/$server.$scenario.$round.txt"
    printf '  round %s %-20s %-9s %12s req/s\n' "$round" "$server" "$scenario" \
        "$(awk '/Requests\/sec/{print $2}' "$RAW/$server.$scenario.$round.txt")" >&2
}

log "warming up"
for server in "${SERVERS[@]}"; do
    wrk -t 1 -c 1 -d 1s -s "$HERE/compare/get.lua" "http://$HOST:${PORT[$server]}/me" >/dev/null
done

total=$(( ROUNDS * (${#SERVERS[@]} * 2 - 3) * DURATION ))
log "measuring: $ROUNDS rounds, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (about ${total} s)"
for round in $(seq "$ROUNDS"); do
    for server in "${SERVERS[@]}"; do
        run_wrk "$server" get "$round"
        # A server without CORS has no preflight answer (404/405): nothing to measure.
        [[ $server == *-none ]] || run_wrk "$server" preflight "$round"
    done
done

# --- Report ------------------------------------------------------------------------------------
cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
cat >"$WORK/settings.json" <<EOF
{
  "date": "$(date -u +%Y-%m-%dT%H:%MZ)",
  "machine": "$(nproc) × ${cpu:-unknown CPU}",
  "threads": $THREADS,
  "connections": $CONNECTIONS,
  "duration_seconds": $DURATION,
  "rounds": $ROUNDS,
  "swift": "$(swift --version 2>/dev/null | head -1 | sed 's/"/\\"/g')",
  "python": "$("$VENV/bin/python" --version 2>&1)",
  "fastapi": "$("$VENV/bin/python" -c 'import fastapi; print(fastapi.__version__)')",
  "uvicorn": "$("$VENV/bin/python" -c 'import uvicorn; print(uvicorn.__version__)')",
  "wrk": "$(wrk -v 2>&1 | head -1 | sed 's/"/\\"/g')"
}
EOF
"$VENV/bin/python" "$HERE/compare/report.py" "$RAW" "$RESULTS" "$WORK/settings.json"
log "wrote $RESULTS/compare.json, compare.csv, compare.md and compare.png"
