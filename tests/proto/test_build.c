/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Frames we build (SYN with each option mix, ACK, RST, FIN, data; IPv4 and IPv6; ARP request
 * and reply; ICMP echo reply; mbuf builds; TX checksum fix-up; rewritten packets) are written
 * to a pcap with libpcap, plus one "spec" line per frame saying what it must contain.  The
 * independent check is check_build.py (scapy) and tshark, run by check_build.sh.  This program
 * also checks the error returns, which no pcap can show.
 *
 * usage: test_proto_build OUT.pcap OUT.spec
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dtc_proto.h"
#include "../common/dtc_check.h"
#include "../common/dtc_test_eal.h"
#include "pktgen.h"

static pcap_dumper_t *dump;
static FILE *spec;
static unsigned int nframes;
static struct rte_mempool *mp;

static const struct rte_ether_addr mac_a = {{0x02, 0x00, 0x00, 0x00, 0x0a, 0x01}};
static const struct rte_ether_addr mac_b = {{0x02, 0x00, 0x00, 0x00, 0x0b, 0x02}};

static void
write_frame(const uint8_t *f, size_t len)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = 1700000000 + nframes;
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)dump, &h, f);
	nframes++;
}

static const char *
addr_str(uint8_t family, const union dtc_addr *a, char *buf)
{
	return dtc_addr_fmt(family, a, buf, 64);
}

static void
spec_tcp(const struct dtc_seg_spec *s, const char *how)
{
	char a[64], b[64];

	fprintf(spec, "tcp how=%s family=%u flags=%u src=%s dst=%s sport=%u dport=%u seq=%u "
		"ack=%u win=%u ttl=%u ipid=%u mss=%u wscale=%d sackok=%d ts=%d tsval=%u tsecr=%u "
		"plen=%u esrc=02:00:00:00:0a:01 edst=02:00:00:00:0b:02\n", how, s->family, s->flags,
		addr_str(s->family, &s->src, a), addr_str(s->family, &s->dst, b),
		rte_be_to_cpu_16(s->sport), rte_be_to_cpu_16(s->dport), s->seq, s->ack, s->win,
		s->ttl ? s->ttl : 64, s->ip_id, s->mss,
		s->wscale == DTC_WSCALE_NONE ? -1 : s->wscale, s->sack_ok, s->ts, s->tsval,
		s->tsecr, s->payload_len);
}

static uint8_t payload[1400];

static struct dtc_seg_spec
base_spec(uint8_t family)
{
	struct dtc_seg_spec s;

	memset(&s, 0, sizeof(s));
	s.family = family;
	if (family == 4) {
		dtc_addr_parse("198.18.2.100", &s.src);
		dtc_addr_parse("198.18.1.56", &s.dst);
	} else {
		dtc_addr_parse("2001:db8:2::100", &s.src);
		dtc_addr_parse("2001:db8:1::56", &s.dst);
	}
	s.sport = rte_cpu_to_be_16(43210);
	s.dport = rte_cpu_to_be_16(80);
	s.seq = 0xfffffff0;
	s.ack = 0x12345678;
	s.win = 64240;
	s.wscale = DTC_WSCALE_NONE;
	s.ip_id = 0xbeef;
	s.payload = payload;
	s.eth_src = mac_a;
	s.eth_dst = mac_b;
	return s;
}

static void
build_one(const struct dtc_seg_spec *s)
{
	uint8_t f[1600], small[60];
	struct dtc_pkt_info pi;
	int n = dtc_build_tcp(f, sizeof(f), s, true);
	int n2 = dtc_build_tcp(small, sizeof(small), s, false);

	CHECK(n > 0);
	if (n <= 0)
		return;
	/* Without Ethernet: the same bytes from the IP header on (or -ENOSPC if too big). */
	if (n - 14 <= (int)sizeof(small))
		CHECK(n2 == n - 14 && memcmp(small, f + 14, (size_t)n2) == 0);
	else
		CHECK_EQ(n2, -ENOSPC);
	CHECK_EQ(dtc_build_tcp(f, (size_t)n - 1, s, true), -ENOSPC);
	n = dtc_build_tcp(f, (size_t)n, s, true);
	CHECK_EQ(dtc_parse(f, (uint32_t)n, DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(pi.payload_len, s->payload_len);
	write_frame(f, (size_t)n);
	spec_tcp(s, "buf");
}

static void
build_tcp_all(uint8_t family)
{
	static const struct {
		uint8_t flags;
		uint16_t mss;
		uint8_t wscale;
		bool sack, ts;
		uint16_t plen;
	} c[] = {
		{DTC_TCP_SYN, 1460, 7, true, true, 0},
		{DTC_TCP_SYN, 1460, DTC_WSCALE_NONE, false, false, 0},
		{DTC_TCP_SYN, 0, DTC_WSCALE_NONE, false, false, 0},
		{DTC_TCP_SYN, 536, 14, false, true, 0},
		{DTC_TCP_SYN, 1220, 0, true, false, 0},
		{DTC_TCP_SYN, 0, DTC_WSCALE_NONE, true, false, 0},
		{DTC_TCP_SYN | DTC_TCP_ECE | DTC_TCP_CWR, 8960, 2, true, true, 0},
		{DTC_TCP_ACK, 0, DTC_WSCALE_NONE, false, true, 0},
		{DTC_TCP_ACK, 0, DTC_WSCALE_NONE, false, false, 0},
		{DTC_TCP_RST, 0, DTC_WSCALE_NONE, false, false, 0},
		{DTC_TCP_RST | DTC_TCP_ACK, 0, DTC_WSCALE_NONE, false, false, 0},
		{DTC_TCP_FIN | DTC_TCP_ACK, 0, DTC_WSCALE_NONE, false, true, 0},
		{DTC_TCP_PSH | DTC_TCP_ACK, 0, DTC_WSCALE_NONE, false, true, 101},
		{DTC_TCP_PSH | DTC_TCP_ACK, 0, DTC_WSCALE_NONE, false, false, 1400},
		{DTC_TCP_FIN | DTC_TCP_PSH | DTC_TCP_ACK, 0, DTC_WSCALE_NONE, false, false, 1},
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(c); i++) {
		struct dtc_seg_spec s = base_spec(family);

		s.flags = c[i].flags;
		s.mss = c[i].mss;
		s.wscale = c[i].wscale;
		s.sack_ok = c[i].sack;
		s.ts = c[i].ts;
		s.tsval = 0x01020304u * (i + 1);
		s.tsecr = i & 1 ? 0 : 0xa0b0c0d0;
		s.payload_len = c[i].plen;
		s.ttl = i == 3 ? 255 : 0;
		s.ip_id = (uint16_t)(0xbeef + i);
		build_one(&s);
	}
}

static void
build_mbufs(void)
{
	struct dtc_seg_spec s = base_spec(4);
	struct rte_mempool *tiny;
	struct rte_mbuf *m;
	unsigned int fam;

	for (fam = 4; fam <= 6; fam += 2) {
		s = base_spec((uint8_t)fam);
		s.flags = DTC_TCP_PSH | DTC_TCP_ACK;
		s.ts = true;
		s.payload_len = 333;
		m = dtc_build_tcp_mbuf(mp, &s);
		CHECK(m != NULL);
		if (m == NULL)
			continue;
		CHECK_EQ(m->l2_len, 14);
		CHECK_EQ(m->l3_len, fam == 4 ? 20 : 40);
		CHECK_EQ(m->l4_len, 32);
		write_frame(rte_pktmbuf_mtod(m, uint8_t *), m->pkt_len);
		spec_tcp(&s, "mbuf");
		/* Stale checksums, then dtc_tx_cksum's software path must restore them. */
		rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + m->l3_len + 16)[0] ^= 0xff;
		if (fam == 4)
			rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 10)[0] ^= 0xff;
		dtc_tx_cksum(m, (uint8_t)fam, 0);
		CHECK_EQ(m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK, 0);
		write_frame(rte_pktmbuf_mtod(m, uint8_t *), m->pkt_len);
		spec_tcp(&s, "txsw");
		rte_pktmbuf_free(m);
	}
	/* A pool with no buffers: NULL, no crash. */
	tiny = rte_pktmbuf_pool_create("tiny", 1, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM, 0);
	CHECK(tiny != NULL);
	m = rte_pktmbuf_alloc(tiny);
	CHECK(dtc_build_tcp_mbuf(tiny, &s) == NULL);
	rte_pktmbuf_free(m);
	/* Too big for one mbuf: NULL with rte_errno. */
	s = base_spec(4);
	s.payload_len = 1400;
	{
		struct rte_mempool *sm = rte_pktmbuf_pool_create("small", 8, 0, 0,
			1024 + RTE_PKTMBUF_HEADROOM, 0);

		CHECK(dtc_build_tcp_mbuf(sm, &s) == NULL);
		CHECK_EQ(rte_errno, ENOSPC);
		rte_mempool_free(sm);
	}
	rte_mempool_free(tiny);
	s.family = 5;
	{
		uint8_t f[200];

		CHECK_EQ(dtc_build_tcp(f, sizeof(f), &s, true), -EINVAL);
	}
}

static void
build_arp(void)
{
	uint8_t f[64];
	rte_be32_t a, b;

	memcpy(&a, (const uint8_t[]){198, 18, 1, 63}, 4);
	memcpy(&b, (const uint8_t[]){198, 18, 1, 56}, 4);
	CHECK_EQ(dtc_build_arp(f, 41, RTE_ARP_OP_REQUEST, &mac_a, a, NULL, b), -ENOSPC);
	CHECK_EQ(dtc_build_arp(f, sizeof(f), RTE_ARP_OP_REQUEST, &mac_a, a, NULL, b), 42);
	write_frame(f, 42);
	fprintf(spec, "arp op=1 edst=ff:ff:ff:ff:ff:ff esrc=02:00:00:00:0a:01 "
		"hwsrc=02:00:00:00:0a:01 psrc=198.18.1.63 hwdst=00:00:00:00:00:00 pdst=198.18.1.56\n");
	CHECK_EQ(dtc_build_arp(f, sizeof(f), RTE_ARP_OP_REPLY, &mac_a, a, &mac_b, b), 42);
	write_frame(f, 42);
	fprintf(spec, "arp op=2 edst=02:00:00:00:0b:02 esrc=02:00:00:00:0a:01 "
		"hwsrc=02:00:00:00:0a:01 psrc=198.18.1.63 hwdst=02:00:00:00:0b:02 pdst=198.18.1.56\n");
}

/* An echo request written by pktgen, turned into a reply in place.  id = seq = 0 with no
 * data is the all-zero reply whose checksum must be 0xffff. */
static void
build_icmp(uint16_t id, uint16_t seq, unsigned int plen, unsigned int vlan)
{
	uint8_t f[128];
	struct dtc_pkt_info pi;
	size_t n = pg_eth(f, vlan ? 0x8100 : 0x0800), i;

	if (vlan) {
		pg_put16(f + n, 42);
		pg_put16(f + n + 2, 0x0800);
		n += 4;
	}
	memset(f + n, 0, 20);
	f[n] = 0x45;
	pg_put16(f + n + 2, (uint16_t)(20 + 8 + plen));
	pg_put16(f + n + 4, 77);
	f[n + 8] = 3; /* TTL: the reply must say 64 */
	f[n + 9] = 1;
	memcpy(f + n + 12, (const uint8_t[]){198, 18, 0, 9}, 4);
	memcpy(f + n + 16, (const uint8_t[]){198, 18, 1, 63}, 4);
	pg_put16(f + n + 10, pg_csum_final(pg_sum(f + n, 20, 0)));
	f[n + 20] = 8;
	f[n + 21] = 0;
	pg_put16(f + n + 22, 0);
	pg_put16(f + n + 24, id);
	pg_put16(f + n + 26, seq);
	for (i = 0; i < plen; i++)
		f[n + 28 + i] = (uint8_t)(i * 13);
	pg_put16(f + n + 22, pg_csum_final(pg_sum(f + n + 20, 8 + plen, 0)));
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + 28 + plen), DTC_LINK_ETHER, false, &pi), 0);
	/* A frame cut short of the ICMP message is refused. */
	pi.frame_len--;
	CHECK_EQ(dtc_icmp_echo_reply_inplace(f, &pi), -EINVAL);
	pi.frame_len++;
	CHECK_EQ(dtc_icmp_echo_reply_inplace(f, &pi), 0);
	write_frame(f, n + 28 + plen);
	/* pktgen's macs: dst 02..01, src 02..02 originally; swapped now. */
	fprintf(spec, "icmp type=0 id=%u seq=%u src=198.18.1.63 dst=198.18.0.9 ttl=64 plen=%u "
		"vlan=%u edst=02:00:00:00:00:02 esrc=02:00:00:00:00:01\n", id, seq, plen,
		vlan ? 42u : 0u);
	/* Not an echo request any more: refused. */
	CHECK_EQ(dtc_parse(f, (uint32_t)(n + 28 + plen), DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(dtc_icmp_echo_reply_inplace(f, &pi), -EINVAL);
}

/* Rewritten packets: built, then every helper applied; the checker recomputes. */
static void
build_rewritten(void)
{
	unsigned int fam, k;

	for (fam = 4; fam <= 6; fam += 2) {
		for (k = 0; k < 4; k++) {
			struct dtc_seg_spec s = base_spec((uint8_t)fam);
			struct dtc_pkt_info pi;
			struct dtc_l3_view v;
			uint8_t f[1600];
			int n;

			s.flags = k == 0 ? DTC_TCP_SYN : DTC_TCP_ACK | DTC_TCP_PSH;
			s.mss = k == 0 ? 1460 : 0;
			s.ts = true;
			s.sack_ok = k & 1;
			s.payload_len = (uint16_t)(k * 77);
			n = dtc_build_tcp(f, sizeof(f), &s, true);
			CHECK_EQ(dtc_parse(f, (uint32_t)n, DTC_LINK_ETHER, false, &pi), 0);
			v.l3 = f + 14;
			v.tcp = f + pi.l4_off;
			v.family = (uint8_t)fam;
			if (fam == 4) {
				dtc_addr_parse("198.18.3.4", &s.src);
				dtc_addr_parse("198.19.255.254", &s.dst);
			} else {
				dtc_addr_parse("2001:db8:ffff::fffe", &s.src);
				dtc_addr_parse("fd00::1:2:3", &s.dst);
			}
			s.sport = rte_cpu_to_be_16((uint16_t)(1024 + k));
			s.dport = rte_cpu_to_be_16(65535);
			s.seq = 0x80000000u + k;
			s.ack = 0xffffffffu - k;
			s.win = 1;
			s.tsval = 0xdeadbeef;
			s.tsecr = 0x0badf00d;
			dtc_rw_src(&v, &s.src, s.sport);
			dtc_rw_dst(&v, &s.dst, s.dport);
			dtc_rw_seq(&v, s.seq);
			dtc_rw_ack(&v, s.ack);
			dtc_rw_win(&v, s.win);
			dtc_rw_ts(&v, pi.opts.ts_off, s.tsval, s.tsecr);
			if (s.mss) {
				s.mss = 1200;
				dtc_rw_mss(&v, pi.opts.mss_off, s.mss);
			}
			write_frame(f, (size_t)n);
			spec_tcp(&s, "rewrite");
		}
	}
}

int
main(int argc, char **argv)
{
	pcap_t *p;
	unsigned int i;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OUT.pcap OUT.spec\n", argv[0]);
		return 2;
	}
	if (dtc_test_eal_init(argv[0], "proto-build", 128) < 0)
		return 1;
	mp = rte_pktmbuf_pool_create("build", 64, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM, 0);
	p = pcap_open_dead(DLT_EN10MB, 65535);
	dump = pcap_dump_open(p, argv[1]);
	spec = fopen(argv[2], "w");
	if (mp == NULL || dump == NULL || spec == NULL) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	build_tcp_all(4);
	build_tcp_all(6);
	build_mbufs();
	build_arp();
	build_icmp(0x4242, 7, 37, 0);
	build_icmp(0, 0, 0, 0);
	build_icmp(1, 0xffff, 1, 1);
	build_rewritten();
	pcap_dump_close(dump);
	pcap_close(p);
	fclose(spec);
	printf("%u frames written\n", nframes);
	rte_mempool_free(mp);
	dtc_test_eal_fini();
	return dtc_check_end("test_build");
}
