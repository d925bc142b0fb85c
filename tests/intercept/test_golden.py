#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Golden pcap test of dpdk-intercept.

net_pcap RX replays tests/data/intercept/gen_responses.py's frames; three scripted copiers
speaking v1 exactly as tcpcopy 1.x (A writes whole messages, B dribbles byte by byte, C
registers only after the capture) register routes on loopback.  The port is read only once
A's and B's four routes are in (--wait-routes 4), which makes the order deterministic:
net_pcap replays its whole file the moment it is polled.

Asserted: each copier receives exactly the records of its own 4-tuples, in capture order,
byte for byte equal to the v1 layout computed here from the input pcap; the late copier C
receives the held SYN-ACK and RST of its tuple but not the data segment that had no route;
the counters (telemetry, read with dpdk-telemetry.py, and the final stats line); the TX pcap
holds nothing but the ARP reply and the ICMP echo reply (checked by scapy); exit status 0 on
SIGTERM.

usage: test_golden.py DPDK_INTERCEPT SRC_ROOT [--lcores 0|0-1]
"""

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icpt_harness as h  # noqa: E402

from scapy.all import ARP, ICMP, IP, TCP, Dot1Q, Ether, rdpcap  # noqa: E402


def expected(frames, flows, owner):
    """Records per owner (flow name -> owner name), in capture order, from the frames the
    filter accepts."""
    by_key = {(ip, port): owner.get(name, name) for name, (ip, port) in flows.items()}
    out = {by_key[k]: [] for k in by_key}
    for f in frames:
        if Dot1Q in f or IP not in f or TCP not in f or f[TCP].sport != 80:
            continue
        raw = bytes(f)
        if len(raw) < 14 + 20 or raw[14] >> 4 != 4 or len(raw) < 14 + (raw[14] & 0xf) * 4 + 20:
            continue
        name = by_key.get((f[IP].dst, f[TCP].dport))
        if name is not None:
            out[name].append(h.v1_record(raw[14:]))
    return out


def check_tx(path, aux_ip, srv_mac, srv_ip):
    reps = [Ether(bytes(p)) for p in rdpcap(path)]
    h.check(len(reps) == 2, "TX pcap holds exactly 2 frames (has %d)" % len(reps))
    arp = [p for p in reps if ARP in p]
    icmp = [p for p in reps if ICMP in p]
    h.check(len(arp) == 1 and len(icmp) == 1, "one ARP reply and one ICMP reply")
    if arp:
        a = arp[0]
        h.check(a[ARP].op == 2 and a[ARP].psrc == aux_ip, "ARP reply for --ip")
        h.check(a[ARP].pdst == srv_ip and a[ARP].hwdst == srv_mac, "ARP reply to the asker")
        h.check(a[Ether].dst == srv_mac and a[Ether].src == a[ARP].hwsrc, "ARP reply MACs")
        h.check(not (int(a[ARP].hwsrc.split(":")[0], 16) & 1), "ARP answers a unicast MAC")
    if icmp:
        p = icmp[0]
        h.check(p[ICMP].type == 0 and p[ICMP].id == 77 and p[ICMP].seq == 1, "ICMP echo reply")
        h.check(p[IP].src == aux_ip and p[IP].dst == srv_ip, "ICMP reply addresses")
        h.check(bytes(p[ICMP].payload) == b"ping from the test server", "ICMP payload echoed")
        ref = p.copy()
        del ref[IP].chksum
        del ref[ICMP].chksum
        ref = Ether(bytes(ref))
        h.check(ref[IP].chksum == p[IP].chksum and ref[ICMP].chksum == p[ICMP].chksum,
                "ICMP reply checksums valid")


def main():
    binary, src = sys.argv[1], sys.argv[2]
    lcores = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--lcores" else "0"
    sys.path.insert(0, os.path.join(src, "tests", "data", "intercept"))
    import gen_responses as g

    frames = g.frames()
    exp = expected(frames, g.FLOWS, {"A1": "A", "A2": "A", "B1": "B", "B2": "B"})
    with tempfile.TemporaryDirectory(prefix="dtc-icpt-golden-") as d:
        inp, out = os.path.join(d, "in.pcap"), os.path.join(d, "out.pcap")
        from scapy.all import wrpcap
        wrpcap(inp, frames)
        port = h.free_port()
        proc, prefix, log = h.start(
            binary, d, "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (inp, out),
            ["-F", "tcp and src port 80", "--ip", g.AUX_IP, "-p", str(port), "-b", "127.0.0.1",
             "--wait-routes", "4", "--idle-sleep", "500", "--stats-interval", "0"],
            lcores=lcores, tag="icpt-golden")
        copiers = []
        try:
            a = h.Copier(port, "A")
            b = h.Copier(port, "B", dribble=True)
            copiers += [a, b]
            a.version()
            b.version()
            for n in ("A1", "A2"):
                a.add(*g.FLOWS[n])
            for n in ("B1", "B2"):
                b.add(*g.FLOWS[n])
            want_a, want_b = exp["A"], exp["B"]
            # A1's last segment is the last frame: once A has it, the file was consumed.
            a.wait_records(len(want_a))
            b.wait_records(len(want_b))
            c = h.Copier(port, "C")
            copiers.append(c)
            c.version()
            c.add(*g.FLOWS["X"])
            want_c = [exp["X"][0], exp["X"][2]]   # SYN-ACK and RST; the data had no route
            c.wait_records(len(want_c))
            time.sleep(3.5)  # U2's held SYN-ACK expires after 3 s
            for cop, want in ((a, want_a), (b, want_b), (c, want_c)):
                h.check(cop.bad is None, "%s: framing %s" % (cop.name, cop.bad))
                got = list(cop.records)
                h.check(len(got) == len(want), "%s: %d records, want %d" %
                        (cop.name, len(got), len(want)))
                for i, (x, y) in enumerate(zip(got, want)):
                    if not h.check(x == y, "%s: record %d differs:\n got %s\nwant %s" %
                                   (cop.name, i, x.hex(), y.hex())):
                        break
            h.check(a.frames < len(want_a), "A: records were batched (%d frames for %d)" %
                    (a.frames, len(want_a)))
            t = h.telemetry(prefix)
            n_tcp80 = sum(len(v) for v in exp.values()) + 1  # + the IPv6 one
            want_t = {
                "captured": len(frames), "filtered": n_tcp80, "arp_answered": 1,
                "icmp_answered": 1, "parse_err": 1, "filter_miss": 2, "not_ipv4": 0,
                "records_routed": len(want_a) + len(want_b) + len(want_c),
                # U's data, X's data, and the IPv6 segment (a v2 record now, no route)
                "unrouted": len(exp["U"]) + 2,
                "held": 3, "held_delivered": 2, "held_expired": 1,
                "routes": 5, "routes_added": 5, "connections": 3, "malformed": 0,
                "refused": 0, "overflow": 0,
            }
            for k, v in want_t.items():
                h.check(t.get(k) == v, "telemetry %s = %s, want %s" % (k, t.get(k), v))
            peers = dict(zip(t["copier_peer"], t["copier_records"]))
            h.check(sorted(peers.values()) == sorted([len(want_a), len(want_b), len(want_c)]),
                    "per-copier records %s" % peers)
            h.check(t["copier_routes"] and sorted(t["copier_routes"]) == [1, 2, 2],
                    "per-copier routes %s" % t["copier_routes"])
        finally:
            rc = h.stop(proc, prefix=prefix)
            for cop in copiers:
                cop.close()
        output = proc.stdout.read().decode(errors="replace")
        h.check(rc == 0, "exit status %s on SIGTERM" % rc)
        with open(log) as f:
            text = f.read()
        h.check("final: captured=%d" % len(frames) in text, "final stats line in the log")
        check_tx(out, g.AUX_IP, g.SRV_MAC, g.SRV_IP)
        if h.failures:
            print(output)
            print(text)
    print("golden (lcores %s): %d failures" % (lcores, len(h.failures)))
    return 1 if h.failures else 0


if __name__ == "__main__":
    sys.exit(main())
