/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * RX role: every captured frame is parsed once, frames of a shared TX/response port that the
 * control lcore must see are diverted to it, the rest goes through -F and the session front,
 * and each kept segment (and each -n replica) is staged for the worker that owns its rewritten
 * client endpoint.  Staged segments leave in one ring enqueue per worker per burst.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "copy_dp.h"

#define PREFETCH_AHEAD 4

int
dtc_copy_rx_init(struct dtc_copy_rx *rx, uint16_t n_workers, unsigned int multiply, int socket)
{
	if (multiply == 0)
		multiply = 1;
	rx->n_workers = n_workers;
	rx->rep = rte_zmalloc_socket("dtc_rx_rep", sizeof(*rx->rep) * multiply, 0, socket);
	rx->rep_worker = rte_zmalloc_socket("dtc_rx_repw", sizeof(*rx->rep_worker) * multiply, 0,
		socket);
	rx->stage = rte_zmalloc_socket("dtc_rx_stage",
		sizeof(*rx->stage) * DTC_COPY_BURST * n_workers, RTE_CACHE_LINE_SIZE, socket);
	rx->n_stage = rte_zmalloc_socket("dtc_rx_nstage", sizeof(*rx->n_stage) * n_workers, 0,
		socket);
	if (rx->rep == NULL || rx->rep_worker == NULL || rx->stage == NULL ||
			rx->n_stage == NULL) {
		dtc_copy_rx_fini(rx);
		return -ENOMEM;
	}
	return 0;
}

void
dtc_copy_rx_fini(struct dtc_copy_rx *rx)
{
	rte_free(rx->rep);
	rte_free(rx->rep_worker);
	rte_free(rx->stage);
	rte_free(rx->n_stage);
	rx->rep = NULL;
	rx->rep_worker = NULL;
	rx->stage = NULL;
	rx->n_stage = NULL;
}

/* Frames of a shared port that belong to the control lcore. */
static bool
is_ctl_frame(const struct dtc_copy_rx *rx, const struct dtc_pkt_info *pi)
{
	unsigned int i;

	if (pi->l3 == DTC_L3_ARP)
		return true;
	if (pi->l4 == DTC_L4_ICMP)
		return rx->tx_ip != 0 && pi->dst.a32[0] == rx->tx_ip;
	if (pi->l4 != DTC_L4_TCP || !rx->divert_responses)
		return false;
	for (i = 0; i < rx->n_xfer; i++) {
		const struct dtc_xfer *x = &rx->xfer[i];

		if (x->family == pi->family && x->target_port == pi->sport &&
				memcmp(&x->target_addr, &pi->src, sizeof(pi->src)) == 0)
			return true;
	}
	return false;
}

static void
stage_flush(struct dtc_copy_rx *rx, uint16_t w, uint64_t now_us)
{
	struct rte_mbuf **s = &rx->stage[(uint32_t)w * DTC_COPY_BURST];
	unsigned int n = rx->n_stage[w], sent;

	if (n == 0)
		return;
	rx->n_stage[w] = 0;
	if (rx->direct) {
		dtc_sess_client_burst(rx->workers[w]->eng, s, (uint16_t)n, now_us);
		return;
	}
	/* single or multi-producer as the ring was made: several RX lcores share it (--rx-lcores;
	 * a flow always comes from the same RX queue, so its order holds) */
	sent = rte_ring_enqueue_burst(rx->workers[w]->seg_in, (void **)s, n, NULL);
	if (unlikely(sent < n)) {
		rx->drop[DTC_COPY_DROP_ring_full] += n - sent;
		rte_pktmbuf_free_bulk(s + sent, n - sent);
	}
}

static inline void
stage_add(struct dtc_copy_rx *rx, uint16_t w, struct rte_mbuf *m, uint64_t now_us)
{
	if (unlikely(w >= rx->n_workers))
		w = 0; /* cannot happen with a sane front; keep the segment rather than crash */
	if (rx->n_stage[w] == DTC_COPY_BURST)
		stage_flush(rx, w, now_us);
	rx->stage[(uint32_t)w * DTC_COPY_BURST + rx->n_stage[w]++] = m;
}

static inline void
drop(struct dtc_copy_rx *rx, struct rte_mbuf *m, enum dtc_copy_drop why)
{
	rx->drop[why]++;
	rte_pktmbuf_free(m);
}

/* Parse and sort one chunk (n <= DTC_COPY_BURST); returns the number kept for the front. */
static uint16_t
rx_triage(struct dtc_copy_rx *rx, struct rte_mbuf **pkts, uint16_t n, enum dtc_link link,
	bool divert, struct rte_mbuf **keep, struct dtc_pkt_info *kpi)
{
	uint16_t i, k = 0;

	/* The segment descriptor the front writes (the mbuf's private area, two lines no one
	 * touched since the mbuf's last use): fetched for writing now, ready by classify. */
	for (i = 0; i < n; i++) {
		char *seg = (char *)dtc_seg_of(pkts[i]);

		__builtin_prefetch(seg, 1, 3);
		__builtin_prefetch(seg + sizeof(struct dtc_seg) - 1, 1, 3);
	}
	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct dtc_pkt_info *pi = &kpi[k];
		int rc;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		rx->frames++;
		rx->bytes += m->pkt_len;
		rc = dtc_parse_mbuf(m, link, pi);
		if (unlikely(rc != 0)) {
			if (-rc > 0 && -rc < DTC_PERR_MAX)
				rx->perr[-rc]++;
			drop(rx, m, DTC_COPY_DROP_parse_error);
			continue;
		}
		if (unlikely(divert) && is_ctl_frame(rx, pi)) {
			if (rte_ring_enqueue(rx->ctl_in, m) != 0)
				drop(rx, m, DTC_COPY_DROP_ctl_ring_full);
			else
				rx->diverted++;
			continue;
		}
		if (pi->l4 != DTC_L4_TCP) {
			drop(rx, m, DTC_COPY_DROP_not_tcp);
			continue;
		}
		keep[k++] = m;
	}
	return k;
}

static unsigned int
rx_chunk(struct dtc_copy_rx *rx, struct rte_mbuf **pkts, uint16_t n, enum dtc_link link,
	bool divert, uint64_t now_us)
{
	struct rte_mbuf *keep[DTC_COPY_BURST];
	struct dtc_pkt_info kpi[DTC_COPY_BURST];
	bool match[DTC_COPY_BURST];
	unsigned int handed = 0;
	uint16_t i, j, k, r;

	k = rx_triage(rx, pkts, n, link, divert, keep, kpi);
	if (k == 0)
		return 0;
	if (rx->filter != NULL)
		dtc_filter_burst(rx->filter, keep, match, k);
	for (i = 0; i < k; i++) {
		if (rx->filter != NULL && !match[i]) {
			drop(rx, keep[i], DTC_COPY_DROP_filtered);
			continue;
		}
		r = (uint16_t)dtc_front_classify(rx->front, keep[i], &kpi[i], now_us, rx->rep,
			rx->rep_worker);
		for (j = 0; j < r; j++)
			stage_add(rx, rx->rep_worker[j], rx->rep[j], now_us);
		handed += r;
	}
	for (i = 0; i < rx->n_workers; i++)
		stage_flush(rx, i, now_us);
	return handed;
}

unsigned int
dtc_copy_rx_burst(struct dtc_copy_rx *rx, struct rte_mbuf **pkts, uint16_t n,
	enum dtc_link link, bool divert, uint64_t now_us)
{
	unsigned int handed = 0;
	uint16_t off, c;

	for (off = 0; off < n; off += c) {
		c = RTE_MIN((uint16_t)(n - off), (uint16_t)DTC_COPY_BURST);
		handed += rx_chunk(rx, pkts + off, c, link, divert, now_us);
	}
	return handed;
}

unsigned int
dtc_copy_rx_poll(struct dtc_copy_rx *rx, uint64_t now_us)
{
	struct rte_mbuf *pkts[DTC_COPY_BURST];
	unsigned int work = 0;
	uint16_t i, n;

	for (i = 0; i < rx->n_ports; i++) {
		const struct dtc_copy_rx_port *p = &rx->ports[(rx->next_port + i) % rx->n_ports];

		n = rte_eth_rx_burst(p->port, p->queue, pkts, DTC_COPY_BURST);
		if (n == 0)
			continue;
		dtc_copy_rx_burst(rx, pkts, n, DTC_LINK_ETHER, p->divert, now_us);
		work += n;
	}
	if (rx->n_ports > 1)
		rx->next_port = (uint16_t)((rx->next_port + 1) % rx->n_ports);
	return work;
}
