/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dpdk-intercept options: the letters of intercept 1.x, long forms for everything.  One table
 * (ICPT_OPTIONS) generates the getopt_long table, the short option string and the help, so
 * they cannot drift apart.  The parser never prints or exits (tests and the fuzz harness call
 * it many times); icpt_args_parse() turns its verdict into help, version or exit status 2.
 * A repeated option replaces its earlier value, so the command line overrides --config.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_version.h>

#include "dtc_app.h"
#include "intercept.h"

enum {
	OPT_IP = 256,
	OPT_RX_PORT,
	OPT_ALLOW,
	OPT_MAX_CONNS,
	OPT_CONN_STALL,
	OPT_ROUTES,
	OPT_WAIT_ROUTES,
	OPT_STATS_INTERVAL,
	OPT_IDLE_SLEEP,
	OPT_CONFIG,
	OPT_IFACE,
	OPT_SECRET,
	OPT_MAX
};

#define ICPT_DEF_ROUTES 1048576
#define ICPT_DEF_HOLD 16384
#define ICPT_DEF_MAX_CONNS 256

/* S(title) starts a help section; O(long name, code, has_arg, metavar, help). */
#define ICPT_OPTIONS(S, O) \
	S("Capture") \
	O("filter", 'F', required_argument, "BPF", \
		"capture filter in pcap syntax, e.g. 'tcp and src port 80' (required)") \
	O("ip", OPT_IP, required_argument, "ADDR", \
		"this host's IPv4 address on the DPDK port: answer ARP and ICMP echo\n" \
		"for it (default: answer nothing)") \
	O("iface", OPT_IFACE, required_argument, "NAME", \
		"capture on Linux interface NAME: an af_packet port with a 32 MiB\n" \
		"ring, the --rx-port (default: only the EAL's own ports)") \
	O("rx-port", OPT_RX_PORT, required_argument, "N", \
		"DPDK port receiving the test server's responses (default 0)") \
	S("Control channel (copiers connect here)") \
	O("port", 'p', required_argument, "PORT", "listen port (default 36524)") \
	O("bind", 'b', required_argument, "ADDR", \
		"listen address, IPv4 or IPv6 (default: all IPv4 addresses)") \
	O("allow", OPT_ALLOW, required_argument, "CIDR[,CIDR...]", \
		"accept copiers only from these networks, up to 32 (default: all)") \
	O("max-conns", OPT_MAX_CONNS, required_argument, "N", \
		"control connections at most, 1..4096 (default 256)") \
	O("conn-stall", OPT_CONN_STALL, required_argument, "S", \
		"close a copier connection that has not read its records for S s,\n" \
		"1..3600 (default 10)") \
	O("secret", OPT_SECRET, required_argument, "FILE", \
		"shared secret file (16..1024 bytes, mode 600): require protocol v2\n" \
		"with HMAC-SHA256 authentication; v1 and unauthenticated copiers are\n" \
		"refused (default: none, v1 and v2 accepted)") \
	O("batch", 'n', required_argument, "N", \
		"records per frame at most, 0..16 (default 16; 0 = 16)") \
	S("Routes") \
	O("route-timeout", 't', required_argument, "S", \
		"forget a route unused for S s, 0..86400 (default 120; 0 = never)") \
	O("routes", OPT_ROUTES, required_argument, "N", \
		"route table size, 1024..67108864 (default 1048576); when full the\n" \
		"least recently used route is evicted") \
	O("hold-size", 's', required_argument, "N", \
		"SYN-ACK/RST records held up to 3 s for a route not yet registered,\n" \
		"16..1048576 (default 16384)") \
	O("wait-routes", OPT_WAIT_ROUTES, required_argument, "N", \
		"do not read the port until N routes were registered (replay tests;\n" \
		"default 0)") \
	S("Process") \
	O("stats-interval", OPT_STATS_INTERVAL, required_argument, "S", \
		"log statistics every S s, 0..86400 (default 5; 0 = only at exit)") \
	O("idle-sleep", OPT_IDLE_SLEEP, required_argument, "US", \
		"back off up to US us when idle, 0..100000 (default 0 = busy polling)") \
	O("log", 'l', required_argument, "FILE", "log to FILE (default: stderr)") \
	O("pid-file", 'P', required_argument, "FILE", "write our pid to FILE (default: none)") \
	O("daemon", 'd', no_argument, NULL, "run in the background (default off)") \
	O("config", OPT_CONFIG, required_argument, "FILE", \
		"read options from FILE first, one per line (\"filter tcp and src port 80\")") \
	O("help", 'h', no_argument, NULL, "print this help and exit") \
	O("version", 'v', no_argument, NULL, "print the version and exit")

static const struct option long_opts[] = {
	ICPT_OPTIONS(DTC_OPT_NO_SECTION, DTC_OPT_LONG)
	{ NULL, 0, NULL, 0 }
};

static const struct dtc_optdesc descs[] = {
	ICPT_OPTIONS(DTC_OPT_DESC_SECTION, DTC_OPT_DESC)
};

/* intercept 1.x letters we do not have, and what to use instead. */
static const struct dtc_opt_gone unsupported[] = {
	{ 'i', "capture devices are DPDK ports: use EAL --vdev/-a and --rx-port" },
	{ 'D', "address rewriting (1.x docker helper) is not supported" },
	{ 'c', "the 1.x --single mode is not supported: every copier registers routes" },
	{ 'x', "the 1.x traditional (NFQUEUE) mode is not supported" },
	{ 'q', "the 1.x NFQUEUE mode is not supported" },
};

static const struct dtc_opts_table table = {
	.desc = descs,
	.n_desc = RTE_DIM(descs),
	.longopts = long_opts,
	.gone_from = "intercept 1.x",
	.gone = unsupported,
	.n_gone = RTE_DIM(unsupported),
};

struct args_ctx {
	struct dtc_opts_ctx p;       /* first: set_option() gets &p */
	struct icpt_opts *o;
};

static int
parse_ip(struct args_ctx *c, const char *v)
{
	union dtc_addr a;
	uint32_t h;

	if (dtc_addr_parse(v, &a) != 4)
		return dtc_opts_fail(&c->p, OPT_IP, v, "expected an IPv4 address");
	h = rte_be_to_cpu_32(a.a32[0]);
	if (h == 0 || h == UINT32_MAX || (h >> 28) == 0xe || (h >> 24) == 127)
		return dtc_opts_fail(&c->p, OPT_IP, v, "not a unicast host address");
	c->o->ip = a.a32[0];
	c->o->have_ip = true;
	return 0;
}

static int
parse_bind(struct args_ctx *c, const char *v)
{
	int fam = dtc_addr_parse(v, &c->o->bind_addr);

	if (fam != 4 && fam != 6)
		return dtc_opts_fail(&c->p, 'b', v, "expected an IPv4 or IPv6 address");
	c->o->bind_family = (uint8_t)fam;
	return 0;
}

/* "a.b.c.d[/n]" or "v6[/n]"; host bits are cleared. */
static int
parse_cidr(const char *s, struct icpt_cidr *out)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	uint64_t bits;
	unsigned int i, max;
	int fam;

	if (alen == 0 || alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	fam = dtc_addr_parse(buf, &out->addr);
	if (fam != 4 && fam != 6)
		return -EINVAL;
	max = fam == 4 ? 32 : 128;
	bits = max;
	if (slash != NULL && dtc_parse_u64(slash + 1, 0, max, &bits) != 0)
		return -EINVAL;
	out->family = (uint8_t)fam;
	out->prefix = (uint8_t)bits;
	for (i = 0; i < max / 8; i++) {
		unsigned int keep = bits >= (i + 1) * 8 ? 8 : bits > i * 8 ? bits - i * 8 : 0;

		out->addr.a8[i] &= (uint8_t)(0xff00u >> keep);
	}
	return 0;
}

static int
parse_allow(struct args_ctx *c, const char *v)
{
	const char *p = v;

	c->o->n_allow = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		char tok[64];

		if (n == 0 || n >= sizeof(tok))
			return dtc_opts_fail(&c->p, OPT_ALLOW, v,
				"an empty or overlong network in the list");
		if (c->o->n_allow >= ICPT_MAX_ALLOW)
			return dtc_opts_fail(&c->p, OPT_ALLOW, v, "more than %d networks",
				ICPT_MAX_ALLOW);
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (parse_cidr(tok, &c->o->allow[c->o->n_allow]) != 0)
			return dtc_opts_fail(&c->p, OPT_ALLOW, v, "'%s' is not ADDR or ADDR/BITS",
				tok);
		c->o->n_allow++;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

static int
parse_filter(struct args_ctx *c, const char *v)
{
	char err[512];

	if (dtc_filter_check(v, DTC_LINK_ETHER, err, sizeof(err)) != 0)
		return dtc_opts_fail(&c->p, 'F', v, "%s", err);
	c->o->filter = v;
	return 0;
}

static int
set_option(struct dtc_opts_ctx *p, int code, const char *v)
{
	struct args_ctx *c = container_of(p, struct args_ctx, p);
	struct icpt_opts *o = c->o;
	uint32_t x = 0;
	int rc;

	switch (code) {
	case 'F': return parse_filter(c, v);
	case OPT_IP: return parse_ip(c, v);
	case OPT_RX_PORT:
		rc = dtc_opts_u32(p, code, v, 0, RTE_MAX_ETHPORTS - 1, &x);
		o->rx_port = (uint16_t)x;
		o->rx_port_given = true;
		return rc;
	case OPT_IFACE:
		if (dtc_parse_iface_list(v, &o->iface, 1) != 1)
			return dtc_opts_fail(p, code, v, "expected an interface name, 1 to 15 "
				"characters");
		return 0;
	case 'p':
		rc = dtc_opts_u32(p, code, v, 1, 65535, &x);
		o->port = (uint16_t)x;
		return rc;
	case 'b': return parse_bind(c, v);
	case OPT_ALLOW: return parse_allow(c, v);
	case OPT_MAX_CONNS: return dtc_opts_u32(p, code, v, 1, 4096, &o->max_conns);
	case OPT_CONN_STALL: return dtc_opts_u32(p, code, v, 1, 3600, &o->conn_stall_s);
	case 'n':
		rc = dtc_opts_u32(p, code, v, 0, DTC_V1_BATCH_MAX, &o->batch_max);
		if (rc == 0 && o->batch_max == 0)
			o->batch_max = DTC_V1_BATCH_MAX;
		return rc;
	case 't': return dtc_opts_u32(p, code, v, 0, 86400, &o->route_timeout_s);
	case OPT_ROUTES: return dtc_opts_u32(p, code, v, 1024, 67108864, &o->routes);
	case 's': return dtc_opts_u32(p, code, v, 16, 1048576, &o->hold);
	case OPT_WAIT_ROUTES: return dtc_opts_u32(p, code, v, 0, 67108864, &o->wait_routes);
	case OPT_STATS_INTERVAL: return dtc_opts_u32(p, code, v, 0, 86400, &o->stats_interval_s);
	case OPT_IDLE_SLEEP: return dtc_opts_u32(p, code, v, 0, 100000, &o->idle_sleep_us);
	case 'l': return dtc_opts_file(p, code, v, &o->log_file);
	case 'P': return dtc_opts_file(p, code, v, &o->pid_file);
	case 'd':
		o->daemon = true;
		return 0;
	case OPT_SECRET: return dtc_opts_file(p, code, v, &o->secret_file);
	case OPT_CONFIG:
		return 0; /* already expanded into argv by dtc_config_expand() */
	}
	return dtc_opts_fail_free(p, "internal error: option %d has no handler", code);
}

static void
set_defaults(struct icpt_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port = DTC_CTL_PORT;
	o->max_conns = ICPT_DEF_MAX_CONNS;
	o->conn_stall_s = 10;
	o->batch_max = DTC_V1_BATCH_MAX;
	o->route_timeout_s = 120;
	o->routes = ICPT_DEF_ROUTES;
	o->hold = ICPT_DEF_HOLD;
	o->stats_interval_s = 5;
}

int
icpt_args_parse_r(int argc, char **argv, struct icpt_opts *o, struct dtc_opts_err *err)
{
	struct args_ctx c = { .p = { .table = &table, .err = err }, .o = o };
	int rc;

	set_defaults(o);
	rc = dtc_opts_getopt(&c.p, argc, argv, set_option);
	if (rc == DTC_OPTS_OK && o->filter == NULL)
		return dtc_opts_fail(&c.p, 'F', NULL,
			"is required (e.g. -F 'tcp and src port 80')");
	return rc;
}

void
icpt_usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- -F BPF [options]\n\n"
		"Captures the test server's responses on a DPDK port, never forwards them, and\n"
		"sends their headers to the dpdk-tcpcopy (or tcpcopy 1.x) that owns each session.\n",
		prog);
	dtc_opts_usage(&table);
	printf("\nExit status: 0 on a clean stop (SIGINT/SIGTERM), 2 on invalid options,\n"
		"1 on other errors.  SIGHUP reopens the log file.  See docs/intercept.md.\n");
}

static void
icpt_version(void)
{
	printf("dpdk-intercept %s (%s, control protocol v1 = intercept 1.x)\n", DTC_VERSION,
		rte_version());
}

void
icpt_args_parse(int argc, char **argv, struct icpt_opts *o)
{
	const char *prog = argc > 0 && argv[0] != NULL ? argv[0] : "dpdk-intercept";
	struct dtc_opts_err err;

	dtc_opts_exit_unless_ok(icpt_args_parse_r(argc, argv, o, &err), prog, &err, icpt_usage,
		icpt_version);
}

bool
icpt_allowed(const struct icpt_opts *o, uint8_t family, const union dtc_addr *addr)
{
	unsigned int i, b;

	if (o->n_allow == 0)
		return true;
	for (i = 0; i < o->n_allow; i++) {
		const struct icpt_cidr *c = &o->allow[i];
		bool ok = c->family == family;

		for (b = 0; ok && b < c->prefix; b += 8) {
			unsigned int keep = c->prefix - b >= 8 ? 8 : c->prefix - b;
			uint8_t mask = (uint8_t)(0xff00u >> keep);

			ok = (addr->a8[b / 8] & mask) == c->addr.a8[b / 8];
		}
		if (ok)
			return true;
	}
	return false;
}
