#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# The two-host mode: no auxiliary host and no dpdk-intercept.  The test server routes the fake
# client addresses to the copier's TX address (lab up --two-host); dpdk-tcpcopy answers ARP for
# it and captures the responses itself on its TX port (--response-port 1).  The same checks as
# the three-host tests: HTTP keep-alive (wrk) and short connections (one request each), judged
# on the access logs.  Tolerance: the test fails when fewer than 99.9 % of the online requests
# arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9

e2e_init two_host
e2e_require nginx wrk
e2e_lab_up --two-host || e2e_finish
e2e_check "lab in two-host mode (test server route via the copier $LAB_CP_TX_IP)" \
	[ "$LAB_MODE" = two-host ]

e2e_http_servers || e2e_finish
e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" --response-port 1 || e2e_finish

e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/1k.bin" 8 4 20 || e2e_finish
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/index.html" 12 4 40 -H "Connection: close" \
	|| e2e_finish
online=$(e2e_log_count "$E2E_ONL_LOG")
conns=$(e2e_log_clients "$E2E_ONL_LOG")
e2e_log "online nginx logged $online requests on $conns connections; waiting for the copy"
e2e_catch_up 2 "$online" cp e2e_log_count "$E2E_TS_LOG"

e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"
ts_conns=$(e2e_log_clients "$E2E_TS_LOG")
e2e_check "one copied connection per online connection ($ts_conns vs $conns)" \
	[ "$ts_conns" = "$conns" ]
e2e_check "every copied request came from the fake client $LAB_FAKE_IP" \
	[ "$(awk -F: '{ print $1 }' "$E2E_TS_LOG" | sort -u)" = "$LAB_FAKE_IP" ]
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
neigh=$(ip -n "$LAB_NS_TS" neigh show "$LAB_CP_TX_IP" | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')
e2e_check "the test server resolved $LAB_CP_TX_IP to the copier's TX port ($neigh)" \
	[ "$neigh" = "$LAB_CP_TX_MAC" ]
e2e_check "no control channel in this mode" \
	[ "$(e2e_tel cp /dtc/copy/intercepts configured)" = 0 ]
e2e_copy_end cp
e2e_finish_measured cp "$TOL" "online requests"
