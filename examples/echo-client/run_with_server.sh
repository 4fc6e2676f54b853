#!/bin/sh
# The echo-client example's test: start a loopback echo server (the tests' echo_server capsule,
# on a listener exo preopens), wait until it listens, run the client, compare its stdout.
#   run_with_server.sh EXO ECHO_SERVER_WASM CLIENT_DIR EXPECTED WORKDIR
set -u
exo=$1 server=$2 client=$3 expected=$4 work=$5
port=47357
rm -rf "$work" && mkdir -p "$work"
"$exo" run --vfs-root "$work/server-root" --allow net.listen:$port --listen $port "$server" \
    >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
# The server prints "listener:" once its socket listens: wait for that line (bounded).
i=0
while ! grep -q "listener:" "$work/server.out" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 200 ] || ! kill -0 $server_pid 2>/dev/null; then
        echo "echo server did not start:"; cat "$work/server.out" "$work/server.err"
        kill $server_pid 2>/dev/null
        exit 1
    fi
    sleep 0.05
done
"$exo" run --vfs-root "$work/client-root" "$client" >"$work/client.out" 2>"$work/client.err"
rc=$?
wait $server_pid
if [ $rc -ne 0 ] || ! cmp -s "$work/client.out" "$expected"; then
    echo "echo-client: exit code $rc (expected 0); stdout:"; cat "$work/client.out"
    echo "--- expected:"; cat "$expected"; echo "--- stderr:"; cat "$work/client.err"
    echo "--- server:"; cat "$work/server.out" "$work/server.err"
    exit 1
fi
echo "echo-client: ok"
