/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The capture filter against an independent reference: for many filter expressions and
 * many frames (generated here, plus random corruptions of them, some split over two mbuf
 * segments), dtc_filter_burst() must agree with libpcap's own interpreter
 * (pcap_offline_filter) on every single frame.  Also: compile errors name the filter and
 * carry libpcap's reason.
 */

#include <pcap/pcap.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dtc_capture.h"
#include "icpt_test.h"

#define N_FRAMES 3000
#define FRAME_MAX 200

struct frame {
	uint8_t b[FRAME_MAX];
	uint16_t len;
};

static struct frame frames[N_FRAMES];

static const uint32_t addrs[] = { 0xc6120138, 0xc6120263, 0xc6120164, 0x0a000001, 0xc0a80001 };
static const uint16_t ports[] = { 80, 8080, 36524, 1234, 40000, 1500 };

#define PICK(a) (a[dtc_rand() % (sizeof(a) / sizeof(a[0]))])

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* Ethernet header with 0..2 VLAN tags; returns the offset of the L3 header. */
static uint16_t
gen_eth(uint8_t *b, uint16_t et)
{
	static const uint8_t macs[3][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 },
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	unsigned int tags = dtc_rand() % 5 == 0 ? 1 + dtc_rand() % 2 : 0, i;
	uint16_t off = 12;

	memcpy(b, macs[dtc_rand() % 3], 6);
	memcpy(b + 6, macs[dtc_rand() % 2], 6);
	for (i = 0; i < tags; i++, off += 4) {
		put16(b + off, i == 0 && tags == 2 ? 0x88a8 : 0x8100);
		put16(b + off + 2, (uint16_t)(dtc_rand() % 2 ? 100 : 200));
	}
	put16(b + off, et);
	return off + 2;
}

static uint16_t
gen_l4(uint8_t *b, uint8_t proto, uint16_t pay)
{
	unsigned int optlen = 0;

	if (proto == 6) {
		optlen = (dtc_rand() % 4) * 4;
		put16(b, PICK(ports));
		put16(b + 2, PICK(ports));
		put32(b + 4, (uint32_t)dtc_rand());
		put32(b + 8, (uint32_t)dtc_rand());
		b[12] = (uint8_t)((5 + optlen / 4) << 4);
		b[13] = (uint8_t)(dtc_rand() & 0x3f);
		put16(b + 14, 65535);
		memset(b + 16, 0, 4);
		memset(b + 20, 1, optlen); /* NOPs */
		return (uint16_t)(20 + optlen + pay);
	}
	if (proto == 17) {
		put16(b, PICK(ports));
		put16(b + 2, PICK(ports));
		put16(b + 4, (uint16_t)(8 + pay));
		put16(b + 6, 0);
		return (uint16_t)(8 + pay);
	}
	b[0] = dtc_rand() % 2 ? 8 : 0; /* ICMP echo request or reply */
	memset(b + 1, 0, 7);
	return (uint16_t)(8 + pay);
}

static void
gen_frame(struct frame *f)
{
	static const uint8_t protos[] = { 6, 6, 6, 17, 1 };
	uint8_t *b = f->b;
	uint16_t off, l4len, pay = (uint16_t)(dtc_rand() % 40);
	unsigned int kind = dtc_rand() % 10;

	memset(b, 0, FRAME_MAX);
	if (kind == 0) { /* ARP */
		off = gen_eth(b, 0x0806);
		put16(b + off, 1);
		put16(b + off + 2, 0x0800);
		b[off + 4] = 6;
		b[off + 5] = 4;
		put16(b + off + 6, (uint16_t)(1 + dtc_rand() % 2));
		put32(b + off + 14, PICK(addrs));
		put32(b + off + 24, PICK(addrs));
		f->len = (uint16_t)(off + 28);
		return;
	}
	if (kind == 1) { /* IPv6 */
		uint8_t proto = dtc_rand() % 2 ? 6 : 17;

		off = gen_eth(b, 0x86dd);
		b[off] = 0x60;
		b[off + 6] = proto;
		b[off + 7] = 64;
		b[off + 8] = 0x20;
		b[off + 9] = 0x01;
		b[off + 23] = (uint8_t)(dtc_rand() % 3);
		b[off + 24] = 0x20;
		b[off + 25] = 0x01;
		b[off + 39] = (uint8_t)(dtc_rand() % 3);
		l4len = gen_l4(b + off + 40, proto, pay);
		put16(b + off + 4, l4len);
		f->len = (uint16_t)(off + 40 + l4len);
		return;
	}
	{ /* IPv4, sometimes with options, sometimes a fragment */
		uint8_t proto = protos[dtc_rand() % sizeof(protos)];
		unsigned int ihl = dtc_rand() % 6 == 0 ? 6 : 5;

		off = gen_eth(b, 0x0800);
		b[off] = (uint8_t)(0x40 | ihl);
		put16(b + off + 6, dtc_rand() % 8 == 0 ?
			(uint16_t)(dtc_rand() % 2 ? 0x2000 : 0x00b9) : 0x4000);
		b[off + 8] = 64;
		b[off + 9] = proto;
		put32(b + off + 12, PICK(addrs));
		put32(b + off + 16, PICK(addrs));
		if (ihl == 6)
			b[off + 20] = 1; /* NOP option */
		l4len = gen_l4(b + off + ihl * 4, proto, pay);
		put16(b + off + 2, (uint16_t)(ihl * 4 + l4len));
		f->len = (uint16_t)(off + ihl * 4 + l4len);
	}
}

static const char *const exprs[] = {
	"tcp and src port 80",
	"tcp",
	"ip",
	"ip6",
	"arp",
	"icmp",
	"udp",
	"vlan and tcp",
	"vlan 100 and tcp and src port 80",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)",
	"tcp[13] & 4 != 0",
	"tcp[tcpflags] & tcp-syn != 0 or tcp[tcpflags] & tcp-rst != 0",
	"tcp[12] > 0x50 and ip[1] & 3 == 0",
	"ip[2:2] / 4 > 10 and ip[2:2] % 3 == 1",
	"tcp and src port 8080 or arp",
	"src host 198.18.1.56 and tcp",
	"net 198.18.0.0/15",
	"tcp and (src port 80 or src port 8080) and not dst net 10.0.0.0/8",
	"len > 100",
	"greater 120",
	"less 70",
	"ether src 02:00:00:00:00:01",
	"ether broadcast",
	"ip[6:2] & 0x1fff != 0",
	"ip6 and tcp and src port 80",
	"portrange 1000-2000",
	"ip proto 17",
	"tcp port 80 and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)",
	"icmp[icmptype] == icmp-echo and dst host 198.18.2.99",
	"tcp and src port 80 and dst net 198.18.2.0/24",
	"",
};

/* Flip a few random bytes: the filter and libpcap must still agree on the result. */
static void
corrupt(struct frame *f)
{
	unsigned int k, n = 1 + dtc_rand() % 3;

	for (k = 0; k < n; k++)
		f->b[dtc_rand() % f->len] ^= (uint8_t)(1u << (dtc_rand() % 8));
	if (dtc_rand() % 4 == 0)
		f->len = (uint16_t)(1 + dtc_rand() % f->len); /* truncated frame */
}

static void
test_match_vs_libpcap(struct rte_mempool *mp, bool jit)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
	unsigned int e, i;

	for (i = 0; i < N_FRAMES; i++) {
		gen_frame(&frames[i]);
		if (i % 3 == 2)
			corrupt(&frames[i]);
	}
	printf("%s:\n", jit ? "JIT where safe" : "interpreter");
	for (e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		char err[512];
		struct dtc_filter *f = dtc_filter_compile(exprs[e], DTC_LINK_ETHER, err,
			sizeof(err));
		struct bpf_program prog;
		unsigned int mismatch = 0, hits = 0;

		CHECKF(f != NULL, "'%s': %s", exprs[e], err);
		if (f == NULL)
			continue;
		if (!jit)
			dtc_filter_no_jit(f);
		CHECK(strcmp(dtc_filter_expr(f), exprs[e]) == 0);
		CHECK(pcap_compile(dead, &prog, exprs[e], 1, PCAP_NETMASK_UNKNOWN) == 0);
		for (i = 0; i < N_FRAMES; i += 32) {
			struct rte_mbuf *m[32];
			bool match[32];
			uint16_t k, n = (uint16_t)RTE_MIN(32u, N_FRAMES - i);

			for (k = 0; k < n; k++) {
				struct frame *fr = &frames[i + k];

				m[k] = t_mbuf(mp, fr->b, fr->len,
					(i + k) % 5 == 4 ? (uint16_t)(fr->len / 2) : 0);
			}
			dtc_filter_burst(f, m, match, n);
			for (k = 0; k < n; k++) {
				struct frame *fr = &frames[i + k];
				struct pcap_pkthdr h = { .caplen = fr->len, .len = fr->len };
				bool ref = pcap_offline_filter(&prog, &h, fr->b) != 0;

				if (ref != match[k] && mismatch++ < 3)
					fprintf(stderr, "'%s' frame %u len %u: dpdk %d libpcap %d\n",
						exprs[e], i + k, fr->len, match[k], ref);
				hits += ref;
				rte_pktmbuf_free(m[k]);
			}
		}
		CHECKF(mismatch == 0, "'%s': %u of %u frames disagree", exprs[e], mismatch,
			N_FRAMES);
		printf("  %-70.70s %4u/%u match%s\n", exprs[e], hits, N_FRAMES,
			dtc_filter_is_jit(f) ? " (jit)" : "");
		pcap_freecode(&prog);
		dtc_filter_free(f);
	}
	pcap_close(dead);
}

static void
test_errors(void)
{
	static const char *const bad[] = {
		"tcp and src prot 80",
		"tcp and (",
		"src port 99999",
		"host 300.1.2.3",
		"ether host zz:zz",
	};
	char err[512];
	char *longexpr;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dtc_filter *f = dtc_filter_compile(bad[i], DTC_LINK_ETHER, err,
			sizeof(err));

		CHECKF(f == NULL, "'%s' compiled", bad[i]);
		dtc_filter_free(f);
		/* The message quotes the filter and adds libpcap's reason after it. */
		CHECKF(strstr(err, bad[i]) != NULL, "'%s' not named in: %s", bad[i], err);
		CHECKF(strlen(err) > strlen(bad[i]) + 12, "no reason in: %s", err);
		printf("  %s\n", err);
		CHECK_EQ(dtc_filter_check(bad[i], DTC_LINK_ETHER, err, sizeof(err)), -EINVAL);
		CHECK(strstr(err, bad[i]) != NULL);
	}
	CHECK_EQ(dtc_filter_check("tcp and src port 80", DTC_LINK_ETHER, err, sizeof(err)), 0);
	CHECK_EQ(dtc_filter_check("tcp", DTC_LINK_RAW, err, sizeof(err)), 0);
	CHECK_EQ(dtc_filter_check("tcp", DTC_LINK_SLL2, err, sizeof(err)), 0);
	CHECK_EQ(dtc_filter_check(NULL, DTC_LINK_ETHER, err, sizeof(err)), -EINVAL);
	/* Longer than the limit: refused before libpcap sees it. */
	longexpr = malloc(DTC_FILTER_EXPR_MAX + 20);
	memset(longexpr, ' ', DTC_FILTER_EXPR_MAX + 10);
	memcpy(longexpr, "tcp", 3);
	longexpr[DTC_FILTER_EXPR_MAX + 10] = '\0';
	CHECK(dtc_filter_compile(longexpr, DTC_LINK_ETHER, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "longer than") != NULL);
	free(longexpr);
	/* A small error buffer is never overrun and stays terminated. */
	CHECK(dtc_filter_compile("tcp and (", DTC_LINK_ETHER, err, 8) == NULL);
	CHECK(strlen(err) < 8);
}

int
main(int argc, char **argv)
{
	struct rte_mempool *mp;

	(void)argc;
	if (dtc_test_eal_init(argv[0], "icpt-filter", 128) < 0)
		return 1;
	mp = rte_pktmbuf_pool_create("filter", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		SOCKET_ID_ANY);
	if (mp == NULL)
		return 1;
	test_match_vs_libpcap(mp, true);
	test_match_vs_libpcap(mp, false);
	test_errors();
	rte_mempool_free(mp);
	dtc_test_eal_fini();
	return dtc_check_end(argv[0]);
}
