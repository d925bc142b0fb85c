#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Interop, three-host setup: dpdk-tcpcopy against an intercept 1.x stand-in
# (tests/e2e/intercept_1x.py: 1.x's reading of the version message and routes, 64-byte
# records in count-prefixed frames, written without our code).  The copier offers v2, gets no
# answer, and falls back to v1 after 2 s.  Then real redis clients at full speed (no pacing),
# as in e2e_rt_redis, each load judged on the test redis's own SET count within 2 s of its
# end at >= 99.99 %: connections opened before the copier started (back-to-back SETs),
# redis-benchmark -c 8 on persistent connections, and short connections (-k 0).
# (dpdk-intercept with 1.x copiers: tests/intercept/test_compat.py and test_v2.py.)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=${E2E_RT_TOL:-99.99}
PRE_CONNS=8
PRE_SETS=${E2E_RT_PRE_SETS:-2000}

e2e_init interop
e2e_require redis-server redis-cli redis-benchmark
e2e_lab_up || e2e_finish

e2e_redis_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 6379 || e2e_finish
e2e_redis_start ts "$LAB_NS_TS" test "$LAB_TS_IP" 6379 || e2e_finish
# The kernel answers ARP for the stand-in (it does not forward: ip_forward is 0 there).
# (The lab turns ARP off on the capture interfaces, for the DPDK apps; the stand-in needs it.)
e2e_ns "$LAB_NS_AUX" ip addr add "$LAB_AUX_IP/24" dev "$LAB_AUX_CAP_IF" || e2e_finish
e2e_ns "$LAB_NS_AUX" ip link set "$LAB_AUX_CAP_IF" arp on || e2e_finish
e2e_ns "$LAB_NS_AUX" sysctl -qw net.ipv4.ip_forward=0
e2e_spawn icpt1x "$LAB_NS_AUX" TERM /usr/bin/python3 -u "$E2E_SRC/tests/e2e/intercept_1x.py" \
	"$LAB_AUX_CTL_IP" "$LAB_CTL_PORT" "$LAB_AUX_CAP_IF" "$LAB_TS_IP" || e2e_finish
e2e_wait_port "$LAB_NS_AUX" "$LAB_AUX_CTL_IP" "$LAB_CTL_PORT" 10 || e2e_finish
e2e_redis_preopen pre "$LAB_ONL_IP" "$PRE_CONNS" "$PRE_SETS" || e2e_finish
e2e_copy_start cp -- -x "6379-$LAB_TS_IP:6379" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" \
	|| e2e_finish
_v1_up() { [ "$(e2e_tel cp /dtc/copy/intercepts v1_conns)" -ge 2 ]; }
e2e_check "the copier fell back to v1 on both connections" e2e_wait_until 10 "v1" _v1_up
e2e_check "... after an unanswered v2 offer" grep -q "version 17410" "$(e2e_logfile icpt1x)"
e2e_check "... then version 6" grep -q "version 6" "$(e2e_logfile icpt1x)"

load() { e2e_rt_run_load cp onl ts "$@"; }
load "pre-opened ($PRE_CONNS x $PRE_SETS SETs)" "$TOL" e2e_redis_preopen_go pre
load "redis-benchmark -c 8 -n 30000" "$TOL" e2e_redis_bench "$LAB_ONL_IP" -c 8 -n 30000
load "short connections -k 0 -c 20 -n 3000" "$TOL" \
	e2e_redis_bench "$LAB_ONL_IP" -k 0 -c 20 -n 3000
e2e_wait_until 10 "every copied session to end" _e2e_rt_none_active cp
e2e_copy_end cp
e2e_stop icpt1x 5
e2e_log "stand-in: $(grep summary "$(e2e_logfile icpt1x)")"
e2e_drops_report cp
e2e_finish
