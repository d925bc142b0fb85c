/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Randomized runs against a model test server.
 *
 * Thousands of generated client sessions (IPv4 and IPv6, random request and response sizes,
 * some with their SYN missed, captured segments reordered and duplicated) are fed to the
 * engine on a virtual clock.  Its frames reach a minimal TCP server over a link that loses
 * and reorders; the server answers each complete request with a response of the size the
 * online server sent, retransmits what is not acknowledged, closes when the client does,
 * and its segments come back as response records over a second lossy, reordering link.
 *
 * Checked: every captured request byte reaches the model server exactly once and in order
 * (it only accepts the next byte, and each byte's value); no request goes out before the
 * response to the previous one started; nothing beyond the server's window; every session
 * ends by a FIN exchange; every frame has valid checksums; all mbufs and sessions return.
 */

#include "scen.h"

#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)

#define MAX_SESS 4096
#define MAX_REQ 6
#define MAX_CONN (MAX_SESS * 2 + 64)
#define SRV_MSS 1448

/* ---- generated sessions ---- */

struct msess {
	struct h_conn c;
	unsigned int nreq;
	uint16_t req[MAX_REQ];
	uint32_t resp[MAX_REQ];
	uint32_t total_req;
	bool syn_missed;
	unsigned int conns;
	unsigned int complete;
};

/* ---- the model server's connections ---- */

enum { MC_SYNRCVD = 1, MC_ESTAB, MC_CLOSED };

struct mconn {
	struct dtc_flow_key k;
	int sess;
	uint8_t state;
	bool ts;
	int ws;                      /* our window scale (-1: none) */
	uint16_t win;                /* advertised, unscaled */
	uint32_t wnd_bytes;
	uint32_t irs, rcv_nxt;       /* client side */
	uint32_t got;                /* request bytes accepted */
	unsigned int req_done;       /* requests completely received */
	unsigned int resp_made;      /* responses generated */
	uint32_t iss, snd_una, snd_nxt, snd_end; /* our side; snd_end: data generated */
	bool fin_rcvd, fin_queued;
	uint32_t fin_seq;
	uint8_t dupacks;
	uint64_t rto_at;
	unsigned int backoff;
	bool timer_pending;
};

/* ---- events ---- */

enum { EV_CAPTURE = 1, EV_FRAME, EV_RECORD, EV_TIMER };

struct cap {
	int sess;
	uint8_t flags;
	uint32_t seq, ack;
	uint16_t len;
	uint32_t tsval;
};

struct ev {
	uint64_t t;
	uint64_t n;
	uint8_t type;
	union {
		struct cap cap;
		struct h_frame fr;
		struct dtc_resp rec;
		int conn;
	} u;
};

struct world {
	struct h_ctx h;
	struct msess *s;
	unsigned int ns;
	struct mconn *mc;
	unsigned int nmc;
	struct ev *heap;
	size_t nheap, capheap;
	uint64_t evn;
	unsigned int loss_pct, multiply;
	bool no_wait;
	/* findings */
	unsigned int bad_bytes, beyond_window, early_requests, rsts_seen, frames, lost;
	uint32_t isn_index_mask;
	int *isn_index;
};

static struct world W;

static bool
ev_before(const struct ev *a, const struct ev *b)
{
	return a->t < b->t || (a->t == b->t && a->n < b->n);
}

static void
ev_push(const struct ev *e)
{
	size_t i;

	if (W.nheap == W.capheap) {
		W.capheap = W.capheap ? W.capheap * 2 : 4096;
		W.heap = realloc(W.heap, W.capheap * sizeof(*W.heap));
	}
	i = W.nheap++;
	W.heap[i] = *e;
	W.heap[i].n = W.evn++;
	while (i > 0 && ev_before(&W.heap[i], &W.heap[(i - 1) / 2])) {
		struct ev t = W.heap[i];

		W.heap[i] = W.heap[(i - 1) / 2];
		W.heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void
ev_pop(struct ev *out)
{
	size_t i = 0;

	*out = W.heap[0];
	W.heap[0] = W.heap[--W.nheap];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct ev t;

		if (l < W.nheap && ev_before(&W.heap[l], &W.heap[m]))
			m = l;
		if (r < W.nheap && ev_before(&W.heap[r], &W.heap[m]))
			m = r;
		if (m == i)
			break;
		t = W.heap[i];
		W.heap[i] = W.heap[m];
		W.heap[m] = t;
		i = m;
	}
}

/* A link: 40 us, and now and then a packet up to 60 us late (so it may overtake). */
static uint64_t
link_delay(void)
{
	return 40 + (dtc_rand_range(100) < 2 ? dtc_rand_range(60) : 0);
}

/* ---- the model server ---- */

static int
sess_of_isn(uint32_t isn)
{
	uint32_t i = (isn * 2654435761u) & W.isn_index_mask;

	while (W.isn_index[i] >= 0) {
		if (W.s[W.isn_index[i]].c.iss == isn)
			return W.isn_index[i];
		i = (i + 1) & W.isn_index_mask;
	}
	return -1;
}

static struct mconn *
conn_find(const struct dtc_flow_key *k)
{
	unsigned int i;

	/* Few connections are open at a time; search from the newest. */
	for (i = W.nmc; i-- > 0; )
		if (W.mc[i].state != MC_CLOSED && memcmp(&W.mc[i].k, k, sizeof(*k)) == 0)
			return &W.mc[i];
	return NULL;
}

static void
srv_send(struct mconn *c, uint8_t flags, uint32_t seq, uint16_t len)
{
	struct ev e;

	memset(&e, 0, sizeof(e));
	e.type = EV_RECORD;
	e.t = W.h.now + link_delay();
	e.u.rec.key = c->k;
	e.u.rec.seq = seq;
	e.u.rec.ack = c->rcv_nxt;
	e.u.rec.win = c->win;
	e.u.rec.payload_len = len;
	e.u.rec.flags = flags;
	e.u.rec.wscale = DTC_WSCALE_NONE;
	if (flags & DTC_TCP_SYN) {
		e.u.rec.mss = SRV_MSS;
		if (c->ws >= 0)
			e.u.rec.wscale = (uint8_t)c->ws;
	}
	if (c->ts) {
		e.u.rec.opt = DTC_RESP_TS;
		e.u.rec.tsval = (uint32_t)(W.h.now / 1000);
	}
	if (dtc_rand_range(100) < W.loss_pct) {
		W.lost++;
		return;
	}
	ev_push(&e);
}

static void
srv_arm(struct mconn *c)
{
	struct ev e;

	c->rto_at = W.h.now + (5000ull << RTE_MIN(c->backoff, 8u));
	if (c->timer_pending)
		return;
	c->timer_pending = true;
	memset(&e, 0, sizeof(e));
	e.type = EV_TIMER;
	e.t = c->rto_at;
	e.u.conn = (int)(c - W.mc);
	ev_push(&e);
}

/* Send what is generated and not sent yet (response data, then our FIN). */
static void
srv_push(struct mconn *c)
{
	while (SEQ_LT(c->snd_nxt, c->snd_end)) {
		uint32_t n = RTE_MIN((uint32_t)SRV_MSS, c->snd_end - c->snd_nxt);

		srv_send(c, DTC_TCP_ACK | DTC_TCP_PSH, c->snd_nxt, (uint16_t)n);
		c->snd_nxt += n;
	}
	if (c->fin_queued && c->snd_nxt == c->fin_seq) {
		srv_send(c, DTC_TCP_ACK | DTC_TCP_FIN, c->snd_nxt, 0);
		c->snd_nxt = c->fin_seq + 1;
	}
	if (c->snd_una != c->snd_nxt)
		srv_arm(c);
}

static void
srv_make_responses(struct mconn *c)
{
	struct msess *s = &W.s[c->sess];

	while (c->resp_made < c->req_done) {
		c->snd_end += s->resp[c->resp_made];
		if (c->fin_queued)
			c->fin_seq = c->snd_end;
		c->resp_made++;
	}
}

static void
srv_frame(const struct h_frame *f)
{
	struct dtc_flow_key k;
	struct mconn *c;
	struct msess *s;
	uint32_t end;

	memset(&k, 0, sizeof(k));
	k.family = f->family;
	k.client = f->src;
	k.server = f->dst;
	k.client_port = htons(f->sport);
	k.server_port = htons(f->dport);
	c = conn_find(&k);
	if (f->flags & DTC_TCP_RST) {
		W.rsts_seen++;
		if (getenv("MODEL_TRACE") != NULL)
			fprintf(stderr, "t=%" PRIu64 " RST seq %u ack %u port %u: conn %s state %d "
				"snd_una %u snd_nxt %u fin_seq %u fin_rcvd %d rcv_nxt %u got %u/%u\n",
				W.h.now, f->seq, f->ack, f->sport, c ? "yes" : "no",
				c ? c->state : -1, c ? c->snd_una : 0, c ? c->snd_nxt : 0,
				c ? c->fin_seq : 0, c ? c->fin_rcvd : 0, c ? c->rcv_nxt : 0,
				c ? c->got : 0, c ? W.s[c->sess].total_req : 0);
		if (c != NULL)
			c->state = MC_CLOSED;
		return;
	}
	if (f->flags & DTC_TCP_SYN) {
		int si = sess_of_isn(f->seq);

		if (c != NULL) {
			if (c->state == MC_SYNRCVD && f->seq + 1 == c->rcv_nxt)
				srv_send(c, DTC_TCP_SYN | DTC_TCP_ACK, c->iss, 0);
			return;
		}
		CHECKF(si >= 0, "SYN with unknown ISN %u", f->seq);
		if (si < 0 || W.nmc == MAX_CONN)
			return;
		c = &W.mc[W.nmc++];
		memset(c, 0, sizeof(*c));
		c->k = k;
		c->sess = si;
		c->state = MC_SYNRCVD;
		c->ts = f->has_ts;
		c->irs = f->seq;
		c->rcv_nxt = f->seq + 1;
		c->iss = (uint32_t)dtc_rand();
		c->snd_una = c->iss;
		c->snd_nxt = c->iss + 1;
		c->snd_end = c->iss + 1;
		/* A fifth of the connections with a small, unscaled window. */
		if (dtc_rand_range(5) == 0 || f->wscale < 0) {
			c->ws = -1;
			c->win = (uint16_t)(3000 + dtc_rand_range(20000));
			c->wnd_bytes = c->win;
		} else {
			c->ws = 7;
			c->win = 8192;
			c->wnd_bytes = 8192u << 7;
		}
		W.s[si].conns++;
		srv_send(c, DTC_TCP_SYN | DTC_TCP_ACK, c->iss, 0);
		srv_arm(c);
		return;
	}
	if (c == NULL)
		return; /* late segment of a closed connection */
	s = &W.s[c->sess];
	if ((f->flags & DTC_TCP_ACK) && SEQ_GT(f->ack, c->snd_una) &&
			SEQ_LEQ(f->ack, c->snd_nxt)) {
		c->snd_una = f->ack;
		c->dupacks = 0;
		c->backoff = 0;
		if (c->state == MC_SYNRCVD)
			c->state = MC_ESTAB;
		if (c->fin_queued && c->snd_una == c->fin_seq + 1 && c->fin_rcvd) {
			c->state = MC_CLOSED;
			s->complete += c->got == s->total_req;
			CHECKF(c->got == s->total_req, "session %d: %u of %u bytes", c->sess, c->got,
				s->total_req);
			return;
		}
	} else if ((f->flags & DTC_TCP_ACK) && f->ack == c->snd_una && f->payload_len == 0 &&
			c->snd_una != c->snd_nxt && !(f->flags & DTC_TCP_FIN)) {
		if (++c->dupacks == 3) {
			uint32_t n = RTE_MIN((uint32_t)SRV_MSS, c->snd_end - c->snd_una);

			if (SEQ_LT(c->snd_una, c->snd_end))
				srv_send(c, DTC_TCP_ACK | DTC_TCP_PSH, c->snd_una, (uint16_t)n);
		}
	}
	if (c->state == MC_SYNRCVD)
		return;
	end = f->seq + f->payload_len;
	if (f->payload_len != 0) {
		if (SEQ_GT(end, c->rcv_nxt + c->wnd_bytes) &&
				SEQ_LEQ(f->seq, c->rcv_nxt))
			W.beyond_window++;
		if (f->seq == c->rcv_nxt && !c->fin_rcvd) {
			uint32_t off = f->seq - (c->irs + 1), cum = 0;
			unsigned int r;

			if (!f->pat_ok)
				W.bad_bytes++;
			/* Pacing: the first byte of request r (r > 0) after response r-1 began. */
			for (r = 0; r < s->nreq; r++) {
				if (off == cum && r > 0 && !W.no_wait && s->resp[r - 1] != 0 &&
						c->resp_made < r)
					W.early_requests++;
				cum += s->req[r];
			}
			c->rcv_nxt = end;
			c->got += f->payload_len;
			/* Requests now complete. */
			cum = 0;
			c->req_done = 0;
			for (r = 0; r < s->nreq; r++) {
				cum += s->req[r];
				if (c->got >= cum)
					c->req_done = r + 1;
			}
			srv_make_responses(c);
		}
		srv_send(c, DTC_TCP_ACK, c->snd_nxt, 0);
	}
	if ((f->flags & DTC_TCP_FIN) && f->seq + f->payload_len == c->rcv_nxt && !c->fin_rcvd) {
		c->fin_rcvd = true;
		c->rcv_nxt++;
		c->fin_queued = true;
		c->fin_seq = c->snd_end;
		srv_send(c, DTC_TCP_ACK, c->snd_nxt, 0);
	} else if ((f->flags & DTC_TCP_FIN) && c->fin_rcvd) {
		srv_send(c, DTC_TCP_ACK, c->snd_nxt, 0);
	} else if (f->payload_len == 0 && SEQ_LT(f->seq, c->rcv_nxt) &&
			!(f->flags & DTC_TCP_FIN)) {
		srv_send(c, DTC_TCP_ACK, c->snd_nxt, 0); /* window probe */
	}
	srv_push(c);
}

static void
srv_timer(struct mconn *c)
{
	c->timer_pending = false;
	if (c->state == MC_CLOSED || c->snd_una == c->snd_nxt)
		return;
	if (W.h.now < c->rto_at) {
		srv_arm(c);
		return;
	}
	c->backoff++;
	if (c->state == MC_SYNRCVD) {
		srv_send(c, DTC_TCP_SYN | DTC_TCP_ACK, c->iss, 0);
	} else {
		/* Go back to the first unacknowledged byte. */
		c->snd_nxt = c->snd_una;
		if (c->fin_queued && c->snd_una == c->fin_seq + 1)
			return;
		srv_push(c);
	}
	srv_arm(c);
}

/* ---- the engine side ---- */

static void
sink(void *arg, unsigned int eng, struct rte_mbuf *m)
{
	uint8_t buf[2048];
	const uint8_t *p = rte_pktmbuf_read(m, 0, RTE_MIN(m->pkt_len, (uint32_t)sizeof(buf)),
		buf);
	struct ev e;

	(void)arg;
	(void)eng;
	memset(&e, 0, sizeof(e));
	W.frames++;
	if (p == NULL || !h_read_frame(p, m->pkt_len, &e.u.fr)) {
		CHECKF(false, "%s", "unreadable frame");
	} else {
		CHECK(e.u.fr.tcp_csum_ok && e.u.fr.ip_csum_ok);
		if (dtc_rand_range(100) < W.loss_pct) {
			W.lost++;
		} else {
			e.type = EV_FRAME;
			e.t = W.h.now + link_delay();
			ev_push(&e);
		}
	}
	rte_pktmbuf_free(m);
}

static void
capture(struct msess *s, int si, uint64_t t, uint8_t flags, uint32_t seq, uint32_t ack,
	uint16_t len, uint32_t ts)
{
	struct ev e;

	memset(&e, 0, sizeof(e));
	e.type = EV_CAPTURE;
	e.t = t;
	e.u.cap.sess = si;
	e.u.cap.flags = flags;
	e.u.cap.seq = seq;
	e.u.cap.ack = ack;
	e.u.cap.len = len;
	e.u.cap.tsval = ts;
	/* Mirror reordering: now and then a segment is late by up to 150 us.  Not the first
	 * one of a session whose SYN is missed: that one is where its copy starts (what came
	 * before the capture began is not there to copy). */
	if (dtc_rand_range(100) < 3 && !(s->syn_missed && seq == s->c.iss + 1))
		e.t += dtc_rand_range(150);
	ev_push(&e);
	/* Client retransmission (a duplicate) a little later. */
	if (len != 0 && dtc_rand_range(100) < 2) {
		e.t += 200 + dtc_rand_range(2000);
		ev_push(&e);
	}
}

static void
gen_params(int si)
{
	struct msess *s = &W.s[si];
	unsigned int r;

	memset(s, 0, sizeof(*s));
	h_conn_init(&s->c, dtc_rand_range(3) == 0 ? 6 : 4, (uint16_t)(1024 + si * 13 % 60000));
	s->c.caddr.a8[s->c.family == 4 ? 3 : 15] = (uint8_t)(si & 0xff);
	s->c.caddr.a8[s->c.family == 4 ? 2 : 14] = (uint8_t)(si >> 8);
	s->c.ts = dtc_rand_range(4) != 0;
	s->c.wscale = dtc_rand_range(4) == 0 ? -1 : 7;
	s->nreq = 1 + dtc_rand_range(MAX_REQ);
	for (r = 0; r < s->nreq; r++) {
		s->req[r] = (uint16_t)(1 + dtc_rand_range(dtc_rand_range(4) == 0 ? 6000 : 800));
		s->resp[r] = dtc_rand_range(5) == 0 ? 0 : 1 + dtc_rand_range(8000);
		s->total_req += s->req[r];
	}
	s->syn_missed = dtc_rand_range(20) == 0;
	/* Unique client ISNs: the model server tells sessions apart by them. */
	while (sess_of_isn(s->c.iss) >= 0)
		s->c.iss++;
	{
		uint32_t j = (s->c.iss * 2654435761u) & W.isn_index_mask;

		while (W.isn_index[j] >= 0)
			j = (j + 1) & W.isn_index_mask;
		W.isn_index[j] = si;
	}
}

/* What the mirror shows of the session: handshake, requests (ACKing the online server's
 * answers), the client's ACKs of those answers, FIN, last ACK. */
static void
gen_captures(int si, uint64_t start)
{
	struct msess *s = &W.s[si];
	uint32_t seq, online, ts;
	uint64_t t = start;
	unsigned int r;

	ts = s->c.tsval;
	seq = s->c.iss + 1;
	online = s->c.irs + 1;
	if (!s->syn_missed) {
		capture(s, si, t, DTC_TCP_SYN, s->c.iss, 0, 0, ts);
		t += 50 + dtc_rand_range(400);
		capture(s, si, t, DTC_TCP_ACK, seq, online, 0, ++ts);
	}
	for (r = 0; r < s->nreq; r++) {
		uint32_t left = s->req[r];

		t += 10 + dtc_rand_range(50);
		while (left > 0) {
			uint16_t n = (uint16_t)RTE_MIN(left, dtc_rand_range(3) == 0 ?
				1 + dtc_rand_range(1448) : 1448u);

			capture(s, si, t, DTC_TCP_ACK | DTC_TCP_PSH, seq, online, n, ++ts);
			seq += n;
			left -= n;
			t += 5 + dtc_rand_range(30);
		}
		online += s->resp[r];
		t += 500 + dtc_rand_range(3000);
		if (s->resp[r] != 0)
			capture(s, si, t, DTC_TCP_ACK, seq, online, 0, ++ts);
	}
	capture(s, si, t + 100, DTC_TCP_FIN | DTC_TCP_ACK, seq, online, 0, ++ts);
	capture(s, si, t + 400, DTC_TCP_ACK, seq + 1, online + 1, 0, ++ts);
}

static int trace_port = -1;

static void
deliver(const struct ev *e)
{
	if (trace_port >= 0) {
		if (e->type == EV_FRAME && e->u.fr.sport == trace_port)
			fprintf(stderr, "t=%" PRIu64 " ->srv flags %#x seq %u ack %u len %u\n",
				W.h.now, e->u.fr.flags, e->u.fr.seq, e->u.fr.ack, e->u.fr.payload_len);
		if (e->type == EV_RECORD && ntohs(e->u.rec.key.client_port) == trace_port)
			fprintf(stderr, "t=%" PRIu64 " <-srv flags %#x seq %u ack %u len %u\n",
				W.h.now, e->u.rec.flags, e->u.rec.seq, e->u.rec.ack,
				e->u.rec.payload_len);
		if (e->type == EV_CAPTURE && W.s[e->u.cap.sess].c.cport == trace_port)
			fprintf(stderr, "t=%" PRIu64 " capture flags %#x seq %u ack %u len %u\n",
				W.h.now, e->u.cap.flags, e->u.cap.seq, e->u.cap.ack, e->u.cap.len);
	}
	switch (e->type) {
	case EV_CAPTURE: {
		const struct cap *c = &e->u.cap;

		/* Half of the sessions arrive with a NIC-verified checksum. */
		W.h.rx_csum_good = (c->sess & 1) != 0;
		h_clt_ts(&W.h, &W.s[c->sess].c, c->flags, c->seq, c->ack, c->len, c->tsval);
		break;
	}
	case EV_FRAME:
		srv_frame(&e->u.fr);
		break;
	case EV_RECORD: {
		unsigned int w = dtc_sess_resp_owner(&e->u.rec, W.h.conf.seed,
			(uint16_t)W.h.n_eng);

		dtc_sess_resp_burst(W.h.eng[w], &e->u.rec, 1, W.h.now);
		h_flush(&W.h);
		break;
	}
	case EV_TIMER:
		srv_timer(&W.mc[e->u.conn]);
		break;
	}
}

static void
run_world(const char *name, unsigned int nsess, unsigned int n_eng, unsigned int multiply,
	bool with_pool, unsigned int loss_pct, bool no_wait)
{
	struct dtc_sess_stats st;
	char err[128];
	unsigned int i, complete = 0, conns = 0;
	uint64_t until;

	dtc_check_case = name;
	memset(&W, 0, sizeof(W));
	W.ns = nsess;
	W.loss_pct = loss_pct;
	W.multiply = multiply;
	W.no_wait = no_wait;
	W.s = calloc(nsess, sizeof(*W.s));
	W.mc = calloc(MAX_CONN, sizeof(*W.mc));
	W.isn_index_mask = 16383;
	W.isn_index = malloc((W.isn_index_mask + 1) * sizeof(int));
	memset(W.isn_index, 0xff, (W.isn_index_mask + 1) * sizeof(int));
	h_init(&W.h);
	W.h.conf.max_sessions = 8192;
	W.h.conf.max_seg_total = 12000;
	W.h.conf.multiply = (uint16_t)multiply;
	W.h.conf.no_wait = no_wait;
	W.h.conf.linger_ms = 500;
	if (with_pool)
		CHECK_EQ(dtc_pool_parse("198.18.200.0/24,2001:db8:200::/120", W.h.xfer, W.h.n_xfer,
			&W.h.pool, err, sizeof(err)), 0);
	h_start(&W.h, n_eng);
	W.h.sink = sink;
	for (i = 0; i < nsess; i++)
		gen_params((int)i);
	/* Sessions start over two seconds. */
	for (i = 0; i < nsess; i++)
		gen_captures((int)i, W.h.now + 1000 + (uint64_t)i * 2000000 / nsess);
	/* Virtual time: events in order, the engine's timers every 32 us in between. */
	until = W.h.now + 60000000;
	while (W.h.now < until) {
		uint64_t next = W.h.now + 32;

		while (W.nheap > 0 && W.heap[0].t <= W.h.now) {
			struct ev e;

			ev_pop(&e);
			deliver(&e);
		}
		if (W.nheap == 0) {
			h_stats(&W.h, &st);
			if (st.active == 0 && st.lingering == 0)
				break;
			next = W.h.now + 10000;
		} else if (W.heap[0].t > next + 100000) {
			next = W.heap[0].t; /* nothing for a while: jump (timers run at each step) */
			if (next > W.h.now + 5000)
				next = W.h.now + 5000;
		}
		h_tick(&W.h, next - W.h.now);
	}
	h_stats(&W.h, &st);
	for (i = 0; i < nsess; i++) {
		complete += W.s[i].complete;
		conns += W.s[i].conns;
		if (W.s[i].complete != multiply && complete < 3 * multiply + 100)
			fprintf(stderr, "session %u (v%u, %u requests, syn %s): %u of %u copies"
				" complete, %u connections\n", i, W.s[i].c.family, W.s[i].nreq,
				W.s[i].syn_missed ? "missed" : "seen", W.s[i].complete, multiply,
				W.s[i].conns);
	}
	printf("%s: %u sessions x %u, %u frames, %u lost on the links, %" PRIu64
		" retransmitted, %" PRIu64 " fast, %" PRIu64 " dup drops, %" PRIu64
		" collisions, simulated %.2f s\n", name, nsess, multiply, W.frames, W.lost,
		st.c[DTC_SESS_C_seg_retrans], st.c[DTC_SESS_C_seg_fast_retrans],
		st.drop[DTC_SESS_DROP_duplicate], st.c[DTC_SESS_C_sess_collisions],
		(double)(W.h.now - 1000000000) / 1e6);
	for (i = 0; i < DTC_SESS_END_MAX; i++)
		if (st.end[i] != 0)
			printf("  end %s: %" PRIu64 "\n", dtc_sess_end_name(i), st.end[i]);
	for (i = 0; i < DTC_SESS_DROP_MAX; i++)
		if (st.drop[i] != 0)
			printf("  drop %s: %" PRIu64 "\n", dtc_sess_drop_name(i), st.drop[i]);
	for (i = 0; i < DTC_SESS_C_MAX; i++)
		if (getenv("MODEL_VERBOSE") != NULL)
			printf("  %s: %" PRIu64 "\n", dtc_sess_counter_name(i), st.c[i]);
	CHECK_EQ(complete, nsess * multiply);
	CHECK_EQ(conns, nsess * multiply);
	CHECK_EQ(W.bad_bytes, 0);
	CHECK_EQ(W.beyond_window, 0);
	CHECK_EQ(W.early_requests, 0);
	CHECK_EQ(W.rsts_seen, 0);
	CHECK_EQ(st.active, 0);
	CHECK_EQ(st.c[DTC_SESS_C_sess_created], (uint64_t)nsess * multiply);
	CHECK_EQ(st.end[DTC_SESS_END_fin], (uint64_t)nsess * multiply);
	CHECK_EQ(st.c[DTC_SESS_C_sess_rebuilt], 0);
	CHECK_EQ(st.drop[DTC_SESS_DROP_no_mbuf] + st.drop[DTC_SESS_DROP_table_full] +
		st.drop[DTC_SESS_DROP_engine_full] + st.drop[DTC_SESS_DROP_session_full] +
		st.drop[DTC_SESS_DROP_bad_segment] + st.drop[DTC_SESS_DROP_collision], 0);
	CHECK_EQ(st.txf[DTC_SESS_TXF_no_mbuf] + st.txf[DTC_SESS_TXF_tx_full], 0);
	W.h.sink = NULL;
	h_fini(&W.h);
	free(W.s);
	free(W.mc);
	free(W.heap);
	free(W.isn_index);
}

int
main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 1000;
	/* MODEL_SEED explores other runs (the suite uses the fixed ones below). */
	uint64_t x = getenv("MODEL_SEED") != NULL ? strtoull(getenv("MODEL_SEED"), NULL, 0) : 0;

	h_eal_pool("model", 16384);
	if (getenv("MODEL_TRACE_PORT") != NULL)
		trace_port = atoi(getenv("MODEL_TRACE_PORT"));
	dtc_rng = 0x5eed0001 ^ (x * 0x9e3779b97f4a7c15ull);
	run_world("model", n, 1, 1, false, 1, false);
	dtc_rng = 0x5eed0002 ^ (x * 0x9e3779b97f4a7c15ull);
	run_world("model_lossy", n / 2, 1, 1, false, 4, false);
	dtc_rng = 0x5eed0003 ^ (x * 0x9e3779b97f4a7c15ull);
	run_world("model_n2_pool_2workers", n / 2, 2, 2, true, 1, false);
	dtc_rng = 0x5eed0004 ^ (x * 0x9e3779b97f4a7c15ull);
	run_world("model_W", n / 3, 1, 1, false, 2, true);
	return dtc_check_end("session_model");
}
