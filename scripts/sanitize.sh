#!/usr/bin/env bash
# Builds glassbox with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/ and runs the whole suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGLASSBOX_SANITIZE=ON >/dev/null
cmake --build "$root/build-asan" --parallel "$(nproc)"
export GLASSBOX_SHARED="${GLASSBOX_SHARED:-$root/../shared}"
# fontconfig keeps its parsed configuration for the life of the process; that is not our leak.
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cd "$root/build-asan" && ctest --output-on-failure --parallel "$(nproc)" --timeout 1800
