#!/usr/bin/env bash
# Installs the Debian 12 packages Crush needs to build and test, if any are missing.
# Used by scripts/example.sh, scripts/test.sh and .ci/run.
set -euo pipefail

packages=(
  cmake ninja-build g++ clang-14 lld                       # host toolchain
  wasi-libc libclang-rt-14-dev-wasm32 wabt                 # guest toolchain: C -> wasm32-wasi, .wat/.wast
  libgtest-dev libgmock-dev libbenchmark-dev               # tests and benchmarks
  libtomlplusplus-dev libcli11-dev libfmt-dev nlohmann-json3-dev libsodium-dev libseccomp-dev
  libclang-rt-14-dev                                       # sanitizer/fuzzer runtimes for clang builds
  python3                                                  # bench/run (and its ctest bench.run_errors)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
