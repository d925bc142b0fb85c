/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Route-stream decoder fuzzer (copier -> intercept).  Bytes 0-3 seed the chunk sizes; the
 * rest is the stream, fed whole and in pseudo-random chunks (exact-size heap copies).  Both
 * runs must agree on the error, the version and every route; each route re-encodes to the
 * 14 bytes it came from.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_ctl.h"
#include "dtc_proto.h"
#include "../fuzz_util.h"

#define MAX_SEEN 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	unsigned int n, nver;
	uint16_t version;
	uint32_t hash[MAX_SEEN];
	bool compare;
};

static void
route(void *arg, const struct dtc_flow_key *k, uint16_t type)
{
	struct seen *s = arg;
	uint8_t msg[DTC_V1_ROUTE_LEN];
	struct dtc_v1_route_rx rx;
	uint32_t h = dtc_flow_hash(k, type);

	REQUIRE(type == DTC_V1_ROUTE_ADD || type == DTC_V1_ROUTE_DEL);
	REQUIRE(k->family == 4 && k->client.a32[1] == 0 && k->server.a64[1] == 0);
	REQUIRE(k->pad[0] == 0 && k->pad[1] == 0 && k->pad[2] == 0);
	REQUIRE(dtc_v1_route_encode(msg, k, type) == 0);
	/* A fresh decoder given a version message and this route gives this key back. */
	if (!s->compare) {
		uint8_t two[2 * DTC_V1_ROUTE_LEN];
		struct seen one;

		memset(&one, 0, sizeof(one));
		one.compare = true;
		one.hash[0] = h;
		dtc_v1_version_encode(two, DTC_V1_VERSION);
		memcpy(two + DTC_V1_ROUTE_LEN, msg, DTC_V1_ROUTE_LEN);
		dtc_v1_route_rx_init(&rx);
		REQUIRE(dtc_v1_route_rx_feed(&rx, two, sizeof(two), route, NULL, &one) == 0);
		REQUIRE(one.n == 1);
	}
	if (s->compare && s->n < MAX_SEEN)
		REQUIRE(s->hash[s->n] == h);
	else if (s->n < MAX_SEEN)
		s->hash[s->n] = h;
	s->n++;
}

static void
version(void *arg, uint16_t v)
{
	struct seen *s = arg;

	s->version = v;
	s->nver++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seen whole, chunked;
	struct dtc_v1_route_rx a, b;
	struct fuzz_chunks ch;
	const uint8_t *piece;
	uint32_t rng;
	size_t n;
	int ra, rb = 0;

	if (size < 4)
		return 0;
	memcpy(&rng, data, 4);
	data += 4;
	size -= 4;

	memset(&whole, 0, sizeof(whole));
	dtc_v1_route_rx_init(&a);
	ra = dtc_v1_route_rx_feed(&a, data, size, route, version, &whole);
	REQUIRE(ra == 0 || ra == -DTC_CTL_ERR_ROUTE_TYPE);
	REQUIRE(a.routes == whole.n && whole.nver <= 1);
	REQUIRE(whole.nver == a.got_version);

	memset(&chunked, 0, sizeof(chunked));
	memcpy(chunked.hash, whole.hash, sizeof(whole.hash));
	chunked.compare = true;
	dtc_v1_route_rx_init(&b);
	fuzz_chunks_init(&ch, data, size, rng, 40);
	while (rb == 0 && (piece = fuzz_chunks_next(&ch, &n)) != NULL)
		rb = dtc_v1_route_rx_feed(&b, piece, n, route, version, &chunked);
	fuzz_chunks_end(&ch);
	REQUIRE(ra == rb);
	REQUIRE(a.routes == b.routes && chunked.n == whole.n);
	REQUIRE(chunked.nver == whole.nver && chunked.version == whole.version);
	REQUIRE(a.version == b.version && a.got_version == b.got_version);
	if (ra == 0)
		REQUIRE(a.have == b.have);
	return 0;
}
