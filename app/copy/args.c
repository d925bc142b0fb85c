/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Placeholder: option parsing lands with issue 4. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy.h"

void
dtc_copy_usage(const char *prog)
{
	printf("usage: %s <EAL args> -- -x MAP [options]\n", prog);
}

void
dtc_copy_args_parse(int argc, char **argv, struct dtc_copy_opts *o)
{
	(void)argc;
	memset(o, 0, sizeof(*o));
	fprintf(stderr, "%s: option parsing not implemented yet\n", argv[0]);
	exit(2);
}
