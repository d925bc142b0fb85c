/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * --config FILE: long options one per line, so a service unit can keep its settings in
 * /etc.  The file is read before rte_eal_init() because it may carry EAL arguments.
 */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_app.h"

#define CONFIG_MAX_BYTES (1u << 20)
#define CONFIG_MAX_WORDS 4096

/*
 * Where each option word of the last expanded --config file came from, so that an error
 * found later by an app's option parser can still say "FILE:LINE".  Words are looked up by
 * address: getopt's optarg and argv entries point into them.
 */
static struct {
	char file[256];
	unsigned int n;
	const char *word[CONFIG_MAX_WORDS];
	unsigned int line[CONFIG_MAX_WORDS];
} origin;

int
dtc_argv_push(struct dtc_argv *a, const char *s)
{
	char **nv;
	char *dup;

	if (a->argc >= CONFIG_MAX_WORDS)
		return -E2BIG;
	dup = strdup(s);
	if (dup == NULL)
		return -ENOMEM;
	nv = realloc(a->argv, sizeof(*nv) * (size_t)(a->argc + 2));
	if (nv == NULL) {
		free(dup);
		return -ENOMEM;
	}
	nv[a->argc++] = dup;
	nv[a->argc] = NULL;
	a->argv = nv;
	return 0;
}

void
dtc_argv_free(struct dtc_argv *a)
{
	int i;

	for (i = 0; i < a->argc; i++)
		free(a->argv[i]);
	free(a->argv);
	a->argv = NULL;
	a->argc = 0;
}

int
dtc_argv_split(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

static int __attribute__((format(printf, 5, 6)))
fail(char *err, size_t errlen, const char *fname, unsigned int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, errlen, "%s:%u: ", fname, line);
	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/*
 * Split the rest of an "eal" line into words.  Single or double quotes group words (for
 * "--vdev 'net_pcap0,rx_pcap=a b.pcap'"), no escapes: enough for EAL arguments.
 */
static int
split_words(char *p, struct dtc_argv *out, const char *fname, unsigned int line, char *err,
	size_t errlen)
{
	while (*p != '\0') {
		char word[4096];
		size_t n = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		while (*p != '\0' && !isspace((unsigned char)*p)) {
			if (*p == '"' || *p == '\'') {
				char q = *p++;

				while (*p != '\0' && *p != q) {
					if (n + 1 >= sizeof(word))
						return fail(err, errlen, fname, line, "word too long");
					word[n++] = *p++;
				}
				if (*p != q)
					return fail(err, errlen, fname, line, "unterminated quote");
				p++;
				continue;
			}
			if (n + 1 >= sizeof(word))
				return fail(err, errlen, fname, line, "word too long");
			word[n++] = *p++;
		}
		word[n] = '\0';
		if (dtc_argv_push(out, word) != 0)
			return fail(err, errlen, fname, line, "too many arguments");
	}
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* The file line of each word pushed to the option vector while parsing (by index). */
static unsigned int opt_line[CONFIG_MAX_WORDS];

static int
push_opt(struct dtc_argv *opts, const char *w, unsigned int line)
{
	int idx = opts->argc;

	if (dtc_argv_push(opts, w) != 0)
		return -1;
	opt_line[idx] = line;
	return 0;
}

static int
parse_line(char *s, const char *fname, unsigned int line, struct dtc_argv *eal,
	struct dtc_argv *opts, char *err, size_t errlen)
{
	char *key, *val, *hash;
	char opt[256];
	size_t klen;

	/* '#' starts a comment anywhere outside the value of an eal line's quotes. */
	hash = strchr(s, '#');
	if (hash != NULL)
		*hash = '\0';
	s = trim(s);
	if (*s == '\0')
		return 0;

	key = s;
	klen = strcspn(key, " \t=");
	val = key + klen;
	if (*val != '\0') {
		*val++ = '\0';
		while (isspace((unsigned char)*val) || *val == '=')
			val++;
	}
	/* Accept "--transfer x" as well as "transfer x". */
	while (*key == '-')
		key++;
	if (*key == '\0')
		return fail(err, errlen, fname, line, "missing option name");
	for (const char *c = key; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_')
			return fail(err, errlen, fname, line, "bad option name '%s'", key);

	if (strcmp(key, "eal") == 0) {
		if (*val == '\0')
			return fail(err, errlen, fname, line, "'eal' needs arguments");
		return split_words(val, eal, fname, line, err, errlen);
	}
	if (strcmp(key, "config") == 0)
		return fail(err, errlen, fname, line, "'config' cannot be nested");
	if (strlen(key) + 3 > sizeof(opt))
		return fail(err, errlen, fname, line, "option name too long");
	snprintf(opt, sizeof(opt), "--%s", key);
	if (push_opt(opts, opt, line) != 0)
		return fail(err, errlen, fname, line, "too many options");
	if (*val != '\0' && push_opt(opts, val, line) != 0)
		return fail(err, errlen, fname, line, "too many options");
	return 0;
}

int
dtc_config_parse_text(const char *text, size_t len, const char *fname, struct dtc_argv *eal,
	struct dtc_argv *opts, char *err, size_t errlen)
{
	unsigned int line = 0;
	size_t pos = 0;

	while (pos < len) {
		char buf[8192] = ""; /* filled up to n below; zeroed so that no byte is undefined */
		size_t n = 0;
		int rc;

		line++;
		while (pos < len && text[pos] != '\n') {
			if (text[pos] == '\0')
				return fail(err, errlen, fname, line, "NUL byte in file");
			if (n + 1 >= sizeof(buf))
				return fail(err, errlen, fname, line, "line longer than %zu bytes",
					sizeof(buf) - 1);
			buf[n++] = text[pos++];
		}
		pos++; /* the newline */
		if (n > 0 && buf[n - 1] == '\r')
			n--;
		buf[n] = '\0';
		rc = parse_line(buf, fname, line, eal, opts, err, errlen);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t n;
	char *buf;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -EINVAL;
	}
	buf = malloc(CONFIG_MAX_BYTES + 1);
	if (buf == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -EINVAL;
	}
	n = fread(buf, 1, CONFIG_MAX_BYTES + 1, f);
	if (ferror(f) || n > CONFIG_MAX_BYTES) {
		snprintf(err, errlen, "%s: %s", path,
			ferror(f) ? "read error" : "larger than 1 MiB");
		fclose(f);
		free(buf);
		return -EINVAL;
	}
	fclose(f);
	*text = buf;
	*len = n;
	return 0;
}

/* Find --config in the option part; returns its index (value at index+1 unless '=' form). */
static int
find_config(int argc, char **argv, int from, const char **path)
{
	int i;

	for (i = from; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0) {
			*path = i + 1 < argc ? argv[i + 1] : NULL;
			return i;
		}
		if (strncmp(argv[i], "--config=", 9) == 0) {
			*path = argv[i] + 9;
			return i;
		}
	}
	return -1;
}

int
dtc_config_expand(int argc, char **argv, struct dtc_argv *out, char *err, size_t errlen)
{
	struct dtc_argv eal = { 0, NULL }, opts = { 0, NULL };
	int split = dtc_argv_split(argc, argv);
	const char *path = NULL;
	char *text = NULL;
	size_t len = 0;
	int at = -1, i, rc = 0;

	out->argc = 0;
	out->argv = NULL;
	if (split < argc)
		at = find_config(argc, argv, split + 1, &path);
	if (at >= 0) {
		if (path == NULL || *path == '\0') {
			snprintf(err, errlen, "option --config needs a file name");
			return -EINVAL;
		}
		rc = read_file(path, &text, &len, err, errlen);
		if (rc == 0)
			rc = dtc_config_parse_text(text, len, path, &eal, &opts, err, errlen);
		free(text);
		if (rc != 0)
			goto out;
	}

	/* program, file EAL args, command-line EAL args, "--", file options, command line */
	rc = dtc_argv_push(out, argv[0]);
	for (i = 0; rc == 0 && i < eal.argc; i++)
		rc = dtc_argv_push(out, eal.argv[i]);
	for (i = 1; rc == 0 && i < split; i++)
		rc = dtc_argv_push(out, argv[i]);
	if (rc == 0 && split < argc)
		rc = dtc_argv_push(out, "--");
	origin.n = 0;
	snprintf(origin.file, sizeof(origin.file), "%s", path != NULL ? path : "");
	for (i = 0; rc == 0 && i < opts.argc; i++) {
		rc = dtc_argv_push(out, opts.argv[i]);
		if (rc == 0 && origin.n < CONFIG_MAX_WORDS) {
			origin.word[origin.n] = out->argv[out->argc - 1];
			origin.line[origin.n++] = opt_line[i];
		}
	}
	for (i = split + 1; rc == 0 && i < argc; i++) {
		if (i == at) {
			if (strcmp(argv[i], "--config") == 0)
				i++; /* skip its value too */
			continue;
		}
		rc = dtc_argv_push(out, argv[i]);
	}
	if (rc != 0)
		snprintf(err, errlen, "too many arguments");
out:
	dtc_argv_free(&eal);
	dtc_argv_free(&opts);
	if (rc != 0)
		dtc_argv_free(out);
	return rc == 0 ? 0 : -EINVAL;
}

const char *
dtc_config_where(const char *p, char *buf, size_t len)
{
	unsigned int i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < origin.n; i++) {
		const char *w = origin.word[i];

		if (p >= w && p <= w + strlen(w)) {
			snprintf(buf, len, "%s:%u", origin.file, origin.line[i]);
			return buf;
		}
	}
	return NULL;
}
