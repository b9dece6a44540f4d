#!/bin/bash
# Functional test of the stage1-fly entrypoints on a hand-made pod directory. Needs root and a
# static busybox (/bin/busybox, Debian package busybox-static).
#
# usage: stage1-fly-test.sh [STAGE1_FLY_ACI]
#   With an ACI the entrypoints are taken from it; otherwise they are compiled from the sources.
# Exits 0 when every check passes, 1 on a failed check, 77 when it cannot run here.
set -u
umask 022

here=$(cd "$(dirname "$0")" && pwd)
src=$here/../main/c
busybox=${BUSYBOX:-/bin/busybox}

if [ "$(id -u)" != 0 ]; then
  echo "stage1-fly-test: needs root (mount namespaces, chroot)" >&2
  exit 77
fi
if ! "$busybox" --help 2>&1 | head -1 | grep -q BusyBox ||
  file -L "$busybox" 2>/dev/null | grep -q 'dynamically linked'; then
  echo "stage1-fly-test: needs a static busybox at $busybox (apt-get install busybox-static)" >&2
  exit 77
fi

T=$(mktemp -d /tmp/stage1-fly-test.XXXXXX)
# Random per run, so that concurrent or leftover runs never share a pod.
UUID=$(cat /proc/sys/kernel/random/uuid)
POD=$T/pods/run/$UUID
S1=$POD/stage1/rootfs
ROOT=$S1/opt/stage2/app/rootfs
failures=0
background=()

cleanup() {
  local pid
  for pid in "${background[@]}"; do
    kill -KILL "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  # Safety net for a failed test: unmount only what lies under our temp dir.
  awk -v t="$T" '$5 == t || index($5, t "/") == 1 { print $5 }' /proc/self/mountinfo |
    sort -r | while read -r m; do umount -l "$m"; done
  rm -rf --one-file-system "$T"
}
trap cleanup EXIT

pass() { echo "ok   $*"; }
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}
# check DESCRIPTION EXPECTED ACTUAL
check() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}

host_mounts_under_tmp() {
  awk -v t="$T" '$5 == t || index($5, t "/") == 1 { print $5 }' /proc/self/mountinfo
}

# ---- the pod directory -----------------------------------------------------------------

mkdir -p "$S1/rkt/env" "$S1/rkt/status" "$ROOT/bin" "$ROOT/srv/work" "$T/outside" \
  "$T/vol-rw" "$T/vol-ro"
if [ $# -ge 1 ]; then
  tar -xf "$1" -C "$POD/stage1" rootfs/run rootfs/enter rootfs/stop rootfs/gc || exit 1
else
  gcc -static -O2 -Wall -Werror -o "$S1/run" "$src"/*.c || exit 1
  for e in enter stop gc; do ln "$S1/run" "$S1/$e"; done
fi
cp "$busybox" "$ROOT/bin/busybox"
for applet in sh true echo cat id sleep ls env touch test tr mkdir grep pwd readlink stat; do
  ln -s busybox "$ROOT/bin/$applet"
done
echo app-root > "$ROOT/marker"
echo ro-content > "$T/vol-ro/file"
echo host-file > "$T/host-file"
# Symlinks that would lead out of the app rootfs if they were followed on the host.
ln -s "../../../../../../../../../../../../$T/outside" "$ROOT/relative-escape"
ln -s "$T/outside" "$ROOT/absolute-escape"
printf 'FOO=bar baz\nPATH=/bin\n' > "$S1/rkt/env/app"

# plan EXTRA_DIRECTIVES... -- ARGV...: writes rkt/plan for the app "app".
plan() {
  local fields=(version 1 app app root stage1/rootfs/opt/stage2/app/rootfs)
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    fields+=("$1")
    shift
  done
  shift
  fields+=(env 2 "FOO=bar baz" PATH=/bin exec $# "$@")
  printf '%s\0' "${fields[@]}" > "$S1/rkt/plan"
}

# run_pod ARGS...: runs the run entrypoint the way stage0 does: cwd = pod dir, the pod dir
# exclusively flocked on fd 9, RKT_LOCK_FD=9. An extra fd 7 must not reach the app.
run_pod() {
  (cd "$POD" && exec 9<. 7</dev/null && flock -x -n 9 &&
    RKT_LOCK_FD=9 exec ./stage1/rootfs/run "$@")
}

wait_for_file() {
  local i
  for i in $(seq 100); do
    [ -s "$1" ] && return 0
    sleep 0.05
  done
  return 1
}

pod_is_locked() { ! flock -n -s "$POD" true; }

# ---- checks ----------------------------------------------------------------------------

plan -- /bin/sh -c 'exit 3'
run_pod --net=host "$UUID"
check "exit code propagates" 3 $?
check "status file" 3 "$(cat "$S1/rkt/status/app")"
check "pid file is a pid" yes "$(grep -qE '^[0-9]+$' "$POD/pid" && echo yes)"
check "pgid file equals pid" "$(cat "$POD/pid")" "$(cat "$POD/pgid")"
check "flavor symlink" fly "$(readlink "$POD/flavor")"
check "no temp files left" "" "$(ls -A "$POD" "$S1/rkt/status" | grep '\.tmp' || true)"

plan uid 1234 gid 4321 groups 2 10 20 cwd /srv/work -- \
  /bin/sh -c 'echo "$1|$(pwd)|$(id -u):$(id -g):$(id -G)"; tr "\0" "\n" < /proc/$$/environ; echo' \
  sh first-arg
out=$(run_pod --debug=false --net=default --interactive "$UUID")
check "args, cwd, uid, gid, groups" "first-arg|/srv/work|1234:4321:4321 10 20" \
  "$(sed -n 1p <<<"$out")"
check "the plan's environment and nothing else" "FOO=bar baz
PATH=/bin" "$(sed -n 2,3p <<<"$out")"

# ls lists its own fds: 0-2 and the one it reads /proc/self/fd with.
plan -- /bin/ls /proc/self/fd
check "no inherited fd reaches the app (lock fd, fd 7)" "0 1 2 3" "$(run_pod --net=host "$UUID" | xargs)"

plan mount "$T/vol-rw" /vol/rw bind mount "$T/vol-ro" /vol/ro bind,ro \
  mount "$T/host-file" /etc/host-file bind,ro mount tmpfs /scratch tmpfs \
  mount tmpfs /relative-escape/x tmpfs mount "$T/vol-rw" /absolute-escape/y bind -- \
  /bin/sh -c 'set -e; echo written > /vol/rw/new; cat /vol/ro/file /etc/host-file;
    if touch /vol/ro/new 2>/dev/null; then echo ro-writable; fi
    if (echo x >> /etc/host-file) 2>/dev/null; then echo file-writable; fi
    touch /scratch/s /tmp/t /made-in-rootfs; test -c /dev/null; test -e /proc/self/status;
    test -d /sys/kernel; test -d "$1/outside/x"; test -f "$1/outside/y/new"; echo mounts-ok' \
  sh "$T"
out=$(run_pod --net=host "$UUID" 2>&1)
check "volumes run" 0 $?
check "volume contents, ro volumes refuse writes, symlinked targets resolve in the app" "ro-content
host-file
mounts-ok" "$out"
check "rw volume written through" written "$(cat "$T/vol-rw/new" 2>/dev/null)"
check "symlinked mount targets stay inside the app root" "" "$(ls -A "$T/outside")"
check "ro file target created as a file" yes "$([ -f "$ROOT/etc/host-file" ] && echo yes)"
check "no pod mount left in the host" "" "$(host_mounts_under_tmp)"

plan readonly-rootfs 1 -- /bin/sh -c 'touch /tmp/ok && ! touch /nope 2>/dev/null && echo ro-root'
check "readonly-rootfs" ro-root "$(run_pod --net=host "$UUID" 2>&1)"

plan -- /bin/no-such-program
err=$(run_pod --net=host "$UUID" 2>&1)
check "exec failure exits 254" 254 $?
check "exec failure message" \
  'stage1-fly: exec /bin/no-such-program in app "app": No such file or directory' "$err"

err=$(run_pod --net=host --x=1 "$UUID" 2>&1)
check "unknown flag exits 254" 254 $?
check "unknown flag message" "stage1-fly: unknown flag --x" "$err"

printf '%s\0' version 1 app a root r exec 1 /bin/true app b root r exec 1 /bin/true \
  > "$S1/rkt/plan"
err=$(run_pod --net=host "$UUID" 2>&1)
check "two apps refused" "254 stage1-fly: plan stage1/rootfs/rkt/plan: stage1-fly runs exactly one app, the plan has 2" "$? $err"

# On a terminal the app gets the foreground: reading it does not stop the app (SIGTTIN).
if command -v script > /dev/null; then
  plan -- /bin/sh -c 'read -r line; echo "got $line"; exit 5'
  out=$( (sleep 0.3; echo typed) | timeout 10 script -qec "cd '$POD' && exec 9<. &&
    flock -x -n 9 && RKT_LOCK_FD=9 exec ./stage1/rootfs/run --net=host $UUID" /dev/null)
  check "interactive app on a terminal" "5 got typed" "$? $(tr -d '\r' <<<"$out" | grep got)"
fi

printf '%s\0' version 1 app app root r exec 1 /bin/true volume x > "$S1/rkt/plan"
err=$(run_pod --net=host "$UUID" 2>&1)
check "unknown plan directive refused" "254 stage1-fly: plan stage1/rootfs/rkt/plan: entry 9: unknown directive \"volume\"" "$? $err"

# A long-running app: enter, host mount table, lock, stop.
start_sleeper() {
  rm -f "$POD/pid" "$POD/pgid"
  # Inline, so that $! is the run entrypoint itself (a function would add a shell in between).
  (cd "$POD" && exec 9<. && flock -x -n 9 && RKT_LOCK_FD=9 exec ./stage1/rootfs/run --net=host \
    "$UUID") &
  sleeper=$!
  background+=("$sleeper")
  wait_for_file "$POD/pid" || fail "pid file did not appear"
  check "run is the app's parent" "$sleeper" "$(awk '{ print $4 }' "/proc/$(cat "$POD/pid")/stat")"
}
plan mount "$T/vol-ro" /vol/ro bind,ro -- /bin/sleep 30
start_sleeper
check "pod locked while running" yes "$(pod_is_locked && echo yes)"
check "while running, no pod mount in the host" "" "$(host_mounts_under_tmp)"
check "pid file is the app" "/bin/sleep 30 " "$(tr '\0' ' ' < "/proc/$(cat "$POD/pid")/cmdline")"
out=$(cd "$POD" && ./stage1/rootfs/enter --pid="$(cat "$POD/pid")" --appname=app -- \
  sh -c 'echo "$FOO"; cat /marker /vol/ro/file; pwd')
check "enter: app env, root, mounts, cwd" "bar baz
app-root
ro-content
/" "$out"
(cd "$POD" && ./stage1/rootfs/enter --pid="$(cat "$POD/pid")" --appname=app -- /bin/nope \
  2>/dev/null)
check "enter: exec failure exits 254" 254 $?
(cd "$POD" && ./stage1/rootfs/stop "$UUID")
check "stop exits 0" 0 $?
wait "$sleeper"
check "stop: SIGTERM ends the app (128+15)" 143 $?
check "stop: status recorded" 143 "$(cat "$S1/rkt/status/app")"
check "pod unlocked after exit" no "$(pod_is_locked && echo yes || echo no)"
(cd "$POD" && ./stage1/rootfs/stop "$UUID")
check "stop of an exited pod exits 0" 0 $?

plan -- /bin/sh -c "trap '' TERM; sleep 30"
start_sleeper
(cd "$POD" && ./stage1/rootfs/stop "$UUID")
sleep 0.3
check "an app ignoring SIGTERM survives stop" yes "$(kill -0 "$sleeper" 2>/dev/null && echo yes)"
(cd "$POD" && ./stage1/rootfs/stop --force "$UUID")
wait "$sleeper"
check "stop --force: SIGKILL (128+9)" 137 $?

plan -- /bin/sleep 30
start_sleeper
kill -TERM "$sleeper"
wait "$sleeper"
check "SIGTERM to run is forwarded to the app" 143 $?

# A pgid file saying 1 must not become kill(-1): stop refuses and signals nothing.
plan -- /bin/sleep 30
start_sleeper
app=$(cat "$POD/pid")
echo 1 > "$POD/pgid"
(cd "$POD" && ./stage1/rootfs/stop --force "$UUID" 2>/dev/null)
check "stop refuses a pgid file of 1" 254 $?
check "stop with a bad pgid signals nothing" yes \
  "$(kill -0 "$sleeper" 2>/dev/null && kill -0 "$app" 2>/dev/null && echo yes)"
kill -TERM "$sleeper"
wait "$sleeper"

# SIGKILL to run must not leave the app running unsupervised.
plan -- /bin/sleep 30
start_sleeper
app=$(cat "$POD/pid")
kill -KILL "$sleeper"
wait "$sleeper" 2>/dev/null
sleep 1
# A zombie counts as gone: whoever inherited it may be slow to reap.
check "app dies with a SIGKILLed run" no \
  "$(awk '{ print ($3 == "Z") ? "no" : "yes" }' "/proc/$app/stat" 2>/dev/null || echo no)"

# gc: unmounts what is under the pod dir in the host (left by someone else), nothing else.
mkdir -p "$POD/leftover" "$T/vol-rw/inner" "$T/not-the-pod"
mount --bind "$T/vol-rw" "$POD/leftover" && mount -t tmpfs tmpfs "$POD/leftover/inner" &&
  mount --bind "$T/vol-ro" "$T/not-the-pod"
(cd "$T/not-the-pod" && "$S1/gc" "$UUID" 2>/dev/null)
check "gc refuses a cwd that is not pods/<state>/<uuid>" 254 $?
(cd "$POD" && ./stage1/rootfs/gc "$(cat /proc/sys/kernel/random/uuid)" 2>/dev/null)
check "gc refuses a cwd named after another uuid" 254 $?
check "refused gc unmounted nothing" \
  "$(printf '%s\n' "$POD/leftover" "$POD/leftover/inner" "$T/not-the-pod" | sort)" \
  "$(host_mounts_under_tmp | sort)"
(cd "$POD" && ./stage1/rootfs/gc --debug --local-config=/etc/rkt "$UUID" 2>/dev/null)
check "gc exits 0" 0 $?
check "gc unmounts under the pod dir only" "$T/not-the-pod" "$(host_mounts_under_tmp)"
umount "$T/not-the-pod"
check "nothing left mounted" "" "$(host_mounts_under_tmp)"

if [ "$failures" -ne 0 ]; then
  echo "stage1-fly-test: $failures check(s) failed"
  exit 1
fi
echo "stage1-fly-test: all checks passed"
