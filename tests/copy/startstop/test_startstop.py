#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Starting and stopping cleanly on virtual devices with --no-huge.

    test_startstop.py

1. SIGINT with sessions open (3 lcores: main, RX, one worker): every session ends with a RST
   the test server sees (tcpdump, scapy), the summary counts them as 'shutdown', exit 0.
2. Daemon mode: -d -P -l: the pid file names the daemon, the log file gets the plan and
   stats, SIGHUP reopens the log after logrotate renamed it, SIGTERM stops it (exit 0 in the
   summary), the pid file is removed.
3. Intercept mode with no reachable intercept: without -L, exit 1 naming the problem; with
   -L, it keeps running and stops on SIGTERM with status 0.
4. -m too small: exit 2 before any port starts, naming -m and the minimum.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import harness  # noqa: E402
from harness import COPIER, DATA, HERE, PY, Checks, Lab, sh, wait_telemetry  # noqa: E402
from scapy.all import TCP, Ether, rdpcap, wrpcap  # noqa: E402

C_MAC = "02:dc:0c:05:00:01"
P_MAC = "02:dc:0c:05:00:56"
TX_IP, T4 = "198.18.1.1", "198.18.1.56"


def sigint_rsts(lab, chk):
    sh(PY, os.path.join(DATA, "gen_http.py"), lab.path("open.pcap"), lab.path("open.json"),
       "--sessions", "4", "--requests", "2", "--missed-syn", "1", "--open")
    meta = json.load(open(lab.path("open.json")))
    nc, np_ = lab.netns("c"), lab.netns("p")
    lab.veth(nc, "dtcC-ss-c0", np_, "dtcC-ss-p0", C_MAC, P_MAC)
    dump = lab.start("tcpdump", ["tcpdump", "--immediate-mode", "-i", "dtcC-ss-p0", "-n", "-U", "-w",
                                 lab.path("cap.pcap")], ns=np_)
    lab.wait_file_has(dump.dtc_log, "listening on", 10)
    peer = lab.start("peer", [PY, os.path.join(HERE, "golden", "peer.py"), "--iface",
                              "dtcC-ss-p0", "--ip4", T4, "--copier-ip", TX_IP, "--log",
                              lab.path("peer.jsonl"), "--timeout", "50"], ns=np_)
    lab.wait_file_has(lab.path("peer.jsonl"), '"ready"', 15)
    eal = ["--lcores", "(0-2)@(0,1)", "--vdev", "net_pcap0,rx_pcap=" + lab.path("open.pcap"),
           "--vdev", "net_af_packet0,iface=dtcC-ss-c0,qpairs=2"]
    opts = ["-x", "198.18.0.40:80-%s:80@%s" % (T4, P_MAC), "-c", "198.18.2.100",
            "--tx-ip", TX_IP, "--rx-port", "0", "--tx-port", "1", "--response-port", "1",
            "--idle-sleep", "500", "-m", "64", "-R", "20"]
    cp = lab.copier("ss", eal, opts, ns=nc)
    n = len(meta["sessions"])
    want_req = sum(len(s["paths"]) for s in meta["sessions"])
    st = wait_telemetry(lab.prefixes[-1], "/dtc/copy/sessions",
                        lambda r: r.get("active") == n and r.get("requests", 0) >= want_req, 30)
    chk(st is not None and st.get("active") == n,
        "%d sessions established and open before the signal (%s)" % (n, st and
                                                                      st.get("active")))
    time.sleep(0.5)  # the last responses acknowledged
    rc = lab.stop(cp, signal.SIGINT, timeout=20)
    log = lab.log(cp)
    chk(rc == 0, "SIGINT: exit status 0 (got %s)" % rc)
    chk("ended shutdown" in log and "summary after" in log,
        "final summary printed, sessions ended by 'shutdown'")
    chk("%d sessions were still active at exit" % n in log and
        re.search(r"waiting idle +%d " % n, log) is not None,
        "the summary lists the %d sessions active at exit as waiting 'idle' (answered, nothing "
        "queued)" % n)
    time.sleep(0.5)
    lab.stop(peer)
    lab.stop(dump, signal.SIGINT)
    rst = {p[TCP].sport for p in rdpcap(lab.path("cap.pcap"))
           if Ether in p and p[Ether].src == C_MAC and TCP in p and p[TCP].flags & 0x04}
    ports = {s["cport"] for s in meta["sessions"]}
    chk(rst == ports, "a RST for every session reached the test server: %s (got %s)" %
        (sorted(ports), sorted(rst)))
    ev = [json.loads(l) for l in open(lab.path("peer.jsonl"))]
    chk({e["sport"] for e in ev if e["ev"] == "rst"} == ports,
        "the test server's connections were all reset")


def daemon(lab, chk):
    wrpcap(lab.path("one.pcap"), [Ether()])
    pidf, logf = lab.path("copier.pid"), lab.path("copier.log")
    prefix = "dtc-copy-daemon"
    lab.prefixes.append(prefix)
    args = [COPIER, "--no-huge", "-m", "512", "--no-pci", "--file-prefix", prefix, "-l", "0",
            "--log-level=lib.*:warning",
            "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (lab.path("one.pcap"),
                                                          lab.path("d.out.pcap")),
            "--", "-x", "80-198.18.1.56:80@02:dc:0c:05:00:56", "--tx-ip", TX_IP,
            "--response-port", "0", "-d", "-P", pidf, "-l", logf, "--stats-interval", "1",
            "--idle-sleep", "1000", "-m", "32"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=20)
    chk(p.returncode == 0, "-d: the launching process returns 0 (got %d)" % p.returncode)
    chk(lab.wait_file_has(pidf, "\n", 10), "-P: pid file written")
    try:
        pid = int(open(pidf).read())
    except (OSError, ValueError):
        chk(False, "pid file readable")
        return
    alive = os.path.exists("/proc/%d" % pid)
    chk(alive, "the pid file names a running daemon (%d)" % pid)
    chk(lab.wait_file_has(logf, "memory plan", 10) and lab.wait_file_has(logf, "stats:", 5),
        "-l: the log file has the plan and stats lines")
    os.rename(logf, logf + ".rotated")
    os.kill(pid, signal.SIGHUP)
    chk(lab.wait_file_has(logf, "stats:", 5), "SIGHUP: the log file was reopened")
    os.kill(pid, signal.SIGTERM)
    end = time.time() + 15
    while time.time() < end and os.path.exists("/proc/%d" % pid):
        time.sleep(0.1)
    chk(not os.path.exists("/proc/%d" % pid), "SIGTERM: the daemon stopped")
    chk(lab.wait_file_has(logf, "summary after", 2), "its summary went to the log")
    chk(not os.path.exists(pidf), "the pid file was removed")


def no_intercept(lab, chk):
    ns = lab.netns("i")   # only a loopback: the intercept address is unreachable
    wrpcap(lab.path("one.pcap"), [Ether()])
    base = ["--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (lab.path("one.pcap"),
                                                           lab.path("i.out.pcap")), "-l", "0"]
    opts = ["-x", "80-198.18.1.56:80@02:dc:0c:05:00:56", "-s", "198.18.3.1",
            "--idle-sleep", "1000", "-m", "32"]
    cp = lab.copier("noicpt", base, opts, ns=ns)
    try:
        rc = cp.wait(timeout=20)
    except subprocess.TimeoutExpired:
        rc = lab.stop(cp)
    chk(rc == 1 and "no intercept reachable" in lab.log(cp),
        "-s unreachable, no -L: exit 1 with 'no intercept reachable' (got %s)" % rc)
    cp = lab.copier("lonely", base, opts + ["-L"], ns=ns)
    time.sleep(5)
    chk(cp.poll() is None, "-L: still running with no intercept")
    rc = lab.stop(cp, signal.SIGTERM, timeout=15)
    chk(rc == 0, "-L: SIGTERM exits 0 (got %s)" % rc)


def too_small(lab, chk):
    wrpcap(lab.path("one.pcap"), [Ether()])
    prefix = "dtc-copy-small"
    lab.prefixes.append(prefix)
    args = [COPIER, "--no-huge", "-m", "512", "--no-pci", "--file-prefix", prefix, "-l", "0",
            "--log-level=lib.*:warning", "--vdev",
            "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (lab.path("one.pcap"), lab.path("s.pcap")),
            "--", "-x", "80-198.18.1.56:80@02:dc:0c:05:00:56", "--tx-ip", TX_IP,
            "--response-port", "0", "-m", "16"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=20)
    chk(p.returncode == 2 and "-m/--max-memory" in p.stderr and "at least" in p.stderr,
        "-m 16: exit 2 naming -m and the minimum: %s" %
        [l for l in p.stderr.splitlines() if "-m/" in l])


def main():
    chk = Checks("start/stop")
    with Lab("ss") as lab:
        sigint_rsts(lab, chk)
        daemon(lab, chk)
        no_intercept(lab, chk)
        too_small(lab, chk)
    return chk.end()


if __name__ == "__main__":
    sys.exit(main())
