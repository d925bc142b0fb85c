#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""dpdk-intercept speaking control protocol v2 to copiers written here (v2peer.py: struct,
hmac, hashlib; not our C codec).

With --secret (a 600 file):
- an honest copier authenticates (the intercept's AUTH checked here), registers an IPv4 and an
  IPv6 route, and gets every record (v2 format: capture time, all option bytes, the payload
  prefix it asked for), the v1 record of the IPv4 ones inside byte for byte;
- wrong secret, an AUTH replayed from another connection, routes without AUTH, a HELLO
  without authentication, and a v1 (1.x) copier: each refused with a BYE (v1: closed), a log
  line naming the peer, and its counter; the honest copier still gets 100 % afterwards;
- heartbeats: the intercept sends them every ~1 s; a copier that goes silent is closed within
  3..4.5 s and its routes are dropped (peer_dead).
Without --secret: a v2 copier without AUTH works, and a 1.x copier still gets v1 records.
A secret file open to group/others: the intercept refuses to start (exit 2, naming the mode).

usage: test_v2.py DPDK_INTERCEPT
"""

import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icpt_harness as h  # noqa: E402
import v2peer as v2  # noqa: E402

SRV, SRV6 = "198.18.1.56", "2001:2:0:1::38"
A4, A6 = ("198.18.3.1", 31001), ("2001:2:0:3::1", 31002)
B4 = ("198.18.3.2", 31003)
V1 = ("198.18.3.3", 31004)
SECRET = b"correct horse battery staple 0123456789"


def tcp6_frame(sip, dip, sport, dport, seq, flags=0x18, payload=b"", opts=b""):
    doff = (20 + len(opts)) // 4
    tcp = struct.pack(">HHIIBBHHH", sport, dport, seq, 1, doff << 4, flags, 65535, 0, 0) + opts
    ip = struct.pack(">IHBB", 6 << 28, len(tcp) + len(payload), 6, 64) + \
        socket.inet_pton(socket.AF_INET6, sip) + socket.inet_pton(socket.AF_INET6, dip)
    return b"\x02\0\0\0\x01\x63\x02\0\0\0\x01\x56\x86\xdd" + ip + tcp + payload


def push(fifo, frames):
    """Write frames, then ~70 kB of frames the filter drops: net_pcap reads the FIFO through
    stdio buffers, which would otherwise keep the last few frames until EOF."""
    fifo.write(frames + [h.tcp_frame(SRV, "198.18.9.9", 81, 9, i, 1, 0x18, b"f" * 1400)
                         for i in range(50)])


def log_has(log, text, timeout=5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if text in open(log).read():
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def expect_bye(c, reason, what):
    ok = c.wait(lambda: c.closed, 5)
    h.check(ok, "%s: connection closed" % what)
    h.check(any(b[0] == reason for b in c.byes), "%s: BYE reason %d (got %s)" %
            (what, reason, c.byes))
    h.check(c.count(v2.RECORDS) == 0, "%s: no records sent" % what)


def with_secret(binary, d):
    sec = os.path.join(d, "secret")
    with open(sec, "wb") as f:
        f.write(SECRET + b"\n")
    os.chmod(sec, 0o600)
    fifo_path = os.path.join(d, "rx.fifo")
    os.mkfifo(fifo_path)
    port = h.free_port()
    proc, prefix, log = h.start(
        binary, d, "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (fifo_path, os.path.join(d, "tx")),
        ["-F", "tcp and src port 80", "-p", str(port), "-b", "127.0.0.1", "--secret", sec,
         "--idle-sleep", "500", "--stats-interval", "0"], lcores="0-1", tag="icpt-v2")
    fifo = h.PcapFifo(fifo_path)
    peers = []
    try:
        a = v2.V2Copier(port, b"honest", secret=SECRET, prefix=8)
        peers.append(a)
        h.check(a.icpt_features & v2.F_AUTH, "intercept HELLO says authentication required")
        h.check(a.wait(lambda: a.icpt_auth_ok is not None), "intercept AUTH received")
        h.check(a.icpt_auth_ok is True, "intercept AUTH is HMAC(K, 'dtc2 intercept'...)")
        a.add((A4[0], A4[1], SRV, 80), (A6[0], A6[1], SRV6, 80))
        # wrong secret
        w = v2.V2Copier(port, b"wrongkey", secret=b"not the secret at all, sorry!!")
        peers.append(w)
        w.add((B4[0], B4[1], SRV, 80))
        expect_bye(w, 2, "wrong secret")
        # replay: the honest copier's HELLO + AUTH on a new connection (a new intercept nonce)
        r = v2.V2Copier(port, b"replay", hello_bytes=b"", auth_bytes=a.sent_handshake)
        peers.append(r)
        r.add((B4[0], B4[1], SRV, 80))
        expect_bye(r, 2, "replayed AUTH")
        # HELLO with authentication, then routes without AUTH
        m = v2.V2Copier(port, b"noauth", secret=SECRET, send_auth=False)
        peers.append(m)
        m.add((B4[0], B4[1], SRV, 80))
        expect_bye(m, 3, "routes before AUTH")
        # a HELLO that offers no authentication
        n = v2.V2Copier(port, b"plain", features=v2.F_IPV6 | v2.F_HB)
        peers.append(n)
        expect_bye(n, 3, "HELLO without authentication")
        # a 1.x copier
        old = h.Copier(port, "v1")
        old.version(6)
        old.add(*V1)
        h.check(old.wait_records(1, timeout=3) == 0 and
                v2.V2Copier.wait(old, lambda: old.closed, 10), "v1 copier closed, nothing sent")
        old.close()
        for what in ("(wrongkey): authentication failed", "(honest): authentication failed",
                     "(noauth): refused: routes before authentication",
                     "(plain): refused: no authentication",
                     "refused: protocol v1 (version 6)"):
            h.check(log_has(log, what), "log line: copier 127.0.0.1:PORT %s" % what)

        # The honest copier gets every record of its routes, and nobody else's.
        frames, want4 = [], []
        for i in range(50):
            f4 = h.tcp_frame(SRV, A4[0], 80, A4[1], 1000 + i, 1, 0x18, b"HTTP/1.1 200 OK " + b"x" * i)
            frames += [f4, tcp6_frame(SRV6, A6[0], 80, A6[1], 5000 + i, payload=b"+OK\r\n" * 3,
                                      opts=b"\x01\x01\x08\x0a" + struct.pack(">II", i, 7)),
                       h.tcp_frame(SRV, B4[0], 80, B4[1], 1, 1, 0x18, b"b"),
                       h.tcp_frame(SRV, V1[0], 80, V1[1], 1, 1, 0x18, b"v")]
            want4.append(h.v1_record(f4[14:]))
        t0 = time.time()
        push(fifo, frames)
        ok = a.wait(lambda: a.count() >= 100, 10)
        h.check(ok and a.count() == 100, "honest copier: %d of 100 records" % a.count())
        recs = list(a.records)
        r4 = [x for x in recs if x[0] == 4]
        r6 = [x for x in recs if x[0] == 6]
        h.check(len(r4) == 50 and len(r6) == 50, "50 IPv4 + 50 IPv6 records")
        h.check([x[4][:64] for x in r4] == want4, "IPv4 records hold the v1 record")
        h.check(all(x[5] == b"HTTP/1.1"[:8] for x in r4), "8-byte payload prefix (IPv4)")
        h.check(all(x[5] == b"+OK\r\n+OK" for x in r6), "8-byte payload prefix (IPv6)")
        h.check(all(x[2] == 15 for x in r6), "IPv6 payload length")
        h.check(all(x[1] == 12 for x in r6), "IPv6 option bytes carried")
        now_us = time.time() * 1e6
        h.check(all(t0 * 1e6 - 2e6 < x[3] < now_us + 1e6 for x in recs),
                "capture times are the intercept's wall clock at capture")
        t = h.telemetry(prefix)
        for k, v in (("auth_failed", 2), ("auth_missing", 2), ("v1_refused", 1),
                     ("v2_conns", 5), ("v2_ready", 1), ("malformed", 0)):
            h.check(t.get(k) == v, "telemetry %s = %s, want %s" % (k, t.get(k), v))
        h.check(t["routes"] == 2, "only the honest copier's 2 routes (%d)" % t["routes"])

        # Heartbeats: the intercept's, then silence from the copier.
        hb0 = a.count(v2.HEARTBEAT)
        time.sleep(2.2)
        hb1 = a.count(v2.HEARTBEAT)
        h.check(2 <= hb1 - hb0 <= 3, "intercept heartbeats in 2.2 s: %d" % (hb1 - hb0))
        a.hb = False
        ok = a.wait(lambda: a.closed, 8)
        took = a.closed_at - a.last_hb
        h.check(ok, "silent copier closed")
        h.check(3.0 <= took <= 4.0, "silent copier detected in %.2f s (3 s + 0.1 s checks)" %
                took)
        h.check(any(b[0] == 7 for b in a.byes), "BYE reason 7 (timeout): %s" % a.byes)
        deadline = time.time() + 3  # the telemetry snapshot is refreshed every 100 ms
        while True:
            t = h.telemetry(prefix)
            if t["peer_dead"] == 1 or time.time() > deadline:
                break
            time.sleep(0.1)
        h.check(t["peer_dead"] == 1 and t["routes"] == 0,
                "peer_dead %d, routes %d" % (t["peer_dead"], t["routes"]))
        print("silent copier detected in %.2f s" % took)
    finally:
        for p in peers:
            p.close()
        try:
            fifo.close()
        except OSError:
            pass
        h.check(h.stop(proc, prefix=prefix) == 0, "intercept exits 0")


def without_secret(binary, d):
    fifo_path = os.path.join(d, "rx2.fifo")
    os.mkfifo(fifo_path)
    port = h.free_port()
    proc, prefix, log = h.start(
        binary, d, "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (fifo_path, os.path.join(d, "tx2")),
        ["-F", "tcp and src port 80", "-p", str(port), "-b", "127.0.0.1",
         "--idle-sleep", "500", "--stats-interval", "0"], lcores="0-1", tag="icpt-v2b")
    fifo = h.PcapFifo(fifo_path)
    a = old = None
    try:
        a = v2.V2Copier(port, b"plain")
        h.check(not a.icpt_features & v2.F_AUTH, "no authentication offered without --secret")
        a.add((A4[0], A4[1], SRV, 80))
        old = h.Copier(port, "v1")
        old.version(6)
        old.add(*V1)
        deadline = time.time() + 5  # both routes in before the frames
        while h.telemetry(prefix)["routes"] < 2 and time.time() < deadline:
            time.sleep(0.1)
        f4 = h.tcp_frame(SRV, A4[0], 80, A4[1], 1, 1, 0x12)
        f1 = h.tcp_frame(SRV, V1[0], 80, V1[1], 1, 1, 0x12)
        f6 = tcp6_frame(SRV6, A6[0], 80, A6[1], 1)  # no route: not sent to anyone
        push(fifo, [f4, f1, f6])
        h.check(a.wait(lambda: a.count() == 1, 5), "v2 copier without secret: 1 record")
        h.check(old.wait_records(1) == 1 and old.records[0] == h.v1_record(f1[14:]),
                "1.x copier beside it: its v1 record")
        h.check(a.records[0][4][:64] == h.v1_record(f4[14:]), "v2 record = v1 inside")
        t = h.telemetry(prefix)
        h.check(t["v2_ready"] == 1 and t["versions_other"] == 0,
                "v2_ready %d versions_other %d" % (t["v2_ready"], t["versions_other"]))
    finally:
        for p in (a, old):
            if p is not None:
                p.close()
        try:
            fifo.close()
        except OSError:
            pass
        h.check(h.stop(proc, prefix=prefix) == 0, "intercept exits 0")


def loose_perms(binary, d):
    sec = os.path.join(d, "loose")
    with open(sec, "wb") as f:
        f.write(SECRET)
    for mode in (0o640, 0o604):
        os.chmod(sec, mode)
        res = subprocess.run([binary, "--no-huge", "-m", "64", "--no-pci", "--", "-F", "tcp",
                              "--secret", sec], capture_output=True, text=True, timeout=20)
        h.check(res.returncode == 2, "mode %o: exit %d, want 2" % (mode, res.returncode))
        h.check(("%04o" % mode) in res.stderr and "group or others" in res.stderr,
                "mode %o: the message names it: %r" % (mode, res.stderr.strip()))


def main():
    binary = sys.argv[1]
    keep = os.environ.get("DTC_KEEP")
    with tempfile.TemporaryDirectory(prefix="dtc-icpt-v2-") as d:
        if keep:
            d = keep
            os.makedirs(d, exist_ok=True)
        loose_perms(binary, d)
        with_secret(binary, d)
        without_secret(binary, d)
    if h.failures:
        print("%d failure(s)" % len(h.failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
