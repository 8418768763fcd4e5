#!/usr/bin/env bash
# CI step of the C ABI: the committed header is current, then the C test program (ffi/tests/ndvt_test.c)
# runs against the shared library, and once more, linked statically, under AddressSanitizer (with leak
# detection). The library is built with the test profile (opt-level 3), so the step reuses the
# dependencies `cargo test` already compiled instead of a separate release build.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_INCREMENTAL=0
if [ -n "${NDVT_FFI_PREBUILT:-}" ]; then
  # .ci/run: `cargo test --workspace` has run the header test and built the library with the workspace's
  # features; `-p ndvt-ffi` would resolve features for this package alone and rebuild its dependencies.
  # This build, with the tests' targets (so dev-dependency features unify as they did), only links the
  # cdylib and staticlib outputs from the artifacts already there.
  cargo build --workspace --lib --bins --tests --profile test --locked --quiet
else
  cargo test -p ndvt-ffi --test header --locked --quiet
  cargo build -p ndvt-ffi --profile test --locked --quiet
fi
lib_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The public vectors as one line per case: instance public_key epoch message signature expected.
python3 - testdata/vectors > "$work/vectors.txt" <<'PY'
import json, sys, os
root = sys.argv[1]
def h(s): return (s[2:] if s.startswith("0x") else s) or "-"
def emit(instance, pk, epoch, msg, sig, expected):
    print(instance, h(pk), epoch, h(msg), h(sig), expected)
for name, instance in [("leansig_prod_lifetime2_32.json", "devnet4"), ("leansig_test_lifetime2_8.json", "test")]:
    d = json.load(open(os.path.join(root, "leansig", name)))
    for k in d["keys"]:
        for s in k["signatures"]:
            emit(instance, k["public_key"], s["epoch"], s["message"], s["signature"], 0)
    for n in d["negative"]:
        emit(instance, n["public_key"], n["epoch"], n["message"], n["signature"], 1)
d = json.load(open(os.path.join(root, "leanvm-blake2s", "leanvm_xmss.json")))
for k in d["keys"]:
    for s in k["signatures"]:
        emit("leanvm", k["public_key"], s["epoch"], s["message"], s["signature"], 0)
for n in d["negative"]:
    emit("leanvm", n["public_key"], n["epoch"], n["message"], n["signature"], 1)
PY

cflags=(-std=c11 -O1 -g -Wall -Wextra -Werror -pthread -Iffi/include)
gcc "${cflags[@]}" ffi/tests/ndvt_test.c -o "$work/ndvt_test" -L"$lib_dir" -lndvt_ffi -Wl,-rpath,"$lib_dir"
mkdir "$work/keys"
"$work/ndvt_test" "$work/vectors.txt" "$work/keys"

# AddressSanitizer and LeakSanitizer over the static library: any leak, double free or overflow fails.
gcc "${cflags[@]}" -fsanitize=address -fno-omit-frame-pointer ffi/tests/ndvt_test.c -o "$work/ndvt_test_asan" \
    "$lib_dir/libndvt_ffi.a" -ldl -lm
mkdir "$work/keys-asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 "$work/ndvt_test_asan" "$work/vectors.txt" "$work/keys-asan"
echo "ffi/ci.sh: C ABI tests passed (plain and AddressSanitizer)"
