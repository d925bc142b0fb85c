/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The comparison's classifiers (lib/proto/classify.c): protocol detection, request keys and
 * answer outcomes on real protocol bytes (the PostgreSQL and MySQL ones as their servers send
 * them), and every prefix of each input, which must give a shorter or no key and never read
 * past the end (the test runs under ASan in CI).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_classify.h"
#include "../common/dtc_check.h"

static void
key_is(enum dtc_cls_proto proto, const void *p, size_t n, const char *want)
{
	char k[DTC_CLS_KEY_MAX];
	size_t r = dtc_cls_key(proto, p, n, k, sizeof(k));

	CHECKF(strcmp(k, want) == 0, "key '%s', want '%s'", k, want);
	CHECK_EQ(r, strlen(want));
}

static void
out_is(enum dtc_cls_proto proto, const void *p, size_t n, const char *want)
{
	char b[32];
	uint32_t o = dtc_cls_outcome(proto, p, n);

	dtc_cls_outcome_name(o, b, sizeof(b));
	CHECKF(strcmp(b, want) == 0, "outcome '%s', want '%s'", b, want);
}

#define S(s) (const uint8_t *)(s), sizeof(s) - 1

/* Every prefix of p, from an exact-size heap copy: no overrun, a printable key that fits. */
static void
prefixes(enum dtc_cls_proto proto, const uint8_t *p, size_t n)
{
	char k[DTC_CLS_KEY_MAX], b[32];
	size_t i, j;

	for (i = 0; i <= n; i++) {
		uint8_t *c = malloc(i ? i : 1);
		size_t r;

		memcpy(c, p, i);
		r = dtc_cls_key(proto, c, i, k, sizeof(k));
		CHECK(r < sizeof(k));
		CHECK_EQ(r, strlen(k));
		for (j = 0; j < r; j++)
			CHECK(k[j] >= 0x20 && k[j] <= 0x7e && k[j] != '"' && k[j] != '\\');
		dtc_cls_outcome_name(dtc_cls_outcome(proto, c, i), b, sizeof(b));
		(void)dtc_cls_detect(0, c, i);
		free(c);
	}
}

static void
test_names(void)
{
	unsigned int i;

	dtc_check_case = "names";
	for (i = 0; i < DTC_CLS_PROTO_MAX; i++)
		CHECK_EQ(dtc_cls_proto_parse(dtc_cls_proto_name(i)), i);
	CHECK_EQ(dtc_cls_proto_parse("auto"), DTC_CLS_AUTO);
	CHECK_EQ(dtc_cls_proto_parse("HTTP"), -1);
	CHECK_EQ(dtc_cls_proto_parse(""), -1);
	CHECK_EQ(dtc_cls_proto_parse(NULL), -1);
}

static void
test_detect(void)
{
	static const uint8_t pg_startup[] = { 0, 0, 0, 9, 0, 3, 0, 0, 0 };
	static const uint8_t pg_ssl[] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f };

	dtc_check_case = "detect";
	CHECK_EQ(dtc_cls_detect(9000, S("GET / HTTP/1.1\r\n")), DTC_CLS_http);
	CHECK_EQ(dtc_cls_detect(9000, S("OPTIONS * HTTP/1.1\r\n")), DTC_CLS_http);
	CHECK_EQ(dtc_cls_detect(9000, S("GET http://h/x HTTP/1.1\r\n")), DTC_CLS_http);
	CHECK_EQ(dtc_cls_detect(6379, S("GET / HTTP/1.1\r\n")), DTC_CLS_http); /* bytes win */
	CHECK_EQ(dtc_cls_detect(9000, S("*1\r\n$4\r\nPING\r\n")), DTC_CLS_redis);
	CHECK_EQ(dtc_cls_detect(9000, pg_startup, sizeof(pg_startup)), DTC_CLS_pgsql);
	CHECK_EQ(dtc_cls_detect(9000, pg_ssl, sizeof(pg_ssl)), DTC_CLS_pgsql);
	CHECK_EQ(dtc_cls_detect(80, S("\x16\x03\x01")), DTC_CLS_http);
	CHECK_EQ(dtc_cls_detect(6379, S("PING\r\n")), DTC_CLS_redis);
	CHECK_EQ(dtc_cls_detect(5432, NULL, 0), DTC_CLS_pgsql);
	CHECK_EQ(dtc_cls_detect(3306, S("\x20\0\0\1")), DTC_CLS_mysql);
	CHECK_EQ(dtc_cls_detect(9000, S("hello")), DTC_CLS_raw);
	CHECK_EQ(dtc_cls_detect(9000, S("get / HTTP/1.1")), DTC_CLS_raw); /* methods are upper */
	CHECK_EQ(dtc_cls_detect(9000, S("GET")), DTC_CLS_raw);
}

static void
test_http(void)
{
	char k[8];

	dtc_check_case = "http key";
	key_is(DTC_CLS_http, S("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"), "GET /index.html");
	key_is(DTC_CLS_http, S("GET /users/123/orders/9?x=1 HTTP/1.1\r\n"),
		"GET /users/{n}/orders/{n}");
	key_is(DTC_CLS_http, S("DELETE /o/550e8400-e29b-41d4-a716-446655440000/x HTTP/1.1\r\n"),
		"DELETE /o/{id}/x");
	key_is(DTC_CLS_http, S("GET /blob/0123456789abcdef01 HTTP/1.1\r\n"), "GET /blob/{id}");
	/* a long word of hex letters only is a word */
	key_is(DTC_CLS_http, S("GET /deadbeefdeadbeefcafe HTTP/1.1\r\n"),
		"GET /deadbeefdeadbeefcafe");
	key_is(DTC_CLS_http, S("POST / HTTP/1.0\r\n"), "POST /");
	key_is(DTC_CLS_http, S("GET http://example.com/a/42 HTTP/1.1\r\n"), "GET /a/{n}");
	key_is(DTC_CLS_http, S("OPTIONS * HTTP/1.1\r\n"), "OPTIONS *");
	key_is(DTC_CLS_http, S("GET /a#frag HTTP/1.1\r\n"), "GET /a");
	key_is(DTC_CLS_http, S("GET /a\"b\x01 HTTP/1.1\r\n"), "GET /a?b?");
	key_is(DTC_CLS_http, S("GET /x/"), "GET /x/"); /* cut in the request line */
	key_is(DTC_CLS_http, S("get / HTTP/1.1"), "");
	key_is(DTC_CLS_http, S("\r\nGET / HTTP/1.1"), "");
	/* truncated to the buffer, still terminated */
	CHECK_EQ(dtc_cls_key(DTC_CLS_http, S("GET /abcdefgh HTTP/1.1\r\n"), k, sizeof(k)), 7);
	CHECK(strcmp(k, "GET /ab") == 0);
	CHECK_EQ(dtc_cls_key(DTC_CLS_http, S("GET / HTTP/1.1\r\n"), k, 0), 0);

	dtc_check_case = "http outcome";
	out_is(DTC_CLS_http, S("HTTP/1.1 200 OK\r\n"), "200");
	out_is(DTC_CLS_http, S("HTTP/1.0 404 Not Found\r\n"), "404");
	out_is(DTC_CLS_http, S("HTTP/1.1 500"), "500");
	out_is(DTC_CLS_http, S("HTTP/2 503 x"), "503");
	out_is(DTC_CLS_http, S("HTTP/1.1 50"), "none");
	out_is(DTC_CLS_http, S("HTTP/1.1 099 x"), "none");
	out_is(DTC_CLS_http, S("HTTP/1.1  200 x"), "none");
	out_is(DTC_CLS_http, S("<html>"), "none");
	CHECK(dtc_cls_outcome_is_error(DTC_CLS_OUT(DTC_CLS_K_HTTP, 500)));
	CHECK(!dtc_cls_outcome_is_error(DTC_CLS_OUT(DTC_CLS_K_HTTP, 404)));
}

static void
test_redis(void)
{
	dtc_check_case = "redis key";
	key_is(DTC_CLS_redis, S("*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n"), "SET");
	key_is(DTC_CLS_redis, S("*2\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n"), "CONFIG");
	key_is(DTC_CLS_redis, S("*1\r\n$4\r\nPI"), "PI"); /* cut in the name */
	key_is(DTC_CLS_redis, S("*1\r\n$4"), "");
	key_is(DTC_CLS_redis, S("*0\r\n"), "");
	key_is(DTC_CLS_redis, S("*1\r\n$0\r\n\r\n"), "");
	key_is(DTC_CLS_redis, S("*1\r\n$99999999999\r\n"), "");
	key_is(DTC_CLS_redis, S("ping\r\n"), "PING");
	key_is(DTC_CLS_redis, S("ping"), ""); /* an inline command needs its end */

	dtc_check_case = "redis outcome";
	out_is(DTC_CLS_redis, S("+OK\r\n"), "+");
	out_is(DTC_CLS_redis, S("$5\r\nhello\r\n"), "$");
	out_is(DTC_CLS_redis, S(":1\r\n"), ":");
	out_is(DTC_CLS_redis, S("*0\r\n"), "*");
	out_is(DTC_CLS_redis, S("-ERR unknown command 'GET'\r\n"), "-ERR");
	out_is(DTC_CLS_redis, S("-WRONGTYPE Operation against a key\r\n"), "-WRONGTYPE");
	out_is(DTC_CLS_redis, S("-MOVED 3999 127.0.0.1:6381\r\n"), "-MOVED");
	out_is(DTC_CLS_redis, S("-Error message\r\n"), "-OTHER");
	out_is(DTC_CLS_redis, S("-"), "-OTHER");
	out_is(DTC_CLS_redis, S("hello"), "none");
	out_is(DTC_CLS_redis, (const uint8_t *)"\0", 1, "none");
	CHECK(dtc_cls_outcome_is_error(dtc_cls_outcome(DTC_CLS_redis, S("-ERR x\r\n"))));
	CHECK(!dtc_cls_outcome_is_error(dtc_cls_outcome(DTC_CLS_redis, S("+OK\r\n"))));
}

static void
test_pgsql(void)
{
	static const uint8_t q[] = "Q\0\0\0\x26SELECT id, name FROM users WHERE id=1";
	static const uint8_t parse[] = "P\0\0\0\x20s1\0UPDATE accounts SET x=1\0\0\0";
	static const uint8_t startup[] = { 0, 0, 0, 9, 0, 3, 0, 0, 0 };
	/* ErrorResponse as PostgreSQL 15 sends it for a missing table */
	static const uint8_t err[] = "E\0\0\0\x60SERROR\0VERROR\0C42P01\0"
		"Mrelation \"nope\" does not exist\0P15\0Fparse_relation.c\0L1392\0"
		"RparserOpenTable\0\0";
	static const uint8_t err_noc[] = "E\0\0\0\x0fSERROR\0Mx\0\0";
	static const uint8_t rowdesc[] = "T\0\0\0\x1b\0\x01id\0";

	dtc_check_case = "pgsql key";
	key_is(DTC_CLS_pgsql, q, sizeof(q) - 1, "SELECT users");
	key_is(DTC_CLS_pgsql, parse, sizeof(parse) - 1, "UPDATE accounts");
	key_is(DTC_CLS_pgsql, startup, sizeof(startup), "startup");
	key_is(DTC_CLS_pgsql, S("Q\0\0\0\x10insert into t1 values(1)"), "INSERT t1");
	key_is(DTC_CLS_pgsql, S("Q\0\0\0\x10  delete from \"x\" "), "DELETE x");
	key_is(DTC_CLS_pgsql, S("Q\0\0\0\x10" "BEGIN"), "BEGIN");
	key_is(DTC_CLS_pgsql, S("Q\0\0\0\x10SELECT 1"), "SELECT");
	key_is(DTC_CLS_pgsql, S("Q\0\0\0\x10" "1"), "");
	key_is(DTC_CLS_pgsql, S("X\0\0\0\x04"), "terminate");
	key_is(DTC_CLS_pgsql, S("Q\0\0\0"), "");
	key_is(DTC_CLS_pgsql, S("Z\0\0\0\x05I"), "");

	dtc_check_case = "pgsql outcome";
	out_is(DTC_CLS_pgsql, err, sizeof(err) - 1, "E:42P01");
	out_is(DTC_CLS_pgsql, err, 20, "E:?????"); /* SQLSTATE cut off */
	out_is(DTC_CLS_pgsql, err_noc, sizeof(err_noc) - 1, "E:?????");
	out_is(DTC_CLS_pgsql, rowdesc, sizeof(rowdesc) - 1, "T");
	out_is(DTC_CLS_pgsql, S("R\0\0\0\x08\0\0\0\0"), "R");
	out_is(DTC_CLS_pgsql, S("S"), "S");
	out_is(DTC_CLS_pgsql, S("C\0\0\0\x02"), "none");
	out_is(DTC_CLS_pgsql, S("\x01\0\0\0\x08"), "none");
	CHECK(dtc_cls_outcome_is_error(dtc_cls_outcome(DTC_CLS_pgsql, err, sizeof(err) - 1)));
	out_is(DTC_CLS_pgsql, S("E\0\0\0\x0a" "CZZZZZ\0\0"), "E:ZZZZZ");
	out_is(DTC_CLS_pgsql, S("E\0\0\0\x0a" "C00000\0\0"), "E:00000");
}

static void
test_mysql(void)
{
	static const uint8_t query[] = "\x21\0\0\0\x03select * from orders where id = 7";
	/* ERR 1146 as MariaDB 10.11 sends it */
	static const uint8_t err[] = "\x1f\0\0\1\xff\x7a\x04#42S02Table 'db.x' doesn't exist";
	static const uint8_t ok[] = "\x07\0\0\1\0\0\0\x02\0\0\0";

	dtc_check_case = "mysql key";
	key_is(DTC_CLS_mysql, query, sizeof(query) - 1, "SELECT orders");
	key_is(DTC_CLS_mysql, S("\x01\0\0\0\x0e"), "COM_PING");
	key_is(DTC_CLS_mysql, S("\x01\0\0\0\x03"), "");
	key_is(DTC_CLS_mysql, S("\x40\0\0\1\x85\xa6\xff\x01"), "handshake");
	key_is(DTC_CLS_mysql, S("\x01\0\0\0\x42"), "");

	dtc_check_case = "mysql outcome";
	out_is(DTC_CLS_mysql, err, sizeof(err) - 1, "ERR:1146");
	out_is(DTC_CLS_mysql, ok, sizeof(ok) - 1, "OK");
	out_is(DTC_CLS_mysql, S("\x01\0\0\1\x02"), "rows");
	out_is(DTC_CLS_mysql, S("\x05\0\0\5\xfe\0\0\2\0"), "EOF");
	out_is(DTC_CLS_mysql, S("\x4a\0\0\0\x0a" "10.11"), "greeting");
	out_is(DTC_CLS_mysql, S("\x09\0\0\1\xff\x7a"), "ERR:0");
	out_is(DTC_CLS_mysql, S("\0\0\0\1\xff"), "none");
	CHECK(dtc_cls_outcome_is_error(dtc_cls_outcome(DTC_CLS_mysql, err, sizeof(err) - 1)));
	CHECK(!dtc_cls_outcome_is_error(dtc_cls_outcome(DTC_CLS_mysql, ok, sizeof(ok) - 1)));
}

static void
test_raw_and_prefixes(void)
{
	static const char *const inputs[] = {
		"GET /users/123/550e8400-e29b-41d4-a716-446655440000?q HTTP/1.1\r\n",
		"HTTP/1.1 200 OK\r\n",
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n",
		"-ERR unknown command\r\n",
		"Q\0\0\0\x10SELECT a FROM b",
		"E\0\0\0\x14SERROR\0C42P01\0\0",
		"\x21\0\0\0\x03select * from orders",
		"\x1f\0\0\1\xff\x7a\x04#42S02",
	};
	static const size_t lens[] = { 68, 17, 21, 22, 21, 20, 26, 12 };
	unsigned int i, p;
	char k[DTC_CLS_KEY_MAX];

	dtc_check_case = "raw";
	CHECK_EQ(dtc_cls_key(DTC_CLS_raw, S("GET / HTTP/1.1"), k, sizeof(k)), 0);
	CHECK_EQ(k[0], '\0');
	out_is(DTC_CLS_raw, S("HTTP/1.1 200 OK"), "none");
	CHECK_EQ(dtc_cls_key(DTC_CLS_http, NULL, 5, k, sizeof(k)), 0);
	out_is(DTC_CLS_http, NULL, 5, "none");
	dtc_check_case = "prefixes";
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		for (p = 0; p < DTC_CLS_PROTO_MAX; p++)
			prefixes(p, (const uint8_t *)inputs[i], lens[i]);
}

int
main(void)
{
	test_names();
	test_detect();
	test_http();
	test_redis();
	test_pgsql();
	test_mysql();
	test_raw_and_prefixes();
	return dtc_check_end("test_proto_classify");
}
