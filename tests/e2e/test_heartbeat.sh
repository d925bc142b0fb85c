#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Control protocol v2 heartbeats, three-host setup with two intercepts on the aux host (both
# capture the test server's answers; the copier registers every route with both).  While wrk
# drives HTTP at full speed (keep-alive, no pacing), the first intercept is stopped with
# SIGSTOP: the copier must
# declare it dead within the documented bound (3 s without a byte; checks every 20 ms) and go
# on through the second, losing nothing; after SIGCONT it reconnects.  Judged on the test
# server's access log within 2 s of the load's end (>= 99.99 % of the online requests) and on
# the copier's counters and log.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=${E2E_RT_TOL:-99.99}
PORT2=$((LAB_CTL_PORT + 1))

e2e_init heartbeat
e2e_require nginx wrk
e2e_lab_up || e2e_finish

e2e_http_servers || e2e_finish
e2e_intercept_start icpt1 || e2e_finish
e2e_intercept_start icpt2 -p "$PORT2" || e2e_finish
e2e_wait_port "$LAB_NS_AUX" "$LAB_AUX_CTL_IP" "$PORT2" 30 || e2e_finish
e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" -L \
	-s "$LAB_AUX_CTL_IP:$LAB_CTL_PORT,$LAB_AUX_CTL_IP:$PORT2" || e2e_finish
_up_is() { [ "$(e2e_tel cp /dtc/copy/intercepts up)" = "$1" ]; }
e2e_check "both intercepts up" e2e_wait_until 10 "2 intercepts up" _up_is 2
e2e_check "v2 on all 4 connections" \
	[ "$(e2e_tel cp /dtc/copy/intercepts v2_conns)" = 4 ]

# The load, with one intercept stopped in the middle of it and detected dead while it runs.
load_with_stop() {
	local wrk t0 took
	e2e_wrk_unpaced "$LAB_NS_CLI" "http://$LAB_ONL_IP/index.html" 8 8 &
	wrk=$!
	e2e_wait_until 10 "the load to start" _online_at_least $((o_start + 300)) || return 1
	kill -STOP "$(e2e_pid icpt1)"
	t0=${EPOCHREALTIME/./}
	e2e_log "SIGSTOP dpdk-intercept icpt1"
	e2e_check "the copier declares icpt1's 2 connections dead" \
		e2e_wait_until 10 "peer_dead 2" _dead
	took=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
	e2e_log "icpt1 detected dead after $took ms"
	e2e_check "within 3.0..4.5 s of the stop ($took ms)" [ "$took" -ge 2900 -a "$took" -le 4500 ]
	e2e_check "one intercept up meanwhile" _up_is 1
	e2e_check "the copier's log says why" grep -q "nothing received for 3 s (heartbeats)" \
		"$(e2e_logfile cp)"
	wait "$wrk"
}
_online_at_least() { [ "$(e2e_log_count "$E2E_ONL_LOG")" -ge "$1" ]; }
_dead() { [ "$(e2e_tel cp /dtc/copy/intercepts peer_dead)" -ge 2 ]; }
o_start=$(e2e_log_count "$E2E_ONL_LOG")
e2e_rt_run_http cp "keep-alive x8, icpt1 stopped during the load" "$TOL" load_with_stop
kill -CONT "$(e2e_pid icpt1)"
e2e_log "SIGCONT dpdk-intercept icpt1"
e2e_check "icpt1 back after SIGCONT" e2e_wait_until 15 "2 intercepts up" _up_is 2
e2e_wait_until 10 "every copied session to end" _e2e_rt_none_active cp
e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_log "copier: $(e2e_tel_flat cp /dtc/copy/intercepts | grep -E 'peer_dead|heartbeats|clock|record_delay|up ' | tr '\n' ' ')"
e2e_copy_end cp
e2e_drops_report cp
e2e_finish
