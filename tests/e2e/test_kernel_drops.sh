#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Frames lost in the kernel's af_packet ring are counted (issue 11).  dpdk-tcpcopy and
# dpdk-intercept both capture the copier's mirror veth through af_packet rings made small on
# purpose (framecnt=64); both are stopped (SIGSTOP) while the client fetches pages from the
# online server, so the burst overflows the rings; after SIGCONT each app's port_kernel_drops
# (telemetry /dtc/copy/ports, /dtc/intercept/ports) must be > 0 and account exactly for what
# it did not read: frames the veth delivered = frames read + kernel drops.  Then the same
# burst with the default ring (no framecnt: the apps size it): nothing lost.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init kernel_drops
e2e_require nginx curl
e2e_lab_up || e2e_finish
e2e_nginx_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 80 || e2e_finish

delivered() {
	e2e_ns "$LAB_NS_CP" cat "/sys/class/net/$LAB_CP_RX_IF/statistics/rx_packets"
}

# copier_read NAME / icpt_read NAME: "frames read, kernel ring drops" of the capture port
copier_read() { e2e_tel "$1" /dtc/copy/stats captured port_kernel_drops; }
icpt_read() { e2e_tel "$1" /dtc/intercept/ports ipackets port_kernel_drops; }

# accounted READER NAME BASE_RX BASE_READ BASE_DROPS: every frame the veth delivered since
# the bases were taken was read or counted as a kernel drop.
accounted() {
	local rx r d
	rx=$(delivered) || return 1
	read -r r d < <("$1" "$2") || return 1
	[[ "$r" =~ ^[0-9]+$ && "$d" =~ ^[0-9]+$ ]] || return 1
	[ $((r - $4 + d - $5)) = $((rx - $3)) ]
}

# burst N: N fetches of 64 KiB from the client, 8 at a time (each ~ 50 mirrored frames).
# It waits for its own curls only (a bare wait would wait for the stopped apps too).
burst() {
	local i pids=()
	for ((i = 0; i < $1; i++)); do
		e2e_ns "$LAB_NS_CLI" curl -sS --max-time 10 -o /dev/null \
			"http://$LAB_ONL_IP/64k.bin" &
		pids+=($!)
		if [ "${#pids[@]}" = 8 ]; then
			wait "${pids[@]}"
			pids=()
		fi
	done
	[ "${#pids[@]}" = 0 ] || wait "${pids[@]}"
}

# run WHAT RING_ARGS drops|none: both apps on the mirror, stopped during a burst.
run() {
	local what=$1 ring=$2 want=$3 base cr cd ir id cr0 cd0 ir0 id0
	# One port each, on the mirror: the af_packet PMD names its fanout group pid ^ ifindex,
	# and two apps in one namespace with consecutive pids on two ports whose ifindexes
	# differ in the last bit would collide (EINVAL at probe).  The copier copies nothing
	# (port 9) and resolves nothing (@MAC): it transmits nothing its own socket would see.
	e2e_dpdk_start cp "$LAB_NS_CP" dpdk-tcpcopy "$LAB_CP_RX_IF$ring" -- \
		-x "9-$LAB_TS_IP:9@$LAB_TS_MAC" --tx-ip "$LAB_CP_TX_IP" --response-port 0 \
		--stats-interval 1 --idle-sleep "$E2E_IDLE_SLEEP" || return 1
	e2e_dpdk_start ic "$LAB_NS_CP" dpdk-intercept "$LAB_CP_RX_IF$ring" -- -F tcp \
		-p 36599 --stats-interval 1 --idle-sleep "$E2E_IDLE_SLEEP" || return 1
	e2e_check "$what: the copier runs" e2e_wait_until 30 "the copier's telemetry" \
		copier_read cp || return 1
	e2e_check "$what: the intercept runs" e2e_wait_until 30 "the intercept's telemetry" \
		icpt_read ic || return 1
	# The mirror is idle here: the bases agree with each other.
	base=$(delivered)
	read -r cr0 cd0 < <(copier_read cp)
	read -r ir0 id0 < <(icpt_read ic)
	kill -STOP "$(e2e_pid cp)" "$(e2e_pid ic)"
	burst 40
	kill -CONT "$(e2e_pid cp)" "$(e2e_pid ic)"
	e2e_log "$what: the veth delivered $(($(delivered) - base)) frames in the burst"
	e2e_check "$what: copier: frames read + kernel drops = frames the veth delivered" \
		e2e_wait_until 10 "the copier's count" accounted copier_read cp "$base" "$cr0" "$cd0"
	e2e_check "$what: intercept: frames read + kernel drops = frames the veth delivered" \
		e2e_wait_until 10 "the intercept's count" accounted icpt_read ic "$base" "$ir0" "$id0"
	read -r cr cd < <(copier_read cp)
	read -r ir id < <(icpt_read ic)
	e2e_log "$what: copier read $((cr - cr0)), kernel drops $((cd - cd0));" \
		"intercept read $((ir - ir0)), kernel drops $((id - id0))"
	if [ "$want" = drops ]; then
		e2e_check "$what: the copier's port_kernel_drops > 0 ($cd)" [ "$cd" -gt "$cd0" ]
		e2e_check "$what: the intercept's port_kernel_drops > 0 ($id)" [ "$id" -gt "$id0" ]
	else
		e2e_check "$what: the copier lost nothing ($cd)" [ "$cd" = 0 ]
		e2e_check "$what: the intercept lost nothing ($id)" [ "$id" = 0 ]
	fi
	e2e_dpdk_stop cp
	e2e_check "$what: the copier stopped cleanly" [ "${E2E_RC[cp]}" = 0 ]
	e2e_check "$what: its summary counts the drops" \
		grep -q "port_kernel_drops $cd (af_packet" "$(e2e_logfile cp)"
	e2e_dpdk_stop ic
	e2e_check "$what: the intercept stopped cleanly" [ "${E2E_RC[ic]}" = 0 ]
	e2e_check "$what: its final line counts the drops" \
		grep -q "final: .*port_kernel_drops=$id" "$(e2e_logfile ic)"
}

run "framecnt=64" ":framecnt=64" drops
run "default ring" "" none

e2e_finish
