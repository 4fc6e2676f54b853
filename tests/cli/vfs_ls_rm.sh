#!/bin/sh
# exo vfs ls / rm on a root holding symlinks that point out of it (as a hostile capsule could
# plant): ls shows them as links, rm deletes the root and nothing the links point to.
#   vfs_ls_rm.sh EXO WORKDIR
set -eu
exo=$1 work=$2
rm -rf "$work" && mkdir -p "$work/victim/dir" && cd "$work"
echo keep > victim/secret && echo keep > victim/dir/inner
export EXO_HOME="$work/home"
root="$EXO_HOME/vfs/hostile"
mkdir -p "$root/a/b" "$EXO_HOME/vfs/other"
printf 'hello' > "$root/a/b/file.txt"
ln -s "$work/victim" "$root/dir-link"
ln -s "$work/victim/secret" "$root/a/file-link"
ln -s ../../../../victim "$root/a/b/relative-link"
expected_ls="         -  /a/
         -  /a/b/
       5 B  /a/b/file.txt
      link  /a/b/relative-link -> ../../../../victim
      link  /a/file-link -> $work/victim/secret
      link  /dir-link -> $work/victim"
got=$("$exo" vfs ls hostile)
[ "$got" = "$expected_ls" ] || { echo "vfs ls hostile:"; echo "$got"; echo "--- expected:"; echo "$expected_ls"; exit 1; }
got=$("$exo" vfs ls)
expected_all="hostile                       1 file         5 B
other                         0 files        0 B"
[ "$got" = "$expected_all" ] || { echo "vfs ls:"; echo "$got"; echo "--- expected:"; echo "$expected_all"; exit 1; }
"$exo" vfs rm hostile >/dev/null
[ ! -e "$root" ] || { echo "root still there"; exit 1; }
[ "$(cat victim/secret)" = keep ] && [ "$(cat victim/dir/inner)" = keep ] || { echo "rm followed a symlink out!"; exit 1; }
[ -d "$EXO_HOME/vfs/other" ] || { echo "rm touched another capsule's root"; exit 1; }
# A root that is itself a symlink: only the link goes.
ln -s "$work/victim" "$EXO_HOME/vfs/linked"
"$exo" vfs rm linked >/dev/null
[ ! -e "$EXO_HOME/vfs/linked" ] && [ "$(cat victim/secret)" = keep ] || { echo "rm of a linked root escaped"; exit 1; }
echo "vfs ls/rm: ok"
