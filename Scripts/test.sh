#!/usr/bin/env bash
# Runs the whole test suite, installing first what the tests need on this machine:
# Debian's chromium (the real-browser suite), nginx-light (the shared-cache test), and FastAPI with
# uvicorn (cors check against a real FastAPI app).
# It also runs each libFuzzer target for 30 seconds (Fuzz/ci.sh); SKIP_FUZZ=1 skips that step.
# Usage: Scripts/test.sh [swift test arguments…]
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
# Real servers running `cors export` output (ExportConformanceTests): Caddy, and Express with `cors`.
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
[ -d /usr/share/nodejs/express ] || missing+=(nodejs node-express)
[ -d /usr/share/nodejs/cors ] || missing+=(node-cors)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} for the test suite…"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# FastAPI and uvicorn for the real-FastAPI tests of `cors check`, in a virtual environment under
# .build (ignored by git), from PyPI; Debian's packages when no venv or PyPI can be had.
venv=.build/fastapi-venv
if ! "$venv/bin/python" -c 'import fastapi, uvicorn, flask' >/dev/null 2>&1; then
    echo "Installing FastAPI and uvicorn into $venv…"
    if ! command -v python3 >/dev/null 2>&1; then
        "${sudo_cmd[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3 python3-venv
    fi
    rm -rf "$venv"
    mkdir -p .build
    if ! { python3 -m venv "$venv" && "$venv/bin/python" -m pip install -q --disable-pip-version-check fastapi uvicorn flask; }; then
        echo "No virtual environment: installing Debian's python3-fastapi and python3-uvicorn instead…"
        rm -rf "$venv"
        "${sudo_cmd[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3-fastapi python3-uvicorn
        export CORS_TEST_PYTHON=/usr/bin/python3
    fi
fi

# Fuzzing first, so that the test runner's summary is the last thing printed.
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
    bash Fuzz/ci.sh
fi

swift build --build-tests
swift test --skip-build "$@"
