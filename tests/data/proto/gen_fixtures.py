#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Parser fixtures from an independent implementation (scapy).

Writes one pcap per link type (ether, sll, sll2, raw = LINKTYPE_RAW 101, ipv4 = 228,
ipv6 = 229) and expected.txt: for every frame, the fields scapy dissects from the bytes,
one line of key=value pairs.  tests/proto/test_fixtures.c parses the same frames with
lib/proto and compares key by key; test_fixtures_regen.sh checks that re-running this
script reproduces the committed files byte for byte.

Values (all from scapy's dissection of the written bytes, never from lib/proto):
  l3_off l4_off payload_off payload_len ip_len   offsets/lengths as dtc_pkt_info has them
  l3 l4 l4_proto family ethertype n_vlan vlan     (vlan: TCIs outer first, or -)
  ttl ip_id is_frag mf frag_off src dst
  sport dport seq ack win flags tcp_hlen          TCP (UDP: sport dport)
  opts mss mss_off wscale sack tsval tsecr ts_off present options and their values
  icmp_type icmp_code
  ip_cksum_ok tcp_cksum tcp_cksum_ok               checksums scapy recomputes (not for
                                                  fragments: they cover the whole datagram)

usage: gen_fixtures.py [OUTDIR]   (default: the directory of this script)
"""

import os
import random
import socket
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Ether, ICMPv6EchoRequest,
                       IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, Padding, Raw, fragment, fragment6)
from scapy.layers.l2 import CookedLinux, CookedLinuxV2
from scapy.utils import RawPcapWriter

MAC_A = "02:00:00:00:00:0a"
MAC_B = "02:00:00:00:00:0b"
C4, S4 = "198.18.2.100", "198.18.1.56"
C6, S6 = "2001:db8:2::100", "2001:db8:1::56"
SYN_OPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (123456, 0)), ("NOP", None),
            ("WScale", 7)]
TS_OPTS = [("NOP", None), ("NOP", None), ("Timestamp", (0x01020304, 0xa0b0c0d0))]
EXT_TYPES = (IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment)
OPT_SIZE = {"EOL": 1, "NOP": 1, "MSS": 4, "WScale": 3, "SAckOK": 2, "Timestamp": 10}


def body(n, k=1):
    return bytes((i * k + 5) & 0xFF for i in range(n))


def tcp4(flags="PA", opts=None, n=0, **kw):
    return IP(src=C4, dst=S4, flags="DF", id=4242, **kw) / TCP(
        sport=40000, dport=80, seq=0x01020304, ack=0xA0B0C0D0, flags=flags, window=29200,
        options=opts or []) / Raw(body(n))


def tcp6(flags="PA", opts=None, n=0, ext=None):
    ip = IPv6(src=C6, dst=S6, hlim=63)
    if ext is not None:
        ip = ip / ext
    return ip / TCP(sport=40001, dport=443, seq=7, ack=8, flags=flags, window=65535,
                    options=opts or []) / Raw(body(n, 3))


def ether_frames(rng):
    e = Ether(src=MAC_A, dst=MAC_B)
    f = [
        ("syn", e / tcp4("S", SYN_OPTS)),
        ("ack_ts_data", e / tcp4("PA", TS_OPTS, 100)),
        ("sack3", e / tcp4("A", [("NOP", None), ("NOP", None),
                                 ("SAck", (1000, 2000, 3000, 4000, 5000, 6000))])),
        ("sack1_ts", e / tcp4("A", TS_OPTS + [("NOP", None), ("NOP", None),
                                              ("SAck", (10, 20))])),
        ("unknown_opt", e / tcp4("A", [(30, b"\x01\x02\x03\x04"), ("NOP", None),
                                       ("NOP", None)], 3)),
        ("eol", e / tcp4("A", [("MSS", 536), ("EOL", None)])),
        ("odd_ts", e / tcp4("A", [("NOP", None), ("Timestamp", (1, 2)), ("EOL", None)])),
        ("ip_options", e / tcp4("PA", TS_OPTS, 10,
                                options=b"\x01\x01\x01\x00" + b"\x07\x07\x04" + b"\x00" * 5)),
        ("rst", e / tcp4("R")),
        ("finack", e / tcp4("FA")),
        ("padded", e / tcp4("A") / Padding(b"\x00" * 6)),
        ("bad_tcp_cksum", e / IP(src=C4, dst=S4) / TCP(sport=1, dport=2, chksum=0x1234)),
        ("bad_ip_cksum", e / IP(src=C4, dst=S4, chksum=0x4321) / TCP(sport=1, dport=2)),
        ("udp", e / IP(src=C4, dst=S4) / UDP(sport=53, dport=5353) / Raw(body(21))),
        ("icmp_echo", e / IP(src=C4, dst=S4) / ICMP(type=8, id=7, seq=9) / Raw(body(56))),
        ("icmp_reply", e / IP(src=S4, dst=C4) / ICMP(type=0, id=7, seq=9) / Raw(body(8))),
        ("vlan", Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=100, prio=5) / tcp4("S", SYN_OPTS)),
        ("qinq_v6", Ether(src=MAC_A, dst=MAC_B) / Dot1AD(vlan=7) / Dot1Q(vlan=4094, id=1) /
         tcp6("A", TS_OPTS, 33)),
        ("qinq_8100", Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=1) / Dot1Q(vlan=2) /
         tcp4("A", None, 1)),
        ("v6_syn", e / tcp6("S", SYN_OPTS)),
        ("v6_ext", e / tcp6("PA", TS_OPTS, 64, IPv6ExtHdrHopByHop() /
                            IPv6ExtHdrRouting(addresses=[S6], segleft=0) /
                            IPv6ExtHdrDestOpt())),
        ("v6_udp", e / IPv6(src=C6, dst=S6) / IPv6ExtHdrDestOpt() / UDP(sport=1, dport=2) /
         Raw(body(9))),
        ("v6_icmp", e / IPv6(src=C6, dst=S6) / ICMPv6EchoRequest(id=1, seq=2, data=body(30))),
        ("arp_req", Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") /
         ARP(op=1, hwsrc=MAC_A, psrc="198.18.1.56", pdst="198.18.1.63")),
        ("arp_reply", Ether(src=MAC_B, dst=MAC_A) /
         ARP(op=2, hwsrc=MAC_B, psrc="198.18.1.63", hwdst=MAC_A, pdst="198.18.1.56") /
         Padding(b"\x00" * 18)),
    ]
    for i, fr in enumerate(fragment(tcp4("PA", TS_OPTS, 300), fragsize=128)):
        f.append(("frag4_%d" % i, e / fr))
    v6 = IPv6(src=C6, dst=S6) / IPv6ExtHdrFragment(id=0x12345678) / TCP(
        sport=5, dport=6, flags="PA") / Raw(body(400))
    for i, fr in enumerate(fragment6(v6, 200)):
        f.append(("frag6_%d" % i, e / fr))
    for i in range(24):
        f.append(("random_%d" % i, e / random_tcp(rng)))
    return f


def random_tcp(rng):
    """A random well-formed segment: family, options mix and order, payload length."""
    opts = []
    pool = [("MSS", rng.randrange(65536)), ("WScale", rng.randrange(15)), ("SAckOK", b""),
            ("Timestamp", (rng.randrange(1 << 32), rng.randrange(1 << 32))),
            ("SAck", tuple(rng.randrange(1 << 32) for _ in range(2 * rng.randrange(1, 4)))),
            (rng.choice([30, 34, 253, 254]), bytes(rng.randrange(256)
                                                   for _ in range(rng.randrange(0, 6))))]
    rng.shuffle(pool)
    size = 0
    for o in pool[:rng.randrange(0, 5)]:
        s = OPT_SIZE.get(o[0], None) if isinstance(o[0], str) else 2 + len(o[1])
        if o[0] == "SAck":
            s = 2 + 4 * len(o[1])
        if size + s + rng.randrange(0, 2) > 40:
            continue
        if rng.randrange(2):
            opts.append(("NOP", None))
            size += 1
        opts.append(o)
        size += s
    t = TCP(sport=rng.randrange(1, 65536), dport=rng.randrange(1, 65536),
            seq=rng.randrange(1 << 32), ack=rng.randrange(1 << 32),
            flags=rng.randrange(256), window=rng.randrange(65536), options=opts)
    n = rng.choice([0, 1, 2, 3, 513, 1400, rng.randrange(1460)])
    if rng.randrange(2):
        ip = IP(src="198.18.%d.%d" % (rng.randrange(256), rng.randrange(256)), dst=S4,
                ttl=rng.randrange(1, 256), id=rng.randrange(65536))
    else:
        ip = IPv6(src="2001:db8::%x" % rng.randrange(65536), dst=S6, hlim=rng.randrange(256))
    return ip / t / Raw(body(n, rng.randrange(1, 9)))


def sll_frames():
    out = []
    for name, l3, proto in (("tcp4", tcp4("S", SYN_OPTS), 0x800),
                            ("tcp6", tcp6("A", TS_OPTS, 10), 0x86DD),
                            ("arp", ARP(op=1, hwsrc=MAC_A, psrc=C4, pdst=S4), 0x806)):
        out.append((name, CookedLinux(pkttype=4, lladdrtype=1, lladdrlen=6,
                                      src=bytes.fromhex("02000000000a0000"), proto=proto) / l3))
    out.append(("vlan_tcp4", CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6,
                                         src=b"\x02" + b"\x00" * 7, proto=0x8100) /
                Dot1Q(vlan=33) / tcp4("A", TS_OPTS, 5)))
    return out


def sll2_frames():
    out = []
    for name, l3, proto in (("tcp4", tcp4("PA", TS_OPTS, 77), 0x800),
                            ("tcp6", tcp6("S", SYN_OPTS), 0x86DD)):
        out.append((name, CookedLinuxV2(proto=proto, ifindex=3, lladdrtype=1, pkttype=0,
                                        lladdrlen=6, src=bytes.fromhex("02000000000b0000")) /
                    l3))
    return out


def raw_frames():
    return [("tcp4", tcp4("S", SYN_OPTS)), ("tcp6", tcp6("PA", TS_OPTS, 12)),
            ("icmp", IP(src=C4, dst=S4) / ICMP())]


# ---- expected values, from scapy's dissection of the bytes ----

def ntop(a):
    fam = socket.AF_INET6 if ":" in a else socket.AF_INET
    return socket.inet_ntop(fam, socket.inet_pton(fam, a))


def off(raw, layer):
    return len(raw) - len(layer.original)


def tcp_options(t):
    """Walk scapy's option list: offsets (from the TCP header) and values."""
    d = {"opts": 0, "mss": 0, "mss_off": 0, "ts_off": 0}
    names = []
    pos = 20
    for name, val in t.options:
        if name == "MSS":
            d.update(mss=val, mss_off=pos)
            names.append("mss")
        elif name == "WScale":
            d["wscale"] = val
            names.append("wscale")
        elif name == "SAckOK":
            names.append("sackok")
        elif name == "SAck":
            d["sack"] = ",".join("%d:%d" % (val[i], val[i + 1]) for i in range(0, len(val), 2))
            names.append("sack")
        elif name == "Timestamp":
            d.update(tsval=val[0], tsecr=val[1], ts_off=pos)
            names.append("ts")
        if name in ("EOL", "NOP"):
            pos += 1
        elif name == "SAck":
            pos += 2 + 4 * len(val)
        elif name in OPT_SIZE:
            pos += OPT_SIZE[name]
        else:
            pos += 2 + len(val)
    d["opts"] = "+".join(sorted(set(names))) or "-"
    return d


def cksums(l3, t, fam):
    """The checksums scapy computes when asked to rebuild them."""
    d = {}
    q = l3.copy()
    if fam == 4:
        del q.chksum
    del q[TCP].chksum
    q = q.__class__(bytes(q))
    if fam == 4:
        d["ip_cksum_ok"] = int(q.chksum == l3.chksum)
    d["tcp_cksum"] = q[TCP].chksum
    d["tcp_cksum_ok"] = int(q[TCP].chksum == t.chksum)
    return d


def expect_ip(raw, l3, d):
    fam = 4 if isinstance(l3, IP) else 6
    d.update(l3="ipv%d" % fam, family=fam, l3_off=off(raw, l3), src=ntop(l3.src),
             dst=ntop(l3.dst), is_frag=0, mf=0, frag_off=0)
    if fam == 4:
        ip_len = l3.len
        d.update(ttl=l3.ttl, ip_id=l3.id, ip_len=ip_len, mf=int("MF" in l3.flags),
                 frag_off=l3.frag * 8, is_frag=int("MF" in l3.flags or l3.frag != 0))
        upper, nh = l3.payload, l3.proto
    else:
        ip_len = 40 + l3.plen
        d.update(ttl=l3.hlim, ip_id=0, ip_len=ip_len)
        upper, nh = l3.payload, l3.nh
        while isinstance(upper, EXT_TYPES):
            if isinstance(upper, IPv6ExtHdrFragment):
                d.update(is_frag=1, mf=upper.m, frag_off=upper.offset * 8,
                         ip_id=upper.id & 0xFFFF)
            nh, upper = upper.nh, upper.payload
            if d["frag_off"]:
                break
    # scapy hands each upper layer exactly the bytes up to the IP length (padding is cut
    # off), so the upper layer starts len(original) bytes before the datagram's end.
    end = d["l3_off"] + ip_len
    l4_off = end - len(upper.original)
    d.update(l4_off=l4_off, l4_proto=nh)
    if d["frag_off"]:
        d.update(l4="frag", payload_off=l4_off, payload_len=end - l4_off)
        return
    if isinstance(upper, TCP):
        hl = upper.dataofs * 4
        d.update(l4="tcp", sport=upper.sport, dport=upper.dport, seq=upper.seq, ack=upper.ack,
                 win=upper.window, flags=int(upper.flags), tcp_hlen=hl,
                 payload_off=l4_off + hl, payload_len=end - l4_off - hl)
        d.update(tcp_options(upper))
        if not d["is_frag"]:
            d.update(cksums(l3, upper, fam))
    elif isinstance(upper, UDP):
        d.update(l4="udp", sport=upper.sport, dport=upper.dport, payload_off=l4_off + 8,
                 payload_len=end - l4_off - 8)
    elif isinstance(upper, ICMP) or upper.__class__.__name__.startswith("ICMPv6"):
        d.update(l4="icmp" if fam == 4 else "icmp6", icmp_type=upper.type,
                 icmp_code=upper.code, payload_off=l4_off + 8, payload_len=end - l4_off - 8)
    else:
        d.update(l4="other", payload_off=l4_off, payload_len=end - l4_off)


def expect(raw, pkt):
    d = {"frame_len": len(raw)}
    tags = []
    layer = pkt
    while layer and not isinstance(layer, (IP, IPv6, ARP)):
        if isinstance(layer, (Dot1Q, Dot1AD)):
            tags.append((layer.prio << 13) | (layer.id << 12) | layer.vlan)
        layer = layer.payload
    d.update(n_vlan=len(tags), vlan=",".join(map(str, tags)) or "-")
    if isinstance(layer, ARP):
        d.update(l3="arp", l4="none", family=0, l3_off=off(raw, layer), ethertype=0x806,
                 src=ntop(layer.psrc), dst=ntop(layer.pdst))
        return d
    d["ethertype"] = 0x800 if isinstance(layer, IP) else 0x86DD
    expect_ip(raw, layer, d)
    return d


LINKS = [("ether", 1, Ether), ("sll", 113, CookedLinux), ("sll2", 276, CookedLinuxV2),
         ("raw", 101, None), ("ipv4", 228, IP), ("ipv6", 229, IPv6)]


def dissect(cls, raw):
    if cls is not None:
        return cls(raw)
    return IP(raw) if raw[0] >> 4 == 4 else IPv6(raw)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(20260101)
    frames = {"ether": ether_frames(rng), "sll": sll_frames(), "sll2": sll2_frames(),
              "raw": raw_frames(), "ipv4": [("tcp", tcp4("S", SYN_OPTS))],
              "ipv6": [("tcp", tcp6("A", TS_OPTS, 1))]}
    lines = []
    for name, lt, cls in LINKS:
        w = RawPcapWriter(os.path.join(outdir, name + ".pcap"), linktype=lt, sync=True)
        w.write_header(None)  # write_packet() alone does not write the file header
        for i, (what, p) in enumerate(frames[name]):
            raw = bytes(p)
            w.write_packet(raw, sec=1767225600 + i, usec=0)
            d = expect(raw, dissect(cls, raw))
            lines.append("file=%s.pcap idx=%d name=%s " % (name, i, what) +
                         " ".join("%s=%s" % kv for kv in d.items()))
        w.close()
    with open(os.path.join(outdir, "expected.txt"), "w") as f:
        f.write("# generated by gen_fixtures.py (scapy); do not edit\n")
        f.write("\n".join(lines) + "\n")
    print("%d frames" % len(lines))


if __name__ == "__main__":
    main()
