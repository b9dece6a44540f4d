#!/bin/bash
# Functional test of the stage1-nspawn entrypoints (init, supervisor, enter, stop, gc) on a
# hand-made pod directory. Needs root, systemd-nspawn and a static busybox (/bin/busybox, Debian
# package busybox-static).
#
# usage: stage1-nspawn-test.sh [STAGE1_COREOS_ACI]
#   With an ACI the entrypoints are taken from it; otherwise they are compiled from the sources.
#   KEEP=1 keeps the temporary directory (for a look after a failure).
# Exits 0 when every check passes, 1 on a failed check, 77 when it cannot run here.
set -u
umask 022

here=$(cd "$(dirname "$0")" && pwd)
src=$here/../main/c
shared=$here/../../../stage1-fly/src/main/c
busybox=${BUSYBOX:-/bin/busybox}
seccomp_data=$here/../../../engine/src/main/java/io/jrkt/stage1/SeccompData.java

if [ "$(id -u)" != 0 ]; then
  echo "stage1-nspawn-test: needs root (systemd-nspawn, mounts, chroot)" >&2
  exit 77
fi
if ! command -v systemd-nspawn > /dev/null; then
  echo "stage1-nspawn-test: needs systemd-nspawn (apt-get install systemd-container)" >&2
  exit 77
fi
if ! "$busybox" --help 2>&1 | head -1 | grep -q BusyBox ||
  file -L "$busybox" 2>/dev/null | grep -q 'dynamically linked'; then
  echo "stage1-nspawn-test: needs a static busybox at $busybox (apt-get install busybox-static)" >&2
  exit 77
fi

T=$(mktemp -d /tmp/stage1-nspawn-test.XXXXXX)
# Random per run, so that concurrent or leftover runs never share a pod.
UUID=$(cat /proc/sys/kernel/random/uuid)
POD=$T/pods/run/$UUID
S1=$POD/stage1/rootfs
failures=0
background=()

cleanup() {
  local pid
  for pid in "${background[@]}"; do
    kill -KILL "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  (cd "$POD" 2>/dev/null && ./stage1/rootfs/gc "$UUID" > /dev/null 2>&1)
  awk -v t="$T" '$5 == t || index($5, t "/") == 1 { print $5 }' /proc/self/mountinfo |
    sort -r | while read -r m; do umount -l "$m"; done
  [ -n "${KEEP:-}" ] || rm -rf --one-file-system "$T"
}
trap cleanup EXIT

pass() { echo "ok   $*"; }
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}
check() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}
host_mounts_under_tmp() {
  awk -v t="$T" '$5 == t || index($5, t "/") == 1 { print $5 }' /proc/self/mountinfo
}
pod_cgroups() {
  find /sys/fs/cgroup -maxdepth 4 -type d -name "rkt-$UUID" 2>/dev/null
}

# ---- the pod directory: two apps, a and b --------------------------------------------------

mkdir -p "$S1/rkt/env" "$S1/rkt/status" "$T/vol-rw" "$T/vol-ro"
if [ $# -ge 1 ]; then
  tar -xf "$1" -C "$POD/stage1" || exit 1
else
  mkdir -p "$S1/usr" "$T/generated"
  "$here/../../../stage1-fly/gen-syscall-table.sh" "$T/generated/syscall_table.h" || exit 1
  gcc -static -O2 -Wall -Werror -I"$shared" -I"$T/generated" -o "$S1/init" "$src"/*.c \
    "$shared/util.c" "$shared/plan.c" "$shared/mounts.c" "$shared/gc.c" "$shared/entry.c" \
    "$shared/isolators/isolators.c" "$shared/isolators/seccomp.c" || exit 1
  for e in supervisor enter stop gc; do ln "$S1/init" "$S1/$e"; done
fi
for app in a b; do
  root=$S1/opt/stage2/$app/rootfs
  mkdir -p "$root/bin" "$root/srv/work"
  cp "$busybox" "$root/bin/busybox"
  for applet in sh true echo cat id sleep ls touch test tr pwd hostname chown chmod grep; do
    ln -s busybox "$root/bin/$applet"
  done
  echo "root-of-$app" > "$root/marker"
  printf 'FOO=bar baz\nPATH=/bin\nAPP=%s\n' "$app" > "$S1/rkt/env/$app"
done
echo ro-content > "$T/vol-ro/file"

# app NAME DIRECTIVES... -- ARGV...: the plan fields of one app.
fields=()
app() {
  local name=$1
  shift
  fields+=(app "$name" root "stage1/rootfs/opt/stage2/$name/rootfs")
  while [ "$1" != -- ]; do
    fields+=("$1")
    shift
  done
  shift
  fields+=(env 3 "FOO=bar baz" PATH=/bin "APP=$name" exec $# "$@")
}
# write_plan: writes the fields collected by app and starts over.
write_plan() {
  printf '%s\0' version 1 "${fields[@]}" > "$S1/rkt/plan"
  fields=()
  rm -f "$S1"/rkt/status/* "$S1/rkt/supervisor-status" "$POD/ppid"
}

# run_pod ARGS...: as stage0 does: cwd = pod dir, the pod dir flocked on fd 9, RKT_LOCK_FD=9.
run_pod() {
  (cd "$POD" && exec 9<. && flock -x -n 9 && RKT_LOCK_FD=9 exec ./stage1/rootfs/init "$@")
}
# Starts the planned pod in the background (pid in $pod: nspawn, after init's exec) and waits
# until the supervisor has started the apps.
start_pod() {
  (cd "$POD" && exec 9<. && flock -x -n 9 && RKT_LOCK_FD=9 exec ./stage1/rootfs/init --net=host \
    "$UUID") &
  pod=$!
  background+=("$pod")
  for i in $(seq 100); do [ -L "$S1/rkt/supervisor-status" ] && break; sleep 0.05; done
}
statuses() { echo "$(cat "$S1/rkt/status/a" 2>/dev/null) $(cat "$S1/rkt/status/b" 2>/dev/null)"; }
pod_is_locked() { ! flock -n -s "$POD" true; }

# ---- checks ----------------------------------------------------------------------------

app a -- /bin/sh -c 'echo from-a'
app b -- /bin/sh -c 'sleep 0.2; echo from-b'
write_plan
out=$(run_pod --net=host "$UUID")
check "two apps: pod exits 0" 0 $?
check "two apps: both ran" "from-a
from-b" "$out"
check "two apps: exit codes" "0 0" "$(statuses)"
check "ppid file is a pid" yes "$(grep -qE '^[0-9]+$' "$POD/ppid" && echo yes)"
check "flavor symlink" coreos "$(readlink "$POD/flavor")"
check "no temp files left" "" "$(ls -A "$POD" "$S1/rkt/status" | grep '\.tmp' || true)"

app a -- /bin/sh -c 'exit 0'
app b -- /bin/sh -c 'sleep 0.2; exit 3'
write_plan
run_pod --net=host "$UUID"
check "a failing app gives the pod its status" 3 $?
check "exit codes per app" "0 3" "$(statuses)"

app a -- /bin/sleep 30
app b -- /bin/sh -c 'sleep 0.3; exit 5'
write_plan
start=$(date +%s)
run_pod --net=host "$UUID"
check "a failing app stops the others: pod status" 5 $?
check "a failing app stops the others: SIGTERM (128+15)" "143 5" "$(statuses)"
check "the others stopped at once" yes "$([ $(($(date +%s) - start)) -lt 10 ] && echo yes)"

app a uid 1234 gid 4321 groups 2 10 20 cwd /srv/work -- \
  /bin/sh -c 'echo "$1|$(pwd)|$(id -u):$(id -g):$(id -G)|$FOO|$APP|$(cat /marker)"' sh first-arg
app b -- /bin/sh -c 'sleep 0.2; echo "$(id -u)|$APP|$(cat /marker)|$(hostname)"'
write_plan
out=$(run_pod --net=host --hostname=podhost "$UUID")
check "user, groups, cwd, args, env, root per app" \
  "first-arg|/srv/work|1234:4321:4321 10 20|bar baz|a|root-of-a
0|b|root-of-b|podhost" "$out"

app a -- /bin/sh -c 'tr "\0" "\n" < /proc/$$/environ; ls /proc/self/fd | tr "\n" " "'
write_plan
check "exactly the plan's environment; no inherited fd" "FOO=bar baz
PATH=/bin
APP=a
0 1 2 3 " "$(run_pod --net=host "$UUID")"

app a mount "$T/vol-rw" /vol/rw bind mount "$T/vol-ro" /vol/ro bind,ro mount tmpfs /scratch tmpfs \
  -- /bin/sh -c 'set -e; echo written > /vol/rw/new; cat /vol/ro/file;
    if touch /vol/ro/new 2>/dev/null; then echo ro-writable; fi
    touch /scratch/s /tmp/t; test -c /dev/null; test -d /sys/kernel;
    test "$(cat /proc/1/comm)" = supervisor; echo mounts-ok'
app b readonly-rootfs 1 -- /bin/sh -c 'sleep 0.2; touch /tmp/ok && ! touch /nope 2>/dev/null &&
    echo ro-root; test ! -e /vol'
write_plan
out=$(run_pod --net=host "$UUID" 2>&1)
check "volumes: pod exits 0" 0 $?
check "volumes: contents, ro refuses writes, /dev /proc /sys /tmp; read-only root" "ro-content
mounts-ok
ro-root" "$out"
check "rw volume written through" written "$(cat "$T/vol-rw/new" 2>/dev/null)"
check "no pod mount left in the host" "" "$(host_mounts_under_tmp)"

app a -- /bin/no-such-program
write_plan
err=$(run_pod --net=host "$UUID" 2>&1)
check "exec failure: pod exits 254" 254 $?
check "exec failure message" \
  'stage1-nspawn: exec /bin/no-such-program in app "a": No such file or directory' "$err"

err=$(run_pod --net=host --x=1 "$UUID" 2>&1)
check "unknown flag exits 254" "254 stage1-nspawn: unknown flag --x" "$? $err"

err=$(run_pod --debug --net=host "$UUID" 2>&1)
check "--debug says which nspawn mode it took" yes \
  "$(grep -q 'systemd is not PID 1: --register=no --keep-unit' <<<"$err" && echo yes)"

# ---- isolators ----

capbnd() { printf '%016x' "$1"; }
# Lowering oom_score_adj below 0 needs CAP_SYS_RESOURCE, which a sandboxed host may not have.
lower=-300
if [ $((0x$(awk '/^CapBnd/ { print $2 }' /proc/self/status) >> 24 & 1)) = 0 ]; then lower=300; fi
app a no-new-privileges 1 oom-score-adj 500 -- \
  /bin/sh -c 'grep NoNewPrivs /proc/self/status | tr -d "\t "; cat /proc/self/oom_score_adj'
app b oom-score-adj "$lower" -- \
  /bin/sh -c 'sleep 0.2; grep NoNewPrivs /proc/self/status | tr -d "\t "; cat /proc/self/oom_score_adj'
write_plan
out=$(run_pod --net=host "$UUID" 2>&1)
check "no-new-privileges and oom-score-adj ($lower) per app" "NoNewPrivs:1
500
NoNewPrivs:0
$lower" "$out"

# CAP_SETUID (7) and CAP_SETGID (6) only: chown as root fails.
app a caps 2 CAP_SETUID CAP_SETGID -- /bin/sh -c 'touch /tmp/f; chown 5 /tmp/f 2>&1;
  grep -E "^Cap(Bnd|Eff|Prm|Inh|Amb)" /proc/self/status | tr -d "\t" | tr "\n" " "'
# rkt's default set: chown works; CAP_NET_ADMIN (12) is outside nspawn's own default set.
app b caps 14 CAP_AUDIT_WRITE CAP_CHOWN CAP_DAC_OVERRIDE CAP_FSETID CAP_FOWNER CAP_KILL \
  CAP_MKNOD CAP_NET_RAW CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID CAP_SETPCAP CAP_SETFCAP \
  CAP_SYS_CHROOT -- /bin/sh -c 'sleep 0.2; touch /tmp/f; chown 5 /tmp/f && echo chowned;
  grep CapBnd /proc/self/status | tr -d "\t"'
write_plan
out=$(run_pod --net=host "$UUID" 2>&1)
check "caps: a removed CAP_CHOWN makes chown fail; bounding, effective, permitted sets" \
  "chown: /tmp/f: Operation not permitted
CapInh:$(capbnd $((1 << 6 | 1 << 7))) CapPrm:$(capbnd $((1 << 6 | 1 << 7))) \
CapEff:$(capbnd $((1 << 6 | 1 << 7))) CapBnd:$(capbnd $((1 << 6 | 1 << 7))) \
CapAmb:0000000000000000 chowned
CapBnd:$(capbnd $((1 << 29 | 1 << 0 | 1 << 1 | 1 << 4 | 1 << 3 | 1 << 5 | 1 << 27 | 1 << 13 |
  1 << 10 | 1 << 7 | 1 << 6 | 1 << 8 | 1 << 31 | 1 << 18)))" "$out"

app a caps 1 CAP_NET_ADMIN -- /bin/sh -c 'grep CapBnd /proc/self/status | tr -d "\t"'
write_plan
check "caps: a retained capability nspawn would not give" "CapBnd:$(capbnd $((1 << 12)))" \
  "$(run_pod --net=host "$UUID" 2>&1)"

app a caps 1 CAP_SETUID -- /bin/sh -c 'touch /tmp/f; chown 5 /tmp/f && echo chowned'
write_plan
check "caps: --disable-capabilities-restriction keeps them all" chowned \
  "$(run_pod --net=host --disable-capabilities-restriction "$UUID" 2>&1)"

app a caps 1 CAP_NO_SUCH -- /bin/true
write_plan
err=$(run_pod --net=host "$UUID" 2>&1)
check "caps: an unknown capability exits 254" \
  '254 stage1-nspawn: app "a": unknown capability CAP_NO_SUCH' "$? $err"

# Seccomp. busybox chmod calls chmod or fchmodat, depending on its libc.
app a seccomp remove 1 2 chmod fchmodat -- /bin/sh -c 'touch /tmp/f; chmod 600 /tmp/f 2>&1;
  echo "chmod $?"; ls -l /tmp/f | tr -s " " | cut -d" " -f1'
app b seccomp remove 0 2 chmod fchmodat -- /bin/sh -c 'sleep 0.2; touch /tmp/f;
  exec chmod 600 /tmp/f'
write_plan
out=$(run_pod --net=host "$UUID" 2>&1)
check "seccomp: a removed chmod fails with EPERM with errno, kills with SIGSYS without" \
  "159 chmod: /tmp/f: Operation not permitted
chmod 1
-rw-r--r-- 0 159" "$? $out $(statuses)"

app a seccomp remove 0 2 chmod fchmodat -- /bin/sh -c 'touch /tmp/f; chmod 600 /tmp/f &&
  echo chmodded'
write_plan
out=$(run_pod --net=host --disable-seccomp "$UUID" 2>&1)
check "seccomp: --disable-seccomp turns the filter off" "0 chmodded" "$? $out"

# rkt's default whitelist, as stage0 writes it for an app without a seccomp isolator.
mapfile -t whitelist < <(awk '$1 == "@rkt/default-whitelist" { on = 1; next }
  on && ($1 ~ /^@/ || $1 ~ /"""/) { exit } on { print $1 }' "$seccomp_data")
app a seccomp retain 1 ${#whitelist[@]} "${whitelist[@]}" -- /bin/sh -c 'echo hello;
  ls /marker; busybox unshare -m true 2>&1; echo "unshare $?"'
app b seccomp retain 0 ${#whitelist[@]} "${whitelist[@]}" -- /bin/sh -c 'sleep 0.2;
  exec busybox unshare -m true'
write_plan
out=$(run_pod --net=host "$UUID" 2>&1)
check "seccomp: the default whitelist runs sh, echo and ls, refuses unshare" \
  "159 hello
/marker
unshare: unshare(0x20000): Operation not permitted
unshare 1 0 159" "$? $out $(statuses)"

# nspawn's own filter on the container: left out when every app has a filter of its own (the
# supervisor, the container's PID 1, then runs unfiltered), kept when one app has none.
app a seccomp remove 1 2 chmod fchmodat -- /bin/sh -c 'grep Seccomp: /proc/1/status'
write_plan
out=$(run_pod --net=host "$UUID" 2>&1)
check "seccomp: nspawn's filter is left out when every app has one" "0 Seccomp:	0" "$? $out"
app a seccomp remove 1 2 chmod fchmodat -- /bin/sh -c 'grep Seccomp: /proc/1/status'
app b -- /bin/true
write_plan
out=$(run_pod --net=host "$UUID" 2>&1)
check "seccomp: nspawn's filter stays when an app has none" "0 Seccomp:	2" "$? $out"
app a seccomp remove 1 2 chmod fchmodat -- /bin/sh -c 'grep Seccomp: /proc/1/status'
write_plan
out=$(run_pod --net=host --disable-seccomp "$UUID" 2>&1)
check "seccomp: nspawn's filter stays with --disable-seccomp" "0 Seccomp:	2" "$? $out"

app a seccomp remove 1 2 chmod chmodd -- /bin/true
write_plan
err=$(run_pod --net=host "$UUID" 2>&1)
check "seccomp: an unknown syscall exits 254" \
  '254 stage1-nspawn: app "a": seccomp: unknown x86_64 syscall chmodd' "$? $err"

# Memory: 32 MiB; the app doubles a string until the kernel's OOM killer ends it.
app a memory-limit 33554432 -- /bin/sh -c 'grep -E ":memory:" /proc/self/cgroup |
  grep -q "/rkt-'"$UUID"'/app-a$" && echo in-cgroup; sleep 0.3; x=a; while :; do x=$x$x; done'
app b cpu-quota 250 -- /bin/sh -c 'grep -E ":cpu[,:]" /proc/self/cgroup |
  grep -q "/rkt-'"$UUID"'/app-b$" && echo in-cpu-cgroup; sleep 30'
write_plan
out=$(run_pod --net=host "$UUID" 2>&1)
check "memory: an app beyond its limit is OOM-killed: 137" "137 137 143" "$? $(statuses)"
check "memory, cpu: each app in its cgroups" yes \
  "$(grep -q in-cgroup <<<"$out" && grep -q in-cpu-cgroup <<<"$out" && echo yes)"
memcg=$(grep '/memory/.*/app-a$' "$POD/app-cgroups")
cpucg=$(grep '/cpu/.*/app-b$' "$POD/app-cgroups")
check "memory: the limit in the cgroup" 33554432 "$(cat "$memcg/memory.limit_in_bytes")"
check "memory: the kill was the cgroup's OOM killer" yes \
  "$(grep -qE '^oom_kill [1-9]' "$memcg/memory.oom_control" && echo yes)"
check "cpu: quota and period in the cgroup" "25000 100000" \
  "$(cat "$cpucg/cpu.cfs_quota_us") $(cat "$cpucg/cpu.cfs_period_us")"
check "cgroups recorded before creation, parents first" yes \
  "$(head -1 "$POD/app-cgroups" | grep -q "/rkt-$UUID$" && echo yes)"
app_cgroups=$(cat "$POD/app-cgroups")

# A long-running pod: lock, process tree, enter, stop.
app a mount "$T/vol-ro" /vol/ro bind,ro -- /bin/sh -c 'trap "exit 7" TERM; sleep 30 & wait'
app b -- /bin/sleep 30
write_plan
start_pod
check "supervisor-status ready" ready "$(readlink "$S1/rkt/supervisor-status")"
check "ppid is the run process" "$pod" "$(cat "$POD/ppid")"
supervisor=$(cat "/proc/$pod/task/$pod/children" | xargs)
check "ppid has a single child: the supervisor" supervisor "$(cat "/proc/$supervisor/comm")"
check "pod locked while running" yes "$(pod_is_locked && echo yes)"
check "the pod has its cgroup" 1 "$(pod_cgroups | head -1 | wc -l)"
out=$(cd "$POD" && ./stage1/rootfs/enter --pid="$supervisor" --appname=a -- \
  sh -c 'echo "$APP $FOO"; cat /marker /vol/ro/file; pwd; cat /proc/1/comm')
check "enter: app env, root, mounts, cwd, the pod's pid namespace" "a bar baz
root-of-a
ro-content
/
supervisor" "$out"
(cd "$POD" && ./stage1/rootfs/enter --pid="$supervisor" --appname=b -- sh -c 'exit 6')
check "enter: returns the command's status" 6 $?
(cd "$POD" && ./stage1/rootfs/enter --pid="$supervisor" --appname=b -- /bin/nope 2>/dev/null)
check "enter: exec failure exits 254" 254 $?
(cd "$POD" && ./stage1/rootfs/stop "$UUID")
check "stop exits 0" 0 $?
wait "$pod"
check "stop: pod exits with the first failing status" yes "$(case $? in 7|143) echo yes;; esac)"
check "stop: exit codes recorded" "7 143" "$(statuses)"
check "pod unlocked after exit" no "$(pod_is_locked && echo yes || echo no)"
(cd "$POD" && ./stage1/rootfs/stop "$UUID")
check "stop of an exited pod exits 0" 0 $?

app a -- /bin/sh -c "trap '' TERM; sleep 30"
write_plan
start_pod
(cd "$POD" && ./stage1/rootfs/stop --force "$UUID")
wait "$pod"
check "stop --force ends the pod" yes "$([ $? -ne 0 ] && ! kill -0 "$pod" 2>/dev/null && echo yes)"

# SIGKILL of systemd-nspawn: the supervisor dies with it, and with it the pod's PID namespace.
app a -- /bin/sleep 30
write_plan
start_pod
supervisor=$(cat "/proc/$pod/task/$pod/children" | xargs)
sleeper=$(cat "/proc/$supervisor/task/$supervisor/children" | xargs)
kill -9 "$(cat "$POD/ppid")"
wait "$pod" 2>/dev/null
for i in $(seq 100); do
  { [ -d "/proc/$supervisor" ] || [ -d "/proc/$sleeper" ]; } || break; sleep 0.05
done
check "SIGKILL of nspawn ends the supervisor and the apps" "" \
  "$(for p in $supervisor $sleeper; do [ -d "/proc/$p" ] && echo "$p"; done)"
check "pod unlocked after nspawn was killed" no "$(pod_is_locked && echo yes || echo no)"

(cd "$POD" && ./stage1/rootfs/gc --debug --local-config=/etc/rkt "$UUID" 2>/dev/null)
check "gc exits 0" 0 $?
check "gc removed the pod's cgroups" "" "$(pod_cgroups)"
check "gc removed the apps' cgroups" "" "$(for d in $app_cgroups; do [ -e "$d" ] && echo "$d"; done)"
printf '%s\n' / /sys/fs/cgroup/memory "/sys/fs/cgroup/memory/../rkt-$UUID" > "$POD/app-cgroups"
err=$(cd "$POD" && ./stage1/rootfs/gc "$UUID" 2>&1)
check "gc refuses recorded cgroups that are not the pod's" "254 3" \
  "$? $(grep -c 'not a cgroup of pod' <<<"$err")"
check "nothing left mounted" "" "$(host_mounts_under_tmp)"
check "no nspawn state left in /run" no \
  "$([ -e "/run/systemd/nspawn/propagate/rkt-$UUID" ] && echo yes || echo no)"

# ---- the pod's netns (set up by stage0), DNS and hosts files --------------------------------
: > "$POD/app-cgroups"
NETNS=/run/netns/jrkt-$UUID
ip netns add "jrkt-$UUID"
printf '%s\n' "$NETNS" > "$POD/netns"
app a -- /bin/sh -c 'readlink /proc/self/ns/net; cat /etc/hostname /etc/hosts'
write_plan
out=$(run_pod --net=default --hostname=nshost "$UUID" 2>&1)
check "--net=default joins the recorded netns" \
  "net:[$(stat -L -c %i "$NETNS")]" "$(head -1 <<<"$out")"
check "the app's /etc/hostname and fallback hosts" "nshost
127.0.0.1 localhost localhost.localdomain
::1 localhost localhost.localdomain
127.0.0.1 nshost" "$(tail -n +2 <<<"$out")"
printf '# Generated by rkt run\nnameserver 10.0.0.53\n' > "$S1/etc/rkt-resolv.conf"
printf '127.0.0.1 localhost\n\n# Added by rkt run --hosts-entry\n10.1.1.1 db\n' > "$S1/etc/rkt-hosts"
app a -- /bin/sh -c 'cat /etc/resolv.conf /etc/hosts'
write_plan
out=$(run_pod --net=default --dns-conf-mode=resolv=stage0,hosts=stage0 "$UUID" 2>&1)
check "resolv=stage0,hosts=stage0 files in the app" "# Generated by rkt run
nameserver 10.0.0.53
127.0.0.1 localhost

# Added by rkt run --hosts-entry
10.1.1.1 db
127.0.0.1 rkt-$UUID" "$out"
err=$(run_pod --net=default --dns-conf-mode=resolv=bogus,hosts=default "$UUID" 2>&1)
check "an unknown resolv mode is refused" "254 1" "$? $(grep -c 'unknown resolv mode' <<<"$err")"
(cd "$POD" && ./stage1/rootfs/gc "$UUID" 2>/dev/null)
check "gc removes a netns still recorded" "0 no" "$? $([ -e "$NETNS" ] && echo yes || echo no)"
printf '/run/netns/someone-else\n' > "$POD/netns"
err=$(cd "$POD" && ./stage1/rootfs/gc "$UUID" 2>&1)
check "gc refuses a recorded netns that is not the pod's" "254 1" \
  "$? $(grep -c 'left alone' <<<"$err")"
rm -f "$POD/netns"
err=$(run_pod --net=default "$UUID" 2>&1)
check "--net=default without a recorded netns is refused" "254 1" \
  "$? $(grep -c 'no network namespace recorded' <<<"$err")"

if [ "$failures" -ne 0 ]; then
  echo "stage1-nspawn-test: $failures check(s) failed"
  exit 1
fi
echo "stage1-nspawn-test: all checks passed"
