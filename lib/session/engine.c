/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The engine: creation, the burst entry points, session start (captured or made-up SYN, route
 * registration first), the dispatch rules that keep sessions apart (collision redirects, port
 * reuse, lingering ended sessions), session end and release, and the timer plumbing.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "sess_tcp.h"
#include "compare_private.h"

#define MAX_TIMEOUT_MS (24u * 3600 * 1000)
#define COLLISION_PROBES 64
#define PORT_STEP 7919 /* prime: successive probes spread over the port space */
#define REUSE_HOP (1u << 24) /* a seq this far from an ended session's is a new connection */

void
dtc_sess_conf_defaults(struct dtc_sess_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->multiply = 1;
	c->mss = 1460;
	c->mtu = 1500;
	c->session_timeout_ms = 120 * 1000;
	c->keepalive_timeout_ms = (120 + 120) * 1000;
	c->syn_timeout_ms = 10000;
	c->gap_timeout_ms = 3000;
	c->resp_end_min_us = 200;
	c->delack_max_us = 40 * 1000;
	c->rto_min_ms = 200;
	c->rto_max_ms = 60 * 1000;
	c->linger_ms = 2000;
	c->recycle_idle_ms = 1000;
	c->rcv_wnd = 1u << 20;
	c->max_sessions = 65536;
	c->max_seg_per_sess = 1024;
	c->max_lag_us = 5000;
	c->close_quiet_ms = 1500;
	c->max_seg_total = 262144;
	c->socket_id = SOCKET_ID_ANY;
	c->n_workers = 1;
}

static int
conf_check(const struct dtc_sess_conf *c)
{
	if (c->xfer == NULL || c->n_xfer == 0 || c->n_xfer > DTC_XFER_MAX || c->mp == NULL)
		return -EINVAL;
	if (c->max_sessions == 0 || c->max_sessions >= (1u << 30) ||
			c->max_seg_per_sess == 0 || c->max_seg_per_sess > UINT16_MAX ||
			c->max_seg_total == 0)
		return -EINVAL;
	if (c->n_workers == 0 || c->worker_id >= c->n_workers || c->multiply == 0)
		return -EINVAL;
	if (c->mtu < 256 || c->mss == 0 || c->rcv_wnd == 0)
		return -EINVAL;
	if (c->session_timeout_ms == 0 || c->session_timeout_ms > MAX_TIMEOUT_MS ||
			c->keepalive_timeout_ms == 0 || c->keepalive_timeout_ms > MAX_TIMEOUT_MS ||
			c->syn_timeout_ms == 0 || c->syn_timeout_ms > MAX_TIMEOUT_MS ||
			c->gap_timeout_ms == 0 || c->gap_timeout_ms > MAX_TIMEOUT_MS ||
			c->linger_ms > MAX_TIMEOUT_MS || c->rto_min_ms == 0 ||
			c->rto_max_ms < c->rto_min_ms || c->rto_max_ms > MAX_TIMEOUT_MS ||
			c->resp_end_min_us > 1000000 || c->rtt_us > 60000000 ||
			c->delack_max_us > 1000000 || c->max_lag_us > 60000000 ||
			c->close_quiet_ms > MAX_TIMEOUT_MS)
		return -EINVAL;
	if (rte_pktmbuf_priv_size(c->mp) < DTC_MBUF_PRIV_SIZE ||
			rte_pktmbuf_data_room_size(c->mp) < RTE_PKTMBUF_HEADROOM + c->mtu)
		return -EINVAL;
	return 0;
}

size_t
dtc_sess_mem_size(const struct dtc_sess_conf *c)
{
	return sizeof(struct dtc_sess_engine) + table_mem_size(c, NULL, NULL);
}

struct dtc_sess_engine *
dtc_sess_create(const struct dtc_sess_conf *c)
{
	struct dtc_sess_engine *e;
	int rc;

	rc = conf_check(c);
	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	e = rte_zmalloc_socket("dtc_sess_engine", sizeof(*e), RTE_CACHE_LINE_SIZE, c->socket_id);
	if (e == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	e->conf = *c;
	if (table_init(e) != 0) {
		rte_free(e);
		rte_errno = ENOMEM;
		return NULL;
	}
	wheel_init(&e->wheel, e->tn, sizeof(*e->tn), c->max_sessions, 0);
	e->syn_ticks = us_to_ticks_up((uint64_t)c->syn_timeout_ms * 1000);
	e->t_ticks = us_to_ticks_up((uint64_t)c->session_timeout_ms * 1000);
	e->k_ticks = us_to_ticks_up((uint64_t)c->keepalive_timeout_ms * 1000);
	e->gap_ticks = us_to_ticks_up((uint64_t)c->gap_timeout_ms * 1000);
	e->linger_ticks = us_to_ticks_up((uint64_t)c->linger_ms * 1000);
	e->recycle_ticks = us_to_ticks_up((uint64_t)c->recycle_idle_ms * 1000);
	e->delack_ticks = us_to_ticks_up(c->delack_max_us);
	e->close_quiet_ticks = us_to_ticks_up((uint64_t)c->close_quiet_ms * 1000);
	e->rto_min_us = c->rto_min_ms * 1000;
	e->stone_ticks = us_to_ticks_up(e->rto_min_us);
	e->rto_max_us = c->rto_max_ms * 1000;
	e->max_payload4 = (uint16_t)(c->mtu - 20);
	e->max_payload6 = (uint16_t)(c->mtu - 40);
	e->now_us = 0;
	e->now = 0;
	return e;
}

void
dtc_sess_free(struct dtc_sess_engine *e)
{
	uint32_t i;

	if (e == NULL)
		return;
	if (e->s != NULL)
		for (i = 0; i < e->max_sessions; i++)
			if (e->s[i].state != SS_FREE)
				sess_free_queue(e, &e->s[i]);
	if (e->n_tx != 0)
		rte_pktmbuf_free_bulk(e->tx, e->n_tx);
	table_fini(e);
	rte_free(e);
}

/*
 * The caller's clock may have any epoch (a TSC-derived one counts from the host's boot), but
 * the wheel's 32-bit ticks are compared by signed distance, which only works for distances
 * below 2^31 ticks: counted from the first time given, the wheel starts at tick 0 where it
 * was created, and later wrap-around is harmless.
 */
static inline void
set_now(struct dtc_sess_engine *e, uint64_t now_us)
{
	if (unlikely(e->epoch_us == 0))
		e->epoch_us = now_us != 0 ? now_us : 1;
	if (now_us > e->now_us) {
		e->now_us = now_us;
		e->now = us_to_tick(now_us - e->epoch_us);
	}
}

/* All three lines of a session: every packet touches the lookup, transmit and timer state. */
static inline void
sess_prefetch(const struct dtc_sess *s)
{
	rte_prefetch0(s);
	rte_prefetch0((const char *)s + RTE_CACHE_LINE_SIZE);
	rte_prefetch0((const char *)s + 2 * RTE_CACHE_LINE_SIZE);
}

/* ------------------------------------------------------------------ */
/* Timers. */

/* A due session is usually cold (its last packet was long ago): fetch it while the wheel
 * collects the rest of the batch. */
static void
sess_timer_prefetch(void *arg, uint32_t idx)
{
	const struct dtc_sess_engine *e = arg;

	sess_prefetch(&e->s[idx]);
}

static inline uint32_t
earliest(uint32_t a, uint32_t b)
{
	return TICK_AFTER(a, b) ? b : a;
}

void
sess_arm_at(struct dtc_sess_engine *e, struct dtc_sess *s, uint32_t when)
{
	uint32_t idx = sess_idx(e, s);
	const struct dtc_tnode *t = &e->tn[idx];

	if (t->prev == SESS_NIL || TICK_AFTER(t->when, when))
		wheel_arm(&e->wheel, idx, when);
}

void
sess_rearm(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	uint32_t when;

	switch (s->state) {
	case SS_DEAD:
		when = s->t_start + e->linger_ticks;
		break;
	case SS_SYN_SENT:
		when = s->t_start + e->syn_ticks;
		if (s->fl2 & SF2_RTO)
			when = earliest(when, s->t_rto);
		break;
	case SS_ESTAB:
		if (sess_pending(s)) {
			when = s->t_resp + e->t_ticks;
		} else if (!TICK_GEQ(e->now, s->t_resp + e->stone_ticks)) {
			/* Active: park at a near stone (the RTO floor), so that the RTO of the
			 * next request lies after it and needs no re-arm; once idle for a
			 * stone, the -k deadline. */
			when = earliest(e->now + e->stone_ticks, s->t_resp + e->k_ticks);
		} else {
			when = s->t_resp + e->k_ticks;
		}
		if (s->fl & SF_OOO)
			when = earliest(when, s->t_gap + e->gap_ticks);
		if (s->fl2 & SF2_RTO)
			when = earliest(when, s->t_rto);
		if (s->rcv_acked != s->rcv_nxt)
			when = earliest(when,
				s->t_data + RTE_MIN(silence_ticks(s), e->delack_ticks));
		if ((s->fl & SF_RESP_SEEN) && TICK_AFTER(s->t_data + resp_end_ticks(s), e->now) &&
				(s->qsend != NULL || (s->fl & (SF_FIN_PEND | SF_RST_PEND))))
			when = earliest(when, s->t_data + resp_end_ticks(s));
		when = sess_gate_deadline(e, s, when);
		break;
	default:
		return;
	}
	wheel_arm(&e->wheel, sess_idx(e, s), when);
}

void
dtc_sess_timers(struct dtc_sess_engine *e, uint64_t now_us)
{
	set_now(e, now_us);
	wheel_run_pf(&e->wheel, e->now, sess_timer, sess_timer_prefetch, e);
}

/* ------------------------------------------------------------------ */
/* Session end and release. */

void
sess_end(struct dtc_sess_engine *e, struct dtc_sess *s, enum dtc_sess_end why, bool rst)
{
	uint32_t idx = sess_idx(e, s);

	if (s->state != SS_SYN_SENT && s->state != SS_ESTAB)
		return;
	sess_cmp_end(e, s);
	if (rst)
		tx_ctl(e, s, s->state == SS_ESTAB ? DTC_TCP_RST | DTC_TCP_ACK : DTC_TCP_RST,
			s->snd_nxt);
	sess_free_queue(e, s);
	e->st.end[why]++;
	e->st.active--;
	wheel_cancel(&e->wheel, idx);
	lru_unlink(e, idx);
	s->state = SS_DEAD;
	s->fl2 = 0;
	s->t_start = e->now;
	lru_push(e, idx, true);
	e->st.lingering++;
	wheel_arm(&e->wheel, idx, s->t_start + e->linger_ticks);
}

int
sess_route(struct dtc_sess_engine *e, const struct dtc_flow_key *k, uint16_t op)
{
	if (e->conf.route == NULL)
		return 0;
	if (e->conf.route(e->conf.route_arg, k, op) < 0)
		return -1;
	if (op == DTC_V1_ROUTE_ADD)
		CNT(e, route_sent);
	else
		CNT(e, route_del);
	return 0;
}

void
sess_free(struct dtc_sess_engine *e, uint32_t idx)
{
	struct dtc_sess *s = &e->s[idx];

	if (s->state == SS_FREE)
		return;
	if (s->state != SS_DEAD)
		sess_end(e, s, DTC_SESS_END_shutdown, true);
	e->st.lingering--;
	sess_route(e, &s->key, DTC_V1_ROUTE_DEL);
	if (s->fl & SF_REDIRECT)
		redir_del(e, s->origin, idx);
	e->st.redirects = e->n_redirect;
	table_remove(e, idx);
	wheel_cancel(&e->wheel, idx);
	lru_unlink(e, idx);
	table_release(e, idx);
}

/* A free entry, recycling a lingering one, or else the least recently used live session that
 * has been idle for recycle_idle_ms. */
static uint32_t
sess_alloc(struct dtc_sess_engine *e)
{
	uint32_t idx = table_alloc(e);

	if (idx != SESS_NIL)
		return idx;
	if (e->dead_head != SESS_NIL) {
		sess_free(e, e->dead_head);
	} else if (e->lru_head != SESS_NIL) {
		struct dtc_sess *s = &e->s[e->lru_head];
		uint16_t age = (uint16_t)((uint16_t)(e->now >> LRU_SHIFT) - s->t_lru);

		if ((uint64_t)age << LRU_SHIFT < e->recycle_ticks)
			return SESS_NIL;
		sess_end(e, s, DTC_SESS_END_recycled, true);
		sess_free(e, sess_idx(e, s));
	} else {
		return SESS_NIL;
	}
	return table_alloc(e);
}

/* ------------------------------------------------------------------ */
/* Session start. */

/* Another client port for a key whose 4-tuple a different client holds: same address, a port
 * that hashes to this worker (responses must come back here) and is not in use. */
static bool
collision_key(const struct dtc_sess_engine *e, struct dtc_flow_key *k)
{
	uint32_t p0 = rte_be_to_cpu_16(k->client_port), i;

	for (i = 1; i <= COLLISION_PROBES; i++) {
		uint32_t p = 1024 + ((p0 >= 1024 ? p0 - 1024 : p0) + i * PORT_STEP) % 64512;
		rte_be16_t pb = rte_cpu_to_be_16((uint16_t)p);
		struct dtc_flow_key c = *k;

		if (dtc_sess_owner(dtc_endpoint_hash(&k->client, pb, e->conf.seed),
				e->conf.n_workers) != e->conf.worker_id)
			continue;
		c.client_port = pb;
		if (table_lookup(e, &c, dtc_flow_hash(&c, e->conf.seed)) != SESS_NIL)
			continue;
		*k = c;
		return true;
	}
	return false;
}

static void
sess_init(struct dtc_sess_engine *e, struct dtc_sess *s, const struct dtc_flow_key *k,
	const struct dtc_seg *seg)
{
	memset(s, 0, sizeof(*s));
	s->hnext = SESS_NIL;
	s->lnext = s->lprev = SESS_NIL;
	s->key = *k;
	s->origin = seg->origin;
	s->xfer = seg->xfer;
	s->state = SS_SYN_SENT;
	s->t_lru = (uint16_t)(e->now >> LRU_SHIFT);
	s->t_start = e->now;
	s->t_resp = e->now;
	s->t_data = e->now;
	s->srv_mss = 536;
	if (e->conf.rtt_us != 0) {
		uint64_t v = (RTE_MAX((uint64_t)e->conf.rtt_us,
			(uint64_t)e->conf.resp_end_min_us) + 15) >> 4;

		s->silence = (uint16_t)RTE_MIN(v, (uint64_t)UINT16_MAX);
	}
}

/* Take a table entry for key, register its route, index it.  NULL when refused (counted);
 * syn (a made-up SYN, or NULL) is freed then. */
static struct dtc_sess *
sess_open(struct dtc_sess_engine *e, const struct dtc_flow_key *key, const struct dtc_seg *seg,
	uint32_t iss, bool collision, struct rte_mbuf **syn)
{
	struct dtc_sess *s;
	uint32_t idx;

	idx = sess_alloc(e);
	if (idx == SESS_NIL) {
		DROP(e, table_full);
		return NULL;
	}
	s = &e->s[idx];
	sess_init(e, s, key, seg);
	s->iss = iss;
	if (syn != NULL) {
		*syn = tx_syn_build(e, s, seg->ts_off != 0, seg->tsval);
		if (*syn == NULL) {
			table_release(e, idx);
			DROP(e, no_mbuf);
			return NULL;
		}
	}
	if (sess_route(e, key, DTC_V1_ROUTE_ADD) < 0) {
		table_release(e, idx);
		if (syn != NULL)
			rte_pktmbuf_free(*syn);
		DROP(e, no_route);
		return NULL;
	}
	table_insert(e, idx, collision ? dtc_flow_hash(key, e->conf.seed) : seg->flow_hash);
	lru_push(e, idx, false);
	e->st.active++;
	CNT(e, sess_created);
	if (collision) {
		redir_add(e, seg->origin, idx);
		s->fl |= SF_REDIRECT;
		e->st.redirects = e->n_redirect;
		CNT(e, sess_collisions);
	}
	s->snd_una = s->snd_nxt = iss;
	s->clt_nxt = iss + 1;
	if (seg->ts_off != 0) {
		s->fl |= SF_SYN_TS;
		s->ts_val = seg->tsval;
	}
	return s;
}

/* The captured SYN becomes the queue's first frame; false when it could not (ended). */
static bool
start_captured_syn(struct dtc_sess_engine *e, struct dtc_sess *s, struct rte_mbuf *m)
{
	struct dtc_seg *seg = dtc_seg_of(m);

	s->fl2 |= SF2_CAP_RTT;
	if (seg->wscale != DTC_WSCALE_NONE) {
		s->fl |= SF_SYN_WS;
		s->rcv_ws = RTE_MIN(seg->wscale, 14);
	}
	seg->t_in = e->now;
	seg->payload_len = 0;
	if (tx_frame_build(e, s, m) != 0) {
		/* Cannot happen with a front-made mbuf (headroom checked); end cleanly. */
		DROP(e, bad_segment);
		rte_pktmbuf_free(m);
		sess_end(e, s, DTC_SESS_END_syn_timeout, false);
		return false;
	}
	seg->qnext = NULL;
	s->qhead = s->qsend = s->qtail = m;
	s->nq = 1;
	e->st.queued_segs++;
	CNT(e, seg_queued);
	return true;
}

/* Open a session for a segment that has none.  Consumes m. */
static void
sess_start(struct dtc_sess_engine *e, struct rte_mbuf *m, bool collision)
{
	struct dtc_seg *seg = dtc_seg_of(m);
	bool real_syn = (seg->flags & (DTC_TCP_SYN | DTC_TCP_ACK | DTC_TCP_RST)) == DTC_TCP_SYN;
	struct dtc_flow_key key = seg->key;
	struct rte_mbuf *syn = NULL;
	struct dtc_sess *s;

	if (!real_syn && (seg->payload_len == 0 || (seg->flags & (DTC_TCP_SYN | DTC_TCP_RST)) ||
			e->conf.full_sessions_only)) {
		DROP(e, no_session);
		goto drop;
	}
	if (collision && (!collision_key(e, &key) ||
			(e->n_redirect + 1) * 2 > e->redir_mask + 1)) {
		DROP(e, collision);
		goto drop;
	}
	s = sess_open(e, &key, seg, real_syn ? seg->seq : seg->seq - 1, collision,
		real_syn ? NULL : &syn);
	if (s == NULL)
		goto drop;
	if (real_syn) {
		if (!start_captured_syn(e, s, m))
			return;
	} else {
		/* The made-up SYN first, then the data that revealed the session. */
		s->fl |= SF_SYN_SYNTH;
		s->qhead = s->qsend = s->qtail = syn;
		s->nq = 1;
		e->st.queued_segs++;
		CNT(e, sess_syn_synth);
		sess_queue_data(e, s, m); /* consumes m, counted either way */
		if (s->state == SS_DEAD)
			return;
	}
	sess_send_syn(e, s);
	sess_arm_at(e, s, s->t_start + e->syn_ticks);
	return;
drop:
	rte_pktmbuf_free(m);
}

/* ------------------------------------------------------------------ */
/* Client dispatch. */

static bool
seg_sane(const struct dtc_sess_engine *e, const struct rte_mbuf *m, const struct dtc_seg *seg)
{
	return (seg->key.family == 4 || seg->key.family == 6) && seg->xfer < e->conf.n_xfer &&
		seg->tcp_hlen >= 20 && (seg->tcp_hlen & 3) == 0 &&
		rte_pktmbuf_pkt_len(m) == (uint32_t)seg->tcp_hlen + seg->payload_len &&
		rte_pktmbuf_data_len(m) >= seg->tcp_hlen &&
		!((seg->flags & DTC_TCP_SYN) && seg->payload_len != 0) &&
		rte_pktmbuf_headroom(m) >= 14 + 40;
}

static void
client_one(struct dtc_sess_engine *e, struct rte_mbuf *m)
{
	struct dtc_seg *seg = dtc_seg_of(m);
	struct dtc_sess *s;
	uint32_t idx, r;
	bool collision;
	int round;

	if (unlikely(seg->sflags & DTC_SEG_F_ONLINE)) {
		sess_cmp_online(e, m); /* consumes m; not a client segment */
		return;
	}
	CNT(e, seg_in);
	if (!seg_sane(e, m, seg)) {
		DROP(e, bad_segment);
		rte_pktmbuf_free(m);
		return;
	}
	for (round = 0; round < 3; round++) {
		collision = false;
		idx = table_lookup(e, &seg->key, seg->flow_hash);
		if (idx != SESS_NIL && e->s[idx].origin != seg->origin) {
			/* Another client holds this 4-tuple: this one's session, if any, lives at
			 * an alternate tuple.  An ended holder just gives the tuple up. */
			r = e->n_redirect != 0 ? redir_find(e, seg->origin) : SESS_NIL;
			if (r != SESS_NIL) {
				idx = r;
			} else if (e->s[idx].state == SS_DEAD) {
				sess_free(e, idx);
				idx = SESS_NIL;
			} else {
				idx = SESS_NIL;
				collision = true;
			}
		} else if (idx == SESS_NIL && e->n_redirect != 0) {
			idx = redir_find(e, seg->origin);
		}
		if (idx == SESS_NIL) {
			sess_start(e, m, collision);
			return;
		}
		s = &e->s[idx];
		if (s->state == SS_DEAD) {
			bool syn = (seg->flags & (DTC_TCP_SYN | DTC_TCP_ACK)) == DTC_TCP_SYN;
			bool far = seg->payload_len != 0 &&
				(SEQ_LT(seg->seq, s->iss - REUSE_HOP) ||
				 SEQ_GT(seg->seq, s->clt_nxt + REUSE_HOP));

			if (!syn && !far) {
				DROP(e, closed);
				rte_pktmbuf_free(m);
				return;
			}
			sess_free(e, idx); /* a new connection on the old 4-tuple */
			continue;
		}
		if (seg->flags & DTC_TCP_SYN) {
			if ((seg->flags & DTC_TCP_ACK) || seg->seq == s->iss) {
				DROP(e, duplicate);
				rte_pktmbuf_free(m);
				return;
			}
			/* Port reuse: the client opened a new connection on this 4-tuple. */
			sess_end(e, s, DTC_SESS_END_port_reuse, true);
			sess_free(e, idx);
			continue;
		}
		sess_client(e, m, idx);
		return;
	}
	DROP(e, bad_segment);
	rte_pktmbuf_free(m);
}

uint16_t
dtc_sess_client_burst(struct dtc_sess_engine *e, struct rte_mbuf **m, uint16_t n,
	uint64_t now_us)
{
	uint32_t hash[BULK], cand[BULK];
	uint16_t done;

	set_now(e, now_us);
	for (done = 0; done < n; ) {
		uint16_t k = RTE_MIN((uint16_t)(n - done), (uint16_t)BULK), i;
		struct rte_mbuf **b = m + done;

		for (i = 0; i < k; i++)
			rte_prefetch0(dtc_seg_of(b[i]));
		for (i = 0; i < k; i++)
			hash[i] = dtc_seg_of(b[i])->flow_hash;
		table_prefetch_burst(e, hash, k, cand);
		for (i = 0; i < k; i++)
			client_one(e, b[i]);
		done += k;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Response dispatch. */

static void
resp_unmatched(struct dtc_sess_engine *e, const struct dtc_resp *r, struct dtc_sess *dead)
{
	CNT(e, resp_unmatched);
	if (r->flags & DTC_TCP_RST)
		return;
	if (dead != NULL && (dead->fl & SF_FIN_SENT) && (dead->fl & SF_SRV_FIN)) {
		/* After a clean close, as TIME-WAIT: a repeated FIN or data (our last ACK was
		 * lost) is acknowledged again, a bare ACK is absorbed. */
		if (SEQ_LT(r->seq, dead->rcv_nxt) && (r->payload_len != 0 ||
				(r->flags & (DTC_TCP_FIN | DTC_TCP_SYN)))) {
			if (tx_ack(e, dead))
				CNT(e, acks_sent);
			return;
		}
		if (r->payload_len == 0 && !(r->flags & (DTC_TCP_FIN | DTC_TCP_SYN)))
			return;
	}
	tx_rst_unmatched(e, r);
}

uint16_t
dtc_sess_resp_burst(struct dtc_sess_engine *e, const struct dtc_resp *r, uint16_t n,
	uint64_t now_us)
{
	uint32_t hash[BULK], cand[BULK];
	uint16_t done;

	set_now(e, now_us);
	for (done = 0; done < n; ) {
		uint16_t k = RTE_MIN((uint16_t)(n - done), (uint16_t)BULK), i;
		const struct dtc_resp *b = r + done;

		for (i = 0; i < k; i++)
			hash[i] = dtc_flow_hash(&b[i].key, e->conf.seed);
		table_prefetch_burst(e, hash, k, cand);
		/* The acknowledged segment is freed: its mbuf went cold since it was sent. */
		for (i = 0; i < k; i++) {
			uint32_t idx = cand[i];

			if (idx != SESS_NIL && e->s[idx].qhead != NULL) {
				rte_prefetch0(e->s[idx].qhead);
				rte_prefetch0(dtc_seg_of(e->s[idx].qhead));
			}
		}
		for (i = 0; i < k; i++) {
			uint32_t idx = table_lookup(e, &b[i].key, hash[i]);

			CNT(e, resp_in);
			if (idx == SESS_NIL)
				resp_unmatched(e, &b[i], NULL);
			else if (e->s[idx].state == SS_DEAD)
				resp_unmatched(e, &b[i], &e->s[idx]);
			else
				sess_resp(e, &b[i], idx);
		}
		done += k;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Shutdown, stats, introspection. */

void
dtc_sess_close_all(struct dtc_sess_engine *e, uint64_t now_us)
{
	set_now(e, now_us);
	while (e->lru_head != SESS_NIL)
		sess_end(e, &e->s[e->lru_head], DTC_SESS_END_shutdown, true);
	while (e->dead_head != SESS_NIL)
		sess_free(e, e->dead_head);
	dtc_sess_flush(e);
}

void
dtc_sess_stats(const struct dtc_sess_engine *e, struct dtc_sess_stats *s)
{
	*s = e->st;
}

void
dtc_sess_stats_add(struct dtc_sess_stats *a, const struct dtc_sess_stats *b)
{
	unsigned int i;

	for (i = 0; i < DTC_SESS_C_MAX; i++)
		a->c[i] += b->c[i];
	for (i = 0; i < DTC_SESS_DROP_MAX; i++)
		a->drop[i] += b->drop[i];
	for (i = 0; i < DTC_SESS_END_MAX; i++)
		a->end[i] += b->end[i];
	for (i = 0; i < DTC_SESS_TXF_MAX; i++)
		a->txf[i] += b->txf[i];
	for (i = 0; i < DTC_RTT_BUCKETS; i++)
		a->rtt_hist[i] += b->rtt_hist[i];
	for (i = 0; i < DTC_HIST_BUCKETS; i++)
		a->lag_hist[i] += b->lag_hist[i];
	if (b->lag_max_us > a->lag_max_us)
		a->lag_max_us = b->lag_max_us;
	a->active += b->active;
	a->lingering += b->lingering;
	a->queued_segs += b->queued_segs;
	a->redirects += b->redirects;
}

uint64_t
dtc_hist_pct(const uint64_t *h, unsigned int n, double pct)
{
	uint64_t total = 0, rank, seen = 0;
	unsigned int b;

	for (b = 0; b < n; b++)
		total += h[b];
	if (total == 0)
		return 0;
	if (pct <= 0)
		rank = 1;
	else if (pct >= 100)
		rank = total;
	else
		rank = (uint64_t)((double)total * pct / 100.0 + 0.999999);
	if (rank == 0)
		rank = 1;
	for (b = 0; b < n; b++) {
		seen += h[b];
		if (seen >= rank)
			return dtc_hist_hi(b);
	}
	return dtc_hist_hi(n - 1);
}

static void
info_fill(const struct dtc_sess_engine *e, const struct dtc_sess *s, struct dtc_sess_info *i)
{
	memset(i, 0, sizeof(*i));
	i->key = s->key;
	i->origin = s->origin;
	i->state = s->state;
	i->queued = s->nq;
	i->iss = s->iss;
	i->snd_una = s->snd_una;
	i->snd_nxt = s->snd_nxt;
	i->snd_wnd = s->snd_wnd;
	i->rcv_nxt = s->rcv_nxt;
	i->clt_nxt = s->clt_nxt;
	i->srtt_us = s->srtt;
	i->rto_us = sess_rto_us(e, s);
	i->silence_us = (uint32_t)s->silence << 4;
	i->resp_end_us = resp_end_ticks(s) << TICK_SHIFT;
	i->snd_wscale = s->snd_ws;
	i->rcv_wscale = s->rcv_ws;
	i->ts = (s->fl & SF_TS) != 0;
	i->syn_synth = (s->fl & SF_SYN_SYNTH) != 0;
	i->fin_sent = (s->fl & SF_FIN_SENT) != 0;
	i->srv_fin = (s->fl & SF_SRV_FIN) != 0;
	i->redirected = (s->fl & SF_REDIRECT) != 0;
	i->rebuilt = (s->fl & SF_REBUILT) != 0;
	i->timer_armed = wheel_armed(&e->wheel, sess_idx(e, s));
	i->timer_us = (uint64_t)e->tn[sess_idx(e, s)].when << TICK_SHIFT;
}

int
dtc_sess_info(const struct dtc_sess_engine *e, const struct dtc_flow_key *k,
	struct dtc_sess_info *i)
{
	uint32_t idx = table_lookup(e, k, dtc_flow_hash(k, e->conf.seed));

	if (idx == SESS_NIL)
		return -ENOENT;
	info_fill(e, &e->s[idx], i);
	return 0;
}

unsigned int
dtc_sess_walk(const struct dtc_sess_engine *e, dtc_sess_walk_fn fn, void *arg)
{
	unsigned int n = 0;
	uint32_t idx;
	struct dtc_sess_info i;

	for (idx = e->lru_head; idx != SESS_NIL; idx = e->s[idx].lnext, n++)
		if (fn != NULL) {
			info_fill(e, &e->s[idx], &i);
			fn(arg, &i);
		}
	for (idx = e->dead_head; idx != SESS_NIL; idx = e->s[idx].lnext, n++)
		if (fn != NULL) {
			info_fill(e, &e->s[idx], &i);
			fn(arg, &i);
		}
	return n;
}

uint32_t
dtc_sess_timer_count(const struct dtc_sess_engine *e)
{
	return e->wheel.n_armed;
}
