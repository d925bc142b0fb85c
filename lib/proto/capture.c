/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The response side's first step, shared by dpdk-intercept and dpdk-tcpcopy's response
 * port: parse, answer ARP/ICMP for our address, filter TCP segments.  The filter runs once
 * per burst over the TCP segments only, so ARP and other noise never costs a BPF run.
 */

#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "dtc_capture.h"

#define CAP_CHUNK 64

static const char *const cap_names[] = {
#define DTC_CAP_STAT_NAME(n, s) #n,
	DTC_CAP_STAT_LIST(DTC_CAP_STAT_NAME)
#undef DTC_CAP_STAT_NAME
};

static const char *const cap_descs[] = {
#define DTC_CAP_STAT_DESC(n, s) s,
	DTC_CAP_STAT_LIST(DTC_CAP_STAT_DESC)
#undef DTC_CAP_STAT_DESC
};

const char *
dtc_cap_stat_name(unsigned int i)
{
	return i < DTC_CAP_STAT_MAX ? cap_names[i] : "?";
}

const char *
dtc_cap_stat_desc(unsigned int i)
{
	return i < DTC_CAP_STAT_MAX ? cap_descs[i] : "?";
}

void
dtc_capture_init(struct dtc_capture *c, enum dtc_link link, const struct dtc_filter *f,
	struct dtc_responder *r)
{
	memset(c, 0, sizeof(*c));
	c->link = link;
	c->filter = f;
	c->resp = r;
}

/* Run the filter over the candidates seg[first..n) and keep the matches in place. */
static uint16_t
cap_filter(struct dtc_capture *c, struct dtc_cap_seg *seg, uint16_t first, uint16_t n)
{
	struct rte_mbuf *m[CAP_CHUNK];
	bool match[CAP_CHUNK];
	uint16_t i, k = first, cnt = n - first;

	if (c->filter == NULL || cnt == 0) {
		c->stats[DTC_CAP_STAT_matched] += cnt;
		return n;
	}
	for (i = 0; i < cnt; i++)
		m[i] = seg[first + i].m;
	dtc_filter_burst(c->filter, m, match, cnt);
	for (i = 0; i < cnt; i++) {
		if (!match[i]) {
			rte_pktmbuf_free(m[i]);
			continue;
		}
		if (k != first + i)
			seg[k] = seg[first + i];
		k++;
	}
	c->stats[DTC_CAP_STAT_matched] += k - first;
	c->stats[DTC_CAP_STAT_filter_miss] += cnt - (k - first);
	return k;
}

uint16_t
dtc_capture_burst(struct dtc_capture *c, struct rte_mbuf **pkts, uint16_t n,
	struct dtc_cap_seg *seg, struct rte_mbuf **tx, uint16_t *n_tx)
{
	uint16_t i, ns = 0, chunk_start = 0, nt = 0;

	c->stats[DTC_CAP_STAT_rx] += n;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct dtc_cap_seg *s = &seg[ns];

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		if (unlikely(dtc_parse_mbuf(m, c->link, &s->pi) != 0)) {
			c->stats[DTC_CAP_STAT_parse_err]++;
			rte_pktmbuf_free(m);
			continue;
		}
		if (likely(s->pi.l4 == DTC_L4_TCP)) {
			s->m = m;
			ns++;
			if (ns - chunk_start == CAP_CHUNK)
				chunk_start = ns = cap_filter(c, seg, chunk_start, ns);
			continue;
		}
		if (s->pi.l3 == DTC_L3_ARP && c->arp_fn != NULL)
			c->arp_fn(c->arp_arg, m, &s->pi);
		if (c->resp != NULL && dtc_responder_input(c->resp, m, &s->pi)) {
			tx[nt++] = m;
			c->stats[DTC_CAP_STAT_replies]++;
			continue;
		}
		c->stats[DTC_CAP_STAT_not_tcp]++;
		rte_pktmbuf_free(m);
	}
	*n_tx = nt;
	return cap_filter(c, seg, chunk_start, ns);
}
