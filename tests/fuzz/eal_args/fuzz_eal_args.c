/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Fuzz the EAL argument rewriting (app/common/eal.c): the first line is an --iface value
 * (dtc_parse_iface_list), every other line one EAL argument.  Never a crash; the result keeps
 * every argument in order, adds one vdev per interface, and every af_packet vdev in it has a
 * framecnt.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_WORDS 64

static int
has_framecnt(const char *v)
{
	return strstr(v, ",framecnt=") != NULL;
}

static int
is_afp(const char *v)
{
	return (strncmp(v, "net_af_packet", 13) == 0 || strncmp(v, "eth_af_packet", 13) == 0) &&
		strchr(v, ',') != NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *words[MAX_WORDS + 1], *p, *nl;
	char names[2][DTC_IFNAMSIZ], note[512];
	const char *ifp[2];
	struct dtc_argv out;
	int argc = 0, n, i;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	p = text;
	nl = strchr(p, '\n');
	if (nl != NULL)
		*nl = '\0';
	n = dtc_parse_iface_list(p, names, 2);
	if (n != -EINVAL && (n < 1 || n > 2))
		abort();
	if (n < 0)
		n = 0;
	for (i = 0; i < n; i++) {
		if (strlen(names[i]) == 0 || strlen(names[i]) >= DTC_IFNAMSIZ)
			abort();
		ifp[i] = names[i];
	}
	p = nl != NULL ? nl + 1 : NULL;
	words[argc++] = (char *)"prog";
	while (p != NULL && argc < MAX_WORDS) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		words[argc++] = p;
		p = nl != NULL ? nl + 1 : NULL;
	}
	words[argc] = NULL;
	if (dtc_eal_args_fixup(argc, words, ifp, (unsigned int)n, &out, note, sizeof(note)) ==
			0) {
		if (out.argc != argc + n || strlen(note) >= sizeof(note))
			abort();
		for (i = 0; i < out.argc; i++) {
			const char *a = out.argv[i], *v = NULL;

			if (strncmp(a, "--vdev=", 7) == 0)
				v = a + 7;
			else if (i > 0 && strcmp(out.argv[i - 1], "--vdev") == 0 &&
					strcmp(words[i - 1], "--vdev") == 0)
				v = a;
			if (v != NULL && is_afp(v) && !has_framecnt(v) && strstr(v, "framecnt=") ==
					NULL)
				abort();
			if (i < argc && v == NULL && strcmp(a, words[i]) != 0)
				abort(); /* anything but a vdev is kept as it was */
		}
		dtc_argv_free(&out);
	}
	free(text);
	return 0;
}
