#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""dpdk-intercept's command line: every bad value exits 2 naming the option, before the EAL
starts (no hugepage or port is touched: these run without EAL arguments at all); the checks
that need the EAL (the port exists, DPDK accepts the filter) exit 2 too, before the port
starts; -h documents every option with its default; -v; --config files.

usage: test_args.py DPDK_INTERCEPT
"""

import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icpt_harness as h  # noqa: E402

F = ["-F", "tcp and src port 80"]

# (arguments after "--", text the error must contain)
BAD = [
    ([], "-F/--filter"),
    (["-F", "tcp and src prot 80"], "-F/--filter"),
    (["-F", "tcp and ("], "syntax error"),
    (F + ["-p", "0"], "-p/--port"),
    (F + ["-p", "65536"], "-p/--port"),
    (F + ["-p", "80x"], "-p/--port"),
    (F + ["-p", "-1"], "-p/--port"),
    (F + ["-p", ""], "-p/--port"),
    (F + ["--port"], "-p/--port"),
    (F + ["-b", "1.2.3"], "-b/--bind"),
    (F + ["--allow", "10.0.0.0/33"], "--allow"),
    (F + ["--allow", "10.0.0.0/8,,"], "--allow"),
    (F + ["--allow", ","], "--allow"),
    (F + ["--allow", "fe80::/129"], "--allow"),
    (F + ["--ip", "198.18.1.300"], "--ip"),
    (F + ["--ip", "0.0.0.0"], "--ip"),
    (F + ["--ip", "224.0.0.1"], "--ip"),
    (F + ["--ip", "2001:db8::1"], "--ip"),
    (F + ["--rx-port", "x"], "--rx-port"),
    (F + ["--rx-port", "100000"], "--rx-port"),
    (F + ["--max-conns", "0"], "--max-conns"),
    (F + ["--max-conns", "4097"], "--max-conns"),
    (F + ["--conn-stall", "0"], "--conn-stall"),
    (F + ["-n", "17"], "-n/--batch"),
    (F + ["-t", "86401"], "-t/--route-timeout"),
    (F + ["--route-timeout", "1e3"], "-t/--route-timeout"),
    (F + ["--routes", "1023"], "--routes"),
    (F + ["-s", "15"], "-s/--hold-size"),
    (F + ["--stats-interval", "99999999999999999999999"], "--stats-interval"),
    (F + ["--idle-sleep", "100001"], "--idle-sleep"),
    (F + ["-l", ""], "-l/--log"),
    (F + ["-d=1"], "unknown"),
    (F + ["--daemon=yes"], "--daemon"),
    (F + ["--nope"], "--nope"),
    (F + ["-i", "eth0"], "-i of intercept 1.x"),
    (F + ["-x", "1.2.3.4"], "-x of intercept 1.x"),
    (F + ["extra"], "unexpected argument"),
]


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=30, **kw)


def main():
    binary = sys.argv[1]
    for args, text in BAD:
        r = run([binary, "--"] + args)
        h.check(r.returncode == 2, "%s: exit %d, want 2" % (args, r.returncode))
        h.check(text in r.stderr, "%s: %r not in %r" % (args, text, r.stderr))
        h.check("EAL:" not in r.stderr + r.stdout, "%s: the EAL started" % args)
    # -h: every option, each with its default (or "required").
    r = run([binary, "--", "-h"])
    h.check(r.returncode == 0, "-h exit %d" % r.returncode)
    opts = re.findall(r"^\s+(?:-\w, )?--([\w-]+)", r.stdout, re.M)
    for o in ("filter", "ip", "rx-port", "port", "bind", "allow", "log", "pid-file", "daemon",
              "stats-interval", "route-timeout", "idle-sleep", "config", "help", "version"):
        h.check(o in opts, "-h lists --%s" % o)
    blocks = re.split(r"\n(?=\s+(?:-\w, )?--)", r.stdout)
    for b in blocks:
        m = re.match(r"\s+(?:-\w, )?--([\w-]+)", b)
        if m and m.group(1) not in ("help", "version", "config"):
            h.check("default" in b or "required" in b, "--%s states its default" % m.group(1))
    r = run([binary, "--", "-v"])
    h.check(r.returncode == 0 and "dpdk-intercept" in r.stdout, "-v")
    with tempfile.TemporaryDirectory(prefix="dtc-icpt-args-") as d:
        # --config: the file's options come first, the command line overrides them.
        conf = os.path.join(d, "icpt.conf")
        with open(conf, "w") as f:
            f.write("# dpdk-intercept\nfilter tcp and src port 80\nport 0\n")
        r = run([binary, "--", "--config", conf])
        h.check(r.returncode == 2 and "-p/--port" in r.stderr, "--config value checked")
        # The file gives -F: only the command line's bad port is left to complain about.
        with open(conf, "w") as f:
            f.write("filter tcp and src port 80\n")
        r = run([binary, "--", "--config", conf, "-p", "0"])
        h.check(r.returncode == 2 and "-p/--port" in r.stderr and "-F" not in r.stderr,
                "--config supplies -F: %s" % r.stderr)
        r = run([binary, "--", "--config", os.path.join(d, "none")])
        h.check(r.returncode == 2, "--config missing file: exit %d" % r.returncode)
        # After the EAL, before the port: a port that does not exist.
        prefix = "dtc-icpt-args-%d" % os.getpid()
        eal = [binary, "--no-huge", "-m", "64", "--no-pci", "-l", "0",
               "--file-prefix", prefix, "--log-level=lib.*:error", "--vdev", "net_null0"]
        r = run(eal + ["--"] + F + ["--rx-port", "3", "-p", str(h.free_port())])
        h.check(r.returncode == 2 and "--rx-port" in r.stderr,
                "--rx-port 3 with one port: %d %s" % (r.returncode, r.stderr))
        h.shutil.rmtree(h.runtime_dir(prefix), ignore_errors=True)
        # A bad EAL argument is the EAL's to report (exit 1, not ours).
        r = run([binary, "--bogus-eal-flag", "--"] + F)
        h.check(r.returncode not in (0, 2), "bad EAL argument: exit %d" % r.returncode)
    print("args: %d failures" % len(h.failures))
    return 1 if h.failures else 0


if __name__ == "__main__":
    sys.exit(main())
