#!/usr/bin/env bash
# Benchmarks botapi side by side with frankenstein and teloxide-core and
# prints one table. See README.md beside this file.
#
#   ./run.sh                     everything: cold builds (minutes each), then the benches
#   ./run.sh --quick             skip the cold builds and cold checks
#   ./run.sh --botapi-rev REV    benchmark botapi as committed at REV (git archive)
#                                instead of the working tree of ../generated
#   ./run.sh --rounds N          run the runtime benches N times, keep the best (default 2)
#
# Scratch space (cold target dirs, logs, the table): $BENCH_WORK, default
# ./target/run. The table is also written to $BENCH_WORK/table.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
QUICK=0
REV=""
ROUNDS=2
while (($#)); do
    case $1 in
        --quick) QUICK=1 ;;
        --botapi-rev) REV=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

WORK=${BENCH_WORK:-$HERE/target/run}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
LOGS=$WORK/logs
rm -rf "$LOGS" "$WORK/kv"
mkdir -p "$LOGS" "$WORK/kv"
CORPUS=$HERE/corpus/updates.json
export CARGO_INCREMENTAL=0   # as for a crates.io dependency: path deps would otherwise build incrementally in dev
export CARGO_TERM_COLOR=never

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
load() { cut -d' ' -f1 /proc/loadavg; }
kv() { # kv FILE KEY -> value or empty
    sed -n "s/^$2=//p" "$WORK/kv/$1" 2>/dev/null | head -n1
}
put() { echo "$2=$3" >>"$WORK/kv/$1"; }

# ------------------------------------------------------------------- sources
# botapi is built from a snapshot taken now (the working tree, or REV), so
# edits made while the run goes on cannot mix into it; the bench workspace
# is copied beside it with its path dependency pointed at the snapshot.
SRC=$WORK/src
rm -rf "$SRC" "$WORK/botapi-src"
mkdir -p "$SRC" "$WORK/botapi-src"
if [[ -n $REV ]]; then
    git -C "$REPO" archive "$REV" | tar -x -C "$WORK/botapi-src"
    BOTAPI_DESC="botapi at $(git -C "$REPO" rev-parse --short "$REV") (git archive)"
else
    tar -C "$REPO" --exclude=target --exclude=./.git --exclude=./bench -c . | tar -x -C "$WORK/botapi-src"
    dirty=$(git -C "$REPO" status --porcelain -- generated Cargo.toml | wc -l)
    BOTAPI_DESC="botapi working tree at $(git -C "$REPO" rev-parse --short HEAD)$( ((dirty)) && echo " + $dirty uncommitted file(s) in generated/ and Cargo.toml" || true)"
fi
cp -r "$HERE"/{Cargo.toml,Cargo.lock,common,ab,botapi,frankenstein,teloxide,throughput} "$SRC"/
for crate in botapi ab throughput; do
    sed -i "s|path = \"../../generated\"|path = \"$WORK/botapi-src/generated\"|" "$SRC/$crate/Cargo.toml"
    grep -q "$WORK/botapi-src/generated" "$SRC/$crate/Cargo.toml" || { echo "could not point bench/$crate at the snapshot" >&2; exit 1; }
done
say "$BOTAPI_DESC"
say "fetching dependencies"
(cd "$SRC" && cargo fetch >"$LOGS/fetch.log" 2>&1)

# ---------------------------------------------------------------- contenders
# id | package | minimal-bot binary | cargo feature flags | TLS stack
CONFIGS=(
    "botapi-rustls|bench-botapi|botapi-bot||rustls, ring provider"
    "frankenstein|bench-frankenstein|frankenstein-bot||rustls, aws-lc-rs provider"
    "botapi-native|bench-botapi|botapi-bot|--no-default-features --features native-tls|native-tls (OpenSSL)"
    "teloxide|bench-teloxide|teloxide-bot||native-tls (OpenSSL)"
)

# timed LOG CMD... : run CMD, append "wall user+sys" seconds to $TIMED
timed() {
    local log=$1; shift
    local tf; tf=$(mktemp)
    if ! /usr/bin/time -f "%e %U %S" -o "$tf" "$@" >"$log" 2>&1; then
        echo "FAILED: $* (see $log)" >&2; tail -n 30 "$log" >&2; rm -f "$tf"; return 1
    fi
    TIMED=$(awk 'END { printf "%.1f %.1f", $1, $2 + $3 }' "$tf")
    rm -f "$tf"
}

# unit_times TIMINGS.html BOT_PACKAGE: seconds spent compiling the library
# crate and the bot crate, and when the library crate could start (all its
# dependencies done), from cargo's --timings report.
unit_times() {
    python3 - "$1" "$2" <<'PY' || true
import json, re, sys
html, bot = open(sys.argv[1]).read(), sys.argv[2]
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
libs = {"bench-botapi": "botapi", "bench-frankenstein": "frankenstein", "bench-teloxide": "teloxide-core"}
for u in units:
    if u["name"] == libs[bot] and u["target"] == "":
        print(f"lib_s={u['duration']:.1f}\nlib_start_s={u['start']:.1f}")
    if u["name"] == bot:
        print(f"bot_s={u['duration']:.1f}")
PY
}

size_of_bin() { # size_of_bin ID BINARY
    local bin=$2
    put "$1" bin_bytes "$(stat -c %s "$bin")"
    strip -o "$WORK/stripped-$1" "$bin"
    put "$1" bin_stripped_bytes "$(stat -c %s "$WORK/stripped-$1")"
    rm -f "$WORK/stripped-$1"
}

for cfg in "${CONFIGS[@]}"; do
    IFS='|' read -r id pkg bin feats tls <<<"$cfg"
    put "$id" tls "$tls"
    # shellcheck disable=SC2086
    if ((QUICK)); then
        say "$id: release build of the minimal bot (warm, for its size)"
        tgt=$WORK/warm
        [[ $id == botapi-native ]] && tgt=$WORK/warm-native
        CARGO_TARGET_DIR=$tgt timed "$LOGS/$id-build.log" \
            cargo build --release --offline --manifest-path "$SRC/Cargo.toml" -p "$pkg" --bin "$bin" $feats
        size_of_bin "$id" "$tgt/release/$bin"
        continue
    fi
    for what in build check; do
        tgt=$WORK/cold-$id-$what
        rm -rf "$tgt"
        l0=$(load)
        say "$id: cold cargo $what (load $l0)"
        if [[ $what == build ]]; then
            CARGO_TARGET_DIR=$tgt timed "$LOGS/$id-$what.log" \
                cargo build --release --offline --timings --manifest-path "$SRC/Cargo.toml" -p "$pkg" --bin "$bin" $feats
            size_of_bin "$id" "$tgt/release/$bin"
            put "$id" crates "$(grep -c '^ *Compiling ' "$LOGS/$id-$what.log" || true)"
            cp "$tgt"/cargo-timings/cargo-timing.html "$LOGS/$id-timings.html"
            unit_times "$LOGS/$id-timings.html" "$pkg" >>"$WORK/kv/$id"
        else
            CARGO_TARGET_DIR=$tgt timed "$LOGS/$id-$what.log" \
                cargo check --offline --manifest-path "$SRC/Cargo.toml" -p "$pkg" --bin "$bin" $feats
        fi
        read -r wall cpu <<<"$TIMED"
        put "$id" "${what}_wall" "$wall"
        put "$id" "${what}_cpu" "$cpu"
        put "$id" "${what}_load" "$l0-$(load)"
        say "$id: cold cargo $what: ${wall}s wall, ${cpu}s CPU (load $l0 -> $(load))"
        rm -rf "$tgt"
    done
done

# ------------------------------------------------------------ runtime benches
say "building the bench binaries (release, shared target)"
BT=$WORK/warm
for c in botapi frankenstein teloxide; do
    CARGO_TARGET_DIR=$BT timed "$LOGS/$c-bench-build.log" \
        cargo build --release --offline --manifest-path "$SRC/Cargo.toml" -p "bench-$c" --bin "$c-bench"
done
B() { "$BT/release/$1-bench" "${@:2}"; }
# The same serialize benches for all three in one process (see ab/).
CARGO_TARGET_DIR=$BT timed "$LOGS/ab-build.log" \
    cargo build --release --offline --manifest-path "$SRC/Cargo.toml" -p bench-ab --bin serialize-ab
AB=$BT/release/serialize-ab

# Which updates each contender parses; the benches use the ones all parse.
for c in botapi frankenstein teloxide; do
    B "$c" check "$CORPUS" >"$LOGS/$c-check.txt"
    awk -F'\t' '$1 == "ok" { print $2 }' "$LOGS/$c-check.txt" | sort -n >"$WORK/$c-ok.txt"
    total=$(grep -c . <(jq -c '.[]' "$CORPUS"))
    put "$c" parsed "$(wc -l <"$WORK/$c-ok.txt")/$total"
    put "$c" lossless "$(grep -c $'\tlossless$' "$LOGS/$c-check.txt" || true)"
    grep $'^fail\t' "$LOGS/$c-check.txt" | sed "s/^/$c: /" >&2 || true
done
comm -12 "$WORK/botapi-ok.txt" "$WORK/frankenstein-ok.txt" | comm -12 - "$WORK/teloxide-ok.txt" | sort -n >"$WORK/common-ok.txt"
if [[ $(wc -l <"$WORK/common-ok.txt") == "$total" ]]; then
    BENCH_CORPUS=$CORPUS
else
    BENCH_CORPUS=$WORK/corpus-common.json
    jq -c --slurpfile keep <(jq -s . "$WORK/common-ok.txt") '[. as $a | $keep[0][] | $a[.]]' "$CORPUS" >"$BENCH_CORPUS"
    say "only $(wc -l <"$WORK/common-ok.txt") of $total updates parse in every library: benchmarking on those ($BENCH_CORPUS)"
fi

# Every contender must send the same JSON for the two requests.
for c in botapi frankenstein teloxide; do
    B "$c" dump | jq -S -c . >"$WORK/$c-dump.json"
done
for c in frankenstein teloxide; do
    if ! cmp -s "$WORK/botapi-dump.json" "$WORK/$c-dump.json"; then
        say "WARNING: $c serializes the requests differently from botapi:"
        diff "$WORK/botapi-dump.json" "$WORK/$c-dump.json" >&2 || true
    fi
done

# Best of $ROUNDS interleaved rounds.
best() { # best ID KEY VALUE high|low
    local old; old=$(kv "$1" "$2")
    if [[ -z $old ]] || awk -v n="$3" -v o="$old" -v d="$4" 'BEGIN { exit !((d == "high") ? n > o : n < o) }'; then
        sed -i "/^$2=/d" "$WORK/kv/$1" 2>/dev/null || true
        put "$1" "$2" "$3"
    fi
}
for ((r = 1; r <= ROUNDS; r++)); do
    for c in botapi frankenstein teloxide; do
        say "round $r/$ROUNDS: $c benches (load $(load))"
        B "$c" bench "$BENCH_CORPUS" >"$LOGS/$c-bench-$r.txt"
        B "$c" rss "$BENCH_CORPUS" stream 2000 >"$LOGS/$c-rss-stream-$r.txt"
        B "$c" rss "$BENCH_CORPUS" hold 200 >"$LOGS/$c-rss-hold-$r.txt"
        while IFS='=' read -r k v; do
            case $k in
                parse_updates_per_s) best "$c" "$k" "$v" high ;;
                ser_message_ns|ser_audio_ns|validate_ns) best "$c" "$k" "$v" low ;;
                *_median|name) ;;
                *) sed -i "/^$k=/d" "$WORK/kv/$c" 2>/dev/null || true; put "$c" "$k" "$v" ;;
            esac
        done <"$LOGS/$c-bench-$r.txt"
        best "$c" rss_stream_kb "$(sed -n 's/^vmhwm_kb=//p' "$LOGS/$c-rss-stream-$r.txt")" low
        best "$c" rss_hold_kb "$(sed -n 's/^vmhwm_kb=//p' "$LOGS/$c-rss-hold-$r.txt")" low
        put "$c" rss_hold_updates "$(sed -n 's/^rss_held=//p' "$LOGS/$c-rss-hold-$r.txt")"
    done
    say "round $r/$ROUNDS: serialize-ab, all three in one process (load $(load))"
    BENCH_AB_CORPUS=$BENCH_CORPUS "$AB" 1 >"$LOGS/ab-$r.txt"
    # ab_<operation>_ns_<contender>=ns -> the contender's ab_<operation>_ns
    while IFS='=' read -r k v; do
        c=${k##*_ns_}
        best "$c" "${k%_"$c"}" "$v" low
    done < <(grep '^ab_' "$LOGS/ab-$r.txt")
done

# Instructions per operation (callgrind, when valgrind is installed): the
# difference between 1500 and 500 calls, so start-up cancels out. Unlike
# time, this does not move with the machine's load or the code's layout.
if command -v valgrind >/dev/null; then
    say "instruction counts (callgrind)"
    instr() { # instr CONTENDER OPERATION [N1 N2] -> instructions per call
        local n counts=() lo=${3:-500} hi=${4:-1500}
        for n in "$lo" "$hi"; do
            BENCH_AB_CORPUS=$BENCH_CORPUS valgrind --tool=callgrind --callgrind-out-file=/dev/null "$AB" count "$1" "$2" "$n" 2>"$LOGS/cg-$1-$2-$n.txt" >/dev/null
            counts+=("$(sed -n 's/.*Collected : //p' "$LOGS/cg-$1-$2-$n.txt")")
        done
        echo $(((counts[1] - counts[0]) / (hi - lo)))
    }
    for c in botapi frankenstein teloxide; do
        for op in ser_message ser_audio build_ser_message; do
            put "$c" "instr_$op" "$(instr "$c" "$op")"
        done
    done
    put botapi instr_validate_message "$(instr botapi validate_message)"
    # A batch is about a thousand times a request's work: fewer calls.
    for c in botapi frankenstein teloxide; do
        put "$c" instr_parse "$(instr "$c" parse 2 6)"
    done
else
    say "valgrind not found: no instruction counts"
fi

# --------------------------------------------------------------------- table
# Figures per column: botapi | frankenstein | teloxide-core. Build rows pair
# botapi with the peer on the same TLS stack; the other peer's cell is empty.
row() { # row LABEL DIR(low|high|none) TARGET BOTAPI FRANKENSTEIN TELOXIDE [FMT]
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "${7:-%.1f}"
}
mib() { [[ -n $1 ]] && awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }
kib_mib() { [[ -n $1 ]] && awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
us() { [[ -n $1 ]] && awk -v n="$1" 'BEGIN { printf "%.1f", n / 1000 }'; }
{
    if ((!QUICK)); then
        row "cold \`cargo build --release\`, rustls: wall s" low "≤ 0.80" "$(kv botapi-rustls build_wall)" "$(kv frankenstein build_wall)" ""
        row "cold \`cargo build --release\`, rustls: CPU s" low "≤ 0.80" "$(kv botapi-rustls build_cpu)" "$(kv frankenstein build_cpu)" ""
        row "… of which the library crate, rustls: s" low "" "$(kv botapi-rustls lib_s)" "$(kv frankenstein lib_s)" ""
        row "… of which the minimal bot crate, rustls: s" low "" "$(kv botapi-rustls bot_s)" "$(kv frankenstein bot_s)" ""
        row "cold \`cargo check\`, rustls: wall s" low "" "$(kv botapi-rustls check_wall)" "$(kv frankenstein check_wall)" ""
        row "cold \`cargo build --release\`, native-tls: wall s" low "≤ 0.80" "$(kv botapi-native build_wall)" "" "$(kv teloxide build_wall)"
        row "cold \`cargo build --release\`, native-tls: CPU s" low "≤ 0.80" "$(kv botapi-native build_cpu)" "" "$(kv teloxide build_cpu)"
        row "… of which the library crate, native-tls: s" low "" "$(kv botapi-native lib_s)" "" "$(kv teloxide lib_s)"
        row "… of which the minimal bot crate, native-tls: s" low "" "$(kv botapi-native bot_s)" "" "$(kv teloxide bot_s)"
        row "cold \`cargo check\`, native-tls: wall s" low "" "$(kv botapi-native check_wall)" "" "$(kv teloxide check_wall)"
        row "crates compiled, rustls" low "" "$(kv botapi-rustls crates)" "$(kv frankenstein crates)" "" "%d"
        row "crates compiled, native-tls" low "" "$(kv botapi-native crates)" "" "$(kv teloxide crates)" "%d"
    fi
    row "minimal bot binary, rustls: MiB" low "≤ 1.00" "$(mib "$(kv botapi-rustls bin_bytes)")" "$(mib "$(kv frankenstein bin_bytes)")" "" "%.2f"
    row "minimal bot binary stripped, rustls: MiB" low "≤ 1.00" "$(mib "$(kv botapi-rustls bin_stripped_bytes)")" "$(mib "$(kv frankenstein bin_stripped_bytes)")" "" "%.2f"
    row "minimal bot binary, native-tls: MiB" low "≤ 1.00" "$(mib "$(kv botapi-native bin_bytes)")" "" "$(mib "$(kv teloxide bin_bytes)")" "%.2f"
    row "minimal bot binary stripped, native-tls: MiB" low "≤ 1.00" "$(mib "$(kv botapi-native bin_stripped_bytes)")" "" "$(mib "$(kv teloxide bin_stripped_bytes)")" "%.2f"
    row "parse getUpdates batch: updates/s" high "≥ 2.00" "$(kv botapi parse_updates_per_s)" "$(kv frankenstein parse_updates_per_s)" "$(kv teloxide parse_updates_per_s)" "%.0f"
    row "parse: allocations per update" low "" "$(kv botapi allocs_per_update)" "$(kv frankenstein allocs_per_update)" "$(kv teloxide allocs_per_update)"
    row "parse: heap bytes allocated per update" low "" "$(kv botapi alloc_bytes_per_update)" "$(kv frankenstein alloc_bytes_per_update)" "$(kv teloxide alloc_bytes_per_update)" "%.0f"
    row "parse: heap bytes kept per parsed update" low "" "$(kv botapi retained_bytes_per_update)" "$(kv frankenstein retained_bytes_per_update)" "$(kv teloxide retained_bytes_per_update)" "%.0f"
    row "peak RSS, parse+drop 2000 batches: MiB" low "" "$(kib_mib "$(kv botapi rss_stream_kb)")" "$(kib_mib "$(kv frankenstein rss_stream_kb)")" "$(kib_mib "$(kv teloxide rss_stream_kb)")"
    row "peak RSS, $(kv botapi rss_hold_updates) updates held: MiB" low "" "$(kib_mib "$(kv botapi rss_hold_kb)")" "$(kib_mib "$(kv frankenstein rss_hold_kb)")" "$(kib_mib "$(kv teloxide rss_hold_kb)")"
    row "serialize sendMessage + inline keyboard: ns" low "≤ 1.00" "$(kv botapi ser_message_ns)" "$(kv frankenstein ser_message_ns)" "$(kv teloxide ser_message_ns)"
    row "serialize sendAudio (file_id): ns" low "≤ 1.00" "$(kv botapi ser_audio_ns)" "$(kv frankenstein ser_audio_ns)" "$(kv teloxide ser_audio_ns)"
    row "validate() sendMessage: ns (ratio: ÷ its serialize)" validate "< 5%" "$(kv botapi validate_ns)" "" ""
    row "one process (serialize-ab): serialize sendMessage: ns" low "≤ 1.00" "$(kv botapi ab_ser_message_ns)" "$(kv frankenstein ab_ser_message_ns)" "$(kv teloxide ab_ser_message_ns)"
    row "one process: serialize sendAudio: ns" low "≤ 1.00" "$(kv botapi ab_ser_audio_ns)" "$(kv frankenstein ab_ser_audio_ns)" "$(kv teloxide ab_ser_audio_ns)"
    row "one process: build + serialize sendMessage: ns" low "≤ 1.00" "$(kv botapi ab_build_ser_message_ns)" "$(kv frankenstein ab_build_ser_message_ns)" "$(kv teloxide ab_build_ser_message_ns)"
    row "one process: parse getUpdates batch: µs" low "≤ 0.50" "$(us "$(kv botapi ab_parse_ns)")" "$(us "$(kv frankenstein ab_parse_ns)")" "$(us "$(kv teloxide ab_parse_ns)")"
    row "instructions: serialize sendMessage" low "≤ 1.00" "$(kv botapi instr_ser_message)" "$(kv frankenstein instr_ser_message)" "$(kv teloxide instr_ser_message)" "%d"
    row "instructions: serialize sendAudio" low "≤ 1.00" "$(kv botapi instr_ser_audio)" "$(kv frankenstein instr_ser_audio)" "$(kv teloxide instr_ser_audio)" "%d"
    row "instructions: build + serialize sendMessage" low "≤ 1.00" "$(kv botapi instr_build_ser_message)" "$(kv frankenstein instr_build_ser_message)" "$(kv teloxide instr_build_ser_message)" "%d"
    row "instructions: parse getUpdates batch" low "≤ 0.50" "$(kv botapi instr_parse)" "$(kv frankenstein instr_parse)" "$(kv teloxide instr_parse)" "%d"
    row "instructions: validate() sendMessage (ratio: ÷ its serialize)" validate_instr "" "$(kv botapi instr_validate_message)" "" "" "%d"
    row "size_of::<Update>(): bytes" low "" "$(kv botapi size_update)" "$(kv frankenstein size_update)" "$(kv teloxide size_update)" "%d"
    row "size_of::<Message>(): bytes" low "" "$(kv botapi size_message)" "$(kv frankenstein size_message)" "$(kv teloxide size_message)" "%d"
    row "corpus updates parsed" none "" "$(kv botapi parsed)" "$(kv frankenstein parsed)" "$(kv teloxide parsed)" "%s"
    row "parsed updates that serialize back unchanged" none "" "$(kv botapi lossless)" "$(kv frankenstein lossless)" "$(kv teloxide lossless)" "%s"
} >"$WORK/rows.tsv"

ser_msg=$(kv botapi ser_message_ns)
ser_instr=$(kv botapi instr_ser_message)
{
    echo "| figure | botapi | frankenstein 0.52.1 | teloxide-core 0.13.0 | botapi ÷ best peer | target | met |"
    echo "|---|---:|---:|---:|---:|---|---|"
    awk -F'\t' -v ser="$ser_msg" -v ser_instr="$ser_instr" '
    function fmt(v, f) { return v == "" ? "—" : sprintf(f, v) }
    {
        label = $1; dir = $2; target = $3; b = $4; f = $5; t = $6; form = $7
        ratio = ""; met = ""
        if (dir == "low" || dir == "high") {
            best = ""
            if (f != "") best = f
            if (t != "" && (best == "" || (dir == "low" ? t + 0 < best + 0 : t + 0 > best + 0))) best = t
            if (b != "" && best != "" && best + 0 != 0) ratio = sprintf("%.2f", b / best)
            if (ratio != "" && target != "") {
                split(target, tp, " ")
                ok = (tp[1] == "≤") ? (ratio + 0 <= tp[2] + 0) : (ratio + 0 >= tp[2] + 0)
                met = ok ? "yes" : "**no**"
            }
        } else if (dir == "validate" && b != "" && ser + 0 > 0) {
            ratio = sprintf("%.1f%%", 100 * b / ser)
            met = (100 * b / ser < 5) ? "yes" : "**no**"
        } else if (dir == "validate_instr" && b != "" && ser_instr + 0 > 0) {
            ratio = sprintf("%.1f%%", 100 * b / ser_instr)
        }
        printf "| %s | %s | %s | %s | %s | %s | %s |\n", label, fmt(b, form), fmt(f, form), fmt(t, form), (ratio == "" ? "" : ratio), target, met
    }' "$WORK/rows.tsv"
} >"$WORK/table.md"

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(rustc --version)"
    echo "contenders: $BOTAPI_DESC; frankenstein 0.52.1 (client-reqwest); teloxide-core 0.13.0 (default features)"
    echo "TLS: botapi default = $(kv botapi-rustls tls) vs frankenstein = $(kv frankenstein tls); botapi --features native-tls vs teloxide-core = $(kv teloxide tls)"
    echo "bench corpus: $BENCH_CORPUS ($(jq length "$BENCH_CORPUS") updates); runtime figures: best of $ROUNDS rounds; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    cat "$WORK/table.md"
}
