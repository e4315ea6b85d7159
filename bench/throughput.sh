#!/usr/bin/env bash
# Client throughput: sendMessage to a local mock Bot API server through
# botapi, frankenstein and teloxide-core, with 1, 16 and 64 requests in
# flight; prints requests/s and p50/p99 latency (median over the rounds).
# See README.md ("Client throughput") beside this file.
#
#   ./throughput.sh                       5 rounds of 20000 requests per level
#   ./throughput.sh --rounds N            rounds (contenders interleaved, order rotated)
#   ./throughput.sh --requests N          timed requests per level (default 20000)
#   ./throughput.sh --warmup N            warm-up requests per level (default 2000)
#   ./throughput.sh --in-flight 1,16,64   concurrency levels
#   ./throughput.sh --server-threads N    mock server runtime threads (default 1)
#   ./throughput.sh --no-build            use the binaries already in target/release
#   ./throughput.sh --instructions        also count the client's instructions per
#                                         request under callgrind (one at a time;
#                                         repeatable where timings are not)
#
# botapi is built from the working tree of ../generated. Raw lines and the
# table go to $BENCH_WORK/throughput (default ./target/run/throughput).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
ROUNDS=5
REQUESTS=20000
WARMUP=2000
LEVELS=1,16,64
SERVER_THREADS=1
BUILD=1
INSTRUCTIONS=0
while (($#)); do
    case $1 in
        --rounds) ROUNDS=$2; shift ;;
        --requests) REQUESTS=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --in-flight) LEVELS=$2; shift ;;
        --server-threads) SERVER_THREADS=$2; shift ;;
        --no-build) BUILD=0 ;;
        --instructions) INSTRUCTIONS=1 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

OUT=${BENCH_WORK:-$HERE/target/run}/throughput
mkdir -p "$OUT"
RAW=$OUT/raw.txt
: >"$RAW"
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if ((BUILD)); then
    say "building bench-throughput (release)"
    (cd "$HERE" && cargo build --release -p bench-throughput >"$OUT/build.log" 2>&1) \
        || { tail -n 30 "$OUT/build.log" >&2; exit 1; }
fi
BIN=$HERE/target/release
dirty=$(git -C "$REPO" status --porcelain -- generated Cargo.toml | wc -l)
say "botapi working tree at $(git -C "$REPO" rev-parse --short HEAD)$( ((dirty)) && echo " + $dirty uncommitted file(s) in generated/ and Cargo.toml")"

"$BIN/mock-bot-api" --threads "$SERVER_THREADS" >"$OUT/server.out" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    grep -q '^listening on ' "$OUT/server.out" 2>/dev/null && break
    sleep 0.1
done
ADDR=$(sed -n 's/^listening on //p' "$OUT/server.out")
[[ -n $ADDR ]] || { echo "the mock server did not start" >&2; cat "$OUT/server.out" >&2; exit 1; }
say "mock server on $ADDR ($SERVER_THREADS thread(s)), load $(cut -d' ' -f1-3 /proc/loadavg)"

server_cpu() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; } # clock ticks

LIBS=(botapi frankenstein teloxide)
for ((r = 1; r <= ROUNDS; r++)); do
    for ((k = 0; k < ${#LIBS[@]}; k++)); do
        lib=${LIBS[$(((k + r - 1) % ${#LIBS[@]}))]}
        s0=$(server_cpu)
        "$BIN/throughput" --lib "$lib" --url "http://$ADDR" --in-flight "$LEVELS" \
            --requests "$REQUESTS" --warmup "$WARMUP" | sed "s/^/round=$r /" | tee -a "$RAW" >&2
        s1=$(server_cpu)
        echo "round=$r lib=$lib server_cpu_s=$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", (b - a) / 100 }')" >>"$RAW"
    done
    say "round $r of $ROUNDS done (load $(cut -d' ' -f1 /proc/loadavg))"
done

# Instructions per request: the client under callgrind (user space only,
# all threads), 1000 and then 4000 requests one at a time; the difference
# over 3000 leaves out start-up, the warm-up and the allocation count.
if ((INSTRUCTIONS)); then
    for lib in "${LIBS[@]}"; do
        ir=()
        for n in 1000 4000; do
            valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$lib.$n" \
                "$BIN/throughput" --lib "$lib" --url "http://$ADDR" --in-flight 1 \
                --requests "$n" --warmup 100 >/dev/null 2>"$OUT/callgrind.$lib.$n.log"
            ir+=("$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$OUT/callgrind.$lib.$n.log")")
        done
        echo "lib=$lib instructions_per_req=$(((ir[1] - ir[0]) / 3000))" | tee -a "$RAW" >&2
    done
fi

python3 - "$RAW" "$OUT/table.md" <<'PY'
import statistics, sys
from collections import defaultdict
rows = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1]) if "rps=" in line]
libs = ["botapi", "frankenstein", "teloxide"]
names = {"botapi": "botapi", "frankenstein": "frankenstein 0.52.1", "teloxide": "teloxide-core 0.13.0"}
by = defaultdict(list)
for r in rows:
    by[(r["lib"], int(r["in_flight"]))].append(r)
levels = sorted({k[1] for k in by})
med = lambda lib, n, f: statistics.median(float(r[f]) for r in by[(lib, n)])
out = []
out.append("| in flight | figure | " + " | ".join(names[l] for l in libs) + " | botapi ÷ best peer |")
out.append("|---:|---|" + "---:|" * (len(libs) + 1))
for n in levels:
    for f, label, best in [("rps", "requests/s", max), ("p50_us", "p50 µs", min),
                           ("p99_us", "p99 µs", min), ("cpu_us_per_req", "client CPU µs/request", min)]:
        vals = {l: med(l, n, f) for l in libs if by[(l, n)]}
        peer = best(v for l, v in vals.items() if l != "botapi")
        cells = [f"{vals[l]:.0f}" if f == "rps" else f"{vals[l]:.1f}" for l in libs]
        out.append(f"| {n} | {label} | " + " | ".join(cells) + f" | {vals['botapi'] / peer:.2f} |")
extra = {}
for line in open(sys.argv[1]):
    d = dict(kv.split("=", 1) for kv in line.split())
    for f in ("allocs_per_req", "alloc_bytes_per_req", "instructions_per_req"):
        if f in d:
            extra.setdefault(f, {})[d["lib"]] = float(d[f])
labels = {"allocs_per_req": "allocations per request", "alloc_bytes_per_req": "bytes allocated per request",
          "instructions_per_req": "client instructions per request (callgrind)"}
for f, vals in extra.items():
    if all(l in vals for l in libs):
        peer = min(vals[l] for l in libs if l != "botapi")
        out.append(f"| 1 | {labels[f]} | " + " | ".join(f"{vals[l]:.0f}" for l in libs) + f" | {vals['botapi'] / peer:.2f} |")
out.append("")
out.append("Spread of requests/s over the rounds (min–max):")
out.append("")
for n in levels:
    parts = []
    for l in libs:
        v = [float(r["rps"]) for r in by[(l, n)]]
        parts.append(f"{l} {min(v):.0f}–{max(v):.0f}")
    out.append(f"- {n} in flight: " + ", ".join(parts))
text = "\n".join(out) + "\n"
open(sys.argv[2], "w").write(text)
print(text)
PY
