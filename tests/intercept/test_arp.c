/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * ARP resolver with an injected clock: first resolution, what it learns from and what it
 * refuses, expiry with re-resolution (the old MAC stays usable while requests go out), giving
 * up after the bound, and recovery.  Request frames are checked byte by byte against the
 * Ethernet/ARP layout written out here, not against our builder.
 */

#include <arpa/inet.h>

#include <rte_mbuf.h>

#include "dtc_capture.h"
#include "icpt_test.h"

#define S 1000000ull

static const struct rte_ether_addr my_mac = { { 2, 0, 0, 0, 1, 0x63 } };
static const struct rte_ether_addr srv_mac = { { 2, 0, 0, 0, 1, 0x56 } };
static const struct rte_ether_addr srv_mac2 = { { 2, 0, 0, 0, 2, 0x56 } };

static uint32_t
ip4(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

/* An Ethernet ARP frame as the wire has it. */
static struct rte_mbuf *
arp_frame(struct rte_mempool *mp, uint16_t op, const struct rte_ether_addr *sha,
	const char *spa, const char *tpa, struct dtc_pkt_info *pi)
{
	uint8_t b[60] = { 0 };
	uint32_t s = ip4(spa), t = ip4(tpa);
	struct rte_mbuf *m;

	memset(b, 0xff, 6);
	memcpy(b + 6, sha, 6);
	b[12] = 0x08, b[13] = 0x06;
	b[14] = 0, b[15] = 1, b[16] = 0x08, b[17] = 0, b[18] = 6, b[19] = 4;
	b[20] = 0, b[21] = (uint8_t)op;
	memcpy(b + 22, sha, 6);
	memcpy(b + 28, &s, 4);
	memcpy(b + 38, &t, 4);
	m = t_mbuf(mp, b, sizeof(b), 0);
	CHECK_EQ(dtc_parse_mbuf(m, DTC_LINK_ETHER, pi), 0);
	return m;
}

static void
check_request(struct rte_mbuf *m, const char *target)
{
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	static const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	uint32_t spa = ip4("198.18.1.63"), tpa = ip4(target);

	CHECK(rte_pktmbuf_pkt_len(m) >= 42);
	CHECK(memcmp(b, bcast, 6) == 0);
	CHECK(memcmp(b + 6, &my_mac, 6) == 0);
	CHECK(b[12] == 0x08 && b[13] == 0x06);
	CHECK(memcmp(b + 14, hdr, 8) == 0);
	CHECK(memcmp(b + 22, &my_mac, 6) == 0);
	CHECK(memcmp(b + 28, &spa, 4) == 0);
	CHECK(memcmp(b + 32, zero, 6) == 0);
	CHECK(memcmp(b + 38, &tpa, 4) == 0);
}

static uint16_t
poll_free(struct dtc_arp *a, uint64_t now, struct rte_mempool *mp, const char *target)
{
	struct rte_mbuf *out[8];
	uint16_t i, n = dtc_arp_poll(a, now, mp, out, 8);

	for (i = 0; i < n; i++) {
		if (target != NULL)
			check_request(out[i], target);
		rte_pktmbuf_free(out[i]);
	}
	return n;
}

static void
test_resolver(struct rte_mempool *mp)
{
	struct dtc_arp a;
	struct rte_ether_addr mac;
	struct dtc_pkt_info pi;
	struct rte_mbuf *m;
	uint64_t t0 = 5 * S, t;
	int idx;

	dtc_arp_init(&a, ip4("198.18.1.63"), &my_mac);
	CHECK_EQ(a.ttl_us, 300 * S);
	CHECK_EQ(a.retry_us, 1 * S);
	CHECK_EQ(a.give_up, 3);
	a.ttl_us = 60 * S;
	idx = dtc_arp_add(&a, ip4("198.18.1.56"));
	CHECK_EQ(idx, 0);
	CHECK_EQ(dtc_arp_add(&a, ip4("198.18.1.56")), 0); /* already tracked */
	CHECK_EQ(dtc_arp_add(&a, 0), -EINVAL);
	CHECK_EQ(dtc_arp_lookup(&a, ip4("198.18.1.56"), t0, &mac), -ENOENT);

	/* Unresolved: a request at once, then one per retry interval, not more often. */
	CHECK_EQ(poll_free(&a, t0, mp, "198.18.1.56"), 1);
	CHECK_EQ(poll_free(&a, t0 + S / 2, mp, NULL), 0);
	CHECK_EQ(poll_free(&a, t0 + S, mp, "198.18.1.56"), 1);
	CHECK_EQ(a.requests_sent, 2);

	/* Not learned: an unknown sender, a multicast sender MAC, a request to someone else. */
	m = arp_frame(mp, 2, &srv_mac, "198.18.1.57", "198.18.1.63", &pi);
	CHECK_EQ(dtc_arp_learn(&a, m, &pi, t0), -1);
	rte_pktmbuf_free(m);
	m = arp_frame(mp, 2, &(struct rte_ether_addr){ { 1, 0, 0x5e, 0, 0, 1 } }, "198.18.1.56",
		"198.18.1.63", &pi);
	CHECK_EQ(dtc_arp_learn(&a, m, &pi, t0), -1);
	rte_pktmbuf_free(m);
	m = arp_frame(mp, 1, &srv_mac, "198.18.1.56", "198.18.1.99", &pi);
	CHECK_EQ(dtc_arp_learn(&a, m, &pi, t0), -1);
	rte_pktmbuf_free(m);
	CHECK_EQ(dtc_arp_lookup(&a, ip4("198.18.1.56"), t0 + S, &mac), -ENOENT);

	/* The reply resolves it. */
	t = t0 + S + 100;
	m = arp_frame(mp, 2, &srv_mac, "198.18.1.56", "198.18.1.63", &pi);
	CHECK_EQ(dtc_arp_learn(&a, m, &pi, t), 0);
	rte_pktmbuf_free(m);
	CHECK_EQ(dtc_arp_lookup(&a, ip4("198.18.1.56"), t, &mac), 0);
	CHECK(rte_is_same_ether_addr(&mac, &srv_mac));
	CHECK_EQ(a.replies_learned, 1);
	/* Fresh: no requests until the TTL. */
	CHECK_EQ(poll_free(&a, t + 30 * S, mp, NULL), 0);
	CHECK_EQ(poll_free(&a, t + 60 * S - 1, mp, NULL), 0);

	/* Stale: requests go out, the old MAC is still used ... */
	CHECK_EQ(poll_free(&a, t + 60 * S, mp, "198.18.1.56"), 1);
	CHECK_EQ(dtc_arp_lookup(&a, ip4("198.18.1.56"), t + 60 * S, &mac), 0);
	CHECK_EQ(poll_free(&a, t + 61 * S, mp, "198.18.1.56"), 1);
	CHECK_EQ(poll_free(&a, t + 62 * S, mp, "198.18.1.56"), 1);
	CHECK_EQ(dtc_arp_lookup(&a, ip4("198.18.1.56"), t + 63 * S - 1, &mac), 0);
	CHECK(rte_is_same_ether_addr(&mac, &srv_mac));
	/* ... until give_up requests went unanswered. */
	CHECK_EQ(dtc_arp_lookup(&a, ip4("198.18.1.56"), t + 63 * S, &mac), -ENOENT);
	CHECK_EQ(poll_free(&a, t + 63 * S, mp, "198.18.1.56"), 1);
	CHECK_EQ(a.expired, 1);
	/* Still asked for, every retry interval. */
	CHECK_EQ(poll_free(&a, t + 64 * S, mp, "198.18.1.56"), 1);

	/* A gratuitous announcement with a new MAC (failover) is followed. */
	m = arp_frame(mp, 1, &srv_mac2, "198.18.1.56", "198.18.1.56", &pi);
	CHECK_EQ(dtc_arp_learn(&a, m, &pi, t + 65 * S), 0);
	rte_pktmbuf_free(m);
	CHECK_EQ(dtc_arp_lookup(&a, ip4("198.18.1.56"), t + 65 * S, &mac), 0);
	CHECK(rte_is_same_ether_addr(&mac, &srv_mac2));
	/* A request from it aimed at us refreshes it too. */
	m = arp_frame(mp, 1, &srv_mac, "198.18.1.56", "198.18.1.63", &pi);
	CHECK_EQ(dtc_arp_learn(&a, m, &pi, t + 100 * S), 0);
	rte_pktmbuf_free(m);
	CHECK_EQ(dtc_arp_lookup(&a, ip4("198.18.1.56"), t + 162 * S, &mac), 0);
	CHECK(rte_is_same_ether_addr(&mac, &srv_mac));

	/* The table is bounded. */
	while (a.n < DTC_ARP_MAX)
		CHECK(dtc_arp_add(&a, rte_cpu_to_be_32(0x0a000000 + a.n)) >= 0);
	CHECK_EQ(dtc_arp_add(&a, ip4("10.9.9.9")), -ENOSPC);
	/* A poll never returns more than asked, and the rest come at the next poll. */
	CHECK_EQ(poll_free(&a, t + 200 * S, mp, NULL), 8);
	CHECK_EQ(poll_free(&a, t + 200 * S, mp, NULL), 8);
}

int
main(int argc, char **argv)
{
	struct rte_mempool *mp;

	(void)argc;
	if (dtc_test_eal_init(argv[0], "icpt-arp", 128) < 0)
		return 1;
	mp = rte_pktmbuf_pool_create("arp", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL)
		return 1;
	test_resolver(mp);
	rte_mempool_free(mp);
	dtc_test_eal_fini();
	return dtc_check_end(argv[0]);
}
