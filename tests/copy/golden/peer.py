#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""A scripted test server on a raw interface (scapy only), for the copier's golden tests.

    peer.py --iface IF --ip4 A --ip6 B --port P --copier-ip C --log FILE [--timeout S]

Answers ARP for --ip4, and plays a minimal TCP server on A:P and [B]:P: SYN -> SYN-ACK
(ISN chosen here), in-order data is acknowledged and every complete HTTP-like request
(ending with an empty line) gets a response in two segments, FIN -> FIN-ACK, RST forgets the
connection.  The kernel of its namespace has no address on IF, so it stays out of the way.
At start it checks the copier's responder: an ARP request and an ICMP echo for --copier-ip.
Everything it does is logged as JSON lines (the checker compares them with the capture).
Stops on SIGTERM/SIGINT or after --timeout seconds.

With --ctl-listen ADDR:PORT it also plays dpdk-intercept (three-host mode, IPv4): it accepts
the copier's control connections (protocol v1: version message, 14-byte routes) and, instead
of putting its TCP answers on the wire, sends each one as a 64-byte header record (batched
frame of one) on the connection that registered the route of its destination; an answer
whose route has not arrived yet is held until it does, as an intercept holds SYN-ACKs.
"""

import argparse
import json
import select
import signal
import socket
import struct
import sys
import time

from scapy.all import (ARP, ICMP, IP, IPv6, TCP, Ether, Raw, conf, get_if_hwaddr)

stop = False


def on_signal(*_):
    global stop
    stop = True


class Peer:
    def __init__(self, a):
        self.a = a
        self.mac = get_if_hwaddr(a.iface)
        self.sock = conf.L2socket(iface=a.iface)
        self.log = open(a.log, "w", buffering=1)
        self.conns = {}
        self.n_conn = 0
        self.copier_mac = None
        self.asked = False
        self.lsock = None
        self.ctl = {}        # socket -> {"buf": bytes, "version": int or None}
        self.routes = {}     # (client ip, client port) -> socket
        self.held = []       # (key, frame bytes) waiting for their route
        if a.ctl_listen:
            host, port = a.ctl_listen.rsplit(":", 1)
            self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.lsock.bind((host, int(port)))
            self.lsock.listen(16)

    def note(self, **kv):
        kv["t"] = time.time()
        self.log.write(json.dumps(kv) + "\n")

    def send(self, pkt):
        if self.lsock is not None and IP in pkt and TCP in pkt:
            self.to_intercept_channel(pkt)
            return
        self.sock.send(pkt)

    # --- the intercept role --------------------------------------------------------------
    def record(self, pkt):
        """64-byte v1 record: IPv4 header (20 bytes, tot_len kept), TCP header, 24 option
        bytes zero-padded."""
        ip = bytes(pkt[IP])
        ihl = (ip[0] & 0x0F) * 4
        tcp = ip[ihl:]
        doff = (tcp[12] >> 4) * 4
        opts = tcp[20:doff][:24]
        return ip[:20] + tcp[:20] + opts + b"\0" * (24 - len(opts))

    def to_intercept_channel(self, pkt):
        key = (pkt[IP].dst, pkt[TCP].dport)
        rec = self.record(pkt)
        c = self.routes.get(key)
        if c is None:
            self.held.append((key, rec))
            self.note(ev="held", dst=key[0], dport=key[1])
            return
        c.sendall(struct.pack("!H", 1) + rec)

    def ctl_accept(self):
        c, _ = self.lsock.accept()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.ctl[c] = {"buf": b"", "version": None}
        self.note(ev="ctl_accept")

    def ctl_read(self, c):
        st = self.ctl[c]
        data = c.recv(65536)
        if not data:
            self.note(ev="ctl_closed")
            del self.ctl[c]
            c.close()
            return
        st["buf"] += data
        while len(st["buf"]) >= 14:
            msg, st["buf"] = st["buf"][:14], st["buf"][14:]
            cip, cport, typ, tip, tport = struct.unpack("!4sHH4sH", msg)
            if st["version"] is None:
                st["version"] = typ
                self.note(ev="ctl_version", version=typ,
                          zero=cip == b"\0" * 4 and cport == 0 and tip == b"\0" * 4 and
                          tport == 0)
                continue
            key = (socket.inet_ntoa(cip), cport)
            self.note(ev="route", type=typ, client=key[0], cport=cport,
                      target=socket.inet_ntoa(tip), tport=tport)
            if typ == 1:
                self.routes[key] = c
                keep = []
                for k, rec in self.held:
                    if k == key:
                        c.sendall(struct.pack("!H", 1) + rec)
                    else:
                        keep.append((k, rec))
                self.held = keep

    def probe_copier(self):
        """ARP and ping the copier's --tx-ip: its responder must answer both."""
        a = self.a
        self.send(Ether(src=self.mac, dst="ff:ff:ff:ff:ff:ff") /
                  ARP(op=1, hwsrc=self.mac, psrc=a.ip4, pdst=a.copier_ip))
        self.note(ev="arp_probe_sent")

    def ping_copier(self):
        self.send(Ether(src=self.mac, dst=self.copier_mac) /
                  IP(src=self.a.ip4, dst=self.a.copier_ip) / ICMP(type=8, id=0x77, seq=1) /
                  Raw(b"dtc-ping"))
        self.note(ev="ping_sent")

    def ip(self, c):
        if c["v6"]:
            return IPv6(src=c["dst"], dst=c["src"])
        return IP(src=c["dst"], dst=c["src"])

    def tcp_out(self, c, flags, payload=b""):
        p = (Ether(src=self.mac, dst=c["mac"]) / self.ip(c) /
             TCP(sport=c["dport"], dport=c["sport"], flags=flags, seq=c["snd_nxt"],
                 ack=c["rcv_nxt"], window=65535))
        if flags == "SA":
            p[TCP].options = [("MSS", 1460)]
        if payload:
            p = p / Raw(payload)
        self.send(p)

    def on_tcp(self, eth, l3, t, v6):
        a = self.a
        if t.dport != a.port or l3.dst not in (a.ip4, a.ip6):
            return
        key = (l3.src, t.sport)
        flags = str(t.flags)
        data = bytes(t[Raw].load) if Raw in t else b""
        c = self.conns.get(key)
        if "R" in flags:
            if c is not None:
                self.note(ev="rst", src=l3.src, sport=t.sport, seq=t.seq)
                del self.conns[key]
            return
        if "S" in flags and "A" not in flags:
            if c is None or c["irs"] != t.seq:
                self.n_conn += 1
                c = {"src": l3.src, "dst": l3.dst, "sport": t.sport, "dport": t.dport,
                     "v6": v6, "mac": eth.src, "irs": t.seq, "rcv_nxt": t.seq + 1,
                     "iss": 10000000 * self.n_conn, "snd_nxt": 10000000 * self.n_conn,
                     "buf": b"", "nreq": 0, "fin": False}
                self.conns[key] = c
                self.note(ev="syn", src=l3.src, sport=t.sport, seq=t.seq, iss=c["iss"])
            c["snd_nxt"] = c["iss"]
            self.tcp_out(c, "SA")
            c["snd_nxt"] = c["iss"] + 1
            return
        if c is None:
            return
        if data:
            if t.seq == c["rcv_nxt"]:
                c["rcv_nxt"] += len(data)
                c["buf"] += data
                self.note(ev="data", src=l3.src, sport=t.sport, seq=t.seq, len=len(data),
                          ack=t.ack)
                self.serve(c)
            else:
                self.note(ev="ooo", src=l3.src, sport=t.sport, seq=t.seq, len=len(data),
                          rcv_nxt=c["rcv_nxt"])
                self.tcp_out(c, "A")
        if "F" in flags and t.seq + len(data) == c["rcv_nxt"] and not c["fin"]:
            c["rcv_nxt"] += 1
            c["fin"] = True
            self.note(ev="fin", src=l3.src, sport=t.sport, seq=t.seq)
            self.tcp_out(c, "FA")
            c["snd_nxt"] += 1

    def serve(self, c):
        while b"\r\n\r\n" in c["buf"]:
            req, c["buf"] = c["buf"].split(b"\r\n\r\n", 1)
            c["nreq"] += 1
            line = req.split(b"\r\n", 1)[0].decode(errors="replace")
            body = ("response %d to %s\n" % (c["nreq"], line)).encode()
            body = body + b"." * (80 - len(body)) if len(body) < 80 else body
            resp = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body
            half = len(resp) // 2
            start = c["snd_nxt"]
            for part in (resp[:half], resp[half:]):
                self.tcp_out(c, "PA", part)
                c["snd_nxt"] += len(part)
            self.note(ev="response", src=c["src"], sport=c["sport"], req=line,
                      seq=start, len=len(resp), end=c["snd_nxt"])

    def handle(self, pkt):
        if Ether not in pkt or pkt[Ether].src == self.mac:
            return
        a = self.a
        if ARP in pkt:
            arp = pkt[ARP]
            if arp.op == 1 and arp.pdst == a.ip4:
                self.send(Ether(src=self.mac, dst=arp.hwsrc) /
                          ARP(op=2, hwsrc=self.mac, psrc=a.ip4, hwdst=arp.hwsrc,
                              pdst=arp.psrc))
                self.note(ev="arp_request", psrc=arp.psrc, hwsrc=arp.hwsrc)
                self.asked = True
            elif arp.op == 2 and arp.psrc == a.copier_ip and self.copier_mac is None:
                self.copier_mac = arp.hwsrc
                self.note(ev="arp_reply", psrc=arp.psrc, hwsrc=arp.hwsrc, pdst=arp.pdst)
                self.ping_copier()
            return
        if IP in pkt and ICMP in pkt and pkt[ICMP].type == 0:
            self.note(ev="pong", src=pkt[IP].src, id=pkt[ICMP].id,
                      payload=bytes(pkt[ICMP].payload).decode(errors="replace"))
            return
        if IP in pkt and TCP in pkt:
            self.on_tcp(pkt[Ether], pkt[IP], pkt[TCP], False)
        elif IPv6 in pkt and TCP in pkt:
            self.on_tcp(pkt[Ether], pkt[IPv6], pkt[TCP], True)

    def run(self, timeout):
        end = time.time() + timeout
        self.note(ev="ready", mac=self.mac)
        probed = 0
        while not stop and time.time() < end:
            # probe only once the copier has asked for us: its resolver must send a request
            # (not merely learn from ours)
            if (self.copier_mac is None and self.asked and time.time() > probed + 0.5):
                self.probe_copier()
                probed = time.time()
            rl = [self.sock] + ([self.lsock] if self.lsock else []) + list(self.ctl)
            r, _, _ = select.select(rl, [], [], 0.2)
            for s in r:
                if s is self.lsock:
                    self.ctl_accept()
                elif s in self.ctl:
                    self.ctl_read(s)
            if self.sock not in r:
                continue
            pkt = self.sock.recv()
            if pkt is not None:
                self.handle(pkt)
        self.note(ev="stop")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", required=True)
    ap.add_argument("--ip4", required=True)
    ap.add_argument("--ip6", default="::")
    ap.add_argument("--port", type=int, default=80)
    ap.add_argument("--copier-ip", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--timeout", type=float, default=50)
    ap.add_argument("--ctl-listen", default=None,
                    help="ADDR:PORT: play the intercept on the control channel")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    conf.verb = 0
    Peer(a).run(a.timeout)


if __name__ == "__main__":
    sys.exit(main())
