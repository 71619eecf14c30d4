#!/usr/bin/env bash
# Installs missing Debian packages, then configures and builds glassbox in Release into build/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
[ -f "$root/build/CMakeCache.txt" ] || cmake -S "$root" -B "$root/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" --parallel "$(nproc)" "$@"
