#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""-i with every accepted link type: the generated capture (IPv4, IPv6, a VLAN, a missed SYN)
rewritten by scapy as Linux cooked v1, Linux cooked v2, raw IP and pcapng, each replayed by
its own copier (in parallel) onto a net_pcap port.  Nobody answers, so each session ends by
the handshake timeout and the copier exits 0 by itself.  Checked with scapy on each output:
a SYN for every mapped session, with the client's ISN (first seq - 1 when the SYN was missed),
from the -c address of its family; nothing for the unmapped traffic.
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import COPIER, DATA, PY, Checks, Lab, sh  # noqa: E402
from scapy.all import IP, TCP, CookedLinux, IPv6, rdpcap, wrpcap  # noqa: E402
from scapy.utils import PcapNgWriter, PcapWriter  # noqa: E402

try:
    from scapy.all import CookedLinuxV2
except ImportError:
    CookedLinuxV2 = None

MAPS = ("198.18.0.40:80-198.18.1.56:80@02:dc:0c:07:00:56,"
        "[2001:db8::40]:80-[2001:db8:1::56]:80@02:dc:0c:07:00:56")


def l3(p):
    return p[IP] if IP in p else p[IPv6]


def convert(lab, pkts):
    files = {}
    ip_pkts = [p for p in pkts if IP in p or IPv6 in p]
    path = lab.path("raw.pcap")
    with PcapWriter(path, linktype=101) as w:
        for p in ip_pkts:
            q = l3(p).copy()
            q.time = p.time
            w.write(q)
    files["raw IP"] = path
    path = lab.path("sll.pcap")
    out = []
    for p in ip_pkts:
        q = CookedLinux(pkttype=4, lladdrtype=1, lladdrlen=6, src=b"\x02\xdc\x0c\x00\x00\x10",
                        proto=0x0800 if IP in p else 0x86DD) / l3(p).copy()
        q.time = p.time
        out.append(q)
    wrpcap(path, out)
    files["Linux cooked v1"] = path
    if CookedLinuxV2 is not None:
        path = lab.path("sll2.pcap")
        out = []
        for p in ip_pkts:
            q = CookedLinuxV2(proto=0x0800 if IP in p else 0x86DD, ifindex=3, lladdrtype=1,
                              pkttype=4, lladdrlen=6, src=b"\x02\xdc\x0c\x00\x00\x10") / \
                l3(p).copy()
            q.time = p.time
            out.append(q)
        wrpcap(path, out)
        files["Linux cooked v2"] = path
    path = lab.path("eth.pcapng")
    w = PcapNgWriter(path)
    for p in pkts:
        w.write(p)
    w.close()
    files["pcapng (Ethernet, VLAN)"] = path
    return files


def main():
    chk = Checks("offline link types")
    with Lab("lt") as lab:
        sh(PY, os.path.join(DATA, "gen_sessions.py"), lab.path("in.pcap"), lab.path("in.json"))
        meta = json.load(open(lab.path("in.json")))
        wrpcap(lab.path("empty.pcap"), [])
        files = convert(lab, rdpcap(lab.path("in.pcap")))
        procs = {}
        for i, (kind, path) in enumerate(sorted(files.items())):
            prefix = "dtc-copy-lt%d" % i
            lab.prefixes.append(prefix)
            out = lab.path("out%d.pcap" % i)
            args = [COPIER, "--no-huge", "-m", "512", "--no-pci", "--file-prefix", prefix,
                    "--log-level=lib.*:warning", "-l", "0", "--vdev",
                    "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (lab.path("empty.pcap"), out),
                    "--", "-i", path, "-x", MAPS, "-c", "198.18.2.100,2001:db8:2::100",
                    "--tx-ip", "198.18.1.1", "--response-port", "0", "--idle-sleep", "1000",
                    "-m", "32"]
            procs[kind] = (subprocess.Popen(args, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, text=True), out)
        for kind, (p, out) in sorted(procs.items()):
            try:
                log, _ = p.communicate(timeout=40)
            except subprocess.TimeoutExpired:
                p.kill()
                log, _ = p.communicate()
            chk(p.returncode == 0, "%s: exit status 0 once every session ended (got %s)" %
                (kind, p.returncode))
            syns = {}
            for q in rdpcap(out):
                if TCP in q and q[TCP].flags & 0x02:
                    syns[q[TCP].sport] = (l3(q).src, q[TCP].seq)
            for s in meta["sessions"]:
                isn = s["isn"] if s["syn"] else s["requests"][0]["seq"] - 1
                src = "2001:db8:2::100" if s["family"] == 6 else "198.18.2.100"
                chk(syns.get(s["cport"]) == (src, isn),
                    "%s: %s SYN from %s with ISN %d (got %s)" %
                    (kind, s["name"], src, isn, syns.get(s["cport"])))
            chk(set(syns) == {s["cport"] for s in meta["sessions"]},
                "%s: nothing for the unmapped traffic (%s)" % (kind, sorted(syns)))
            if chk.fails:
                print(log[-3000:])
    return chk.end()


if __name__ == "__main__":
    sys.exit(main())
