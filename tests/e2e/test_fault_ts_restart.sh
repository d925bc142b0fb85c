#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# The test server killed and restarted under load (issue 14, item 2).  redis-benchmark SETs at
# full speed against the online redis, one new connection per request (-k 0: new sessions all
# the time); the test redis is killed (SIGKILL) and started again on the same address 2 s
# later.  The sessions open at the kill and those started while it was down end with a
# counted reason (the test host's kernel resets them); the restarted test redis must get new
# sessions within 1 s of answering again, and every SET the online redis executed from 1 s
# after its return on (>= 99.99 %, counted within 2 s of the load's end).  Nothing crashes or
# leaks: sessions, queued segments and mbufs back to their idle counts.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/fault_lib.sh"

TOL=99.99
DOWN=${E2E_FAULT_DOWN:-2}
AFTER=${E2E_FAULT_AFTER:-4}

e2e_init fault_ts_restart
e2e_require redis-server redis-cli redis-benchmark
e2e_lab_up || e2e_finish

fault_redis_pair || e2e_finish
fault_copy_redis cp || e2e_finish
mb_idle=$(fault_mbufs_in_use cp)
e2e_log "idle: mbufs in use (or cached) ${mb_idle:-?}"

fault_redis_load load 4 -k 0 || e2e_finish
e2e_wait_counter 500 20 fault_sets ts \
	|| { e2e_fail "the copy did not start (test redis: $(fault_sets ts) SETs)"; e2e_finish; }
ended0=$(fault_tel cp stats.sessions_ended)
e2e_log "copying: test redis $(fault_sets ts) SETs, online $(fault_sets onl); killing the test redis"
kill -KILL "$(e2e_pid ts)"
e2e_stop ts 3
t_kill=$(fault_now)
onl_kill=$(fault_sets onl)
sleep "$DOWN"    # the fault itself: the test server stays down this long
onl_back=$(fault_sets onl)
e2e_log "test redis down ${DOWN}s: the online redis executed $((onl_back - onl_kill)) SETs meanwhile"
e2e_redis_start ts "$LAB_NS_TS" test "$LAB_TS_IP" 6379 || e2e_finish
t_back=$(fault_now)
e2e_log "test redis answers again ($(fault_since "$t_kill")s after the kill)"
fault_within 1 1 fault_sets ts
first_took=$FAULT_TOOK
e2e_check "new sessions reach the restarted test redis within 1 s (first SET after ${first_took}s)" \
	[ "$FAULT_GOT" -ge 1 ]
# From 1 s after its return on, every online SET must reach it.
sleep "$(awk -v a="$t_back" -v b="$EPOCHREALTIME" 'BEGIN { d = 1 - (b - a); print (d > 0 ? d : 0) }')"
onl1=$(fault_sets onl)
ts1=$(fault_sets ts)
sleep "$AFTER"    # load on the restarted server
e2e_stop load 5
onl2=$(fault_sets onl)
want=$((onl2 - onl1))
fault_within 2 "$((ts1 + want))" fault_sets ts
got=$((FAULT_GOT - ts1))
e2e_log "after the return: the test redis executed $got of the $want SETs the online one did from 1 s after it on (within ${FAULT_TOOK}s of the load's end)"
e2e_catch_up 5 "$((ts1 + want))" cp fault_sets ts
late=$(($(fault_sets ts) - ts1 - got))
e2e_log "after catching up: $late more arrived later (retransmits $(e2e_copy_stat cp retransmits))"

e2e_wait_until 20 "the copier to be idle" fault_sessions_idle cp
e2e_check "sessions and queued segments back to idle (active $(fault_tel cp stats.sessions_active), queued $(fault_tel cp sessions.queued_segs))" \
	fault_sessions_idle cp
mb_end=$(fault_mbufs_in_use cp)
# (an RX burst in flight at most: 32 per port)
e2e_check "mbufs back to idle (in use $mb_end, idle $mb_idle)" \
	[ -n "$mb_end" -a -n "$mb_idle" ] && [ "$mb_end" -le $((mb_idle + 64)) ]
ended=$(($(fault_tel cp stats.sessions_ended) - ended0))
e2e_log "sessions ended since the kill: $ended; counters: $(fault_tel_nonzero cp)"
nonfin=$(e2e_tel_flat cp /dtc/copy/sessions | awk '$1 ~ /^sessions\.ended\// && $1 != "sessions.ended/fin" { n += $2 } END { print n + 0 }')
e2e_check "the sessions the kill broke ended with a counted reason other than fin ($nonfin)" \
	[ "$nonfin" -gt 0 ]
e2e_copy_end cp
e2e_drops_report cp
e2e_log "MEASURED fault_ts_restart: test redis killed, down ${DOWN}s ($((onl_back - onl_kill)) online SETs meanwhile):" \
	"first new session copied ${first_took}s after its return; $got of $want SETs from 1 s after the return" \
	"($(awk -v a="$got" -v b="$want" 'BEGIN { if (b > 0) printf "%.3f", 100 * a / b }') %);" \
	"$late more later; $nonfin sessions ended by the fault (counted); mbufs in use idle $mb_idle, end $mb_end; tolerance $TOL %"
require_ratio "$got" "$want" "$TOL"
e2e_finish
