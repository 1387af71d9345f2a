#!/usr/bin/env bash
# Benchmark: the preview's rebuild latency. For the sample dossier
# (content/) and for synthetic dossiers (examples/synth.rs), it runs
# `milaf serve` on a scratch copy and measures, with
# examples/serve_latency.rs, the time from writing a file to (1) the build
# event of the rebuilt site and (2) the page with the new text being
# served, for three kinds of edit: a note's body, an article's text, an
# entity's aliases. Prints a Markdown table per dossier: median and
# min–max of EDITS edits of each kind (after one warm-up edit).
#
# Usage: bench/serve.sh [EDITS] ["SIZES"]
#   EDITS   edits per kind (default 10)
#   SIZES   synthetic dossier sizes (default "10000"; "" for the sample only)
# Environment:
#   OUT_BASE  where the synthetic dossiers are generated (cached, as
#             <OUT_BASE>/serve-<N>/) and the scratch copies made (default
#             bench/out, git-ignored; /dev/shm/milaf-bench keeps them in memory)
#   SEED      generator seed (default 1)
#   MILAF, LATENCY, SYNTH   prebuilt binaries (default: built here, release)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
EDITS=${1:-10}
SIZES=${2-10000}
SEED=${SEED:-1}
base=${OUT_BASE:-$here/out}
mkdir -p "$base"

if [ -z "${MILAF:-}" ] || [ -z "${LATENCY:-}" ] || [ -z "${SYNTH:-}" ]; then
  echo "building milaf, the generator and the latency driver (release)" >&2
  (cd "$repo" && cargo build --release --quiet --bin milaf --example synth --example serve_latency)
fi
MILAF=${MILAF:-"$repo/target/release/milaf"}
LATENCY=${LATENCY:-"$repo/target/release/examples/serve_latency"}
SYNTH=${SYNTH:-"$repo/target/release/examples/synth"}

scratch=$(mktemp -d "$base/serve-scratch.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# measure NAME ROOT: copies ROOT/content to the scratch folder and measures there.
measure() {
  local name=$1 root=$2
  rm -rf "${scratch:?}/dossier"
  mkdir -p "$scratch/dossier"
  cp -r "$root/content" "$scratch/dossier/content"
  [ -d "$root/themes" ] && cp -r "$root/themes" "$scratch/dossier/themes"
  echo
  echo "### $name ($EDITS edits per kind; load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  "$LATENCY" --milaf "$MILAF" --root "$scratch/dossier" --edits "$EDITS"
}

echo "milaf $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, scratch copies in $base"
measure "sample dossier (content/)" "$repo"

gen=$(sha256sum "$repo/examples/synth.rs" | cut -c1-12)
for n in $SIZES; do
  dir="$base/serve-$n"
  want="seed=$SEED generator=$gen"
  if [ ! -f "$dir/.complete" ] || [ "$(cat "$dir/.complete")" != "$want" ]; then
    echo "generating $n articles (seed $SEED)" >&2
    rm -rf "$dir"
    "$SYNTH" --articles "$n" --seed "$SEED" --out "$dir" >&2
    echo "$want" >"$dir/.complete"
  fi
  measure "$n synthetic articles" "$dir"
done
