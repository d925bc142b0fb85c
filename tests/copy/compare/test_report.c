/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Drives app/copy/compare.c with scripted requests on two workers' pairers (HTTP: 200 = 200,
 * 200 -> 500, a longer test answer, a test answer 20 ms slower, a missing one) and writes the
 * report to argv[1]; check_report.py reads it.  Also checks the stats field.  Test answers
 * come as a record would bring them: no bytes; worker 0's with the outcome the control lcore
 * read (two-host mode), worker 1's without (a 1.x intercept).
 */

#include <stdio.h>
#include <string.h>

#include "copy.h"
#include "compare.h"
#include "../../common/dtc_check.h"
#include "../../common/dtc_test_eal.h"

static uint32_t sid_next;

/* One request on its own session of worker w: online answer after 1 ms, test after t_ms. */
static void
exchange(uint16_t w, const char *path, int st_on, int st_te, const char *body_te, double t_ms,
	bool te_missing)
{
	struct dtc_cmp_pairs *p = dtc_copy_cmp_pairs(w);
	char req[128], on[128], te[128];
	uint32_t sid = sid_next++ % 64;
	uint64_t t0 = 1000000;

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path);
	snprintf(on, sizeof(on), "HTTP/1.1 %d X\r\nContent-Length: 3\r\n\r\nabc", st_on);
	snprintf(te, sizeof(te), "HTTP/1.1 %d X\r\nContent-Length: %zu\r\n\r\n%s", st_te,
		strlen(body_te), body_te);
	dtc_cmp_online_req(p, sid, 0, 80, 1000, t0, (const uint8_t *)req, (uint16_t)strlen(req));
	dtc_cmp_online_ans(p, sid, 1000, t0 + 1000, (const uint8_t *)on, (uint16_t)strlen(on),
		false);
	dtc_cmp_test_sent(p, sid, true, t0 + 50000);
	dtc_cmp_test_ref(p, sid, 7000);
	if (!te_missing)
		dtc_cmp_test_ans(p, sid, 7000, t0 + 50000 + (uint64_t)(t_ms * 1000), NULL,
			(uint16_t)strlen(te), w == 0 ? dtc_cls_outcome(DTC_CLS_http,
			(const uint8_t *)te, strlen(te)) : DTC_CMP_OUTCOME_UNKNOWN, false);
	dtc_cmp_sess_end(p, sid);
}

int
main(int argc, char **argv)
{
	struct dtc_copy_opts o;
	char field[256];
	unsigned int i;

	if (argc < 2 || dtc_test_eal_init(argv[0], "cmprep", 128) < 0)
		return 1;
	memset(&o, 0, sizeof(o));
	CHECK_EQ(dtc_copy_cmp_init(&o, 2, 64, 0), 0); /* off: nothing */
	CHECK(!dtc_copy_cmp_on());
	CHECK(dtc_copy_cmp_pairs(0) == NULL);
	o.compare = true;
	o.compare_keys = 4;
	o.compare_report = argv[1];
	o.n_xfer = 1;
	o.response_port = 1;
	CHECK_EQ(dtc_copy_cmp_init(&o, 2, 64, 0), 0);
	CHECK(dtc_copy_cmp_on());
	CHECK(dtc_copy_cmp_mem_size(&o, 64) > 0);
	for (i = 0; i < 100; i++)
		exchange((uint16_t)(i % 2), "/index.html", 200, 200, "abc", 1.0, false);
	for (i = 0; i < 30; i++)
		exchange((uint16_t)(i % 2), "/err", 200, 500, "abc", 1.0, false);
	for (i = 0; i < 10; i++)
		exchange((uint16_t)(i % 2), "/len", 200, 200, "abcdefgh", 1.0, false);
	for (i = 0; i < 20; i++)
		exchange((uint16_t)(i % 2), "/slow/" "12", 200, 200, "abc", 21.0, false);
	for (i = 0; i < 4; i++)
		exchange((uint16_t)(i % 2), "/gone", 200, 200, "abc", 1.0, true);
	/* workers running: the snapshot path (the pollers are this thread) */
	dtc_copy_cmp_collect(false, true);
	CHECK(dtc_copy_cmp_stats_field(field, sizeof(field)) > 0);
	CHECKF(strstr(field, "compare 164 differing") != NULL, "%s", field);
	/* then stopped: the live tables */
	exchange(0, "/index.html", 200, 200, "abc", 1.0, false);
	dtc_copy_cmp_collect(true, false);
	dtc_copy_cmp_stats_field(field, sizeof(field));
	CHECKF(strstr(field, "compare 165 differing") != NULL, "%s", field);
	dtc_copy_cmp_summary();
	dtc_copy_cmp_fini();
	CHECK(!dtc_copy_cmp_on());
	dtc_test_eal_fini();
	return dtc_check_end("test_copy_report");
}
