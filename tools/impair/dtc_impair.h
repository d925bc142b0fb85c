/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The impairment logic of dtc-impair, one instance per direction, independent of DPDK so that
 * the unit tests drive it with plain pointers and a fake clock.
 *
 * Each packet that enters a direction meets, in this order:
 *   loss         dropped (counted) with probability loss %;
 *   duplication  queued twice (the caller takes one more reference) with probability dup %;
 *   delay        due at now + delay ± jitter (uniform), but never before the packet queued
 *                just before it: jitter alone never reorders;
 *   reordering   with probability reorder %, held back a further reorder window, so that the
 *                packets that arrive during the window overtake it.
 * A packet leaves once due.  The delay line is two FIFO rings of (packet, due time): the main
 * line and the held-back line, both in due-time order by construction, merged on the way out.
 * A full ring drops the packet (counted: overflow).
 */

#ifndef DTC_IMPAIR_H
#define DTC_IMPAIR_H

#include <stdbool.h>
#include <stdint.h>

/* Settings of one direction; probabilities in parts per million, times in nanoseconds. */
struct dtc_imp_cfg {
	uint32_t loss_ppm;
	uint32_t dup_ppm;
	uint32_t reorder_ppm;
	uint64_t delay_ns;
	uint64_t jitter_ns;
	uint64_t window_ns;	/* how much longer a reordered packet is held */
};

#define DTC_IMP_COUNTERS(X) \
	X(rx, "packets in") \
	X(tx, "packets out") \
	X(lost, "dropped by the loss rate") \
	X(dup, "duplicated") \
	X(reordered, "held back by the reorder window") \
	X(overflow, "dropped: delay line full") \
	X(tx_full, "dropped: output port did not take them")

struct dtc_imp_counters {
#define DTC_IMP_FIELD(n, d) uint64_t n;
	DTC_IMP_COUNTERS(DTC_IMP_FIELD)
#undef DTC_IMP_FIELD
};

struct dtc_imp_ent {
	void *pkt;
	uint64_t due;		/* ns */
};

struct dtc_imp_ring {
	struct dtc_imp_ent *e;
	uint32_t head;		/* next to leave */
	uint32_t tail;		/* next free */
};

struct dtc_imp_line {
	struct dtc_imp_cfg cfg;
	struct dtc_imp_counters c;
	struct dtc_imp_ring main;
	struct dtc_imp_ring held;
	uint32_t mask;		/* ring size - 1 (a power of two) */
	uint64_t last_due;	/* due time of the last packet on the main line */
	uint64_t rng;		/* xorshift64* state, never 0 */
};

/* What dtc_imp_push() did with a packet. */
enum dtc_imp_fate {
	DTC_IMP_LOST,		/* caller frees it */
	DTC_IMP_FULL,		/* caller frees it */
	DTC_IMP_QUEUED,		/* queued once */
	DTC_IMP_QUEUED_TWICE,	/* queued twice: caller takes one more reference */
};

/* size: entries of each ring, a power of two >= 2.  0, or -EINVAL / -ENOMEM. */
int dtc_imp_line_init(struct dtc_imp_line *l, const struct dtc_imp_cfg *cfg, uint32_t size,
		uint64_t seed);
void dtc_imp_line_free(struct dtc_imp_line *l);

enum dtc_imp_fate dtc_imp_push(struct dtc_imp_line *l, void *pkt, uint64_t now);

/* Take up to n packets due at now, in due-time order, into out; returns how many. */
unsigned int dtc_imp_pop(struct dtc_imp_line *l, uint64_t now, void **out, unsigned int n);

/* Packets still in the line; the due time of the next one (UINT64_MAX when empty). */
uint32_t dtc_imp_queued(const struct dtc_imp_line *l);
uint64_t dtc_imp_next_due(const struct dtc_imp_line *l);

/* Uniform in [0, 2^32), from the line's generator. */
uint32_t dtc_imp_rand(struct dtc_imp_line *l);

/*
 * Option values: "V" (both directions) or "V0,V1" (port 0 -> 1, port 1 -> 0), each a decimal
 * number >= 0 and <= max, at most 6 decimals; scaled by scale (1e4 for percent -> ppm, 1e6 for
 * ms -> ns).  0, or -EINVAL.
 */
int dtc_imp_parse_pair(const char *s, double max, double scale, uint64_t out[2]);

#endif
