/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Fuzz dpdk-intercept's option parser (app/intercept/args.c) through its non-exiting entry
 * point icpt_args_parse_r(), which main() turns into exit status 2.  The input is an argument
 * vector: words separated by NUL bytes.  Whatever the words, the parser returns one of its
 * four results, describes every error, leaves only options in range when it accepts, and gives
 * the same answer when called again (getopt reset, argv permuted by the first call).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_app.h"
#include "intercept.h"
#include "../fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct icpt_opts o1, o2;

static void
check_accepted(const struct icpt_opts *o)
{
	unsigned int i;

	if (o->filter == NULL || strlen(o->filter) > DTC_FILTER_EXPR_MAX)
		abort();
	if (o->port == 0 || o->max_conns < 1 || o->max_conns > 4096)
		abort();
	if (o->batch_max < 1 || o->batch_max > DTC_V1_BATCH_MAX)
		abort();
	if (o->routes < 1024 || o->hold < 16 || o->conn_stall_s < 1)
		abort();
	if (o->route_timeout_s > 86400 || o->idle_sleep_us > 100000)
		abort();
	if (o->have_ip && o->ip == 0)
		abort();
	if (o->bind_family != 0 && o->bind_family != 4 && o->bind_family != 6)
		abort();
	if (o->n_allow > ICPT_MAX_ALLOW)
		abort();
	for (i = 0; i < o->n_allow; i++)
		if ((o->allow[i].family != 4 && o->allow[i].family != 6) ||
				o->allow[i].prefix > (o->allow[i].family == 4 ? 32 : 128))
			abort();
	/* The allow list is usable: its own networks are allowed. */
	for (i = 0; i < o->n_allow; i++)
		if (!icpt_allowed(o, o->allow[i].family, &o->allow[i].addr))
			abort();
}

static int
run(int argc, char **argv, struct icpt_opts *o, struct dtc_opts_err *e)
{
	int rc = icpt_args_parse_r(argc, argv, o, e);

	if (rc != DTC_OPTS_OK && rc != DTC_OPTS_HELP && rc != DTC_OPTS_VERSION &&
			rc != DTC_OPTS_ERROR)
		abort();
	if (rc == DTC_OPTS_ERROR && e->reason[0] == '\0')
		abort();
	if (rc == DTC_OPTS_OK)
		check_accepted(o);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[FUZZ_ARGV_MAX_WORDS + 2];
	struct dtc_opts_err e1, e2;
	int argc, rc1, rc2;

	buf = fuzz_argv(data, size, "dpdk-intercept", argv, &argc);
	if (buf == NULL)
		return 0;
	rc1 = run(argc, argv, &o1, &e1);
	rc2 = run(argc, argv, &o2, &e2);
	if (rc1 != rc2 || (rc1 == DTC_OPTS_ERROR && strcmp(e1.reason, e2.reason) != 0))
		abort();
	free(buf);
	return 0;
}
