/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Output of one copier connection: records are batched into v1 frames (count + up to 16
 * records), or for a v2 connection into RECORDS messages (up to 16 records), and frames and
 * control messages are queued in a bounded buffer until the socket takes them.  A frame
 * that does not fit is dropped whole and counted, so the stream never carries a partial frame
 * and a copier that does not read costs a fixed amount of memory.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "intercept.h"

int
icpt_out_init(struct icpt_out *o, uint32_t cap, uint16_t batch_max)
{
	memset(o, 0, sizeof(*o));
	if (cap < DTC_V1_FRAME_MAX || batch_max == 0 || batch_max > DTC_V1_BATCH_MAX)
		return -EINVAL;
	o->buf = malloc(cap);
	o->v2msg = malloc(DTC_V2_MSG_MAX);
	if (o->buf == NULL || o->v2msg == NULL) {
		icpt_out_fini(o);
		return -ENOMEM;
	}
	o->cap = cap;
	o->batch_max = batch_max;
	return 0;
}

void
icpt_out_fini(struct icpt_out *o)
{
	free(o->buf);
	free(o->v2msg);
	o->buf = NULL;
	o->v2msg = NULL;
}

void
icpt_out_reset(struct icpt_out *o)
{
	uint8_t *buf = o->buf, *v2 = o->v2msg;
	uint32_t cap = o->cap;
	uint16_t bm = o->batch_max;

	memset(o, 0, sizeof(*o));
	o->buf = buf;
	o->v2msg = v2;
	o->cap = cap;
	o->batch_max = bm;
}

/* Append bytes to the buffer whole, or not at all. */
static bool
out_append(struct icpt_out *o, const uint8_t *p, size_t n)
{
	if (o->off + o->len + n > o->cap && o->off > 0) {
		memmove(o->buf, o->buf + o->off, o->len);
		o->off = 0;
	}
	if (o->len + n > o->cap)
		return false;
	memcpy(o->buf + o->off + o->len, p, n);
	o->len += (uint32_t)n;
	return true;
}

/* Move the open batch (v1 frame or v2 RECORDS message) into the byte buffer. */
static void
out_close_batch(struct icpt_out *o)
{
	uint16_t n = o->batch.count;
	size_t flen = dtc_v1_batch_finish(&o->batch);

	dtc_v1_batch_reset(&o->batch);
	if (flen != 0) {
		if (!out_append(o, o->batch.buf, flen)) {
			o->overflow_records += n;
		} else {
			o->records += n;
			o->frames++;
		}
	}
	if (o->v2count > 0) {
		n = o->v2count;
		dtc_v2_hdr_encode(o->v2msg, DTC_V2_RECORDS, (uint16_t)(o->v2len - DTC_V2_HDR_LEN));
		if (!out_append(o, o->v2msg, o->v2len)) {
			o->overflow_records += n;
		} else {
			o->records += n;
			o->frames++;
		}
		o->v2count = 0;
		o->v2len = 0;
	}
}

bool
icpt_out_add_v2(struct icpt_out *o, const uint8_t *rec, uint32_t len, uint64_t now)
{
	bool closed = false;

	if (len == 0 || len > DTC_V2_REC_MAX)
		return false;
	/* A record that would not fit the open message closes it first (variable lengths). */
	if (o->v2count > 0 && o->v2len + len > DTC_V2_MSG_MAX) {
		out_close_batch(o);
		closed = true;
	}
	if (o->v2count == 0) {
		o->first_us = now;
		o->v2len = DTC_V2_HDR_LEN;
	}
	memcpy(o->v2msg + o->v2len, rec, len);
	o->v2len += len;
	o->v2count++;
	if (o->v2count < o->batch_max)
		return closed;
	out_close_batch(o);
	return true;
}

bool
icpt_out_raw(struct icpt_out *o, const uint8_t *msg, uint32_t len)
{
	out_close_batch(o);
	return out_append(o, msg, len);
}

bool
icpt_out_add(struct icpt_out *o, const uint8_t rec[DTC_V1_REC_LEN], uint64_t now)
{
	if (o->batch.count == 0)
		o->first_us = now;
	dtc_v1_batch_add(&o->batch, rec);
	if (o->batch.count < o->batch_max)
		return false;
	out_close_batch(o);
	return true;
}

bool
icpt_out_flush(struct icpt_out *o, uint64_t now, uint64_t max_delay_us)
{
	if ((o->batch.count == 0 && o->v2count == 0) || now - o->first_us < max_delay_us)
		return false;
	out_close_batch(o);
	return true;
}

void
icpt_out_consume(struct icpt_out *o, uint32_t n)
{
	n = RTE_MIN(n, o->len);
	o->off += n;
	o->len -= n;
	o->bytes_sent += n;
	if (o->len == 0)
		o->off = 0;
}
