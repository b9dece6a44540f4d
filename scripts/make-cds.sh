#!/bin/sh
# Builds lib/jrkt.jsa, the class-data archive the launcher maps at start-up.
#
# Records the classes that representative commands load (-XX:DumpLoadedClassList), then
# dumps them into a static archive made with exactly the launcher's JVM flags and class path
# (the JVM maps an archive only when both match). When run as root with bin/stage1-fly.aci
# present, a fetch and a fly run of a busybox ACI are recorded too: that is the path whose
# start-up time matters most.
#
# Usage: make-cds.sh [BIN_DIR]   (default: bin next to this script's parent)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "${1:-$here/../bin}" && pwd)
lib=$(cd "$bin/../lib" && pwd)
launcher=$bin/jrkt
archive=$lib/jrkt.jsa

[ -x "$launcher" ] || { echo "make-cds: $launcher not found; build first" >&2; exit 1; }

# A stale archive would be mapped while recording (or rejected); start from none.
rm -f "$archive"

work=$(mktemp -d "${TMPDIR:-/tmp}/jrkt-cds.XXXXXX")
data=$work/data
cleanup() {
  if [ -d "$data" ]; then
    "$launcher" --dir="$data" gc --grace-period=0s --expire-prepared=0s >/dev/null 2>&1 || true
  fi
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# Variants of the launcher, kept in BIN so that they resolve LIB the way the launcher does.
# They differ from it only in the JVM options inserted after "exec java".
variant() {
  out=$1 opts=$2
  sed "s|^exec java |exec java $opts |" "$launcher" > "$out"
  grep -q "^exec java $opts " "$out" || {
    echo "make-cds: $launcher has no 'exec java' line to extend; archive not built" >&2
    exit 1
  }
  chmod 0755 "$out"
}
recorder=$bin/.jrkt-cds-record.$$
dumper=$bin/.jrkt-cds-dump.$$
trap 'rm -f "$recorder" "$dumper"; cleanup' EXIT

# Starts a registry on 127.0.0.1, pushes $work/oci:1 to it and records jrkt's fetch of it (the
# registry is stopped again, whatever happens).
record_registry_fetch() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') || return 0
  mkdir -p "$work/registry"
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$work/registry/storage" "$port" > "$work/registry/config.yml"
  docker-registry serve "$work/registry/config.yml" >/dev/null 2>&1 </dev/null &
  registry_pid=$!
  i=0
  while [ $i -lt 100 ] && ! skopeo copy --quiet --dest-tls-verify=false "oci:$work/oci:1" \
      "docker://127.0.0.1:$port/cds/busybox:1" >/dev/null 2>&1; do
    sleep 0.1
    i=$((i + 1))
  done
  if [ $i -lt 100 ]; then
    record --dir="$data" fetch --insecure-options=image,http "docker://127.0.0.1:$port/cds/busybox:1"
  fi
  kill "$registry_pid" 2>/dev/null || true
  wait "$registry_pid" 2>/dev/null || true
}

n=0
record() {
  n=$((n + 1))
  variant "$recorder" "-Xshare:off -XX:DumpLoadedClassList=$work/classes.$n"
  "$recorder" "$@" >/dev/null 2>&1 </dev/null || true
}

record help
record version
record --dir="$data" list
record --dir="$data" list --format=json
record --dir="$data" image list
record --dir="$data" status 00000000
record --dir="$data" gc --grace-period=0s
record --dir="$data" image gc
if [ "$(id -u)" -eq 0 ] && [ -f "$bin/stage1-fly.aci" ] && [ -x /bin/busybox ]; then
  sh "$here/make-test-aci.sh" "$work/busybox.aci"
  record --dir="$data" fetch --insecure-options=image "$work/busybox.aci"
  record --dir="$data" run --insecure-options=image \
    --stage1-name=coreos.com/rkt/stage1-fly "$work/busybox.aci"
  # The common case: an image fetched before, run by name, and not within the last minute, so
  # the run also updates the images' last-used time (backdated here to get that recorded).
  sed -i 's/"lastUsed": "[^"]*"/"lastUsed": "2000-01-01T00:00:00Z"/' "$data"/cas/imageinfo/*
  record --dir="$data" run --insecure-options=image --uuid-file-save="$work/uuid" \
    --stage1-name=coreos.com/rkt/stage1-fly example.com/busybox
  record --dir="$data" status "$(cat "$work/uuid" 2>/dev/null)"
  record --dir="$data" run --insecure-options=image \
    --stage1-name=coreos.com/rkt/stage1-fly example.com/busybox:1.0.0
  record --dir="$data" prepare --quiet --insecure-options=image \
    --stage1-name=coreos.com/rkt/stage1-fly "$work/busybox.aci"
  record --dir="$data" list
  record --dir="$data" image list
  # run --unit loads the D-Bus client: recorded against a private message bus of our own
  # (no systemd on it, so the start fails after the whole D-Bus exchange).
  if command -v dbus-daemon >/dev/null 2>&1 && [ -f /usr/share/dbus-1/session.conf ]; then
    dbus-daemon --config-file=/usr/share/dbus-1/session.conf --nofork \
      --address="unix:path=$work/bus" >/dev/null 2>&1 </dev/null &
    bus_pid=$!
    i=0
    while [ ! -S "$work/bus" ] && [ $i -lt 200 ]; do sleep 0.01; i=$((i + 1)); done
    record --dir="$data" run --unit --insecure-options=image \
      --stage1-name=coreos.com/rkt/stage1-fly --systemd-bus="unix:path=$work/bus" \
      example.com/busybox
    kill "$bus_pid" 2>/dev/null || true
    wait "$bus_pid" 2>/dev/null || true
  fi
  record --dir="$data" gc --grace-period=0s --expire-prepared=0s
  # The nspawn stage1 on the default network: the CNI set-up's classes (process spawning, the
  # network record) and its gc. The ptp plugin turns forwarding on; it is restored as found.
  if [ -f "$bin/stage1-coreos.aci" ] && [ -x /usr/lib/cni/ptp ] \
    && command -v systemd-nspawn >/dev/null 2>&1; then
    forward=$(cat /proc/sys/net/ipv4/ip_forward)
    record --dir="$data" run --insecure-options=image example.com/busybox
    record --dir="$data" list
    # A running pod: what enter, status and stop load (the pod's processes, its state).
    "$launcher" --dir="$data" run --insecure-options=image --net=none \
      --uuid-file-save="$work/running" example.com/busybox --exec=/bin/sleep -- 30 \
      >/dev/null 2>&1 </dev/null &
    pod_pid=$!
    i=0
    while [ $i -lt 100 ] && ! { [ -s "$work/running" ] \
        && "$launcher" --dir="$data" enter "$(cat "$work/running")" /bin/true \
        >/dev/null 2>&1; }; do
      sleep 0.1
      i=$((i + 1))
    done
    if [ -s "$work/running" ]; then
      running=$(cat "$work/running")
      record --dir="$data" enter "$running" /bin/true
      record --dir="$data" status "$running"
      record --dir="$data" stop "$running"
    fi
    wait "$pod_pid" 2>/dev/null || true
    record --dir="$data" gc --grace-period=0s --expire-prepared=0s
    echo "$forward" > /proc/sys/net/ipv4/ip_forward
  fi
  # A VM pod's preparation (stage1-kvm's planner: accelerator, host tools, VM spec), without
  # booting it; its pod goes with the next gc.
  if [ -f "$bin/stage1-kvm.aci" ]; then
    record --dir="$data" prepare --quiet --insecure-options=image \
      --stage1-name=coreos.com/rkt/stage1-kvm --kvm-accel=tcg example.com/busybox
    record --dir="$data" gc --grace-period=0s --expire-prepared=0s
  fi
  # An OCI layout fetch (the OCI formats, layer rendering, config mapping), when umoci is there.
  if command -v umoci >/dev/null 2>&1 \
      && umoci init --layout "$work/oci" >/dev/null 2>&1 \
      && umoci new --image "$work/oci:1" >/dev/null 2>&1 \
      && umoci unpack --image "$work/oci:1" "$work/oci-bundle" >/dev/null 2>&1 \
      && mkdir -p "$work/oci-bundle/rootfs/bin" \
      && cp /bin/busybox "$work/oci-bundle/rootfs/bin/busybox" \
      && umoci repack --image "$work/oci:1" "$work/oci-bundle" >/dev/null 2>&1 \
      && umoci config --image "$work/oci:1" --config.cmd /bin/busybox >/dev/null 2>&1; then
    record --dir="$data" fetch --insecure-options=image "oci:$work/oci:1"
    record --dir="$data" fetch --insecure-options=image "oci:$work/oci:1"
    record --dir="$data" image list
    # The same image from a registry (the HTTP client's classes, ~30 ms of a fetch's start):
    # Debian's registry on a free loopback port, with its storage in the work directory.
    if command -v docker-registry >/dev/null 2>&1 && command -v skopeo >/dev/null 2>&1; then
      record_registry_fetch
    fi
  fi
fi

# One list, first occurrence order kept (a class before the lambda forms that name it).
cat "$work"/classes.* | awk '!seen[$0]++' > "$work/classes"
count=$(grep -vc '^@' "$work/classes" || true)

# Dumped under the launcher's collector, the default G1: only then does the archive carry heap
# objects (the archived module graph), which the runtime maps.
variant "$dumper" "-Xshare:dump -XX:SharedClassListFile=$work/classes -XX:SharedArchiveFile=$archive.tmp"
if ! "$dumper" >"$work/dump.log" 2>&1; then
  echo "make-cds: dump failed; the launcher runs without an archive:" >&2
  tail -5 "$work/dump.log" >&2
  rm -f "$archive.tmp"
  exit 1
fi
mv -f "$archive.tmp" "$archive"
echo "make-cds: $archive ($count classes)" >&2
