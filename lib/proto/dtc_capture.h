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

/* Longest filter expression accepted (as intercept 1.x). */
#define DTC_FILTER_EXPR_MAX 4096

/*
 * Check that expr compiles for the link type, with libpcap only: no EAL or DPDK memory is
 * needed, so option parsers can reject a bad -F before anything starts.  0, or -EINVAL with
 * the same message as dtc_filter_compile() in err.
 */
int dtc_filter_check(const char *expr, enum dtc_link link, char *err, size_t errlen);
/* Whether the filter runs as native code (rte_bpf_get_jit) rather than interpreted. */
bool dtc_filter_is_jit(const struct dtc_filter *f);
/* Run the interpreter from now on (for differential tests and debugging). */
void dtc_filter_no_jit(struct dtc_filter *f);

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
 * (the mbuf is untouched).  An ARP request must be in one segment, an ICMP request's headers
 * in the first one (as any NIC delivers them); VLAN tags are kept in the reply.  Requests from
 * broadcast/multicast senders, fragments and ARP with a multicast sender MAC are not answered.
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
	/*
	 * Re-resolution: an entry older than ttl_us stays usable (its old MAC is still returned)
	 * while requests go out every retry_us; after give_up requests without an answer it is
	 * no longer usable (lookup fails) until a reply arrives.  Requests continue every retry_us.
	 */
	uint32_t give_up;              /* default 3 */
	uint32_t pad32;
	uint64_t expired;              /* entries that stopped being usable (no answer in time) */
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
/*
 * Look up a tracked next hop: 0 and *mac while it is usable (resolved, and not older than
 * ttl_us + give_up * retry_us: the old MAC is used while re-resolving), else -ENOENT.
 */
int dtc_arp_lookup(const struct dtc_arp *a, rte_be32_t ip, uint64_t now_us,
	struct rte_ether_addr *mac);

/* ------------------------------------------------------------------ */
/* Triage of a captured burst: the response side of both apps (dpdk-intercept's capture port,
 * dpdk-tcpcopy's --response-port), so the two share one path. */

#define DTC_CAP_STAT_LIST(X) \
	X(rx, "frames received") \
	X(parse_err, "frames that failed to parse (malformed headers)") \
	X(replies, "ARP/ICMP echo replies produced") \
	X(not_tcp, "frames that are neither TCP nor answered (ARP, ICMP, UDP, other)") \
	X(filter_miss, "TCP segments the filter rejected") \
	X(matched, "TCP segments the filter accepted")

enum dtc_cap_stat {
#define DTC_CAP_STAT_ENUM(n, s) DTC_CAP_STAT_##n,
	DTC_CAP_STAT_LIST(DTC_CAP_STAT_ENUM)
#undef DTC_CAP_STAT_ENUM
	DTC_CAP_STAT_MAX
};

/* Names ("rx", "parse_err"...) and descriptions, for stats lines and telemetry. */
const char *dtc_cap_stat_name(unsigned int i);
const char *dtc_cap_stat_desc(unsigned int i);

/* Called for every well-formed ARP frame before the responder sees it (e.g. to feed an
 * ARP resolver that lives on another lcore).  Must not keep m. */
typedef void (*dtc_cap_arp_fn)(void *arg, const struct rte_mbuf *m,
	const struct dtc_pkt_info *pi);

struct dtc_capture {
	const struct dtc_filter *filter; /* NULL: every TCP segment matches */
	struct dtc_responder *resp;      /* NULL: answer nothing */
	dtc_cap_arp_fn arp_fn;           /* optional */
	void *arp_arg;
	enum dtc_link link;              /* of the port (DTC_LINK_ETHER for DPDK ports) */
	uint64_t stats[DTC_CAP_STAT_MAX]; /* written by the lcore that runs the burst only */
};

/* One matching TCP segment: the mbuf (owned by the caller now) and its parse. */
struct dtc_cap_seg {
	struct rte_mbuf *m;
	struct dtc_pkt_info pi;
};

void dtc_capture_init(struct dtc_capture *c, enum dtc_link link, const struct dtc_filter *f,
	struct dtc_responder *r);

/*
 * Triage n received frames: parse each one; ARP requests and ICMP echo requests for the
 * responder's address become replies, moved to tx[] (*n_tx of them, at most n: the caller
 * transmits them and frees what the TX burst does not take); TCP segments (IPv4 or IPv6)
 * that pass the filter go to seg[] (the caller frees seg[i].m when done); every other mbuf is
 * freed here.  Returns the number of segments in seg[] (seg must hold n entries).  Turn a
 * segment into a control-channel v1 record with dtc_v1_rec_encode_mbuf(), or into a
 * struct dtc_resp with dtc_resp_from_pkt() (dtc_ctl.h).
 */
uint16_t dtc_capture_burst(struct dtc_capture *c, struct rte_mbuf **pkts, uint16_t n,
	struct dtc_cap_seg *seg, struct rte_mbuf **tx, uint16_t *n_tx);

#ifdef __cplusplus
}
#endif

#endif /* DTC_CAPTURE_H */
