/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dtc-impair's logic on a fake clock: packets are small integers cast to pointers, pushed one
 * every `gap` ns and popped every `step` ns.  Checks that nothing leaves before it is due, that
 * delay and jitter never reorder, that the reorder window does (and only the held packets
 * arrive late), that the rates come out as set, that a full line counts its drops, that the
 * same seed gives the same run, and the option value parser.
 */

#include <errno.h>
#include <math.h>

#include "dtc_check.h"
#include "dtc_impair.h"

#define MS 1000000ULL

struct rec {
	uint64_t in;		/* push time */
	uint64_t out;		/* pop time, 0 while queued */
	unsigned int outs;	/* times popped (2 when duplicated) */
};

struct run {
	struct dtc_imp_line l;
	struct rec *r;
	unsigned int n;
	unsigned int inversions;	/* pops of a packet after a later-pushed one */
	unsigned int late_held;		/* packets that left later than delay+jitter+slack */
	unsigned int early;		/* before due (delay - jitter) */
	uint64_t max_seen;
};

/* Push n packets, one every gap ns, popping every step ns; then drain. */
static void
drive(struct run *ru, const struct dtc_imp_cfg *cfg, uint32_t size, uint64_t seed,
		unsigned int n, uint64_t gap, uint64_t step)
{
	uint64_t t = 1000 * MS, next_push = t;
	unsigned int pushed = 0, k, i;
	void *out[64];
	int rc;

	memset(ru, 0, sizeof(*ru));
	rc = dtc_imp_line_init(&ru->l, cfg, size, seed);
	CHECK_EQ(rc, 0);
	ru->r = calloc(n + 1, sizeof(*ru->r));
	ru->n = n;
	for (;;) {
		while (pushed < n && next_push <= t) {
			ru->r[pushed + 1].in = next_push;
			dtc_imp_push(&ru->l, (void *)(uintptr_t)(pushed + 1), next_push);
			pushed++;
			next_push += gap;
		}
		while ((k = dtc_imp_pop(&ru->l, t, out, 64)) != 0) {
			for (i = 0; i < k; i++) {
				uintptr_t id = (uintptr_t)out[i];
				struct rec *r = &ru->r[id];

				if (id < ru->max_seen && r->outs == 0)
					ru->inversions++;
				if (id > ru->max_seen)
					ru->max_seen = id;
				if (r->outs++ == 0)
					r->out = t;
				if (t + step < r->in + cfg->delay_ns - cfg->jitter_ns)
					ru->early++;
			}
			ru->l.c.tx += k;
		}
		if (pushed == n && dtc_imp_queued(&ru->l) == 0)
			break;
		t += step;
	}
}

static void
test_plain_delay(void)
{
	struct dtc_imp_cfg cfg = { .delay_ns = 5 * MS };
	struct run ru;
	unsigned int i, bad = 0;

	dtc_check_case = "plain delay";
	drive(&ru, &cfg, 1024, 7, 2000, 100000, 10000);
	for (i = 1; i <= ru.n; i++) {
		uint64_t d = ru.r[i].out - ru.r[i].in;

		if (ru.r[i].outs != 1 || d < 5 * MS || d > 5 * MS + 10000)
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(ru.inversions, 0);
	CHECK_EQ(ru.l.c.rx, 2000);
	CHECK_EQ(ru.l.c.tx, 2000);
	CHECK_EQ(ru.l.c.lost + ru.l.c.dup + ru.l.c.reordered + ru.l.c.overflow, 0);
	dtc_imp_line_free(&ru.l);
	free(ru.r);
}

/* 5 ± 2 ms: every delay within [3, 7] ms (plus one pop step), none early, none reordered,
 * and the delays spread over the range (not all at one end). */
static void
test_jitter_keeps_order(void)
{
	struct dtc_imp_cfg cfg = { .delay_ns = 5 * MS, .jitter_ns = 2 * MS };
	struct run ru;
	unsigned int i, bad = 0, low = 0;

	dtc_check_case = "jitter keeps order";
	/* Sparse packets (one per 10 ms): each sees its own jitter. */
	drive(&ru, &cfg, 1024, 11, 3000, 10 * MS, 50000);
	for (i = 1; i <= ru.n; i++) {
		uint64_t d = ru.r[i].out - ru.r[i].in;

		if (d < 3 * MS || d > 7 * MS + 50000)
			bad++;
		if (d < 4 * MS)
			low++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(ru.early, 0);
	CHECK_EQ(ru.inversions, 0);
	/* a quarter of uniform [3, 7] is below 4 */
	CHECKF(low > 600 && low < 900, "low %u", low);
	dtc_imp_line_free(&ru.l);
	free(ru.r);

	/* Dense packets (one per 10 us, far closer than the jitter): still in order. */
	drive(&ru, &cfg, 4096, 12, 20000, 10000, 10000);
	CHECK_EQ(ru.inversions, 0);
	CHECK_EQ(ru.early, 0);
	CHECK_EQ(ru.l.c.tx, 20000);
	dtc_imp_line_free(&ru.l);
	free(ru.r);
}

/* 0.5 % held back 3 ms while packets arrive every 100 us: each held packet is overtaken by
 * about 30, and only held packets arrive out of order. */
static void
test_reorder_window(void)
{
	struct dtc_imp_cfg cfg = { .delay_ns = 1 * MS, .reorder_ppm = 5000,
		.window_ns = 3 * MS };
	struct run ru;
	unsigned int i, late = 0, on_time = 0, n = 100000;

	dtc_check_case = "reorder window";
	drive(&ru, &cfg, 4096, 3, n, 100000, 10000);
	for (i = 1; i <= ru.n; i++) {
		uint64_t d = ru.r[i].out - ru.r[i].in;

		if (d >= 4 * MS && d <= 4 * MS + 10000)
			late++;
		else if (d >= 1 * MS && d <= 1 * MS + 10000)
			on_time++;
	}
	CHECK_EQ(late, ru.l.c.reordered);
	CHECK_EQ(late + on_time, n);
	CHECKF(fabs((double)ru.l.c.reordered / n - 0.005) < 0.001, "reordered %" PRIu64,
		ru.l.c.reordered);
	/* every held packet was overtaken by the next ~30 */
	CHECKF(ru.inversions == ru.l.c.reordered, "inversions %u reordered %" PRIu64,
		ru.inversions, ru.l.c.reordered);
	dtc_imp_line_free(&ru.l);
	free(ru.r);
}

/* The held line stays in due order with jitter larger than the window differences. */
static void
test_reorder_with_jitter(void)
{
	struct dtc_imp_cfg cfg = { .delay_ns = 5 * MS, .jitter_ns = 2 * MS,
		.reorder_ppm = 200000, .window_ns = 1 * MS };
	struct run ru;

	dtc_check_case = "reorder with jitter";
	drive(&ru, &cfg, 8192, 5, 50000, 20000, 10000);
	CHECK_EQ(ru.early, 0);
	CHECK_EQ(ru.l.c.tx, 50000);
	CHECK_EQ(dtc_imp_queued(&ru.l), 0);
	dtc_imp_line_free(&ru.l);
	free(ru.r);
}

static void
test_rates(void)
{
	struct dtc_imp_cfg cfg = { .loss_ppm = 10000, .dup_ppm = 1000 };
	struct run ru;
	unsigned int i, twice = 0, never = 0, n = 200000;

	dtc_check_case = "loss and duplication rates";
	drive(&ru, &cfg, 1024, 99, n, 1000, 1000);
	for (i = 1; i <= n; i++) {
		twice += ru.r[i].outs == 2;
		never += ru.r[i].outs == 0;
	}
	CHECK_EQ(never, ru.l.c.lost);
	CHECK_EQ(twice, ru.l.c.dup);
	CHECK_EQ(ru.l.c.tx, n - ru.l.c.lost + ru.l.c.dup);
	/* 1 %: 2000 expected, sd ~45; 0.1 %: 198 expected, sd ~14 */
	CHECKF(ru.l.c.lost > 1800 && ru.l.c.lost < 2200, "lost %" PRIu64, ru.l.c.lost);
	CHECKF(ru.l.c.dup > 140 && ru.l.c.dup < 260, "dup %" PRIu64, ru.l.c.dup);
	CHECK_EQ(ru.inversions, 0);
	dtc_imp_line_free(&ru.l);
	free(ru.r);

	cfg.loss_ppm = 1000000;
	drive(&ru, &cfg, 16, 1, 1000, 1000, 1000);
	CHECK_EQ(ru.l.c.lost, 1000);
	CHECK_EQ(ru.l.c.tx, 0);
	dtc_imp_line_free(&ru.l);
	free(ru.r);
}

static void
test_same_seed(void)
{
	struct dtc_imp_cfg cfg = { .loss_ppm = 50000, .dup_ppm = 50000, .reorder_ppm = 50000,
		.delay_ns = MS, .jitter_ns = MS, .window_ns = MS };
	struct run a, b, c;
	unsigned int i, diff = 0, diff_c = 0;

	dtc_check_case = "same seed, same run";
	drive(&a, &cfg, 1024, 42, 5000, 50000, 10000);
	drive(&b, &cfg, 1024, 42, 5000, 50000, 10000);
	drive(&c, &cfg, 1024, 43, 5000, 50000, 10000);
	for (i = 1; i <= 5000; i++) {
		diff += a.r[i].out != b.r[i].out || a.r[i].outs != b.r[i].outs;
		diff_c += a.r[i].out != c.r[i].out || a.r[i].outs != c.r[i].outs;
	}
	CHECK_EQ(diff, 0);
	CHECK(diff_c > 100);
	CHECK_EQ(memcmp(&a.l.c, &b.l.c, sizeof(a.l.c)), 0);
	dtc_imp_line_free(&a.l);
	dtc_imp_line_free(&b.l);
	dtc_imp_line_free(&c.l);
	free(a.r);
	free(b.r);
	free(c.r);
}

/* A line of 8 that is never popped: 8 queued, then counted overflows; a duplicate that does
 * not fit is sent once. */
static void
test_overflow(void)
{
	struct dtc_imp_cfg cfg = { .delay_ns = MS };
	struct dtc_imp_line l;
	void *out[16];
	unsigned int i, n;

	dtc_check_case = "overflow";
	CHECK_EQ(dtc_imp_line_init(&l, &cfg, 8, 1), 0);
	for (i = 0; i < 20; i++)
		dtc_imp_push(&l, (void *)(uintptr_t)(i + 1), 0);
	CHECK_EQ(dtc_imp_queued(&l), 8);
	CHECK_EQ(l.c.overflow, 12);
	CHECK_EQ(dtc_imp_next_due(&l), MS);
	CHECK_EQ(dtc_imp_pop(&l, MS - 1, out, 16), 0);
	n = dtc_imp_pop(&l, MS, out, 16);
	CHECK_EQ(n, 8);
	for (i = 0; i < n; i++)
		CHECK_EQ((uintptr_t)out[i], i + 1);
	CHECK_EQ(dtc_imp_next_due(&l), UINT64_MAX);
	dtc_imp_line_free(&l);

	cfg.dup_ppm = 1000000;
	CHECK_EQ(dtc_imp_line_init(&l, &cfg, 4, 1), 0);
	CHECK_EQ(dtc_imp_push(&l, (void *)1, 0), DTC_IMP_QUEUED_TWICE);
	CHECK_EQ(dtc_imp_push(&l, (void *)2, 0), DTC_IMP_QUEUED_TWICE);
	CHECK_EQ(dtc_imp_push(&l, (void *)3, 0), DTC_IMP_FULL);
	CHECK_EQ(dtc_imp_pop(&l, MS, out, 1), 1);
	CHECK_EQ(dtc_imp_push(&l, (void *)4, 0), DTC_IMP_QUEUED);	/* room for one only */
	CHECK_EQ(l.c.dup, 2);
	dtc_imp_line_free(&l);

	CHECK_EQ(dtc_imp_line_init(&l, &cfg, 6, 1), -EINVAL);
	CHECK_EQ(dtc_imp_line_init(&l, &cfg, 1, 1), -EINVAL);
	cfg.loss_ppm = 1000001;
	CHECK_EQ(dtc_imp_line_init(&l, &cfg, 8, 1), -EINVAL);
}

static void
test_parse(void)
{
	static const char *const bad[] = { "", ",", "1,", ",1", "1,2,3", " 1", "1 ", "-1", "+1",
		"1.", ".5", "0x10", "inf", "nan", "1e2", "101", "1.0000001", "1234567890", "5,101" };
	uint64_t v[2];
	unsigned int i;

	dtc_check_case = "option values";
	CHECK_EQ(dtc_imp_parse_pair("1", 100, 1e4, v), 0);
	CHECK_EQ(v[0], 10000);
	CHECK_EQ(v[1], 10000);
	CHECK_EQ(dtc_imp_parse_pair("0.5,0.1", 100, 1e4, v), 0);
	CHECK_EQ(v[0], 5000);
	CHECK_EQ(v[1], 1000);
	CHECK_EQ(dtc_imp_parse_pair("100", 100, 1e4, v), 0);
	CHECK_EQ(v[0], 1000000);
	CHECK_EQ(dtc_imp_parse_pair("0.000001", 100, 1e4, v), 0);
	CHECK_EQ(v[0], 0);	/* below one ppm rounds to 0 */
	CHECK_EQ(dtc_imp_parse_pair("5,2.5", 10000, 1e6, v), 0);
	CHECK_EQ(v[0], 5 * MS);
	CHECK_EQ(v[1], 2500000);
	CHECK_EQ(dtc_imp_parse_pair("0.001", 10000, 1e6, v), 0);
	CHECK_EQ(v[0], 1000);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECKF(dtc_imp_parse_pair(bad[i], 100, 1e4, v) == -EINVAL, "'%s'", bad[i]);
	CHECK_EQ(dtc_imp_parse_pair(NULL, 100, 1e4, v), -EINVAL);
}

int
main(void)
{
	test_plain_delay();
	test_jitter_keeps_order();
	test_reorder_window();
	test_reorder_with_jitter();
	test_rates();
	test_same_seed();
	test_overflow();
	test_parse();
	dtc_check_case = NULL;
	return dtc_check_end("test_impair");
}
