#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# HTTP short connections, three-host setup: one request per connection (wrk with
# "Connection: close", paced), 16 concurrent clients.  Every online connection is a new copied
# session (handshake with the test server, request, response, FIN).  Judged on the access logs:
# the same request lines, as many times, each alone on its own copied connection.
# Tolerance: the test fails when fewer than 99.9 % of the online requests arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9

e2e_init http_short
e2e_require nginx wrk
e2e_lab_up || e2e_finish

e2e_http_servers || e2e_finish
e2e_intercept_start icpt || e2e_finish
e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" || e2e_finish

e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/index.html" 16 6 40 -H "Connection: close" \
	|| e2e_finish
online=$(e2e_log_count "$E2E_ONL_LOG")
# Connections by nginx's serial number: wrk may reuse a client port within the run.
conns=$(e2e_log_conns "$E2E_ONL_LOG")
e2e_log "online nginx logged $online requests on $conns connections; waiting for the copy"
e2e_check "one request per online connection ($online requests, $conns connections)" \
	[ "$online" -gt 0 -a "$online" = "$conns" ]
e2e_catch_up 2 "$online" cp e2e_log_count "$E2E_TS_LOG"

e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"
# nginx's $connection_requests (the last field) is 1 for each request alone on its connection.
multi=$(awk '$NF != 1 { n++ } END { print n + 0 }' "$E2E_TS_LOG")
ts_conns=$(e2e_log_conns "$E2E_TS_LOG")
e2e_log "test nginx: $ts_conns connections from $(e2e_log_clients "$E2E_TS_LOG") client endpoints, $multi requests not alone on their connection"
e2e_check "each copied request on its own connection" [ "$multi" = 0 ]
e2e_check "as many copied connections as requests" [ "$ts_conns" = "$E2E_TEST" ]
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_copy_end cp
e2e_finish_measured cp "$TOL" "online requests (one per connection)"
