#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# The namespace lab itself, with the kernel only (no DPDK app): the online link works and is
# mirrored, both directions, with valid checksums and no merged frames, to the copier's RX
# port; the test LAN delivers the test server's packets for the fake clients to the
# auxiliary host's capture port and nowhere else; the aux host does not forward; the control
# channel addresses reach each other; `lab down` leaves nothing behind.
# Frames are read by tshark (an independent reader), not by our parser.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init lab
e2e_require nginx curl redis-server redis-cli tshark dumpcap
e2e_lab_up || e2e_finish

"$E2E_SETUP" lab status >"$E2E_DIR/status.log" 2>&1
e2e_check "lab status reports a healthy lab" [ $? = 0 ]
e2e_check "three-host mode after lab up" [ "$LAB_MODE" = three-host ]

# --- online link and its mirror -------------------------------------------------------------

e2e_nginx_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 80 || e2e_finish
e2e_capture_start mirror "$LAB_NS_CP" "$LAB_CP_RX_IF" "tcp port 80" || e2e_finish

www=$E2E_DIR/onl/www
url=http://$LAB_ONL_IP
# One keep-alive connection with two requests, then a second connection with one.
e2e_ns "$LAB_NS_CLI" curl -sS --max-time 5 -o "$E2E_DIR/got-index" "$url/index.html" \
	-o "$E2E_DIR/got-64k" "$url/64k.bin" >"$E2E_DIR/curl.log" 2>&1
rc1=$?
e2e_ns "$LAB_NS_CLI" curl -sS --max-time 5 -o "$E2E_DIR/got-1k" "$url/1k.bin" \
	>>"$E2E_DIR/curl.log" 2>&1
rc2=$?
e2e_check "client curl to the online nginx works" [ "$rc1$rc2" = 00 ]
e2e_check "bodies are the served files" cmp -s "$www/64k.bin" "$E2E_DIR/got-64k"
e2e_check "small bodies too" cmp -s "$www/1k.bin" "$E2E_DIR/got-1k"

log=$(e2e_access_log onl)
e2e_wait_counter 3 5 e2e_log_count "$log"
e2e_check "online access log has the 3 requests" [ "$(e2e_log_count "$log")" = 3 ]
e2e_check "access log records client address:port and request line" \
	grep -Eq "^$LAB_CLI_IP:[0-9]+ .*\"GET /64k.bin HTTP/1.1\" 200 65536 " "$log"

sleep 0.3
e2e_capture_stop mirror
pcap=$(e2e_pcap mirror)
# One tshark pass; columns: src dst syn ack method code tcp-csum ip-csum frame-len tcp-len
e2e_pcap_fields "$pcap" tcp ip.src ip.dst tcp.flags.syn tcp.flags.ack http.request.method \
	http.response.code tcp.checksum.status ip.checksum.status frame.len tcp.len \
	>"$E2E_DIR/mirror.tsv"
eval "$(awk -F'\t' -v c="$LAB_CLI_IP" -v s="$LAB_ONL_IP" '
	{ all++ }
	$1 == c && $2 == s { up++; if ($3 == 1 && $4 == 0) syn++; if ($5 == "GET") req++ }
	$1 == s && $2 == c { down++; if ($3 == 1 && $4 == 1) synack++; if ($6 == 200) resp++
		if ($10 > 0) data++ }
	$7 != 1 { badtcp++ }
	$8 != 1 { badip++ }
	$9 > 1514 { big++ }
	END { printf "n_all=%d n_up=%d n_down=%d n_syn=%d n_synack=%d n_req=%d n_resp=%d " \
		"n_data=%d n_badtcp=%d n_badip=%d n_big=%d\n", all, up, down, syn, synack, req, \
		resp, data, badtcp, badip, big }' "$E2E_DIR/mirror.tsv")"
e2e_log "mirror: $n_all frames, client->server $n_up, server->client $n_down, SYN $n_syn," \
	"SYN-ACK $n_synack, requests $n_req, responses $n_resp, data segments from server $n_data"
e2e_check "mirror: 2 SYN from the client" [ "$n_syn" = 2 ]
e2e_check "mirror: 2 SYN-ACK from the online server" [ "$n_synack" = 2 ]
e2e_check "mirror: 3 requests" [ "$n_req" = 3 ]
e2e_check "mirror: 3 responses" [ "$n_resp" = 3 ]
e2e_check "mirror: both directions present" [ "$n_up" -gt 5 -a "$n_down" -gt 5 ]
e2e_check "mirror: every TCP checksum is correct (tshark)" [ "$n_badtcp" = 0 ]
e2e_check "mirror: every IPv4 header checksum is correct" [ "$n_badip" = 0 ]
e2e_check "mirror: no frame above 1514 bytes (nothing GRO/TSO-merged)" [ "$n_big" = 0 ]
# 64 KiB in MSS-sized segments (1448 bytes with timestamps) needs at least 45 of them.
e2e_check "mirror: the 64 KiB response arrives as >= 45 segments" [ "$n_data" -ge 45 ]

# --- test LAN: route, aux host, control channel ---------------------------------------------

route=$(e2e_ns "$LAB_NS_TS" ip route get "$LAB_FAKE_IP")
e2e_log "test server: $route"
e2e_check "test server routes $LAB_FAKE_IP via $LAB_AUX_IP" \
	grep -q "via $LAB_AUX_IP dev $LAB_TS_IF" <<<"$route"
e2e_check "aux host has ip_forward=0" \
	[ "$(e2e_ns "$LAB_NS_AUX" sysctl -n net.ipv4.ip_forward)" = 0 ]
e2e_check "DPDK ports carry no kernel IPv4 address" \
	[ -z "$(ip -n "$LAB_NS_CP" -4 -o addr show dev "$LAB_CP_TX_IF")$(ip -n "$LAB_NS_CP" -4 -o addr show dev "$LAB_CP_RX_IF")$(ip -n "$LAB_NS_AUX" -4 -o addr show dev "$LAB_AUX_CAP_IF")" ]

# Nothing answers ARP for .63 without dpdk-intercept: pin it, as intercept's ARP reply would.
e2e_ns "$LAB_NS_TS" ip neigh replace "$LAB_AUX_IP" lladdr "$LAB_AUX_CAP_MAC" \
	dev "$LAB_TS_IF" nud permanent
for p in "auxcap $LAB_NS_AUX $LAB_AUX_CAP_IF" "auxctl $LAB_NS_AUX $LAB_AUX_CTL_IF" \
	"cptx $LAB_NS_CP $LAB_CP_TX_IF" "cpctl $LAB_NS_CP $LAB_CP_CTL_IF" \
	"cprx $LAB_NS_CP $LAB_CP_RX_IF"; do
	set -- $p
	e2e_capture_start "lan-$1" "$2" "$3" || e2e_finish
done
e2e_ns "$LAB_NS_TS" bash -c "for i in 1 2 3; do echo dtc-probe-\$i >/dev/udp/$LAB_FAKE_IP/9999; done"
sleep 0.5
for p in auxcap auxctl cptx cpctl cprx; do
	e2e_capture_stop "lan-$p"
done
e2e_pcap_merge "$E2E_DIR/lan.pcapng" lan-auxcap lan-auxctl lan-cptx lan-cpctl lan-cprx
e2e_pcap_fields "$E2E_DIR/lan.pcapng" "" frame.interface_name eth.src eth.dst ip.dst \
	udp.dstport >"$E2E_DIR/lan.tsv"
# where NAME: frames seen on interface NAME that match the awk condition in $2.
where() { awk -F'\t' -v i="$1" "\$1 == i && ($2) { n++ } END { print n + 0 }" "$E2E_DIR/lan.tsv"; }
probe="\$4 == \"$LAB_FAKE_IP\" && \$5 == 9999"
n_aux=$(where "$LAB_AUX_CAP_IF" "$probe && \$3 == \"$LAB_AUX_CAP_MAC\"")
e2e_check "the 3 probes to $LAB_FAKE_IP reach the aux capture port ($n_aux)" [ "$n_aux" = 3 ]
e2e_check "the aux host sends nothing back on its capture port" \
	[ "$(where "$LAB_AUX_CAP_IF" "\$2 == \"$LAB_AUX_CAP_MAC\"")" = 0 ]
for p in "$LAB_AUX_CTL_IF" "$LAB_CP_TX_IF" "$LAB_CP_CTL_IF" "$LAB_CP_RX_IF"; do
	n=$(where "$p" "\$4 == \"$LAB_FAKE_IP\"")
	e2e_check "no probe leaks to $p ($n)" [ "$n" = 0 ]
done
e2e_ns "$LAB_NS_TS" ip neigh del "$LAB_AUX_IP" dev "$LAB_TS_IF"

# Control channel: copier 198.18.1.2 -> aux 198.18.1.64:36524 (a redis stands in for intercept).
e2e_redis_start ctl "$LAB_NS_AUX" test "$LAB_AUX_CTL_IP" "$LAB_CTL_PORT" || e2e_finish
pong=$(e2e_ns "$LAB_NS_CP" timeout 5 redis-cli -h "$LAB_AUX_CTL_IP" -p "$LAB_CTL_PORT" PING)
e2e_check "copier reaches the aux control address" [ "$pong" = PONG ]
e2e_ns "$LAB_NS_CP" timeout 5 redis-cli -h "$LAB_AUX_CTL_IP" -p "$LAB_CTL_PORT" SET k v >/dev/null
e2e_check "the SET is counted by the aux redis" [ "$(e2e_redis_calls ctl set)" = 1 ]
mac=$(ip -n "$LAB_NS_CP" neigh show "$LAB_AUX_CTL_IP" | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')
e2e_check "copier resolved $LAB_AUX_CTL_IP to the aux control MAC ($mac), not the capture port" \
	[ "$mac" = "$LAB_AUX_CTL_MAC" ]
e2e_redis_stop ctl
e2e_check "redis stopped on SIGTERM" [ "${E2E_RC[ctl]}" = 0 ]

# --- two-host route switch ------------------------------------------------------------------

e2e_lab_route two-host
e2e_check "two-host: $LAB_FAKE_IP via the copier TX address $LAB_CP_TX_IP" \
	grep -q "via $LAB_CP_TX_IP dev $LAB_TS_IF" <<<"$(e2e_ns "$LAB_NS_TS" ip route get "$LAB_FAKE_IP")"
e2e_check "two-host: LAB_MODE" [ "$LAB_MODE" = two-host ]
e2e_lab_route three-host
e2e_check "back to three-host" [ "$LAB_MODE" = three-host ]

# --- the comparator and require_ratio on the online log --------------------------------------

e2e_compare_access_logs "$log" "$log" >/dev/null
e2e_check "comparator: a log against itself is 100 %" \
	[ "$E2E_MATCHED/$E2E_EXPECTED" = 3/3 ]
head -n 2 "$log" >"$E2E_DIR/short.log"
e2e_compare_access_logs "$log" "$E2E_DIR/short.log" >/dev/null
e2e_check "comparator: a missing request is counted" [ "$E2E_MATCHED" = 2 ]
e2e_check "require_ratio fails at 2/3 against 99.9 %" \
	bash -c '! ( . "$1"; require_ratio 2 3 99.9 ) >/dev/null' _ "$E2E_SRC/tests/e2e/lib.sh"
require_ratio 3 3 99.9

# --- lab down --------------------------------------------------------------------------------

e2e_nginx_stop onl
e2e_check "nginx stopped gracefully on SIGQUIT" [ "${E2E_RC[onl]}" = 0 ]
e2e_lab_down
left=$(ip netns list | awk -v p="^$LAB_P-" '$1 ~ p { print $1 }' | tr '\n' ' ')
e2e_check "lab down leaves no $LAB_P-* namespace (${left:-none})" [ -z "$left" ]

e2e_finish
