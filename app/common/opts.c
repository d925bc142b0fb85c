/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The option machinery both applications share: getopt_long driven by a table of
 * struct dtc_optdesc, error recording, the help text, and main()'s exit on a bad option.
 * What each option means stays in the app's args.c.
 */

#include <ctype.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_app.h"

static const struct dtc_optdesc *
desc_of(const struct dtc_opts_table *t, int code)
{
	unsigned int i;

	for (i = 0; i < t->n_desc; i++)
		if (t->desc[i].name != NULL && t->desc[i].code == code)
			return &t->desc[i];
	return NULL;
}

static int __attribute__((format(printf, 4, 0)))
fail_v(struct dtc_opts_ctx *p, const char *opt, const char *value, const char *fmt, va_list ap)
{
	struct dtc_opts_err *e = p->err;

	snprintf(e->opt, sizeof(e->opt), "%s", opt);
	e->src = value;
	e->has_value = value != NULL;
	snprintf(e->value, sizeof(e->value), "%s", value != NULL ? value : "");
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	return DTC_OPTS_ERROR;
}

int
dtc_opts_fail(struct dtc_opts_ctx *p, int code, const char *value, const char *fmt, ...)
{
	const struct dtc_optdesc *d = desc_of(p->table, code);
	char label[48];
	va_list ap;
	int rc;

	/* "-x/--transfer" or "--rx-port". */
	if (d == NULL)
		snprintf(label, sizeof(label), "?");
	else if (d->code < 256)
		snprintf(label, sizeof(label), "-%c/--%s", d->code, d->name);
	else
		snprintf(label, sizeof(label), "--%s", d->name);
	va_start(ap, fmt);
	rc = fail_v(p, label, value, fmt, ap);
	va_end(ap);
	return rc;
}

int
dtc_opts_fail_free(struct dtc_opts_ctx *p, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = fail_v(p, "", NULL, fmt, ap);
	va_end(ap);
	return rc;
}

int
dtc_opts_u64(struct dtc_opts_ctx *p, int code, const char *v, uint64_t min, uint64_t max,
	uint64_t *out)
{
	if (dtc_parse_u64(v, min, max, out) == 0)
		return 0;
	return dtc_opts_fail(p, code, v, "expected an integer from %" PRIu64 " to %" PRIu64, min,
		max);
}

int
dtc_opts_u32(struct dtc_opts_ctx *p, int code, const char *v, uint64_t min, uint64_t max,
	uint32_t *out)
{
	uint64_t x;
	int rc = dtc_opts_u64(p, code, v, min, max, &x);

	if (rc == 0)
		*out = (uint32_t)x;
	return rc;
}

int
dtc_opts_file(struct dtc_opts_ctx *p, int code, const char *v, const char **out)
{
	if (*v == '\0')
		return dtc_opts_fail(p, code, v, "empty file name");
	*out = v;
	return 0;
}

/* getopt's short option string from the table: ":x:c:...gO...". */
static int
short_opts(const struct dtc_opts_table *t, char *s, size_t len)
{
	unsigned int i;
	size_t n = 0;

	s[n++] = ':'; /* report a missing value as ':' */
	for (i = 0; i < t->n_desc; i++) {
		if (t->desc[i].name == NULL || t->desc[i].code >= 256)
			continue;
		if (n + 3 > len)
			return -1;
		s[n++] = (char)t->desc[i].code;
		if (t->desc[i].has_arg != no_argument)
			s[n++] = ':';
	}
	s[n] = '\0';
	return 0;
}

/* getopt said '?': an unknown option, or a value given to a flag ("--gradual=1"). */
static int
bad_option(struct dtc_opts_ctx *p, int argc, char **argv)
{
	const struct dtc_opts_table *t = p->table;
	const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	unsigned int i;
	size_t n;

	if (optopt != 0 && desc_of(t, optopt) != NULL)
		return dtc_opts_fail(p, optopt, NULL, "does not take a value");
	for (i = 0; optopt != 0 && i < t->n_gone; i++)
		if (optopt == t->gone[i].letter)
			return dtc_opts_fail_free(p, "option -%c of %s: %s", optopt, t->gone_from,
				t->gone[i].why);
	if (optopt != 0)
		return dtc_opts_fail_free(p, "unknown option '-%c'",
			isprint(optopt) ? optopt : '?');
	n = strcspn(word, "=");
	dtc_opts_fail_free(p, "unknown or ambiguous option '%.*s'", (int)(n > 40 ? 40 : n), word);
	p->err->src = word;
	return DTC_OPTS_ERROR;
}

int
dtc_opts_getopt(struct dtc_opts_ctx *p, int argc, char **argv, dtc_opts_set_t set)
{
	char shorts[2 + 3 * 128];
	int code, rc;

	memset(p->err, 0, sizeof(*p->err));
	if (argc < 1 || argv == NULL || argv[0] == NULL)
		return dtc_opts_fail_free(p, "no program name");
	if (short_opts(p->table, shorts, sizeof(shorts)) != 0)
		return dtc_opts_fail_free(p, "internal error: too many short options");
	/* glibc: optind = 0 re-initializes getopt completely (its hidden scan position too). */
	optind = 0;
	opterr = 0;
	while ((code = getopt_long(argc, argv, shorts, p->table->longopts, NULL)) != -1) {
		if (code == '?')
			return bad_option(p, argc, argv);
		if (code == ':')
			return desc_of(p->table, optopt) != NULL ?
				dtc_opts_fail(p, optopt, NULL, "needs a value") :
				dtc_opts_fail_free(p, "an option needs a value");
		if (code == 'h')
			return DTC_OPTS_HELP;
		if (code == 'v')
			return DTC_OPTS_VERSION;
		rc = set(p, code, optarg != NULL ? optarg : "");
		if (rc != 0)
			return rc;
	}
	if (optind < argc) {
		dtc_opts_fail_free(p,
			"unexpected argument '%.200s' (every value follows its option)",
			argv[optind]);
		p->err->src = argv[optind];
		return DTC_OPTS_ERROR;
	}
	return DTC_OPTS_OK;
}

void
dtc_opts_usage(const struct dtc_opts_table *t)
{
	unsigned int i;

	for (i = 0; i < t->n_desc; i++) {
		const struct dtc_optdesc *d = &t->desc[i];
		const char *h;

		if (d->name == NULL) {
			printf("\n%s:\n", d->help);
			continue;
		}
		if (d->code < 256)
			printf("  -%c, --%s", d->code, d->name);
		else
			printf("      --%s", d->name);
		printf("%s%s\n", d->meta != NULL ? " " : "", d->meta != NULL ? d->meta : "");
		/* Indent every line of the help text. */
		for (h = d->help; *h != '\0';) {
			size_t n = strcspn(h, "\n");

			printf("        %.*s\n", (int)n, h);
			h += n;
			if (*h == '\n')
				h++;
		}
	}
}

void
dtc_opts_exit_unless_ok(int rc, const char *prog, const struct dtc_opts_err *err,
	dtc_opts_usage_t usage, dtc_opts_version_t version)
{
	const char *where;
	char wbuf[300];

	switch (rc) {
	case DTC_OPTS_OK:
		return;
	case DTC_OPTS_HELP:
		usage(prog);
		exit(0);
	case DTC_OPTS_VERSION:
		version();
		exit(0);
	default:
		break;
	}
	where = dtc_config_where(err->src, wbuf, sizeof(wbuf));
	if (err->opt[0] != '\0')
		dtc_opt_fail_at(prog, where, err->opt, err->has_value ? err->value : NULL,
			err->reason);
	fprintf(stderr, "%s: %s%s%s\nTry '%s -- --help' for more information.\n", prog,
		where != NULL ? where : "", where != NULL ? ": " : "", err->reason, prog);
	exit(DTC_EXIT_USAGE);
}
