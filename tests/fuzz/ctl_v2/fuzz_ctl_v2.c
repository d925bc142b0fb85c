/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Control channel v2 stream fuzzer, both directions.  Bytes 0-3 seed the chunk sizes; byte 4
 * bit 0 picks the direction (0: copier -> intercept, 1: intercept -> copier, which starts
 * with the two-byte preamble); the rest is the stream.  It is fed whole and in pseudo-random
 * chunks: both runs must agree on the error and on every message.  Each message is decoded as
 * its type says (HELLO, routes, RECORDS, HEARTBEAT, BYE), and what decodes re-encodes to the
 * same bytes (routes, heartbeats, HELLO) or to a record that decodes the same (RECORDS).
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
	bool compare;
	uint64_t bad;
};

static uint32_t
hash_bytes(uint8_t type, const uint8_t *b, uint32_t len)
{
	uint32_t h = 2166136261u ^ type, i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h ^ len;
}

static void
on_key(void *arg, const struct dtc_flow_key *k, uint16_t type)
{
	uint8_t out[DTC_V2_HDR_LEN + DTC_V2_KEY_LEN];

	(void)arg;
	REQUIRE(type == DTC_V2_ROUTE_ADD || type == DTC_V2_ROUTE_DEL);
	REQUIRE(k->family == 4 || k->family == 6);
	REQUIRE(dtc_v2_route_encode(out, sizeof(out), (uint8_t)type, k, 1) == (int)sizeof(out));
	REQUIRE(memcmp(out + DTC_V2_HDR_LEN, k, DTC_V2_KEY_LEN) == 0);
}

static void
on_rec(void *arg, const struct dtc_resp *r, const struct dtc_v2_rec_meta *m)
{
	(void)arg;
	REQUIRE(r->key.family == 4 || r->key.family == 6);
	REQUIRE(m->prefix_len <= DTC_V2_PREFIX_MAX);
	REQUIRE(m->prefix_len == 0 || m->prefix != NULL);
	if (m->prefix_len > 0)
		REQUIRE(m->prefix[m->prefix_len - 1] == m->prefix[m->prefix_len - 1]);
}

static void
check_msg(uint8_t type, const uint8_t *body, uint32_t len, struct seen *s)
{
	uint8_t out[DTC_V2_MSG_MAX];
	struct dtc_v2_hello h;
	struct dtc_v2_hb hb;
	int rc;

	REQUIRE(dtc_v2_len_ok(type, len));
	switch (type) {
	case DTC_V2_HELLO:
		if (dtc_v2_hello_decode(body, len, &h) == 0) {
			REQUIRE(strlen(h.name) <= DTC_V2_NAME_LEN);
			REQUIRE(h.prefix <= DTC_V2_PREFIX_MAX);
			REQUIRE(dtc_v2_hello_encode(out, sizeof(out), &h) == 48);
			REQUIRE(memcmp(out + 4, body, 24) == 0);
		}
		break;
	case DTC_V2_ROUTE_ADD:
	case DTC_V2_ROUTE_DEL:
		rc = dtc_v2_routes_decode(body, len, type, on_key, NULL);
		REQUIRE(rc == 0 || rc == -DTC_CTL_ERR_V2_KEY);
		break;
	case DTC_V2_RECORDS:
		rc = dtc_v2_records_decode(body, len, on_rec, NULL, &s->bad);
		REQUIRE(rc == 0 || rc == -DTC_CTL_ERR_V2_RECORDS);
		break;
	case DTC_V2_HEARTBEAT:
		REQUIRE(dtc_v2_hb_decode(body, len, &hb) == 0);
		REQUIRE(dtc_v2_hb_encode(out, sizeof(out), &hb) == 36);
		REQUIRE(memcmp(out + 4, body, 4) == 0 && memcmp(out + 12, body + 8, 24) == 0);
		{
			int64_t off, delay;

			if (dtc_v2_clock_sample(&hb, hb.tx_us, &off, &delay))
				REQUIRE(hb.echo_tx_us <= hb.tx_us);
		}
		break;
	case DTC_V2_BYE:
		REQUIRE(len >= 2 && len <= 202);
		break;
	case DTC_V2_AUTH:
		REQUIRE(len == DTC_V2_MAC_LEN);
		break;
	default:
		REQUIRE(0);
	}
}

static int
on_msg(void *arg, uint8_t type, const uint8_t *body, uint32_t len)
{
	struct seen *s = arg;
	uint32_t h = hash_bytes(type, body, len);

	if (!s->compare)
		check_msg(type, body, len, s);
	if (s->compare && s->n < MAX_SEEN)
		REQUIRE(s->hash[s->n] == h);
	else if (s->n < MAX_SEEN)
		s->hash[s->n] = h;
	s->n++;
	/* A BYE ends the conversation, as the applications do. */
	return type == DTC_V2_BYE ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seen whole, chunked;
	struct dtc_v2_rx a, b;
	struct fuzz_chunks ch;
	const uint8_t *piece;
	uint32_t rng, allowed;
	bool from_icpt;
	size_t n;
	int ra, rb = 0;

	if (size < 5)
		return 0;
	memcpy(&rng, data, 4);
	from_icpt = data[4] & 1;
	data += 5;
	size -= 5;
	allowed = from_icpt ? DTC_V2_FROM_INTERCEPT : DTC_V2_FROM_COPIER;

	memset(&whole, 0, sizeof(whole));
	dtc_v2_rx_init(&a, allowed, from_icpt);
	ra = dtc_v2_rx_feed(&a, data, size, on_msg, &whole);
	REQUIRE(ra == 0 || ra == -1 || ra == -DTC_CTL_ERR_V2_PREAMBLE ||
		ra == -DTC_CTL_ERR_V2_TYPE || ra == -DTC_CTL_ERR_V2_LEN);
	REQUIRE(a.msgs == whole.n);
	REQUIRE(a.have <= DTC_V2_MSG_MAX);

	memset(&chunked, 0, sizeof(chunked));
	memcpy(chunked.hash, whole.hash, sizeof(whole.hash));
	chunked.compare = true;
	dtc_v2_rx_init(&b, allowed, from_icpt);
	fuzz_chunks_init(&ch, data, size, rng, 200);
	while (rb == 0 && (piece = fuzz_chunks_next(&ch, &n)) != NULL)
		rb = dtc_v2_rx_feed(&b, piece, n, on_msg, &chunked);
	fuzz_chunks_end(&ch);
	REQUIRE(ra == rb);
	REQUIRE(a.msgs == b.msgs && chunked.n == whole.n);
	return 0;
}
