/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* The delay line, reorder window and random fates of dtc-impair (see dtc_impair.h). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_impair.h"

int
dtc_imp_line_init(struct dtc_imp_line *l, const struct dtc_imp_cfg *cfg, uint32_t size,
		uint64_t seed)
{
	memset(l, 0, sizeof(*l));
	if (size < 2 || (size & (size - 1)) != 0 || cfg->loss_ppm > 1000000 ||
			cfg->dup_ppm > 1000000 || cfg->reorder_ppm > 1000000)
		return -EINVAL;
	l->main.e = calloc(size, sizeof(*l->main.e));
	l->held.e = calloc(size, sizeof(*l->held.e));
	if (l->main.e == NULL || l->held.e == NULL) {
		dtc_imp_line_free(l);
		return -ENOMEM;
	}
	l->cfg = *cfg;
	l->mask = size - 1;
	/* splitmix64 of the seed: nearby seeds give unrelated streams, and the state is never 0. */
	seed += 0x9e3779b97f4a7c15ULL;
	seed = (seed ^ (seed >> 30)) * 0xbf58476d1ce4e5b9ULL;
	seed = (seed ^ (seed >> 27)) * 0x94d049bb133111ebULL;
	seed ^= seed >> 31;
	l->rng = seed != 0 ? seed : 1;
	return 0;
}

void
dtc_imp_line_free(struct dtc_imp_line *l)
{
	free(l->main.e);
	free(l->held.e);
	l->main.e = NULL;
	l->held.e = NULL;
}

static uint64_t
rand64(struct dtc_imp_line *l)
{
	uint64_t x = l->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	l->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

uint32_t
dtc_imp_rand(struct dtc_imp_line *l)
{
	return (uint32_t)(rand64(l) >> 32);
}

/* True with probability ppm / 10^6; draws nothing when ppm is 0, so that a setting left at
 * 0 does not change the fates drawn for the others. */
static bool
chance(struct dtc_imp_line *l, uint32_t ppm)
{
	if (ppm == 0)
		return false;
	return ((uint64_t)dtc_imp_rand(l) * 1000000) >> 32 < ppm;
}

static uint32_t
ring_used(const struct dtc_imp_ring *r)
{
	return r->tail - r->head;
}

static void
ring_put(struct dtc_imp_line *l, struct dtc_imp_ring *r, void *pkt, uint64_t due)
{
	r->e[r->tail & l->mask] = (struct dtc_imp_ent){ .pkt = pkt, .due = due };
	r->tail++;
}

enum dtc_imp_fate
dtc_imp_push(struct dtc_imp_line *l, void *pkt, uint64_t now)
{
	struct dtc_imp_ring *r;
	uint64_t due = now + l->cfg.delay_ns;
	bool dup, reorder;
	uint32_t room;

	l->c.rx++;
	if (chance(l, l->cfg.loss_ppm)) {
		l->c.lost++;
		return DTC_IMP_LOST;
	}
	dup = chance(l, l->cfg.dup_ppm);
	reorder = chance(l, l->cfg.reorder_ppm);
	if (l->cfg.jitter_ns != 0) {
		uint64_t off = rand64(l) % (2 * l->cfg.jitter_ns + 1);

		/* due + off - jitter, not before now */
		due = due + off >= now + l->cfg.jitter_ns ? due + off - l->cfg.jitter_ns : now;
	}
	/* Jitter never reorders: not before the previous packet of the main line. */
	if (due < l->last_due)
		due = l->last_due;
	if (reorder) {
		r = &l->held;
		due += l->cfg.window_ns;
		/* The held line stays in due-time order too: ring_last_due of the held ring. */
		if (ring_used(r) != 0 && due < r->e[(r->tail - 1) & l->mask].due)
			due = r->e[(r->tail - 1) & l->mask].due;
	} else {
		r = &l->main;
	}
	room = l->mask + 1 - ring_used(r);
	if (room == 0) {
		l->c.overflow++;
		return DTC_IMP_FULL;
	}
	if (dup && room < 2)
		dup = false;
	ring_put(l, r, pkt, due);
	if (dup)
		ring_put(l, r, pkt, due);
	if (!reorder)
		l->last_due = due;
	else
		l->c.reordered++;
	if (dup) {
		l->c.dup++;
		return DTC_IMP_QUEUED_TWICE;
	}
	return DTC_IMP_QUEUED;
}

unsigned int
dtc_imp_pop(struct dtc_imp_line *l, uint64_t now, void **out, unsigned int n)
{
	struct dtc_imp_ring *r;
	unsigned int k = 0;

	while (k < n) {
		const struct dtc_imp_ent *m = NULL, *h = NULL;

		if (ring_used(&l->main) != 0)
			m = &l->main.e[l->main.head & l->mask];
		if (ring_used(&l->held) != 0)
			h = &l->held.e[l->held.head & l->mask];
		if (m != NULL && (h == NULL || m->due <= h->due))
			r = &l->main;
		else if (h != NULL)
			r = &l->held;
		else
			break;
		if (r->e[r->head & l->mask].due > now)
			break;
		out[k++] = r->e[r->head & l->mask].pkt;
		r->head++;
	}
	return k;
}

uint32_t
dtc_imp_queued(const struct dtc_imp_line *l)
{
	return ring_used(&l->main) + ring_used(&l->held);
}

uint64_t
dtc_imp_next_due(const struct dtc_imp_line *l)
{
	uint64_t d = UINT64_MAX;

	if (ring_used(&l->main) != 0)
		d = l->main.e[l->main.head & l->mask].due;
	if (ring_used(&l->held) != 0 && l->held.e[l->held.head & l->mask].due < d)
		d = l->held.e[l->held.head & l->mask].due;
	return d;
}

/* A decimal number: digits, optionally '.' and 1 to 6 digits; value in millionths. */
static int
parse_dec(const char *s, const char *end, uint64_t *micro)
{
	uint64_t ip = 0, fp = 0;
	unsigned int nd = 0, nf = 0;

	while (s < end && *s >= '0' && *s <= '9') {
		if (++nd > 9)
			return -EINVAL;
		ip = ip * 10 + (uint64_t)(*s++ - '0');
	}
	if (nd == 0)
		return -EINVAL;
	if (s < end && *s == '.') {
		s++;
		while (s < end && *s >= '0' && *s <= '9') {
			if (++nf > 6)
				return -EINVAL;
			fp = fp * 10 + (uint64_t)(*s++ - '0');
		}
		if (nf == 0)
			return -EINVAL;
		while (nf++ < 6)
			fp *= 10;
	}
	if (s != end)
		return -EINVAL;
	*micro = ip * 1000000 + fp;
	return 0;
}

int
dtc_imp_parse_pair(const char *s, double max, double scale, uint64_t out[2])
{
	const char *comma, *end;
	uint64_t v[2];
	int i;

	if (s == NULL)
		return -EINVAL;
	end = s + strlen(s);
	comma = strchr(s, ',');
	if (parse_dec(s, comma != NULL ? comma : end, &v[0]) != 0)
		return -EINVAL;
	if (comma == NULL)
		v[1] = v[0];
	else if (parse_dec(comma + 1, end, &v[1]) != 0)
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		if ((double)v[i] / 1e6 > max)
			return -EINVAL;
		out[i] = (uint64_t)((double)v[i] * scale / 1e6 + 0.5);
	}
	return 0;
}
