#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# dpdk-intercept stopped for 10 s under load, then started again (issue 14, item 3).
# redis-benchmark SETs at full speed, one new connection per request (-k 0), against the
# online redis; the copier runs with -L (without it, no intercept up for 10 s is a fatal
# error by design: exit status 1).  While the intercept is down the copier cannot route the
# test server's answers: new sessions are refused (counted: engine/no_route) and open ones
# end with a reason.  Once the intercept listens again the copier must reconnect, register
# the routes of its live sessions again, and copy the new sessions within 1 s; from 1 s after
# the return on, >= 99.99 % of the online SETs reach the test redis (within 2 s of the load's
# end).  What was not copied meanwhile must be counted: every online SET the test redis
# missed has a counted no_route segment or a non-fin session end.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/fault_lib.sh"

TOL=99.99
DOWN=${E2E_FAULT_DOWN:-10}
AFTER=${E2E_FAULT_AFTER:-4}

e2e_init fault_icpt_restart
e2e_require redis-server redis-cli redis-benchmark
e2e_lab_up || e2e_finish

icpt_up() { [ "$(e2e_copy_stat cp intercepts_up)" = "$1" ]; }

fault_redis_pair || e2e_finish
fault_copy_redis cp -L || e2e_finish

fault_redis_load load 2 -k 0 || e2e_finish
e2e_wait_counter 500 20 fault_sets ts \
	|| { e2e_fail "the copy did not start (test redis: $(fault_sets ts) SETs)"; e2e_finish; }
connects0=$(fault_tel cp intercepts.connects)
noroute0=$(fault_tel cp drops.engine/no_route)
e2e_log "copying: test redis $(fault_sets ts) SETs; stopping dpdk-intercept for ${DOWN}s"
e2e_dpdk_stop icpt
e2e_check "dpdk-intercept stopped cleanly" [ "${E2E_RC[icpt]}" = 0 ]
e2e_wait_until 5 "the copier to see the intercept down" icpt_up 0
onl_down=$(fault_sets onl)
ts_down=$(fault_sets ts)
t_down=$(fault_now)
sleep "$DOWN"    # the fault itself
e2e_check "the copier kept running with no intercept for ${DOWN}s (-L)" e2e_running cp
ts_back=$(fault_sets ts)
e2e_intercept_start icpt -F "tcp and src host $LAB_TS_IP and src port 6379" || e2e_finish
t_back=$(fault_now)
e2e_wait_until 10 "the copier to reconnect" icpt_up 1
reconnect=$(fault_since "$t_back")
e2e_check "the copier reconnected to the intercept (after ${reconnect}s)" icpt_up 1
e2e_wait_until 10 "the copy to resume" _e2e_at_least "$((ts_back + 1))" fault_sets ts
resume=$(fault_since "$t_back")
e2e_check "the copy resumed within 1 s of the intercept's return (first SET after ${resume}s)" \
	awk -v r="$resume" 'BEGIN { exit !(r <= 1.0) }'
sleep "$(awk -v a="$t_back" -v b="$EPOCHREALTIME" 'BEGIN { d = 1 - (b - a); print (d > 0 ? d : 0) }')"
onl1=$(fault_sets onl)
ts1=$(fault_sets ts)
sleep "$AFTER"    # load with the intercept back
e2e_stop load 5
onl2=$(fault_sets onl)
want=$((onl2 - onl1))
fault_within 2 "$((ts1 + want))" fault_sets ts
got=$((FAULT_GOT - ts1))
e2e_log "after the return: $got of the $want online SETs from 1 s after it on (within ${FAULT_TOOK}s of the load's end)"
e2e_catch_up 5 "$((ts1 + want))" cp fault_sets ts

# Accounting: what the test redis missed overall is counted somewhere.
missed=$(($(fault_sets onl) - $(fault_sets ts)))
noroute=$(($(fault_tel cp drops.engine/no_route) - noroute0))
nonfin=$(e2e_tel_flat cp /dtc/copy/sessions | awk '$1 ~ /^sessions\.ended\// && $1 != "sessions.ended/fin" { n += $2 } END { print n + 0 }')
connects=$(($(fault_tel cp intercepts.connects) - connects0))
e2e_log "down ${DOWN}s: online SETs meanwhile $((onl1 - onl_down)) (to 1 s after the return), the test redis missed $missed in all;" \
	"counted: no_route segments $noroute, sessions ended other than by fin $nonfin; reconnects $connects"
e2e_log "counters: $(fault_tel_nonzero cp)"
e2e_check "the intercept's absence was counted (no_route $noroute > 0)" [ "$noroute" -gt 0 ]
e2e_check "every missed SET is accounted for ($missed <= no_route $noroute + non-fin ends $nonfin)" \
	[ "$missed" -le $((noroute + nonfin)) ]
e2e_check "the copier reconnected ($connects new control connections)" [ "$connects" -ge 1 ]
e2e_wait_until 20 "the copier to be idle" fault_sessions_idle cp
e2e_check "sessions back to idle (active $(fault_tel cp stats.sessions_active))" fault_sessions_idle cp
e2e_copy_end cp
e2e_drops_report cp
e2e_log "MEASURED fault_icpt_restart: intercept down ${DOWN}s: reconnected ${reconnect}s after its return," \
	"copy resumed after ${resume}s; $got of $want SETs from 1 s after the return" \
	"($(awk -v a="$got" -v b="$want" 'BEGIN { if (b > 0) printf "%.3f", 100 * a / b }') %);" \
	"missed $missed, counted no_route $noroute + non-fin ends $nonfin; tolerance $TOL %"
require_ratio "$got" "$want" "$TOL"
e2e_finish
