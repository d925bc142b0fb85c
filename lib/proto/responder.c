/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * ARP and ICMP echo responder for one IPv4 address.  A port bound to DPDK is invisible to
 * the kernel, so without this the test server could never resolve the next hop its route
 * points at (the auxiliary host), and nobody could ping it.  Replies are built in the
 * request's own mbuf: no allocation, and any VLAN tags stay as they came.
 */

#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dtc_capture.h"

#define ETH_HLEN 14
#define ARP_LEN 28

void
dtc_responder_init(struct dtc_responder *r, rte_be32_t ip, const struct rte_ether_addr *mac)
{
	memset(r, 0, sizeof(*r));
	r->ip = ip;
	if (mac != NULL)
		r->mac = *mac;
}

/* Only Ethernet frames can be answered: the link header length is 14 + 4 per VLAN tag. */
static inline bool
is_ether(const struct dtc_pkt_info *pi)
{
	return pi->l3_off == ETH_HLEN + 4u * pi->n_vlan;
}

static bool
arp_reply(struct dtc_responder *r, struct rte_mbuf *m, const struct dtc_pkt_info *pi)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t end = (uint32_t)pi->l3_off + ARP_LEN;
	struct rte_arp_hdr *a;
	struct rte_ether_addr sha;
	rte_be32_t spa;

	if (!is_ether(pi) || m->nb_segs != 1 || rte_pktmbuf_data_len(m) < end)
		return false;
	a = (struct rte_arp_hdr *)(f + pi->l3_off);
	if (a->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
			a->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
			a->arp_hlen != RTE_ETHER_ADDR_LEN || a->arp_plen != 4 ||
			a->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST))
		return false;
	memcpy(&spa, &a->arp_data.arp_sip, 4);
	if (memcmp(&a->arp_data.arp_tip, &r->ip, 4) != 0)
		return false;
	sha = a->arp_data.arp_sha;
	/* A multicast sender hardware address is forged or broken: never answer it. */
	if (!rte_is_unicast_ether_addr(&sha))
		return false;
	/* Ethernet: to the requester, from us; the tags (if any) stay. */
	memcpy(f, &sha, RTE_ETHER_ADDR_LEN);
	memcpy(f + RTE_ETHER_ADDR_LEN, &r->mac, RTE_ETHER_ADDR_LEN);
	a->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	a->arp_data.arp_tha = sha;
	memcpy(&a->arp_data.arp_tip, &spa, 4);
	a->arp_data.arp_sha = r->mac;
	memcpy(&a->arp_data.arp_sip, &r->ip, 4);
	/* Drop the request's trailing padding; the NIC pads short frames. */
	m->data_len = (uint16_t)end;
	m->pkt_len = end;
	r->arp_replies++;
	return true;
}

static bool
icmp_reply(struct dtc_responder *r, struct rte_mbuf *m, const struct dtc_pkt_info *pi)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);

	if (!is_ether(pi) || pi->dst.a32[0] != r->ip || pi->is_frag ||
			pi->icmp_type != RTE_IP_ICMP_ECHO_REQUEST ||
			rte_pktmbuf_data_len(m) < (uint32_t)pi->l4_off + 8)
		return false;
	/* Broadcast and multicast sources must not be echoed to (smurf). */
	if (pi->src.a32[0] == RTE_BE32(0xffffffff) ||
			(rte_be_to_cpu_32(pi->src.a32[0]) >> 28) == 0xe ||
			pi->src.a32[0] == 0)
		return false;
	if (dtc_icmp_echo_reply_inplace(f, pi) != 0)
		return false;
	/* In promiscuous mode the request's destination MAC need not be ours. */
	memcpy(f + RTE_ETHER_ADDR_LEN, &r->mac, RTE_ETHER_ADDR_LEN);
	r->icmp_replies++;
	return true;
}

bool
dtc_responder_input(struct dtc_responder *r, struct rte_mbuf *m, const struct dtc_pkt_info *pi)
{
	bool done = false;

	if (r->ip == 0)
		return false;
	if (pi->l3 == DTC_L3_ARP)
		done = arp_reply(r, m, pi);
	else if (pi->l3 == DTC_L3_IPV4 && pi->l4 == DTC_L4_ICMP)
		done = icmp_reply(r, m, pi);
	else
		return false;
	if (!done)
		r->ignored++;
	return done;
}
