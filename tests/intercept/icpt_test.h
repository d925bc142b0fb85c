/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Assertions and EAL set-up (tests/common) and mbufs for the intercept and capture unit
 * tests. */

#ifndef ICPT_TEST_H
#define ICPT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "../common/dtc_check.h"
#include "../common/dtc_test_eal.h"

/* An mbuf holding len bytes of data, split into two segments at split (0 = one segment). */
static inline struct rte_mbuf *
t_mbuf(struct rte_mempool *mp, const uint8_t *data, uint16_t len, uint16_t split)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp), *m2;
	uint16_t first = split > 0 && split < len ? split : len;
	char *p;

	if (m == NULL)
		return NULL;
	p = rte_pktmbuf_append(m, first);
	memcpy(p, data, first);
	if (first == len)
		return m;
	m2 = rte_pktmbuf_alloc(mp);
	p = rte_pktmbuf_append(m2, len - first);
	memcpy(p, data + first, len - first);
	rte_pktmbuf_chain(m, m2);
	return m;
}

#endif /* ICPT_TEST_H */
