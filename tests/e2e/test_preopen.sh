#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Sessions already open when the copier starts, three-host setup: a client opens 20 keep-alive
# connections to the online nginx and uses them (requests "?before="), then dpdk-tcpcopy
# starts, then the client sends more requests ("?after=") on the same connections.  The
# copier never saw their handshakes: it opens each copied session with a synthesized SYN from
# the first data segment it captures (no -O).  Judged on the access logs: every "after"
# request reaches the test nginx, no "before" request does, on one copied connection per
# online one.  Tolerance: the test fails when fewer than 99.9 % of the "after" requests arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9
CONNS=20
AFTER=50

e2e_init preopen
e2e_require nginx
e2e_lab_up || e2e_finish

e2e_http_servers || e2e_finish
e2e_intercept_start icpt || e2e_finish

gate=$E2E_DIR/gate
e2e_spawn client "$LAB_NS_CLI" TERM /usr/bin/python3 -u "$E2E_SRC/tests/e2e/keepalive_client.py" \
	"$LAB_ONL_IP" 80 "$CONNS" 3 "$AFTER" "$gate" 5 || e2e_finish
e2e_wait_log "$(e2e_logfile client)" "^open" 20 \
	|| { e2e_fail "the client did not open its connections"; e2e_finish; }
e2e_log "$CONNS online connections open and used; starting the copier now"

e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" || e2e_finish
touch "$gate"
e2e_wait_exit client 60 || e2e_fail "the client did not finish"
e2e_check "the client got every response (${E2E_RC[client]:-?}: $(tail -n 1 "$(e2e_logfile client)"))" \
	[ "${E2E_RC[client]:-1}" = 0 ]

grep -F '?after=' "$E2E_ONL_LOG" >"$E2E_DIR/online-after.log"
expected=$(e2e_log_count "$E2E_DIR/online-after.log")
e2e_log "online: $(e2e_log_count "$E2E_ONL_LOG") requests, $expected of them after the copier started"
e2e_check "the online server got the $((CONNS * AFTER)) later requests" \
	[ "$expected" = $((CONNS * AFTER)) ]
e2e_catch_up 2 "$expected" cp e2e_log_count "$E2E_TS_LOG"

e2e_compare_access_logs "$E2E_DIR/online-after.log" "$E2E_TS_LOG"
e2e_check "no request from before the copier started was copied" \
	[ "$(grep -c -F '?before=' "$E2E_TS_LOG")" = 0 ]
synth=$(e2e_tel cp /dtc/copy/sessions sess_syn_synth)
ts_conns=$(e2e_log_clients "$E2E_TS_LOG")
e2e_log "copier: $synth sessions opened with a synthesized SYN; test nginx: $ts_conns connections"
e2e_check "the $CONNS sessions were opened with a synthesized SYN ($synth)" [ "$synth" = "$CONNS" ]
e2e_check "one copied connection per online connection ($ts_conns)" [ "$ts_conns" = "$CONNS" ]
e2e_copy_end cp
e2e_finish_measured cp "$TOL" "requests on pre-opened connections"
