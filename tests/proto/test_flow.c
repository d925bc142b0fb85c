/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Flow keys, hashes, address text, error names.  No EAL needed. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <rte_hash_crc.h>

#include "dtc_proto.h"
#include "../common/dtc_check.h"

static void
rand_key(struct dtc_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->family = (dtc_rand() & 1) ? 4 : 6;
	dtc_rand_bytes(k->client.a8, k->family == 4 ? 4 : 16);
	dtc_rand_bytes(k->server.a8, k->family == 4 ? 4 : 16);
	k->client_port = (rte_be16_t)dtc_rand();
	k->server_port = (rte_be16_t)dtc_rand();
}

static void
test_hash(void)
{
	enum { N = 1 << 16, B = 256 };
	static unsigned int bucket[B], ebucket[B];
	struct dtc_flow_key a, b;
	unsigned int i, max = 0, emax = 0;

	rand_key(&a);
	b = a;
	CHECK_EQ(dtc_flow_key_cmp(&a, &b), 0);
	CHECK_EQ(dtc_flow_hash(&a, 0), dtc_flow_hash(&b, 0));
	/* The hash is CRC32C of the 40 bytes: the same as rte_hash_crc over the key. */
	CHECK_EQ(dtc_flow_hash(&a, 7), rte_hash_crc(&a, sizeof(a), 7));
	CHECK(dtc_flow_hash(&a, 1) != dtc_flow_hash(&a, 2));
	/* Every single-bit difference anywhere in the key is seen by cmp and (CRC) the hash. */
	for (i = 0; i < sizeof(a) * 8; i++) {
		b = a;
		((uint8_t *)&b)[i / 8] ^= (uint8_t)(1u << (i % 8));
		CHECKF(dtc_flow_key_cmp(&a, &b) != 0, "bit %u", i);
		CHECKF(dtc_flow_hash(&a, 0) != dtc_flow_hash(&b, 0), "bit %u", i);
	}
	b = a;
	b.client_port ^= 1;
	CHECK(dtc_endpoint_hash(&a.client, a.client_port, 0) !=
		dtc_endpoint_hash(&b.client, b.client_port, 0));
	CHECK_EQ(dtc_endpoint_hash(&a.client, a.client_port, 0),
		dtc_endpoint_hash(&a.client, a.client_port, 0));
	/* Spread: sequential client ports of one address (what -n/-f produce) and random keys
	 * fill 256 buckets within 1.5x of the mean. */
	rand_key(&a);
	for (i = 0; i < N; i++) {
		b = a;
		b.client_port = rte_cpu_to_be_16((uint16_t)i);
		bucket[dtc_flow_hash(&b, 0) % B]++;
		ebucket[dtc_endpoint_hash(&b.client, b.client_port, 0) % B]++;
	}
	for (i = 0; i < B; i++) {
		max = RTE_MAX(max, bucket[i]);
		emax = RTE_MAX(emax, ebucket[i]);
	}
	CHECKF(max < N / B * 3 / 2, "max bucket %u", max);
	CHECKF(emax < N / B * 3 / 2, "max bucket %u", emax);
}

static void
test_addr(void)
{
	static const struct {
		const char *in;
		int family;
		const char *out;
	} cases[] = {
		{"198.18.0.1", 4, "198.18.0.1"},
		{"0.0.0.0", 4, "0.0.0.0"},
		{"255.255.255.255", 4, "255.255.255.255"},
		{"2001:db8::1", 6, "2001:db8::1"},
		{"2001:0DB8:0:0:0:0:0:0001", 6, "2001:db8::1"},
		{"::", 6, "::"},
		{"::ffff:198.18.0.1", 6, "::ffff:198.18.0.1"},
		{"198.18.0.256", -EINVAL, NULL},
		{"198.18.0", -EINVAL, NULL},
		{"[2001:db8::1]", -EINVAL, NULL},
		{"2001:db8::1%eth0", -EINVAL, NULL},
		{"", -EINVAL, NULL},
		{" 198.18.0.1", -EINVAL, NULL},
		{"198.18.0.1 ", -EINVAL, NULL},
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		union dtc_addr a;
		char buf[64];
		int r;

		memset(&a, 0xee, sizeof(a));
		r = dtc_addr_parse(cases[i].in, &a);
		CHECK_EQF(r, cases[i].family, "'%s'", cases[i].in);
		if (r < 0)
			continue;
		if (r == 4) {
			uint32_t n;

			CHECK(inet_pton(AF_INET, cases[i].in, &n) == 1 && n == a.a32[0]);
			CHECK(a.a32[1] == 0 && a.a64[1] == 0); /* padding zero: hashable */
		}
		CHECK(strcmp(dtc_addr_fmt((uint8_t)r, &a, buf, sizeof(buf)), cases[i].out) == 0);
	}
	CHECK_EQ(dtc_addr_parse(NULL, NULL), -EINVAL);
	{
		union dtc_addr a;
		char small[4];

		dtc_addr_parse("198.18.0.1", &a);
		/* A buffer too small never overflows and is still a string. */
		dtc_addr_fmt(4, &a, small, sizeof(small));
		CHECK(memchr(small, '\0', sizeof(small)) != NULL);
	}
}

static void
test_names(void)
{
	int e;

	CHECK(strcmp(dtc_perr_name(-DTC_PERR_IP_IHL), "ip_ihl") == 0);
	CHECK(strcmp(dtc_perr_name(DTC_PERR_TCP_OPT), "tcp_opt") == 0);
	CHECK(strcmp(dtc_perr_name(0), "ok") == 0);
	CHECK(strcmp(dtc_perr_name(9999), "unknown") == 0);
	for (e = 1; e < DTC_PERR_MAX; e++) {
		CHECK(strlen(dtc_perr_name(e)) > 0);
		CHECK(strlen(dtc_perr_str(-e)) > 10);
	}
	CHECK(strstr(dtc_perr_str(-DTC_PERR_VLAN_DEPTH), "VLAN") != NULL);
}

int
main(void)
{
	test_hash();
	test_addr();
	test_names();
	return dtc_check_end("test_flow");
}
