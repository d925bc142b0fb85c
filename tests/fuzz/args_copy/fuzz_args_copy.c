/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Fuzz the dpdk-tcpcopy option parser (app/copy/args.c) through its non-exiting entry point.
 * The input is an argument vector: words separated by NUL bytes.  Whatever the words, the
 * parser must return one of its four results, describe every error, leave only consistent
 * options behind when it accepts, and give the same answer when called again (getopt state
 * reset, argv already permuted by the first call).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_app.h"
#include "copy.h"
#include "../fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dtc_copy_opts o1, o2;

static void
check_accepted(const struct dtc_copy_opts *o)
{
	unsigned int i;

	if (o->n_xfer < 1 || o->n_xfer > DTC_XFER_MAX)
		abort();
	if ((o->n_intercept > 0) == (o->response_port >= 0))
		abort(); /* exactly one source of responses */
	if (o->n_intercept > DTC_COPY_MAX_INTERCEPTS)
		abort();
	for (i = 0; i < o->n_intercept; i++)
		if (o->intercept[i].port == 0 ||
				(o->intercept[i].family != 4 && o->intercept[i].family != 6))
			abort();
	if (o->conns_per_intercept < 1 || o->conns_per_intercept > DTC_COPY_MAX_CONNS)
		abort();
	if (o->multiply < 1 || o->multiply > DTC_COPY_MAX_MULTIPLY || o->sample_pct > 100)
		abort();
	if (o->mtu < 576 || o->mtu > 9000 || o->mss < 88 || o->mss + 40u > o->mtu)
		abort();
	if (o->session_timeout_s == 0 || o->keepalive_timeout_s == 0 || o->loops == 0)
		abort();
	if (!(o->speed >= 0.001 && o->speed <= 1000))
		abort();
	if (o->n_rx_ports > DTC_COPY_MAX_RX_PORTS || (o->pcap_file != NULL) == (o->n_rx_ports > 0))
		abort();
	if (o->gradual && o->sample_pct != 0)
		abort(); /* -g and -r are exclusive */
	for (i = 0; i < o->n_xfer; i++)
		if (o->xfer[i].family == 6 && (o->n_intercept > 0 || !o->xfer[i].has_static_mac))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv1[FUZZ_ARGV_MAX_WORDS + 2];
	struct dtc_opts_err e1, e2;
	char *buf;
	int argc, rc1, rc2;

	buf = fuzz_argv(data, size, "dpdk-tcpcopy", argv1, &argc);
	if (buf == NULL)
		return 0;

	rc1 = dtc_copy_args_parse_r(argc, argv1, &o1, &e1);
	switch (rc1) {
	case DTC_OPTS_OK:
		check_accepted(&o1);
		break;
	case DTC_OPTS_HELP:
	case DTC_OPTS_VERSION:
		break;
	case DTC_OPTS_ERROR:
		if (e1.reason[0] == '\0' || (e1.opt[0] != '\0' && e1.opt[0] != '-'))
			abort();
		break;
	default:
		abort();
	}
	/* Again, on the vector as the first call left it. */
	rc2 = dtc_copy_args_parse_r(argc, argv1, &o2, &e2);
	if (rc2 != rc1)
		abort();
	if (rc1 == DTC_OPTS_ERROR && (strcmp(e1.opt, e2.opt) != 0 ||
			strcmp(e1.reason, e2.reason) != 0))
		abort();
	if (rc1 == DTC_OPTS_OK && (o1.n_xfer != o2.n_xfer || o1.multiply != o2.multiply ||
			o1.n_intercept != o2.n_intercept || o1.mss != o2.mss))
		abort();
	free(buf);
	return 0;
}
