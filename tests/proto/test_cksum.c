/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Checksums and rewrite helpers against full recomputation by an independent byte-wise
 * implementation (pktgen.h), on many random IPv4/IPv6 TCP packets: random IP options, TCP
 * options at every alignment, odd and even payloads, multi-segment mbufs split anywhere, and
 * the TX offload path.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dtc_proto.h"
#include "../common/dtc_check.h"
#include "../common/dtc_test_eal.h"
#include "pktgen.h"

#define ROUNDS 3000

static struct rte_mempool *mp;

struct rpkt {
	uint8_t f[1600];  /* Ethernet frame */
	size_t len;
	int family;
	size_t l4_off;    /* from the IP header */
};

/* Random TCP options: NOPs in front (any alignment), then some of MSS/TS/WS/SACK-ok/unknown,
 * padded with NOPs to a multiple of 4. */
static unsigned int
rand_opts(uint8_t *o)
{
	unsigned int n = dtc_rand_range(4);

	memset(o, 1, n);
	if (dtc_rand() & 1) {
		o[n] = 2; o[n + 1] = 4; pg_put16(o + n + 2, (uint16_t)dtc_rand());
		n += 4;
	}
	if (dtc_rand() & 1) {
		o[n] = 8; o[n + 1] = 10; dtc_rand_bytes(o + n + 2, 8);
		n += 10;
	}
	if (dtc_rand() & 1) {
		o[n] = 3; o[n + 1] = 3; o[n + 2] = (uint8_t)dtc_rand_range(15);
		n += 3;
	}
	if (dtc_rand() & 1) {
		o[n] = 4; o[n + 1] = 2;
		n += 2;
	}
	if (dtc_rand() & 1) {
		o[n] = 253; o[n + 1] = 4; dtc_rand_bytes(o + n + 2, 2);
		n += 4;
	}
	while (n % 4)
		o[n++] = 1;
	return n;
}

static void
rand_pkt(struct rpkt *p)
{
	uint8_t opts[40], ipopts[40], payload[1400], a[16], b[16];
	struct pg_tcp t;
	size_t n;
	unsigned int ipoptlen = 4 * dtc_rand_range(11);

	memset(&t, 0, sizeof(t));
	t.sport = (uint16_t)dtc_rand();
	t.dport = (uint16_t)dtc_rand();
	t.seq = (uint32_t)dtc_rand();
	t.ack = (uint32_t)dtc_rand();
	t.flags = (uint8_t)dtc_rand();
	t.win = (uint16_t)dtc_rand();
	t.optlen = rand_opts(opts);
	t.opts = opts;
	t.plen = dtc_rand_range(4) == 0 ? 0 : dtc_rand_range(sizeof(payload) - 40);
	dtc_rand_bytes(payload, t.plen);
	t.payload = payload;
	dtc_rand_bytes(a, 16);
	dtc_rand_bytes(b, 16);
	dtc_rand_bytes(ipopts, sizeof(ipopts));
	p->family = (dtc_rand() & 1) ? 4 : 6;
	n = pg_eth(p->f, p->family == 4 ? 0x0800 : 0x86dd);
	if (p->family == 4) {
		p->len = n + pg_ipv4_tcp(p->f + n, a, b, ipopts, ipoptlen, &t);
		p->l4_off = 20 + ipoptlen;
	} else {
		p->len = n + pg_ipv6_tcp(p->f + n, a, b, 0, NULL, 0, &t);
		p->l4_off = 40;
	}
}

static struct rte_mbuf *
chain_of(const uint8_t *f, size_t len)
{
	struct rte_mbuf *head = NULL;
	size_t off = 0;

	while (off < len) {
		size_t part = dtc_rand_range(3) == 0 ? len - off : 1 + dtc_rand_range(
			(uint32_t)(len - off));
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

		if (m == NULL)
			abort();
		memcpy(rte_pktmbuf_append(m, (uint16_t)part), f + off, part);
		off += part;
		if (head == NULL)
			head = m;
		else if (rte_pktmbuf_chain(head, m) != 0)
			abort();
	}
	return head;
}

static void
test_full(void)
{
	unsigned int i;

	for (i = 0; i < ROUNDS; i++) {
		struct rpkt p;
		struct dtc_pkt_info pi;
		struct rte_mbuf *m;
		uint8_t *ip, *th;
		uint16_t stored;

		rand_pkt(&p);
		ip = p.f + 14;
		th = ip + p.l4_off;
		memcpy(&stored, th + 16, 2);
		CHECK_EQF(dtc_tcp_cksum(ip, (uint8_t)p.family), stored, "round %u", i);

		m = chain_of(p.f, p.len);
		CHECK_EQF(dtc_tcp_cksum_mbuf(m, 14, (uint8_t)p.family), stored, "round %u segs %u",
			i, m->nb_segs);
		CHECK_EQ(dtc_parse_mbuf(m, DTC_LINK_ETHER, &pi), 0);
		CHECK(dtc_cksum_ok_mbuf(m, &pi));
		rte_pktmbuf_free(m);

		/* One flipped bit anywhere in the TCP segment or IPv4 header is detected. */
		{
			size_t lo = p.family == 4 ? 14 : 14 + 8, pos;
			uint8_t bit = (uint8_t)(1u << dtc_rand_range(8));

			pos = lo + dtc_rand_range((uint32_t)(p.len - lo));
			if (p.family == 4 && pos >= 14 + 2 && pos < 14 + 4)
				pos += 4; /* a tot_len flip would change the parse, not the sum */
			p.f[pos] ^= bit;
			m = chain_of(p.f, p.len);
			if (dtc_parse_mbuf(m, DTC_LINK_ETHER, &pi) == 0)
				CHECKF(!dtc_cksum_ok_mbuf(m, &pi), "round %u pos %zu", i, pos);
			rte_pktmbuf_free(m);
		}
	}
}

/* One random rewrite; the expected field value is checked and the checksums recomputed. */
static void
rewrite_once(struct rpkt *p, unsigned int round)
{
	struct dtc_pkt_info pi;
	struct dtc_l3_view v;
	union dtc_addr a;
	uint8_t *ip = p->f + 14, *th;
	uint32_t x = (uint32_t)dtc_rand();
	rte_be16_t port = (rte_be16_t)dtc_rand();
	unsigned int op = dtc_rand_range(7);

	CHECK_EQ(dtc_parse(p->f, (uint32_t)p->len, DTC_LINK_ETHER, false, &pi), 0);
	th = p->f + pi.l4_off;
	v.l3 = ip;
	v.tcp = th;
	v.family = (uint8_t)p->family;
	memset(&a, 0, sizeof(a));
	dtc_rand_bytes(a.a8, p->family == 4 ? 4 : 16);
	switch (op) {
	case 0:
		dtc_rw_src(&v, &a, port);
		CHECK(memcmp(ip + (p->family == 4 ? 12 : 8), a.a8, p->family == 4 ? 4 : 16) == 0);
		CHECK(memcmp(th, &port, 2) == 0);
		break;
	case 1:
		dtc_rw_dst(&v, &a, port);
		CHECK(memcmp(ip + (p->family == 4 ? 16 : 24), a.a8, p->family == 4 ? 4 : 16) == 0);
		CHECK(memcmp(th + 2, &port, 2) == 0);
		break;
	case 2:
		dtc_rw_seq(&v, x);
		CHECK_EQ(pg_get32(th + 4), x);
		break;
	case 3:
		dtc_rw_ack(&v, x);
		CHECK_EQ(pg_get32(th + 8), x);
		break;
	case 4:
		dtc_rw_win(&v, (uint16_t)x);
		CHECK_EQ(pg_get16(th + 14), (uint16_t)x);
		break;
	case 5:
		dtc_rw_ts(&v, pi.opts.ts_off, x, ~x);
		if (pi.opts.ts_off) {
			CHECK_EQ(pg_get32(th + pi.opts.ts_off + 2), x);
			CHECK_EQ(pg_get32(th + pi.opts.ts_off + 6), ~x);
		}
		break;
	default:
		dtc_rw_mss(&v, pi.opts.mss_off, (uint16_t)x);
		if (pi.opts.mss_off)
			CHECK_EQ(pg_get16(th + pi.opts.mss_off + 2), (uint16_t)x);
		break;
	}
	CHECKF(pg_tcp_ok(p->family, ip, p->l4_off), "round %u op %u family %d ts_off %u",
		round, op, p->family, pi.opts.ts_off);
}

static void
test_rewrite(void)
{
	unsigned int i, k;

	for (i = 0; i < ROUNDS; i++) {
		struct rpkt p;

		rand_pkt(&p);
		for (k = 0; k < 1 + dtc_rand_range(6); k++)
			rewrite_once(&p, i);
	}
}

/* The RFC 1624 corner: a field change that drives the sum to 0 must keep a valid checksum. */
static void
test_adjust_corner(void)
{
	uint16_t w[4] = {0x1234, 0xedcb, 0, 0}, c;
	uint32_t s;

	/* checksum over 3 words, w[2] is the checksum field */
	s = (uint32_t)w[0] + w[1];
	w[2] = (uint16_t)~((s & 0xffff) + (s >> 16));
	c = dtc_csum_adjust16(w[2], w[1], 0x0000);
	w[1] = 0;
	w[2] = c;
	s = (uint32_t)w[0] + w[1] + w[2];
	s = (s & 0xffff) + (s >> 16);
	CHECK_EQ(s, 0xffff);
	/* adjust32 is two adjust16 */
	CHECK_EQ(dtc_csum_adjust32(0x5555, 0x11112222, 0x33334444),
		dtc_csum_adjust16(dtc_csum_adjust16(0x5555, 0x1111, 0x3333), 0x2222, 0x4444));
}

static uint16_t
ref_phdr(int family, const uint8_t *ip, size_t l4_len)
{
	uint8_t tmp[4];
	uint32_t sum = 0;
	unsigned int alen = family == 4 ? 4 : 16;

	sum = pg_sum(ip + (family == 4 ? 12 : 8), alen, sum);
	sum = pg_sum(ip + (family == 4 ? 16 : 24), alen, sum);
	pg_put32(tmp, (uint32_t)l4_len);
	sum = pg_sum(tmp, 4, sum);
	sum += 6;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void
test_tx(void)
{
	unsigned int i;

	for (i = 0; i < 400; i++) {
		struct rpkt p;
		struct rte_mbuf *m;
		uint8_t *ip, *th, flat[1600];
		uint64_t offl = 0;
		size_t l4_len;

		rand_pkt(&p);
		ip = p.f + 14;
		th = ip + p.l4_off;
		th[16] ^= 0x5a; /* stale checksums, as after a rewrite without adjust */
		if (p.family == 4)
			ip[10] ^= 0xa5;
		if (i & 1)
			offl |= RTE_ETH_TX_OFFLOAD_TCP_CKSUM;
		if (i & 2)
			offl |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		m = chain_of(p.f, p.len);
		/* headers in the first segment, payload may be chained */
		if (rte_pktmbuf_data_len(m) < 14 + p.l4_off + ((th[12] >> 4) * 4u)) {
			rte_pktmbuf_free(m);
			continue;
		}
		dtc_tx_cksum(m, (uint8_t)p.family, offl);
		CHECK_EQ(m->l2_len, 14);
		CHECK_EQ(m->l3_len, p.l4_off);
		CHECK_EQ(m->l4_len, (th[12] >> 4) * 4u);
		memcpy(flat, rte_pktmbuf_read(m, 0, (uint32_t)p.len, flat), p.len);
		ip = flat + 14;
		th = ip + p.l4_off;
		l4_len = p.len - 14 - p.l4_off;
		if (p.family == 4 && (offl & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)) {
			CHECK(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM);
			CHECK_EQ(pg_get16(ip + 10), 0);
		} else if (p.family == 4) {
			CHECK(!(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM));
			CHECK_EQ(pg_csum_final(pg_sum(ip, p.l4_off, 0)), 0);
		}
		if (offl & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) {
			CHECK(m->ol_flags & RTE_MBUF_F_TX_TCP_CKSUM);
			CHECK(m->ol_flags & (p.family == 4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6));
			CHECK_EQ(pg_get16(th + 16), ref_phdr(p.family, ip, l4_len));
		} else {
			CHECK(!(m->ol_flags & RTE_MBUF_F_TX_TCP_CKSUM));
			if (p.family == 6 || !(offl & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM))
				CHECKF(pg_tcp_ok(p.family, ip, p.l4_off), "round %u", i);
		}
		rte_pktmbuf_free(m);
	}
}

int
main(int argc, char **argv)
{
	(void)argc;
	if (dtc_test_eal_init(argv[0], "proto-cksum", 128) < 0)
		return 1;
	mp = rte_pktmbuf_pool_create("cksum", 256, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM, 0);
	if (mp == NULL)
		return 1;
	printf("seed 0x%" PRIx64 "\n", dtc_rng);
	test_adjust_corner();
	test_full();
	test_rewrite();
	test_tx();
	rte_mempool_free(mp);
	dtc_test_eal_fini();
	return dtc_check_end("test_cksum");
}
