#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Client-side capture of HTTP/1.1 keep-alive sessions to an online server 198.18.0.40:80,
both directions, sessions interleaved, for tests where a real server (nginx) is the test
server.  Written with scapy only.

    gen_http.py OUT.pcap OUT.json [--sessions N] [--requests R] [--missed-syn K] [--open]

Session i comes from 198.18.0.(10 + i):(41000 + i); the first K sessions started before the
capture (no SYN); with --open no session is closed (for the shutdown test).  OUT.json lists
every session's client port and its request paths, in order.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_sessions as g  # noqa: E402
from scapy.all import wrpcap  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_pcap")
    ap.add_argument("out_json")
    ap.add_argument("--sessions", type=int, default=6)
    ap.add_argument("--requests", type=int, default=3)
    ap.add_argument("--missed-syn", type=int, default=2)
    ap.add_argument("--open", action="store_true")
    a = ap.parse_args()

    sess = []
    for i in range(a.sessions):
        s = g.Sess("h%d" % i, "198.18.0.%d" % (10 + i), 41000 + i, g.SRV4,
                   isn=100000 * (i + 1), sisn=900000 * (i + 1))
        s.paths = []
        sess.append(s)
        if i < a.missed_syn:
            s.ack = s.sseq + 1  # established before the capture started
            s.sseq += 1
        else:
            s.handshake()
    for j in range(a.requests):
        for i, s in enumerate(sess):
            path = "/k/%d/%d" % (i, j)
            s.paths.append(path)
            s.request([("GET %s HTTP/1.1\r\nHost: test\r\nUser-Agent: gen-http\r\n\r\n" %
                        path).encode()])
        for i, s in enumerate(sess):
            body = b"online body %d/%d\n" % (i, j)
            s.response(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    if not a.open:
        for s in sess:
            s.close()
    wrpcap(a.out_pcap, g.frames)
    meta = [{"name": s.name, "client": s.cli, "cport": s.cport, "paths": s.paths,
             "syn": s.meta["syn"]} for s in sess]
    with open(a.out_json, "w") as f:
        json.dump({"sessions": meta, "frames": len(g.frames)}, f, indent=1)


if __name__ == "__main__":
    main()
