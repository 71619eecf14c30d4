#!/usr/bin/env bash
# Builds glassbox (Release) and runs the whole test suite against ../shared (or $GLASSBOX_SHARED).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/build.sh"
export GLASSBOX_SHARED="${GLASSBOX_SHARED:-$root/../shared}"
cd "$root/build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 600
