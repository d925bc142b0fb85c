/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * What a session may send now.
 *
 * Pacing follows the captured ACKs: a client segment whose ACK is beyond the ACK of the client
 * data released before it was sent after the online server had answered, so it starts a new
 * request and waits until the test server's answer to what came before has ended: our data all
 * acknowledged, some test-server data seen since the last request, then one "silence" (the
 * client's RTT from the captured handshake, or -R, with a floor) without more.  The same rule
 * holds a FIN or RST that follows an answer, and the first data of a server-first protocol
 * (its ACK is beyond the handshake's, so it waits for the greeting).
 */

#include "sess_tcp.h"

uint32_t
sess_rto_us(const struct dtc_sess_engine *e, const struct dtc_sess *s)
{
	uint64_t rto;

	/* Before any sample (the SYN): not RFC 6298's 1 s, which lets only two SYNs into the
	 * 3 s handshake bound; test servers are near.  Three -R if given, else the floor. */
	if (s->srtt == 0)
		rto = 3ull * e->conf.rtt_us;
	else
		rto = (uint64_t)s->srtt + RTE_MAX((uint64_t)TICK_US, 4ull * s->rttvar);
	if (rto < e->rto_min_us)
		rto = e->rto_min_us;
	rto <<= s->backoff;
	if (rto > e->rto_max_us)
		rto = e->rto_max_us;
	return (uint32_t)rto;
}

bool
sess_resp_ended(const struct dtc_sess_engine *e, const struct dtc_sess *s)
{
	return (s->fl & SF_RESP_SEEN) && s->snd_una == s->snd_nxt && !(s->fl2 & SF2_HOLE) &&
		TICK_GEQ(e->now, s->t_data + resp_end_ticks(s));
}

/* Something of the client's is still to be delivered (or acknowledged). */
bool
sess_pending(const struct dtc_sess *s)
{
	return s->qhead != NULL || s->snd_una != s->snd_nxt ||
		((s->fl & (SF_FIN_PEND | SF_RST_PEND)) && !(s->fl & SF_FIN_SENT));
}

static void
rto_start(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	s->t_rto = e->now + us_to_ticks_up(sess_rto_us(e, s));
	s->fl2 |= SF2_RTO;
	sess_arm_at(e, s, s->t_rto);
}

void
sess_free_queue(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	struct rte_mbuf *m = s->qhead;

	while (m != NULL) {
		struct rte_mbuf *n = dtc_seg_of(m)->qnext;

		rte_pktmbuf_free(m);
		m = n;
	}
	e->st.queued_segs -= s->nq;
	s->nq = 0;
	s->qhead = s->qsend = s->qtail = NULL;
}

/* Release the segments the test server has acknowledged in full. */
void
sess_free_acked(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	struct rte_mbuf *m;

	while ((m = s->qhead) != NULL && m != s->qsend) {
		const struct dtc_seg *seg = dtc_seg_of(m);

		if (SEQ_GT(seg->seq + seg_len(seg), s->snd_una))
			break;
		s->qhead = seg->qnext;
		if (s->qhead == NULL)
			s->qtail = NULL;
		rte_pktmbuf_free(m);
		s->nq--;
		e->st.queued_segs--;
	}
}

void
sess_send_syn(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	struct rte_mbuf *m = s->qhead;

	s->snd_nxt = s->iss + 1;
	s->qsend = dtc_seg_of(m)->qnext;
	s->fl |= SF_TIMING;
	s->rtt_seq = s->iss + 1;
	s->rtt_t = (uint32_t)e->now_us;
	if (tx_seg(e, s, m))
		CNT(e, seg_sent);
	rto_start(e, s);
}

/* Timeout (fast = false) or three duplicate ACKs: send the oldest unacknowledged segment
 * again (or the FIN, or the SYN). */
void
sess_retransmit(struct dtc_sess_engine *e, struct dtc_sess *s, bool fast)
{
	struct rte_mbuf *m = s->qhead;

	s->fl &= (uint16_t)~SF_TIMING; /* Karn: no RTT sample from a retransmitted segment */
	if (m != NULL && m != s->qsend) {
		if (tx_seg(e, s, m)) {
			if (fast)
				CNT(e, seg_fast_retrans);
			else
				CNT(e, seg_retrans);
		}
	} else if ((s->fl & SF_FIN_SENT) && s->snd_una != s->snd_nxt) {
		if (tx_ctl(e, s, DTC_TCP_FIN | DTC_TCP_ACK, s->fin_seq)) {
			if (fast)
				CNT(e, seg_fast_retrans);
			else
				CNT(e, seg_retrans);
		}
	}
}

/* The FIN or RST the client sent, once everything before it is through. */
static void
output_close(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	if (s->qsend != NULL || s->snd_una != s->snd_nxt || (s->fl & SF_FIN_SENT) ||
			s->clt_nxt != s->fin_seq)
		return;
	if ((s->fl & SF_CLOSE_WAIT) && !e->conf.no_wait && !sess_resp_ended(e, s)) {
		if (s->fl & SF_RESP_SEEN)
			sess_arm_at(e, s, s->t_data + resp_end_ticks(s));
		return;
	}
	if (s->fl & SF_RST_PEND) {
		tx_ctl(e, s, DTC_TCP_RST | DTC_TCP_ACK, s->fin_seq);
		sess_end(e, s, DTC_SESS_END_client_rst, false);
		return;
	}
	if (tx_ctl(e, s, DTC_TCP_FIN | DTC_TCP_ACK, s->fin_seq))
		CNT(e, seg_sent);
	s->fl |= SF_FIN_SENT;
	s->snd_nxt = s->fin_seq + 1;
	rto_start(e, s);
}

/* Zero window with nothing in flight: probe with the last byte acknowledged (seq = una - 1),
 * which makes the test server answer with its current window. */
static void
output_probe(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	if (s->fl2 & SF2_PROBE)
		return;
	s->fl2 |= SF2_PROBE;
	rto_start(e, s);
}

void
sess_output(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	struct rte_mbuf *m;

	if (s->state != SS_ESTAB)
		return;
	while ((m = s->qsend) != NULL) {
		const struct dtc_seg *seg = dtc_seg_of(m);
		uint32_t len = seg->payload_len;
		bool newreq = (s->fl & SF_REF) && SEQ_GT(seg->ack, s->ref_ack);

		if (seg->seq != s->snd_nxt)
			break; /* a hole in the capture: wait for it (t_gap bounds the wait) */
		if (newreq && !e->conf.no_wait && !sess_resp_ended(e, s)) {
			if (s->fl & SF_RESP_SEEN)
				sess_arm_at(e, s, s->t_data + resp_end_ticks(s));
			break;
		}
		if (s->snd_nxt + len - s->snd_una > s->snd_wnd) {
			if (s->snd_una == s->snd_nxt)
				output_probe(e, s);
			break;
		}
		if (!tx_seg(e, s, m)) {
			/* No MAC or no mbuf: the RTO (or the probe) tries again. */
			if (s->snd_una == s->snd_nxt)
				rto_start(e, s);
			break;
		}
		s->fl2 &= (uint16_t)~SF2_PROBE;
		if (newreq || !(s->fl & SF_DATA_SENT)) {
			CNT(e, requests);
			if (newreq)
				s->fl &= (uint16_t)~SF_RESP_SEEN;
			s->fl |= SF_DATA_SENT;
		}
		s->ref_ack = seg->ack;
		s->fl |= SF_REF;
		CNT(e, seg_sent);
		CNT_ADD(e, bytes_sent, len);
		if (s->snd_una == s->snd_nxt)
			rto_start(e, s);
		s->snd_nxt += len;
		s->qsend = seg->qnext;
		if (!(s->fl & SF_TIMING)) {
			s->fl |= SF_TIMING;
			s->rtt_seq = s->snd_nxt;
			s->rtt_t = (uint32_t)e->now_us;
		}
	}
	if (s->qsend == NULL && (s->fl & (SF_FIN_PEND | SF_RST_PEND))) {
		output_close(e, s);
		if (s->state != SS_ESTAB)
			return;
	}
	if (s->rcv_acked != s->rcv_nxt) {
		uint32_t delay = RTE_MIN(silence_ticks(s), e->delack_ticks);

		if ((s->fl2 & SF2_ACK_NOW) || s->rcv_nxt - s->rcv_acked >= 2u * s->srv_mss ||
				TICK_GEQ(e->now, s->t_data + delay)) {
			if (tx_ack(e, s))
				CNT(e, acks_sent);
		} else {
			sess_arm_at(e, s, s->t_data + delay);
		}
	} else if (s->fl2 & SF2_ACK_NOW) {
		/* A duplicate ACK (the test server repeated data or skipped some). */
		if (tx_ack(e, s))
			CNT(e, acks_sent);
	}
}
