#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Redis client with connections opened before the copier starts, then unpaced SETs.

    redis_preopen.py HOST PORT CONNS SETS GATE

Opens CONNS connections and sends one PING on each, prints "open", then waits (at most 60 s)
for the file GATE to exist.  Then every connection sends SETS back-to-back SETs (key
pre:C:I), each the moment the previous reply arrives: no pacing, all connections at once
(one select loop).  Prints "done N SECONDS" (N replies +OK read after the gate).  Exit 1 on
any error (a reply that is not +OK, a closed connection, 60 s without progress).
"""

import os
import select
import socket
import sys
import time


def cmd(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def main():
    host, port, conns, sets, gate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        int(sys.argv[4]), sys.argv[5]
    socks = []
    for _ in range(conns):
        s = socket.create_connection((host, port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(cmd("PING"))
        if not s.recv(64).startswith(b"+PONG"):
            print("no PONG", flush=True)
            return 1
        socks.append(s)
    print("open", flush=True)
    end = time.monotonic() + 60
    while not os.path.exists(gate):
        if time.monotonic() > end:
            print("no gate", flush=True)
            return 1
        time.sleep(0.01)
    sent = [0] * conns
    buf = [b""] * conns
    fd = {s.fileno(): i for i, s in enumerate(socks)}
    t0 = time.monotonic()
    for i, s in enumerate(socks):
        s.setblocking(False)
        s.send(cmd("SET", "pre:%d:%d" % (i, 0), "v"))
        sent[i] = 1
    done = 0
    live = set(fd)
    while live:
        r, _, _ = select.select(list(live), [], [], 10)
        if not r:
            print("stalled after %d replies" % done, flush=True)
            return 1
        for f in r:
            i = fd[f]
            chunk = socks[i].recv(65536)
            if not chunk:
                print("connection %d closed" % i, flush=True)
                return 1
            buf[i] += chunk
            while b"\r\n" in buf[i]:
                line, _, buf[i] = buf[i].partition(b"\r\n")
                if line != b"+OK":
                    print("bad reply %r" % line, flush=True)
                    return 1
                done += 1
                if sent[i] < sets:
                    socks[i].send(cmd("SET", "pre:%d:%d" % (i, sent[i]), "v"))
                    sent[i] += 1
                else:
                    live.discard(f)
    dt = time.monotonic() - t0
    for s in socks:
        s.close()
    print("done %d %.3f" % (done, dt), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
