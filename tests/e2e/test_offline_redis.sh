#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Offline replay loses nothing, two-host setup: a real redis capture of 31 000 SETs (8 000 of
# them on connections opened before the capture started: the copier never sees their SYNs),
# replayed with -n 3 (three copies of every session) at -a 20 (twenty times faster) into the
# test redis.  At that speed the first SYNs go out before the target's MAC is known and the
# test redis's accept queue overflows: the replay waits for ARP before its first packet and
# retries unanswered SYNs with backoff over 10 s.  Judged on the test redis's own SET count:
# exactly 3 x the online one (tolerance 99.99 %), no session ended syn_timeout.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.99
PRE=8
PRE_SETS=1000
BENCH_N=23000

e2e_init offline_redis
e2e_require redis-server redis-cli redis-benchmark dumpcap tshark
e2e_lab_up --two-host || e2e_finish

e2e_redis_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 6379 || e2e_finish
e2e_redis_start ts "$LAB_NS_TS" test "$LAB_TS_IP" 6379 || e2e_finish

gate=$E2E_DIR/gate
e2e_spawn pre "$LAB_NS_CLI" TERM /usr/bin/python3 -u "$E2E_SRC/tests/e2e/redis_preopen.py" \
	"$LAB_ONL_IP" 6379 "$PRE" "$PRE_SETS" "$gate" || e2e_finish
e2e_wait_log "$(e2e_logfile pre)" "^open" 20 \
	|| { e2e_fail "the client did not open its connections"; e2e_finish; }
e2e_capture_start mirror "$LAB_NS_CP" "$LAB_CP_RX_IF" "tcp port 6379" || e2e_finish
touch "$gate"
e2e_wait_exit pre 60 || e2e_fail "the pre-opened client did not finish"
e2e_ns "$LAB_NS_CLI" timeout 60 redis-benchmark -h "$LAB_ONL_IP" -p 6379 -t set -r 100000 \
	-n "$BENCH_N" -c 8 -q >"$E2E_DIR/bench.log" 2>&1
onl=$(e2e_redis_calls onl set)
e2e_check "online redis executed the $((PRE * PRE_SETS + BENCH_N)) SETs ($onl)" \
	[ "$onl" = $((PRE * PRE_SETS + BENCH_N)) ]
e2e_iface_settle "$LAB_NS_CP" "$LAB_CP_RX_IF"
e2e_capture_stop mirror
pcap=$E2E_DIR/mirror.pcap
tshark -r "$(e2e_pcap mirror)" -F pcap -w "$pcap" 2>/dev/null
frames=$(e2e_pcap_count "$pcap" frame)
recorded=$(tshark -r "$pcap" -Y "tcp.dstport == 6379 && tcp.len > 0" -T fields -e tcp.payload \
	2>/dev/null | /usr/bin/python3 -c 'import sys; print(sum(bytes.fromhex(l.strip()).count(b"SET") for l in sys.stdin))')
e2e_log "recorded $frames frames, $recorded SETs, of $onl online SETs"
e2e_check "the recording holds every online SET ($recorded of $onl)" [ "$recorded" = "$onl" ]

e2e_dpdk_start cp "$LAB_NS_CP" dpdk-tcpcopy "$LAB_CP_TX_IF" -- --tx-ip "$LAB_CP_TX_IP" \
	-m 256 --stats-interval 1 --idle-sleep "$E2E_IDLE_SLEEP" --tx-port 0 --response-port 0 \
	-i "$pcap" -a 20 -n 3 -x "6379-$LAB_TS_IP:6379" -c "$LAB_FAKE_IP" || e2e_finish
e2e_check "dpdk-tcpcopy ends by itself after the replay" e2e_wait_exit cp 90
e2e_check "with exit status 0 (${E2E_RC[cp]:-?})" [ "${E2E_RC[cp]:-x}" = 0 ]
ts=$(e2e_redis_calls ts set)
synto=$(e2e_summary_value cp "ended syn_timeout")
e2e_log "test redis: $ts SETs of 3 x $onl; sessions ended syn_timeout: $synto"
e2e_drops_report cp
e2e_check "no copied session ended syn_timeout ($synto)" [ "$synto" = 0 ]
e2e_check "the replay did not add SETs ($ts <= $((3 * onl)))" [ "$ts" -le $((3 * onl)) ]
e2e_log "MEASURED offline_redis: $ts of $((3 * onl)) replayed SETs (-n 3 -a 20) executed by the test redis, tolerance $TOL %"
require_ratio "$ts" $((3 * onl)) "$TOL"
e2e_finish
