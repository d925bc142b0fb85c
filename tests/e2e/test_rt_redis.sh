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
gate=$E2E_DIR/gate
e2e_spawn pre "$LAB_NS_CLI" TERM /usr/bin/python3 -u "$E2E_SRC/tests/e2e/redis_preopen.py" \
	"$LAB_ONL_IP" 6379 "$PRE_CONNS" "$PRE_SETS" "$gate" || e2e_finish
e2e_wait_log "$(e2e_logfile pre)" "^open" 20 \
	|| { e2e_fail "the client did not open its connections"; e2e_finish; }
e2e_copy_start cp -- -x "6379-$LAB_TS_IP:6379" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" \
	|| e2e_finish

# run_load LABEL CMD...: the online and test SET counts before, the load, then the count the
# test redis reached within the window; judged at once.
run_load() {
	local label=$1 o0 t0 o1
	shift
	e2e_rt_lag_mark cp
	o0=$(e2e_redis_calls onl set)
	t0=$(e2e_redis_calls ts set)
	"$@"
	o1=$(e2e_redis_calls onl set)
	e2e_rt_count $((t0 + o1 - o0)) e2e_redis_calls ts set
	e2e_rt_judge cp "$label" $((E2E_RT_N - t0)) $((o1 - o0)) "$TOL"
}

preopen_load() {
	touch "$gate"
	e2e_wait_exit pre 60 || e2e_fail "the pre-opened client did not finish"
	e2e_check "pre-opened client: $(tail -n 1 "$(e2e_logfile pre)")" [ "${E2E_RC[pre]:-1}" = 0 ]
}
bench() {
	e2e_log "load: redis-benchmark $*"
	e2e_ns "$LAB_NS_CLI" timeout 60 redis-benchmark -h "$LAB_ONL_IP" -p 6379 -t set \
		-r 100000 -q "$@" >"$E2E_DIR/bench.log" 2>&1
	e2e_check "redis-benchmark $* ran ($(tr '\r' '\n' <"$E2E_DIR/bench.log" | grep -a 'requests per second' | tail -n 1))" \
		grep -aq "requests per second" "$E2E_DIR/bench.log"
}

run_load "pre-opened ($PRE_CONNS x $PRE_SETS SETs)" preopen_load
run_load "redis-benchmark -c 8 -n $BENCH_N" bench -c 8 -n "$BENCH_N"
run_load "pipelined -P 16 -c 20 -n $PIPE_N" bench -P 16 -c 20 -n "$PIPE_N"
run_load "short connections -k 0 -c 50 -n $SHORT_N" bench -k 0 -c 50 -n "$SHORT_N"

synth=$(e2e_tel cp /dtc/copy/sessions sess_syn_synth)
e2e_check "the $PRE_CONNS pre-opened sessions were opened with a synthesized SYN ($synth)" \
	[ "${synth:-0}" -ge "$PRE_CONNS" ]
e2e_wait_until 10 "every copied session to end" _e2e_rt_none_active cp
e2e_copy_end cp
e2e_drops_report cp
e2e_finish
