/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * lib/session/compare.c: the histograms against exact quantiles of the same samples, the
 * pairing outcomes (equal, outcome, length, bytes, test missing or reset, online missing),
 * the outcome matrix, the heavy-hitters table (heavy keys kept, totals conserved), samples,
 * snapshots and the merge of several workers' bodies.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_compare.h"
#include "../common/dtc_check.h"
#include "../common/dtc_test_eal.h"

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
exact_q(const uint64_t *sorted, size_t n, double q)
{
	size_t r = (size_t)ceil(q * (double)n);

	if (r < 1)
		r = 1;
	return sorted[r - 1];
}

/* Within the bucket's resolution: 1/16 of the value, or exact below 16. */
static int
close_enough(double got, double want)
{
	return fabs(got - want) <= fabs(want) / 16.0 + 0.5;
}

static uint64_t
rnd(void)
{
	return dtc_rand();
}

static void
test_buckets(void)
{
	unsigned int i;
	uint64_t v;

	dtc_check_case = "buckets";
	CHECK_EQ(dtc_cmp_hist_bucket_lo(0), 0);
	for (i = 0; i + 1 < DTC_CMP_HIST_BUCKETS; i++) {
		CHECK_EQ(dtc_cmp_hist_bucket_hi(i) + 1, dtc_cmp_hist_bucket_lo(i + 1));
		CHECK_EQ(dtc_cmp_hist_bucket(dtc_cmp_hist_bucket_lo(i)), i);
		CHECK_EQ(dtc_cmp_hist_bucket(dtc_cmp_hist_bucket_hi(i)), i);
	}
	for (i = 0; i < 100000; i++) {
		unsigned int b;

		v = rnd() >> (rnd() % 64);
		b = dtc_cmp_hist_bucket(v);
		CHECK(b < DTC_CMP_HIST_BUCKETS);
		CHECK(v >= dtc_cmp_hist_bucket_lo(b) && v <= dtc_cmp_hist_bucket_hi(b));
	}
	CHECK_EQ(dtc_cmp_hist_bucket(UINT64_MAX), DTC_CMP_HIST_BUCKETS - 1);
	CHECK_EQ(dtc_cmp_hist_bucket(15), 15);
	CHECK_EQ(dtc_cmp_hist_bucket(16), 16);
	CHECK_EQ(dtc_cmp_hist_bucket(33), dtc_cmp_hist_bucket(32));
}

static void
test_hist_quantiles(void)
{
	static const double qs[] = { 0.5, 0.9, 0.99, 0.999, 1.0 };
	enum { N = 20000 };
	static uint64_t v[N];
	static int64_t sv[N];
	struct dtc_cmp_hist *h = calloc(1, sizeof(*h)), *h2 = calloc(1, sizeof(*h2)),
		*hm = calloc(1, sizeof(*hm));
	struct dtc_cmp_shist *s = calloc(1, sizeof(*s));
	unsigned int i, q;

	dtc_check_case = "hist quantiles";
	CHECK_EQ(dtc_cmp_hist_quantile(h, 0.5), 0);
	CHECK_EQ(dtc_cmp_shist_quantile(s, 0.5), 0);
	for (i = 0; i < N; i++) {
		/* log-uniform from 1 us to ~1 s: every bucket range gets used */
		v[i] = (uint64_t)exp((double)(rnd() % 1000000) / 1000000.0 * log(1e6)) +
			rnd() % 3;
		dtc_cmp_hist_add(i % 2 ? h : h2, v[i]);
		dtc_cmp_hist_add(hm, v[i]);
		sv[i] = (int64_t)v[i] - 2000;
		dtc_cmp_shist_add(s, sv[i]);
	}
	dtc_cmp_hist_merge(h, h2);
	CHECK(memcmp(h, hm, sizeof(*h)) == 0);
	qsort(v, N, sizeof(v[0]), cmp_u64);
	qsort(sv, N, sizeof(sv[0]), cmp_i64);
	CHECK_EQ(h->n, N);
	CHECK_EQ(h->max, v[N - 1]);
	CHECK_EQ(h->min, v[0]);
	for (q = 0; q < RTE_DIM(qs); q++) {
		uint64_t got = dtc_cmp_hist_quantile(h, qs[q]), want = exact_q(v, N, qs[q]);
		int64_t sgot = dtc_cmp_shist_quantile(s, qs[q]);
		int64_t swant = sv[(size_t)ceil(qs[q] * N) - 1];

		CHECKF(close_enough((double)got, (double)want), "q %.3f got %" PRIu64 " want %"
			PRIu64, qs[q], got, want);
		CHECKF(close_enough((double)sgot, (double)swant), "signed q %.3f got %" PRId64
			" want %" PRId64, qs[q], sgot, swant);
	}
	CHECK_EQ(dtc_cmp_hist_quantile(h, 1.0), v[N - 1]);
	CHECK_EQ(dtc_cmp_shist_quantile(s, 1.0), sv[N - 1]);
	CHECK_EQ(dtc_cmp_shist_quantile(s, 0.00001), sv[0]);
	/* one value: every quantile is it */
	memset(h2, 0, sizeof(*h2));
	dtc_cmp_hist_add(h2, 12345);
	CHECK_EQ(dtc_cmp_hist_quantile(h2, 0.5), 12345);
	CHECK_EQ(dtc_cmp_hist_quantile(h2, 0.999), 12345);
	/* huge values stay ordered */
	dtc_cmp_hist_add(h2, UINT64_MAX);
	CHECK_EQ(dtc_cmp_hist_quantile(h2, 1.0), UINT64_MAX);
	memset(s, 0, sizeof(*s));
	dtc_cmp_shist_add(s, INT64_MIN);
	dtc_cmp_shist_add(s, -5);
	dtc_cmp_shist_add(s, 7);
	CHECK_EQ(dtc_cmp_shist_quantile(s, 0.5), -5);
	CHECK_EQ(dtc_cmp_shist_quantile(s, 1.0), 7);
	CHECK(dtc_cmp_shist_quantile(s, 0.1) < -(int64_t)1e18);
	free(h);
	free(h2);
	free(hm);
	free(s);
}

/* A HTTP exchange: request for path, online answer (status, length, first byte latency),
 * test answer. */
struct http_ex {
	char req[64], on[64], te[64];
	struct dtc_cmp_pair p;
};

static void
http_pair(struct http_ex *x, const char *path, int st_on, uint32_t len_on, uint64_t lat_on,
	int st_te, uint32_t len_te, uint64_t lat_te)
{
	memset(x, 0, sizeof(*x));
	snprintf(x->req, sizeof(x->req), "GET %s HTTP/1.1\r\nHost: a\r\n\r\n", path);
	snprintf(x->on, sizeof(x->on), "HTTP/1.1 %d X\r\nContent-Length: %u\r\n", st_on,
		len_on);
	snprintf(x->te, sizeof(x->te), "HTTP/1.1 %d X\r\nContent-Length: %u\r\n", st_te,
		len_te);
	x->p.proto = DTC_CLS_AUTO;
	x->p.port = 8080;
	x->p.req = (const uint8_t *)x->req;
	x->p.req_len = (uint16_t)strlen(x->req);
	x->p.online_req_us = 1000000;
	x->p.test_req_us = 5000000;
	x->p.online.first_us = 1000000 + lat_on;
	x->p.online.last_us = 1000000 + lat_on + 10;
	x->p.online.len = len_on;
	x->p.online.head = (const uint8_t *)x->on;
	x->p.online.head_len = len_on ? (uint16_t)strlen(x->on) : 0;
	x->p.test.first_us = 5000000 + lat_te;
	x->p.test.last_us = 5000000 + lat_te + 10;
	x->p.test.len = len_te;
	x->p.test.head = (const uint8_t *)x->te;
	x->p.test.head_len = len_te ? (uint16_t)strlen(x->te) : 0;
}

static const struct dtc_cmp_key *
find_key(const struct dtc_cmp_body *b, const char *name)
{
	uint32_t i;

	for (i = 0; i < b->n_keys; i++)
		if (strcmp(b->keys[i].name, name) == 0)
			return &b->keys[i];
	return NULL;
}

static uint64_t
cell(const struct dtc_cmp_stats *s, unsigned int on, unsigned int te)
{
	unsigned int i;

	for (i = 0; i < DTC_CMP_CELLS; i++)
		if (s->cells[i].n && s->cells[i].online == DTC_CLS_OUT(DTC_CLS_K_HTTP, on) &&
				s->cells[i].test == DTC_CLS_OUT(DTC_CLS_K_HTTP, te))
			return s->cells[i].n;
	return 0;
}

static void
check_conserved(const struct dtc_cmp_body *b)
{
	struct dtc_cmp_stats *sum = calloc(1, sizeof(*sum));
	uint32_t i, d;

	dtc_cmp_stats_merge(sum, &b->other.st);
	for (i = 0; i < b->n_keys; i++)
		dtc_cmp_stats_merge(sum, &b->keys[i].st);
	CHECK_EQ(sum->pairs, b->all.pairs);
	CHECK_EQ(sum->compared, b->all.compared);
	CHECK_EQ(sum->equal, b->all.equal);
	for (d = 0; d < DTC_CMP_DIFF_MAX; d++)
		CHECK_EQ(sum->diff[d], b->all.diff[d]);
	CHECK_EQ(sum->online.n, b->all.online.n);
	CHECK_EQ(dtc_cmp_shist_count(&sum->delta), dtc_cmp_shist_count(&b->all.delta));
	CHECK_EQ(b->all.pairs, b->all.compared + b->all.diff[DTC_CMP_DIFF_online_missing]);
	CHECK_EQ(b->all.compared, b->all.equal + b->all.diff[DTC_CMP_DIFF_test_reset] +
		b->all.diff[DTC_CMP_DIFF_test_missing] + b->all.diff[DTC_CMP_DIFF_outcome] +
		b->all.diff[DTC_CMP_DIFF_length] + b->all.diff[DTC_CMP_DIFF_bytes]);
	free(sum);
}

static void
test_pairs(void)
{
	struct dtc_cmp *c = dtc_cmp_create(8, 0);
	const struct dtc_cmp_body *b;
	const struct dtc_cmp_key *k;
	struct http_ex x;
	unsigned int i;
	char name[16];

	dtc_check_case = "pairs";
	CHECK(c != NULL);
	if (c == NULL)
		return;
	b = dtc_cmp_body(c);
	/* /ok: 100 equal answers, test 2 ms slower */
	for (i = 0; i < 100; i++) {
		http_pair(&x, "/ok/17", 200, 100, 1000, 200, 100, 3000);
		CHECK_EQ(dtc_cmp_add(c, &x.p), DTC_CMP_EQUAL);
	}
	/* /err: 30 answered 500 by the test server */
	for (i = 0; i < 30; i++) {
		http_pair(&x, "/err", 200, 100, 500, 500, 100, 500);
		CHECK_EQ(dtc_cmp_add(c, &x.p), DTC_CMP_DIFF_outcome);
	}
	http_pair(&x, "/len", 200, 100, 500, 200, 140, 500);
	CHECK_EQ(dtc_cmp_add(c, &x.p), DTC_CMP_DIFF_length);
	http_pair(&x, "/len", 200, 100, 500, 200, 90, 500);
	CHECK_EQ(dtc_cmp_add(c, &x.p), DTC_CMP_DIFF_length);
	http_pair(&x, "/miss", 200, 100, 500, 200, 0, 500);
	CHECK_EQ(dtc_cmp_add(c, &x.p), DTC_CMP_DIFF_test_missing);
	http_pair(&x, "/miss", 200, 100, 500, 200, 0, 500);
	x.p.test.reset = true;
	CHECK_EQ(dtc_cmp_add(c, &x.p), DTC_CMP_DIFF_test_reset);
	http_pair(&x, "/miss", 200, 0, 500, 200, 100, 500);
	CHECK_EQ(dtc_cmp_add(c, &x.p), DTC_CMP_DIFF_online_missing);
	/* the same status and length, other bytes (a raw protocol would only see this) */
	http_pair(&x, "/b", 200, 100, 500, 200, 100, 500);
	x.te[15] = 'Y';
	CHECK_EQ(dtc_cmp_add(c, &x.p), DTC_CMP_DIFF_bytes);
	/* the test answer before the request was sent: compared, not timed */
	http_pair(&x, "/b", 200, 100, 500, 200, 100, 500);
	x.p.test_req_us = x.p.test.first_us + 1;
	CHECK_EQ(dtc_cmp_add(c, &x.p), DTC_CMP_EQUAL);

	CHECK_EQ(b->all.pairs, 137);
	CHECK_EQ(b->all.compared, 136);
	CHECK_EQ(b->all.equal, 101);
	CHECK_EQ(b->all.diff[DTC_CMP_DIFF_outcome], 30);
	CHECK_EQ(b->all.diff[DTC_CMP_DIFF_length], 2);
	CHECK_EQ(b->all.diff[DTC_CMP_DIFF_test_missing], 1);
	CHECK_EQ(b->all.diff[DTC_CMP_DIFF_test_reset], 1);
	CHECK_EQ(b->all.diff[DTC_CMP_DIFF_online_missing], 1);
	CHECK_EQ(b->all.diff[DTC_CMP_DIFF_bytes], 1);
	CHECK_EQ(b->all.test_longer, 1);
	CHECK_EQ(b->all.test_shorter, 1);
	CHECK_EQ(b->all.len_diff[5], 1); /* 40 bytes */
	CHECK_EQ(b->all.len_diff[3], 1); /* 10 bytes */
	CHECK_EQ(cell(&b->all, 200, 200), 104);
	CHECK_EQ(cell(&b->all, 200, 500), 30);
	CHECK_EQ(b->all.online.n, 133); /* answered on both sides, test after its request */
	k = find_key(b, "GET /ok/{n}");
	CHECK(k != NULL);
	if (k != NULL) {
		CHECK_EQ(k->st.equal, 100);
		CHECK_EQ(dtc_cmp_shist_quantile(&k->st.delta, 0.99), 2000);
		CHECK(close_enough((double)dtc_cmp_hist_quantile(&k->st.test, 0.5), 3000));
		for (i = 0; i < DTC_CMP_DIFF_MAX; i++)
			CHECK_EQ(k->n_samples[i], 0);
	}
	k = find_key(b, "GET /err");
	CHECK(k != NULL);
	if (k != NULL) {
		CHECK_EQ(cell(&k->st, 200, 500), 30);
		CHECK_EQ(dtc_cmp_shist_quantile(&k->st.delta, 1.0), 0);
		/* 5 samples kept out of 30, with the bytes of both answers */
		CHECK_EQ(k->n_samples[DTC_CMP_DIFF_outcome], DTC_CMP_SAMPLES);
		CHECK(memcmp(k->samples[DTC_CMP_DIFF_outcome][0].test, "HTTP/1.1 500", 12) == 0);
		CHECK(memcmp(k->samples[DTC_CMP_DIFF_outcome][0].online, "HTTP/1.1 200", 12) == 0);
		CHECK(memcmp(k->samples[DTC_CMP_DIFF_outcome][0].req, "GET /err ", 9) == 0);
	}
	k = find_key(b, "GET /miss");
	CHECK(k != NULL && k->n_samples[DTC_CMP_DIFF_test_missing] == 1 &&
		k->n_samples[DTC_CMP_DIFF_test_reset] == 1 &&
		k->samples[DTC_CMP_DIFF_test_missing][0].test_len == 0);
	check_conserved(b);
	/* no key in the first bytes: the port */
	memset(&x, 0, sizeof(x));
	x.p.proto = DTC_CLS_raw;
	x.p.port = 7000;
	x.p.online.len = 3;
	x.p.test.len = 3;
	dtc_cmp_add(c, &x.p);
	CHECK(find_key(b, "port 7000") != NULL);
	/* more keys than the table: the rest under other, totals kept */
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "/k%c", 'a' + i);
		http_pair(&x, name, 200, 100, 500, 200, 100, 500);
		dtc_cmp_add(c, &x.p);
	}
	CHECK_EQ(b->n_keys, 8);
	CHECK(b->other.st.pairs > 0);
	check_conserved(b);
	dtc_cmp_free(c);
}

static void
test_heavy_hitters(void)
{
	struct dtc_cmp *c = dtc_cmp_create(4, 0);
	const struct dtc_cmp_body *b;
	struct http_ex x;
	unsigned int i;
	char path[32];

	dtc_check_case = "heavy hitters";
	CHECK(c != NULL);
	if (c == NULL)
		return;
	b = dtc_cmp_body(c);
	/* rare keys first fill the table, then three heavy keys among many rare ones */
	for (i = 0; i < 30000; i++) {
		unsigned int r = (unsigned int)(rnd() % 100);

		if (i < 4 || r >= 70)
			snprintf(path, sizeof(path), "/rare%u", (unsigned int)(rnd() % 5000));
		else
			snprintf(path, sizeof(path), "/heavy%u", r % 3);
		http_pair(&x, path, 200, 10, 100, 200, 10, 100);
		dtc_cmp_add(c, &x.p);
	}
	CHECK(find_key(b, "GET /heavy0") != NULL);
	CHECK(find_key(b, "GET /heavy1") != NULL);
	CHECK(find_key(b, "GET /heavy2") != NULL);
	CHECK(b->keys_evicted < 1000); /* the admission filter keeps churn low */
	for (i = 0; i < 3; i++) {
		const struct dtc_cmp_key *k;

		snprintf(path, sizeof(path), "GET /heavy%u", i);
		k = find_key(b, path);
		/* each heavy key: ~7000 requests, nearly all counted under its own name */
		if (k != NULL)
			CHECKF(k->st.pairs > 6000, "%s: %" PRIu64, path, k->st.pairs);
	}
	check_conserved(b);
	dtc_cmp_free(c);
}

static void
test_snapshot_and_merge(void)
{
	struct dtc_cmp *w[2] = { dtc_cmp_create(4, 0), dtc_cmp_create(4, 0) };
	const struct dtc_cmp_body *snap[2];
	struct dtc_cmp_body *m = dtc_cmp_body_alloc(3);
	const struct dtc_cmp_key *k;
	struct http_ex x;
	unsigned int i;

	dtc_check_case = "snapshot";
	CHECK(w[0] != NULL && w[1] != NULL && m != NULL);
	if (w[0] == NULL || w[1] == NULL || m == NULL)
		return;
	CHECK(dtc_cmp_create(0, 0) == NULL);
	CHECK(dtc_cmp_create(DTC_CMP_KEYS_MAX + 1, 0) == NULL);
	CHECK_EQ(dtc_cmp_snap_get(w[0], &snap[0]), 0); /* nothing asked yet: the empty copy */
	for (i = 0; i < 10; i++) {
		http_pair(&x, "/a", 200, 10, 100, 200, 10, 300);
		dtc_cmp_add(w[0], &x.p);
		http_pair(&x, "/a", 200, 10, 100, 404, 10, 100);
		dtc_cmp_add(w[1], &x.p);
	}
	for (i = 0; i < 5; i++) {
		http_pair(&x, "/b", 200, 10, 100, 200, 10, 100);
		dtc_cmp_add(w[1], &x.p);
	}
	http_pair(&x, "/c", 200, 10, 100, 200, 10, 100);
	dtc_cmp_add(w[0], &x.p);
	http_pair(&x, "/d", 200, 10, 100, 200, 10, 100);
	dtc_cmp_add(w[0], &x.p);
	for (i = 0; i < 2; i++) {
		dtc_cmp_snap_request(w[i]);
		CHECK_EQ(dtc_cmp_snap_get(w[i], &snap[i]), -EAGAIN);
		dtc_cmp_poll(w[i]);
		CHECK_EQ(dtc_cmp_snap_get(w[i], &snap[i]), 0);
		CHECK(memcmp(snap[i], dtc_cmp_body(w[i]), dtc_cmp_body_size(4)) == 0);
	}
	/* the copy stays as it was while the owner goes on */
	http_pair(&x, "/a", 200, 10, 100, 200, 10, 100);
	dtc_cmp_add(w[0], &x.p);
	CHECK_EQ(snap[0]->all.pairs, 12);
	CHECK_EQ(dtc_cmp_body(w[0])->all.pairs, 13);

	dtc_check_case = "merge";
	dtc_cmp_merge(m, snap, 2);
	CHECK_EQ(m->all.pairs, 27);
	CHECK_EQ(m->n_keys, 3);
	CHECK(strcmp(m->keys[0].name, "GET /a") == 0 && m->keys[0].st.pairs == 20);
	CHECK(strcmp(m->keys[1].name, "GET /b") == 0 && m->keys[1].st.pairs == 5);
	CHECK(strcmp(m->keys[2].name, "GET /c") == 0 && m->other.st.pairs == 1); /* /d */
	k = &m->keys[0];
	CHECK_EQ(cell(&k->st, 200, 200), 10);
	CHECK_EQ(cell(&k->st, 200, 404), 10);
	CHECK_EQ(k->n_samples[DTC_CMP_DIFF_outcome], DTC_CMP_SAMPLES);
	CHECK_EQ(dtc_cmp_shist_quantile(&k->st.delta, 1.0), 200);
	CHECK_EQ(dtc_cmp_shist_quantile(&k->st.delta, 0.5), 0);
	check_conserved(m);
	/* merging again gives the same (dst is overwritten) */
	dtc_cmp_merge(m, snap, 2);
	CHECK_EQ(m->all.pairs, 27);
	dtc_cmp_merge(m, snap, 0);
	CHECK_EQ(m->all.pairs, 0);
	CHECK_EQ(m->n_keys, 0);
	CHECK(dtc_cmp_mem_size(4) >= 2 * dtc_cmp_body_size(4));
	dtc_cmp_body_free(m);
	dtc_cmp_free(w[0]);
	dtc_cmp_free(w[1]);
	dtc_cmp_free(NULL);
}

/* ---------------------------------------------------------------- pairing */

static char on_buf[8][64], te_buf[8][64];

static const uint8_t *
status_line(char *b, int st)
{
	snprintf(b, 64, "HTTP/1.1 %d X\r\nContent-Length: 10\r\n\r\n0123456789", st);
	return (const uint8_t *)b;
}

static void
req(struct dtc_cmp_pairs *p, uint32_t sid, uint32_t ack, uint64_t t, const char *path)
{
	char r[64];

	snprintf(r, sizeof(r), "GET %s HTTP/1.1\r\n\r\n", path);
	dtc_cmp_online_req(p, sid, 0, 8080, ack, t, (const uint8_t *)r, (uint16_t)strlen(r));
}

/* An answer of `len` bytes in `pieces` segments from seq, times t, t+1, ... */
static void
online_ans(struct dtc_cmp_pairs *p, uint32_t sid, uint32_t seq, uint64_t t, const uint8_t *a,
	uint16_t len, unsigned int pieces)
{
	uint16_t off = 0, step = (uint16_t)((len + pieces - 1) / pieces);

	while (off < len) {
		uint16_t n = (uint16_t)RTE_MIN(step, len - off);

		dtc_cmp_online_ans(p, sid, seq + off, t++, a + off, n, false);
		off = (uint16_t)(off + n);
	}
}

/* The test server's next sequence number, per session (as the engine's rcv_nxt). */
static uint32_t te_seq[128];

/* A request released: its answer starts at the session's next test-server byte. */
static void
release(struct dtc_cmp_pairs *p, uint32_t sid, uint64_t t)
{
	dtc_cmp_test_sent(p, sid, true, t);
	dtc_cmp_test_ref(p, sid, te_seq[sid % 128]);
}

static void
test_ans(struct dtc_cmp_pairs *p, uint32_t sid, uint64_t t, const uint8_t *a, uint16_t len,
	unsigned int pieces)
{
	uint16_t off = 0, step = (uint16_t)((len + pieces - 1) / pieces);

	while (off < len) {
		uint16_t n = (uint16_t)RTE_MIN(step, len - off);

		dtc_cmp_test_ans(p, sid, te_seq[sid % 128], t++, a + off, n,
			DTC_CMP_OUTCOME_UNKNOWN, false);
		te_seq[sid % 128] += n;
		off = (uint16_t)(off + n);
	}
}

/* A new comparison (8 keys) and pairer (16 sessions, 4 records), the old ones freed. */
static void
fresh(struct dtc_cmp **c, struct dtc_cmp_pairs **p, const struct dtc_cmp_body **b)
{
	dtc_cmp_pairs_free(*p);
	dtc_cmp_free(*c);
	*c = dtc_cmp_create(8, 0);
	*p = dtc_cmp_pairs_create(*c, 16, 4, 0);
	if (*c == NULL || *p == NULL)
		abort();
	*b = dtc_cmp_body(*c);
}

static void
test_pairing(void)
{
	struct dtc_cmp *c = dtc_cmp_create(8, 0);
	struct dtc_cmp_pairs *p = c ? dtc_cmp_pairs_create(c, 16, 4, 0) : NULL;
	const struct dtc_cmp_body *b;
	const struct dtc_cmp_key *k;
	const uint8_t *a;
	uint16_t al;
	unsigned int i;

	dtc_check_case = "pairing";
	CHECK(p != NULL);
	if (p == NULL)
		return;
	b = dtc_cmp_body(c);
	CHECK(dtc_cmp_pairs_create(c, 0, 4, 0) == NULL);
	CHECK(dtc_cmp_pairs_create(NULL, 4, 4, 0) == NULL);
	CHECK(dtc_cmp_pairs_mem_size(1000, 100) > 1000 * 8 + 100 * 128);

	/* three requests one after the other; the online answers split in 3 segments, the test
	 * answers in 5; the online side runs ahead of the copy by all three requests */
	a = status_line(on_buf[0], 200);
	al = (uint16_t)strlen((const char *)a);
	for (i = 0; i < 3; i++) {
		req(p, 1, 1000 + i * al, 100 * i + 10, "/x");
		online_ans(p, 1, 1000 + i * al, 100 * i + 20, status_line(on_buf[i], 200 + i), al,
			3);
	}
	CHECK_EQ(dtc_cmp_pairs_in_use(p), 3);
	for (i = 0; i < 3; i++) {
		release(p, 1, 10000 + 1000 * i);
		test_ans(p, 1, 10000 + 1000 * i + 50, status_line(te_buf[i], 200 + i), al, 5);
	}
	CHECK_EQ(b->all.pairs, 2); /* the third waits for the next release or the end */
	dtc_cmp_sess_end(p, 1);
	CHECK_EQ(b->all.pairs, 3);
	CHECK_EQ(b->all.equal, 3); /* a shift by one would have paired 200 with 201 */
	CHECK_EQ(b->all.online.max, 10); /* 10 us request -> first online byte */
	CHECK_EQ(b->all.test.max, 50);
	CHECK_EQ(b->online_last.max, 12); /* three segments, 1 us apart */
	CHECK_EQ(b->test_last.max, 54);
	CHECK_EQ(dtc_cmp_pairs_in_use(p), 0);

	/* pipelined requests (one ACK) are one request; a continuation moves its last byte */
	fresh(&c, &p, &b);
	req(p, 2, 5000, 10, "/a");
	req(p, 2, 5000, 15, "/b");
	online_ans(p, 2, 5000, 30, a, al, 1);
	release(p, 2, 100);
	dtc_cmp_test_sent(p, 2, false, 105);
	test_ans(p, 2, 125, a, al, 2);
	/* the online answer of the second request never made it into the capture */
	req(p, 2, 5000 + al, 200, "/c");
	release(p, 2, 300);
	test_ans(p, 2, 310, a, al, 1);
	/* the third: answered on both sides, the test's one reset */
	req(p, 2, 5000 + 2 * al, 400, "/d");
	online_ans(p, 2, 5000 + 2 * al, 420, a, al, 1);
	release(p, 2, 500);
	dtc_cmp_test_ans(p, 2, te_seq[2], 510, NULL, 0, DTC_CMP_OUTCOME_UNKNOWN, true);
	/* the fourth never went out */
	req(p, 2, 5000 + 3 * al, 600, "/e");
	dtc_cmp_sess_end(p, 2);
	CHECK_EQ(b->all.pairs, 3);
	CHECK_EQ(b->all.equal, 1);
	CHECK_EQ(b->all.diff[DTC_CMP_DIFF_online_missing], 1);
	CHECK_EQ(b->all.diff[DTC_CMP_DIFF_test_reset], 1);
	CHECK_EQ(b->not_sent, 1);
	k = find_key(b, "GET /a");
	CHECK(k != NULL && k->st.pairs == 1 && k->st.online.max == 15 && k->st.test.max == 20);
	CHECK(k != NULL && k->samples[0][0].req_len == 0); /* no sample for an equal pair */
	CHECK_EQ(dtc_cmp_pairs_in_use(p), 0);

	/* online answer segments reordered and repeated: the head and the length still right */
	fresh(&c, &p, &b);
	req(p, 3, 100, 10, "/r");
	dtc_cmp_online_ans(p, 3, 100 + 20, 22, a + 20, (uint16_t)(al - 20), false);
	dtc_cmp_online_ans(p, 3, 100, 21, a, 20, false);
	dtc_cmp_online_ans(p, 3, 100, 23, a, 20, false);
	dtc_cmp_online_ans(p, 3, 50, 24, a, 20, false); /* before the request: ignored */
	release(p, 3, 1000);
	test_ans(p, 3, 1001, a, al, 1);
	dtc_cmp_sess_end(p, 3);
	CHECK_EQ(b->all.equal, 1);
	CHECK_EQ(b->all.online.max, 11);

	/*
	 * Regression (found by e2e_compare): a catch-up releases the next request before the
	 * previous answer has come (a test server 20 ms slower than max_lag).  Its answer starts
	 * where the previous one will end (rcv_ref), and the late bytes still go to the earlier
	 * request: 200 with 200, 500 with 500, not shifted by one.
	 */
	fresh(&c, &p, &b);
	req(p, 6, 100, 10, "/s");
	online_ans(p, 6, 100, 11, status_line(on_buf[0], 200), al, 1);
	req(p, 6, 100 + al, 20, "/e");
	online_ans(p, 6, 100 + al, 21, status_line(on_buf[1], 500), al, 1);
	dtc_cmp_test_sent(p, 6, true, 1000);
	dtc_cmp_test_ref(p, 6, 7000);
	dtc_cmp_test_sent(p, 6, true, 6000); /* catch-up: the first answer is still due */
	dtc_cmp_test_ref(p, 6, 7000 + al);
	dtc_cmp_test_ans(p, 6, 7000, 21000, (const uint8_t *)status_line(te_buf[0], 200), 20,
		DTC_CMP_OUTCOME_UNKNOWN, false);
	dtc_cmp_test_ans(p, 6, 7020, 21001, (const uint8_t *)te_buf[0] + 20, (uint16_t)(al - 20),
		DTC_CMP_OUTCOME_UNKNOWN, false);
	CHECK_EQ(b->all.pairs, 0); /* the first is paired by the second answer's first byte */
	dtc_cmp_test_ans(p, 6, 7000 + al, 21100, (const uint8_t *)status_line(te_buf[1], 500),
		al, DTC_CMP_OUTCOME_UNKNOWN, false);
	CHECK_EQ(b->all.pairs, 1);
	dtc_cmp_sess_end(p, 6);
	CHECK_EQ(b->all.pairs, 2);
	CHECK_EQ(b->all.equal, 2);
	k = find_key(b, "GET /s");
	CHECK(k != NULL && k->st.test.max == 20000 && k->st.online.max == 1);
	k = find_key(b, "GET /e");
	/* from the end of the previous answer (21001), not its release at 6000: the test
	 * server could not start on it before */
	CHECK(k != NULL && k->st.test.max == 99);
	/* classified segments (two-host mode): the next answer starts at the next segment that
	 * starts an answer, even where the engine's estimate (rcv_ref) says otherwise (the test
	 * answer was longer than the online one) */
	fresh(&c, &p, &b);
	req(p, 6, 100, 10, "/s");
	online_ans(p, 6, 100, 11, status_line(on_buf[0], 200), al, 1);
	req(p, 6, 100 + al, 20, "/e");
	online_ans(p, 6, 100 + al, 21, status_line(on_buf[1], 500), al, 1);
	dtc_cmp_test_sent(p, 6, true, 1000);
	dtc_cmp_test_ref(p, 6, 7000);
	dtc_cmp_test_sent(p, 6, true, 6000);
	dtc_cmp_test_ref(p, 6, 7000 + al);
	dtc_cmp_test_ans(p, 6, 7000, 21000, NULL, (uint16_t)(al + 30),
		DTC_CLS_OUT(DTC_CLS_K_HTTP, 200), false);
	dtc_cmp_test_ans(p, 6, 7000 + al + 30, 21010, NULL, 10, DTC_CLS_OUT(DTC_CLS_K_NONE, 0),
		false); /* the rest of the longer first answer */
	CHECK_EQ(b->all.pairs, 0);
	dtc_cmp_test_ans(p, 6, 7000 + al + 40, 21100, NULL, al,
		DTC_CLS_OUT(DTC_CLS_K_HTTP, 500), false);
	dtc_cmp_sess_end(p, 6);
	CHECK_EQ(b->all.pairs, 2);
	CHECK_EQ(cell(&b->all, 200, 200), 1);
	CHECK_EQ(cell(&b->all, 500, 500), 1);
	CHECK_EQ(b->all.test_longer, 1);
	CHECK_EQ(b->all.len_diff[5], 1); /* 40 bytes longer */
	/* an outcome classified by the control lcore counts only at the answer's start */
	fresh(&c, &p, &b);
	req(p, 7, 100, 10, "/o");
	online_ans(p, 7, 100, 11, status_line(on_buf[0], 200), al, 1);
	dtc_cmp_test_sent(p, 7, true, 1000);
	dtc_cmp_test_ref(p, 7, 500);
	dtc_cmp_test_ans(p, 7, 500, 1100, NULL, al, DTC_CLS_OUT(DTC_CLS_K_HTTP, 503), false);
	dtc_cmp_sess_end(p, 7);
	CHECK_EQ(b->all.diff[DTC_CMP_DIFF_outcome], 1);
	CHECK_EQ(cell(&b->all, 200, 503), 1);
	fresh(&c, &p, &b);
	req(p, 7, 100, 10, "/o");
	online_ans(p, 7, 100, 11, status_line(on_buf[0], 200), al, 1);
	dtc_cmp_test_sent(p, 7, true, 1000);
	dtc_cmp_test_ref(p, 7, 500);
	dtc_cmp_test_ans(p, 7, 490, 1100, NULL, 10, DTC_CMP_OUTCOME_UNKNOWN, false); /* before */
	dtc_cmp_test_ans(p, 7, 500, 1100, NULL, al, DTC_CMP_OUTCOME_UNKNOWN, false);
	dtc_cmp_sess_end(p, 7);
	CHECK_EQ(b->all.outcome_unknown, 1);
	CHECK_EQ(b->all.equal, 1); /* same length, the test bytes not seen */

	/* the pool (4 records) runs out: that session stops being compared, others go on */
	fresh(&c, &p, &b);
	req(p, 4, 10, 1, "/p");
	req(p, 5, 10, 1, "/p");
	req(p, 5, 20, 2, "/p");
	req(p, 5, 30, 3, "/p");
	CHECK_EQ(dtc_cmp_pairs_in_use(p), 4);
	req(p, 5, 40, 4, "/p"); /* no record: session 5 is dropped (4 requests) */
	CHECK_EQ(b->no_record, 4);
	CHECK_EQ(dtc_cmp_pairs_in_use(p), 1);
	req(p, 5, 50, 5, "/p");
	CHECK_EQ(b->no_record, 5);
	release(p, 5, 10);
	dtc_cmp_test_ans(p, 5, te_seq[5], 11, a, al, DTC_CMP_OUTCOME_UNKNOWN, false);
	online_ans(p, 4, 10, 2, a, al, 1);
	release(p, 4, 10);
	test_ans(p, 4, 11, a, al, 1);
	dtc_cmp_sess_end(p, 5);
	dtc_cmp_sess_end(p, 4);
	CHECK_EQ(b->all.pairs, 1);
	CHECK_EQ(b->all.equal, 1);
	CHECK_EQ(dtc_cmp_pairs_in_use(p), 0);
	/* session 5 ended: its index is compared again */
	req(p, 5, 10, 1, "/p");
	CHECK_EQ(dtc_cmp_pairs_in_use(p), 1);
	dtc_cmp_sess_end(p, 5);
	/* out-of-range session ids are ignored */
	req(p, 16, 10, 1, "/p");
	dtc_cmp_online_ans(p, 99, 10, 1, a, al, false);
	release(p, 99, 1);
	dtc_cmp_test_ans(p, 99, 0, 1, a, al, DTC_CMP_OUTCOME_UNKNOWN, false);
	dtc_cmp_sess_end(p, 99);
	CHECK_EQ(dtc_cmp_pairs_in_use(p), 0);
	dtc_cmp_pairs_free(p);
	dtc_cmp_pairs_free(NULL);
	dtc_cmp_free(c);
}

int
main(int argc, char **argv)
{
	(void)argc;
	if (dtc_test_eal_init(argv[0], "cmp", 64) < 0)
		return 1;
	dtc_rng = 13;
	test_buckets();
	test_hist_quantiles();
	test_pairs();
	test_heavy_hitters();
	test_snapshot_and_merge();
	test_pairing();
	dtc_test_eal_fini();
	return dtc_check_end("test_session_compare");
}
