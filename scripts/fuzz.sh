#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/*_fuzz.cpp) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz/, then runs each for SECONDS (default 60), at most JOBS at a time
# (default: the number of cores). Each starts from its committed seeds (tests/fuzz/corpus/NAME) plus what earlier
# runs found (build-fuzz/corpus/NAME). A crash, a sanitizer report, an input slower than 10 s or a run past
# 2 GB fails the script; the input is kept as build-fuzz/findings/NAME-crash-* (replay: build-fuzz/tests/fuzz/NAME_fuzz FILE).
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
jobs="${JOBS:-$(nproc)}"
build="$root/build-fuzz"
"$root/scripts/install-deps.sh" --fuzz
if [ ! -f "$build/CMakeCache.txt" ]; then
  CXX=clang++ CC=clang cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGLASSBOX_FUZZ=ON -DGLASSBOX_TESTS=OFF >/dev/null
fi
start=$(date +%s)
cmake --build "$build" --target fuzzers --parallel "$(nproc)"
echo "fuzzers built in $(( $(date +%s) - start )) s"
export GLASSBOX_SHARED="${GLASSBOX_SHARED:-$root/../shared}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# fontconfig and OpenMP keep allocations for the life of the process; not ours.
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0"
mkdir -p "$build/findings" "$build/logs"

run_one() {
  local name="$1" exe="$2"
  local seeds="$root/tests/fuzz/corpus/$name" work="$build/corpus/$name"
  local dict=() ; [ -f "$root/tests/fuzz/$name.dict" ] && dict=(-dict="$root/tests/fuzz/$name.dict")
  mkdir -p "$work" "$seeds"
  if "$exe" "$work" "$seeds" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/findings/$name-" >"$build/logs/$name.log" 2>&1; then
    local execs speed
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/logs/$name.log" | grep -o '[0-9]*$' || echo "?")
    speed=$(grep -o 'exec/s: *[0-9]*' "$build/logs/$name.log" | tail -1 | grep -o '[0-9]*$' || echo "?")
    echo "$name: ok, $execs runs in ${seconds} s ($speed/s), corpus $(ls "$work" | wc -l) inputs"
  else
    echo "$name: FAILED, see $build/logs/$name.log and $build/findings/"
    tail -n 40 "$build/logs/$name.log"
    return 1
  fi
}

status=0
pids=()
names=()
for exe in "$build"/tests/fuzz/*_fuzz; do
  name="$(basename "$exe" _fuzz)"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
  run_one "$name" "$exe" &
  pids+=($!)
  names+=("$name")
done
for i in "${!pids[@]}"; do wait "${pids[$i]}" || status=1; done
exit $status
