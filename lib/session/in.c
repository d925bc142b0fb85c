/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Captured client segments into a session's queue, response records into its state, and the
 * session timer.  The queue holds complete frames in sequence order: the SYN (captured or
 * made), then data; bytes already queued are never queued twice (duplicates dropped, overlaps
 * trimmed), and data beyond a hole waits for the hole to fill (bounded by gap_timeout).
 */

#include <string.h>

#include "sess_tcp.h"
#include "compare_private.h"

/* ------------------------------------------------------------------ */
/* Client side. */

/* Drop the first n payload bytes of a segment whose data still starts at the TCP header. */
static void
seg_trim_front(struct rte_mbuf *m, struct dtc_seg *seg, uint32_t n)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	memmove(p + n, p, seg->tcp_hlen);
	rte_pktmbuf_adj(m, (uint16_t)n);
	seg->sflags &= (uint8_t)~DTC_SEG_F_CSUM_OK; /* payload changed: sum it again */
	seg->seq += n;
	seg->payload_len = (uint16_t)(seg->payload_len - n);
}

static void
seg_trim_back(struct rte_mbuf *m, struct dtc_seg *seg, uint32_t n)
{
	rte_pktmbuf_trim(m, (uint16_t)n);
	seg->sflags &= (uint8_t)~DTC_SEG_F_CSUM_OK;
	seg->payload_len = (uint16_t)(seg->payload_len - n);
}

/* Capture holes: data queued beyond clt_nxt, or a FIN/RST beyond it. */
static void
gap_update(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	bool hole = (s->qtail != NULL && SEQ_GT(dtc_seg_of(s->qtail)->seq, s->clt_nxt)) ||
		((s->fl & (SF_FIN_PEND | SF_RST_PEND)) && SEQ_GT(s->fin_seq, s->clt_nxt));

	if (hole && !(s->fl & SF_OOO)) {
		s->fl |= SF_OOO;
		s->t_gap = e->now;
		sess_arm_at(e, s, s->t_gap + e->gap_ticks);
	} else if (!hole) {
		s->fl &= (uint16_t)~SF_OOO;
	}
}

/* Split an oversize capture into pieces that fit -M (copies; the original keeps the first
 * piece).  Returns the number of pieces in pieces[], 0 when out of mbufs. */
static unsigned int
seg_split(struct dtc_sess_engine *e, struct rte_mbuf *m, uint32_t maxpl,
	struct rte_mbuf **pieces, unsigned int cap)
{
	struct dtc_seg *seg = dtc_seg_of(m);
	uint32_t total = seg->payload_len, off, n = 0;

	for (off = 0; off < total; off += maxpl) {
		uint32_t pl = RTE_MIN(maxpl, total - off);
		struct rte_mbuf *p;
		struct dtc_seg *ps;
		uint8_t *d;

		if (n == cap)
			goto fail;
		p = rte_pktmbuf_alloc(e->conf.mp);
		if (p == NULL)
			goto fail;
		d = (uint8_t *)rte_pktmbuf_append(p, (uint16_t)(seg->tcp_hlen + pl));
		if (d == NULL ||
				rte_pktmbuf_read(m, 0, seg->tcp_hlen, d) == NULL ||
				rte_pktmbuf_read(m, seg->tcp_hlen + off, pl, d + seg->tcp_hlen) == NULL) {
			rte_pktmbuf_free(p);
			goto fail;
		}
		/* rte_pktmbuf_read copies only when the bytes are not contiguous. */
		if (rte_pktmbuf_read(m, 0, seg->tcp_hlen, d) != d)
			memcpy(d, rte_pktmbuf_mtod(m, uint8_t *), seg->tcp_hlen);
		if (pl != 0) {
			const void *src = rte_pktmbuf_read(m, seg->tcp_hlen + off, pl,
				d + seg->tcp_hlen);

			if (src != d + seg->tcp_hlen)
				memcpy(d + seg->tcp_hlen, src, pl);
		}
		ps = dtc_seg_of(p);
		*ps = *seg;
		ps->seq = seg->seq + off;
		ps->payload_len = (uint16_t)pl;
		ps->sflags &= (uint8_t)~DTC_SEG_F_CSUM_OK;
		ps->qnext = NULL;
		pieces[n++] = p;
	}
	rte_pktmbuf_free(m);
	return n;
fail:
	while (n > 0)
		rte_pktmbuf_free(pieces[--n]);
	return 0;
}

/* Link a frame after prev (NULL = at the head).  Frames are sent in queue order and new bytes
 * always lie beyond snd_nxt, so qsend (the first frame never sent) moves back to a new frame
 * only when that frame precedes it. */
static void
q_link(struct dtc_sess *s, struct rte_mbuf *prev, struct rte_mbuf *m)
{
	struct dtc_seg *seg = dtc_seg_of(m);

	if (prev == NULL) {
		seg->qnext = s->qhead;
		s->qhead = m;
	} else {
		seg->qnext = dtc_seg_of(prev)->qnext;
		dtc_seg_of(prev)->qnext = m;
	}
	if (seg->qnext == NULL)
		s->qtail = m;
	if (s->qsend == NULL || SEQ_LT(seg->seq, dtc_seg_of(s->qsend)->seq))
		s->qsend = m;
}

/* Where new bytes go in the queue (after prev, before next), trimmed to what is not queued
 * yet.  False when nothing new is left (counted as duplicate). */
static bool
queue_place(struct dtc_sess_engine *e, struct dtc_sess *s, struct rte_mbuf *m,
	struct rte_mbuf **prevp)
{
	struct dtc_seg *seg = dtc_seg_of(m);
	struct rte_mbuf *prev = NULL, *next = s->qhead;
	uint32_t end = seg->seq + seg->payload_len;

	if (SEQ_LEQ(end, s->clt_nxt))
		goto dup;
	if (SEQ_LT(seg->seq, s->clt_nxt)) {
		seg_trim_front(m, seg, s->clt_nxt - seg->seq);
		CNT(e, seg_trimmed);
	}
	/* After the last queued segment starting before it (usually the tail). */
	if (s->qtail != NULL && SEQ_LT(dtc_seg_of(s->qtail)->seq, seg->seq)) {
		prev = s->qtail;
		next = NULL;
	} else {
		while (next != NULL && SEQ_LT(dtc_seg_of(next)->seq, seg->seq)) {
			prev = next;
			next = dtc_seg_of(next)->qnext;
		}
	}
	if (prev != NULL) {
		const struct dtc_seg *ps = dtc_seg_of(prev);
		uint32_t pend = ps->seq + seg_len(ps);

		if (SEQ_GEQ(pend, end))
			goto dup;
		if (SEQ_GT(pend, seg->seq)) {
			seg_trim_front(m, seg, pend - seg->seq);
			CNT(e, seg_trimmed);
		}
	}
	if (next != NULL && SEQ_GT(end, dtc_seg_of(next)->seq)) {
		uint32_t over = end - dtc_seg_of(next)->seq;

		if (over >= seg->payload_len)
			goto dup;
		seg_trim_back(m, seg, over);
		CNT(e, seg_trimmed);
	}
	*prevp = prev;
	return true;
dup:
	DROP(e, duplicate);
	return false;
}

/*
 * Queue captured client data (consumes m).  Returns true when it was kept (counted
 * seg_queued), false when it was dropped (counted; the session may have ended, buf_cap).
 */
bool
sess_queue_data(struct dtc_sess_engine *e, struct dtc_sess *s, struct rte_mbuf *m)
{
	struct dtc_seg *seg = dtc_seg_of(m);
	struct rte_mbuf *prev, *first, *q, *pieces[64];
	uint32_t maxpl;
	unsigned int n, i;

	if (!queue_place(e, s, m, &prev))
		goto drop;
	if (s->nq >= e->conf.max_seg_per_sess) {
		DROP(e, session_full);
		sess_end(e, s, DTC_SESS_END_buf_cap, true);
		goto drop;
	}
	if (e->st.queued_segs >= e->conf.max_seg_total) {
		DROP(e, engine_full);
		goto drop;
	}
	sess_cmp_client(e, s, m);
	maxpl = (s->key.family == 4 ? e->max_payload4 : e->max_payload6) - seg->tcp_hlen;
	if (seg->payload_len > maxpl || m->nb_segs > 1) {
		n = seg_split(e, m, maxpl, pieces, RTE_DIM(pieces)); /* frees m when it works */
		if (n == 0) {
			DROP(e, no_mbuf);
			goto drop;
		}
		CNT_ADD(e, seg_split, n - 1);
	} else {
		pieces[0] = m;
		n = 1;
	}
	for (i = 0; i < n; i++)
		if (tx_frame_build(e, s, pieces[i]) != 0)
			break;
	if (i < n) {
		/* No headroom: the front's contract was broken (seg_sane checks it). */
		rte_pktmbuf_free_bulk(pieces, n);
		DROP(e, bad_segment);
		return false;
	}
	first = pieces[0];
	for (i = 0; i < n; i++) {
		dtc_seg_of(pieces[i])->t_in = e->now;
		q_link(s, prev, pieces[i]);
		prev = pieces[i];
	}
	s->nq = (uint16_t)(s->nq + n);
	e->st.queued_segs += n;
	/* Advance the contiguous end over whatever the new bytes joined (they start at or
	 * beyond it, so nothing before them can). */
	for (q = first; q != NULL; q = dtc_seg_of(q)->qnext) {
		const struct dtc_seg *qs = dtc_seg_of(q);

		if (SEQ_GT(qs->seq, s->clt_nxt))
			break;
		if (SEQ_GT(qs->seq + seg_len(qs), s->clt_nxt))
			s->clt_nxt = qs->seq + seg_len(qs);
	}
	CNT(e, seg_queued);
	return true;
drop:
	rte_pktmbuf_free(m);
	return false;
}

/* The captured ACK that data or a FIN/RST is compared with: that of the last queued data, or
 * of the last released.  False when there is no reference yet. */
static bool
last_captured_ack(const struct dtc_sess *s, uint32_t *ack)
{
	if (s->qtail != NULL && dtc_seg_of(s->qtail)->payload_len != 0) {
		*ack = dtc_seg_of(s->qtail)->ack;
		return true;
	}
	*ack = s->ref_ack;
	return (s->fl & SF_REF) != 0;
}

static void
client_close(struct dtc_sess_engine *e, struct dtc_sess *s, const struct dtc_seg *seg,
	bool rst)
{
	uint32_t ref, pos = seg->seq + (rst ? 0 : seg->payload_len);

	if (s->fl & (SF_FIN_PEND | SF_RST_PEND)) {
		/* A second FIN (retransmission) changes nothing; a RST after a FIN aborts at
		 * the same place. */
		if (rst)
			s->fl |= SF_RST_PEND;
		return;
	}
	if (SEQ_LT(pos, s->clt_nxt) && !rst)
		pos = s->clt_nxt; /* FIN below queued bytes: nonsense; close after them */
	if (rst && SEQ_LT(pos, s->clt_nxt))
		pos = s->clt_nxt;
	s->fin_seq = pos;
	s->fl |= rst ? SF_RST_PEND : SF_FIN_PEND;
	if (seg->ts_off != 0 && SEQ_GT(seg->tsval, s->ts_val))
		s->ts_val = seg->tsval;
	if (last_captured_ack(s, &ref) && SEQ_GT(seg->ack, ref)) {
		s->fl |= SF_CLOSE_WAIT;
		s->fin_ack = seg->ack;
	}
	gap_update(e, s);
	sess_arm_at(e, s, s->t_resp + e->t_ticks);
}

/* The captured third ACK: the client's RTT and the pacing reference. */
static void
client_pure_ack(struct dtc_sess_engine *e, struct dtc_sess *s, const struct dtc_seg *seg)
{
	if (seg->ts_off != 0 && SEQ_GT(seg->tsval, s->ts_val))
		s->ts_val = seg->tsval;
	if ((s->fl2 & SF2_CAP_RTT) && seg->ack != 0) {
		uint64_t rtt = (uint64_t)(e->now - s->t_start) << TICK_SHIFT;

		s->fl2 &= (uint16_t)~SF2_CAP_RTT;
		if (e->conf.rtt_us == 0) {
			rtt = (RTE_MAX(rtt, (uint64_t)e->conf.resp_end_min_us) + 15) >> 4;
			s->silence = (uint16_t)RTE_MIN(rtt, (uint64_t)UINT16_MAX);
		}
		if (!(s->fl & (SF_REF | SF_DATA_SENT))) {
			s->ref_ack = seg->ack;
			s->fl |= SF_REF;
		}
	}
}


/* A captured segment for a live session (SYNs are dealt with by the dispatcher). */
void
sess_client(struct dtc_sess_engine *e, struct rte_mbuf *m, uint32_t idx)
{
	struct dtc_sess *s = &e->s[idx];
	struct dtc_seg *seg = dtc_seg_of(m);
	uint8_t fl = seg->flags;

	lru_touch(e, s);
	if (fl & DTC_TCP_RST) {
		client_close(e, s, seg, true);
		CNT(e, seg_ctl);
		rte_pktmbuf_free(m);
		if (s->state == SS_SYN_SENT && s->qsend == NULL) {
			/* Aborted during the handshake with nothing to deliver: abort ours. */
			sess_end(e, s, DTC_SESS_END_client_rst, true);
			return;
		}
		sess_output(e, s);
		return;
	}
	if (seg->payload_len == 0 && !(fl & DTC_TCP_FIN)) {
		client_pure_ack(e, s, seg);
		DROP(e, pure_ack);
		rte_pktmbuf_free(m);
		return;
	}
	if (fl & DTC_TCP_FIN)
		client_close(e, s, seg, false);
	if (seg->payload_len == 0) {
		CNT(e, seg_ctl);
		rte_pktmbuf_free(m);
	} else {
		uint32_t t_resp = s->t_resp;

		/* A segment whose data is refused counts as that drop even when its FIN was
		 * taken: one verdict per segment. */
		if (!sess_queue_data(e, s, m)) {
			if (s->state == SS_DEAD)
				return;
		} else {
			gap_update(e, s);
			sess_arm_at(e, s, t_resp + e->t_ticks);
		}
	}
	sess_output(e, s);
}

/* ------------------------------------------------------------------ */
/* Test-server side. */

static void
rtt_sample(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	uint32_t r = (uint32_t)e->now_us - s->rtt_t;
	unsigned int b;

	s->fl &= (uint16_t)~SF_TIMING;
	if (s->srtt == 0) {
		s->srtt = r != 0 ? r : 1;
		s->rttvar = r / 2;
	} else {
		uint32_t d = s->srtt > r ? s->srtt - r : r - s->srtt;

		s->rttvar = (3 * s->rttvar + d) / 4;
		s->srtt = (7 * s->srtt + r) / 8;
		if (s->srtt == 0)
			s->srtt = 1;
	}
	b = r < 16 ? 0 : 28u - (unsigned int)__builtin_clz(r);
	if (b >= DTC_RTT_BUCKETS)
		b = DTC_RTT_BUCKETS - 1;
	e->st.rtt_hist[b]++;
}

/* A RST from the test server: with captured data still to deliver, rebuild the connection once
 * (new SYN just before the first byte not acknowledged); otherwise the session is over. */
static void
server_rst(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	struct rte_mbuf *m, *syn;
	const struct dtc_seg *first;

	sess_cmp_test(e, s, NULL, 0);
	/* Drop what the old connection acknowledged (the SYN included). */
	while ((m = s->qhead) != NULL && (dtc_seg_of(m)->payload_len == 0 ||
			SEQ_LEQ(dtc_seg_of(m)->seq + seg_len(dtc_seg_of(m)), s->snd_una))) {
		s->qhead = dtc_seg_of(m)->qnext;
		if (s->qsend == m)
			s->qsend = s->qhead;
		rte_pktmbuf_free(m);
		s->nq--;
		e->st.queued_segs--;
	}
	if (s->qhead == NULL)
		s->qtail = NULL;
	if (s->qhead == NULL || (s->fl & SF_REBUILT)) {
		sess_end(e, s, DTC_SESS_END_server_rst, false);
		return;
	}
	first = dtc_seg_of(s->qhead);
	s->iss = first->seq - 1;
	if (sess_route(e, &s->key, DTC_V1_ROUTE_ADD) < 0) {
		sess_end(e, s, DTC_SESS_END_server_rst, false);
		return;
	}
	syn = tx_syn_build(e, s, first->ts_off != 0, s->ts_val);
	if (syn == NULL) {
		TXF(e, no_mbuf);
		sess_end(e, s, DTC_SESS_END_server_rst, false);
		return;
	}
	dtc_seg_of(syn)->qnext = s->qhead;
	s->qhead = syn;
	s->nq++;
	e->st.queued_segs++;
	s->fl = (uint16_t)((s->fl & (SF_REF | SF_DATA_SENT | SF_REDIRECT | SF_FIN_PEND |
		SF_RST_PEND | SF_CLOSE_WAIT | SF_OOO | SF_SYN_TS)) | SF_REBUILT | SF_SYN_SYNTH);
	if (first->ts_off != 0)
		s->fl |= SF_SYN_TS;
	else
		s->fl &= (uint16_t)~SF_SYN_TS;
	s->fl2 = 0;
	s->state = SS_SYN_SENT;
	s->snd_una = s->iss;
	s->snd_nxt = s->iss;
	s->snd_wnd = 0;
	s->snd_ws = s->rcv_ws = 0;
	s->rcv_nxt = s->rcv_acked = 0;
	s->dupacks = 0;
	s->backoff = 0;
	s->t_start = e->now;
	s->srtt = s->rttvar = 0;
	CNT(e, sess_rebuilt);
	sess_send_syn(e, s);
	sess_arm_at(e, s, s->t_start + e->syn_ticks);
}

static void
resp_synack(struct dtc_sess_engine *e, struct dtc_sess *s, const struct dtc_resp *r)
{
	if (!(r->flags & DTC_TCP_ACK) || r->ack != s->iss + 1) {
		CNT(e, resp_ignored);
		return;
	}
	s->rcv_nxt = r->seq + 1;
	s->rcv_ref = s->rcv_nxt; /* a server-first greeting counts from here */
	s->snd_una = s->iss + 1;
	s->snd_wnd = r->win;
	if ((s->fl & SF_SYN_WS) && r->wscale != DTC_WSCALE_NONE) {
		s->snd_ws = RTE_MIN(r->wscale, 14);
	} else {
		s->snd_ws = 0;
		s->rcv_ws = 0;
	}
	if ((s->fl & SF_SYN_TS) && (r->opt & DTC_RESP_TS)) {
		s->fl |= SF_TS;
		s->ts_recent = r->tsval;
	}
	s->srv_mss = r->mss != 0 ? r->mss : 536;
	if (s->fl & SF_TIMING)
		rtt_sample(e, s);
	if (s->silence == 0) {
		/* No captured handshake to time (SYN made up, or third ACK not seen yet): the
		 * test server's own RTT stands in. */
		uint64_t v = (RTE_MAX((uint64_t)s->srtt, (uint64_t)e->conf.resp_end_min_us) + 15) >> 4;

		s->silence = (uint16_t)RTE_MIN(v, (uint64_t)UINT16_MAX);
	}
	s->backoff = 0;
	s->state = SS_ESTAB;
	CNT(e, sess_established);
	sess_free_acked(e, s);
	tx_ack(e, s); /* the third ACK: seq = iss + 1 = snd_nxt */
	s->fl2 &= (uint16_t)~SF2_RTO;
	sess_output(e, s);
}

/* ACK field of an established session's record; false when the record must be ignored. */
static bool
resp_ack(struct dtc_sess_engine *e, struct dtc_sess *s, const struct dtc_resp *r)
{
	uint32_t ack = r->ack;

	if (!(r->flags & DTC_TCP_ACK))
		return true;
	if (SEQ_GT(ack, s->snd_nxt)) {
		CNT(e, resp_ignored);
		return false;
	}
	if (SEQ_GT(ack, s->snd_una)) {
		s->snd_una = ack;
		s->dupacks = 0;
		s->backoff = 0;
		if ((s->fl & SF_TIMING) && SEQ_GEQ(ack, s->rtt_seq))
			rtt_sample(e, s);
		sess_free_acked(e, s);
		if (s->snd_una != s->snd_nxt) {
			s->t_rto = e->now + us_to_ticks_up(sess_rto_us(e, s));
			s->fl2 |= SF2_RTO;
			sess_arm_at(e, s, s->t_rto);
		} else if (!(s->fl2 & SF2_PROBE)) {
			s->fl2 &= (uint16_t)~SF2_RTO;
		}
	} else if (ack == s->snd_una && s->snd_una != s->snd_nxt && r->payload_len == 0 &&
			!(r->flags & DTC_TCP_FIN) &&
			(uint32_t)r->win << s->snd_ws == s->snd_wnd) {
		if (++s->dupacks == 3)
			sess_retransmit(e, s, true);
	}
	if (SEQ_GEQ(ack, s->snd_una)) {
		uint32_t w = (uint32_t)r->win << s->snd_ws;

		if (w != 0)
			s->fl2 &= (uint16_t)~SF2_PROBE;
		s->snd_wnd = w;
	}
	return true;
}

/* Test-server data may lie this far beyond what we acknowledged: our window, at least 64 KiB. */
static inline bool
in_rcv_window(const struct dtc_sess_engine *e, const struct dtc_sess *s, uint32_t seq)
{
	return SEQ_GEQ(seq, s->rcv_nxt) &&
		SEQ_LT(seq, s->rcv_nxt + RTE_MAX(e->conf.rcv_wnd, 65535u));
}

/* Payload and FIN of a record: advance what we acknowledge. */
static void
resp_data(struct dtc_sess_engine *e, struct dtc_sess *s, const struct dtc_resp *r)
{
	uint32_t len = r->payload_len, fin = !!(r->flags & DTC_TCP_FIN);
	uint32_t end = r->seq + len + fin;

	if (len + fin == 0)
		return;
	if (SEQ_GT(r->seq, s->rcv_nxt)) {
		/* A test-server segment we never saw (lost on its way to the intercept): ask for
		 * it again with a duplicate ACK, as a receiver does, and remember that the answer
		 * goes on past the hole: it has not ended until the hole is filled, however long
		 * the retransmission takes (the SYN sent had no SACK-permitted, so the test
		 * server's fast retransmit counts these duplicate ACKs). */
		s->fl2 |= SF2_ACK_NOW;
		if (in_rcv_window(e, s, r->seq)) {
			if (!(s->fl2 & SF2_HOLE) || SEQ_GT(end, s->srv_hi))
				s->srv_hi = end;
			s->fl2 |= SF2_HOLE;
			s->fl |= SF_RESP_SEEN;
			s->t_data = e->now;
		}
		CNT(e, resp_ignored);
		return;
	}
	if (SEQ_LEQ(end, s->rcv_nxt)) {
		s->fl2 |= SF2_ACK_NOW;
		CNT(e, resp_dup);
		return;
	}
	if (len != 0 && SEQ_GT(r->seq + len, s->rcv_nxt)) {
		CNT_ADD(e, resp_bytes, r->seq + len - s->rcv_nxt);
		sess_cmp_test(e, s, r, r->seq + len - s->rcv_nxt);
		s->fl |= SF_RESP_SEEN;
		s->t_data = e->now;
	}
	s->rcv_nxt = end;
	if ((s->fl2 & SF2_HOLE) && SEQ_GEQ(end, s->srv_hi))
		s->fl2 &= (uint16_t)~SF2_HOLE;
	if (fin) {
		s->fl |= SF_SRV_FIN;
		s->fl2 |= SF2_ACK_NOW;
	}
}

void
sess_resp(struct dtc_sess_engine *e, const struct dtc_resp *r, uint32_t idx)
{
	struct dtc_sess *s = &e->s[idx];

	s->t_resp = e->now;
	lru_touch(e, s);
	if (s->state == SS_SYN_SENT) {
		if (r->flags & DTC_TCP_RST) {
			if ((r->flags & DTC_TCP_ACK) && r->ack == s->iss + 1)
				server_rst(e, s);
			else
				CNT(e, resp_ignored);
		} else if (r->flags & DTC_TCP_SYN) {
			resp_synack(e, s, r);
		} else {
			CNT(e, resp_ignored);
		}
		return;
	}
	if (r->flags & DTC_TCP_SYN) {
		/* SYN-ACK again: our third ACK was lost. */
		if ((r->flags & DTC_TCP_ACK) && r->seq + 1 == s->rcv_nxt)
			s->fl2 |= SF2_ACK_NOW;
		else
			CNT(e, resp_ignored);
		sess_output(e, s);
		return;
	}
	if (r->flags & DTC_TCP_RST) {
		if (in_rcv_window(e, s, r->seq))
			server_rst(e, s);
		else
			CNT(e, resp_ignored);
		return;
	}
	if (!resp_ack(e, s, r))
		return;
	if ((r->opt & DTC_RESP_TS) && (s->fl & SF_TS) && SEQ_GEQ(r->tsval, s->ts_recent))
		s->ts_recent = r->tsval;
	resp_data(e, s, r);
	if (s->rcv_nxt - s->rcv_acked >= 2u * s->srv_mss)
		s->fl2 |= SF2_ACK_NOW;
	sess_output(e, s);
	if (s->state == SS_ESTAB && (s->fl & SF_SRV_FIN) && (s->fl & SF_FIN_SENT) &&
			s->snd_una == s->snd_nxt && s->rcv_acked == s->rcv_nxt)
		sess_end(e, s, DTC_SESS_END_fin, false);
}

/* ------------------------------------------------------------------ */
/* The one timer of a session: do what is due, then arm for the earliest next deadline. */

void
sess_timer(void *arg, uint32_t idx)
{
	struct dtc_sess_engine *e = arg;
	struct dtc_sess *s = &e->s[idx];
	uint32_t now = e->now;

	switch (s->state) {
	case SS_DEAD:
		if (TICK_GEQ(now, s->t_start + e->linger_ticks))
			sess_free(e, idx);
		else
			sess_rearm(e, s);
		return;
	case SS_SYN_SENT:
		if (TICK_GEQ(now, s->t_start + e->syn_ticks)) {
			sess_end(e, s, DTC_SESS_END_syn_timeout, true);
			return;
		}
		if ((s->fl2 & SF2_RTO) && TICK_GEQ(now, s->t_rto)) {
			if (s->backoff < 16)
				s->backoff++;
			sess_retransmit(e, s, false);
			s->t_rto = now + us_to_ticks_up(sess_rto_us(e, s));
		}
		sess_rearm(e, s);
		return;
	case SS_ESTAB:
		break;
	default:
		return;
	}
	if ((s->fl & SF_OOO) && TICK_GEQ(now, s->t_gap + e->gap_ticks)) {
		sess_end(e, s, DTC_SESS_END_lost_capture, true);
		return;
	}
	if (sess_pending(s)) {
		if (TICK_GEQ(now, s->t_resp + e->t_ticks)) {
			sess_end(e, s, DTC_SESS_END_resp_timeout, true);
			return;
		}
	} else if (TICK_GEQ(now, s->t_resp + e->k_ticks)) {
		sess_end(e, s, DTC_SESS_END_idle_timeout, true);
		return;
	}
	if ((s->fl2 & SF2_RTO) && TICK_GEQ(now, s->t_rto)) {
		if (s->snd_una != s->snd_nxt) {
			if (s->backoff < 16)
				s->backoff++;
			sess_retransmit(e, s, false);
			s->t_rto = now + us_to_ticks_up(sess_rto_us(e, s));
		} else if (s->fl2 & SF2_PROBE) {
			if (tx_ctl(e, s, DTC_TCP_ACK, s->snd_una - 1))
				CNT(e, zwin_probes);
			if (s->backoff < 16)
				s->backoff++;
			s->t_rto = now + us_to_ticks_up(sess_rto_us(e, s));
		} else {
			s->fl2 &= (uint16_t)~SF2_RTO;
		}
	}
	sess_output(e, s);
	if (s->state == SS_ESTAB)
		sess_rearm(e, s);
}
