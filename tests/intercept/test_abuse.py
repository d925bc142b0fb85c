#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Control-channel abuse: dpdk-intercept keeps serving a well-behaved copier while others
misbehave, and its memory stays bounded.

The capture is a live stream: net_pcap reads a FIFO the test writes responses into at a
steady pace, on an RX lcore (2 lcores).  Copier W (1.x on the wire) registers its 4-tuple and
must receive every one of its records, byte for byte, whatever happens meanwhile:
- garbage bytes; the intercept->copier framing sent the wrong way (count 0, count 65535):
  each such connection is closed, counted as malformed;
- partial messages dribbled and then held: harmless, the connection stays;
- a copier that registers a busy 4-tuple and never reads (tiny receive buffer): its output
  overflows (counted) and it is closed after --conn-stall;
- a peer outside --allow: refused and counted;
- 300 connections held at once with --max-conns 64: the rest refused and counted;
- 700 connect/close cycles.
RSS before and after must not grow by more than a bound.

usage: test_abuse.py DPDK_INTERCEPT
"""

import os
import socket
import struct
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icpt_harness as h  # noqa: E402

SRV = "198.18.1.56"
W = ("198.18.2.10", 41000)     # the well-behaved copier's session
S = ("198.18.2.11", 41001)     # the staller's session
PAIRS = 6000                   # W segments, each followed by SPER S segments
SPER = 3                       # enough to fill the staller's kernel and our buffers
RATE = 1500                    # W segments per second
RSS_BOUND_KB = 24 * 1024


def streamer(fifo, frames_w, frames_s, done):
    """Write W/S pairs at RATE, in small bursts, then close the stream."""
    t0 = time.time()
    step = 30
    for i in range(0, PAIRS, step):
        burst = []
        for k in range(i, min(i + step, PAIRS)):
            burst += [frames_w[k]] + frames_s[k * SPER:(k + 1) * SPER]
        fifo.write(burst)
        ahead = t0 + (i + step) / RATE - time.time()
        if ahead > 0:
            time.sleep(ahead)
    done.set()


def expect_closed(sock, what, timeout=3.0):
    """The server must close this connection (EOF or reset) within timeout."""
    sock.settimeout(timeout)
    try:
        while True:
            d = sock.recv(4096)
            if not d:
                return h.check(True, what)
    except ConnectionResetError:
        return h.check(True, what)
    except socket.timeout:
        return h.check(False, what + ": still open after %.0f s" % timeout)
    finally:
        sock.close()


def raw_conn(port, src="127.0.0.1", rcvbuf=None):
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def abuse(port):
    # Garbage: random bytes (deterministic), the first 8 of them "an old client's message".
    g = raw_conn(port)
    g.sendall(bytes((i * 97 + 13) & 0xff for i in range(600)))
    expect_closed(g, "garbage closed")
    # The copier-side framing sent to the intercept: count 0, then count 65535.
    for count in (0, 65535):
        rec = h.v1_record(h.tcp_frame(SRV, W[0], 80, W[1], 1, 1)[14:])
        c = raw_conn(port)
        c.sendall(h.version_msg() + struct.pack(">H", count) + rec * 3)
        expect_closed(c, "count %d framing closed" % count)
    # Partial messages: half a version message, later half a route; the connection stays.
    p = raw_conn(port)
    p.sendall(h.version_msg()[:5])
    time.sleep(0.3)
    p.sendall(h.version_msg()[5:] + h.route_msg("198.18.2.99", 1, SRV, 80)[:9])
    time.sleep(0.3)
    p.setblocking(False)
    try:
        h.check(p.recv(1) != b"", "partial messages: connection kept")
    except BlockingIOError:
        h.check(True, "partial messages: connection kept")
    # Not in --allow.
    r = raw_conn(port, src="127.0.0.2")
    expect_closed(r, "peer outside --allow refused")
    # 300 at once (--max-conns 64, some already used): the excess is refused.
    many, refused = [], 0
    for _ in range(300):
        many.append(raw_conn(port))
    time.sleep(0.5)
    for s in many:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                refused += 1
        except BlockingIOError:
            pass
        except ConnectionResetError:
            refused += 1
    h.check(refused >= 300 - 64, "300 at once: %d refused" % refused)
    for s in many:
        s.close()
    # 700 connect/close cycles.
    for i in range(700):
        s = raw_conn(port)
        if i % 2:
            s.sendall(h.version_msg())
        s.close()
    return p


def main():
    binary = sys.argv[1]
    frames_w = [h.tcp_frame(SRV, W[0], 80, W[1], 1000 + i * 10, 77, 0x18, b"w" * 10)
                for i in range(PAIRS)]
    frames_s = [h.tcp_frame(SRV, S[0], 80, S[1], 5000 + i * 10, 9, 0x18, b"s" * 10)
                for i in range(PAIRS * SPER)]
    want_w = [h.v1_record(f[14:]) for f in frames_w]
    with tempfile.TemporaryDirectory(prefix="dtc-icpt-abuse-") as d:
        fifo_path = os.path.join(d, "rx.fifo")
        os.mkfifo(fifo_path)
        port = h.free_port()
        proc, prefix, log = h.start(
            binary, d, "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (fifo_path, os.path.join(d, "tx")),
            ["-F", "tcp and src port 80", "-p", str(port), "-b", "127.0.0.1",
             "--allow", "127.0.0.1/32", "--max-conns", "64", "--conn-stall", "2",
             "--idle-sleep", "1000", "--stats-interval", "0"],
            lcores="0-1", tag="icpt-abuse")
        fifo = h.PcapFifo(fifo_path)  # rendezvous with the EAL's probe
        w = None
        try:
            w = h.Copier(port, "W")
            w.version()
            w.add(*W)
            st = raw_conn(port, rcvbuf=2048)
            st.sendall(h.version_msg() + h.route_msg(S[0], S[1], SRV, 80))
            time.sleep(0.3)
            done = threading.Event()
            th = threading.Thread(target=streamer, args=(fifo, frames_w, frames_s, done),
                                  daemon=True)
            th.start()
            while w.count() < 200 and th.is_alive():
                time.sleep(0.05)
            rss0 = h.rss_kb(proc.pid)
            partial = abuse(port)
            th.join(timeout=60)
            h.check(done.is_set(), "stream written")
            fifo.close()  # EOF: the RX lcore's last burst comes back
            got = w.wait_records(PAIRS, timeout=20)
            h.check(got == PAIRS, "W received %d of %d records" % (got, PAIRS))
            h.check(w.bad is None and not w.closed, "W's connection healthy (%s)" % w.bad)
            bad = [i for i, (x, y) in enumerate(zip(w.records, want_w)) if x != y]
            h.check(not bad, "W's records byte-exact (first bad: %s)" % bad[:3])
            time.sleep(2.5)  # the staller's --conn-stall
            rss1 = h.rss_kb(proc.pid)
            h.check(rss1 - rss0 < RSS_BOUND_KB, "RSS %d kB -> %d kB" % (rss0, rss1))
            t = h.telemetry(prefix)
            h.check(t["malformed"] >= 3, "malformed %d" % t["malformed"])
            h.check(t["refused"] >= 1, "refused (allow) %d" % t["refused"])
            h.check(t["refused_full"] >= 300 - 64, "refused_full %d" % t["refused_full"])
            h.check(t["stalled"] >= 1, "staller closed (stalled %d)" % t["stalled"])
            h.check(t["overflow"] > 0, "staller's overflow counted (%d)" % t["overflow"])
            h.check(t["accepted"] + t["refused_full"] + t["refused"] >= 1000,
                    "accepted %d, refused %d + %d" % (t["accepted"], t["refused_full"],
                                                      t["refused"]))
            h.check(t["routes"] >= 1 and t["connections"] >= 2,
                    "W (and the partial one) still connected: %d" % t["connections"])
            h.check(t["ring_full"] == 0 and t["captured"] == PAIRS * (1 + SPER),
                    "captured %d, ring_full %d" % (t["captured"], t["ring_full"]))
            print("RSS %d kB -> %d kB; malformed %d refused %d/%d stalled %d overflow %d" %
                  (rss0, rss1, t["malformed"], t["refused"], t["refused_full"], t["stalled"],
                   t["overflow"]))
            partial.close()
            st.close()
        finally:
            try:
                fifo.close()
            except OSError:
                pass
            rc = h.stop(proc, prefix=prefix)
            if w is not None:
                w.close()
        h.check(rc == 0, "exit status %s" % rc)
        if h.failures:
            print(proc.stdout.read().decode(errors="replace"))
            with open(log) as f:
                print(f.read()[-5000:])
    print("abuse: %d failures" % len(h.failures))
    return 1 if h.failures else 0


if __name__ == "__main__":
    sys.exit(main())
