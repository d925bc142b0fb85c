#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# The README's first command, tools/dpdk-setup.sh demo, without its deps and build steps: the
# demo itself (tools/demo.sh, both apps run from config/lab/*.conf) with a 10 s load.  It
# exits non-zero when fewer than 99.9 % of the online requests reach the test server; its
# summary table is the measured figure.

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the demo needs root (network namespaces)"
	exit 77
fi
TOP=${DTC_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${DTC_BUILD:-$TOP/build}
# shellcheck source=../../tools/demo.sh
. "$TOP/tools/demo.sh"
out=$(mktemp /tmp/dtc-demo-test.XXXXXX)
trap 'rm -f "$out"' EXIT
DEMO_SECS=${DEMO_SECS:-10} demo_main 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
grep -q '^Summary' "$out" || { echo "FAIL: the demo printed no summary"; exit 1; }
grep -E 'copied \(tolerance|OK:|FAILED:' "$out" | sed 's/^ */MEASURED demo: /'
[ "$rc" = 0 ] || { echo "FAIL: the demo exited with $rc"; exit 1; }
echo "PASS: demo"
