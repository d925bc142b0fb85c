/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Scripted harness for lib/session: EAL (no hugepages), a mempool with the engine's private
 * area, captured client segments built as real frames and run through dtc_front_classify and
 * dtc_sess_client_burst, response records as struct dtc_resp, a controlled clock, and every
 * emitted frame read back by an independent little reader (its own header walk and its own
 * ones' complement checksum; nothing from lib/proto).
 */

#ifndef DTC_SESS_HARNESS_H
#define DTC_SESS_HARNESS_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dtc_proto.h"
#include "dtc_ctl.h"
#include "dtc_session.h"
#include "../common/dtc_check.h"

/* ---- assertions: tests/common/dtc_check.h; dtc_check_case names the scenario ---- */

/* DTC_TEST_RX_CSUM=1: every context starts with rx_csum_good (the suites run both ways). */
extern bool h_rx_csum_default;

/* Payload byte at client sequence number s (so any emitted byte can be checked). */
static inline uint8_t
h_pat(uint32_t s)
{
	return (uint8_t)((s * 2654435761u) >> 24);
}

/* ---- an emitted frame, read back ---- */

struct h_frame {
	uint8_t eth_dst[6], eth_src[6];
	uint8_t family;
	bool ip_csum_ok, tcp_csum_ok, df;
	uint8_t ttl;
	union dtc_addr src, dst;
	uint16_t sport, dport;       /* host order */
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t payload_len;
	bool pat_ok;                 /* payload bytes == h_pat(seq + i) */
	bool has_ts, sack_ok, has_sack_blocks;
	uint32_t tsval, tsecr;
	uint16_t mss;                /* 0 = none */
	int wscale;                  /* -1 = none */
	uint8_t opt_len;
};

/* Parse and verify a frame (Ethernet + IPv4/IPv6 + TCP); false when it is not one. */
bool h_read_frame(const uint8_t *p, uint32_t len, struct h_frame *f);

/* ---- the context ---- */

#define H_MAX_FRAMES 8192
#define H_MAX_ROUTES 4096
#define H_MAX_ENG 4

struct h_route {
	struct dtc_flow_key k;
	uint16_t op;
	uint64_t t;
};

typedef void (*h_sink_fn)(void *arg, unsigned int eng, struct rte_mbuf *m);

struct h_ctx {
	struct rte_mempool *mp;
	unsigned int base_avail;
	struct dtc_xfer xfer[4];
	unsigned int n_xfer;
	struct dtc_pool pool;
	struct dtc_sess_conf conf;
	struct dtc_front *front;
	struct dtc_sess_engine *eng[H_MAX_ENG];
	unsigned int n_eng;
	uint64_t now;
	struct h_frame *fr;
	unsigned int nfr, rd;
	unsigned int fr_eng[H_MAX_FRAMES];
	struct h_route routes[H_MAX_ROUTES];
	unsigned int nroutes;
	bool refuse_routes;
	bool rx_csum_good;           /* captures claim a NIC-verified TCP checksum */
	h_sink_fn sink;
	void *sink_arg;
	unsigned int front_out;      /* mbufs the last h_clt produced */
	struct rte_mbuf *last_out[1024];
	uint16_t last_worker[1024];
};

struct h_conn {
	uint8_t family;
	union dtc_addr caddr, saddr; /* original client and online server */
	uint16_t cport, sport;       /* host order */
	uint32_t iss;                /* client ISN (online) */
	uint32_t irs;                /* online server ISN (what captured ACKs refer to) */
	bool ts;
	uint32_t tsval;
	int wscale;                  /* in the captured SYN, -1 none */
};

/* Addresses used throughout (198.18.0.0/15, 2001:db8::/32). */
#define H_ONLINE4 "198.18.0.40"
#define H_TARGET4 "198.18.1.56"
#define H_CLIENT4 "198.18.5.7"
#define H_ONLINE6 "2001:db8::40"
#define H_TARGET6 "2001:db8:1::56"
#define H_CLIENT6 "2001:db8:5::7"
#define H_ONLINE_PORT 80
#define H_TARGET_PORT 8080

void h_eal(const char *name);
/* The same with a pool of nb_mbuf mbufs (h_eal: 4096). */
void h_eal_pool(const char *name, unsigned int nb_mbuf);
/* Defaults: one -x map per family (v4 and v6), MAC resolved, small limits. */
void h_init(struct h_ctx *h);
/* Create front and n engines (workers) from h->conf. */
void h_start(struct h_ctx *h, unsigned int n_eng);
/* close_all, free; checks every mbuf came back. */
void h_fini(struct h_ctx *h);

void h_conn_init(struct h_conn *c, uint8_t family, uint16_t cport);
/* The key the test server should see for c (no -c/-n/-f). */
void h_key(const struct h_ctx *h, const struct h_conn *c, struct dtc_flow_key *k);

/* Feed one captured client segment (payload = h_pat bytes); returns what the front made. */
unsigned int h_clt(struct h_ctx *h, const struct h_conn *c, uint8_t flags, uint32_t seq,
	uint32_t ack, uint16_t len);
/* The same with explicit TS values (tsval) when c->ts. */
unsigned int h_clt_ts(struct h_ctx *h, const struct h_conn *c, uint8_t flags, uint32_t seq,
	uint32_t ack, uint16_t len, uint32_t tsval);

struct h_resp_opt {
	int wscale;                  /* -1 none */
	uint16_t mss;
	bool ts;
	uint32_t tsval;
};
/* A response record from the test server for key k. */
void h_resp(struct h_ctx *h, const struct dtc_flow_key *k, uint8_t flags, uint32_t seq,
	uint32_t ack, uint16_t len, uint16_t win, const struct h_resp_opt *o);

/* Advance the clock and run timers (and flush). */
void h_tick(struct h_ctx *h, uint64_t us);
void h_flush(struct h_ctx *h);

/* Next emitted frame (FIFO); false when none. */
bool h_next(struct h_ctx *h, struct h_frame *f);
unsigned int h_pending(const struct h_ctx *h);
void h_drain(struct h_ctx *h);

/* Aggregated engine stats. */
void h_stats(const struct h_ctx *h, struct dtc_sess_stats *s);
/* seg_in == seg_queued + seg_ctl + sum(drop), checked. */
void h_check_accounting(const struct h_ctx *h);

static inline uint64_t
h_drops(const struct dtc_sess_stats *s)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < DTC_SESS_DROP_MAX; i++)
		n += s->drop[i];
	return n;
}

static inline uint64_t
h_ends(const struct dtc_sess_stats *s)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < DTC_SESS_END_MAX; i++)
		n += s->end[i];
	return n;
}

#endif /* DTC_SESS_HARNESS_H */
