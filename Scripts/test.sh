#!/usr/bin/env bash
# Runs the whole test suite, installing first what the tests need on this machine:
# Debian's chromium, firefox-esr and WebKitGTK (webkit2gtk-driver's WebKitWebDriver, MiniBrowser from
# libwebkit2gtk-4.1-0, under xvfb) for the real-browser suites, nginx-light (the shared-cache test),
# and FastAPI with uvicorn (cors check against a real FastAPI app).
# It also runs each libFuzzer target for 30 seconds (Fuzz/ci.sh; SKIP_FUZZ=1 skips it), checks the
# engine's allocation counts against Benchmarks/Thresholds (SKIP_BENCHMARKS=1 skips it), and builds
# every DocC catalogue with warnings as errors (Scripts/build-docs.sh; SKIP_DOCS=1 skips it).
# Usage: Scripts/test.sh [swift test arguments…]
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
# Real servers running `cors export` output (ExportConformanceTests): Caddy, Apache httpd, and
# Express with `cors`.
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
[ -x /usr/sbin/apache2 ] || missing+=(apache2)
[ -d /usr/share/nodejs/express ] || missing+=(nodejs node-express)
[ -d /usr/share/nodejs/cors ] || missing+=(node-cors)
command -v firefox-esr >/dev/null 2>&1 || command -v firefox >/dev/null 2>&1 || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null 2>&1 || missing+=(webkit2gtk-driver)
compgen -G '/usr/lib/*/webkit2gtk-4.1/MiniBrowser' >/dev/null || missing+=(libwebkit2gtk-4.1-0)
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
# xvfb-run (to run WebKit by hand, as the reference describes) needs xauth, only recommended by xvfb.
command -v xauth >/dev/null 2>&1 || missing+=(xauth)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} for the test suite…"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The engines were installed above: a real-engine suite that cannot find one fails, never skips.
export CORS_REQUIRE_ENGINES=1

# FastAPI and uvicorn for the real-FastAPI tests of `cors check`, in a virtual environment under
# .build (ignored by git), from PyPI; Debian's packages when no venv or PyPI can be had.
venv=.build/fastapi-venv
# Flask-CORS, Django with django-cors-headers, aiohttp with aiohttp-cors: the misconfigured real apps
# `cors check` is proven on (StackFixTests).
if ! "$venv/bin/python" -c 'import fastapi, uvicorn, flask, flask_cors, django, corsheaders, aiohttp, aiohttp_cors' >/dev/null 2>&1; then
    echo "Installing FastAPI and uvicorn into $venv…"
    if ! command -v python3 >/dev/null 2>&1; then
        "${sudo_cmd[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3 python3-venv
    fi
    rm -rf "$venv"
    mkdir -p .build
    if ! { python3 -m venv "$venv" && "$venv/bin/python" -m pip install -q --disable-pip-version-check fastapi uvicorn flask flask-cors django django-cors-headers aiohttp aiohttp-cors; }; then
        echo "No virtual environment: installing Debian's python3-fastapi and python3-uvicorn instead…"
        rm -rf "$venv"
        "${sudo_cmd[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3-fastapi python3-uvicorn
        export CORS_TEST_PYTHON=/usr/bin/python3
    fi
fi

# Fuzzing, allocation thresholds and documentation first, so that the test runner's summary is the
# last thing printed.
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
    bash Fuzz/ci.sh
fi
if [ "${SKIP_BENCHMARKS:-0}" != 1 ]; then
    # Allocations per operation are deterministic, unlike time: more than the committed count fails.
    (cd Benchmarks && swift package benchmark thresholds check --target EngineBenchmarks --metric mallocCountTotal)
fi
if [ "${SKIP_DOCS:-0}" != 1 ]; then
    bash Scripts/build-docs.sh
fi

swift build --build-tests
if [ $# -gt 0 ]; then
    swift test --skip-build "$@"
    exit
fi
# Three batches on a two-core machine: the real browsers and the 1 GiB proxy stream load it
# heavily, and the tests that bound how long a server may take (a hostile server gets 3 s per
# request, an upgrade its answer at once) must not wait for CPU behind them, so they run alone.
# Every test runs; each batch ends with its own summary.
heavy='BrowserTests|ProxyCommandTests'
timed='HostileServerTests|OversizedHeadTests|GuardMiddlewareTests|ProxyHostileInputTests'
swift test --skip-build --skip "$heavy|$timed"
swift test --skip-build --filter "$heavy"
swift test --skip-build --filter "$timed"
