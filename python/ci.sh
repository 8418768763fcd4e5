#!/usr/bin/env bash
# CI step of the Python package: builds the `ndvt` wheel with maturin, installs it into a fresh virtual
# environment with pytest, and runs python/tests: every public vector, bad input per error class, two
# processes racing on one key directory, keystore round trips and the bench module.
#
# The wheel is built with the dev profile, not release: its dependencies then have exactly the settings of
# the test profile's (opt-level 3 without debug assertions, line tables only: Cargo.toml's
# `profile.dev.package."*"` and the debuginfo setting below, which .ci/run exports too), so the step reuses
# what `cargo test --workspace` compiled and rebuilds only the workspace crates. `--profile test` itself
# cannot be used: maturin builds through `cargo rustc`, which compiles a test harness under that profile.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG=line-tables-only
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
venv="$work/venv/bin"
"$venv/python" -m pip install --quiet --disable-pip-version-check maturin pytest

"$venv/maturin" build --quiet --locked --profile dev -m python/Cargo.toml --interpreter "$venv/python" \
    --out "$work/wheels"
"$venv/python" -m pip install --quiet --disable-pip-version-check --no-index --find-links "$work/wheels" ndvt

# From the checkout's root through the pytest script (not `python -m`, which would put the working
# directory first on sys.path): `import ndvt` must load the installed wheel, never python/ndvt's sources.
"$venv/pytest" -q -p no:cacheprovider python/tests
echo "python/ci.sh: Python package tests passed"
