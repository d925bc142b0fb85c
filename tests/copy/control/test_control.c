/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The control channel client (app/copy/control.c) against scripted intercepts
 * (intercept_peer.py) that behave like intercept 1.x on the wire and report what they read.
 * One scenario per run: test_control <scenario>.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <rte_eal.h>

#include "dtc_app.h"
#include "../../common/dtc_check.h"
#include "../../common/dtc_test_eal.h"
#include "copy.h"

/* ---------------------------------------------------------------- */
/* Scripted peers. */

#define MAX_LINES 8192

struct peer {
	pid_t pid;
	int cmd_fd;               /* its stdin */
	int ev_fd;                /* its stdout */
	uint16_t port;
	char rbuf[1 << 16];
	size_t rlen;
	char *lines[MAX_LINES];   /* reported lines not consumed yet */
	unsigned int n_lines;
};

static struct dtc_ctl_client *client;

/* Responses the client decoded. */
#define MAX_RESP 4096
static struct dtc_resp resp[MAX_RESP];
static unsigned int n_resp;

static void
on_resp(void *arg, const struct dtc_resp *r)
{
	(void)arg;
	if (n_resp < MAX_RESP)
		resp[n_resp] = *r;
	n_resp++;
}

static struct peer *
peer_start(uint16_t port)
{
	struct peer *p = calloc(1, sizeof(*p));
	int in[2], out[2];
	char script[512], portarg[16];
	const char *src = getenv("DTC_SRC");

	snprintf(script, sizeof(script), "%s/tests/copy/control/intercept_peer.py",
		src != NULL ? src : ".");
	snprintf(portarg, sizeof(portarg), "%u", port);
	if (p == NULL || pipe(in) != 0 || pipe(out) != 0) {
		perror("pipe");
		exit(1);
	}
	p->pid = fork();
	if (p->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl("/usr/bin/python3", "python3", script, "--port", portarg, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	p->cmd_fd = in[1];
	p->ev_fd = out[0];
	return p;
}

static void
peer_read(struct peer *p)
{
	ssize_t n;
	char *nl;

	n = read(p->ev_fd, p->rbuf + p->rlen, sizeof(p->rbuf) - 1 - p->rlen);
	if (n <= 0)
		return;
	p->rlen += (size_t)n;
	p->rbuf[p->rlen] = '\0';
	while ((nl = strchr(p->rbuf, '\n')) != NULL) {
		*nl = '\0';
		if (p->n_lines < MAX_LINES)
			p->lines[p->n_lines++] = strdup(p->rbuf);
		memmove(p->rbuf, nl + 1, p->rlen - (size_t)(nl + 1 - p->rbuf) + 1);
		p->rlen -= (size_t)(nl + 1 - p->rbuf);
	}
}

/* Serve the client and collect peer lines for about ms milliseconds. */
static void
pump(struct peer **peers, unsigned int n, int ms)
{
	uint64_t end = dtc_now_us() + (uint64_t)ms * 1000;

	do {
		struct pollfd pf[8];
		unsigned int i;

		for (i = 0; i < n; i++) {
			pf[i].fd = peers[i] != NULL ? peers[i]->ev_fd : -1;
			pf[i].events = POLLIN;
		}
		if (client != NULL)
			dtc_ctl_client_poll(client, dtc_now_us());
		if (poll(pf, n, 1) > 0)
			for (i = 0; i < n; i++)
				if (pf[i].revents & POLLIN)
					peer_read(peers[i]);
	} while (dtc_now_us() < end);
}

/* Take the first reported line that starts with prefix, serving the client meanwhile. */
static char *
peer_expect(struct peer *p, const char *prefix, int timeout_ms)
{
	uint64_t end = dtc_now_us() + (uint64_t)timeout_ms * 1000;
	size_t len = strlen(prefix);

	for (;;) {
		unsigned int i;

		for (i = 0; i < p->n_lines; i++) {
			if (strncmp(p->lines[i], prefix, len) == 0) {
				char *l = p->lines[i];

				memmove(&p->lines[i], &p->lines[i + 1],
					(p->n_lines - i - 1) * sizeof(p->lines[0]));
				p->n_lines--;
				return l;
			}
		}
		if (dtc_now_us() >= end)
			break;
		pump(&p, 1, 1);
	}
	DTC_FAIL("peer %u: no '%s' line within %d ms", p->port, prefix, timeout_ms);
	return NULL;
}

/* peer_expect() for a line only waited for: true when it came (the line is freed). */
static bool
peer_see(struct peer *p, const char *prefix, int timeout_ms)
{
	char *l = peer_expect(p, prefix, timeout_ms);
	bool seen = l != NULL;

	free(l);
	return seen;
}

static void __attribute__((format(printf, 2, 3)))
peer_cmd(struct peer *p, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	buf[n++] = '\n';
	if (write(p->cmd_fd, buf, (size_t)n) != n)
		perror("peer command");
}

/* Ask the peer how many routes connection id has read until it says want (or time out). */
static void
peer_wait_routes(struct peer *p, int id, unsigned int want, int timeout_ms)
{
	uint64_t end = dtc_now_us() + (uint64_t)timeout_ms * 1000;
	long long got = -1;

	do {
		char *l;

		peer_cmd(p, "count %d", id);
		l = peer_expect(p, "count ", 2000);
		if (l == NULL)
			return;
		got = atoll(strchr(l + 6, ' ') + 1);
		free(l);
		if (got == (long long)want)
			return;
		pump(&p, 1, 50);
	} while (dtc_now_us() < end);
	DTC_FAIL("peer %u: connection %d read %lld routes, want %u", p->port, id, got,
		want);
}

static struct peer *
peer_up(uint16_t port)
{
	struct peer *p = peer_start(port);
	char *l = peer_expect(p, "port ", 5000);

	if (l == NULL) {
		fprintf(stderr, "peer did not start\n");
		exit(1);
	}
	p->port = (uint16_t)atoi(l + 5);
	free(l);
	return p;
}

static void
peer_stop(struct peer *p)
{
	int st;

	if (p == NULL)
		return;
	peer_cmd(p, "quit");
	close(p->cmd_fd);
	waitpid(p->pid, &st, 0);
	close(p->ev_fd);
	while (p->n_lines > 0)
		free(p->lines[--p->n_lines]);
	free(p);
}

/* A port nothing listens on (bound then released). */
static uint16_t
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
			getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		perror("free_port");
		exit(1);
	}
	close(fd);
	return ntohs(sa.sin_port);
}

/* ---------------------------------------------------------------- */
/* Client helpers. */

static void
opts_for(struct dtc_copy_opts *o, struct peer **peers, const uint16_t *ports, unsigned int n,
	unsigned int conns)
{
	unsigned int i;

	memset(o, 0, sizeof(*o));
	o->n_intercept = n;
	o->conns_per_intercept = conns;
	for (i = 0; i < n; i++) {
		o->intercept[i].family = 4;
		o->intercept[i].addr.a32[0] = htonl(INADDR_LOOPBACK);
		o->intercept[i].port = peers != NULL && peers[i] != NULL ? peers[i]->port : ports[i];
	}
}

static struct dtc_ctl_client *
client_for(struct peer **peers, unsigned int n, unsigned int conns)
{
	struct dtc_copy_opts o;
	struct dtc_ctl_client *c;

	opts_for(&o, peers, NULL, n, conns);
	c = dtc_ctl_client_create(&o, on_resp, NULL);
	if (c == NULL) {
		fprintf(stderr, "dtc_ctl_client_create failed\n");
		exit(1);
	}
	return c;
}

static struct dtc_copy_route
route_for(unsigned int i, uint16_t op)
{
	struct dtc_copy_route r;

	memset(&r, 0, sizeof(r));
	r.key.family = 4;
	r.key.client.a32[0] = htonl(0xc6120264u);            /* 198.18.2.100 */
	r.key.client_port = htons((uint16_t)(20000 + i));
	r.key.server.a32[0] = htonl(0xc6120138u);            /* 198.18.1.56 */
	r.key.server_port = htons(8080);
	r.op = op;
	return r;
}

static struct dtc_ctl_client_stats
stats(void)
{
	struct dtc_ctl_client_stats s;

	dtc_ctl_client_stats(client, &s);
	return s;
}

/*
 * Expect a connection and its version message (type 6, everything else zero).  The copier
 * offers protocol v2 first (version 0x4402); a 1.x peer does not answer, so that connection
 * is closed after 2 s and the next one speaks v1: offers are checked and skipped.
 */
static int
expect_conn_version(struct peer *p)
{
	unsigned int tries;

	for (tries = 0; tries < 8; tries++) {
		char *v = peer_expect(p, "version ", 4000), want[32], hex[64] = "";
		unsigned int ver = 0;
		int vid = -2;

		if (v == NULL)
			return -1;
		CHECK(sscanf(v, "version %d %u %63s", &vid, &ver, hex) == 3);
		free(v);
		snprintf(want, sizeof(want), "conn %d", vid);
		CHECK(peer_see(p, want, 3000));
		if (ver == DTC_V2_VERSION) {
			CHECK(strcmp(hex, "0000000000004402000000000000") == 0);
			snprintf(want, sizeof(want), "closed %d", vid);
			CHECK(peer_see(p, want, 3000));
			continue;
		}
		CHECK(vid >= 0);
		CHECK_EQ(ver, 6);
		CHECK(strcmp(hex, "0000000000000006000000000000") == 0);
		return vid;
	}
	DTC_FAIL("peer %u: no v1 version message", p->port);
	return -1;
}

/* ---------------------------------------------------------------- */
/* Scenarios. */

/* Version first on each connection, routes to every intercept, round-robin over connections. */
static void
test_fanout(void)
{
	struct peer *p[3];
	struct dtc_copy_route r;
	unsigned int i, k, got[3][3];
	int ids[3][3];

	for (i = 0; i < 3; i++)
		p[i] = peer_up(0);
	client = client_for(p, 3, 3);
	CHECK_EQ(dtc_ctl_client_up(client), 0);
	CHECK_EQ(dtc_ctl_client_connect(client, 3000), 3);
	CHECK_EQ(dtc_ctl_client_up(client), 3);
	CHECK_EQ(stats().conns_up, 9);
	for (i = 0; i < 3; i++)
		for (k = 0; k < 3; k++)
			ids[i][k] = expect_conn_version(p[i]);

	for (i = 0; i < 9; i++) {
		r = route_for(i, DTC_V1_ROUTE_ADD);
		CHECK_EQ(dtc_ctl_client_route(client, &r), 0);
	}
	r = route_for(9, DTC_V1_ROUTE_DEL);
	CHECK_EQ(dtc_ctl_client_route(client, &r), 0);
	/* Every intercept gets every route; connection j of an intercept gets routes j, j+3, ... */
	memset(got, 0, sizeof(got));
	for (i = 0; i < 3; i++) {
		int first_conn = -1;

		for (k = 0; k < 10; k++) {
			char *l = peer_expect(p[i], "route ", 3000);
			char cip[32], tip[32];
			int id, cport, type, tport;

			if (l == NULL)
				break;
			CHECK_EQ(sscanf(l, "route %d %31s %d %d %31s %d", &id, cip, &cport, &type,
				tip, &tport), 6);
			free(l);
			CHECK(strcmp(cip, "198.18.2.100") == 0);
			CHECK(strcmp(tip, "198.18.1.56") == 0);
			CHECK_EQ(tport, 8080);
			CHECK_EQ(type, cport == 20009 ? DTC_V1_ROUTE_DEL : DTC_V1_ROUTE_ADD);
			/* Lines of one connection come in order; across connections they may not. */
			CHECK(cport >= 20000 && cport < 20010);
			if (cport < 20000 || cport >= 20010)
				continue;
			if (cport == 20000)
				first_conn = id;
			got[i][(cport - 20000) % 3] |= 1u << (unsigned int)id;
		}
		CHECK(first_conn >= 0);
		for (k = 0; k < 3; k++) {
			/* All routes of one residue went to one connection, a different one each. */
			unsigned int m = got[i][k];

			CHECK(m != 0 && (m & (m - 1)) == 0);
			CHECK(m & ((1u << ids[i][0]) | (1u << ids[i][1]) | (1u << ids[i][2])));
		}
		CHECK(got[i][0] != got[i][1] && got[i][1] != got[i][2] && got[i][0] != got[i][2]);
	}
	CHECK_EQ(stats().routes_sent, 30);
	CHECK_EQ(stats().routes_dropped, 0);

	/* v1 cannot carry an IPv6 key, nor an unknown op. */
	r = route_for(0, DTC_V1_ROUTE_ADD);
	r.key.family = 6;
	CHECK_EQ(dtc_ctl_client_route(client, &r), -EAFNOSUPPORT);
	r = route_for(0, 7);
	CHECK_EQ(dtc_ctl_client_route(client, &r), -EINVAL);

	/* One intercept leaves: routes still reach the others, the missing copy is counted. */
	peer_stop(p[1]);
	p[1] = NULL;
	for (i = 0; i < 1000 && dtc_ctl_client_up(client) != 2; i++)
		pump(p, 1, 2);
	CHECK_EQ(dtc_ctl_client_up(client), 2);
	r = route_for(50, DTC_V1_ROUTE_ADD);
	CHECK_EQ(dtc_ctl_client_route(client, &r), 0);
	CHECK_EQ(stats().route_copies_down, 1);
	CHECK(peer_see(p[0], "route ", 3000));
	CHECK(peer_see(p[2], "route ", 3000));
	CHECK_EQ(stats().disconnects, 3);

	dtc_ctl_client_free(client);
	client = NULL;
	peer_stop(p[0]);
	peer_stop(p[2]);
}

/* Compare the decoded responses with the records the peer said it sent. */
static void
check_records(struct peer *p, unsigned int from, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		char *l = peer_expect(p, "sent ", 1000);
		unsigned int seq, ack, sport, dport, flags, win, plen, mss;
		long long tsval;
		int wscale;
		const struct dtc_resp *r = &resp[from + i];

		if (l == NULL)
			return;
		CHECK_EQ(sscanf(l, "sent %u %u %u %u %u %u %u %lld %u %d", &seq, &ack, &sport, &dport,
			&flags, &win, &plen, &tsval, &mss, &wscale), 10);
		free(l);
		if (from + i >= n_resp) {
			DTC_FAIL("record %u not decoded", from + i);
			continue;
		}
		CHECK_EQ(r->key.family, 4);
		CHECK_EQ(r->key.client.a32[0], htonl(0xc6120264u));
		CHECK_EQ(r->key.server.a32[0], htonl(0xc6120138u));
		CHECK_EQ(ntohs(r->key.server_port), sport);
		CHECK_EQ(ntohs(r->key.client_port), dport);
		CHECK_EQ(r->seq, seq);
		CHECK_EQ(r->ack, ack);
		CHECK_EQ(r->flags, flags);
		CHECK_EQ(r->win, win);
		CHECK_EQ(r->payload_len, plen);
		CHECK_EQ(r->mss, mss);
		CHECK_EQ((r->opt & DTC_RESP_TS) != 0, tsval >= 0);
		if (tsval >= 0)
			CHECK_EQ(r->tsval, tsval);
		CHECK_EQ(r->wscale, wscale < 0 ? DTC_WSCALE_NONE : wscale);
	}
}

/* Records in batches of every size, and frames cut at every byte boundary. */
static void
test_records(void)
{
	struct peer *p = peer_up(0);
	unsigned int base;
	int id;

	client = client_for(&p, 1, 1);
	CHECK_EQ(dtc_ctl_client_connect(client, 3000), 1);
	id = expect_conn_version(p);

	/* 16 records in one frame, then 16 one-record frames in one write. */
	peer_cmd(p, "frames %d 16 1", id);
	CHECK(peer_see(p, "done frames", 3000));
	peer_cmd(p, "frames %d 1 16", id);
	CHECK(peer_see(p, "done frames", 3000));
	pump(&p, 1, 100);
	CHECK_EQ(n_resp, 32);
	check_records(p, 0, 32);

	/* Two frames (1 and 2 records), the byte stream cut once at each of 195 positions. */
	base = n_resp;
	peer_cmd(p, "splitall %d", id);
	CHECK(peer_see(p, "done splitall", 8000));
	pump(&p, 1, 100);
	CHECK_EQ(n_resp - base, 195 * 3);
	check_records(p, base, 195 * 3);
	CHECK_EQ(stats().records, n_resp);
	CHECK_EQ(stats().bad_records, 0);
	CHECK_EQ(stats().bad_frames, 0);
	CHECK_EQ(stats().disconnects, 0);
	CHECK_EQ(stats().bytes_in, 2 + 16 * 64 + 16 * 66 + 195 * (2 + 64 + 2 + 128));

	dtc_ctl_client_free(client);
	client = NULL;
	peer_stop(p);
}

/* A batch count of 0, 17 or 65535 closes that connection; it comes back and works. */
static void
test_bad_count(void)
{
	static const char *const bad[] = { "0000", "0011", "ffff" };
	struct peer *p = peer_up(0);
	unsigned int i;
	int id;

	client = client_for(&p, 1, 1);
	CHECK_EQ(dtc_ctl_client_connect(client, 3000), 1);
	id = expect_conn_version(p);
	for (i = 0; i < RTE_DIM(bad); i++) {
		char want[32];
		char *l;

		/* The count, then what would have been a record: none of it may be decoded. */
		peer_cmd(p, "raw %d %s45000028", id, bad[i]);
		snprintf(want, sizeof(want), "closed %d", id);
		l = peer_expect(p, want, 3000);
		free(l);
		CHECK_EQ(stats().bad_frames, i + 1);
		CHECK_EQ(stats().disconnects, i + 1);
		CHECK_EQ(dtc_ctl_client_up(client), 0);
		/* Reconnected after the backoff, version first again. */
		id = expect_conn_version(p);
		CHECK_EQ(dtc_ctl_client_up(client), 1);
	}
	CHECK_EQ(n_resp, 0);
	peer_cmd(p, "frames %d 2 1", id);
	pump(&p, 1, 200);
	CHECK_EQ(n_resp, 2);
	check_records(p, 0, 2);

	dtc_ctl_client_free(client);
	client = NULL;
	peer_stop(p);
}

/* The intercept restarts: routes are refused while it is away, reconnection backs off. */
static void
test_restart(void)
{
	struct peer *p = peer_up(0);
	struct dtc_copy_route r = route_for(1, DTC_V1_ROUTE_ADD);
	struct dtc_ctl_client_stats s;
	uint16_t port = p->port;
	uint64_t down_at, t;
	unsigned int i;

	client = client_for(&p, 1, 2);
	CHECK_EQ(dtc_ctl_client_connect(client, 3000), 1);
	expect_conn_version(p);
	expect_conn_version(p);
	CHECK_EQ(dtc_ctl_client_down_us(client, dtc_now_us()), 0);

	peer_stop(p);
	p = NULL;
	for (i = 0; i < 1000 && dtc_ctl_client_up(client) != 0; i++)
		pump(NULL, 0, 2);
	down_at = dtc_now_us();
	CHECK_EQ(dtc_ctl_client_up(client), 0);
	CHECK_EQ(stats().disconnects, 2);
	CHECK_EQ(dtc_ctl_client_route(client, &r), -ENOTCONN);
	CHECK_EQ(stats().routes_dropped, 1);

	/* Attempts at about +0.1, +0.3, +0.7, +1.5 s per connection: 8 in 1.6 s for two
	 * connections.  Retrying every 100 ms would give 32, never backing off would give more. */
	pump(NULL, 0, 1600);
	s = stats();
	fprintf(stderr, "connect failures in 1.6 s: %" PRIu64 "\n", s.connect_failures);
	CHECK(s.connect_failures >= 6 && s.connect_failures <= 10);
	t = dtc_ctl_client_down_us(client, dtc_now_us());
	CHECK(t >= 1600000 && t <= dtc_now_us() - down_at + 100000);

	/* Back on the same port: both connections return within the capped backoff. */
	p = peer_up(port);
	expect_conn_version(p);
	expect_conn_version(p);
	CHECK_EQ(dtc_ctl_client_up(client), 1);
	CHECK_EQ(stats().conns_up, 2);
	CHECK_EQ(dtc_ctl_client_down_us(client, dtc_now_us()), 0);
	CHECK_EQ(dtc_ctl_client_route(client, &r), 0);
	CHECK(peer_see(p, "route ", 3000));

	dtc_ctl_client_free(client);
	client = NULL;
	peer_stop(p);
}

/* A full output buffer drops and counts; a peer that stops reading fills it eventually. */
static void
test_overflow(void)
{
	const unsigned int fit = DTC_CTL_OBUF_SIZE / DTC_V1_ROUTE_LEN;
	struct peer *p = peer_up(0);
	unsigned int i, ok = 0, full = 0;
	int id;

	client = client_for(&p, 1, 1);
	CHECK_EQ(dtc_ctl_client_connect(client, 3000), 1);
	id = expect_conn_version(p);
	peer_cmd(p, "quiet 1");

	/* Without a poll nothing leaves: exactly one buffer's worth is taken. */
	for (i = 0; i < fit + 100; i++) {
		struct dtc_copy_route r = route_for(i, DTC_V1_ROUTE_ADD);
		int rc = dtc_ctl_client_route(client, &r);

		ok += rc == 0;
		full += rc == -ENOBUFS;
	}
	CHECK_EQ(ok, fit);
	CHECK_EQ(full, 100);
	CHECK_EQ(stats().routes_dropped, 100);
	CHECK_EQ(stats().route_copies_full, 100);
	peer_wait_routes(p, id, fit, 5000);

	/* The peer stops reading: the kernel buffers fill, then ours; then it drains it all. */
	peer_cmd(p, "stopread %d", id);
	free(peer_expect(p, "done stopread", 3000));
	full = 0;
	for (i = 0; i < 4000000 && full == 0; i++) {
		struct dtc_copy_route r = route_for(i, DTC_V1_ROUTE_ADD);
		int rc = dtc_ctl_client_route(client, &r);

		ok += rc == 0;
		full += rc == -ENOBUFS;
		if (i % 256 == 0)
			dtc_ctl_client_poll(client, dtc_now_us());
	}
	CHECK_EQ(full, 1);
	fprintf(stderr, "routes accepted before the buffer filled: %u\n", ok);
	peer_cmd(p, "resumeread %d", id);
	peer_wait_routes(p, id, ok, 15000);
	CHECK_EQ(stats().routes_sent, ok);
	/* + the version message, and the v2 offer the 1.x peer did not answer */
	CHECK_EQ(stats().bytes_out, (uint64_t)(ok + 2) * DTC_V1_ROUTE_LEN);
	CHECK_EQ(stats().v1_fallbacks, 1);
	CHECK_EQ(stats().disconnects, 0);

	dtc_ctl_client_free(client);
	client = NULL;
	peer_stop(p);
}

/* No intercept at all: connect reports 0, routes are refused, the down time grows. */
static void
test_none(void)
{
	struct dtc_copy_opts o;
	uint16_t ports[2] = { free_port(), free_port() };
	struct dtc_copy_route r = route_for(0, DTC_V1_ROUTE_ADD);
	uint64_t t0;

	opts_for(&o, NULL, ports, 2, 2);
	client = dtc_ctl_client_create(&o, on_resp, NULL);
	CHECK(client != NULL);
	if (client == NULL)
		return;
	t0 = dtc_now_us();
	CHECK_EQ(dtc_ctl_client_connect(client, 500), 0);
	CHECK_EQ(dtc_ctl_client_route(client, &r), -ENOTCONN);
	CHECK(stats().connect_failures >= 4);
	CHECK_EQ(stats().connects, 0);
	pump(NULL, 0, 300);
	CHECK(dtc_ctl_client_down_us(client, dtc_now_us()) >= 300000);
	CHECK(dtc_ctl_client_down_us(client, dtc_now_us()) <= dtc_now_us() - t0);
	dtc_ctl_client_free(client);
	client = NULL;

	/* Creation needs intercepts and a sane -C. */
	o.n_intercept = 0;
	CHECK(dtc_ctl_client_create(&o, on_resp, NULL) == NULL);
	o.n_intercept = 1;
	o.conns_per_intercept = DTC_COPY_MAX_CONNS + 1;
	CHECK(dtc_ctl_client_create(&o, on_resp, NULL) == NULL);
}

/* EAL cleanup leaves /var/run/dpdk/<prefix>/ behind: remove what this run created. */
static const struct {
	const char *name;
	void (*fn)(void);
} scenarios[] = {
	{ "fanout", test_fanout },
	{ "records", test_records },
	{ "bad_count", test_bad_count },
	{ "restart", test_restart },
	{ "overflow", test_overflow },
	{ "none", test_none },
};

int
main(int argc, char **argv)
{
	char tag[48];
	unsigned int i;
	bool ran = false;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SCENARIO\n", argv[0]);
		return 2;
	}
	snprintf(tag, sizeof(tag), "ctl-%s", argv[1]);
	/* The EAL is only needed for the TSC clock the client runs on. */
	if (dtc_test_eal_init(argv[0], tag, 64) < 0)
		return 1;
	dtc_clock_init();
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < RTE_DIM(scenarios); i++) {
		if (strcmp(argv[1], scenarios[i].name) == 0) {
			scenarios[i].fn();
			ran = true;
		}
	}
	if (!ran)
		DTC_FAIL("unknown scenario %s", argv[1]);
	dtc_test_eal_fini();
	return dtc_check_end(argv[1]);
}
