/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The -m memory plan: everything the copier will ever hold is sized once, at start, from one
 * number.  The fixed part (RX/TX descriptors, mempool caches, rings) comes first; what is left
 * is split evenly between buffered client segments (mbufs) and the engines' session tables,
 * the latter measured with dtc_sess_mem_size() so the plan matches what the engines allocate.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "copy_dp.h"
#include "compare.h"

#define MIN_SESSIONS 1024u
#define MIN_SEGS 1024u
#define MAX_SESSIONS (1u << 27)

static uint64_t
engines_bytes(struct dtc_sess_conf *conf, uint32_t sessions, uint16_t n_workers)
{
	conf->max_sessions = sessions;
	return ((uint64_t)dtc_sess_mem_size(conf) + dtc_copy_cmp_plan_bytes(conf, sessions)) *
		n_workers;
}

int
dtc_copy_plan_make(struct dtc_copy_plan *p, uint64_t max_memory_mb, uint16_t n_workers,
	uint32_t n_rx_desc, uint32_t n_tx_desc, unsigned int n_lcores,
	struct dtc_sess_conf *conf, char *err, size_t errlen)
{
	uint64_t fixed_bytes, rest, seg_bytes, need, lo, hi;
	uint32_t seg_mbufs, per_sess = conf->max_seg_per_sess != 0 ? conf->max_seg_per_sess :
		MIN_SEGS;

	p->budget = max_memory_mb << 20;
	p->mbuf_size = rte_mempool_calc_obj_size(sizeof(struct rte_mbuf) + DTC_MBUF_PRIV_SIZE +
		RTE_MBUF_DEFAULT_BUF_SIZE, 0, NULL);
	/* mbufs that sit in descriptors, caches (up to 1.5x their size) and rings */
	p->fixed_mbufs = n_rx_desc + n_tx_desc + n_lcores * DTC_COPY_MP_CACHE * 3 / 2 +
		n_workers * (DTC_COPY_SEG_RING + DTC_COPY_BURST * 4) + 2 * DTC_COPY_CTL_RING;
	p->ring_bytes = (uint64_t)n_workers * (DTC_COPY_SEG_RING * sizeof(void *) +
		DTC_COPY_RESP_RING * sizeof(struct dtc_resp) +
		DTC_COPY_ROUTE_RING * sizeof(struct dtc_copy_route) +
		DTC_COPY_CTL_RING * sizeof(void *)) + DTC_COPY_CTL_RING * sizeof(void *);
	fixed_bytes = (uint64_t)p->fixed_mbufs * p->mbuf_size + p->ring_bytes;

	conf->max_seg_total = MIN_SEGS;
	conf->max_seg_per_sess = RTE_MIN(per_sess, MIN_SEGS);
	need = fixed_bytes + (uint64_t)n_workers * MIN_SEGS * p->mbuf_size +
		engines_bytes(conf, MIN_SESSIONS, n_workers);
	if (p->budget < need) {
		snprintf(err, errlen, "-m %" PRIu64 " is too small for %u worker(s): at least %"
			PRIu64 " MB is needed", max_memory_mb, n_workers, (need >> 20) + 1);
		return -ENOSPC;
	}
	rest = p->budget - fixed_bytes;

	/* half of the rest holds buffered client segments */
	seg_mbufs = (uint32_t)RTE_MIN(rest / 2 / p->mbuf_size, (uint64_t)UINT32_MAX / 2);
	p->max_seg_total = RTE_MAX(seg_mbufs / n_workers, MIN_SEGS);
	conf->max_seg_total = p->max_seg_total;
	conf->max_seg_per_sess = RTE_MIN(per_sess, p->max_seg_total);
	seg_bytes = (uint64_t)p->max_seg_total * n_workers * p->mbuf_size;

	/* the largest session table that fits in the other half */
	lo = MIN_SESSIONS;
	hi = MAX_SESSIONS;
	while (lo < hi) {
		uint64_t mid = (lo + hi + 1) / 2;

		if (engines_bytes(conf, (uint32_t)mid, n_workers) + seg_bytes <= rest)
			lo = mid;
		else
			hi = mid - 1;
	}
	p->max_sessions = (uint32_t)lo;
	p->engine_bytes = engines_bytes(conf, p->max_sessions, n_workers);
	p->max_seg_per_sess = conf->max_seg_per_sess;
	p->n_mbufs = p->fixed_mbufs + p->max_seg_total * n_workers;
	p->mbuf_bytes = (uint64_t)p->n_mbufs * p->mbuf_size;
	return 0;
}
