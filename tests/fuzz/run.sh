#!/usr/bin/env bash
# Fuzz the parsers and encoders that see hostile input (see README.md).
#
#   ./run.sh smoke        every target for 30 s (FUZZ_SECONDS to change)
#   ./run.sh long         every target for 10 min
#   ./run.sh TARGET [S]   one target for S seconds (default 600)
#   ./run.sh build        only build the instrumented targets
#
# FUZZ_JOBS=2 runs two targets at a time. FUZZ_SEEDS=DIR adds DIR/TARGET/
# (when it exists) as extra read-only seeds, e.g. corpora kept outside the
# repository. New corpus entries go to corpus/TARGET, crashes to
# artifacts/TARGET, logs to logs/ (all ignored by git).
set -euo pipefail
cd "$(dirname "$0")"

TARGETS=(schema_load import_paulson import_aiogram reply_envelope update multipart)
mode=${1:-smoke}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz is not installed; skipping."
  echo "fuzz: install it with 'cargo install cargo-fuzz', then run: tests/fuzz/run.sh $mode"
  exit 0
fi

# cargo-fuzz passes nightly-only flags (-Zsanitizer, -Cpasses=sancov...);
# the stable toolchain accepts them with RUSTC_BOOTSTRAP. Everything fuzzed
# is safe Rust, so no sanitizer: overflow checks and debug assertions stay on.
export RUSTC_BOOTSTRAP=1
BUILD=(--fuzz-dir . -s none --debug-assertions)

seeds_of() {
  case $1 in
    schema_load) echo ../../codegen/tests/fixtures/mini ../../codegen/tests/fixtures/obstacle ;;
    import_paulson | import_aiogram) echo ../../codegen/tests/fixtures/upstream ;;
    reply_envelope | update) echo "seeds/$1" ;;
    multipart) ;;
  esac
  if [ -n "${FUZZ_SEEDS:-}" ] && [ -d "$FUZZ_SEEDS/$1" ]; then echo "$FUZZ_SEEDS/$1"; fi
}

run_one() { # target seconds
  local t=$1 secs=$2 dict=()
  [ "$t" = multipart ] || dict=(-dict=json.dict)
  mkdir -p "corpus/$t" logs
  # shellcheck disable=SC2046
  if cargo fuzz run "${BUILD[@]}" "$t" "corpus/$t" $(seeds_of "$t") -- \
    -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 -max_len=16384 \
    -print_final_stats=1 "${dict[@]}" >"logs/$t.log" 2>&1; then
    echo "fuzz: $t: ok, $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$') runs in ${secs}s"
  else
    echo "fuzz: $t: FAILED (see tests/fuzz/logs/$t.log and artifacts/$t/):"
    grep -m5 -E 'panicked|ERROR|SUMMARY|Test unit written' "logs/$t.log" || tail -20 "logs/$t.log"
    return 1
  fi
}

case $mode in
  build) cargo fuzz build "${BUILD[@]}"; exit 0 ;;
  smoke) secs=${FUZZ_SECONDS:-30}; list=("${TARGETS[@]}") ;;
  long) secs=${FUZZ_SECONDS:-600}; list=("${TARGETS[@]}") ;;
  *)
    if [[ " ${TARGETS[*]} " != *" $mode "* ]]; then
      echo "usage: $0 smoke|long|build|TARGET [SECONDS]  (targets: ${TARGETS[*]})" >&2
      exit 2
    fi
    secs=${2:-600}; list=("$mode") ;;
esac

echo "fuzz: building ${#list[@]} target(s)"
cargo fuzz build "${BUILD[@]}"
failed=0
jobs=${FUZZ_JOBS:-1}
pids=()
for t in "${list[@]}"; do
  run_one "$t" "$secs" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=$((failed + 1))
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
echo "fuzz: ${#list[@]} target(s), $failed with a crash"
[ "$failed" -eq 0 ]
