/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * What a session may send now.
 *
 * Pacing follows the online server's answers, read off the captured ACKs: a client segment
 * whose ACK is beyond the ACK of the client data released before it was sent after the online
 * server had answered (ACK difference) bytes, so it starts a new request.  It is released as
 * soon as the test server has sent at least as many bytes since the previous request went out
 * (rcv_nxt - rcv_ref) and has acknowledged all our data: no timer (req_answer).  When the test
 * server's answer is shorter (the test release behaves differently), a silence after its last
 * byte stands in (req_silence).  A session whose waiting request was captured more than
 * max_lag_us ago releases it ahead of the answer, in order (req_catchup): never the first data
 * of a connection (a server-first greeting) and never a FIN or RST.  The same rule holds a FIN
 * or RST that follows an answer, bounded by close_quiet_ms of quiet from the test server.
 * Pipelined requests (same ACK) go out at once.  docs/session.md has the whole rule.
 */

#include "sess_tcp.h"
#include "compare_private.h"

uint32_t
sess_rto_us(const struct dtc_sess_engine *e, const struct dtc_sess *s)
{
	uint64_t rto;

	/* Before any sample (the SYN): not RFC 6298's 1 s, which lets only two SYNs into the
	 * 10 s handshake bound; test servers are near.  Three -R if given, else the floor. */
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

/* The test server has sent at least as many bytes since the last request as the online
 * server answered before this one (captured ACK ack), and has acknowledged all our data. */
static inline bool
answered(const struct dtc_sess *s, uint32_t ack)
{
	return s->snd_una == s->snd_nxt && !(s->fl2 & SF2_HOLE) &&
		SEQ_GEQ(s->rcv_nxt, s->rcv_ref + (ack - s->ref_ack));
}

enum gate {
	GATE_WAIT,
	GATE_ANSWER,
	GATE_SILENCE,
	GATE_CATCHUP,
};

/* May the new request captured with ACK ack at t_cap go now?  Arms the timer for the silence
 * and catch-up deadlines when it must wait (answers wake the session on their own). */
static enum gate
req_gate(struct dtc_sess_engine *e, struct dtc_sess *s, uint32_t ack, uint32_t t_cap)
{
	uint32_t lag;

	if (answered(s, ack))
		return GATE_ANSWER;
	if (sess_resp_ended(e, s))
		return GATE_SILENCE;
	if (s->fl & SF_RESP_SEEN)
		sess_arm_at(e, s, s->t_data + resp_end_ticks(s));
	if (e->conf.max_lag_us == 0 || !(s->fl & SF_DATA_SENT))
		return GATE_WAIT;
	lag = (uint32_t)e->now_us - t_cap;
	if (lag >= e->conf.max_lag_us && lag < (1u << 31))
		return GATE_CATCHUP;
	sess_arm_at(e, s, e->now + us_to_ticks_up(e->conf.max_lag_us - lag));
	return GATE_WAIT;
}

/* A FIN or RST that acknowledges no more than the last request's ACK (the client closes
 * without waiting for its answer): the answers due to requests released ahead must come
 * first, and for a RST, which would abort the test server's work on the last request, the
 * start of that one's answer too. */
static inline bool
close_due(const struct dtc_sess *s)
{
	if ((s->fl & SF_RST_PEND) && (s->fl & SF_DATA_SENT))
		return SEQ_LEQ(s->rcv_nxt, s->rcv_ref);
	return SEQ_LT(s->rcv_nxt, s->rcv_ref);
}

/* The earliest of when and the deadlines a waiting request or close has (catch-up, close
 * quiet), for the session timer. */
uint32_t
sess_gate_deadline(const struct dtc_sess_engine *e, const struct dtc_sess *s, uint32_t when)
{
	if (e->conf.no_wait)
		return when;
	if (s->qsend != NULL) {
		const struct dtc_seg *seg = dtc_seg_of(s->qsend);
		uint32_t lag, t;

		if (e->conf.max_lag_us == 0 || !(s->fl & SF_DATA_SENT) || !(s->fl & SF_REF) ||
				!SEQ_GT(seg->ack, s->ref_ack))
			return when;
		lag = (uint32_t)e->now_us - seg->t_cap;
		t = lag >= e->conf.max_lag_us || lag >= (1u << 31) ? e->now + 1 :
			e->now + us_to_ticks_up(e->conf.max_lag_us - lag);
		return TICK_AFTER(when, t) ? t : when;
	}
	if ((s->fl & (SF_FIN_PEND | SF_RST_PEND)) && !(s->fl & SF_FIN_SENT) &&
			((s->fl & SF_CLOSE_WAIT) || close_due(s))) {
		uint32_t t = s->t_resp + e->close_quiet_ticks;

		if (!TICK_AFTER(t, e->now))
			t = e->now + 1;
		return TICK_AFTER(when, t) ? t : when;
	}
	return when;
}

/* The FIN or RST the client sent, once everything before it is through. */
static void
output_close(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	if (s->qsend != NULL || s->snd_una != s->snd_nxt || (s->fl & SF_FIN_SENT) ||
			s->clt_nxt != s->fin_seq)
		return;
	if (!e->conf.no_wait) {
		/* A FIN or RST that follows an answer waits for it (its ACK says how long it is);
		 * any FIN or RST waits for the answers still due to requests released ahead
		 * (catch-up: rcv_ref is where they end).  Not the request's silence: a FIN or RST
		 * sent while the test server is still working through requests queued on the
		 * connection would end that work; only a long quiet lets it go early. */
		bool wait = (s->fl & SF_CLOSE_WAIT) ? !answered(s, s->fin_ack) :
			close_due(s);

		if (!wait) {
			if (s->fl & SF_CLOSE_WAIT)
				CNT(e, close_answer);
		} else if (TICK_GEQ(e->now, s->t_resp + e->close_quiet_ticks)) {
			CNT(e, close_quiet);
		} else {
			sess_arm_at(e, s, s->t_resp + e->close_quiet_ticks);
			return;
		}
		s->fl &= (uint16_t)~SF_CLOSE_WAIT;
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
		enum gate g = GATE_ANSWER;

		if (seg->seq != s->snd_nxt)
			break; /* a hole in the capture: wait for it (t_gap bounds the wait) */
		if (newreq && !e->conf.no_wait) {
			g = req_gate(e, s, seg->ack, seg->t_cap);
			if (g == GATE_WAIT)
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
		sess_cmp_sent(e, s, newreq || !(s->fl & SF_DATA_SENT));
		if (newreq || !(s->fl & SF_DATA_SENT)) {
			uint32_t lag = (uint32_t)e->now_us - seg->t_cap;

			CNT(e, requests);
			if (lag >= (1u << 31))
				lag = 0; /* clock of another epoch (tests): no sample */
			e->st.lag_hist[dtc_hist_bucket(lag)]++;
			if (lag > e->st.lag_max_us)
				e->st.lag_max_us = lag;
			if (newreq) {
				s->fl &= (uint16_t)~SF_RESP_SEEN;
				if (g == GATE_CATCHUP) {
					/* The answer to the previous request is still due:
					 * this one's counts from where that one ends. */
					uint32_t end = s->rcv_ref + (seg->ack - s->ref_ack);

					s->rcv_ref = SEQ_GT(end, s->rcv_nxt) ? end : s->rcv_nxt;
					CNT(e, req_catchup);
				} else {
					s->rcv_ref = s->rcv_nxt;
					if (g == GATE_SILENCE)
						CNT(e, req_silence);
					else if (!e->conf.no_wait)
						CNT(e, req_answer);
				}
			} else {
				s->rcv_ref = s->rcv_nxt;
			}
			s->fl |= SF_DATA_SENT;
			sess_cmp_ref(e, s);
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
