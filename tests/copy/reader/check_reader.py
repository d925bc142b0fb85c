#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""The offline reader against scapy: every link type we accept, pcap and pcapng, micro and
nanosecond files, read by path and from memory; damaged files stop at the right packet with a
message naming the file and the packet; unsupported link types are refused by name.

    check_reader.py TEST_READER SRC_DIR WORKDIR
"""

import json
import os
import subprocess
import sys

from scapy.all import (IP, TCP, CookedLinux, Ether, Raw, rdpcap, wrpcap)
from scapy.utils import PcapNgWriter, PcapWriter

try:
    from scapy.all import CookedLinuxV2
except ImportError:  # older scapy
    CookedLinuxV2 = None

fails = 0


def check(cond, what):
    global fails
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        fails += 1


def run(reader, path, mem=False):
    args = [reader] + (["--mem"] if mem else []) + [path]
    out = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        return None, out.stdout + out.stderr
    return out.stdout.splitlines(), out.stdout


def frames_of(lines):
    return [tuple(int(x) for x in l.split()[1:]) for l in lines if l.startswith("frame ")]


def compare(reader, path, link, nano):
    want = rdpcap(path)
    for mem in (False, True):
        lines, raw = run(reader, path, mem)
        tag = "%s%s" % (os.path.basename(path), " (memory)" if mem else "")
        if lines is None:
            check(False, "%s: reader failed: %s" % (tag, raw))
            continue
        got = frames_of(lines)
        check(lines[0] == "link %d" % link, "%s: link type %d (%s)" % (tag, link, lines[0]))
        check(lines[-1] == "end", "%s: clean end" % tag)
        check(len(got) == len(want), "%s: %d frames, scapy %d" % (tag, len(got), len(want)))
        ok = True
        for g, p in zip(got, want):
            idx, caplen, wirelen, ts = g
            ts_want = int(p.time * 10**9) if nano else int(round(float(p.time) * 10**6)) * 1000
            if caplen != len(bytes(p)) or wirelen != p.wirelen or abs(ts - ts_want) > 1000:
                ok = False
                print("   frame %d: got %s, scapy len %d wirelen %s ts %d" %
                      (idx, g, len(bytes(p)), p.wirelen, ts_want))
        check(ok and [g[0] for g in got] == list(range(1, len(got) + 1)),
              "%s: lengths, timestamps and packet numbers match scapy" % tag)


def main():
    reader, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
    gen = os.path.join(src, "tests", "data", "copy")
    base = os.path.join(work, "in.pcap")
    subprocess.run([sys.executable, os.path.join(gen, "gen_sessions.py"), base,
                    os.path.join(work, "in.json")], check=True)
    pkts = rdpcap(base)
    compare(reader, base, 1, False)

    # the same frames in other encodings
    nano = os.path.join(work, "nano.pcap")
    wrpcap(nano, pkts, nano=True)
    compare(reader, nano, 1, True)
    ng = os.path.join(work, "in.pcapng")
    w = PcapNgWriter(ng)
    for p in pkts:
        w.write(p)
    w.close()
    compare(reader, ng, 1, True)
    ip_only = [p for p in pkts if IP in p]
    raw = os.path.join(work, "raw.pcap")
    with PcapWriter(raw, linktype=101) as w:
        for p in ip_only:
            q = p[IP].copy()
            q.time = p.time
            w.write(q)
    compare(reader, raw, 101, False)
    sll = os.path.join(work, "sll.pcap")
    cooked = []
    for p in ip_only:
        q = CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=b"\x02\xdc\x0c\x00\x00\x10",
                        proto=0x0800) / p[IP].copy()
        q.time = p.time
        cooked.append(q)
    wrpcap(sll, cooked)
    compare(reader, sll, 113, False)
    if CookedLinuxV2 is not None:
        sll2 = os.path.join(work, "sll2.pcap")
        cooked2 = []
        for p in ip_only:
            q = CookedLinuxV2(proto=0x0800, ifindex=2, lladdrtype=1, pkttype=0, lladdrlen=6,
                              src=b"\x02\xdc\x0c\x00\x00\x10") / p[IP].copy()
            q.time = p.time
            cooked2.append(q)
        wrpcap(sll2, cooked2)
        compare(reader, sll2, 276, False)

    # an unsupported link type is refused with its name
    wifi = os.path.join(work, "wifi.pcap")
    with PcapWriter(wifi, linktype=105) as w:
        w.write(Raw(b"\x08\x00" + b"\x00" * 30))
    lines, raw_out = run(reader, wifi)
    check(lines is not None and len(lines) == 1 and lines[0].startswith("open-error ") and
          wifi in lines[0] and "105" in lines[0] and "not supported" in lines[0],
          "unsupported link type refused by name: %s" % raw_out.strip())

    # damaged files: everything before the damage, then the file and packet named
    k = 7
    subprocess.run([sys.executable, os.path.join(gen, "gen_bad.py"), base, work, str(k)],
                   check=True)
    bad = json.load(open(os.path.join(work, "bad.json")))
    for name, exp in sorted(bad.items()):
        path = os.path.join(work, name)
        for mem in (False, True):
            lines, raw_out = run(reader, path, mem)
            tag = name + (" (memory)" if mem else "")
            if lines is None:
                check(False, "%s: reader crashed: %s" % (tag, raw_out))
                continue
            if exp["packet"] == 0:
                check(len(lines) == 1 and lines[0].startswith("open-error ") and
                      os.path.basename(path) in lines[0],
                      "%s: refused at open, file named: %s" % (tag, lines[0]))
                continue
            got = frames_of(lines)
            want = "packet %d:" % exp["packet"]
            check(len(got) == exp["valid_before"] and lines[-1].startswith("error ") and
                  os.path.basename(path) in lines[-1] and want in lines[-1],
                  "%s: %d valid frames then '%s'" % (tag, len(got), lines[-1]))

    out = subprocess.run([reader, "--pace"], capture_output=True, text=True, timeout=30)
    print(out.stdout.strip())
    check(out.returncode == 0, "replay timeline (-a, -I) matches hand-computed offsets")
    print("%d failure(s)" % fails)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
