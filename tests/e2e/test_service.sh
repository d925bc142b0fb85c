#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Both apps run as a service would run them: from the --config files of config/lab/ plus
# the "log", "pid-file" and "daemon" options (a forking setup).  Checks: each app goes to the
# background (the command returns 0 at once) and writes its pid file; the copy works
# (requests reach the test server); the log goes to the file, is rotated by logrotate's way
# (rename, then SIGHUP: the app reopens the path and goes on writing the new file); SIGTERM
# stops each app, which logs its final statistics and removes its pid file.
# Tolerance: the test fails when fewer than 99.9 % of the online requests arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9

e2e_init service
e2e_require nginx curl
e2e_lab_up || e2e_finish

e2e_http_servers || e2e_finish

# The lab configs name the default lab's interfaces (dtc-*): follow this lab's prefix.
# svc_start NAME NS BIN CONF: the app from CONF + log/pid-file/daemon; adopts the daemon.
svc_start() {
	local name=$1 ns=$2 bin=$3 conf=$4 prefix=dtce2e-svc-$1-$$ rc pid
	sed "s/iface=dtc-/iface=$LAB_P-/g" "$E2E_SRC/config/lab/$conf" >"$E2E_DIR/$name.conf"
	cat >>"$E2E_DIR/$name.conf" <<CONF
# added by test_service.sh: a forking service
log $E2E_DIR/$name-file.log
pid-file $E2E_DIR/$name.pid
daemon
CONF
	e2e_log "starting $name: $bin --file-prefix $prefix -- --config $E2E_DIR/$name.conf"
	timeout 20 ip netns exec "$ns" "$bin" --file-prefix "$prefix" -- \
		--config "$E2E_DIR/$name.conf" >"$E2E_DIR/$name-start.log" 2>&1
	rc=$?
	e2e_check "$name: the start command returns 0 at once (daemon)" [ "$rc" = 0 ]
	if ! e2e_wait_until 20 "$name's pid file" test -s "$E2E_DIR/$name.pid"; then
		cat "$E2E_DIR/$name-file.log" 2>/dev/null | tail -n 20
		e2e_fail "$name wrote no pid file"
		return 1
	fi
	pid=$(cat "$E2E_DIR/$name.pid")
	E2E_LOG[$name]=$E2E_DIR/$name-file.log
	e2e_adopt "$name" "$pid" "$ns" TERM "/var/run/dpdk/$prefix"
	e2e_check "$name: the pid file names a running process in $ns ($pid)" \
		[ -n "$(ip netns identify "$pid" 2>/dev/null | grep -x "$ns")" ]
}

svc_start icpt "$LAB_NS_AUX" "$E2E_BUILD/app/intercept/dpdk-intercept" dpdk-intercept.conf \
	|| e2e_finish
e2e_wait_port "$LAB_NS_AUX" "$LAB_AUX_CTL_IP" "$LAB_CTL_PORT" 30 || e2e_finish
svc_start cp "$LAB_NS_CP" "$E2E_BUILD/app/copy/dpdk-tcpcopy" dpdk-tcpcopy.conf || e2e_finish
e2e_wait_until 30 "the copier to connect" _e2e_copy_ready cp 1 || e2e_finish

for i in $(seq 1 30); do
	e2e_ns "$LAB_NS_CLI" curl -sS -o /dev/null --max-time 5 "http://$LAB_ONL_IP/index.html?n=$i" \
		|| e2e_fail "curl $i"
done
online=$(e2e_log_count "$E2E_ONL_LOG")
e2e_catch_up 2 "$online" cp e2e_log_count "$E2E_TS_LOG"
e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"

# Rotation as logrotate does it: rename, then SIGHUP; the app writes a new file at the path.
log=$E2E_DIR/cp-file.log
e2e_check "the copier logs to its file" \
	e2e_wait_until 15 "a stats line in $log" grep -q "dtc.copy: stats:" "$log"
mv "$log" "$log.1"
kill -HUP "$(e2e_pid cp)"
e2e_check "after SIGHUP the copier writes a new $log" \
	e2e_wait_until 10 "a stats line in the new log" grep -q "dtc.copy: stats:" "$log"
e2e_check "and still runs" e2e_running cp
ilog=$E2E_DIR/icpt-file.log
mv "$ilog" "$ilog.1"
kill -HUP "$(e2e_pid icpt)"
e2e_check "after SIGHUP the intercept writes a new $ilog" \
	e2e_wait_until 15 "a stats line in the new log" grep -q "dtc.intercept: stats:" "$ilog"

e2e_check "SIGTERM stops the copier" e2e_stop cp 15
e2e_check "the copier logged its summary" grep -q "summary after" "$log"
e2e_check "the copier removed its pid file" [ ! -e "$E2E_DIR/cp.pid" ]
e2e_check "SIGTERM stops the intercept" e2e_stop icpt 15
e2e_check "the intercept logged its final statistics" grep -q "dtc.intercept: final:" "$ilog"
e2e_check "the intercept removed its pid file" [ ! -e "$E2E_DIR/icpt.pid" ]
e2e_log "MEASURED service: $E2E_MATCHED of $E2E_EXPECTED online requests reached the test server ($E2E_PCT %), tolerance $TOL %"
require_ratio "$E2E_MATCHED" "$E2E_EXPECTED" "$TOL"
e2e_finish
