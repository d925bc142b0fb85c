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

#include <rte_ethdev.h>
#include <rte_ring.h>

#include "copy_dp.h"

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
	return work;
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
	dtc_sess_close_all(w->eng, now_us);
	dtc_sess_flush(w->eng);
	if (w->ctl_tx != NULL)
		worker_ctl_tx(w);
}
