#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# The lab's DPDK side, before our apps exist: dpdk-testpmd (Debian's dpdk-dev) started by
# e2e_dpdk_start in the copier namespace on the two copier ports (net_af_packet, no
# hugepages), forwarding RX port -> TX port.  Checks that the DPDK RX port sees exactly the
# frames an independent capture (dumpcap) sees on the mirror veth, that what it transmits
# on the TX port (mac forwarding: source = TX port MAC, destination = the test server's MAC)
# crosses the test LAN bridge to the test server (captured there), that the
# ports carry the lab's fixed MACs, and that e2e_dpdk_stop ends it cleanly with SIGINT.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init lab_dpdk
e2e_require nginx curl tshark dumpcap dpdk-testpmd
e2e_lab_up || e2e_finish

e2e_nginx_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 80 || e2e_finish
e2e_capture_start rxref "$LAB_NS_CP" "$LAB_CP_RX_IF" || e2e_finish
e2e_capture_start ts "$LAB_NS_TS" "$LAB_TS_IF" || e2e_finish

# testpmd needs a forwarding lcore besides the main one: two lcores, for a few seconds.
# (io forwarding would not do: the bridge would learn the client's and the online server's
# MACs on the copier port and drop the frames addressed to them, as a real switch does.)
e2e_dpdk_start pmd "$LAB_NS_CP" /usr/bin/dpdk-testpmd "$LAB_CP_RX_IF,$LAB_CP_TX_IF" -l 0,1 \
	-- --forward-mode=mac --eth-peer="1,$LAB_TS_MAC" --stats-period 1 \
	--total-num-mbufs=8192 || e2e_finish
pmdlog=$(e2e_logfile pmd)
e2e_check "testpmd runs and forwards" \
	e2e_wait_log "$pmdlog" "mac packet forwarding - ports=2" 20
e2e_check "DPDK port 0 has the copier RX MAC" grep -qi "^Port 0: $LAB_CP_RX_MAC" "$pmdlog"
e2e_check "DPDK port 1 has the copier TX MAC" grep -qi "^Port 1: $LAB_CP_TX_MAC" "$pmdlog"

for i in 1 2 3; do
	e2e_ns "$LAB_NS_CLI" curl -sS --max-time 5 -o /dev/null "http://$LAB_ONL_IP/64k.bin" \
		|| e2e_fail "curl $i"
done
e2e_wait_counter 3 5 e2e_log_count "$(e2e_access_log onl)"
sleep 1

e2e_check "e2e_dpdk_stop: testpmd exits on SIGINT" e2e_dpdk_stop pmd 15
e2e_check "testpmd exit status 0 (${E2E_RC[pmd]})" [ "${E2E_RC[pmd]}" = 0 ]
e2e_check "the DPDK runtime directory is removed" [ ! -e "/var/run/dpdk/dtce2e-pmd-$$" ]
e2e_capture_stop rxref
e2e_capture_stop ts

# testpmd's own end-of-run statistics: "RX-packets: N" / "TX-packets: N" per port.
stats() {
	awk -v port="$1" -v key="$2-packets:" '
		/Forward statistics for port/ { p = ($(NF - 1) == port) }
		p && $1 == key { v = $2; p = 0 }
		END { print v + 0 }' "$pmdlog"
}
rx0=$(stats 0 RX)
tx1=$(stats 1 TX)
ref=$(e2e_pcap_count "$(e2e_pcap rxref)" "frame")
# On the test server: frames from the copier TX MAC to its own MAC; how many have a bad
# TCP checksum.
read -r onts bad < <(e2e_pcap_fields "$(e2e_pcap ts)" \
	"eth.src==$LAB_CP_TX_MAC && eth.dst==$LAB_TS_MAC" tcp.checksum.status \
	| awk '{ n++ } $1 != "" && $1 != 1 { b++ } END { print n + 0, b + 0 }')
e2e_log "DPDK RX port 0: $rx0 frames; dumpcap on $LAB_CP_RX_IF: $ref;" \
	"DPDK TX port 1: $tx1; seen on the test server: $onts"
e2e_check "the mirror carried the 3 requests and their 64 KiB answers (>= 150 frames)" \
	[ "$ref" -ge 150 ]
e2e_check "DPDK RX saw every mirrored frame dumpcap saw" [ "$rx0" = "$ref" ]
e2e_check "DPDK TX sent them all on the test LAN port" [ "$tx1" = "$rx0" ]
e2e_check "the test server received every frame the DPDK TX port sent" [ "$onts" = "$tx1" ]
e2e_check "with correct TCP checksums" [ "$bad" = 0 ]

e2e_finish
