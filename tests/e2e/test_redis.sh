#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# redis, three-host setup: redis-benchmark SET traffic with random keys (-r) against the
# online redis; dpdk-tcpcopy copies it to the test redis.  Judged on the servers' own state:
# the test redis ends with the same number of keys (DBSIZE) and the same number of SET calls
# (INFO commandstats) as the online one.
# Tolerance: the test fails when fewer than 99.9 % of the online SETs arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9
N=${E2E_REDIS_N:-4000}

e2e_init redis
e2e_require redis-server redis-cli redis-benchmark
e2e_lab_up || e2e_finish

e2e_redis_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 6379 || e2e_finish
e2e_redis_start ts "$LAB_NS_TS" test "$LAB_TS_IP" 6379 || e2e_finish
e2e_intercept_start icpt -F "tcp and src host $LAB_TS_IP and src port 6379" || e2e_finish
e2e_copy_start cp -- -x "6379-$LAB_TS_IP:6379" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" \
	|| e2e_finish

e2e_log "load: redis-benchmark -t set -r 100000 -n $N -c 10 against the online redis"
e2e_ns "$LAB_NS_CLI" timeout 60 redis-benchmark -h "$LAB_ONL_IP" -p 6379 -t set -r 100000 \
	-n "$N" -c 10 -q >"$E2E_DIR/bench.log" 2>&1
e2e_check "redis-benchmark ran ($(tr '\r' '\n' <"$E2E_DIR/bench.log" | grep -a 'requests per second' | tail -n 1))" \
	grep -aq "requests per second" "$E2E_DIR/bench.log"
onl_sets=$(e2e_redis_calls onl set)
onl_keys=$(e2e_redis_cli onl DBSIZE)
e2e_log "online redis: $onl_sets SET calls, $onl_keys keys; waiting for the copy to catch up"
e2e_catch_up 2 "$onl_sets" cp e2e_redis_calls ts set

ts_sets=$(e2e_redis_calls ts set)
ts_keys=$(e2e_redis_cli ts DBSIZE)
e2e_log "test redis: $ts_sets SET calls, $ts_keys keys (online: $onl_sets, $onl_keys)"
e2e_check "online redis got the $N SETs" [ "$onl_sets" = "$N" ]
e2e_check "same number of keys (DBSIZE $ts_keys vs $onl_keys)" [ "$ts_keys" = "$onl_keys" ]
e2e_check "same SET call count ($ts_sets vs $onl_sets)" [ "$ts_sets" = "$onl_sets" ]
# The same keys, not only as many: a sample of the online keys exists on the test server.
sample=$(e2e_redis_cli onl --scan --pattern "key:*" | head -n 50)
missing=0
for k in $sample; do
	[ "$(e2e_redis_cli ts EXISTS "$k")" = 1 ] || missing=$((missing + 1))
done
e2e_check "50 sampled online keys all exist on the test redis ($missing missing)" \
	[ -n "$sample" -a "$missing" = 0 ]
e2e_copy_end cp
e2e_drops_report cp
e2e_log "MEASURED redis: $ts_sets of $onl_sets online SETs reached the test redis, keys $ts_keys of $onl_keys, tolerance $TOL %"
require_ratio "$ts_sets" "$onl_sets" "$TOL"
require_ratio "$ts_keys" "$onl_keys" "$TOL"
e2e_finish
