# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# The namespace lab: the classic three-host tcpcopy setup on one machine, built from network
# namespaces and veth pairs.  Sourced by tools/dpdk-setup.sh, which calls `lab_main "$@"`:
#
#   lab up [--two-host|--three-host]   build the lab from scratch (removing any existing one)
#   lab down                           remove every namespace, link and process of the lab
#   lab status [--env]                 print the topology and check it / print shell variables
#   lab route two-host|three-host      switch the test server's route for the fake clients
#
#  client ns P-cli                 online server ns P-onl
#  P-cli0 198.18.0.10/24 <--veth--> P-onl0 198.18.0.40/24   (tc mirred, ingress+egress)
#                                   P-onlm ----veth----> P-cprx   copier ns P-cp (RX port, no IP)
#  test LAN: bridge P-br0 in ns P-sw
#    P-s-cptx   <--> P-cptx   copier TX port, no kernel IP (dpdk-tcpcopy --tx-ip 198.18.1.1)
#    P-s-cpctl  <--> P-cpctl  copier control channel 198.18.1.2/24
#    P-s-ts     <--> P-ts0    test server 198.18.1.56/24 in ns P-ts
#    P-s-auxcap <--> P-auxcap aux capture port, no kernel IP (dpdk-intercept --ip 198.18.1.63)
#    P-s-auxctl <--> P-auxctl aux control channel 198.18.1.64/24 in ns P-aux
#  test server route: 198.18.2.0/24 via 198.18.1.63 (three-host) or via 198.18.1.1 (two-host)
#
# P is DTC_LAB_PREFIX (default "dtc"; "dtc" plus up to 3 of [A-Za-z0-9], so that several labs can
# coexist).  Everything the lab creates lives inside its own namespaces; nothing is created in
# the root namespace.  Operations on one lab are serialized by a lock file; a caller that
# already holds it (tests/e2e/lib.sh) sets DTC_LAB_LOCKED=1.

LAB_P=${DTC_LAB_PREFIX:-dtc}

lab_say() { printf 'lab: %s\n' "$*"; }
lab_err() { printf 'lab: error: %s\n' "$*" >&2; }
lab_die() { lab_err "$*"; exit 1; }

# Every name, address and MAC of the lab, derived from the prefix.
lab_names() {
	local p=$LAB_P

	LAB_NS_CLI=$p-cli
	LAB_NS_ONL=$p-onl
	LAB_NS_CP=$p-cp
	LAB_NS_SW=$p-sw
	LAB_NS_TS=$p-ts
	LAB_NS_AUX=$p-aux
	LAB_NSES="$LAB_NS_CLI $LAB_NS_ONL $LAB_NS_CP $LAB_NS_SW $LAB_NS_TS $LAB_NS_AUX"

	LAB_CLI_IF=$p-cli0 LAB_CLI_IP=198.18.0.10 LAB_CLI_MAC=02:dc:00:00:00:10
	LAB_ONL_IF=$p-onl0 LAB_ONL_IP=198.18.0.40 LAB_ONL_MAC=02:dc:00:00:00:40
	LAB_ONL_MIRROR_IF=$p-onlm LAB_ONL_MIRROR_MAC=02:dc:00:00:00:41
	LAB_CP_RX_IF=$p-cprx LAB_CP_RX_MAC=02:dc:00:00:00:42
	LAB_CP_TX_IF=$p-cptx LAB_CP_TX_IP=198.18.1.1 LAB_CP_TX_MAC=02:dc:00:00:01:01
	LAB_CP_CTL_IF=$p-cpctl LAB_CP_CTL_IP=198.18.1.2 LAB_CP_CTL_MAC=02:dc:00:00:01:02
	LAB_TS_IF=$p-ts0 LAB_TS_IP=198.18.1.56 LAB_TS_MAC=02:dc:00:00:01:56
	LAB_AUX_CAP_IF=$p-auxcap LAB_AUX_IP=198.18.1.63 LAB_AUX_CAP_MAC=02:dc:00:00:01:63
	LAB_AUX_CTL_IF=$p-auxctl LAB_AUX_CTL_IP=198.18.1.64 LAB_AUX_CTL_MAC=02:dc:00:00:01:64
	LAB_BR_IF=$p-br0 LAB_BR_MAC=02:dc:00:00:ff:00
	LAB_SW_CP_TX_IF=$p-s-cptx LAB_SW_CP_TX_MAC=02:dc:00:00:ff:01
	LAB_SW_CP_CTL_IF=$p-s-cpctl LAB_SW_CP_CTL_MAC=02:dc:00:00:ff:02
	LAB_SW_TS_IF=$p-s-ts LAB_SW_TS_MAC=02:dc:00:00:ff:56
	LAB_SW_AUX_CAP_IF=$p-s-auxcap LAB_SW_AUX_CAP_MAC=02:dc:00:00:ff:63
	LAB_SW_AUX_CTL_IF=$p-s-auxctl LAB_SW_AUX_CTL_MAC=02:dc:00:00:ff:64

	LAB_ONLINE_NET=198.18.0.0/24
	LAB_TEST_NET=198.18.1.0/24
	LAB_FAKE_NET=198.18.2.0/24
	LAB_FAKE_IP=198.18.2.100
	LAB_CTL_PORT=36524
	LAB_LOCK_FILE=/run/lock/$p-lab.lock

	# All veths: "ns ifname mac" of every end (the bridge ports included).
	LAB_VETHS="$LAB_NS_CLI $LAB_CLI_IF $LAB_CLI_MAC
$LAB_NS_ONL $LAB_ONL_IF $LAB_ONL_MAC
$LAB_NS_ONL $LAB_ONL_MIRROR_IF $LAB_ONL_MIRROR_MAC
$LAB_NS_CP $LAB_CP_RX_IF $LAB_CP_RX_MAC
$LAB_NS_CP $LAB_CP_TX_IF $LAB_CP_TX_MAC
$LAB_NS_CP $LAB_CP_CTL_IF $LAB_CP_CTL_MAC
$LAB_NS_TS $LAB_TS_IF $LAB_TS_MAC
$LAB_NS_AUX $LAB_AUX_CAP_IF $LAB_AUX_CAP_MAC
$LAB_NS_AUX $LAB_AUX_CTL_IF $LAB_AUX_CTL_MAC
$LAB_NS_SW $LAB_SW_CP_TX_IF $LAB_SW_CP_TX_MAC
$LAB_NS_SW $LAB_SW_CP_CTL_IF $LAB_SW_CP_CTL_MAC
$LAB_NS_SW $LAB_SW_TS_IF $LAB_SW_TS_MAC
$LAB_NS_SW $LAB_SW_AUX_CAP_IF $LAB_SW_AUX_CAP_MAC
$LAB_NS_SW $LAB_SW_AUX_CTL_IF $LAB_SW_AUX_CTL_MAC"

	# Bridge ports and the host MAC behind each (static FDB: no flooding of known unicast).
	LAB_SW_PORTS="$LAB_SW_CP_TX_IF $LAB_CP_TX_MAC
$LAB_SW_CP_CTL_IF $LAB_CP_CTL_MAC
$LAB_SW_TS_IF $LAB_TS_MAC
$LAB_SW_AUX_CAP_IF $LAB_AUX_CAP_MAC
$LAB_SW_AUX_CTL_IF $LAB_AUX_CTL_MAC"

	# Kernel IPv4 addresses: "ns ifname address/len"; every other lab interface has none.
	LAB_ADDRS="$LAB_NS_CLI $LAB_CLI_IF $LAB_CLI_IP/24
$LAB_NS_ONL $LAB_ONL_IF $LAB_ONL_IP/24
$LAB_NS_CP $LAB_CP_CTL_IF $LAB_CP_CTL_IP/24
$LAB_NS_TS $LAB_TS_IF $LAB_TS_IP/24
$LAB_NS_AUX $LAB_AUX_CTL_IF $LAB_AUX_CTL_IP/24"

	lab_impair_names
}

lab_check_env() {
	[[ "$LAB_P" =~ ^dtc[A-Za-z0-9]{0,3}$ ]] \
		|| lab_die "DTC_LAB_PREFIX='$LAB_P': must be 'dtc' followed by up to 3 of [A-Za-z0-9]"
	[ "$(id -u)" -eq 0 ] || lab_die "the lab needs root (network namespaces): run it as root"
	local c
	for c in ip tc ethtool bridge sysctl flock; do
		command -v "$c" >/dev/null \
			|| lab_die "'$c' is missing (iproute2, ethtool, procps, util-linux): run deps"
	done
	lab_names
}

# Serialize lab operations (and whole e2e tests, which hold the lock themselves).
lab_lock() {
	[ "${DTC_LAB_LOCKED:-0}" = 1 ] && return 0
	local wait=${DTC_LAB_LOCK_WAIT:-120}
	exec {LAB_LOCK_FD}>"$LAB_LOCK_FILE" || lab_die "cannot open $LAB_LOCK_FILE"
	if ! flock -n "$LAB_LOCK_FD"; then
		lab_say "waiting up to ${wait}s for $LAB_LOCK_FILE (another lab user is running)"
		flock -w "$wait" "$LAB_LOCK_FD" || lab_die "lab '$LAB_P' is busy: gave up after ${wait}s"
	fi
}

lab_ns_exists() {
	[ -e "/run/netns/$1" ]
}

# Run in a namespace, quietly; print the failing command on error.
lab_nsrun() {
	local ns=$1
	shift
	local out
	if ! out=$(ip netns exec "$ns" "$@" 2>&1); then
		lab_err "in $ns: $* failed: $out"
		return 1
	fi
}

lab_run() {
	local out
	if ! out=$("$@" 2>&1); then
		lab_err "$* failed: $out"
		return 1
	fi
}

lab_present_nses() {
	local ns found=""
	for ns in $LAB_NSES; do
		lab_ns_exists "$ns" && found="$found $ns"
	done
	printf '%s' "${found# }"
}

# Stop whatever still runs inside a lab namespace (a crashed test's servers or apps):
# TERM, up to 3 s, then KILL.
lab_kill_ns_pids() {
	local ns=$1 pids pid i
	pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
	[ -n "${pids// /}" ] || return 0
	for pid in $pids; do
		lab_say "  stopping pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null || echo '?')) in $ns"
		kill -TERM "$pid" 2>/dev/null || true
	done
	for ((i = 0; i < 30; i++)); do
		pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
		[ -n "${pids// /}" ] || return 0
		sleep 0.1
	done
	for pid in $pids; do
		lab_say "  pid $pid did not stop: SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
	done
}

lab_down_nolock() {
	local present ns
	present=$(lab_present_nses)
	if [ -z "$present" ]; then
		lab_say "down: nothing to remove (no $LAB_P-* lab namespaces)"
		return 0
	fi
	for ns in $present; do
		lab_kill_ns_pids "$ns"
		lab_say "down: deleting namespace $ns"
		# Deleting a namespace destroys its veths and so their peers in the other namespaces.
		ip netns del "$ns" 2>/dev/null || { lab_err "cannot delete namespace $ns"; return 1; }
	done
	present=$(lab_present_nses)
	[ -z "$present" ] || { lab_err "namespaces still present: $present"; return 1; }
	lab_say "down: done"
}

# (No `| grep -q` in this file: with pipefail, grep quitting early makes the writer die of
# SIGPIPE and the pipeline fail at random.)

# Per-host kernel settings: no IPv6 (no ND/MLD noise on the capture ports), no forwarding,
# no reverse-path filter, no ARP answers for one interface's address on another.
lab_ns_create() {
	lab_run ip netns add "$1"
}

# Host settings and offloads, once the namespace's veths exist (still down), in one process:
# no IPv6 (no ND/MLD noise on the capture ports; "all" reaches the existing devices too), no
# forwarding, no reverse-path filter, no ARP answers for one interface's address on another;
# offloads off, since they would hand AF_PACKET and the mirror merged or checksum-less frames.
# lab_host_setup NS DEV...
lab_host_setup() {
	local ns=$1
	shift
	lab_nsrun "$ns" sh -c 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 net.ipv4.ip_forward=0 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.default.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.default.arp_announce=2 || exit 1
		sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null
		for d; do
			ethtool -K "$d" tx off rx off gso off tso off gro off || exit 1
		done' _ "$@"
}

# Run an `ip` batch (one command per line) in a namespace: one process instead of many.
lab_ip_batch() {
	local ns=$1 cmds=$2 out
	if ! out=$(ip -n "$ns" -batch - <<<"$cmds" 2>&1); then
		lab_err "in $ns: ip batch failed: $out"
		return 1
	fi
}

# The veths of one namespace.
lab_ns_veths() {
	local n ifn mac
	while read -r n ifn mac; do
		[ "$n" = "$1" ] && echo "$ifn"
	done <<<"$LAB_VETHS"
	return 0
}

lab_route_apply() {
	local mode=$1 via
	case "$mode" in
	three-host) via=$LAB_AUX_IP ;;
	two-host) via=$LAB_CP_TX_IP ;;
	*) lab_err "route mode '$mode': expected two-host or three-host"; return 1 ;;
	esac
	lab_nsrun "$LAB_NS_TS" ip route replace "$LAB_FAKE_NET" via "$via" dev "$LAB_TS_IF" \
		|| return 1
	lab_say "route ($mode): $LAB_NS_TS: $LAB_FAKE_NET via $via dev $LAB_TS_IF"
}

# "link add" line of a veth pair created directly inside two namespaces (never visible in
# the root one); run in the first one's batch.
lab_veth_cmd() {
	local if1=$1 mac1=$2 ns2=$3 if2=$4 mac2=$5
	echo "link add $if1 address $mac1 type veth peer name $if2 netns $ns2 address $mac2"
}

lab_up_nolock() {
	local mode=$1 ns ifn mac addr cmds n i dir

	lab_say "up: namespaces $LAB_NSES"
	for ns in $LAB_NSES; do
		lab_ns_create "$ns" || return 1
	done

	lab_say "up: client $LAB_CLI_IF <-> online $LAB_ONL_IF, mirror $LAB_ONL_MIRROR_IF -> copier RX $LAB_CP_RX_IF"
	lab_ip_batch "$LAB_NS_CLI" "$(lab_veth_cmd "$LAB_CLI_IF" "$LAB_CLI_MAC" \
		"$LAB_NS_ONL" "$LAB_ONL_IF" "$LAB_ONL_MAC")" || return 1
	lab_ip_batch "$LAB_NS_ONL" "$(lab_veth_cmd "$LAB_ONL_MIRROR_IF" "$LAB_ONL_MIRROR_MAC" \
		"$LAB_NS_CP" "$LAB_CP_RX_IF" "$LAB_CP_RX_MAC")" || return 1

	lab_say "up: test LAN bridge $LAB_BR_IF in $LAB_NS_SW"
	lab_ip_batch "$LAB_NS_SW" "link add $LAB_BR_IF address $LAB_BR_MAC type bridge stp_state 0 forward_delay 0 mcast_snooping 0" \
		|| return 1
	lab_ip_batch "$LAB_NS_CP" "$(lab_veth_cmd "$LAB_CP_TX_IF" "$LAB_CP_TX_MAC" \
		"$LAB_NS_SW" "$LAB_SW_CP_TX_IF" "$LAB_SW_CP_TX_MAC")
$(lab_veth_cmd "$LAB_CP_CTL_IF" "$LAB_CP_CTL_MAC" "$LAB_NS_SW" "$LAB_SW_CP_CTL_IF" \
		"$LAB_SW_CP_CTL_MAC")" || return 1
	lab_ip_batch "$LAB_NS_TS" "$(lab_veth_cmd "$LAB_TS_IF" "$LAB_TS_MAC" \
		"$LAB_NS_SW" "$LAB_SW_TS_IF" "$LAB_SW_TS_MAC")" || return 1
	lab_ip_batch "$LAB_NS_AUX" "$(lab_veth_cmd "$LAB_AUX_CAP_IF" "$LAB_AUX_CAP_MAC" \
		"$LAB_NS_SW" "$LAB_SW_AUX_CAP_IF" "$LAB_SW_AUX_CAP_MAC")
$(lab_veth_cmd "$LAB_AUX_CTL_IF" "$LAB_AUX_CTL_MAC" "$LAB_NS_SW" "$LAB_SW_AUX_CTL_IF" \
		"$LAB_SW_AUX_CTL_MAC")" || return 1

	lab_say "up: host settings (no IPv6, no forwarding); offloads off (tx rx gso tso gro) on every veth"
	for ns in $LAB_NSES; do
		lab_host_setup "$ns" $(lab_ns_veths "$ns") || return 1
	done

	lab_say "up: addresses, bridge ports, links up"
	for ns in $LAB_NSES; do
		cmds="link set lo up"$'\n'
		while read -r n ifn addr; do
			[ "$n" = "$ns" ] && cmds+="addr add $addr dev $ifn"$'\n'
		done <<<"$LAB_ADDRS"
		# The DPDK ports and the mirror: no kernel ARP; promiscuous (AF_PACKET sees all anyway).
		for ifn in "$LAB_CP_RX_IF" "$LAB_CP_TX_IF" "$LAB_AUX_CAP_IF" "$LAB_ONL_MIRROR_IF"; do
			while read -r n i mac; do
				[ "$n" = "$ns" ] && [ "$i" = "$ifn" ] && cmds+="link set $ifn arp off promisc on"$'\n'
			done <<<"$LAB_VETHS"
		done
		if [ "$ns" = "$LAB_NS_SW" ]; then
			while read -r ifn mac; do
				cmds+="link set $ifn master $LAB_BR_IF"$'\n'
			done <<<"$LAB_SW_PORTS"
			cmds+="link set $LAB_BR_IF up"$'\n'
		fi
		while read -r n ifn mac; do
			[ "$n" = "$ns" ] && cmds+="link set $ifn up"$'\n'
		done <<<"$LAB_VETHS"
		lab_ip_batch "$ns" "${cmds%$'\n'}" || return 1
	done

	lab_say "up: static FDB on $LAB_BR_IF (known hosts never flooded)"
	cmds=""
	while read -r ifn mac; do
		cmds+="fdb replace $mac dev $ifn master static"$'\n'
	done <<<"$LAB_SW_PORTS"
	lab_run bridge -n "$LAB_NS_SW" -batch - <<<"${cmds%$'\n'}" || return 1

	lab_say "up: mirror both directions of $LAB_ONL_IF to $LAB_ONL_MIRROR_IF (tc clsact + mirred)"
	cmds="qdisc add dev $LAB_ONL_IF clsact"
	for dir in ingress egress; do
		cmds+=$'\n'"filter add dev $LAB_ONL_IF $dir protocol all prio 1 u32 match u32 0 0 action mirred egress mirror dev $LAB_ONL_MIRROR_IF"
	done
	lab_run tc -n "$LAB_NS_ONL" -batch - <<<"$cmds" || return 1

	lab_route_apply "$mode" || return 1
}

# --- status --------------------------------------------------------------------------------

LAB_FAILS=0

lab_ok() { printf '  ok    %s\n' "$*"; }
lab_bad() { printf '  FAIL  %s\n' "$*"; LAB_FAILS=$((LAB_FAILS + 1)); }

declare -A LAB_LINKS=() LAB_INET=() LAB_FEAT=()

# One `ip link` and one `ip addr` per namespace, then look interfaces up in that.
lab_cache_ns() {
	local ns
	for ns in $LAB_NSES; do
		LAB_LINKS[$ns]=$(ip -n "$ns" -o link show 2>/dev/null) || true
		LAB_INET[$ns]=$(ip -n "$ns" -o -4 addr show 2>/dev/null) || true
		LAB_FEAT[$ns]=$(ip netns exec "$ns" sh -c 'printf "==fwd\n%s\n" \
			"$(sysctl -n net.ipv4.ip_forward)"; for d; do
			printf "==%s\n" "$d"; ethtool -k "$d"; done' _ $(lab_ns_veths "$ns") 2>/dev/null) \
			|| true
	done
}

lab_check_if() {
	local ns=$1 ifn=$2 mac=$3 addr=$4 line link="" got_mac="" state="" got_addr="" feat f
	while IFS= read -r line; do
		[[ "$line" == *": $ifn@"* || "$line" == *": $ifn: "* ]] && link=$line
	done <<<"${LAB_LINKS[$ns]:-}"
	if [ -z "$link" ]; then
		lab_bad "$ns/$ifn missing"
		return
	fi
	[[ "$link" =~ link/ether\ ([0-9a-f:]+) ]] && got_mac=${BASH_REMATCH[1]}
	[[ "$link" =~ \ state\ ([A-Z]+) ]] && state=${BASH_REMATCH[1]}
	while IFS= read -r line; do
		[[ "$line" =~ ^[0-9]+:\ $ifn\ +inet\ ([0-9./]+) ]] \
			&& got_addr+="${got_addr:+ }${BASH_REMATCH[1]}"
	done <<<"${LAB_INET[$ns]:-}"
	[ "$got_mac" = "$mac" ] || lab_bad "$ns/$ifn MAC $got_mac, expected $mac"
	[ "$state" = UP ] || lab_bad "$ns/$ifn state $state"
	[ "$got_addr" = "$addr" ] || lab_bad "$ns/$ifn IPv4 '$got_addr', expected '$addr'"
	feat=${LAB_FEAT[$ns]:-}
	feat=${feat#*"==$ifn"$'\n'}
	feat=$'\n'${feat%%==*}
	for f in tx-checksumming rx-checksumming generic-segmentation-offload \
		tcp-segmentation-offload generic-receive-offload; do
		[[ "$feat" == *$'\n'"$f: off"* ]] || lab_bad "$ns/$ifn $f is not off"
	done
	lab_ok "$(printf '%-8s %-13s %s %-15s %s' "$ns" "$ifn" "$mac" "${addr:--}" "$state")"
}

lab_route_mode() {
	local r
	r=$(ip -n "$LAB_NS_TS" route show "$LAB_FAKE_NET" 2>/dev/null) || true
	case "$r" in
	*"via $LAB_AUX_IP "*) echo three-host ;;
	*"via $LAB_CP_TX_IP "*) echo two-host ;;
	"") echo none ;;
	*) echo other ;;
	esac
}

lab_status_check() {
	local ns ifn mac addr present dir v n i a
	LAB_FAILS=0
	present=$(lab_present_nses)
	if [ -z "$present" ]; then
		echo "lab '$LAB_P' is down (no namespaces)"
		return 1
	fi
	cat <<EOF
lab '$LAB_P':
  client  $LAB_NS_CLI  $LAB_CLI_IF $LAB_CLI_IP/24 <--veth--> $LAB_ONL_IF $LAB_ONL_IP/24  $LAB_NS_ONL  online
          tc mirred (ingress+egress of $LAB_ONL_IF) -> $LAB_ONL_MIRROR_IF ==> $LAB_CP_RX_IF  $LAB_NS_CP  copier RX port
  test LAN: bridge $LAB_BR_IF in $LAB_NS_SW
          $LAB_NS_CP  $LAB_CP_TX_IF   copier TX port, no kernel IP (dpdk-tcpcopy --tx-ip $LAB_CP_TX_IP)
          $LAB_NS_CP  $LAB_CP_CTL_IF  $LAB_CP_CTL_IP/24 control channel
          $LAB_NS_TS  $LAB_TS_IF    $LAB_TS_IP/24 test server
          $LAB_NS_AUX $LAB_AUX_CAP_IF  aux capture port, no kernel IP (dpdk-intercept --ip $LAB_AUX_IP)
          $LAB_NS_AUX $LAB_AUX_CTL_IF  $LAB_AUX_CTL_IP/24 control channel (intercept listens :$LAB_CTL_PORT)
  fake clients $LAB_FAKE_NET; test server route mode: $(lab_route_mode)
checks:
EOF
	for ns in $LAB_NSES; do
		lab_ns_exists "$ns" || lab_bad "namespace $ns missing"
	done
	[ "$(lab_present_nses)" = "$LAB_NSES" ] || { echo "lab is incomplete"; return 1; }

	lab_cache_ns
	while read -r ns ifn mac; do
		addr=""
		while read -r n i a; do
			[ "$n/$i" = "$ns/$ifn" ] && addr=$a
		done <<<"$LAB_ADDRS"
		lab_check_if "$ns" "$ifn" "$mac" "$addr"
	done <<<"$LAB_VETHS"

	while read -r ifn mac; do
		[[ "${LAB_LINKS[$LAB_NS_SW]}" =~ :\ $ifn@[^$'\n']*\ master\ $LAB_BR_IF\  ]] \
			|| lab_bad "$ifn is not a port of $LAB_BR_IF"
		bridge -n "$LAB_NS_SW" fdb show dev "$ifn" 2>/dev/null | grep "^$mac .*static" >/dev/null \
			|| lab_bad "no static FDB entry $mac on $ifn"
	done <<<"$LAB_SW_PORTS"
	[[ "${LAB_LINKS[$LAB_NS_SW]}" =~ :\ $LAB_BR_IF:\ [^$'\n']*\ state\ UP ]] \
		|| lab_bad "bridge $LAB_BR_IF is not up"
	[ "$LAB_FAILS" -eq 0 ] && lab_ok "bridge $LAB_BR_IF: 5 ports, static FDB"

	for dir in ingress egress; do
		tc -n "$LAB_NS_ONL" filter show dev "$LAB_ONL_IF" "$dir" 2>/dev/null \
			| grep "Mirror to device $LAB_ONL_MIRROR_IF" >/dev/null \
			&& lab_ok "mirror $dir of $LAB_ONL_IF -> $LAB_ONL_MIRROR_IF" \
			|| lab_bad "no $dir mirred filter on $LAB_NS_ONL/$LAB_ONL_IF"
	done

	case "$(lab_route_mode)" in
	three-host | two-host) lab_ok "route $LAB_FAKE_NET on $LAB_NS_TS: $(lab_route_mode)" ;;
	*) lab_bad "route $LAB_FAKE_NET on $LAB_NS_TS: $(ip -n "$LAB_NS_TS" route show "$LAB_FAKE_NET")" ;;
	esac

	for ns in $LAB_NSES; do
		v=${LAB_FEAT[$ns]#*==fwd$'\n'}
		v=${v%%$'\n'*}
		[ "$v" = 0 ] || lab_bad "$ns: net.ipv4.ip_forward=$v"
	done
	v=${LAB_FEAT[$LAB_NS_AUX]#*==fwd$'\n'}
	[ "${v%%$'\n'*}" = 0 ] && lab_ok "$LAB_NS_AUX: net.ipv4.ip_forward=0 (never forwards)"

	if [ "$LAB_FAILS" -eq 0 ]; then
		echo "lab '$LAB_P' is up and healthy"
		return 0
	fi
	echo "lab '$LAB_P': $LAB_FAILS check(s) failed"
	return 1
}

lab_status_env() {
	local up=0 v
	[ "$(lab_present_nses)" = "$LAB_NSES" ] && up=1
	for v in LAB_P LAB_NS_CLI LAB_NS_ONL LAB_NS_CP LAB_NS_SW LAB_NS_TS LAB_NS_AUX \
		LAB_CLI_IF LAB_CLI_IP LAB_CLI_MAC LAB_ONL_IF LAB_ONL_IP LAB_ONL_MAC \
		LAB_ONL_MIRROR_IF LAB_ONL_MIRROR_MAC LAB_CP_RX_IF LAB_CP_RX_MAC \
		LAB_CP_TX_IF LAB_CP_TX_IP LAB_CP_TX_MAC LAB_CP_CTL_IF LAB_CP_CTL_IP LAB_CP_CTL_MAC \
		LAB_TS_IF LAB_TS_IP LAB_TS_MAC LAB_AUX_CAP_IF LAB_AUX_IP LAB_AUX_CAP_MAC \
		LAB_AUX_CTL_IF LAB_AUX_CTL_IP LAB_AUX_CTL_MAC LAB_BR_IF LAB_BR_MAC \
		LAB_ONLINE_NET LAB_TEST_NET LAB_FAKE_NET LAB_FAKE_IP LAB_CTL_PORT LAB_LOCK_FILE; do
		printf '%s=%q\n' "$v" "${!v}"
	done
	lab_impair_env
	printf 'LAB_UP=%s\n' "$up"
	printf 'LAB_MODE=%s\n' "$( [ $up = 1 ] && lab_route_mode || echo none)"
	[ $up = 1 ]
}

lab_usage() {
	cat <<EOF
usage: dpdk-setup.sh lab up [--two-host|--three-host] [--impair]
       dpdk-setup.sh lab down
       dpdk-setup.sh lab status [--env]
       dpdk-setup.sh lab route two-host|three-host
       dpdk-setup.sh lab ctl-loss PCT
  --impair puts the test server behind namespace P-imp, where dtc-impair must forward
  between P-imp0 (port 0, the LAN) and P-s-ts (port 1, the test server): see
  docs/operations.md, "Faults".  ctl-loss drops PCT % (0: none) of the copier's control
  channel frames, both ways, on the LAN bridge (nftables).
  (DTC_LAB_PREFIX=dtc[A-Za-z0-9]{0,3} selects another lab instance; default dtc)
EOF
}

lab_main() {
	local sub=${1:-} mode=three-host present i
	[ $# -gt 0 ] && shift
	case "$sub" in
	up)
		local impair=0
		for i; do
			case "$i" in
			--two-host) mode=two-host ;;
			--three-host) mode=three-host ;;
			--impair) impair=1 ;;
			*) lab_usage >&2; exit 2 ;;
			esac
		done
		lab_check_env
		lab_lock
		# Always from scratch: a lab left by a crashed run may look healthy and still hold
		# its servers, neighbour entries or routes.
		present=$(lab_present_nses)
		if [ -n "$present" ]; then
			lab_say "up: removing the existing lab first (lab up always starts clean): $present"
			lab_down_nolock || lab_die "could not remove the leftovers"
		fi
		if ! lab_up_nolock "$mode" || { [ $impair = 1 ] && ! lab_impair_insert; }; then
			lab_err "lab up failed: removing what was created"
			lab_down_nolock >/dev/null 2>&1 || true
			exit 1
		fi
		# Links reach operstate UP asynchronously: give them a moment.
		for i in 1 2 3 4 5 6 7 8 9 10; do
			lab_status_check >/dev/null && break
			if [ -n "${DTC_LAB_DEBUG:-}" ]; then lab_status_check | grep -v '  ok' || true; fi
			[ $i = 10 ] && { lab_status_check; lab_die "the new lab fails its checks"; }
			sleep 0.3
		done
		lab_say "up: lab '$LAB_P' is up ($mode); see 'lab status'"
		;;
	down)
		lab_check_env
		lab_lock
		lab_down_nolock || exit 1
		;;
	status)
		lab_check_env
		if [ "${1:-}" = --env ]; then
			lab_status_env
		else
			lab_status_check
		fi
		;;
	route)
		lab_check_env
		lab_lock
		[ "$(lab_present_nses)" = "$LAB_NSES" ] || lab_die "lab '$LAB_P' is not up"
		lab_route_apply "${1:-}" || exit 1
		;;
	ctl-loss)
		lab_check_env
		lab_lock
		[ "$(lab_present_nses)" = "$LAB_NSES" ] || lab_die "lab '$LAB_P' is not up"
		lab_ctl_loss "${1:-}" || exit 1
		;;
	-h | --help | help) lab_usage ;;
	*) lab_usage >&2; exit 2 ;;
	esac
}

# --- the impaired variant (lab up --impair) and control-channel loss --------------------------
#
# `lab up --impair` builds the default lab, then moves the test server's bridge-side veth end
# (P-s-ts) out of the bridge into a namespace of its own, P-imp, and joins P-imp to the bridge
# by a new veth pair (P-imp0 <-> P-s-imp, the bridge port now behind which the test server's
# MAC sits).  Whatever reaches or leaves the test server (the copier's packets, the test
# server's answers to the intercept, ARP) then crosses P-imp, where dtc-impair forwards
# between P-imp0 (port 0) and P-s-ts (port 1):
#
#   test server P-ts0 <--> P-s-ts [P-imp: dtc-impair port 1 ... port 0] P-imp0 <--> P-s-imp (bridge)
#
# Until dtc-impair runs, the test server is cut off.  The control channels do not cross
# P-imp; `lab ctl-loss PCT` makes theirs lossy instead.

lab_impair_names() {
	LAB_NS_IMP=$LAB_P-imp
	LAB_IMP_LAN_IF=$LAB_P-imp0 LAB_IMP_LAN_MAC=02:dc:00:00:01:a0
	LAB_SW_IMP_IF=$LAB_P-s-imp LAB_SW_IMP_MAC=02:dc:00:00:ff:a0
	LAB_IMP_TS_IF=$LAB_SW_TS_IF
	LAB_IMPAIR=0
	lab_ns_exists "$LAB_NS_IMP" || return 0
	LAB_IMPAIR=1
	LAB_NSES="$LAB_NSES $LAB_NS_IMP"
	LAB_VETHS=${LAB_VETHS/"$LAB_NS_SW $LAB_SW_TS_IF "/"$LAB_NS_IMP $LAB_SW_TS_IF "}
	LAB_VETHS+="
$LAB_NS_IMP $LAB_IMP_LAN_IF $LAB_IMP_LAN_MAC
$LAB_NS_SW $LAB_SW_IMP_IF $LAB_SW_IMP_MAC"
	LAB_SW_PORTS=${LAB_SW_PORTS/"$LAB_SW_TS_IF $LAB_TS_MAC"/"$LAB_SW_IMP_IF $LAB_TS_MAC"}
}

lab_impair_insert() {
	lab_say "up: --impair: the test server behind $LAB_NS_IMP ($LAB_IMP_LAN_IF <-> $LAB_SW_IMP_IF on $LAB_BR_IF, $LAB_IMP_TS_IF to $LAB_TS_IF)"
	lab_ns_create "$LAB_NS_IMP" || return 1
	lab_ip_batch "$LAB_NS_SW" "link set $LAB_SW_TS_IF nomaster
link set $LAB_SW_TS_IF netns $LAB_NS_IMP
$(lab_veth_cmd "$LAB_SW_IMP_IF" "$LAB_SW_IMP_MAC" "$LAB_NS_IMP" "$LAB_IMP_LAN_IF" \
		"$LAB_IMP_LAN_MAC")
link set $LAB_SW_IMP_IF master $LAB_BR_IF" || return 1
	lab_host_setup "$LAB_NS_IMP" "$LAB_IMP_LAN_IF" "$LAB_SW_TS_IF" || return 1
	lab_host_setup "$LAB_NS_SW" "$LAB_SW_IMP_IF" || return 1
	lab_ip_batch "$LAB_NS_IMP" "link set lo up
link set $LAB_IMP_LAN_IF arp off promisc on
link set $LAB_SW_TS_IF arp off promisc on
link set $LAB_IMP_LAN_IF up
link set $LAB_SW_TS_IF up" || return 1
	lab_ip_batch "$LAB_NS_SW" "link set $LAB_SW_IMP_IF up" || return 1
	lab_run bridge -n "$LAB_NS_SW" fdb replace "$LAB_TS_MAC" dev "$LAB_SW_IMP_IF" master static \
		|| return 1
	lab_names
}

lab_impair_env() {
	local v
	for v in LAB_IMPAIR LAB_NS_IMP LAB_IMP_LAN_IF LAB_IMP_TS_IF; do
		printf '%s=%q\n' "$v" "${!v}"
	done
}

# lab_ctl_loss PCT: drop PCT % (an integer, 0-100) of the frames to and from the copier's
# control port on the bridge, at random (nftables bridge family, table "<prefix>_ctl_loss" in
# P-sw); 0 removes the rule.
lab_ctl_loss() {
	local pct=$1 t=${LAB_P}_ctl_loss
	[[ "$pct" =~ ^[0-9]+$ ]] && [ "$pct" -le 100 ] \
		|| { lab_err "ctl-loss '$pct': expected a percentage 0-100"; return 1; }
	command -v nft >/dev/null || { lab_err "'nft' is missing (nftables): run deps"; return 1; }
	ip netns exec "$LAB_NS_SW" nft delete table bridge "$t" 2>/dev/null
	if [ "$pct" = 0 ]; then
		lab_say "ctl-loss: none on $LAB_SW_CP_CTL_IF"
		return 0
	fi
	lab_nsrun "$LAB_NS_SW" nft -f - <<EOF2 || return 1
table bridge $t {
	chain loss {
		type filter hook forward priority 0; policy accept;
		iifname "$LAB_SW_CP_CTL_IF" numgen random mod 100 < $pct counter drop
		oifname "$LAB_SW_CP_CTL_IF" numgen random mod 100 < $pct counter drop
	}
}
EOF2
	lab_say "ctl-loss: $pct % of the frames to and from $LAB_SW_CP_CTL_IF dropped on $LAB_BR_IF"
}
