/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* --config files and strict option values (app/common). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dtc_app.h"
#include "dtc_check.h"

static void
check_argv(const struct dtc_argv *a, const char *const *want, int n)
{
	int i;

	CHECK(a->argc == n);
	for (i = 0; i < n && i < a->argc; i++) {
		if (strcmp(a->argv[i], want[i]) != 0)
			DTC_FAIL("argv[%d] = '%s', want '%s'", i, a->argv[i], want[i]);
	}
	CHECK(a->argc < 0 || a->argv == NULL || a->argv[a->argc] == NULL);
}

static char *
write_tmp(const char *text)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/dtc-config-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror("mkstemp");
		exit(1);
	}
	close(fd);
	return path;
}

static void
test_expand(void)
{
	const char *text =
		"# the lab copier\n"
		"eal -l 0-1 --vdev 'net_pcap0,rx_pcap=/tmp/a b.pcap'\n"
		"transfer 80-198.18.1.56:80   # the web server\n"
		"--client-ip=198.18.2.100\n"
		"no-wait\r\n"
		"\n";
	char *path = write_tmp(text);
	char *argv[] = { "dpdk-tcpcopy", "--no-huge", "--", "--config", path, "-n", "3", NULL };
	const char *want[] = { "dpdk-tcpcopy", "-l", "0-1", "--vdev",
		"net_pcap0,rx_pcap=/tmp/a b.pcap", "--no-huge", "--", "--transfer",
		"80-198.18.1.56:80", "--client-ip", "198.18.2.100", "--no-wait", "-n", "3" };
	struct dtc_argv out;
	char err[256];

	char where[300];
	const char *w;

	CHECK(dtc_config_expand(7, argv, &out, err, sizeof(err)) == 0);
	check_argv(&out, want, (int)(sizeof(want) / sizeof(want[0])));
	/* words from the file are located by address, command-line words are not */
	if (out.argc == 14) {
		w = dtc_config_where(out.argv[8] + 3, where, sizeof(where));
		CHECK(w != NULL && strstr(w, path) == w && strcmp(w + strlen(path), ":3") == 0);
		w = dtc_config_where(out.argv[11], where, sizeof(where));
		CHECK(w != NULL && strcmp(w + strlen(path), ":5") == 0);
		CHECK(dtc_config_where(out.argv[13], where, sizeof(where)) == NULL);
		CHECK(dtc_config_where(out.argv[1], where, sizeof(where)) == NULL);
		CHECK(dtc_config_where(NULL, where, sizeof(where)) == NULL);
	}
	dtc_argv_free(&out);
	unlink(path);
}

static void
test_no_config(void)
{
	char *argv[] = { "x", "-l", "0", "--", "-x", "80-1.2.3.4:80", NULL };
	const char *want[] = { "x", "-l", "0", "--", "-x", "80-1.2.3.4:80" };
	char *argv2[] = { "x", "-l", "0", NULL };
	const char *want2[] = { "x", "-l", "0" };
	struct dtc_argv out;
	char err[256];

	CHECK(dtc_config_expand(6, argv, &out, err, sizeof(err)) == 0);
	check_argv(&out, want, 6);
	dtc_argv_free(&out);
	CHECK(dtc_config_expand(3, argv2, &out, err, sizeof(err)) == 0);
	check_argv(&out, want2, 3);
	dtc_argv_free(&out);
}

static void
expect_error(const char *text, const char *needle)
{
	char *path = write_tmp(text);
	char *argv[] = { "x", "--", "--config", path, NULL };
	struct dtc_argv out;
	char err[256] = "";

	CHECK(dtc_config_expand(4, argv, &out, err, sizeof(err)) == -EINVAL);
	if (strstr(err, needle) == NULL || strstr(err, path) == NULL)
		DTC_FAIL("error '%s' lacks '%s' or the file name", err, needle);
	unlink(path);
}

static void
test_errors(void)
{
	char *argv[] = { "x", "--", "--config", "/nonexistent/dtc.conf", NULL };
	char *argv2[] = { "x", "--", "--config", NULL };
	struct dtc_argv out;
	char err[256] = "";

	expect_error("transfer 80-1.2.3.4:80\neal\n", ":2: 'eal' needs arguments");
	expect_error("ok 1\n\nbad$name 3\n", ":3: bad option name");
	expect_error("eal --vdev 'unterminated\n", ":1: unterminated quote");
	expect_error("config /etc/other.conf\n", ":1: 'config' cannot be nested");
	CHECK(dtc_config_expand(4, argv, &out, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "/nonexistent/dtc.conf") != NULL);
	CHECK(dtc_config_expand(3, argv2, &out, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "--config") != NULL);
}

static void
test_numbers(void)
{
	uint64_t v = 0, list[4];

	CHECK(dtc_parse_u64("36524", 1, 65535, &v) == 0 && v == 36524);
	CHECK(dtc_parse_u64("65536", 1, 65535, &v) == -ERANGE);
	CHECK(dtc_parse_u64("0", 1, 65535, &v) == -ERANGE);
	CHECK(dtc_parse_u64("-1", 0, 10, &v) == -EINVAL);
	CHECK(dtc_parse_u64(" 1", 0, 10, &v) == -EINVAL);
	CHECK(dtc_parse_u64("1x", 0, 10, &v) == -EINVAL);
	CHECK(dtc_parse_u64("", 0, 10, &v) == -EINVAL);
	CHECK(dtc_parse_u64("99999999999999999999999", 0, UINT64_MAX, &v) == -ERANGE);
	CHECK(dtc_parse_u64_list("0,1,7", 0, 7, list, 4) == 3 && list[2] == 7);
	CHECK(dtc_parse_u64_list("0,,1", 0, 7, list, 4) == 2);
	CHECK(dtc_parse_u64_list("1,2,3,4,5", 0, 7, list, 4) == -EINVAL);
	CHECK(dtc_parse_u64_list("8", 0, 7, list, 4) == -EINVAL);
}

static void
test_idle(void)
{
	struct dtc_idle s;
	unsigned int i;

	dtc_idle_init(&s, 8);
	for (i = 0; i < 64 * 6; i++)
		dtc_idle_update(&s, 0);
	CHECK(s.sleeps > 0);
	CHECK(s.cur_us == 8); /* doubled up to the cap */
	dtc_idle_update(&s, 1);
	CHECK(s.cur_us == 0 && s.empty == 0);
	dtc_idle_init(&s, 0); /* busy polling never sleeps */
	for (i = 0; i < 1000; i++)
		dtc_idle_update(&s, 0);
	CHECK(s.sleeps == 0);
}

int
main(void)
{
	test_expand();
	test_no_config();
	test_errors();
	test_numbers();
	test_idle();
	return dtc_check_end("test_config");
}
