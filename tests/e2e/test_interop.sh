#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Interop, three-host setup: dpdk-tcpcopy against an intercept 1.x stand-in
# (tests/e2e/intercept_1x.py: 1.x's reading of the version message and routes, 64-byte
# records in count-prefixed frames, written without our code).  The copier offers v2, gets no
# answer, falls back to v1 after 2 s and copies HTTP short connections; judged on the test
# server's access log.  (dpdk-intercept with 1.x copiers: tests/intercept/test_compat.py and
# test_v2.py.)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9

e2e_init interop
e2e_require nginx wrk
e2e_lab_up || e2e_finish

e2e_http_servers || e2e_finish
# The kernel answers ARP for the stand-in (it does not forward: ip_forward is 0 there).
# (The lab turns ARP off on the capture interfaces, for the DPDK apps; the stand-in needs it.)
e2e_ns "$LAB_NS_AUX" ip addr add "$LAB_AUX_IP/24" dev "$LAB_AUX_CAP_IF" || e2e_finish
e2e_ns "$LAB_NS_AUX" ip link set "$LAB_AUX_CAP_IF" arp on || e2e_finish
e2e_ns "$LAB_NS_AUX" sysctl -qw net.ipv4.ip_forward=0
e2e_spawn icpt1x "$LAB_NS_AUX" TERM /usr/bin/python3 -u "$E2E_SRC/tests/e2e/intercept_1x.py" \
	"$LAB_AUX_CTL_IP" "$LAB_CTL_PORT" "$LAB_AUX_CAP_IF" "$LAB_TS_IP" || e2e_finish
e2e_wait_port "$LAB_NS_AUX" "$LAB_AUX_CTL_IP" "$LAB_CTL_PORT" 10 || e2e_finish
e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" \
	|| e2e_finish
_v1_up() { [ "$(e2e_tel cp /dtc/copy/intercepts v1_conns)" -ge 2 ]; }
e2e_check "the copier fell back to v1 on both connections" e2e_wait_until 10 "v1" _v1_up
e2e_check "... after an unanswered v2 offer" grep -q "version 17410" "$(e2e_logfile icpt1x)"
e2e_check "... then version 6" grep -q "version 6" "$(e2e_logfile icpt1x)"

e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/index.html" 8 6 40 -H "Connection: close" \
	|| e2e_finish
online=$(e2e_log_count "$E2E_ONL_LOG")
e2e_log "online nginx logged $online requests; waiting for the copy"
e2e_catch_up 40 "$online" cp e2e_log_count "$E2E_TS_LOG"
e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_copy_end cp
e2e_stop icpt1x 5
e2e_log "stand-in: $(grep summary "$(e2e_logfile icpt1x)")"
e2e_finish_measured cp "$TOL" "online requests (copier with an intercept 1.x stand-in)"
