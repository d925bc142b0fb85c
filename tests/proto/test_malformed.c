/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Malformed input table.  Every case is parsed from an exact-size heap copy, so under
 * AddressSanitizer (the .ci/run sanitizer build) a read one byte past the end aborts.
 *  - every base frame truncated at every byte offset, with and without allow_snap: the
 *    expected error is derived here from the frame's layout, not from the parser;
 *  - IHL < 5 or beyond the frame, total/payload lengths that lie, TCP data offset < 5 or
 *    beyond, option lengths 0, 1 and past the end, IPv6 extension chains longer than the
 *    bound or overrunning, unknown ethertypes and link types, three VLAN tags, version
 *    mismatches;
 *  - control-channel frames with counts 0, 17, 65535, truncated routes/records, partial
 *    frames fed byte by byte.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_ctl.h"
#include "dtc_proto.h"
#include "../common/dtc_check.h"
#include "pktgen.h"

static const uint8_t A4[4] = {198, 18, 0, 1}, B4[4] = {198, 18, 0, 2};
static const uint8_t A6[16] = {0xfd, [15] = 1}, B6[16] = {0xfd, [15] = 2};
static const uint8_t TS[12] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
static uint8_t body[300];

/* Parse an exact-size heap copy; check the result. */
static int
parse_exact(const uint8_t *f, uint32_t len, enum dtc_link link, bool snap)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct dtc_pkt_info pi;
	int r;

	memcpy(copy, f, len);
	r = dtc_parse(copy, len, link, snap, &pi);
	free(copy);
	return r;
}

static void
expect(const char *name, const uint8_t *f, uint32_t len, enum dtc_link link, bool snap,
	int want)
{
	int got = parse_exact(f, len, link, snap);

	CHECKF(got == want, "%s: got %s, want %s", name, dtc_perr_name(got), dtc_perr_name(want));
}

/* ---- truncation at every offset ---- */

/* Layout of a base frame, described independently of the parser. */
struct layout {
	const char *name;
	enum dtc_link link;
	uint8_t f[600];
	uint32_t len;
	uint32_t l2;       /* link header incl. VLAN tags (bytes needed before L3) */
	uint32_t l3_min;   /* 20 / 40 / 8 (ARP fixed part) */
	uint32_t l3_hdr;   /* IHL*4, or 40 + extension headers (IPv6), 28 (ARP) */
	uint32_t ip_end;   /* l2 + IP total length (0 for ARP) */
	int l4;            /* 6 TCP, 17 UDP, 1/58 ICMP, 0 none */
	uint32_t l4_hdr;   /* TCP doff*4, 8 for UDP/ICMP */
	uint32_t ext_starts[4], n_ext, ext_lens[4];
};

static int
trunc_want(const struct layout *lo, uint32_t cut, bool snap)
{
	uint32_t l4 = lo->l2 + lo->l3_hdr, i;

	if (lo->link == DTC_LINK_RAW && cut == 0)
		return -DTC_PERR_IP_TRUNC;
	if (cut < lo->l2)
		return -DTC_PERR_L2_TRUNC;
	if (lo->l4 == 0) /* ARP */
		return cut < lo->l2 + lo->l3_hdr ? -DTC_PERR_ARP_TRUNC : 0;
	if (cut < lo->l2 + lo->l3_min)
		return -DTC_PERR_IP_TRUNC;
	if (lo->l3_min == 20 && cut < l4)
		return -DTC_PERR_IP_IHL;
	if (cut < lo->ip_end && !snap)
		return -DTC_PERR_IP_TOTLEN;
	for (i = 0; i < lo->n_ext; i++)
		if (cut < lo->ext_starts[i] + RTE_MAX(8u, lo->ext_lens[i]))
			return -DTC_PERR_IP6_EXT_TRUNC;
	if (lo->l4 == 6) {
		if (cut < l4 + 20)
			return -DTC_PERR_TCP_TRUNC;
		if (cut < l4 + lo->l4_hdr)
			return -DTC_PERR_TCP_DOFF;
	} else if (cut < l4 + 8) {
		return lo->l4 == 17 ? -DTC_PERR_UDP_TRUNC : -DTC_PERR_ICMP_TRUNC;
	}
	return 0;
}

static void
truncate_all(const struct layout *lo)
{
	uint32_t cut;
	char name[128];

	for (cut = 0; cut <= lo->len; cut++) {
		snprintf(name, sizeof(name), "%s cut %u", lo->name, cut);
		expect(name, lo->f, cut, lo->link, false, trunc_want(lo, cut, false));
		snprintf(name, sizeof(name), "%s cut %u snap", lo->name, cut);
		expect(name, lo->f, cut, lo->link, true, trunc_want(lo, cut, true));
	}
}

static struct pg_tcp
seg(const uint8_t *opts, unsigned int optlen, unsigned int plen)
{
	struct pg_tcp t = {.sport = 1234, .dport = 80, .seq = 1, .ack = 2, .flags = 0x18,
		.win = 1000, .opts = opts, .optlen = optlen, .payload = body, .plen = plen};
	return t;
}

static void
test_truncation(void)
{
	static const uint8_t ipopt[8] = {1, 1, 1, 1, 1, 1, 1, 0};
	struct layout lo;
	struct pg_tcp t = seg(TS, sizeof(TS), 13);
	uint8_t ext[24];
	size_t n;

	/* Ethernet / IPv4 with options / TCP with options / payload */
	memset(&lo, 0, sizeof(lo));
	lo.name = "eth-ip4opt-tcp";
	lo.link = DTC_LINK_ETHER;
	n = pg_eth(lo.f, 0x0800);
	lo.len = (uint32_t)(n + pg_ipv4_tcp(lo.f + n, A4, B4, ipopt, 8, &t));
	lo.l2 = 14; lo.l3_min = 20; lo.l3_hdr = 28; lo.ip_end = lo.len; lo.l4 = 6; lo.l4_hdr = 32;
	truncate_all(&lo);

	/* QinQ / IPv6 / HBH(8) / DST(16) / TCP */
	memset(&lo, 0, sizeof(lo));
	lo.name = "qinq-ip6ext-tcp";
	lo.link = DTC_LINK_ETHER;
	n = pg_eth(lo.f, 0x88a8);
	pg_put16(lo.f + n, 1); pg_put16(lo.f + n + 2, 0x8100);
	pg_put16(lo.f + n + 4, 2); pg_put16(lo.f + n + 6, 0x86dd);
	n += 8;
	memset(ext, 0, sizeof(ext));
	ext[0] = 60; ext[1] = 0; ext[8] = 6; ext[9] = 1;
	lo.len = (uint32_t)(n + pg_ipv6_tcp(lo.f + n, A6, B6, 0, ext, 24, &t));
	lo.l2 = 22; lo.l3_min = 40; lo.l3_hdr = 64; lo.ip_end = lo.len; lo.l4 = 6; lo.l4_hdr = 32;
	lo.n_ext = 2;
	lo.ext_starts[0] = 62; lo.ext_lens[0] = 8;
	lo.ext_starts[1] = 70; lo.ext_lens[1] = 16;
	truncate_all(&lo);

	/* SLL2 / IPv4 / UDP */
	memset(&lo, 0, sizeof(lo));
	lo.name = "sll2-ip4-udp";
	lo.link = DTC_LINK_SLL2;
	pg_put16(lo.f, 0x0800);
	lo.f[20] = 0x45; pg_put16(lo.f + 22, 20 + 8 + 5); lo.f[29] = 17;
	lo.len = 20 + 33;
	lo.l2 = 20; lo.l3_min = 20; lo.l3_hdr = 20; lo.ip_end = lo.len; lo.l4 = 17;
	lo.l4_hdr = 8;
	truncate_all(&lo);

	/* SLL / IPv6 / ICMPv6 */
	memset(&lo, 0, sizeof(lo));
	lo.name = "sll-ip6-icmp6";
	lo.link = DTC_LINK_SLL;
	pg_put16(lo.f + 14, 0x86dd);
	lo.f[16] = 0x60; pg_put16(lo.f + 20, 12); lo.f[22] = 58;
	lo.len = 16 + 40 + 12;
	lo.l2 = 16; lo.l3_min = 40; lo.l3_hdr = 40; lo.ip_end = lo.len; lo.l4 = 58;
	lo.l4_hdr = 8;
	truncate_all(&lo);

	/* raw IPv4 / ICMP */
	memset(&lo, 0, sizeof(lo));
	lo.name = "raw-ip4-icmp";
	lo.link = DTC_LINK_RAW;
	lo.f[0] = 0x45; pg_put16(lo.f + 2, 20 + 8 + 3); lo.f[9] = 1;
	lo.len = 31;
	lo.l2 = 0; lo.l3_min = 20; lo.l3_hdr = 20; lo.ip_end = 31; lo.l4 = 1; lo.l4_hdr = 8;
	truncate_all(&lo);

	/* Ethernet / ARP */
	memset(&lo, 0, sizeof(lo));
	lo.name = "eth-arp";
	lo.link = DTC_LINK_ETHER;
	n = pg_eth(lo.f, 0x0806);
	pg_put16(lo.f + n, 1); pg_put16(lo.f + n + 2, 0x0800); lo.f[n + 4] = 6; lo.f[n + 5] = 4;
	lo.len = 42;
	lo.l2 = 14; lo.l3_hdr = 28; lo.l4 = 0;
	truncate_all(&lo);
}

/* ---- field lies ---- */

static size_t
eth_ip4_tcp(uint8_t *f, const uint8_t *opts, unsigned int optlen, unsigned int plen)
{
	struct pg_tcp t = seg(opts, optlen, plen);
	size_t n = pg_eth(f, 0x0800);

	return n + pg_ipv4_tcp(f + n, A4, B4, NULL, 0, &t);
}

static void
test_ip4_lies(void)
{
	uint8_t f[400], g[400];
	size_t n = eth_ip4_tcp(f, TS, sizeof(TS), 50);
	unsigned int v;
	char name[64];

	expect("valid", f, (uint32_t)n, DTC_LINK_ETHER, false, 0);
	for (v = 0; v < 5; v++) {
		memcpy(g, f, n);
		g[14] = (uint8_t)(0x40 | v);
		snprintf(name, sizeof(name), "ihl %u", v);
		expect(name, g, (uint32_t)n, DTC_LINK_ETHER, false, -DTC_PERR_IP_IHL);
	}
	/* IHL 15 (60 bytes) in a 40-byte datagram frame */
	memcpy(g, f, n);
	g[14] = 0x4f;
	expect("ihl beyond frame", g, 14 + 40, DTC_LINK_ETHER, true, -DTC_PERR_IP_IHL);
	/* IHL 15 within the frame but beyond tot_len */
	pg_put16(g + 16, 40);
	expect("ihl beyond tot_len", g, (uint32_t)n, DTC_LINK_ETHER, false, -DTC_PERR_IP_TOTLEN);

	memcpy(g, f, n);
	pg_put16(g + 16, (uint16_t)(n - 14 + 1));
	expect("tot_len one past frame", g, (uint32_t)n, DTC_LINK_ETHER, false,
		-DTC_PERR_IP_TOTLEN);
	expect("tot_len past frame, snap", g, (uint32_t)n, DTC_LINK_ETHER, true, 0);
	pg_put16(g + 16, 65535);
	expect("tot_len 65535", g, (uint32_t)n, DTC_LINK_ETHER, false, -DTC_PERR_IP_TOTLEN);
	pg_put16(g + 16, 19);
	expect("tot_len below ihl", g, (uint32_t)n, DTC_LINK_ETHER, false, -DTC_PERR_IP_TOTLEN);
	pg_put16(g + 16, 0);
	expect("tot_len 0", g, (uint32_t)n, DTC_LINK_ETHER, true, -DTC_PERR_IP_TOTLEN);
	pg_put16(g + 16, 20 + 19);
	expect("tot_len cuts tcp header", g, (uint32_t)n, DTC_LINK_ETHER, false,
		-DTC_PERR_TCP_TRUNC);
	pg_put16(g + 16, 20 + 31);
	expect("tot_len cuts tcp options", g, (uint32_t)n, DTC_LINK_ETHER, false,
		-DTC_PERR_TCP_DOFF);
	pg_put16(g + 16, 20 + 32);
	expect("tot_len = headers", g, (uint32_t)n, DTC_LINK_ETHER, false, 0);

	memcpy(g, f, n);
	g[14] = 0x65;
	expect("version 6 in 0x0800", g, (uint32_t)n, DTC_LINK_ETHER, false,
		-DTC_PERR_IP_VERSION);
	expect("version 6 as LINK_IPV4", g + 14, (uint32_t)n - 14, DTC_LINK_IPV4, false,
		-DTC_PERR_IP_VERSION);
	g[14] = 0x55;
	expect("raw version 5", g + 14, (uint32_t)n - 14, DTC_LINK_RAW, false,
		-DTC_PERR_IP_VERSION);
	expect("unknown link", f, (uint32_t)n, (enum dtc_link)12345, false, -DTC_PERR_LINK);
	expect("empty raw", f, 0, DTC_LINK_RAW, false, -DTC_PERR_IP_TRUNC);
	expect("empty ipv6 link", f, 0, DTC_LINK_IPV6, false, -DTC_PERR_IP_TRUNC);
}

static void
test_tcp_lies(void)
{
	uint8_t f[400], g[400];
	size_t n = eth_ip4_tcp(f, TS, sizeof(TS), 0);
	unsigned int v;
	char name[64];
	static const struct {
		const char *name;
		uint8_t opt[12];
		int want;
	} opts[] = {
		{"opt len 0", {2, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, -DTC_PERR_TCP_OPT},
		{"opt len 1", {1, 1, 8, 1, 1, 1, 1, 1, 1, 1, 1, 1}, -DTC_PERR_TCP_OPT},
		{"opt past end", {1, 1, 1, 1, 1, 1, 8, 10, 0, 0, 0, 0}, -DTC_PERR_TCP_OPT},
		{"opt len byte missing", {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 30}, -DTC_PERR_TCP_OPT},
		{"unknown len 255", {254, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, -DTC_PERR_TCP_OPT},
		{"eol hides garbage", {1, 0, 2, 0, 9, 1, 1, 1, 1, 1, 1, 1}, 0},
		{"unknown skipped", {99, 4, 0, 0, 2, 4, 5, 180, 1, 1, 1, 0}, 0},
		{"mss wrong len", {2, 6, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, 0},
		{"sack len 3", {1, 1, 5, 3, 0, 1, 1, 1, 1, 1, 1, 1}, 0},
	};

	for (v = 0; v < 5; v++) {
		memcpy(g, f, n);
		g[14 + 20 + 12] = (uint8_t)(v << 4);
		snprintf(name, sizeof(name), "doff %u", v);
		expect(name, g, (uint32_t)n, DTC_LINK_ETHER, false, -DTC_PERR_TCP_DOFF);
	}
	memcpy(g, f, n);
	g[14 + 20 + 12] = 0xf0;
	expect("doff 15 beyond datagram", g, (uint32_t)n, DTC_LINK_ETHER, false,
		-DTC_PERR_TCP_DOFF);
	for (v = 0; v < RTE_DIM(opts); v++) {
		memcpy(g, f, n);
		memcpy(g + 14 + 40, opts[v].opt, 12);
		expect(opts[v].name, g, (uint32_t)n, DTC_LINK_ETHER, false, opts[v].want);
	}
}

/* IPv6 with n extension headers of the given kind (8 bytes each) before TCP. */
static size_t
ip6_chain(uint8_t *f, unsigned int n, uint8_t kind)
{
	uint8_t ext[8 * 16];
	struct pg_tcp t = seg(NULL, 0, 4);
	unsigned int i;
	size_t l2 = pg_eth(f, 0x86dd);

	memset(ext, 0, sizeof(ext));
	for (i = 0; i < n; i++)
		ext[8 * i] = i + 1 < n ? kind : 6;
	return l2 + pg_ipv6_tcp(f + l2, A6, B6, kind, ext, 8 * n, &t);
}

static void
test_ip6_lies(void)
{
	uint8_t f[400];
	size_t n;
	char name[64];
	unsigned int k, i;
	static const uint8_t kinds[] = {0, 43, 60};

	for (k = 0; k < RTE_DIM(kinds); k++) {
		for (i = 1; i <= 12; i++) {
			n = ip6_chain(f, i, kinds[k]);
			snprintf(name, sizeof(name), "ext chain %u x %u", i, kinds[k]);
			expect(name, f, (uint32_t)n, DTC_LINK_ETHER, false,
				i <= DTC_MAX_IP6_EXT ? 0 : -DTC_PERR_IP6_EXT_DEPTH);
		}
	}
	/* A chain of non-first fragment headers (each "more fragments"): the first ends the
	 * walk as DTC_L4_FRAG, and 20 of them are no problem. */
	n = ip6_chain(f, 3, 44);
	expect("fragment chain", f, (uint32_t)n, DTC_LINK_ETHER, false, 0);

	/* ext header length running past the datagram and past the frame */
	n = ip6_chain(f, 2, 60);
	f[14 + 40 + 1] = 20;
	expect("ext len overrun", f, (uint32_t)n, DTC_LINK_ETHER, false,
		-DTC_PERR_IP6_EXT_TRUNC);
	expect("ext len overrun snap", f, (uint32_t)n, DTC_LINK_ETHER, true,
		-DTC_PERR_IP6_EXT_TRUNC);
	/* payload length too small for the chain (frame has more) */
	n = ip6_chain(f, 2, 60);
	pg_put16(f + 14 + 4, 12);
	expect("plen cuts ext chain", f, (uint32_t)n, DTC_LINK_ETHER, false,
		-DTC_PERR_IP6_EXT_TRUNC);
	pg_put16(f + 14 + 4, 0);
	expect("plen 0 with ext", f, (uint32_t)n, DTC_LINK_ETHER, false,
		-DTC_PERR_IP6_EXT_TRUNC);
	pg_put16(f + 14 + 4, 16 + 19);
	expect("plen cuts tcp", f, (uint32_t)n, DTC_LINK_ETHER, false, -DTC_PERR_TCP_TRUNC);
	pg_put16(f + 14 + 4, (uint16_t)(n - 14 - 40 + 1));
	expect("plen past frame", f, (uint32_t)n, DTC_LINK_ETHER, false, -DTC_PERR_IP_TOTLEN);
	pg_put16(f + 14 + 4, 65535);
	expect("plen 65535", f, (uint32_t)n, DTC_LINK_ETHER, false, -DTC_PERR_IP_TOTLEN);
	f[14] = 0x40;
	expect("version 4 in 0x86dd", f, (uint32_t)n, DTC_LINK_ETHER, false,
		-DTC_PERR_IP_VERSION);
}

static void
test_l2_lies(void)
{
	static const uint16_t bad_types[] = {0x88cc, 0x8847, 0x86de, 0x0000, 0x05dc, 0x9100,
		0xffff};
	uint8_t f[400], g[400];
	size_t n = eth_ip4_tcp(f, NULL, 0, 10);
	unsigned int i;
	char name[64];

	for (i = 0; i < RTE_DIM(bad_types); i++) {
		memcpy(g, f, n);
		pg_put16(g + 12, bad_types[i]);
		snprintf(name, sizeof(name), "ethertype 0x%04x", bad_types[i]);
		expect(name, g, (uint32_t)n, DTC_LINK_ETHER, false, -DTC_PERR_ETHERTYPE);
		pg_put16(g + 14, bad_types[i]); /* same under SLL2 */
		memcpy(g + 16, g, 16);
		pg_put16(g, bad_types[i]);
		expect(name, g, (uint32_t)n, DTC_LINK_SLL2, false, -DTC_PERR_ETHERTYPE);
	}
	/* Three tags: 8100 8100 8100; and 88a8 8100 88a8; two are fine. */
	memcpy(g, f, 12);
	pg_put16(g + 12, 0x8100); pg_put16(g + 14, 1);
	pg_put16(g + 16, 0x8100); pg_put16(g + 18, 2);
	pg_put16(g + 20, 0x0800);
	memcpy(g + 22, f + 14, n - 14);
	expect("two tags", g, (uint32_t)n + 8, DTC_LINK_ETHER, false, 0);
	pg_put16(g + 20, 0x8100);
	expect("three tags", g, (uint32_t)n + 8, DTC_LINK_ETHER, false, -DTC_PERR_VLAN_DEPTH);
	pg_put16(g + 12, 0x88a8);
	pg_put16(g + 20, 0x88a8);
	expect("three tags qinq", g, (uint32_t)n + 8, DTC_LINK_ETHER, false,
		-DTC_PERR_VLAN_DEPTH);
	/* A tag header cut short. */
	expect("tag cut", g, 16, DTC_LINK_ETHER, false, -DTC_PERR_L2_TRUNC);
	expect("sll short", g, 15, DTC_LINK_SLL, false, -DTC_PERR_L2_TRUNC);
	expect("sll2 short", g, 19, DTC_LINK_SLL2, false, -DTC_PERR_L2_TRUNC);
}

static void
test_opts_direct(void)
{
	uint8_t o[41];
	struct dtc_tcp_opts to;
	unsigned int len;

	/* All-NOP blocks of every length are fine; len 41+ is refused outright. */
	memset(o, 1, sizeof(o));
	for (len = 0; len <= 40; len++)
		CHECK_EQ(dtc_tcp_opts_parse(o, len, &to), 0);
	CHECK_EQ(dtc_tcp_opts_parse(o, 41, &to), -DTC_PERR_TCP_OPT);
	/* A lone kind byte at the end of every block length. */
	for (len = 1; len <= 40; len++) {
		uint8_t *c = malloc(len);

		memset(c, 1, len);
		c[len - 1] = 2;
		CHECK_EQF(dtc_tcp_opts_parse(c, len, &to), -DTC_PERR_TCP_OPT, "len %u", len);
		free(c);
	}
}

/* ---- control channel ---- */

static void
rec_sink(void *arg, const struct dtc_resp *r, const uint8_t *raw)
{
	(void)r;
	(void)raw;
	(*(unsigned int *)arg)++;
}

static void
test_ctl(void)
{
	static const uint16_t counts[] = {0, 17, 65535, 256, 0x8000};
	uint8_t frame[DTC_V1_FRAME_MAX + 2], rec[64], l3[60];
	struct dtc_v1_rec_rx rx;
	struct dtc_v1_route_rx rrx;
	struct dtc_resp r;
	struct pg_tcp t = seg(NULL, 0, 0);
	unsigned int i, got;
	size_t off;

	pg_ipv4_tcp(l3, B4, A4, NULL, 0, &t);
	CHECK_EQ(dtc_v1_rec_encode(rec, l3, 40), 0);
	for (i = 0; i < RTE_DIM(counts); i++) {
		char name[32];

		snprintf(name, sizeof(name), "count %u", counts[i]);
		pg_put16(frame, counts[i]);
		memset(frame + 2, 0, 64);
		dtc_v1_rec_rx_init(&rx);
		got = 0;
		CHECKF(dtc_v1_rec_rx_feed(&rx, frame, 66, rec_sink, &got) == -DTC_CTL_ERR_COUNT,
			"%s", name);
		/* fed byte by byte: the error comes with the second count byte */
		dtc_v1_rec_rx_init(&rx);
		CHECKF(dtc_v1_rec_rx_feed(&rx, frame, 1, rec_sink, &got) == 0, "%s", name);
		CHECKF(dtc_v1_rec_rx_feed(&rx, frame + 1, 1, rec_sink, &got) ==
			-DTC_CTL_ERR_COUNT, "%s", name);
		CHECK_EQ(got, 0);
	}
	/* A partial frame byte by byte: nothing is delivered until its last byte. */
	pg_put16(frame, 3);
	for (i = 0; i < 3; i++)
		memcpy(frame + 2 + 64 * i, rec, 64);
	dtc_v1_rec_rx_init(&rx);
	got = 0;
	for (off = 0; off < 2 + 3 * 64; off++) {
		CHECK_EQ(got, 0);
		CHECK_EQ(dtc_v1_rec_rx_feed(&rx, frame + off, 1, rec_sink, &got), 0);
	}
	CHECK_EQ(got, 3);
	/* Records failing decode inside a well-framed batch: skipped and counted. */
	frame[2] = 0x46;
	pg_put16(frame + 2 + 2, 44);
	frame[2 + 64 + 9] = 17;
	dtc_v1_rec_rx_init(&rx);
	got = 0;
	CHECK_EQ(dtc_v1_rec_rx_feed(&rx, frame, 2 + 3 * 64, rec_sink, &got), 0);
	CHECK_EQ(got, 2); /* IHL 6 is legal in a record; protocol 17 is not */
	CHECK_EQ(rx.bad_records, 1);
	/* Every single record byte flipped to every value decodes or errors, never crashes. */
	for (off = 0; off < 64; off++) {
		unsigned int v;

		for (v = 0; v < 256; v += 17) {
			uint8_t *c = malloc(64);

			memcpy(c, rec, 64);
			c[off] = (uint8_t)v;
			(void)dtc_v1_rec_decode(c, &r);
			free(c);
		}
	}
	/* Route stream: unknown types 0, 3, 6, 0xffff after the version. */
	{
		static const uint16_t types[] = {0, 3, 6, 0xffff};
		uint8_t st[28];

		for (i = 0; i < RTE_DIM(types); i++) {
			dtc_v1_version_encode(st, DTC_V1_VERSION);
			memset(st + 14, 0xab, 14);
			pg_put16(st + 20, types[i]);
			dtc_v1_route_rx_init(&rrx);
			CHECK_EQ(dtc_v1_route_rx_feed(&rrx, st, 27, NULL, NULL, NULL), 0);
			CHECK_EQ(dtc_v1_route_rx_feed(&rrx, st + 27, 1, NULL, NULL, NULL),
				-DTC_CTL_ERR_ROUTE_TYPE);
			CHECK_EQ(rrx.routes, 0);
		}
	}
}

int
main(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(body); i++)
		body[i] = (uint8_t)i;
	test_truncation();
	test_ip4_lies();
	test_tcp_lies();
	test_ip6_lies();
	test_l2_lies();
	test_opts_direct();
	test_ctl();
	return dtc_check_end("test_malformed");
}
