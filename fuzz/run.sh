#!/usr/bin/env bash
# Runs ndvt's libFuzzer targets: fuzz/run.sh [SECONDS] [TARGET...]
#
# Builds every target once (release, with debug assertions and overflow checks), then fuzzes each chosen
# target (default: all) for SECONDS (default 60) on a scratch copy of its committed corpus, and prints the
# executions and executions per second of each. Exits non-zero if any target crashed; the crashing input
# stays in fuzz/artifacts/<target>/ and the log in $FUZZ_LOG_DIR (default fuzz/logs/).
#
# Needs the nightly toolchain (libFuzzer's instrumentation). Without it, prints a SKIP line and exits 0.
# Installs cargo-fuzz (cargo install cargo-fuzz --locked) when it is missing.
# Environment: FUZZ_SANITIZER (address, the default, or none), FUZZ_LOG_DIR, FUZZ_RSS_LIMIT_MB (2048).
set -uo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
shift || true
case "$seconds" in
  '' | *[!0-9]*) echo "usage: fuzz/run.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "SKIP fuzzing: the nightly toolchain is not installed (rustup toolchain install nightly); no target ran"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: installing it (cargo install cargo-fuzz --locked)"
  if ! cargo install cargo-fuzz --locked; then
    echo "SKIP fuzzing: cargo-fuzz could not be installed; no target ran"
    exit 0
  fi
fi

# libFuzzer wants a deterministic target; the aggregate verifier would otherwise fan out over rayon.
export RAYON_NUM_THREADS=1
# The packed Poseidon1 permutations need the host's SIMD features; cargo-fuzz appends RUSTFLAGS to its own.
export RUSTFLAGS="${RUSTFLAGS:-} -C target-cpu=native"
sanitizer=${FUZZ_SANITIZER:-address}
log_dir=${FUZZ_LOG_DIR:-logs}
mkdir -p "$log_dir"
flags=(-O --debug-assertions --sanitizer "$sanitizer")

mapfile -t all < <(cargo +nightly fuzz list)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
for t in "${targets[@]}"; do
  if ! printf '%s\n' "${all[@]}" | grep -qx "$t"; then
    echo "unknown target $t (known: ${all[*]})" >&2
    exit 2
  fi
done

echo "building ${#all[@]} targets (sanitizer $sanitizer, debug assertions and overflow checks on)"
start=$(date +%s)
if ! cargo +nightly fuzz build "${flags[@]}" >"$log_dir/build.log" 2>&1; then
  tail -40 "$log_dir/build.log"
  echo "fuzz build failed (log: $log_dir/build.log)"
  exit 1
fi
echo "built in $(($(date +%s) - start)) s"
# Run the binaries just built rather than through `cargo fuzz run`, which rebuilds first: every target of
# one run then fuzzes the same code, even if the sources change meanwhile.
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin_dir="${CARGO_TARGET_DIR:-target}/$triple/release"

failed=()
printf '%-24s %12s %10s  %s\n' target executions exec/s result
for t in "${targets[@]}"; do
  rm -rf "corpus-local/$t"
  mkdir -p "corpus-local/$t"
  cp -r "corpus/$t/." "corpus-local/$t/"
  log="$log_dir/$t.log"
  mkdir -p "artifacts/$t"
  "$bin_dir/$t" -artifact_prefix="artifacts/$t/" -max_total_time="$seconds" -dict=dict/ndvt.dict \
    -print_final_stats=1 -timeout=20 -rss_limit_mb="${FUZZ_RSS_LIMIT_MB:-2048}" -max_len=16384 \
    "corpus-local/$t" >"$log" 2>&1
  status=$?
  runs=$(grep -oE 'stat::number_of_executed_units:[[:space:]]+[0-9]+' "$log" | tail -1 | awk '{print $2}')
  rate=$(grep -oE 'stat::average_exec_per_sec:[[:space:]]+[0-9]+' "$log" | tail -1 | awk '{print $2}')
  if [ "$status" -eq 0 ]; then
    result="ok"
  else
    result="CRASH (exit $status; artifact in fuzz/artifacts/$t/, log $log)"
    failed+=("$t")
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -8
  fi
  printf '%-24s %12s %10s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "$result"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found crashes in: ${failed[*]}"
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${seconds} s each, no crash"
