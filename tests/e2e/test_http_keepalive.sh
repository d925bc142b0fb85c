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

e2e_nginx_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 80 || e2e_finish
e2e_nginx_start ts "$LAB_NS_TS" test "$LAB_TS_IP" 80 || e2e_finish
e2e_intercept_start icpt || e2e_finish
e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" || e2e_finish

onl_log=$(e2e_access_log onl)
ts_log=$(e2e_access_log ts)
# Small and multi-segment responses on the same connections.
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/1k.bin" 8 5 20 || e2e_finish
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/16k.bin" 4 3 20 || e2e_finish
online=$(e2e_log_count "$onl_log")
e2e_log "online nginx logged $online requests; waiting for the copy to catch up"
e2e_catch_up 40 "$online" cp e2e_log_count "$ts_log"

e2e_compare_access_logs "$onl_log" "$ts_log"
e2e_check "every copied request came from the fake client $LAB_FAKE_IP" \
	[ "$(awk -F: '{ print $1 }' "$ts_log" | sort -u)" = "$LAB_FAKE_IP" ]
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_check "test responses were complete (200, same sizes as online)" \
	[ "$(awk '{ print $(NF - 3), $(NF - 2) }' "$ts_log" | sort | uniq -c | sort)" = \
	"$(awk '{ print $(NF - 3), $(NF - 2) }' "$onl_log" | sort | uniq -c | sort)" ]
e2e_check_all_ended cp
e2e_dpdk_stop cp
e2e_check "dpdk-tcpcopy stopped cleanly" [ "${E2E_RC[cp]}" = 0 ]
e2e_drops_report cp
e2e_log "MEASURED http_keepalive: $E2E_MATCHED of $E2E_EXPECTED online requests reached the test server ($E2E_PCT %), tolerance $TOL %"
require_ratio "$E2E_MATCHED" "$E2E_EXPECTED" "$TOL"
e2e_finish
