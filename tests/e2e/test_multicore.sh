#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Several lcores, three-host setup: dpdk-tcpcopy with 5 lcores (main/control, two RX lcores
# with --rx-lcores 2, two workers; mapped onto this machine's CPUs with --lcores), an RX port
# with two queues (af_packet qpairs=2: the kernel fans the mirror out by flow, one queue per
# RX lcore) and a TX port with a queue per worker plus one for the control lcore;
# dpdk-intercept with 2 lcores (RX lcore + main).  Both RX lcores feed both workers through
# shared (multi-producer) rings; sessions are spread over the two workers by the hash of their
# rewritten client endpoint and every response record must reach the worker that owns its
# session; -n 2 makes the two copies of a session land on different endpoints (and so,
# usually, different workers).  Keep-alive and short HTTP, judged on the access logs.
# Tolerance: the test fails when fewer than 99.9 % of the 2 x online requests arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9
MULT=2

e2e_init multicore
e2e_require nginx wrk
e2e_lab_up || e2e_finish
ncpu=$(nproc)

e2e_http_servers || e2e_finish
e2e_intercept_start icpt "--lcores=0@0,1@$((1 % ncpu))" -- || e2e_finish
E2E_COPY_RX_QPAIRS=2 E2E_COPY_TX_QPAIRS=3 e2e_copy_start cp \
	"--lcores=0@0,1@$((1 % ncpu)),2@$((2 % ncpu)),3@$((3 % ncpu)),4@$((4 % ncpu))" -- \
	-x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_NET" -n "$MULT" -s "$LAB_AUX_CTL_IP" \
	--rx-lcores 2 || e2e_finish
e2e_check "dpdk-tcpcopy runs two RX lcores and two workers" \
	grep -q "lcores: main 0 (control), 2 RX, 2 worker(s)" "$(e2e_logfile cp)"
e2e_check "dpdk-intercept runs an RX lcore" \
	grep -q "RX lcore + main lcore" "$(e2e_logfile icpt)"

e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/1k.bin" 8 4 20 || e2e_finish
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/index.html" 8 4 40 -H "Connection: close" \
	|| e2e_finish
online=$(e2e_log_count "$E2E_ONL_LOG")
conns=$(e2e_log_clients "$E2E_ONL_LOG")
e2e_log "online nginx logged $online requests on $conns connections; waiting for $MULT copies"
e2e_catch_up 2 $((online * MULT)) cp e2e_log_count "$E2E_TS_LOG"

e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG" "$MULT"
ts_conns=$(e2e_log_clients "$E2E_TS_LOG")
e2e_check "$MULT x as many copied connections ($ts_conns vs $MULT x $conns)" \
	[ "$ts_conns" = $((conns * MULT)) ]
unmatched=$(e2e_tel cp /dtc/copy/sessions resp_unmatched)
e2e_log "response records with no live session on their worker: $unmatched"
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_copy_end cp
for r in 0 1; do
	n=$(sed -n "s/.*RX lcore $r: \([0-9]*\) frames.*/\1/p" "$(e2e_logfile cp)")
	e2e_check "RX lcore $r received part of the mirror (${n:-?} frames)" [ "${n:-0}" -gt 0 ]
done
e2e_dpdk_stop icpt
e2e_check "dpdk-intercept stopped cleanly" [ "${E2E_RC[icpt]}" = 0 ]
e2e_finish_measured cp "$TOL" "(= $MULT x $online) requests" ", 2 RX lcores, 2 workers"
