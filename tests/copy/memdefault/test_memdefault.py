#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""The -m default comes from the EAL (issue 11).

    test_memdefault.py

1. --no-huge -m 256 and -m 512, no -m for the copier: it plans for what the EAL has (the plan
   line says so, with a budget a little under the EAL's memory and the session count), starts
   capturing and stops cleanly on SIGINT.
2. Hugepages (when the machine has at least 64 free 2 MiB pages; tools/dpdk-setup.sh
   hugepages N): the same, the plan counting the free hugepages.
3. An explicit -m larger than the EAL's memory: exit 1, naming what the EAL has and saying
   that leaving -m out plans for it.
"""

import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import COPIER, Checks, Lab  # noqa: E402
from scapy.all import Ether, wrpcap  # noqa: E402

TX_IP = "198.18.1.1"
PLAN = re.compile(r"memory plan for -m (\d+) MB \(not given: what the EAL has, ([^)]*)\): "
                  r"(\d+) session\(s\) in all")


def run(lab, name, eal, opts, secs=20):
    """Start the copier on a pcap vdev; returns (process, log path)."""
    prefix = "dtc-copy-mem-%s" % name
    lab.prefixes.append(prefix)
    args = [COPIER] + eal + ["--no-pci", "--file-prefix", prefix, "-l", "0",
                             "--log-level=lib.*:warning", "--vdev",
                             "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (lab.path("one.pcap"),
                                                                  lab.path(name + ".out"))]
    args += ["--", "-x", "80-198.18.1.56:80@02:dc:0c:05:00:56", "--tx-ip", TX_IP,
             "--response-port", "0", "--idle-sleep", "1000"] + opts
    return lab.start(name, args)


def started_from_eal(lab, chk, name, eal, lo_mb, hi_mb, what):
    p = run(lab, name, eal, [])
    ok = lab.wait_file_has(p.dtc_log, "capturing", 30)
    log = lab.log(p)
    m = PLAN.search(log)
    chk(ok and p.poll() is None, "%s, no -m: the copier runs (%s)" %
        (what, [l for l in log.splitlines() if "ERR" in l or "cannot" in l][:2]))
    chk(m is not None and lo_mb <= int(m.group(1)) <= hi_mb,
        "%s: the plan is for what the EAL has: -m %s MB in [%d, %d] (%s)" %
        (what, m and m.group(1), lo_mb, hi_mb, m and m.group(2)))
    chk(m is not None and int(m.group(3)) >= 100000,
        "%s: the plan line says how many sessions fit (%s)" % (what, m and m.group(3)))
    rc = lab.stop(p, signal.SIGINT)
    chk(rc == 0, "%s: SIGINT: exit 0 (got %s)" % (what, rc))
    return m


def free_hugepages():
    try:
        with open("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages") as f:
            return int(f.read())
    except (OSError, ValueError):
        return 0


def main():
    chk = Checks("memory default")
    with Lab("mem") as lab:
        wrpcap(lab.path("one.pcap"), [Ether()])
        started_from_eal(lab, chk, "nh256", ["--no-huge", "-m", "256"], 200, 255,
                         "--no-huge -m 256")
        started_from_eal(lab, chk, "nh512", ["--no-huge", "-m", "512"], 440, 511,
                         "--no-huge -m 512")
        pages = free_hugepages()
        if pages >= 64 and os.path.ismount("/dev/hugepages"):
            mb = pages * 2
            m = started_from_eal(lab, chk, "huge", [], mb * 85 // 100, mb,
                                 "hugepages (%d MB free)" % mb)
            chk(m is not None and "free hugepages" in m.group(2),
                "hugepages: the plan counts the free hugepages (%s)" % (m and m.group(2)))
        else:
            print("SKIP the hugepages part: %d free 2 MiB pages (tools/dpdk-setup.sh "
                  "hugepages 256 gives some)" % pages)
        p = run(lab, "big", ["--no-huge", "-m", "256"], ["-m", "512"])
        try:
            rc = p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            rc = lab.stop(p)
        log = lab.log(p)
        chk(rc == 1 and "cannot allocate" in log and "the EAL has no hugepages" in log and
            "leave -m out" in log,
            "-m 512 with --no-huge -m 256: exit 1 naming what the EAL has (got %s: %s)" %
            (rc, [l for l in log.splitlines() if "cannot" in l][:1]))
    return chk.end()


if __name__ == "__main__":
    sys.exit(main())
