#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Golden test of dpdk-tcpcopy in the two-host mode, checked by scapy on a tcpdump capture.

    test_golden.py [--lcores N]

The copier reads a generated client-side capture (gen_sessions.py: several sessions, a missed
SYN, IPv4 and IPv6, a VLAN, pure ACKs, the server->client direction, unmapped traffic) from a
net_pcap port, transmits on a net_af_packet port into a namespace where a scripted test
server (peer.py) answers, and takes the responses back from the same port (--response-port,
no intercept).  tcpdump on the peer's side records what the copier sent.  Checked:
  addresses rewritten (-c) and ports kept, target from -x, MACs from ARP / @MAC;
  client sequence numbers kept, payload bytes identical and in order;
  ACKs in the peer's sequence space (each request acknowledges every response before it);
  pacing: no byte of request n+1 before the peer had sent as much of response n as the
    online server did (the capture's ACK difference; all of it when it is shorter);
  IPv4 and TCP checksums valid (recomputed by scapy);
  nothing sent for unmapped traffic; every session ended with the client's FIN;
  ARP request from --tx-ip, the responder answers ARP and ICMP for --tx-ip;
  the telemetry counters; SIGINT exits 0 with a summary.
With --lcores 4 (main, RX, two workers), responses must reach the worker that owns the
session through the response rings.
"""

import argparse
import json
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import harness  # noqa: E402
from harness import DATA, HERE, PY, Checks, Lab, sh  # noqa: E402
from scapy.all import ARP, ICMP, IP, IPv6, TCP, Ether, Raw, rdpcap  # noqa: E402

C_MAC = "02:dc:0c:01:00:01"
P_MAC = "02:dc:0c:01:00:56"
TX_IP = "198.18.1.1"
T4, T6 = "198.18.1.56", "2001:db8:1::56"
F4, F6 = "198.18.2.100", "2001:db8:2::100"


def cksum_ok(p):
    """Recompute IPv4 and TCP checksums with scapy and compare with the captured ones."""
    q = p.copy()
    if IP in q:
        got_ip = q[IP].chksum
        del q[IP].chksum
    got_tcp = q[TCP].chksum
    del q[TCP].chksum
    r = Ether(bytes(q))
    if IP in q and r[IP].chksum != got_ip:
        return False
    return r[TCP].chksum == got_tcp


def analyse(chk, meta, cap, peer_log):
    pkts = rdpcap(cap)
    events = [json.loads(l) for l in open(peer_log)]
    out = [p for p in pkts if Ether in p and p[Ether].src == C_MAC]
    tcp_out = [p for p in out if TCP in p]
    chk(len(tcp_out) > 0, "the copier sent TCP segments (%d)" % len(tcp_out))
    ok = all(((IP in p and p[IP].src == F4 and p[IP].dst == T4) or
              (IPv6 in p and p[IPv6].src == F6 and p[IPv6].dst == T6)) and
             p[TCP].dport == 80 and p[Ether].dst == P_MAC for p in tcp_out)
    chk(ok, "every segment: client address from -c, target address and port from -x, "
        "next-hop MAC of the peer")
    bad = [p.summary() for p in tcp_out if not cksum_ok(p)]
    chk(not bad, "IPv4 header and TCP checksums valid (%d bad) %s" % (len(bad), bad[:3]))
    sent_ports = {p[TCP].sport for p in tcp_out}
    chk(40005 not in sent_ports and 40006 not in sent_ports,
        "nothing copied for port 22 nor for the unmapped online address")

    arp_req = [p for p in out if ARP in p and p[ARP].op == 1]
    chk(any(p[ARP].psrc == TX_IP and p[ARP].pdst == T4 for p in arp_req),
        "ARP request for the IPv4 target from --tx-ip")
    chk(any(e["ev"] == "arp_reply" and e["hwsrc"] == C_MAC for e in events),
        "the responder answered ARP for --tx-ip with the port's MAC")
    chk(any(e["ev"] == "pong" and e["payload"] == "dtc-ping" for e in events),
        "the responder answered an ICMP echo for --tx-ip")

    for s in meta["sessions"]:
        name, port = s["name"], s["cport"]
        segs = [p for p in tcp_out if p[TCP].sport == port]
        syns = [p for p in segs if p[TCP].flags & 0x02]
        isn = s["isn"] if s["syn"] else s["requests"][0]["seq"] - 1
        chk(len(syns) >= 1 and all(p[TCP].seq == isn for p in syns),
            "%s: SYN with the client's ISN %d%s" % (name, isn, "" if s["syn"] else
                                                    " (synthesized: first seq - 1)"))
        fam_ok = all((IPv6 in p) == (s["family"] == 6) for p in segs)
        chk(fam_ok, "%s: IPv%d kept" % (name, s["family"]))
        # the peer's view of this connection
        ev = [e for e in events if e.get("sport") == port]
        syn_ev = [e for e in ev if e["ev"] == "syn"]
        if not chk(len(syn_ev) >= 1, "%s: the peer accepted a connection" % name):
            continue
        iss = syn_ev[-1]["iss"]
        # payload: every request byte at its client seq, in order, nothing else
        data = {}
        for p in segs:
            if Raw in p:
                for i, b in enumerate(bytes(p[Raw].load)):
                    data.setdefault(p[TCP].seq + i, b)
        want = {}
        for r in s["requests"]:
            for i, b in enumerate(bytes.fromhex(r["data"])):
                want[r["seq"] + i] = b
        chk(data == want, "%s: request bytes identical at the client's sequence numbers "
            "(%d bytes)" % (name, len(want)))
        got_reqs = [e for e in ev if e["ev"] == "response"]
        chk(len(got_reqs) == len(s["requests"]),
            "%s: the peer saw %d complete requests, in order" % (name, len(s["requests"])))
        # ACKs in the peer's sequence space; pacing
        responses = [e for e in ev if e["ev"] == "response"]
        for k, r in enumerate(s["requests"]):
            first = [p for p in segs if Raw in p and p[TCP].seq == r["seq"]]
            if not first:
                chk(False, "%s: request %d sent" % (name, k + 1))
                continue
            # The new pacing (docs/session.md): request k goes once the peer has sent as many
            # bytes of its answer to request k-1 as the online server did (the captured ACK
            # difference), or all of a shorter answer; its ACK covers what the peer had sent.
            before = iss + 1 + sum(x["len"] for x in responses[:max(k - 1, 0)])
            if k == 0:
                ack_lo = ack_hi = iss + 1
            elif len(responses) >= k:
                online = (r["ack"] - s["requests"][k - 1]["ack"]) & 0xffffffff
                ack_lo = before + min(online, responses[k - 1]["len"])
                ack_hi = before + responses[k - 1]["len"]
            else:
                ack_lo, ack_hi = before, before
            chk(all(ack_lo <= p[TCP].ack <= ack_hi for p in first),
                "%s: request %d acknowledges the peer's ISN+1 plus %d..%d response bytes"
                % (name, k + 1, ack_lo - iss - 1, ack_hi - iss - 1))
            if k > 0 and len(responses) >= k:
                t_first = min(float(p.time) for p in first)
                due = [p for p in pkts if Ether in p and p[Ether].src == P_MAC and
                       TCP in p and p[TCP].dport == port and Raw in p and
                       p[TCP].seq < ack_lo <= p[TCP].seq + len(p[Raw].load)]
                chk(due and t_first > float(due[0].time),
                    "%s: request %d left after the peer had answered as much of response %d "
                    "as the online server (%d bytes)" % (name, k + 1, k, ack_lo - before))
        fins = [p for p in segs if p[TCP].flags & 0x01]
        chk(any(p[TCP].seq == s["fin_seq"] for p in fins),
            "%s: FIN at the client's FIN seq %d" % (name, s["fin_seq"]))
        chk(any(e["ev"] == "fin" for e in ev), "%s: the peer closed the connection" % name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lcores", type=int, default=1)
    a = ap.parse_args()
    tag = "g%d" % a.lcores
    chk = Checks("golden (%d lcore%s)" % (a.lcores, "s" if a.lcores > 1 else ""))
    with Lab(tag) as lab:
        sh(PY, os.path.join(DATA, "gen_sessions.py"), lab.path("in.pcap"), lab.path("in.json"))
        meta = json.load(open(lab.path("in.json")))
        nc, np_ = lab.netns("c"), lab.netns("p")
        ifc, ifp = "dtcC-%s-c0" % tag, "dtcC-%s-p0" % tag
        lab.veth(nc, ifc, np_, ifp, C_MAC, P_MAC)
        dump = lab.start("tcpdump", ["tcpdump", "--immediate-mode", "-i", ifp, "-n", "-U", "-w",
                                     lab.path("cap.pcap")], ns=np_)
        chk(lab.wait_file_has(dump.dtc_log, "listening on", 10), "tcpdump started")
        peer = lab.start("peer", [PY, os.path.join(HERE, "golden", "peer.py"), "--iface", ifp,
                                  "--ip4", T4, "--ip6", T6, "--copier-ip", TX_IP,
                                  "--log", lab.path("peer.jsonl"), "--timeout", "50"], ns=np_)
        chk(lab.wait_file_has(lab.path("peer.jsonl"), '"ready"', 15), "scripted peer started")
        workers = max(1, a.lcores - 2)
        lcores = "0" if a.lcores == 1 else "(0-%d)@(0,1)" % (a.lcores - 1)
        eal = ["--lcores", lcores, "--vdev", "net_pcap0,rx_pcap=" + lab.path("in.pcap"),
               "--vdev", "net_af_packet0,iface=%s,qpairs=%d" % (ifc, workers + 1)]
        # --max-lag 0: strict pacing (the scripted peer is slower than any catch-up bound).
        opts = ["--max-lag", "0",
                "-x", "198.18.0.40:80-%s:80,[2001:db8::40]:80-[%s]:80@%s" % (T4, T6, P_MAC),
                "-c", "%s,%s" % (F4, F6), "--tx-ip", TX_IP, "--rx-port", "0", "--tx-port",
                "1", "--response-port", "1", "--stats-interval", "1", "--idle-sleep", "500",
                "-m", "64",
                # a fixed RTT: the capture is read in one burst, so the measured one is ~0
                # and a response would count as over after its first segment
                "-R", "50"]
        cp = lab.copier(tag, eal, opts, ns=nc)
        prefix = lab.prefixes[-1]
        n = len(meta["sessions"])
        st, ok = harness.wait_sessions_ended(prefix, n, 35)
        chk(ok, "telemetry /dtc/copy/stats: %d sessions created and ended, none active (%s)" %
            (n, st))
        # net_pcap never misses a frame: the port-loss counters are read and say 0
        chk(st is not None and st.get("port_imissed") == 0 and st.get("port_rx_nombuf") == 0
            and st.get("port_ierrors") == 0,
            "telemetry /dtc/copy/stats: capture-port losses reported, all 0 (%s)" %
            {k: st.get(k) for k in ("port_imissed", "port_rx_nombuf", "port_ierrors")}
            if st else None)
        drops = harness.telemetry(prefix, "/dtc/copy/drops") or {}
        chk(drops.get("copier/not_tcp") == 2,
            "telemetry /dtc/copy/drops: the ARP and UDP frames of the input counted as "
            "not_tcp (%s)" % drops.get("copier/not_tcp"))
        chk(drops.get("front/not_client", 0) > 0,
            "server->client and unmapped segments counted as not_client (%s)" %
            drops.get("front/not_client"))
        chk(lab.wait_file_has(cp.dtc_log, "stats: captured", 5),
            "a stats line every --stats-interval")
        rc = lab.stop(cp, signal.SIGINT, timeout=20)
        log = lab.log(cp)
        chk(rc == 0, "SIGINT: exit status 0 (got %s)" % rc)
        chk("summary after" in log and "ended fin" in log,
            "the final summary printed, with the sessions' end reasons")
        chk("memory plan for -m 64 MB" in log, "the -m plan printed at start")
        lab.stop(peer)
        lab.stop(dump, signal.SIGINT)
        analyse(chk, meta, lab.path("cap.pcap"), lab.path("peer.jsonl"))
        if chk.fails:
            print("---- copier log ----\n" + log[-6000:])
    return chk.end()


if __name__ == "__main__":
    sys.exit(main())
