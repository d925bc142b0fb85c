#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# tests/e2e/test_compare.sh through dpdk-intercept (three-host mode): the test answers'
# outcomes come from the v2 records' payload prefix (--record-prefix 64); the same checks.
E2E_COMPARE_MODE=intercept
. "$(dirname "${BASH_SOURCE[0]}")/test_compare.sh"
