#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# A SYN flood and garbage in the mirror (issue 14, item 5).  While redis-benchmark SETs at full
# speed over 10 persistent connections, tests/e2e/fault_flood.py sends the online redis 100 000
# SYNs from random ports and random sources within 198.18.0.0/15 (only), then malformed frames
# of 17 kinds (bad IHL, lengths, version, checksums, fragments, TCP data offsets and options,
# truncations, garbage).  Everything goes through the mirror to the copier, which runs with
# -m 128 and short timeouts (-t 5 -k 5) so that the flood's sessions age out within the test.
# Judged: the copier stays up and within its plan (sessions at most the plan's, mbufs in use
# at most the pool, the process's resident memory at most the EAL's -m plus 64 MB), the
# malformed frames are counted as parse errors, the flood's sessions end with counted reasons
# and none is left afterwards, and the real sessions' SETs reach the test redis at >= 99.99 %
# (within 2 s of the load's end).

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/fault_lib.sh"

TOL=99.99
N_SYN=${E2E_FAULT_SYN:-100000}
N_BAD=${E2E_FAULT_BAD:-1700}
EAL_MB=${E2E_DPDK_MEM:-512}

e2e_init fault_flood
e2e_require redis-server redis-cli redis-benchmark
e2e_lab_up || e2e_finish

rss_mb() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$(e2e_pid cp)/status" 2>/dev/null; }
plan_sessions() { sed -n 's/.*per worker \([0-9]*\) sessions.*/\1/p' "$(e2e_logfile cp)" | head -n 1; }

fault_redis_pair || e2e_finish
fault_copy_redis cp -t 5 -k 5 || e2e_finish
plan=$(plan_sessions)
mbufs=$(e2e_copy_stat cp mbufs)
e2e_log "plan: $plan sessions, $mbufs mbufs; resident $(rss_mb) MB (EAL -m $EAL_MB)"

onl0=$(fault_sets onl)
ts0=$(fault_sets ts)
fault_redis_load load 10 || e2e_finish
e2e_wait_counter $((ts0 + 2000)) 20 fault_sets ts \
	|| { e2e_fail "the copy did not start (test redis: $(fault_sets ts) SETs)"; e2e_finish; }
created0=$(fault_tel cp stats.sessions_created)
perr0=$(fault_tel cp drops.copier/parse_error)
e2e_log "flood: $N_SYN SYNs from 198.18.0.0/15 to $LAB_ONL_IP:6379, then $N_BAD malformed frames"
ip netns exec "$LAB_NS_CLI" timeout 120 /usr/bin/python3 "$E2E_SRC/tests/e2e/fault_flood.py" \
	"$LAB_CLI_IF" "$LAB_CLI_MAC" "$LAB_ONL_MAC" "$LAB_ONL_IP" 6379 "$N_SYN" "$N_BAD" 14 \
	>"$E2E_DIR/flood.log" 2>&1
e2e_check "the flood was sent ($(cat "$E2E_DIR/flood.log" | tail -n 1))" \
	grep -q "^sent SYN $N_SYN bad $N_BAD" "$E2E_DIR/flood.log"
peak=0
peak_mb=0
peak_rss=0
sample() {
	local a m r
	a=$(e2e_copy_stat cp sessions_active)
	m=$(e2e_copy_stat cp mbufs_in_use)
	r=$(rss_mb)
	[ "${a:-0}" -gt "$peak" ] && peak=$a
	[ "${m:-0}" -gt "$peak_mb" ] && peak_mb=$m
	[ "${r:-0}" -gt "$peak_rss" ] && peak_rss=$r
	return 0
}
# Let the real load run on while the flood's sessions age out (-k 5, syn_timeout 3 s).
for i in $(seq 1 16); do sample; sleep 0.5; done
e2e_stop load 5
onl1=$(fault_sets onl)
want=$((onl1 - onl0))
fault_within 2 "$((ts0 + want))" fault_sets ts
got=$((FAULT_GOT - ts0))
e2e_log "real sessions: $got of $want SETs within ${FAULT_TOOK}s of the load's end"
e2e_catch_up 5 "$((ts0 + want))" cp fault_sets ts
e2e_wait_until 15 "the flood's sessions to age out" fault_sessions_idle cp
sample
created=$(($(fault_tel cp stats.sessions_created) - created0))
perr=$(($(fault_tel cp drops.copier/parse_error) - perr0))
ends=$(e2e_tel_flat cp /dtc/copy/sessions | awk '$1 ~ /^sessions\.ended\// && $2 > 0 { sub(/^sessions\.ended\//, "", $1); printf "%s=%s ", $1, $2 }')
e2e_log "flood: $created sessions created, peak active $peak (plan $plan), peak mbufs in use $peak_mb of $mbufs," \
	"peak resident $peak_rss MB; parse errors $perr; ended: $ends"
e2e_log "counters: $(fault_tel_nonzero cp)"
e2e_log "parse errors by kind: $(e2e_tel_flat cp /dtc/copy/drops | awk '$1 ~ /^drops\.parse\// && $2 > 0 { printf "%s=%s ", substr($1, 13), $2 }')"
e2e_check "the copier is still running" e2e_running cp
# One fake client address for all: random ports collide (engine/collision), so fewer sessions
# than SYNs.
e2e_check "the flood made sessions ($created)" [ "$created" -ge $((N_SYN / 4)) ]
e2e_check "sessions within the plan (peak $peak <= $plan)" [ "$peak" -le "${plan:-0}" ]
e2e_check "mbufs within the pool (peak $peak_mb <= $mbufs)" [ "$peak_mb" -le "${mbufs:-0}" ]
e2e_check "resident memory within the EAL's -m plus 64 MB (peak $peak_rss MB)" \
	[ "$peak_rss" -le $((EAL_MB + 64)) ]
e2e_check "malformed frames counted as parse errors ($perr)" [ "$perr" -gt 0 ]
e2e_check "every flood session aged out (active $(fault_tel cp stats.sessions_active))" \
	fault_sessions_idle cp
e2e_copy_end cp
e2e_drops_report cp
e2e_log "MEASURED fault_flood: $N_SYN SYNs + $N_BAD malformed frames in the mirror: $created sessions," \
	"peak $peak active (plan $plan), peak mbufs $peak_mb of $mbufs, peak resident $peak_rss MB;" \
	"$perr parse errors; real sessions $got of $want SETs" \
	"($(awk -v a="$got" -v b="$want" 'BEGIN { if (b > 0) printf "%.3f", 100 * a / b }') %); tolerance $TOL %"
require_ratio "$got" "$want" "$TOL"
e2e_finish
