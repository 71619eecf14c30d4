#!/usr/bin/env bash
# Installs the Debian 12 packages glassbox builds against; does nothing when they are all present.
# With --fuzz, also what scripts/fuzz.sh needs.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev        # dense linear algebra for the forward pass
  libcairo2-dev        # PNG/SVG figures
  nlohmann-json3-dev   # config.json, tokenizer.json, safetensors headers
  libcxxopts-dev       # command-line flags
  googletest           # unit tests (GoogleTest sources, built by CMake)
  libgtest-dev
  libpcre2-dev         # tokenizer pre-tokenizer regexes (UTF + UCP)
  libutf8proc-dev      # NFC/NFKC normalization and Unicode categories
  fonts-dejavu-core    # the font every figure uses
)
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(
    clang                # libFuzzer harnesses (scripts/fuzz.sh); GCC has no libFuzzer
    libclang-rt-14-dev   # libFuzzer, AddressSanitizer and UBSan runtimes for clang
    libomp-dev           # OpenMP for clang-built code
  )
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
