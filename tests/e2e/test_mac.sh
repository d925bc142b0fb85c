#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# The original-compatible mode, three-host setup: the target's MAC address is given in the
# map (-x 80-198.18.1.56:80@MAC, as tcpcopy 1.x did) and the copier has no --tx-ip: it
# resolves nothing and sends no ARP.  HTTP keep-alive and short connections, judged on the
# access logs; a capture of the copier's TX port (read by tshark) shows that the copier sent
# no ARP at all and addressed every frame to the given MAC.
# Tolerance: the test fails when fewer than 99.9 % of the online requests arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9

e2e_init mac
e2e_require nginx wrk tshark dumpcap
e2e_lab_up || e2e_finish

e2e_http_servers || e2e_finish
e2e_intercept_start icpt || e2e_finish
# On the bridge side of the copier's TX veth: what the copier put on the wire (a capture on
# its own interface would miss frames the af_packet PMD sends past the qdisc layer).
e2e_capture_start txcap "$LAB_NS_SW" "$LAB_P-s-cptx" "ether src $LAB_CP_TX_MAC" || e2e_finish
E2E_COPY_TX_IP="" e2e_copy_start cp -- -x "80-$LAB_TS_IP:80@$LAB_TS_MAC" -c "$LAB_FAKE_IP" \
	-s "$LAB_AUX_CTL_IP" || e2e_finish

e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/1k.bin" 8 4 20 || e2e_finish
e2e_wrk "$LAB_NS_CLI" "http://$LAB_ONL_IP/index.html" 8 3 40 -H "Connection: close" \
	|| e2e_finish
online=$(e2e_log_count "$E2E_ONL_LOG")
e2e_log "online nginx logged $online requests; waiting for the copy"
e2e_catch_up 2 "$online" cp e2e_log_count "$E2E_TS_LOG"

e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_copy_end cp
e2e_capture_stop txcap
# Columns: ARP opcode (empty for IP), destination MAC.
e2e_pcap_fields "$(e2e_pcap txcap)" "" arp.opcode eth.dst >"$E2E_DIR/tx.tsv"
read -r n_tx n_arp n_other < <(awk -F'\t' -v m="$LAB_TS_MAC" '
	{ n++ } $1 != "" { arp++ } $1 == "" && $2 != m { other++ }
	END { print n + 0, arp + 0, other + 0 }' "$E2E_DIR/tx.tsv")
e2e_log "copier TX port: $n_tx frames sent, $n_arp ARP, $n_other not addressed to $LAB_TS_MAC"
e2e_check "the copier transmitted the copy" [ "$n_tx" -gt "$online" ]
e2e_check "the copier sent no ARP (tshark)" [ "$n_arp" = 0 ]
e2e_check "every frame went to the MAC of the map" [ "$n_other" = 0 ]
e2e_check "its own ARP counter agrees" \
	grep -q "arp: requests 0 " <<<"$(e2e_copy_summary cp)"
e2e_finish_measured cp "$TOL" "online requests"
