/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The timing wheel against a brute-force model: random arm/cancel/re-arm at every distance
 * (same tick up to beyond the wheel's reach, across the 2^32 tick wrap), random clock steps
 * (single ticks and huge jumps).  Every timer must fire exactly once, never before its tick,
 * and at the first wheel_run whose clock reached it.
 */

#include <string.h>

#include "harness.h"
#include "sess_private.h"

#define N 4096

struct node {
	struct dtc_tnode tn;
	uint32_t want;       /* the model: deadline */
	bool armed;
	unsigned int fired;
};

static struct node nodes[N];
static uint32_t clock_now;
static unsigned int late, early;

static void
fire(void *arg, uint32_t idx)
{
	struct node *n = &nodes[idx];

	(void)arg;
	if (!n->armed) {
		early++; /* fired while the model says it is not armed */
		return;
	}
	if (TICK_AFTER(n->want, clock_now))
		early++;
	n->armed = false;
	n->fired++;
}

static uint32_t
rand_delta(void)
{
	switch (dtc_rand_range(6)) {
	case 0:
		return dtc_rand_range(3);             /* now, next tick */
	case 1:
		return dtc_rand_range(64);
	case 2:
		return dtc_rand_range(4096);
	case 3:
		return dtc_rand_range(1u << 18);
	case 4:
		return dtc_rand_range(1u << 30);
	default:
		return (1u << 30) + dtc_rand_range(1u << 28); /* beyond the wheel's reach */
	}
}

static void
run(uint32_t start)
{
	struct dtc_wheel w;
	unsigned int i, step;

	memset(nodes, 0, sizeof(nodes));
	late = early = 0;
	clock_now = start;
	wheel_init(&w, nodes, sizeof(nodes[0]), N, start);
	for (step = 0; step < 20000; step++) {
		unsigned int op = dtc_rand_range(10);
		uint32_t idx = dtc_rand_range(N);

		if (op < 5) {
			uint32_t when = clock_now + rand_delta();

			wheel_arm(&w, idx, when);
			/* The current tick is processed: a timer due now fires at the next one. */
			nodes[idx].want = TICK_AFTER(when, clock_now) ? when : clock_now + 1;
			nodes[idx].armed = true;
		} else if (op < 6) {
			wheel_cancel(&w, idx);
			nodes[idx].armed = false;
		} else {
			uint32_t d;

			switch (dtc_rand_range(4)) {
			case 0:
				d = 1;
				break;
			case 1:
				d = dtc_rand_range(200);
				break;
			case 2:
				d = dtc_rand_range(100000);
				break;
			default:
				d = dtc_rand_range(1u << 27);
				break;
			}
			clock_now += d;
			wheel_run(&w, clock_now, fire, NULL);
			/* Nothing due may remain armed. */
			for (i = 0; i < N; i++)
				if (nodes[i].armed && !TICK_AFTER(nodes[i].want, clock_now)) {
					if (late == 0)
						fprintf(stderr, "late: node %u want %u now %u wheel %u "
							"when %u prev %#x step %u\n", i, nodes[i].want,
							clock_now, w.now, nodes[i].tn.when,
							nodes[i].tn.prev, step);
					late++;
				}
			if (late != 0)
				break;
		}
		CHECK_EQ(wheel_armed(&w, idx), nodes[idx].armed);
	}
	/* Run far enough that everything fires. */
	for (i = 0; i < 8; i++) {
		clock_now += 1u << 29;
		wheel_run(&w, clock_now, fire, NULL);
	}
	for (i = 0; i < N; i++)
		CHECK(!nodes[i].armed);
	CHECK_EQ(w.n_armed, 0);
	CHECK_EQ(late, 0);
	CHECK_EQ(early, 0);
}

/* A timer armed for now (or the past) fires at the next tick; one armed while visiting a slot
 * lands in a later slot, not the one being visited. */
static void
t_edges(void)
{
	struct dtc_wheel w;

	memset(nodes, 0, sizeof(nodes));
	clock_now = 1000;
	wheel_init(&w, nodes, sizeof(nodes[0]), N, 1000);
	wheel_arm(&w, 1, 1000);
	nodes[1].want = 1001;
	nodes[1].armed = true;
	wheel_arm(&w, 2, 990);
	nodes[2].want = 1001;
	nodes[2].armed = true;
	CHECK_EQ(wheel_run(&w, 1000, fire, NULL), 0);
	clock_now = 1001;
	CHECK_EQ(wheel_run(&w, 1001, fire, NULL), 2);
	/* Exactly at a level boundary. */
	wheel_arm(&w, 3, 1001 + 64 * 64);
	nodes[3].want = 1001 + 64 * 64;
	nodes[3].armed = true;
	clock_now = 1000 + 64 * 64;
	CHECK_EQ(wheel_run(&w, clock_now, fire, NULL), 0);
	clock_now++;
	CHECK_EQ(wheel_run(&w, clock_now, fire, NULL), 1);
	CHECK_EQ(nodes[3].fired, 1);
	CHECK_EQ(late + early, 0);
}

int
main(void)
{
	dtc_check_case = "edges";
	t_edges();
	dtc_check_case = "random";
	run(12345);
	dtc_check_case = "random-wrap";
	run(UINT32_MAX - 5000000);
	dtc_check_case = "random-zero";
	run(0);
	return dtc_check_end("session_wheel");
}
