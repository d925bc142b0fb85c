#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The committed fixtures are exactly what gen_fixtures.py (scapy) produces: regenerate them
# into a temporary directory and compare byte for byte.
# usage: test_fixtures_regen.sh DATA_DIR
set -euo pipefail
dir=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${PYTHON:-/usr/bin/python3}" "$dir/gen_fixtures.py" "$tmp" >/dev/null
n=0
for f in "$tmp"/*; do
    cmp "$f" "$dir/$(basename "$f")"
    n=$((n + 1))
done
[ "$n" -ge 7 ] || { echo "only $n files generated"; exit 1; }
echo "$n fixture files identical to a fresh scapy run"
