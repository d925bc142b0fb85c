/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Capture-side helpers shared by dpdk-intercept and the two-host mode of dpdk-tcpcopy
 * (--response-port), so the code exists once:
 *  - a capture filter in pcap syntax, compiled with libpcap and run with DPDK's BPF library;
 *  - an ARP / ICMP echo responder for one local IPv4 address on a DPDK port;
 *  - an ARP resolver (requests, learning replies, expiry) for next hops we send to.
 */

#ifndef DTC_CAPTURE_H
#define DTC_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dtc_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Capture filter. */

struct dtc_filter;

/*
 * Compile expr (pcap syntax, e.g. "tcp and src port 80") for frames of the given link type
 * with libpcap, convert it with rte_bpf_convert() and load it (JIT when available).  NULL on
 * error, with a message in err that quotes the filter and libpcap's reason.
 */
struct dtc_filter *dtc_filter_compile(const char *expr, enum dtc_link link, char *err,
	size_t errlen);
void dtc_filter_free(struct dtc_filter *f);
/* The expression it was compiled from. */
const char *dtc_filter_expr(const struct dtc_filter *f);

/*
 * Run the filter over a burst (mbuf data at the link header).  match[i] is set to true when
 * mbuf i matches.  Returns the number of matches.  Safe on any lcore (read-only).
 */
uint16_t dtc_filter_burst(const struct dtc_filter *f, struct rte_mbuf **m, bool *match,
	uint16_t n);

/* ------------------------------------------------------------------ */
/* ARP / ICMP echo responder for one local IPv4 address. */

struct dtc_responder {
	rte_be32_t ip;                 /* network order; 0 = disabled */
	struct rte_ether_addr mac;     /* our port's MAC */
	uint64_t arp_replies;
	uint64_t icmp_replies;
	uint64_t ignored;              /* ARP/ICMP not for us, or not a request */
};

void dtc_responder_init(struct dtc_responder *r, rte_be32_t ip,
	const struct rte_ether_addr *mac);

/*
 * Offer a parsed frame (Ethernet link) to the responder.  Returns true when it was an ARP
 * request or ICMP echo request for r->ip: the mbuf has then been turned into the reply in
 * place (ready to transmit) and must be sent, not freed.  Returns false for anything else
 * (the mbuf is untouched).
 */
bool dtc_responder_input(struct dtc_responder *r, struct rte_mbuf *m,
	const struct dtc_pkt_info *pi);

/* ------------------------------------------------------------------ */
/* ARP resolver for next hops (IPv4), run by one lcore (the control lcore). */

#define DTC_ARP_MAX 64

struct dtc_arp_entry {
	rte_be32_t ip;                 /* network order */
	struct rte_ether_addr mac;
	uint8_t valid;
	uint8_t pad;
	uint64_t resolved_us;          /* when the last reply was learned */
	uint64_t next_request_us;      /* when to send the next request */
	uint32_t requests;             /* requests sent for this entry since it last resolved */
};

struct dtc_arp {
	struct dtc_arp_entry e[DTC_ARP_MAX];
	unsigned int n;
	rte_be32_t local_ip;           /* our address (sender protocol address) */
	struct rte_ether_addr local_mac;
	uint64_t ttl_us;               /* re-resolve after this (default 300 s) */
	uint64_t retry_us;             /* request interval while unresolved (default 1 s) */
	uint64_t requests_sent;
	uint64_t replies_learned;
};

void dtc_arp_init(struct dtc_arp *a, rte_be32_t local_ip, const struct rte_ether_addr *mac);
/* Track a next hop; returns the entry index or -ENOSPC. */
int dtc_arp_add(struct dtc_arp *a, rte_be32_t ip);
/* Learn from a parsed ARP frame (request or reply) whose sender is a tracked next hop.
 * Returns the index of the entry updated, or -1. */
int dtc_arp_learn(struct dtc_arp *a, const struct rte_mbuf *m, const struct dtc_pkt_info *pi,
	uint64_t now_us);
/* Build due ARP requests into mbufs from mp (up to max); returns how many. */
uint16_t dtc_arp_poll(struct dtc_arp *a, uint64_t now_us, struct rte_mempool *mp,
	struct rte_mbuf **out, uint16_t max);
/* Look up a tracked next hop: 0 and *mac when valid and not expired, else -ENOENT. */
int dtc_arp_lookup(const struct dtc_arp *a, rte_be32_t ip, uint64_t now_us,
	struct rte_ether_addr *mac);

#ifdef __cplusplus
}
#endif

#endif /* DTC_CAPTURE_H */
