# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Control protocol v2 (docs/protocol.md section 3) written here with struct, hmac and
hashlib, independently of lib/proto: a copier for the dpdk-intercept tests."""

import hashlib
import hmac
import os
import socket
import struct
import threading
import time

HELLO, AUTH, ROUTE_ADD, ROUTE_DEL, RECORDS, HEARTBEAT, BYE = range(1, 8)
F_IPV6, F_DEL, F_HB, F_AUTH, F_TS, F_PREFIX = 1, 2, 4, 8, 16, 32


def msg(t, body):
    return struct.pack("!BBH", t, 0, len(body)) + body


def hello_body(features, nonce, name, prefix=0):
    return (b"DTC2" + struct.pack("!HH", 2, features) + nonce + name.ljust(16, b"\0")[:16] +
            struct.pack("!HH", prefix, 0))


def mac(secret, label, hello_i, hello_c):
    return hmac.new(secret, label + hello_i + hello_c, hashlib.sha256).digest()


def key(cip, cport, tip, tport):
    fam = 6 if ":" in cip else 4
    af = socket.AF_INET6 if fam == 6 else socket.AF_INET
    return (socket.inet_pton(af, cip).ljust(16, b"\0") + socket.inet_pton(af, tip).ljust(16, b"\0")
            + struct.pack("!HHB3x", cport, tport, fam))


def parse_records(body):
    """[(family, opt_len, payload_len, capture_us, l3+tcp bytes, prefix)]"""
    out, off = [], 0
    while off < len(body):
        fam, optl, plen, pre, _z, ts = struct.unpack("!BBHHHQ", body[off:off + 16])
        n = (96 if fam == 4 else 116) + pre
        rec = body[off:off + n]
        if len(rec) < n or fam not in (4, 6):
            raise ValueError("bad record at %d" % off)
        hl = 20 if fam == 4 else 40
        out.append((fam, optl, plen, ts, rec[16:16 + hl + 20 + 40], rec[n - pre:]))
        off += n
    return out


class V2Copier:
    """One v2 connection: version 0x4402, then the intercept's 00 00 + HELLO; our HELLO (and
    AUTH when secret is given).  A reader thread collects messages; heartbeats are sent every
    second while hb is True."""

    def __init__(self, port, name=b"pycopier", secret=None, features=None, prefix=0,
                 send_auth=True, hb=True, auth_bytes=None, hello_bytes=None, host="127.0.0.1"):
        deadline = time.time() + 20
        while True:
            try:
                self.s = socket.create_connection((host, port), timeout=5)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.name = name
        self.records, self.msgs, self.byes = [], [], []
        self.closed = False
        self.closed_at = None
        self.last_hb = time.time()
        self.hb = hb
        self.lock = threading.Lock()
        self.s.sendall(b"\0" * 6 + struct.pack("!H", 0x4402) + b"\0" * 6)
        pre = self._recv_exact(2)
        assert pre == b"\0\0", "preamble %r" % pre
        t, body = self._recv_msg()
        assert t == HELLO, "first message type %d" % t
        self.hello_i = body
        self.icpt_features = struct.unpack("!H", body[6:8])[0]
        if features is None:
            features = F_IPV6 | F_DEL | F_HB | F_TS | (F_AUTH if secret else 0)
        self.hello_c = hello_body(features, os.urandom(16), name, prefix)
        out = msg(HELLO, self.hello_c) if hello_bytes is None else hello_bytes
        if auth_bytes is not None:
            out += auth_bytes
        elif secret is not None and send_auth:
            out += msg(AUTH, mac(secret, b"dtc2 copier", self.hello_i, self.hello_c))
        self.sent_handshake = out
        self.s.sendall(out)
        self.secret = secret
        self.icpt_auth_ok = None
        self.s.settimeout(0.2)
        self.running = True
        self.t = threading.Thread(target=self._reader, daemon=True)
        self.t.start()
        self.hbt = threading.Thread(target=self._heartbeats, daemon=True)
        self.hbt.start()

    def _recv_exact(self, n):
        b = b""
        while len(b) < n:
            d = self.s.recv(n - len(b))
            if not d:
                raise EOFError("closed")
            b += d
        return b

    def _recv_msg(self):
        t, _f, n = struct.unpack("!BBH", self._recv_exact(4))
        return t, self._recv_exact(n) if n else b""

    def _reader(self):
        buf = b""
        while self.running:
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                # A reset is a close too: the intercept closes a refused connection with our
                # later messages (routes, heartbeats) unread, which makes its kernel send RST.
                d = b""
            if not d:
                self.closed_at = time.time()
                self.closed = True
                break
            buf += d
            while len(buf) >= 4:
                t, _f, n = struct.unpack("!BBH", buf[:4])
                if len(buf) < 4 + n:
                    break
                body, buf = buf[4:4 + n], buf[4 + n:]
                with self.lock:
                    self.msgs.append((t, body, time.time()))
                    if t == RECORDS:
                        self.records += parse_records(body)
                    elif t == BYE:
                        self.byes.append((struct.unpack("!H", body[:2])[0], body[2:]))
                    elif t == AUTH and self.secret is not None:
                        want = mac(self.secret, b"dtc2 intercept", self.hello_i, self.hello_c)
                        self.icpt_auth_ok = hmac.compare_digest(want, body)

    def _heartbeats(self):
        seq = 0
        while self.running:
            if self.hb:
                seq += 1
                try:
                    self.s.sendall(msg(HEARTBEAT, struct.pack(
                        "!IIQQQ", seq, 0, int(time.time() * 1e6), 0, 0)))
                    self.last_hb = time.time()
                except OSError:
                    return
            time.sleep(0.5)

    def count(self, t=None):
        with self.lock:
            return len(self.records) if t is None else sum(1 for m in self.msgs if m[0] == t)

    def add(self, *routes, typ=ROUTE_ADD):
        """False when the intercept closed the connection already (a refusal can win)."""
        try:
            self.s.sendall(msg(typ, b"".join(key(*r) for r in routes)))
            return True
        except OSError:
            return False

    def wait(self, cond, timeout=10):
        deadline = time.time() + timeout
        while not cond() and time.time() < deadline:
            time.sleep(0.02)
        return cond()

    def close(self):
        self.running = False
        self.t.join(timeout=2)
        self.s.close()
