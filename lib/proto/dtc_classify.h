/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Answer and request classifiers for the online/test comparison (issue 13).
 *
 * Everything here works on the first bytes of one request or one answer (a prefix: the rest
 * may never have been seen), treats every length as hostile and never reads past the end.
 * Pure functions, no state, no allocation: safe on a worker lcore.
 */

#ifndef DTC_CLASSIFY_H
#define DTC_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Application protocols the comparison understands; RAW compares bytes and lengths only. */
#define DTC_CLS_PROTO_LIST(X) \
	X(raw) \
	X(http) \
	X(redis) \
	X(pgsql) \
	X(mysql)

enum dtc_cls_proto {
#define DTC_X_ENUM(n) DTC_CLS_##n,
	DTC_CLS_PROTO_LIST(DTC_X_ENUM)
#undef DTC_X_ENUM
	DTC_CLS_PROTO_MAX,
	DTC_CLS_AUTO = 0xff, /* detect from the port and the first request bytes */
};

/* "http", "redis", "pgsql", "mysql", "raw", or "auto": the enum value, or -1. */
int dtc_cls_proto_parse(const char *name);
const char *dtc_cls_proto_name(unsigned int p);

/*
 * The protocol of a connection to server port `port` (host order) whose first request bytes
 * are p[0..n): first bytes that identify a protocol win (an HTTP/1.x method and target, a RESP
 * array, a PostgreSQL startup or SSL request), then the well-known port, else RAW.
 */
enum dtc_cls_proto dtc_cls_detect(uint16_t port, const uint8_t *p, size_t n);

/*
 * The key of a request, as a NUL-terminated printable string in out[0..outlen) (truncated to
 * fit):
 *  - http:  "METHOD /path" without the query, numeric segments as {n}, UUID-like and long hex
 *           segments as {id};
 *  - redis: the command name in upper case;
 *  - pgsql/mysql: the statement's first keyword and table ("SELECT users"), or the message
 *           kind ("startup", "COM_PING");
 * Returns the key's length, 0 when the prefix gives no key (the caller uses the port).
 */
size_t dtc_cls_key(enum dtc_cls_proto proto, const uint8_t *p, size_t n, char *out,
	size_t outlen);

#define DTC_CLS_KEY_MAX 48 /* the longest key kept (with its NUL) */

/*
 * The outcome of an answer, as one 32-bit code: bits 28..31 the kind, bits 0..27 its value.
 *  - HTTP:  kind HTTP, value = the status code (100..999);
 *  - Redis: kind REDIS, value = the reply type byte ('+', '-', ':', '$', '*', '_', ...); an
 *           error reply adds DTC_CLS_REDIS_ERR_* << 8 from its first word;
 *  - PostgreSQL: kind PGSQL, value = the first message type byte ('R', 'T', 'C', ...); an
 *           ErrorResponse is kind PGSQL_ERR, value = 1 + its SQLSTATE read as 5 base-36 digits
 *           (0: no SQLSTATE in the prefix);
 *  - MySQL: kind MYSQL, value = 0x00 OK, 0xfe EOF, 0x0a the server greeting, 1 a result set
 *           (any other first byte: its column count), or an ERR packet's code | 0x10000;
 *  - NONE:  no recognisable answer (empty, or not this protocol).
 */
enum dtc_cls_kind {
	DTC_CLS_K_NONE = 0,
	DTC_CLS_K_HTTP,
	DTC_CLS_K_REDIS,
	DTC_CLS_K_PGSQL,
	DTC_CLS_K_PGSQL_ERR,
	DTC_CLS_K_MYSQL,
};

#define DTC_CLS_REDIS_ERR_LIST(X) \
	X(OTHER) \
	X(ERR) \
	X(WRONGTYPE) \
	X(MOVED) \
	X(ASK) \
	X(NOSCRIPT) \
	X(BUSY) \
	X(LOADING) \
	X(NOAUTH) \
	X(NOPERM) \
	X(OOM) \
	X(EXECABORT) \
	X(READONLY)

enum dtc_cls_redis_err {
#define DTC_X_ENUM(n) DTC_CLS_REDIS_ERR_##n,
	DTC_CLS_REDIS_ERR_LIST(DTC_X_ENUM)
#undef DTC_X_ENUM
	DTC_CLS_REDIS_ERR_MAX
};

#define DTC_CLS_OUT(kind, value) \
	(((uint32_t)(kind) << 28) | ((uint32_t)(value) & 0x0fffffffu))
#define DTC_CLS_OUT_KIND(o) ((uint32_t)(o) >> 28)
#define DTC_CLS_OUT_VALUE(o) ((uint32_t)(o) & 0x0fffffffu)
#define DTC_CLS_MYSQL_ERR 0x10000u

/* The outcome of an answer whose first bytes are p[0..n). */
uint32_t dtc_cls_outcome(enum dtc_cls_proto proto, const uint8_t *p, size_t n);

/* An outcome as text ("200", "+", "-ERR", "E:42P01", "ERR:1146", "OK", "none") in buf; returns
 * buf. */
const char *dtc_cls_outcome_name(uint32_t outcome, char *buf, size_t len);

/* An outcome is an error (HTTP >= 500, Redis error, PostgreSQL ErrorResponse, MySQL ERR). */
int dtc_cls_outcome_is_error(uint32_t outcome);

#ifdef __cplusplus
}
#endif

#endif /* DTC_CLASSIFY_H */
