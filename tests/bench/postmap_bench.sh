#!/bin/sh
# postmap_bench.sh - build a large table and time builds and lookups.
#
# Usage: sh tests/bench/postmap_bench.sh [build-dir] [lines]
# Defaults: build, 1000000 lines. Not part of "make test"; prints timings.
set -e
build=${1:-build}
lines=${2:-1000000}
bin=$(cd "$build/bin" && pwd)
dir=$(mktemp -d /tmp/postmap_bench.XXXXXX)
trap 'rm -rf "$dir"' 0 1 2 15
printf 'compatibility_level = 3.6\n' > "$dir/main.cf"

awk -v n="$lines" 'BEGIN { for (i = 1; i <= n; i++) printf "user%d@example%d.com relay:[mx%d.example.com]\n", i, i % 1000, i % 7 }' > "$dir/map"
awk -v n="$lines" 'BEGIN { srand(1); for (i = 1; i <= 100000; i++) { k = int(rand() * n * 1.1); printf "user%d@example%d.com\n", k, k % 1000 } }' > "$dir/keys"

t() { start=$(date +%s.%N); "$@"; end=$(date +%s.%N); echo "$end - $start" | bc; }

for type in hash btree; do
    s=$(t "$bin/postmap" -c "$dir" "$type:$dir/map")
    size=$(stat -c %s "$dir/map.db")
    echo "$type: build $lines entries: ${s}s, file $size bytes"
    s=$(t sh -c "'$bin/postmap' -c '$dir' -q - '$type:$dir/map' < '$dir/keys' > '$dir/found'")
    echo "$type: 100000 lookups via -q -: ${s}s, $(wc -l < "$dir/found") found"
    s=$(t sh -c "'$bin/postmap' -c '$dir' -s '$type:$dir/map' > /dev/null")
    echo "$type: dump: ${s}s"
done
