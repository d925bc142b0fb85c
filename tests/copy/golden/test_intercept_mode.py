#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""The three-host mode: responses come back over the control channel.

    test_intercept_mode.py

The scripted test server (peer.py --ctl-listen) also plays dpdk-intercept: it accepts the
copier's -C control connections on a separate management link, reads the version message
and the route registrations, and returns its TCP answers as 64-byte v1 header records on the
connection that registered the route, never on the wire (answers whose route is late are
held, as an intercept does).  The copier runs with 2 lcores (main: control; the other: RX and
worker).  Checked: -C 2 connections, each opened with the v1 version message (after the
v2 offers the 1.x peer leaves unanswered); a route
(add, -c address, client port, target) for every session; every request served in order and
every session ended through records alone; nothing from the test server on the wire; the
telemetry view of the intercepts; once the intercept is gone, the copier (no -L) exits with
status 1 after its grace period.
"""

import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import harness  # noqa: E402
from harness import DATA, HERE, PY, Checks, Lab, sh  # noqa: E402
from scapy.all import TCP, Ether, rdpcap  # noqa: E402

C_MAC, P_MAC = "02:dc:0c:06:00:01", "02:dc:0c:06:00:56"
TX_IP, T4, FAKE = "198.18.1.1", "198.18.1.56", "198.18.2.100"
CTL_C, CTL_P = "198.18.9.1", "198.18.9.2"


def main():
    chk = Checks("intercept mode")
    with Lab("im") as lab:
        sh(PY, os.path.join(DATA, "gen_http.py"), lab.path("in.pcap"), lab.path("in.json"),
           "--sessions", "4", "--requests", "2", "--missed-syn", "1")
        meta = json.load(open(lab.path("in.json")))
        nc, np_ = lab.netns("c"), lab.netns("p")
        lab.veth(nc, "dtcC-im-c0", np_, "dtcC-im-p0", C_MAC, P_MAC)
        lab.veth(nc, "dtcC-im-c1", np_, "dtcC-im-p1")
        lab.nsx(nc, "ip", "addr", "add", CTL_C + "/30", "dev", "dtcC-im-c1")
        lab.nsx(np_, "ip", "addr", "add", CTL_P + "/30", "dev", "dtcC-im-p1")
        dump = lab.start("tcpdump", ["tcpdump", "--immediate-mode", "-i", "dtcC-im-p0", "-n", "-U", "-w",
                                     lab.path("cap.pcap")], ns=np_)
        lab.wait_file_has(dump.dtc_log, "listening on", 10)
        peer = lab.start("peer", [PY, os.path.join(HERE, "golden", "peer.py"), "--iface",
                                  "dtcC-im-p0", "--ip4", T4, "--copier-ip", TX_IP, "--log",
                                  lab.path("peer.jsonl"), "--ctl-listen", CTL_P + ":36524"],
                         ns=np_)
        chk(lab.wait_file_has(lab.path("peer.jsonl"), '"ready"', 15), "scripted intercept up")
        eal = ["--lcores", "(0-1)@(0,1)", "--vdev", "net_pcap0,rx_pcap=" + lab.path("in.pcap"),
               "--vdev", "net_af_packet0,iface=dtcC-im-c0,qpairs=2"]
        opts = ["-x", "198.18.0.40:80-%s:80" % T4, "-c", FAKE, "--tx-ip", TX_IP,
                "-s", CTL_P, "-C", "2", "--rx-port", "0", "--tx-port", "1",
                "--stats-interval", "1", "--idle-sleep", "500", "-m", "64", "-R", "20"]
        cp = lab.copier("im", eal, opts, ns=nc)
        prefix = lab.prefixes[-1]
        n = len(meta["sessions"])
        st, ok = harness.wait_sessions_ended(prefix, n, 40)
        chk(ok, "%d sessions created and ended through records (%s)" % (n, st))
        ic = harness.telemetry(prefix, "/dtc/copy/intercepts") or {}
        chk(ic.get("up") == 1 and ic.get("conns_up") == 2 and ic.get("routes_sent", 0) >= n
            and ic.get("records", 0) > 0 and ic.get("bad_records") == 0,
            "telemetry /dtc/copy/intercepts: 1 up, 2 connections, routes and records (%s)" % ic)
        # the intercept goes away: without -L the copier gives up after the grace period
        t_gone = time.time()
        lab.stop(peer)
        try:
            rc = cp.wait(timeout=25)
        except subprocess.TimeoutExpired:
            rc = lab.stop(cp, signal.SIGINT)
        took = time.time() - t_gone
        chk(rc == 1 and "no intercept connected for 10 s" in lab.log(cp) and 9 < took < 20,
            "intercept gone, no -L: exit 1 after the 10 s grace period (status %s, %.1f s)" %
            (rc, took))
        chk("summary after" in lab.log(cp), "the summary is printed on that exit too")
        lab.stop(dump, signal.SIGINT)
        ev = [json.loads(l) for l in open(lab.path("peer.jsonl"))]
        vers = [e for e in ev if e["ev"] == "ctl_version"]
        # The copier offers v2 (0x4402) first; this 1.x peer does not answer, so after 2 s
        # each connection is made again with the v1 version message.
        offers = [e for e in vers if e["version"] == 0x4402]
        v1 = [e for e in vers if e["version"] == 6]
        chk(len([e for e in ev if e["ev"] == "ctl_accept"]) == 4 and len(offers) == 2 and
            len(v1) == 2 and len(vers) == 4 and all(e["zero"] for e in vers),
            "-C 2: two v2 offers the 1.x peer left unanswered, then two connections opened "
            "with the v1 version message (6)")
        for s in meta["sessions"]:
            routes = [e for e in ev if e["ev"] == "route" and e["cport"] == s["cport"]]
            chk(routes and routes[0]["type"] == 1 and
                all(e["type"] in (1, 2) and e["client"] == FAKE and e["target"] == T4 and
                    e["tport"] == 80 for e in routes),
                "%s: route add %s:%d -> %s:80 registered first (then %s)" %
                (s["name"], FAKE, s["cport"], T4, [e["type"] for e in routes[1:]]))
            served = [e["req"].split()[1] for e in ev if e["ev"] == "response" and
                      e["sport"] == s["cport"]]
            chk(served == s["paths"], "%s: requests %s served in order (got %s)" %
                (s["name"], s["paths"], served))
            chk(any(e["ev"] == "fin" and e["sport"] == s["cport"] for e in ev),
                "%s: closed by FIN" % s["name"])
        wire = [p for p in rdpcap(lab.path("cap.pcap"))
                if Ether in p and p[Ether].src == P_MAC and TCP in p]
        chk(not wire, "the test server's answers never went on the wire (%d frames)" % len(wire))
        if chk.fails:
            print("---- copier log ----\n" + lab.log(cp)[-5000:])
    return chk.end()


if __name__ == "__main__":
    sys.exit(main())
