# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Shared pieces of the fault tests (tests/e2e/test_fault_*.sh), on top of lib.sh: dtc-impair
# in the impaired lab (lab up --impair), the copier's counters by name, redis loads and the
# MEASURED lines.  Source lib.sh first.

FAULT_IMPAIR=$E2E_BUILD/tools/impair/dtc-impair

# fault_impair_start NAME [DTC_IMPAIR_ARGS...]: dtc-impair between the LAN (port 0) and the
# test server (port 1) in the lab's P-imp namespace; returns once it forwards.
fault_impair_start() {
	local name=$1
	shift
	[ "${LAB_IMPAIR:-0}" = 1 ] || { e2e_fail "the lab was not built with --impair"; return 1; }
	E2E_DPDK_MEM=256 e2e_dpdk_start "$name" "$LAB_NS_IMP" "$FAULT_IMPAIR" \
		"$LAB_IMP_LAN_IF,$LAB_IMP_TS_IF" -- --stats-interval 5 "$@" || return 1
	e2e_wait_log "$(e2e_logfile "$name")" "^dtc-impair: forwarding" 30 \
		|| { e2e_fail "dtc-impair $name did not start"; return 1; }
}

# fault_impair_report NAME: after it stopped, its exit counters (one line per direction) in
# the log, and FAULT_IMP_<counter> = the sum of both directions (LOST, DUP, REORDERED, RX...).
fault_impair_report() {
	local line k
	for k in RX TX LOST DUP REORDERED OVERFLOW TX_FULL; do
		printf -v "FAULT_IMP_$k" 0
	done
	while read -r line; do
		e2e_log "impairment: ${line#dtc-impair: exit }"
		set -- ${line#dtc-impair: exit }
		shift
		while [ $# -ge 2 ]; do
			k=${1^^}
			case "$k" in RX | TX | LOST | DUP | REORDERED | OVERFLOW | TX_FULL)
				printf -v "FAULT_IMP_$k" %d $(("FAULT_IMP_$k" + $2)) ;;
			esac
			shift 2
		done
	done < <(grep '^dtc-impair: exit ' "$(e2e_logfile "$1")")
}

# fault_tel NAME KEY: one entry of the copier's telemetry, from e2e_tel_flat's "CMD.KEY VALUE"
# lines over stats, sessions, drops and intercepts (e.g. sessions.ended/timeout,
# drops.engine/no_route, intercepts.connects); 0 when absent.
fault_tel() {
	e2e_tel_flat "$1" /dtc/copy/stats /dtc/copy/sessions /dtc/copy/drops /dtc/copy/intercepts \
		2>/dev/null | awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'
}

# fault_tel_all NAME FILE: every telemetry entry into FILE (for the log and later lookups).
fault_tel_all() {
	e2e_tel_flat "$1" /dtc/copy/stats /dtc/copy/sessions /dtc/copy/drops /dtc/copy/intercepts \
		>"$2" 2>/dev/null
}

# fault_tel_nonzero NAME: the non-zero counters of interest for a fault (retransmits, ends,
# drops, intercept reconnects), on one log line.
fault_tel_nonzero() {
	e2e_tel_flat "$1" /dtc/copy/stats /dtc/copy/sessions /dtc/copy/drops /dtc/copy/intercepts \
		2>/dev/null | awk '
		$2 ~ /^[0-9]+$/ && $2 != 0 && ($1 ~ /retrans|ended\/|drops\.|connects|disconnects|timeout|rst|lost|routes_dropped|no_route|table_full|evict|dup|zero_win|rto/) {
			printf "%s%s=%s", (n++ ? " " : ""), $1, $2 }
		END { print "" }'
}

# fault_redis_pair: the online redis "onl", the test redis "ts", dpdk-intercept "icpt" for
# the test redis's answers.
fault_redis_pair() {
	e2e_redis_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 6379 || return 1
	e2e_redis_start ts "$LAB_NS_TS" test "$LAB_TS_IP" 6379 || return 1
	e2e_intercept_start icpt -F "tcp and src host $LAB_TS_IP and src port 6379" || return 1
}

# fault_copy_redis NAME [APP_ARGS...]: the copier for the redis pair.
fault_copy_redis() {
	local name=$1
	shift
	e2e_copy_start "$name" -- -x "6379-$LAB_TS_IP:6379" -c "$LAB_FAKE_IP" \
		-s "$LAB_AUX_CTL_IP" "$@"
}

# fault_bench FILE N CONNS [EXTRA...]: redis-benchmark SET with random keys at full speed from
# the client namespace against the online redis, output in FILE; 0 when it completed.
fault_bench() {
	local file=$1 n=$2 c=$3
	shift 3
	e2e_log "load: redis-benchmark -t set -r 1000000 -n $n -c $c $* (full speed)"
	e2e_ns "$LAB_NS_CLI" timeout 120 redis-benchmark -h "$LAB_ONL_IP" -p 6379 -t set \
		-r 1000000 -n "$n" -c "$c" -q "$@" >"$file" 2>&1
	grep -aq "requests per second" "$file" \
		|| { cat "$file"; e2e_fail "redis-benchmark did not complete"; return 1; }
	e2e_log "load done: $(tr '\r' '\n' <"$file" | grep -a 'requests per second' | tail -n 1)"
}

# fault_sets NAME: SET calls redis NAME executed.
fault_sets() { e2e_redis_calls "$1" set; }

# fault_ts_sets_minus BASE: the test redis's SET calls since BASE (for e2e_catch_up).
fault_ts_sets_since() { echo $(($(fault_sets ts) - $1)); }

# fault_within SECS EXPECTED CMD...: the count CMD prints once it reaches EXPECTED, or after
# SECS seconds (what the test server executed within SECS s of the load's end), in FAULT_GOT;
# the seconds it took in FAULT_TOOK.
fault_within() {
	local secs=$1 want=$2 t0=${EPOCHREALTIME/./}
	shift 2
	e2e_wait_until "$secs" "the test server to reach $want" _e2e_at_least "$want" "$@"
	FAULT_GOT=$("$@" 2>/dev/null)
	[[ "$FAULT_GOT" =~ ^[0-9]+$ ]] || FAULT_GOT=0
	FAULT_TOOK=$(awk -v a="$t0" -v b="${EPOCHREALTIME/./}" 'BEGIN { printf "%.2f", (b - a) / 1e6 }')
}

# fault_mbufs_in_use NAME: mbufs out of the copier's pool (held by sessions, rings, descriptors).
fault_mbufs_in_use() { e2e_copy_stat "$1" mbufs_in_use; }

# fault_redis_load NAME CONNS [EXTRA...]: redis-benchmark SETs at full speed, in the background
# until e2e_stop NAME (its -n is far more than it can do in a test).  EXTRA: -k 0 makes every
# request a new connection (new sessions all the time).  With -k 0, keep a test's load under
# one pass of the client's port range (about 64 000 connections, some 10 s at this machine's
# rate): past it the client reuses ports still in TIME_WAIT, and the copy of such reused
# 4-tuples loses about 0.02 % of the sessions even without a fault (docs/operations.md,
# "Faults"), which would blur what the fault costs.
fault_redis_load() {
	local name=$1 c=$2
	shift 2
	# A new connection per request uses up the ephemeral ports in a few seconds otherwise
	# (TIME_WAIT): the whole range, and reuse of TIME_WAIT ports (timestamps on).
	ip netns exec "$LAB_NS_CLI" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" \
		net.ipv4.tcp_tw_reuse=1 || return 1
	e2e_spawn "$name" "$LAB_NS_CLI" TERM redis-benchmark -h "$LAB_ONL_IP" -p 6379 -t set \
		-r 1000000 -n 100000000 -c "$c" -q "$@"
}

# fault_now: seconds since the epoch, with microseconds.
fault_now() { echo "${EPOCHREALTIME}"; }
fault_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }

# fault_sessions_idle NAME: no active session, no queued segment.
fault_sessions_idle() {
	[ "$(fault_tel "$1" stats.sessions_active)" = 0 ] \
		&& [ "$(fault_tel "$1" sessions.queued_segs)" = 0 ]
}
