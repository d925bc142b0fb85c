# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Shared pieces of the dpdk-intercept tests: start and stop the app, scripted copiers that
speak control protocol v1 exactly as tcpcopy 1.x does, the expected v1 record of a frame
computed here (not by our C code), telemetry queries."""

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return cond


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(binary, workdir, vdev, app_args, lcores="0", tag="icpt"):
    """Run dpdk-intercept (no hugepages, unique file prefix); returns (proc, prefix, log)."""
    prefix = "dtc-%s-%d" % (tag, os.getpid())
    log = os.path.join(workdir, "intercept.log")
    args = [binary, "--no-huge", "-m", "256", "--no-pci", "-l", lcores,
            "--file-prefix", prefix, "--log-level=lib.*:warning",
            "--vdev", vdev, "--"] + app_args + ["-l", log]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return proc, prefix, log


def runtime_dir(prefix):
    """Where the EAL keeps its runtime files (and the telemetry socket), as DPDK decides."""
    base = os.environ.get("RUNTIME_DIRECTORY") or (
        "/var/run" if os.getuid() == 0 else os.environ.get("XDG_RUNTIME_DIR", "/tmp"))
    return os.path.join(base, "dpdk", prefix)


def stop(proc, timeout=20, prefix=None):
    """SIGTERM; returns the exit status (kills and fails after timeout).  With prefix, the
    runtime directory the EAL leaves behind is removed once the process is gone."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        check(False, "intercept did not stop within %d s of SIGTERM" % timeout)
    if prefix is not None:
        shutil.rmtree(runtime_dir(prefix), ignore_errors=True)
    return proc.returncode


def telemetry(prefix, cmd="/dtc/intercept/stats"):
    """Ask the running app through DPDK's own client, as an operator would."""
    res = subprocess.run(["/usr/bin/python3", "/usr/bin/dpdk-telemetry.py", "-f", prefix],
                         input=cmd + "\n", capture_output=True, text=True, timeout=20)
    for line in res.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line).get(cmd)
    raise RuntimeError("no telemetry answer: %r %r" % (res.stdout, res.stderr))


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def inet(ip):
    return socket.inet_aton(ip)


def version_msg(version=6):
    """All zero but the type field (offset 6, big endian)."""
    return b"\0" * 6 + struct.pack(">H", version) + b"\0" * 6


def route_msg(cip, cport, tip, tport, typ=1):
    """14 bytes: client addr, client port, type, target addr, target port."""
    return inet(cip) + struct.pack(">HH", cport, typ) + inet(tip) + struct.pack(">H", tport)


def ip_checksum(hdr):
    s = 0
    for i in range(0, len(hdr), 2):
        s += (hdr[i] << 8) + hdr[i + 1]
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def v1_record(l3):
    """The 64-byte v1 record of an IPv4/TCP packet (bytes from the IP header on): IP header
    20 bytes (IP options dropped: IHL 5, tot_len minus the options, checksum recomputed),
    TCP header 20 bytes, options cut at 24 and zero padded."""
    ihl = (l3[0] & 0xf) * 4
    ip = bytearray(l3[:20])
    if ihl > 20:
        ip[0] = 0x45
        tot = struct.unpack(">H", l3[2:4])[0] - (ihl - 20)
        ip[2:4] = struct.pack(">H", tot)
        ip[10:12] = b"\0\0"
        ip[10:12] = struct.pack(">H", ip_checksum(bytes(ip)))
    tcp = l3[ihl:]
    doff = (tcp[12] >> 4) * 4
    opts = tcp[20:doff][:24]
    return bytes(ip) + bytes(tcp[:20]) + opts + b"\0" * (24 - len(opts))


class Copier:
    """A control-channel client that behaves like tcpcopy 1.x on the wire: TCP_NODELAY, a
    version 6 message, 14-byte route adds; it reads a 2-byte count and count 64-byte records,
    rejecting counts outside 1..16.  dribble=True sends byte by byte (partial messages)."""

    def __init__(self, port, name, dribble=False, connect_timeout=20):
        self.name = name
        self.dribble = dribble
        self.records = []
        self.frames = 0
        self.bad = None
        self.closed = False
        self.lock = threading.Lock()
        deadline = time.time() + connect_timeout
        while True:
            try:
                self.s = socket.create_connection(("127.0.0.1", port), timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.s.settimeout(0.2)
        self.running = True
        self.t = threading.Thread(target=self._reader, daemon=True)
        self.t.start()

    def send(self, data):
        if not self.dribble:
            self.s.sendall(data)
            return
        for b in data:
            self.s.sendall(bytes([b]))
            time.sleep(0.001)

    def version(self, v=6):
        self.send(version_msg(v))

    def add(self, cip, cport, tip="198.18.1.56", tport=80):
        self.send(route_msg(cip, cport, tip, tport))

    def _reader(self):
        buf = bytearray()
        off = 0
        while self.running:
            try:
                d = self.s.recv(1 << 20)
            except socket.timeout:
                continue
            except OSError:
                break
            if not d:
                self.closed = True
                break
            buf += d
            got = []
            while len(buf) - off >= 2:
                n = (buf[off] << 8) | buf[off + 1]
                if n < 1 or n > 16:
                    self.bad = "count %d" % n
                    self.running = False
                    break
                if len(buf) - off < 2 + 64 * n:
                    break
                got += [bytes(buf[off + 2 + 64 * i:off + 2 + 64 * (i + 1)]) for i in range(n)]
                off += 2 + 64 * n
                self.frames += 1
            del buf[:off]
            off = 0
            with self.lock:
                self.records += got

    def count(self):
        with self.lock:
            return len(self.records)

    def wait_records(self, n, timeout=15):
        deadline = time.time() + timeout
        while self.count() < n and time.time() < deadline:
            time.sleep(0.02)
        return self.count()

    def close(self):
        self.running = False
        self.t.join(timeout=2)
        self.s.close()


class PcapFifo:
    """A pcap stream written into a FIFO that net_pcap reads as its rx_pcap: frames arrive
    when the test writes them, at the pace it chooses.  Opening blocks until the EAL opened
    the other end (at device probe), so call it after starting the app."""

    def __init__(self, path):
        self.f = open(path, "wb", buffering=0)
        # pcap global header: magic, v2.4, zone, sigfigs, snaplen, LINKTYPE_ETHERNET
        self.f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        self.n = 0

    def write(self, frames):
        out = b""
        for fr in frames:
            self.n += 1
            out += struct.pack("<IIII", 1700000000 + self.n // 1000000, self.n % 1000000,
                               len(fr), len(fr)) + fr
        self.f.write(out)

    def close(self):
        self.f.close()


def tcp_frame(sip, dip, sport, dport, seq, ack, flags=0x10, payload=b"",
              src_mac=b"\x02\0\0\0\x01\x56", dst_mac=b"\x02\0\0\0\x01\x63"):
    """An Ethernet/IPv4/TCP frame built with struct (fast enough for thousands; scapy reads
    them back in the tests that need an independent parse)."""
    tcp = struct.pack(">HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                      5 << 4, flags, 65535, 0, 0)
    tot = 20 + len(tcp) + len(payload)
    ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, tot, seq & 0xffff, 0x4000, 64, 6, 0,
                               inet(sip), inet(dip)))
    ip[10:12] = struct.pack(">H", ip_checksum(bytes(ip)))
    return dst_mac + src_mac + b"\x08\x00" + bytes(ip) + tcp + payload
