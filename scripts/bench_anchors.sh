#!/usr/bin/env bash
# glassbox bench beside llama.cpp's and ik_llama.cpp's llama-bench, one row at a time, back to back, and prints
# the markdown table of docs/quantization.md. Nothing is downloaded or built here:
#
#   scripts/bench_anchors.sh LLAMA_CPP_BUILD IK_LLAMA_CPP_BUILD GGUF_DIR [SHAPE[:REPS] ...]
#
# LLAMA_CPP_BUILD and IK_LLAMA_CPP_BUILD are the build folders of the anchors (bin/llama-bench inside; their
# commits are read from the checkout above them). GGUF_DIR holds SHAPE-bf16.gguf, SHAPE-q8_0.gguf and
# SHAPE-q4_0.gguf for every shape (scripts/synthetic_gguf.py, then llama-quantize). SHAPE is a bench
# --synthetic name; REPS its repetitions (default 3). Environment: WEIGHTS (default "bf16 q8 q4") picks the
# rows, THREADS (default 2), GLASSBOX (default build/src/cli/glassbox), RAW (a folder that keeps every
# tool's JSON; default a temporary one). Every tool runs -p 512 -n 128 with THREADS threads; ik_llama.cpp
# repacks Q8_0/Q4_0 rows at load (-rtr 1: its Q8_0_R8/Q4_0_R8 kernels). glassbox --fast computes bf16
# weights exactly as exact does (no bf16 fast kernel), so bf16 rows show one glassbox figure for both.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: scripts/bench_anchors.sh LLAMA_CPP_BUILD IK_LLAMA_CPP_BUILD GGUF_DIR [SHAPE[:REPS] ...]" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
llama=$1 ik=$2 gguf=$3
shift 3
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(smollm2-135m qwen2.5-0.5b llama3.2-1b llama3.2-3b:2 qwen3-8b:1)
threads=${THREADS:-2}
glassbox=${GLASSBOX:-$root/build/src/cli/glassbox}
raw=${RAW:-$(mktemp -d)}
mkdir -p "$raw"
for tool in "$glassbox" "$llama/bin/llama-bench" "$ik/bin/llama-bench"; do
  [ -x "$tool" ] || { echo "bench_anchors: $tool: not an executable (build it first)" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "bench_anchors: jq is needed to read the JSON results" >&2; exit 1; }
commit() { git -C "$1/.." rev-parse --short=7 HEAD 2>/dev/null || echo unknown; }

# "mean ± sd" of a JSON list's row whose n_prompt (pp) or n_gen (tg) is set.
figure() { jq -r --arg t "$2" '.[] | select(if $t == "pp" then .n_prompt > 0 else .n_gen > 0 end) | "\(.avg_ts) \(.stddev_ts)"' "$1" |
           awk '{ printf "%.1f ± %.1f", $1, $2 }'; }
mean() { jq -r --arg t "$2" '.[] | select(if $t == "pp" then .n_prompt > 0 else .n_gen > 0 end) | .avg_ts' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "llama.cpp $(commit "$llama"), ik_llama.cpp $(commit "$ik"), $threads threads, -p 512 -n 128, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "glassbox $(git -C "$root" rev-parse --short=7 HEAD), raw JSON in $raw"
echo
echo "| shape | weights (glassbox / GGUF) | reps | exact pp512 | exact tg128 | fast pp512 | fast tg128 | llama.cpp pp512 | llama.cpp tg128 | ik pp512 | ik tg128 | decode bound | exact tg / llama.cpp | fast tg / ik | fast pp / anchor |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for spec in "${shapes[@]}"; do
  shape=${spec%%:*} reps=3
  [ "$spec" = "$shape" ] || reps=${spec#*:}
  for w in ${WEIGHTS:-bf16 q8 q4}; do
    case $w in
      bf16) bits=0 file=bf16 label="bf16 / bf16" ;;
      q8) bits=8 file=q8_0 label="8-bit g64 / Q8_0" ;;
      q4) bits=4 file=q4_0 label="4-bit g64 / Q4_0" ;;
      *) echo "bench_anchors: WEIGHTS: unknown row $w (bf16, q8, q4)" >&2; exit 1 ;;
    esac
    model=$gguf/$shape-$file.gguf
    [ -f "$model" ] || { echo "bench_anchors: $model: missing (scripts/synthetic_gguf.py writes it)" >&2; exit 1; }
    base=$raw/$shape-$w
    "$glassbox" bench --synthetic "$shape" --q-bits $bits -p 512 -n 128 -r "$reps" --threads "$threads" --json > "$base-exact.json"
    if [ $bits -gt 0 ]; then
      "$glassbox" bench --synthetic "$shape" --q-bits $bits -p 512 -n 128 -r "$reps" --threads "$threads" --fast --json > "$base-fast.json"
    fi
    "$llama/bin/llama-bench" -m "$model" -p 512 -n 128 -r "$reps" -t "$threads" -o json > "$base-llama.json" 2> "$base-llama.log"
    repack=0
    [ $bits -eq 0 ] || repack=1
    "$ik/bin/llama-bench" -m "$model" -p 512 -n 128 -r "$reps" -t "$threads" -rtr $repack -o json > "$base-ik.json" 2> "$base-ik.log"

    bound=$(jq -r '.[0].read_bandwidth_gbs * 1e9 / .[0].decode_bytes_per_token' "$base-exact.json")
    gbs=$(jq -r '.[0].read_bandwidth_gbs' "$base-exact.json")
    fast=$base-fast.json fast_pp="= exact" fast_tg="= exact"
    if [ $bits -eq 0 ]; then fast=$base-exact.json; else fast_pp=$(figure "$fast" pp) fast_tg=$(figure "$fast" tg); fi
    anchor=$base-ik.json
    [ $bits -gt 0 ] || anchor=$base-llama.json  # the issue's pp target at bf16 is llama.cpp
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$shape" "$label" "$reps" \
      "$(figure "$base-exact.json" pp)" "$(figure "$base-exact.json" tg)" "$fast_pp" "$fast_tg" \
      "$(figure "$base-llama.json" pp)" "$(figure "$base-llama.json" tg)" "$(figure "$base-ik.json" pp)" "$(figure "$base-ik.json" tg)" \
      "$(awk -v b="$bound" -v g="$gbs" 'BEGIN { printf "%.*f (%.1f GB/s)", b < 10 ? 1 : 0, b, g }')" \
      "$(ratio "$(mean "$base-exact.json" tg)" "$(mean "$base-llama.json" tg)")" \
      "$(ratio "$(mean "$fast" tg)" "$(mean "$base-ik.json" tg)")" \
      "$(ratio "$(mean "$fast" pp)" "$(mean "$anchor" pp)")"
  done
done
