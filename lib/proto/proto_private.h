/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Helpers shared by the lib/proto sources; not part of the public API. */

#ifndef DTC_PROTO_PRIVATE_H
#define DTC_PROTO_PRIVATE_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

/*
 * Packet buffers carry no alignment guarantee (an IP header sits at offset 14, 18 or 22, a
 * fuzzer hands us any address), so multi-byte fields are read and written through memcpy,
 * which compiles to a plain load/store on x86 and keeps UBSan's alignment check quiet.
 */
static inline uint16_t
dtc_rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_16(v);
}

static inline uint32_t
dtc_rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_32(v);
}

static inline void
dtc_wr16(uint8_t *p, uint16_t host)
{
	uint16_t v = rte_cpu_to_be_16(host);

	memcpy(p, &v, sizeof(v));
}

static inline void
dtc_wr32(uint8_t *p, uint32_t host)
{
	uint32_t v = rte_cpu_to_be_32(host);

	memcpy(p, &v, sizeof(v));
}

/* Fold a 32-bit ones' complement accumulator to 16 bits (not complemented). */
static inline uint16_t
dtc_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * Non-complemented sum of the TCP pseudo header.  Addresses are raw network-order bytes
 * (4 or 16 of them); the protocol is always TCP; l4_len is host order.
 */
static inline uint32_t
dtc_phdr_sum(const void *src, const void *dst, unsigned int alen, uint32_t l4_len)
{
	uint32_t sum;

	sum = __rte_raw_cksum(src, alen, 0);
	sum = __rte_raw_cksum(dst, alen, sum);
	sum += rte_cpu_to_be_16(IPPROTO_TCP);
	sum += rte_cpu_to_be_16((uint16_t)l4_len);
	sum += rte_cpu_to_be_16((uint16_t)(l4_len >> 16));
	return sum;
}

#endif /* DTC_PROTO_PRIVATE_H */
