#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Offline replay against a real test server, three-host setup: the online traffic (wrk,
# keep-alive and one request per connection) is first recorded from the mirror by dumpcap,
# without any copier; then dpdk-tcpcopy replays the file (-i, twice as fast: -a 2) to the test
# nginx through its TX port, with dpdk-intercept returning the responses, and exits 0 by
# itself once every replayed session has ended.  Judged on the access logs.
# Tolerance: the test fails when fewer than 99.9 % of the recorded requests arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9

e2e_init offline
e2e_require nginx wrk dumpcap tshark
e2e_lab_up || e2e_finish

e2e_http_servers || e2e_finish
e2e_intercept_start icpt || e2e_finish

# Record: the mirror, both directions, as a classic pcap file.
e2e_capture_start mirror "$LAB_NS_CP" "$LAB_CP_RX_IF" "tcp port 80" || e2e_finish
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/1k.bin" 8 3 20 || e2e_finish
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/index.html" 8 3 40 -H "Connection: close" \
	|| e2e_finish
sleep 0.5
e2e_capture_stop mirror
pcap=$E2E_DIR/mirror.pcap
tshark -r "$(e2e_pcap mirror)" -F pcap -w "$pcap" 2>/dev/null
frames=$(e2e_pcap_count "$pcap" frame)
online=$(e2e_log_count "$E2E_ONL_LOG")
e2e_log "recorded $frames frames; the online nginx logged $online requests"
e2e_check "the recording holds the traffic" [ "$frames" -gt "$online" ]

# Replay: port 0 is the test LAN port (no mirror port: -i replaces it), twice as fast.
e2e_dpdk_start cp "$LAB_NS_CP" dpdk-tcpcopy "$LAB_CP_TX_IF" -- --tx-ip "$LAB_CP_TX_IP" \
	-m 128 --stats-interval 1 --idle-sleep "$E2E_IDLE_SLEEP" --tx-port 0 -i "$pcap" -a 2 \
	-x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" || e2e_finish
e2e_check "dpdk-tcpcopy ends by itself after the replay" e2e_wait_exit cp 60
e2e_check "with exit status 0 (${E2E_RC[cp]:-?})" [ "${E2E_RC[cp]:-x}" = 0 ]
e2e_check "having read the whole file" \
	grep -q "offline replay done: $frames packets, every copied session ended" "$(e2e_logfile cp)"

e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"
e2e_check "one replayed connection per recorded one" \
	[ "$(e2e_log_clients "$E2E_TS_LOG")" = "$(e2e_log_clients "$E2E_ONL_LOG")" ]
e2e_check "the replay did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_finish_measured cp "$TOL" "recorded requests"
