#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Seeds for fuzz_ctl_v2: v2 streams of every message type, both directions, packed here with
struct (independently of the C encoders).  Input layout: 4 chunk-seed bytes, 1 direction byte
(bit 0: 1 = intercept -> copier, preceded by the two zero bytes), then the stream."""

import os
import struct
import sys


def msg(t, body):
    return struct.pack("!BBH", t, 0, len(body)) + body


def hello(feat, nonce, name, prefix=0):
    return msg(1, b"DTC2" + struct.pack("!HH", 2, feat) + nonce +
               name.ljust(16, b"\0") + struct.pack("!HH", prefix, 0))


def key(fam, c, t, cp, tp):
    return c.ljust(16, b"\0") + t.ljust(16, b"\0") + struct.pack("!HHB3x", cp, tp, fam)


def hb(seq, tx, etx, erx):
    return msg(6, struct.pack("!IIQQQ", seq, 0, tx, etx, erx))


def rec4(seq, opts=b"", prefix=b"", plen=0, ts=1):
    doff = (20 + len(opts)) // 4
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + doff * 4 + plen, 1, 0x4000, 64, 6, 0,
                     bytes([198, 18, 1, 56]), bytes([198, 18, 2, 100]))
    tcp = struct.pack("!HHIIBBHHH", 80, 40000, seq, 7, doff << 4, 0x12, 65535, 0, 0)
    return (struct.pack("!BBHHHQ", 4, len(opts), plen, len(prefix), 0, ts) + ip + tcp +
            opts.ljust(40, b"\0") + prefix)


def rec6(seq, opts=b"", prefix=b"", plen=0, ts=1):
    doff = (20 + len(opts)) // 4
    src = bytes([0x20, 1, 0, 2, 0, 0, 0, 1] + [0] * 7 + [0x38])
    dst = bytes([0x20, 1, 0, 2, 0, 0, 0, 2] + [0] * 7 + [0x64])
    ip = struct.pack("!IHBB", 6 << 28, doff * 4 + plen, 6, 64) + src + dst
    tcp = struct.pack("!HHIIBBHHH", 6379, 5000, seq, 7, doff << 4, 0x10, 65535, 0, 0)
    return (struct.pack("!BBHHHQ", 6, len(opts), plen, len(prefix), 0, ts) + ip + tcp +
            opts.ljust(40, b"\0") + prefix)


SYNOPT = bytes([2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 1, 3, 3, 7])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    os.makedirs(out, exist_ok=True)
    k4 = key(4, bytes([198, 18, 2, 100]), bytes([198, 18, 1, 56]), 40000, 80)
    k6 = key(6, bytes([0x20, 1, 0, 2] + [0] * 11 + [0x64]),
             bytes([0x20, 1, 0, 2] + [0] * 11 + [0x38]), 5000, 6379)
    copier = {
        "copier-hello-auth-routes": hello(0x3f, bytes(range(16)), b"copier", 64) +
        msg(2, bytes(range(32))) + msg(3, k4 + k6) + msg(4, k4) + hb(1, 10, 5, 6),
        "copier-plain": hello(0x17, bytes(16), b"c") + msg(3, k4 * 20) + hb(2, 1, 0, 0) +
        msg(7, struct.pack("!H", 5) + b"shutting down"),
        "copier-badkey": hello(0x17, bytes(16), b"c") + msg(3, k4[:36] + b"\x05\0\0\0"),
        "copier-records-not-allowed": msg(5, rec4(1)),
    }
    icpt = {
        "icpt-hello-auth-records": b"\0\0" + hello(0x1f, bytes(range(16, 32)), b"icpt") +
        msg(2, bytes(32)) + msg(5, rec4(1, SYNOPT) + rec6(2, SYNOPT, b"GET / HTTP/1.1", 14)) +
        hb(3, 100, 50, 60),
        "icpt-16-records": b"\0\0" + msg(5, b"".join(rec6(i, prefix=bytes(128), plen=1000)
                                                      for i in range(16))),
        "icpt-bad-record": b"\0\0" + msg(5, rec4(1)[:20] + b"\x11" + rec4(1)[21:] + rec4(2)),
        "icpt-bye": b"\0\0" + msg(7, struct.pack("!H", 2) + b"authentication failed"),
        "icpt-no-preamble": hello(0x1f, bytes(16), b"icpt"),
    }
    for name, s in copier.items():
        open(os.path.join(out, name), "wb").write(b"\x11\x22\x33\x44\x00" + s)
    for name, s in icpt.items():
        open(os.path.join(out, name), "wb").write(b"\x55\x66\x77\x88\x01" + s)


if __name__ == "__main__":
    main()
