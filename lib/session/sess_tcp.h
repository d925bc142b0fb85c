/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Internal interfaces between the engine's source files. */

#ifndef SESS_TCP_H
#define SESS_TCP_H

#include "sess_private.h"

/* tx.c */
void tx_stage(struct dtc_sess_engine *e, struct rte_mbuf *m);
int tx_frame_build(struct dtc_sess_engine *e, const struct dtc_sess *s, struct rte_mbuf *m);
bool tx_seg(struct dtc_sess_engine *e, struct dtc_sess *s, struct rte_mbuf *m);
bool tx_ack(struct dtc_sess_engine *e, struct dtc_sess *s);
bool tx_ctl(struct dtc_sess_engine *e, struct dtc_sess *s, uint8_t flags, uint32_t seq);
void tx_rst_unmatched(struct dtc_sess_engine *e, const struct dtc_resp *r);
struct rte_mbuf *tx_syn_build(struct dtc_sess_engine *e, struct dtc_sess *s, bool ts,
	uint32_t tsval);

/* xfer.c */
int dtc_xfer_match_target(const struct dtc_xfer *x, unsigned int n, uint8_t family,
	const union dtc_addr *addr, rte_be16_t port);

/* engine.c: session life */
void sess_end(struct dtc_sess_engine *e, struct dtc_sess *s, enum dtc_sess_end why, bool rst);
void sess_free(struct dtc_sess_engine *e, uint32_t idx);
void sess_arm_at(struct dtc_sess_engine *e, struct dtc_sess *s, uint32_t when);
void sess_rearm(struct dtc_sess_engine *e, struct dtc_sess *s);
int sess_route(struct dtc_sess_engine *e, const struct dtc_flow_key *k, uint16_t op);

/* out.c: what may be sent now */
void sess_output(struct dtc_sess_engine *e, struct dtc_sess *s);
void sess_send_syn(struct dtc_sess_engine *e, struct dtc_sess *s);
void sess_retransmit(struct dtc_sess_engine *e, struct dtc_sess *s, bool fast);
uint32_t sess_rto_us(const struct dtc_sess_engine *e, const struct dtc_sess *s);
bool sess_resp_ended(const struct dtc_sess_engine *e, const struct dtc_sess *s);
bool sess_pending(const struct dtc_sess *s);
uint32_t sess_gate_deadline(const struct dtc_sess_engine *e, const struct dtc_sess *s,
	uint32_t when);
void sess_free_acked(struct dtc_sess_engine *e, struct dtc_sess *s);
void sess_free_queue(struct dtc_sess_engine *e, struct dtc_sess *s);

/* in.c: captured client segments and response records */
bool sess_queue_data(struct dtc_sess_engine *e, struct dtc_sess *s, struct rte_mbuf *m);
void sess_client(struct dtc_sess_engine *e, struct rte_mbuf *m, uint32_t idx);
void sess_resp(struct dtc_sess_engine *e, const struct dtc_resp *r, uint32_t idx);
void sess_timer(void *arg, uint32_t idx);

static inline uint32_t
seg_len(const struct dtc_seg *seg)
{
	return (uint32_t)seg->payload_len + !!(seg->flags & DTC_TCP_SYN);
}

static inline uint32_t
silence_ticks(const struct dtc_sess *s)
{
	return us_to_ticks_up((uint32_t)s->silence << 4);
}

#define RESP_PATH_MAX_US 20000u /* bound of the test-path term of resp_end_ticks */

/*
 * Quiet time after the last test-server data before its answer counts as ended: the client's
 * silence, and at least the time for our ACK of that data to reach the test server and for
 * the data it releases to come back (two full segments are acknowledged at once).  The test server pauses like that
 * whenever its congestion window, not its application, holds the answer back (slow start
 * again after an idle keep-alive connection), and that round trip goes through the intercept
 * and two polling loops: much longer than the client's RTT on the online side.  The round
 * trip is the one measured on our own data (srtt + 4 rttvar), bounded so that a slow test
 * server does not slow every request down by its processing time.
 */
static inline uint32_t
resp_end_ticks(const struct dtc_sess *s)
{
	uint32_t sil = silence_ticks(s), path;

	if (s->srtt == 0)
		return sil;
	path = us_to_ticks_up(RTE_MIN(s->srtt + 4 * s->rttvar, RESP_PATH_MAX_US));
	return RTE_MAX(sil, path);
}

#endif /* SESS_TCP_H */
