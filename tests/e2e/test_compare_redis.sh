#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# --compare with redis in two-host mode: the test redis has INCR renamed away
# (tests/e2e/compare/redis-test.conf), so it answers every INCR with -ERR.  A client makes 5
# connections of 10 commands each (4 SET, 3 INCR, 3 GET), one at a time.  The report must count exactly the
# online server's INCR calls under key INCR, each as ":" -> "-ERR", and nothing else as
# differing in outcome; SET and GET agree.  The client is a plain RESP client (redis-cli would
# add a COMMAND DOCS, whose long reply differs too).

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init compare_redis
e2e_require redis-server redis-cli python3
e2e_lab_up --two-host || e2e_finish

here=$(dirname "${BASH_SOURCE[0]}")
e2e_redis_start onl "$LAB_NS_ONL" online "$LAB_ONL_IP" 6379 || e2e_finish
e2e_redis_start ts "$LAB_NS_TS" "$here/compare/redis-test.conf" "$LAB_TS_IP" 6379 \
	|| e2e_finish
ts_incr=$(e2e_redis_cli ts INCR probe 2>&1)
e2e_check "the test redis answers INCR with an error ($ts_incr)" \
	[ "${ts_incr#ERR unknown command}" != "$ts_incr" ]
report=$E2E_DIR/compare.json
e2e_copy_start cp -- -x "6379-$LAB_TS_IP:6379" -c "$LAB_FAKE_IP" --response-port 1 \
	--compare on --compare-report "$report" || e2e_finish

CONNS=5
# a plain RESP client (redis-cli sends COMMAND DOCS first): one command at a time, each
# reply read before the next
cat >"$E2E_DIR/client.py" <<'PY'
import socket, sys
host, c = sys.argv[1], sys.argv[2]
cmds = [["SET", "k" + c, "v"], ["INCR", "n" + c], ["GET", "k" + c], ["SET", "k" + c, "w"],
        ["INCR", "n" + c], ["GET", "k" + c], ["SET", "j" + c, "x"], ["INCR", "n" + c],
        ["GET", "j" + c], ["SET", "k" + c, "z"]]
s = socket.create_connection((host, 6379), timeout=10)
f = s.makefile("rb")
for cmd in cmds:
    s.sendall(("*%d\r\n" % len(cmd) + "".join("$%d\r\n%s\r\n" % (len(a), a)
                                              for a in cmd)).encode())
    line = f.readline()
    if line[:1] == b"$" and int(line[1:]) >= 0:
        f.read(int(line[1:]) + 2)
    print(cmd[0], line.strip().decode())
s.close()
PY
e2e_log "load: $CONNS connections of 10 redis commands each (4 SET, 3 INCR, 3 GET)"
pids=()
for c in $(seq 1 "$CONNS"); do
	e2e_ns "$LAB_NS_CLI" timeout 20 /usr/bin/python3 "$E2E_DIR/client.py" "$LAB_ONL_IP" "$c" \
		>>"$E2E_DIR/cli.log" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
onl_incr=$(e2e_redis_calls onl incr)
onl_set=$(e2e_redis_calls onl set)
onl_get=$(e2e_redis_calls onl get)
e2e_log "online redis: $onl_set SET, $onl_incr INCR, $onl_get GET"
e2e_check "the online redis executed them all" \
	[ "$onl_set" = $((CONNS * 4)) -a "$onl_incr" = $((CONNS * 3)) -a "$onl_get" = $((CONNS * 3)) ]
e2e_catch_up 2 "$onl_set" cp e2e_redis_calls ts set
ts_set=$(e2e_redis_calls ts set)
e2e_check "the test redis executed every SET ($ts_set)" [ "$ts_set" = "$onl_set" ]
e2e_copy_end cp

e2e_check "the report exists" [ -s "$report" ]
out=$(python3 - "$report" "$onl_set" "$onl_incr" "$onl_get" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
n_set, n_incr, n_get = (int(x) for x in sys.argv[2:5])
keys = {k["key"]: k for k in rep["keys"]}
bad = []
def want(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        bad.append(what)
want(rep["compared"] == n_set + n_incr + n_get,
     "compared %d == %d commands" % (rep["compared"], n_set + n_incr + n_get))
i = keys.get("INCR", {})
cells = {(c["online"], c["test"]): c["count"] for c in i.get("outcomes", {}).get("matrix", [])}
want(cells == {(":", "-ERR"): n_incr}, "INCR: %s, want {(':', '-ERR'): %d}" % (cells, n_incr))
want(rep["outcomes"]["mismatch"] == n_incr,
     "the only mismatches are the INCRs (%d)" % rep["outcomes"]["mismatch"])
for k, n in (("SET", n_set), ("GET", n_get)):
    e = keys.get(k, {})
    want(e.get("compared") == n and e.get("equal") == n, "%s: %s compared, %s equal (%d)" % (
        k, e.get("compared"), e.get("equal"), n))
smp = i.get("samples", {}).get("outcome", [])
want(len(smp) == 5 and "INCR" in smp[0]["request"] and smp[0]["online"].startswith(":"),
     "INCR: 5 samples with the request and the online reply")
print("MEASURED compare_redis: %d compared, INCR :->-ERR %s of %d" % (
    rep["compared"], cells.get((":", "-ERR")), n_incr))
sys.exit(1 if bad else 0)
PY
)
rc=$?
while IFS= read -r line; do e2e_log "$line"; done <<<"$out"
e2e_check "the report matches the servers' counts" [ "$rc" = 0 ]
e2e_finish
