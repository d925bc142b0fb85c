#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""dpdk-intercept with peers that behave exactly like tcpcopy 1.x on the wire.

- a tcpcopy 1.x with -C 2: two connections, each opened with the version 6 message, its
  14-byte route adds spread round-robin over them; each connection must get the records of
  the 4-tuples it registered, and only those;
- a pre-0.9 client whose first message is a route (1.x intercept: "client too old", drops its
  first 8 bytes, then reads 14-byte messages);
- a version the intercept does not know (7): a warning, then version 1 as usual;
- a delete (type 2, which 1.x never sends but the protocol allows): the route is gone.
Also the process side: -P writes the pid file (removed at exit), SIGHUP reopens the -l log
after a rotation.
Every peer reads as 1.x does: a 2-byte count (1..16), then count 64-byte records.

usage: test_compat.py DPDK_INTERCEPT
"""

import os
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icpt_harness as h  # noqa: E402

SRV = "198.18.1.56"
T = {i: ("198.18.3.%d" % i, 30000 + i) for i in range(1, 8)}


def main():
    binary = sys.argv[1]
    frames = []
    for step, flags in enumerate((0x12, 0x18, 0x11)):      # SYN-ACK, data, FIN
        for i in range(1, 8):
            cip, cport = T[i]
            frames.append((i, h.tcp_frame(SRV, cip, 80, cport, 100 * i + step, 1, flags,
                                          b"d" * (step * 7))))
    owner = {1: "c1", 3: "c1", 2: "c2", 4: "c2", 5: "old", 6: "v7"}
    want = {"c1": [], "c2": [], "old": [], "v7": []}
    for i, f in frames:
        if i in owner:
            want[owner[i]].append(h.v1_record(f[14:]))
    with tempfile.TemporaryDirectory(prefix="dtc-icpt-compat-") as d:
        pcap = os.path.join(d, "in.pcap")
        with open(pcap, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
            for n, (_, fr) in enumerate(frames):
                f.write(struct.pack("<IIII", 1700000000, n, len(fr), len(fr)) + fr)
        port = h.free_port()
        proc, prefix, log = h.start(
            binary, d, "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (pcap, os.path.join(d, "tx")),
            ["-F", "tcp and src port 80", "-p", str(port), "-b", "127.0.0.1",
             "--wait-routes", "7", "--idle-sleep", "500", "--stats-interval", "0",
             "-P", os.path.join(d, "icpt.pid")],
            tag="icpt-compat")
        peers = {}
        try:
            # The delete goes first, so it is in before the capture starts.
            peers["del"] = h.Copier(port, "del")
            peers["del"].send(h.version_msg() + h.route_msg(*T[7], SRV, 80) +
                              h.route_msg(*T[7], SRV, 80, typ=2))
            time.sleep(0.3)
            # tcpcopy 1.x, -C 2: the version message on each connection, adds round-robin
            c1, c2 = h.Copier(port, "c1"), h.Copier(port, "c2")
            peers.update(c1=c1, c2=c2)
            c1.version(6)
            c2.version(6)
            for n, i in enumerate((1, 2, 3, 4)):
                (c1, c2)[n % 2].add(*T[i])
            old = h.Copier(port, "old")
            peers["old"] = old
            old.send(h.route_msg(*T[1], SRV, 80)[:8])    # an old client's 8-byte message
            old.add(*T[5])
            v7 = h.Copier(port, "v7")
            peers["v7"] = v7
            v7.version(7)
            v7.add(*T[6])
            for name, recs in want.items():
                peers[name].wait_records(len(recs), timeout=15)
            time.sleep(0.5)
            for name, recs in want.items():
                got = list(peers[name].records)
                h.check(peers[name].bad is None, "%s framing %s" % (name, peers[name].bad))
                h.check(got == recs, "%s: %d records, want %d, equal %s" %
                        (name, len(got), len(recs), got == recs))
            h.check(peers["del"].count() == 0, "deleted route: no records")
            t = h.telemetry(prefix)
            h.check(t["versions_other"] == 2, "versions_other %d" % t["versions_other"])
            h.check(t["routes_deleted"] == 1, "routes_deleted %d" % t["routes_deleted"])
            h.check(t["malformed"] == 0, "malformed %d" % t["malformed"])
            h.check(t["unrouted"] == 2 and t["held"] == 1, "T7: unrouted %d held %d" %
                    (t["unrouted"], t["held"]))
            with open(os.path.join(d, "icpt.pid")) as f:
                h.check(int(f.read()) == proc.pid, "pid file holds our pid")
            os.rename(log, log + ".rotated")
            proc.send_signal(h.signal.SIGHUP)
            time.sleep(0.5)
        finally:
            rc = h.stop(proc, prefix=prefix)
            for p in peers.values():
                p.close()
        h.check(rc == 0, "exit status %s" % rc)
        h.check(not os.path.exists(os.path.join(d, "icpt.pid")), "pid file removed")
        with open(log) as f:
            h.check("final: captured=21" in f.read(), "SIGHUP: the log was reopened")
        with open(log + ".rotated") as f:
            text = f.read()
        h.check("first message is not a version message" in text, "old client logged")
        h.check("protocol version not supported (version 7)" in text, "version 7 logged")
        if h.failures:
            print(proc.stdout.read().decode(errors="replace"))
            print(text)
    print("compat: %d failures" % len(h.failures))
    return 1 if h.failures else 0


if __name__ == "__main__":
    sys.exit(main())
