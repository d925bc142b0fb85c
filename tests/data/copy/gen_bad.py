#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Damaged copies of a capture, for the -i error paths.

    gen_bad.py IN.pcap OUTDIR K

Writes, from a classic little-endian microsecond pcap IN.pcap (scapy's wrpcap format):
  trunc_data.pcap   the file cut in the middle of packet K's bytes
  trunc_hdr.pcap    the file cut inside packet K's 16-byte record header
  huge_caplen.pcap  packet K's captured length set to 0x7fffffff
  caplen_gt_len.pcap packet K claims more captured bytes than were on the wire
  not_pcap.pcap     a text file
and OUTDIR/bad.json with, for each, the number of packets before the damage (K - 1) and the
1-based packet number the reader must name (K).  Offsets come from walking the file here,
with struct only.
"""

import json
import os
import struct
import sys


def records(buf):
    """Yield (offset, caplen, wirelen) of every record of a classic pcap."""
    magic = struct.unpack_from("<I", buf, 0)[0]
    assert magic == 0xA1B2C3D4, "expected a little-endian microsecond pcap"
    off = 24
    while off + 16 <= len(buf):
        _, _, incl, orig = struct.unpack_from("<IIII", buf, off)
        yield off, incl, orig
        off += 16 + incl


def main():
    src, outdir, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
    buf = open(src, "rb").read()
    recs = list(records(buf))
    assert len(recs) > k, "input has too few packets"
    off, incl, orig = recs[k - 1]
    out = {}

    def write(name, data, before=k - 1, at=k):
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
        out[name] = {"valid_before": before, "packet": at}

    write("trunc_data.pcap", buf[:off + 16 + incl // 2])
    write("trunc_hdr.pcap", buf[:off + 7])
    b = bytearray(buf)
    struct.pack_into("<I", b, off + 8, 0x7FFFFFFF)
    write("huge_caplen.pcap", bytes(b))
    b = bytearray(buf)
    struct.pack_into("<I", b, off + 12, incl - 1)
    write("caplen_gt_len.pcap", bytes(b))
    write("not_pcap.pcap", b"this is not a capture file\n" * 4, before=0, at=0)
    with open(os.path.join(outdir, "bad.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
