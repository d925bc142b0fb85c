/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dpdk-tcpcopy options (app/copy/args.c): every option stored right, every rule enforced with a
 * message that names the option and the value and exit status 2, help and docs/copy.md
 * listing every long option of the getopt table, --config through dtc_copy_cmdline().
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dtc_app.h"
#include "../../common/dtc_check.h"
#include "copy.h"
#include "dtc_classify.h"

#define MAX_WORDS 64

static char pcap_path[64];     /* an existing readable file for -i */
static char conf_path[64];

/* Split a command line on spaces ("%P" stands for pcap_path); argv[0] = "dpdk-tcpcopy". */
static int
split(const char *line, char **argv, char *store, size_t store_len)
{
	int argc = 0;
	char *tok, *save = NULL;

	snprintf(store, store_len, "%s", line);
	argv[argc++] = (char *)(uintptr_t)"dpdk-tcpcopy";
	for (tok = strtok_r(store, " ", &save); tok != NULL && argc < MAX_WORDS - 1;
			tok = strtok_r(NULL, " ", &save))
		argv[argc++] = strcmp(tok, "%P") == 0 ? pcap_path : tok;
	argv[argc] = NULL;
	return argc;
}

/* The smallest valid command line: one map, one intercept, our address for ARP. */
#define BASE "-x 80-198.18.1.56:8080 -s 198.18.1.63 --tx-ip 198.18.1.10"

static struct dtc_copy_opts opts;
static struct dtc_opts_err err;

static int
parse(const char *line)
{
	static char store[4096];
	char *argv[MAX_WORDS];
	int argc = split(line, argv, store, sizeof(store));

	return dtc_copy_args_parse_r(argc, argv, &opts, &err);
}

static int
parse_ok(const char *line)
{
	int rc = parse(line);

	if (rc != DTC_OPTS_OK)
		DTC_FAIL("'%s' rejected: [%s] '%s': %s", line, err.opt, err.value,
			err.reason);
	return rc == DTC_OPTS_OK;
}

static uint32_t
ip4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return a.s_addr;
}

static void
test_defaults(void)
{
	if (!parse_ok(BASE))
		return;
	CHECK_EQ(opts.n_xfer, 1);
	CHECK_EQ(opts.xfer[0].family, 4);
	CHECK_EQ(opts.xfer[0].any_online_addr, 1);
	CHECK_EQ(ntohs(opts.xfer[0].online_port), 80);
	CHECK_EQ(opts.xfer[0].target_addr.a32[0], ip4("198.18.1.56"));
	CHECK_EQ(ntohs(opts.xfer[0].target_port), 8080);
	CHECK_EQ(opts.have_pool, false);
	CHECK_EQ(opts.n_intercept, 1);
	CHECK_EQ(opts.intercept[0].family, 4);
	CHECK_EQ(opts.intercept[0].addr.a32[0], ip4("198.18.1.63"));
	CHECK_EQ(opts.intercept[0].port, 36524);
	CHECK_EQ(opts.intercept_port, 36524);
	CHECK_EQ(opts.conns_per_intercept, 2);
	CHECK_EQ(opts.multiply, 1);
	CHECK_EQ(opts.port_offset, 0);
	CHECK_EQ(opts.sample_pct, 0);
	CHECK(!opts.gradual && !opts.full_sessions_only && !opts.no_wait && !opts.lonely);
	CHECK_EQ(opts.session_timeout_s, 120);
	CHECK_EQ(opts.keepalive_timeout_s, 240);
	CHECK_EQ(opts.mtu, 1500);
	CHECK_EQ(opts.mss, 1460);
	CHECK_EQ(opts.rtt_ms, 0);
	CHECK_EQ(opts.max_memory_mb, 0);
	CHECK(opts.pcap_file == NULL);
	CHECK(opts.speed == 1.0);
	CHECK_EQ(opts.gap_ms, 0);
	CHECK_EQ(opts.loops, 1);
	CHECK(opts.filter == NULL && opts.log_file == NULL && opts.pid_file == NULL);
	CHECK(!opts.daemon);
	CHECK_EQ(opts.n_rx_ports, 1);
	CHECK_EQ(opts.rx_ports[0], 0);
	CHECK_EQ(opts.tx_port, -1);
	CHECK(opts.have_tx_ip);
	CHECK_EQ(opts.tx_ip, ip4("198.18.1.10"));
	CHECK_EQ(opts.response_port, -1);
	CHECK_EQ(opts.stats_interval_s, 5);
	CHECK_EQ(opts.idle_sleep_us, 0);
}

/* Every option, short and long form, with a valid value. */
static void
test_each_option(void)
{
	char line[1024];

	if (parse_ok("-x 198.18.0.40:80-198.18.1.56:8080,443-198.18.1.57:443@02:00:00:00:00:07 "
			"-s 198.18.1.63 --tx-ip 198.18.1.10")) {
		CHECK_EQ(opts.n_xfer, 2);
		CHECK_EQ(opts.xfer[0].any_online_addr, 0);
		CHECK_EQ(opts.xfer[0].online_addr.a32[0], ip4("198.18.0.40"));
		CHECK_EQ(opts.xfer[1].has_static_mac, 1);
		CHECK_EQ(ntohs(opts.xfer[1].target_port), 443);
	}
	if (parse_ok("--transfer 81-198.18.1.56:81 --intercept 198.18.1.63 --tx-ip 198.18.1.10"))
		CHECK_EQ(ntohs(opts.xfer[0].online_port), 81);
	/* Last one wins, so the command line overrides a --config file. */
	if (parse_ok(BASE " -x 82-198.18.1.58:82")) {
		CHECK_EQ(opts.n_xfer, 1);
		CHECK_EQ(ntohs(opts.xfer[0].online_port), 82);
	}
	if (parse_ok(BASE " -c 198.18.2.100,198.18.3.x")) {
		CHECK(opts.have_pool);
		CHECK_EQ(opts.pool.total4, 1 + 254);
	}
	if (parse_ok(BASE " --client-ip 198.18.4.0/30"))
		CHECK_EQ(opts.pool.total4, 2);
	if (parse_ok("-x 80-198.18.1.56:80 -s 198.18.1.63:4000,[2001:db8::7]:5000,2001:db8::8 "
			"-p 4001 --tx-ip 198.18.1.10")) {
		CHECK_EQ(opts.n_intercept, 3);
		CHECK_EQ(opts.intercept[0].port, 4000);
		CHECK_EQ(opts.intercept[1].family, 6);
		CHECK_EQ(opts.intercept[1].addr.a8[15], 7);
		CHECK_EQ(opts.intercept[1].port, 5000);
		CHECK_EQ(opts.intercept[2].family, 6);
		CHECK_EQ(opts.intercept[2].port, 4001);
		CHECK_EQ(opts.intercept_port, 4001);
	}
	if (parse_ok("-x 80-198.18.1.56:80 --intercept-port 4002 --intercept 198.18.1.63 "
			"--tx-ip 198.18.1.10"))
		CHECK_EQ(opts.intercept[0].port, 4002);
	if (parse_ok(BASE " -C 16"))
		CHECK_EQ(opts.conns_per_intercept, 16);
	if (parse_ok(BASE " --connections 1"))
		CHECK_EQ(opts.conns_per_intercept, 1);
	if (parse_ok(BASE " -n 256"))
		CHECK_EQ(opts.multiply, 256);
	if (parse_ok(BASE " --multiply 3"))
		CHECK_EQ(opts.multiply, 3);
	if (parse_ok(BASE " -f 255"))
		CHECK_EQ(opts.port_offset, 255);
	if (parse_ok(BASE " --port-offset 7"))
		CHECK_EQ(opts.port_offset, 7);
	if (parse_ok(BASE " -r 100"))
		CHECK_EQ(opts.sample_pct, 100);
	if (parse_ok(BASE " --sample 25"))
		CHECK_EQ(opts.sample_pct, 25);
	if (parse_ok(BASE " -g -O -W -L -d"))
		CHECK(opts.gradual && opts.full_sessions_only && opts.no_wait && opts.lonely &&
			opts.daemon);
	if (parse_ok(BASE " --gradual --full-sessions-only --no-wait --lonely --daemon"))
		CHECK(opts.gradual && opts.full_sessions_only && opts.no_wait && opts.lonely &&
			opts.daemon);
	if (parse_ok(BASE " -t 30")) {
		CHECK_EQ(opts.session_timeout_s, 30);
		CHECK_EQ(opts.keepalive_timeout_s, 150); /* t + 120 */
	}
	if (parse_ok(BASE " --session-timeout 600 --keepalive-timeout 5")) {
		CHECK_EQ(opts.session_timeout_s, 600);
		CHECK_EQ(opts.keepalive_timeout_s, 5);
	}
	if (parse_ok(BASE " -k 604800"))
		CHECK_EQ(opts.keepalive_timeout_s, 604800);
	if (parse_ok(BASE " -M 9000 -D 8960")) {
		CHECK_EQ(opts.mtu, 9000);
		CHECK_EQ(opts.mss, 8960);
	}
	if (parse_ok(BASE " --mtu 576 --mss 536")) {
		CHECK_EQ(opts.mtu, 576);
		CHECK_EQ(opts.mss, 536);
	}
	if (parse_ok(BASE " -M 1400"))
		CHECK_EQ(opts.mss, 1360); /* the default, lowered to MTU - 40 */
	if (parse_ok(BASE " -R 60000"))
		CHECK_EQ(opts.rtt_ms, 60000);
	if (parse_ok(BASE " --rtt 5"))
		CHECK_EQ(opts.rtt_ms, 5);
	if (parse_ok(BASE " -m 16"))
		CHECK_EQ(opts.max_memory_mb, 16);
	if (parse_ok(BASE " --max-memory 1048576"))
		CHECK_EQ(opts.max_memory_mb, 1048576);
	if (parse_ok(BASE " -i %P -a 2.5 -I 500 -T 3")) {
		CHECK(opts.pcap_file == pcap_path);
		CHECK(opts.speed == 2.5);
		CHECK_EQ(opts.gap_ms, 500);
		CHECK_EQ(opts.loops, 3);
		CHECK_EQ(opts.n_rx_ports, 0); /* packets come from the file */
	}
	if (parse_ok(BASE " --pcap-file %P --speed 0.001 --gap-ms 0 --loops 1000000")) {
		CHECK(opts.speed == 0.001);
		CHECK_EQ(opts.loops, 1000000);
	}
	if (parse_ok(BASE " -i %P --speed 1000"))
		CHECK(opts.speed == 1000.0);
	if (parse_ok(BASE " -F tcp"))
		CHECK(opts.filter != NULL && strcmp(opts.filter, "tcp") == 0);
	{
		/* A filter is one argument with spaces: build argv by hand. */
		char *argv[] = { (char *)(uintptr_t)"p", (char *)(uintptr_t)"-x",
			(char *)(uintptr_t)"80-198.18.1.56:80", (char *)(uintptr_t)"-s",
			(char *)(uintptr_t)"198.18.1.63", (char *)(uintptr_t)"--tx-ip",
			(char *)(uintptr_t)"198.18.1.10", (char *)(uintptr_t)"--filter",
			(char *)(uintptr_t)"tcp and src net 198.18.0.0/24", NULL };

		CHECK_EQ(dtc_copy_args_parse_r(9, argv, &opts, &err), DTC_OPTS_OK);
		CHECK(opts.filter != NULL &&
			strcmp(opts.filter, "tcp and src net 198.18.0.0/24") == 0);
	}
	if (parse_ok(BASE " -l /tmp/x.log -P /tmp/x.pid")) {
		CHECK(strcmp(opts.log_file, "/tmp/x.log") == 0);
		CHECK(strcmp(opts.pid_file, "/tmp/x.pid") == 0);
	}
	if (parse_ok(BASE " --log /tmp/y.log --pid-file /tmp/y.pid")) {
		CHECK(strcmp(opts.log_file, "/tmp/y.log") == 0);
		CHECK(strcmp(opts.pid_file, "/tmp/y.pid") == 0);
	}
	if (parse_ok(BASE " --rx-port 2,0,31 --tx-port 1")) {
		CHECK_EQ(opts.n_rx_ports, 3);
		CHECK_EQ(opts.rx_ports[0], 2);
		CHECK_EQ(opts.rx_ports[1], 0);
		CHECK_EQ(opts.rx_ports[2], 31);
		CHECK_EQ(opts.tx_port, 1);
	}
	if (parse_ok("-x 80-198.18.1.56:80 --response-port 1 --tx-ip=198.18.1.10")) {
		CHECK_EQ(opts.response_port, 1);
		CHECK_EQ(opts.n_intercept, 0);
	}
	/* Two-host mode takes IPv6 maps (with @MAC) and IPv6 pools. */
	if (parse_ok("-x [2001:db8::40]:80-[2001:db8:1::56]:80@02:00:00:00:00:09 "
			"-c 2001:db8:2::/120 --response-port 0 --tx-ip 198.18.1.10")) {
		CHECK_EQ(opts.xfer[0].family, 6);
		CHECK_EQ(opts.pool.n6, 1);
		CHECK(opts.pool.total6 >= 255 && opts.pool.total6 <= 256); /* ::0 may be skipped */
		CHECK_EQ(opts.mss, 1440); /* the default, lowered to MTU - 60 */
	}
	if (parse_ok(BASE " --stats-interval 0 --idle-sleep 100000")) {
		CHECK_EQ(opts.stats_interval_s, 0);
		CHECK_EQ(opts.idle_sleep_us, 100000);
		CHECK_EQ(opts.rx_lcores, 1);
	}
	if (parse_ok(BASE " --compare on --compare-keys 7 --compare-report /tmp/r.json "
			"--compare-proto redis")) {
		CHECK(opts.compare);
		CHECK_EQ(opts.compare_keys, 7);
		CHECK(strcmp(opts.compare_report, "/tmp/r.json") == 0);
		CHECK_EQ(opts.n_compare_proto, 1);
		CHECK_EQ(opts.compare_proto[0], DTC_CLS_redis);
	}
	if (parse_ok(BASE)) {
		CHECK(!opts.compare);
		CHECK_EQ(opts.compare_keys, 32);
		CHECK(opts.compare_report == NULL);
	}
	if (parse_ok(BASE " --rx-lcores 16"))
		CHECK_EQ(opts.rx_lcores, 16);
	if (parse_ok(BASE " --config /etc/dtc.conf"))
		CHECK(strcmp(opts.config_file, "/etc/dtc.conf") == 0);
	/* Every map has @MAC and no --response-port: no ARP, so --tx-ip is optional. */
	if (parse_ok("-x 80-198.18.1.56:80@02:00:00:00:00:01 -s 198.18.1.63"))
		CHECK(!opts.have_tx_ip);
	/* Unique prefixes of long options work as in every getopt_long program. */
	if (parse_ok(BASE " --multi 4"))
		CHECK_EQ(opts.multiply, 4);
	snprintf(line, sizeof(line), "%s", BASE " -h");
	CHECK_EQ(parse(line), DTC_OPTS_HELP);
	CHECK_EQ(parse("--version"), DTC_OPTS_VERSION);
	CHECK_EQ(parse("-v -x bogus"), DTC_OPTS_VERSION);
}

/* ---------------------------------------------------------------- */
/* Errors. */

struct bad {
	const char *line;
	const char *opt;      /* err.opt ("" for messages about no single option) */
	const char *value;    /* err.value, NULL = no value */
	const char *reason;   /* a substring of err.reason */
};

static const struct bad bads[] = {
	/* required and exclusive */
	{ "", "-x/--transfer", NULL, "required" },
	{ "-s 198.18.1.63 --tx-ip 198.18.1.10", "-x/--transfer", NULL, "required" },
	{ "-x 80-198.18.1.56:80 --tx-ip 198.18.1.10", "-s/--intercept", NULL, "--response-port" },
	{ "-x 80-198.18.1.56:80 -i %P --tx-ip 198.18.1.10", "-s/--intercept", NULL, "required" },
	{ BASE " --response-port 1", "--response-port", "1", "cannot be combined with -s" },
	{ BASE " -i %P --rx-port 0", "--rx-port", "0", "-i/--pcap-file" },
	{ BASE " -g -r 50", "-r/--sample", "50", "-g/--gradual" },
	{ "-x 80-198.18.1.56:80 --response-port 1 -p 5000 --tx-ip 198.18.1.10",
		"-p/--intercept-port", "5000", "only applies with -s" },
	{ "-x 80-198.18.1.56:80 --response-port 1 -C 3 --tx-ip 198.18.1.10",
		"-C/--connections", "3", "only applies with -s" },
	{ "-x 80-198.18.1.56:80 --response-port 1 -L --tx-ip 198.18.1.10",
		"-L/--lonely", NULL, "only applies with -s" },
	{ BASE " -a 2", "-a/--speed", "2", "only applies with -i" },
	{ BASE " -I 100", "-I/--gap-ms", "100", "only applies with -i" },
	{ BASE " -T 2", "-T/--loops", "2", "only applies with -i" },
	/* -x */
	{ "-x bogus -s 198.18.1.63 --tx-ip 198.18.1.10", "-x/--transfer", "bogus", "" },
	{ "-x 80-198.18.1.56:70000 -s 198.18.1.63 --tx-ip 198.18.1.10", "-x/--transfer",
		"80-198.18.1.56:70000", "" },
	{ "-x 80-198.18.1.56 -s 198.18.1.63 --tx-ip 198.18.1.10", "-x/--transfer",
		"80-198.18.1.56", "" },
	{ "-x [2001:db8::40]:80-[2001:db8:1::56]:80@02:00:00:00:00:09 -s 198.18.1.63",
		"-x/--transfer", "[2001:db8::40]:80-[2001:db8:1::56]:80@02:00:00:00:00:09",
		"IPv4 only" },
	{ "-x [2001:db8::40]:80-[2001:db8:1::56]:80 --response-port 0 --tx-ip 198.18.1.10",
		"-x/--transfer", "[2001:db8::40]:80-[2001:db8:1::56]:80", "needs @MAC" },
	{ "-x 80-198.18.1.56:80 -s 198.18.1.63", "--tx-ip", NULL, "ARP" },
	{ "-x 80-198.18.1.56:80@02:00:00:00:00:01 --response-port 0", "--tx-ip", NULL,
		"--response-port" },
	/* -c */
	{ BASE " -c 300.1.1.1", "-c/--client-ip", "300.1.1.1", "" },
	{ BASE " -c 2001:db8::/120", "-c/--client-ip", "2001:db8::/120", "no IPv4 address" },
	{ BASE " -c 198.18.2.0/33", "-c/--client-ip", "198.18.2.0/33", "" },
	/* -s and -p */
	{ "-x 80-198.18.1.56:80 -s 198.18.1 --tx-ip 198.18.1.10", "-s/--intercept", "198.18.1",
		"not an IPv4 or IPv6 address" },
	{ "-x 80-198.18.1.56:80 -s 198.18.1.63:0 --tx-ip 198.18.1.10", "-s/--intercept",
		"198.18.1.63:0", "1 to 65535" },
	{ "-x 80-198.18.1.56:80 -s 198.18.1.63:65536 --tx-ip 198.18.1.10", "-s/--intercept",
		"198.18.1.63:65536", "1 to 65535" },
	{ "-x 80-198.18.1.56:80 -s 224.0.0.1 --tx-ip 198.18.1.10", "-s/--intercept",
		"224.0.0.1", "unicast" },
	{ "-x 80-198.18.1.56:80 -s [2001:db8::1 --tx-ip 198.18.1.10", "-s/--intercept",
		"[2001:db8::1", "']'" },
	{ "-x 80-198.18.1.56:80 -s 198.18.1.63,198.18.1.63:36524 --tx-ip 198.18.1.10",
		"-s/--intercept", "198.18.1.63,198.18.1.63:36524", "repeats" },
	{ "-x 80-198.18.1.56:80 -s 198.18.1.63, --tx-ip 198.18.1.10", "-s/--intercept",
		"198.18.1.63,", "empty entry" },
	{ BASE " -p 0", "-p/--intercept-port", "0", "1 to 65535" },
	{ BASE " -p 65536", "-p/--intercept-port", "65536", "1 to 65535" },
	{ BASE " --intercept-port http", "-p/--intercept-port", "http", "integer" },
	{ BASE " -C 0", "-C/--connections", "0", "1 to 16" },
	{ BASE " -C 17", "-C/--connections", "17", "1 to 16" },
	/* numbers */
	{ BASE " -n 0", "-n/--multiply", "0", "1 to 256" },
	{ BASE " -n 257", "-n/--multiply", "257", "1 to 256" },
	{ BASE " -n -1", "-n/--multiply", "-1", "integer" },
	{ BASE " -n 2x", "-n/--multiply", "2x", "integer" },
	{ BASE " -n 99999999999999999999999", "-n/--multiply", "99999999999999999999999",
		"integer" },
	{ BASE " -f 256", "-f/--port-offset", "256", "0 to 255" },
	{ BASE " -r 101", "-r/--sample", "101", "0 to 100" },
	{ BASE " -t 0", "-t/--session-timeout", "0", "1 to 86400" },
	{ BASE " -k 604801", "-k/--keepalive-timeout", "604801", "1 to 604800" },
	{ BASE " -M 575", "-M/--mtu", "575", "576 to 9000" },
	{ BASE " -M 9001", "-M/--mtu", "9001", "576 to 9000" },
	{ BASE " -D 87", "-D/--mss", "87", "88 to 8960" },
	{ BASE " -D 1461", "-D/--mss", "1461", "minus 40" },
	{ "-x [2001:db8::40]:80-[2001:db8:1::56]:80@02:00:00:00:00:09 --response-port 0 "
		"--tx-ip 198.18.1.10 -M 1279 -D 1000", "-M/--mtu", "1279", "1280" },
	{ "-x [2001:db8::40]:80-[2001:db8:1::56]:80@02:00:00:00:00:09 --response-port 0 "
		"--tx-ip 198.18.1.10 -D 1441", "-D/--mss", "1441", "60" },
	{ BASE " -R 60001", "-R/--rtt", "60001", "0 to 60000" },
	{ BASE " -m 15", "-m/--max-memory", "15", "16 to 1048576" },
	{ BASE " -i %P -a 0", "-a/--speed", "0", "0.001 to 1000" },
	{ BASE " -i %P -a 1001", "-a/--speed", "1001", "0.001 to 1000" },
	{ BASE " -i %P -a 1e3", "-a/--speed", "1e3", "decimal" },
	{ BASE " -i %P -a 2.", "-a/--speed", "2.", "decimal" },
	{ BASE " -i %P -a nan", "-a/--speed", "nan", "decimal" },
	{ BASE " -i %P -I -5", "-I/--gap-ms", "-5", "integer" },
	{ BASE " -i %P -T 0", "-T/--loops", "0", "1 to 1000000" },
	{ BASE " --stats-interval 86401", "--stats-interval", "86401", "0 to 86400" },
	{ BASE " --idle-sleep 100001", "--idle-sleep", "100001", "0 to 100000" },
	{ BASE " --compare yes", "--compare", "yes", "on or off" },
	{ BASE " --compare on --compare-keys 0", "--compare-keys", "0", "1 to 256" },
	{ BASE " --compare on --compare-keys 257", "--compare-keys", "257", "1 to 256" },
	{ BASE " --compare-report /tmp/r.json", "--compare-report", "/tmp/r.json",
		"--compare on" },
	{ BASE " --compare off --compare-keys 5", "--compare-keys", "5", "--compare on" },
	{ BASE " --compare on --compare-proto ftp", "--compare-proto", "ftp", "'ftp'" },
	{ BASE " --compare on --compare-proto http,", "--compare-proto", "http,", "a list" },
	{ BASE " --compare on --compare-proto http,redis", "--compare-proto", "http,redis",
		"2 protocols for 1" },
	{ BASE " --rx-lcores 0", "--rx-lcores", "0", "1 to 16" },
	{ BASE " --rx-lcores 17", "--rx-lcores", "17", "1 to 16" },
	{ BASE " -i %P --rx-lcores 2", "--rx-lcores", "2", "-i/--pcap-file" },
	/* ports and addresses */
	{ BASE " --rx-port 32", "--rx-port", "32", "0 to 31" },
	{ BASE " --rx-port 1,1", "--rx-port", "1,1", "twice" },
	{ BASE " --rx-port 0,1,2,3,4,5,6,7,8", "--rx-port", "0,1,2,3,4,5,6,7,8", "up to 8" },
	{ BASE " --tx-port 32", "--tx-port", "32", "0 to 31" },
	{ "-x 80-198.18.1.56:80 --response-port 32 --tx-ip 198.18.1.10", "--response-port", "32",
		"0 to 31" },
	{ "-x 80-198.18.1.56:80 -s 198.18.1.63 --tx-ip 198.18.1", "--tx-ip", "198.18.1",
		"not an IPv4 address" },
	{ "-x 80-198.18.1.56:80 -s 198.18.1.63 --tx-ip 2001:db8::1", "--tx-ip", "2001:db8::1",
		"IPv6" },
	{ "-x 80-198.18.1.56:80 -s 198.18.1.63 --tx-ip 255.255.255.255", "--tx-ip",
		"255.255.255.255", "unicast" },
	/* files and filter */
	{ BASE " -i /nonexistent/x.pcap", "-i/--pcap-file", "/nonexistent/x.pcap", "cannot read" },
	{ BASE " -F tcpp", "-F/--filter", "tcpp", "" },
	{ BASE " -F port", "-F/--filter", "port", "" },
	/* getopt level */
	{ BASE " -q", "", NULL, "unknown option '-q'" },
	{ BASE " --bogus=1", "", NULL, "unknown or ambiguous option '--bogus'" },
	{ BASE " --s 1", "", NULL, "ambiguous" },
	{ BASE " --gradual=yes", "-g/--gradual", NULL, "does not take a value" },
	{ BASE " -n", "-n/--multiply", NULL, "needs a value" },
	{ BASE " --stats-interval", "--stats-interval", NULL, "needs a value" },
	{ BASE " stray", "", NULL, "unexpected argument 'stray'" },
};

static void
check_bad(const struct bad *b)
{
	int rc = parse(b->line);
	bool ok = rc == DTC_OPTS_ERROR && strcmp(err.opt, b->opt) == 0 &&
		err.has_value == (b->value != NULL) &&
		(b->value == NULL || strcmp(err.value, b->value) == 0) &&
		strstr(err.reason, b->reason) != NULL && err.reason[0] != '\0';

	if (!ok) {
		DTC_FAIL("'%s': rc %d opt '%s' value %s'%s' reason '%s'; want opt '%s' value "
			"'%s' reason containing '%s'", b->line, rc, err.opt,
			err.has_value ? "" : "(none) ", err.value, err.reason, b->opt,
			b->value != NULL ? b->value : "(none)", b->reason);
	}
}

/* Run fn in a child; collect its stdout and stderr and its exit status. */
struct child_out {
	char out[16384];
	char err[4096];
	int status;
};

static void
run_child(void (*fn)(void *), void *arg, struct child_out *co)
{
	int po[2], pe[2];
	pid_t pid;
	ssize_t n;
	size_t lo = 0, le = 0;

	if (pipe(po) != 0 || pipe(pe) != 0)
		abort();
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		fn(arg);
		fflush(NULL);
		_exit(100); /* returned: no exit */
	}
	close(po[1]);
	close(pe[1]);
	/* Outputs are small; read stdout to the end, then stderr. */
	while ((n = read(po[0], co->out + lo, sizeof(co->out) - 1 - lo)) > 0)
		lo += (size_t)n;
	while ((n = read(pe[0], co->err + le, sizeof(co->err) - 1 - le)) > 0)
		le += (size_t)n;
	co->out[lo] = '\0';
	co->err[le] = '\0';
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &co->status, 0);
}

static void
child_parse(void *arg)
{
	static char store[4096];
	char *argv[MAX_WORDS];
	int argc = split(arg, argv, store, sizeof(store));

	dtc_copy_args_parse(argc, argv, &opts);
}

/* The exiting wrapper: status 2 and "<prog>: invalid value '<v>' for option <opt>: ...". */
static void
test_errors(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(bads); i++) {
		const struct bad *b = &bads[i];
		struct child_out co;
		char want[sizeof(err.reason) + 64];

		check_bad(b);
		run_child(child_parse, (void *)(uintptr_t)b->line, &co);
		if (!WIFEXITED(co.status) || WEXITSTATUS(co.status) != 2)
			DTC_FAIL("'%s': exit status %d, want 2", b->line, co.status);
		if (b->opt[0] == '\0')
			snprintf(want, sizeof(want), "dpdk-tcpcopy: %s", err.reason);
		else if (b->value != NULL)
			snprintf(want, sizeof(want), "dpdk-tcpcopy: invalid value '%s' for option %s: ",
				b->value, b->opt);
		else
			snprintf(want, sizeof(want), "dpdk-tcpcopy: option %s: ", b->opt);
		if (strncmp(co.err, want, strlen(want)) != 0)
			DTC_FAIL("'%s': stderr '%s', want it to start with '%s'", b->line,
				co.err, want);
		CHECK(co.out[0] == '\0');
	}
	/* The parser resets getopt: a good line right after all those errors still works. */
	CHECK(parse_ok(BASE " -n 2"));
	CHECK_EQ(opts.multiply, 2);
}

/* ---------------------------------------------------------------- */
/* Help, version, docs. */

static void
child_help(void *arg)
{
	child_parse(arg);
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[1 << 18];
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* "--name" followed by something that cannot continue an option name. */
static bool
has_long(const char *text, const char *name)
{
	char pat[64];
	const char *p = text;

	snprintf(pat, sizeof(pat), "--%s", name);
	while ((p = strstr(p, pat)) != NULL) {
		char c = p[strlen(pat)];

		if (c != '-' && (c < 'a' || c > 'z'))
			return true;
		p++;
	}
	return false;
}

static void
test_help_and_docs(void)
{
	const struct option *lo;
	struct child_out co;
	const char *src = getenv("DTC_SRC");
	char path[512], *docs, *p;
	unsigned int n = 0;

	run_child(child_help, (void *)(uintptr_t)"-h", &co);
	CHECK(WIFEXITED(co.status) && WEXITSTATUS(co.status) == 0);
	CHECK(strstr(co.out, "Usage: dpdk-tcpcopy") != NULL);
	for (lo = dtc_copy_long_opts; lo->name != NULL; lo++, n++) {
		char shortf[8];

		if (!has_long(co.out, lo->name))
			DTC_FAIL("help does not list --%s", lo->name);
		if (lo->val < 256) {
			snprintf(shortf, sizeof(shortf), "-%c, --", lo->val);
			if (strstr(co.out, shortf) == NULL)
				DTC_FAIL("help does not list -%c", lo->val);
		}
	}
	CHECK(n >= 35);
	/* ... and the help mentions no long option the table does not have. */
	for (p = strstr(co.out, "\n  -"); p != NULL; p = strstr(p + 1, "\n  -")) {
		char name[64];
		const char *q = strstr(p, "--");
		size_t k = 0;
		bool found = false;

		if (q == NULL)
			break;
		for (q += 2; k + 1 < sizeof(name) && ((*q >= 'a' && *q <= 'z') || *q == '-'); q++)
			name[k++] = *q;
		name[k] = '\0';
		for (lo = dtc_copy_long_opts; lo->name != NULL; lo++)
			found |= strcmp(lo->name, name) == 0;
		if (!found)
			DTC_FAIL("help lists --%s, which is not an option", name);
	}
	/* Every default the help states is what the parser sets (spot checks). */
	CHECK(strstr(co.out, "(default 36524)") != NULL);
	CHECK(strstr(co.out, "(default 2)") != NULL);
	CHECK(strstr(co.out, "default 120") != NULL);
	CHECK(strstr(co.out, "(default 1500)") != NULL);
	CHECK(strstr(co.out, "(default 1460,") != NULL);
	CHECK(strstr(co.out, "(default: what the EAL has,") != NULL);
	CHECK(strstr(co.out, "(default 5;") != NULL);

	run_child(child_help, (void *)(uintptr_t)"--version", &co);
	CHECK(WIFEXITED(co.status) && WEXITSTATUS(co.status) == 0);
	CHECK(strncmp(co.out, "dpdk-tcpcopy " DTC_VERSION, strlen("dpdk-tcpcopy " DTC_VERSION))
		== 0);

	/* The options reference documents every option of the table, both forms. */
	snprintf(path, sizeof(path), "%s/docs/copy.md", src != NULL ? src : ".");
	docs = read_file(path);
	CHECK(docs != NULL);
	if (docs == NULL)
		return;
	for (lo = dtc_copy_long_opts; lo->name != NULL; lo++) {
		char shortf[16];

		if (!has_long(docs, lo->name))
			DTC_FAIL("docs/copy.md does not document --%s", lo->name);
		snprintf(shortf, sizeof(shortf), "`-%c`", lo->val);
		if (lo->val < 256 && strstr(docs, shortf) == NULL)
			DTC_FAIL("docs/copy.md does not document -%c", lo->val);
	}
}

/* ---------------------------------------------------------------- */
/* --config through dtc_copy_cmdline(). */

static void
write_conf(const char *text)
{
	FILE *f = fopen(conf_path, "w");

	if (f == NULL || fputs(text, f) < 0)
		abort();
	fclose(f);
}

static void
child_cmdline(void *arg)
{
	struct dtc_argv all;
	char **argv = arg;
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	dtc_copy_cmdline(argc, argv, &opts, &all);
	printf("ok\n");
	dtc_argv_free(&all);
}

static void
test_config(void)
{
	char *argv[] = { (char *)(uintptr_t)"dpdk-tcpcopy", (char *)(uintptr_t)"-l",
		(char *)(uintptr_t)"0", (char *)(uintptr_t)"--", (char *)(uintptr_t)"--config",
		conf_path, (char *)(uintptr_t)"-n", (char *)(uintptr_t)"5", NULL };
	struct dtc_argv all;
	struct child_out co;
	int eal_argc;

	write_conf("# copier\n"
		"eal --no-pci --file-prefix dtc-args\n"
		"transfer 80-198.18.1.56:8080\n"
		"intercept 198.18.1.63\n"
		"tx-ip 198.18.1.10\n"
		"multiply 3\n"
		"gradual\n"
		"stats-interval 0\n");
	eal_argc = dtc_copy_cmdline(8, argv, &opts, &all);
	/* program, the file's EAL words, then the command line's */
	CHECK_EQ(eal_argc, 6);
	if (eal_argc == 6) {
		CHECK(strcmp(all.argv[1], "--no-pci") == 0);
		CHECK(strcmp(all.argv[3], "dtc-args") == 0);
		CHECK(strcmp(all.argv[4], "-l") == 0);
		CHECK(strcmp(all.argv[6], "--") == 0);
	}
	CHECK_EQ(opts.multiply, 5); /* the command line overrides the file */
	CHECK(opts.gradual);
	CHECK_EQ(opts.stats_interval_s, 0);
	CHECK_EQ(ntohs(opts.xfer[0].target_port), 8080);
	CHECK(opts.config_file == conf_path);
	dtc_argv_free(&all);

	/* A bad value in the file: the same message and exit status as on the command line. */
	write_conf("transfer 80-198.18.1.56:8080\nintercept 198.18.1.63\ntx-ip 198.18.1.10\n"
		"mtu 20\n");
	run_child(child_cmdline, argv, &co);
	CHECK(WIFEXITED(co.status) && WEXITSTATUS(co.status) == 2);
	CHECK(strstr(co.err, "invalid value '20' for option -M/--mtu") != NULL);
	/* A malformed file names the file and the line. */
	write_conf("transfer 80-198.18.1.56:8080\ntr@nsfer 1\n");
	run_child(child_cmdline, argv, &co);
	CHECK(WIFEXITED(co.status) && WEXITSTATUS(co.status) == 2);
	if (strstr(co.err, "for option --config:") == NULL)
		fprintf(stderr, "bad config file: '%s'\n", co.err);
	CHECK(strstr(co.err, "for option --config:") != NULL);
	CHECK(strstr(co.err, ":2:") != NULL);
	unlink(conf_path);
	run_child(child_cmdline, argv, &co);
	CHECK(WIFEXITED(co.status) && WEXITSTATUS(co.status) == 2);
	CHECK(strstr(co.err, "No such file") != NULL);
	/* No "--" at all: options cannot be found, and the message says where they go. */
	{
		char *none[] = { (char *)(uintptr_t)"dpdk-tcpcopy", (char *)(uintptr_t)"-x",
			(char *)(uintptr_t)"80-198.18.1.56:80", NULL };

		run_child(child_cmdline, none, &co);
		CHECK(WIFEXITED(co.status) && WEXITSTATUS(co.status) == 2);
		CHECK(strstr(co.err, "after '--'") != NULL);
	}
	{
		char *help[] = { (char *)(uintptr_t)"dpdk-tcpcopy", (char *)(uintptr_t)"--help",
			NULL };

		run_child(child_cmdline, help, &co);
		CHECK(WIFEXITED(co.status) && WEXITSTATUS(co.status) == 0);
		CHECK(strstr(co.out, "--transfer") != NULL);
	}
}

int
main(void)
{
	int fd;

	strcpy(pcap_path, "/tmp/dtc-args-pcap-XXXXXX");
	fd = mkstemp(pcap_path);
	if (fd < 0)
		return 1;
	close(fd);
	strcpy(conf_path, "/tmp/dtc-args-conf-XXXXXX");
	fd = mkstemp(conf_path);
	if (fd < 0)
		return 1;
	close(fd);

	test_defaults();
	test_each_option();
	test_errors();
	test_help_and_docs();
	test_config();

	unlink(pcap_path);
	unlink(conf_path);
	return dtc_check_end("copy_args");
}
