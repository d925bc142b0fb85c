/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Record-stream decoder fuzzer (intercept -> copier).  Bytes 0-3 seed the chunk sizes; the
 * rest is the byte stream, fed whole to one decoder and in pseudo-random chunks (1..300
 * bytes, each an exact-size heap copy) to another.  Both must report the same error, the same
 * records in the same order; every record delivered re-encodes (IHL 5) to the same decode;
 * re-batching the delivered records yields a stream that decodes to the same records.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_ctl.h"
#include "dtc_proto.h"
#include "../fuzz_util.h"

#define MAX_SEEN 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	unsigned int n;
	uint32_t hash[MAX_SEEN];
	struct dtc_v1_batch batch;     /* re-batching of what was delivered */
	uint8_t *rebatched;
	size_t rb_len;
};

static uint32_t
resp_hash(const struct dtc_resp *r)
{
	return dtc_flow_hash(&r->key, r->seq ^ r->ack ^ ((uint32_t)r->win << 16) ^ r->flags ^
		((uint32_t)r->payload_len << 8) ^ r->mss ^ ((uint32_t)r->wscale << 24) ^ r->opt ^
		r->tsval);
}

static void
flush(struct seen *s)
{
	size_t n = dtc_v1_batch_finish(&s->batch);

	memcpy(s->rebatched + s->rb_len, s->batch.buf, n);
	s->rb_len += n;
	dtc_v1_batch_reset(&s->batch);
}

static void
cb(void *arg, const struct dtc_resp *r, const uint8_t *raw)
{
	struct seen *s = arg;
	struct dtc_resp again;
	uint8_t rec[DTC_V1_REC_LEN];

	REQUIRE(dtc_v1_rec_decode(raw, &again) == 0);
	REQUIRE(memcmp(&again, r, sizeof(*r)) == 0);
	REQUIRE(r->key.family == 4 && r->key.pad[0] == 0);
	if ((raw[0] & 0xf) == 5) {
		REQUIRE(dtc_v1_rec_encode(rec, raw, DTC_V1_REC_LEN) == 0);
		REQUIRE(dtc_v1_rec_decode(rec, &again) == 0);
		REQUIRE(memcmp(&again, r, sizeof(*r)) == 0);
	}
	if (s->n < MAX_SEEN)
		s->hash[s->n] = resp_hash(r);
	s->n++;
	if (s->rebatched != NULL && dtc_v1_batch_add(&s->batch, raw) == DTC_V1_BATCH_MAX)
		flush(s);
}

static void
cb_cmp(void *arg, const struct dtc_resp *r, const uint8_t *raw)
{
	struct seen *s = arg;

	(void)raw;
	if (s->n < MAX_SEEN)
		REQUIRE(s->hash[s->n] == resp_hash(r));
	s->n++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seen whole, chunked;
	struct dtc_v1_rec_rx a, b, c;
	struct fuzz_chunks ch;
	const uint8_t *piece;
	uint32_t rng;
	size_t n;
	int ra, rb = 0, rc;

	if (size < 4)
		return 0;
	memcpy(&rng, data, 4);
	data += 4;
	size -= 4;

	memset(&whole, 0, sizeof(whole));
	whole.rebatched = malloc(size * 2 + DTC_V1_FRAME_MAX);
	dtc_v1_batch_reset(&whole.batch);
	dtc_v1_rec_rx_init(&a);
	ra = dtc_v1_rec_rx_feed(&a, data, size, cb, &whole);
	REQUIRE(ra == 0 || ra == -DTC_CTL_ERR_COUNT);
	REQUIRE(a.records == whole.n);
	flush(&whole);

	memset(&chunked, 0, sizeof(chunked));
	memcpy(chunked.hash, whole.hash, sizeof(whole.hash));
	dtc_v1_rec_rx_init(&b);
	fuzz_chunks_init(&ch, data, size, rng, 300);
	while (rb == 0 && (piece = fuzz_chunks_next(&ch, &n)) != NULL)
		rb = dtc_v1_rec_rx_feed(&b, piece, n, cb_cmp, &chunked);
	fuzz_chunks_end(&ch);
	REQUIRE(ra == rb);
	REQUIRE(a.records == b.records && a.bad_records == b.bad_records && a.frames == b.frames);
	REQUIRE(chunked.n == whole.n);
	if (ra == 0)
		REQUIRE(a.have == b.have);

	/* The delivered records, re-batched by our writer, decode to the same sequence. */
	memset(&chunked, 0, sizeof(chunked));
	memcpy(chunked.hash, whole.hash, sizeof(whole.hash));
	dtc_v1_rec_rx_init(&c);
	rc = dtc_v1_rec_rx_feed(&c, whole.rebatched, whole.rb_len, cb_cmp, &chunked);
	REQUIRE(rc == 0 && c.have == 0 && c.bad_records == 0);
	REQUIRE(chunked.n == whole.n);
	free(whole.rebatched);
	return 0;
}
