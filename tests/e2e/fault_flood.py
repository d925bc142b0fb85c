#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""A SYN flood and malformed frames for tests/e2e/test_fault_flood.sh, sent on a raw
AF_PACKET socket (run it inside the client namespace):

    fault_flood.py IFACE SRC_MAC DST_MAC DST_IP DPORT N_SYN N_BAD SEED

N_SYN SYNs to DST_IP:DPORT from random sources within 198.18.0.0/15 only (never outside the
test range) and random ports, then N_BAD malformed frames of the kinds in BAD (cycled).
Prints "sent SYN n bad m kinds k"."""

import random
import socket
import struct
import sys

NET = 0xC6120000  # 198.18.0.0/15


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip_hdr(src, dst, payload_len, proto=6, ihl=5, ver=4, tot=None, frag=0, opts=b""):
    tot = 20 + len(opts) + payload_len if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", (ver << 4) | ihl, 0, tot & 0xFFFF, random.getrandbits(16),
                    frag, 64, proto, 0, src, dst) + opts
    return h[:10] + struct.pack("!H", csum(h)) + h[12:]


def tcp_hdr(src, dst, sport, dport, seq, ack, flags, doff=5, opts=b"", payload=b""):
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, 65535, 0, 0) + opts
    ph = src + dst + struct.pack("!BBH", 0, 6, len(h) + len(payload))
    c = csum(ph + h + payload)
    return h[:16] + struct.pack("!H", c) + h[18:] + payload


def main():
    ifn, smac, dmac, dip, dport, n_syn, n_bad, seed = sys.argv[1:9]
    dport, n_syn, n_bad = int(dport), int(n_syn), int(n_bad)
    rnd = random.Random(int(seed))
    random.seed(int(seed))
    eth = bytes.fromhex(dmac.replace(":", "")) + bytes.fromhex(smac.replace(":", "")) + b"\x08\x00"
    dst = socket.inet_aton(dip)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifn, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)

    def src_ip():
        a = NET | rnd.getrandbits(17)
        return struct.pack("!I", a)

    sent = 0
    for _ in range(n_syn):
        src = src_ip()
        t = tcp_hdr(src, dst, rnd.randint(1024, 65535), dport, rnd.getrandbits(32), 0, 0x02,
                    doff=6, opts=b"\x02\x04\x05\xb4")
        f = eth + ip_hdr(src, dst, len(t)) + t
        while True:
            try:
                s.send(f)
                break
            except BlockingIOError:
                pass
            except OSError as e:
                if e.errno != 105:  # ENOBUFS: the qdisc is full, try again
                    raise
        sent += 1

    def good_tcp(src, flags=0x18, payload=b"*1\r\n$4\r\nPING\r\n"):
        return tcp_hdr(src, dst, rnd.randint(1024, 65535), dport, rnd.getrandbits(32),
                       rnd.getrandbits(32), flags, payload=payload)

    def k_short_eth(src):
        return eth  # an IPv4 ethertype and nothing after it (the kernel pads it)

    def k_ihl_small(src):
        t = good_tcp(src)
        return eth + ip_hdr(src, dst, len(t), ihl=3) + t

    def k_ihl_big(src):
        t = good_tcp(src)
        return eth + ip_hdr(src, dst, len(t), ihl=15) + t[:8]

    def k_tot_big(src):
        t = good_tcp(src)
        return eth + ip_hdr(src, dst, len(t), tot=1500) + t

    def k_tot_small(src):
        t = good_tcp(src)
        return eth + ip_hdr(src, dst, len(t), tot=24) + t

    def k_ver6(src):
        t = good_tcp(src)
        return eth + ip_hdr(src, dst, len(t), ver=6) + t

    def k_bad_ipsum(src):
        t = good_tcp(src)
        h = bytearray(ip_hdr(src, dst, len(t)))
        h[10] ^= 0x5A
        return eth + bytes(h) + t

    def k_frag(src):
        t = good_tcp(src)
        return eth + ip_hdr(src, dst, len(t), frag=0x2000 | rnd.randint(0, 100)) + t

    def k_doff_small(src):
        t = bytearray(good_tcp(src))
        t[12] = 2 << 4
        return eth + ip_hdr(src, dst, len(t)) + bytes(t)

    def k_doff_big(src):
        t = bytearray(good_tcp(src, payload=b""))
        t[12] = 15 << 4
        return eth + ip_hdr(src, dst, len(t)) + bytes(t)

    def k_opt_zero_len(src):
        t = tcp_hdr(src, dst, rnd.randint(1024, 65535), dport, 1, 0, 0x02, doff=7,
                    opts=b"\x02\x00\x05\xb4\x08\x00\x00\x00")
        return eth + ip_hdr(src, dst, len(t)) + t

    def k_opt_overrun(src):
        t = tcp_hdr(src, dst, rnd.randint(1024, 65535), dport, 1, 0, 0x02, doff=6,
                    opts=b"\x01\x03\x28\x00")
        return eth + ip_hdr(src, dst, len(t)) + t

    def k_bad_tcpsum(src):
        t = bytearray(good_tcp(src))
        t[16] ^= 0xFF
        return eth + ip_hdr(src, dst, len(t)) + bytes(t)

    def k_trunc_tcp(src):
        t = good_tcp(src)
        return eth + ip_hdr(src, dst, len(t))[:20] + t[:7]

    def k_garbage(src):
        return eth + bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 80)))

    def k_synfin(src):
        t = tcp_hdr(src, dst, rnd.randint(1024, 65535), dport, 7, 0, 0x03)
        return eth + ip_hdr(src, dst, len(t)) + t

    def k_ip_opts_bad(src):
        t = good_tcp(src)
        return eth + ip_hdr(src, dst, len(t), ihl=6, opts=b"\x44\x00\x00\x00") + t

    bad = [k_short_eth, k_ihl_small, k_ihl_big, k_tot_big, k_tot_small, k_ver6, k_bad_ipsum,
           k_frag, k_doff_small, k_doff_big, k_opt_zero_len, k_opt_overrun, k_bad_tcpsum,
           k_trunc_tcp, k_garbage, k_synfin, k_ip_opts_bad]
    nb = 0
    for i in range(n_bad):
        f = bad[i % len(bad)](src_ip())
        try:
            s.send(f)
            nb += 1
        except OSError:
            pass
    print("sent SYN %d bad %d kinds %d" % (sent, nb, len(bad)))


if __name__ == "__main__":
    main()
