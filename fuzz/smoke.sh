#!/bin/sh
# smoke.sh FUZZER SOURCE_DIR WORK_DIR: a short deterministic fuzz run for CI.
set -eu
fuzzer=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work/corpus"
sh "$src/fuzz/make_corpus.sh" "$src" "$work/seeds"
exec "$fuzzer" -seed=1 -runs=20000 -timeout=20 -rss_limit_mb=2048 -dict="$src/fuzz/wasm.dict" \
  -artifact_prefix="$work/" \
  "$work/corpus" "$work/seeds"
