/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Control role, on the main lcore: route registrations from the workers go to the control
 * client; response records (from the intercepts, or captured on the response port in the
 * two-host mode) go to the worker that owns the session; the TX and response ports' own
 * traffic is handled here (ARP resolution of the targets, ARP/ICMP answers for --tx-ip).
 */

#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "copy_dp.h"
#include "compare.h"

#define ARP_REFRESH_US 1000

int
dtc_copy_ctl_init(struct dtc_copy_ctl *c, uint16_t n_workers, int socket)
{
	c->n_workers = n_workers;
	c->stage = rte_zmalloc_socket("dtc_ctl_stage",
		sizeof(*c->stage) * DTC_COPY_BURST * n_workers, RTE_CACHE_LINE_SIZE, socket);
	c->n_stage = rte_zmalloc_socket("dtc_ctl_nstage", sizeof(*c->n_stage) * n_workers, 0,
		socket);
	if (c->stage == NULL || c->n_stage == NULL) {
		dtc_copy_ctl_fini(c);
		return -ENOMEM;
	}
	return 0;
}

void
dtc_copy_ctl_fini(struct dtc_copy_ctl *c)
{
	rte_free(c->stage);
	rte_free(c->n_stage);
	c->stage = NULL;
	c->n_stage = NULL;
}

uint16_t
dtc_copy_resp_owner(const struct dtc_resp *r, uint32_t seed, uint16_t n_workers)
{
	/* the front's owner_hash is this hash of the rewritten client endpoint */
	return dtc_sess_owner(dtc_endpoint_hash(&r->key.client, r->key.client_port, seed),
		n_workers);
}

static void
resp_flush(struct dtc_copy_ctl *c, uint16_t w)
{
	struct dtc_resp *s = &c->stage[(uint32_t)w * DTC_COPY_BURST];
	unsigned int n = c->n_stage[w], sent;

	if (n == 0)
		return;
	c->n_stage[w] = 0;
	sent = rte_ring_sp_enqueue_burst_elem(c->workers[w]->resp_in, s, sizeof(*s), n, NULL);
	c->resp_records += sent;
	c->drop[DTC_COPY_DROP_resp_ring_full] += n - sent;
}

void
dtc_copy_ctl_resp(void *arg, const struct dtc_resp *r)
{
	struct dtc_copy_ctl *c = arg;
	uint16_t w = dtc_copy_resp_owner(r, c->seed, c->n_workers);

	if (c->n_stage[w] == DTC_COPY_BURST)
		resp_flush(c, w);
	c->stage[(uint32_t)w * DTC_COPY_BURST + c->n_stage[w]++] = *r;
}

static void
ctl_tx(struct dtc_copy_ctl *c, struct dtc_copy_ctl_port *p, struct rte_mbuf **m, uint16_t n)
{
	unsigned int sent;

	if (n == 0)
		return;
	if (p->via_worker)
		sent = rte_ring_sp_enqueue_burst(c->workers[0]->ctl_tx, (void **)m, n, NULL);
	else
		sent = rte_eth_tx_burst(p->port, p->txq, m, n);
	if (sent < n) {
		c->drop[DTC_COPY_DROP_ctl_tx_full] += n - sent;
		rte_pktmbuf_free_bulk(m + sent, n - sent);
	}
}

static bool
from_target(const struct dtc_copy_ctl *c, const struct dtc_pkt_info *pi)
{
	unsigned int i;

	for (i = 0; i < c->n_xfer; i++) {
		const struct dtc_xfer *x = &c->xfer[i];

		if (x->family == pi->family && x->target_port == pi->sport &&
				memcmp(&x->target_addr, &pi->src, sizeof(pi->src)) == 0)
			return true;
	}
	return false;
}

struct arp_ctx {
	struct dtc_copy_ctl *c;
	uint64_t now_us;
};

static void
arp_seen(void *arg, const struct rte_mbuf *m, const struct dtc_pkt_info *pi)
{
	struct arp_ctx *a = arg;

	dtc_arp_learn(&a->c->arp, m, pi, a->now_us);
}

void
dtc_copy_ctl_input(struct dtc_copy_ctl *c, struct dtc_copy_ctl_port *p, struct rte_mbuf **pkts,
	uint16_t n, uint64_t now_us)
{
	struct dtc_cap_seg seg[DTC_COPY_BURST];
	struct rte_mbuf *tx[DTC_COPY_BURST];
	struct arp_ctx actx = { c, now_us };
	uint16_t off, k, n_tx, n_seg, i;

	for (off = 0; off < n; off += k) {
		uint16_t chunk = RTE_MIN((uint16_t)(n - off), (uint16_t)DTC_COPY_BURST);

		p->cap.arp_fn = arp_seen;
		p->cap.arp_arg = &actx;
		n_tx = 0;
		k = chunk;
		c->ctl_frames += chunk;
		n_seg = dtc_capture_burst(&p->cap, pkts + off, chunk, seg, tx, &n_tx);
		ctl_tx(c, p, tx, n_tx);
		/* in arrival order: the engine relies on it */
		for (i = 0; i < n_seg; i++) {
			struct dtc_resp r;

			if (!p->is_response || !from_target(c, &seg[i].pi))
				c->drop[DTC_COPY_DROP_resp_not_target]++;
			else if (dtc_resp_from_pkt(&seg[i].pi, &r) != 0)
				c->drop[DTC_COPY_DROP_resp_bad]++;
			else {
				dtc_copy_cmp_resp(&r, &seg[i].pi, seg[i].m);
				dtc_copy_ctl_resp(c, &r);
			}
			rte_pktmbuf_free(seg[i].m);
		}
	}
}

/* Publish the targets' MACs for the workers. */
static void
arp_refresh(struct dtc_copy_ctl *c, uint64_t now_us)
{
	unsigned int i;

	for (i = 0; i < c->n_xfer; i++) {
		struct dtc_xfer *x = &c->xfer[i];
		struct rte_ether_addr mac;
		uint64_t v = 0, old;
		int b;

		if (c->arp_idx[i] < 0)
			continue;
		if (dtc_arp_lookup(&c->arp, x->target_addr.a32[0], now_us, &mac) == 0) {
			for (b = 0; b < RTE_ETHER_ADDR_LEN; b++)
				v |= (uint64_t)mac.addr_bytes[b] << (8 * b);
			v |= DTC_MAC_VALID;
		}
		old = __atomic_load_n(&x->dst_mac, __ATOMIC_RELAXED);
		if (old != v)
			__atomic_store_n(&x->dst_mac, v, __ATOMIC_RELAXED);
	}
}

static unsigned int
ctl_arp(struct dtc_copy_ctl *c, uint64_t now_us)
{
	struct rte_mbuf *m[8];
	uint16_t n;

	if (c->arp.n == 0 || c->n_ports == 0 || now_us < c->next_arp_us)
		return 0;
	c->next_arp_us = now_us + ARP_REFRESH_US;
	n = dtc_arp_poll(&c->arp, now_us, c->mp, m, RTE_DIM(m));
	c->arp_requests += n;
	ctl_tx(c, &c->ports[0], m, n); /* ports[0] is the TX port */
	arp_refresh(c, now_us);
	return n;
}

static unsigned int
ctl_routes(struct dtc_copy_ctl *c)
{
	struct dtc_copy_route r[DTC_COPY_BURST];
	unsigned int w, n, i, work = 0;

	for (w = 0; w < c->n_workers; w++) {
		if (c->workers[w]->route_out == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst_elem(c->workers[w]->route_out, r, sizeof(r[0]),
			DTC_COPY_BURST, NULL);
		for (i = 0; i < n; i++) {
			if (dtc_ctl_client_route(c->client, &r[i]) != 0)
				c->routes_failed++;
		}
		c->routes += n;
		work += n;
	}
	return work;
}

static struct dtc_copy_ctl_port *
port_of(struct dtc_copy_ctl *c, uint16_t port_id)
{
	uint16_t i;

	for (i = 0; i < c->n_ports; i++)
		if (c->ports[i].port == port_id)
			return &c->ports[i];
	return NULL;
}

unsigned int
dtc_copy_ctl_poll(struct dtc_copy_ctl *c, uint64_t now_us)
{
	struct rte_mbuf *m[DTC_COPY_BURST];
	unsigned int work = 0, n, i;
	uint16_t w;

	if (c->client != NULL) {
		work += ctl_routes(c);
		work += dtc_ctl_client_poll(c->client, now_us + dtc_copy_epoch_us);
		__atomic_store_n(&c->intercepts_up, dtc_ctl_client_up(c->client),
			__ATOMIC_RELAXED);
	}
	for (i = 0; i < c->n_ports; i++) {
		struct dtc_copy_ctl_port *p = &c->ports[i];
		uint16_t q;

		for (q = 0; p->poll && q < p->n_rxq; q++) {
			n = rte_eth_rx_burst(p->port, q, m, DTC_COPY_BURST);
			if (n > 0)
				dtc_copy_ctl_input(c, p, m, (uint16_t)n, now_us);
			work += n;
		}
	}
	if (c->ctl_in != NULL) {
		n = rte_ring_sc_dequeue_burst(c->ctl_in, (void **)m, DTC_COPY_BURST, NULL);
		for (i = 0; i < n; i++) {
			struct dtc_copy_ctl_port *p = port_of(c, m[i]->port);

			if (p == NULL) {
				c->drop[DTC_COPY_DROP_port_other]++;
				rte_pktmbuf_free(m[i]);
				continue;
			}
			dtc_copy_ctl_input(c, p, &m[i], 1, now_us);
		}
		work += n;
	}
	work += ctl_arp(c, now_us);
	for (w = 0; w < c->n_workers; w++)
		resp_flush(c, w);
	return work;
}
