/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Flow keys and addresses. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_hash_crc.h>

#include "dtc_proto.h"

uint32_t
dtc_flow_hash(const struct dtc_flow_key *k, uint32_t seed)
{
	/* 40 bytes = five 8-byte CRC32C steps (SSE4.2 crc32q with -march=native). */
	const uint64_t *w = (const uint64_t *)k;
	uint32_t h = seed;

	RTE_BUILD_BUG_ON(sizeof(*k) != 5 * sizeof(uint64_t));
	h = rte_hash_crc_8byte(w[0], h);
	h = rte_hash_crc_8byte(w[1], h);
	h = rte_hash_crc_8byte(w[2], h);
	h = rte_hash_crc_8byte(w[3], h);
	return rte_hash_crc_8byte(w[4], h);
}

uint32_t
dtc_endpoint_hash(const union dtc_addr *a, rte_be16_t port, uint32_t seed)
{
	uint32_t h = rte_hash_crc_8byte(a->a64[0], seed);

	h = rte_hash_crc_8byte(a->a64[1], h);
	return rte_hash_crc_2byte(port, h);
}

int
dtc_flow_key_cmp(const struct dtc_flow_key *a, const struct dtc_flow_key *b)
{
	const uint64_t *x = (const uint64_t *)a, *y = (const uint64_t *)b;

	/* Branch-free equality, as rte_hash's key comparators do. */
	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) |
		(x[4] ^ y[4])) != 0;
}

const char *
dtc_addr_fmt(uint8_t family, const union dtc_addr *a, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

int
dtc_addr_parse(const char *s, union dtc_addr *a)
{
	union dtc_addr tmp;

	memset(&tmp, 0, sizeof(tmp));
	if (s == NULL)
		return -EINVAL;
	if (inet_pton(AF_INET, s, &tmp.a32[0]) == 1) {
		*a = tmp;
		return 4;
	}
	if (inet_pton(AF_INET6, s, &tmp) == 1) {
		*a = tmp;
		return 6;
	}
	return -EINVAL;
}
