/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Assertions (tests/common/dtc_check.h), EAL set-up and mbufs for the intercept and capture
 * unit tests. */

#ifndef ICPT_TEST_H
#define ICPT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "../common/dtc_check.h"

/* EAL without hugepages, PCI or telemetry, under a file prefix unique to this process. */
static inline void
t_eal_init(const char *name)
{
	char prefix[64];
	char *argv[] = { (char *)(uintptr_t)name, (char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"-m", (char *)(uintptr_t)"128", (char *)(uintptr_t)"--no-pci",
		(char *)(uintptr_t)"--no-telemetry", (char *)(uintptr_t)"--no-shconf",
		(char *)(uintptr_t)"--log-level=lib.*:error", (char *)(uintptr_t)"--file-prefix",
		prefix, NULL };

	snprintf(prefix, sizeof(prefix), "dtc-icpt-%s-%d", name, (int)getpid());
	if (rte_eal_init(10, argv) < 0) {
		fprintf(stderr, "%s: rte_eal_init failed\n", name);
		exit(1);
	}
}

/* rte_eal_cleanup(), then remove the (empty) runtime directory the EAL leaves behind. */
static inline void
t_eal_cleanup(void)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	rmdir(dir);
}

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
