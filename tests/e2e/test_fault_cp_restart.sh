#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# The copier restarted under load (issue 14, item 4).  redis-benchmark SETs at full speed over
# 10 persistent connections against the online redis; dpdk-tcpcopy is stopped (SIGINT: it
# resets every live session on the test server) and started again while the connections go
# on.  The new copier never saw their SYNs: it must pick them up mid-stream and copy them;
# from 1 s after it is ready on, >= 99.99 % of the online SETs reach the test redis (within
# 2 s of the load's end).  The test redis is left with no half-open connection from the first
# run: none once it stopped, at most one per online connection while the second runs, none
# once the load ended.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/fault_lib.sh"

TOL=99.99
CONNS=10
AFTER=${E2E_FAULT_AFTER:-6}

e2e_init fault_cp_restart
e2e_require redis-server redis-cli redis-benchmark
e2e_lab_up || e2e_finish

# Connections of the test redis from the fake client, established (or any state: ALL).
ts_conns() {
	ip netns exec "$LAB_NS_TS" ss -Htn state "${1:-established}" "( sport = :6379 )" \
		| grep -c "$LAB_FAKE_IP" || true
}

fault_redis_pair || e2e_finish
fault_copy_redis cp || e2e_finish
fault_redis_load load "$CONNS" || e2e_finish
e2e_wait_counter 2000 20 fault_sets ts \
	|| { e2e_fail "the copy did not start (test redis: $(fault_sets ts) SETs)"; e2e_finish; }
e2e_log "copying: test redis $(fault_sets ts) SETs over $(ts_conns) connections; restarting the copier"
e2e_dpdk_stop cp
e2e_check "the first copier stopped cleanly" [ "${E2E_RC[cp]}" = 0 ]
e2e_log "first run: $(e2e_summary_value cp sess_created) sessions, ended: $(e2e_copy_summary cp | grep -E '^ +ended ' | awk '{ printf "%s=%s ", $2, $3 }')"
e2e_wait_until 3 "the test redis to drop the first run's connections" test "$(ts_conns all)" = 0
left=$(ts_conns all)
e2e_check "no connection of the first run left on the test redis ($left)" [ "$left" = 0 ]
fault_copy_redis cp || e2e_finish
t_ready=$(fault_now)
ts0=$(fault_sets ts)
e2e_wait_until 5 "the copy to resume" _e2e_at_least "$((ts0 + 1))" fault_sets ts
resume=$(fault_since "$t_ready")
e2e_check "the open sessions were picked up mid-stream within 1 s (first SET after ${resume}s)" \
	awk -v r="$resume" 'BEGIN { exit !(r <= 1.0) }'
sleep "$(awk -v a="$t_ready" -v b="$EPOCHREALTIME" 'BEGIN { d = 1 - (b - a); print (d > 0 ? d : 0) }')"
onl1=$(fault_sets onl)
ts1=$(fault_sets ts)
picked=$(fault_tel cp stats.sessions_created)
during=$(ts_conns)
e2e_check "at most one test connection per online connection ($during of $CONNS)" \
	[ "$during" -le "$CONNS" -a "$during" -ge 1 ]
sleep "$AFTER"    # load through the second copier
e2e_stop load 5
onl2=$(fault_sets onl)
want=$((onl2 - onl1))
fault_within 2 "$((ts1 + want))" fault_sets ts
got=$((FAULT_GOT - ts1))
took=$FAULT_TOOK
e2e_log "second run: $picked sessions picked up; $got of the $want online SETs from 1 s after it was ready (within ${took}s of the load's end)"
e2e_catch_up 5 "$((ts1 + want))" cp fault_sets ts
e2e_log "counters: $(fault_tel_nonzero cp)"
e2e_wait_until 10 "the test redis's copied connections to close" test "$(ts_conns)" = 0
after=$(ts_conns)
e2e_check "no copied connection left open on the test redis after the load ($after)" [ "$after" = 0 ]
e2e_copy_end cp
e2e_drops_report cp
e2e_log "MEASURED fault_cp_restart: copier restarted under $CONNS persistent connections: picked up $picked" \
	"mid-stream, first SET ${resume}s after it was ready; $got of $want SETs from 1 s after" \
	"($(awk -v a="$got" -v b="$want" 'BEGIN { if (b > 0) printf "%.3f", 100 * a / b }') %);" \
	"connections of the first run left: $left; tolerance $TOL %"
require_ratio "$got" "$want" "$TOL"
e2e_finish
