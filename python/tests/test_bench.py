"""`python -m ndvt.bench` runs, prints its table, and its --json output parses with a row per set."""

import json
import subprocess
import sys
import tempfile


def run_bench(*args):
    done = subprocess.run([sys.executable, "-m", "ndvt.bench", *args], capture_output=True, text=True,
                          timeout=300, cwd=tempfile.gettempdir())
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bench_json():
    document = json.loads(run_bench("--json", "--instance", "test", "--instance", "leanvm-test", "--samples", "4"))
    rows = {row["instance"]: row for row in document["rows"]}
    assert set(rows) == {"test", "leanvm-test"}
    for row in rows.values():
        assert row["samples"] == 4 and row["keygen_epochs"] >= 4
        for key in ("keygen_s", "sign_us", "verify_us", "batch_verify_us_per_signature"):
            assert row[key] > 0, key
    assert rows["test"]["signature_bytes"] > 0 and document["ndvt"]


def test_bench_table():
    out = run_bench("--instance", "sha3-test", "--samples", "2")
    header, rule, row = out.strip().splitlines()
    assert "sign µs" in header and set(rule) <= {"-", " "} and row.startswith("sha3-test")


def test_bench_refuses_an_unknown_set():
    done = subprocess.run([sys.executable, "-m", "ndvt.bench", "--instance", "nope"], capture_output=True,
                          text=True, timeout=60, cwd=tempfile.gettempdir())
    assert done.returncode != 0 and "UnknownInstanceError" in done.stderr
