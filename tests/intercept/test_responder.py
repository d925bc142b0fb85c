#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""ARP/ICMP responder and capture triage, checked by scapy.

scapy writes the requests (and frames that must not be answered), cap_tool runs them through
dtc_capture_burst() with the responder, and scapy checks every reply field by field, the
checksums by recomputing them, and that nothing else was answered.

usage: test_responder.py CAP_TOOL
"""

import os
import subprocess
import sys
import tempfile

from scapy.all import (ARP, ICMP, IP, IPOption_NOP, TCP, UDP, Dot1Q, Ether, Raw,  # noqa
                       rdpcap, wrpcap)

MY_IP, MY_MAC = "198.18.1.63", "02:00:00:00:01:63"
SRV_IP, SRV_MAC = "198.18.1.56", "02:00:00:00:01:56"
BCAST = "ff:ff:ff:ff:ff:ff"

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def frames():
    """(frame, expect_reply) pairs."""
    eth = Ether(src=SRV_MAC, dst=BCAST)
    uni = Ether(src=SRV_MAC, dst=MY_MAC)
    yes = [
        eth / ARP(op=1, hwsrc=SRV_MAC, psrc=SRV_IP, pdst=MY_IP),
        Ether(src=SRV_MAC, dst=BCAST) / Dot1Q(vlan=100) /
        ARP(op=1, hwsrc=SRV_MAC, psrc="198.18.1.57", pdst=MY_IP),
        eth / ARP(op=1, hwsrc="02:00:00:00:01:58", psrc="0.0.0.0", pdst=MY_IP),  # probe
        uni / IP(src=SRV_IP, dst=MY_IP, ttl=7) / ICMP(type=8, id=1, seq=1) / Raw(b"abc"),
        uni / IP(src=SRV_IP, dst=MY_IP) / ICMP(type=8, id=2, seq=9) / Raw(bytes(1400)),
        uni / IP(src=SRV_IP, dst=MY_IP, options=[IPOption_NOP()] * 4) /
        ICMP(type=8, id=3, seq=1) / Raw(b"opt"),
        Ether(src=SRV_MAC, dst=MY_MAC) / Dot1Q(vlan=7) /
        IP(src="198.18.1.59", dst=MY_IP) / ICMP(type=8, id=4, seq=2) / Raw(b"vlan"),
        # promiscuous capture: a request sent to another MAC but for our address
        Ether(src=SRV_MAC, dst="02:00:00:00:09:09") / IP(src=SRV_IP, dst=MY_IP) /
        ICMP(type=8, id=5, seq=3),
    ]
    no = [
        eth / ARP(op=1, hwsrc=SRV_MAC, psrc=SRV_IP, pdst="198.18.1.64"),
        eth / ARP(op=2, hwsrc=SRV_MAC, psrc=SRV_IP, pdst=MY_IP),
        eth / ARP(op=1, hwsrc="01:00:5e:00:00:01", psrc=SRV_IP, pdst=MY_IP),
        uni / IP(src=SRV_IP, dst="198.18.1.64") / ICMP(type=8, id=10, seq=1),
        uni / IP(src=SRV_IP, dst=MY_IP) / ICMP(type=0, id=11, seq=1),
        uni / IP(src="255.255.255.255", dst=MY_IP) / ICMP(type=8, id=12, seq=1),
        uni / IP(src="224.0.0.5", dst=MY_IP) / ICMP(type=8, id=13, seq=1),
        uni / IP(src=SRV_IP, dst=MY_IP, flags="MF") / ICMP(type=8, id=14, seq=1) /
        Raw(bytes(64)),
        uni / IP(src=SRV_IP, dst=MY_IP) / UDP(sport=53, dport=53) / Raw(b"x"),
    ]
    tcp = [
        uni / IP(src=SRV_IP, dst="198.18.2.100") / TCP(sport=80, dport=40000, flags="SA"),
        uni / IP(src=SRV_IP, dst="198.18.2.100") / TCP(sport=80, dport=40001, flags="A") /
        Raw(bytes(1300)),
        uni / IP(src=SRV_IP, dst="198.18.2.100") / TCP(sport=81, dport=40002, flags="A"),
    ]
    bad = [Ether(bytes(uni / IP(src=SRV_IP, dst=MY_IP) / ICMP())[:24])]  # cut IPv4 header
    return yes, no, tcp, bad


def run(tool, inp, out, flt=None):
    args = [tool, inp, out, MY_IP, MY_MAC] + ([flt] if flt else [])
    res = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if res.returncode != 0:
        print(res.stdout, res.stderr)
        sys.exit(1)
    return {k: int(v) for k, v in (line.split("=") for line in res.stdout.split())}


def fresh(pkt):
    """The same packet with every checksum recomputed by scapy."""
    p = pkt.copy()
    for layer in (IP, ICMP):
        if layer in p:
            del p[layer].chksum
    return Ether(bytes(p))


def check_arp(req, rep):
    check(rep[Ether].dst == req[ARP].hwsrc and rep[Ether].src == MY_MAC, "arp eth addresses")
    check(rep[ARP].op == 2, "arp op is reply")
    check(rep[ARP].hwsrc == MY_MAC and rep[ARP].psrc == MY_IP, "arp sender is us")
    check(rep[ARP].hwdst == req[ARP].hwsrc and rep[ARP].pdst == req[ARP].psrc,
          "arp target is the requester")
    check((Dot1Q in req) == (Dot1Q in rep), "arp vlan tag kept")
    if Dot1Q in req:
        check(rep[Dot1Q].vlan == req[Dot1Q].vlan, "arp vlan id kept")


def check_icmp(req, rep):
    check(rep[Ether].dst == req[Ether].src and rep[Ether].src == MY_MAC, "icmp eth addresses")
    check(rep[IP].src == MY_IP and rep[IP].dst == req[IP].src, "icmp ip addresses")
    check(rep[ICMP].type == 0 and rep[ICMP].code == 0, "icmp type echo reply")
    check(rep[ICMP].id == req[ICMP].id and rep[ICMP].seq == req[ICMP].seq, "icmp id/seq")
    check(bytes(rep[ICMP].payload) == bytes(req[ICMP].payload), "icmp payload echoed")
    check(rep[IP].options == req[IP].options, "ip options kept")
    ref = fresh(rep)
    check(rep[IP].chksum == ref[IP].chksum, "ip header checksum valid")
    check(rep[ICMP].chksum == ref[ICMP].chksum, "icmp checksum valid")
    check((Dot1Q in req) == (Dot1Q in rep), "icmp vlan tag kept")


def main():
    tool = sys.argv[1]
    yes, no, tcp, bad = frames()
    allf = yes + no + tcp + bad
    with tempfile.TemporaryDirectory(prefix="dtc-icpt-resp-") as d:
        inp, out = os.path.join(d, "in.pcap"), os.path.join(d, "out.pcap")
        wrpcap(inp, allf)
        st = run(tool, inp, out)
        reps = rdpcap(out)
        check(len(reps) == len(yes), "%d replies for %d requests" % (len(reps), len(yes)))
        for req, rep in zip(yes, reps):
            rep = Ether(bytes(rep))
            if ARP in req:
                check(ARP in rep, "reply to ARP is ARP")
                if ARP in rep:
                    check_arp(req, rep)
            else:
                check(ICMP in rep, "reply to ICMP is ICMP")
                if ICMP in rep:
                    check_icmp(req, rep)
        check(st["rx"] == len(allf), "rx counted")
        check(st["replies"] == len(yes), "replies counted")
        check(st["arp_replies"] == 3 and st["icmp_replies"] == 5, "reply kinds counted")
        check(st["matched"] == len(tcp) and st["filter_miss"] == 0, "no filter: all TCP")
        check(st["parse_err"] == len(bad), "malformed counted")
        check(st["not_tcp"] == len(no), "unanswered non-TCP counted")
        # With a filter, only the port-80 segments pass; the replies do not change.
        st = run(tool, inp, out, "tcp and src port 80")
        check(st["matched"] == 2 and st["filter_miss"] == 1, "filter splits TCP")
        check(len(rdpcap(out)) == len(yes), "replies independent of the filter")
    print("responder: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
