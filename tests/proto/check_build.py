#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Independent check of the frames test_proto_build wrote: scapy dissects every frame and
compares it with its spec line (fields, option layout, payload), recomputes every checksum by
deleting it and rebuilding, and tshark verifies the checksums a second time.

usage: check_build.py FRAMES.pcap FRAMES.spec
"""

import subprocess
import sys

from scapy.all import ARP, ICMP, IP, TCP, Dot1Q, Ether, IPv6, rdpcap

failures = []


def fail(i, msg):
    failures.append("frame %d: %s" % (i + 1, msg))


def expect(i, what, got, want):
    if got != want:
        fail(i, "%s: got %r, want %r" % (what, got, want))


def parse_spec(line):
    kind, *kv = line.split()
    return kind, dict(x.split("=", 1) for x in kv)


def expected_options(s):
    """The documented layout (dtc_proto.h): MSS | SACK-perm TS | NOP NOP TS |
    NOP NOP SACK-perm | NOP WS."""
    opts = []
    if int(s["mss"]):
        opts.append(("MSS", int(s["mss"])))
    if int(s["ts"]):
        opts.append(("SAckOK", b"") if int(s["sackok"]) else ("NOP", None))
        if not int(s["sackok"]):
            opts.append(("NOP", None))
        opts.append(("Timestamp", (int(s["tsval"]), int(s["tsecr"]))))
    elif int(s["sackok"]):
        opts += [("NOP", None), ("NOP", None), ("SAckOK", b"")]
    if int(s["wscale"]) >= 0:
        opts += [("NOP", None), ("WScale", int(s["wscale"]))]
    return opts


def recomputed(p):
    """The frame rebuilt by scapy with every checksum deleted."""
    q = p.copy()
    for layer in (IP, TCP, ICMP):
        if q.haslayer(layer):
            del q[layer].chksum
    return Ether(bytes(q))


def check_checksums(i, p):
    q = recomputed(p)
    for layer in (IP, TCP, ICMP):
        if p.haslayer(layer):
            expect(i, layer.__name__ + " checksum", p[layer].chksum, q[layer].chksum)


def check_tcp(i, p, s):
    fam = int(s["family"])
    ip = p[IP] if fam == 4 else p[IPv6]
    expect(i, "ether src", p[Ether].src, s["esrc"])
    expect(i, "ether dst", p[Ether].dst, s["edst"])
    expect(i, "ip src", ip.src, s["src"])
    expect(i, "ip dst", ip.dst, s["dst"])
    if fam == 4:
        expect(i, "ihl", ip.ihl, 5)
        expect(i, "flags", str(ip.flags), "DF")
        expect(i, "frag", ip.frag, 0)
        expect(i, "ttl", ip.ttl, int(s["ttl"]))
        expect(i, "id", ip.id, int(s["ipid"]))
        expect(i, "proto", ip.proto, 6)
        expect(i, "tot_len", ip.len, len(p) - 14)
    else:
        expect(i, "version", ip.version, 6)
        expect(i, "hlim", ip.hlim, int(s["ttl"]))
        expect(i, "nh", ip.nh, 6)
        expect(i, "plen", ip.plen, len(p) - 14 - 40)
    t = p[TCP]
    expect(i, "sport", t.sport, int(s["sport"]))
    expect(i, "dport", t.dport, int(s["dport"]))
    expect(i, "seq", t.seq, int(s["seq"]))
    expect(i, "ack", t.ack, int(s["ack"]))
    expect(i, "window", t.window, int(s["win"]))
    expect(i, "flags", int(t.flags), int(s["flags"]))
    expect(i, "urgptr", t.urgptr, 0)
    expect(i, "options", t.options, expected_options(s))
    size = {"MSS": 4, "SAckOK": 2, "Timestamp": 10, "NOP": 1, "WScale": 3}
    expect(i, "data offset", t.dataofs * 4, 20 + sum(size[o] for o, _ in expected_options(s)))
    body = bytes(t.payload)
    expect(i, "payload length", len(body), int(s["plen"]))
    expect(i, "payload bytes", body, bytes((k * 7 + 3) & 0xFF for k in range(int(s["plen"]))))
    check_checksums(i, p)


def check_arp(i, p, s):
    a = p[ARP]
    expect(i, "ether dst", p[Ether].dst, s["edst"])
    expect(i, "ether src", p[Ether].src, s["esrc"])
    expect(i, "hwtype/ptype/len", (a.hwtype, a.ptype, a.hwlen, a.plen), (1, 0x800, 6, 4))
    expect(i, "op", a.op, int(s["op"]))
    for f in ("hwsrc", "psrc", "hwdst", "pdst"):
        expect(i, f, getattr(a, f), s[f])
    expect(i, "length", len(p), 42)


def check_icmp(i, p, s):
    expect(i, "ether dst", p[Ether].dst, s["edst"])
    expect(i, "ether src", p[Ether].src, s["esrc"])
    if int(s["vlan"]):
        expect(i, "vlan", p[Dot1Q].vlan, int(s["vlan"]))
    expect(i, "src", p[IP].src, s["src"])
    expect(i, "dst", p[IP].dst, s["dst"])
    expect(i, "ttl", p[IP].ttl, int(s["ttl"]))
    c = p[ICMP]
    expect(i, "type/code", (c.type, c.code), (int(s["type"]), 0))
    expect(i, "id/seq", (c.id, c.seq), (int(s["id"]), int(s["seq"])))
    expect(i, "payload", bytes(c.payload), bytes((k * 13) & 0xFF for k in range(int(s["plen"]))))
    check_checksums(i, p)


def tshark_check(pcap, n):
    """tshark's own checksum verification: every IP/TCP/ICMP checksum present must be good
    (status 1), none bad or unverified."""
    out = subprocess.run(
        ["tshark", "-n", "-r", pcap, "-o", "ip.check_checksum:TRUE",
         "-o", "tcp.check_checksum:TRUE", "-T", "fields", "-E", "separator=,",
         "-e", "frame.number", "-e", "ip.checksum.status", "-e", "tcp.checksum.status",
         "-e", "icmp.checksum.status"],
        check=True, capture_output=True, text=True).stdout.splitlines()
    expect(-1, "tshark frame count", len(out), n)
    checked = 0
    for line in out:
        num, *st = line.split(",")
        for name, v in zip(("ip", "tcp", "icmp"), st):
            if v == "":
                continue
            checked += 1
            if v != "1":
                fail(int(num) - 1, "tshark: %s checksum status %s (want 1 = good)" % (name, v))
    return checked


def main():
    pcap, specfile = sys.argv[1], sys.argv[2]
    pkts = rdpcap(pcap)
    specs = [l for l in open(specfile).read().splitlines() if l.strip()]
    expect(-1, "frame count", len(pkts), len(specs))
    for i, (p, line) in enumerate(zip(pkts, specs)):
        kind, s = parse_spec(line)
        {"tcp": check_tcp, "arp": check_arp, "icmp": check_icmp}[kind](i, p, s)
    checked = tshark_check(pcap, len(pkts))
    for f in failures:
        print("FAIL", f)
    print("check_build: %d frames, %d tshark checksum verdicts, %d failures" %
          (len(pkts), checked, len(failures)))
    sys.exit(1 if failures or not pkts else 0)


if __name__ == "__main__":
    main()
