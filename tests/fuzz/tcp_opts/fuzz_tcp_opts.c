/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * TCP option walker fuzzer: the input is an option block (exact-size heap copy).  Checks the
 * offsets reported point at the option kinds they claim, inside the block, and that a block
 * is accepted exactly when a simple reference walk accepts it.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_proto.h"
#include "../fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The rules of dtc_proto.h, written as plainly as possible. */
static bool
ref_ok(const uint8_t *p, size_t n)
{
	size_t i = 0;

	if (n > 40)
		return false;
	while (i < n) {
		if (p[i] == 0)
			return true;
		if (p[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || p[i + 1] < 2 || i + p[i + 1] > n)
			return false;
		i += p[i + 1];
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dtc_tcp_opts o;
	uint8_t *p = malloc(size ? size : 1);
	int ret;

	memcpy(p, data, size);
	ret = dtc_tcp_opts_parse(p, (unsigned int)size, &o);
	REQUIRE(ret == 0 || ret == -DTC_PERR_TCP_OPT);
	REQUIRE((ret == 0) == ref_ok(p, size));
	if (o.present & DTC_OPT_TS) {
		REQUIRE(o.ts_off >= 20 && o.ts_off - 20u + 10 <= size);
		REQUIRE(p[o.ts_off - 20] == 8 && p[o.ts_off - 19] == 10);
	}
	if (o.present & DTC_OPT_MSS) {
		REQUIRE(o.mss_off >= 20 && o.mss_off - 20u + 4 <= size);
		REQUIRE(p[o.mss_off - 20] == 2 && p[o.mss_off - 19] == 4);
	} else {
		REQUIRE(o.mss == 0 && o.mss_off == 0);
	}
	REQUIRE(o.sack_cnt <= 4);
	REQUIRE((o.sack_cnt != 0) == ((o.present & DTC_OPT_SACK) != 0));
	free(p);
	return 0;
}
