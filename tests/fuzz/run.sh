#!/bin/sh
# run.sh - run the libFuzzer harnesses built by "make fuzz".
#
#   sh tests/fuzz/run.sh [seconds [target...]]
#
# Each target runs alone (one job) for the given seconds (default 60),
# starting from its seed corpus in tests/fuzz/corpus/<target>/; new inputs
# go to build-fuzz/corpus/<target>/ so the seeds in git stay small. With
# 0 seconds every target only replays its seeds once (a smoke test of a
# few seconds). Crash, leak and timeout inputs are written to
# build-fuzz/findings/. The exit status is non-zero if any target failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-$(cd "$top/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')}
status=0
mkdir -p "$top/build-fuzz/findings"
for t in $targets; do
    bin=$top/build-fuzz/fuzz/$t
    seeds=$top/tests/fuzz/corpus/$t
    [ -x "$bin" ] || { echo "$t: not built (run make fuzz)" >&2; status=1; continue; }
    if [ "$secs" -eq 0 ]; then
        "$bin" -runs=0 "$seeds" >"$top/build-fuzz/findings/$t.log" 2>&1 || {
            echo "$t: FAILED on its seeds, see build-fuzz/findings/$t.log" >&2; status=1; }
        continue
    fi
    work=$top/build-fuzz/corpus/$t
    mkdir -p "$work"
    echo "== $t: $secs s" >&2
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -artifact_prefix="$top/build-fuzz/findings/$t-" -print_final_stats=1 \
        "$work" "$seeds" >"$top/build-fuzz/findings/$t.log" 2>&1 || {
        echo "$t: FAILED, see build-fuzz/findings/$t.log" >&2; status=1; }
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$top/build-fuzz/findings/$t.log" >&2
done
exit $status
