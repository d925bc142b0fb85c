#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""The real dpdk-tcpcopy binary rejects bad options before the EAL starts.

Each bad command line must end with exit status 2 and the one-line message naming the option
and the value, quickly, and without any EAL output (the options are validated before
rte_eal_init).  -h and -v exit 0 without the EAL too.
"""

import os
import subprocess
import sys
import time

EXE = sys.argv[1]
EAL = ["--no-huge", "-m", "64", "--no-pci", "--file-prefix", "dtc-args-bin-%d" % os.getpid(),
       "--log-level=lib.*:info"]
BASE = ["-x", "80-198.18.1.56:8080", "-s", "198.18.1.63", "--tx-ip", "198.18.1.10"]

failures = 0


def run(app_args, eal=EAL):
    t0 = time.monotonic()
    p = subprocess.run([EXE] + eal + ["--"] + app_args, capture_output=True, text=True,
                       timeout=20)
    return p, time.monotonic() - t0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


CASES = [
    (BASE + ["-n", "0"], "invalid value '0' for option -n/--multiply: "),
    (BASE + ["-x", "80-198.18.1.56"], "invalid value '80-198.18.1.56' for option -x/--transfer: "),
    (BASE + ["-p", "70000"], "invalid value '70000' for option -p/--intercept-port: "),
    (BASE + ["--response-port", "1"], "invalid value '1' for option --response-port: "),
    (["-x", "80-198.18.1.56:80", "--tx-ip", "198.18.1.10"], "option -s/--intercept: is required"),
    (BASE + ["--bogus"], "unknown or ambiguous option '--bogus'"),
    (BASE + ["-i", "/nonexistent.pcap", "--rx-port", "0"],
     "invalid value '/nonexistent.pcap' for option -i/--pcap-file: cannot read"),
]

for args, want in CASES:
    p, dt = run(args)
    line = p.stderr.splitlines()[0] if p.stderr else ""
    if p.returncode != 2:
        fail("%s: exit status %d, want 2 (stderr %r)" % (args, p.returncode, p.stderr))
    if not line.startswith(os.path.basename(EXE)) and not line.startswith(EXE):
        fail("%s: message does not start with the program name: %r" % (args, line))
    if want not in line:
        fail("%s: first line %r does not contain %r" % (args, line, want))
    if "EAL" in p.stderr or "EAL" in p.stdout:
        fail("%s: the EAL started before the options were checked: %r" % (args, p.stderr))

# A bad --config file: status 2, the file and line named, no EAL.
conf = "/tmp/dtc-args-bin-%d.conf" % os.getpid()
with open(conf, "w") as f:
    f.write("transfer 80-198.18.1.56:8080\nmulti!ply 3\n")
p, _ = run(["--config", conf])
os.unlink(conf)
if p.returncode != 2 or "for option --config: " + conf + ":2:" not in p.stderr:
    fail("bad config file: status %d, stderr %r" % (p.returncode, p.stderr))
if "EAL" in p.stderr:
    fail("bad config file: the EAL started")

for flag, want in (("-h", "--transfer"), ("--version", "dpdk-tcpcopy ")):
    p, _ = run([flag])
    if p.returncode != 0 or want not in p.stdout or "EAL" in p.stderr:
        fail("%s: status %d, stdout %r, stderr %r" % (flag, p.returncode, p.stdout[:200],
                                                     p.stderr))

print("%d failure(s)" % failures)
sys.exit(1 if failures else 0)
