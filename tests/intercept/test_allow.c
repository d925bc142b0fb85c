/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* --allow as parsed by the option parser and applied to peer addresses: prefixes of any
 * length (host bits in the option ignored), IPv4 and IPv6, an empty list allows everyone;
 * repeated parses (as the fuzz harness does) give the same result. */

#include <arpa/inet.h>

#include "dtc_app.h"
#include "intercept.h"
#include "icpt_test.h"

static bool
allowed(const struct icpt_opts *o, const char *a)
{
	union dtc_addr x;
	int fam = dtc_addr_parse(a, &x);

	return icpt_allowed(o, (uint8_t)fam, &x);
}

static int
parse(struct icpt_opts *o, const char *allow)
{
	struct dtc_opts_err err;
	char *argv[] = { (char *)(uintptr_t)"icpt", (char *)(uintptr_t)"-F",
		(char *)(uintptr_t)"tcp", (char *)(uintptr_t)"--allow", (char *)(uintptr_t)allow,
		NULL };

	return icpt_args_parse_r(allow != NULL ? 5 : 3, argv, o, &err);
}

int
main(int argc, char **argv)
{
	struct icpt_opts o;
	int round;

	(void)argc;
	CHECK_EQ(parse(&o, NULL), DTC_OPTS_OK);
	CHECK(allowed(&o, "203.0.113.9"));
	CHECK(allowed(&o, "2001:db8::1"));
	CHECK_EQ(o.port, 36524);
	CHECK_EQ(o.route_timeout_s, 120);
	CHECK_EQ(o.batch_max, 16);
	for (round = 0; round < 2; round++) {
		CHECK_EQ(parse(&o, "10.1.2.3/8,192.168.7.7,2001:db8:ff::/33,198.18.0.0/15"),
			DTC_OPTS_OK);
		CHECK_EQ(o.n_allow, 4);
		CHECK(allowed(&o, "10.200.1.1"));
		CHECK(!allowed(&o, "11.0.0.1"));
		CHECK(allowed(&o, "192.168.7.7"));
		CHECK(!allowed(&o, "192.168.7.8"));
		CHECK(allowed(&o, "198.19.255.255"));
		CHECK(!allowed(&o, "198.20.0.0"));
		CHECK(allowed(&o, "2001:db8:ff:1::5"));
		CHECK(allowed(&o, "2001:db8:7fff::5"));   /* bit 33 clear */
		CHECK(!allowed(&o, "2001:db8:8000::1"));  /* bit 33 set */
		CHECK(!allowed(&o, "2001:db9::1"));
		CHECK(!allowed(&o, "::ffff:10.1.1.1")); /* the server maps these to IPv4 first */
	}
	CHECK_EQ(parse(&o, "0.0.0.0/0"), DTC_OPTS_OK);
	CHECK(allowed(&o, "1.2.3.4"));
	CHECK(!allowed(&o, "2001:db8::1"));
	CHECK_EQ(parse(&o, "10.0.0.0/8,"), DTC_OPTS_ERROR);
	CHECK_EQ(parse(&o, "10.0.0.0/"), DTC_OPTS_ERROR);
	CHECK_EQ(parse(&o, "/8"), DTC_OPTS_ERROR);
	return dtc_check_end(argv[0]);
}
