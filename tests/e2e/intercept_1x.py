#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""A stand-in for intercept 1.x in the lab (e2e_interop), written from intercept 1.x's wire
behaviour, not from our code: it captures the test server's answers on an interface with an
AF_PACKET socket (the kernel answers ARP for the address the test server routes to), reads
each copier connection as 1.x does (8 bytes, then 6 more when they are a version message,
whatever the version: a mismatch is only logged; then 14-byte route messages), and sends every
captured segment of a registered 4-tuple as a 64-byte record (IPv4 header 20 bytes, TCP header
20, options cut at 24) in a frame of one record (2-byte count).  A SYN-ACK/RST that beats its
route is held up to 3 s.  Prints "version N" per connection and a summary at SIGTERM.

usage: intercept_1x.py CTL_IP CTL_PORT IFACE SRC_HOST"""

import selectors
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003


def main():
    ctl_ip, ctl_port, iface, src = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    srcb = socket.inet_aton(src)
    lst = socket.socket()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((ctl_ip, ctl_port))
    lst.listen(64)
    lst.setblocking(False)
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    cap.bind((iface, 0))
    cap.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    cap.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(lst, selectors.EVENT_READ, "listen")
    sel.register(cap, selectors.EVENT_READ, "cap")
    conns = {}      # socket -> {"buf": bytes, "ver": bool}
    routes = {}     # (cip, cport, tip, tport) -> socket
    held = []       # (time, key, record)
    st = {"records": 0, "unrouted": 0, "routes": 0, "versions": []}
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))

    def send(c, rec):
        try:
            c.sendall(b"\x00\x01" + rec)
            st["records"] += 1
        except OSError:
            pass

    def record(fr):
        if len(fr) < 14 + 40 or fr[12:14] != b"\x08\x00":
            return None
        ip = fr[14:]
        ihl = (ip[0] & 0xf) * 4
        if ip[0] >> 4 != 4 or ip[9] != 6 or ip[12:16] != srcb or len(ip) < ihl + 20:
            return None
        tcp = ip[ihl:]
        doff = (tcp[12] >> 4) * 4
        opts = tcp[20:doff][:24]
        rec = bytes(ip[:20]) + bytes(tcp[:20]) + opts + b"\0" * (24 - len(opts))
        key = (ip[16:20], tcp[2:4], ip[12:16], tcp[0:2])
        return key, rec, tcp[13]

    while not stop:
        for k, _ in sel.select(timeout=0.2):
            if k.data == "listen":
                try:
                    c, _a = lst.accept()
                except OSError:
                    continue
                c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                c.setblocking(True)
                c.settimeout(1.0)
                conns[c] = {"buf": b"", "ver": False, "need": 8}
                sel.register(c, selectors.EVENT_READ, "conn")
            elif k.data == "cap":
                for _ in range(256):
                    try:
                        fr = cap.recv(65536)
                    except BlockingIOError:
                        break
                    r = record(fr)
                    if r is None:
                        continue
                    key, rec, flags = r
                    c = routes.get(key)
                    if c is not None:
                        send(c, rec)
                    elif flags & 0x06:   # SYN or RST: the route may be on its way
                        held.append((time.time(), key, rec))
                    else:
                        st["unrouted"] += 1
            else:
                c = k.fileobj
                s = conns[c]
                try:
                    d = c.recv(65536)
                except (BlockingIOError, socket.timeout):
                    continue
                except OSError:
                    d = b""
                if not d:
                    sel.unregister(c)
                    c.close()
                    del conns[c]
                    for key in [x for x, v in routes.items() if v is c]:
                        del routes[key]
                    continue
                s["buf"] += d
                while True:
                    b = s["buf"]
                    if not s["ver"]:
                        if len(b) < 8:
                            break
                        if b[:6] != b"\0" * 6:   # a pre-0.9 client: drop its 8 bytes
                            s["buf"], s["ver"] = b[8:], True
                            continue
                        if len(b) < 14:
                            break
                        st["versions"].append(struct.unpack(">H", b[6:8])[0])
                        print("version %d" % st["versions"][-1], flush=True)
                        s["buf"], s["ver"] = b[14:], True
                        continue
                    if len(b) < 14:
                        break
                    m, s["buf"] = b[:14], b[14:]
                    typ = struct.unpack(">H", m[6:8])[0]
                    key = (m[0:4], m[4:6], m[8:12], m[12:14])
                    if typ == 1:
                        routes[key] = c
                        st["routes"] += 1
                        for h in [x for x in held if x[1] == key]:
                            send(c, h[2])
                            held.remove(h)
                    elif typ == 2:
                        routes.pop(key, None)
        now = time.time()
        held = [h for h in held if now - h[0] < 3]
    print("summary records %d routes %d unrouted %d versions %s" %
          (st["records"], st["routes"], st["unrouted"], st["versions"]), flush=True)


if __name__ == "__main__":
    main()
