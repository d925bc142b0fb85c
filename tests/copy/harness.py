#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Shared pieces of the copier's data-path tests: network namespaces and veths (prefix dtcC-,
198.18.0.0/15 only, always removed), background processes stopped by PID, the copier's
command line, DPDK telemetry queries, and a check list that ends the test.

Every test builds a Lab in a `with` block; the namespaces, processes and the DPDK runtime
directory go away however the test ends (exception, assertion, SIGTERM from meson).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SRC = os.environ.get("DTC_SRC", os.path.abspath(os.path.join(os.path.dirname(__file__),
                                                             "..", "..")))
BUILD = os.environ.get("DTC_BUILD", os.path.join(SRC, "build"))
COPIER = os.path.join(BUILD, "app", "copy", "dpdk-tcpcopy")
PY = "/usr/bin/python3"
DATA = os.path.join(SRC, "tests", "data", "copy")
HERE = os.path.dirname(os.path.abspath(__file__))


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, **kw)


class Checks:
    def __init__(self, name):
        self.name, self.n, self.fails = name, 0, 0

    def __call__(self, cond, what):
        self.n += 1
        print(("ok: " if cond else "FAIL: ") + what, flush=True)
        if not cond:
            self.fails += 1
        return cond

    def end(self):
        print("%s: %d checks, %d failed" % (self.name, self.n, self.fails), flush=True)
        return 0 if self.fails == 0 and self.n > 0 else 1


class Lab:
    """Namespaces, veths, processes and temp files of one test."""

    def __init__(self, name):
        self.name = name
        self.ns = []
        self.procs = []
        self.prefixes = []
        self.dir = tempfile.mkdtemp(prefix="dtcC-%s-" % name)
        self.keep = os.environ.get("DTC_KEEP") == "1"

    def __enter__(self):
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(s, self._on_signal)
        return self

    def _on_signal(self, signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)

    def __exit__(self, *exc):
        self.cleanup()
        return False

    def path(self, f):
        return os.path.join(self.dir, f)

    # --- namespaces --------------------------------------------------------------------
    def netns(self, tag):
        name = "dtcC-%s-%s" % (self.name, tag)
        assert len(name) <= 15 + 10
        sh("ip", "netns", "del", name, check=False)
        sh("ip", "netns", "add", name)
        self.ns.append(name)
        self.nsx(name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                 "net.ipv6.conf.default.disable_ipv6=1")
        self.nsx(name, "ip", "link", "set", "lo", "up")
        return name

    def nsx(self, ns, *args, check=True):
        return sh("ip", "netns", "exec", ns, *args, check=check)

    def veth(self, ns_a, if_a, ns_b, if_b, mac_a=None, mac_b=None):
        """A veth pair between two namespaces (interface names up to 15 characters)."""
        assert len(if_a) <= 15 and len(if_b) <= 15 and if_a.startswith("dtcC")
        sh("ip", "link", "add", if_a, "netns", ns_a, "type", "veth", "peer", "name", if_b,
           "netns", ns_b)
        for ns, ifn, mac in ((ns_a, if_a, mac_a), (ns_b, if_b, mac_b)):
            if mac:
                self.nsx(ns, "ip", "link", "set", ifn, "address", mac)
            # a veth drops frames larger than its MTU; the copier's frames are <= 1514
            self.nsx(ns, "ethtool", "-K", ifn, "tx", "off", "rx", "off", "gro", "off",
                     "gso", "off", "tso", "off", check=False)
            self.nsx(ns, "ip", "link", "set", ifn, "up")

    # --- processes ---------------------------------------------------------------------
    def start(self, name, args, ns=None, stdout=None):
        """Start args in the background (in a namespace); output in DIR/name.log."""
        log = open(self.path(name + ".log"), "w")
        full = (["ip", "netns", "exec", ns] if ns else []) + list(args)
        p = subprocess.Popen(full, stdout=stdout or log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        p.dtc_name = name
        p.dtc_log = self.path(name + ".log")
        self.procs.append(p)
        return p

    def stop(self, p, sig=signal.SIGTERM, timeout=15):
        """Signal one process by PID; returns its exit status (None if it had to be killed)."""
        if p.poll() is None:
            try:
                p.send_signal(sig)
            except ProcessLookupError:
                pass
        try:
            return p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            return None

    def log(self, p):
        with open(p.dtc_log, errors="replace") as f:
            return f.read()

    def copier(self, name, eal, opts, ns=None, prefix=None):
        """Start dpdk-tcpcopy with the test EAL settings (no hugepages, own file prefix)."""
        prefix = prefix or "dtc-copy-%s" % name
        self.prefixes.append(prefix)
        args = [COPIER, "--no-huge", "-m", "512", "--no-pci", "--file-prefix", prefix,
                "--log-level=lib.*:warning", "--log-level=pmd.*:warning"] + eal + ["--"] + opts
        self.copier_args = args
        return self.start(name, args, ns=ns)

    def wait_file_has(self, path, text, timeout):
        end = time.time() + timeout
        while time.time() < end:
            try:
                with open(path, errors="replace") as f:
                    if text in f.read():
                        return True
            except FileNotFoundError:
                pass
            time.sleep(0.1)
        return False

    def cleanup(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                self.stop(p, signal.SIGTERM, timeout=5)
        for ns in reversed(self.ns):
            sh("ip", "netns", "del", ns, check=False)
        self.ns = []
        for prefix in self.prefixes:
            shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
        if self.keep:
            print("kept", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def telemetry(prefix, cmd, timeout=2.0):
    """One DPDK telemetry command (as dpdk-telemetry.py does); None if unavailable."""
    path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.settimeout(timeout)
        s.connect(path)
        json.loads(s.recv(16384).decode())
        s.send(cmd.encode())
        reply = json.loads(s.recv(65536).decode())
        s.close()
        return reply.get(cmd.split(",")[0])
    except (OSError, ValueError):
        return None


def wait_telemetry(prefix, cmd, pred, timeout):
    """Poll a telemetry command until pred(reply) holds; returns the last reply."""
    end = time.time() + timeout
    last = None
    while time.time() < end:
        r = telemetry(prefix, cmd)
        if r is not None:
            last = r
            if pred(r):
                return r
        time.sleep(0.2)
    return last


def wait_sessions_ended(prefix, n, timeout):
    """Poll the copier's /dtc/copy/stats until n sessions have ended and none is active.
    Returns (reply, ok): the last reply (None if telemetry never answered), and whether
    exactly n sessions were created and ended with none left active."""
    st = wait_telemetry(prefix, "/dtc/copy/stats",
                        lambda r: r.get("sessions_ended", 0) >= n and
                        r.get("sessions_active") == 0, timeout)
    return st, (st is not None and st.get("sessions_created") == n and
                st.get("sessions_ended") == n and st.get("sessions_active") == 0)


NGINX_CONF = """user root;
worker_processes 1;
pid {dir}/nginx-{name}.pid;
error_log {dir}/nginx-{name}-error.log warn;
events {{ worker_connections 512; }}
http {{
    log_format t '$remote_addr $remote_port "$request" $status $connection $connection_requests $msec';
    access_log {dir}/nginx-{name}-access.log t;
    client_body_temp_path {dir}/nginx-{name}-tmp/body;
    proxy_temp_path {dir}/nginx-{name}-tmp/proxy;
    fastcgi_temp_path {dir}/nginx-{name}-tmp/fastcgi;
    uwsgi_temp_path {dir}/nginx-{name}-tmp/uwsgi;
    scgi_temp_path {dir}/nginx-{name}-tmp/scgi;
    keepalive_requests 10000;
    keepalive_timeout 120s;
    server {{
        listen {addr}:{port};
        location / {{ return 200 "test server: $uri\\n"; }}
    }}
}}
"""


def nginx(lab, ns, name, addr, port=80):
    """Start nginx in a namespace; returns (process, access log path) once it listens."""
    os.makedirs(lab.path("nginx-%s-tmp" % name), exist_ok=True)
    conf = lab.path("nginx-%s.conf" % name)
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(dir=lab.dir, name=name, addr=addr, port=port))
    p = lab.start("nginx-" + name, ["nginx", "-c", conf, "-g", "daemon off;"], ns=ns)
    end = time.time() + 10
    while time.time() < end:
        out = lab.nsx(ns, "ss", "-ltnH", check=False).stdout
        if "%s:%d" % (addr, port) in out:
            return p, lab.path("nginx-%s-access.log" % name)
        time.sleep(0.1)
    raise RuntimeError("nginx %s did not start: %s" % (name, lab.log(p)))


def access_log(path):
    """nginx access log lines (format t) as dicts."""
    out = []
    try:
        lines = open(path).read().splitlines()
    except FileNotFoundError:
        return out
    for line in lines:
        addr, port, rest = line.split(" ", 2)
        req, tail = rest[1:].split('" ', 1)
        status, conn, conn_req, msec = tail.split()
        out.append({"addr": addr, "port": int(port), "request": req, "status": int(status),
                    "conn": int(conn), "conn_req": int(conn_req), "t": float(msec)})
    return out
