#!/bin/sh
# The api-service at 1,000 exited pods and 100 images: latency of each RPC (p50/p99 over RUNS
# sequential calls), a sustained mixed load (RATE calls/s for SECONDS from a second process on
# loopback, open loop, after a 10 s warm-up at half the rate that is reported on its own row;
# latency from each call's scheduled send time), the service's collector pauses, and its RSS.
# Prints a markdown table.
#
# Usage: bench/api.sh [WORK_DIR]   (a new scratch directory by default; removed at the end
#        only when made here). BENCH_API_PODS, BENCH_API_IMAGES, BENCH_API_RUNS (200),
#        BENCH_API_RATE (1000), BENCH_API_SECONDS (60) change the effort.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JRKT=${JRKT:-$ROOT/bin/jrkt}
[ -x "$JRKT" ] || { echo "bench: $JRKT missing: build first" >&2; exit 1; }
[ -d "$ROOT/lib/api" ] || { echo "bench: lib/api missing: build first" >&2; exit 1; }
pods=${BENCH_API_PODS:-1000} images=${BENCH_API_IMAGES:-100}
runs=${BENCH_API_RUNS:-200} rate=${BENCH_API_RATE:-1000} seconds=${BENCH_API_SECONDS:-60}

if [ $# -ge 1 ]; then
  work=$1
else
  work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/jrkt-api-bench.XXXXXX")
  scratch=1
fi
data=$work/api-data
if [ ! -d "$data/pods/run" ]; then
  echo "bench: making $pods pods and $images images in $data" >&2
  sh "$ROOT/bench/api-setup.sh" "$data" "$work/api-work" "$pods" "$images"
fi

# The client: the test module's generated stubs and ApiBench, with its dependencies.
(cd "$ROOT" && mvn -B -o -q -pl tests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/api-cp" -Dmdep.includeScope=test) >&2
cp="$ROOT/tests/target/test-classes:$ROOT/tests/target/classes:$(cat "$work/api-cp")"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
JRKT_JAVA_OPTS="${JRKT_JAVA_OPTS:-} -Xlog:gc:file=$work/api-gc.log" \
  "$JRKT" --dir="$data" api-service --listen=127.0.0.1:"$port" 2> "$work/api.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; [ -n "${scratch:-}" ] && rm -rf --one-file-system "$work"' EXIT
i=0
until grep -q "API service running" "$work/api.err"; do
  i=$((i + 1)); [ "$i" -lt 600 ] || { cat "$work/api.err" >&2; exit 1; }
  sleep 0.1
done

# The client's own collector pauses would count against the service (latency runs from the
# scheduled send time): a serial collector with a roomy young generation keeps them short.
client() {
  java -XX:+UseSerialGC -Xms256m -Xmx256m -Xmn160m -cp "$cp" io.jrkt.tests.ApiBench "$@"
}
client "$port" "$pid" latency "$runs" > "$work/api-latency.tsv"
client "$port" "$pid" load "$rate" "$seconds" > "$work/api-load.tsv"
rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
threads=$(awk '/^Threads/ { print $2 }' "/proc/$pid/status")
kill "$pid"
wait "$pid" || true

echo "| call | p50 | p99 | max | calls | errors | service CPU per call |"
echo "|---|---|---|---|---|---|---|"
cat "$work/api-latency.tsv" "$work/api-load.tsv" | awk -F'\t' '{
  printf "| %s | %s ms | %s ms | %s ms | %s | %s | %s |\n", $1, $2, $3, $7, $4,
    ($5 == "" ? "-" : $5), ($6 == "NaN" ? "-" : $6 " ms") }'
echo
# Collector pauses over the whole run (JVM start, latency rows, warm-up and load).
awk '/Pause/ && / [0-9.]+ms$/ { ms = $NF; sub("ms", "", ms); ms += 0; n++; t += ms; if (ms > m) m = ms }
  END { printf "Service collector pauses: %d, longest %.1f ms, total %.0f ms.\n", n, m, t }' \
  "$work/api-gc.log"
echo "Service RSS after the load: $rss MiB (peak $hwm MiB), $threads threads."
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs."
