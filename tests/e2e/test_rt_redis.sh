#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Real-time fidelity on redis, three-host setup: real clients at full speed (no pacing), each
# load judged on the test redis's own SET count within 2 s after the online load ended (not
# after a long catch-up), at >= 99.99 % of the online SETs:
#  1. persistent connections opened before the copier starts (the copier never saw their
#     SYNs), then thousands of back-to-back SETs on each (redis_preopen.py);
#  2. redis-benchmark -c 8 on persistent connections (each client sends its next request the
#     moment its answer arrives);
#  3. 20 connections pipelining 16 deep (redis-benchmark -P 16);
#  4. short connections: redis-benchmark -k 0 -c 50 (a connection per request).
# Each load also checks that no copied session was ended for being behind (buf_cap) and logs
# the copy lag (capture to release) from the copier's telemetry.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=${E2E_RT_TOL:-99.99}
PRE_CONNS=8
PRE_SETS=${E2E_RT_PRE_SETS:-2000}
BENCH_N=${E2E_RT_BENCH_N:-50000}
PIPE_N=${E2E_RT_PIPE_N:-32000}
SHORT_N=${E2E_RT_SHORT_N:-5000}

e2e_init rt_redis
e2e_require redis-server redis-cli redis-benchmark
e2e_lab_up || e2e_finish

e2e_redis_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 6379 || e2e_finish
e2e_redis_start ts "$LAB_NS_TS" test "$LAB_TS_IP" 6379 || e2e_finish
e2e_intercept_start icpt -F "tcp and src host $LAB_TS_IP and src port 6379" || e2e_finish

# 1. Connections opened before the copier starts.
e2e_redis_preopen pre "$LAB_ONL_IP" "$PRE_CONNS" "$PRE_SETS" || e2e_finish
e2e_copy_start cp -- -x "6379-$LAB_TS_IP:6379" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" \
	|| e2e_finish

load() { e2e_rt_run_load cp onl ts "$@"; }
load "pre-opened ($PRE_CONNS x $PRE_SETS SETs)" "$TOL" e2e_redis_preopen_go pre
load "redis-benchmark -c 8 -n $BENCH_N" "$TOL" e2e_redis_bench "$LAB_ONL_IP" -c 8 -n "$BENCH_N"
load "pipelined -P 16 -c 20 -n $PIPE_N" "$TOL" e2e_redis_bench "$LAB_ONL_IP" -P 16 -c 20 -n "$PIPE_N"
load "short connections -k 0 -c 50 -n $SHORT_N" "$TOL" \
	e2e_redis_bench "$LAB_ONL_IP" -k 0 -c 50 -n "$SHORT_N"

synth=$(e2e_tel cp /dtc/copy/sessions sess_syn_synth)
e2e_check "the $PRE_CONNS pre-opened sessions were opened with a synthesized SYN ($synth)" \
	[ "${synth:-0}" -ge "$PRE_CONNS" ]
e2e_wait_until 10 "every copied session to end" _e2e_rt_none_active cp
e2e_copy_end cp
e2e_drops_report cp
e2e_finish
