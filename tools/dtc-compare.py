#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Read a dpdk-tcpcopy --compare-report and print it, plot it, or gate on it.

    dtc-compare.py REPORT [--plot PNG] [--max-p99-delta-ms X] [--max-mismatch-pct Y]
                          [--max-differing-pct Z] [--max-test-missing-pct W] [--key KEY]

Prints the comparison table (one row per key, then other and all).  --plot draws the online
and the test latency CDFs of each key (the report's histogram buckets) to PNG (matplotlib).
Each --max-* threshold is checked on the whole report (or on --key KEY only); the exit status
is 1 when one is exceeded (each is named on stderr), 2 when the report cannot be read, so a
release pipeline can gate on it:

    dtc-compare.py compare.json --max-p99-delta-ms 5 --max-mismatch-pct 0.1
"""

import argparse
import json
import sys


def pct(a, b):
    return 100.0 * a / b if b else 0.0


def mismatches(entry):
    return entry["outcomes"]["mismatch"]


def row(name, e):
    lat = e["latency_us"]
    cells = ", ".join("%s->%s:%d" % (c["online"], c["test"], c["count"])
                      for c in e["outcomes"]["matrix"] if c["online"] != c["test"])
    return "%-32.32s %9d %7.2f%% %9.3f %9.3f %+10.3f %7d %7d  %s" % (
        name, e["compared"], pct(e["differing"], e["compared"]), lat["online"]["p99"] / 1000.0,
        lat["test"]["p99"] / 1000.0, lat["delta"]["p99"] / 1000.0,
        e["length_differs"]["count"], e["test_missing"] + e["test_reset"], cells)


def table(rep, out):
    out.write("test-side times: %s\n" % rep.get("test_time_source", "?"))
    out.write("%-32s %9s %8s %9s %9s %10s %7s %7s  %s\n" % (
        "key", "compared", "differ", "p99 onl", "p99 test", "p99 delta", "length",
        "missing", "outcomes online->test (latencies in ms)"))
    for k in rep["keys"]:
        out.write(row(k["key"], k) + "\n")
    if rep["other"]["pairs"]:
        out.write(row("other", rep["other"]) + "\n")
    out.write(row("all", rep) + "\n")
    nc = rep.get("no_record", 0) + rep.get("not_sent", 0)
    if nc:
        out.write("not compared: %d (pairing pool full %d, never sent %d)\n" % (
            nc, rep.get("no_record", 0), rep.get("not_sent", 0)))


def cdf(hist):
    """(values in ms, cumulative share) from a report histogram's [upper_us, count] buckets."""
    xs, ys, n, total = [], [], 0, hist["count"]
    if total:
        xs.append(hist.get("min", 0) / 1000.0)
        ys.append(0.0)
    for hi, c in hist["buckets"]:
        n += c
        xs.append(hi / 1000.0)
        ys.append(n / total if total else 0.0)
    # a log axis has no 0: times under 1 us (one poll loop) are drawn at 1 us
    return [max(x, 0.001) for x in xs], ys


def plot(rep, path, only_key=None):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    entries = [(k["key"], k) for k in rep["keys"] if k["latency_us"]["online"]["count"]]
    if only_key:
        entries = [e for e in entries if e[0] == only_key]
    if not entries:
        entries = [("all", rep)]
    cols = min(3, len(entries))
    rows = (len(entries) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 3.6 * rows), squeeze=False)
    for i, (name, e) in enumerate(entries):
        ax = axes[i // cols][i % cols]
        for side, style in (("online", "-"), ("test", "--")):
            xs, ys = cdf(e["latency_us"][side])
            if xs:
                ax.step(xs, ys, style, where="pre", label="%s (p99 %.2f ms)" % (
                    side, e["latency_us"][side]["p99"] / 1000.0))
        ax.set_xscale("log")
        ax.set_ylim(0, 1.02)
        ax.set_title("%s: %d compared, %.1f %% differ" % (
            name, e["compared"], pct(e["differing"], e["compared"])), fontsize=9)
        ax.set_xlabel("time to first byte (ms; under 1 us drawn at 1 us)")
        ax.set_ylabel("share of requests")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    for j in range(len(entries), rows * cols):
        axes[j // cols][j % cols].axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def gate(rep, args):
    e = rep
    if args.key:
        e = next((k for k in rep["keys"] if k["key"] == args.key), None)
        if e is None:
            sys.stderr.write("key %r is not in the report\n" % args.key)
            return ["key %r missing" % args.key]
    failed = []
    d99 = e["latency_us"]["delta"]["p99"] / 1000.0
    if args.max_p99_delta_ms is not None and d99 > args.max_p99_delta_ms:
        failed.append("p99 delta %.3f ms > %g ms" % (d99, args.max_p99_delta_ms))
    m = pct(mismatches(e), e["compared"])
    if args.max_mismatch_pct is not None and m > args.max_mismatch_pct:
        failed.append("outcome mismatch %.3f %% > %g %%" % (m, args.max_mismatch_pct))
    d = pct(e["differing"], e["compared"])
    if args.max_differing_pct is not None and d > args.max_differing_pct:
        failed.append("differing %.3f %% > %g %%" % (d, args.max_differing_pct))
    t = pct(e["test_missing"] + e["test_reset"], e["compared"])
    if args.max_test_missing_pct is not None and t > args.max_test_missing_pct:
        failed.append("test answers missing %.3f %% > %g %%" % (t, args.max_test_missing_pct))
    return failed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report")
    ap.add_argument("--plot", metavar="PNG")
    ap.add_argument("--key", help="apply the thresholds (and the plot) to this key only")
    ap.add_argument("--max-p99-delta-ms", type=float)
    ap.add_argument("--max-mismatch-pct", type=float)
    ap.add_argument("--max-differing-pct", type=float)
    ap.add_argument("--max-test-missing-pct", type=float)
    ap.add_argument("--quiet", action="store_true", help="no table")
    args = ap.parse_args(argv)
    try:
        with open(args.report) as f:
            rep = json.load(f)
        rep["keys"], rep["other"], rep["latency_us"]  # the fields every report has
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.stderr.write("%s: cannot read the report: %s\n" % (args.report, e))
        return 2
    if not args.quiet:
        table(rep, sys.stdout)
    if args.plot:
        plot(rep, args.plot, args.key)
    failed = gate(rep, args)
    for f in failed:
        sys.stderr.write("threshold exceeded: %s\n" % f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
