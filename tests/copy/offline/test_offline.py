#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Offline replay (-i) of real traffic to a real server, two-host mode.

    test_offline.py

1. Real traffic: curl in a client namespace talks to nginx (the online server) in another;
   tcpdump on the server's side records it (Ethernet pcap, both directions).
2. The capture is replayed with -i, -a 10 and -T 2 into a namespace where the kernel and a
   second nginx play the test server (fake client block routed via --tx-ip).
Checked with the test server's own access log: every request the online server logged, per
session in order, once per pass, from the -c address; the replay ran about ten times faster
than the capture; and the copier ended by itself (status 0) once every session had ended,
without a fixed tail.
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import harness  # noqa: E402
from harness import Checks, Lab, sh  # noqa: E402

TX_IP = "198.18.1.1"
TARGET = "198.18.1.56"
FAKE = "198.18.2.100"
ONLINE = "198.18.0.40"
N_SESS, N_REQ = 5, 3


def capture_real(lab, chk):
    ncl, non = lab.netns("cl"), lab.netns("on")
    lab.veth(ncl, "dtcC-o-cl0", non, "dtcC-o-on0", "02:dc:0c:03:00:10", "02:dc:0c:03:00:40")
    lab.nsx(ncl, "ip", "addr", "add", "198.18.0.10/24", "dev", "dtcC-o-cl0")
    lab.nsx(non, "ip", "addr", "add", ONLINE + "/24", "dev", "dtcC-o-on0")
    srv, acc = harness.nginx(lab, non, "online", ONLINE)
    dump = lab.start("tcpdump", ["tcpdump", "--immediate-mode", "-i", "dtcC-o-on0", "-n", "-U", "-w",
                                 lab.path("real.pcap"), "tcp port 80"], ns=non)
    chk(lab.wait_file_has(dump.dtc_log, "listening on", 10), "tcpdump on the online server")
    for i in range(N_SESS):
        urls = ["http://%s/o/%d/%d" % (ONLINE, i, j) for j in range(N_REQ)]
        # 'ip netns exec' itself can fail while other tests remount /run/netns: retry it
        for attempt in range(3):
            r = lab.nsx(ncl, "curl", "-s", "-S", "--max-time", "5", "-o", "/dev/null", "-o",
                        "/dev/null", "-o", "/dev/null", *urls, check=False)
            if r.returncode == 0:
                break
            print("curl attempt %d: status %d: %s" % (attempt + 1, r.returncode,
                                                      r.stderr.strip()))
            time.sleep(0.5)
        time.sleep(0.4)
    time.sleep(1.0)
    lab.stop(dump, signal.SIGINT)
    lab.stop(srv, signal.SIGQUIT)
    online = harness.access_log(acc)
    chk(len(online) == N_SESS * N_REQ, "the online server logged %d requests" % len(online))
    # the checks below compare with the capture: it must hold every session whole
    syns = sh("tcpdump", "-nr", lab.path("real.pcap"), "tcp[tcpflags] & tcp-syn != 0 and "
              "tcp[tcpflags] & tcp-ack == 0").stdout.splitlines()
    fins = sh("tcpdump", "-nr", lab.path("real.pcap"), "tcp[tcpflags] & tcp-fin != 0").stdout
    chk(len(syns) == N_SESS and len(fins.splitlines()) == 2 * N_SESS,
        "the capture holds the %d sessions whole (%d SYNs, %d FINs)" %
        (N_SESS, len(syns), len(fins.splitlines())))
    return online


def main():
    chk = Checks("offline replay")
    with Lab("o") as lab:
        online = capture_real(lab, chk)
        nc, ns = lab.netns("c"), lab.netns("s")
        lab.veth(nc, "dtcC-o-c0", ns, "dtcC-o-s0", "02:dc:0c:03:01:01", "02:dc:0c:03:01:56")
        lab.nsx(ns, "ip", "addr", "add", TARGET + "/24", "dev", "dtcC-o-s0")
        lab.nsx(ns, "ip", "route", "add", "198.18.2.0/24", "via", TX_IP)
        srv, acc = harness.nginx(lab, ns, "ts", TARGET)
        eal = ["-l", "0", "--vdev", "net_af_packet0,iface=dtcC-o-c0,qpairs=1"]
        opts = ["-i", lab.path("real.pcap"), "-a", "10", "-T", "2",
                "-x", "%s:80-%s:80" % (ONLINE, TARGET), "-c", FAKE, "--tx-ip", TX_IP,
                "--response-port", "0", "--stats-interval", "1", "--idle-sleep", "500",
                "-m", "64"]
        t0 = time.time()
        cp = lab.copier("o", eal, opts, ns=nc)
        try:
            rc = cp.wait(timeout=45)
        except Exception:
            rc = lab.stop(cp, signal.SIGINT)
            chk(False, "the copier did not end by itself")
        took = time.time() - t0
        log = lab.log(cp)
        chk(rc == 0, "the copier exited 0 by itself after the replay (status %s, %.1f s)" %
            (rc, took))
        chk("offline replay done" in log and "pass 1 of 2 done" in log,
            "both -T passes replayed, every session ended before the next pass and the exit")
        lab.stop(srv, signal.SIGQUIT)
        test = harness.access_log(acc)
        chk(len(test) == 2 * len(online), "the test server logged %d requests, %d expected "
            "(two passes)" % (len(test), 2 * len(online)))
        chk(all(e["addr"] == FAKE and e["status"] == 200 for e in test),
            "from the -c address, answered 200")
        by_port = {}
        for e in online:
            by_port.setdefault(e["port"], []).append(e["request"])
        for port, reqs in sorted(by_port.items()):
            got = [e["request"] for e in test if e["port"] == port]
            chk(got == reqs + reqs, "session from port %d: %s in order, in both passes"
                % (port, [r.split()[1] for r in reqs]))
        on_span = online[-1]["t"] - online[0]["t"]
        half = len(test) // 2
        rep_span = test[half - 1]["t"] - test[0]["t"] if half > 1 else 0
        chk(on_span > 1.5 and rep_span < on_span / 3,
            "-a 10: pass 1 spread its requests over %.2f s, the capture over %.2f s" %
            (rep_span, on_span))
        if chk.fails:
            print("---- copier log ----\n" + log[-5000:])
    return chk.end()


if __name__ == "__main__":
    sys.exit(main())
