/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * lib/session internals: the session record, the index-linked session table, the timing wheel
 * and the engine.  Everything is indexed by uint32 session numbers into one preallocated array
 * so that a session costs a fixed 192 bytes plus its share of the bucket array.
 */

#ifndef SESS_PRIVATE_H
#define SESS_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "dtc_session.h"

#define SESS_NIL UINT32_MAX

/* Sequence-space comparisons (RFC 1982 serial arithmetic). */
#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) >= 0)

/* ------------------------------------------------------------------ */
/* Time.  The engine keeps per-session times in ticks of 64 us (uint32, wraps after 76 h; every
 * comparison is a signed difference, every interval is bounded well below 2^31 ticks). */

#define TICK_SHIFT 6
#define TICK_US (1u << TICK_SHIFT)

static inline uint32_t
us_to_tick(uint64_t us)
{
	return (uint32_t)(us >> TICK_SHIFT);
}

/* An interval in ticks, rounded up so that a deadline never fires early. */
static inline uint32_t
us_to_ticks_up(uint64_t us)
{
	return (uint32_t)((us + TICK_US - 1) >> TICK_SHIFT);
}

#define TICK_AFTER(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)
#define TICK_GEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) >= 0)

/* ------------------------------------------------------------------ */
/* Timing wheel: 5 levels of 64 slots, level L slots span 64^L ticks (level 0: 64 us, 4 ms in
 * all; level 4 reaches 2^30 ticks, 19 hours).  A node is filed at the level of its distance
 * and at the slot where that level's granule starts, so it is visited at or before its
 * deadline; a node visited early is filed again, lower.  No cascading of whole slots, and a
 * 64-bit occupancy map per level lets the clock jump over empty stretches. */

#define WHEEL_BITS 6
#define WHEEL_SLOTS (1u << WHEEL_BITS)
#define WHEEL_LEVELS 5
#define WHEEL_HEAD_BASE 0xffff0000u /* prev links >= this mark a slot head */
#define WHEEL_BATCHED 0xfffffffeu   /* prev of a node taken by wheel_run, not fired yet */
#define WHEEL_BATCH 32              /* due nodes taken (and prefetched) at a time */
#define WHEEL_MAX_DELTA ((1u << (WHEEL_BITS * WHEEL_LEVELS)) - 1)

struct dtc_tnode {
	uint32_t next;
	uint32_t prev;               /* SESS_NIL = not armed */
	uint32_t when;               /* tick */
};

typedef void (*wheel_cb)(void *arg, uint32_t idx);

struct dtc_wheel {
	uint64_t map[WHEEL_LEVELS];
	uint32_t head[WHEEL_LEVELS * WHEEL_SLOTS];
	uint32_t now;                /* last tick processed */
	uint32_t n_armed;
	char *base;                  /* node i at base + i * stride */
	uint32_t stride;
};

void wheel_init(struct dtc_wheel *w, void *base, uint32_t stride, uint32_t n, uint32_t now);
void wheel_arm(struct dtc_wheel *w, uint32_t idx, uint32_t when);
void wheel_cancel(struct dtc_wheel *w, uint32_t idx);
/* Visit every node due at or before now (cb gets it unlinked); returns the number visited. */
unsigned int wheel_run(struct dtc_wheel *w, uint32_t now, wheel_cb cb, void *arg);
/* The same, taking due nodes WHEEL_BATCH at a time and calling pf on each first (to
 * prefetch what cb will touch); a node cancelled or armed again by an earlier cb of the batch
 * is not fired. */
unsigned int wheel_run_pf(struct dtc_wheel *w, uint32_t now, wheel_cb cb, wheel_cb pf,
	void *arg);

static inline struct dtc_tnode *
wheel_node(const struct dtc_wheel *w, uint32_t idx)
{
	return (struct dtc_tnode *)(w->base + (size_t)idx * w->stride);
}

static inline bool
wheel_armed(const struct dtc_wheel *w, uint32_t idx)
{
	return wheel_node(w, idx)->prev != SESS_NIL;
}

/* ------------------------------------------------------------------ */
/* The session record: 192 bytes, three cache lines. */

enum sess_state {
	SS_FREE = 0,
	SS_SYN_SENT,                 /* SYN queued/sent, waiting for the SYN-ACK */
	SS_ESTAB,                    /* handshake done (closing is tracked by flags) */
	SS_DEAD,                     /* ended; keeps its 4-tuple for the linger time */
};

/* s->fl */
#define SF_SYN_SYNTH (1u << 0)   /* we made the SYN (no window scale, window 65535) */
#define SF_TS (1u << 1)          /* timestamps in use on this connection */
#define SF_SYN_TS (1u << 2)      /* our SYN carried TS */
#define SF_SYN_WS (1u << 3)      /* our SYN carried a window scale (rcv_ws) */
#define SF_REF (1u << 4)         /* ref_ack is valid */
#define SF_RESP_SEEN (1u << 5)   /* test-server data since the last new request went out */
#define SF_FIN_PEND (1u << 6)    /* client FIN captured at fin_seq */
#define SF_RST_PEND (1u << 7)    /* client RST captured at fin_seq */
#define SF_CLOSE_WAIT (1u << 8)  /* that FIN/RST follows a response: wait for its end */
#define SF_FIN_SENT (1u << 9)    /* our FIN is out (snd_nxt = fin_seq + 1) */
#define SF_SRV_FIN (1u << 10)    /* test server's FIN received and acknowledged */
#define SF_REBUILT (1u << 11)    /* already rebuilt once after a test-server RST */
#define SF_REDIRECT (1u << 12)   /* owns a collision redirect entry */
#define SF_TIMING (1u << 13)     /* an RTT sample is running (rtt_seq, rtt_t) */
#define SF_OOO (1u << 14)        /* queued client data beyond a hole (t_gap runs) */
#define SF_DATA_SENT (1u << 15)  /* some client data went out (request counting) */

/* s->fl2 */
#define SF2_CAP_RTT (1u << 0)    /* waiting for the captured third ACK to time the client */
#define SF2_ACK_NOW (1u << 1)    /* send an ACK at the next output pass */
#define SF2_PROBE (1u << 2)      /* zero-window persist mode */
#define SF2_RTO (1u << 3)        /* t_rto is a live deadline (retransmission or probe) */
#define SF2_HOLE (1u << 4)       /* test-server data seen beyond rcv_nxt, up to srv_hi */

struct dtc_sess {
	/* line 0: lookup and per-segment state */
	struct dtc_flow_key key;     /* the 4-tuple the test server sees */
	uint32_t hnext;              /* hash chain / free list */
	uint32_t origin;             /* struct dtc_seg.origin of the session's client */
	uint8_t state;               /* enum sess_state */
	uint8_t xfer;                /* -x map index */
	uint16_t fl;                 /* SF_* */
	uint16_t nq;                 /* queued segments */
	uint8_t snd_ws;              /* shift applied to the test server's window */
	uint8_t rcv_ws;              /* shift the test server applies to ours */
	uint16_t t_lru;              /* tick >> LRU_SHIFT of the last LRU move */
	uint16_t silence;            /* response-end silence, in 16 us units */
	uint32_t clt_nxt;            /* end of the contiguous captured client bytes */
	/* line 1: transmit state */
	struct rte_mbuf *qhead;      /* oldest segment not acknowledged by the test server */
	struct rte_mbuf *qsend;      /* next segment never sent (NULL: none) */
	struct rte_mbuf *qtail;
	uint32_t snd_una;            /* oldest unacknowledged client seq */
	uint32_t snd_nxt;            /* next client seq to send */
	uint32_t snd_wnd;            /* test server's window, bytes (scaled) */
	uint32_t rcv_nxt;            /* next test-server seq expected: the ACK we send */
	uint32_t rcv_acked;          /* last ACK value sent */
	uint32_t ts_recent;          /* test server's latest TSval (our TSecr) */
	uint32_t ts_val;             /* highest TSval sent (kept monotonic) */
	uint32_t ref_ack;            /* captured ACK of the last client data released */
	uint32_t t_data;             /* tick of the last test-server data */
	uint16_t srv_mss;            /* test server's MSS (ACK every 2 full segments) */
	uint8_t dupacks;
	uint8_t backoff;             /* RTO doublings */
	/* line 2: timers, lists, reliability (the timing-wheel node is in e->tn: see there) */
	uint32_t lnext, lprev;       /* LRU (live) or linger (dead) list */
	uint32_t t_rto;              /* RTO / persist deadline */
	uint32_t t_resp;             /* tick of the last test-server packet (-t, -k) */
	uint32_t t_gap;              /* tick when the current capture hole appeared */
	uint32_t t_start;            /* SYN sent (handshake bound) or ended (linger) */
	uint32_t fin_seq;            /* client FIN/RST position */
	uint32_t iss;                /* client ISN of this connection */
	uint32_t rtt_seq;            /* Karn: the sample ends when this seq is acked */
	uint32_t rtt_t;              /* its send time, us (low 32 bits) */
	uint32_t srtt;               /* us x 8 */
	uint32_t rttvar;             /* us x 4 */
	uint16_t fl2;                /* SF2_* */
	uint8_t pad[2];
	uint32_t srv_hi;             /* SF2_HOLE: end of the furthest test-server data seen */
	uint32_t rcv_ref;            /* test-server seq the answer to the next request counts from */
	uint32_t fin_ack;            /* captured ACK of the client FIN/RST (SF_CLOSE_WAIT) */
};

_Static_assert(sizeof(struct dtc_sess) == 3 * RTE_CACHE_LINE_SIZE, "session: three lines");
#define LRU_SHIFT 14              /* LRU stamps in units of 2^14 ticks (~1.05 s) */

/* ------------------------------------------------------------------ */
/* Collision redirects: origin -> session index, open addressing. */

struct redir_ent {
	uint32_t origin;
	uint32_t idx;                /* SESS_NIL = empty */
};

/* ------------------------------------------------------------------ */
/* The engine. */

#define TX_BURST 64
#define BULK 32

struct dtc_sess_engine {
	/* hot, read-mostly */
	struct dtc_sess *s;
	/* Timing-wheel nodes, one per session, in an array of their own: (un)linking writes the
	 * neighbours' nodes, which here share a few cache lines instead of each being a line of
	 * a random session, and the wheel walks a slot without touching the sessions. */
	struct dtc_tnode *tn;
	/* Hash buckets, sized to the load by linear hashing (table.c): buckets [0, bmask] are
	 * in use and [bmask + 1, bmask + bsplit] too, those below bsplit having been split. */
	uint32_t *bucket;
	uint32_t bmask;
	uint32_t bsplit;
	uint32_t max_sessions;
	uint64_t now_us;
	uint64_t epoch_us;           /* the first time given: ticks count from it */
	uint32_t now;                /* (now_us - epoch_us) in ticks */
	uint32_t n_live;             /* sessions not FREE (live + dead) */
	uint32_t free_head;
	uint32_t lru_head, lru_tail; /* live sessions, oldest first */
	uint32_t dead_head, dead_tail; /* lingering sessions, oldest first */
	uint16_t ip_id;
	uint16_t n_tx;
	uint32_t n_redirect;
	uint32_t redir_mask;
	uint32_t n_hashed;           /* sessions in the hash buckets */
	uint32_t bmax;               /* buckets allocated (a power of two): the most in use */
	struct redir_ent *redir;
	/* derived configuration, in ticks / bytes */
	uint32_t syn_ticks, t_ticks, k_ticks, gap_ticks, linger_ticks, recycle_ticks;
	uint32_t delack_ticks;
	uint32_t close_quiet_ticks;
	uint32_t stone_ticks;        /* where an active idle session parks its timer */
	uint32_t rto_min_us, rto_max_us;
	uint32_t resp_min16;         /* resp_end_min_us / 16 */
	uint32_t default_silence16;  /* -R, or 0 */
	uint16_t max_payload4, max_payload6; /* -M minus IP header (TCP header subtracted later) */
	struct rte_mbuf *tx[TX_BURST];
	struct dtc_sess_conf conf;
	struct dtc_wheel wheel;
	struct dtc_sess_stats st __rte_cache_aligned;
};

#define CNT(e, n) ((e)->st.c[DTC_SESS_C_##n]++)
#define CNT_ADD(e, n, v) ((e)->st.c[DTC_SESS_C_##n] += (v))
#define DROP(e, n) ((e)->st.drop[DTC_SESS_DROP_##n]++)
#define TXF(e, n) ((e)->st.txf[DTC_SESS_TXF_##n]++)

static inline uint32_t
sess_idx(const struct dtc_sess_engine *e, const struct dtc_sess *s)
{
	return (uint32_t)(s - e->s);
}

/* table.c */
int table_init(struct dtc_sess_engine *e);
void table_fini(struct dtc_sess_engine *e);
uint32_t table_lookup(const struct dtc_sess_engine *e, const struct dtc_flow_key *k,
	uint32_t hash);
/* Buckets in use at the least (the bucket array grows from them with the load, and shrinks
 * back to them). */
#define TABLE_MIN_BUCKETS 1024u
void table_prefetch_burst(const struct dtc_sess_engine *e, const uint32_t *hash, unsigned int k,
	uint32_t *cand);
uint32_t table_alloc(struct dtc_sess_engine *e); /* SESS_NIL when no free entry */
void table_insert(struct dtc_sess_engine *e, uint32_t idx, uint32_t hash);
void table_remove(struct dtc_sess_engine *e, uint32_t idx);
void table_release(struct dtc_sess_engine *e, uint32_t idx); /* back to the free list */
void lru_push(struct dtc_sess_engine *e, uint32_t idx, bool dead);
void lru_unlink(struct dtc_sess_engine *e, uint32_t idx);
uint32_t redir_find(const struct dtc_sess_engine *e, uint32_t origin);
int redir_add(struct dtc_sess_engine *e, uint32_t origin, uint32_t idx);
void redir_del(struct dtc_sess_engine *e, uint32_t origin, uint32_t idx);
size_t table_mem_size(const struct dtc_sess_conf *c, uint32_t *nbuckets, uint32_t *nredir);

/* The bucket of a hash: the low bits, one more for a bucket already split. */
static inline uint32_t
table_bucket(const struct dtc_sess_engine *e, uint32_t hash)
{
	uint32_t b = hash & e->bmask;

	return b < e->bsplit ? hash & (2 * e->bmask + 1) : b;
}

/* Buckets in use. */
static inline uint32_t
table_nbuckets(const struct dtc_sess_engine *e)
{
	return e->bmask + 1 + e->bsplit;
}

static inline bool
key_eq(const struct dtc_flow_key *a, const struct dtc_flow_key *b)
{
	const uint64_t *x = (const uint64_t *)a, *y = (const uint64_t *)b;

	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) |
		(x[4] ^ y[4])) == 0;
}

/* Move a live session to the LRU tail at most once per LRU granule: no per-packet list
 * surgery on neighbours' cache lines. */
static inline void
lru_touch(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	uint16_t stamp = (uint16_t)(e->now >> LRU_SHIFT);

	if (s->t_lru != stamp) {
		uint32_t i = sess_idx(e, s);

		lru_unlink(e, i);
		lru_push(e, i, false);
		s->t_lru = stamp;
	}
}

#endif /* SESS_PRIVATE_H */
