#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Seed corpora for the lib/proto fuzzers (parse, tcp_opts, ctl_rec, ctl_route), written with
scapy and struct so they do not depend on the code they seed.  Small on purpose: libFuzzer
grows its own corpus; these only give it every link type and message kind to start from.

usage: make_corpus.py   (writes into tests/fuzz/<name>/corpus/)
"""

import os
import struct

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Ether, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw, fragment)
from scapy.layers.l2 import CookedLinux, CookedLinuxV2

HERE = os.path.dirname(os.path.abspath(__file__))
FUZZ = os.path.dirname(HERE)
SYN = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)), ("NOP", None), ("WScale", 7)]
TS = [("NOP", None), ("NOP", None), ("Timestamp", (7, 9))]
LINK = {"ether": 0, "raw": 1, "sll": 2, "ipv4": 3, "ipv6": 4, "sll2": 5}


def write(name, fname, data):
    d = os.path.join(FUZZ, name, "corpus")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)


def t4(flags="PA", opts=None, n=0):
    return IP(src="198.18.0.1", dst="198.18.1.56", flags="DF") / TCP(
        sport=40000, dport=80, flags=flags, options=opts or []) / Raw(b"x" * n)


def t6(flags="A", opts=None, ext=None, n=0):
    ip = IPv6(src="2001:db8::1", dst="2001:db8::2")
    return (ip / ext if ext is not None else ip) / TCP(flags=flags, options=opts or []) / \
        Raw(b"y" * n)


def parse_seeds():
    e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    frames = {
        "eth_syn": ("ether", e / t4("S", SYN)),
        "eth_data": ("ether", e / t4("PA", TS, 40)),
        "eth_sack": ("ether", e / t4("A", [("NOP", None), ("NOP", None),
                                          ("SAck", (1, 2, 3, 4))])),
        "vlan": ("ether", e / Dot1Q(vlan=5) / t4("A")),
        "qinq_v6ext": ("ether", e / Dot1AD(vlan=1) / Dot1Q(vlan=2) /
                       t6("PA", TS, IPv6ExtHdrHopByHop() / IPv6ExtHdrRouting() /
                          IPv6ExtHdrDestOpt(), 10)),
        "v6frag": ("ether", e / t6("A", None, IPv6ExtHdrFragment(offset=0, m=1, id=5), 16)),
        "v4frag2": ("ether", e / fragment(t4("PA", None, 200), 64)[1]),
        "udp": ("ether", e / IP() / UDP() / Raw(b"q" * 5)),
        "icmp_echo": ("ether", e / IP(src="198.18.0.9", dst="198.18.1.63") / ICMP(type=8) /
                      Raw(b"p" * 12)),
        "arp": ("ether", Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(psrc="198.18.1.56",
                                                              pdst="198.18.1.63")),
        "sll": ("sll", CookedLinux(proto=0x800, lladdrlen=6) / t4("S", SYN)),
        "sll2_v6": ("sll2", CookedLinuxV2(proto=0x86DD, lladdrlen=6) / t6("S", SYN)),
        "raw4": ("raw", t4("FA")),
        "raw6": ("raw", t6("R")),
        "ipv4": ("ipv4", t4("A", TS)),
        "ipv6": ("ipv6", t6("A", TS)),
    }
    for name, (link, p) in frames.items():
        raw = bytes(p)
        write("parse", name, bytes([LINK[link], len(raw) // 2]) + raw)
    # snaplen-cut data segment (allow_snap bit)
    raw = bytes(e / t4("PA", TS, 300))
    write("parse", "eth_snap", bytes([0x80, 0]) + raw[:96])


def tcp_opts_seeds():
    def opts(o):
        return bytes(TCP(options=o))[20:]
    write("tcp_opts", "syn", opts(SYN))
    write("tcp_opts", "ts", opts(TS))
    write("tcp_opts", "sack4", opts([("NOP", None), ("NOP", None),
                                     ("SAck", tuple(range(1, 9)))]))
    write("tcp_opts", "eol", b"\x02\x04\x05\xb4\x00\xff\xff\xff")
    write("tcp_opts", "unknown", b"\xfe\x06\x01\x02\x03\x04\x01\x01")
    write("tcp_opts", "bad_len0", b"\x01\x01\x08\x00")


def record(seq, flags=0x10, opts=b"", ihl=5, plen=0):
    doff = 5 + len(opts) // 4
    tot = ihl * 4 + doff * 4 + plen
    ip = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot, 1, 0x4000, 64, 6, 0,
                     bytes([198, 18, 1, 56]), bytes([198, 18, 2, 100]))
    tcp = struct.pack("!HHIIBBHHH", 80, 40000, seq, 1, doff << 4, flags, 65535, 0, 0)
    return (ip + tcp + opts[:24]).ljust(64, b"\x00")


def frame(recs):
    return struct.pack("!H", len(recs)) + b"".join(recs)


def ctl_rec_seeds():
    syn_opts = bytes(TCP(options=SYN))[20:]
    ts_opts = bytes(TCP(options=TS))[20:]
    s = frame([record(1, 0x12, syn_opts)])
    s += frame([record(2 + i, 0x18, ts_opts, plen=100) for i in range(3)])
    s += frame([record(10 + i) for i in range(16)])
    write("ctl_rec", "stream", b"\x01\x02\x03\x04" + s)
    write("ctl_rec", "ihl6_fin", b"\x09\x00\x00\x00" + frame([record(5, 0x11, ihl=6)]))
    write("ctl_rec", "count17", b"\x00\x00\x00\x00" + frame([record(1)]) + b"\x00\x11" +
          record(2))
    write("ctl_rec", "partial", b"\x07\x07\x07\x07" + frame([record(1), record(2)])[:100])


def ctl_route_seeds():
    ver = struct.pack("!4sHH4sH", b"\0" * 4, 0, 6, b"\0" * 4, 0)

    def route(port, t=1):
        return struct.pack("!4sHH4sH", bytes([198, 18, 2, 100]), port, t,
                           bytes([198, 18, 1, 56]), 80)
    write("ctl_route", "routes", b"\x01\x00\x00\x00" + ver +
          b"".join(route(1024 + i, 1 if i % 3 else 2) for i in range(8)))
    write("ctl_route", "too_old", b"\x02\x00\x00\x00" + route(5)[:8] + route(6) + route(7))
    write("ctl_route", "bad_type", b"\x03\x00\x00\x00" + ver + route(1) + route(2, 9))


if __name__ == "__main__":
    parse_seeds()
    tcp_opts_seeds()
    ctl_rec_seeds()
    ctl_route_seeds()
