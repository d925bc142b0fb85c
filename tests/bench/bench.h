/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The data-path benchmark (issue 7): shared definitions of the workload generator (gen.c) and
 * the driver (bench_dp.c).
 *
 * The generator is a model of the mirrored clients and of the test server: it produces, step
 * by step, the client frames the copier would capture and the response records the intercept
 * would send back for exactly what the copier transmitted in earlier steps.  A step is what
 * one pass of the copier's run-to-completion loop sees: at most one RX burst of frames and at
 * most one burst of response records, at one (virtual) time.
 */

#ifndef DTC_BENCH_H
#define DTC_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "dtc_ctl.h"
#include "dtc_proto.h"

#define BENCH_BURST 32               /* = DTC_COPY_BURST: one RX burst per step */
#define BENCH_CHUNK_STEPS 256        /* steps built before each timed run */

enum bench_wl {
	WL_STEADY = 0,
	WL_CHURN,
	WL_MIXED,
	WL_MAX
};

/* One client frame to build: Ethernet + IPv4 + TCP (+ options) + payload. */
struct fdesc {
	rte_be32_t addr;             /* client address, network order */
	rte_be16_t port;             /* client port, network order */
	uint16_t len;                /* TCP payload bytes */
	uint32_t seq, ack, tsval, tsecr; /* host order */
	uint8_t flags;               /* DTC_TCP_* */
	uint8_t syn_opts;            /* SYN option block (MSS, SACK-permitted, TS, window scale) */
	uint8_t pad[2];
};

struct bstep {
	uint32_t f_end;              /* frames [previous f_end, f_end) */
	uint32_t r_end;              /* records [previous r_end, r_end) */
	uint64_t now_us;             /* the virtual clock of this pass */
};

struct chunk {
	struct fdesc *f;
	struct dtc_resp *r;
	struct bstep *st;
	struct rte_mbuf **m;         /* the frames, built */
	uint32_t nf, nr, ns;
	uint32_t cap_f, cap_r, cap_s;
};

/* The generator's view of one client connection (32 bytes). */
struct gsess {
	rte_be32_t addr;
	rte_be16_t port;
	uint8_t missed;              /* its SYN was not captured */
	uint8_t pad;
	uint32_t isn1;               /* client ISN + 1 */
	uint32_t seq;                /* client's next sequence number */
	uint32_t ack;                /* client's ACK: the online server's next byte */
	uint32_t srv;                /* the test server's next sequence number */
	uint32_t ts;                 /* client's TSval */
	uint32_t pad2;
};

/* Sessions waiting for their next event, in order of due step (all share one delay). */
struct gfifo {
	uint32_t *slot;
	uint64_t *due;
	uint32_t head, tail, mask;
};

struct gen_conf {
	enum bench_wl wl;
	uint32_t sessions;           /* steady (and mixed) population on this worker */
	uint16_t lcore_idx;          /* this worker's index: its sessions hash to it */
	uint16_t n_workers;
	uint32_t seed;               /* the copier's hash seed (owner of an endpoint) */
	uint32_t missed_pct;         /* sessions whose SYN is not captured */
	uint32_t churn_pct;          /* share of frames from short sessions (mixed) */
	uint64_t rng;
	union dtc_addr target_addr;  /* the test server (-x), network order */
	rte_be16_t target_port;
};

struct gen {
	struct gen_conf c;
	uint64_t rng;
	uint32_t ep_next;            /* endpoint numbering of established sessions */
	uint32_t ep_churn;           /* and of short ones (a disjoint range) */
	/* established population */
	struct gsess *ss;
	uint32_t *order;             /* visiting order (a random permutation) */
	uint32_t n_ss, pos;
	uint32_t setup_next;         /* sessions opened so far */
	uint32_t setup_prev_lo, setup_prev_hi; /* the group opened in the previous step */
	bool setup_done;
	/* short sessions */
	struct gsess *cs;
	uint32_t *cfree;
	uint32_t n_cs, n_cfree;
	struct gfifo q[3];           /* after the SYN, after the request, after the response */
	uint32_t d[3];               /* their delays, in steps from the start */
	uint32_t churn_q16;          /* new sessions per step, 16.16 fixed point */
	uint32_t churn_acc;
	uint32_t steady_per_step;    /* nominal */
	/* time */
	uint64_t step;
	uint64_t vt_ns;
	uint64_t dt_ns;
	/* counters */
	uint64_t started;            /* short sessions started */
	uint64_t finished;           /* short sessions whose last record was generated */
	uint64_t requests;           /* requests of established sessions */
	uint64_t exhausted;          /* short session not started: no free slot */
};

int gen_init(struct gen *g, const struct gen_conf *c);
void gen_fini(struct gen *g);
/* Steps that open the established population (SYN, SYN-ACK, third ACK; missed SYNs start with
 * a request).  Returns false once every session is open (nothing added). */
bool gen_setup_chunk(struct gen *g, struct chunk *ch);
/* One chunk of measured steps. */
void gen_chunk(struct gen *g, struct chunk *ch);

int chunk_init(struct chunk *ch, uint32_t steps);
void chunk_fini(struct chunk *ch);
void chunk_reset(struct chunk *ch);

/* Frame templates. */
struct frame_tmpl {
	struct rte_ether_addr src, dst;
	rte_be32_t online_addr;
	rte_be16_t online_port;
	bool rx_csum;                /* mark the frames "L4 checksum verified" as a NIC does */
};

/* Build ch->nf frames from mp into ch->m (ports set to port); 0 or -ENOMEM. */
int chunk_build(struct chunk *ch, struct rte_mempool *mp, const struct frame_tmpl *t,
	uint16_t port);

#endif /* DTC_BENCH_H */
