#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""HTTP/1.1 keep-alive client for the "sessions already open" e2e test.

    keepalive_client.py HOST PORT CONNS BEFORE AFTER GATE [INTERVAL_MS]

Opens CONNS connections, sends BEFORE requests on each (GET /index.html?before=C-I), writes
"open" on stdout, then waits (at most 60 s) for the file GATE to exist.  Then it sends AFTER
requests on each of the same connections (GET /1k.bin?after=C-I), round-robin, INTERVAL_MS
apart (default 5), reads every response, closes the connections and prints "done N" (N the
responses read after the gate).  Exit 1 on any error: a response that is not 200, a closed
connection, a timeout.
"""

import os
import socket
import sys
import time


def read_response(sock, buf):
    """Read one response (headers, then Content-Length bytes); return (status, rest)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before the response headers")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed in the response body")
        rest += chunk
    return status, rest[length:]


def request(sock, host, path, bufs, c):
    sock.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: dtc-e2e\r\n\r\n"
                  % (path, host)).encode())
    status, bufs[c] = read_response(sock, bufs[c])
    if status != 200:
        raise RuntimeError("status %d for %s" % (status, path))


def main():
    if len(sys.argv) < 7:
        sys.stderr.write(__doc__)
        return 2
    host, port = sys.argv[1], int(sys.argv[2])
    conns, before, after = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    gate = sys.argv[6]
    interval = (int(sys.argv[7]) if len(sys.argv) > 7 else 5) / 1000.0

    socks, bufs = [], []
    for c in range(conns):
        s = socket.create_connection((host, port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        socks.append(s)
        bufs.append(b"")
        for i in range(before):
            request(s, host, "/index.html?before=%d-%d" % (c, i), bufs, c)
    print("open", flush=True)

    deadline = time.time() + 60
    while not os.path.exists(gate):
        if time.time() > deadline:
            raise TimeoutError("gate file %s never appeared" % gate)
        time.sleep(0.05)

    done = 0
    for i in range(after):
        for c, s in enumerate(socks):
            request(s, host, "/1k.bin?after=%d-%d" % (c, i), bufs, c)
            done += 1
            time.sleep(interval)
    for s in socks:
        s.close()
    print("done %d" % done, flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, RuntimeError, ValueError) as e:
        print("error: %s" % e, flush=True)
        sys.exit(1)
