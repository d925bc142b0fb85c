/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The -m plan (no EAL needed): whatever the budget and lcores, what the plan allocates (mbufs
 * at their real pool object size, the engines' tables as dtc_sess_mem_size reports them for
 * the planned limits, the rings) stays within -m; more memory never plans less; a budget
 * below the fixed part is refused with the minimum, and that minimum is accepted.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "../../common/dtc_check.h"
#include "copy_dp.h"

static int
plan(uint64_t mb, uint16_t workers, unsigned int lcores, struct dtc_copy_plan *p,
	struct dtc_sess_conf *c, char *err, size_t errlen)
{
	dtc_sess_conf_defaults(c);
	c->n_workers = workers;
	return dtc_copy_plan_make(p, mb, workers, 2 * DTC_COPY_NB_RXD, (workers + 2) *
		DTC_COPY_NB_TXD, lcores, c, err, errlen);
}

static void
one(uint64_t mb, uint16_t workers, unsigned int lcores)
{
	struct dtc_copy_plan p;
	struct dtc_sess_conf c;
	char err[256] = "";
	uint64_t obj, engines, total;
	int rc = plan(mb, workers, lcores, &p, &c, err, sizeof(err));

	if (rc != 0) {
		printf("-m %" PRIu64 " with %u workers refused: %s\n", mb, workers, err);
		return;
	}
	/* independent figures: the pool's real object size, the engine's own measure */
	obj = rte_mempool_calc_obj_size(sizeof(struct rte_mbuf) + DTC_MBUF_PRIV_SIZE +
		RTE_MBUF_DEFAULT_BUF_SIZE, 0, NULL);
	c.max_sessions = p.max_sessions;
	c.max_seg_total = p.max_seg_total;
	c.max_seg_per_sess = p.max_seg_per_sess;
	engines = (uint64_t)dtc_sess_mem_size(&c) * workers;
	total = (uint64_t)p.n_mbufs * obj + engines + p.ring_bytes;
	CHECKF(total <= mb << 20, "-m %" PRIu64 " w%u: plan takes %" PRIu64 " bytes", mb, workers,
		total);
	CHECKF(total >= (mb << 20) * 9 / 10, "-m %" PRIu64 " w%u: plan uses only %" PRIu64
		" bytes", mb, workers, total);
	CHECKF(p.n_mbufs == p.fixed_mbufs + p.max_seg_total * workers,
		"mbufs %u = fixed %u + %u x %u", p.n_mbufs, p.fixed_mbufs, p.max_seg_total, workers);
	CHECKF(p.max_seg_per_sess <= p.max_seg_total && p.max_seg_per_sess > 0,
		"per session %u", p.max_seg_per_sess);
	CHECKF(p.max_sessions >= 1024, "sessions %u", p.max_sessions);
	printf("-m %5" PRIu64 " workers %u: %8u mbufs, %9u sessions/worker, %7u segments/worker,"
		" %.0f B/session of table\n", mb, workers, p.n_mbufs, p.max_sessions,
		p.max_seg_total, (double)engines / ((double)p.max_sessions * workers));
}

int
main(void)
{
	static const uint64_t mbs[] = { 32, 64, 256, 1024, 4096 };
	static const uint16_t ws[] = { 1, 2, 6 };
	struct dtc_copy_plan p, q;
	struct dtc_sess_conf c;
	char err[256];
	unsigned int i, j;
	uint64_t min_mb;

	for (i = 0; i < RTE_DIM(mbs); i++)
		for (j = 0; j < RTE_DIM(ws); j++)
			one(mbs[i], ws[j], ws[j] + 2);
	/* monotonic */
	for (i = 1; i < RTE_DIM(mbs); i++) {
		if (plan(mbs[i - 1], 2, 4, &p, &c, err, sizeof(err)) != 0 ||
				plan(mbs[i], 2, 4, &q, &c, err, sizeof(err)) != 0)
			continue;
		CHECKF(q.max_sessions >= p.max_sessions && q.n_mbufs >= p.n_mbufs,
			"-m %" PRIu64 " plans less than -m %" PRIu64, mbs[i], mbs[i - 1]);
	}
	/* too small: refused with a minimum that is then accepted */
	CHECKF(plan(16, 1, 3, &p, &c, err, sizeof(err)) == -ENOSPC, "-m 16 accepted");
	CHECKF(strstr(err, "at least") != NULL, "message: %s", err);
	min_mb = strtoull(strstr(err, "at least ") + 9, NULL, 10);
	CHECKF(min_mb > 16 && plan(min_mb, 1, 3, &p, &c, err, sizeof(err)) == 0,
		"the minimum %" PRIu64 " MB is accepted: %s", min_mb, err);
	CHECKF(plan(min_mb - 1, 1, 3, &p, &c, err, sizeof(err)) == -ENOSPC,
		"one MB less than the minimum refused");
	return dtc_check_end("plan");
}
