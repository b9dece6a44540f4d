#!/bin/sh
# Runs every benchmark and writes docs/benchmarks.md. Needs root and a built tree, and the
# machine to itself: the figures are only worth what the machine's load lets them be, and
# bench/net.sh changes host state (the default network's NAT rules, ip_forward) while it runs.
# BENCH_RUNS (default 20), BENCH_FETCH_RUNS (5) and BENCH_PODS (100) change the effort, as do
# the scripts' own variables (BENCH_NET_*, BENCH_API_*, BENCH_KVM_RUNS, BENCH_OCI_RUNS);
# BENCH_DIR chooses where the scratch directory is made (default /var/tmp); BENCH_ONLY (a list
# of script names) runs only some of them; JRKT another launcher than bin/jrkt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root" >&2; exit 1; }
export JRKT=${JRKT:-$root/bin/jrkt}
[ -x "$JRKT" ] || { echo "bench: $JRKT missing: make build" >&2; exit 1; }

# Always a new directory of our own (inside BENCH_DIR if given): cleanup removes it whole.
mkdir -p "${BENCH_DIR:-/var/tmp}"
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/jrkt-bench.XXXXXX")
results=$work/results.tsv
: > "$results"
export BENCH_RESULTS=$results
cleanup() {
  for d in "$work"/*-data "$work"/data; do
    [ -d "$d" ] && "$JRKT" --dir="$d" gc --grace-period=0s --expire-prepared=0s \
      >/dev/null 2>&1 || true
  done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
only=${BENCH_ONLY:-run fetch list nspawn overlay units logs kvm net api oci-fetch}
wanted() { case " $only " in *" $1 "*) return 0 ;; esac; return 1; }
# Scripts that add rows to $results.
for b in run fetch list nspawn overlay units logs kvm net; do
  wanted "$b" || continue
  echo "bench: $b" >&2
  sh "$here/$b.sh" "$work" || { echo "bench: $b failed" >&2; status=1; }
done
# Scripts that print their own markdown table.
if wanted api; then
  echo "bench: api" >&2
  mkdir -p "$work/api"
  sh "$here/api.sh" "$work/api" > "$work/api.md" || { echo "bench: api failed" >&2; status=1; }
fi
if wanted oci-fetch; then
  echo "bench: oci-fetch" >&2
  sh "$here/oci-fetch.sh" "$work" > "$work/oci.md" || { echo "bench: oci-fetch failed" >&2; status=1; }
fi

# The raw figures, kept (bench/results/ is not tracked) in case the report below needs redoing.
mkdir -p "$root/bench/results/last"
cp "$results" "$root/bench/results/last/"
for f in results.notes api.md oci.md api/api-latency.tsv api/api-load.tsv; do
  [ -f "$work/$f" ] && cp "$work/$f" "$root/bench/results/last/" || true
done

# Figures used in the verdicts.
verdict() { # verdict VALUE LIMIT
  if [ -z "$1" ] || [ -z "$2" ]; then echo "not measured"; return; fi
  awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "met" : "missed" }'
}
value() { awk -F'\t' -v w="$1" '$2 ~ w { print $3; exit }' "$results"; }
run_ms=$(value '^jrkt run, fly')
floor_fetch=$(value '^floor: sha512sum')
fetch_ms=$(value '^jrkt fetch')
list_ms=$(value '^jrkt list [(]')
nspawn_ms=$(value '^jrkt run, nspawn, /bin/true')
nspawn3_ms=$(value '^jrkt run, nspawn, 3 apps')
enter_ms=$(value '^jrkt enter, nspawn')
setup_ms=$(value '^root set-up')
unit_ms=$(value '^jrkt run --unit')
logs_ms=$(value '^jrkt logs --lines=1000')
follow_ms=$(value '^jrkt logs --follow')
follow_rate=$( [ -n "$follow_ms" ] && awk -v ms="$follow_ms" 'BEGIN { printf "%d", 100000 / (ms / 1000) }' || true)
kvm_ms=$(value '^jrkt run, kvm.*--net=none')
kvm_net_ms=$(value '^jrkt run, kvm.*--net=default')
kvm_floor=$(value '^floor: qemu microvm')
kvm_limit=$( [ -n "$kvm_floor" ] && awk -v f="$kvm_floor" 'BEGIN { printf "%.1f", f * 1.3 }' || true)
# net.sh's own pairwise difference of interleaved runs, and the part run waited for.
net_added=$(value 'added by the network')
net_setup=$(value '^stage0 network set-up')
net_waited=$(value 'run waited for it')
net_teardown=$(value '^gc network teardown per pod')
net_gc_per_pod=$(value 'gc wall time per pod')
net_gc200=$(value '^jrkt gc of 200 exited pods')
# The api bench's own tables: call, p50 ms, p99 ms, calls, errors, service CPU per call.
api_col() { # api_col FILE ROW-REGEX COLUMN
  [ -f "$work/api/$1" ] && awk -F'\t' -v w="$2" -v c="$3" '$1 ~ w { print $c; exit }' "$work/api/$1" || true
}
api_p50=$(api_col api-latency.tsv '^ListPods[(]detail=true[)]' 2)
api_p99=$(api_col api-latency.tsv '^ListPods[(]detail=true[)]' 3)
load_p99=$(api_col api-load.tsv '^mixed load' 3)
load_errors=$(api_col api-load.tsv '^mixed load' 5)
api_rss=$( [ -f "$work/api.md" ] && sed -n 's/^Service RSS after the load: \([0-9]*\) MiB.*/\1/p' "$work/api.md" || true)
load_verdict=$(if [ -z "$load_errors" ]; then echo "not measured"
  elif [ "$load_errors" != 0 ]; then echo missed; else verdict "$load_p99" 50; fi)
oci_ratio=$( [ -f "$work/oci.md" ] && sed -n 's/^Ratio jrkt \/ skopeo: \*\*\([0-9.]*\)\*\*.*/\1/p' "$work/oci.md" || true)
fetch_limit=$( [ -n "$floor_fetch" ] && awk -v f="$floor_fetch" 'BEGIN { printf "%.1f", f * 1.2 }' || true)
nspawn3_limit=$( [ -n "$nspawn_ms" ] && awk -v r="$nspawn_ms" 'BEGIN { printf "%.1f", r * 1.5 }' || true)
ratio=$( [ -n "$floor_fetch" ] && [ -n "$fetch_ms" ] \
  && awk -v a="$fetch_ms" -v f="$floor_fetch" 'BEGIN { printf "%.2f", a / f }' || true)

os=$(. /etc/os-release && echo "$PRETTY_NAME")
debver=$(cat /etc/debian_version 2>/dev/null || echo "?")
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
java=$(java -version 2>&1 | head -1)
tool=$(command -v hyperfine >/dev/null 2>&1 && hyperfine --version || echo "shell loop, date +%s%N")

out=$root/docs/benchmarks.md
mkdir -p "$root/docs"
{
  echo "# Benchmarks"
  echo
  echo "Produced by \`make bench\` (bench/run-all.sh); all figures come from one run on one"
  echo "machine. Times are medians of repeated runs; peak RSS is GNU time's maximum resident"
  echo "set size (median of 3 runs), covering every process of the command. Each jrkt figure"
  echo "sits next to its floor: what the kernel and standard tools need for the same work."
  echo "docs/devel/performance.md explains where the time goes."
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| OS | $os (Debian $debver) |"
  echo "| kernel | $(uname -r) |"
  echo "| CPU | $cpu, \`nproc\` = $(nproc) |"
  echo "| memory | $mem |"
  echo "| Java | $java |"
  echo "| timing | $tool |"
  echo "| load average before / after | $load_before / $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo
  echo "## Targets"
  echo
  echo "| target | figure | verdict |"
  echo "|---|---|---|"
  echo "| fly run of /bin/true ≤ 100 ms | ${run_ms:-?} ms | $(verdict "$run_ms" 100) |"
  echo "| fetch of ~100 MB gzip ACI ≤ 1.2 × floor (${fetch_limit:-?} ms) | ${fetch_ms:-?} ms (${ratio:-?} × floor) | $(verdict "$fetch_ms" "$fetch_limit") |"
  echo "| list with 100 exited pods ≤ 250 ms | ${list_ms:-?} ms | $(verdict "$list_ms" 250) |"
  echo "| nspawn run of /bin/true ≤ 200 ms | ${nspawn_ms:-?} ms | $(verdict "$nspawn_ms" 200) |"
  echo "| nspawn run of 3 apps ≤ 1.5 × 1 app (${nspawn3_limit:-?} ms) | ${nspawn3_ms:-?} ms | $(verdict "$nspawn3_ms" "$nspawn3_limit") |"
  echo "| enter of /bin/true (nspawn pod) ≤ 150 ms | ${enter_ms:-?} ms | $(verdict "$enter_ms" 150) |"
  echo "| root set-up of a 2nd pod of an image (overlays) ≤ 20 ms | ${setup_ms:-?} ms | $(verdict "$setup_ms" 20) |"
  echo "| run --unit until the unit is active ≤ 300 ms | ${unit_ms:-?} ms | $(verdict "$unit_ms" 300) |"
  echo "| logs --lines=1000 of a pod that printed 100,000 lines ≤ 500 ms | ${logs_ms:-?} ms | $(verdict "$logs_ms" 500) |"
  echo "| logs --follow ≥ 50,000 lines/s | ${follow_rate:-?} lines/s | $( [ -n "$follow_rate" ] && awk -v r="$follow_rate" 'BEGIN { print (r >= 50000) ? "met" : "missed" }' || echo "not measured") |"
  echo "| kvm run of /bin/true ≤ 1.3 × bare VM boot (${kvm_limit:-?} ms), no network like the floor | ${kvm_ms:-?} ms | $(verdict "$kvm_ms" "$kvm_limit") |"
  echo "| the same on the default network (tap, CNI ADD, guest network modules) | ${kvm_net_ms:-?} ms | $(verdict "$kvm_net_ms" "$kvm_limit") |"
  echo "| network set-up adds ≤ 30 ms to pod start (run --net=default − --net=none) | ${net_added:-?} ms (in-process: set-up ${net_setup:-?} ms beside the pod's preparation, of which run waited ${net_waited:-?} ms) | $(verdict "$net_added" 30) |"
  echo "| network teardown at gc ≤ 60 ms per pod (in-process, one pod at a time) | ${net_teardown:-?} ms (gc of 200: ${net_gc_per_pod:-?} ms per pod) | $(verdict "$net_teardown" 60) |"
  echo "| gc of 200 networked pods ≤ 20 s | ${net_gc200:-?} ms | $(verdict "$net_gc200" 20000) |"
  echo "| api: ListPods(detail=true) at 1,000 pods, p50 ≤ 20 ms | ${api_p50:-?} ms | $(verdict "$api_p50" 20) |"
  echo "| api: ListPods(detail=true) at 1,000 pods, p99 ≤ 50 ms | ${api_p99:-?} ms | $(verdict "$api_p99" 50) |"
  echo "| api: 1,000 mixed calls/s for 60 s, p99 ≤ 50 ms, 0 errors | p99 ${load_p99:-?} ms, ${load_errors:-?} errors | $load_verdict |"
  echo "| api: service RSS at 1,000 pods ≤ 200 MB | ${api_rss:-?} MiB | $(verdict "$api_rss" 190) |"
  echo "| OCI fetch from a registry ≤ 1.3 × skopeo copy | ${oci_ratio:-?} × | $(verdict "$oci_ratio" 1.3) |"
  echo
  echo "## Results"
  echo
  for group in run fetch list nspawn overlay units logs kvm net; do
    grep -q "^$group	" "$results" || continue
    echo "### $group"
    echo
    echo "| what | median | peak RSS | runs |"
    echo "|---|---:|---:|---:|"
    awk -F'\t' -v g="$group" '$1 == g {
      rss = ($4 ~ /^[0-9]+$/) ? sprintf("%.1f MiB", $4 / 1024) : $4
      ms = ($3 == "-") ? "-" : $3 " ms"
      printf "| %s | %s | %s | %s |\n", $2, ms, rss, $5 }' "$results"
    echo
  done
  if [ -s "$work/api.md" ]; then
    echo "### api-service (bench/api.sh: 1,000 exited pods, 100 images; client on loopback)"
    echo
    cat "$work/api.md"
    echo
    echo "Command: \`sh bench/api.sh \$WORK/api\` (bench/api-setup.sh makes the pods and images; the"
    echo "client is io.jrkt.tests.ApiBench from the tests module, a second JVM)."
    echo
  fi
  if [ -s "$work/oci.md" ]; then
    echo "### OCI fetch from a local registry (bench/oci-fetch.sh)"
    echo
    cat "$work/oci.md"
    echo
    echo "Command: \`sh bench/oci-fetch.sh \$WORK\`."
    echo
  fi
  if [ -s "$work/results.notes" ]; then
    echo "## Notes"
    echo
    sed 's/^/- /' "$work/results.notes"
    echo
  fi
  echo "## Peer figures"
  echo
  echo "Real rkt 1.30, measured on this kind of machine earlier and not in this run (so compare"
  echo "with care): a fly pod doing /bin/true 62–66 ms; \`rkt fetch\` of a 106 MB gzip ACI 516 ms"
  echo "(\`rkt image render\` of it, cold, 956 ms); \`rkt list\` with 20 exited pods ~21 ms."
  echo "rkt's own nspawn flavor, which boots systemd in the pod, took about 1,080 ms for a"
  echo "/bin/true pod."
  echo "rkt's api-service at 1,000 pods and 100 images: ListPods(detail) p50 119 ms, p99 ~165 ms;"
  echo "InspectPod 3.3 ms; ListImages(detail) 2.8 ms; RSS 62-69 MB."
  echo "jrkt's figures include a JVM start (\`jrkt version\` above)."
  echo
  echo "## Commands"
  echo
  echo "\$WORK is the benchmark's scratch directory; bin/jrkt-without-cds stands for a copy of"
  echo "the launcher that does not map lib/jrkt.jsa."
  echo
  echo '```'
  awk -F'\t' '{ print $6 }' "$results" \
    | sed "s|$work|\$WORK|g; s|$(dirname "$JRKT")/|bin/|g; s|$root/|./|g" \
    | sed 's|\.jrkt-bench-nocds\.[0-9]*|jrkt-without-cds|'
  echo '```'
} > "$out"
echo "bench: wrote $out" >&2
exit "$status"
