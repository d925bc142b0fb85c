#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Runs test_copy_report, then checks its --compare-report with Python's json (not the code
that wrote it), tools/dtc-compare.py's table, plot and thresholds on it."""

import json
import os
import subprocess
import sys
import tempfile

exe, tools = sys.argv[1], sys.argv[2]
fails = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        fails.append(what)


with tempfile.TemporaryDirectory() as d:
    rep_path = os.path.join(d, "r.json")
    r = subprocess.run([exe, rep_path], capture_output=True, text=True, timeout=60)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    check(r.returncode == 0, "test_copy_report passed")
    rep = json.load(open(rep_path))
    check(not os.path.exists(rep_path + ".tmp"), "no temporary file left")
    keys = {k["key"]: k for k in rep["keys"]}
    check(rep["compared"] == 165, "compared 165 (%s)" % rep["compared"])
    check(rep["test_missing"] == 4, "test_missing 4")
    check(rep["test_time_source"].startswith("response port"), "two-host time source")
    check(len(rep["keys"]) == 4 and rep["keys"][0]["key"] == "GET /index.html",
          "4 keys, the biggest first: %s" % [k["key"] for k in rep["keys"]])
    check(rep["other"]["pairs"] == 4, "the fifth key under other (%d)" % rep["other"]["pairs"])
    e = keys["GET /err"]
    m = {(c["online"], c["test"]): c["count"] for c in e["outcomes"]["matrix"]}
    # worker 1's test answers came without their outcome (as from a 1.x intercept)
    check(m == {("200", "500"): 15} and e["outcomes"]["test_unknown"] == 15,
          "GET /err: 15 x 200->500, 15 unknown (%s)" % m)
    check(rep["outcomes"]["test_unknown"] == 80, "80 test outcomes unknown (%d)" %
          rep["outcomes"]["test_unknown"])
    smp = e["samples"]["outcome"]
    check(len(smp) == 5 and smp[0]["request"].startswith("GET /err HTTP/1.1") and
          smp[0]["online"].startswith("HTTP/1.1 200") and smp[0]["test_len"] > 0,
          "5 samples: the request, the online answer's bytes, the test answer's length")
    s = keys["GET /slow/{n}"]
    check(19000 <= s["latency_us"]["delta"]["p50"] <= 21000, "slow: delta p50 %s" %
          s["latency_us"]["delta"]["p50"])
    check(s["latency_us"]["test"]["max"] == 21000, "slow: test max 21000")
    check(sum(c for _, c in s["latency_us"]["test"]["buckets"]) == 20, "slow: 20 in buckets")
    check(keys["GET /len"]["length_differs"] == {"count": 10, "test_longer": 10,
          "test_shorter": 0, "by_bytes": {"4-7": 10}}, "len: 10 longer by 5 bytes")
    check(keys["GET /index.html"]["differing"] == 0, "index: no difference")

    tool = os.path.join(tools, "dtc-compare.py")
    t = subprocess.run([sys.executable, tool, rep_path], capture_output=True, text=True)
    check(t.returncode == 0 and "GET /err" in t.stdout and "200->500:15" in t.stdout,
          "dtc-compare.py prints the table")
    sys.stdout.write(t.stdout)
    t = subprocess.run([sys.executable, tool, rep_path, "--quiet", "--max-mismatch-pct",
                        "0.1"], capture_output=True, text=True)
    check(t.returncode == 1 and "outcome mismatch" in t.stderr,
          "a mismatch threshold exceeded: exit 1 (%d, %s)" % (t.returncode, t.stderr.strip()))
    t = subprocess.run([sys.executable, tool, rep_path, "--quiet", "--max-mismatch-pct",
                        "20", "--key", "GET /index.html", "--max-p99-delta-ms", "1"],
                       capture_output=True, text=True)
    check(t.returncode == 0, "thresholds met on one key: exit 0 (%s)" % t.stderr.strip())
    t = subprocess.run([sys.executable, tool, rep_path, "--quiet", "--key",
                        "GET /slow/{n}", "--max-p99-delta-ms", "5"], capture_output=True,
                       text=True)
    check(t.returncode == 1 and "p99 delta" in t.stderr, "slow key over 5 ms: exit 1")
    try:
        import matplotlib  # noqa: F401
        png = os.path.join(d, "cdf.png")
        t = subprocess.run([sys.executable, tool, rep_path, "--quiet", "--plot", png],
                           capture_output=True, text=True)
        check(t.returncode == 0 and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n",
              "the plot is a PNG")
    except ImportError:
        print("skip: no matplotlib (python3-matplotlib) for the plot")
    t = subprocess.run([sys.executable, tool, os.path.join(d, "none.json")],
                       capture_output=True, text=True)
    check(t.returncode == 2, "a missing report: exit 2")

sys.exit(1 if fails else 0)
