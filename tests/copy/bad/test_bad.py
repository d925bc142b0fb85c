#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""-i with damaged files, and -F on the offline path.

    test_bad.py

The generated capture is damaged at packet K (gen_bad.py: data cut, record header cut, absurd
captured length, captured length above the wire length) or is not a capture at all.  Each run
sends on a net_pcap port (no test server answers, so the sessions end by the handshake
timeout).  Checked: exit status 3; the message on stderr names the file and packet K; every
session that started before packet K was replayed (its SYN is in the output, read by scapy)
and none after it.  Then -F: the same good capture with a filter excluding one client; that
session is not copied, the others are, and the filtered frames are counted.
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import COPIER, DATA, PY, Checks, Lab, sh  # noqa: E402
from scapy.all import IP, TCP, IPv6, rdpcap, wrpcap  # noqa: E402

K = 10
MAPS = ("198.18.0.40:80-198.18.1.56:80@02:dc:0c:04:00:56,"
        "[2001:db8::40]:80-[2001:db8:1::56]:80@02:dc:0c:04:00:56")


def run(lab, name, pcap, extra=()):
    prefix = "dtc-copy-bad-%s" % name.replace(".", "-")
    lab.prefixes.append(prefix)
    out = lab.path(name + ".out.pcap")
    args = [COPIER, "--no-huge", "-m", "512", "--no-pci", "--file-prefix", prefix,
            "--log-level=lib.*:warning", "-l", "0",
            "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (lab.path("empty.pcap"), out),
            "--", "-i", pcap, "-x", MAPS, "-c", "198.18.2.100,2001:db8:2::100",
            "--tx-ip", "198.18.1.1", "--response-port", "0", "--idle-sleep", "500",
            "-m", "32"] + list(extra)
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout + p.stderr, out


def syn_ports(path):
    ports = set()
    try:
        pkts = rdpcap(path)
    except FileNotFoundError:
        return None
    for p in pkts:
        if TCP in p and p[TCP].flags & 0x02 and not p[TCP].flags & 0x10:
            ports.add(p[TCP].sport)
    return ports


def client_ports_before(pcap, k):
    """Mapped sessions whose first client->server segment lies before packet k."""
    ports = set()
    for i, p in enumerate(rdpcap(pcap)[:k - 1]):
        if TCP not in p or p[TCP].dport != 80:
            continue
        dst = p[IP].dst if IP in p else p[IPv6].dst
        if dst in ("198.18.0.40", "2001:db8::40"):
            ports.add(p[TCP].sport)
    return ports


def main():
    chk = Checks("bad inputs")
    with Lab("bad") as lab:
        good = lab.path("in.pcap")
        sh(PY, os.path.join(DATA, "gen_sessions.py"), good, lab.path("in.json"))
        wrpcap(lab.path("empty.pcap"), [])
        sh(PY, os.path.join(DATA, "gen_bad.py"), good, lab.dir, str(K))
        bad = json.load(open(lab.path("bad.json")))
        want = client_ports_before(good, K)
        for name, exp in sorted(bad.items()):
            rc, out, txp = run(lab, name, lab.path(name))
            chk(rc == 3, "%s: exit status 3 (got %d)" % (name, rc))
            if exp["packet"] == 0:
                chk("%s: cannot read as a capture file" % lab.path(name) in out,
                    "%s: the message names the file" % name)
                continue
            tag = "%s: packet %d:" % (lab.path(name), exp["packet"])
            chk(tag in out, "%s: the message names the file and packet %d" %
                (name, exp["packet"]))
            chk("offline: %d packets read" % exp["valid_before"] in out,
                "%s: the %d valid packets before it were read" % (name, exp["valid_before"]))
            got = syn_ports(txp)
            chk(got == want, "%s: the sessions started before packet %d were replayed: %s "
                "(got %s)" % (name, K, sorted(want), sorted(got or [])))
            if chk.fails:
                print(out[-3000:])
        # -F on the offline path: one client filtered out
        rc, out, txp = run(lab, "filter", good, ["-F", "not host 198.18.0.11"])
        chk(rc == 0, "-F run: exit status 0 (got %d)" % rc)
        got = syn_ports(txp)
        chk(got == {40001, 40003, 40004},
            "-F 'not host 198.18.0.11': s2 (port 40002) not copied, the rest copied: %s"
            % sorted(got or []))
        chk("drop filtered" in out, "frames rejected by -F counted as 'filtered'")
        # --rx-lcores that the lcores or the RX port cannot give: stopped before any port
        # runs, with a message naming the option or the port
        for lcores, status, want_msg in (("0-1", 2, "--rx-lcores"),
                                         ("0-3", 1, "RX queue(s), 2 needed")):
            prefix = "dtc-copy-bad-rxl-%s" % lcores
            lab.prefixes.append(prefix)
            p = subprocess.run(
                [COPIER, "--no-huge", "-m", "512", "--no-pci", "--file-prefix", prefix,
                 "--log-level=lib.*:warning", "--lcores", "(0-%s)@0" % lcores[-1],
                 "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (lab.path("empty.pcap"),
                                                                lab.path("rxl.pcap")),
                 "--", "-x", MAPS.split(",")[0], "--tx-ip", "198.18.1.1",
                 "--response-port", "0", "-m", "32", "--rx-lcores", "2"],
                capture_output=True, text=True, timeout=60)
            out = p.stdout + p.stderr
            chk(p.returncode == status and want_msg in out,
                "--rx-lcores 2 with lcores %s: exit status %d naming '%s' (got %d: %s)"
                % (lcores, status, want_msg, p.returncode, out.strip()[-300:]))
    return chk.end()


if __name__ == "__main__":
    sys.exit(main())
