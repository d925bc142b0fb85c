/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * libFuzzer harness for the -c parser.  Invariants (abort): -EINVAL with a NUL-terminated
 * message, or a pool whose totals are the sums of its ranges, every range non-empty, within
 * the bounds, and none containing a target address of the -x maps.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>

#include "dtc_session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
contains(const struct dtc_pool_range *r, uint8_t fam, const union dtc_addr *a)
{
	uint64_t b, x;

	if (fam == 4) {
		b = rte_be_to_cpu_32(r->base.a32[0]);
		x = rte_be_to_cpu_32(a->a32[0]);
	} else {
		if (r->base.a64[0] != a->a64[0])
			return false;
		b = rte_be_to_cpu_64(r->base.a64[1]);
		x = rte_be_to_cpu_64(a->a64[1]);
	}
	return x >= b && x - b < r->count;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dtc_pool p;
	struct dtc_xfer x[2];
	char *s = malloc(size + 1), err[96];
	uint64_t t4 = 0, t6 = 0;
	unsigned int i, j;
	int rc;

	if (s == NULL)
		return 0;
	if (dtc_xfer_parse("80-198.18.2.7:80,[2001:db8::40]:80-[2001:db8:2::5]:80", x, 2, err,
			sizeof(err)) != 2)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	memset(err, 'z', sizeof(err));
	rc = dtc_pool_parse(s, x, 2, &p, err, sizeof(err));
	if (rc != 0) {
		if (rc != -EINVAL || memchr(err, '\0', sizeof(err)) == NULL)
			abort();
	} else {
		if (p.n4 > DTC_POOL_RANGES_MAX || p.n6 > DTC_POOL_RANGES_MAX)
			abort();
		for (i = 0; i < p.n4; i++) {
			if (p.r4[i].count == 0 || p.r4[i].count > (1ull << 32))
				abort();
			t4 += p.r4[i].count;
			for (j = 0; j < 2; j++)
				if (x[j].family == 4 && contains(&p.r4[i], 4, &x[j].target_addr))
					abort();
		}
		for (i = 0; i < p.n6; i++) {
			if (p.r6[i].count == 0 || p.r6[i].count > (1ull << 32))
				abort();
			t6 += p.r6[i].count;
			for (j = 0; j < 2; j++)
				if (x[j].family == 6 && contains(&p.r6[i], 6, &x[j].target_addr))
					abort();
		}
		if (t4 != p.total4 || t6 != p.total6 || t4 + t6 == 0)
			abort();
	}
	free(s);
	return 0;
}
