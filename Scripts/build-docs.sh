#!/usr/bin/env bash
# Builds the DocC documentation of every library module with warnings treated as errors, as CI
# does: a broken ``Symbol`` link, an undocumented parameter or a bad article fails the build.
# The archives go to .build/plugins/Swift-DocC/outputs/<Target>.doccarchive.
# Usage: Scripts/build-docs.sh [Target…]   (default: every documented target)
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(CORS CORSHummingbird CORSVapor CORSConfiguration CORSBrowserModel)

failed=()
for target in "${targets[@]}"; do
    echo "Documentation for $target…"
    if ! swift package generate-documentation --target "$target" --warnings-as-errors; then
        failed+=("$target")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "Documentation failed for: ${failed[*]}" >&2
    exit 1
fi
echo "Documentation built for: ${targets[*]}"
