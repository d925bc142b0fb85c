/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Route table: full 4-tuple -> copier connection, and the hold queue of early SYN-ACK/RST
 * records.  Both are fixed pools sized at start, hashed by CRC32C with a random seed, with
 * chains of pool indices.  Routes sit on a recency list (least recently used first): aging
 * and eviction both take from its head in O(1), and since the clock only moves forward the
 * list is also sorted by last use.  Each route also sits on its connection's list, so a
 * closing connection drops its routes without a scan.  Pool slots are handed out from a high
 * water mark before the free list, so memory is only touched as the table fills.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "intercept.h"

#define NIL UINT32_MAX

const char *const icpt_rt_stat_names[ICPT_RT_STAT_MAX] = {
#define ICPT_RT_NAME(n, s) #n,
	ICPT_RT_STATS(ICPT_RT_NAME)
#undef ICPT_RT_NAME
};

struct rt_route {
	struct dtc_flow_key key;
	uint64_t last_us;
	uint32_t hnext;              /* hash chain, or free list */
	uint32_t prev, next;         /* recency list */
	uint32_t cprev, cnext;       /* connection's list */
	uint32_t conn;
};

struct rt_held {
	struct dtc_flow_key key;
	uint8_t rec[DTC_V2_REC_MAX];
	uint16_t len;
	uint64_t t_us;
	uint32_t hnext;              /* hash chain in arrival order, or free list */
	uint32_t prev, next;         /* arrival order */
};

/* A pool of fixed-size slots: [0, used) handed out once, then the free list. */
struct rt_pool {
	uint32_t cap, used, free, n;
};

struct icpt_rt {
	uint32_t seed;
	uint64_t timeout_us;
	uint32_t max_conns;
	/* routes */
	struct rt_pool rp;
	uint32_t rmask;
	uint32_t *rbucket;
	struct rt_route *r;
	uint32_t lru_head, lru_tail;
	uint32_t *chead;             /* per connection */
	uint32_t *ccount;
	/* held records */
	struct rt_pool hp;
	uint32_t hmask;
	uint32_t *hbucket;
	struct rt_held *h;
	uint32_t fifo_head, fifo_tail;
	uint64_t stats[ICPT_RT_STAT_MAX];
};

static uint32_t
pow2_at_least(uint32_t n)
{
	uint32_t p = 1;

	while (p < n && p < (1u << 31))
		p <<= 1;
	return p;
}

static uint32_t
pool_get(struct rt_pool *p, uint32_t *next_of_free)
{
	uint32_t i;

	if (p->free != NIL) {
		i = p->free;
		p->free = *next_of_free;
	} else if (p->used < p->cap) {
		i = p->used++;
	} else {
		return NIL;
	}
	p->n++;
	return i;
}

struct icpt_rt *
icpt_rt_create(uint32_t cap, uint32_t hold_cap, uint32_t max_conns, uint64_t timeout_us,
	uint32_t seed)
{
	struct icpt_rt *t;
	uint32_t nb = pow2_at_least(cap), nh = pow2_at_least(hold_cap);

	if (cap == 0 || hold_cap == 0 || max_conns == 0 || cap >= NIL / 2 || hold_cap >= NIL / 2) {
		rte_errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		goto nomem;
	t->seed = seed;
	t->timeout_us = timeout_us;
	t->max_conns = max_conns;
	t->rp = (struct rt_pool){ .cap = cap, .free = NIL };
	t->hp = (struct rt_pool){ .cap = hold_cap, .free = NIL };
	t->rmask = nb - 1;
	t->hmask = nh - 1;
	/* calloc: pages are only touched as the table fills. */
	t->r = calloc(cap, sizeof(*t->r));
	t->h = calloc(hold_cap, sizeof(*t->h));
	t->rbucket = malloc(sizeof(uint32_t) * nb);
	t->hbucket = malloc(sizeof(uint32_t) * nh);
	t->chead = malloc(sizeof(uint32_t) * max_conns);
	t->ccount = calloc(max_conns, sizeof(uint32_t));
	if (t->r == NULL || t->h == NULL || t->rbucket == NULL || t->hbucket == NULL ||
			t->chead == NULL || t->ccount == NULL) {
		icpt_rt_free(t);
		goto nomem;
	}
	memset(t->rbucket, 0xff, sizeof(uint32_t) * nb);
	memset(t->hbucket, 0xff, sizeof(uint32_t) * nh);
	memset(t->chead, 0xff, sizeof(uint32_t) * max_conns);
	t->lru_head = t->lru_tail = NIL;
	t->fifo_head = t->fifo_tail = NIL;
	return t;
nomem:
	rte_errno = ENOMEM;
	return NULL;
}

void
icpt_rt_free(struct icpt_rt *t)
{
	if (t == NULL)
		return;
	free(t->r);
	free(t->h);
	free(t->rbucket);
	free(t->hbucket);
	free(t->chead);
	free(t->ccount);
	free(t);
}

static inline uint32_t *
rbucket_of(struct icpt_rt *t, const struct dtc_flow_key *k)
{
	return &t->rbucket[dtc_flow_hash(k, t->seed) & t->rmask];
}

static inline uint32_t *
hbucket_of(struct icpt_rt *t, const struct dtc_flow_key *k)
{
	return &t->hbucket[dtc_flow_hash(k, t->seed) & t->hmask];
}

/* ---- routes: list helpers ---- */

static void
lru_unlink(struct icpt_rt *t, uint32_t i)
{
	struct rt_route *e = &t->r[i];

	if (e->prev != NIL)
		t->r[e->prev].next = e->next;
	else
		t->lru_head = e->next;
	if (e->next != NIL)
		t->r[e->next].prev = e->prev;
	else
		t->lru_tail = e->prev;
}

static void
lru_append(struct icpt_rt *t, uint32_t i)
{
	struct rt_route *e = &t->r[i];

	e->next = NIL;
	e->prev = t->lru_tail;
	if (t->lru_tail != NIL)
		t->r[t->lru_tail].next = i;
	else
		t->lru_head = i;
	t->lru_tail = i;
}

static void
conn_unlink(struct icpt_rt *t, uint32_t i)
{
	struct rt_route *e = &t->r[i];

	if (e->cprev != NIL)
		t->r[e->cprev].cnext = e->cnext;
	else
		t->chead[e->conn] = e->cnext;
	if (e->cnext != NIL)
		t->r[e->cnext].cprev = e->cprev;
	t->ccount[e->conn]--;
}

static void
conn_link(struct icpt_rt *t, uint32_t i, uint32_t conn)
{
	struct rt_route *e = &t->r[i];

	e->conn = conn;
	e->cprev = NIL;
	e->cnext = t->chead[conn];
	if (e->cnext != NIL)
		t->r[e->cnext].cprev = i;
	t->chead[conn] = i;
	t->ccount[conn]++;
}

/* Find k; *pprev gets the chain slot pointing at it (for unlinking). */
static uint32_t
route_find(struct icpt_rt *t, const struct dtc_flow_key *k, uint32_t **pslot)
{
	uint32_t *slot = rbucket_of(t, k);

	while (*slot != NIL) {
		if (dtc_flow_key_cmp(&t->r[*slot].key, k) == 0) {
			if (pslot != NULL)
				*pslot = slot;
			return *slot;
		}
		slot = &t->r[*slot].hnext;
	}
	return NIL;
}

/* Remove route i from every list and return it to the pool. */
static void
route_remove(struct icpt_rt *t, uint32_t i)
{
	uint32_t *slot;

	if (route_find(t, &t->r[i].key, &slot) == i)
		*slot = t->r[i].hnext;
	lru_unlink(t, i);
	conn_unlink(t, i);
	t->r[i].hnext = t->rp.free;
	t->rp.free = i;
	t->rp.n--;
}

/* ---- held records ---- */

static void
fifo_unlink(struct icpt_rt *t, uint32_t i)
{
	struct rt_held *e = &t->h[i];

	if (e->prev != NIL)
		t->h[e->prev].next = e->next;
	else
		t->fifo_head = e->next;
	if (e->next != NIL)
		t->h[e->next].prev = e->prev;
	else
		t->fifo_tail = e->prev;
}

static void
held_remove(struct icpt_rt *t, uint32_t i)
{
	uint32_t *slot = hbucket_of(t, &t->h[i].key);

	while (*slot != NIL && *slot != i)
		slot = &t->h[*slot].hnext;
	if (*slot == i)
		*slot = t->h[i].hnext;
	fifo_unlink(t, i);
	t->h[i].hnext = t->hp.free;
	t->hp.free = i;
	t->hp.n--;
}

void
icpt_rt_hold(struct icpt_rt *t, const struct dtc_flow_key *k, const uint8_t *rec, uint32_t len,
	uint64_t now)
{
	uint32_t i, *slot;
	struct rt_held *e;

	i = pool_get(&t->hp, t->hp.free != NIL ? &t->h[t->hp.free].hnext : NULL);
	if (i == NIL) {
		held_remove(t, t->fifo_head);
		t->stats[ICPT_RT_held_overflow]++;
		i = pool_get(&t->hp, &t->h[t->hp.free].hnext);
	}
	e = &t->h[i];
	e->key = *k;
	len = RTE_MIN(len, (uint32_t)DTC_V2_REC_MAX);
	memcpy(e->rec, rec, len);
	e->len = (uint16_t)len;
	e->t_us = now;
	/* Chains keep arrival order, so a key's records are delivered in the order they came. */
	e->hnext = NIL;
	slot = hbucket_of(t, k);
	while (*slot != NIL)
		slot = &t->h[*slot].hnext;
	*slot = i;
	e->next = NIL;
	e->prev = t->fifo_tail;
	if (t->fifo_tail != NIL)
		t->h[t->fifo_tail].next = i;
	else
		t->fifo_head = i;
	t->fifo_tail = i;
	t->stats[ICPT_RT_held]++;
}

static void
held_deliver(struct icpt_rt *t, const struct dtc_flow_key *k, uint32_t conn, icpt_hold_fn fn,
	void *arg)
{
	uint32_t *slot = hbucket_of(t, k);

	while (*slot != NIL) {
		uint32_t i = *slot;
		struct rt_held *e = &t->h[i];

		if (dtc_flow_key_cmp(&e->key, k) != 0) {
			slot = &e->hnext;
			continue;
		}
		if (fn != NULL)
			fn(arg, conn, e->rec, e->len);
		t->stats[ICPT_RT_held_delivered]++;
		*slot = e->hnext;
		fifo_unlink(t, i);
		e->hnext = t->hp.free;
		t->hp.free = i;
		t->hp.n--;
	}
}

/* ---- API ---- */

void
icpt_rt_add(struct icpt_rt *t, const struct dtc_flow_key *k, uint32_t conn, uint64_t now,
	icpt_hold_fn fn, void *arg)
{
	uint32_t i, *slot;
	struct rt_route *e;

	if (conn >= t->max_conns)
		return;
	i = route_find(t, k, NULL);
	if (i != NIL) {
		e = &t->r[i];
		if (e->conn != conn) {
			conn_unlink(t, i);
			conn_link(t, i, conn);
		}
		lru_unlink(t, i);
		lru_append(t, i);
		e->last_us = now;
		t->stats[ICPT_RT_routes_refreshed]++;
	} else {
		i = pool_get(&t->rp, t->rp.free != NIL ? &t->r[t->rp.free].hnext : NULL);
		if (i == NIL) {
			route_remove(t, t->lru_head);
			t->stats[ICPT_RT_routes_evicted]++;
			i = pool_get(&t->rp, &t->r[t->rp.free].hnext);
		}
		e = &t->r[i];
		e->key = *k;
		e->last_us = now;
		slot = rbucket_of(t, k);
		e->hnext = *slot;
		*slot = i;
		lru_append(t, i);
		conn_link(t, i, conn);
		t->stats[ICPT_RT_routes_added]++;
	}
	if (t->hp.n > 0)
		held_deliver(t, k, conn, fn, arg);
}

int
icpt_rt_del(struct icpt_rt *t, const struct dtc_flow_key *k, uint32_t conn)
{
	uint32_t i = route_find(t, k, NULL);

	if (i == NIL || t->r[i].conn != conn)
		return -ENOENT;
	route_remove(t, i);
	t->stats[ICPT_RT_routes_deleted]++;
	return 0;
}

int64_t
icpt_rt_lookup(struct icpt_rt *t, const struct dtc_flow_key *k, uint64_t now)
{
	uint32_t i = route_find(t, k, NULL);

	if (i == NIL)
		return -1;
	/* Traffic keeps a route alive: a long session outlives --route-timeout. */
	t->r[i].last_us = now;
	if (t->lru_tail != i) {
		lru_unlink(t, i);
		lru_append(t, i);
	}
	return t->r[i].conn;
}

void
icpt_rt_drop_conn(struct icpt_rt *t, uint32_t conn)
{
	if (conn >= t->max_conns)
		return;
	while (t->chead[conn] != NIL) {
		route_remove(t, t->chead[conn]);
		t->stats[ICPT_RT_routes_closed]++;
	}
}

unsigned int
icpt_rt_expire(struct icpt_rt *t, uint64_t now)
{
	unsigned int n = 0;

	while (t->timeout_us != 0 && t->lru_head != NIL &&
			now - t->r[t->lru_head].last_us >= t->timeout_us) {
		route_remove(t, t->lru_head);
		t->stats[ICPT_RT_routes_aged]++;
		n++;
	}
	while (t->fifo_head != NIL && now - t->h[t->fifo_head].t_us >= ICPT_HOLD_US) {
		held_remove(t, t->fifo_head);
		t->stats[ICPT_RT_held_expired]++;
		n++;
	}
	return n;
}

uint32_t
icpt_rt_count(const struct icpt_rt *t)
{
	return t->rp.n;
}

uint32_t
icpt_rt_conn_count(const struct icpt_rt *t, uint32_t conn)
{
	return conn < t->max_conns ? t->ccount[conn] : 0;
}

uint32_t
icpt_rt_held_count(const struct icpt_rt *t)
{
	return t->hp.n;
}

const uint64_t *
icpt_rt_stats(const struct icpt_rt *t)
{
	return t->stats;
}
