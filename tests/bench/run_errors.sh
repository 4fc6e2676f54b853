#!/bin/sh
# bench/run answers bad arguments with one clear line and a non-zero exit, never a traceback.
#   run_errors.sh BENCH_RUN BUILD_DIR
set -u
run=$1 build=$2
fail=0
expect() {  # expect RC MESSAGE ARGS...
  rc=$1 msg=$2; shift 2
  out=$(python3 "$run" "$@" 2>&1); got=$?
  if [ "$got" -ne "$rc" ]; then echo "bench/run $*: exit $got, expected $rc"; echo "$out"; fail=1; fi
  case $out in *"$msg"*) ;; *) echo "bench/run $*: no '$msg' in:"; echo "$out"; fail=1 ;; esac
  case $out in *Traceback*) echo "bench/run $*: traceback"; fail=1 ;; esac
}
expect 1 "has no exo; build it first" -b "$build/no-such-dir"
expect 2 "unknown runtime 'nosuch' (known: native, exo," -b "$build" -r nosuch
expect 2 "unknown program 'nosuch' (built:" -b "$build" -p nosuch -r exo
expect 2 "--runs must be at least 1" -b "$build" -n 0
expect 2 "--startup-runs must be at least 1" -b "$build" --startup-runs 0
expect 2 "--timeout must be positive" -b "$build" --timeout 0
expect 2 "--args wants NAME=ARGS" -b "$build" --args fib
exit $fail
