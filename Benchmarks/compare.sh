#!/usr/bin/env bash
# End-to-end comparison of CORS layers over loopback HTTP, with wrk.
#
# Starts on 127.0.0.1, each on its own port:
#   Hummingbird 2: no CORS, Hummingbird's CORSMiddleware, swift-cors
#   Vapor 4:       no CORS, Vapor's CORSMiddleware, swift-cors
#   FastAPI:       no CORS, the tutorial's app (Starlette's CORSMiddleware), under uvicorn
#   Proxies:       the Hummingbird upstream directly, nginx proxy_pass with `cors export --to
#                  nginx`'s configuration, `cors proxy --policy` (PROXY=0 leaves them out)
# then, interleaved over ROUNDS rounds, runs wrk against each: GET /me with a trusted Origin
# (compare/get.lua) and the preflight for PUT /me with two headers (compare/preflight.lua).
# Prints, for each server, the median over the rounds of its per-round ratio to the same
# framework's no-CORS server and to its built-in middleware (compare/report.py says why), and
# writes results/compare.{json,csv,md,png}; the JSON keeps every round's requests/s and p99.
#
# Settings (environment): DURATION seconds per wrk run (5), ROUNDS (7), THREADS (2),
# CONNECTIONS (2), BASE_PORT (18080), PROXY (1), SKIP_BUILD=1 to reuse the release binaries.
# Loopback only; every server it starts is stopped on exit.
set -euo pipefail

cd "$(dirname "$0")"
HERE=$(pwd)
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-7}
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

# `cors proxy` against nginx `proxy_pass` (PROXY=0 leaves them out): both in front of the same
# upstream (CompareServer, Hummingbird without CORS), both enforcing the tutorial's policy — nginx
# with the configuration `cors export --to nginx` writes (keep-alive upstream pool included).
PROXY=${PROXY:-1}
if [[ $PROXY == 1 ]]; then
    command -v nginx >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; }
    if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
        log "building cors (release)"
        swift build -c release --product cors >&2
    fi
    CORS_BIN="$(swift build -c release --show-bin-path)/cors"
    [[ -x "$CORS_BIN" ]] || { echo "no $CORS_BIN; build it or unset SKIP_BUILD" >&2; exit 1; }
    cat >"$WORK/tutorial.json" <<'JSON'
{
  "allowOrigins": ["https://app.example.com", "http://localhost:5173"],
  "allowCredentials": true,
  "allowMethods": ["GET", "POST", "PUT", "DELETE"],
  "allowHeaders": ["Authorization", "Content-Type"],
  "exposeHeaders": ["X-Request-Id"],
  "maxAge": 600
}
JSON
fi

# --- Servers -----------------------------------------------------------------------------------
SERVERS=(hummingbird-none hummingbird-builtin hummingbird-ours vapor-none vapor-builtin vapor-ours fastapi-none fastapi-builtin)
[[ $PROXY == 1 ]] && SERVERS+=(proxy-none proxy-builtin proxy-ours)
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
    if [[ $server == proxy-none ]]; then
        "$SERVER_BIN" --framework hummingbird --cors none --port "$port" >"$WORK/$server.log" 2>&1 &
    elif [[ $server == proxy-builtin ]]; then
        local upstream="http://$HOST:${PORT[proxy-none]}"
        mkdir -p "$WORK/nginx"
        "$CORS_BIN" export "$WORK/tutorial.json" --to nginx --upstream "$upstream" --listen "$HOST:$port" \
            2>/dev/null >"$WORK/nginx/cors.conf"
        cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    include $WORK/nginx/cors.conf;
}
NGINX
        nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >"$WORK/$server.log" 2>&1 &
    elif [[ $server == proxy-ours ]]; then
        "$CORS_BIN" proxy --policy "$WORK/tutorial.json" --upstream "http://$HOST:${PORT[proxy-none]}" \
            --listen "$HOST:$port" >"$WORK/$server.log" 2>&1 &
    elif [[ $framework == fastapi ]]; then
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
