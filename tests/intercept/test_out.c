/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Per-copier output with an injected clock: a full batch becomes a frame at once, a partial
 * one when flushed (at the end of the loop iteration: max delay 0) or when it is older than
 * the delay asked for, never before; -n limits records per frame; a buffer that cannot take
 * a frame drops it whole and counts its records, and what is queued stays byte-exact across
 * partial sends and buffer compaction.  Frames are decoded here by hand (count, then 64-byte
 * records), not with our decoder.
 */

#include <string.h>

#include "intercept.h"
#include "icpt_test.h"

static void
rec_of(uint8_t *rec, uint32_t i)
{
	memset(rec, 0, DTC_V1_REC_LEN);
	memcpy(rec, &i, sizeof(i));
	rec[63] = 0xa5;
}

/* Walk the pending bytes as frames; check counts and record numbers from *next on. */
static unsigned int
check_frames(const struct icpt_out *o, uint32_t *next, unsigned int max_count)
{
	const uint8_t *p = icpt_out_data(o), *end = p + icpt_out_pending(o);
	unsigned int frames = 0;

	while (p < end) {
		unsigned int n = (unsigned int)(p[0] << 8 | p[1]), i;

		CHECKF(n >= 1 && n <= max_count, "count %u", n);
		CHECK(p + 2 + n * DTC_V1_REC_LEN <= end);
		if (n < 1 || n > max_count || p + 2 + n * DTC_V1_REC_LEN > end)
			return frames;
		for (i = 0; i < n; i++) {
			uint8_t want[DTC_V1_REC_LEN];

			rec_of(want, (*next)++);
			CHECK(memcmp(p + 2 + i * DTC_V1_REC_LEN, want, DTC_V1_REC_LEN) == 0);
		}
		p += 2 + n * DTC_V1_REC_LEN;
		frames++;
	}
	return frames;
}

static void
test_timing(void)
{
	struct icpt_out o;
	uint8_t rec[DTC_V1_REC_LEN];
	uint32_t i, next = 0;

	CHECK_EQ(icpt_out_init(&o, 64 * 1024, DTC_V1_BATCH_MAX), 0);
	CHECK(!icpt_out_flush(&o, 0, 0)); /* nothing to flush */
	for (i = 0; i < 3; i++) {
		rec_of(rec, i);
		CHECK(!icpt_out_add(&o, rec, 100 + i));
	}
	CHECK_EQ(icpt_out_pending(&o), 0);
	/* The timer backstop: not before 1 ms after the batch's first record... */
	CHECK(!icpt_out_flush(&o, 100 + 999, 1000));
	CHECK_EQ(icpt_out_pending(&o), 0);
	/* ... and at 1 ms. */
	CHECK(icpt_out_flush(&o, 1100, 1000));
	CHECK_EQ(icpt_out_pending(&o), 2 + 3 * DTC_V1_REC_LEN);
	CHECK_EQ(check_frames(&o, &next, 16), 1);
	icpt_out_consume(&o, icpt_out_pending(&o));
	/* The end of a loop iteration: whatever is there goes, at once. */
	rec_of(rec, 3);
	icpt_out_add(&o, rec, 5000);
	CHECK(icpt_out_flush(&o, 5000, 0));
	CHECK_EQ(check_frames(&o, &next, 16), 1);
	icpt_out_consume(&o, icpt_out_pending(&o));
	/* A full batch is a frame immediately, without any flush. */
	for (i = 4; i < 4 + 16; i++) {
		rec_of(rec, i);
		CHECK_EQ(icpt_out_add(&o, rec, 6000), i == 4 + 15);
	}
	CHECK_EQ(icpt_out_pending(&o), 2 + 16 * DTC_V1_REC_LEN);
	/* The 21st record starts a new batch, timed from its own arrival. */
	rec_of(rec, 20);
	icpt_out_add(&o, rec, 7000);
	CHECK(!icpt_out_flush(&o, 7999, 1000));
	CHECK(icpt_out_flush(&o, 8000, 1000));
	CHECK_EQ(check_frames(&o, &next, 16), 2);
	CHECK_EQ(o.records, 21);
	CHECK_EQ(o.frames, 4);
	icpt_out_fini(&o);
}

static void
test_batch_max(void)
{
	struct icpt_out o;
	uint8_t rec[DTC_V1_REC_LEN];
	uint32_t i, next = 0;

	CHECK_EQ(icpt_out_init(&o, 64 * 1024, 4), 0);
	for (i = 0; i < 10; i++) {
		rec_of(rec, i);
		icpt_out_add(&o, rec, 1);
	}
	icpt_out_flush(&o, 1, 0);
	CHECK_EQ(check_frames(&o, &next, 4), 3); /* 4 + 4 + 2 */
	CHECK_EQ(next, 10);
	icpt_out_fini(&o);
	CHECK_EQ(icpt_out_init(&o, 64 * 1024, 17), -EINVAL);
	CHECK_EQ(icpt_out_init(&o, 64, 16), -EINVAL);
}

static void
test_overflow(void)
{
	struct icpt_out o;
	uint8_t rec[DTC_V1_REC_LEN], copy[2 * DTC_V1_FRAME_MAX];
	uint32_t i, next = 0, plen;

	/* Room for exactly two full frames. */
	CHECK_EQ(icpt_out_init(&o, 2 * DTC_V1_FRAME_MAX, 16), 0);
	for (i = 0; i < 48; i++) {
		rec_of(rec, i);
		icpt_out_add(&o, rec, 1);
	}
	CHECK_EQ(icpt_out_pending(&o), 2 * DTC_V1_FRAME_MAX);
	CHECK_EQ(o.overflow_records, 16); /* the third frame did not fit, whole */
	CHECK_EQ(check_frames(&o, &next, 16), 2);
	/* A partial send (the socket took 100 bytes) leaves the stream intact. */
	icpt_out_consume(&o, 100);
	plen = icpt_out_pending(&o);
	memcpy(copy, icpt_out_data(&o), plen);
	/* Still no room for a full frame: dropped again. */
	for (i = 48; i < 64; i++) {
		rec_of(rec, i);
		icpt_out_add(&o, rec, 2);
	}
	CHECK_EQ(o.overflow_records, 32);
	CHECK_EQ(icpt_out_pending(&o), plen);
	/* The socket takes the first frame: the next one fits after compaction. */
	icpt_out_consume(&o, DTC_V1_FRAME_MAX - 100);
	for (i = 0; i < 16; i++) {
		rec_of(rec, 100 + i);
		icpt_out_add(&o, rec, 3);
	}
	CHECK_EQ(icpt_out_pending(&o), 2 * DTC_V1_FRAME_MAX);
	CHECK(memcmp(icpt_out_data(&o), copy + DTC_V1_FRAME_MAX - 100, DTC_V1_FRAME_MAX) == 0);
	{
		const uint8_t *f2 = icpt_out_data(&o) + DTC_V1_FRAME_MAX;

		CHECK(f2[0] == 0 && f2[1] == 16);
		for (i = 0; i < 16; i++) {
			rec_of(rec, 100 + i);
			CHECK(memcmp(f2 + 2 + i * DTC_V1_REC_LEN, rec, DTC_V1_REC_LEN) == 0);
		}
	}
	CHECK_EQ(o.records, 48);
	CHECK_EQ(o.bytes_sent, DTC_V1_FRAME_MAX);
	/* reset keeps the buffer, clears the rest */
	icpt_out_reset(&o);
	CHECK_EQ(icpt_out_pending(&o), 0);
	CHECK_EQ(o.overflow_records, 0);
	CHECK(o.buf != NULL && o.cap == 2 * DTC_V1_FRAME_MAX);
	icpt_out_fini(&o);
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_timing();
	test_batch_max();
	test_overflow();
	return dtc_check_end(argv[0]);
}
