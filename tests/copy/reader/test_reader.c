/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Drives the offline reader without EAL.
 *   test_reader FILE        prints "link L", one "frame INDEX CAPLEN LEN TS_NS" per frame,
 *                           then "end" or "error MESSAGE" (check_reader.py compares with scapy)
 *   test_reader --mem FILE  the same through the memory-buffer entry point
 *   test_reader --pace      replay timeline checks against hand-computed values
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/dtc_check.h"
#include "pcap_reader.h"

static int
dump(struct dtc_pcap_reader *r)
{
	struct dtc_pcap_frame f;
	int rc;

	printf("link %d\n", (int)dtc_pcap_link(r));
	while ((rc = dtc_pcap_next(r, &f)) == 1)
		printf("frame %" PRIu64 " %u %u %" PRIu64 "\n", f.index, f.caplen, f.len, f.ts_ns);
	if (rc == 0)
		printf("end\n");
	else
		printf("error %s\n", dtc_pcap_error(r));
	/* stays at the end */
	if (dtc_pcap_next(r, &f) != rc) {
		printf("reader did not stay at the end\n");
		return 1;
	}
	dtc_pcap_close(r);
	return 0;
}

static void
expect(uint64_t got, uint64_t want, const char *what)
{
	CHECKF(got == want, "%s: got %" PRIu64 ", want %" PRIu64, what, got, want);
}

static int
pace_checks(void)
{
	struct dtc_pace p;
	const uint64_t s = 1000000000u; /* ns */

	/* speed 1, no gap rule: offsets follow the capture */
	dtc_pace_init(&p, 1.0, 0);
	expect(dtc_pace_due_us(&p, 5 * s), 0, "first packet at 0");
	expect(dtc_pace_due_us(&p, 5 * s + 250000), 250, "250 us later");
	expect(dtc_pace_due_us(&p, 7 * s), 2000000, "2 s later");
	/* a packet from the past does not move the timeline back */
	expect(dtc_pace_due_us(&p, 6 * s), 2000000, "timestamp going backwards");
	/* -a 10: ten times faster */
	dtc_pace_init(&p, 10.0, 0);
	expect(dtc_pace_due_us(&p, 100 * s), 0, "speed: first");
	expect(dtc_pace_due_us(&p, 101 * s), 100000, "speed: 1 s -> 100 ms");
	/* -I 500: a 10 s silence becomes 500 ms; shorter gaps are kept */
	dtc_pace_init(&p, 1.0, 500);
	expect(dtc_pace_due_us(&p, 0), 0, "gap: first");
	expect(dtc_pace_due_us(&p, s / 10), 100000, "gap: 100 ms kept");
	expect(dtc_pace_due_us(&p, s / 10 + 10 * s), 600000, "gap: 10 s -> 500 ms");
	expect(dtc_pace_due_us(&p, s / 10 + 10 * s + s / 5), 800000, "gap: 200 ms kept after");
	/* -a and -I together: the gap is cut first, then everything is accelerated */
	dtc_pace_init(&p, 2.0, 1000);
	expect(dtc_pace_due_us(&p, 0), 0, "both: first");
	expect(dtc_pace_due_us(&p, 4 * s), 500000, "both: 4 s -> 1 s -> 500 ms");
	return dtc_check_end("pace");
}

int
main(int argc, char **argv)
{
	struct dtc_pcap_reader *r;
	char err[512];

	if (argc == 2 && strcmp(argv[1], "--pace") == 0)
		return pace_checks();
	if (argc == 3 && strcmp(argv[1], "--mem") == 0) {
		static uint8_t buf[1 << 22];
		FILE *f = fopen(argv[2], "rb");
		size_t n;

		if (f == NULL)
			return 2;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		r = dtc_pcap_open_mem(buf, n, argv[2], err, sizeof(err));
	} else if (argc == 2) {
		r = dtc_pcap_open(argv[1], err, sizeof(err));
	} else {
		fprintf(stderr, "usage: test_reader [--mem] FILE | --pace\n");
		return 2;
	}
	if (r == NULL) {
		printf("open-error %s\n", err);
		return 0;
	}
	return dump(r);
}
