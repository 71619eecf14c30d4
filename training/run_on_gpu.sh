#!/usr/bin/env bash
# The whole demo-model build on one GPU machine: a smoke run of every script on a tiny model first (so a bug
# stops the run in seconds), then tokenizer + model training, samples and head analysis, parity reference.
# Usage: training/run_on_gpu.sh CORPUS_DIR OUT_DIR [extra train_demo.py flags, e.g. --steps N]
set -euo pipefail
export PYTHONUNBUFFERED=1
corpus=$1 out=$2
shift 2
python3 -c 'import torch, transformers, tokenizers, safetensors; print("torch", torch.__version__, "transformers", transformers.__version__, "tokenizers", tokenizers.__version__, torch.cuda.get_device_name())'
if [[ "${SMOKE:-1}" == 1 ]]; then
  smoke=$(mktemp -d)
  python3 training/train_demo.py --corpus "$corpus" --out "$smoke" --smoke
  python3 training/analyze_demo.py "$smoke" "$smoke/report.json"
  python3 training/make_reference.py "$smoke"
  echo "smoke run passed"
fi
python3 training/train_demo.py --corpus "$corpus" --out "$out" "$@"
python3 training/analyze_demo.py "$out" "$out/report.json"
python3 training/make_reference.py "$out"
ls -la "$out"
