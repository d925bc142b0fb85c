#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Query a DPDK app's telemetry socket (the v2 JSON protocol) without dpdk-telemetry.py.

    telemetry.py RUNDIR COMMAND [KEY...]
    telemetry.py RUNDIR --flat COMMAND...

RUNDIR is the app's runtime directory (/var/run/dpdk/<file-prefix>).  Without KEY, prints the
command's JSON reply; with keys, prints the values of those keys of the reply's dictionary on
one line, separated by spaces (a missing key prints 0).  --flat: one connection, several
commands, every entry of their dictionaries as "LAST_PATH_PART.KEY VALUE" lines (for
/dtc/copy/drops: "drops.front.not_client 12").  Exit 1 when the socket cannot be reached or
the reply is not what was asked for (e.g. the app is still starting: -EAGAIN).
"""

import json
import os
import socket
import sys


def query(rundir, cmds):
    """The replies to the commands, in order, over one connection."""
    path = os.path.join(rundir, "dpdk_telemetry.v2")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(2.0)
    out = []
    try:
        s.connect(path)
        info = json.loads(s.recv(16384).decode())
        maxlen = int(info.get("max_output_len", 16384))
        for cmd in cmds:
            s.send(cmd.encode())
            reply = json.loads(s.recv(maxlen + 1024).decode())
            # The reply's key is the command without its parameters ("/ethdev/stats,0").
            out.append(reply.get(cmd.split(",", 1)[0]))
    finally:
        s.close()
    return out


def flat(rundir, cmds):
    try:
        replies = query(rundir, cmds)
    except (OSError, ValueError) as e:
        sys.stderr.write("telemetry: %s: %s\n" % (rundir, e))
        return 1
    for cmd, data in zip(cmds, replies):
        if not isinstance(data, dict):
            sys.stderr.write("telemetry: no data for %s (app starting?)\n" % cmd)
            return 1
        base = cmd.rstrip("/").rsplit("/", 1)[-1]
        for k in sorted(data):
            print("%s.%s %s" % (base, k, data[k]))
    return 0


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    if sys.argv[2] == "--flat":
        return flat(sys.argv[1], sys.argv[3:])
    try:
        data = query(sys.argv[1], [sys.argv[2]])[0]
    except (OSError, ValueError) as e:
        sys.stderr.write("telemetry: %s: %s\n" % (sys.argv[1], e))
        return 1
    if data is None:
        sys.stderr.write("telemetry: no data for %s (app starting?)\n" % sys.argv[2])
        return 1
    keys = sys.argv[3:]
    if not keys:
        print(json.dumps(data, sort_keys=True))
        return 0
    if not isinstance(data, dict):
        return 1
    print(" ".join(str(data.get(k, 0)) for k in keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
