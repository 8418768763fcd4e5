#!/usr/bin/env python3
"""Draws docs/hash-backends.svg from `ndvt bench --json` output (standard library only).

Usage: ndvt bench --json | tail -n 1 > /tmp/bench.json && python3 docs/hash_backends_chart.py /tmp/bench.json

One row per parameter set: median sign and verify time on a logarithmic axis, with the leanSig (Devnet 4) and
hash-sig (SHA3, lifetime 2^18, base 16) reference figures from docs/BENCHMARKS.md as extra rows.
"""
import json
import math
import sys

REFERENCES = [
    # (label, sign µs, verify µs): figures quoted in docs/BENCHMARKS.md, measured outside ndvt.
    ("leanSig devnet4 (ref.)", 4400.0, 440.0),
    ("hash-sig sha3-l18-w16 (ref.)", 400.0, 260.0),
]
COLORS = {"sign": "#d95f02", "verify": "#1b9e77"}
LEFT, RIGHT, TOP, ROW, BAR = 230, 40, 60, 34, 12
WIDTH = 900
LO, HI = 1.0, 10000.0  # µs, axis range


def x_of(us):
    us = min(max(us, LO), HI)
    span = WIDTH - LEFT - RIGHT
    return LEFT + span * (math.log10(us) - math.log10(LO)) / (math.log10(HI) - math.log10(LO))


def main(path):
    with open(path, encoding="utf-8") as f:
        rows = json.loads(f.read().strip().splitlines()[-1])
    items = [(r["scheme"], r["sign_us"], r["verify_us"], False) for r in rows if r["scheme"] != "test"]
    items += [(label, s, v, True) for label, s, v in REFERENCES]
    height = TOP + ROW * len(items) + 50
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="15">'
        "Median sign and verify time per parameter set, one core (log scale, µs)</text>",
    ]
    for k in range(0, 5):
        us = 10.0**k
        x = x_of(us)
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 10}" x2="{x:.1f}" y2="{height - 40}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 24}" text-anchor="middle">{us:g}</text>')
    for i, (label, sign, verify, ref) in enumerate(items):
        y = TOP + i * ROW
        style = ' font-style="italic" fill="#555"' if ref else ""
        out.append(f'<text x="{LEFT - 8}" y="{y + BAR + 4}" text-anchor="end"{style}>{label}</text>')
        for j, (kind, value) in enumerate((("sign", sign), ("verify", verify))):
            yy = y + j * BAR
            w = x_of(value) - LEFT
            opacity = "0.5" if ref else "1"
            out.append(
                f'<rect x="{LEFT}" y="{yy}" width="{w:.1f}" height="{BAR - 1}" '
                f'fill="{COLORS[kind]}" opacity="{opacity}"/>'
            )
            out.append(f'<text x="{LEFT + w + 4:.1f}" y="{yy + BAR - 2}" font-size="10">{value:.0f}</text>')
    legend_y = height - 8
    for j, kind in enumerate(("sign", "verify")):
        x = LEFT + j * 90
        out.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="10" fill="{COLORS[kind]}"/>')
        out.append(f'<text x="{x + 16}" y="{legend_y}">{kind}</text>')
    out.append("</svg>")
    with open("docs/hash-backends.svg", "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
