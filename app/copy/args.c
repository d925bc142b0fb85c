/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dpdk-tcpcopy options.  One table (COPY_OPTIONS) generates the getopt_long table, the short
 * option string and the help text, so they cannot drift apart; docs/copy.md is checked against
 * the same table by tests/copy/args.  The parser proper never prints or exits, so the unit
 * tests and the fuzz harness can run it many times; dtc_copy_args_parse() wraps it for main().
 * Rules that involve several options are checked after the whole command line is read, so
 * their order does not matter; a repeated option replaces its earlier value (a --config file
 * comes first, so the command line overrides it).
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_common.h>
#include <rte_config.h>
#include <rte_version.h>

#include "dtc_app.h"
#include "copy.h"
#include "compare.h"

/* Every replica index must fit struct dtc_seg.replica. */
_Static_assert(((DTC_COPY_MAX_MULTIPLY - 1) >> (8 * sizeof(((struct dtc_seg *)0)->replica))) == 0,
	"-n bound does not fit struct dtc_seg.replica");

enum {
	OPT_RX_PORT = 256,
	OPT_TX_PORT,
	OPT_TX_IP,
	OPT_RESPONSE_PORT,
	OPT_RX_LCORES,
	OPT_STATS_INTERVAL,
	OPT_IDLE_SLEEP,
	OPT_CONFIG,
	OPT_SECRET,
	OPT_RECORD_PREFIX,
	OPT_COMPARE,
	OPT_COMPARE_KEYS,
	OPT_COMPARE_REPORT,
	OPT_COMPARE_PROTO,
	OPT_MAX_LAG,
	OPT_IFACE,
	OPT_MAX
};

/*
 * S(title) starts a help section; O(long name, code, has_arg, metavar, help) is one option.
 * The help text states the default.
 */
#define COPY_OPTIONS(S, O) \
	S("What to copy") \
	O("transfer", 'x', required_argument, "MAP[,MAP...]", \
		"copy client->server traffic to [SRC_IP:]PORT to TARGET_IP:PORT;\n" \
		"MAP = [SRC_IP:]PORT-TARGET_IP:PORT[@MAC], IPv6 in brackets (required)") \
	O("client-ip", 'c', required_argument, "POOL", \
		"rewrite client addresses from this pool: addresses, a.b.c.x, CIDR,\n" \
		"comma separated, IPv4 and IPv6 (default: keep the client's address)") \
	O("filter", 'F', required_argument, "BPF", \
		"also require this capture filter, pcap syntax (default: none)") \
	O("multiply", 'n', required_argument, "N", \
		"send N copies of every session, 1..256 (default 1)") \
	O("port-offset", 'f', required_argument, "N", \
		"shift copied client ports by instance N, 0..255 (default 0)") \
	O("sample", 'r', required_argument, "PCT", \
		"copy only PCT percent of the sessions, 0..100 (default 0 = all)") \
	O("gradual", 'g', no_argument, NULL, \
		"ramp the copied share from 1 % to 100 % over 100 s (default off)") \
	O("full-sessions-only", 'O', no_argument, NULL, \
		"copy only sessions whose SYN was captured (default off)") \
	S("Intercepts (control channel)") \
	O("intercept", 's', required_argument, "IP[:PORT][,...]", \
		"dpdk-intercept or intercept 1.x servers, up to 32, IPv6 as [IP]:PORT") \
	O("intercept-port", 'p', required_argument, "PORT", \
		"port of an intercept given without one (default 36524)") \
	O("connections", 'C', required_argument, "N", \
		"control connections per intercept, 1..16 (default 2)") \
	O("secret", OPT_SECRET, required_argument, "FILE", \
		"shared secret file (16..1024 bytes, mode 600): speak only protocol v2\n" \
		"with HMAC-SHA256 authentication, never fall back to v1 (default: none)") \
	O("record-prefix", OPT_RECORD_PREFIX, required_argument, "N", \
		"ask v2 intercepts for the first N payload bytes of each response,\n" \
		"0..128 (default 0)") \
	O("lonely", 'L', no_argument, NULL, \
		"keep running and reconnecting when no intercept is up (default:\n" \
		"exit when none is reachable at start, or none is up for 10 s)") \
	S("TCP behaviour") \
	O("no-wait", 'W', no_argument, NULL, \
		"send a request without waiting for the previous response (default off)") \
	O("max-lag", OPT_MAX_LAG, required_argument, "MS", \
		"a session whose next request has waited MS ms since its capture sends it\n" \
		"ahead of the answer, in order (catch-up), 0..60000 (default 5, 0 = never)") \
	O("session-timeout", 't', required_argument, "S", \
		"end a session with data pending and no response for S s, 1..86400\n" \
		"(default 120)") \
	O("keepalive-timeout", 'k', required_argument, "S", \
		"end an idle session after S s without a response, 1..604800\n" \
		"(default: session timeout + 120)") \
	O("mtu", 'M', required_argument, "BYTES", \
		"MTU towards the test server, 576..9000 (default 1500)") \
	O("mss", 'D', required_argument, "BYTES", \
		"MSS option of synthesized SYNs, 88..MTU-40 (MTU-60 with IPv6 maps)\n" \
		"(default 1460, lowered to that bound)") \
	O("rtt", 'R', required_argument, "MS", \
		"use this RTT instead of the measured one, 0..60000 (default 0 = measure)") \
	O("max-memory", 'm', required_argument, "MB", \
		"memory for all pools and tables, 16..1048576\n" \
		"(default: what the EAL has, less a reserve for the EAL and the ports)") \
	S("Offline replay") \
	O("pcap-file", 'i', required_argument, "FILE", \
		"replay this pcap file instead of capturing on --rx-port") \
	O("speed", 'a', required_argument, "N", \
		"replay N times faster, 0.001..1000 (default 1)") \
	O("gap-ms", 'I', required_argument, "MS", \
		"shorten silences longer than MS ms to nothing (default 0 = off)") \
	O("loops", 'T', required_argument, "N", \
		"replay the file N times, 1..1000000 (default 1)") \
	S("DPDK ports") \
	O("iface", OPT_IFACE, required_argument, "NAME[,NAME]", \
		"capture the mirror on Linux interface NAME: an af_packet port with a\n" \
		"32 MiB ring, the --rx-port; a second NAME is the --tx-port (default:\n" \
		"only the EAL's own ports)") \
	O("rx-port", OPT_RX_PORT, required_argument, "N[,N...]", \
		"ports receiving the mirrored traffic, up to 8 (default 0)") \
	O("tx-port", OPT_TX_PORT, required_argument, "N", \
		"port towards the test server (default 1 with two ports or more, else 0)") \
	O("tx-ip", OPT_TX_IP, required_argument, "ADDR", \
		"our IPv4 address on the TX network, for ARP (required unless every\n" \
		"map has @MAC and --response-port is not used)") \
	O("response-port", OPT_RESPONSE_PORT, required_argument, "N", \
		"capture the test server's responses on this port (two-host mode,\n" \
		"replaces -s; default: none)") \
	O("rx-lcores", OPT_RX_LCORES, required_argument, "N", \
		"receive on N lcores, each its own RX queue (RSS) of every --rx-port,\n" \
		"1..16; needs N + 2 lcores or more (default 1)") \
	S("Online vs test comparison") \
	O("compare", OPT_COMPARE, required_argument, "on|off", \
		"pair every copied request with the online and the test answer and\n" \
		"compare them: outcome, length, latency (default off)") \
	O("compare-keys", OPT_COMPARE_KEYS, required_argument, "K", \
		"keep figures for the K most frequent request keys, 1..256, the rest\n" \
		"under \"other\" (default 32)") \
	O("compare-report", OPT_COMPARE_REPORT, required_argument, "FILE", \
		"write the comparison as JSON to FILE every stats interval and at exit\n" \
		"(default: none)") \
	O("compare-proto", OPT_COMPARE_PROTO, required_argument, "P[,P...]", \
		"protocol of each -x map: http, redis, pgsql, mysql, raw or auto\n" \
		"(default auto: from the port and the first bytes)") \
	S("Process") \
	O("stats-interval", OPT_STATS_INTERVAL, required_argument, "S", \
		"print statistics every S s, 0..86400 (default 5; 0 = only at exit)") \
	O("idle-sleep", OPT_IDLE_SLEEP, required_argument, "US", \
		"back off up to US us when idle, 0..100000 (default 0 = busy polling)") \
	O("log", 'l', required_argument, "FILE", "log to FILE (default: stderr)") \
	O("pid-file", 'P', required_argument, "FILE", "write our pid to FILE (default: none)") \
	O("daemon", 'd', no_argument, NULL, "run in the background (default off)") \
	O("config", OPT_CONFIG, required_argument, "FILE", \
		"read options from FILE first, one per line (\"transfer 80-...\")") \
	O("help", 'h', no_argument, NULL, "print this help and exit") \
	O("version", 'v', no_argument, NULL, "print the version and exit")

const struct option dtc_copy_long_opts[] = {
	COPY_OPTIONS(DTC_OPT_NO_SECTION, DTC_OPT_LONG)
	{ NULL, 0, NULL, 0 }
};

static const struct dtc_optdesc descs[] = {
	COPY_OPTIONS(DTC_OPT_DESC_SECTION, DTC_OPT_DESC)
};

static const struct dtc_opts_table table = {
	.desc = descs,
	.n_desc = RTE_DIM(descs),
	.longopts = dtc_copy_long_opts,
};

/* Parsing state of one call. */
struct args_ctx {
	struct dtc_opts_ctx p;      /* first: set_option() gets &p */
	struct dtc_copy_opts *o;
	const char *val[OPT_MAX];   /* last value of each option; "" for a flag; NULL = unseen */
};

/* -a: a plain decimal ("2", "0.5"): no sign, exponent, hex, inf or nan. */
static int
parse_speed(struct args_ctx *c, const char *v)
{
	const char *p = v;
	size_t digits = 0, frac = 0;
	double d;

	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			frac++;
		}
	}
	if (digits == 0 || *p != '\0' || (p[-1] == '.') || digits > 9 || frac > 9)
		return dtc_opts_fail(&c->p, 'a', v, "expected a decimal number from 0.001 to 1000");
	d = strtod(v, NULL);
	if (!(d >= 0.001 && d <= 1000))
		return dtc_opts_fail(&c->p, 'a', v, "expected a decimal number from 0.001 to 1000");
	c->o->speed = d;
	return 0;
}

static bool
unicast_v4(rte_be32_t a)
{
	uint32_t h = rte_be_to_cpu_32(a);

	return h != 0 && (h >> 28) != 0xe && h != UINT32_MAX && (h >> 24) != 0;
}

static bool
unicast_v6(const union dtc_addr *a)
{
	static const union dtc_addr zero;

	return a->a8[0] != 0xff && memcmp(a, &zero, sizeof(zero)) != 0;
}

/* One -s entry: "IP", "IP:PORT", "[IP6]", "[IP6]:PORT" or a bare IPv6 address. */
static int
parse_intercept(struct args_ctx *c, const char *all, char *tok, struct dtc_intercept_addr *ia)
{
	char *host = tok, *port = NULL;
	uint64_t p;
	int fam;

	if (*tok == '[') {
		char *close = strchr(tok, ']');

		if (close == NULL)
			return dtc_opts_fail(&c->p, 's', all, "'%s': missing ']'", tok);
		*close = '\0';
		host = tok + 1;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0')
			return dtc_opts_fail(&c->p, 's', all, "'%s]%s': expected ':PORT' after ']'",
				tok, close + 1);
	} else {
		char *colon = strchr(tok, ':');

		/* One colon separates a port; more make a bare IPv6 address. */
		if (colon != NULL && strchr(colon + 1, ':') == NULL) {
			*colon = '\0';
			port = colon + 1;
		}
	}
	fam = dtc_addr_parse(host, &ia->addr);
	if (fam < 0)
		return dtc_opts_fail(&c->p, 's', all, "'%s' is not an IPv4 or IPv6 address", host);
	ia->family = (uint8_t)fam;
	if ((fam == 4 && !unicast_v4(ia->addr.a32[0])) || (fam == 6 && !unicast_v6(&ia->addr)))
		return dtc_opts_fail(&c->p, 's', all, "'%s' is not a unicast address", host);
	ia->port = 0; /* -p, filled in at the end */
	if (port != NULL) {
		if (dtc_parse_u64(port, 1, 65535, &p) != 0)
			return dtc_opts_fail(&c->p, 's', all, "port '%s' is not from 1 to 65535",
				port);
		ia->port = (uint16_t)p;
	}
	return 0;
}

static int
parse_intercepts(struct args_ctx *c, const char *v)
{
	struct dtc_copy_opts *o = c->o;
	char buf[2048];
	char *tok, *next;
	unsigned int n = 0;
	int rc;

	if (strlen(v) >= sizeof(buf))
		return dtc_opts_fail(&c->p, 's', v, "longer than %zu bytes", sizeof(buf) - 1);
	strcpy(buf, v);
	for (tok = buf; tok != NULL; tok = next) {
		next = strchr(tok, ',');
		if (next != NULL)
			*next++ = '\0';
		if (*tok == '\0')
			return dtc_opts_fail(&c->p, 's', v, "empty entry");
		if (n == DTC_COPY_MAX_INTERCEPTS)
			return dtc_opts_fail(&c->p, 's', v, "more than %u intercepts",
				DTC_COPY_MAX_INTERCEPTS);
		rc = parse_intercept(c, v, tok, &o->intercept[n]);
		if (rc != 0)
			return rc;
		n++;
	}
	o->n_intercept = n; /* duplicates are found once -p is known */
	return 0;
}

static int
parse_rx_ports(struct args_ctx *c, const char *v)
{
	struct dtc_copy_opts *o = c->o;
	uint64_t ids[DTC_COPY_MAX_RX_PORTS];
	int n, i, j;

	n = dtc_parse_u64_list(v, 0, RTE_MAX_ETHPORTS - 1, ids, DTC_COPY_MAX_RX_PORTS);
	if (n < 0)
		return dtc_opts_fail(&c->p, OPT_RX_PORT, v,
			"expected up to %u port ids from 0 to %u, comma separated",
			DTC_COPY_MAX_RX_PORTS, RTE_MAX_ETHPORTS - 1);
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (ids[i] == ids[j])
				return dtc_opts_fail(&c->p, OPT_RX_PORT, v,
					"port %" PRIu64 " listed twice", ids[i]);
	for (i = 0; i < n; i++)
		o->rx_ports[i] = (uint16_t)ids[i];
	o->n_rx_ports = (unsigned int)n;
	return 0;
}

static int
parse_tx_ip(struct args_ctx *c, const char *v)
{
	union dtc_addr a;
	int fam = dtc_addr_parse(v, &a);

	if (fam < 0)
		return dtc_opts_fail(&c->p, OPT_TX_IP, v, "not an IPv4 address");
	if (fam == 6)
		return dtc_opts_fail(&c->p, OPT_TX_IP, v,
			"IPv6 is not supported here (no neighbour discovery)");
	if (!unicast_v4(a.a32[0]))
		return dtc_opts_fail(&c->p, OPT_TX_IP, v, "not a unicast address");
	c->o->tx_ip = a.a32[0];
	c->o->have_tx_ip = true;
	return 0;
}

static int
parse_transfer(struct args_ctx *c, const char *v)
{
	char why[256];
	int n;

	why[0] = '\0';
	n = dtc_xfer_parse(v, c->o->xfer, DTC_XFER_MAX, why, sizeof(why));
	if (n <= 0)
		return dtc_opts_fail(&c->p, 'x', v, "%s", why[0] != '\0' ? why : "no map");
	c->o->n_xfer = (unsigned int)n;
	return 0;
}

/* Syntax check only: the data path compiles it again for the real link type. */
static int
check_filter(struct args_ctx *c, const char *v)
{
	struct bpf_program prog;
	pcap_t *p;
	int rc = 0;

	if (*v == '\0')
		return dtc_opts_fail(&c->p, 'F', v, "empty filter");
	if (strlen(v) > 4096)
		return dtc_opts_fail(&c->p, 'F', v, "longer than 4096 bytes");
	p = pcap_open_dead(DLT_EN10MB, 65535);
	if (p == NULL)
		return dtc_opts_fail(&c->p, 'F', v, "libpcap unavailable");
	if (pcap_compile(p, &prog, v, 1, PCAP_NETMASK_UNKNOWN) != 0)
		rc = dtc_opts_fail(&c->p, 'F', v, "%s", pcap_geterr(p));
	else
		pcap_freecode(&prog);
	pcap_close(p);
	return rc;
}

/* --compare-proto http,redis,...: one per -x map, in their order. */
static int
parse_compare_proto(struct args_ctx *c, const char *v)
{
	struct dtc_copy_opts *o = c->o;
	const char *t = v;
	char word[16];

	o->n_compare_proto = 0;
	for (;;) {
		size_t n = strcspn(t, ",");
		int pr;

		if (n == 0 || n >= sizeof(word))
			return dtc_opts_fail(&c->p, OPT_COMPARE_PROTO, v,
				"a list of http, redis, pgsql, mysql, raw, auto");
		memcpy(word, t, n);
		word[n] = '\0';
		pr = dtc_cls_proto_parse(word);
		if (pr < 0)
			return dtc_opts_fail(&c->p, OPT_COMPARE_PROTO, v,
				"'%s' is not http, redis, pgsql, mysql, raw or auto", word);
		if (o->n_compare_proto == DTC_XFER_MAX)
			return dtc_opts_fail(&c->p, OPT_COMPARE_PROTO, v, "more than %u entries",
				DTC_XFER_MAX);
		o->compare_proto[o->n_compare_proto++] = (uint8_t)pr;
		if (t[n] == '\0')
			return 0;
		t += n + 1;
	}
}

static int
set_option(struct dtc_opts_ctx *p, int code, const char *v)
{
	struct args_ctx *c = container_of(p, struct args_ctx, p);
	struct dtc_copy_opts *o = c->o;
	uint64_t x = 0;
	int rc;

	if (code <= 0 || code >= OPT_MAX)
		return dtc_opts_fail_free(p, "internal error: getopt returned %d", code);
	c->val[code] = v; /* for the rules of finish() */
	switch (code) {
	case 'x': return parse_transfer(c, v);
	case 'c': /* parsed at the end */
		return *v == '\0' ? dtc_opts_fail(p, 'c', v, "empty pool") : 0;
	case 'F':
		o->filter = v;
		return check_filter(c, v);
	case 'n': return dtc_opts_u32(p, code, v, 1, DTC_COPY_MAX_MULTIPLY, &o->multiply);
	case 'f': return dtc_opts_u32(p, code, v, 0, DTC_COPY_MAX_PORT_OFFSET, &o->port_offset);
	case 'r': return dtc_opts_u32(p, code, v, 0, 100, &o->sample_pct);
	case 'g': o->gradual = true; return 0;
	case 'O': o->full_sessions_only = true; return 0;
	case 's': return parse_intercepts(c, v);
	case 'p':
		rc = dtc_opts_u64(p, code, v, 1, 65535, &x);
		o->intercept_port = (uint16_t)x;
		return rc;
	case 'C': return dtc_opts_u32(p, code, v, 1, DTC_COPY_MAX_CONNS, &o->conns_per_intercept);
	case OPT_SECRET: return dtc_opts_file(p, code, v, &o->secret_file);
	case OPT_RECORD_PREFIX:
		rc = dtc_opts_u64(p, code, v, 0, DTC_V2_PREFIX_MAX, &x);
		o->record_prefix = (uint16_t)x;
		return rc;
	case 'L': o->lonely = true; return 0;
	case 'W': o->no_wait = true; return 0;
	case OPT_MAX_LAG: return dtc_opts_u32(p, code, v, 0, 60000, &o->max_lag_ms);
	case 't': return dtc_opts_u32(p, code, v, 1, 86400, &o->session_timeout_s);
	case 'k': return dtc_opts_u32(p, code, v, 1, 604800, &o->keepalive_timeout_s);
	case 'M':
		rc = dtc_opts_u64(p, code, v, 576, 9000, &x);
		o->mtu = (uint16_t)x;
		return rc;
	case 'D':
		rc = dtc_opts_u64(p, code, v, 88, 8960, &x);
		o->mss = (uint16_t)x;
		return rc;
	case 'R': return dtc_opts_u32(p, code, v, 0, 60000, &o->rtt_ms);
	case 'm': return dtc_opts_u64(p, code, v, 16, 1048576, &o->max_memory_mb);
	case 'i':
		rc = dtc_opts_file(p, code, v, &o->pcap_file);
		if (rc == 0 && access(v, R_OK) != 0)
			return dtc_opts_fail(p, code, v, "cannot read it: %s", strerror(errno));
		return rc;
	case 'a': return parse_speed(c, v);
	case 'I': return dtc_opts_u32(p, code, v, 0, 86400000, &o->gap_ms);
	case 'T': return dtc_opts_u32(p, code, v, 1, 1000000, &o->loops);
	case OPT_RX_PORT: return parse_rx_ports(c, v);
	case OPT_IFACE: {
		int n = dtc_parse_iface_list(v, o->ifaces, RTE_DIM(o->ifaces));

		if (n < 0)
			return dtc_opts_fail(p, code, v, "expected one or two distinct interface "
				"names (mirror[,TX]), 1 to 15 characters each");
		o->n_ifaces = (unsigned int)n;
		return 0;
	}
	case OPT_TX_PORT:
		rc = dtc_opts_u64(p, code, v, 0, RTE_MAX_ETHPORTS - 1, &x);
		o->tx_port = (int)x;
		return rc;
	case OPT_TX_IP: return parse_tx_ip(c, v);
	case OPT_RESPONSE_PORT:
		rc = dtc_opts_u64(p, code, v, 0, RTE_MAX_ETHPORTS - 1, &x);
		o->response_port = (int)x;
		return rc;
	case OPT_RX_LCORES:
		return dtc_opts_u32(p, code, v, 1, DTC_COPY_MAX_RX_LCORES, &o->rx_lcores);
	case OPT_STATS_INTERVAL: return dtc_opts_u32(p, code, v, 0, 86400, &o->stats_interval_s);
	case OPT_IDLE_SLEEP: return dtc_opts_u32(p, code, v, 0, 100000, &o->idle_sleep_us);
	case 'l': return dtc_opts_file(p, code, v, &o->log_file);
	case 'P': return dtc_opts_file(p, code, v, &o->pid_file);
	case 'd': o->daemon = true; return 0;
	case OPT_CONFIG: return dtc_opts_file(p, code, v, &o->config_file);
	case OPT_COMPARE:
		if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
			return dtc_opts_fail(p, code, v, "on or off");
		o->compare = strcmp(v, "on") == 0;
		return 0;
	case OPT_COMPARE_KEYS:
		return dtc_opts_u32(p, code, v, 1, DTC_CMP_KEYS_MAX, &o->compare_keys);
	case OPT_COMPARE_REPORT: return dtc_opts_file(p, code, v, &o->compare_report);
	case OPT_COMPARE_PROTO: return parse_compare_proto(c, v);
	}
	return dtc_opts_fail_free(p, "internal error: option code %d has no handler", code);
}

static void
set_defaults(struct dtc_copy_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->intercept_port = DTC_CTL_PORT;
	o->conns_per_intercept = 2;
	o->multiply = 1;
	o->session_timeout_s = 120;
	o->max_lag_ms = 5;
	o->mtu = 1500;
	o->mss = 1460;
	o->speed = 1.0;
	o->loops = 1;
	o->tx_port = -1;
	o->response_port = -1;
	o->rx_lcores = 1;
	o->stats_interval_s = DTC_COPY_DEF_STATS_INTERVAL_S;
	o->compare_keys = DTC_COPY_CMP_DEF_KEYS;
}

/* Options that only mean something together with another one. */
static int
check_dependencies(struct args_ctx *c)
{
	static const int need_s[] = { 'p', 'C', 'L', OPT_SECRET, OPT_RECORD_PREFIX };
	static const int need_i[] = { 'a', 'I', 'T' };
	static const int need_cmp[] = { OPT_COMPARE_KEYS, OPT_COMPARE_REPORT, OPT_COMPARE_PROTO };
	unsigned int i;

	for (i = 0; i < RTE_DIM(need_s); i++)
		if (c->val[need_s[i]] != NULL && c->val['s'] == NULL)
			return dtc_opts_fail(&c->p, need_s[i], c->val[need_s[i]][0] != '\0' ?
				c->val[need_s[i]] : NULL, "only applies with -s/--intercept");
	for (i = 0; i < RTE_DIM(need_i); i++)
		if (c->val[need_i[i]] != NULL && c->val['i'] == NULL)
			return dtc_opts_fail(&c->p, need_i[i], c->val[need_i[i]],
				"only applies with -i/--pcap-file");
	for (i = 0; i < RTE_DIM(need_cmp); i++)
		if (c->val[need_cmp[i]] != NULL && !c->o->compare)
			return dtc_opts_fail(&c->p, need_cmp[i], c->val[need_cmp[i]],
				"only applies with --compare on");
	if (c->o->n_compare_proto > c->o->n_xfer)
		return dtc_opts_fail(&c->p, OPT_COMPARE_PROTO, c->val[OPT_COMPARE_PROTO],
			"%u protocols for %u -x/--transfer maps", c->o->n_compare_proto,
			c->o->n_xfer);
	return 0;
}

/* Where responses come from, and where packets come from. */
static int
check_modes(struct args_ctx *c)
{
	const char *s = c->val['s'], *rp = c->val[OPT_RESPONSE_PORT];

	if (s != NULL && rp != NULL)
		return dtc_opts_fail(&c->p, OPT_RESPONSE_PORT, rp, "cannot be combined with "
			"-s/--intercept (responses come from one or the other)");
	if (s == NULL && rp == NULL)
		return dtc_opts_fail(&c->p, 's', NULL, "is required: responses come from "
			"intercepts (-s) or, in the two-host mode, from --response-port");
	if (c->val['i'] != NULL && c->val[OPT_RX_PORT] != NULL)
		return dtc_opts_fail(&c->p, OPT_RX_PORT, c->val[OPT_RX_PORT],
			"cannot be combined with -i/--pcap-file (packets come from the file)");
	if (c->val['i'] != NULL && c->o->rx_lcores > 1)
		return dtc_opts_fail(&c->p, OPT_RX_LCORES, c->val[OPT_RX_LCORES],
			"cannot be combined with -i/--pcap-file (one lcore reads the file)");
	if (c->val['g'] != NULL && c->val['r'] != NULL)
		return dtc_opts_fail(&c->p, 'r', c->val['r'], "cannot be combined with "
			"-g/--gradual (two different sampling rules)");
	return 0;
}

/* What the maps need: a v1-capable family, a way to find the next hop, a big enough MTU. */
static int
check_maps(struct args_ctx *c)
{
	struct dtc_copy_opts *o = c->o;
	bool v6 = false, need_arp = false;
	unsigned int i, hdr;

	for (i = 0; i < o->n_xfer; i++) {
		if (o->xfer[i].family == 6) {
			v6 = true;
			if (!o->xfer[i].has_static_mac)
				return dtc_opts_fail(&c->p, 'x', c->val['x'], "an IPv6 target "
					"needs @MAC (there is no neighbour discovery)");
		} else {
			need_arp |= !o->xfer[i].has_static_mac;
		}
	}
	if (v6 && c->val['s'] != NULL)
		return dtc_opts_fail(&c->p, 'x', c->val['x'], "IPv6 maps need --response-port: "
			"the intercept control protocol v1 carries IPv4 only");
	if (!o->have_tx_ip && need_arp)
		return dtc_opts_fail(&c->p, OPT_TX_IP, NULL, "is required: a -x/--transfer map "
			"has no @MAC, and ARP needs our address");
	if (!o->have_tx_ip && c->val[OPT_RESPONSE_PORT] != NULL)
		return dtc_opts_fail(&c->p, OPT_TX_IP, NULL, "is required with --response-port: "
			"the test server sends the responses to this address");
	if (v6 && o->mtu < 1280)
		return dtc_opts_fail(&c->p, 'M', c->val['M'], "IPv6 needs an MTU of at least 1280");
	/* The MSS we announce must let the test server's segments fit the MTU. */
	hdr = v6 ? 60 : 40;
	if (c->val['D'] == NULL)
		o->mss = (uint16_t)RTE_MIN(o->mss, o->mtu - hdr);
	else if (o->mss + hdr > o->mtu)
		return dtc_opts_fail(&c->p, 'D', c->val['D'],
			"larger than the MTU (%u) minus %u header bytes%s",
			o->mtu, hdr, v6 ? " of IPv6" : "");
	return 0;
}

static int
check_pool(struct args_ctx *c)
{
	struct dtc_copy_opts *o = c->o;
	const char *v = c->val['c'];
	char why[256];
	unsigned int i;

	if (v == NULL)
		return 0;
	why[0] = '\0';
	if (dtc_pool_parse(v, o->xfer, o->n_xfer, &o->pool, why, sizeof(why)) != 0)
		return dtc_opts_fail(&c->p, 'c', v, "%s", why[0] != '\0' ? why : "malformed pool");
	o->have_pool = true;
	for (i = 0; i < o->n_xfer; i++) {
		if (o->xfer[i].family == 4 && o->pool.total4 == 0)
			return dtc_opts_fail(&c->p, 'c', v,
				"no IPv4 address for the IPv4 -x/--transfer maps");
		if (o->xfer[i].family == 6 && o->pool.total6 == 0)
			return dtc_opts_fail(&c->p, 'c', v,
				"no IPv6 address for the IPv6 -x/--transfer maps");
	}
	return 0;
}

static int
finish_intercepts(struct args_ctx *c)
{
	struct dtc_copy_opts *o = c->o;
	unsigned int i, j;

	for (i = 0; i < o->n_intercept; i++)
		if (o->intercept[i].port == 0)
			o->intercept[i].port = o->intercept_port;
	for (i = 0; i < o->n_intercept; i++)
		for (j = 0; j < i; j++)
			if (o->intercept[i].family == o->intercept[j].family &&
					o->intercept[i].port == o->intercept[j].port &&
					memcmp(&o->intercept[i].addr, &o->intercept[j].addr,
						sizeof(o->intercept[i].addr)) == 0)
				return dtc_opts_fail(&c->p, 's', c->val['s'],
					"intercept %u repeats intercept %u", i + 1, j + 1);
	return 0;
}

static int
finish(struct args_ctx *c)
{
	struct dtc_copy_opts *o = c->o;
	int rc;

	if (c->val['x'] == NULL)
		return dtc_opts_fail(&c->p, 'x', NULL,
			"is required (application options go after '--')");
	rc = check_dependencies(c);
	if (rc == 0)
		rc = check_modes(c);
	if (rc == 0)
		rc = check_maps(c);
	if (rc == 0)
		rc = check_pool(c);
	if (rc == 0)
		rc = finish_intercepts(c);
	if (rc != 0)
		return rc;
	if (c->val['k'] == NULL)
		o->keepalive_timeout_s = o->session_timeout_s + 120;
	o->rx_port_given = c->val[OPT_RX_PORT] != NULL;
	if (c->val['i'] == NULL && c->val[OPT_RX_PORT] == NULL) {
		o->rx_ports[0] = 0;   /* main() takes the --iface port instead */
		o->n_rx_ports = 1;
	}
	return 0;
}

int
dtc_copy_args_parse_r(int argc, char **argv, struct dtc_copy_opts *o,
	struct dtc_opts_err *err)
{
	struct args_ctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.p.table = &table;
	c.p.err = err;
	c.o = o;
	set_defaults(o);
	rc = dtc_opts_getopt(&c.p, argc, argv, set_option);
	return rc == DTC_OPTS_OK ? finish(&c) : rc;
}

void
dtc_copy_usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- -x MAP (-s INTERCEPT | --response-port N) "
		"[options]\n\n"
		"Copies live TCP sessions to a test server (tcpcopy 1.x options, plus long forms).\n",
		prog);
	dtc_opts_usage(&table);
	printf("\nExit status: 0 on a clean stop, 2 on invalid options, 1 on other errors.\n"
		"See docs/copy.md for the details and examples.\n");
}

void
dtc_copy_version(void)
{
	printf("dpdk-tcpcopy %s (%s), control protocol v1 (version %u)\n", DTC_VERSION,
		rte_version(), DTC_V1_VERSION);
}

void
dtc_copy_args_parse(int argc, char **argv, struct dtc_copy_opts *o)
{
	const char *prog = argc > 0 && argv[0] != NULL ? argv[0] : "dpdk-tcpcopy";
	struct dtc_opts_err err;

	dtc_opts_exit_unless_ok(dtc_copy_args_parse_r(argc, argv, o, &err), prog, &err,
		dtc_copy_usage, dtc_copy_version);
}

/* Without "--" everything is an EAL argument; still answer a plain "-h" or "-v". */
static void
help_without_separator(int argc, char **argv, const char *prog)
{
	int i;

	if (dtc_argv_split(argc, argv) < argc)
		return;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			dtc_copy_usage(prog);
			exit(0);
		}
		if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--version") == 0) {
			dtc_copy_version();
			exit(0);
		}
	}
}

int
dtc_copy_cmdline(int argc, char **argv, struct dtc_copy_opts *o, struct dtc_argv *all)
{
	const char *prog = argc > 0 && argv[0] != NULL ? argv[0] : "dpdk-tcpcopy";
	const char *config = NULL;
	char **app;
	char err[512];
	int split, n, i;

	help_without_separator(argc, argv, prog);
	/* Remember the file name before the expansion drops it (for logs and the summary). */
	for (i = dtc_argv_split(argc, argv) + 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config = argv[i + 1];
			break;
		}
		if (strncmp(argv[i], "--config=", 9) == 0) {
			config = argv[i] + 9;
			break;
		}
	}
	if (dtc_config_expand(argc, argv, all, err, sizeof(err)) != 0)
		dtc_opt_fail(prog, "--config", config, err);
	split = dtc_argv_split(all->argc, all->argv);
	/* The application's vector: the program name, then everything after "--". */
	n = split < all->argc ? all->argc - split : 1;
	app = calloc((size_t)n + 1, sizeof(*app));
	if (app == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	app[0] = all->argv[0];
	for (i = 1; i < n; i++)
		app[i] = all->argv[split + i];
	dtc_copy_args_parse(n, app, o);
	free(app);
	o->config_file = config;
	return split;
}
