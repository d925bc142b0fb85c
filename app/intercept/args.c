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

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
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

#define NO_SECTION(title)
#define LONG_OPT(name, code, has, meta, help) { name, has, NULL, code },

static const struct option long_opts[] = {
	ICPT_OPTIONS(NO_SECTION, LONG_OPT)
	{ NULL, 0, NULL, 0 }
};

struct opt_desc {
	const char *name;            /* NULL: a help section title */
	int code;
	int has_arg;
	const char *meta;
	const char *help;
};

#define DESC_SECTION(title) { NULL, 0, 0, NULL, title },
#define DESC_OPT(name, code, has, meta, help) { name, code, has, meta, help },

static const struct opt_desc descs[] = {
	ICPT_OPTIONS(DESC_SECTION, DESC_OPT)
};

#define N_DESCS RTE_DIM(descs)

/* intercept 1.x letters we do not have, and what to use instead. */
static const struct {
	char letter;
	const char *why;
} unsupported[] = {
	{ 'i', "capture devices are DPDK ports: use EAL --vdev/-a and --rx-port" },
	{ 'D', "address rewriting (1.x docker helper) is not supported" },
	{ 'c', "the 1.x --single mode is not supported: every copier registers routes" },
	{ 'x', "the 1.x traditional (NFQUEUE) mode is not supported" },
	{ 'q', "the 1.x NFQUEUE mode is not supported" },
};

struct args_ctx {
	struct icpt_opts *o;
	struct icpt_args_err *err;
};

static const struct opt_desc *
desc_of(int code)
{
	unsigned int i;

	for (i = 0; i < N_DESCS; i++)
		if (descs[i].name != NULL && descs[i].code == code)
			return &descs[i];
	return NULL;
}

static const char *
short_opts(void)
{
	static char s[2 * N_DESCS + 2];
	unsigned int i;
	size_t n = 0;

	if (s[0] != '\0')
		return s;
	s[n++] = ':'; /* a missing value is reported as ':' */
	for (i = 0; i < N_DESCS; i++) {
		if (descs[i].name == NULL || descs[i].code >= 256)
			continue;
		s[n++] = (char)descs[i].code;
		if (descs[i].has_arg == required_argument)
			s[n++] = ':';
	}
	s[n] = '\0';
	return s;
}

static int __attribute__((format(printf, 4, 0)))
fail_v(struct args_ctx *c, const char *opt, const char *value, const char *fmt, va_list ap)
{
	struct icpt_args_err *e = c->err;

	snprintf(e->opt, sizeof(e->opt), "%s", opt);
	e->src = value;
	e->has_value = value != NULL;
	snprintf(e->value, sizeof(e->value), "%s", value != NULL ? value : "");
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	return ICPT_ARGS_ERROR;
}

/* The value of option code is wrong (value NULL: the option itself is). */
static int __attribute__((format(printf, 4, 5)))
fail(struct args_ctx *c, int code, const char *value, const char *fmt, ...)
{
	const struct opt_desc *d = desc_of(code);
	char label[48];
	va_list ap;
	int rc;

	if (d == NULL)
		snprintf(label, sizeof(label), "?");
	else if (d->code < 256)
		snprintf(label, sizeof(label), "-%c/--%s", d->code, d->name);
	else
		snprintf(label, sizeof(label), "--%s", d->name);
	va_start(ap, fmt);
	rc = fail_v(c, label, value, fmt, ap);
	va_end(ap);
	return rc;
}

static int __attribute__((format(printf, 2, 3)))
fail_free(struct args_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = fail_v(c, "", NULL, fmt, ap);
	va_end(ap);
	return rc;
}

static int
num32(struct args_ctx *c, int code, const char *v, uint64_t min, uint64_t max, uint32_t *out)
{
	uint64_t x;

	if (dtc_parse_u64(v, min, max, &x) != 0)
		return fail(c, code, v, "expected an integer from %" PRIu64 " to %" PRIu64, min,
			max);
	*out = (uint32_t)x;
	return 0;
}

static int
parse_ip(struct args_ctx *c, const char *v)
{
	union dtc_addr a;
	uint32_t h;

	if (dtc_addr_parse(v, &a) != 4)
		return fail(c, OPT_IP, v, "expected an IPv4 address");
	h = rte_be_to_cpu_32(a.a32[0]);
	if (h == 0 || h == UINT32_MAX || (h >> 28) == 0xe || (h >> 24) == 127)
		return fail(c, OPT_IP, v, "not a unicast host address");
	c->o->ip = a.a32[0];
	c->o->have_ip = true;
	return 0;
}

static int
parse_bind(struct args_ctx *c, const char *v)
{
	int fam = dtc_addr_parse(v, &c->o->bind_addr);

	if (fam != 4 && fam != 6)
		return fail(c, 'b', v, "expected an IPv4 or IPv6 address");
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
			return fail(c, OPT_ALLOW, v, "an empty or overlong network in the list");
		if (c->o->n_allow >= ICPT_MAX_ALLOW)
			return fail(c, OPT_ALLOW, v, "more than %d networks", ICPT_MAX_ALLOW);
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (parse_cidr(tok, &c->o->allow[c->o->n_allow]) != 0)
			return fail(c, OPT_ALLOW, v, "'%s' is not ADDR or ADDR/BITS", tok);
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
		return fail(c, 'F', v, "%s", err);
	c->o->filter = v;
	return 0;
}

static int
file_arg(struct args_ctx *c, int code, const char *v, const char **out)
{
	if (*v == '\0')
		return fail(c, code, v, "empty file name");
	*out = v;
	return 0;
}

static int
set_option(struct args_ctx *c, int code, const char *v)
{
	struct icpt_opts *o = c->o;
	uint32_t x = 0;
	int rc;

	switch (code) {
	case 'F': return parse_filter(c, v);
	case OPT_IP: return parse_ip(c, v);
	case OPT_RX_PORT:
		rc = num32(c, code, v, 0, RTE_MAX_ETHPORTS - 1, &x);
		o->rx_port = (uint16_t)x;
		return rc;
	case 'p':
		rc = num32(c, code, v, 1, 65535, &x);
		o->port = (uint16_t)x;
		return rc;
	case 'b': return parse_bind(c, v);
	case OPT_ALLOW: return parse_allow(c, v);
	case OPT_MAX_CONNS: return num32(c, code, v, 1, 4096, &o->max_conns);
	case OPT_CONN_STALL: return num32(c, code, v, 1, 3600, &o->conn_stall_s);
	case 'n':
		rc = num32(c, code, v, 0, DTC_V1_BATCH_MAX, &o->batch_max);
		if (rc == 0 && o->batch_max == 0)
			o->batch_max = DTC_V1_BATCH_MAX;
		return rc;
	case 't': return num32(c, code, v, 0, 86400, &o->route_timeout_s);
	case OPT_ROUTES: return num32(c, code, v, 1024, 67108864, &o->routes);
	case 's': return num32(c, code, v, 16, 1048576, &o->hold);
	case OPT_WAIT_ROUTES: return num32(c, code, v, 0, 67108864, &o->wait_routes);
	case OPT_STATS_INTERVAL: return num32(c, code, v, 0, 86400, &o->stats_interval_s);
	case OPT_IDLE_SLEEP: return num32(c, code, v, 0, 100000, &o->idle_sleep_us);
	case 'l': return file_arg(c, code, v, &o->log_file);
	case 'P': return file_arg(c, code, v, &o->pid_file);
	case 'd':
		o->daemon = true;
		return 0;
	case OPT_CONFIG:
		return 0; /* already expanded into argv by dtc_config_expand() */
	}
	return fail_free(c, "internal error: option %d has no handler", code);
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

/* getopt said '?': an unknown option, or a value given to a flag ("--daemon=1"). */
static int
bad_option(struct args_ctx *c, int argc, char **argv)
{
	const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	unsigned int i;
	size_t n;

	if (optopt != 0 && desc_of(optopt) != NULL)
		return fail(c, optopt, NULL, "does not take a value");
	for (i = 0; i < RTE_DIM(unsupported); i++)
		if (optopt == unsupported[i].letter)
			return fail_free(c, "option -%c of intercept 1.x: %s", optopt,
				unsupported[i].why);
	if (optopt != 0)
		return fail_free(c, "unknown option '-%c'", isprint(optopt) ? optopt : '?');
	n = strcspn(word, "=");
	fail_free(c, "unknown or ambiguous option '%.*s'", (int)RTE_MIN(n, (size_t)40), word);
	c->err->src = word;
	return ICPT_ARGS_ERROR;
}

int
icpt_args_parse_r(int argc, char **argv, struct icpt_opts *o, struct icpt_args_err *err)
{
	struct args_ctx c = { .o = o, .err = err };
	int code, rc;

	memset(err, 0, sizeof(*err));
	set_defaults(o);
	if (argc < 1 || argv == NULL || argv[0] == NULL)
		return fail_free(&c, "no program name");
	/* glibc: optind = 0 re-initializes getopt completely (its hidden scan state too). */
	optind = 0;
	opterr = 0;
	while ((code = getopt_long(argc, argv, short_opts(), long_opts, NULL)) != -1) {
		if (code == '?')
			return bad_option(&c, argc, argv);
		if (code == ':')
			return desc_of(optopt) != NULL ? fail(&c, optopt, NULL, "needs a value") :
				fail_free(&c, "an option needs a value");
		if (code == 'h')
			return ICPT_ARGS_HELP;
		if (code == 'v')
			return ICPT_ARGS_VERSION;
		rc = set_option(&c, code, optarg != NULL ? optarg : "");
		if (rc != 0)
			return rc;
	}
	if (optind < argc) {
		fail_free(&c, "unexpected argument '%.200s' (every value follows its option)",
			argv[optind]);
		err->src = argv[optind];
		return ICPT_ARGS_ERROR;
	}
	if (o->filter == NULL)
		return fail(&c, 'F', NULL, "is required (e.g. -F 'tcp and src port 80')");
	return ICPT_ARGS_OK;
}

void
icpt_usage(const char *prog)
{
	unsigned int i;

	printf("Usage: %s [EAL options] -- -F BPF [options]\n\n"
		"Captures the test server's responses on a DPDK port, never forwards them, and\n"
		"sends their headers to the dpdk-tcpcopy (or tcpcopy 1.x) that owns each session.\n",
		prog);
	for (i = 0; i < N_DESCS; i++) {
		const struct opt_desc *d = &descs[i];
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
		for (h = d->help; *h != '\0';) {
			size_t n = strcspn(h, "\n");

			printf("        %.*s\n", (int)n, h);
			h += n;
			if (*h == '\n')
				h++;
		}
	}
	printf("\nExit status: 0 on a clean stop (SIGINT/SIGTERM), 2 on invalid options,\n"
		"1 on other errors.  SIGHUP reopens the log file.  See docs/intercept.md.\n");
}

void
icpt_args_parse(int argc, char **argv, struct icpt_opts *o)
{
	struct icpt_args_err err;
	const char *prog = argc > 0 && argv[0] != NULL ? argv[0] : "dpdk-intercept";
	const char *where;
	char wbuf[300];

	switch (icpt_args_parse_r(argc, argv, o, &err)) {
	case ICPT_ARGS_OK:
		return;
	case ICPT_ARGS_HELP:
		icpt_usage(prog);
		exit(0);
	case ICPT_ARGS_VERSION:
		printf("dpdk-intercept %s (%s, control protocol v1 = intercept 1.x)\n", DTC_VERSION,
			rte_version());
		exit(0);
	}
	where = dtc_config_where(err.src, wbuf, sizeof(wbuf));
	if (err.opt[0] != '\0')
		dtc_opt_fail_at(prog, where, err.opt, err.has_value ? err.value : NULL, err.reason);
	fprintf(stderr, "%s: %s%s%s\nTry '%s -- --help' for more information.\n", prog,
		where != NULL ? where : "", where != NULL ? ": " : "", err.reason, prog);
	exit(DTC_EXIT_USAGE);
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
