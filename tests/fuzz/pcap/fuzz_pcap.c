/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Arbitrary bytes as the -i file: the offline reader (libpcap underneath, our packet counter
 * and record checks, the replay timeline) and the frame parser over every frame it yields,
 * with the flags the offline path uses.  No EAL.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtc_ctl.h"
#include "dtc_proto.h"
#include "pcap_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dtc_pcap_reader *r;
	struct dtc_pcap_frame f;
	struct dtc_pace pace;
	char err[256];
	unsigned int n = 0;
	int rc;

	r = dtc_pcap_open_mem(data, size, "fuzz.pcap", err, sizeof(err));
	if (r == NULL)
		return 0;
	/* the speed and gap come from the input too, so odd values are covered */
	dtc_pace_init(&pace, size > 0 ? (double)(data[size - 1] + 1) / 16.0 : 1.0,
		size > 1 ? data[size - 2] : 0);
	while (n++ < 100000 && (rc = dtc_pcap_next(r, &f)) == 1) {
		struct dtc_pkt_info pi;

		(void)dtc_pace_due_us(&pace, f.ts_ns);
		if (f.caplen < f.len)
			continue; /* the offline path drops snapped frames before parsing */
		if (dtc_parse(f.data, f.caplen, dtc_pcap_link(r), false, &pi) == 0 &&
				pi.l4 == DTC_L4_TCP) {
			struct dtc_resp resp;

			(void)dtc_resp_from_pkt(&pi, &resp);
		}
	}
	(void)dtc_pcap_error(r);
	dtc_pcap_close(r);
	return 0;
}
