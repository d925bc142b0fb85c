#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Build frames with lib/proto (test_proto_build), then check them with scapy and tshark.
# usage: check_build.sh TEST_PROTO_BUILD CHECK_BUILD_PY
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$1" "$tmp/frames.pcap" "$tmp/frames.spec"
"${PYTHON:-/usr/bin/python3}" "$2" "$tmp/frames.pcap" "$tmp/frames.spec"
