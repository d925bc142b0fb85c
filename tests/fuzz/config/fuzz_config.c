/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Fuzz the --config text parser: any bytes give 0 or -EINVAL with a message, never a crash. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dtc_argv eal = { 0, NULL }, opts = { 0, NULL };
	char err[256];
	int rc;

	err[0] = '\0';
	rc = dtc_config_parse_text((const char *)data, size, "fuzz.conf", &eal, &opts, err,
		sizeof(err));
	if (rc != 0 && (rc != -EINVAL || strncmp(err, "fuzz.conf:", 10) != 0))
		abort(); /* every error names the file and line */
	for (int i = 0; i < opts.argc; i++)
		if (opts.argv[i] == NULL)
			abort();
	dtc_argv_free(&eal);
	dtc_argv_free(&opts);
	return 0;
}
