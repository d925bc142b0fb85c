#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# --compare in two-host mode: the online and the test nginx serve the same files but answer
# three locations differently on purpose (tests/e2e/compare/nginx-*.conf): /slow/N 20 ms later
# on the test server, /err 500 instead of 200, /len a longer body.  curl makes 10 keep-alive
# connections of 10 requests each (5 x /index.html, 2 x /err, 2 x /slow/N, 1 x /len).  The
# report (--compare-report) is then checked exactly against what the servers logged:
#  - every copied request compared, as many as both access logs hold;
#  - key "GET /err": exactly its requests as 200 -> 500, and no other key with a mismatch;
#  - key "GET /slow/{n}": p50 of the latency delta between 15 and 40 ms; every other key's
#    delta p50 under 5 ms and p90 under 15 ms;
#  - key "GET /len": every request length_differs (test longer);
#  - the same figures from telemetry (/dtc/copy/compare) as in the report.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# E2E_COMPARE_MODE=intercept: the same through dpdk-intercept (three-host), the test answers'
# outcomes from the v2 records' payload prefix (--record-prefix 64).
MODE=${E2E_COMPARE_MODE:-two-host}
e2e_init "compare_${MODE/-/_}"
e2e_require nginx curl python3
[ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] || {
	echo "SKIP: the nginx echo module is not installed (libnginx-mod-http-echo)"
	exit 77
}
if [ "$MODE" = intercept ]; then
	e2e_lab_up || e2e_finish
else
	e2e_lab_up --two-host || e2e_finish
fi

here=$(dirname "${BASH_SOURCE[0]}")
e2e_nginx_start onl "$LAB_NS_ONL" "$here/compare/nginx-online.conf" "$LAB_ONL_IP" 80 \
	|| e2e_finish
e2e_nginx_start ts "$LAB_NS_TS" "$here/compare/nginx-test.conf" "$LAB_TS_IP" 80 || e2e_finish
onl_log=$(e2e_access_log onl)
ts_log=$(e2e_access_log ts)
report=$E2E_DIR/compare.json
if [ "$MODE" = intercept ]; then
	e2e_intercept_start icpt || e2e_finish
	src=(-s "$LAB_AUX_CTL_IP" --record-prefix 64 -C "${E2E_COMPARE_CONNS:-2}")
else
	src=(--response-port 1)
fi
e2e_copy_start cp -- -x "80-$LAB_TS_IP:80" -c "$LAB_FAKE_IP" "${src[@]}" \
	--compare on --compare-keys 8 --compare-report "$report" || e2e_finish

CONNS=10
e2e_log "load: curl, $CONNS keep-alive connections of 10 requests each"
pids=()
for c in $(seq 1 "$CONNS"); do
	u="http://$LAB_ONL_IP"
	urls=("$u/index.html" "$u/err" "$u/slow/$c" "$u/index.html" "$u/len" "$u/index.html"
		"$u/err" "$u/slow/$((c + 100))" "$u/index.html" "$u/index.html")
	e2e_ns "$LAB_NS_CLI" timeout 30 curl -sS -o /dev/null -o /dev/null -o /dev/null \
		-o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
		-o /dev/null "${urls[@]}" 2>>"$E2E_DIR/curl.log" &
	pids+=($!)
done
wait "${pids[@]}"
online=$(e2e_log_count "$onl_log")
e2e_check "the online server logged all $((CONNS * 10)) requests ($online)" \
	[ "$online" = $((CONNS * 10)) ]
e2e_catch_up 2 "$online" cp e2e_log_count "$ts_log"
tested=$(e2e_log_count "$ts_log")
e2e_check "the test server logged them all ($tested)" [ "$tested" = "$online" ]
_cmp_tel_ready() { e2e_tel cp /dtc/copy/compare 2>/dev/null | grep -q '"all"'; }
e2e_wait_until 10 "the comparison in telemetry" _cmp_tel_ready
tel=$(e2e_tel cp /dtc/copy/compare)
echo "$tel" >"$E2E_DIR/telemetry-compare.json"
cp "$E2E_DIR/telemetry-compare.json" /tmp/dtc-e2e-compare-tel.json 2>/dev/null || true

# Prometheus: tools/dtc-exporter.py serves the copier's telemetry, Debian's prometheus scrapes
# it every second (both on the copier namespace's own loopback); the PromQL answers must be
# the report's figures (checked below, once the copier has written its last report).
prom_ok=0
if command -v prometheus >/dev/null && /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null
then
	cat >"$E2E_DIR/prom.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: dtc
    static_configs:
      - targets: ['127.0.0.1:9735']
YML
	e2e_spawn exp "$LAB_NS_CP" TERM /usr/bin/python3 "$E2E_SRC/tools/dtc-exporter.py" \
		--listen 127.0.0.1 --port 9735 "${E2E_RUNDIR[cp]}" || e2e_finish
	e2e_spawn prom "$LAB_NS_CP" TERM prometheus --config.file="$E2E_DIR/prom.yml" \
		--storage.tsdb.path="$E2E_DIR/prom" --web.listen-address=127.0.0.1:9090 || e2e_finish
	promql() {
		e2e_ns "$LAB_NS_CP" curl -s --max-time 2 http://127.0.0.1:9090/api/v1/query \
			--data-urlencode "query=$1" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")'
	}
	_prom_has() { [ -n "$(promql 'dtc_copy_compare_compared{key="all"}')" ]; }
	if e2e_wait_until 30 "prometheus to have scraped the exporter" _prom_has; then
		prom_ok=1
		prom_compared=$(promql 'dtc_copy_compare_compared{key="all"}')
		prom_err=$(promql 'dtc_copy_compare_outcome_mismatch{key="GET /err"}')
		prom_hist=$(promql 'sum(dtc_copy_compare_latency_seconds_count{key="all",side="test"})')
		prom_p50=$(promql 'histogram_quantile(0.5, dtc_copy_compare_latency_seconds_bucket{key="all",side="test"})')
		e2e_log "PromQL: compared $prom_compared, GET /err mismatches $prom_err, test latency count $prom_hist, test p50 ${prom_p50}s"
	else
		e2e_fail "prometheus never got the exporter's metrics"
	fi
	e2e_stop prom 5
	e2e_stop exp 5
else
	e2e_log "no prometheus or python3-prometheus-client: the PromQL checks are skipped"
fi
e2e_copy_end cp

e2e_check "the report exists" [ -s "$report" ]
cp "$report" "$E2E_DIR/../dtc-e2e-compare-last.json" 2>/dev/null || true
out=$(python3 - "$report" "$onl_log" "$ts_log" "$CONNS" "$tel" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
conns = int(sys.argv[4])
tel = json.loads(sys.argv[5]) if sys.argv[5] else {}
def count(log, path):
    return sum(1 for l in open(log) if '"GET %s' % path in l)
keys = {k["key"]: k for k in rep["keys"]}
bad = []
def want(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        bad.append(what)
n = 10 * conns
want(rep["compared"] == n, "compared %d == %d requests" % (rep["compared"], n))
want(rep["diff"]["online_missing"] == 0 and rep["test_missing"] == 0,
     "no answer missing (online %d, test %d)" % (rep["diff"]["online_missing"],
                                                  rep["test_missing"]))
e = keys.get("GET /err")
err_n = count(sys.argv[3], "/err")
cells = {(c["online"], c["test"]): c["count"] for c in (e or {}).get("outcomes", {}).get("matrix", [])}
want(e is not None and cells.get(("200", "500")) == err_n == 2 * conns,
     "GET /err: 200->500 %s == %d logged" % (cells.get(("200", "500")), err_n))
allm = {(c["online"], c["test"]): c["count"] for c in rep["outcomes"]["matrix"]}
want(allm.get(("200", "500")) == err_n and rep["outcomes"]["mismatch"] == err_n,
     "overall: the only mismatches are the %d 200->500 (%s)" % (err_n, rep["outcomes"]["matrix"]))
s = keys.get("GET /slow/{n}")
d50 = s["latency_us"]["delta"]["p50"] if s else None
want(s is not None and s["compared"] == 2 * conns and 15000 <= d50 <= 40000,
     "GET /slow/{n}: %s compared, delta p50 %s us (15..40 ms)" % (s and s["compared"], d50))
# the other keys: no delay added; p90 below the slow key's 20 ms.  Not p99: with 50 requests
# a key's p99 is its slowest one, and a request that meets this shared machine's scheduler
# measured 10.3 and 31 ms (clean-clone CI runs).
for k, v in keys.items():
    if k != "GET /slow/{n}":
        d50, d90 = v["latency_us"]["delta"]["p50"], v["latency_us"]["delta"]["p90"]
        want(abs(d50) < 5000 and abs(d90) < 15000,
             "%s: delta p50 %d us under 5 ms, p90 %d us under 15 ms" % (k, d50, d90))
l = keys.get("GET /len")
want(l is not None and l["length_differs"]["test_longer"] == conns,
     "GET /len: %s of %d test answers longer" % (l and l["length_differs"]["test_longer"], conns))
i = keys.get("GET /index.html")
want(i is not None and i["compared"] == 5 * conns and i["outcomes"]["mismatch"] == 0 and
     i["length_differs"]["count"] == 0,
     "GET /index.html: %s compared, no mismatch, same lengths" % (i and i["compared"]))
smp = (e or {}).get("samples", {}).get("outcome", [])
want(len(smp) == 5 and smp[0]["request"].startswith("GET /err HTTP/1.1") and
     smp[0]["online"].startswith("HTTP/1.1 200"),
     "GET /err: 5 samples of the difference (request and online answer bytes)")
a = tel.get("all") or tel.get("/dtc/copy/compare", {}).get("all", {})
want(a.get("outcome_mismatch") == err_n, "telemetry outcome_mismatch %s" % a.get("outcome_mismatch"))
print("MEASURED compare: %d compared, /err 200->500 %s, /slow delta p50 %s us, test p99 %s us "
      "online p99 %s us" % (rep["compared"], cells.get(("200", "500")), d50,
                            rep["latency_us"]["test"]["p99"], rep["latency_us"]["online"]["p99"]))
sys.exit(1 if bad else 0)
PY
)
rc=$?
while IFS= read -r line; do e2e_log "$line"; done <<<"$out"
e2e_check "the report matches the servers' logs" [ "$rc" = 0 ]
if [ "$prom_ok" = 1 ]; then
	read -r r_compared r_err r_count < <(/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
k = {x["key"]: x for x in r["keys"]}
print(r["compared"], k["GET /err"]["outcomes"]["mismatch"], r["latency_us"]["test"]["count"])' \
		"$report")
	e2e_check "PromQL compared = the report's ($prom_compared, $r_compared)" \
		[ "${prom_compared%.*}" = "$r_compared" ]
	e2e_check "PromQL GET /err mismatches = the report's ($prom_err, $r_err)" \
		[ "${prom_err%.*}" = "$r_err" ]
	e2e_check "PromQL histogram count = the report's test latency count ($prom_hist, $r_count)" \
		[ "${prom_hist%.*}" = "$r_count" ]
fi
e2e_copy_summary cp | sed -n '/comparison online vs test/,$p' | head -20 | while IFS= read -r line; do
	e2e_log "$line"
done
e2e_finish
