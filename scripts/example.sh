#!/usr/bin/env bash
# Quick start, part 1: build exo and run the example capsule examples/hello.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCRUSH_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target exo crush_guests
EXO_HOME="${EXO_HOME:-$PWD/build/exo-home}" ./build/exo run build/examples/hello "$@"
