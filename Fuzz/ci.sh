#!/usr/bin/env bash
# CI: builds every fuzz target and runs each for 30 seconds on its seed corpus; exits non-zero
# when any of them crashes (a broken invariant, an ASan report, a timeout or the RSS limit).
# Usage: Fuzz/ci.sh   (FUZZ_SECONDS overrides the 30 seconds)
set -euo pipefail
exec "$(dirname "$0")/run.sh" "${FUZZ_SECONDS:-30}"
