#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Plot dtc_bench's steady workload: Mpps against concurrent sessions, for the copier and
the baseline forwarder measured on the same lcore, one pair of lines per worker count.

    tools/bench-plot.py BENCH.jsonl OUT.png

BENCH.jsonl: the JSON lines of `tools/dpdk-setup.sh bench --json FILE` (other workloads
and lines that are not JSON are skipped).  Exit status 2 when there is nothing to plot.
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402


def load(path):
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{path}:{n}: not JSON ({e}), skipped", file=sys.stderr)
                continue
            if r.get("workload") == "steady" and "sessions" in r and "mpps" in r:
                rows.append(r)
    return rows


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rows = load(sys.argv[1])
    if not rows:
        print(f"{sys.argv[1]}: no steady-workload line to plot", file=sys.stderr)
        return 2
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for lc in sorted({r["lcores"] for r in rows}):
        pts = sorted((r["sessions"], r["mpps"], r["baseline_mpps"])
                     for r in rows if r["lcores"] == lc)
        xs = [p[0] for p in pts]
        unit = "worker" if lc == 1 else "workers"
        ax.plot(xs, [p[1] for p in pts], "o-", label=f"dpdk-tcpcopy, {lc} {unit}")
        ax.plot(xs, [p[2] for p in pts], "s--", alpha=0.7,
                label=f"baseline forwarder, {lc} {unit}")
        for x, y, _ in pts:
            ax.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("concurrent established sessions")
    ax.set_ylabel("Mpps (client frames + response records in)")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.yaxis.set_minor_formatter(matplotlib.ticker.ScalarFormatter())
    ax.tick_params(axis="y", which="minor", labelsize=7)
    ax.set_title("steady workload: requests of 64-512 B, one response each")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[2])
    print(f"wrote {sys.argv[2]} ({len(rows)} points)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
