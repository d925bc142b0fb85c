/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Parser unit tests on frames written by tests/proto/pktgen.h (independent code): every link
 * type, VLAN/QinQ, IPv4 options and fragments, IPv6 extension headers and fragments, TCP
 * options, UDP/ICMP/ARP, Ethernet padding, snaplen cuts, and dtc_parse_mbuf on chains split
 * at every byte offset (must equal dtc_parse on the flat frame).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dtc_proto.h"
#include "../common/dtc_check.h"
#include "../common/dtc_test_eal.h"
#include "pktgen.h"

static const uint8_t ip4a[4] = {198, 18, 0, 1}, ip4b[4] = {198, 18, 1, 56};
static const uint8_t ip6a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t ip6b[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0xab, [15] = 2};

static const uint8_t opt_ts[12] = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9};
static const uint8_t opt_syn[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0x11, 0x22, 0x33, 0x44,
	0, 0, 0, 0, 1, 3, 3, 7};
static const uint8_t payload[100] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

static struct rte_mempool *mp;

static void
check_tcp_common(const struct dtc_pkt_info *pi, int family)
{
	CHECK_EQ(pi->l4, DTC_L4_TCP);
	CHECK_EQ(pi->l4_proto, 6);
	CHECK_EQ(pi->family, family);
	CHECK_EQ(rte_be_to_cpu_16(pi->sport), 40000);
	CHECK_EQ(rte_be_to_cpu_16(pi->dport), 80);
	CHECK_EQ(pi->seq, 0x01020304);
	CHECK_EQ(pi->ack, 0xa0b0c0d0);
	CHECK_EQ(pi->win, 29200);
}

static struct pg_tcp
tcp_spec(const uint8_t *opts, unsigned int optlen, unsigned int plen, uint8_t flags)
{
	struct pg_tcp t = {
		.sport = 40000, .dport = 80, .seq = 0x01020304, .ack = 0xa0b0c0d0,
		.flags = flags, .win = 29200, .opts = opts, .optlen = optlen,
		.payload = payload, .plen = plen,
	};
	return t;
}

static void
test_eth_ipv4_tcp(void)
{
	uint8_t f[256];
	struct pg_tcp t = tcp_spec(opt_ts, sizeof(opt_ts), 27, DTC_TCP_ACK | DTC_TCP_PSH);
	size_t n = pg_eth(f, 0x0800);
	struct dtc_pkt_info pi;

	n += pg_ipv4_tcp(f + n, ip4a, ip4b, NULL, 0, &t);
	CHECK_EQ(dtc_parse(f, (uint32_t)n, DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.l3, DTC_L3_IPV4);
	CHECK_EQ(pi.l3_off, 14);
	CHECK_EQ(pi.l4_off, 34);
	CHECK_EQ(pi.tcp_hlen, 32);
	CHECK_EQ(pi.payload_off, 66);
	CHECK_EQ(pi.payload_len, 27);
	CHECK_EQ(pi.ip_len, 20 + 32 + 27);
	CHECK_EQ(pi.frame_len, n);
	CHECK_EQ(pi.n_vlan, 0);
	CHECK_EQ(pi.ethertype, 0x0800);
	CHECK_EQ(pi.ttl, 64);
	CHECK_EQ(pi.ip_id, 0x1234);
	CHECK_EQ(pi.is_frag, 0);
	CHECK(memcmp(&pi.src.a32[0], ip4a, 4) == 0 && pi.src.a32[1] == 0 && pi.src.a64[1] == 0);
	CHECK(memcmp(&pi.dst.a32[0], ip4b, 4) == 0);
	check_tcp_common(&pi, 4);
	CHECK_EQ(pi.tcp_flags, DTC_TCP_ACK | DTC_TCP_PSH);
	CHECK_EQ(pi.opts.present, DTC_OPT_TS);
	CHECK_EQ(pi.opts.tsval, 7);
	CHECK_EQ(pi.opts.tsecr, 9);
	CHECK_EQ(pi.opts.ts_off, 22);
	CHECK_EQ(pi.opts.mss_off, 0);

	/* Ethernet padding after a short datagram is not payload. */
	memset(f + n, 0xee, 30);
	CHECK_EQ(dtc_parse(f, (uint32_t)n + 30, DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.payload_len, 27);
	CHECK_EQ(pi.frame_len, n + 30);
}

static void
test_vlan_syn(void)
{
	uint8_t f[256];
	struct pg_tcp t = tcp_spec(opt_syn, sizeof(opt_syn), 0, DTC_TCP_SYN);
	struct dtc_pkt_info pi;
	size_t n = pg_eth(f, 0x8100);

	pg_put16(f + n, 0x2064); /* PCP 1, VID 100 */
	pg_put16(f + n + 2, 0x0800);
	n += 4;
	n += pg_ipv4_tcp(f + n, ip4a, ip4b, NULL, 0, &t);
	CHECK_EQ(dtc_parse(f, (uint32_t)n, DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.n_vlan, 1);
	CHECK_EQ(pi.vlan_tci[0], 0x2064);
	CHECK_EQ(pi.l3_off, 18);
	CHECK_EQ(pi.payload_len, 0);
	check_tcp_common(&pi, 4);
	CHECK_EQ(pi.opts.present, DTC_OPT_MSS | DTC_OPT_SACK_OK | DTC_OPT_TS | DTC_OPT_WSCALE);
	CHECK_EQ(pi.opts.mss, 1460);
	CHECK_EQ(pi.opts.mss_off, 20);
	CHECK_EQ(pi.opts.ts_off, 26);
	CHECK_EQ(pi.opts.tsval, 0x11223344);
	CHECK_EQ(pi.opts.tsecr, 0);
	CHECK_EQ(pi.opts.wscale, 7);
}

static void
test_qinq_ipv6_ext(void)
{
	/* hop-by-hop (8, PadN) -> routing (24, type 0 with one address... any type) -> dest
	 * options (16) -> TCP with two SACK blocks. */
	uint8_t ext[48], opts[20] = {1, 1, 5, 18}, f[512];
	struct pg_tcp t;
	struct dtc_pkt_info pi;
	size_t n = pg_eth(f, 0x88a8);

	memset(ext, 0, sizeof(ext));
	ext[0] = 43; ext[1] = 0; ext[2] = 1; ext[3] = 4;             /* HBH, PadN */
	ext[8] = 60; ext[9] = 2; ext[10] = 4; ext[11] = 0;           /* routing, 24 bytes */
	ext[32] = 6; ext[33] = 1; ext[34] = 1; ext[35] = 10;         /* dest opts, 16 bytes */
	pg_put32(opts + 4, 1000); pg_put32(opts + 8, 2000);
	pg_put32(opts + 12, 3000); pg_put32(opts + 16, 4000);
	t = tcp_spec(opts, sizeof(opts), 10, DTC_TCP_ACK);
	pg_put16(f + n, 0x0005);
	pg_put16(f + n + 2, 0x8100);
	pg_put16(f + n + 4, 0x0007);
	pg_put16(f + n + 6, 0x86dd);
	n += 8;
	n += pg_ipv6_tcp(f + n, ip6a, ip6b, 0, ext, sizeof(ext), &t);
	CHECK_EQ(dtc_parse(f, (uint32_t)n, DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.n_vlan, 2);
	CHECK_EQ(pi.vlan_tci[0], 5);
	CHECK_EQ(pi.vlan_tci[1], 7);
	CHECK_EQ(pi.l3, DTC_L3_IPV6);
	CHECK_EQ(pi.l3_off, 22);
	CHECK_EQ(pi.l4_off, 22 + 40 + 48);
	CHECK_EQ(pi.payload_len, 10);
	CHECK_EQ(pi.ip_len, 40 + 48 + 40 + 10);
	CHECK_EQ(pi.is_frag, 0);
	CHECK(memcmp(&pi.src, ip6a, 16) == 0 && memcmp(&pi.dst, ip6b, 16) == 0);
	check_tcp_common(&pi, 6);
	CHECK_EQ(pi.opts.present, DTC_OPT_SACK);
	CHECK_EQ(pi.opts.sack_cnt, 2);
	CHECK_EQ(pi.opts.sack[0][0], 1000);
	CHECK_EQ(pi.opts.sack[1][1], 4000);
}

static void
test_fragments(void)
{
	uint8_t f[256], ext[8] = {6, 0, 0, 0, 0x12, 0x34, 0x56, 0x78};
	struct pg_tcp t = tcp_spec(NULL, 0, 40, DTC_TCP_ACK);
	struct dtc_pkt_info pi;
	size_t n = pg_eth(f, 0x0800), ipn;

	/* IPv4 first fragment (MF, offset 0): L4 parsed. */
	ipn = pg_ipv4_tcp(f + n, ip4a, ip4b, NULL, 0, &t);
	pg_put16(f + n + 6, 0x2000);
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + ipn), DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.l4, DTC_L4_TCP);
	CHECK_EQ(pi.is_frag, 1);
	CHECK_EQ(pi.more_frags, 1);
	CHECK_EQ(pi.frag_off, 0);
	/* Non-first fragment: no L4 header parsed even though bytes look like TCP. */
	pg_put16(f + n + 6, 0x0003);
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + ipn), DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.l4, DTC_L4_FRAG);
	CHECK_EQ(pi.l4_proto, 6);
	CHECK_EQ(pi.frag_off, 24);
	CHECK_EQ(pi.more_frags, 0);
	CHECK_EQ(pi.is_frag, 1);
	CHECK_EQ(pi.payload_off, 34);
	CHECK_EQ(pi.payload_len, 60);

	/* IPv6 fragment header, first fragment then a later one. */
	n = pg_eth(f, 0x86dd);
	ipn = pg_ipv6_tcp(f + n, ip6a, ip6b, 44, ext, sizeof(ext), &t);
	pg_put16(f + n + 40 + 2, 0x0001); /* offset 0, M */
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + ipn), DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.l4, DTC_L4_TCP);
	CHECK_EQ(pi.is_frag, 1);
	CHECK_EQ(pi.more_frags, 1);
	CHECK_EQ(pi.ip_id, 0x5678);
	CHECK_EQ(pi.l4_off, 14 + 48);
	pg_put16(f + n + 40 + 2, 0x00a8); /* offset 21*8 = 168, last */
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + ipn), DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.l4, DTC_L4_FRAG);
	CHECK_EQ(pi.frag_off, 168);
	CHECK_EQ(pi.more_frags, 0);
	CHECK_EQ(pi.payload_len, 60);
}

static void
test_links(void)
{
	uint8_t f[256], ip[200];
	struct pg_tcp t = tcp_spec(NULL, 0, 5, DTC_TCP_ACK);
	size_t ipn = pg_ipv4_tcp(ip, ip4a, ip4b, NULL, 0, &t), ip6n;
	struct dtc_pkt_info pi;

	/* SLL: protocol at offset 14, IPv4 at 16. */
	memset(f, 0, 16);
	pg_put16(f + 2, 1);
	pg_put16(f + 14, 0x0800);
	memcpy(f + 16, ip, ipn);
	CHECK_EQ(dtc_parse(f, (uint32_t)(16 + ipn), DTC_LINK_SLL, false, &pi), 0);
	CHECK_EQ(pi.l3_off, 16);
	CHECK_EQ(pi.payload_len, 5);
	check_tcp_common(&pi, 4);
	/* SLL2: protocol at offset 0, IP at 20. */
	memset(f, 0, 20);
	pg_put16(f, 0x0800);
	memcpy(f + 20, ip, ipn);
	CHECK_EQ(dtc_parse(f, (uint32_t)(20 + ipn), DTC_LINK_SLL2, false, &pi), 0);
	CHECK_EQ(pi.l3_off, 20);
	check_tcp_common(&pi, 4);
	/* Raw and LINKTYPE_IPV4. */
	CHECK_EQ(dtc_parse(ip, (uint32_t)ipn, DTC_LINK_RAW, false, &pi), 0);
	CHECK_EQ(pi.l3_off, 0);
	CHECK_EQ(pi.l4_off, 20);
	CHECK_EQ(dtc_parse(ip, (uint32_t)ipn, DTC_LINK_IPV4, false, &pi), 0);
	CHECK_EQ(dtc_parse(ip, (uint32_t)ipn, DTC_LINK_IPV6, false, &pi), -DTC_PERR_IP_VERSION);
	ip6n = pg_ipv6_tcp(ip, ip6a, ip6b, 0, NULL, 0, &t);
	CHECK_EQ(dtc_parse(ip, (uint32_t)ip6n, DTC_LINK_RAW, false, &pi), 0);
	CHECK_EQ(pi.family, 6);
	CHECK_EQ(pi.l4_off, 40);
	CHECK_EQ(dtc_parse(ip, (uint32_t)ip6n, DTC_LINK_IPV6, false, &pi), 0);
	CHECK_EQ(dtc_parse(ip, (uint32_t)ip6n, (enum dtc_link)147, false, &pi), -DTC_PERR_LINK);

	CHECK_EQ(dtc_link_from_pcap(1), DTC_LINK_ETHER);
	CHECK_EQ(dtc_link_from_pcap(12), DTC_LINK_RAW);
	CHECK_EQ(dtc_link_from_pcap(14), DTC_LINK_RAW);
	CHECK_EQ(dtc_link_from_pcap(101), DTC_LINK_RAW);
	CHECK_EQ(dtc_link_from_pcap(113), DTC_LINK_SLL);
	CHECK_EQ(dtc_link_from_pcap(276), DTC_LINK_SLL2);
	CHECK_EQ(dtc_link_from_pcap(228), DTC_LINK_IPV4);
	CHECK_EQ(dtc_link_from_pcap(229), DTC_LINK_IPV6);
	CHECK_EQ(dtc_link_from_pcap(105), -ENOTSUP);
}

static void
test_arp_udp_icmp(void)
{
	uint8_t f[128];
	struct dtc_pkt_info pi;
	size_t n = pg_eth(f, 0x0806);

	pg_put16(f + n, 1); pg_put16(f + n + 2, 0x0800); f[n + 4] = 6; f[n + 5] = 4;
	pg_put16(f + n + 6, 1);
	memset(f + n + 8, 0x02, 6); memcpy(f + n + 14, ip4a, 4);
	memset(f + n + 18, 0, 6); memcpy(f + n + 24, ip4b, 4);
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + 28), DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.l3, DTC_L3_ARP);
	CHECK_EQ(pi.family, 0);
	CHECK(memcmp(&pi.src.a32[0], ip4a, 4) == 0 && memcmp(&pi.dst.a32[0], ip4b, 4) == 0);
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + 27), DTC_LINK_ETHER, false, &pi), -DTC_PERR_ARP_TRUNC);

	/* UDP over IPv4 */
	n = pg_eth(f, 0x0800);
	memset(f + n, 0, 40);
	f[n] = 0x45; pg_put16(f + n + 2, 20 + 8 + 12); f[n + 8] = 1; f[n + 9] = 17;
	memcpy(f + n + 12, ip4a, 4); memcpy(f + n + 16, ip4b, 4);
	pg_put16(f + n + 20, 53); pg_put16(f + n + 22, 5353); pg_put16(f + n + 24, 20);
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + 40), DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.l4, DTC_L4_UDP);
	CHECK_EQ(rte_be_to_cpu_16(pi.sport), 53);
	CHECK_EQ(rte_be_to_cpu_16(pi.dport), 5353);
	CHECK_EQ(pi.payload_len, 12);
	CHECK_EQ(pi.payload_off, 14 + 28);
	/* ICMP echo request */
	f[n + 9] = 1;
	f[n + 20] = 8; f[n + 21] = 0;
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + 40), DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.l4, DTC_L4_ICMP);
	CHECK_EQ(pi.icmp_type, 8);
	CHECK_EQ(pi.payload_len, 12);
	/* GRE: other */
	f[n + 9] = 47;
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + 40), DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.l4, DTC_L4_OTHER);
	CHECK_EQ(pi.l4_proto, 47);
	CHECK_EQ(pi.payload_len, 20);

	/* ICMPv6 echo request */
	n = pg_eth(f, 0x86dd);
	memset(f + n, 0, 48);
	f[n] = 0x60; pg_put16(f + n + 4, 8); f[n + 6] = 58; f[n + 7] = 255;
	f[n + 40] = 128;
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + 48), DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.l4, DTC_L4_ICMP6);
	CHECK_EQ(pi.icmp_type, 128);
	CHECK_EQ(pi.ttl, 255);
	CHECK_EQ(pi.payload_len, 0);
}

static void
test_snap(void)
{
	uint8_t f[256];
	struct pg_tcp t = tcp_spec(opt_ts, sizeof(opt_ts), 100, DTC_TCP_ACK);
	size_t n = pg_eth(f, 0x0800);
	struct dtc_pkt_info pi;

	n += pg_ipv4_tcp(f + n, ip4a, ip4b, NULL, 0, &t);
	/* Cut inside the payload: an error without allow_snap, fine with it. */
	CHECK_EQ(dtc_parse(f, 96, DTC_LINK_ETHER, false, &pi), -DTC_PERR_IP_TOTLEN);
	CHECK_EQ(dtc_parse(f, 96, DTC_LINK_ETHER, true, &pi), 0);
	CHECK_EQ(pi.payload_len, 100);
	CHECK_EQ(pi.frame_len, 96);
	/* Cut inside the TCP options: the header is not all there. */
	CHECK_EQ(dtc_parse(f, 60, DTC_LINK_ETHER, true, &pi), -DTC_PERR_TCP_DOFF);
	CHECK_EQ(dtc_parse(f, 40, DTC_LINK_ETHER, true, &pi), -DTC_PERR_TCP_TRUNC);
}

static void
test_opts(void)
{
	struct dtc_tcp_opts o;
	static const uint8_t eol_then_junk[8] = {1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t unknown[8] = {30, 6, 1, 2, 3, 4, 2, 4};
	static const uint8_t badlen_known[8] = {2, 3, 5, 8, 3, 0, 30, 0}; /* MSS, TS len 3 */
	static const uint8_t odd_ts[12] = {1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 0};
	static const uint8_t sack5[40] = {1, 1, 5, 34};
	uint8_t big[41] = {0};

	CHECK_EQ(dtc_tcp_opts_parse(eol_then_junk, 8, &o), 0);
	CHECK_EQ(o.present, 0);
	/* Unknown option skipped, then MSS cut by the block end (len 4 at offset 6 of 8). */
	CHECK_EQ(dtc_tcp_opts_parse(unknown, 8, &o), -DTC_PERR_TCP_OPT);
	CHECK_EQ(dtc_tcp_opts_parse(unknown, 6, &o), 0);
	CHECK_EQ(o.present, 0);
	/* Known kinds with wrong lengths are skipped like unknown ones. */
	CHECK_EQ(dtc_tcp_opts_parse(badlen_known, 8, &o), -DTC_PERR_TCP_OPT); /* len 0 at 6 */
	CHECK_EQ(dtc_tcp_opts_parse(badlen_known, 6, &o), 0);
	CHECK_EQ(o.present, 0);
	/* TS at an odd offset. */
	CHECK_EQ(dtc_tcp_opts_parse(odd_ts, 12, &o), 0);
	CHECK_EQ(o.present, DTC_OPT_TS);
	CHECK_EQ(o.ts_off, 21);
	CHECK_EQ(o.tsval, 1);
	CHECK_EQ(o.tsecr, 2);
	/* 4 SACK blocks fill 34 bytes; the parser never stores more than 4. */
	CHECK_EQ(dtc_tcp_opts_parse(sack5, 36, &o), 0);
	CHECK_EQ(o.sack_cnt, 4);
	CHECK_EQ(dtc_tcp_opts_parse(big, 41, &o), -DTC_PERR_TCP_OPT);
	CHECK_EQ(dtc_tcp_opts_parse(big, 0, &o), 0);
}

/* dtc_parse_mbuf on chains split at every offset must agree with dtc_parse. */
static void
test_mbuf(void)
{
	uint8_t ext[48], f[1600];
	struct pg_tcp t = tcp_spec(opt_syn, sizeof(opt_syn), 100, DTC_TCP_ACK);
	struct dtc_pkt_info want, got;
	size_t n = pg_eth(f, 0x86dd);
	unsigned int split;

	memset(ext, 0, sizeof(ext));
	ext[0] = 60; ext[1] = 4; /* HBH 40 bytes */
	ext[40] = 6; ext[41] = 0; /* dst opts 8 */
	n += pg_ipv6_tcp(f + n, ip6a, ip6b, 0, ext, sizeof(ext), &t);
	CHECK_EQ(dtc_parse(f, (uint32_t)n, DTC_LINK_ETHER, false, &want), 0);
	for (split = 1; split < n; split++) {
		struct rte_mbuf *a = rte_pktmbuf_alloc(mp), *b = rte_pktmbuf_alloc(mp);

		memcpy(rte_pktmbuf_append(a, (uint16_t)split), f, split);
		memcpy(rte_pktmbuf_append(b, (uint16_t)(n - split)), f + split, n - split);
		CHECK_EQ(rte_pktmbuf_chain(a, b), 0);
		memset(&got, 0x5a, sizeof(got));
		CHECK_EQ(dtc_parse_mbuf(a, DTC_LINK_ETHER, &got), 0);
		CHECK_EQF(got.payload_off, want.payload_off, "split %u", split);
		CHECK_EQF(got.payload_len, want.payload_len, "split %u", split);
		CHECK_EQF(got.opts.mss, 1460, "split %u", split);
		CHECK_EQF(got.seq, want.seq, "split %u", split);
		CHECK(memcmp(&got.src, &want.src, 16) == 0);
		/* Cut the chain short: pkt_len says less than the IP length. */
		rte_pktmbuf_trim(a, 1);
		CHECK_EQF(dtc_parse_mbuf(a, DTC_LINK_ETHER, &got), -DTC_PERR_IP_TOTLEN, "split %u",
			split);
		rte_pktmbuf_free(a);
	}
}

int
main(int argc, char **argv)
{
	(void)argc;
	if (dtc_test_eal_init(argv[0], "proto-parse", 128) < 0)
		return 1;
	mp = rte_pktmbuf_pool_create("parse", 64, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM, 0);
	if (mp == NULL)
		return 1;
	test_eth_ipv4_tcp();
	test_vlan_syn();
	test_qinq_ipv6_ext();
	test_fragments();
	test_links();
	test_arp_udp_icmp();
	test_snap();
	test_opts();
	test_mbuf();
	rte_mempool_free(mp);
	dtc_test_eal_fini();
	return dtc_check_end("test_parse");
}
