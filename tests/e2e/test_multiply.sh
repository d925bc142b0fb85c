#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# -c with an address block and -n 3, three-host setup: short HTTP connections (one request
# each) copied three times each, from client addresses of 198.18.2.0/24 (the block the test
# server routes to the auxiliary host).  Judged on the test nginx's access log: three times
# the online request lines, on three times as many distinct client endpoints (4-tuples), all
# inside the block, and no copy lost to a 4-tuple collision (the copier's collision drop
# counters stay 0).  Tolerance: the test fails when fewer than 99.9 % of the 3 x online
# requests arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9
MULT=3

e2e_init multiply
e2e_require nginx wrk
e2e_lab_up || e2e_finish

e2e_http_servers || e2e_finish
e2e_intercept_start icpt || e2e_finish
e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_NET" -n "$MULT" -s "$LAB_AUX_CTL_IP" \
	|| e2e_finish

e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/index.html" 12 5 40 -H "Connection: close" \
	|| e2e_finish
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/16k.bin" 4 3 20 || e2e_finish
online=$(e2e_log_count "$E2E_ONL_LOG")
conns=$(e2e_log_clients "$E2E_ONL_LOG")
e2e_log "online nginx logged $online requests on $conns connections; waiting for $MULT copies"
e2e_catch_up 2 $((online * MULT)) cp e2e_log_count "$E2E_TS_LOG"

e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG" "$MULT"
ts_conns=$(e2e_log_clients "$E2E_TS_LOG")
addrs=$(awk -F: '{ print $1 }' "$E2E_TS_LOG" | sort -u)
n_addrs=$(grep -c . <<<"$addrs")
outside=$(grep -v -c '^198\.18\.2\.' <<<"$addrs")
e2e_log "test nginx: $ts_conns distinct client endpoints (online: $conns), from $n_addrs addresses"
e2e_check "$MULT x as many distinct copied connections as online ones ($ts_conns vs $MULT x $conns)" \
	[ "$ts_conns" = $((conns * MULT)) ]
e2e_check "every client address inside $LAB_FAKE_NET ($outside outside)" [ "$outside" = 0 ]
e2e_check "the block is used, not one address ($n_addrs)" [ "$n_addrs" -gt 1 ]
# Every collision drop counter (front and engines): "drops.<where>/collision N".
coll=$(e2e_tel_flat cp /dtc/copy/drops | awk '$1 ~ /collision$/ { n += $2; k++ }
	END { print (k ? n + 0 : "missing") }')
e2e_check "no copy dropped for a 4-tuple collision ($coll)" [ "$coll" = 0 ]
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_copy_end cp
e2e_finish_measured cp "$TOL" "(= $MULT x $online) requests" ", $ts_conns distinct 4-tuples"
