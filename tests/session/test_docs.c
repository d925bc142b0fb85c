/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* docs/session.md explains every counter, drop reason, end reason and TX failure: each name
 * from the X-macro lists must appear there as `name`. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_session.h"

static int
check(const char *doc, const char *kind, const char *name)
{
	char want[96];

	snprintf(want, sizeof(want), "| `%s` |", name);
	if (strstr(doc, want) != NULL)
		return 0;
	fprintf(stderr, "docs/session.md does not explain %s '%s'\n", kind, name);
	return 1;
}

int
main(void)
{
	const char *src = getenv("DTC_SRC");
	char path[512], *doc;
	unsigned int i, bad = 0, n = 0;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/docs/session.md", src != NULL ? src : ".");
	f = fopen(path, "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) <= 0) {
		fprintf(stderr, "cannot read %s\n", path);
		return 1;
	}
	rewind(f);
	doc = calloc(1, (size_t)len + 1);
	if (doc == NULL || fread(doc, 1, (size_t)len, f) != (size_t)len)
		return 1;
	fclose(f);
	for (i = 0; i < DTC_SESS_C_MAX; i++, n++)
		bad += check(doc, "counter", dtc_sess_counter_name(i));
	for (i = 0; i < DTC_SESS_DROP_MAX; i++, n++)
		bad += check(doc, "drop reason", dtc_sess_drop_name(i));
	for (i = 0; i < DTC_SESS_END_MAX; i++, n++)
		bad += check(doc, "end reason", dtc_sess_end_name(i));
	for (i = 0; i < DTC_SESS_TXF_MAX; i++, n++)
		bad += check(doc, "TX failure", dtc_sess_txf_name(i));
	printf("session_docs: %u names, %u missing\n", n, bad);
	free(doc);
	return bad == 0 && n > 0 ? 0 : 1;
}
