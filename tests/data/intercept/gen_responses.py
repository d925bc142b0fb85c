#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Input of the dpdk-intercept golden test: what an auxiliary host's port receives.

The test server 198.18.1.56:80 answers fake clients 198.18.2.x (routed to the auxiliary host
198.18.1.63); around those responses: ARP and ICMP echo requests for the auxiliary host,
frames the filter 'tcp and src port 80' must reject, an IPv6 response (protocol v1 cannot
carry it), a broken frame.  Deterministic (no randomness, fixed timestamps).

usage: gen_responses.py OUT.pcap
Importable: FLOWS, frames() describe what the test expects.
"""

import sys

from scapy.all import (ARP, ICMP, IP, IPOption_NOP, IPv6, TCP, UDP, Dot1Q, Ether, Raw,
                       wrpcap)

SRV_IP, SRV_MAC = "198.18.1.56", "02:00:00:00:01:56"
AUX_IP, AUX_MAC = "198.18.1.63", "02:00:00:00:01:63"
SPORT = 80

# Each 4-tuple the test server answers: name -> (fake client ip, client port).
FLOWS = {
    "A1": ("198.18.2.100", 40001),
    "A2": ("198.18.2.100", 40002),
    "B1": ("198.18.2.101", 40001),
    "B2": ("198.18.2.102", 50000),
    "X": ("198.18.2.103", 40005),   # registered late: its SYN-ACK and RST are held
    "U": ("198.18.2.104", 40006),   # never registered: data dropped
    "U2": ("198.18.2.105", 40007),  # never registered: SYN-ACK held, then expires
}

TS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1000, 7)), ("NOP", None),
      ("WScale", 7)]


def seg(flow, flags, seq, ack, payload=b"", options=None, ip_options=None, sport=SPORT):
    cip, cport = FLOWS[flow]
    ip = IP(src=SRV_IP, dst=cip, id=seq & 0xffff, flags="DF",
            options=ip_options or [])
    tcp = TCP(sport=sport, dport=cport, flags=flags, seq=seq, ack=ack, window=65160,
              options=options or [])
    return Ether(src=SRV_MAC, dst=AUX_MAC) / ip / tcp / Raw(payload)


def frames():
    f = []
    f.append(Ether(src=SRV_MAC, dst="ff:ff:ff:ff:ff:ff") /
             ARP(op=1, hwsrc=SRV_MAC, psrc=SRV_IP, pdst=AUX_IP))
    # X arrives before anybody registered it
    f.append(seg("X", "SA", 5000, 101, options=TS))
    f.append(seg("X", "A", 5001, 120, b"early data"))
    f.append(seg("X", "R", 5001, 0))
    # A1: handshake, a long response (more than one batch), FIN
    f.append(seg("A1", "SA", 1000, 11, options=TS))
    for i in range(40):
        f.append(seg("A1", "A", 1001 + i * 100, 200,
                     bytes([i]) * 100, options=[("NOP", None), ("NOP", None),
                                              ("Timestamp", (2000 + i, 9))]))
    f.append(seg("A1", "FA", 5001, 200))
    f.append(seg("B1", "SA", 7000, 31))
    f.append(seg("B1", "PA", 7001, 80, b"HTTP/1.1 200 OK\r\n\r\n"))
    f.append(Ether(src=SRV_MAC, dst=AUX_MAC) / IP(src=SRV_IP, dst=AUX_IP) /
             ICMP(type=8, id=77, seq=1) / Raw(b"ping from the test server"))
    # A2: IP options (the record must say IHL 5), a 40-byte option block (cut at 24)
    f.append(seg("A2", "SA", 9000, 51, options=TS, ip_options=[IPOption_NOP()] * 4))
    f.append(seg("A2", "A", 9001, 60, b"y" * 10,
                 options=[("NOP", None), ("NOP", None),
                          ("SAck", (1, 2, 3, 4, 5, 6, 7, 8))]))
    f.append(seg("A2", "PA", 9011, 60, b"z" * 1400))
    # B2, with a retransmission
    f.append(seg("B2", "SA", 11000, 91))
    f.append(seg("B2", "PA", 11001, 91, b"abc"))
    f.append(seg("B2", "PA", 11001, 91, b"abc"))
    f.append(seg("B2", "R", 11004, 0))
    # not for us: another port, UDP from port 80, a VLAN-tagged response, ARP for someone else
    f.append(seg("A1", "A", 1, 2, sport=81))
    f.append(Ether(src=SRV_MAC, dst=AUX_MAC) / IP(src=SRV_IP, dst="198.18.2.100") /
             UDP(sport=80, dport=40001) / Raw(b"udp"))
    f.append(Ether(src=SRV_MAC, dst=AUX_MAC) / Dot1Q(vlan=5) /
             IP(src=SRV_IP, dst="198.18.2.100") / TCP(sport=80, dport=40001, flags="A"))
    f.append(Ether(src=SRV_MAC, dst="ff:ff:ff:ff:ff:ff") /
             ARP(op=1, hwsrc=SRV_MAC, psrc=SRV_IP, pdst="198.18.1.64"))
    f.append(Ether(src=SRV_MAC, dst=AUX_MAC) / IP(src=SRV_IP, dst="198.18.1.64") /
             ICMP(type=8, id=78, seq=1))
    # IPv6 response: matches the filter, but protocol v1 has no room for it
    f.append(Ether(src=SRV_MAC, dst=AUX_MAC) / IPv6(src="2001:db8::56", dst="2001:db8::100") /
             TCP(sport=80, dport=40001, flags="A"))
    # nobody's sessions
    f.append(seg("U", "A", 1, 1, b"orphan"))
    f.append(seg("U2", "SA", 1, 1))
    # a frame whose IPv4 header is cut short
    f.append(Ether(bytes(seg("A1", "A", 1, 1))[:30]))
    # the end of A1, so the test knows everything before it was processed
    f.append(seg("A1", "A", 9999, 201))
    for i, p in enumerate(f):
        p.time = 1700000000 + i / 1000.0
    return f


if __name__ == "__main__":
    wrpcap(sys.argv[1], frames())
