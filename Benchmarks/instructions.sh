#!/usr/bin/env bash
# Instructions per engine operation, counted by valgrind (callgrind): the same on a busy machine as
# on a quiet one, unlike the wall clock. Each scenario runs 1,000 and 11,000 times; the difference
# divided by 10,000 is the cost of one operation, without the process's start-up.
#
#     Benchmarks/instructions.sh [SCENARIO…]      # default: every scenario
set -euo pipefail
cd "$(dirname "$0")"
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
swift build -c release --product EngineInstructions >/dev/null
binary="$(swift build -c release --show-bin-path)/EngineInstructions"

count() {  # scenario, iterations → instructions collected
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$binary" "$1" "$2" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

if [ "$#" -eq 0 ]; then
    set -- $("$binary" list 0 2>/dev/null | sed -n 's/^  //p' || true)
fi
printf '%-45s %12s\n' "scenario" "instr/op"
for scenario in "$@"; do
    low=$(count "$scenario" 1000)
    high=$(count "$scenario" 11000)
    printf '%-45s %12d\n' "$scenario" $(( (high - low) / 10000 ))
done
