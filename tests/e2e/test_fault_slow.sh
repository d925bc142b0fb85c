#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Bounded under a slow test server (issue 14, item 6).  The lab is built with --impair; the
# test redis answers through dtc-impair, at first with no delay.  redis-benchmark SETs at full
# speed over 10 persistent connections; for 30 s (E2E_FAULT_SLOW) dtc-impair adds a delay
# each way that makes the test redis's round trip at least 10 x the online one's (measured
# first), then removes it.  Judged: the copier's memory stays within its plan throughout
# (sessions, mbufs in use, resident memory), whatever it could not hold was dropped by a
# counted reason (every online SET of the slow period is on the test redis or accounted for
# by a counted session end), and once the test redis is fast again, a fresh load's new
# sessions are copied at 100 % (within 2 s of its end).

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/fault_lib.sh"

SLOW=${E2E_FAULT_SLOW:-30}
EAL_MB=${E2E_DPDK_MEM:-512}
N_AFTER=${E2E_FAULT_N:-20000}

e2e_init fault_slow
e2e_require redis-server redis-cli redis-benchmark
e2e_lab_up --impair || e2e_finish

rss_mb() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$(e2e_pid cp)/status" 2>/dev/null; }

fault_redis_pair || e2e_finish
# The online round trip, from a short run straight at the online redis (p50, ms).
e2e_ns "$LAB_NS_CLI" timeout 30 redis-benchmark -h "$LAB_ONL_IP" -p 6379 -t ping -n 5000 -c 1 -q \
	>"$E2E_DIR/rtt.log" 2>&1
onl_p50=$(tr '\r' '\n' <"$E2E_DIR/rtt.log" | sed -n 's/.*p50=\([0-9.]*\) msec.*/\1/p' | tail -n 1)
# Each way: half of 10 x that, at least 1 ms (this kernel's timers), to 0.1 ms.
slow_ms=$(awk -v p="${onl_p50:-0.2}" 'BEGIN { d = 5 * p; if (d < 1) d = 1; printf "%.1f", d }')
e2e_log "online round trip p50 ${onl_p50:-?} ms: the slow test path adds ${slow_ms} ms each way"
fault_impair_start imp --delay 0 --slow-delay "$slow_ms" || e2e_finish
fault_copy_redis cp || e2e_finish
plan=$(sed -n 's/.*per worker \([0-9]*\) sessions.*/\1/p' "$(e2e_logfile cp)" | head -n 1)
mbufs=$(e2e_copy_stat cp mbufs)

onl0=$(fault_sets onl)
ts0=$(fault_sets ts)
ended0=$(e2e_tel_flat cp /dtc/copy/sessions | awk '$1 ~ /^sessions\.ended\// && $1 != "sessions.ended/fin" { n += $2 } END { print n + 0 }')
fault_redis_load load 10 || e2e_finish
e2e_wait_counter $((ts0 + 2000)) 20 fault_sets ts \
	|| { e2e_fail "the copy did not start (test redis: $(fault_sets ts) SETs)"; e2e_finish; }
kill -USR1 "$(e2e_pid imp)"
e2e_wait_log "$(e2e_logfile imp)" "^dtc-impair: slow" 5 || e2e_fail "dtc-impair did not slow down"
e2e_log "test redis slowed down for ${SLOW}s"
peak=0 peak_mb=0 peak_rss=0
end=$((SECONDS + SLOW))
while [ "$SECONDS" -lt "$end" ]; do
	a=$(e2e_copy_stat cp sessions_active)
	m=$(e2e_copy_stat cp mbufs_in_use)
	r=$(rss_mb)
	[ "${a:-0}" -gt "$peak" ] && peak=$a
	[ "${m:-0}" -gt "$peak_mb" ] && peak_mb=$m
	[ "${r:-0}" -gt "$peak_rss" ] && peak_rss=$r
	sleep 0.5
done
kill -USR2 "$(e2e_pid imp)"
e2e_wait_log "$(e2e_logfile imp)" "^dtc-impair: normal" 5 || e2e_fail "dtc-impair did not speed up"
e2e_stop load 5
onl1=$(fault_sets onl)
want_slow=$((onl1 - onl0))
e2e_catch_up 5 "$((ts0 + want_slow))" cp fault_sets ts
got_slow=$(($(fault_sets ts) - ts0))
ended=$(($(e2e_tel_flat cp /dtc/copy/sessions | awk '$1 ~ /^sessions\.ended\// && $1 != "sessions.ended/fin" { n += $2 } END { print n + 0 }') - ended0))
e2e_log "slow period: $got_slow of $want_slow SETs reached the test redis; $ended sessions ended by a counted reason other than fin;" \
	"peak $peak sessions (plan $plan), peak $peak_mb mbufs in use of $mbufs, peak resident $peak_rss MB"
e2e_log "counters: $(fault_tel_nonzero cp)"
e2e_check "sessions within the plan (peak $peak <= $plan)" [ "$peak" -le "${plan:-0}" ]
e2e_check "mbufs within the pool (peak $peak_mb <= $mbufs)" [ "$peak_mb" -le "${mbufs:-0}" ]
e2e_check "resident memory within the EAL's -m plus 64 MB (peak $peak_rss MB)" \
	[ "$peak_rss" -le $((EAL_MB + 64)) ]
e2e_check "what did not reach the test redis is accounted for by counted session ends ($((want_slow - got_slow)) missing, $ended ends)" \
	[ "$got_slow" -ge "$want_slow" -o "$ended" -gt 0 ]

# Fast again: a fresh load, new sessions.
e2e_wait_until 20 "the copier to be idle" fault_sessions_idle cp
ts2=$(fault_sets ts)
onl2=$(fault_sets onl)
fault_bench "$E2E_DIR/bench-after.log" "$N_AFTER" 10 || e2e_finish
want=$(($(fault_sets onl) - onl2))
fault_within 2 "$((ts2 + want))" fault_sets ts
got=$((FAULT_GOT - ts2))
e2e_log "fast again: $got of $want SETs of new sessions within ${FAULT_TOOK}s of the load's end"
e2e_wait_until 10 "the copier to be idle" fault_sessions_idle cp
e2e_copy_end cp
e2e_dpdk_stop imp
fault_impair_report imp
e2e_drops_report cp
e2e_log "MEASURED fault_slow: test redis ${slow_ms} ms slower each way (online p50 ${onl_p50:-?} ms) for ${SLOW}s:" \
	"$got_slow of $want_slow SETs ($(awk -v a="$got_slow" -v b="$want_slow" 'BEGIN { if (b > 0) printf "%.3f", 100 * a / b }') %)," \
	"$ended sessions ended (counted); peak $peak sessions, $peak_mb of $mbufs mbufs, $peak_rss MB resident;" \
	"fast again: $got of $want ($(awk -v a="$got" -v b="$want" 'BEGIN { if (b > 0) printf "%.3f", 100 * a / b }') %); tolerance 100 %"
require_ratio "$got" "$want" 100
e2e_finish
