#!/usr/bin/env bash
# Quick start, part 2: build everything and run all tests — a release build, then the same suite
# under AddressSanitizer + UndefinedBehaviorSanitizer. The last line sums both runs.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh || exit 1
jobs="$(nproc)"

run_suite() {  # name, cmake args...
  local dir="build-$1"; shift
  cmake -S . -B "$dir" -G Ninja -DCRUSH_WERROR=ON "$@" >/dev/null || return 1
  cmake --build "$dir" -j"$jobs" || return 1
  (cd "$dir" && ctest -j"$jobs" --output-on-failure --timeout 300) | tee "$dir/ctest.log"
  return "${PIPESTATUS[0]}"
}

status=0
run_suite test -DCMAKE_BUILD_TYPE=Release || status=1
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite asan -DCMAKE_BUILD_TYPE=Debug -DCRUSH_SANITIZE=ON || status=1

passed=0; failed=0
for log in build-test/ctest.log build-asan/ctest.log; do
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" 2>/dev/null | tail -1)
  if [ -z "$line" ]; then status=1; continue; fi
  f=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
  t=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
  passed=$((passed + t - f)); failed=$((failed + f))
done
[ "$failed" -eq 0 ] || status=1
echo "${passed} passed, ${failed} failed"
exit $status
