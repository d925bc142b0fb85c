/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * ARP resolver for the few next hops an app sends to (the test server or its gateway).  A
 * handful of entries, scanned linearly, on one lcore.  A resolved entry is refreshed after
 * ttl_us without an outage: the old MAC stays in use while requests go out, and only when
 * give_up of them went unanswered does the entry stop being usable, so a next hop that
 * changed MAC (failover) is followed and a dead one is not sent to forever.
 */

#include <errno.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "dtc_capture.h"

#define ARP_TTL_US (300ull * 1000000)
#define ARP_RETRY_US 1000000ull
#define ARP_GIVE_UP 3
#define ETH_HLEN 14
#define ARP_LEN 28

void
dtc_arp_init(struct dtc_arp *a, rte_be32_t local_ip, const struct rte_ether_addr *mac)
{
	memset(a, 0, sizeof(*a));
	a->local_ip = local_ip;
	if (mac != NULL)
		a->local_mac = *mac;
	a->ttl_us = ARP_TTL_US;
	a->retry_us = ARP_RETRY_US;
	a->give_up = ARP_GIVE_UP;
}

static int
arp_find(const struct dtc_arp *a, rte_be32_t ip)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if (a->e[i].ip == ip)
			return (int)i;
	return -1;
}

int
dtc_arp_add(struct dtc_arp *a, rte_be32_t ip)
{
	struct dtc_arp_entry *e;
	int i = arp_find(a, ip);

	if (i >= 0)
		return i;
	if (ip == 0)
		return -EINVAL;
	if (a->n >= DTC_ARP_MAX)
		return -ENOSPC;
	e = &a->e[a->n];
	memset(e, 0, sizeof(*e));
	e->ip = ip;
	e->next_request_us = 0; /* due at the first poll */
	return (int)a->n++;
}

int
dtc_arp_learn(struct dtc_arp *a, const struct rte_mbuf *m, const struct dtc_pkt_info *pi,
	uint64_t now_us)
{
	uint8_t copy[ARP_LEN];
	const struct rte_arp_hdr *h;
	struct dtc_arp_entry *e;
	rte_be32_t spa, tpa;
	uint16_t op;
	int i;

	if (pi->l3 != DTC_L3_ARP)
		return -1;
	h = rte_pktmbuf_read(m, pi->l3_off, ARP_LEN, copy);
	if (h == NULL || h->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
			h->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
			h->arp_hlen != RTE_ETHER_ADDR_LEN || h->arp_plen != 4)
		return -1;
	memcpy(&spa, &h->arp_data.arp_sip, 4);
	memcpy(&tpa, &h->arp_data.arp_tip, 4);
	op = rte_be_to_cpu_16(h->arp_opcode);
	/* Replies, requests aimed at us, and gratuitous announcements: what a host learns from. */
	if (op != RTE_ARP_OP_REPLY && !(op == RTE_ARP_OP_REQUEST &&
			(tpa == a->local_ip || tpa == spa)))
		return -1;
	if (!rte_is_unicast_ether_addr(&h->arp_data.arp_sha) ||
			rte_is_zero_ether_addr(&h->arp_data.arp_sha))
		return -1;
	i = arp_find(a, spa);
	if (i < 0)
		return -1;
	e = &a->e[i];
	e->mac = h->arp_data.arp_sha;
	e->valid = 1;
	e->resolved_us = now_us;
	e->requests = 0;
	e->next_request_us = now_us + a->ttl_us;
	a->replies_learned++;
	return i;
}

/* Usable: resolved, and not past the re-resolution grace (see struct dtc_arp). */
static inline bool
arp_usable(const struct dtc_arp *a, const struct dtc_arp_entry *e, uint64_t now_us)
{
	return e->valid && now_us - e->resolved_us < a->ttl_us + (uint64_t)a->give_up * a->retry_us;
}

static inline bool
arp_due(const struct dtc_arp *a, const struct dtc_arp_entry *e, uint64_t now_us)
{
	if (now_us < e->next_request_us)
		return false;
	return !e->valid || now_us - e->resolved_us >= a->ttl_us;
}

uint16_t
dtc_arp_poll(struct dtc_arp *a, uint64_t now_us, struct rte_mempool *mp, struct rte_mbuf **out,
	uint16_t max)
{
	uint16_t n = 0;
	unsigned int i;

	for (i = 0; i < a->n && n < max; i++) {
		struct dtc_arp_entry *e = &a->e[i];
		struct rte_mbuf *m;
		uint8_t *p;

		if (e->valid && !arp_usable(a, e, now_us)) {
			e->valid = 0;
			a->expired++;
		}
		if (!arp_due(a, e, now_us))
			continue;
		m = rte_pktmbuf_alloc(mp);
		if (m == NULL)
			break; /* try again at the next poll */
		p = (uint8_t *)rte_pktmbuf_append(m, ETH_HLEN + ARP_LEN);
		if (p == NULL || dtc_build_arp(p, ETH_HLEN + ARP_LEN, RTE_ARP_OP_REQUEST,
				&a->local_mac, a->local_ip, NULL, e->ip) < 0) {
			rte_pktmbuf_free(m);
			break;
		}
		out[n++] = m;
		e->requests++;
		e->next_request_us = now_us + a->retry_us;
		a->requests_sent++;
	}
	return n;
}

int
dtc_arp_lookup(const struct dtc_arp *a, rte_be32_t ip, uint64_t now_us,
	struct rte_ether_addr *mac)
{
	int i = arp_find(a, ip);

	if (i < 0 || !arp_usable(a, &a->e[i], now_us))
		return -ENOENT;
	*mac = a->e[i].mac;
	return 0;
}
