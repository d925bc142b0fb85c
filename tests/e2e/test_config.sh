#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# config/ against the apps (suite unit, no root, no EAL): every key of every example --config
# file is a long option of its app's --help; each app accepts each file (APP -- --config FILE
# --help parses every line of it, values included, and exits 0); a bad line makes it exit 2;
# the systemd units pass systemd-analyze verify (with the built binaries in ExecStart) and
# point at the example file names; the log and pid paths of the examples are those the
# logrotate snippet and the units expect; docs/usage.md's option tables match --help.

set -u
SRC=${DTC_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=$(cd "${DTC_BUILD:-$SRC/build}" && pwd)
CONF=$SRC/config
declare -A BIN=([dpdk-tcpcopy]=$BUILD/app/copy/dpdk-tcpcopy
	[dpdk-intercept]=$BUILD/app/intercept/dpdk-intercept)
fails=0
checks=0
TMP=$(mktemp -d /tmp/dtc-config-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

check() {
	local desc=$1
	shift
	checks=$((checks + 1))
	if "$@"; then
		echo "ok: $desc"
	else
		echo "FAIL: $desc"
		fails=$((fails + 1))
	fi
}

for app in dpdk-tcpcopy dpdk-intercept; do
	[ -x "${BIN[$app]}" ] || { echo "FAIL: ${BIN[$app]} is not built"; exit 1; }
	"${BIN[$app]}" -- --help >"$TMP/$app.help" 2>&1
	check "$app --help exits 0" [ $? = 0 ]
done

# Long options an app's help lists: "--name" words.
has_option() {
	grep -Eq -- "(^|[ ,])--$2( |=|,|\$)" "$TMP/$1.help"
}

files=("$CONF"/dpdk-*.conf "$CONF"/lab/dpdk-*.conf)
check "the example configs exist (${#files[@]})" [ "${#files[@]}" -ge 6 ]
for f in "${files[@]}"; do
	name=${f#"$CONF"/}
	case "$(basename "$f")" in
	dpdk-tcpcopy*) app=dpdk-tcpcopy ;;
	dpdk-intercept*) app=dpdk-intercept ;;
	*) check "$name: named after its app" false; continue ;;
	esac
	keys=$(sed -e 's/#.*//' "$f" | awk 'NF { print $1 }' | sed 's/^--//')
	bad=""
	for k in $keys; do
		[ "$k" = eal ] && continue
		has_option "$app" "$k" || bad="$bad $k"
	done
	check "$name: every key is a long option of $app --help (not:${bad:- none})" [ -z "$bad" ]
	check "$name: has EAL arguments (an eal line)" grep -q '^eal ' "$f"
	out=$("${BIN[$app]}" -- --config "$f" --help 2>&1)
	check "$name: $app -- --config FILE --help accepts every line" \
		[ $? = 0 -a -n "$(grep -F -- '--config' <<<"$out")" ]
	# A misspelt option must stop the app with status 2, naming the option.
	{ cat "$f"; echo "transfr 80-198.18.1.56:80"; } >"$TMP/bad.conf"
	out=$("${BIN[$app]}" -- --config "$TMP/bad.conf" --help 2>&1)
	rc=$?
	line=$(wc -l <"$TMP/bad.conf")
	check "$name + a misspelt option: exit 2 naming it at bad.conf:$line ($rc)" \
		[ $rc = 2 -a -n "$(grep -F "bad.conf:$line: unknown or ambiguous option '--transfr'" <<<"$out")" ]
	# A bad value is located too (stats-interval exists in both apps).
	{ cat "$f"; echo "stats-interval 5s"; } >"$TMP/bad.conf"
	line=$(wc -l <"$TMP/bad.conf")
	out=$("${BIN[$app]}" -- --config "$TMP/bad.conf" --help 2>&1)
	rc=$?
	check "$name + a bad value: exit 2 naming bad.conf:$line and the value ($rc)" \
		[ $rc = 2 -a -n "$(grep -F "bad.conf:$line: invalid value '5s' for option" <<<"$out")" ]
	{ cat "$f"; echo "eal --vdev 'net_null0"; } >"$TMP/bad.conf"
	line=$(wc -l <"$TMP/bad.conf")
	out=$("${BIN[$app]}" -- --config "$TMP/bad.conf" --help 2>&1)
	rc=$?
	check "$name + an unterminated quote: exit 2 naming FILE:$line ($rc)" \
		[ $rc = 2 -a -n "$(grep -F "bad.conf:$line" <<<"$out")" ]
done

# The values the examples use for paths are the ones the units and logrotate expect.
for f in "$CONF"/dpdk-*.conf; do
	name=${f#"$CONF"/}
	check "$name: log under /var/log/dpdk-tcpcopy/*.log (logrotate)" \
		grep -Eq '^log /var/log/dpdk-tcpcopy/[^/ ]+\.log$' "$f"
	check "$name: pid file under /run/dpdk-tcpcopy (RuntimeDirectory)" \
		grep -Eq '^pid-file /run/dpdk-tcpcopy/[^/ ]+$' "$f"
	check "$name: no daemon line (the units are Type=simple)" \
		[ -z "$(grep -E '^daemon' "$f")" ]
done
check "logrotate reloads both units" \
	grep -q 'systemctl reload dpdk-tcpcopy.service dpdk-intercept.service' \
	"$CONF/logrotate/dpdk-tcpcopy"
check "logrotate: no copytruncate (SIGHUP reopens)" \
	[ -z "$(grep -v '^#' "$CONF/logrotate/dpdk-tcpcopy" | grep copytruncate)" ]

for app in dpdk-tcpcopy dpdk-intercept; do
	unit=$CONF/systemd/$app.service
	check "$app.service: ExecStart runs $app with /etc/dpdk-tcpcopy/$app.conf" \
		grep -q "^ExecStart=/usr/local/bin/$app -- --config /etc/dpdk-tcpcopy/$app.conf\$" "$unit"
	check "$app.service: the example $app.conf exists" [ -f "$CONF/$app.conf" ]
	check "$app.service: ExecReload sends SIGHUP" grep -q '^ExecReload=/bin/kill -HUP $MAINPID$' "$unit"
	if command -v systemd-analyze >/dev/null; then
		sed "s|/usr/local/bin/$app|${BIN[$app]}|" "$unit" >"$TMP/$app.service"
		out=$(cd "$TMP" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "./$app.service" 2>&1)
		rc=$?
		# Only complaints about this unit count (not about the host's other units).
		out=$(grep -F "$app.service" <<<"$out")
		check "$app.service: systemd-analyze verify is clean${out:+: $out}" [ $rc = 0 -a -z "$out" ]
	fi
done

# docs/usage.md's option tables are generated from --help: they must still match it.
out=$(/usr/bin/python3 "$SRC/tests/e2e/help_table.py" "$BUILD" "$SRC/docs/usage.md" --check 2>&1)
rc=$?
echo "$out"
check "docs/usage.md option tables match both apps' --help" [ $rc = 0 ]

echo "$((checks - fails)) of $checks checks passed"
[ "$fails" = 0 ]
