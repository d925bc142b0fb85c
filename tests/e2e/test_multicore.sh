#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Several lcores, three-host setup: dpdk-tcpcopy with 4 lcores (main/control, RX, two
# workers; mapped onto this machine's CPUs with --lcores) and a TX port with a queue per
# worker plus one for the control lcore; dpdk-intercept with 2 lcores (RX lcore + main).
# Sessions are spread over the two workers by the hash of their rewritten client endpoint
# and every response record must reach the worker that owns its session; -n 2 makes the two
# copies of a session land on different endpoints (and so, usually, different workers).
# Keep-alive and short HTTP, judged on the access logs.
# Tolerance: the test fails when fewer than 99.9 % of the 2 x online requests arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9
MULT=2

e2e_init multicore
e2e_require nginx wrk
e2e_lab_up || e2e_finish
ncpu=$(nproc)

e2e_nginx_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 80 || e2e_finish
e2e_nginx_start ts "$LAB_NS_TS" test "$LAB_TS_IP" 80 || e2e_finish
e2e_intercept_start icpt "--lcores=0@0,1@$((1 % ncpu))" -- || e2e_finish
E2E_COPY_TX_QPAIRS=3 e2e_copy_start cp \
	"--lcores=0@0,1@$((1 % ncpu)),2@$((2 % ncpu)),3@$((3 % ncpu))" -- \
	-x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_NET" -n "$MULT" -s "$LAB_AUX_CTL_IP" || e2e_finish
e2e_check "dpdk-tcpcopy runs two workers" \
	grep -q "lcores: main 0 (control), 2 worker(s)" "$(e2e_logfile cp)"
e2e_check "dpdk-intercept runs an RX lcore" \
	grep -q "RX lcore + main lcore" "$(e2e_logfile icpt)"

onl_log=$(e2e_access_log onl)
ts_log=$(e2e_access_log ts)
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/1k.bin" 8 4 20 || e2e_finish
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/index.html" 8 4 40 -H "Connection: close" \
	|| e2e_finish
online=$(e2e_log_count "$onl_log")
conns=$(e2e_log_clients "$onl_log")
e2e_log "online nginx logged $online requests on $conns connections; waiting for $MULT copies"
e2e_catch_up 40 $((online * MULT)) cp e2e_log_count "$ts_log"

e2e_compare_access_logs "$onl_log" "$ts_log" "$MULT"
ts_conns=$(e2e_log_clients "$ts_log")
e2e_check "$MULT x as many copied connections ($ts_conns vs $MULT x $conns)" \
	[ "$ts_conns" = $((conns * MULT)) ]
unmatched=$(e2e_tel cp /dtc/copy/sessions resp_unmatched)
e2e_log "response records with no live session on their worker: $unmatched"
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_check_all_ended cp
e2e_dpdk_stop cp
e2e_check "dpdk-tcpcopy stopped cleanly" [ "${E2E_RC[cp]}" = 0 ]
e2e_dpdk_stop icpt
e2e_check "dpdk-intercept stopped cleanly" [ "${E2E_RC[icpt]}" = 0 ]
e2e_drops_report cp
e2e_log "MEASURED multicore: $E2E_MATCHED of $E2E_EXPECTED (= $MULT x $online) requests reached the test server ($E2E_PCT %), 2 workers, tolerance $TOL %"
require_ratio "$E2E_MATCHED" "$E2E_EXPECTED" "$TOL"
e2e_finish
