#!/bin/sh
# exo init NAME --lang LANG, then ./NAME/build.sh, then exo run NAME and exo check NAME must work.
#   init_build_run.sh EXO c|cpp WORKDIR
set -eu
exo=$1 lang=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$exo" init "hello-$lang" --lang "$lang" >/dev/null
"./hello-$lang/build.sh" >/dev/null
out=$(EXO_HOME="$work/home" "$exo" run "hello-$lang" one)
expected="Hello from hello-$lang!
arg 1: one"
if [ "$out" != "$expected" ]; then
    echo "exo run printed:"; echo "$out"; echo "--- expected:"; echo "$expected"
    exit 1
fi
"$exo" check "hello-$lang"
# A second init must refuse and leave the files alone.
if "$exo" init "hello-$lang" 2>/dev/null; then echo "second init did not refuse"; exit 1; fi
test -f "hello-$lang/hello-$lang.wasm"
echo "init/build/run ($lang): ok"
