/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The engine's calls into the comparison (dtc_compare.h): one line at each place where the
 * engine takes captured client data, sends it, takes test-server data or a RST, and ends a
 * session.  Each is a test of conf.cmp when the comparison is off.
 */

#ifndef SESS_COMPARE_PRIVATE_H
#define SESS_COMPARE_PRIVATE_H

#include "sess_private.h"
#include "dtc_compare.h"

void cmp_client_data(struct dtc_sess_engine *e, struct dtc_sess *s, const struct rte_mbuf *m);
/* A segment of the online server (DTC_SEG_F_ONLINE): fed to its session's pairing, freed. */
void sess_cmp_online(struct dtc_sess_engine *e, struct rte_mbuf *m);

/* Captured client data accepted for the session (m: data at the TCP header). */
static inline void
sess_cmp_client(struct dtc_sess_engine *e, struct dtc_sess *s, const struct rte_mbuf *m)
{
	if (unlikely(e->conf.cmp != NULL) && dtc_seg_of((struct rte_mbuf *)(uintptr_t)m)
			->payload_len != 0)
		cmp_client_data(e, s, m);
}

/* Client data sent the first time; newreq for the first segment of a request. */
static inline void
sess_cmp_sent(struct dtc_sess_engine *e, struct dtc_sess *s, bool newreq)
{
	if (unlikely(e->conf.cmp != NULL))
		dtc_cmp_test_sent(e->conf.cmp, sess_idx(e, s), newreq, e->now_us);
}

/* n new in-order test-server bytes of record r, from rcv_nxt (records carry no payload:
 * lengths, times and, in two-host mode, the outcome the control lcore read), or its RST (r
 * NULL). */
static inline void
sess_cmp_test(struct dtc_sess_engine *e, struct dtc_sess *s, const struct dtc_resp *r,
	uint32_t n)
{
	if (unlikely(e->conf.cmp != NULL))
		dtc_cmp_test_ans(e->conf.cmp, sess_idx(e, s), s->rcv_nxt, e->now_us, NULL,
			(uint16_t)(n > UINT16_MAX ? UINT16_MAX : n),
			r != NULL ? dtc_cmp_resp_outcome(r) : DTC_CMP_OUTCOME_UNKNOWN, r == NULL);
}

/* After a release: where its answer starts (rcv_ref). */
static inline void
sess_cmp_ref(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	if (unlikely(e->conf.cmp != NULL))
		dtc_cmp_test_ref(e->conf.cmp, sess_idx(e, s), s->rcv_ref);
}

static inline void
sess_cmp_end(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	if (unlikely(e->conf.cmp != NULL))
		dtc_cmp_sess_end(e->conf.cmp, sess_idx(e, s));
}

#endif /* SESS_COMPARE_PRIVATE_H */
