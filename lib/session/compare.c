/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The online/test comparison statistics (dtc_compare.h): histograms, the outcome matrix, the
 * heavy-hitters key table and the samples.  A worker folds pairs in with no allocation; the
 * control lcore takes snapshots and merges them.
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_atomic.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "dtc_compare.h"
#include "compare_private.h"

#undef SEQ_GT32
#define SEQ_GT32(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)
#define SEQ_LT32(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)

/* ------------------------------------------------------------------ */
/* Histograms. */

unsigned int
dtc_cmp_hist_bucket(uint64_t v)
{
	unsigned int e;

	if (v < DTC_CMP_HIST_SUB)
		return (unsigned int)v;
	e = 63u - (unsigned int)__builtin_clzll(v);
	if (e > DTC_CMP_HIST_MAX_EXP)
		return DTC_CMP_HIST_BUCKETS - 1;
	return (e - DTC_CMP_HIST_SUB_BITS + 1) * DTC_CMP_HIST_SUB +
		(unsigned int)((v >> (e - DTC_CMP_HIST_SUB_BITS)) - DTC_CMP_HIST_SUB);
}

uint64_t
dtc_cmp_hist_bucket_lo(unsigned int i)
{
	unsigned int e, m;

	if (i < DTC_CMP_HIST_SUB)
		return i;
	e = i / DTC_CMP_HIST_SUB + DTC_CMP_HIST_SUB_BITS - 1;
	m = i % DTC_CMP_HIST_SUB + DTC_CMP_HIST_SUB;
	return (uint64_t)m << (e - DTC_CMP_HIST_SUB_BITS);
}

uint64_t
dtc_cmp_hist_bucket_hi(unsigned int i)
{
	if (i >= DTC_CMP_HIST_BUCKETS - 1)
		return UINT64_MAX;
	return dtc_cmp_hist_bucket_lo(i + 1) - 1;
}

void
dtc_cmp_hist_add(struct dtc_cmp_hist *h, uint64_t v)
{
	if (h->n == 0 || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->n++;
	h->sum += v;
	h->b[dtc_cmp_hist_bucket(v)]++;
}

/* The value of the rank-th smallest sample (1-based). */
static uint64_t
hist_at_rank(const struct dtc_cmp_hist *h, uint64_t rank)
{
	uint64_t seen = 0, lo, hi, v;
	unsigned int i;

	if (h->n == 0)
		return 0;
	if (rank >= h->n)
		return h->max;
	if (rank <= 1)
		return h->min;
	for (i = 0; i < DTC_CMP_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank)
			break;
	}
	if (i == DTC_CMP_HIST_BUCKETS)
		return h->max;
	lo = dtc_cmp_hist_bucket_lo(i);
	hi = i == DTC_CMP_HIST_BUCKETS - 1 ? h->max : dtc_cmp_hist_bucket_hi(i);
	v = lo + (hi - lo) / 2;
	if (v < h->min)
		v = h->min;
	return v > h->max ? h->max : v;
}

static uint64_t
rank_of(uint64_t n, double q)
{
	double r;

	if (q <= 0)
		return 1;
	if (q >= 1)
		return n;
	r = q * (double)n;
	return (uint64_t)r + ((double)(uint64_t)r < r); /* ceil */
}

uint64_t
dtc_cmp_hist_quantile(const struct dtc_cmp_hist *h, double q)
{
	return hist_at_rank(h, rank_of(h->n, q));
}

void
dtc_cmp_hist_merge(struct dtc_cmp_hist *a, const struct dtc_cmp_hist *b)
{
	unsigned int i;

	if (b->n == 0)
		return;
	if (a->n == 0 || b->min < a->min)
		a->min = b->min;
	if (b->max > a->max)
		a->max = b->max;
	a->n += b->n;
	a->sum += b->sum;
	for (i = 0; i < DTC_CMP_HIST_BUCKETS; i++)
		a->b[i] += b->b[i];
}

void
dtc_cmp_shist_add(struct dtc_cmp_shist *h, int64_t v)
{
	if (v < 0)
		dtc_cmp_hist_add(&h->neg, v == INT64_MIN ? (uint64_t)INT64_MAX : (uint64_t)-v);
	else
		dtc_cmp_hist_add(&h->pos, (uint64_t)v);
}

int64_t
dtc_cmp_shist_quantile(const struct dtc_cmp_shist *h, double q)
{
	uint64_t n = dtc_cmp_shist_count(h), r;

	if (n == 0)
		return 0;
	r = rank_of(n, q);
	/* negatives first, most negative first: rank r is the (neg.n - r + 1)-th smallest
	 * magnitude */
	if (r <= h->neg.n)
		return -(int64_t)RTE_MIN(hist_at_rank(&h->neg, h->neg.n - r + 1),
			(uint64_t)INT64_MAX);
	return (int64_t)RTE_MIN(hist_at_rank(&h->pos, r - h->neg.n), (uint64_t)INT64_MAX);
}

void
dtc_cmp_shist_merge(struct dtc_cmp_shist *a, const struct dtc_cmp_shist *b)
{
	dtc_cmp_hist_merge(&a->neg, &b->neg);
	dtc_cmp_hist_merge(&a->pos, &b->pos);
}

/* ------------------------------------------------------------------ */

static const char *const diff_name[] = {
#define DTC_X(n, s) #n,
	DTC_CMP_DIFF_LIST(DTC_X)
#undef DTC_X
};
static const char *const diff_desc[] = {
#define DTC_X(n, s) s,
	DTC_CMP_DIFF_LIST(DTC_X)
#undef DTC_X
};

const char *
dtc_cmp_diff_name(unsigned int i)
{
	return i < DTC_CMP_DIFF_MAX ? diff_name[i] : i == DTC_CMP_EQUAL ? "equal" : "?";
}

const char *
dtc_cmp_diff_desc(unsigned int i)
{
	return i < DTC_CMP_DIFF_MAX ? diff_desc[i] : i == DTC_CMP_EQUAL ? "the answers agree" :
		"?";
}

struct dtc_cmp {
	unsigned int keys;
	uint32_t min_idx;            /* the key with the smallest estimate (a hint) */
	volatile uint32_t snap_req;  /* written by the reader */
	volatile uint32_t snap_ack;  /* written by the owner once snap holds a copy */
	struct dtc_cmp_body *live;
	struct dtc_cmp_body *snap;
};

size_t
dtc_cmp_body_size(unsigned int keys)
{
	return sizeof(struct dtc_cmp_body) + (size_t)keys * sizeof(struct dtc_cmp_key);
}

size_t
dtc_cmp_mem_size(unsigned int keys)
{
	return sizeof(struct dtc_cmp) + 2 * dtc_cmp_body_size(keys) + 3 * RTE_CACHE_LINE_SIZE;
}

struct dtc_cmp *
dtc_cmp_create(unsigned int keys, int socket_id)
{
	struct dtc_cmp *c;

	if (keys == 0 || keys > DTC_CMP_KEYS_MAX) {
		rte_errno = EINVAL;
		return NULL;
	}
	c = rte_zmalloc_socket("dtc_cmp", sizeof(*c), RTE_CACHE_LINE_SIZE, socket_id);
	if (c == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	c->keys = keys;
	c->live = rte_zmalloc_socket("dtc_cmp_live", dtc_cmp_body_size(keys),
		RTE_CACHE_LINE_SIZE, socket_id);
	c->snap = rte_zmalloc_socket("dtc_cmp_snap", dtc_cmp_body_size(keys),
		RTE_CACHE_LINE_SIZE, socket_id);
	if (c->live == NULL || c->snap == NULL) {
		dtc_cmp_free(c);
		rte_errno = ENOMEM;
		return NULL;
	}
	c->live->cap_keys = keys;
	strcpy(c->live->other.name, "other");
	return c;
}

void
dtc_cmp_free(struct dtc_cmp *c)
{
	if (c == NULL)
		return;
	rte_free(c->live);
	rte_free(c->snap);
	rte_free(c);
}

const struct dtc_cmp_body *
dtc_cmp_body(const struct dtc_cmp *c)
{
	return c->live;
}

/* ------------------------------------------------------------------ */
/* Folding one pair in. */

static uint64_t
key_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull; /* FNV-1a */

	while (*s != '\0') {
		h ^= (uint8_t)*s++;
		h *= 1099511628211ull;
	}
	return h | 1; /* 0 is never a key's hash */
}

static void
matrix_add(struct dtc_cmp_stats *s, uint32_t on, uint32_t te, uint64_t n)
{
	unsigned int i;

	for (i = 0; i < DTC_CMP_CELLS; i++) {
		struct dtc_cmp_cell *c = &s->cells[i];

		if (c->n != 0 && c->online == on && c->test == te) {
			c->n += n;
			return;
		}
		if (c->n == 0) {
			c->online = on;
			c->test = te;
			c->n = n;
			return;
		}
	}
	s->cells_other += n;
}

static unsigned int
len_bucket(uint32_t d)
{
	unsigned int b = 31u - (unsigned int)__builtin_clz(d); /* d > 0 */

	return RTE_MIN(b, DTC_CMP_LEN_BUCKETS - 1u);
}

struct pair_eval {
	int diff;
	bool timed;
	uint32_t on, te;
	uint64_t lat_on, lat_te;
	int64_t delta;
};

static void
stats_add(struct dtc_cmp_stats *s, const struct dtc_cmp_pair *p, const struct pair_eval *ev)
{
	s->pairs++;
	if (ev->diff == DTC_CMP_DIFF_online_missing) {
		s->diff[ev->diff]++;
		return;
	}
	s->compared++;
	if (ev->diff == DTC_CMP_EQUAL)
		s->equal++;
	else
		s->diff[ev->diff]++;
	if (ev->te == DTC_CMP_OUTCOME_UNKNOWN)
		s->outcome_unknown += ev->diff != DTC_CMP_DIFF_test_missing &&
			ev->diff != DTC_CMP_DIFF_test_reset;
	else
		matrix_add(s, ev->on, ev->te, 1);
	if (p->test.len > 0 && p->test.len != p->online.len) {
		if (p->test.len > p->online.len) {
			s->test_longer++;
			s->len_diff[len_bucket(p->test.len - p->online.len)]++;
		} else {
			s->test_shorter++;
			s->len_diff[len_bucket(p->online.len - p->test.len)]++;
		}
	}
	if (ev->timed) {
		dtc_cmp_hist_add(&s->online, ev->lat_on);
		dtc_cmp_hist_add(&s->test, ev->lat_te);
		dtc_cmp_shist_add(&s->delta, ev->delta);
	}
}

static void
sample_add(struct dtc_cmp_key *k, const struct dtc_cmp_pair *p, int diff)
{
	struct dtc_cmp_sample *s;

	if (diff >= DTC_CMP_DIFF_MAX || k->n_samples[diff] >= DTC_CMP_SAMPLES)
		return;
	s = &k->samples[diff][k->n_samples[diff]++];
	s->online_len = p->online.len;
	s->test_len = p->test.len;
	s->req_len = (uint8_t)RTE_MIN(p->req_len, DTC_CMP_HEAD);
	s->online_head_len = (uint8_t)RTE_MIN(p->online.head_len, DTC_CMP_HEAD);
	s->test_head_len = (uint8_t)RTE_MIN(p->test.head_len, DTC_CMP_HEAD);
	if (s->req_len)
		memcpy(s->req, p->req, s->req_len);
	if (s->online_head_len)
		memcpy(s->online, p->online.head, s->online_head_len);
	if (s->test_head_len)
		memcpy(s->test, p->test.head, s->test_head_len);
}

static void
key_reset(struct dtc_cmp_key *k)
{
	memset(&k->st, 0, sizeof(k->st));
	memset(k->n_samples, 0, sizeof(k->n_samples));
}

/* The table entry of key name (hash h), admitting it if it is frequent enough; NULL: other. */
static struct dtc_cmp_key *
key_find(struct dtc_cmp *c, const char *name, uint64_t h)
{
	struct dtc_cmp_body *b = c->live;
	struct dtc_cmp_key *k;
	uint32_t i, seen, slot;

	for (i = 0; i < b->n_keys; i++)
		if (b->hash[i] == h && strcmp(b->keys[i].name, name) == 0)
			return &b->keys[i];
	if (b->n_keys < b->cap_keys) {
		i = b->n_keys++;
		seen = 0;
		goto admit;
	}
	/*
	 * Full.  Space-Saving would replace the smallest entry on every miss, which with many
	 * rare keys means a reset and a merge per request; the admission filter (misses per hash
	 * slot) only lets a key in once it has been missed more often than the smallest entry
	 * was counted, which is what Space-Saving's estimate would have given it.
	 */
	slot = (uint32_t)(h >> 32) % DTC_CMP_ADMIT_SLOTS;
	if (b->admit[slot] < UINT32_MAX)
		b->admit[slot]++;
	if (b->admit[slot] <= b->keys[c->min_idx].est)
		return NULL;
	for (i = 0; i < b->n_keys; i++)
		if (b->keys[i].est < b->keys[c->min_idx].est)
			c->min_idx = i;
	if (b->admit[slot] <= b->keys[c->min_idx].est)
		return NULL;
	i = c->min_idx;
	seen = b->admit[slot] - 1;
	b->admit[slot] = 0;
	/* the evicted key's figures stay in the totals, under "other" */
	dtc_cmp_stats_merge(&b->other.st, &b->keys[i].st);
	b->keys_evicted++;
admit:
	k = &b->keys[i];
	key_reset(k);
	b->hash[i] = h;
	strcpy(k->name, name);
	k->err = seen;
	k->est = seen;
	b->keys_admitted++;
	return k;
}

static void
evaluate(const struct dtc_cmp_pair *p, enum dtc_cls_proto proto, struct pair_eval *ev)
{
	const struct dtc_cmp_answer *on = &p->online, *te = &p->test;
	size_t hl;

	ev->timed = false;
	ev->on = dtc_cls_outcome(proto, on->head, on->head_len);
	if (te->head_len != 0)
		ev->te = dtc_cls_outcome(proto, te->head, te->head_len);
	else if (te->outcome != DTC_CMP_OUTCOME_UNKNOWN &&
			DTC_CLS_OUT_KIND(te->outcome) == DTC_CLS_OUT_KIND(ev->on))
		ev->te = te->outcome;
	else
		ev->te = DTC_CMP_OUTCOME_UNKNOWN; /* compared by length and time only */
	if (on->len == 0) {
		ev->diff = DTC_CMP_DIFF_online_missing;
		return;
	}
	if (te->len == 0) {
		ev->diff = te->reset ? DTC_CMP_DIFF_test_reset : DTC_CMP_DIFF_test_missing;
		return;
	}
	if (on->first_us >= p->online_req_us && te->first_us >= p->test_req_us) {
		ev->timed = true;
		ev->lat_on = on->first_us - p->online_req_us;
		ev->lat_te = te->first_us - p->test_req_us;
		ev->delta = (int64_t)ev->lat_te - (int64_t)ev->lat_on;
	}
	hl = RTE_MIN(on->head_len, te->head_len);
	if (ev->te != DTC_CMP_OUTCOME_UNKNOWN && ev->on != ev->te)
		ev->diff = DTC_CMP_DIFF_outcome;
	else if (on->len != te->len)
		ev->diff = DTC_CMP_DIFF_length;
	else if (hl > 0 && memcmp(on->head, te->head, hl) != 0) /* what both sides kept */
		ev->diff = DTC_CMP_DIFF_bytes;
	else
		ev->diff = DTC_CMP_EQUAL;
}

int
dtc_cmp_add(struct dtc_cmp *c, const struct dtc_cmp_pair *p)
{
	struct dtc_cmp_body *b = c->live;
	enum dtc_cls_proto proto = p->proto;
	struct dtc_cmp_key *k;
	struct pair_eval ev;
	char name[DTC_CLS_KEY_MAX];

	if (proto == DTC_CLS_AUTO || proto >= DTC_CLS_PROTO_MAX)
		proto = dtc_cls_detect(p->port, p->req, p->req_len);
	evaluate(p, proto, &ev);
	if (dtc_cls_key(proto, p->req, p->req_len, name, sizeof(name)) == 0)
		snprintf(name, sizeof(name), "port %u", p->port);
	k = key_find(c, name, key_hash(name));
	if (k == NULL)
		k = &b->other;
	else
		k->est++;
	stats_add(&b->all, p, &ev);
	stats_add(&k->st, p, &ev);
	if (ev.timed) {
		dtc_cmp_hist_add(&b->online_last, p->online.last_us >= p->online_req_us ?
			p->online.last_us - p->online_req_us : 0);
		dtc_cmp_hist_add(&b->test_last, p->test.last_us >= p->test_req_us ?
			p->test.last_us - p->test_req_us : 0);
	}
	if (ev.diff != DTC_CMP_EQUAL)
		sample_add(k, p, ev.diff);
	return ev.diff;
}

/* ------------------------------------------------------------------ */
/* Snapshots. */

void
dtc_cmp_snap_request(struct dtc_cmp *c)
{
	__atomic_store_n(&c->snap_req, c->snap_req + 1, __ATOMIC_RELEASE);
}

void
dtc_cmp_poll(struct dtc_cmp *c)
{
	uint32_t req = __atomic_load_n(&c->snap_req, __ATOMIC_ACQUIRE);

	if (likely(req == c->snap_ack))
		return;
	memcpy(c->snap, c->live, dtc_cmp_body_size(c->keys));
	__atomic_store_n(&c->snap_ack, req, __ATOMIC_RELEASE);
}

int
dtc_cmp_snap_get(struct dtc_cmp *c, const struct dtc_cmp_body **b)
{
	if (__atomic_load_n(&c->snap_ack, __ATOMIC_ACQUIRE) !=
			__atomic_load_n(&c->snap_req, __ATOMIC_RELAXED))
		return -EAGAIN;
	*b = c->snap;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Merging. */

void
dtc_cmp_stats_merge(struct dtc_cmp_stats *a, const struct dtc_cmp_stats *b)
{
	unsigned int i;

	a->pairs += b->pairs;
	a->compared += b->compared;
	a->equal += b->equal;
	for (i = 0; i < DTC_CMP_DIFF_MAX; i++)
		a->diff[i] += b->diff[i];
	a->test_longer += b->test_longer;
	a->test_shorter += b->test_shorter;
	for (i = 0; i < DTC_CMP_LEN_BUCKETS; i++)
		a->len_diff[i] += b->len_diff[i];
	a->cells_other += b->cells_other;
	a->outcome_unknown += b->outcome_unknown;
	for (i = 0; i < DTC_CMP_CELLS; i++)
		if (b->cells[i].n != 0)
			matrix_add(a, b->cells[i].online, b->cells[i].test, b->cells[i].n);
	dtc_cmp_hist_merge(&a->online, &b->online);
	dtc_cmp_hist_merge(&a->test, &b->test);
	dtc_cmp_shist_merge(&a->delta, &b->delta);
}

static void
samples_merge(struct dtc_cmp_key *a, const struct dtc_cmp_key *b)
{
	unsigned int d, i;

	for (d = 0; d < DTC_CMP_DIFF_MAX; d++)
		for (i = 0; i < b->n_samples[d] && a->n_samples[d] < DTC_CMP_SAMPLES; i++)
			a->samples[d][a->n_samples[d]++] = b->samples[d][i];
}

static void
key_merge(struct dtc_cmp_key *a, const struct dtc_cmp_key *b)
{
	dtc_cmp_stats_merge(&a->st, &b->st);
	a->est += b->est;
	a->err += b->err;
	samples_merge(a, b);
}

struct dtc_cmp_body *
dtc_cmp_body_alloc(unsigned int keys)
{
	struct dtc_cmp_body *b;

	if (keys == 0 || keys > DTC_CMP_KEYS_MAX)
		return NULL;
	b = calloc(1, dtc_cmp_body_size(keys));
	if (b != NULL)
		b->cap_keys = keys;
	return b;
}

void
dtc_cmp_body_free(struct dtc_cmp_body *b)
{
	free(b);
}

struct kref {
	uint64_t hash;
	const struct dtc_cmp_key *k;
};

/* One name's entries r[start..end) and their requests. */
struct kgroup {
	size_t start, end;
	uint64_t pairs;
	const char *name;
};

static int
kref_by_hash(const void *x, const void *y)
{
	const struct kref *a = x, *b = y;
	int c = a->hash < b->hash ? -1 : a->hash > b->hash;

	return c != 0 ? c : strcmp(a->k->name, b->k->name);
}

static int
kgroup_by_pairs(const void *x, const void *y)
{
	const struct kgroup *a = x, *b = y;

	if (a->pairs != b->pairs)
		return a->pairs > b->pairs ? -1 : 1;
	return strcmp(a->name, b->name);
}

void
dtc_cmp_merge(struct dtc_cmp_body *dst, const struct dtc_cmp_body *const *src, unsigned int n)
{
	uint32_t cap = dst->cap_keys;
	struct kgroup *grp = NULL;
	struct kref *r = NULL;
	size_t nr = 0, ng = 0, i, j;

	memset(dst, 0, dtc_cmp_body_size(cap));
	dst->cap_keys = cap;
	strcpy(dst->other.name, "other");
	for (i = 0; i < n; i++)
		nr += src[i]->n_keys;
	if (nr > 0) {
		r = calloc(nr, sizeof(*r));
		grp = calloc(nr, sizeof(*grp));
	}
	nr = 0;
	for (i = 0; i < n; i++) {
		const struct dtc_cmp_body *s = src[i];

		dtc_cmp_stats_merge(&dst->all, &s->all);
		dtc_cmp_hist_merge(&dst->online_last, &s->online_last);
		dtc_cmp_hist_merge(&dst->test_last, &s->test_last);
		dst->keys_admitted += s->keys_admitted;
		dst->no_record += s->no_record;
		dst->online_segs += s->online_segs;
		dst->online_unmatched += s->online_unmatched;
		dst->not_sent += s->not_sent;
		dst->keys_evicted += s->keys_evicted;
		key_merge(&dst->other, &s->other);
		for (j = 0; j < s->n_keys; j++) {
			if (r == NULL || grp == NULL) { /* no memory to rank: all under other */
				key_merge(&dst->other, &s->keys[j]);
				continue;
			}
			r[nr].hash = s->hash[j];
			r[nr].k = &s->keys[j];
			nr++;
		}
	}
	/* entries of one name next to each other; the groups ranked by their requests */
	if (nr > 0)
		qsort(r, nr, sizeof(*r), kref_by_hash);
	for (i = 0; i < nr; i = j) {
		grp[ng].start = i;
		grp[ng].name = r[i].k->name;
		for (j = i; j < nr && kref_by_hash(&r[i], &r[j]) == 0; j++)
			grp[ng].pairs += r[j].k->st.pairs;
		grp[ng].end = j;
		ng++;
	}
	if (ng > 0)
		qsort(grp, ng, sizeof(*grp), kgroup_by_pairs);
	for (i = 0; i < ng; i++) {
		struct dtc_cmp_key *d = &dst->other;

		if (dst->n_keys < cap) {
			d = &dst->keys[dst->n_keys];
			dst->hash[dst->n_keys] = key_hash(grp[i].name);
			dst->n_keys++;
			strcpy(d->name, grp[i].name);
		}
		for (j = grp[i].start; j < grp[i].end; j++)
			key_merge(d, r[j].k);
	}
	free(grp);
	free(r);
}

/* ------------------------------------------------------------------ */
/* Pairing. */

#define PEND_HEAD 48                 /* first bytes kept per request and answer */
#define PF_RELEASED 0x01             /* the copy went out */
#define PF_ON_SEEN 0x02
#define PF_ON_RST 0x04
#define PF_TE_SEEN 0x08
#define PF_TE_RST 0x10
#define PF_TE_REF 0x20               /* te_start is set */

struct pend {
	uint32_t next;
	uint32_t ack;                /* where the online answer starts (online server seq) */
	uint32_t on_hi;              /* end of the furthest online answer byte, from ack */
	uint32_t te_len;
	uint32_t te_out;             /* outcome of the test answer's first bytes, if classified */
	uint32_t te_start;           /* test-server seq where the answer starts (PF_TE_REF) */
	uint64_t te_prev;            /* last byte of the previous test answer (0: none) */
	uint16_t port;
	uint8_t proto, fl;
	uint8_t req_len, on_hl, te_hl, pad;
	uint64_t on_req, on_first, on_last;
	uint64_t te_req, te_first, te_last;
	uint8_t req[PEND_HEAD];
	uint8_t on[PEND_HEAD];
	uint8_t te[PEND_HEAD];
};

struct sess_fifo {
	uint32_t head, tail;         /* PEND_NIL: empty */
};

#define PEND_NIL UINT32_MAX
#define PEND_BROKEN (UINT32_MAX - 1) /* head: the session is not compared (no record) */

struct dtc_cmp_pairs {
	struct dtc_cmp *cmp;
	uint32_t max_sessions, records, free_head, in_use;
	uint8_t proto[DTC_CMP_XFER_MAX];
	struct sess_fifo *fifo;
	struct pend *rec;
};

size_t
dtc_cmp_pairs_mem_size(uint32_t max_sessions, uint32_t records)
{
	return sizeof(struct dtc_cmp_pairs) + (size_t)max_sessions * sizeof(struct sess_fifo) +
		(size_t)records * sizeof(struct pend) + 3 * RTE_CACHE_LINE_SIZE;
}

struct dtc_cmp_pairs *
dtc_cmp_pairs_create(struct dtc_cmp *c, uint32_t max_sessions, uint32_t records, int socket_id)
{
	struct dtc_cmp_pairs *p;
	uint32_t i;

	if (c == NULL || max_sessions == 0 || records == 0 || records >= PEND_BROKEN) {
		rte_errno = EINVAL;
		return NULL;
	}
	p = rte_zmalloc_socket("dtc_cmp_pairs", sizeof(*p), RTE_CACHE_LINE_SIZE, socket_id);
	if (p == NULL)
		goto nomem;
	p->fifo = rte_malloc_socket("dtc_cmp_fifo", (size_t)max_sessions * sizeof(*p->fifo),
		RTE_CACHE_LINE_SIZE, socket_id);
	p->rec = rte_malloc_socket("dtc_cmp_rec", (size_t)records * sizeof(*p->rec),
		RTE_CACHE_LINE_SIZE, socket_id);
	if (p->fifo == NULL || p->rec == NULL)
		goto nomem;
	p->cmp = c;
	p->max_sessions = max_sessions;
	p->records = records;
	memset(p->proto, DTC_CLS_AUTO, sizeof(p->proto));
	for (i = 0; i < max_sessions; i++)
		p->fifo[i].head = p->fifo[i].tail = PEND_NIL;
	for (i = 0; i < records; i++)
		p->rec[i].next = i + 1 < records ? i + 1 : PEND_NIL;
	p->free_head = 0;
	return p;
nomem:
	dtc_cmp_pairs_free(p);
	rte_errno = ENOMEM;
	return NULL;
}

void
dtc_cmp_pairs_free(struct dtc_cmp_pairs *p)
{
	if (p == NULL)
		return;
	rte_free(p->fifo);
	rte_free(p->rec);
	rte_free(p);
}

void
dtc_cmp_pairs_set_proto(struct dtc_cmp_pairs *p, unsigned int x, uint8_t proto)
{
	if (x < DTC_CMP_XFER_MAX)
		p->proto[x] = proto;
}

uint32_t
dtc_cmp_pairs_in_use(const struct dtc_cmp_pairs *p)
{
	return p->in_use;
}

static inline struct sess_fifo *
fifo_of(struct dtc_cmp_pairs *p, uint32_t sid)
{
	return sid < p->max_sessions ? &p->fifo[sid] : NULL;
}

/* Append bytes at offset off of a kept head (only while it stays contiguous). */
static void
head_put(uint8_t *head, uint8_t *hl, uint32_t off, const uint8_t *data, uint16_t len)
{
	uint32_t end = off + len, n;

	if (data == NULL || off > *hl || *hl >= PEND_HEAD || end <= *hl)
		return;
	n = RTE_MIN(end, (uint32_t)PEND_HEAD) - *hl;
	memcpy(head + *hl, data + (*hl - off), n);
	*hl = (uint8_t)(*hl + n);
}

static void
pend_pair(struct dtc_cmp_pairs *p, const struct pend *r)
{
	struct dtc_cmp_pair pr;

	memset(&pr, 0, sizeof(pr));
	pr.proto = r->proto;
	pr.port = r->port;
	pr.req = r->req;
	pr.req_len = r->req_len;
	pr.online_req_us = r->on_req;
	/* released before the previous answer was out (a catch-up): the test server could
	 * only start on it then, as the online server did once the client had its answer */
	pr.test_req_us = r->te_prev > r->te_req ? r->te_prev : r->te_req;
	if (r->fl & PF_ON_SEEN) {
		pr.online.first_us = r->on_first;
		pr.online.last_us = r->on_last;
		pr.online.len = r->on_hi;
		pr.online.head = r->on;
		pr.online.head_len = r->on_hl;
	}
	pr.online.reset = (r->fl & PF_ON_RST) != 0;
	if (r->fl & PF_TE_SEEN) {
		pr.test.first_us = r->te_first;
		pr.test.last_us = r->te_last;
		pr.test.len = r->te_len;
		pr.test.head = r->te;
		pr.test.head_len = r->te_hl;
	}
	pr.test.outcome = (r->fl & PF_TE_SEEN) ? r->te_out : DTC_CMP_OUTCOME_UNKNOWN;
	pr.test.reset = (r->fl & PF_TE_RST) != 0;
	dtc_cmp_add(p->cmp, &pr);
}

/* Take the head record off its FIFO and back to the pool. */
static void
pend_pop(struct dtc_cmp_pairs *p, struct sess_fifo *f)
{
	uint32_t i = f->head;

	f->head = p->rec[i].next;
	if (f->head == PEND_NIL)
		f->tail = PEND_NIL;
	p->rec[i].next = p->free_head;
	p->free_head = i;
	p->in_use--;
}

void
dtc_cmp_online_req(struct dtc_cmp_pairs *p, uint32_t sid, uint8_t xfer, uint16_t port,
	uint32_t ack, uint64_t t_us, const uint8_t *data, uint16_t len)
{
	struct sess_fifo *f = fifo_of(p, sid);
	struct pend *r;
	uint32_t i;

	if (f == NULL || len == 0)
		return;
	if (f->head == PEND_BROKEN) {
		if (SEQ_GT32(ack, f->tail)) /* tail: the last ACK seen */
			p->cmp->live->no_record++;
		f->tail = ack;
		return;
	}
	if (f->tail != PEND_NIL) {
		r = &p->rec[f->tail];
		if (!SEQ_GT32(ack, r->ack)) {
			/* the same request goes on (or a pipelined one): its last byte moves */
			r->on_req = t_us;
			head_put(r->req, &r->req_len, r->req_len, data, len);
			return;
		}
	}
	i = p->free_head;
	if (i == PEND_NIL) {
		/* Out of records.  The FIFO must stay aligned with the engine's releases, which a
		 * missing entry would shift: the session is not compared any more (its queued
		 * requests and every later one count as no_record) until it ends. */
		while (f->head != PEND_NIL) {
			p->cmp->live->no_record++;
			pend_pop(p, f);
		}
		p->cmp->live->no_record++;
		f->head = PEND_BROKEN;
		f->tail = ack;
		return;
	}
	r = &p->rec[i];
	p->free_head = r->next;
	p->in_use++;
	memset(r, 0, offsetof(struct pend, req));
	r->next = PEND_NIL;
	r->ack = ack;
	r->port = port;
	r->proto = xfer < DTC_CMP_XFER_MAX ? p->proto[xfer] : DTC_CLS_AUTO;
	r->on_req = t_us;
	head_put(r->req, &r->req_len, 0, data, len);
	if (f->tail == PEND_NIL)
		f->head = i;
	else
		p->rec[f->tail].next = i;
	f->tail = i;
}

void
dtc_cmp_online_ans(struct dtc_cmp_pairs *p, uint32_t sid, uint32_t seq, uint64_t t_us,
	const uint8_t *data, uint16_t len, bool rst)
{
	struct sess_fifo *f = fifo_of(p, sid);
	struct pend *r = NULL;
	uint32_t i, off;

	if (f == NULL || f->head >= PEND_BROKEN)
		return;
	/* the last request at or before seq: the tail nearly always */
	if (!SEQ_LT32(seq, p->rec[f->tail].ack)) {
		r = &p->rec[f->tail];
	} else {
		for (i = f->head; i != PEND_NIL; i = p->rec[i].next) {
			if (SEQ_LT32(seq, p->rec[i].ack))
				break;
			r = &p->rec[i];
		}
	}
	if (r == NULL)
		return; /* before the first request: a greeting, or an answer already paired */
	if (rst) {
		r->fl |= PF_ON_RST;
		return;
	}
	if (len == 0)
		return;
	off = seq - r->ack;
	if (!(r->fl & PF_ON_SEEN) || t_us < r->on_first)
		r->on_first = t_us;
	if (!(r->fl & PF_ON_SEEN) || t_us > r->on_last)
		r->on_last = t_us;
	r->fl |= PF_ON_SEEN;
	if (off + len > r->on_hi)
		r->on_hi = off + len;
	head_put(r->on, &r->on_hl, off, data, len);
}

/* The first record not released (PEND_NIL: none), and the last one released before it. */
static uint32_t
first_unreleased(const struct dtc_cmp_pairs *p, const struct sess_fifo *f, uint32_t *last_rel)
{
	uint32_t i;

	*last_rel = PEND_NIL;
	for (i = f->head; i != PEND_NIL; i = p->rec[i].next) {
		if (!(p->rec[i].fl & PF_RELEASED))
			break;
		*last_rel = i;
	}
	return i;
}

void
dtc_cmp_test_sent(struct dtc_cmp_pairs *p, uint32_t sid, bool newreq, uint64_t t_us)
{
	struct sess_fifo *f = fifo_of(p, sid);
	uint32_t i, last;

	if (f == NULL || f->head >= PEND_BROKEN)
		return;
	i = first_unreleased(p, f, &last);
	if (newreq) {
		if (i == PEND_NIL)
			return; /* a request we did not record */
		p->rec[i].fl |= PF_RELEASED;
		last = i;
	}
	if (last != PEND_NIL)
		p->rec[last].te_req = t_us; /* the request's last byte so far */
}

void
dtc_cmp_test_ref(struct dtc_cmp_pairs *p, uint32_t sid, uint32_t seq)
{
	struct sess_fifo *f = fifo_of(p, sid);
	uint32_t last;

	if (f == NULL || f->head >= PEND_BROKEN)
		return;
	first_unreleased(p, f, &last);
	if (last != PEND_NIL && !(p->rec[last].fl & PF_TE_REF)) {
		p->rec[last].te_start = seq;
		p->rec[last].fl |= PF_TE_REF;
	}
}

void
dtc_cmp_test_ans(struct dtc_cmp_pairs *p, uint32_t sid, uint32_t seq, uint64_t t_us,
	const uint8_t *data, uint16_t len, uint32_t outcome, bool rst)
{
	struct sess_fifo *f = fifo_of(p, sid);
	struct pend *r;
	uint32_t n;

	if (f == NULL || f->head >= PEND_BROKEN)
		return;
	/*
	 * Answers before this byte's are complete: pair them.  Where the next answer starts:
	 * when the bytes were classified (two-host mode), at the next segment that starts an
	 * answer (a status line, a reply type); otherwise at the engine's estimate (rcv_ref),
	 * which after a catch-up assumes the test answer is as long as the online one.
	 */
	while (!rst && len != 0 && f->head != PEND_NIL && (p->rec[f->head].fl & PF_RELEASED)) {
		bool next;

		r = &p->rec[f->head];
		n = r->next;
		if (n == PEND_NIL || !(p->rec[n].fl & PF_RELEASED))
			break;
		if (outcome != DTC_CMP_OUTCOME_UNKNOWN)
			next = (r->fl & PF_TE_SEEN) && DTC_CLS_OUT_KIND(outcome) != DTC_CLS_K_NONE;
		else
			next = (p->rec[n].fl & PF_TE_REF) && !SEQ_LT32(seq, p->rec[n].te_start);
		if (!next)
			break;
		/* the test server takes the next request once this answer is out */
		p->rec[n].te_prev = (r->fl & PF_TE_SEEN) ? r->te_last : 0;
		pend_pair(p, r);
		pend_pop(p, f);
	}
	if (rst) {
		/* the connection is gone: every answer still due is cut (those without a byte
		 * count as test_reset) */
		uint32_t i;

		for (i = f->head; i != PEND_NIL && (p->rec[i].fl & PF_RELEASED);
				i = p->rec[i].next)
			p->rec[i].fl |= PF_TE_RST;
		return;
	}
	if (f->head == PEND_NIL)
		return;
	r = &p->rec[f->head];
	if (!(r->fl & PF_RELEASED))
		return; /* before the copy of a recorded request went out */
	if (len == 0 || (outcome == DTC_CMP_OUTCOME_UNKNOWN && (r->fl & PF_TE_REF) &&
			SEQ_LT32(seq, r->te_start)))
		return;
	if (!(r->fl & PF_TE_SEEN)) {
		r->te_first = t_us;
		r->te_out = outcome; /* this segment's first bytes start the answer */
	}
	r->te_last = t_us;
	r->fl |= PF_TE_SEEN;
	head_put(r->te, &r->te_hl, r->te_len, data, len);
	r->te_len += len;
}

void
dtc_cmp_sess_end(struct dtc_cmp_pairs *p, uint32_t sid)
{
	struct sess_fifo *f = fifo_of(p, sid);

	if (f == NULL)
		return;
	if (f->head == PEND_BROKEN) {
		f->head = f->tail = PEND_NIL;
		return;
	}
	while (f->head != PEND_NIL) {
		struct pend *r = &p->rec[f->head];

		if (r->fl & PF_RELEASED)
			pend_pair(p, r);
		else
			p->cmp->live->not_sent++;
		pend_pop(p, f);
	}
}

/* ------------------------------------------------------------------ */
/* The engine's side (compare_private.h). */

void
cmp_client_data(struct dtc_sess_engine *e, struct dtc_sess *s, const struct rte_mbuf *m)
{
	const struct dtc_seg *seg = dtc_seg_of((struct rte_mbuf *)(uintptr_t)m);
	uint8_t buf[PEND_HEAD];
	uint16_t n = (uint16_t)RTE_MIN(seg->payload_len, (uint16_t)PEND_HEAD);
	const uint8_t *d = rte_pktmbuf_read(m, seg->tcp_hlen, n, buf);
	/* capture time: the low 32 bits the front kept, under the engine's clock */
	uint64_t t = e->now_us - (uint32_t)((uint32_t)e->now_us - seg->t_cap);
	const struct dtc_xfer *x = seg->xfer < e->conf.n_xfer ? &e->conf.xfer[seg->xfer] : NULL;

	if (d == NULL)
		return;
	dtc_cmp_online_req(e->conf.cmp, sess_idx(e, s), seg->xfer,
		x != NULL ? rte_be_to_cpu_16(x->online_port) : 0, seg->ack, t, d, n);
}

void
sess_cmp_online(struct dtc_sess_engine *e, struct rte_mbuf *m)
{
	const struct dtc_seg *seg = dtc_seg_of(m);
	uint8_t buf[PEND_HEAD];
	uint16_t n = (uint16_t)RTE_MIN(seg->payload_len, (uint16_t)PEND_HEAD);
	uint64_t t = e->now_us - (uint32_t)((uint32_t)e->now_us - seg->t_cap);
	const uint8_t *d;
	uint32_t idx;

	if (e->conf.cmp == NULL || rte_pktmbuf_pkt_len(m) < (uint32_t)seg->tcp_hlen + n)
		goto done;
	idx = table_lookup(e, &seg->key, seg->flow_hash);
	if (idx != SESS_NIL && e->s[idx].origin != seg->origin)
		idx = e->n_redirect != 0 ? redir_find(e, seg->origin) : SESS_NIL;
	else if (idx == SESS_NIL && e->n_redirect != 0)
		idx = redir_find(e, seg->origin);
	if (idx == SESS_NIL || e->s[idx].state == SS_DEAD) {
		e->conf.cmp->cmp->live->online_unmatched++;
		goto done;
	}
	d = n != 0 ? rte_pktmbuf_read(m, seg->tcp_hlen, n, buf) : NULL;
	e->conf.cmp->cmp->live->online_segs++;
	dtc_cmp_online_ans(e->conf.cmp, idx, seg->seq, t, d, d != NULL ? n : 0,
		(seg->flags & DTC_TCP_RST) != 0);
	/* the answer's length: its extent in sequence space, whatever of it was kept */
	if (seg->payload_len > n && d != NULL)
		dtc_cmp_online_ans(e->conf.cmp, idx, seg->seq + n, t, NULL,
			(uint16_t)(seg->payload_len - n), false);
done:
	rte_pktmbuf_free(m);
}
