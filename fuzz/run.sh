#!/usr/bin/env bash
# Runs ndvt's libFuzzer targets: fuzz/run.sh [SECONDS] [TARGET...]
#
# Builds every target once (release, with debug assertions and overflow checks), then fuzzes each chosen
# target (default: all) for SECONDS (default 60) on a scratch copy of its committed corpus, and prints the
# executions and executions per second of each. Exits non-zero if any target crashed; the crashing input
# stays in fuzz/artifacts/<target>/ and the log in $FUZZ_LOG_DIR (default fuzz/logs/).
#
# Needs the nightly toolchain (libFuzzer's instrumentation). Without it, prints a SKIP line and exits 0.
# Builds through cargo-fuzz when it is installed, else with plain `cargo +nightly build` and the flags
# cargo-fuzz 0.13 passes (listed in build_direct below): the same binaries, without the minutes a fresh CI
# machine would spend compiling cargo-fuzz itself.
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
# libFuzzer wants a deterministic target; the aggregate verifier would otherwise fan out over rayon.
export RAYON_NUM_THREADS=1
# The packed Poseidon1 permutations need the host's SIMD features; cargo-fuzz appends RUSTFLAGS to its own.
export RUSTFLAGS="${RUSTFLAGS:-} -C target-cpu=native"
sanitizer=${FUZZ_SANITIZER:-address}
log_dir=${FUZZ_LOG_DIR:-logs}
mkdir -p "$log_dir"
flags=(-O --debug-assertions --sanitizer "$sanitizer")

# The targets: every [[bin]] of fuzz/Cargo.toml (the first `name =` is the package's).
mapfile -t all < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | tail -n +2)
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
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
# cargo-fuzz's build, for release with debug assertions: SanitizerCoverage with inline 8-bit counters, PC
# table, compare tracing and stack depth, `--cfg fuzzing`, one codegen unit (sancov blocks ThinLTO imports
# otherwise), the sanitizer, and `--target` so that build scripts are compiled without any of it.
build_direct() {
  local rf="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
  rf+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table"
  rf+=" -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
  rf+=" -Cllvm-args=-simplifycfg-branch-fold-threshold=0 -Cllvm-args=-sanitizer-coverage-stack-depth"
  rf+=" -Cdebug-assertions -Ccodegen-units=1"
  [ "$sanitizer" != none ] && rf+=" -Zsanitizer=$sanitizer"
  RUSTFLAGS="$rf $RUSTFLAGS" cargo +nightly build --manifest-path Cargo.toml --target "$triple" --release \
    --config 'profile.release.debug="line-tables-only"' --bins
}
if cargo +nightly fuzz --version >/dev/null 2>&1; then
  builder="cargo fuzz build"
  build() { cargo +nightly fuzz build "${flags[@]}"; }
else
  builder="cargo +nightly build with cargo-fuzz's flags (cargo-fuzz is not installed)"
  build() { build_direct; }
fi
echo "builder: $builder"
if ! build >"$log_dir/build.log" 2>&1; then
  tail -40 "$log_dir/build.log"
  echo "fuzz build failed (log: $log_dir/build.log)"
  exit 1
fi
echo "built in $(($(date +%s) - start)) s"
# Run the binaries just built rather than through `cargo fuzz run`, which rebuilds first: every target of
# one run then fuzzes the same code, even if the sources change meanwhile.
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
