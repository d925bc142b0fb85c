/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * An independent frame writer for tests: byte by byte, big-endian by hand, with its own
 * checksum routine (a byte-wise RFC 1071 sum, not DPDK's word sum and not lib/proto's), so a
 * test compares the library against something it does not share code with.
 */

#ifndef DTC_PKTGEN_H
#define DTC_PKTGEN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void
pg_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
pg_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint16_t
pg_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
pg_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Byte-wise ones' complement sum (not folded past 32 bits until the end). */
static inline uint32_t
pg_sum(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

/* Fold and complement: the checksum as a host-order number (store with pg_put16). */
static inline uint16_t
pg_csum_final(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Reference TCP checksum of an L4 segment (checksum field taken as zero). */
static inline uint16_t
pg_tcp_csum(int family, const uint8_t *src, const uint8_t *dst, const uint8_t *l4, size_t len)
{
	unsigned int alen = family == 4 ? 4 : 16;
	uint8_t tmp[4];
	uint32_t sum = 0;

	sum = pg_sum(src, alen, sum);
	sum = pg_sum(dst, alen, sum);
	pg_put32(tmp, (uint32_t)len);
	sum = pg_sum(tmp, 4, sum);
	sum += 6;
	sum = pg_sum(l4, 16, sum);
	sum = pg_sum(l4 + 18, len - 18, sum);
	return pg_csum_final(sum);
}

/* A TCP segment description. */
struct pg_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	const uint8_t *opts; /* length a multiple of 4 for a well-formed header */
	unsigned int optlen;
	const uint8_t *payload;
	unsigned int plen;
	int doff_override;   /* != 0: write this data offset instead (malformed tests) */
};

static inline size_t
pg_tcp_write(uint8_t *p, const struct pg_tcp *t)
{
	unsigned int hlen = 20 + t->optlen;

	pg_put16(p, t->sport);
	pg_put16(p + 2, t->dport);
	pg_put32(p + 4, t->seq);
	pg_put32(p + 8, t->ack);
	p[12] = (uint8_t)((t->doff_override ? t->doff_override : (int)(hlen / 4)) << 4);
	p[13] = t->flags;
	pg_put16(p + 14, t->win);
	pg_put16(p + 16, 0);
	pg_put16(p + 18, 0);
	if (t->optlen)
		memcpy(p + 20, t->opts, t->optlen);
	if (t->plen)
		memcpy(p + hlen, t->payload, t->plen);
	return hlen + t->plen;
}

static inline size_t
pg_eth(uint8_t *p, uint16_t type)
{
	static const uint8_t macs[12] = {0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02};

	memcpy(p, macs, 12);
	pg_put16(p + 12, type);
	return 14;
}

/* IPv4 + TCP at p; ipopts (multiple of 4) after the fixed header.  Returns the length. */
static inline size_t
pg_ipv4_tcp(uint8_t *p, const uint8_t src[4], const uint8_t dst[4], const uint8_t *ipopts,
	unsigned int ipoptlen, const struct pg_tcp *t)
{
	unsigned int ihl = 20 + ipoptlen;
	size_t l4 = pg_tcp_write(p + ihl, t);

	p[0] = (uint8_t)(0x40 | ihl / 4);
	p[1] = 0;
	pg_put16(p + 2, (uint16_t)(ihl + l4));
	pg_put16(p + 4, 0x1234);
	pg_put16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = 6;
	pg_put16(p + 10, 0);
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	if (ipoptlen)
		memcpy(p + 20, ipopts, ipoptlen);
	pg_put16(p + 10, pg_csum_final(pg_sum(p, ihl, 0)));
	pg_put16(p + ihl + 16, pg_tcp_csum(4, src, dst, p + ihl, l4));
	return ihl + l4;
}

/* IPv6 + optional extension headers (ext, already chained, last next-header = TCP) + TCP. */
static inline size_t
pg_ipv6_tcp(uint8_t *p, const uint8_t src[16], const uint8_t dst[16], uint8_t first_nh,
	const uint8_t *ext, unsigned int extlen, const struct pg_tcp *t)
{
	size_t l4 = pg_tcp_write(p + 40 + extlen, t);

	pg_put32(p, 6u << 28);
	pg_put16(p + 4, (uint16_t)(extlen + l4));
	p[6] = extlen ? first_nh : 6;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	if (extlen)
		memcpy(p + 40, ext, extlen);
	pg_put16(p + 40 + extlen + 16, pg_tcp_csum(6, src, dst, p + 40 + extlen, l4));
	return 40 + extlen + l4;
}

/* Verify the checksums of an IP/TCP packet with the reference sum (IPv6: no ext headers
 * unless l4_off says so).  Returns 1 when both are right. */
static inline int
pg_tcp_ok(int family, const uint8_t *ip, size_t l4_off)
{
	const uint8_t *src = family == 4 ? ip + 12 : ip + 8;
	const uint8_t *dst = family == 4 ? ip + 16 : ip + 24;
	size_t len;
	uint32_t sum = 0;
	uint8_t tmp[4];

	if (family == 4) {
		if (pg_csum_final(pg_sum(ip, (size_t)(ip[0] & 0xf) * 4, 0)) != 0)
			return 0;
		len = pg_get16(ip + 2) - l4_off;
	} else {
		len = 40 + pg_get16(ip + 4) - l4_off;
	}
	sum = pg_sum(src, family == 4 ? 4 : 16, sum);
	sum = pg_sum(dst, family == 4 ? 4 : 16, sum);
	pg_put32(tmp, (uint32_t)len);
	sum = pg_sum(tmp, 4, sum);
	sum += 6;
	sum = pg_sum(ip + l4_off, len, sum);
	return pg_csum_final(sum) == 0;
}

#endif /* DTC_PKTGEN_H */
