#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for SECONDS (default 30) on a fresh copy of its
# seed corpus (Corpus/<target>/), then prints, per target: runs, coverage (cov: edges, ft:
# features), corpus size and crashes. Exits 1 when any target crashed (an invariant broke, or
# ASan, a timeout or the RSS limit fired); the inputs are kept under .build/fuzz-artifacts/.
#
# Usage: Fuzz/run.sh [SECONDS] [TARGET...]
#   TARGET: FuzzRequestHeaders FuzzOrigins FuzzPolicyJSON FuzzBrowserResponse (default: all)
# Environment: RSS_LIMIT_MB (2048), UNIT_TIMEOUT (10 s per input), NICE (10). Logs go to
# .build/fuzz-logs/<target>.log.
#
# The build flags are the ones that work with SwiftPM on Linux: `--sanitize=fuzzer` makes
# SwiftPM link libFuzzer's own main (it otherwise renames `main` for testable executables and
# the link fails), and `-Xswiftc -sanitize=fuzzer,address` then turns on coverage and ASan in
# one flag (two separate `-sanitize=` flags do not add up: the last one wins, leaving the code
# without coverage). `-parse-as-library` because the targets have no top-level code.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-30}"
[ $# -gt 0 ] && shift
all_targets=(FuzzRequestHeaders FuzzOrigins FuzzPolicyJSON FuzzBrowserResponse)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
rss_limit="${RSS_LIMIT_MB:-2048}"
unit_timeout="${UNIT_TIMEOUT:-10}"
niceness="${NICE:-10}"

build_flags=(-c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
for target in "${targets[@]}"; do
    echo "Building $target…" >&2
    nice -n "$niceness" swift build "${build_flags[@]}" --product "$target" >&2
done
bin="$(swift build "${build_flags[@]}" --show-bin-path)"

# Swift's own crash backtracer runs inside the crashing process and trips ASan; libFuzzer
# reports crashes itself.
export SWIFT_BACKTRACE=enable=no

max_len() {
    case "$1" in
        FuzzRequestHeaders) echo 10000 ;;  # past the 4096-byte ACRH limit
        FuzzPolicyJSON) echo 8192 ;;
        *) echo 4096 ;;
    esac
}

logs=".build/fuzz-logs"
mkdir -p "$logs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
summary=()
for target in "${targets[@]}"; do
    artifacts=".build/fuzz-artifacts/$target"
    mkdir -p "$artifacts" "$work/$target"
    cp -R "Corpus/$target/." "$work/$target/"
    dict=()
    [ -f "Dictionaries/$target.dict" ] && dict=(-dict="Dictionaries/$target.dict")
    log="$logs/$target.log"
    before=$(find "$artifacts" -type f | wc -l)
    echo "Running $target for ${seconds}s…" >&2
    status=0
    nice -n "$niceness" "$bin/$target" -max_total_time="$seconds" -rss_limit_mb="$rss_limit" \
        -timeout="$unit_timeout" -max_len="$(max_len "$target")" -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "${dict[@]}" "$work/$target" >"$log" 2>&1 || status=$?
    after=$(find "$artifacts" -type f | wc -l)
    crashes=$((after - before))
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi  # died without an artifact
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
    cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' || true)
    ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*' || true)
    corp=$(echo "$last" | grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' | cut -d' ' -f2 || true)
    rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    line=$(printf '%-20s runs: %-9s (%s/s) cov: %-5s ft: %-6s corpus: %-11s peak RSS: %s MB  crashes: %s' \
        "$target" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}" "$crashes")
    summary+=("$line")
    if [ "$crashes" -ne 0 ]; then
        failed=1
        grep -E 'INVARIANT VIOLATED|ERROR: |Test unit written|SUMMARY' "$log" | head -5 >&2 || true
        echo "  log: Fuzz/$log; inputs: Fuzz/$artifacts/" >&2
    fi
done

echo "Fuzzing, ${seconds}s per target ($(date -u +%Y-%m-%d)):"
printf '%s\n' "${summary[@]}"
exit "$failed"
