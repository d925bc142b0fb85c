#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""The Linux TCP stack and nginx as the test server, in the two-host mode.

    test_kernel.py [--lcores N]

A generated capture of interleaved HTTP/1.1 keep-alive sessions (some whose SYN was missed)
enters on net_pcap; the copier transmits on net_af_packet into a namespace where the kernel
owns the target address, nginx listens, and the fake client block is routed via the
copier's --tx-ip (the two-host route), so the kernel's responses come back on the same port.
Checked with nginx's own access log: every request of every session, from the -c address,
in order, on one connection per session, status 200; the copier saw every session end.
"""

import argparse
import json
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import harness  # noqa: E402
from harness import DATA, PY, Checks, Lab, sh  # noqa: E402

TX_IP = "198.18.1.1"
TARGET = "198.18.1.56"
FAKE = "198.18.2.100"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lcores", type=int, default=2)
    ap.add_argument("--sessions", type=int, default=6)
    a = ap.parse_args()
    tag = "k%d" % a.lcores
    chk = Checks("kernel as test server (%d lcores)" % a.lcores)
    with Lab(tag) as lab:
        sh(PY, os.path.join(DATA, "gen_http.py"), lab.path("in.pcap"), lab.path("in.json"),
           "--sessions", str(a.sessions), "--requests", "3", "--missed-syn", "2")
        meta = json.load(open(lab.path("in.json")))
        nc, ns = lab.netns("c"), lab.netns("s")
        ifc, ifs = "dtcC-%s-c0" % tag, "dtcC-%s-s0" % tag
        lab.veth(nc, ifc, ns, ifs, "02:dc:0c:02:00:01", "02:dc:0c:02:00:56")
        lab.nsx(ns, "ip", "addr", "add", TARGET + "/24", "dev", ifs)
        lab.nsx(ns, "ip", "route", "add", "198.18.2.0/24", "via", TX_IP)
        srv, acc = harness.nginx(lab, ns, "ts", TARGET)
        workers = max(1, a.lcores - 2)
        lcores = "0" if a.lcores == 1 else "(0-%d)@(0,1)" % (a.lcores - 1)
        eal = ["--lcores", lcores, "--vdev", "net_pcap0,rx_pcap=" + lab.path("in.pcap"),
               "--vdev", "net_af_packet0,iface=%s,qpairs=%d" % (ifc, workers + 1)]
        opts = ["-x", "198.18.0.40:80-%s:80" % TARGET, "-c", FAKE, "--tx-ip", TX_IP,
                "--rx-port", "0", "--tx-port", "1", "--response-port", "1",
                "--stats-interval", "1", "--idle-sleep", "500", "-m", "64"]
        cp = lab.copier(tag, eal, opts, ns=nc)
        prefix = lab.prefixes[-1]
        n = len(meta["sessions"])
        st, ok = harness.wait_sessions_ended(prefix, n, 40)
        chk(ok, "the copier created and ended %d sessions (%s)" % (n, st))
        rc = lab.stop(cp, signal.SIGINT, timeout=20)
        chk(rc == 0, "SIGINT: exit status 0 (got %s)" % rc)
        lab.stop(srv, signal.SIGQUIT)
        log = harness.access_log(acc)
        total = sum(len(s["paths"]) for s in meta["sessions"])
        chk(len(log) == total, "nginx logged %d requests, %d expected" % (len(log), total))
        chk(all(e["addr"] == FAKE and e["status"] == 200 for e in log),
            "every request came from the -c address and was answered 200")
        for s in meta["sessions"]:
            mine = [e for e in log if e["port"] == s["cport"]]
            got = [e["request"].split()[1] for e in mine]
            chk(got == s["paths"], "%s (%s): requests %s in order (got %s)" %
                (s["name"], "SYN captured" if s["syn"] else "SYN missed", s["paths"], got))
            chk(len({e["conn"] for e in mine}) == 1 and
                [e["conn_req"] for e in mine] == list(range(1, len(mine) + 1)),
                "%s: one keep-alive connection carried them all" % s["name"])
        if chk.fails:
            print("---- copier log ----\n" + lab.log(cp)[-5000:])
            print("---- access log ----\n" + open(acc).read() if os.path.exists(acc) else "")
    return chk.end()


if __name__ == "__main__":
    sys.exit(main())
