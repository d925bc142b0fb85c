#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# HTTP keep-alive load, three-host setup: wrk (paced) against the online nginx; dpdk-tcpcopy
# copies the mirrored sessions to the test nginx, dpdk-intercept returns its responses.
# Judged on the servers' own records: the test nginx's access log has the same request lines
# as the online one, as many times, all from the fake client address.
# Tolerance: the test fails when fewer than 99.9 % of the online requests arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9

e2e_init http_keepalive
e2e_require nginx wrk
e2e_lab_up || e2e_finish

e2e_http_servers || e2e_finish
e2e_intercept_start icpt || e2e_finish
e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" || e2e_finish

# Small and multi-segment responses on the same connections.
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/1k.bin" 8 5 20 || e2e_finish
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/16k.bin" 4 3 20 || e2e_finish
online=$(e2e_log_count "$E2E_ONL_LOG")
e2e_log "online nginx logged $online requests; waiting for the copy to catch up"
e2e_catch_up 2 "$online" cp e2e_log_count "$E2E_TS_LOG"

e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"
e2e_check "every copied request came from the fake client $LAB_FAKE_IP" \
	[ "$(awk -F: '{ print $1 }' "$E2E_TS_LOG" | sort -u)" = "$LAB_FAKE_IP" ]
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
# Each request is known on both servers by its client port and its index on the connection.
# wrk stops at its deadline in the middle of whatever response is in flight: the online nginx
# logs that one cut short (fewer bytes than the URL's full size), while the copy, paced by the
# test server, may get more of it; such a response must be at least as long on the test
# server.  Every other response: the same status and size on both.
same_responses() {
	/usr/bin/python3 - "$E2E_ONL_LOG" "$E2E_TS_LOG" <<'PY'
import re, sys
pat = re.compile(r'^\S+:(\d+) .*"(\S+ \S+)[^"]*" (\d+) (\d+) \d+ (\d+)$')
def load(path):
    d = {}
    for line in open(path):
        m = pat.match(line.strip())
        if m:
            d[(m.group(1), m.group(5))] = (m.group(2), m.group(3), int(m.group(4)))
    return d
onl, ts = load(sys.argv[1]), load(sys.argv[2])
full = {}
for req, st, size in onl.values():
    full[req] = max(full.get(req, 0), size)
bad = cut = 0
for k, (req, st, size) in onl.items():
    if k not in ts:
        continue  # a missing request is judged by the access-log comparison
    treq, tst, tsize = ts[k]
    if size < full[req] and st == "200":
        cut += 1
        ok = treq == req and tst == "200" and tsize >= size
    else:
        ok = (treq, tst, tsize) == (req, st, size)
    if not ok:
        bad += 1
        print("differs: port %s request %s: online %s %s %d, test %s %s %d"
              % (k + (req, st, size, treq, tst, tsize)))
print("compared %d responses, %d cut short by the client online, %d differ"
      % (len([k for k in onl if k in ts]), cut, bad))
sys.exit(1 if bad else 0)
PY
}
e2e_check "test responses were complete (200, same sizes as online)" same_responses
e2e_copy_end cp
e2e_finish_measured cp "$TOL" "online requests"
