#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Run dtc_bench in its tiny configuration (--quick) and check what it prints.

Asserts nothing about speed.  It checks that every workload printed one well-formed JSON
object with the keys issue 7 asks for, that the figures are positive and consistent
(ns_per_pkt = 1000 / mpps, ratio = mpps / baseline_mpps), that the steady workload lost
nothing (no drop counter moved, no retransmission, every response record matched its
session) and that every short session of the churn workload was created and closed by FIN.

usage: check_quick.py DTC_BENCH
"""

import json
import os
import shutil
import subprocess
import sys

KEYS = ["workload", "lcores", "sessions", "mpps", "ns_per_pkt", "baseline_mpps", "ratio",
        "bytes_per_session", "new_sessions_per_s", "huge"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(bench):
    prefix = "dtc-bench-check-%d" % os.getpid()
    cmd = [bench, "--no-huge", "-m", "512", "--no-pci", "--file-prefix", prefix, "-l", "0",
           "--log-level=lib.*:error", "--", "--quick"]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=50)
    finally:
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    if p.returncode != 0:
        fail("dtc_bench exited %d\nstdout:\n%s\nstderr:\n%s" % (p.returncode, p.stdout,
                                                                  p.stderr))
    return p.stdout


def close(a, b):
    return abs(a - b) <= 0.01 * max(abs(a), abs(b)) + 0.2


def check_line(o):
    for k in KEYS:
        if k not in o:
            fail("%s: key %s missing" % (o.get("workload"), k))
    w = o["workload"]
    if "error" in o:
        fail("%s: %s" % (w, o["error"]))
    if o["huge"] is not False:
        fail("%s: huge %r in a --no-huge run" % (w, o["huge"]))
    if o["lcores"] != 1:
        fail("%s: lcores %r" % (w, o["lcores"]))
    for k in ["mpps", "baseline_mpps", "ratio", "ns_per_pkt", "bytes_per_session"]:
        if not isinstance(o[k], (int, float)) or o[k] <= 0:
            fail("%s: %s = %r is not a positive number" % (w, k, o[k]))
    if not close(o["ns_per_pkt"], 1000.0 / o["mpps"]):
        fail("%s: ns_per_pkt %r vs mpps %r" % (w, o["ns_per_pkt"], o["mpps"]))
    if not close(o["ratio"], o["mpps"] / o["baseline_mpps"]):
        fail("%s: ratio %r vs %r / %r" % (w, o["ratio"], o["mpps"], o["baseline_mpps"]))
    if o["frames"] <= 0 or o["records"] <= 0:
        fail("%s: no traffic (%r frames, %r records)" % (w, o["frames"], o["records"]))
    if o["drops_total"] != 0 or o["drops"] != {}:
        fail("%s: drops %r" % (w, o["drops"]))
    if o["resp_ignored"] != 0 or o["resp_unmatched"] != 0:
        fail("%s: response records not matched: ignored %r, unmatched %r" %
             (w, o["resp_ignored"], o["resp_unmatched"]))


def main():
    if len(sys.argv) != 2:
        fail("usage: check_quick.py DTC_BENCH")
    out = run(sys.argv[1])
    seen = {}
    for line in out.splitlines():
        if not line.strip():
            continue
        try:
            o = json.loads(line)
        except ValueError as e:
            fail("not JSON: %r (%s)" % (line, e))
        if not isinstance(o, dict):
            fail("not a JSON object: %r" % line)
        check_line(o)
        seen[o["workload"]] = o
    if sorted(seen) != ["churn", "mixed", "steady"]:
        fail("workloads printed: %r" % sorted(seen))
    st = seen["steady"]
    if st["sessions"] != st["population"] or st["retransmits"] != 0 or st["tx_copy"] != 0:
        fail("steady: sessions %r of %r live, %r retransmits, %r copies" %
             (st["sessions"], st["population"], st["retransmits"], st["tx_copy"]))
    if st["requests"] != st["frames"]:
        fail("steady: %r requests sent for %r captured" % (st["requests"], st["frames"]))
    ch = seen["churn"]
    if ch["new_sessions_per_s"] <= 0 or ch["sess_created"] <= 0:
        fail("churn: no new sessions")
    # every short session started in the window ends by FIN within it, bar those in flight
    if ch["sess_closed_fin"] < ch["sess_created"] - ch["sessions"]:
        fail("churn: %r created, %r closed by FIN, %r live" %
             (ch["sess_created"], ch["sess_closed_fin"], ch["sessions"]))
    if ch["retransmits"] != 0:
        fail("churn: %r retransmits" % ch["retransmits"])
    print("bench_quick: %d workloads, JSON well-formed, no loss" % len(seen))


if __name__ == "__main__":
    main()
