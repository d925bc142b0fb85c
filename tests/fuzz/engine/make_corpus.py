#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Seed inputs for fuzz_engine (see the operation encoding in fuzz_engine.c).
import struct, sys, os

def u16(v): return struct.pack('<H', v & 0xffff)
def client(conn, flags, seq, ack, lb=0, opt=0x06, ts=1, win=502):
    return bytes([0, conn, flags, opt, lb]) + u16(ts) + u16(seq) + u16(ack) + u16(win)
def resp(conn, flags, seq, ack, length=0, win=65535, o=0x60, ts=9):
    b = bytes([3, conn, o, flags]) + u16(seq) + u16(ack) + u16(win) + bytes([length])
    if o & 0x40: b += u16(ts)
    return b
def tick(us): return bytes([5]) + u16(us)
def big(n): return bytes([6, n])

SYN, ACK, PSH, FIN, RST = 0x02, 0x10, 0x08, 0x01, 0x04
out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__) + '/corpus'
seeds = {
    # captured SYN, SYN-ACK, request, response, client FIN, server FIN
    'session_v4': bytes([0, 0]) + client(0, SYN, 0, 0) + tick(100) +
        resp(0, SYN | ACK, 0, 1) + client(0, ACK, 1, 1) + client(0, ACK | PSH, 1, 1, 100) +
        resp(0, ACK, 1, 101, 50) + tick(400) + client(0, ACK | FIN, 101, 451) +
        resp(0, ACK, 451, 102) + resp(0, ACK | FIN, 451, 102) + big(10),
    # missed SYN on IPv6, data with a hole, then the hole filled
    'missed_syn_v6': bytes([0, 1]) + client(4, ACK | PSH, 100, 5, 60) + tick(200) +
        resp(4, SYN | ACK, 0, 100) + client(4, ACK, 260, 5, 40) +
        client(4, ACK, 160, 5, 100) + big(3),
    # two clients on one pool address (collision), -n 2
    'collision_pool': bytes([0x88, 0]) + client(0, SYN, 0, 0) + client(2, SYN, 0, 0) +
        tick(64) + client(2, ACK | PSH, 1, 1, 30) + big(200) + big(200),
    # oversize capture, small mtu; RST from the server with data pending
    'oversize_rst': bytes([0x40, 3]) + client(1, SYN, 0, 0) + resp(1, SYN | ACK, 0, 1) +
        client(1, ACK | PSH, 1, 1, 230) + resp(1, RST | ACK, 1, 1) + tick(500) +
        bytes([7]) + big(100),
}
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
