#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# Large transfers, three-host setup: 64 KiB POST bodies (client data spread over many
# segments, paced by the test server's window) and 1 MiB responses (hundreds of response
# records per request, delayed ACKs) on keep-alive connections.  Judged on the access logs:
# the same request lines with the same status and response size, as many times.  A POST body
# cut short would show too: on a keep-alive connection nginx reads (and discards) the whole
# body to find the next request, so a missing piece loses or garbles every later request of
# that connection.
# Tolerance: the test fails when fewer than 99.9 % of the online requests arrive.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOL=99.9

e2e_init http_large
e2e_require nginx wrk
e2e_lab_up || e2e_finish

e2e_http_servers || e2e_finish
e2e_intercept_start icpt || e2e_finish
e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" -s "$LAB_AUX_CTL_IP" || e2e_finish

cat >"$E2E_DIR/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("dpdk-tcpcopy post body 0123456789abcdefghijklmnopqrstuvwxyz\n", 1075)
wrk.headers["Content-Type"] = "application/octet-stream"
function delay()
	return 50
end
LUA
e2e_log "load: wrk POST /post, 4 connections for 4s, a $((62 * 1075))-byte body every 50 ms each"
e2e_ns "$LAB_NS_CLI" timeout 30 wrk -t1 -c4 -d4s -s "$E2E_DIR/post.lua" \
	"http://$LAB_ONL_IP/post" >"$E2E_DIR/wrk-post.log" 2>&1
e2e_check "wrk POST ran" grep -q "requests in" "$E2E_DIR/wrk-post.log"
# The 1 MiB GETs come from curl, not wrk: wrk stops at its deadline in the middle of whatever
# response is in flight (the online nginx then logs a cut size that the copy, paced by the
# test server, cannot reproduce byte for byte); curl ends each connection after a complete
# response.  4 keep-alive connections, 36 GETs each, 10 per second.
urls=()
for _ in $(seq 36); do urls+=("http://$LAB_ONL_IP/1m.bin"); done
e2e_log "load: curl, 4 keep-alive connections, 36 GETs of /1m.bin each, at most 10 per second"
pids=()
for _ in 1 2 3 4; do
	e2e_ns "$LAB_NS_CLI" timeout 60 curl -sS --fail --rate 10/s "${urls[@]}" \
		>/dev/null 2>>"$E2E_DIR/curl.log" &
	pids+=($!)
done
wait "${pids[@]}" # only these: the servers and the apps are children too
e2e_check "curl fetched every 1 MiB response" [ ! -s "$E2E_DIR/curl.log" ]
online=$(e2e_log_count "$E2E_ONL_LOG")
e2e_log "online nginx logged $online requests; waiting for the copy to catch up"
e2e_catch_up 2 "$online" cp e2e_log_count "$E2E_TS_LOG"

e2e_compare_access_logs "$E2E_ONL_LOG" "$E2E_TS_LOG"
# request line, request length (line and headers), status, body bytes: the same multiset
# on both servers
sig() { sed -E 's/^[^ ]+ [^ ]+ (rl=[0-9]+) "([^"]*)" ([0-9]+) ([0-9]+) .*/\2 \1 \3 \4/' "$1" | sort | uniq -c; }
sig "$E2E_ONL_LOG" >"$E2E_DIR/onl.sig"
sig "$E2E_TS_LOG" >"$E2E_DIR/ts.sig"
e2e_log "online: $(tr -s ' ' <"$E2E_DIR/onl.sig" | tr '\n' ';')"
e2e_log "test:   $(tr -s ' ' <"$E2E_DIR/ts.sig" | tr '\n' ';')"
e2e_check "POSTs and 1 MiB responses complete: same (request, status, size) counts" \
	cmp -s "$E2E_DIR/onl.sig" "$E2E_DIR/ts.sig"
e2e_check "the copy did not add requests" [ "$E2E_TEST" -le "$E2E_EXPECTED" ]
e2e_copy_end cp
e2e_finish_measured cp "$TOL" "online requests (64 KiB POSTs, 1 MiB GETs)"
