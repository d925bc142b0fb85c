/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The session table: one preallocated array of struct dtc_sess, a power-of-two array of
 * uint32 bucket heads (2 per session of the plan, so chains stay short), chains and lists
 * linked by index.  Free entries are chained through hnext.  Live sessions sit on an LRU list
 * (moved at most once a second, see lru_touch), ended ones on a linger list in order of death.
 *
 * The buckets in use follow the load (linear hashing): about two per hashed session, from
 * TABLE_MIN_BUCKETS up to the whole array, so that 100 000 sessions of a plan for 2.4 million
 * look up in 800 KB of buckets rather than 19 MB.  An insert that takes the load above one
 * session per two buckets splits the next bucket (its chain divided between it and its twin
 * one level up, by the next bit of the hash), a remove that takes it below one per four
 * merges the last ones back: at most four buckets per operation, never a pause.  The array
 * itself is allocated whole, as before, so the memory per session does not change.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "sess_private.h"

static uint32_t
pow2_at_least(uint64_t v)
{
	uint32_t p = 1;

	while (p < v && p < (1u << 31))
		p <<= 1;
	return p;
}

size_t
table_mem_size(const struct dtc_sess_conf *c, uint32_t *nbuckets, uint32_t *nredir)
{
	uint32_t nb = pow2_at_least((uint64_t)c->max_sessions * 2);
	uint32_t nr = c->max_redirects != 0 ? c->max_redirects : c->max_sessions / 16;

	if (nr < 64)
		nr = 64;
	nr = pow2_at_least((uint64_t)nr * 2); /* open addressing: keep it half empty */
	if (nbuckets != NULL)
		*nbuckets = nb;
	if (nredir != NULL)
		*nredir = nr;
	return (size_t)c->max_sessions * (sizeof(struct dtc_sess) + sizeof(struct dtc_tnode)) +
		(size_t)nb * sizeof(uint32_t) + (size_t)nr * sizeof(struct redir_ent);
}

int
table_init(struct dtc_sess_engine *e)
{
	const struct dtc_sess_conf *c = &e->conf;
	uint32_t nb, nr, i;

	table_mem_size(c, &nb, &nr);
	e->max_sessions = c->max_sessions;
	e->s = rte_zmalloc_socket("dtc_sess", (size_t)c->max_sessions * sizeof(*e->s),
		RTE_CACHE_LINE_SIZE, c->socket_id);
	e->tn = rte_malloc_socket("dtc_sess_tn", (size_t)c->max_sessions * sizeof(*e->tn),
		RTE_CACHE_LINE_SIZE, c->socket_id);
	e->bucket = rte_malloc_socket("dtc_sess_bkt", (size_t)nb * sizeof(uint32_t),
		RTE_CACHE_LINE_SIZE, c->socket_id);
	e->redir = rte_malloc_socket("dtc_sess_redir", (size_t)nr * sizeof(struct redir_ent),
		RTE_CACHE_LINE_SIZE, c->socket_id);
	if (e->s == NULL || e->tn == NULL || e->bucket == NULL || e->redir == NULL) {
		table_fini(e);
		return -ENOMEM;
	}
	e->bmax = nb;
	e->bmask = RTE_MIN(nb, TABLE_MIN_BUCKETS) - 1;
	e->bsplit = 0;
	e->n_hashed = 0;
	memset(e->bucket, 0xff, (size_t)nb * sizeof(uint32_t));
	e->redir_mask = nr - 1;
	for (i = 0; i < nr; i++)
		e->redir[i].idx = SESS_NIL;
	e->n_redirect = 0;
	/* Free list in index order, so a fresh engine fills the array from the front. */
	for (i = 0; i < c->max_sessions; i++) {
		e->s[i].hnext = i + 1 < c->max_sessions ? i + 1 : SESS_NIL;
		e->s[i].lnext = SESS_NIL;
		e->s[i].lprev = SESS_NIL;
	}
	e->free_head = c->max_sessions > 0 ? 0 : SESS_NIL;
	e->lru_head = e->lru_tail = SESS_NIL;
	e->dead_head = e->dead_tail = SESS_NIL;
	e->n_live = 0;
	return 0;
}

void
table_fini(struct dtc_sess_engine *e)
{
	rte_free(e->s);
	rte_free(e->tn);
	rte_free(e->bucket);
	rte_free(e->redir);
	e->s = NULL;
	e->tn = NULL;
	e->bucket = NULL;
	e->redir = NULL;
}

uint32_t
table_lookup(const struct dtc_sess_engine *e, const struct dtc_flow_key *k, uint32_t hash)
{
	uint32_t i = e->bucket[table_bucket(e, hash)];

	while (i != SESS_NIL) {
		const struct dtc_sess *s = &e->s[i];

		if (key_eq(&s->key, k))
			return i;
		i = s->hnext;
	}
	return SESS_NIL;
}

/* Split bucket bsplit: the entries whose hash has the bit above bmask set go to its twin
 * bsplit + bmask + 1, in the same order. */
static void
table_split(struct dtc_sess_engine *e)
{
	uint32_t lo = e->bsplit, hi = lo + e->bmask + 1, i = e->bucket[lo];
	uint32_t *plo = &e->bucket[lo], *phi = &e->bucket[hi];

	while (i != SESS_NIL) {
		struct dtc_sess *s = &e->s[i];
		uint32_t next = s->hnext;

		if (dtc_flow_hash(&s->key, e->conf.seed) & (e->bmask + 1)) {
			*phi = i;
			phi = &s->hnext;
		} else {
			*plo = i;
			plo = &s->hnext;
		}
		i = next;
	}
	*plo = SESS_NIL;
	*phi = SESS_NIL;
	if (++e->bsplit == e->bmask + 1) {
		e->bmask = 2 * e->bmask + 1;
		e->bsplit = 0;
	}
}

/* Merge the last bucket in use back into its twin one level down (chains are unordered:
 * the twin's chain goes after it). */
static void
table_merge(struct dtc_sess_engine *e)
{
	uint32_t lo, hi, *p;

	if (e->bsplit == 0) {
		e->bmask >>= 1;
		e->bsplit = e->bmask + 1;
	}
	e->bsplit--;
	lo = e->bsplit;
	hi = lo + e->bmask + 1;
	p = &e->bucket[hi];
	while (*p != SESS_NIL)
		p = &e->s[*p].hnext;
	*p = e->bucket[lo];
	e->bucket[lo] = e->bucket[hi];
	e->bucket[hi] = SESS_NIL;
}

/*
 * The lookup pipeline of a burst of k hashes: every bucket is fetched, then every candidate
 * session (the bucket's first, nearly always the one) with its timer node, then that node's
 * neighbours on the wheel, which re-arming the timer (unlink) writes: each stage's misses
 * overlap among the burst, and are in flight while the stage after issues.  cand[i] is the
 * candidate of hash[i] (SESS_NIL: an empty bucket); nothing is decided from it.
 */
void
table_prefetch_burst(const struct dtc_sess_engine *e, const uint32_t *hash, unsigned int k,
	uint32_t *cand)
{
	unsigned int i;

	for (i = 0; i < k; i++)
		rte_prefetch0(&e->bucket[table_bucket(e, hash[i])]);
	for (i = 0; i < k; i++) {
		uint32_t idx = e->bucket[table_bucket(e, hash[i])];
		const char *s = (const char *)&e->s[idx];

		cand[i] = idx;
		if (idx == SESS_NIL)
			continue;
		rte_prefetch0(s);
		rte_prefetch0(s + RTE_CACHE_LINE_SIZE);
		rte_prefetch0(s + 2 * RTE_CACHE_LINE_SIZE);
		rte_prefetch0(&e->tn[idx]);
	}
	for (i = 0; i < k; i++) {
		const struct dtc_tnode *t;

		if (cand[i] == SESS_NIL)
			continue;
		t = &e->tn[cand[i]];
		if (t->next < e->max_sessions)
			rte_prefetch0(&e->tn[t->next]);
		if (t->prev < e->max_sessions)
			rte_prefetch0(&e->tn[t->prev]);
	}
}

uint32_t
table_alloc(struct dtc_sess_engine *e)
{
	uint32_t i = e->free_head;

	if (i == SESS_NIL)
		return SESS_NIL;
	e->free_head = e->s[i].hnext;
	e->n_live++;
	return i;
}

void
table_insert(struct dtc_sess_engine *e, uint32_t idx, uint32_t hash)
{
	uint32_t *b = &e->bucket[table_bucket(e, hash)];
	unsigned int k;

	e->s[idx].hnext = *b;
	*b = idx;
	e->n_hashed++;
	/* two buckets per session: two splits per insert keep up with any growth */
	for (k = 0; k < 2 && (uint64_t)e->n_hashed * 2 > table_nbuckets(e) &&
			table_nbuckets(e) < e->bmax; k++)
		table_split(e);
}

void
table_remove(struct dtc_sess_engine *e, uint32_t idx)
{
	struct dtc_sess *s = &e->s[idx];
	uint32_t *p = &e->bucket[table_bucket(e, dtc_flow_hash(&s->key, e->conf.seed))];
	unsigned int k;

	while (*p != SESS_NIL) {
		if (*p == idx) {
			*p = s->hnext;
			s->hnext = SESS_NIL;
			e->n_hashed--;
			/* below one per four buckets: four merges per remove keep the load
			 * above that under any shrinking */
			for (k = 0; k < 4 && (uint64_t)e->n_hashed * 4 < table_nbuckets(e) &&
					table_nbuckets(e) > RTE_MIN(e->bmax, TABLE_MIN_BUCKETS); k++)
				table_merge(e);
			return;
		}
		p = &e->s[*p].hnext;
	}
}

void
table_release(struct dtc_sess_engine *e, uint32_t idx)
{
	struct dtc_sess *s = &e->s[idx];

	s->state = SS_FREE;
	s->hnext = e->free_head;
	e->free_head = idx;
	e->n_live--;
}

void
lru_push(struct dtc_sess_engine *e, uint32_t idx, bool dead)
{
	uint32_t *head = dead ? &e->dead_head : &e->lru_head;
	uint32_t *tail = dead ? &e->dead_tail : &e->lru_tail;
	struct dtc_sess *s = &e->s[idx];

	s->lnext = SESS_NIL;
	s->lprev = *tail;
	if (*tail != SESS_NIL)
		e->s[*tail].lnext = idx;
	else
		*head = idx;
	*tail = idx;
}

void
lru_unlink(struct dtc_sess_engine *e, uint32_t idx)
{
	struct dtc_sess *s = &e->s[idx];
	bool dead = s->state == SS_DEAD;
	uint32_t *head = dead ? &e->dead_head : &e->lru_head;
	uint32_t *tail = dead ? &e->dead_tail : &e->lru_tail;

	if (s->lprev != SESS_NIL)
		e->s[s->lprev].lnext = s->lnext;
	else if (*head == idx)
		*head = s->lnext;
	if (s->lnext != SESS_NIL)
		e->s[s->lnext].lprev = s->lprev;
	else if (*tail == idx)
		*tail = s->lprev;
	s->lnext = SESS_NIL;
	s->lprev = SESS_NIL;
}

/* ---- collision redirects: linear probing, backward-shift deletion ---- */

static inline uint32_t
redir_slot(uint32_t origin, uint32_t mask)
{
	uint32_t h = origin * 0x9e3779b1u;

	return (h ^ (h >> 16)) & mask;
}

uint32_t
redir_find(const struct dtc_sess_engine *e, uint32_t origin)
{
	uint32_t i = redir_slot(origin, e->redir_mask);

	for (;;) {
		const struct redir_ent *r = &e->redir[i];

		if (r->idx == SESS_NIL)
			return SESS_NIL;
		if (r->origin == origin)
			return r->idx;
		i = (i + 1) & e->redir_mask;
	}
}

int
redir_add(struct dtc_sess_engine *e, uint32_t origin, uint32_t idx)
{
	uint32_t i;

	/* Keep at least half of the slots empty so probes stay short and always terminate. */
	if ((e->n_redirect + 1) * 2 > e->redir_mask + 1)
		return -ENOSPC;
	i = redir_slot(origin, e->redir_mask);
	while (e->redir[i].idx != SESS_NIL) {
		if (e->redir[i].origin == origin) {
			e->redir[i].idx = idx;
			return 0;
		}
		i = (i + 1) & e->redir_mask;
	}
	e->redir[i].origin = origin;
	e->redir[i].idx = idx;
	e->n_redirect++;
	return 0;
}

void
redir_del(struct dtc_sess_engine *e, uint32_t origin, uint32_t idx)
{
	uint32_t mask = e->redir_mask;
	uint32_t i = redir_slot(origin, mask), j;

	while (e->redir[i].idx != SESS_NIL &&
			!(e->redir[i].origin == origin && e->redir[i].idx == idx))
		i = (i + 1) & mask;
	if (e->redir[i].idx == SESS_NIL)
		return;
	e->redir[i].idx = SESS_NIL;
	e->n_redirect--;
	/* Backward shift: move later members of the cluster into the hole when their home slot
	 * does not lie cyclically in (hole, j]. */
	j = i;
	for (;;) {
		uint32_t home;

		j = (j + 1) & mask;
		if (e->redir[j].idx == SESS_NIL)
			return;
		home = redir_slot(e->redir[j].origin, mask);
		if (((j - home) & mask) >= ((j - i) & mask)) {
			e->redir[i] = e->redir[j];
			e->redir[j].idx = SESS_NIL;
			i = j;
		}
	}
}
