/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Worker role: one session engine fed by two SP/SC rings (client segments from the RX lcore,
 * response records from the main lcore), transmitting on its own TX queue, and passing route
 * registrations back to the main lcore through a third ring.  Nothing here blocks, allocates
 * or logs.
 */

#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "copy_dp.h"
#include "compare.h"

static struct rte_ring *
worker_ring(const char *what, uint16_t id, unsigned int count, unsigned int esize, int socket,
	bool multi_producer)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "dtc_%s_%u", what, id);
	return rte_ring_create_elem(name, esize, count, socket,
		(multi_producer ? 0 : RING_F_SP_ENQ) | RING_F_SC_DEQ);
}

struct dtc_copy_worker *
dtc_copy_worker_create(const struct dtc_sess_conf *conf, uint16_t id, uint16_t tx_port,
	uint16_t tx_queue, unsigned int flags, const uint32_t *intercepts_up)
{
	struct dtc_sess_conf c = *conf;
	struct dtc_copy_worker *w;
	int socket = conf->socket_id, err;

	w = rte_zmalloc_socket("dtc_worker", sizeof(*w), RTE_CACHE_LINE_SIZE, socket);
	if (w == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	w->id = id;
	w->tx_port = tx_port;
	w->tx_queue = tx_queue;
	w->intercepts_up = intercepts_up;
	w->resp_in = worker_ring("resp", id, DTC_COPY_RESP_RING, sizeof(struct dtc_resp), socket,
		false);
	if (w->resp_in == NULL)
		goto fail;
	if ((flags & DTC_COPY_W_SEG_RING) != 0 && (w->seg_in = worker_ring("seg", id,
			DTC_COPY_SEG_RING, sizeof(void *), socket,
			(flags & DTC_COPY_W_SEG_MP) != 0)) == NULL)
		goto fail;
	if ((flags & DTC_COPY_W_ROUTE_RING) != 0 && (w->route_out = worker_ring("route", id,
			DTC_COPY_ROUTE_RING, sizeof(struct dtc_copy_route), socket, false)) == NULL)
		goto fail;
	if ((flags & DTC_COPY_W_CTL_TX) != 0 && (w->ctl_tx = worker_ring("ctltx", id,
			DTC_COPY_CTL_RING, sizeof(void *), socket, false)) == NULL)
		goto fail;
	c.worker_id = id;
	c.tx = dtc_copy_worker_tx;
	c.tx_arg = w;
	c.route = (flags & DTC_COPY_W_ROUTE_RING) != 0 ? dtc_copy_worker_route : NULL;
	c.route_arg = w;
	w->eng = dtc_sess_create(&c);
	if (w->eng == NULL)
		goto fail;
	return w;
fail:
	err = rte_errno;
	dtc_copy_worker_free(w);
	rte_errno = err;
	return NULL;
}

void
dtc_copy_worker_free(struct dtc_copy_worker *w)
{
	if (w == NULL)
		return;
	dtc_sess_free(w->eng);
	rte_ring_free(w->seg_in);
	rte_ring_free(w->resp_in);
	rte_ring_free(w->route_out);
	rte_ring_free(w->ctl_tx);
	rte_free(w);
}

uint16_t
dtc_copy_worker_tx(void *arg, struct rte_mbuf **pkts, uint16_t n)
{
	struct dtc_copy_worker *w = arg;
	uint64_t bytes = 0;
	uint16_t sent = 0, i;

	/* lengths first: a sent mbuf belongs to the driver, which may free it at once */
	for (i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	/* a few retries absorb a momentarily full queue; the engine counts what is left */
	for (i = 0; i < 4 && sent < n; i++)
		sent += rte_eth_tx_burst(w->tx_port, w->tx_queue, pkts + sent, n - sent);
	for (i = sent; i < n; i++)
		bytes -= pkts[i]->pkt_len;
	w->tx_pkts += sent;
	w->tx_bytes += bytes;
	return sent;
}

int
dtc_copy_worker_route(void *arg, const struct dtc_flow_key *k, uint16_t op)
{
	struct dtc_copy_worker *w = arg;
	struct dtc_copy_route r;

	if (w->route_out == NULL)
		return 0; /* two-host mode: nobody to tell */
	if (w->intercepts_up != NULL && __atomic_load_n(w->intercepts_up, __ATOMIC_RELAXED) == 0) {
		w->route_no_intercept++;
		return -ENOTCONN;
	}
	r.key = *k;
	r.op = op;
	r.pad[0] = r.pad[1] = r.pad[2] = 0;
	if (rte_ring_sp_enqueue_elem(w->route_out, &r, sizeof(r)) != 0) {
		w->route_ring_full++;
		return -ENOBUFS;
	}
	return 0;
}

static unsigned int
worker_ctl_tx(struct dtc_copy_worker *w)
{
	struct rte_mbuf *m[DTC_COPY_BURST];
	unsigned int n, sent;

	n = rte_ring_sc_dequeue_burst(w->ctl_tx, (void **)m, DTC_COPY_BURST, NULL);
	if (n == 0)
		return 0;
	sent = rte_eth_tx_burst(w->tx_port, w->tx_queue, m, (uint16_t)n);
	w->ctl_tx_pkts += sent;
	if (sent < n) {
		w->ctl_tx_drops += n - sent;
		rte_pktmbuf_free_bulk(m + sent, n - sent);
	}
	return n;
}

unsigned int
dtc_copy_worker_poll(struct dtc_copy_worker *w, uint64_t now_us)
{
	struct rte_mbuf *m[DTC_COPY_BURST];
	struct dtc_resp r[DTC_COPY_BURST];
	unsigned int n, work = 0;

	w->polls++;
	/* responses first: they open windows and end responses the queued segments wait for */
	n = rte_ring_sc_dequeue_burst_elem(w->resp_in, r, sizeof(r[0]), DTC_COPY_BURST, NULL);
	if (n > 0) {
		dtc_sess_resp_burst(w->eng, r, (uint16_t)n, now_us);
		work += n;
	}
	if (w->seg_in != NULL) {
		n = rte_ring_sc_dequeue_burst(w->seg_in, (void **)m, DTC_COPY_BURST, NULL);
		if (n > 0) {
			dtc_sess_client_burst(w->eng, m, (uint16_t)n, now_us);
			work += n;
		}
	}
	dtc_sess_timers(w->eng, now_us);
	dtc_sess_flush(w->eng);
	if (w->ctl_tx != NULL)
		work += worker_ctl_tx(w);
	dtc_copy_cmp_poll(dtc_copy_cmp_worker(w->id));
	return work;
}

static void
count_waiting(void *arg, const struct dtc_sess_info *i)
{
	uint64_t *waiting = arg;
	enum dtc_copy_wait why;

	if (i->state == DTC_SESS_STATE_LINGER)
		return; /* ended already */
	if (i->state == DTC_SESS_STATE_SYN_SENT)
		why = DTC_COPY_WAIT_handshake;
	else if (i->fin_sent)
		why = DTC_COPY_WAIT_closing;
	else if (i->srv_fin)
		why = DTC_COPY_WAIT_server_closed;
	else if (i->snd_una != i->snd_nxt)
		why = DTC_COPY_WAIT_unacked;
	else if (i->queued != 0)
		why = DTC_COPY_WAIT_queued;
	else
		why = DTC_COPY_WAIT_idle;
	waiting[why]++;
}

void
dtc_copy_worker_close(struct dtc_copy_worker *w, uint64_t now_us)
{
	struct rte_mbuf *m[DTC_COPY_BURST];
	unsigned int n;

	/* Segments still in the ring belong to sessions that end now: let the engine see them so
	 * the accounting stays exact, then end everything. */
	while (w->seg_in != NULL &&
			(n = rte_ring_sc_dequeue_burst(w->seg_in, (void **)m, DTC_COPY_BURST,
				NULL)) > 0)
		dtc_sess_client_burst(w->eng, m, (uint16_t)n, now_us);
	dtc_sess_walk(w->eng, count_waiting, w->waiting);
	dtc_sess_close_all(w->eng, now_us);
	dtc_sess_flush(w->eng);
	if (w->ctl_tx != NULL)
		worker_ctl_tx(w);
}
