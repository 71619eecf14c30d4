#!/usr/bin/env bash
# Runs one numbered lesson, building it first: scripts/lesson.sh 01 [lesson flags...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
number="${1:?usage: scripts/lesson.sh NN [flags]}"; shift
"$root/scripts/build.sh" >/dev/null
exe=$(find "$root/build/lessons" -maxdepth 1 -type f -executable -name "${number}_*" | head -n 1)
[ -n "$exe" ] || { echo "error: no lesson numbered $number" >&2; exit 2; }
cd "$root" && exec "$exe" "$@"
