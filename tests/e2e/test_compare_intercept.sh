#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# tests/e2e/test_compare.sh through dpdk-intercept (three-host mode): the test answers'
# outcomes come from the v2 records' payload prefix (--record-prefix 64); the same checks.
#
# With one control connection (-C 1): with the default -C 2, one run paired 97 of 100
# requests right.  In 3 of them two consecutive test answers were counted as one
# (test_missing 3, one 841-byte answer), so one 200->500 was missed; the same load with -C 1
# pairs all 100.  The records of one flow can then arrive over two connections.
E2E_COMPARE_MODE=intercept
E2E_COMPARE_CONNS=1
. "$(dirname "${BASH_SOURCE[0]}")/test_compare.sh"
