/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Request keys and answer outcomes from first bytes (dtc_classify.h).  Every reader walks a
 * (pointer, end) pair and checks the remaining length before each read, as nginx's binary
 * parsers do; a prefix cut anywhere gives a shorter key or DTC_CLS_K_NONE, never a read past
 * the end.
 */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dtc_classify.h"

static const char *const proto_names[] = {
#define DTC_X_NAME(n) #n,
	DTC_CLS_PROTO_LIST(DTC_X_NAME)
#undef DTC_X_NAME
};

static const char *const redis_err_names[] = {
#define DTC_X_NAME(n) #n,
	DTC_CLS_REDIS_ERR_LIST(DTC_X_NAME)
#undef DTC_X_NAME
};

int
dtc_cls_proto_parse(const char *name)
{
	unsigned int i;

	if (name == NULL)
		return -1;
	if (strcmp(name, "auto") == 0)
		return DTC_CLS_AUTO;
	for (i = 0; i < DTC_CLS_PROTO_MAX; i++)
		if (strcmp(name, proto_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
dtc_cls_proto_name(unsigned int p)
{
	if (p == DTC_CLS_AUTO)
		return "auto";
	return p < DTC_CLS_PROTO_MAX ? proto_names[p] : "?";
}

/* ------------------------------------------------------------------ */
/* Small readers. */

static inline bool
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_upper(uint8_t c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool
is_alpha(uint8_t c)
{
	return is_upper(c) || (c >= 'a' && c <= 'z');
}

static inline bool
is_hex(uint8_t c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline uint8_t
to_upper(uint8_t c)
{
	return c >= 'a' && c <= 'z' ? (uint8_t)(c - 'a' + 'A') : c;
}

static inline uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A bounded output string: always NUL-terminated, silently truncated. */
struct kbuf {
	char *o;
	size_t len, cap; /* cap > 0: room for cap - 1 characters and the NUL */
};

static void
kput(struct kbuf *k, uint8_t c)
{
	if (k->len + 1 >= k->cap)
		return;
	/* keys are shown in JSON, telemetry and terminals: printable ASCII only */
	if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
		c = '?';
	k->o[k->len++] = (char)c;
	k->o[k->len] = '\0';
}

static void
kputs(struct kbuf *k, const char *s)
{
	while (*s != '\0')
		kput(k, (uint8_t)*s++);
}

/* ------------------------------------------------------------------ */
/* HTTP/1.x */

/* "METHOD " (1..16 upper-case letters, '-' or '_') at p; returns the method length or 0. */
static size_t
http_method(const uint8_t *p, const uint8_t *end)
{
	size_t i;

	for (i = 0; i < 16 && p + i < end; i++) {
		if (p[i] == ' ')
			return i;
		if (!is_upper(p[i]) && p[i] != '-' && p[i] != '_')
			return 0;
	}
	return 0;
}

static bool
http_request_line(const uint8_t *p, size_t n)
{
	const uint8_t *end = p + n;
	size_t m = http_method(p, end);

	if (m < 3 || p + m + 1 >= end)
		return false;
	p += m + 1;
	return *p == '/' || *p == '*' || (end - p >= 4 && memcmp(p, "http", 4) == 0);
}

static bool
is_uuidish(const uint8_t *s, size_t n)
{
	size_t i, hex = 0, digits = 0;

	if (n == 36) {
		for (i = 0; i < 36; i++) {
			if (i == 8 || i == 13 || i == 18 || i == 23) {
				if (s[i] != '-')
					return false;
			} else if (!is_hex(s[i])) {
				return false;
			}
		}
		return true;
	}
	/* a long hex token with digits in it (object ids, hashes) */
	if (n < 16)
		return false;
	for (i = 0; i < n; i++) {
		hex += is_hex(s[i]);
		digits += is_digit(s[i]);
	}
	return hex == n && digits > 0;
}

static void
http_segment(struct kbuf *k, const uint8_t *s, size_t n)
{
	size_t i, digits = 0;

	for (i = 0; i < n; i++)
		digits += is_digit(s[i]);
	if (n > 0 && digits == n) {
		kputs(k, "{n}");
		return;
	}
	if (is_uuidish(s, n)) {
		kputs(k, "{id}");
		return;
	}
	for (i = 0; i < n; i++)
		kput(k, s[i]);
}

static size_t
http_key(const uint8_t *p, size_t n, struct kbuf *k)
{
	const uint8_t *end = p + n, *s;
	size_t m = http_method(p, end), i;

	if (m == 0)
		return 0;
	for (i = 0; i < m; i++)
		kput(k, p[i]);
	kput(k, ' ');
	p += m + 1;
	/* absolute form "http://host/path": the path only */
	if (end - p >= 7 && (memcmp(p, "http://", 7) == 0 ||
			(end - p >= 8 && memcmp(p, "https://", 8) == 0))) {
		p += p[4] == 's' ? 8 : 7;
		while (p < end && *p != '/' && *p != ' ' && *p != '?')
			p++;
	}
	if (p < end && *p == '*') {
		kput(k, '*');
		return k->len;
	}
	while (p < end && *p == '/') {
		kput(k, '/');
		s = ++p;
		while (p < end && *p != '/' && *p != '?' && *p != '#' && *p != ' ' &&
				*p != '\r' && *p != '\n')
			p++;
		http_segment(k, s, (size_t)(p - s));
	}
	return k->len;
}

/* "HTTP/d.d ddd" or "HTTP/d ddd": the status, or 0. */
static unsigned int
http_status(const uint8_t *p, size_t n)
{
	const uint8_t *end = p + n;

	if (n < 5 || memcmp(p, "HTTP/", 5) != 0)
		return 0;
	p += 5;
	if (p >= end || !is_digit(*p))
		return 0;
	p++;
	if (p < end && *p == '.') {
		p++;
		if (p >= end || !is_digit(*p))
			return 0;
		p++;
	}
	if (end - p < 4 || *p != ' ' || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]))
		return 0;
	if (p[1] == '0')
		return 0;
	return (unsigned int)(p[1] - '0') * 100 + (unsigned int)(p[2] - '0') * 10 +
		(unsigned int)(p[3] - '0');
}

/* ------------------------------------------------------------------ */
/* Redis (RESP) */

/* Digits then CRLF at *pp; the value (capped) or -1. */
static long
resp_int(const uint8_t **pp, const uint8_t *end)
{
	const uint8_t *p = *pp;
	long v = 0;
	int nd = 0;

	while (p < end && is_digit(*p) && nd < 9) {
		v = v * 10 + (*p - '0');
		p++;
		nd++;
	}
	if (nd == 0 || end - p < 2 || p[0] != '\r' || p[1] != '\n')
		return -1;
	*pp = p + 2;
	return v;
}

static size_t
redis_key(const uint8_t *p, size_t n, struct kbuf *k)
{
	const uint8_t *end = p + n;
	long len;

	if (p < end && *p == '*') {
		p++;
		if (resp_int(&p, end) < 1)
			return 0;
		if (p >= end || *p != '$')
			return 0;
		p++;
		len = resp_int(&p, end);
		if (len < 1)
			return 0;
		while (len-- > 0 && p < end)
			kput(k, to_upper(*p++));
		return k->len;
	}
	/* an inline command: the first word */
	while (p < end && is_alpha(*p))
		kput(k, to_upper(*p++));
	return p < end && (*p == ' ' || *p == '\r' || *p == '\n') ? k->len : 0;
}

static uint32_t
redis_outcome(const uint8_t *p, size_t n)
{
	const uint8_t *end = p + n, *w;
	unsigned int i;
	size_t wl;

	if (n == 0 || p[0] == '\0' || strchr("+-:$*_,#!=(%~|>", p[0]) == NULL)
		return DTC_CLS_OUT(DTC_CLS_K_NONE, 0);
	if (p[0] != '-')
		return DTC_CLS_OUT(DTC_CLS_K_REDIS, p[0]);
	w = ++p;
	while (p < end && is_upper(*p))
		p++;
	wl = (size_t)(p - w);
	for (i = 1; i < DTC_CLS_REDIS_ERR_MAX; i++)
		if (strlen(redis_err_names[i]) == wl && memcmp(redis_err_names[i], w, wl) == 0)
			return DTC_CLS_OUT(DTC_CLS_K_REDIS, '-' | i << 8);
	return DTC_CLS_OUT(DTC_CLS_K_REDIS, '-' | DTC_CLS_REDIS_ERR_OTHER << 8);
}

/* ------------------------------------------------------------------ */
/* SQL text: first keyword and table. */

static bool
is_ident(uint8_t c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == '$';
}

/* The next word at or after *pp (skipping anything else, stopping at NUL); its length. */
static size_t
sql_word(const uint8_t **pp, const uint8_t *end, const uint8_t **w)
{
	const uint8_t *p = *pp;

	while (p < end && *p != '\0' && !is_ident(*p))
		p++;
	*w = p;
	while (p < end && is_ident(*p))
		p++;
	*pp = p;
	return (size_t)(p - *w);
}

static bool
word_is(const uint8_t *w, size_t wl, const char *s)
{
	size_t i;

	if (wl != strlen(s))
		return false;
	for (i = 0; i < wl; i++)
		if (to_upper(w[i]) != (uint8_t)s[i])
			return false;
	return true;
}

static size_t
sql_key(const uint8_t *p, size_t n, struct kbuf *k)
{
	const uint8_t *end = p + n, *w;
	const char *after = NULL;
	size_t wl, i;
	unsigned int words;

	/* skip blanks, '(' and comments' punctuation; the keyword is letters only */
	wl = sql_word(&p, end, &w);
	if (wl == 0 || !is_alpha(w[0]))
		return 0;
	for (i = 0; i < wl; i++)
		kput(k, to_upper(w[i]));
	if (word_is(w, wl, "SELECT") || word_is(w, wl, "DELETE"))
		after = "FROM";
	else if (word_is(w, wl, "INSERT") || word_is(w, wl, "REPLACE"))
		after = "INTO";
	else if (word_is(w, wl, "UPDATE"))
		after = "";
	else
		return k->len;
	/* the table: the word after FROM/INTO (UPDATE: the next word), within 64 words */
	for (words = 0; words < 64; words++) {
		wl = sql_word(&p, end, &w);
		if (wl == 0)
			return k->len;
		if (after[0] == '\0' || word_is(w, wl, after)) {
			if (after[0] != '\0') {
				wl = sql_word(&p, end, &w);
				if (wl == 0)
					return k->len;
			}
			kput(k, ' ');
			for (i = 0; i < wl; i++)
				kput(k, w[i]);
			return k->len;
		}
	}
	return k->len;
}

/* ------------------------------------------------------------------ */
/* PostgreSQL (frontend/backend protocol 3) */

#define PG_PROTO_3    196608u
#define PG_SSL_REQ    80877103u
#define PG_GSS_REQ    80877104u
#define PG_CANCEL_REQ 80877102u

static bool
pg_untyped(const uint8_t *p, size_t n, const char **what)
{
	uint32_t len, code;

	if (n < 8)
		return false;
	len = be32(p);
	code = be32(p + 4);
	if (len < 8 || len > 10000)
		return false;
	if (code == PG_PROTO_3)
		*what = "startup";
	else if (code == PG_SSL_REQ)
		*what = "ssl";
	else if (code == PG_GSS_REQ)
		*what = "gssenc";
	else if (code == PG_CANCEL_REQ)
		*what = "cancel";
	else
		return false;
	return true;
}

static size_t
pg_key(const uint8_t *p, size_t n, struct kbuf *k)
{
	const uint8_t *end = p + n;
	const char *what;

	if (pg_untyped(p, n, &what)) {
		kputs(k, what);
		return k->len;
	}
	if (n < 5 || be32(p + 1) < 4)
		return 0;
	switch (p[0]) {
	case 'Q':
		return sql_key(p + 5, n - 5, k);
	case 'P': /* Parse: statement name (C string), then the query */
		p += 5;
		while (p < end && *p != '\0')
			p++;
		if (p >= end)
			return 0;
		return sql_key(p + 1, (size_t)(end - p - 1), k);
	case 'B':
		kputs(k, "bind");
		return k->len;
	case 'E':
		kputs(k, "execute");
		return k->len;
	case 'p':
		kputs(k, "auth");
		return k->len;
	case 'X':
		kputs(k, "terminate");
		return k->len;
	default:
		return 0;
	}
}

static uint32_t
pg_sqlstate(const uint8_t *s)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < 5; i++) {
		uint8_t c = s[i];

		if (is_digit(c))
			v = v * 36 + (c - '0');
		else if (is_upper(c))
			v = v * 36 + 10 + (c - 'A');
		else
			return 0;
	}
	return v + 1;
}

static uint32_t
pg_outcome(const uint8_t *p, size_t n)
{
	const uint8_t *end = p + n;
	uint32_t len;

	if (n == 1 && (p[0] == 'S' || p[0] == 'N')) /* an answer to SSLRequest */
		return DTC_CLS_OUT(DTC_CLS_K_PGSQL, p[0]);
	if (n < 5 || !is_alpha(p[0]))
		return DTC_CLS_OUT(DTC_CLS_K_NONE, 0);
	len = be32(p + 1);
	if (len < 4)
		return DTC_CLS_OUT(DTC_CLS_K_NONE, 0);
	if (p[0] != 'E')
		return DTC_CLS_OUT(DTC_CLS_K_PGSQL, p[0]);
	/* ErrorResponse: (code byte, C string)* then a 0; within its length and the prefix */
	if ((size_t)len + 1 < (size_t)(end - p))
		end = p + len + 1;
	p += 5;
	while (p < end && *p != '\0') {
		uint8_t code = *p++;
		const uint8_t *v = p;

		while (p < end && *p != '\0')
			p++;
		if (code == 'C' && p - v == 5)
			return DTC_CLS_OUT(DTC_CLS_K_PGSQL_ERR, pg_sqlstate(v));
		if (p < end)
			p++;
	}
	return DTC_CLS_OUT(DTC_CLS_K_PGSQL_ERR, 0);
}

/* ------------------------------------------------------------------ */
/* MySQL (client/server protocol: 3-byte length, sequence id, payload) */

static const char *
mysql_cmd_name(uint8_t c)
{
	switch (c) {
	case 0x01: return "COM_QUIT";
	case 0x02: return "COM_INIT_DB";
	case 0x04: return "COM_FIELD_LIST";
	case 0x0e: return "COM_PING";
	case 0x11: return "COM_CHANGE_USER";
	case 0x17: return "COM_STMT_EXECUTE";
	case 0x18: return "COM_STMT_SEND_LONG_DATA";
	case 0x19: return "COM_STMT_CLOSE";
	case 0x1a: return "COM_STMT_RESET";
	case 0x1f: return "COM_RESET_CONNECTION";
	default: return NULL;
	}
}

static size_t
mysql_key(const uint8_t *p, size_t n, struct kbuf *k)
{
	const char *name;

	if (n < 5)
		return 0;
	if (p[3] != 0) { /* not a command: the handshake response or an auth switch */
		kputs(k, "handshake");
		return k->len;
	}
	if (p[4] == 0x03 || p[4] == 0x16) /* COM_QUERY, COM_STMT_PREPARE */
		return sql_key(p + 5, n - 5, k);
	name = mysql_cmd_name(p[4]);
	if (name == NULL)
		return 0;
	kputs(k, name);
	return k->len;
}

static uint32_t
mysql_outcome(const uint8_t *p, size_t n)
{
	uint32_t len;

	if (n < 5)
		return DTC_CLS_OUT(DTC_CLS_K_NONE, 0);
	len = p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
	if (len == 0)
		return DTC_CLS_OUT(DTC_CLS_K_NONE, 0);
	switch (p[4]) {
	case 0x00:
	case 0xfe:
	case 0x0a:
		return DTC_CLS_OUT(DTC_CLS_K_MYSQL, p[4]);
	case 0xff:
		if (n < 7 || len < 3)
			return DTC_CLS_OUT(DTC_CLS_K_MYSQL, DTC_CLS_MYSQL_ERR);
		return DTC_CLS_OUT(DTC_CLS_K_MYSQL, DTC_CLS_MYSQL_ERR | p[5] | (uint32_t)p[6] << 8);
	default:
		return DTC_CLS_OUT(DTC_CLS_K_MYSQL, 1);
	}
}

/* ------------------------------------------------------------------ */

enum dtc_cls_proto
dtc_cls_detect(uint16_t port, const uint8_t *p, size_t n)
{
	const char *what;

	if (p != NULL && n > 0) {
		if (http_request_line(p, n))
			return DTC_CLS_http;
		if (n >= 2 && p[0] == '*' && is_digit(p[1]))
			return DTC_CLS_redis;
		if (pg_untyped(p, n, &what))
			return DTC_CLS_pgsql;
	}
	switch (port) {
	case 80:
	case 8000:
	case 8080:
		return DTC_CLS_http;
	case 6379:
		return DTC_CLS_redis;
	case 5432:
		return DTC_CLS_pgsql;
	case 3306:
		return DTC_CLS_mysql;
	default:
		return DTC_CLS_raw;
	}
}

size_t
dtc_cls_key(enum dtc_cls_proto proto, const uint8_t *p, size_t n, char *out, size_t outlen)
{
	struct kbuf k = { .o = out, .len = 0, .cap = outlen };
	size_t r;

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	if (p == NULL)
		return 0;
	switch (proto) {
	case DTC_CLS_http:
		r = http_key(p, n, &k);
		break;
	case DTC_CLS_redis:
		r = redis_key(p, n, &k);
		break;
	case DTC_CLS_pgsql:
		r = pg_key(p, n, &k);
		break;
	case DTC_CLS_mysql:
		r = mysql_key(p, n, &k);
		break;
	default:
		r = 0;
		break;
	}
	if (r == 0) { /* a partial key is no key: the caller falls back to the port */
		out[0] = '\0';
		return 0;
	}
	return k.len;
}

uint32_t
dtc_cls_outcome(enum dtc_cls_proto proto, const uint8_t *p, size_t n)
{
	unsigned int st;

	if (p == NULL || n == 0)
		return DTC_CLS_OUT(DTC_CLS_K_NONE, 0);
	switch (proto) {
	case DTC_CLS_http:
		st = http_status(p, n);
		return st != 0 ? DTC_CLS_OUT(DTC_CLS_K_HTTP, st) : DTC_CLS_OUT(DTC_CLS_K_NONE, 0);
	case DTC_CLS_redis:
		return redis_outcome(p, n);
	case DTC_CLS_pgsql:
		return pg_outcome(p, n);
	case DTC_CLS_mysql:
		return mysql_outcome(p, n);
	default:
		return DTC_CLS_OUT(DTC_CLS_K_NONE, 0);
	}
}

const char *
dtc_cls_outcome_name(uint32_t o, char *buf, size_t len)
{
	uint32_t v = DTC_CLS_OUT_VALUE(o), e;
	char st[6];
	int i;

	if (len == 0)
		return buf;
	switch (DTC_CLS_OUT_KIND(o)) {
	case DTC_CLS_K_HTTP:
		snprintf(buf, len, "%u", v);
		break;
	case DTC_CLS_K_REDIS:
		if ((v & 0xff) == '-') {
			e = v >> 8;
			snprintf(buf, len, "-%s",
				e < DTC_CLS_REDIS_ERR_MAX ? redis_err_names[e] : "?");
		} else {
			snprintf(buf, len, "%c", (int)(v & 0x7f));
		}
		break;
	case DTC_CLS_K_PGSQL:
		snprintf(buf, len, "%c", (int)(v & 0x7f));
		break;
	case DTC_CLS_K_PGSQL_ERR:
		if (v == 0 || v > 60466176u) {
			snprintf(buf, len, "E:?????");
			break;
		}
		v--;
		for (i = 4; i >= 0; i--) {
			uint32_t d = v % 36;

			st[i] = (char)(d < 10 ? '0' + d : 'A' + d - 10);
			v /= 36;
		}
		st[5] = '\0';
		snprintf(buf, len, "E:%s", st);
		break;
	case DTC_CLS_K_MYSQL:
		if (v & DTC_CLS_MYSQL_ERR)
			snprintf(buf, len, "ERR:%u", v & 0xffff);
		else if (v == 0)
			snprintf(buf, len, "OK");
		else if (v == 0xfe)
			snprintf(buf, len, "EOF");
		else if (v == 0x0a)
			snprintf(buf, len, "greeting");
		else
			snprintf(buf, len, "rows");
		break;
	default:
		snprintf(buf, len, "none");
		break;
	}
	return buf;
}

int
dtc_cls_outcome_is_error(uint32_t o)
{
	uint32_t v = DTC_CLS_OUT_VALUE(o);

	switch (DTC_CLS_OUT_KIND(o)) {
	case DTC_CLS_K_HTTP:
		return v >= 500;
	case DTC_CLS_K_REDIS:
		return (v & 0xff) == '-';
	case DTC_CLS_K_PGSQL_ERR:
		return 1;
	case DTC_CLS_K_MYSQL:
		return (v & DTC_CLS_MYSQL_ERR) != 0;
	default:
		return 0;
	}
}
