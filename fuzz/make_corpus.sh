#!/bin/sh
# make_corpus.sh SOURCE_DIR OUT_DIR: seed corpus for crush_module_fuzzer from our own fixtures:
# every module of tests/wast/*.wast (via wast2json) and every .wat in the tree (via wat2wasm).
set -eu
src=$1
out=$2
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for w in "$src"/tests/wast/*.wast "$src"/tests/wast/failing/*.wast; do
  [ -e "$w" ] || continue
  stem=$(basename "$w" .wast)
  mkdir -p "$tmp/$stem"
  wast2json --disable-simd "$w" -o "$tmp/$stem/$stem.json" >/dev/null 2>&1 || continue
  for m in "$tmp/$stem"/*.wasm; do
    [ -e "$m" ] && cp "$m" "$out/$stem-$(basename "$m")"
  done
done
find "$src/tests" "$src/examples" -name '*.wat' 2>/dev/null | while read -r f; do
  stem=$(basename "$f" .wat)
  wat2wasm --enable-all --disable-simd -o "$out/wat-$stem.wasm" "$f" >/dev/null 2>&1 || true
done
echo "$(ls "$out" | wc -l) seed inputs in $out"
