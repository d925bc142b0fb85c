# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# The built-in demo: live HTTP traffic copied from an online nginx to a test nginx in the
# namespace lab, end to end, with the real apps.  Sourced by tools/dpdk-setup.sh (after deps
# and build), which calls `demo_main "$@"`:
#
#   1. lab up (tools/lab.sh, the default lab "dtc": the classic three hosts on veths)
#   2. nginx on the online server and on the test server, each logging its requests
#   3. dpdk-intercept on the auxiliary host, dpdk-tcpcopy on the copier host, both with
#      --config config/lab/*.conf (af_packet vdevs, no hugepages, idle back-off)
#   4. wrk against the online server for DEMO_SECS seconds (default 20): paced keep-alive
#      clients and short one-request connections (DEMO_UNPACED=1: one more at full speed); a
#      progress line every second (with the copy lag)
#   5. what the test server logged within 2 s of the load's end, then a summary table; the
#      lab is taken down in every case (end, failure, Ctrl-C)
#
# Exit status 0 when at least 99.99 % of the online requests reached the test server.
# DEMO_SECS=N changes the load duration; DEMO_KEEP=1 keeps the run directory (logs).

DEMO_TOL=99.99

# Drop reasons that are not losses: traffic the copier ignores by design (the server->client
# direction of the mirror, the client's pure ACKs, retransmissions of bytes already queued,
# segments after a session ended...).  Every other drop reason is something that should
# have been copied and was not.
DEMO_BENIGN=" not_tcp filtered not_client pure_ack sampled_out duplicate closed no_session "

demo_main() {
	(
		set +e +u +o pipefail
		_demo_run "$@"
	)
}

_demo_usage() {
	cat <<EOF
usage: dpdk-setup.sh demo
  Copies live HTTP traffic from an online nginx to a test nginx in a namespace lab with
  dpdk-tcpcopy and dpdk-intercept, shows the progress, and prints a summary.
  DEMO_SECS=N (default 20) load duration; DEMO_KEEP=1 keep the logs; DEMO_UNPACED=1 adds a
  keep-alive client at full speed.
EOF
}

# One telemetry round trip: the copier's stats and drops as "stats.KEY N" and
# "drops.WHERE/REASON N" lines in $E2E_DIR/tel.txt.  Drop classes: "lost" (copier/, front/
# and engine/ reasons that are not benign), "ignored" (benign ones); not_sent/ and parse/ are
# details (frames retried later; the parse_error drop by cause).
_demo_tel() {
	e2e_tel_flat cp /dtc/copy/stats /dtc/copy/drops /dtc/copy/lag >"$E2E_DIR/tel.txt" 2>/dev/null
}

# _demo_tel_get KEY [CMD=stats]: a value of the last telemetry round trip.
_demo_tel_get() {
	awk -v k="${2:-stats}.$1" '$1 == k { v = $2 } END { print (v == "" ? "?" : v) }' "$E2E_DIR/tel.txt"
}

# Copy lag in ms (telemetry gives us), one decimal.
_demo_lag_ms() {
	awk -v v="$(_demo_tel_get "$1" lag)" 'BEGIN { if (v ~ /^[0-9]+$/) printf "%.1f", v / 1000; else print "?" }'
}

_demo_lost() {
	awk -v benign="$DEMO_BENIGN" '
		$1 ~ /^drops\.(copier|front|engine)[\/.]/ {
			r = $1; sub(/^.*[\/.]/, "", r)
			if (index(benign, " " r " ") == 0) n += $2 }
		END { print n + 0 }' "$E2E_DIR/tel.txt"
}

_demo_progress() {
	local label=$1 onl ts pct
	# The test server's count first: it never runs ahead of the online one read after it.
	ts=$(e2e_log_count "$DEMO_TS_LOG")
	onl=$(e2e_log_count "$DEMO_ONL_LOG")
	pct=$(awk -v a="$ts" -v b="$onl" 'BEGIN { if (b > 0) printf "%5.1f", 100 * a / b; else print "    -" }')
	_demo_tel
	printf '  %-6s online %7d   copied %7d (%s %%)   sessions active %4s copied %5s   lag p99 %5s ms   retransmits %4s   lost %s\n' \
		"$label" "$onl" "$ts" "$pct" "$(_demo_tel_get sessions_active)" \
		"$(_demo_tel_get sessions_created)" "$(_demo_lag_ms p99_us)" \
		"$(_demo_tel_get retransmits)" "$(_demo_lost)"
}

# _demo_app NAME NS BIN CONF: one of our apps from its lab config, with a run-unique file
# prefix (the command line's EAL arguments come after the file's, so this one wins).
_demo_app() {
	local name=$1 ns=$2 bin=$3 conf=$4 prefix=dtc-demo-$1-$$
	[ -x "$bin" ] || { e2e_fail "$bin is not built"; return 1; }
	e2e_spawn "$name" "$ns" INT "$bin" --file-prefix "$prefix" -- --config "$conf" || return 1
	E2E_RUNDIR[$name]=/var/run/dpdk/$prefix
}

_demo_run() {
	case "${1:-}" in
	-h | --help | help) _demo_usage; return 0 ;;
	"") ;;
	*) _demo_usage >&2; return 2 ;;
	esac
	if [ "$(id -u)" -ne 0 ]; then
		echo "demo: needs root (network namespaces): run it with sudo or as root" >&2
		return 1
	fi
	# The lab configs name the default lab's interfaces (dtc-*).
	unset DTC_LAB_PREFIX
	export DTC_SRC=$TOP DTC_BUILD=$BUILD
	[ "${DEMO_KEEP:-0}" = 1 ] && export E2E_KEEP=1
	# shellcheck source=../tests/e2e/lib.sh
	. "$TOP/tests/e2e/lib.sh"
	local secs=${DEMO_SECS:-20} t0=$SECONDS i online ts pct rc status
	[[ "$secs" =~ ^[0-9]+$ ]] && [ "$secs" -ge 1 ] && [ "$secs" -le 600 ] \
		|| { echo "demo: DEMO_SECS must be 1..600" >&2; return 2; }

	e2e_init demo
	e2e_require nginx wrk
	cat <<EOF

dpdk-tcpcopy demo: live HTTP traffic of an online nginx copied to a test nginx.

  client 198.18.0.10 --> online nginx 198.18.0.40:80 --(mirror)--> dpdk-tcpcopy (copier host)
  dpdk-tcpcopy --(as 198.18.2.100)--> test nginx 198.18.1.56:80
  test nginx --(route 198.18.2.0/24 via 198.18.1.63)--> dpdk-intercept (auxiliary host)
  dpdk-intercept --(response headers, TCP 36524)--> dpdk-tcpcopy

EOF
	e2e_log "bringing the namespace lab up"
	e2e_lab_up || return 1
	e2e_nginx_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 80 || return 1
	e2e_nginx_start ts "$LAB_NS_TS" test "$LAB_TS_IP" 80 || return 1
	DEMO_ONL_LOG=$(e2e_access_log onl)
	DEMO_TS_LOG=$(e2e_access_log ts)

	_demo_app icpt "$LAB_NS_AUX" "$BUILD/app/intercept/dpdk-intercept" \
		"$TOP/config/lab/dpdk-intercept.conf" || return 1
	e2e_wait_port "$LAB_NS_AUX" "$LAB_AUX_CTL_IP" "$LAB_CTL_PORT" 30 \
		|| { e2e_fail "dpdk-intercept did not start (see below)"; return 1; }
	_demo_app cp "$LAB_NS_CP" "$BUILD/app/copy/dpdk-tcpcopy" \
		"$TOP/config/lab/dpdk-tcpcopy.conf" || return 1
	e2e_wait_until 30 "dpdk-tcpcopy to connect to dpdk-intercept" _e2e_copy_ready cp 1 \
		|| { e2e_fail "dpdk-tcpcopy did not start (see below)"; return 1; }
	e2e_log "dpdk-intercept and dpdk-tcpcopy are running (config/lab/*.conf)"

	# The load, for $secs seconds: 12 keep-alive clients with a request every 25 ms each, 4
	# clients opening a new connection for each request (every 50 ms), and with
	# DEMO_UNPACED=1 one keep-alive client at full speed (its next request the moment the
	# answer arrives, as a connection pool does: on a 2-core machine it takes a core by
	# itself, see docs/performance.md).
	e2e_wrk_pace "$E2E_DIR/pace25.lua" 25
	e2e_wrk_pace "$E2E_DIR/pace50.lua" 50
	e2e_spawn wrk-ka "$LAB_NS_CLI" INT wrk -t1 -c12 -d "${secs}s" -s "$E2E_DIR/pace25.lua" \
		"http://$LAB_ONL_IP/1k.bin" || return 1
	e2e_spawn wrk-short "$LAB_NS_CLI" INT wrk -t1 -c4 -d "${secs}s" -H "Connection: close" \
		-s "$E2E_DIR/pace50.lua" "http://$LAB_ONL_IP/index.html" || return 1
	if [ "${DEMO_UNPACED:-0}" = 1 ]; then
		e2e_spawn wrk-full "$LAB_NS_CLI" INT wrk -t1 -c1 -d "${secs}s" \
			"http://$LAB_ONL_IP/index.html?unpaced" || return 1
		e2e_log "load: wrk against the online server for ${secs}s (1 keep-alive client at full speed, 12 paced ones, 4 with one request per connection)"
	else
		e2e_log "load: wrk against the online server for ${secs}s (12 keep-alive clients, 4 with one request per connection; DEMO_UNPACED=1 adds one at full speed)"
	fi
	# A progress line a second (on a deadline: the lines themselves take time).
	local start=${EPOCHREALTIME/./} due
	for ((i = 1; i <= secs + 10; i++)); do
		due=$((start + i * 1000000 - ${EPOCHREALTIME/./}))
		[ "$due" -gt 0 ] && sleep "$(printf '%d.%06d' $((due / 1000000)) $((due % 1000000)))"
		_demo_progress "${i}s"
		e2e_running wrk-ka || e2e_running wrk-short || e2e_running wrk-full || break
	done
	e2e_stop wrk-ka 2
	e2e_stop wrk-short 2
	e2e_stop wrk-full 2
	e2e_running cp || { e2e_fail "dpdk-tcpcopy exited during the run (see below)"; return 1; }
	e2e_running icpt || { e2e_fail "dpdk-intercept exited during the run (see below)"; return 1; }

	online=$(e2e_log_count "$DEMO_ONL_LOG")
	e2e_log "load done: the online server logged $online requests; judging what the test server logs within 2 s"
	e2e_catch_up 2 "$online" cp e2e_log_count "$DEMO_TS_LOG"
	_demo_progress "final"

	e2e_compare_access_logs "$DEMO_ONL_LOG" "$DEMO_TS_LOG" >"$E2E_DIR/compare.log"
	_demo_tel
	cp "$E2E_DIR/tel.txt" "$E2E_DIR/tel-final.txt"
	e2e_dpdk_stop cp
	e2e_dpdk_stop icpt

	local reason n what
	printf '\n%s\n' "Summary"
	printf '  %-44s %10s\n' "requests the online server logged" "$E2E_ONLINE" \
		"requests the test server logged" "$E2E_TEST" \
		"online requests found on the test server" "$E2E_MATCHED" \
		"copied (tolerance $DEMO_TOL %)" "$E2E_PCT %" \
		"sessions copied" "$(_demo_tel_get sessions_created)" \
		"sessions still open at the end" "$(_demo_tel_get sessions_active)" \
		"test server responses fed back" "$(_demo_tel_get responses)" \
		"copy lag p50 / p99 / max (capture to release)" \
		"$(_demo_lag_ms p50_us) / $(_demo_lag_ms p99_us) / $(_demo_lag_ms max_us) ms" \
		"requests released on the test answer" "$(_demo_tel_get req_answer lag)" \
		"  after a silence / ahead (catch-up)" \
		"$(_demo_tel_get req_silence lag) / $(_demo_tel_get req_catchup lag)" \
		"retransmits to the test server" "$(_demo_tel_get retransmits)" \
		"segments lost (drops below marked LOST)" "$(_demo_lost)"
	printf '  %s\n' "drops by reason (dpdk-tcpcopy telemetry /dtc/copy/drops):"
	while read -r reason n; do
		[ "$n" != 0 ] || continue
		reason=${reason#drops.}
		case "$reason" in
		not_sent[/.]*) what="not sent at once, retried" ;;
		parse[/.]*) what="detail of parse_error" ;;
		*) if [[ "$DEMO_BENIGN" == *" ${reason##*[/.]} "* ]]; then
			what="ignored by design"
		else
			what=LOST
		fi ;;
		esac
		printf '    %-42s %10s  %s\n' "$reason" "$n" "$what"
	done < <(grep '^drops\.' "$E2E_DIR/tel-final.txt")
	grep '^  missing' "$E2E_DIR/compare.log" | head -n 5
	status=0
	if awk -v p="$E2E_PCT" -v t="$DEMO_TOL" -v n="$E2E_EXPECTED" \
		'BEGIN { exit !(n > 0 && p + 0 >= t + 0) }'; then
		printf '\n  OK: %s %% of the online requests reached the test server (>= %s %%), in %d s.\n\n' \
			"$E2E_PCT" "$DEMO_TOL" $((SECONDS - t0))
	else
		printf '\n  FAILED: only %s %% of the online requests reached the test server (< %s %%).\n' \
			"$E2E_PCT" "$DEMO_TOL"
		printf '  Logs: run DEMO_KEEP=1 tools/dpdk-setup.sh demo and read %s\n\n' "$E2E_DIR"
		status=1
	fi
	e2e_log "taking the lab down"
	e2e_lab_down
	[ "${DEMO_KEEP:-0}" = 1 ] && e2e_log "logs kept in $E2E_DIR"
	return $status
}
