/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The capture side: one burst from the port through the shared triage (parse, ARP/ICMP
 * replies, filter), then each matching IPv4 or IPv6 segment becomes a v2 record (which holds
 * the v1 record for IPv4) plus its 4-tuple.
 * Nothing captured is transmitted: the segments' mbufs are freed here; only the responder's
 * replies go out.  On a dedicated RX lcore the items go to the main lcore through an SP/SC
 * ring; a full ring is a counted drop, never a wait.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dtc_app.h"
#include "intercept.h"

const char *const icpt_rx_stat_names[ICPT_RX_STAT_MAX] = {
#define ICPT_RX_NAME(n, s) #n,
	ICPT_RX_STATS(ICPT_RX_NAME)
#undef ICPT_RX_NAME
};

static void
rx_send_replies(struct icpt_rx *rx, struct rte_mbuf **tx, uint16_t n)
{
	uint16_t sent;

	if (n == 0)
		return;
	sent = rte_eth_tx_burst(rx->port, 0, tx, n);
	rx->stats[ICPT_RX_tx_replies] += sent;
	if (sent < n) {
		rx->stats[ICPT_RX_tx_failed] += n - sent;
		rte_pktmbuf_free_bulk(&tx[sent], n - sent);
	}
}

unsigned int
icpt_rx_poll(struct icpt_rx *rx, struct icpt_item *items)
{
	struct rte_mbuf *pkts[ICPT_BURST], *tx[ICPT_BURST];
	struct dtc_cap_seg seg[ICPT_BURST];
	uint16_t n, ns, nt, i, prefix;
	unsigned int k = 0;
	uint64_t now;
	int len;

	n = rte_eth_rx_burst(rx->port, 0, pkts, ICPT_BURST);
	if (n == 0)
		return 0;
	now = dtc_v2_wall_us();   /* the capture time of the whole burst */
	prefix = __atomic_load_n(&rx->prefix, __ATOMIC_RELAXED);
	ns = dtc_capture_burst(&rx->cap, pkts, n, seg, tx, &nt);
	rx_send_replies(rx, tx, nt);
	for (i = 0; i < ns; i++) {
		const struct dtc_pkt_info *pi = &seg[i].pi;
		struct icpt_item *it = &items[k];

		if (pi->family != 4 && pi->family != 6) {
			rx->stats[ICPT_RX_not_ipv4]++;
		} else if ((len = dtc_v2_rec_encode_mbuf(it->rec, seg[i].m, pi, now,
				prefix)) <= 0) {
			rx->stats[ICPT_RX_record_err]++;
		} else {
			/* The test server answers the (fake) client: its destination. */
			memset(&it->key, 0, sizeof(it->key));
			it->rec_len = (uint16_t)len;
			it->key.family = pi->family;
			it->key.client = pi->dst;
			it->key.server = pi->src;
			it->key.client_port = pi->dport;
			it->key.server_port = pi->sport;
			it->tcp_flags = pi->tcp_flags;
			k++;
		}
	}
	for (i = 0; i < ns; i++)
		rte_pktmbuf_free(seg[i].m);
	return k;
}

int
icpt_rx_lcore(void *arg)
{
	struct icpt_rx *rx = arg;
	struct icpt_item items[ICPT_BURST];
	struct dtc_idle idle;

	while (!dtc_force_quit && !*rx->go)
		rte_delay_us_sleep(1000);
	dtc_idle_init(&idle, rx->idle_sleep_us);
	while (!dtc_force_quit) {
		uint64_t before = rx->cap.stats[DTC_CAP_STAT_rx];
		unsigned int n = icpt_rx_poll(rx, items);

		if (n > 0) {
			unsigned int q = rte_ring_sp_enqueue_burst_elem(rx->ring, items,
				sizeof(items[0]), n, NULL);

			rx->stats[ICPT_RX_ring_full] += n - q;
		}
		dtc_idle_update(&idle, (unsigned int)(rx->cap.stats[DTC_CAP_STAT_rx] - before));
	}
	return 0;
}
