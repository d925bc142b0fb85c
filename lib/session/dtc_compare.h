/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The online/test comparison (issue 13): per request, the online answer (from the mirror) and
 * the test answer, folded into constant-memory statistics.
 *
 *  - struct dtc_cmp_hist: a log-bucket latency histogram (HdrHistogram-style: 16 linear
 *    sub-buckets per power of two, so a quantile is within 1/32 of the true value, exact
 *    below 16 us and for the maximum), 544 buckets covering 0 .. 2^37 us;
 *  - struct dtc_cmp_shist: the same for a signed value (the test - online delta);
 *  - struct dtc_cmp: one per worker lcore.  Totals, the outcome matrix (online x test),
 *    the length differences, and per request key (lib/proto/dtc_classify.h) the same figures
 *    for at most K keys: a heavy-hitters table (Space-Saving with an admission filter), every
 *    other key under "other".  Per key and kind of difference, the first 5 samples (the
 *    request's and both answers' first bytes).
 *
 * Nothing allocates after creation.  The worker owns its dtc_cmp; another lcore gets a
 * consistent copy through the snapshot handshake (dtc_cmp_snap_request() on the reader,
 * dtc_cmp_poll() in the worker's loop), never by reading the live tables.
 */

#ifndef DTC_COMPARE_H
#define DTC_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtc_classify.h"
#include "dtc_ctl.h"
#include "dtc_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Histograms. */

#define DTC_CMP_HIST_SUB_BITS 4
#define DTC_CMP_HIST_SUB (1u << DTC_CMP_HIST_SUB_BITS)
#define DTC_CMP_HIST_MAX_EXP 36 /* values from 2^37 us (38 h) on share the top bucket */
#define DTC_CMP_HIST_BUCKETS ((DTC_CMP_HIST_MAX_EXP - DTC_CMP_HIST_SUB_BITS + 2) * DTC_CMP_HIST_SUB)

struct dtc_cmp_hist {
	uint64_t n;
	uint64_t sum;
	uint64_t min, max;           /* exact; min is meaningless when n == 0 */
	uint64_t b[DTC_CMP_HIST_BUCKETS];
};

struct dtc_cmp_shist {
	struct dtc_cmp_hist neg;         /* magnitudes of the negative values */
	struct dtc_cmp_hist pos;         /* zero and positive values */
};

void dtc_cmp_hist_add(struct dtc_cmp_hist *h, uint64_t v);
/* The value at quantile q (0 < q <= 1; 1 = max): the middle of its bucket, within [min, max].
 * 0 when empty. */
uint64_t dtc_cmp_hist_quantile(const struct dtc_cmp_hist *h, double q);
void dtc_cmp_hist_merge(struct dtc_cmp_hist *a, const struct dtc_cmp_hist *b);
/* The bucket of a value and a bucket's lowest and highest value (exporters, tests). */
unsigned int dtc_cmp_hist_bucket(uint64_t v);
uint64_t dtc_cmp_hist_bucket_lo(unsigned int i);
uint64_t dtc_cmp_hist_bucket_hi(unsigned int i);

void dtc_cmp_shist_add(struct dtc_cmp_shist *h, int64_t v);
int64_t dtc_cmp_shist_quantile(const struct dtc_cmp_shist *h, double q);
void dtc_cmp_shist_merge(struct dtc_cmp_shist *a, const struct dtc_cmp_shist *b);
static inline uint64_t
dtc_cmp_shist_count(const struct dtc_cmp_shist *h)
{
	return h->neg.n + h->pos.n;
}

/* ------------------------------------------------------------------ */
/* One request and its two answers. */

#define DTC_CMP_HEAD 64              /* first bytes kept of a request and of each answer */

struct dtc_cmp_answer {
	uint64_t first_us;           /* capture time of the first byte */
	uint64_t last_us;            /* capture time of the last byte */
	uint32_t len;                /* bytes of the answer (0: none seen) */
	uint16_t head_len;           /* bytes at head (<= DTC_CMP_HEAD) */
	bool reset;                  /* the server reset the connection instead */
	const uint8_t *head;         /* the answer's first bytes */
	/* without head: its outcome if known (two-host mode, where the control lcore classifies
	 * the test server's segments), else DTC_CMP_OUTCOME_UNKNOWN */
	uint32_t outcome;
};

#define DTC_CMP_OUTCOME_UNKNOWN UINT32_MAX

struct dtc_cmp_pair {
	uint8_t proto;               /* enum dtc_cls_proto, or DTC_CLS_AUTO */
	uint16_t port;               /* the online server's port, host order */
	uint16_t req_len;            /* bytes at req (<= DTC_CMP_HEAD) */
	const uint8_t *req;          /* the request's first bytes */
	uint64_t online_req_us;      /* capture time of the request's last byte */
	uint64_t test_req_us;        /* when the copy's last byte was sent or captured */
	struct dtc_cmp_answer online, test;
};

/* How a pair differs; one kind per pair, the first that applies, in this order. */
#define DTC_CMP_DIFF_LIST(X) \
	X(online_missing, "no online answer in the capture (not compared)") \
	X(test_reset, "the test server reset the connection instead of answering") \
	X(test_missing, "no test answer") \
	X(outcome, "the outcomes differ (HTTP status, Redis reply type, SQL error code)") \
	X(length, "same outcome, the lengths differ") \
	X(bytes, "same length, the first bytes differ")

enum dtc_cmp_diff {
#define DTC_X_ENUM(n, s) DTC_CMP_DIFF_##n,
	DTC_CMP_DIFF_LIST(DTC_X_ENUM)
#undef DTC_X_ENUM
	DTC_CMP_DIFF_MAX,
	DTC_CMP_EQUAL = DTC_CMP_DIFF_MAX,
};

const char *dtc_cmp_diff_name(unsigned int i);
const char *dtc_cmp_diff_desc(unsigned int i);

/* ------------------------------------------------------------------ */
/* Statistics. */

#define DTC_CMP_CELLS 16             /* outcome matrix cells kept per key (the rest: other) */
#define DTC_CMP_SAMPLES 5            /* samples per key and kind of difference */
#define DTC_CMP_LEN_BUCKETS 16       /* |test - online| length: 1, 2-3, 4-7, ..., >= 16 KiB */
#define DTC_CMP_KEYS_MAX 256

struct dtc_cmp_cell {
	uint32_t online, test;       /* dtc_cls_outcome() codes */
	uint64_t n;
};

struct dtc_cmp_sample {
	uint32_t online_len, test_len;
	uint8_t req_len, online_head_len, test_head_len;
	uint8_t req[DTC_CMP_HEAD];
	uint8_t online[DTC_CMP_HEAD];
	uint8_t test[DTC_CMP_HEAD];
};

/* The figures of one key (and of everything). */
struct dtc_cmp_stats {
	uint64_t pairs;              /* requests given (compared + online_missing) */
	uint64_t compared;           /* pairs with an online answer */
	uint64_t equal;
	uint64_t diff[DTC_CMP_DIFF_MAX];
	uint64_t test_longer, test_shorter;
	uint64_t len_diff[DTC_CMP_LEN_BUCKETS];
	uint64_t cells_other;        /* matrix entries that found no free cell */
	uint64_t outcome_unknown;    /* test answers whose first bytes were not seen (v1 records):
				      * compared by length and time only, not in the matrix */
	struct dtc_cmp_cell cells[DTC_CMP_CELLS];
	struct dtc_cmp_hist online, test; /* time to first byte, us (both answers present) */
	struct dtc_cmp_shist delta;      /* test - online, us */
};

struct dtc_cmp_key {
	uint64_t est;                /* Space-Saving count estimate (>= true count since entry) */
	uint64_t err;                /* its over-estimate bound */
	char name[DTC_CLS_KEY_MAX];
	struct dtc_cmp_stats st;
	uint8_t n_samples[DTC_CMP_DIFF_MAX];
	struct dtc_cmp_sample samples[DTC_CMP_DIFF_MAX][DTC_CMP_SAMPLES];
};

#define DTC_CMP_ADMIT_SLOTS 1024     /* admission filter counters (misses per hash slot) */

/* Everything a worker accumulates; copied whole by a snapshot. */
struct dtc_cmp_body {
	struct dtc_cmp_stats all;
	uint64_t no_record;          /* requests not compared: the pairing pool was empty */
	uint64_t not_sent;           /* requests whose session ended before the copy went out */
	uint64_t online_segs;        /* online server segments given to a session */
	uint64_t online_unmatched;   /* ... for which no live session was found */
	struct dtc_cmp_hist online_last, test_last; /* time to the last byte, us */
	uint64_t keys_admitted, keys_evicted;
	uint32_t n_keys, cap_keys;
	struct dtc_cmp_key other;    /* every key not in the table ("other") */
	uint32_t admit[DTC_CMP_ADMIT_SLOTS];
	uint64_t hash[DTC_CMP_KEYS_MAX];
	struct dtc_cmp_key keys[];   /* cap_keys entries */
};

struct dtc_cmp;

/* K keys (1..DTC_CMP_KEYS_MAX) on a NUMA socket; NULL with rte_errno (EINVAL, ENOMEM). */
struct dtc_cmp *dtc_cmp_create(unsigned int keys, int socket_id);
void dtc_cmp_free(struct dtc_cmp *c);
/* Bytes dtc_cmp_create allocates (for -m sizing). */
size_t dtc_cmp_mem_size(unsigned int keys);
size_t dtc_cmp_body_size(unsigned int keys);

/* Fold one request and its answers in; returns the enum dtc_cmp_diff (or DTC_CMP_EQUAL). */
int dtc_cmp_add(struct dtc_cmp *c, const struct dtc_cmp_pair *p);

/* The live body: only for its owner, or once the owner has stopped. */
const struct dtc_cmp_body *dtc_cmp_body(const struct dtc_cmp *c);

/* Snapshots: the reader asks (request) and later takes the copy (0) once the owner has made
 * it in dtc_cmp_poll(), or gets -EAGAIN.  dtc_cmp_poll is cheap when nothing was asked. */
void dtc_cmp_snap_request(struct dtc_cmp *c);
int dtc_cmp_snap_get(struct dtc_cmp *c, const struct dtc_cmp_body **b);
void dtc_cmp_poll(struct dtc_cmp *c);

/*
 * Merge bodies (the workers') into dst (cap_keys = K, allocated with dtc_cmp_body_alloc):
 * keys of one name add up, the K with the most compared requests stay keys, the others go to
 * "other".  dst is overwritten.
 */
struct dtc_cmp_body *dtc_cmp_body_alloc(unsigned int keys);
void dtc_cmp_body_free(struct dtc_cmp_body *b);
void dtc_cmp_merge(struct dtc_cmp_body *dst, const struct dtc_cmp_body *const *src,
	unsigned int n);

void dtc_cmp_stats_merge(struct dtc_cmp_stats *a, const struct dtc_cmp_stats *b);

/* ------------------------------------------------------------------ */
/*
 * Pairing, per worker: each session (by its index in the engine, 0 .. max_sessions - 1) has a
 * FIFO of the requests captured and not yet paired, taken from a pool of `records` entries
 * (8 bytes per session plus the pool).  A request is the engine's: the first data of a
 * session, then every captured segment whose ACK is beyond the previous one's (pipelined
 * requests sharing an ACK are one).
 *
 *  - online side (the mirror): dtc_cmp_online_req() for every client data segment taken,
 *    dtc_cmp_online_ans() for every online-server segment; an answer belongs to the last
 *    request whose ACK it is at or beyond, so answers split over many segments, retransmitted
 *    or reordered, land where they belong;
 *  - test side (the engine): dtc_cmp_test_sent() for every client segment sent the first
 *    time (newreq for the first of a request) and dtc_cmp_test_ref() with where its answer
 *    starts in the test server's sequence space, dtc_cmp_test_ans() for the test server's
 *    in-order bytes; the engine releases requests in capture order, so answers follow in
 *    that order, each from its start (a catch-up may release a request before the previous
 *    answer has ended: its bytes still go to that one);
 *  - a request is paired (dtc_cmp_add) when a byte of the next released request's answer
 *    arrives or its session ends.
 */

struct dtc_cmp_pairs;

#define DTC_CMP_XFER_MAX 64          /* as DTC_XFER_MAX */

/* NULL with rte_errno (EINVAL, ENOMEM). */
struct dtc_cmp_pairs *dtc_cmp_pairs_create(struct dtc_cmp *c, uint32_t max_sessions,
	uint32_t records, int socket_id);
void dtc_cmp_pairs_free(struct dtc_cmp_pairs *p);
size_t dtc_cmp_pairs_mem_size(uint32_t max_sessions, uint32_t records);
/* The protocol of -x map x (enum dtc_cls_proto or DTC_CLS_AUTO, the default). */
void dtc_cmp_pairs_set_proto(struct dtc_cmp_pairs *p, unsigned int x, uint8_t proto);
/* Records in use now (tests). */
uint32_t dtc_cmp_pairs_in_use(const struct dtc_cmp_pairs *p);

void dtc_cmp_online_req(struct dtc_cmp_pairs *p, uint32_t sid, uint8_t xfer, uint16_t port,
	uint32_t ack, uint64_t t_us, const uint8_t *data, uint16_t len);
void dtc_cmp_online_ans(struct dtc_cmp_pairs *p, uint32_t sid, uint32_t seq, uint64_t t_us,
	const uint8_t *data, uint16_t len, bool rst);
void dtc_cmp_test_sent(struct dtc_cmp_pairs *p, uint32_t sid, bool newreq, uint64_t t_us);
/* Where the answer to the request just released starts in the test server's sequence space
 * (the engine's rcv_ref: with a catch-up, beyond bytes still due to the previous request). */
void dtc_cmp_test_ref(struct dtc_cmp_pairs *p, uint32_t sid, uint32_t seq);
/* In-order test-server bytes from seq (or its RST); an answer is paired once a byte of the
 * next released request's answer arrives, or at the session end. */
void dtc_cmp_test_ans(struct dtc_cmp_pairs *p, uint32_t sid, uint32_t seq, uint64_t t_us,
	const uint8_t *data, uint16_t len, uint32_t outcome, bool rst);

/*
 * In two-host mode the control lcore sees the test server's payload: it classifies each data
 * segment (dtc_cls_outcome) and the record carries the result to the worker in fields a data
 * record does not use (mss, pad), flagged in opt.  Never on the wire.
 */
#define DTC_RESP_F_OUTCOME 0x80

static inline void
dtc_cmp_resp_set_outcome(struct dtc_resp *r, uint32_t o)
{
	r->mss = (uint16_t)o;
	r->pad[0] = (uint8_t)(o >> 16);
	r->pad[1] = (uint8_t)(o >> 24);
	r->opt |= DTC_RESP_F_OUTCOME;
}

static inline uint32_t
dtc_cmp_resp_outcome(const struct dtc_resp *r)
{
	if (!(r->opt & DTC_RESP_F_OUTCOME) || (r->flags & DTC_TCP_SYN))
		return DTC_CMP_OUTCOME_UNKNOWN;
	return (uint32_t)r->mss | (uint32_t)r->pad[0] << 16 | (uint32_t)r->pad[1] << 24;
}
/* The session ended: pair what was sent, count the rest not_sent, free its records. */
void dtc_cmp_sess_end(struct dtc_cmp_pairs *p, uint32_t sid);

#ifdef __cplusplus
}
#endif

#endif /* DTC_COMPARE_H */
