#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# A lossy, reordering test path, then a lossy control channel (issue 14, item 1).  The lab is
# built with --impair: dtc-impair sits between the test LAN and the test redis, and gives both
# directions (copier -> test server and test server -> intercept) 1 % loss, 0.5 % reordering
# (held 3 ms), 0.1 % duplication and 5 ± 2 ms of delay.  redis-benchmark SETs at full speed
# against the online redis; the copier must retransmit what the path loses.
#   phase 1: the impaired test path;
#   phase 2: the same, plus 1 % loss both ways on the copier's control channel link
#            (nftables on the LAN bridge): TCP recovers the records, the pacing must too.
# Judged on the test redis's own SET count, within 5 s of the load's end, against the online
# redis's: >= 99.99 % in each phase.  The impairment's and the copier's counters are printed.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/fault_lib.sh"

TOL=99.99
N=${E2E_FAULT_N:-20000}
CONNS=${E2E_FAULT_CONNS:-10}
WITHIN=5
# E2E_FAULT_IMPAIR replaces the impairment (e.g. "--delay 0" for a baseline run).
IMPAIR=${E2E_FAULT_IMPAIR:---loss 1 --reorder 0.5 --window 3 --dup 0.1 --delay 5 --jitter 2}

e2e_init fault_lossy
e2e_require redis-server redis-cli redis-benchmark nft
e2e_lab_up --impair || e2e_finish

fault_redis_pair || e2e_finish
fault_impair_start imp $IMPAIR \
	--seed "${E2E_FAULT_SEED:-14}" || e2e_finish
fault_copy_redis cp || e2e_finish

# phase PHASE: one load, judged within WITHIN s; sets PH_GOT, PH_WANT, PH_FINAL.
phase() {
	local ph=$1 onl0 ts0 onl1 retr0
	onl0=$(fault_sets onl)
	ts0=$(fault_sets ts)
	retr0=$(e2e_copy_stat cp retransmits)
	fault_bench "$E2E_DIR/bench-$ph.log" "$N" "$CONNS" || return 1
	onl1=$(fault_sets onl)
	PH_WANT=$((onl1 - onl0))
	fault_within "$WITHIN" "$PH_WANT" fault_ts_sets_since "$ts0"
	PH_GOT=$FAULT_GOT
	e2e_log "$ph: the test redis executed $PH_GOT of $PH_WANT SETs within ${FAULT_TOOK}s of the load's end"
	e2e_catch_up 5 "$PH_WANT" cp fault_ts_sets_since "$ts0"
	PH_FINAL=$(fault_ts_sets_since "$ts0")
	PH_RETR=$(($(e2e_copy_stat cp retransmits) - retr0))
	e2e_log "$ph: after catching up: $PH_FINAL of $PH_WANT; copier retransmits $PH_RETR;" \
		"counters: $(fault_tel_nonzero cp)"
	e2e_check "$ph: the online redis got the $N SETs" [ "$PH_WANT" = "$N" ]
	e2e_check "$ph: the copy did not add SETs ($PH_FINAL <= $PH_WANT)" [ "$PH_FINAL" -le "$PH_WANT" ]
}

phase "phase 1 (impaired test path)" || e2e_finish
P1_GOT=$PH_GOT P1_WANT=$PH_WANT P1_FINAL=$PH_FINAL P1_RETR=$PH_RETR
e2e_check "phase 1: the copier retransmitted what the path lost ($P1_RETR retransmits)" \
	[ "$P1_RETR" -gt 0 ]

DTC_LAB_LOCKED=1 "$E2E_SETUP" lab ctl-loss 1 >/dev/null || { e2e_fail "lab ctl-loss 1 failed"; e2e_finish; }
phase "phase 2 (plus 1 % control-channel loss)" || e2e_finish
P2_GOT=$PH_GOT P2_WANT=$PH_WANT P2_FINAL=$PH_FINAL
ctl_drops=$(ip netns exec "$LAB_NS_SW" nft list table bridge "${LAB_P}_ctl_loss" 2>/dev/null \
	| awk '/counter packets/ { for (i = 1; i <= NF; i++) if ($i == "packets") n += $(i + 1) } END { print n + 0 }')
e2e_log "phase 2: the LAN bridge dropped $ctl_drops control-channel frames"
e2e_check "phase 2: control-channel frames were dropped ($ctl_drops)" [ "$ctl_drops" -gt 0 ]
icpt_up=$(e2e_copy_stat cp intercepts_up)
e2e_check "phase 2: the intercept is still connected ($icpt_up)" [ "$icpt_up" = 1 ]

e2e_copy_end cp
e2e_dpdk_stop imp
fault_impair_report imp
e2e_check "the path lost, reordered and duplicated packets (lost $FAULT_IMP_LOST, reordered $FAULT_IMP_REORDERED, dup $FAULT_IMP_DUP)" \
	[ "$FAULT_IMP_LOST" -gt 0 -a "$FAULT_IMP_REORDERED" -gt 0 -a "$FAULT_IMP_DUP" -gt 0 ]
e2e_check "the impairment dropped nothing else (overflow $FAULT_IMP_OVERFLOW, tx_full $FAULT_IMP_TX_FULL)" \
	[ "$FAULT_IMP_OVERFLOW" = 0 -a "$FAULT_IMP_TX_FULL" = 0 ]
e2e_drops_report cp
e2e_log "copier summary: retransmits $(e2e_summary_value cp seg_retrans)"
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", 100 * a / b; else print "0" }'; }
e2e_log "MEASURED fault_lossy: impaired test path ($IMPAIR):" \
	"$P1_GOT of $P1_WANT SETs within ${WITHIN}s ($(pct "$P1_GOT" "$P1_WANT") %), $P1_FINAL after catching up," \
	"$P1_RETR retransmits; plus 1 % control-channel loss ($ctl_drops frames dropped):" \
	"$P2_GOT of $P2_WANT within ${WITHIN}s ($(pct "$P2_GOT" "$P2_WANT") %), $P2_FINAL after catching up;" \
	"impairment lost $FAULT_IMP_LOST reordered $FAULT_IMP_REORDERED dup $FAULT_IMP_DUP; tolerance $TOL %"
require_ratio "$P1_GOT" "$P1_WANT" "$TOL"
require_ratio "$P2_GOT" "$P2_WANT" "$TOL"
e2e_finish
