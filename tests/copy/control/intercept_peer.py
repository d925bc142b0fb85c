#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""A scripted intercept that behaves like intercept 1.x on the control-channel wire.

Listens on 127.0.0.1 (--port, 0 = any free port) and reads every copier connection the way
intercept 1.x does: 8 bytes, then (when the address and port in them are zero) the 6 that
finish the version message, then 14-byte route messages.  It answers with batched response
frames: a 2-byte big-endian record count and that many 64-byte records (IPv4 header, TCP
header, 24 option bytes), at most 16 per frame.  Everything is packed here with struct, not
with the project's code, so the copier's decoder is checked against an independent encoder.

Driven by line commands on stdin; reports events on stdout, one per line:
  port N                         listening
  conn ID                        a connection accepted (IDs count from 0)
  version ID V HEX14             the first message (V = its type field) | oldclient ID HEX8
  route ID CIP CPORT TYPE TIP TPORT
  closed ID                      the copier closed the connection
  sent SEQ ACK SPORT DPORT FLAGS WIN PLEN TSVAL MSS WSCALE   one record sent (TSVAL -1 = none)
  count ID N                     routes received on ID so far (command "count")
  done CMD                       a command finished
Commands: frames ID N K (N records per frame, K frames in one send), splitall ID,
  raw ID HEX, close ID, stopread ID, resumeread ID, quiet 0|1, count ID, quit.
"""

import argparse
import os
import selectors
import socket
import struct
import sys
import time

def emit(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Rec:
    """One response segment from the test server 198.18.1.56:80 to a fake client."""

    def __init__(self, i):
        self.seq = (0x10000000 + i * 7919) & 0xFFFFFFFF
        self.ack = (0x20000000 + i * 104729) & 0xFFFFFFFF
        self.sport = 80
        self.dport = 10000 + (i % 50000)
        self.win = 1000 + i % 60000
        self.plen = (i * 13) % 1400
        kind = i % 3
        if kind == 0:  # SYN-ACK with MSS, SACK-permitted, TS, wscale (20 option bytes)
            self.flags = 0x12
            self.mss, self.wscale, self.tsval = 1400 + i % 60, 7, (0x30000000 + i) & 0xFFFFFFFF
            opts = struct.pack("!BBH", 2, 4, self.mss) + bytes([4, 2])
            opts += struct.pack("!BBII", 8, 10, self.tsval, 0x1234)
            opts += bytes([1, 3, 3, self.wscale])
            self.plen = 0
        elif kind == 1:  # data with NOP NOP TS
            self.flags = 0x18
            self.mss, self.wscale, self.tsval = 0, -1, (0x40000000 + i) & 0xFFFFFFFF
            opts = bytes([1, 1]) + struct.pack("!BBII", 8, 10, self.tsval, 0x5678)
        else:  # plain ACK, no options
            self.flags = 0x10
            self.mss, self.wscale, self.tsval = 0, -1, -1
            opts = b""
        self.opts = opts
        doff = (20 + len(opts)) // 4
        iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + doff * 4 + self.plen, i & 0xFFFF,
                          0x4000, 64, 6, 0, socket.inet_aton("198.18.1.56"),
                          socket.inet_aton("198.18.2.100"))
        iph = iph[:10] + struct.pack("!H", checksum(iph)) + iph[12:]
        tcph = struct.pack("!HHIIBBHHH", self.sport, self.dport, self.seq, self.ack, doff << 4,
                           self.flags, self.win, 0, 0)
        self.raw = (iph + tcph + opts + bytes(24))[:64]
        assert len(self.raw) == 64

    def line(self):
        return "sent %u %u %u %u %u %u %u %d %u %d" % (
            self.seq, self.ack, self.sport, self.dport, self.flags, self.win, self.plen,
            self.tsval, self.mss, self.wscale)


def frame(recs):
    return struct.pack("!H", len(recs)) + b"".join(r.raw for r in recs)


class Conn:
    def __init__(self, cid, sock):
        self.cid, self.sock = cid, sock
        self.buf = b""
        self.stage = 0  # 0: first 8 bytes, 1: rest of version, 2: routes
        self.routes = 0
        self.reading = True


class Peer:
    def __init__(self, port):
        self.sel = selectors.DefaultSelector()
        self.ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", port))
        self.ls.listen(64)
        self.sel.register(self.ls, selectors.EVENT_READ, "listen")
        self.sel.register(sys.stdin, selectors.EVENT_READ, "stdin")
        self.conns = {}
        self.next_id = 0
        self.rec_no = 0
        self.quiet = False
        self.stdin_buf = b""
        emit("port %d" % self.ls.getsockname()[1])

    def parse(self, c):
        buf, at = c.buf, 0
        while True:
            if c.stage == 0:
                if len(buf) - at < 8:
                    break
                first = buf[at:at + 8]
                at += 8
                if first[:6] != bytes(6):
                    emit("oldclient %d %s" % (c.cid, first.hex()))
                    c.stage = 2
                else:
                    c.first = first
                    c.stage = 1
            elif c.stage == 1:
                if len(buf) - at < 6:
                    break
                msg = c.first + buf[at:at + 6]
                at += 6
                emit("version %d %d %s" % (c.cid, struct.unpack("!H", msg[6:8])[0], msg.hex()))
                c.stage = 2
            else:
                n = (len(buf) - at) // 14
                if n == 0:
                    break
                c.routes += n
                if not self.quiet:
                    for k in range(n):
                        cip, cport, typ, tip, tport = struct.unpack_from("!4sHH4sH", buf,
                                                                         at + 14 * k)
                        emit("route %d %s %d %d %s %d" % (c.cid, socket.inet_ntoa(cip), cport,
                                                          typ, socket.inet_ntoa(tip), tport))
                at += 14 * n
        c.buf = buf[at:]

    def on_conn(self, c):
        try:
            data = c.sock.recv(1 << 16)
        except BlockingIOError:
            return
        except ConnectionResetError:
            data = b""
        if not data:
            emit("closed %d" % c.cid)
            self.drop(c)
            return
        c.buf += data
        self.parse(c)

    def drop(self, c):
        if c.reading:
            self.sel.unregister(c.sock)
        c.sock.close()
        del self.conns[c.cid]

    def send(self, cid, data):
        c = self.conns.get(cid)
        if c is None:
            return
        c.sock.setblocking(True)
        try:
            c.sock.sendall(data)
        except OSError:
            pass
        c.sock.setblocking(False)

    def recs(self, n):
        out = []
        for _ in range(n):
            out.append(Rec(self.rec_no))
            self.rec_no += 1
        return out

    def command(self, words):
        cmd = words[0]
        cid = int(words[1]) if len(words) > 1 and cmd != "quiet" else -1
        if cmd == "frames":
            n, k = int(words[2]), int(words[3])
            data = b""
            for _ in range(k):
                rs = self.recs(n)
                for r in rs:
                    emit(r.line())
                data += frame(rs)
            self.send(cid, data)
        elif cmd == "splitall":
            # Two frames (1 and 2 records) cut at every byte boundary of their 196 bytes.
            for cut in range(1, 2 + 64 + 2 + 128):  # 1 .. 195
                rs = self.recs(3)
                for r in rs:
                    emit(r.line())
                data = frame(rs[:1]) + frame(rs[1:])
                self.send(cid, data[:cut])
                time.sleep(0.002)
                self.send(cid, data[cut:])
        elif cmd == "raw":
            self.send(cid, bytes.fromhex(words[2]))
        elif cmd == "close":
            c = self.conns.get(cid)
            if c:
                self.drop(c)
        elif cmd == "stopread":
            c = self.conns[cid]
            if c.reading:
                self.sel.unregister(c.sock)
                c.reading = False
        elif cmd == "resumeread":
            c = self.conns[cid]
            if not c.reading:
                self.sel.register(c.sock, selectors.EVENT_READ, c)
                c.reading = True
        elif cmd == "quiet":
            self.quiet = words[1] == "1"
        elif cmd == "count":
            c = self.conns.get(cid)
            emit("count %d %d" % (cid, c.routes if c else -1))
        elif cmd == "quit":
            return False
        emit("done %s" % cmd)
        return True

    def run(self):
        while True:
            for key, _ in self.sel.select(timeout=1.0):
                if key.data == "listen":
                    s, _ = self.ls.accept()
                    s.setblocking(False)
                    c = Conn(self.next_id, s)
                    self.next_id += 1
                    self.conns[c.cid] = c
                    self.sel.register(s, selectors.EVENT_READ, c)
                    emit("conn %d" % c.cid)
                elif key.data == "stdin":
                    chunk = os.read(sys.stdin.fileno(), 4096)
                    if not chunk:
                        return
                    self.stdin_buf += chunk
                    while b"\n" in self.stdin_buf:
                        line, self.stdin_buf = self.stdin_buf.split(b"\n", 1)
                        words = line.decode().split()
                        if words and not self.command(words):
                            return
                else:
                    self.on_conn(key.data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    Peer(args.port).run()


if __name__ == "__main__":
    main()
