# Shared helpers of the benchmark scripts (sourced, not run).
# Each benchmark appends tab-separated rows to $BENCH_RESULTS:
#   group, what, median ms, peak RSS KiB, runs, command

BENCH_RUNS=${BENCH_RUNS:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JRKT=${JRKT:-$ROOT/bin/jrkt}
: "${BENCH_RESULTS:?BENCH_RESULTS must name the results file}"

die() { echo "bench: $*" >&2; exit 1; }

# bench_median RUNS PREPARE COMMAND: prints the median wall time in ms.
# PREPARE (may be empty) runs before every timed run and is not timed.
bench_median() {
  runs=$1 prepare=$2 cmd=$3
  if command -v hyperfine >/dev/null 2>&1; then
    json=$(mktemp)
    # Simple commands run without a shell, so that even ~1 ms floors are timed exactly.
    case "$cmd" in
      *[\&\|\;\<\>\$\`\'\"]*) shell= ;;
      *) shell=-N ;;
    esac
    if [ -n "$prepare" ]; then
      # Wrapped, since without a shell hyperfine would not run the prepare's && either.
      hyperfine $shell -w 1 -r "$runs" --style none -p "sh -c '$prepare'" --export-json "$json" \
        "$cmd" >/dev/null
    else
      hyperfine $shell -w 2 -r "$runs" --style none --export-json "$json" "$cmd" >/dev/null
    fi
    median=$(sed -n 's/.*"median": *\([0-9.eE+-]*\).*/\1/p' "$json" | head -1)
    rm -f "$json"
    awk -v s="$median" 'BEGIN { printf "%.1f\n", s * 1000 }'
  else
    i=0
    samples=$(mktemp)
    while [ "$i" -lt "$runs" ]; do
      [ -z "$prepare" ] || sh -c "$prepare" >/dev/null 2>&1
      start=$(date +%s%N)
      sh -c "$cmd" >/dev/null 2>&1
      end=$(date +%s%N)
      echo $(( (end - start) / 1000 )) >> "$samples"
      i=$((i + 1))
    done
    sort -n "$samples" | awk '{ v[NR] = $1 } END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\n", m / 1000 }'
    rm -f "$samples"
  fi
}

# bench_rss PREPARE COMMAND: prints the peak RSS in KiB (median of 3 runs), via GNU time.
bench_rss() {
  prepare=$1 cmd=$2
  [ -x /usr/bin/time ] || { echo "-"; return; }
  out=$(mktemp)
  for _ in 1 2 3; do
    [ -z "$prepare" ] || sh -c "$prepare" >/dev/null 2>&1
    /usr/bin/time -f %M -a -o "$out" sh -c "$cmd" >/dev/null 2>&1 || true
  done
  sort -n "$out" | sed -n 2p
  rm -f "$out"
}

# bench GROUP WHAT RUNS PREPARE COMMAND: measures and records one row.
bench() {
  group=$1 what=$2 runs=$3 prepare=$4 cmd=$5
  [ -z "$prepare" ] || sh -c "$prepare" >/dev/null 2>&1
  sh -c "$cmd" >/dev/null 2>&1 || echo "bench: warning: '$cmd' fails" >&2
  ms=$(bench_median "$runs" "$prepare" "$cmd")
  kib=$(bench_rss "$prepare" "$cmd")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$group" "$what" "$ms" "$kib" "$runs" "$cmd" >> "$BENCH_RESULTS"
  printf '  %-48s %8s ms  %8s KiB\n' "$what" "$ms" "$kib" >&2
}

# note TEXT: a line for the notes section of the report.
note() {
  printf '%s\n' "$1" >> "${BENCH_RESULTS%.tsv}.notes"
  printf '  %s\n' "$1" >&2
}

# launcher_variant OUT SED_SCRIPT: a copy of bin/jrkt, edited, placed next to it (the launcher
# finds lib/ relative to itself). The caller removes it.
launcher_variant() {
  sed "$2" "$JRKT" > "$1"
  chmod 0755 "$1"
  cmp -s "$JRKT" "$1" && die "launcher variant $1: the edit '$2' changed nothing"
  return 0
}
