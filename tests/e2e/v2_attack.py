#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Dishonest copiers against a dpdk-intercept that has --secret (e2e_auth), written with the
independent Python v2 peer of tests/intercept/v2peer.py.  Each must be refused without a
record: an AUTH replayed from an earlier, honest connection; routes without AUTH; a HELLO
that offers no authentication; a 1.x (version 6) copier.  Prints one "ok NAME" or
"FAIL NAME: why" line per attempt; exits 1 when any failed.

usage: v2_attack.py HOST PORT SECRET_FILE"""

import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "intercept"))
import v2peer as v2  # noqa: E402

ROUTE = ("198.18.2.250", 40000, "198.18.1.56", 80)


def refused(c, reason):
    ok = c.wait(lambda: c.closed, 8)
    return ok and any(b[0] == reason for b in c.byes) and c.count(v2.RECORDS) == 0


def main():
    host, port, secret = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()
    secret = secret[:-1] if secret.endswith(b"\n") else secret
    fails = 0
    try:
        honest = v2.V2Copier(port, b"earlier", secret=secret, host=host)
        ok = honest.wait(lambda: honest.icpt_auth_ok is not None, 5) and honest.icpt_auth_ok
        print("ok earlier-honest" if ok else "FAIL earlier-honest: no valid intercept AUTH")
        fails += not ok
        recorded = honest.sent_handshake
        honest.close()
        tests = [
            ("replay", dict(name=b"replay", hello_bytes=b"", auth_bytes=recorded), 2),
            ("missing-auth", dict(name=b"noauth", secret=secret, send_auth=False), 3),
            ("no-auth-offered", dict(name=b"plain", features=v2.F_IPV6 | v2.F_HB), 3),
        ]
        for what, kw, reason in tests:
            c = v2.V2Copier(port, host=host, **kw)
            c.add(ROUTE)
            ok = refused(c, reason)
            print("ok %s" % what if ok else "FAIL %s: not refused with BYE %d (%s)" %
                  (what, reason, c.byes))
            fails += not ok
            c.close()
        s = socket.create_connection((host, port), 5)
        s.sendall(b"\0" * 7 + b"\x06" + b"\0" * 6 + socket.inet_aton(ROUTE[0]) +
                  struct.pack(">HH", ROUTE[1], 1) + socket.inet_aton(ROUTE[2]) +
                  struct.pack(">H", ROUTE[3]))
        s.settimeout(8)
        try:
            ok = s.recv(100) == b""
        except OSError:
            ok = False
        print("ok v1" if ok else "FAIL v1: not closed without a byte")
        fails += not ok
        s.close()
    except (OSError, AssertionError, EOFError) as e:
        print("FAIL: %s" % e)
        fails += 1
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
