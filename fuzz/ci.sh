#!/usr/bin/env bash
# The CI fuzz step: a rotating subset of the targets, each for FUZZ_SECONDS (default 60, at least 60).
#
# The subset: FUZZ_TARGETS (space-separated) if set; otherwise FUZZ_CI_COUNT targets (default 3) taken in
# order, cyclically, starting at (day of year × count) mod the number of targets, so every target runs every
# few days (19 targets, 3 a day: each at least once every 7 days). The log names exactly the targets that ran.
# Budget, measured on a 2-core machine: 222 s cold build + 3 × 60 s = 410 s, within 8 minutes; a warm
# build (cached fuzz/target) leaves more room. Without nightly, prints a SKIP line and exits 0 (see run.sh).
set -euo pipefail
cd "$(dirname "$0")"

seconds=${FUZZ_SECONDS:-60}
if [ "$seconds" -lt 60 ]; then
  echo "FUZZ_SECONDS=$seconds: CI runs every chosen target for at least 60 s" >&2
  exit 2
fi
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "SKIP fuzzing: the nightly toolchain is not installed; no target ran"
  exit 0
fi

if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a chosen <<<"$FUZZ_TARGETS"
  why="FUZZ_TARGETS"
else
  mapfile -t all < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | tail -n +2)
  count=${FUZZ_CI_COUNT:-3}
  day=$((10#$(date -u +%j)))
  first=$(((day * count) % ${#all[@]}))
  chosen=()
  for ((i = 0; i < count && i < ${#all[@]}; i++)); do
    chosen+=("${all[$(((first + i) % ${#all[@]}))]}")
  done
  why="day $day of the year, $count of ${#all[@]} targets from index $first"
fi

echo "fuzz ci: ${chosen[*]} (${seconds} s each; chosen by $why)"
./run.sh "$seconds" "${chosen[@]}"
echo "fuzz ci: ran ${chosen[*]}"
