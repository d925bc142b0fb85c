#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Plot dtc_bench's steady workload: Mpps against concurrent sessions, for the copier and
the baseline forwarder measured on the same lcore, one pair of lines per worker count and
page size (2 MiB hugepages, 4 KiB under --no-huge); beside it the worker's ns per packet
against sessions.

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
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.4), dpi=110)
    for lc, huge in sorted({(r["lcores"], r.get("huge", False)) for r in rows}):
        pts = sorted((r["sessions"], r["mpps"], r["baseline_mpps"], r["ns_per_pkt"])
                     for r in rows if r["lcores"] == lc and r.get("huge", False) == huge)
        xs = [p[0] for p in pts]
        unit = "worker" if lc == 1 else "workers"
        pages = "2 MiB pages" if huge else "4 KiB pages"
        ax.plot(xs, [p[1] for p in pts], "o-", label=f"dpdk-tcpcopy, {lc} {unit}, {pages}")
        ax.plot(xs, [p[2] for p in pts], "s--", alpha=0.7,
                label=f"baseline forwarder, {lc} {unit}, {pages}")
        for x, y, _, _ in pts:
            ax.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=8)
        ax2.plot(xs, [p[3] for p in pts], "o-", label=f"{lc} {unit}, {pages}")
        for x, _, _, y in pts:
            ax2.annotate(f"{y:.0f}", (x, y), textcoords="offset points", xytext=(0, 6),
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
    ax.legend(fontsize=7)
    ax2.set_xscale("log")
    ax2.set_xlabel("concurrent established sessions")
    ax2.set_ylabel("worker ns per packet taken in")
    ax2.set_ylim(bottom=0)
    ax2.set_title("cost per packet against sessions")
    ax2.grid(True, which="both", alpha=0.3)
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(sys.argv[2])
    print(f"wrote {sys.argv[2]} ({len(rows)} points)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
