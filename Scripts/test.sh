#!/usr/bin/env bash
# Runs the whole test suite, installing first what the tests need on this machine:
# Debian's chromium (the real-browser suite) and nginx-light (the shared-cache test).
# It also runs each libFuzzer target for 30 seconds (Fuzz/ci.sh); SKIP_FUZZ=1 skips that step.
# Usage: Scripts/test.sh [swift test arguments…]
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} for the test suite…"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Fuzzing first, so that the test runner's summary is the last thing printed.
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
    bash Fuzz/ci.sh
fi

swift build --build-tests
swift test --skip-build "$@"
