#!/bin/sh
# jrkt fetch of a ~200 MB, 5-layer OCI image from a local registry (Debian's docker-registry,
# started here on 127.0.0.1 with its own storage, stopped at the end), side by side with
# `skopeo copy` of the same image into a local OCI layout directory. Also the peak RSS of the
# fetch and the second fetch (image stored: manifest only).
#
# Usage: bench/oci-fetch.sh [WORKDIR]   (needs root, umoci, skopeo, docker-registry, busybox)
# BENCH_OCI_RUNS (default 9) sets the runs; BENCH_OCI_LAYER_MB (40) the size of each of the
# four data layers. Prints a markdown table on stdout.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
JRKT=${JRKT:-$root/bin/jrkt}
runs=${BENCH_OCI_RUNS:-9}
layer_mb=${BENCH_OCI_LAYER_MB:-40}
for tool in umoci skopeo docker-registry hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root" >&2; exit 1; }

mkdir -p "${1:-${BENCH_DIR:-/var/tmp}}"
work=$(mktemp -d "${1:-${BENCH_DIR:-/var/tmp}}/jrkt-oci-bench.XXXXXX")
registry_pid=
cleanup() {
  [ -z "$registry_pid" ] || kill "$registry_pid" 2>/dev/null || true
  [ -z "$registry_pid" ] || wait "$registry_pid" 2>/dev/null || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# The image: busybox, then four layers of incompressible data (5 layers in all).
layout=$work/layout
umoci init --layout "$layout"
umoci new --image "$layout:1"
umoci unpack --image "$layout:1" "$work/bundle" >/dev/null
mkdir -p "$work/bundle/rootfs/bin"
cp /bin/busybox "$work/bundle/rootfs/bin/busybox"
ln -s busybox "$work/bundle/rootfs/bin/sh"
umoci repack --image "$layout:1" "$work/bundle"
rm -rf "$work/bundle"
# A repack adds one layer to the image the bundle was unpacked from: unpack afresh each time.
for i in 1 2 3 4; do
  umoci unpack --image "$layout:1" "$work/bundle" >/dev/null
  head -c "$((layer_mb * 1048576))" /dev/urandom > "$work/bundle/rootfs/data-$i"
  umoci repack --image "$layout:1" "$work/bundle"
  rm -rf "$work/bundle"
done
umoci config --image "$layout:1" --config.cmd /bin/sh
umoci gc --layout "$layout"
layers=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1] + "/index.json"))["manifests"][0]["digest"].split(":")[1]
print(len(json.load(open(sys.argv[1] + "/blobs/sha256/" + d))["layers"]))' "$layout")
[ "$layers" -eq 5 ] || { echo "bench: the image has $layers layers, not 5" >&2; exit 1; }
size_mb=$(du -sm "$layout/blobs" | cut -f1)

# The registry.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/registry"
cat > "$work/registry/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry/storage
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$work/registry/config.yml" > "$work/registry/log" 2>&1 &
registry_pid=$!
i=0
until curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 \
    || python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/v2/')" \
    2>/dev/null; do
  i=$((i + 1)); [ "$i" -lt 100 ] || { echo "bench: registry did not start" >&2; exit 1; }
  sleep 0.1
done
ref=127.0.0.1:$port/bench/big:1
skopeo copy --quiet --dest-tls-verify=false "oci:$layout:1" "docker://$ref"

median_of() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit }
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f\n", m }'; }
rss() { # rss PREPARE COMMAND: peak RSS in MiB, median of 3
  out=$work/rss
  : > "$out"
  for _ in 1 2 3; do
    sh -c "$1"
    /usr/bin/time -f %M -a -o "$out" sh -c "$2" >/dev/null 2>&1
  done
  sort -n "$out" | sed -n 2p | awk '{ printf "%.0f", $1 / 1024 }'
}

skopeo_cmd="skopeo copy --quiet --src-tls-verify=false docker://$ref oci:$work/copy:1"
skopeo_prep="rm -rf $work/copy; sync"
jrkt_cmd="$JRKT --dir=$work/data --insecure-options=image,http fetch docker://$ref"
jrkt_prep="rm -rf $work/data; sync"
again_cmd="$JRKT --dir=$work/data --insecure-options=image,http fetch docker://$ref"

# The three commands take turns, run after run (a warm-up round first), so that a change in
# the machine's load falls on all of them alike; each run starts from an empty destination,
# after a sync. Wall time from the clock, CPU (user + system) from GNU time.
timed() { # timed KIND PREPARE COMMAND: appends "wall_ms cpu_ms" to $work/KIND.times
  sh -c "$2"
  t0=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$work/cpu" sh -c "$3" >/dev/null 2>&1 \
    || { echo "bench: failed: $3" >&2; exit 1; }
  t1=$(date +%s%N)
  awk -v w="$(( (t1 - t0) / 1000 ))" '{ printf "%.1f %.0f\n", w / 1000, ($1 + $2) * 1000 }' \
    "$work/cpu" >> "$work/$1.times"
}
round=0
while [ "$round" -le "$runs" ]; do
  timed skopeo "$skopeo_prep" "$skopeo_cmd"
  timed skopeo_sync "$skopeo_prep" "$skopeo_cmd && sync -f $work"
  timed jrkt "$jrkt_prep" "$jrkt_cmd"
  if [ "$round" -eq 0 ]; then # the warm-up round is not counted
    rm -f "$work/skopeo.times" "$work/skopeo_sync.times" "$work/jrkt.times"
  fi
  round=$((round + 1))
done
wall() { cut -d' ' -f1 "$work/$1.times" | median_of; }
cpu() { cut -d' ' -f2 "$work/$1.times" | median_of; }
s=$(wall skopeo)
s_cpu=$(cpu skopeo)
ss=$(wall skopeo_sync)
ss_cpu=$(cpu skopeo_sync)
j=$(wall jrkt)
j_cpu=$(cpu jrkt)
# The image is stored now (the last run was jrkt's): a fetch asks for the manifest only.
hyperfine -w 1 -r "$runs" --style none --export-json "$work/a.json" "$again_cmd" >/dev/null
a=$(sed -n 's/.*"median": *\([0-9.eE+-]*\).*/\1/p' "$work/a.json" | head -1 \
  | awk '{ printf "%.0f", $1 * 1000 }')
u=$(sed -n 's/.*"user": *\([0-9.eE+-]*\).*/\1/p' "$work/a.json" | head -1)
y=$(sed -n 's/.*"system": *\([0-9.eE+-]*\).*/\1/p' "$work/a.json" | head -1)
a_cpu=$(awk -v u="$u" -v y="$y" 'BEGIN { printf "%.0f", (u + y) * 1000 }')
load=$(cut -d' ' -f1-3 /proc/loadavg)
j_rss=$(rss "$jrkt_prep" "$jrkt_cmd")
s_rss=$(rss "$skopeo_prep" "$skopeo_cmd")
ratio=$(awk -v j="$j" -v s="$s" 'BEGIN { printf "%.2f", j / s }')
ratio_sync=$(awk -v j="$j" -v s="$ss" 'BEGIN { printf "%.2f", j / s }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.3) ? "met" : "missed" }')
rss_verdict=$(awk -v m="$j_rss" 'BEGIN { print (m <= 200) ? "met" : "missed" }')

cat <<MD
| what | median wall | CPU (user+sys) | peak RSS |
|---|---|---|---|
| \`skopeo copy docker://… oci:DIR\` (${size_mb} MB, 5 layers) | ${s} ms | ${s_cpu} ms | ${s_rss} MiB |
| the same, then \`sync -f\` (on disk, as jrkt's store is before it answers) | ${ss} ms | ${ss_cpu} ms | |
| \`jrkt fetch docker://…\` (download, verify, render the tree, sync) | ${j} ms | ${j_cpu} ms | ${j_rss} MiB |
| \`jrkt fetch\` again (image stored: one manifest request) | ${a} ms | ${a_cpu} ms | |

Ratio jrkt / skopeo: **${ratio}** (target ≤ 1.3: ${verdict}); jrkt / (skopeo + sync):
${ratio_sync}; peak RSS ≤ 200 MiB: ${rss_verdict}.
$(nproc) CPU cores available; jrkt downloads up to 3 layers at once and renders each, in
order, as its bytes arrive. Runs: ${runs} of each, taking turns after a warm-up round, median
(CPU: median of the runs' user + system time); the store (or the OCI directory) is removed and
\`sync\` run before every run. Load average at the end: ${load}.
MD
