#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Control protocol v2 authentication, three-host setup.  dpdk-intercept runs with --secret;
# an honest dpdk-tcpcopy with the same secret copies HTTP (wrk at full speed, keep-alive, no
# pacing) while, on the same intercept:
#  - a second dpdk-tcpcopy with a wrong secret keeps retrying (-L) and never gets up;
#  - Python copiers (tests/e2e/v2_attack.py) replay an AUTH from an earlier connection, send
#    routes without AUTH, offer no authentication, and speak v1: each refused;
# and both apps refuse a secret file open to group/others at start.  Judged on the test
# server's access log within 2 s of the load's end, at >= 99.99 % (the honest copier is
# unaffected), and on the intercept's counters and log lines (each refusal names the copier).

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=${E2E_RT_TOL:-99.99}

e2e_init auth
e2e_require nginx wrk
e2e_lab_up || e2e_finish

good=$E2E_DIR/secret.good bad=$E2E_DIR/secret.bad loose=$E2E_DIR/secret.loose
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$good"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$bad"
cp "$good" "$loose"
chmod 600 "$good" "$bad"
chmod 640 "$loose"

# Loose permissions: the intercept stops before its EAL, the copier before copying anything.
out=$("$E2E_BUILD/app/intercept/dpdk-intercept" --no-huge -m 64 --no-pci -- -F tcp \
	--secret "$loose" 2>&1)
rc=$?
e2e_check "dpdk-intercept --secret with mode 640: exit 2 ($rc)" [ "$rc" = 2 ]
e2e_check "... naming the mode ($out)" grep -q "mode 0640 is open to group or others" <<<"$out"

e2e_http_servers || e2e_finish
e2e_intercept_start icpt --secret "$good" || e2e_finish

e2e_spawn cploose "$LAB_NS_CP" INT "$E2E_BUILD/app/copy/dpdk-tcpcopy" --no-huge -m 256 \
	--no-pci --file-prefix "dtce2e-cploose-$$" -l 0 --log-level='lib.*:warning' \
	--vdev net_null0 --vdev net_null1 -- --tx-ip "$LAB_CP_TX_IP" -m 64 \
	-x "80-$LAB_TS_IP:80" -c 198.18.2.101 -s "$LAB_AUX_CTL_IP" --secret "$loose" || e2e_finish
E2E_RUNDIR[cploose]=/var/run/dpdk/dtce2e-cploose-$$
e2e_wait_exit cploose 30
e2e_check "dpdk-tcpcopy --secret with mode 640 exits non-zero (${E2E_RC[cploose]:-?})" \
	[ "${E2E_RC[cploose]:-0}" != 0 ]
e2e_check "... naming the mode" grep -q "mode 0640 is open to group or others" \
	"$(e2e_logfile cploose)"

# The dishonest copier with a wrong secret: -L keeps it retrying through the whole load.  Its
# DPDK ports are null devices: a second af_packet reader of the copier's veths would take
# half of their frames (the kernel balances one fanout group between its sockets).
e2e_spawn cpbad "$LAB_NS_CP" INT "$E2E_BUILD/app/copy/dpdk-tcpcopy" --no-huge -m 256 \
	--no-pci --file-prefix "dtce2e-cpbad-$$" -l 0 --log-level='lib.*:warning' \
	--vdev net_null0 --vdev net_null1 -- --tx-ip "$LAB_CP_TX_IP" -m 64 --stats-interval 0 \
	--idle-sleep 1000 -x "80-$LAB_TS_IP:80" -c 198.18.2.101 -s "$LAB_AUX_CTL_IP" \
	--secret "$bad" -L || e2e_finish
E2E_RUNDIR[cpbad]=/var/run/dpdk/dtce2e-cpbad-$$
e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" \
	--secret "$good" || e2e_finish
e2e_check "the honest copier authenticated" \
	grep -q "protocol v2, authenticated" "$(e2e_logfile cp)"

e2e_log "attacks from the copier's namespace while the load runs"
e2e_ns "$LAB_NS_CP" /usr/bin/python3 "$E2E_SRC/tests/e2e/v2_attack.py" "$LAB_AUX_CTL_IP" \
	"$LAB_CTL_PORT" "$good" >"$E2E_DIR/attack.log" 2>&1 &
attack=$!
e2e_rt_run_http cp "keep-alive x8 beside the attacks" "$TOL" \
	e2e_wrk_unpaced "$LAB_NS_CLI" "http://$LAB_ONL_IP/index.html" 8 4
wait "$attack"
arc=$?
sed 's/^/attack: /' "$E2E_DIR/attack.log"
e2e_check "every dishonest Python copier refused (v2_attack.py exit $arc)" [ "$arc" = 0 ]
e2e_wait_until 10 "every copied session to end" _e2e_rt_none_active cp
e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]

bad_up=$(e2e_tel cpbad /dtc/copy/intercepts up 2>/dev/null)
bad_auth=$(e2e_tel cpbad /dtc/copy/intercepts auth_failures 2>/dev/null)
e2e_check "the wrong-secret copier never got up (up=$bad_up, auth_failures=$bad_auth)" \
	[ "${bad_up:-1}" = 0 -a "${bad_auth:-0}" -ge 1 ]
e2e_check "... and knows why" grep -q "authentication" "$(e2e_logfile cpbad)"
for k in auth_failed auth_missing v1_refused; do
	v=$(e2e_tel icpt /dtc/intercept/stats "$k" 2>/dev/null)
	e2e_log "intercept $k = $v"
	eval "icpt_$k=\${v:-0}"
done
# auth_failed: the wrong secret (once per attempt) and the replay; auth_missing: routes
# without AUTH and the HELLO without authentication; v1_refused: the 1.x copier.
e2e_check "auth_failed >= 2 ($icpt_auth_failed)" [ "$icpt_auth_failed" -ge 2 ]
e2e_check "auth_missing >= 2 ($icpt_auth_missing)" [ "$icpt_auth_missing" -ge 2 ]
e2e_check "v1_refused >= 1 ($icpt_v1_refused)" [ "$icpt_v1_refused" -ge 1 ]
ilog=$(e2e_logfile icpt)
for what in "(earlier): authentication failed" "(noauth): refused: routes before" \
	"(plain): refused: no authentication" "refused: protocol v1"; do
	e2e_check "intercept log: copier $LAB_CP_CTL_IP:PORT ... $what" \
		e2e_wait_log "$ilog" "copier ${LAB_CP_CTL_IP//./\\.}:[0-9]+[ :].*${what//(/\\(}" 5
done
e2e_dpdk_stop cpbad
e2e_copy_end cp
e2e_drops_report cp
e2e_finish
