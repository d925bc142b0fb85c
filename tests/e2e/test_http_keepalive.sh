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
e2e_catch_up 40 "$online" cp e2e_log_count "$E2E_TS_LOG"

e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"
e2e_check "every copied request came from the fake client $LAB_FAKE_IP" \
	[ "$(awk -F: '{ print $1 }' "$E2E_TS_LOG" | sort -u)" = "$LAB_FAKE_IP" ]
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_check "test responses were complete (200, same sizes as online)" \
	[ "$(awk '{ print $(NF - 3), $(NF - 2) }' "$E2E_TS_LOG" | sort | uniq -c | sort)" = \
	"$(awk '{ print $(NF - 3), $(NF - 2) }' "$E2E_ONL_LOG" | sort | uniq -c | sort)" ]
e2e_copy_end cp
e2e_finish_measured cp "$TOL" "online requests"
