"""``python -m ndvt.bench``: keygen, sign, verify and batch-verify figures per parameter set, through the
Python bindings, as a table or (``--json``) as one JSON document.

Each set gets a fresh key in a temporary directory (keygen time includes writing it), then ``--samples``
signatures through the durable signer (each sign includes making the record durable, an fsync), each
verified alone and then all together with ``verify_batch``. Sign and verify figures are medians. The
default run takes seconds per set: small activation ranges (leanSig sets round up to two bottom trees,
2^17 epochs for Devnet 4) and 32 samples; ``--epochs`` and ``--samples`` enlarge it.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from typing import Dict, List, Sequence

import ndvt

DEFAULT_INSTANCES = ("leanvm", "devnet4", "leanvm-test", "test")


def _median_us(samples_ns: Sequence[int]) -> float:
    return statistics.median(samples_ns) / 1000.0


def bench_instance(instance: ndvt.Instance, epochs: int, samples: int, workdir: str) -> Dict[str, object]:
    """Measures one parameter set; returns its row."""
    key_dir = os.path.join(workdir, instance.name)
    started = time.perf_counter()
    signer = ndvt.generate(instance, key_dir, activation_epochs=epochs)
    keygen_s = time.perf_counter() - started
    with signer:
        info = signer.info
        first = info.next_epoch
        count = min(samples, info.activation_end - first)
        signer.prepare(first + count - 1)
        public_key = signer.public_key
        items, sign_ns = [], []
        for epoch in range(first, first + count):
            message = os.urandom(32)
            t0 = time.perf_counter_ns()
            signature = signer.sign(epoch, message)
            sign_ns.append(time.perf_counter_ns() - t0)
            items.append((public_key, epoch, message, signature))
    verify_ns = []
    for item in items:
        t0 = time.perf_counter_ns()
        valid = ndvt.verify(instance, *item)
        verify_ns.append(time.perf_counter_ns() - t0)
        if not valid:
            raise RuntimeError(f"{instance.name}: a fresh signature did not verify")
    t0 = time.perf_counter_ns()
    results = ndvt.verify_batch(instance, items)
    batch_ns = time.perf_counter_ns() - t0
    if not all(results):
        raise RuntimeError(f"{instance.name}: batch verification rejected a fresh signature")
    return {
        "instance": instance.name,
        "log_lifetime": instance.log_lifetime,
        "keygen_epochs": info.activation_end - info.activation_start,
        "keygen_s": round(keygen_s, 4),
        "samples": count,
        "sign_us": round(_median_us(sign_ns), 1),
        "verify_us": round(_median_us(verify_ns), 1),
        "batch_verify_us_per_signature": round(batch_ns / 1000.0 / max(count, 1), 1),
        "public_key_bytes": instance.public_key_len,
        "signature_bytes": instance.signature_len,
    }


COLUMNS = [
    ("instance", "instance", "{}"),
    ("keygen_epochs", "keygen epochs", "{:,}"),
    ("keygen_s", "keygen s", "{:.3f}"),
    ("sign_us", "sign µs", "{:.1f}"),
    ("verify_us", "verify µs", "{:.1f}"),
    ("batch_verify_us_per_signature", "batch µs/sig", "{:.1f}"),
    ("samples", "samples", "{}"),
    ("public_key_bytes", "pk B", "{}"),
    ("signature_bytes", "sig B", "{:,}"),
]


def format_table(rows: List[Dict[str, object]]) -> str:
    """The rows as an aligned text table."""
    cells = [[title for _, title, _ in COLUMNS]]
    cells += [[fmt.format(row[key]) for key, _, fmt in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths)))
             for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m ndvt.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", action="append", metavar="NAME",
                        help=f"a parameter set (repeatable; default: {', '.join(DEFAULT_INSTANCES)}; "
                             "'all' for every set)")
    parser.add_argument("--epochs", type=int, default=256,
                        help="activation epochs of each key (default 256; leanSig sets round up)")
    parser.add_argument("--samples", type=int, default=32, help="signatures per set (default 32)")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the table")
    args = parser.parse_args(list(argv))
    if args.samples < 1 or args.epochs < 1:
        parser.error("--samples and --epochs must be at least 1")
    names = args.instance or list(DEFAULT_INSTANCES)
    instances = list(ndvt.INSTANCES) if "all" in names else [ndvt.instance(n) for n in names]
    rows = []
    with tempfile.TemporaryDirectory(prefix="ndvt-bench-") as workdir:
        for instance in instances:
            rows.append(bench_instance(instance, args.epochs, args.samples, workdir))
            if not args.json:
                print(f"measured {instance.name}", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps({
            "ndvt": ndvt.__version__,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "rows": rows,
        }))
    else:
        print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
