/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Workload generator of the data-path benchmark: mirrored client frames and the test server's
 * response records, step by step, on a virtual clock.
 *
 * Established sessions (steady): each visit is one request of 64..512 payload bytes and, in
 * the same step (after the frames), the test server's answer to it: one record that
 * acknowledges the request and carries 100..1400 bytes of response.  Sessions are visited in
 * a fixed random order, one visit per session every SWEEP_NS of virtual time, so the next
 * request always comes after the previous response has ended (the copier's pacing) and the
 * copier's delayed ACK fires in between, as in real traffic.
 *
 * Short sessions (churn): SYN; after D1 the test server's SYN-ACK, the client's third ACK and
 * its request; after D2 the response and the client's FIN (which acknowledges the response,
 * so the copier holds it for the response's silence); after D3 the test server's FIN+ACK,
 * which the copier acknowledges, and the session is over.  A session whose SYN was missed
 * starts with its request (the copier makes a SYN up).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_tcp.h>

#include "bench.h"
#include "dtc_session.h"

#define SWEEP_NS 1000000ull          /* virtual time between two requests of a session */
#define SETUP_GROUP 16               /* sessions opened per setup step */
#define SETUP_DT_NS 1000ull
#define CHURN_PER_STEP 8             /* pure churn: 8 sessions x 4 frames = one burst */
#define CHURN_DT_NS 16000ull         /* ... every 16 us: 500 000 new sessions/s virtual */
#define D_HANDSHAKE_NS 64000ull      /* SYN -> SYN-ACK (and the client's RTT) */
#define D_REQUEST_NS 64000ull        /* request -> response */
#define D_CLOSE_NS 450000ull         /* response -> the test server's FIN (after our FIN) */
#define RESP_WIN 65535               /* the test server's window field (scaled by 7) */

static inline uint64_t
rnd(struct gen *g)
{
	/* xorshift64*: deterministic per worker, good enough for sizes and ISNs */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dull;
}

static inline uint16_t
req_len(struct gen *g)
{
	return (uint16_t)(64 + rnd(g) % 449);
}

static inline uint16_t
resp_len(struct gen *g)
{
	return (uint16_t)(100 + rnd(g) % 1301);
}

/*
 * Endpoint number n -> 198.19.(n / 64000).(...):1024 + n % 64000.  Only endpoints this worker
 * owns by the copier's own hash are used: each worker gets the traffic of its sessions, as
 * with one RSS queue per worker.
 */
static void
next_endpoint(struct gen *g, uint32_t *ctr, rte_be32_t *addr, rte_be16_t *port)
{
	for (;;) {
		uint32_t n = (*ctr)++;
		union dtc_addr a;
		rte_be16_t p = rte_cpu_to_be_16((uint16_t)(1024 + n % 64000));

		memset(&a, 0, sizeof(a));
		a.a32[0] = rte_cpu_to_be_32(0xc6130000u | ((n / 64000) & 0xffff));
		if (g->c.n_workers > 1 && dtc_sess_owner(dtc_endpoint_hash(&a, p, g->c.seed),
				g->c.n_workers) != g->c.lcore_idx)
			continue;
		*addr = a.a32[0];
		*port = p;
		return;
	}
}

static void
sess_new(struct gen *g, struct gsess *s, uint32_t *ctr)
{
	next_endpoint(g, ctr, &s->addr, &s->port);
	s->isn1 = (uint32_t)rnd(g) + 1;
	s->seq = s->isn1 - 1;
	s->ack = (uint32_t)rnd(g) + 1;       /* online server's ISN + 1 */
	s->srv = (uint32_t)rnd(g);           /* test server's ISN */
	s->ts = (uint32_t)rnd(g) >> 4;
	s->missed = (uint8_t)(rnd(g) % 100 < g->c.missed_pct);
}

/* ------------------------------------------------------------------ */
/* Chunks. */

int
chunk_init(struct chunk *ch, uint32_t steps)
{
	memset(ch, 0, sizeof(*ch));
	ch->cap_s = steps;
	ch->cap_f = steps * BENCH_BURST;
	ch->cap_r = steps * BENCH_BURST;
	ch->f = calloc(ch->cap_f, sizeof(*ch->f));
	ch->r = rte_zmalloc("dtcb_recs", sizeof(*ch->r) * ch->cap_r, RTE_CACHE_LINE_SIZE);
	ch->st = calloc(ch->cap_s, sizeof(*ch->st));
	ch->m = calloc(ch->cap_f, sizeof(*ch->m));
	if (ch->f == NULL || ch->r == NULL || ch->st == NULL || ch->m == NULL) {
		chunk_fini(ch);
		return -ENOMEM;
	}
	return 0;
}

void
chunk_fini(struct chunk *ch)
{
	free(ch->f);
	rte_free(ch->r);
	free(ch->st);
	free(ch->m);
	memset(ch, 0, sizeof(*ch));
}

void
chunk_reset(struct chunk *ch)
{
	ch->nf = ch->nr = ch->ns = 0;
}

static void
add_frame(struct chunk *ch, const struct gsess *s, uint8_t flags, uint32_t seq, uint32_t ack,
	uint16_t len)
{
	struct fdesc *d = &ch->f[ch->nf++];

	d->addr = s->addr;
	d->port = s->port;
	d->len = len;
	d->seq = seq;
	d->ack = ack;
	d->tsval = s->ts;
	d->tsecr = flags & DTC_TCP_ACK ? s->srv : 0;
	d->flags = flags;
	d->syn_opts = (flags & DTC_TCP_SYN) != 0;
}

static struct dtc_resp *
add_rec(struct gen *g, struct chunk *ch, const struct gsess *s, uint8_t flags, uint32_t seq,
	uint32_t ack, uint16_t len)
{
	struct dtc_resp *r = &ch->r[ch->nr++];

	memset(r, 0, sizeof(*r));
	r->key.family = 4;
	r->key.client.a32[0] = s->addr;
	r->key.client_port = s->port;
	r->key.server = g->c.target_addr;
	r->key.server_port = g->c.target_port;
	r->seq = seq;
	r->ack = ack;
	r->flags = flags;
	r->win = RESP_WIN;
	r->payload_len = len;
	r->wscale = DTC_WSCALE_NONE;
	r->opt = DTC_RESP_TS;
	r->tsval = (uint32_t)(g->vt_ns >> 10);
	return r;
}

static void
synack_rec(struct gen *g, struct chunk *ch, struct gsess *s)
{
	struct dtc_resp *r = add_rec(g, ch, s, DTC_TCP_SYN | DTC_TCP_ACK, s->srv, s->isn1, 0);

	r->wscale = 7;
	r->mss = 1460;
	s->srv++;
}

static void
end_step(struct gen *g, struct chunk *ch, uint64_t dt_ns)
{
	struct bstep *st = &ch->st[ch->ns++];

	st->f_end = ch->nf;
	st->r_end = ch->nr;
	st->now_us = g->vt_ns / 1000;
	g->vt_ns += dt_ns;
	g->step++;
}

/* ------------------------------------------------------------------ */
/* Established sessions. */

/* One request of an established session and the test server's answer to it. */
static void
steady_visit(struct gen *g, struct chunk *ch, struct gsess *s)
{
	uint16_t len = req_len(g), rlen = resp_len(g);

	s->ts++;
	add_frame(ch, s, DTC_TCP_ACK | DTC_TCP_PSH, s->seq, s->ack, len);
	s->seq += len;
	add_rec(g, ch, s, DTC_TCP_ACK | DTC_TCP_PSH, s->srv, s->seq, rlen);
	s->srv += rlen;
	s->ack += rlen;                      /* the client's next request acknowledges it */
	g->requests++;
}

/* A new client's first frame: its SYN, or its first request when the SYN was missed. */
static void
client_open(struct gen *g, struct chunk *ch, struct gsess *s, uint32_t *ctr)
{
	sess_new(g, s, ctr);
	if (s->missed) {
		uint16_t len = req_len(g);

		s->seq = s->isn1;
		add_frame(ch, s, DTC_TCP_ACK | DTC_TCP_PSH, s->seq, s->ack, len);
		s->seq += len;
	} else {
		add_frame(ch, s, DTC_TCP_SYN, s->seq, 0, 0);
		s->seq = s->isn1;
	}
}

static void
setup_open(struct gen *g, struct chunk *ch, struct gsess *s)
{
	client_open(g, ch, s, &g->ep_next);
}

/* Open the established population: per step, SYNs of a new group (or, for a missed SYN, its
 * first request) and their SYN-ACKs, the third ACKs of the previous group and the responses
 * to the previous group's first requests. */
bool
gen_setup_chunk(struct gen *g, struct chunk *ch)
{
	chunk_reset(ch);
	while (!g->setup_done && ch->ns < ch->cap_s) {
		uint32_t lo = g->setup_next, hi = RTE_MIN(lo + SETUP_GROUP, g->n_ss), i;

		if (lo == hi && g->setup_prev_lo == g->setup_prev_hi) {
			g->setup_done = true;
			g->vt_ns += 2 * SWEEP_NS; /* all idle a while before the first visit */
			break;
		}
		for (i = g->setup_prev_lo; i < g->setup_prev_hi; i++) {
			struct gsess *s = &g->ss[i];

			if (!s->missed) {
				s->ts++;
				add_frame(ch, s, DTC_TCP_ACK, s->seq, s->ack, 0);
			}
		}
		for (i = lo; i < hi; i++)
			setup_open(g, ch, &g->ss[i]);
		for (i = g->setup_prev_lo; i < g->setup_prev_hi; i++) {
			struct gsess *s = &g->ss[i];

			if (s->missed) {
				uint16_t rlen = resp_len(g);

				add_rec(g, ch, s, DTC_TCP_ACK | DTC_TCP_PSH, s->srv, s->seq, rlen);
				s->srv += rlen;
				s->ack += rlen;
			}
		}
		for (i = lo; i < hi; i++)
			synack_rec(g, ch, &g->ss[i]);
		g->setup_prev_lo = lo;
		g->setup_prev_hi = hi;
		g->setup_next = hi;
		end_step(g, ch, SETUP_DT_NS);
	}
	return ch->ns > 0;
}

/* ------------------------------------------------------------------ */
/* Short sessions. */

static inline void
fifo_push(struct gfifo *q, uint32_t slot, uint64_t due)
{
	q->slot[q->tail & q->mask] = slot;
	q->due[q->tail & q->mask] = due;
	q->tail++;
}

static inline bool
fifo_pop_due(struct gfifo *q, uint64_t now, uint32_t *slot)
{
	if (q->head == q->tail || q->due[q->head & q->mask] > now)
		return false;
	*slot = q->slot[q->head & q->mask];
	q->head++;
	return true;
}

static void
churn_start(struct gen *g, struct chunk *ch)
{
	struct gsess *s;
	uint32_t slot;

	if (g->n_cfree == 0) {
		g->exhausted++;
		return;
	}
	slot = g->cfree[--g->n_cfree];
	s = &g->cs[slot];
	client_open(g, ch, s, &g->ep_churn);
	fifo_push(&g->q[0], slot, g->step + g->d[0]);
	g->started++;
}

/* Handshake answered: SYN-ACK; the client's third ACK and request (already sent when its SYN
 * was missed). */
static void
churn_handshake(struct gen *g, struct chunk *ch, uint32_t slot)
{
	struct gsess *s = &g->cs[slot];

	if (!s->missed) {
		uint16_t len = req_len(g);

		s->ts++;
		add_frame(ch, s, DTC_TCP_ACK, s->seq, s->ack, 0);
		add_frame(ch, s, DTC_TCP_ACK | DTC_TCP_PSH, s->seq, s->ack, len);
		s->seq += len;
	}
	synack_rec(g, ch, s);
	fifo_push(&g->q[1], slot, g->step - g->d[0] + g->d[1]);
}

/* The response, and the client's FIN after it. */
static void
churn_respond(struct gen *g, struct chunk *ch, uint32_t slot)
{
	struct gsess *s = &g->cs[slot];
	uint16_t rlen = resp_len(g);

	s->ts++;
	add_frame(ch, s, DTC_TCP_FIN | DTC_TCP_ACK, s->seq, s->ack + rlen, 0);
	add_rec(g, ch, s, DTC_TCP_ACK | DTC_TCP_PSH, s->srv, s->seq, rlen);
	s->srv += rlen;
	s->ack += rlen;
	fifo_push(&g->q[2], slot, g->step - g->d[1] + g->d[2]);
}

/* The test server closes too (acknowledging our FIN). */
static void
churn_close(struct gen *g, struct chunk *ch, uint32_t slot)
{
	struct gsess *s = &g->cs[slot];

	add_rec(g, ch, s, DTC_TCP_FIN | DTC_TCP_ACK, s->srv, s->seq + 1, 0);
	g->cfree[g->n_cfree++] = slot;
	g->finished++;
}

/* Due events of short sessions, then the new ones of this step. */
static void
churn_step(struct gen *g, struct chunk *ch)
{
	uint32_t slot, k;

	while (fifo_pop_due(&g->q[2], g->step, &slot))
		churn_close(g, ch, slot);
	while (fifo_pop_due(&g->q[1], g->step, &slot))
		churn_respond(g, ch, slot);
	while (fifo_pop_due(&g->q[0], g->step, &slot))
		churn_handshake(g, ch, slot);
	g->churn_acc += g->churn_q16;
	for (k = g->churn_acc >> 16; k > 0; k--)
		churn_start(g, ch);
	g->churn_acc &= 0xffff;
}

void
gen_chunk(struct gen *g, struct chunk *ch)
{
	chunk_reset(ch);
	while (ch->ns < ch->cap_s) {
		uint32_t f0 = ch->nf, r0 = ch->nr, n = 0, i;

		if (g->churn_q16 != 0)
			churn_step(g, ch);
		if (g->n_ss != 0) {
			uint32_t used = RTE_MAX(ch->nf - f0, ch->nr - r0);

			n = used < BENCH_BURST ? BENCH_BURST - used : 0;
		}
		for (i = 0; i < n; i++) {
			steady_visit(g, ch, &g->ss[g->order[g->pos]]);
			if (++g->pos == g->n_ss)
				g->pos = 0;
		}
		end_step(g, ch, g->dt_ns);
	}
}

/* ------------------------------------------------------------------ */
/* Setup. */

static int
fifo_init(struct gfifo *q, uint32_t cap)
{
	uint32_t n = 1;

	while (n < cap)
		n <<= 1;
	q->slot = calloc(n, sizeof(*q->slot));
	q->due = calloc(n, sizeof(*q->due));
	q->mask = n - 1;
	q->head = q->tail = 0;
	return q->slot != NULL && q->due != NULL ? 0 : -ENOMEM;
}

static uint32_t
steps_for(uint64_t ns, uint64_t dt)
{
	return (uint32_t)((ns + dt - 1) / dt);
}

static int
churn_init(struct gen *g)
{
	uint32_t per_step = (g->churn_q16 + 0xffff) >> 16, i;

	g->d[0] = steps_for(D_HANDSHAKE_NS, g->dt_ns);
	g->d[1] = g->d[0] + steps_for(D_REQUEST_NS, g->dt_ns);
	g->d[2] = g->d[1] + steps_for(D_CLOSE_NS, g->dt_ns);
	g->n_cs = per_step * (g->d[2] + 2) + 64;
	g->cs = calloc(g->n_cs, sizeof(*g->cs));
	g->cfree = calloc(g->n_cs, sizeof(*g->cfree));
	if (g->cs == NULL || g->cfree == NULL)
		return -ENOMEM;
	for (i = 0; i < g->n_cs; i++)
		g->cfree[i] = g->n_cs - 1 - i;
	g->n_cfree = g->n_cs;
	for (i = 0; i < 3; i++)
		if (fifo_init(&g->q[i], g->n_cs) != 0)
			return -ENOMEM;
	return 0;
}

int
gen_init(struct gen *g, const struct gen_conf *c)
{
	uint32_t i;

	memset(g, 0, sizeof(*g));
	g->c = *c;
	g->rng = c->rng | 1;
	g->ep_churn = 64000u * 1024;         /* 198.19.4.0 up: never an established one */
	g->n_ss = c->wl == WL_CHURN ? 0 : c->sessions;
	g->setup_done = g->n_ss == 0;
	if (c->wl == WL_STEADY) {
		g->dt_ns = SWEEP_NS * BENCH_BURST / g->n_ss;
	} else if (c->wl == WL_CHURN) {
		g->dt_ns = CHURN_DT_NS;
		g->churn_q16 = CHURN_PER_STEP << 16;
	} else {
		/* churn_pct of the frames from short sessions (4 frames each) */
		g->churn_q16 = (uint32_t)(((uint64_t)BENCH_BURST * c->churn_pct << 16) / 400);
		g->dt_ns = SWEEP_NS * BENCH_BURST * (100 - c->churn_pct) / 100 / g->n_ss;
	}
	if (g->dt_ns == 0)
		g->dt_ns = 1;
	if (g->n_ss != 0) {
		g->ss = calloc(g->n_ss, sizeof(*g->ss));
		g->order = calloc(g->n_ss, sizeof(*g->order));
		if (g->ss == NULL || g->order == NULL)
			goto fail;
		for (i = 0; i < g->n_ss; i++)
			g->order[i] = i;
		/* a random visiting order: no cache-friendly sweep through the table */
		for (i = g->n_ss - 1; i > 0; i--) {
			uint32_t j = (uint32_t)(rnd(g) % (i + 1)), t = g->order[i];

			g->order[i] = g->order[j];
			g->order[j] = t;
		}
	}
	if (g->churn_q16 != 0 && churn_init(g) != 0)
		goto fail;
	g->vt_ns = 1000000;
	return 0;
fail:
	gen_fini(g);
	return -ENOMEM;
}

void
gen_fini(struct gen *g)
{
	unsigned int i;

	free(g->ss);
	free(g->order);
	free(g->cs);
	free(g->cfree);
	for (i = 0; i < 3; i++) {
		free(g->q[i].slot);
		free(g->q[i].due);
	}
	memset(g, 0, sizeof(*g));
}

/* ------------------------------------------------------------------ */
/* Frames. */

static void
build_frame(struct rte_mbuf *m, const struct fdesc *d, const struct frame_tmpl *t)
{
	unsigned int hl = d->syn_opts ? 40 : 32;
	uint16_t tot = (uint16_t)(14 + 20 + hl + d->len);
	uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, tot);
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)p;
	struct rte_ipv4_hdr *ih = (struct rte_ipv4_hdr *)(p + 14);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(p + 34);
	uint8_t *o = (uint8_t *)(th + 1);
	rte_be32_t tv = rte_cpu_to_be_32(d->tsval), te = rte_cpu_to_be_32(d->tsecr);

	eh->dst_addr = t->dst;
	eh->src_addr = t->src;
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memset(ih, 0, sizeof(*ih));
	ih->version_ihl = 0x45;
	ih->total_length = rte_cpu_to_be_16((uint16_t)(20 + hl + d->len));
	ih->packet_id = rte_cpu_to_be_16((uint16_t)d->seq);
	ih->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ih->time_to_live = 64;
	ih->next_proto_id = IPPROTO_TCP;
	ih->src_addr = d->addr;
	ih->dst_addr = t->online_addr;
	ih->hdr_checksum = rte_ipv4_cksum(ih);
	th->src_port = d->port;
	th->dst_port = t->online_port;
	th->sent_seq = rte_cpu_to_be_32(d->seq);
	th->recv_ack = rte_cpu_to_be_32(d->ack);
	th->data_off = (uint8_t)((hl / 4) << 4);
	th->tcp_flags = d->flags;
	th->rx_win = rte_cpu_to_be_16(d->syn_opts ? 64240 : 502);
	th->cksum = 0;
	th->tcp_urp = 0;
	if (d->syn_opts) {
		static const uint8_t head[8] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10 };
		static const uint8_t tail[4] = { 1, 3, 3, 7 };

		memcpy(o, head, 8);
		memcpy(o + 8, &tv, 4);
		memcpy(o + 12, &te, 4);
		memcpy(o + 16, tail, 4);
	} else {
		static const uint8_t head[4] = { 1, 1, 8, 10 };

		memcpy(o, head, 4);
		memcpy(o + 4, &tv, 4);
		memcpy(o + 8, &te, 4);
	}
	memset(p + 34 + hl, 'a' + (d->seq & 15), d->len);
	th->cksum = rte_ipv4_udptcp_cksum(ih, th);
	m->ol_flags = t->rx_csum ? RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD : 0;
}

int
chunk_build(struct chunk *ch, struct rte_mempool *mp, const struct frame_tmpl *t,
	uint16_t port)
{
	uint32_t i;

	if (ch->nf == 0)
		return 0;
	if (rte_pktmbuf_alloc_bulk(mp, ch->m, ch->nf) != 0)
		return -ENOMEM;
	for (i = 0; i < ch->nf; i++) {
		build_frame(ch->m[i], &ch->f[i], t);
		ch->m[i]->port = port;
	}
	return 0;
}
