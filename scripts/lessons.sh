#!/usr/bin/env bash
# Runs every lesson in order, on the default model (or pass flags through, e.g. --model DIR).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/build.sh" >/dev/null
cd "$root"
for exe in $(find build/lessons -maxdepth 1 -type f -executable -name '[0-9][0-9]_*' | sort); do
  echo "=============== $(basename "$exe") ==============="
  "$exe" "$@"
done
