# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Shell library for the end-to-end tests and the demo: the namespace lab (tools/lab.sh), real
# servers (nginx, redis) and the DPDK apps in its namespaces, captures, bounded waits, and the
# comparison of what the online and the test server recorded.  Source it, then:
#
#   e2e_init NAME            temp dir, traps (cleanup on exit, error, Ctrl-C, meson timeout)
#   e2e_lab_up [--two-host]  lock + lab up + eval of `lab status --env` (LAB_* variables)
#   ... e2e_nginx_start / e2e_dpdk_start / e2e_capture_start / e2e_check ...
#   e2e_finish               summary; exit 0 when every check passed
#
# Every process is started under a NAME (unique per test), runs in the background with its
# output in $E2E_DIR/NAME.log, and is stopped by PID (never by process name).  Cleanup stops
# them all, takes the lab down and removes $E2E_DIR (E2E_KEEP=1 keeps it), however the test
# ends.  All waits have timeouts.  Functions return 0/1 and print why they failed; they never
# exit, except e2e_init (skip, 77) and e2e_finish.

E2E_SRC=${DTC_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
E2E_BUILD=${DTC_BUILD:-$E2E_SRC/build}
E2E_SETUP=$E2E_SRC/tools/dpdk-setup.sh
E2E_CONF=$E2E_SRC/config/lab

E2E_NAME=
E2E_DIR=
E2E_T0=$SECONDS
E2E_FAILS=0
E2E_CHECKS=0
E2E_LAB_OWNED=0
E2E_LOCK_FD=
E2E_CLEANED=0
E2E_ORDER=()
declare -A E2E_PID=() E2E_SIG=() E2E_LOG=() E2E_NS=() E2E_RC=() E2E_RUNDIR=() E2E_PREOPEN_GATE=()
declare -A E2E_ADDR=() E2E_PORT=() E2E_ADOPTED=()
E2E_ONL_LOG=
E2E_TS_LOG=

# --- messages and checks -------------------------------------------------------------------

e2e_log() {
	printf '[%4ds] %s\n' $((SECONDS - E2E_T0)) "$*"
}

e2e_fail() {
	E2E_FAILS=$((E2E_FAILS + 1))
	printf '[%4ds] FAIL: %s\n' $((SECONDS - E2E_T0)) "$*"
	return 1
}

# e2e_check DESC CMD...: run CMD, record ok/FAIL under DESC.
e2e_check() {
	local desc=$1
	shift
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if "$@"; then
		e2e_log "ok: $desc"
		return 0
	fi
	e2e_fail "$desc"
}

# require_ratio MEASURED EXPECTED TOLERANCE_PCT: print the figure; fail below the tolerance
# (and when nothing at all was expected: an empty run proves nothing).
require_ratio() {
	local measured=$1 expected=$2 tol=$3 pct
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if ! [[ "$measured" =~ ^[0-9]+$ && "$expected" =~ ^[0-9]+$ ]]; then
		e2e_fail "require_ratio: '$measured' / '$expected' are not counts"
		return 1
	fi
	if [ "$expected" -eq 0 ]; then
		e2e_fail "ratio: expected count is 0 (nothing was measured)"
		return 1
	fi
	pct=$(awk -v m="$measured" -v e="$expected" 'BEGIN { printf "%.3f", 100 * m / e }')
	if awk -v p="$pct" -v t="$tol" 'BEGIN { exit !(p + 0 >= t + 0) }'; then
		e2e_log "ok: ratio $measured/$expected = $pct% (tolerance >= $tol%)"
		return 0
	fi
	e2e_fail "ratio $measured/$expected = $pct% is below the tolerance of $tol%"
}

e2e_finish() {
	if [ "$E2E_FAILS" -eq 0 ]; then
		e2e_log "PASS: $E2E_NAME ($E2E_CHECKS checks)"
		exit 0
	fi
	e2e_log "FAILED: $E2E_NAME ($E2E_FAILS of $E2E_CHECKS checks failed)"
	exit 1
}

# e2e_require CMD...: skip the test (exit 77) when a program is missing.
e2e_require() {
	local c
	for c in "$@"; do
		if ! command -v "$c" >/dev/null; then
			echo "SKIP: '$c' is not installed (tools/dpdk-setup.sh deps)"
			exit 77
		fi
	done
}

# --- setup and cleanup ---------------------------------------------------------------------

# e2e_init NAME: root check (skip otherwise), temp dir, traps.
e2e_init() {
	E2E_NAME=${1:?e2e_init NAME}
	E2E_T0=$SECONDS
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: $E2E_NAME needs root (network namespaces)"
		exit 77
	fi
	e2e_require ip tc ethtool bridge flock setsid timeout awk ss
	E2E_DIR=$(mktemp -d "/tmp/dtc-e2e-$E2E_NAME.XXXXXX") || { echo "mktemp failed"; exit 1; }
	# nginx workers run as nobody: they must be able to read www/ under it.
	umask 022
	chmod 755 "$E2E_DIR"
	trap '_e2e_on_exit' EXIT
	trap '_e2e_on_signal INT' INT
	trap '_e2e_on_signal TERM' TERM HUP
	e2e_log "$E2E_NAME: run directory $E2E_DIR"
}

_e2e_on_exit() {
	local rc=$?
	_e2e_cleanup "$rc"
	exit "$rc"
}

# Ctrl-C: clean up in the foreground.  TERM (meson's timeout: the whole process group gets
# TERM, then KILL 0.5 s later): hand the slow part to a detached process that inherits the
# lab lock, so that the lab still goes down and nobody else builds it before that.
_e2e_on_signal() {
	local sig=$1 name pid
	trap '' INT TERM HUP
	e2e_log "caught SIG$sig: cleaning up"
	if [ "$sig" = INT ]; then
		_e2e_cleanup 130
		trap - EXIT
		exit 130
	fi
	for name in "${E2E_ORDER[@]}"; do
		pid=${E2E_PID[$name]:-}
		[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
		[ -n "${E2E_RUNDIR[$name]:-}" ] && rm -rf "${E2E_RUNDIR[$name]}"
	done
	if [ "$E2E_CLEANED" = 0 ]; then
		E2E_CLEANED=1
		setsid -f env DTC_LAB_LOCKED=1 DTC_LAB_PREFIX="${DTC_LAB_PREFIX:-dtc}" \
			bash -c 'if [ "$3" = 1 ]; then "$1" lab down; fi >/dev/null 2>&1
				[ "${E2E_KEEP:-0}" = 1 ] || rm -rf "$2"' \
			_ "$E2E_SETUP" "$E2E_DIR" "$E2E_LAB_OWNED" </dev/null >/dev/null 2>&1
	fi
	trap - EXIT
	exit 143
}

_e2e_cleanup() {
	local rc=${1:-0} i name f
	[ "$E2E_CLEANED" = 1 ] && return 0
	E2E_CLEANED=1
	trap '' INT
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -n "$E2E_DIR" ]; then
		for name in "${E2E_ORDER[@]}"; do
			f=${E2E_LOG[$name]}
			[ -s "$f" ] || continue
			echo "---- last lines of $name ($f) ----"
			tail -n 15 "$f"
		done
	fi
	for ((i = ${#E2E_ORDER[@]} - 1; i >= 0; i--)); do
		name=${E2E_ORDER[$i]}
		[ -n "${E2E_PID[$name]:-}" ] && e2e_stop "$name" 3 >/dev/null
	done
	for name in "${E2E_ORDER[@]}"; do
		_e2e_rm_rundir "$name"
	done
	# Anything else the test left running in the background (its own children, by PID; $BASHPID,
	# not $$: the demo runs the library in a subshell, which pkill -P $$ would end too).
	pkill -TERM -P "$BASHPID" 2>/dev/null
	if [ "$E2E_LAB_OWNED" = 1 ]; then
		DTC_LAB_LOCKED=1 "$E2E_SETUP" lab down >/dev/null 2>&1 \
			|| echo "e2e: cleanup: lab down failed (the next 'lab up' removes the leftovers)"
		E2E_LAB_OWNED=0
	fi
	_e2e_unlock
	if [ -n "$E2E_DIR" ] && [ -d "$E2E_DIR" ]; then
		if [ "${E2E_KEEP:-0}" = 1 ]; then
			echo "e2e: keeping $E2E_DIR (E2E_KEEP=1)"
		else
			rm -rf "$E2E_DIR"
		fi
	fi
}

_e2e_unlock() {
	if [ -n "$E2E_LOCK_FD" ]; then
		exec {E2E_LOCK_FD}>&-
		E2E_LOCK_FD=
	fi
}

# --- the lab -------------------------------------------------------------------------------

# e2e_lab_env: load the LAB_* variables (names, addresses, MACs; see tools/lab.sh).
e2e_lab_env() {
	local env
	env=$("$E2E_SETUP" lab status --env 2>/dev/null)
	[ -n "$env" ] || { e2e_fail "lab status --env printed nothing"; return 1; }
	eval "$env"
	[ "$LAB_UP" = 1 ]
}

# e2e_lab_up [--two-host]: take the lab lock for the whole test (other tests wait), then build
# the lab from scratch and load its variables.
e2e_lab_up() {
	local wait=${E2E_LAB_WAIT:-90}
	e2e_lab_env >/dev/null 2>&1 || true
	[ -n "${LAB_LOCK_FILE:-}" ] || { e2e_fail "cannot read the lab's settings"; return 1; }
	if [ -z "$E2E_LOCK_FD" ]; then
		exec {E2E_LOCK_FD}>"$LAB_LOCK_FILE" || { e2e_fail "cannot open $LAB_LOCK_FILE"; return 1; }
		if ! flock -n "$E2E_LOCK_FD"; then
			e2e_log "lab '$LAB_P' is in use: waiting up to ${wait}s for $LAB_LOCK_FILE"
			flock -w "$wait" "$E2E_LOCK_FD" \
				|| { e2e_fail "lab '$LAB_P' stayed busy for ${wait}s"; return 1; }
		fi
	fi
	E2E_LAB_OWNED=1
	if ! DTC_LAB_LOCKED=1 "$E2E_SETUP" lab up "$@" >"$E2E_DIR/lab-up.log" 2>&1; then
		cat "$E2E_DIR/lab-up.log"
		e2e_fail "lab up failed"
		return 1
	fi
	e2e_lab_env || { e2e_fail "lab is not up after 'lab up'"; return 1; }
	e2e_log "lab '$LAB_P' up ($LAB_MODE)"
}

# e2e_lab_route two-host|three-host
e2e_lab_route() {
	DTC_LAB_LOCKED=1 "$E2E_SETUP" lab route "$1" >/dev/null || return 1
	e2e_lab_env
}

# e2e_lab_down: stop every process of the test, then remove the lab (the lock is released).
e2e_lab_down() {
	local i name rc=0
	for ((i = ${#E2E_ORDER[@]} - 1; i >= 0; i--)); do
		name=${E2E_ORDER[$i]}
		[ -n "${E2E_PID[$name]:-}" ] && e2e_stop "$name" 3 >/dev/null
	done
	if [ "$E2E_LAB_OWNED" = 1 ]; then
		DTC_LAB_LOCKED=1 "$E2E_SETUP" lab down >"$E2E_DIR/lab-down.log" 2>&1 || rc=1
		E2E_LAB_OWNED=0
	fi
	_e2e_unlock
	[ $rc = 0 ] || { cat "$E2E_DIR/lab-down.log"; e2e_fail "lab down failed"; }
}

# e2e_ns NS CMD...: run CMD in namespace NS ("" or "-": the root namespace).
e2e_ns() {
	local ns=$1
	shift
	if [ -z "$ns" ] || [ "$ns" = - ]; then
		"$@"
	else
		ip netns exec "$ns" "$@"
	fi
}

# --- processes -----------------------------------------------------------------------------

_e2e_alive() {
	local pid=$1 stat
	[ -n "$pid" ] && stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat:0:1}" != Z ]
}

# e2e_spawn NAME NS STOPSIG CMD...: start CMD in the background in NS, output to
# $E2E_DIR/NAME.log; e2e_stop NAME sends STOPSIG.  Signals are reset to their defaults (a
# background job of a script ignores INT and QUIT otherwise).  Call it directly, not in $( ).
e2e_spawn() {
	local name=$1 ns=$2 sig=$3 log
	shift 3
	if [ -n "${E2E_PID[$name]:-}" ] && _e2e_alive "${E2E_PID[$name]}"; then
		e2e_fail "spawn: '$name' is already running (pid ${E2E_PID[$name]})"
		return 1
	fi
	log=$E2E_DIR/$name.log
	: >"$log"
	local what="$*"
	if [ -n "$ns" ] && [ "$ns" != - ]; then
		set -- ip netns exec "$ns" env --default-signal=INT,QUIT,TERM "$@"
	else
		set -- env --default-signal=INT,QUIT,TERM "$@"
	fi
	# The lab lock must not outlive the test in a stray child.
	if [ -n "$E2E_LOCK_FD" ]; then
		"$@" </dev/null >>"$log" 2>&1 {E2E_LOCK_FD}>&- &
	else
		"$@" </dev/null >>"$log" 2>&1 &
	fi
	E2E_PID[$name]=$!
	E2E_SIG[$name]=$sig
	E2E_LOG[$name]=$log
	E2E_NS[$name]=${ns:--}
	unset "E2E_RC[$name]"
	[[ " ${E2E_ORDER[*]} " == *" $name "* ]] || E2E_ORDER+=("$name")
	e2e_log "started $name (pid ${E2E_PID[$name]}) in ${ns:-the root ns}: $what"
}

# e2e_adopt NAME PID NS STOPSIG [RUNDIR]: take charge of a process the test did not start as
# its child (a daemon): e2e_stop and the cleanup stop it by PID (and remove RUNDIR, a DPDK
# runtime directory); its exit status cannot be read (E2E_RC[NAME] is empty).
e2e_adopt() {
	local name=$1
	E2E_PID[$name]=$2
	E2E_NS[$name]=$3
	E2E_SIG[$name]=$4
	E2E_LOG[$name]=${E2E_LOG[$name]:-$E2E_DIR/$name.log}
	[ -n "${5:-}" ] && E2E_RUNDIR[$name]=$5
	E2E_ADOPTED[$name]=1
	unset "E2E_RC[$name]"
	[[ " ${E2E_ORDER[*]} " == *" $name "* ]] || E2E_ORDER+=("$name")
	e2e_log "adopted $name (pid $2) in $3"
}

# e2e_pid NAME / e2e_running NAME / e2e_logfile NAME
e2e_pid() { echo "${E2E_PID[$1]:-}"; }
e2e_running() { _e2e_alive "${E2E_PID[$1]:-}"; }
e2e_logfile() { echo "${E2E_LOG[$1]:-$E2E_DIR/$1.log}"; }

# e2e_stop NAME [TIMEOUT=5]: its stop signal, then SIGKILL (children too) after TIMEOUT
# seconds.  Returns 0 when it stopped on the signal; its exit status is then in E2E_RC[NAME].
e2e_stop() {
	local name=$1 timeout=${2:-5} pid i rc=0
	pid=${E2E_PID[$name]:-}
	[ -n "$pid" ] || return 0
	if _e2e_alive "$pid"; then
		kill "-${E2E_SIG[$name]}" "$pid" 2>/dev/null
		for ((i = 0; i < timeout * 10; i++)); do
			_e2e_alive "$pid" || break
			sleep 0.1
		done
		if _e2e_alive "$pid"; then
			e2e_log "$name (pid $pid) still running ${timeout}s after SIG${E2E_SIG[$name]}: SIGKILL"
			pkill -KILL -P "$pid" 2>/dev/null
			kill -KILL "$pid" 2>/dev/null
			rc=1
		fi
	fi
	if [ -n "${E2E_ADOPTED[$name]:-}" ]; then
		E2E_RC[$name]=    # not our child: its status is not ours to read
	else
		wait "$pid" 2>/dev/null
		E2E_RC[$name]=$?
	fi
	E2E_PID[$name]=
	_e2e_rm_rundir "$name"
	return $rc
}

# e2e_wait_exit NAME TIMEOUT: wait for NAME to end by itself; its status goes to E2E_RC[NAME].
e2e_wait_exit() {
	local name=$1 timeout=$2 pid
	pid=${E2E_PID[$name]:-}
	[ -n "$pid" ] || return 0
	e2e_wait_until "$timeout" "$name to exit" _e2e_not_alive "$pid" || return 1
	wait "$pid" 2>/dev/null
	E2E_RC[$name]=$?
	E2E_PID[$name]=
	_e2e_rm_rundir "$name"
}

# The DPDK runtime directory of NAME (the EAL leaves it behind).
_e2e_rm_rundir() {
	if [ -n "${E2E_RUNDIR[$1]:-}" ]; then
		rm -rf "${E2E_RUNDIR[$1]}"
		unset "E2E_RUNDIR[$1]"
	fi
}

_e2e_not_alive() { ! _e2e_alive "$1"; }

# --- waits ---------------------------------------------------------------------------------

# e2e_wait_until TIMEOUT DESC CMD...: poll CMD every 0.1 s until it succeeds.
e2e_wait_until() {
	local timeout=$1 desc=$2 end
	shift 2
	end=$((${EPOCHREALTIME/./} + timeout * 1000000))
	while ! "$@" >/dev/null 2>&1; do
		if [ "${EPOCHREALTIME/./}" -ge "$end" ]; then
			e2e_log "timed out after ${timeout}s waiting for $desc"
			return 1
		fi
		sleep 0.1
	done
}

_e2e_listening() {
	ip netns exec "$1" ss -Hltn "sport = :$3" \
		| awk -v a="$2:$3" -v b="*:$3" -v c="0.0.0.0:$3" \
			'$4 == a || $4 == b || $4 == c { f = 1 } END { exit !f }'
}

# e2e_wait_port NS ADDR PORT [TIMEOUT=10]: a TCP socket listens on ADDR:PORT in NS.
e2e_wait_port() {
	e2e_wait_until "${4:-10}" "$2:$3 listening in $1" _e2e_listening "$1" "$2" "$3"
}

# e2e_wait_log FILE REGEX [TIMEOUT=10]: an extended regex matches a line of FILE.
e2e_wait_log() {
	e2e_wait_until "${3:-10}" "/$2/ in $1" grep -Eq -- "$2" "$1"
}

_e2e_at_least() {
	local n=$1 v
	shift
	v=$("$@" 2>/dev/null) || return 1
	[[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge "$n" ]
}

# e2e_wait_counter N TIMEOUT CMD...: CMD prints a number; wait until it is >= N.
e2e_wait_counter() {
	local n=$1 timeout=$2
	shift 2
	e2e_wait_until "$timeout" "'$*' to reach $n" _e2e_at_least "$n" "$@"
}

# --- servers -------------------------------------------------------------------------------

# Same content on the online and the test server: small page, and bodies of 1, 16, 64 KiB
# and 1 MiB (multi-segment responses).
_e2e_make_www() {
	local www=$1
	mkdir -p "$www"
	echo "dpdk-tcpcopy lab" >"$www/index.html"
	yes 'dpdk-tcpcopy lab body line 0123456789abcdefghijklmnopqrstuvwxyz' | head -c 1024 >"$www/1k.bin"
	yes 'dpdk-tcpcopy lab body line 0123456789abcdefghijklmnopqrstuvwxyz' | head -c 16384 >"$www/16k.bin"
	yes 'dpdk-tcpcopy lab body line 0123456789abcdefghijklmnopqrstuvwxyz' | head -c 65536 >"$www/64k.bin"
	yes 'dpdk-tcpcopy lab body line 0123456789abcdefghijklmnopqrstuvwxyz' | head -c 1048576 >"$www/1m.bin"
}

_e2e_template() {
	local kind=$1 role=$2
	case "$role" in
	*/*) echo "$role" ;;
	*) echo "$E2E_CONF/$kind-$role.conf" ;;
	esac
}

# e2e_nginx_start NAME NS ROLE ADDR [PORT=80]: nginx from config/lab/nginx-ROLE.conf (ROLE
# online|test, or a template path) in NS; run dir $E2E_DIR/NAME with access.log, error.log,
# www/.  Waits until it listens.
e2e_nginx_start() {
	local name=$1 ns=$2 role=$3 addr=$4 port=${5:-80} dir tpl
	dir=$E2E_DIR/$name
	tpl=$(_e2e_template nginx "$role")
	[ -f "$tpl" ] || { e2e_fail "nginx template $tpl missing"; return 1; }
	mkdir -p "$dir/tmp"
	_e2e_make_www "$dir/www"
	sed -e "s|@DIR@|$dir|g" -e "s|@LISTEN@|$addr:$port|g" "$tpl" >"$dir/nginx.conf"
	if ! e2e_ns "$ns" nginx -t -q -p "$dir" -c "$dir/nginx.conf" >"$dir/nginx-t.log" 2>&1; then
		cat "$dir/nginx-t.log"
		e2e_fail "nginx config $dir/nginx.conf is invalid"
		return 1
	fi
	e2e_spawn "$name" "$ns" QUIT nginx -p "$dir" -c "$dir/nginx.conf" || return 1
	E2E_ADDR[$name]=$addr
	E2E_PORT[$name]=$port
	e2e_wait_port "$ns" "$addr" "$port" 10 || { e2e_fail "nginx $name did not listen"; return 1; }
}

# e2e_nginx_stop NAME: graceful (QUIT), then KILL after 5 s.
e2e_nginx_stop() { e2e_stop "$1" "${2:-5}"; }

# e2e_access_log NAME: the path of nginx NAME's access log.
e2e_access_log() { echo "$E2E_DIR/$1/access.log"; }

# e2e_http_servers: the online nginx "onl" on LAB_ONL_IP:80 and the test nginx "ts" on
# LAB_TS_IP:80, their access logs in E2E_ONL_LOG and E2E_TS_LOG.  1 when one did not start.
e2e_http_servers() {
	e2e_nginx_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 80 || return 1
	e2e_nginx_start ts "$LAB_NS_TS" test "$LAB_TS_IP" 80 || return 1
	E2E_ONL_LOG=$(e2e_access_log onl)
	E2E_TS_LOG=$(e2e_access_log ts)
}

# e2e_redis_start NAME NS ROLE ADDR [PORT=6379]: redis-server from config/lab/redis-ROLE.conf
# in NS (no persistence, no unix socket); run dir $E2E_DIR/NAME.  Waits until it answers.
e2e_redis_start() {
	local name=$1 ns=$2 role=$3 addr=$4 port=${5:-6379} dir tpl
	dir=$E2E_DIR/$name
	tpl=$(_e2e_template redis "$role")
	[ -f "$tpl" ] || { e2e_fail "redis template $tpl missing"; return 1; }
	mkdir -p "$dir"
	sed -e "s|@DIR@|$dir|g" -e "s|@BIND@|$addr|g" -e "s|@PORT@|$port|g" "$tpl" \
		>"$dir/redis.conf"
	e2e_spawn "$name" "$ns" TERM redis-server "$dir/redis.conf" || return 1
	E2E_ADDR[$name]=$addr
	E2E_PORT[$name]=$port
	e2e_wait_until 10 "redis $name to answer PING" _e2e_redis_ping "$name" \
		|| { e2e_fail "redis $name does not answer"; return 1; }
}

_e2e_redis_ping() { [ "$(e2e_redis_cli "$1" PING)" = PONG ]; }

# e2e_redis_cli NAME ARGS...: redis-cli against redis NAME, from its own namespace.
e2e_redis_cli() {
	local name=$1
	shift
	e2e_ns "${E2E_NS[$name]}" timeout 10 redis-cli -h "${E2E_ADDR[$name]}" \
		-p "${E2E_PORT[$name]}" "$@"
}

# e2e_redis_calls NAME CMD: how many times CMD (e.g. set) was called (INFO commandstats).
e2e_redis_calls() {
	e2e_redis_cli "$1" INFO commandstats | tr -d '\r' \
		| awk -F'[:=,]' -v c="cmdstat_$2" '$1 == c { print $3; f = 1 } END { if (!f) print 0 }'
}

e2e_redis_stop() { e2e_stop "$1" "${2:-5}"; }

# --- DPDK apps -----------------------------------------------------------------------------

# e2e_dpdk_start NAME NS BIN IFACES [EAL_ARGS...] [-- APP_ARGS...]
# BIN: a path, or dpdk-tcpcopy / dpdk-intercept from $E2E_BUILD.  IFACES: comma-separated
# interfaces of NS, one net_af_packet vdev each (port 0, 1, ... in that order); IFACE:ARG=V
# adds a vdev argument (dtc-cptx:qpairs=3); framecnt=$E2E_AFP_FRAMECNT (16384) by default.  EAL defaults:
# --no-huge -m ${E2E_DPDK_MEM:-512} --no-pci, a unique --file-prefix, -l 0 unless the EAL
# arguments choose cores, --log-level=lib.*:warning.  Stop with e2e_dpdk_stop (INT).
e2e_dpdk_start() {
	local name=$1 ns=$2 bin=$3 ifaces=$4 eal=() app=() ifn i=0 prefix lcores=0 a ring
	shift 4
	case "$bin" in
	dpdk-tcpcopy) bin=$E2E_BUILD/app/copy/dpdk-tcpcopy ;;
	dpdk-intercept) bin=$E2E_BUILD/app/intercept/dpdk-intercept ;;
	esac
	[ -x "$bin" ] || { e2e_fail "DPDK app $bin is not built"; return 1; }
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case "$1" in -l | -c | --lcores | --lcores=* | -l[0-9]*) lcores=1 ;; esac
		eal+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	app=("$@")
	prefix=dtce2e-$name-$$
	[ "$lcores" = 1 ] || eal+=(-l 0)
	IFS=, read -ra a <<<"$ifaces"
	for ifn in "${a[@]}"; do
		# "IFACE:ARG=V[:ARG=V]" passes ARG=V to that vdev (e.g. qpairs=3).  No ring size:
		# the apps size the kernel ring for a mirror themselves (issue 11), and that default
		# is what the tests exercise; E2E_AFP_FRAMECNT=N forces one.
		# (Other DPDK programs, testpmd, get the same 16384 frames from here.)
		ring=${E2E_AFP_FRAMECNT:-}
		case "$bin" in */dpdk-tcpcopy | */dpdk-intercept) ;; *) ring=${ring:-16384} ;; esac
		[[ "$ifn" == *framecnt=* || -z "$ring" ]] || ifn+=":framecnt=$ring"
		eal+=("--vdev=net_af_packet$i,iface=${ifn//:/,}")
		i=$((i + 1))
	done
	e2e_spawn "$name" "$ns" INT "$bin" --no-huge -m "${E2E_DPDK_MEM:-512}" --no-pci \
		--file-prefix "$prefix" --log-level='lib.*:warning' "${eal[@]}" -- "${app[@]}" \
		|| return 1
	E2E_RUNDIR[$name]=/var/run/dpdk/$prefix
}

# e2e_dpdk_stop NAME [TIMEOUT=10]: SIGINT, SIGKILL after TIMEOUT s; 0 when it stopped cleanly
# (its exit status is in E2E_RC[NAME]).
e2e_dpdk_stop() { e2e_stop "$1" "${2:-10}"; }

# --- captures ------------------------------------------------------------------------------

# e2e_capture_start NAME NS IFACE [BPF FILTER]: dumpcap on IFACE into $E2E_DIR/NAME.pcapng
# (pcapng: each frame keeps its interface name, see e2e_pcap_merge; a 64 MiB kernel buffer, so
# that a burst is not lost while dumpcap writes); returns once the capture
# runs.
e2e_capture_start() {
	local name=$1 ns=$2 ifn=$3 filter=${4:-}
	local args=(-i "$ifn" -B 64 -w "$E2E_DIR/$name.pcapng")
	e2e_require dumpcap
	[ -n "$filter" ] && args+=(-f "$filter")
	e2e_spawn "$name" "$ns" INT dumpcap "${args[@]}" || return 1
	e2e_wait_log "${E2E_LOG[$name]}" "^Capturing on" 10 \
		|| { e2e_fail "capture $name did not start"; return 1; }
}

_e2e_if_rx() { e2e_ns "$1" cat "/sys/class/net/$2/statistics/rx_packets" 2>/dev/null; }
_e2e_if_still() {
	local a b
	a=$(_e2e_if_rx "$1" "$2") || return 1
	sleep 0.3
	b=$(_e2e_if_rx "$1" "$2") || return 1
	[ "$a" = "$b" ]
}

# e2e_iface_settle NS IFACE [TIMEOUT=5]: the interface has received nothing for 0.3 s (a mirror
# still delivering the end of a load when the load's client has exited).
e2e_iface_settle() {
	e2e_wait_until "${3:-5}" "$2 in $1 to settle" _e2e_if_still "$1" "$2"
}

# e2e_capture_stop NAME: stop it (the file is complete afterwards); e2e_pcap NAME: its path.
e2e_capture_stop() { e2e_stop "$1" "${2:-5}"; }
e2e_pcap() { echo "$E2E_DIR/$1.pcapng"; }

# e2e_pcap_merge OUT NAME...: merge the captures NAME... into the file OUT (frame order by
# time; tshark's frame.interface_name tells where each frame was seen).
e2e_pcap_merge() {
	local out=$1 name files=()
	shift
	for name in "$@"; do
		files+=("$(e2e_pcap "$name")")
	done
	mergecap -w "$out" "${files[@]}"
}

# tshark with checksum verification on, so that filters and fields may use
# tcp.checksum.status / ip.checksum.status (1 = good, 0 = bad).
_e2e_tshark() {
	tshark -n -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
		"$@" 2>/dev/null
}

# e2e_pcap_count PCAP DISPLAY_FILTER: number of frames tshark matches.
e2e_pcap_count() {
	_e2e_tshark -r "$1" -Y "$2" -T fields -e frame.number | grep -c .
}

# e2e_pcap_fields PCAP DISPLAY_FILTER FIELD...: one tab-separated line per matching frame
# (one tshark run; count with awk instead of running tshark once per question).
e2e_pcap_fields() {
	local pcap=$1 filter=$2 f args=()
	shift 2
	for f in "$@"; do
		args+=(-e "$f")
	done
	_e2e_tshark -r "$pcap" ${filter:+-Y "$filter"} -T fields -E separator=/t -E occurrence=f \
		"${args[@]}"
}

# --- comparing what the servers recorded ---------------------------------------------------

# e2e_log_count LOG: requests in an access log.  e2e_log_clients LOG: distinct client
# address:port pairs in it (a port the client reused counts once).  e2e_log_conns LOG:
# distinct connections, by nginx's $connection serial number (the next-to-last field).
e2e_log_count() { awk -F'"' 'NF >= 3 { n++ } END { print n + 0 }' "$1" 2>/dev/null || echo 0; }
e2e_log_clients() { awk '{ print $1 }' "$1" 2>/dev/null | sort -u | grep -c .; }
e2e_log_conns() { awk 'NF >= 2 { print $(NF - 1) }' "$1" 2>/dev/null | sort -u | grep -c .; }

# e2e_compare_access_logs ONLINE_LOG TEST_LOG [MULT=1]: compare the request lines as multisets
# (the test server should see each online request MULT times).  Prints the figures and sets
# E2E_ONLINE, E2E_TEST, E2E_EXPECTED (= MULT * online), E2E_MATCHED (multiset intersection),
# E2E_PCT.  Returns 0 when the logs could be read; judge with
#   require_ratio "$E2E_MATCHED" "$E2E_EXPECTED" 99.9
e2e_compare_access_logs() {
	local online=$1 test=$2 mult=${3:-1} out
	[ -r "$online" ] && [ -r "$test" ] \
		|| { e2e_fail "compare: cannot read $online or $test"; return 1; }
	out=$(awk -v mult="$mult" '
		function req(line,   a) {
			if (split(line, a, "\"") < 3) return ""
			return a[2]
		}
		FNR == NR { r = req($0); if (r != "") { on[r]++; n_on++ }; next }
		{ r = req($0); if (r != "") { te[r]++; n_te++ } }
		END {
			for (r in on) {
				want = on[r] * mult
				got = (r in te) ? te[r] : 0
				m += (got < want) ? got : want
				if (got < want) { miss += want - got; if (shown++ < 5) printf "  missing %dx: %s\n", want - got, r }
				distinct++
			}
			for (r in te) {
				want = (r in on) ? on[r] * mult : 0
				if (te[r] > want) { extra += te[r] - want; if (shownx++ < 5) printf "  extra %dx: %s\n", te[r] - want, r }
			}
			printf "RESULT %d %d %d %d %d %d %d\n", n_on, n_te, n_on * mult, m, miss, extra, distinct
		}' "$online" "$test") || { e2e_fail "compare: awk failed"; return 1; }
	local res
	res=$(grep '^RESULT ' <<<"$out")
	read -r _ E2E_ONLINE E2E_TEST E2E_EXPECTED E2E_MATCHED _miss _extra _distinct <<<"$res"
	E2E_PCT=$(awk -v m="$E2E_MATCHED" -v e="$E2E_EXPECTED" \
		'BEGIN { if (e > 0) printf "%.3f", 100 * m / e; else print "0.000" }')
	e2e_log "access logs: online $E2E_ONLINE requests ($_distinct distinct lines), test $E2E_TEST," \
		"expected ${mult}x = $E2E_EXPECTED, matched $E2E_MATCHED ($E2E_PCT%)," \
		"missing $_miss, extra $_extra"
	grep -v '^RESULT ' <<<"$out" || true
}

# --- the two apps in the lab, telemetry, loads, catching up --------------------------------

# Both apps back off when idle (they share this small machine with the servers and the load);
# E2E_IDLE_SLEEP=0 makes them busy-poll.
E2E_IDLE_SLEEP=${E2E_IDLE_SLEEP:-100}
E2E_TELEMETRY=$E2E_SRC/tests/e2e/telemetry.py

# e2e_tel NAME COMMAND [KEY...]: query DPDK app NAME's telemetry (e.g. /dtc/copy/stats); with
# keys, print their values on one line.
e2e_tel() {
	local name=$1
	shift
	[ -n "${E2E_RUNDIR[$name]:-}" ] || return 1
	/usr/bin/python3 "$E2E_TELEMETRY" "${E2E_RUNDIR[$name]}" "$@"
}

# e2e_tel_flat NAME COMMAND...: every entry of the commands' replies, "CMD.KEY VALUE" lines
# (e.g. "drops.engine/collision 0", "stats.sessions_active 3"), one connection.
e2e_tel_flat() {
	local name=$1
	shift
	[ -n "${E2E_RUNDIR[$name]:-}" ] || return 1
	/usr/bin/python3 "$E2E_TELEMETRY" "${E2E_RUNDIR[$name]}" --flat "$@"
}

# e2e_copy_stat NAME KEY...: values from the copier's /dtc/copy/stats (captured, copied,
# sessions_active, sessions_created, retransmits, responses, drops, intercepts_up, ...).
e2e_copy_stat() {
	local name=$1
	shift
	e2e_tel "$name" /dtc/copy/stats "$@"
}

# e2e_intercept_start NAME [APP_ARGS...] | NAME EAL_ARGS... -- APP_ARGS...: dpdk-intercept
# on the aux host's capture port, answering ARP for LAB_AUX_IP, capturing what the test
# server sends (-F 'tcp and src host LAB_TS_IP' unless APP_ARGS give another -F); waits until
# its control port listens.  EAL arguments only when a "--" separates them (e.g. -l 0-1).
e2e_intercept_start() {
	local name=$1 eal=() a
	shift
	for a in "$@"; do
		if [ "$a" = -- ]; then
			while [ "$1" != -- ]; do
				eal+=("$1")
				shift
			done
			shift
			break
		fi
	done
	e2e_dpdk_start "$name" "$LAB_NS_AUX" dpdk-intercept "$LAB_AUX_CAP_IF" "${eal[@]}" -- \
		-F "tcp and src host $LAB_TS_IP" --ip "$LAB_AUX_IP" --idle-sleep "$E2E_IDLE_SLEEP" \
		--stats-interval 5 "$@" || return 1
	e2e_wait_port "$LAB_NS_AUX" "$LAB_AUX_CTL_IP" "$LAB_CTL_PORT" 30 \
		|| { e2e_fail "dpdk-intercept $name does not listen on :$LAB_CTL_PORT"; return 1; }
}

# The copier says it is ready (capturing and, with -s, connected: /dtc/copy/stats "ready").
_e2e_copy_ready() {
	local up ready
	read -r ready up < <(e2e_copy_stat "$1" ready intercepts_up) || return 1
	[ "${ready:-0}" = 1 ] && { [ "$2" = 0 ] || [ "${up:-0}" -ge 1 ]; }
}

# e2e_copy_start NAME [EAL_ARGS...] [-- APP_ARGS...]: dpdk-tcpcopy on the copier's ports (port 0
# = RX on the mirror, port 1 = TX on the test LAN) with --tx-ip LAB_CP_TX_IP (E2E_COPY_TX_IP=""
# leaves it out; E2E_COPY_TX_QPAIRS=N gives the TX port N queue pairs, one per worker and one
# for the control lcore; E2E_COPY_RX_QPAIRS=N the RX port N, for --rx-lcores), -m 128, a stats line every second and the idle back-off; APP_ARGS come
# after these and so override them (give -x and -s/--response-port).  Returns once its
# telemetry answers (and, with -s, an intercept is connected): from then on it copies what
# the mirror carries.
e2e_copy_start() {
	local name=$1 eal=() want_icpt=0 a txip=()
	shift
	a=${E2E_COPY_TX_IP-$LAB_CP_TX_IP}
	[ -n "$a" ] && txip=(--tx-ip "$a")
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		eal+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	for a in "$@"; do
		case "$a" in -s | --intercept | --intercept=* | -s*) want_icpt=1 ;; esac
	done
	e2e_dpdk_start "$name" "$LAB_NS_CP" dpdk-tcpcopy \
		"$LAB_CP_RX_IF${E2E_COPY_RX_QPAIRS:+:qpairs=$E2E_COPY_RX_QPAIRS},$LAB_CP_TX_IF${E2E_COPY_TX_QPAIRS:+:qpairs=$E2E_COPY_TX_QPAIRS}" "${eal[@]}" \
		-- "${txip[@]}" -m "${E2E_COPY_MB:-128}" --stats-interval 1 \
		--idle-sleep "$E2E_IDLE_SLEEP" "$@" || return 1
	if ! e2e_wait_until 30 "dpdk-tcpcopy $name to run" _e2e_copy_ready "$name" "$want_icpt"; then
		e2e_running "$name" || e2e_log "dpdk-tcpcopy $name exited"
		e2e_fail "dpdk-tcpcopy $name did not start"
		return 1
	fi
	e2e_log "dpdk-tcpcopy $name is running"
}

# e2e_copy_summary NAME: the copier's end-of-run summary (after e2e_dpdk_stop), from its log.
e2e_copy_summary() {
	sed -n '/summary after/,$p' "$(e2e_logfile "$1")" | sed 's/^dtc\.copy: //'
}

# e2e_summary_value NAME KEY: a counter of the summary, e.g. sess_created, seg_retrans,
# "ended fin", "drop closed" (0 when absent).
e2e_summary_value() {
	e2e_copy_summary "$1" | awk -v k="$2" '
		{ sub(/^ +/, "") }
		index($0, k " ") == 1 { rest = substr($0, length(k) + 1); split(rest, a, " ")
			if (a[1] ~ /^[0-9]+$/) { print a[1]; f = 1; exit } }
		END { if (!f) print 0 }'
}

# e2e_wrk_pace FILE DELAY_MS [HEADER...]: a wrk Lua script that waits DELAY_MS before each
# request of a connection (bounds the load: connections x 1000/DELAY_MS requests/s at most).
e2e_wrk_pace() {
	local file=$1 delay=$2
	cat >"$file" <<LUA
-- generated by tests/e2e/lib.sh: pace each connection
function delay()
	return $delay
end
LUA
}

# e2e_catch_up WINDOW EXPECTED COPIER CMD...: call it the moment the online load has ended.
# The copy is judged in real time: CMD (printing the test server's count) gets WINDOW seconds
# (2 in every test: what the test server executes within 2 s of the load's end) to reach
# EXPECTED; then the copier's sessions get up to 10 s to end (closes follow their answers).
# Logs how it ended; returns 0: the comparison that follows judges.
e2e_catch_up() {
	local window=$1 expected=$2 copier=$3 n why
	shift 3
	E2E_RT_WINDOW=$window e2e_rt_count "$expected" "$@"
	n=$E2E_RT_N
	if [ "$n" -ge "$expected" ]; then
		why="caught up within $window s"
	else
		why="NOT caught up within $window s"
	fi
	e2e_wait_until 10 "the copier's sessions to end" _e2e_rt_none_active "$copier" \
		|| why+=", sessions still active after 10 s more"
	e2e_log "catch-up: $why: test server $n of $expected, $(e2e_rt_lag "$copier")"
	_e2e_mirror_report "$copier"
}

# Frames the copier's mirror veth delivered vs frames the copier read: the difference was
# lost in the kernel's af_packet ring (no DPDK counter shows it).  Log only.
_e2e_mirror_report() {
	local rx cap
	rx=$(e2e_ns "$LAB_NS_CP" cat "/sys/class/net/$LAB_CP_RX_IF/statistics/rx_packets" 2>/dev/null)
	cap=$(e2e_copy_stat "$1" captured 2>/dev/null)
	[[ "$rx" =~ ^[0-9]+$ && "$cap" =~ ^[0-9]+$ ]] || return 0
	e2e_log "mirror: $LAB_CP_RX_IF delivered $rx frames, the copier captured $cap" \
		"($((rx > cap ? rx - cap : 0)) not read: before the copier started, or lost in its af_packet ring)"
}

# e2e_drops_report NAME: the copier's drop counters by reason (summary lines), for the log.
e2e_drops_report() {
	e2e_copy_summary "$1" | grep -E '^ +(drop|not sent|ended|parse) ' || true
}

# e2e_wrk NS URL CONNS SECS DELAY_MS [WRK_ARGS...]: wrk from NS, CONNS connections for SECS s,
# each waiting DELAY_MS before every request (e2e_wrk_pace); output in $E2E_DIR/wrk.log
# (appended).  0 when wrk completed its run.
e2e_wrk() {
	local ns=$1 url=$2 conns=$3 secs=$4 delay=$5 out=$E2E_DIR/wrk.out
	shift 5
	e2e_wrk_pace "$E2E_DIR/pace-$delay.lua" "$delay"
	e2e_log "load: wrk${*:+ $*}, $conns connection(s) for ${secs}s, one request every ${delay} ms each: $url"
	e2e_ns "$ns" timeout $((secs + 20)) wrk -t2 -c "$conns" -d "${secs}s" \
		-s "$E2E_DIR/pace-$delay.lua" "$@" "$url" >"$out" 2>&1
	cat "$out" >>"$E2E_DIR/wrk.log"
	grep -q "requests in" "$out" || { cat "$out"; e2e_fail "wrk did not complete"; return 1; }
}

# e2e_check_all_ended NAME [BOUND=E2E_END_BOUND or 20]: no session outlives its bound: the
# copier's active sessions drop to 0 within BOUND seconds (waited for, polled), every copied
# session having ended as its online session did or by a counted reason.  On failure, logs
# what is still active.
_e2e_none_active() {
	local a
	a=$(e2e_copy_stat "$1" sessions_active 2>/dev/null) || return 1
	[ "$a" = 0 ]
}
e2e_check_all_ended() {
	local name=$1 bound=${2:-${E2E_END_BOUND:-20}} t0=$SECONDS active
	if e2e_wait_until "$bound" "$name's sessions to end" _e2e_none_active "$name"; then
		e2e_log "ok: every copied session has ended (within $((SECONDS - t0)) s of $bound)"
		E2E_CHECKS=$((E2E_CHECKS + 1))
		return 0
	fi
	active=$(e2e_copy_stat "$name" sessions_active 2>/dev/null)
	e2e_tel_flat "$name" /dtc/copy/sessions 2>/dev/null | grep -E "^sessions\.(active|lingering|queued_segs) " | tr '\n' ' '
	echo
	E2E_CHECKS=$((E2E_CHECKS + 1))
	e2e_fail "every copied session has ended within ${bound} s (still active: ${active:-?})"
}

# e2e_check_no_capture_loss NAME: after e2e_dpdk_stop, NAME (the copier or an intercept) lost
# no frame in its capture ports before reading them: port_kernel_drops, imissed, rx_nombuf
# all 0 in its summary (copier) or final line (intercept).
e2e_check_no_capture_loss() {
	local log line
	log=$(e2e_logfile "$1")
	line=$(grep -E "lost on the capture ports before reading|dtc.intercept: final:" "$log" \
		| tail -n 1)
	if [ -z "$line" ]; then
		e2e_check "$1: its capture-loss figures are in its log" false
		return 1
	fi
	e2e_check "$1 lost no frame before reading (${line##*: })" \
		_e2e_zero_losses "$line"
}
_e2e_zero_losses() {
	! grep -Eq "(imissed|rx_nombuf|port_kernel_drops|port_imissed|port_rx_nombuf)[ =][1-9]" \
		<<<"$1"
}

# e2e_copy_end NAME: the end of a copy run: no copied session left (within the bound), then
# stop the copier, check that it exited 0 and lost no frame in its capture ring.
e2e_copy_end() {
	e2e_check_all_ended "$1"
	e2e_dpdk_stop "$1"
	e2e_check "dpdk-tcpcopy stopped cleanly" [ "${E2E_RC[$1]}" = 0 ]
	e2e_check_no_capture_loss "$1"
}

# e2e_finish_measured NAME TOL WHAT [MORE]: after e2e_compare_access_logs, copier NAME's drops,
# the line "MEASURED <test>: <matched> of <expected> WHAT reached the test server (<pct> %)MORE,
# tolerance TOL %", the ratio check against TOL, then e2e_finish.
e2e_finish_measured() {
	e2e_drops_report "$1"
	e2e_log "MEASURED $E2E_NAME: $E2E_MATCHED of $E2E_EXPECTED $3 reached the test server" \
		"($E2E_PCT %)${4:-}, tolerance $2 %"
	require_ratio "$E2E_MATCHED" "$E2E_EXPECTED" "$2"
	e2e_finish
}

# --- real-time judgement ----------------------------------------------------------------------

# e2e_rt_count EXPECTED CMD...: call it the moment the online load has ended.  Polls CMD (the
# test server's own count) until it reaches EXPECTED or E2E_RT_WINDOW (2) seconds pass, and
# leaves the last count in E2E_RT_N: what the test server executed in real time, not after a
# long catch-up.
e2e_rt_count() {
	local expected=$1 end n
	shift
	end=$((${EPOCHREALTIME/./} + ${E2E_RT_WINDOW:-2} * 1000000))
	while :; do
		n=$("$@" 2>/dev/null)
		[[ "$n" =~ ^[0-9]+$ ]] || n=0
		[ "$n" -ge "$expected" ] && break
		[ "${EPOCHREALTIME/./}" -ge "$end" ] && break
		sleep 0.05
	done
	E2E_RT_N=$n
}

# e2e_rt_lag_mark COPIER: remember the copier's lag histogram; e2e_rt_lag then reports only
# the requests released since.
e2e_rt_lag_mark() {
	e2e_tel "$1" /dtc/copy/lag >"$E2E_DIR/lag-mark.json" 2>/dev/null || rm -f "$E2E_DIR/lag-mark.json"
}

# e2e_rt_lag COPIER: "lag p50 X p99 Y max Z us (N requests), released on answer A, silence S,
# catch-up C" from telemetry (since e2e_rt_lag_mark, if called; bucket upper ends, within 25 %).
e2e_rt_lag() {
	e2e_tel "$1" /dtc/copy/lag >"$E2E_DIR/lag-now.json" 2>/dev/null || { echo "lag ?"; return 0; }
	/usr/bin/python3 - "$E2E_DIR/lag-now.json" "$E2E_DIR/lag-mark.json" <<'PY' 2>/dev/null || echo "lag ?"
import json, sys
now = json.load(open(sys.argv[1]))
try:
    old = json.load(open(sys.argv[2]))
except (OSError, ValueError):
    old = {}
def hist(d):
    return dict(zip(d.get("hist_le_us", []), d.get("hist_count", [])))
h, h0 = hist(now), hist(old)
d = sorted((le, c - h0.get(le, 0)) for le, c in h.items() if c - h0.get(le, 0) > 0)
n = sum(c for _, c in d)
def pct(p):
    rank, seen = max(1, -(-n * p // 100)), 0
    for le, c in d:
        seen += c
        if seen >= rank:
            return le
    return 0
rel = {k: now.get(k, 0) - old.get(k, 0) for k in ("req_answer", "req_silence", "req_catchup")}
print("lag p50 %d p99 %d max %d us (%d requests), released on answer %d, silence %d, catch-up %d"
      % (pct(50), pct(99), d[-1][0] if d else 0, n, rel["req_answer"], rel["req_silence"],
         rel["req_catchup"]))
PY
}

# e2e_rt_judge COPIER LABEL N EXPECTED TOL: the MEASURED line of one load (N of EXPECTED
# executed by the test server within the window), the copy lag, no session ended for being
# behind (buf_cap), then the ratio against TOL.
e2e_rt_judge() {
	local cp=$1 label=$2 n=$3 exp=$4 tol=$5 pct bufcap
	pct=$(awk -v m="$n" -v e="$exp" 'BEGIN { printf "%.3f", e ? 100 * m / e : 0 }')
	e2e_log "MEASURED $E2E_NAME $label: $n of $exp executed by the test server within" \
		"${E2E_RT_WINDOW:-2} s of the load's end ($pct %), $(e2e_rt_lag "$cp"), tolerance $tol %"
	_e2e_mirror_report "$cp"
	bufcap=$(e2e_tel "$cp" /dtc/copy/sessions ended/buf_cap 2>/dev/null)
	e2e_check "$label: no session ended for being behind (buf_cap ${bufcap:-?})" \
		[ "${bufcap:-x}" = 0 ]
	require_ratio "$n" "$exp" "$tol"
}

# e2e_rt_run_load COPIER ONL TS LABEL TOL CMD...: the online and test redis SET counts before,
# the load CMD, then the count the test redis reached within the window; judged at once.
e2e_rt_run_load() {
	local cp=$1 onl=$2 ts=$3 label=$4 tol=$5 o0 t0 o1
	shift 5
	e2e_rt_lag_mark "$cp"
	o0=$(e2e_redis_calls "$onl" set)
	t0=$(e2e_redis_calls "$ts" set)
	"$@"
	o1=$(e2e_redis_calls "$onl" set)
	e2e_rt_count $((t0 + o1 - o0)) e2e_redis_calls "$ts" set
	e2e_rt_judge "$cp" "$label" $((E2E_RT_N - t0)) $((o1 - o0)) "$tol"
}

# e2e_rt_run_http COPIER LABEL TOL CMD...: the same on the nginx access logs (E2E_ONL_LOG and
# E2E_TS_LOG of e2e_http_servers).
e2e_rt_run_http() {
	local cp=$1 label=$2 tol=$3 o0 t0 o1
	shift 3
	e2e_rt_lag_mark "$cp"
	o0=$(e2e_log_count "$E2E_ONL_LOG")
	t0=$(e2e_log_count "$E2E_TS_LOG")
	"$@"
	o1=$(e2e_log_count "$E2E_ONL_LOG")
	e2e_rt_count $((t0 + o1 - o0)) e2e_log_count "$E2E_TS_LOG"
	e2e_rt_judge "$cp" "$label" $((E2E_RT_N - t0)) $((o1 - o0)) "$tol"
}

# e2e_wrk_unpaced NS URL CONNS SECS [WRK ARGS...]: wrk at full speed (no pace script: each
# connection sends its next request the moment the answer arrives).
e2e_wrk_unpaced() {
	local ns=$1 url=$2 conns=$3 secs=$4 out=$E2E_DIR/wrk.out
	shift 4
	e2e_log "load: wrk${*:+ $*} -c $conns -d ${secs}s $url, unpaced"
	e2e_ns "$ns" timeout $((secs + 20)) wrk -t1 -c "$conns" -d "${secs}s" "$@" "$url" \
		>"$out" 2>&1
	cat "$out" >>"$E2E_DIR/wrk.log"
	e2e_check "wrk ran ($(grep -E 'requests in|Requests/sec' "$out" | tr -s ' ' | tr '\n' ' '))" \
		grep -q "requests in" "$out"
}

# e2e_redis_preopen NAME HOST CONNS SETS: spawn redis_preopen.py in the client namespace: CONNS
# connections opened now, each sending SETS back-to-back SETs once e2e_redis_preopen_go NAME
# is called (which waits for the client to finish).
e2e_redis_preopen() {
	local name=$1
	E2E_PREOPEN_GATE[$name]=$E2E_DIR/gate-$name
	e2e_spawn "$name" "$LAB_NS_CLI" TERM /usr/bin/python3 -u "$E2E_SRC/tests/e2e/redis_preopen.py" \
		"$2" 6379 "$3" "$4" "${E2E_PREOPEN_GATE[$name]}" || return 1
	e2e_wait_log "$(e2e_logfile "$name")" "^open" 20 \
		|| { e2e_fail "the client did not open its connections"; return 1; }
}
e2e_redis_preopen_go() {
	touch "${E2E_PREOPEN_GATE[$1]}"
	e2e_wait_exit "$1" 60 || e2e_fail "the pre-opened client did not finish"
	e2e_check "pre-opened client: $(tail -n 1 "$(e2e_logfile "$1")")" [ "${E2E_RC[$1]:-1}" = 0 ]
}

# e2e_redis_bench HOST ARGS...: redis-benchmark SETs at full speed from the client namespace.
e2e_redis_bench() {
	local host=$1
	shift
	e2e_log "load: redis-benchmark $*"
	e2e_ns "$LAB_NS_CLI" timeout 60 redis-benchmark -h "$host" -p 6379 -t set \
		-r 100000 -q "$@" >"$E2E_DIR/bench.log" 2>&1
	e2e_check "redis-benchmark $* ran ($(tr '\r' '\n' <"$E2E_DIR/bench.log" | grep -a 'requests per second' | tail -n 1))" \
		grep -aq "requests per second" "$E2E_DIR/bench.log"
}

_e2e_rt_none_active() { [ "$(e2e_copy_stat "$1" sessions_active 2>/dev/null)" = 0 ]; }
