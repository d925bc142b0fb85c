/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Hierarchical timing wheel without cascading (see sess_private.h).  A node armed for tick W
 * while the wheel stands at tick T goes to level L = floor(log64(W - T)), slot (W >> 6L) & 63.
 * That slot is visited when the clock enters its granule, at (W >> 6L) << 6L, which is after T
 * and at or before W; there a node not yet due is filed again at a lower level.  So a timer is
 * touched at most once per level, and never fires late or early.
 */

#include <string.h>

#include "sess_private.h"

void
wheel_init(struct dtc_wheel *w, void *base, uint32_t stride, uint32_t n, uint32_t now)
{
	uint32_t i;

	memset(w->map, 0, sizeof(w->map));
	for (i = 0; i < RTE_DIM(w->head); i++)
		w->head[i] = SESS_NIL;
	w->now = now;
	w->n_armed = 0;
	w->base = base;
	w->stride = stride;
	for (i = 0; i < n; i++) {
		struct dtc_tnode *t = wheel_node(w, i);

		t->next = SESS_NIL;
		t->prev = SESS_NIL;
		t->when = 0;
	}
}

static inline unsigned int
wheel_slot_of(const struct dtc_wheel *w, uint32_t when)
{
	uint32_t delta = when - w->now;
	unsigned int level;

	if (delta > WHEEL_MAX_DELTA)
		delta = WHEEL_MAX_DELTA; /* filed at the far end; filed again when visited */
	when = w->now + delta;
	level = delta < WHEEL_SLOTS ? 0 : (31u - (unsigned int)__builtin_clz(delta)) / WHEEL_BITS;
	return level * WHEEL_SLOTS + ((when >> (level * WHEEL_BITS)) & (WHEEL_SLOTS - 1));
}

static void
wheel_link(struct dtc_wheel *w, uint32_t idx)
{
	struct dtc_tnode *t = wheel_node(w, idx);
	unsigned int slot;

	/* Already due (or due now): the next tick processed will take it. */
	if (!TICK_AFTER(t->when, w->now))
		slot = (w->now + 1) & (WHEEL_SLOTS - 1);
	else
		slot = wheel_slot_of(w, t->when);
	t->next = w->head[slot];
	t->prev = WHEEL_HEAD_BASE + slot;
	if (t->next != SESS_NIL)
		wheel_node(w, t->next)->prev = idx;
	w->head[slot] = idx;
	w->map[slot / WHEEL_SLOTS] |= 1ull << (slot % WHEEL_SLOTS);
}

static void
wheel_unlink(struct dtc_wheel *w, uint32_t idx)
{
	struct dtc_tnode *t = wheel_node(w, idx);

	if (t->next != SESS_NIL)
		wheel_node(w, t->next)->prev = t->prev;
	if (t->prev >= WHEEL_HEAD_BASE) {
		unsigned int slot = t->prev - WHEEL_HEAD_BASE;

		w->head[slot] = t->next;
		if (t->next == SESS_NIL)
			w->map[slot / WHEEL_SLOTS] &= ~(1ull << (slot % WHEEL_SLOTS));
	} else {
		wheel_node(w, t->prev)->next = t->next;
	}
	t->next = SESS_NIL;
	t->prev = SESS_NIL;
}

void
wheel_arm(struct dtc_wheel *w, uint32_t idx, uint32_t when)
{
	struct dtc_tnode *t = wheel_node(w, idx);

	if (t->prev == WHEEL_BATCHED)
		; /* taken by wheel_run_pf, still counted: armed again instead of fired */
	else if (t->prev != SESS_NIL)
		wheel_unlink(w, idx);
	else
		w->n_armed++;
	t->when = when;
	wheel_link(w, idx);
}

void
wheel_cancel(struct dtc_wheel *w, uint32_t idx)
{
	struct dtc_tnode *t = wheel_node(w, idx);

	if (t->prev == SESS_NIL)
		return;
	if (t->prev == WHEEL_BATCHED)
		t->prev = SESS_NIL; /* taken by wheel_run_pf: it will not fire */
	else
		wheel_unlink(w, idx);
	w->n_armed--;
}

/* First tick after w->now at which level 'level' has a non-empty slot to visit, as a distance
 * from w->now; UINT32_MAX when the level is empty. */
static uint32_t
wheel_next_at(const struct dtc_wheel *w, unsigned int level)
{
	uint64_t map = w->map[level];
	unsigned int shift = level * WHEEL_BITS;
	uint32_t granule, start, d;

	if (map == 0)
		return UINT32_MAX;
	granule = (w->now >> shift) + 1;
	start = granule & (WHEEL_SLOTS - 1);
	map = (map >> start) | (start != 0 ? map << (WHEEL_SLOTS - start) : 0);
	d = (uint32_t)__builtin_ctzll(map);
	return ((granule + d) << shift) - w->now;
}

/* Take up to WHEEL_BATCH due nodes of a slot (nodes not due yet are filed again, lower). */
static unsigned int
wheel_take(struct dtc_wheel *w, unsigned int slot, uint32_t *batch, wheel_cb pf, void *arg)
{
	unsigned int nb = 0;

	while (nb < WHEEL_BATCH && w->head[slot] != SESS_NIL) {
		uint32_t idx = w->head[slot];
		struct dtc_tnode *t = wheel_node(w, idx);

		wheel_unlink(w, idx);
		if (TICK_AFTER(t->when, w->now)) {
			wheel_link(w, idx);
			continue;
		}
		t->prev = WHEEL_BATCHED;
		batch[nb++] = idx;
		if (pf != NULL)
			pf(arg, idx);
	}
	return nb;
}

/* Fire every due node of a slot, a batch at a time; a callback may arm nodes into this very
 * slot (due now): they are taken by the next batch. */
static unsigned int
wheel_fire_slot(struct dtc_wheel *w, unsigned int slot, wheel_cb cb, wheel_cb pf, void *arg)
{
	uint32_t batch[WHEEL_BATCH];
	unsigned int visited = 0, nb, i;

	while ((nb = wheel_take(w, slot, batch, pf, arg)) > 0) {
		for (i = 0; i < nb; i++) {
			struct dtc_tnode *t = wheel_node(w, batch[i]);

			if (t->prev != WHEEL_BATCHED)
				continue; /* cancelled or armed again by an earlier callback */
			t->prev = SESS_NIL;
			w->n_armed--;
			visited++;
			cb(arg, batch[i]);
		}
	}
	return visited;
}

unsigned int
wheel_run_pf(struct dtc_wheel *w, uint32_t now, wheel_cb cb, wheel_cb pf, void *arg)
{
	unsigned int visited = 0;

	while (TICK_AFTER(now, w->now)) {
		uint32_t next[WHEEL_LEVELS], best = UINT32_MAX;
		int level;

		for (level = 0; level < WHEEL_LEVELS; level++) {
			next[level] = wheel_next_at(w, (unsigned int)level);
			if (next[level] < best)
				best = next[level];
		}
		if (best == UINT32_MAX || best > now - w->now) {
			w->now = now;
			break;
		}
		w->now += best;
		/* Higher levels first: what they file again may land in this tick's level-0 slot. */
		for (level = WHEEL_LEVELS - 1; level >= 0; level--) {
			if (next[level] != best)
				continue;
			visited += wheel_fire_slot(w, (unsigned int)level * WHEEL_SLOTS +
				((w->now >> (level * WHEEL_BITS)) & (WHEEL_SLOTS - 1)), cb, pf, arg);
		}
	}
	return visited;
}

unsigned int
wheel_run(struct dtc_wheel *w, uint32_t now, wheel_cb cb, void *arg)
{
	return wheel_run_pf(w, now, cb, NULL, arg);
}
