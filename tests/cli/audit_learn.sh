#!/bin/sh
# exo run --audit / --trace / --learn end to end with the `audited` guest (reads a mounted
# /data/in.txt and $GREETING, writes /out/a,b,c). Usage: audit_learn.sh EXO GUEST.wasm WORKDIR
set -eu
exo=$1 guest=$2 work=$3
rm -rf "$work" && mkdir -p "$work/cap/data"
export EXO_HOME="$work/home"
printf 'hello\n' > "$work/cap/data/in.txt"
fail() { echo "FAIL: $*" >&2; exit 1; }
manifest() {  # manifest ALLOW-LINES [EXTRA]
  printf '[capsule]\nname = "audited"\nentry = "%s"\n[env]\nGREETING = "hi"\n[[mounts]]\nhost = "data"\nguest = "/data"\nread_only = true\n%s\n%s\n' \
    "$guest" "$1" "${2-}" > "$work/cap/Capsule.toml"
}

# 1. Too few permissions: every decision is one JSON line; the denied ones say so.
manifest '[permissions]
allow = ["io.print", "fs.read:/data", "env.get:GREETING"]'
rc=0; "$exo" run --audit "$work/a.jsonl" --trace "$work/cap" > "$work/out1" 2> "$work/err1" || rc=$?
[ $rc -eq 1 ] || fail "run 1 exit $rc"
re='^\{"time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z","capsule":"audited","capability":"[a-z.]+","target":"[^"]*","allowed":(true|false),"result":"(ok|acces)"\}$'
bad=$(grep -Evc "$re" "$work/a.jsonl" || true)
[ "$bad" = 0 ] || fail "malformed audit lines: $(grep -Ev "$re" "$work/a.jsonl")"
grep -q '"capability":"fs.read","target":"/data/in.txt","allowed":true,"result":"ok"' "$work/a.jsonl" || fail "no fs.read line"
[ "$(grep -c '"capability":"fs.read","target":"/data/in.txt"' "$work/a.jsonl")" = 1 ] || fail "fs.read recorded twice"
grep -q '"capability":"env.get","target":"GREETING","allowed":true' "$work/a.jsonl" || fail "no env.get line"
grep -q '"capability":"fs.write","target":"/out","allowed":false,"result":"acces"' "$work/a.jsonl" || fail "no denied mkdir"
grep -q '"capability":"fs.write","target":"/out/a","allowed":false' "$work/a.jsonl" || fail "no denied write"
grep -q '"capability":"io.print","target":"","allowed":true' "$work/a.jsonl" || fail "no io.print line"
grep -qF '[exo] audited fs.write /out/a -> denied (acces)' "$work/err1" || fail "no trace line: $(cat "$work/err1")"
grep -qF '[exo] audited fs.read /data/in.txt -> ok' "$work/err1" || fail "no allowed trace line"

# 2. --learn: the smallest list, written next to the manifest, never into Capsule.toml.
cp "$work/cap/Capsule.toml" "$work/before.toml"
"$exo" run --learn "$work/cap" > "$work/out2" 2> "$work/err2" || fail "learn run failed: $(cat "$work/err2")"
cmp -s "$work/cap/Capsule.toml" "$work/before.toml" || fail "Capsule.toml was edited"
learned="$work/cap/Capsule.learned.toml"
[ -f "$learned" ] || fail "no Capsule.learned.toml"
for p in '"io.print"' '"fs.read:/data/in.txt"' '"env.get:GREETING"' '"fs.write:/out"' '"fs.write:/out/*"'; do
  grep -qF "    $p," "$learned" || fail "learned list lacks $p: $(cat "$learned")"
done
grep -q 'fs.write:/data' "$learned" && fail "learned fs.write on a path only read"
grep -q '"clock"\|"random"\|io.input\|net\.' "$learned" && fail "learned more than used: $(cat "$learned")"
grep -qF 'exo: learned 5 permissions' "$work/err2" || fail "learn summary: $(cat "$work/err2")"

# 3. The learned list as the grant list: the same run passes with no denial.
rm -rf "$work/home"
manifest "$(sed -n '/^\[permissions\]/,$p' "$learned")" '[audit]
file = "m.jsonl"'
"$exo" run "$work/cap" > "$work/out3" 2> "$work/err3" || fail "run with learned list failed: $(cat "$work/out3" "$work/err3")"
[ -s "$work/cap/m.jsonl" ] || fail "[audit] file not written"
grep -q '"allowed":false' "$work/cap/m.jsonl" && fail "denials with the learned list: $(grep '"allowed":false' "$work/cap/m.jsonl")"
grep -q denied "$work/err3" && fail "denial message: $(cat "$work/err3")"
echo ok
