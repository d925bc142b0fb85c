/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Frame parser fuzzer.  Input: byte 0 picks the link type (low 3 bits) and allow_snap (bit 7),
 * byte 1 picks where the frame is split into mbuf segments, the rest is the frame.
 * Beyond "no crash, no read past the end" (the frame and every segment are exact-size heap
 * copies) it checks properties:
 *  - offsets and lengths reported are consistent and inside the frame;
 *  - dtc_parse_mbuf on a 3-segment chain agrees with dtc_parse;
 *  - on TCP/IP frames: a checksum made valid stays valid through every dtc_rw_* helper,
 *    and a v1 record built from an IPv4 segment decodes to the same fields as the packet;
 *  - an ICMP echo request turned into a reply keeps valid checksums.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dtc_ctl.h"
#include "dtc_proto.h"
#include "../fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const enum dtc_link links[8] = {
	DTC_LINK_ETHER, DTC_LINK_RAW, DTC_LINK_SLL, DTC_LINK_IPV4, DTC_LINK_IPV6,
	DTC_LINK_SLL2, (enum dtc_link)147, DTC_LINK_ETHER,
};

static void
check_layout(const struct dtc_pkt_info *pi, uint32_t len, bool snap)
{
	REQUIRE(pi->frame_len == len);
	REQUIRE(pi->l3_off <= len);
	REQUIRE(pi->n_vlan <= DTC_MAX_VLAN);
	if (pi->l3 == DTC_L3_ARP || pi->l3 == DTC_L3_NONE)
		return;
	REQUIRE(pi->family == (pi->l3 == DTC_L3_IPV4 ? 4 : 6));
	REQUIRE(pi->l3_off < pi->l4_off || pi->l4 == DTC_L4_NONE);
	REQUIRE(pi->l4_off <= pi->payload_off);
	/* Every header byte was in the frame. */
	REQUIRE(pi->payload_off <= len);
	/* The IP lengths are consistent: payload ends where the datagram ends. */
	REQUIRE((uint32_t)pi->payload_off + pi->payload_len == (uint32_t)pi->l3_off + pi->ip_len ||
		(pi->family == 6 && pi->ip_len == UINT16_MAX));
	if (!snap)
		REQUIRE((uint32_t)pi->l3_off + pi->ip_len <= len);
	if (pi->l4 == DTC_L4_TCP) {
		REQUIRE(pi->tcp_hlen >= 20 && pi->tcp_hlen <= 60);
		REQUIRE(pi->payload_off == pi->l4_off + pi->tcp_hlen);
		REQUIRE(pi->opts.sack_cnt <= 4);
		if (pi->opts.present & DTC_OPT_TS)
			REQUIRE(pi->opts.ts_off >= 20 && pi->opts.ts_off + 10 <= pi->tcp_hlen);
		else
			REQUIRE(pi->opts.ts_off == 0);
		if (pi->opts.present & DTC_OPT_MSS)
			REQUIRE(pi->opts.mss_off >= 20 && pi->opts.mss_off + 4 <= pi->tcp_hlen);
	}
}

/* A 3-segment mbuf chain of exact-size heap buffers, without a mempool. */
struct chain {
	struct rte_mbuf m[3];
	uint8_t *buf[3];
};

static void
chain_build(struct chain *c, const uint8_t *f, uint32_t len, uint32_t s1, uint32_t s2)
{
	uint32_t cuts[4] = {0, s1, s2, len};
	unsigned int i;

	memset(c->m, 0, sizeof(c->m));
	for (i = 0; i < 3; i++) {
		uint32_t n = cuts[i + 1] - cuts[i];

		c->buf[i] = malloc(n ? n : 1);
		memcpy(c->buf[i], f + cuts[i], n);
		c->m[i].buf_addr = c->buf[i];
		c->m[i].buf_len = (uint16_t)n;
		c->m[i].data_off = 0;
		c->m[i].data_len = (uint16_t)n;
		c->m[i].next = i < 2 ? &c->m[i + 1] : NULL;
	}
	c->m[0].pkt_len = len;
	c->m[0].nb_segs = 3;
}

static void
chain_free(struct chain *c)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		free(c->buf[i]);
}

static void
check_mbuf(const uint8_t *f, uint32_t len, enum dtc_link link, int ret,
	const struct dtc_pkt_info *pi, uint8_t split)
{
	struct chain c;
	struct dtc_pkt_info pm;
	uint32_t s1, s2;
	int rm;

	if (len > UINT16_MAX)
		return;
	s1 = len ? split % (len + 1) : 0;
	s2 = s1 + (len - s1) / 2;
	chain_build(&c, f, len, s1, s2);
	rm = dtc_parse_mbuf(&c.m[0], link, &pm);
	/* The mbuf parser sees the same bytes when the frame fits its 256-byte copy. */
	if (len <= 256) {
		REQUIRE(rm == ret);
		if (ret == 0) {
			REQUIRE(pm.l3 == pi->l3 && pm.l4 == pi->l4);
			REQUIRE(pm.payload_off == pi->payload_off || pm.l3 == DTC_L3_ARP);
			REQUIRE(pm.payload_len == pi->payload_len);
		}
	} else if (ret == 0 && rm == 0 && pi->l4 == DTC_L4_TCP) {
		REQUIRE(pm.payload_off == pi->payload_off && pm.seq == pi->seq);
	}
	if (rm == 0)
		(void)dtc_cksum_ok_mbuf(&c.m[0], &pm);
	if (rm == 0 && pm.l3 == DTC_L3_IPV4 && pm.l4 == DTC_L4_TCP) {
		uint8_t r1[DTC_V1_REC_LEN], r2[DTC_V1_REC_LEN];
		int e1 = dtc_v1_rec_encode_mbuf(r1, &c.m[0], &pm);
		int e2 = dtc_v1_rec_encode(r2, f + pm.l3_off, len - pm.l3_off);

		REQUIRE(e1 == e2);
		REQUIRE(e1 != 0 || memcmp(r1, r2, sizeof(r1)) == 0);
	}
	chain_free(&c);
}

static bool
tcp_ok(const uint8_t *l3, uint8_t family, const uint8_t *th)
{
	uint16_t want = dtc_tcp_cksum(l3, family), have;

	memcpy(&have, th + 16, 2);
	return have == want || (uint16_t)(have + want) == 0xffff;
}

/* Rewrites keep a valid TCP (and IPv4 header) checksum valid. */
static void
check_rewrite(uint8_t *f, const struct dtc_pkt_info *pi, const uint8_t *seed)
{
	uint8_t *l3 = f + pi->l3_off, *th = f + pi->l4_off;
	struct dtc_l3_view v = {.l3 = l3, .tcp = th, .family = pi->family};
	union dtc_addr a;
	uint16_t c;
	uint32_t x;

	/* dtc_tcp_cksum handles IPv4 and IPv6 without extension headers */
	if (pi->family == 6 && pi->l4_off != pi->l3_off + 40)
		return;
	if (pi->family == 4 && pi->l4_off != pi->l3_off + (l3[0] & 0xf) * 4u)
		return;
	c = dtc_tcp_cksum(l3, pi->family);
	memcpy(th + 16, &c, 2);
	if (pi->family == 4) {
		uint16_t ic;

		memset(l3 + 10, 0, 2);
		ic = (uint16_t)~rte_raw_cksum(l3, (l3[0] & 0xf) * 4u);
		memcpy(l3 + 10, &ic, 2);
	}
	memset(&a, 0, sizeof(a));
	memcpy(a.a8, seed, pi->family == 4 ? 4 : 16);
	memcpy(&x, seed + 3, 4);
	dtc_rw_src(&v, &a, (rte_be16_t)x);
	dtc_rw_dst(&v, &a, (rte_be16_t)(x >> 8));
	dtc_rw_seq(&v, x);
	dtc_rw_ack(&v, ~x);
	dtc_rw_win(&v, (uint16_t)x);
	dtc_rw_ts(&v, pi->opts.ts_off, x, x * 3);
	dtc_rw_mss(&v, pi->opts.mss_off, (uint16_t)(x >> 16));
	REQUIRE(tcp_ok(l3, pi->family, th));
	if (pi->family == 4)
		REQUIRE(rte_raw_cksum(l3, (l3[0] & 0xf) * 4u) == 0xffff);
}

static void
check_resp(const uint8_t *f, uint32_t len, const struct dtc_pkt_info *pi)
{
	uint8_t rec[DTC_V1_REC_LEN];
	struct dtc_resp a, b;

	REQUIRE(dtc_resp_from_pkt(pi, &a) == 0);
	if (pi->family != 4 || pi->is_frag)
		return;
	if (dtc_v1_rec_encode(rec, f + pi->l3_off, len - pi->l3_off) != 0)
		return;
	/* The parser accepted the options, so the record's (maybe cut) copy decodes. */
	REQUIRE(dtc_v1_rec_decode(rec, &b) == 0);
	REQUIRE(memcmp(&a.key, &b.key, sizeof(a.key)) == 0);
	REQUIRE(a.seq == b.seq && a.ack == b.ack && a.win == b.win && a.flags == b.flags);
	REQUIRE(a.payload_len == b.payload_len);
	/* The record carries only 24 option bytes; within them the options agree. */
	if (pi->tcp_hlen <= 44)
		REQUIRE(a.mss == b.mss && a.wscale == b.wscale && a.opt == b.opt &&
			a.tsval == b.tsval);
}

static void
check_icmp(uint8_t *f, uint32_t len, const struct dtc_pkt_info *pi)
{
	uint8_t *l3 = f + pi->l3_off;
	uint32_t l4_len = (uint32_t)pi->payload_off - pi->l4_off + pi->payload_len;
	uint16_t c;

	if (pi->l4 != DTC_L4_ICMP || pi->icmp_type != 8 || (uint32_t)pi->l4_off + l4_len > len)
		return;
	/* make the request's checksums valid, then the reply's must be too */
	memset(l3 + 10, 0, 2);
	c = (uint16_t)~rte_raw_cksum(l3, pi->l4_off - pi->l3_off);
	memcpy(l3 + 10, &c, 2);
	memset(f + pi->l4_off + 2, 0, 2);
	c = (uint16_t)~rte_raw_cksum(f + pi->l4_off, l4_len);
	memcpy(f + pi->l4_off + 2, &c, 2);
	if (dtc_icmp_echo_reply_inplace(f, pi) != 0)
		return;
	REQUIRE(f[pi->l4_off] == 0);
	REQUIRE(rte_raw_cksum(l3, pi->l4_off - pi->l3_off) == 0xffff);
	REQUIRE(rte_raw_cksum(f + pi->l4_off, l4_len) == 0xffff);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dtc_pkt_info pi;
	enum dtc_link link;
	uint8_t *f;
	uint32_t len;
	bool snap;
	int ret;

	if (size < 2 || size > 70000)
		return 0;
	link = links[data[0] & 7];
	snap = (data[0] & 0x80) != 0;
	len = (uint32_t)(size - 2);
	f = malloc(len ? len : 1);
	memcpy(f, data + 2, len);
	ret = dtc_parse(f, len, link, snap, &pi);
	REQUIRE(ret <= 0 && ret > -DTC_PERR_MAX);
	REQUIRE(dtc_perr_name(ret) != NULL);
	if (ret == 0)
		check_layout(&pi, len, snap);
	if (!snap)
		check_mbuf(f, len, link, ret, &pi, data[1]);
	if (ret == 0 && !snap && pi.l4 == DTC_L4_TCP && !pi.is_frag) {
		check_resp(f, len, &pi);
		if (len >= 24)
			check_rewrite(f, &pi, data + 2);
	}
	if (ret == 0 && !snap)
		check_icmp(f, len, &pi);
	free(f);
	return 0;
}
