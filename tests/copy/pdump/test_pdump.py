#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""dpdk-dumpcap attaches to both apps (rte_pdump), as docs/operations.md tells operators to.

    test_pdump.py

dpdk-dumpcap is a DPDK secondary process: it can only attach to a primary that runs on
hugepages.  The test reserves 2 MiB pages for the run (as `tools/dpdk-setup.sh hugepages`
does), mounts a hugetlbfs of its own, and gives both back at the end.  Each app captures a
generated capture looped forever (net_pcap infinite_rx) on port net_pcap0; dpdk-dumpcap
takes 20 frames of that port.  Checked: dumpcap exits 0, its file holds at least 20 frames,
among them the input's client->server segments (198.18.0.40:80 as destination), and the app
still stops cleanly on SIGINT (status 0) afterwards.  Skipped (77) without root, hugepages
or dpdk-dumpcap.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", "intercept"))
from harness import BUILD, COPIER, DATA, PY, Checks, Lab, sh  # noqa: E402
from icpt_harness import free_port  # noqa: E402

HP = "/sys/kernel/mm/hugepages/hugepages-2048kB/"
PAGES = 300           # two apps with -m 256 each take 256 pages
DUMPCAP = shutil.which("dpdk-dumpcap")
INTERCEPT = os.path.join(BUILD, "app", "intercept", "dpdk-intercept")


def read_int(name):
    with open(HP + name) as f:
        return int(f.read())


def write_int(name, v):
    with open(HP + name, "w") as f:
        f.write("%d\n" % v)


def dump_and_stop(chk, lab, name, prefix, args):
    """Start an app, capture 20 frames of its port 0 with dpdk-dumpcap, stop it."""
    p = lab.start(name, args)
    ready = lab.wait_file_has(p.dtc_log, "stats:", 20)
    chk(ready, "%s: running (a stats line in its log)" % name)
    if not ready:
        print(lab.log(p)[-2000:])
        return
    out = lab.path(name + ".pcapng")
    d = subprocess.run([DUMPCAP, "--file-prefix", prefix, "-i", "net_pcap0", "-c", "20",
                        "-w", out], capture_output=True, text=True, timeout=60)
    chk(d.returncode == 0, "%s: dpdk-dumpcap attached and exited 0 (got %d: %s)" %
        (name, d.returncode, (d.stdout + d.stderr).strip()[-400:]))
    r = sh("tshark", "-n", "-r", out, "-T", "fields", "-e", "ip.dst", "-e", "tcp.dstport",
           check=False)
    rows = [ln.split("\t") for ln in r.stdout.splitlines() if ln]
    chk(len(rows) >= 20, "%s: the capture holds at least 20 frames (got %d)" %
        (name, len(rows)))
    chk(any(row == ["198.18.0.40", "80"] for row in rows),
        "%s: among them the input's client->server segments" % name)
    rc = lab.stop(p, signal.SIGINT, timeout=20)
    chk(rc == 0, "%s: stopped cleanly on SIGINT after the capture (status %s)" % (name, rc))


def main():
    if os.geteuid() != 0 or DUMPCAP is None or not os.path.exists(HP + "nr_hugepages"):
        print("skip: needs root, dpdk-dumpcap (package dpdk-dev) and 2 MiB hugepages")
        return 77
    chk = Checks("pdump")
    old = read_int("nr_hugepages")
    mounted = None
    try:
        with Lab("pdump") as lab:
            if read_int("free_hugepages") < PAGES:
                write_int("nr_hugepages", old + PAGES - read_int("free_hugepages"))
            if read_int("free_hugepages") < PAGES:
                print("skip: only %d free 2 MiB hugepages could be reserved, %d needed" %
                      (read_int("free_hugepages"), PAGES))
                return 77
            hdir = lab.path("huge")
            os.mkdir(hdir)
            sh("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "nodev", hdir)
            mounted = hdir
            pcap = lab.path("in.pcap")
            sh(PY, os.path.join(DATA, "gen_sessions.py"), pcap, lab.path("in.json"))
            for name, binary, vdevs, opts in (
                    ("copy", COPIER,
                     ["--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                      "--vdev", "net_pcap1,tx_pcap=%s" % lab.path("tx.pcap")],
                     ["-x", "198.18.0.40:80-198.18.1.56:80@02:dc:0c:04:00:56",
                      "-s", "127.0.0.1:%d" % free_port(), "-L", "-m", "64",
                      "--stats-interval", "1"]),
                    ("intercept", INTERCEPT,
                     ["--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap],
                     ["-F", "tcp", "-b", "127.0.0.1", "-p", str(free_port()),
                      "--stats-interval", "1"])):
                prefix = "dtc-pdump-%s-%d" % (name, os.getpid())
                lab.prefixes.append(prefix)
                args = [binary, "-l", "0", "--huge-dir", hdir, "-m", "256", "--no-pci",
                        "--file-prefix", prefix, "--log-level=lib.*:warning"] + vdevs + \
                    ["--"] + opts
                dump_and_stop(chk, lab, name, prefix, args)
                time.sleep(0.2)
            # the apps' hugepage files go with the mount; nothing else of theirs is left
            sh("umount", hdir, check=False)
            mounted = None
    finally:
        if mounted is not None:
            sh("umount", mounted, check=False)
        write_int("nr_hugepages", old)
    return chk.end()


if __name__ == "__main__":
    sys.exit(main())
