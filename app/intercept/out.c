/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Output of one copier connection: records are batched into v1 frames (count + up to 16
 * records) and frames are queued in a bounded buffer until the socket takes them.  A frame
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
	if (o->buf == NULL)
		return -ENOMEM;
	o->cap = cap;
	o->batch_max = batch_max;
	return 0;
}

void
icpt_out_fini(struct icpt_out *o)
{
	free(o->buf);
	o->buf = NULL;
}

void
icpt_out_reset(struct icpt_out *o)
{
	uint8_t *buf = o->buf;
	uint32_t cap = o->cap;
	uint16_t bm = o->batch_max;

	memset(o, 0, sizeof(*o));
	o->buf = buf;
	o->cap = cap;
	o->batch_max = bm;
}

/* Move the open batch into the byte buffer as one frame. */
static void
out_close_batch(struct icpt_out *o)
{
	uint16_t n = o->batch.count;
	size_t flen = dtc_v1_batch_finish(&o->batch);

	dtc_v1_batch_reset(&o->batch);
	if (flen == 0)
		return;
	if (o->off + o->len + flen > o->cap && o->off > 0) {
		memmove(o->buf, o->buf + o->off, o->len);
		o->off = 0;
	}
	if (o->len + flen > o->cap) {
		o->overflow_records += n;
		return;
	}
	memcpy(o->buf + o->off + o->len, o->batch.buf, flen);
	o->len += (uint32_t)flen;
	o->records += n;
	o->frames++;
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
	if (o->batch.count == 0 || now - o->first_us < max_delay_us)
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
