#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Client-side capture of an online server, as a switch mirror would deliver it, for the
dpdk-tcpcopy golden tests.  Written with scapy only (independent of our code).

    gen_sessions.py OUT.pcap OUT.json

Online server 198.18.0.40:80 and [2001:db8::40]:80.  The capture holds both directions of:
  s1  IPv4 full handshake, request 1 in two segments (same ACK), request 2 after response 1,
      client pure ACKs, FIN exchange
  s2  IPv4, SYN missed (the capture starts with its first request), two requests, FIN
  s3  IPv6 full handshake, one request, FIN
  s4  IPv4 in an 802.1Q VLAN (id 100), one request, FIN
plus what must not be copied: a session to port 22, a session to another online address,
UDP, ARP and the server->client direction of every session.
OUT.json lists, per copied session, what the copier must reproduce (client seq numbers and
payloads of each request) so the checker needs no knowledge of the copier.
"""

import json
import sys

from scapy.all import ARP, IP, IPv6, TCP, UDP, Dot1Q, Ether, Raw, wrpcap

CLI_MAC = "02:dc:0c:00:00:10"
SRV_MAC = "02:dc:0c:00:00:40"
SRV4 = "198.18.0.40"
SRV6 = "2001:db8::40"

frames = []
t = [1700000000.0]


def emit(pkt):
    t[0] += 0.001
    pkt.time = t[0]
    frames.append(pkt)


def l2(vlan):
    e = Ether(src=CLI_MAC, dst=SRV_MAC)
    return e / Dot1Q(vlan=vlan) if vlan else e


def l2r(vlan):
    e = Ether(src=SRV_MAC, dst=CLI_MAC)
    return e / Dot1Q(vlan=vlan) if vlan else e


class Sess:
    """One TCP session between a client and the online server, both directions."""

    def __init__(self, name, cli, cport, srv, sport=80, isn=1000, sisn=500000, vlan=0,
                 copied=True):
        self.name, self.cli, self.cport, self.srv, self.sport = name, cli, cport, srv, sport
        self.v6 = ":" in cli
        self.seq, self.sseq, self.vlan = isn, sisn, vlan
        self.ack = 0
        self.copied = copied
        self.meta = {"name": name, "family": 6 if self.v6 else 4, "client": cli,
                     "cport": cport, "vlan": vlan, "syn": False, "isn": None,
                     "requests": [], "fin": False}

    def ip(self, c2s):
        if self.v6:
            return IPv6(src=self.cli, dst=self.srv) if c2s else IPv6(src=self.srv, dst=self.cli)
        return IP(src=self.cli, dst=self.srv) if c2s else IP(src=self.srv, dst=self.cli)

    def c(self, flags, payload=b"", opts=None):
        p = l2(self.vlan) / self.ip(True) / TCP(sport=self.cport, dport=self.sport,
                                                 flags=flags, seq=self.seq, ack=self.ack,
                                                 window=64240, options=opts or [])
        if payload:
            p = p / Raw(payload)
        emit(p)

    def s(self, flags, payload=b"", opts=None):
        p = l2r(self.vlan) / self.ip(False) / TCP(sport=self.sport, dport=self.cport,
                                                  flags=flags, seq=self.sseq, ack=self.seq,
                                                  window=65160, options=opts or [])
        if payload:
            p = p / Raw(payload)
        emit(p)

    def handshake(self):
        self.meta["syn"] = True
        self.meta["isn"] = self.seq
        self.c("S", opts=[("MSS", 1460), ("SAckOK", b""), ("WScale", 7)])
        self.seq += 1
        self.s("SA", opts=[("MSS", 1460), ("SAckOK", b""), ("WScale", 7)])
        self.sseq += 1
        self.ack = self.sseq
        self.c("A")

    def request(self, parts):
        """A request, possibly in several segments sent back to back (same ACK)."""
        self.meta["requests"].append({"seq": self.seq, "data": b"".join(parts).hex(),
                                      "ack": self.ack})
        for part in parts:
            self.c("PA", part)
            self.seq += len(part)

    def response(self, data, segs=1):
        step = (len(data) + segs - 1) // segs
        for i in range(0, len(data), step):
            self.s("PA", data[i:i + step])
            self.sseq += len(data[i:i + step])
        self.ack = self.sseq
        self.c("A")  # the client's pure ACK: never copied as such

    def close(self):
        self.meta["fin"] = True
        self.meta["fin_seq"] = self.seq
        self.c("FA")
        self.seq += 1
        self.s("FA")
        self.sseq += 1
        self.ack = self.sseq
        self.c("A")


def req(path):
    return ("GET %s HTTP/1.1\r\nHost: online\r\nUser-Agent: gen\r\n\r\n" % path).encode()


def main():
    out_pcap, out_json = sys.argv[1], sys.argv[2]
    s1 = Sess("s1", "198.18.0.10", 40001, SRV4, isn=1000, sisn=700000)
    s2 = Sess("s2", "198.18.0.11", 40002, SRV4, isn=2000, sisn=800000)
    s3 = Sess("s3", "2001:db8::10", 40003, SRV6, isn=3000, sisn=900000)
    s4 = Sess("s4", "198.18.0.12", 40004, SRV4, isn=4000, sisn=950000, vlan=100)
    other = Sess("ssh", "198.18.0.13", 40005, SRV4, sport=22, copied=False)
    other_ip = Sess("other-ip", "198.18.0.14", 40006, "198.18.0.41", copied=False)

    s1.handshake()
    # s2 is already established when the capture starts: its first frame is a request
    s2.ack = s2.sseq + 1
    s2.sseq += 1
    s3.handshake()
    s4.handshake()
    other.handshake()
    other_ip.handshake()
    r = req("/s1/one")
    s1.request([r[:20], r[20:]])
    s2.request([req("/s2/one")])
    other.request([b"SSH-2.0-OpenSSH_9.2\r\n"])
    other_ip.request([req("/other/one")])
    emit(Ether(src=CLI_MAC, dst="ff:ff:ff:ff:ff:ff") /
         ARP(op=1, hwsrc=CLI_MAC, psrc="198.18.0.10", pdst="198.18.0.40"))
    emit(Ether(src=CLI_MAC, dst=SRV_MAC) / IP(src="198.18.0.10", dst=SRV4) /
         UDP(sport=5353, dport=53) / Raw(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"))
    s1.response(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" * 3, segs=2)
    s2.response(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc")
    s3.request([req("/s3/one")])
    s4.request([req("/s4/one")])
    s1.request([req("/s1/two")])
    s3.response(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6")
    s4.response(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nvlan")
    s2.request([req("/s2/two")])
    s1.response(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo")
    s2.response(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo")
    for s in (s1, s2, s3, s4, other):
        s.close()

    wrpcap(out_pcap, frames)
    with open(out_json, "w") as f:
        json.dump({"sessions": [s.meta for s in (s1, s2, s3, s4)],
                   "frames": len(frames)}, f, indent=1)


if __name__ == "__main__":
    main()
