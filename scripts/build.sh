#!/usr/bin/env bash
# Installs missing Debian packages, then configures and builds glassbox in Release into build/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
# ccache, where a developer installed it, shares compiled objects between worktrees; CI builds without it.
launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
[ -f "$root/build/CMakeCache.txt" ] || cmake -S "$root" -B "$root/build" "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" --parallel "$(nproc)" "$@"
