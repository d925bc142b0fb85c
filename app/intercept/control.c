/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Control server on the main lcore: copiers connect, send a version message and route
 * registrations, and receive the batched records of their sessions (docs/protocol.md).  A
 * version message of 0x4402 switches the connection to protocol v2: HELLO both ways, AUTH both
 * ways with --secret (nothing routed before it), heartbeats, v2 records; anything else is
 * protocol v1 as intercept 1.x speaks it, refused when --secret requires v2.  Everything is non-blocking and polled with a zero epoll timeout between bursts.
 * Every peer is untrusted: a decoder error closes that connection only, each connection's
 * output is bounded (overflow counted), and one that stops reading is closed after
 * --conn-stall; no copier can block the others or grow our memory.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_common.h>

#include "intercept.h"

#define LISTEN_ID UINT32_MAX
#define OUTBUF (64u * 1024)           /* per connection: ~1000 records */
#define READ_MAX (16u * 1024)         /* per connection per poll: fairness */
#define EVENTS 64
#define ACCEPT_MAX 64                 /* per poll */
#define LOG_BUDGET 20                 /* connection log lines per second */
/* Kernel send buffer per copier (the kernel doubles it): enough for ~50 MB/s at 10 ms RTT,
 * and a bound on what a copier that stopped reading pins in the kernel; loopback would
 * otherwise autotune it past a megabyte. */
#define SNDBUF (256 * 1024)

const char *const icpt_srv_stat_names[ICPT_SRV_STAT_MAX] = {
#define ICPT_SRV_NAME(n, s) #n,
	ICPT_SRV_STATS(ICPT_SRV_NAME)
#undef ICPT_SRV_NAME
};

enum conn_state {
	ST_VERSION,                   /* reading the version message */
	ST_V1,                        /* protocol v1: route messages */
	ST_V2_HELLO,                  /* v2: our HELLO sent, waiting for the copier's */
	ST_V2_AUTH,                   /* v2 with --secret: waiting for the copier's AUTH */
	ST_V2_READY,                  /* v2: routes accepted, records sent */
};

struct icpt_conn {
	int fd;                       /* -1: free slot */
	bool dirty;                   /* got records since the last flush */
	bool want_out;                /* EPOLLOUT registered */
	uint8_t state;                /* enum conn_state */
	char peer[64];
	struct dtc_v1_route_rx rx;
	struct icpt_out out;
	uint64_t progress_us;         /* output last moved (or became pending) */
	/* protocol v2 */
	struct dtc_v2_rx *v2rx;       /* allocated at start, one per slot */
	uint8_t hello_i[DTC_V2_HELLO_LEN], hello_c[DTC_V2_HELLO_LEN];
	char name[DTC_V2_NAME_LEN + 1]; /* the copier's HELLO name */
	uint16_t prefix;              /* payload bytes per record the copier asked for */
	uint16_t bye_reason;          /* a BYE to send before closing (0: none) */
	const char *close_why;        /* set by the v2 message handler that refused */
	uint64_t accepted_us;         /* handshake deadline base */
	uint64_t last_rx_us;          /* anything received (v2 liveness) */
	uint64_t hb_tx_us;            /* our last heartbeat */
	uint32_t hb_seq;
	uint64_t peer_hb_tx_us;       /* the copier's last heartbeat: its clock, and ours at */
	uint64_t peer_hb_rx_us;       /* arrival (wall clocks), echoed in our heartbeats */
};

struct icpt_log_budget {
	uint64_t second;
	uint32_t left, dropped;
};

struct icpt_server {
	const struct icpt_opts *o;
	struct icpt_rt *rt;
	int lfd, efd;
	uint32_t max, n;
	struct icpt_conn *c;
	uint32_t *free_ids;           /* stack of free slots */
	uint32_t n_free;
	uint32_t *dirty;              /* connections to flush */
	uint32_t n_dirty;
	uint64_t stall_us;
	uint64_t last_stall_check_us;
	struct icpt_log_budget log_conn, log_refusal;
	/* the connection whose bytes are being decoded, for the decoder callbacks */
	uint32_t cur;
	uint64_t now;
	uint64_t closed_records, closed_frames, closed_overflow, closed_bytes;
	uint64_t stats[ICPT_SRV_STAT_MAX];
	char host[DTC_V2_NAME_LEN + 1]; /* our HELLO name */
	uint16_t prefix_max;          /* the largest prefix a live v2 copier asked for */
	uint16_t *rx_prefix;          /* where the capture side reads it (NULL: nowhere) */
};

/* Connection events can come in floods (a thousand connects): keep the log readable. */
static bool
log_budget(struct icpt_server *s, struct icpt_log_budget *b, const char *what)
{
	uint64_t sec = s->now / 1000000;

	if (sec != b->second) {
		if (b->dropped > 0)
			ICPT_LOG(NOTICE, "%u %s messages suppressed", b->dropped, what);
		b->second = sec;
		b->left = LOG_BUDGET;
		b->dropped = 0;
	}
	if (b->left == 0) {
		b->dropped++;
		return false;
	}
	b->left--;
	return true;
}

static bool
log_ok(struct icpt_server *s)
{
	return log_budget(s, &s->log_conn, "connection");
}

/* Refusals (authentication, v1 against --secret) have their own budget: a flood of ordinary
 * connections cannot hide them, and theirs cannot hide the rest. */
static bool
log_refusal_ok(struct icpt_server *s)
{
	return log_budget(s, &s->log_refusal, "refusal");
}

static int
listen_socket(const struct icpt_opts *o, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char abuf[64];
	int fd, one = 1, zero = 0;

	memset(&ss, 0, sizeof(ss));
	if (o->bind_family == 6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		memcpy(&a->sin6_addr, o->bind_addr.a8, 16);
		a->sin6_port = rte_cpu_to_be_16(o->port);
		sl = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = o->bind_family == 4 ? o->bind_addr.a32[0] : INADDR_ANY;
		a->sin_port = rte_cpu_to_be_16(o->port);
		sl = sizeof(*a);
	}
	dtc_addr_fmt(o->bind_family == 6 ? 6 : 4, &o->bind_addr, abuf, sizeof(abuf));
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 128) != 0) {
		snprintf(err, errlen, "cannot listen on %s port %u: %s",
			o->bind_family != 0 ? abuf : "0.0.0.0", o->port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct icpt_server *
icpt_server_create(const struct icpt_opts *o, struct icpt_rt *rt, char *err, size_t errlen)
{
	struct icpt_server *s = calloc(1, sizeof(*s));
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = LISTEN_ID };
	uint32_t i;

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->o = o;
	s->rt = rt;
	s->max = o->max_conns;
	s->stall_us = (uint64_t)o->conn_stall_s * 1000000;
	s->lfd = s->efd = -1;
	s->c = calloc(s->max, sizeof(*s->c));
	s->free_ids = calloc(s->max, sizeof(uint32_t));
	s->dirty = calloc(s->max, sizeof(uint32_t));
	if (s->c == NULL || s->free_ids == NULL || s->dirty == NULL)
		goto nomem;
	/* Every buffer at start: a full house of copiers needs no allocation. */
	for (i = 0; i < s->max; i++) {
		s->c[i].fd = -1;
		if (icpt_out_init(&s->c[i].out, OUTBUF, (uint16_t)o->batch_max) != 0)
			goto nomem;
		s->c[i].v2rx = malloc(sizeof(*s->c[i].v2rx));
		if (s->c[i].v2rx == NULL)
			goto nomem;
		s->free_ids[s->n_free++] = s->max - 1 - i;
	}
	if (gethostname(s->host, sizeof(s->host)) != 0)
		snprintf(s->host, sizeof(s->host), "intercept");
	s->host[DTC_V2_NAME_LEN] = '\0';
	s->lfd = listen_socket(o, err, errlen);
	if (s->lfd < 0)
		goto fail;
	s->efd = epoll_create1(EPOLL_CLOEXEC);
	if (s->efd < 0 || epoll_ctl(s->efd, EPOLL_CTL_ADD, s->lfd, &ev) != 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		goto fail;
	}
	return s;
nomem:
	snprintf(err, errlen, "out of memory for %u connections", s->max);
fail:
	icpt_server_free(s);
	return NULL;
}

static void prefix_update(struct icpt_server *s);

static void
conn_close(struct icpt_server *s, uint32_t id, const char *why)
{
	struct icpt_conn *c = &s->c[id];
	bool was_ready = c->state == ST_V2_READY;
	uint32_t i;

	if (c->fd < 0)
		return;
	if (c->bye_reason != 0) {
		/* Best effort, after what is queued: the copier learns why before the FIN. */
		uint8_t bye[DTC_V2_HDR_LEN + 2 + DTC_V2_BYE_TEXT_MAX];
		int n = dtc_v2_bye_encode(bye, sizeof(bye), c->bye_reason, why);

		if (n > 0 && icpt_out_raw(&c->out, bye, (uint32_t)n))
			(void)!send(c->fd, icpt_out_data(&c->out), icpt_out_pending(&c->out),
				MSG_DONTWAIT | MSG_NOSIGNAL);
		c->bye_reason = 0;
	}
	if (log_ok(s))
		ICPT_LOG(INFO, "copier %s: closed (%s), %u routes dropped, %" PRIu64 " records sent",
			c->peer, why, icpt_rt_conn_count(s->rt, id), c->out.records);
	epoll_ctl(s->efd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	icpt_rt_drop_conn(s->rt, id);
	s->closed_records += c->out.records;
	s->closed_frames += c->out.frames;
	s->closed_overflow += c->out.overflow_records;
	s->closed_bytes += c->out.bytes_sent;
	icpt_out_reset(&c->out);
	if (c->dirty) {
		for (i = 0; i < s->n_dirty; i++)
			if (s->dirty[i] == id)
				s->dirty[i] = s->dirty[--s->n_dirty];
		c->dirty = false;
	}
	s->free_ids[s->n_free++] = id;
	s->n--;
	s->stats[ICPT_SRV_closed]++;
	c->state = ST_VERSION;
	if (was_ready)
		prefix_update(s);
}

void
icpt_server_free(struct icpt_server *s)
{
	uint32_t i;

	if (s == NULL)
		return;
	for (i = 0; s->c != NULL && i < s->max; i++) {
		if (s->c[i].fd >= 0)
			close(s->c[i].fd);
		icpt_out_fini(&s->c[i].out);
		free(s->c[i].v2rx);
	}
	if (s->lfd >= 0)
		close(s->lfd);
	if (s->efd >= 0)
		close(s->efd);
	free(s->c);
	free(s->free_ids);
	free(s->dirty);
	free(s);
}

static void
conn_want_out(struct icpt_server *s, struct icpt_conn *c, uint32_t id, bool on)
{
	struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.u32 = id };

	if (c->want_out == on)
		return;
	if (epoll_ctl(s->efd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->want_out = on;
}

/* Send what is pending; false when the connection was closed. */
static bool
conn_send(struct icpt_server *s, uint32_t id)
{
	struct icpt_conn *c = &s->c[id];

	while (icpt_out_pending(&c->out) > 0) {
		ssize_t n = send(c->fd, icpt_out_data(&c->out), icpt_out_pending(&c->out),
			MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n > 0) {
			icpt_out_consume(&c->out, (uint32_t)n);
			c->progress_us = s->now;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			conn_want_out(s, c, id, true);
			return true;
		}
		conn_close(s, id, n < 0 ? strerror(errno) : "send returned 0");
		return false;
	}
	conn_want_out(s, c, id, false);
	return true;
}

static void
conn_mark_dirty(struct icpt_server *s, uint32_t id)
{
	struct icpt_conn *c = &s->c[id];

	if (!c->dirty) {
		c->dirty = true;
		s->dirty[s->n_dirty++] = id;
	}
}

/* A v2 record (len bytes) to connection id, in the connection's protocol. */
static void
conn_out_add(struct icpt_server *s, uint32_t id, const uint8_t *rec, uint32_t len)
{
	struct icpt_conn *c = &s->c[id];
	struct icpt_out *o = &c->out;
	uint8_t trimmed[DTC_V2_REC_MAX];
	bool v2 = c->state == ST_V2_READY;
	uint16_t pre;

	if (c->fd < 0 || (c->state != ST_V1 && !v2))
		return;
	if (!v2 && rec[0] != 4) {
		s->stats[ICPT_SRV_ipv6_to_v1]++;
		return;
	}
	if (icpt_out_pending(o) == 0)
		c->progress_us = s->now;
	/* About to close a frame into a nearly full buffer: give the socket a chance first. */
	if (v2 ? (o->v2count + 1u >= o->batch_max && o->len + DTC_V2_MSG_MAX > o->cap) :
			(o->batch.count + 1u >= o->batch_max && o->len + DTC_V1_FRAME_MAX > o->cap))
		if (!conn_send(s, id))
			return;
	if (!v2) {
		icpt_out_add(o, rec + DTC_V2_REC_V1_OFF, s->now);
	} else {
		/* The capture side carries the largest prefix any copier asked for. */
		pre = (uint16_t)((rec[4] << 8) | rec[5]);
		if (pre > c->prefix) {
			memcpy(trimmed, rec, len - (pre - c->prefix));
			trimmed[4] = (uint8_t)(c->prefix >> 8);
			trimmed[5] = (uint8_t)c->prefix;
			len -= pre - c->prefix;
			rec = trimmed;
		}
		icpt_out_add_v2(o, rec, len, s->now);
	}
	conn_mark_dirty(s, id);
	s->stats[ICPT_SRV_records_routed]++;
}

static void
on_held(void *arg, uint32_t conn, const uint8_t *rec, uint32_t len)
{
	conn_out_add(arg, conn, rec, len);
}

static void
on_route(void *arg, const struct dtc_flow_key *k, uint16_t type)
{
	struct icpt_server *s = arg;

	s->stats[ICPT_SRV_routes_msgs]++;
	/* Delivering held records may have closed this very connection (send error): the
	 * rest of its buffer must not register routes for a slot that is free now. */
	if (s->c[s->cur].fd < 0)
		return;
	if (type == DTC_V1_ROUTE_ADD || type == DTC_V2_ROUTE_ADD)
		icpt_rt_add(s->rt, k, s->cur, s->now, on_held, s);
	else
		icpt_rt_del(s->rt, k, s->cur);
}

/* ---------------------------------------------------------------- */
/* Protocol v2 */

static void
prefix_update(struct icpt_server *s)
{
	uint16_t m = 0;
	uint32_t id;

	for (id = 0; id < s->max; id++)
		if (s->c[id].fd >= 0 && s->c[id].state == ST_V2_READY)
			m = RTE_MAX(m, s->c[id].prefix);
	s->prefix_max = m;
	if (s->rx_prefix != NULL)
		__atomic_store_n(s->rx_prefix, m, __ATOMIC_RELAXED);
}

void
icpt_server_prefix_target(struct icpt_server *s, uint16_t *rx_prefix)
{
	s->rx_prefix = rx_prefix;
	prefix_update(s);
}

/* Queue a control message; a full buffer is a copier that does not read (--conn-stall). */
static void
conn_queue(struct icpt_server *s, uint32_t id, const uint8_t *msg, int len)
{
	if (len > 0 && icpt_out_raw(&s->c[id].out, msg, (uint32_t)len))
		conn_mark_dirty(s, id);
}

static void
v2_start(struct icpt_server *s, uint32_t id)
{
	struct icpt_conn *c = &s->c[id];
	uint8_t msg[2 + DTC_V2_HDR_LEN + DTC_V2_HELLO_LEN];
	struct dtc_v2_hello h;

	memset(&h, 0, sizeof(h));
	h.version = 2;
	h.features = DTC_V2_F_IPV6 | DTC_V2_F_ROUTE_DEL | DTC_V2_F_HEARTBEAT |
		DTC_V2_F_TIMESTAMPS | DTC_V2_F_PREFIX | (s->o->secret != NULL ? DTC_V2_F_AUTH : 0);
	if (dtc_v2_random(h.nonce, sizeof(h.nonce)) != 0) {
		c->close_why = "no random nonce";
		return;
	}
	snprintf(h.name, sizeof(h.name), "%s", s->host);
	msg[0] = 0;  /* a v1 frame count of 0: no 1.x intercept ever sends it */
	msg[1] = 0;
	dtc_v2_hello_encode(msg + 2, sizeof(msg) - 2, &h);
	memcpy(c->hello_i, msg + 2 + DTC_V2_HDR_LEN, DTC_V2_HELLO_LEN);
	dtc_v2_rx_init(c->v2rx, DTC_V2_FROM_COPIER, false);
	c->state = ST_V2_HELLO;
	c->last_rx_us = s->now;
	s->stats[ICPT_SRV_v2_conns]++;
	conn_queue(s, id, msg, (int)sizeof(msg));
}

static void
v2_ready(struct icpt_server *s, uint32_t id)
{
	struct icpt_conn *c = &s->c[id];

	c->state = ST_V2_READY;
	c->hb_tx_us = 0;   /* a first heartbeat at once: the copier's clock estimate starts */
	s->stats[ICPT_SRV_v2_ready]++;
	prefix_update(s);
	if (log_ok(s))
		ICPT_LOG(INFO, "copier %s (%s): protocol v2%s, record prefix %u", c->peer,
			c->name, s->o->secret != NULL ? ", authenticated" : "", c->prefix);
}

static int
v2_refuse(struct icpt_conn *c, uint16_t reason, const char *why)
{
	c->bye_reason = reason;
	c->close_why = why;
	return -1;
}

static int
on_v2_msg(void *arg, uint8_t type, const uint8_t *body, uint32_t len)
{
	struct icpt_server *s = arg;
	struct icpt_conn *c = &s->c[s->cur];
	uint8_t mac[DTC_V2_MAC_LEN], msg[DTC_V2_HDR_LEN + DTC_V2_MAC_LEN];
	const struct dtc_v2_secret *k = s->o->secret;
	struct dtc_v2_hello h;
	struct dtc_v2_hb hb;
	char text[DTC_V2_BYE_TEXT_MAX + 1];
	uint32_t i;

	if (c->fd < 0)
		return -1;
	switch (type) {
	case DTC_V2_HELLO:
		if (c->state != ST_V2_HELLO)
			return v2_refuse(c, DTC_V2_BYE_PROTO, "a second HELLO");
		if (dtc_v2_hello_decode(body, len, &h) != 0) {
			s->stats[ICPT_SRV_malformed]++;
			return v2_refuse(c, DTC_V2_BYE_PROTO, "HELLO invalid");
		}
		memcpy(c->hello_c, body, DTC_V2_HELLO_LEN);
		snprintf(c->name, sizeof(c->name), "%s", h.name);
		c->prefix = h.prefix;
		if (k != NULL && !(h.features & DTC_V2_F_AUTH)) {
			s->stats[ICPT_SRV_auth_missing]++;
			if (log_refusal_ok(s))
				ICPT_LOG(WARNING, "copier %s (%s): refused: no authentication "
					"offered, --secret requires it", c->peer, c->name);
			return v2_refuse(c, DTC_V2_BYE_AUTH_REQUIRED,
				"authentication required (the intercept has --secret)");
		}
		if (k == NULL && (h.features & DTC_V2_F_AUTH)) {
			s->stats[ICPT_SRV_auth_missing]++;
			if (log_refusal_ok(s))
				ICPT_LOG(WARNING, "copier %s (%s): refused: it requires "
					"authentication, this intercept has no --secret", c->peer,
					c->name);
			return v2_refuse(c, DTC_V2_BYE_AUTH_REQUIRED,
				"the intercept has no --secret");
		}
		if (k != NULL)
			c->state = ST_V2_AUTH;
		else
			v2_ready(s, s->cur);
		return 0;
	case DTC_V2_AUTH:
		if (c->state != ST_V2_AUTH)
			return v2_refuse(c, DTC_V2_BYE_PROTO, "AUTH out of sequence");
		if (dtc_v2_mac(k, DTC_V2_ROLE_COPIER, c->hello_i, c->hello_c, mac) != 0)
			return v2_refuse(c, DTC_V2_BYE_PROTO, "cannot compute the MAC");
		if (!dtc_v2_mac_equal(mac, body)) {
			s->stats[ICPT_SRV_auth_failed]++;
			if (log_refusal_ok(s))
				ICPT_LOG(WARNING, "copier %s (%s): authentication failed (wrong "
					"secret, or an AUTH replayed from another connection)",
					c->peer, c->name);
			return v2_refuse(c, DTC_V2_BYE_AUTH_FAILED, "authentication failed");
		}
		if (dtc_v2_mac(k, DTC_V2_ROLE_INTERCEPT, c->hello_i, c->hello_c, mac) != 0)
			return v2_refuse(c, DTC_V2_BYE_PROTO, "cannot compute the MAC");
		conn_queue(s, s->cur, msg, dtc_v2_auth_encode(msg, sizeof(msg), mac));
		v2_ready(s, s->cur);
		return 0;
	case DTC_V2_ROUTE_ADD:
	case DTC_V2_ROUTE_DEL:
		if (c->state == ST_V2_AUTH) {
			s->stats[ICPT_SRV_auth_missing]++;
			if (log_refusal_ok(s))
				ICPT_LOG(WARNING, "copier %s (%s): refused: routes before "
					"authentication", c->peer, c->name);
			return v2_refuse(c, DTC_V2_BYE_AUTH_REQUIRED, "routes before AUTH");
		}
		if (c->state != ST_V2_READY) {
			s->stats[ICPT_SRV_malformed]++;
			return v2_refuse(c, DTC_V2_BYE_PROTO, "routes before HELLO");
		}
		if (dtc_v2_routes_decode(body, len, type, on_route, s) != 0) {
			s->stats[ICPT_SRV_malformed]++;
			return v2_refuse(c, DTC_V2_BYE_PROTO, "route key invalid");
		}
		return 0;
	case DTC_V2_HEARTBEAT:
		if (dtc_v2_hb_decode(body, len, &hb) == 0) {
			c->peer_hb_tx_us = hb.tx_us;
			c->peer_hb_rx_us = dtc_v2_wall_us();
			s->stats[ICPT_SRV_heartbeats_rcvd]++;
		}
		return 0;
	case DTC_V2_BYE:
		s->stats[ICPT_SRV_bye_rcvd]++;
		for (i = 0; i + 2 < len && i < DTC_V2_BYE_TEXT_MAX; i++)
			text[i] = (body[2 + i] >= 0x20 && body[2 + i] < 0x7f) ? (char)body[2 + i] : '?';
		text[i] = '\0';
		if (log_ok(s))
			ICPT_LOG(INFO, "copier %s (%s): BYE reason %u: %s", c->peer, c->name,
				(unsigned int)((body[0] << 8) | body[1]), text);
		c->close_why = "BYE from the copier";
		return -1;
	default:
		return v2_refuse(c, DTC_V2_BYE_PROTO, "unexpected message");
	}
}

static void
v2_heartbeat(struct icpt_server *s, uint32_t id)
{
	struct icpt_conn *c = &s->c[id];
	uint8_t msg[DTC_V2_HDR_LEN + DTC_V2_HB_LEN];
	struct dtc_v2_hb hb = {
		.seq = ++c->hb_seq,
		.tx_us = dtc_v2_wall_us(),
		.echo_tx_us = c->peer_hb_tx_us,
		.echo_rx_us = c->peer_hb_rx_us,
	};

	c->hb_tx_us = s->now;
	s->stats[ICPT_SRV_heartbeats_sent]++;
	conn_queue(s, id, msg, dtc_v2_hb_encode(msg, sizeof(msg), &hb));
}

static void
on_version(void *arg, uint16_t version)
{
	struct icpt_server *s = arg;
	struct icpt_conn *c = &s->c[s->cur];

	if (version == DTC_V2_VERSION) {
		v2_start(s, s->cur);
		return;
	}
	if (s->o->secret != NULL) {
		s->stats[ICPT_SRV_v1_refused]++;
		if (log_refusal_ok(s))
			ICPT_LOG(WARNING, "copier %s: refused: protocol v1 (version %u), "
				"--secret requires v2 with authentication", c->peer, version);
		c->close_why = "protocol v1 refused (--secret)";
		return;
	}
	c->state = ST_V1;
	if (version == DTC_V1_VERSION) {
		if (log_ok(s))
			ICPT_LOG(INFO, "copier %s: protocol version %u (1.x)", c->peer, version);
		return;
	}
	s->stats[ICPT_SRV_versions_other]++;
	/* As intercept 1.x: a mismatch is only a warning, the stream goes on as version 1. */
	if (log_ok(s))
		ICPT_LOG(WARNING, "copier %s: %s (version %u); speaking version 1", c->peer,
			version == 0 ? "first message is not a version message" :
			"protocol version not supported", version);
}

/* Bytes from the copier: the version message, then v1 routes or v2 messages. */
static void
conn_input(struct icpt_server *s, uint32_t id, const uint8_t *p, size_t left)
{
	struct icpt_conn *c = &s->c[id];
	int rc;

	while (c->fd >= 0 && left > 0) {
		if (c->state == ST_VERSION) {
			/* Only the version message: what follows may be v2. */
			uint32_t want = c->rx.have < 8 ? 8 - c->rx.have :
				DTC_V1_ROUTE_LEN - c->rx.have;
			size_t take = RTE_MIN(left, (size_t)want);

			dtc_v1_route_rx_feed(&c->rx, p, take, on_route, on_version, s);
			p += take;
			left -= take;
			if (c->close_why != NULL) {
				conn_close(s, id, c->close_why);
				return;
			}
			continue;
		}
		if (c->state == ST_V1) {
			rc = dtc_v1_route_rx_feed(&c->rx, p, left, on_route, on_version, s);
			if (rc != 0) {
				s->stats[ICPT_SRV_malformed]++;
				if (log_ok(s))
					ICPT_LOG(WARNING, "copier %s: malformed message: %s", c->peer,
						dtc_ctl_strerror(rc));
				conn_close(s, id, "malformed message");
			}
			return;
		}
		rc = dtc_v2_rx_feed(c->v2rx, p, left, on_v2_msg, s);
		if (rc != 0 && c->fd >= 0) {
			if (c->close_why == NULL) {
				s->stats[ICPT_SRV_malformed]++;
				if (log_ok(s))
					ICPT_LOG(WARNING, "copier %s (%s): malformed v2 message: %s",
						c->peer, c->name, dtc_ctl_strerror(rc));
				c->bye_reason = DTC_V2_BYE_PROTO;
				c->close_why = "malformed message";
			}
			conn_close(s, id, c->close_why);
		}
		return;
	}
}

static void
conn_read(struct icpt_server *s, uint32_t id)
{
	struct icpt_conn *c = &s->c[id];
	uint8_t buf[4096];
	uint32_t total = 0;

	s->cur = id;
	while (c->fd >= 0 && total < READ_MAX) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			conn_close(s, id, n == 0 ? "peer closed" : strerror(errno));
			return;
		}
		total += (uint32_t)n;
		c->last_rx_us = s->now;
		conn_input(s, id, buf, (size_t)n);
	}
}

/* A peer address as "a.b.c.d:port" or "[v6]:port"; IPv4-mapped IPv6 becomes IPv4. */
static uint8_t
peer_addr(const struct sockaddr_storage *ss, union dtc_addr *a, char *buf, size_t len)
{
	char abuf[INET6_ADDRSTRLEN];
	uint8_t fam = 4;
	uint16_t port;

	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		port = rte_be_to_cpu_16(s6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			memcpy(&a->a32[0], &s6->sin6_addr.s6_addr[12], 4);
		} else {
			memcpy(a->a8, &s6->sin6_addr, 16);
			fam = 6;
		}
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		port = rte_be_to_cpu_16(s4->sin_port);
		a->a32[0] = s4->sin_addr.s_addr;
	}
	dtc_addr_fmt(fam, a, abuf, sizeof(abuf));
	snprintf(buf, len, fam == 6 ? "[%s]:%u" : "%s:%u", abuf, port);
	return fam;
}

static void
conn_accept(struct icpt_server *s)
{
	unsigned int k;

	for (k = 0; k < ACCEPT_MAX; k++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		struct epoll_event ev = { .events = EPOLLIN };
		struct icpt_conn *c;
		union dtc_addr a;
		char peer[64];
		int fd, one = 1, idle = 60, intvl = 10, cnt = 3, sndbuf = SNDBUF;
		uint32_t id;
		uint8_t fam;

		memset(&ss, 0, sizeof(ss)); /* accept4 fills sl bytes of it: the rest is defined */
		fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return; /* EAGAIN, or a connection that died in the backlog */
		fam = peer_addr(&ss, &a, peer, sizeof(peer));
		if (!icpt_allowed(s->o, fam, &a)) {
			s->stats[ICPT_SRV_refused]++;
			if (log_ok(s))
				ICPT_LOG(WARNING, "copier %s: refused (not in --allow)", peer);
			close(fd);
			continue;
		}
		if (s->n_free == 0) {
			s->stats[ICPT_SRV_refused_full]++;
			if (log_ok(s))
				ICPT_LOG(WARNING, "copier %s: refused (--max-conns %u reached)", peer,
					s->max);
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
		/* v1 has no heartbeat: let TCP notice a copier host that vanished. */
		setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
		id = s->free_ids[--s->n_free];
		c = &s->c[id];
		ev.data.u32 = id;
		if (epoll_ctl(s->efd, EPOLL_CTL_ADD, fd, &ev) != 0) {
			s->free_ids[s->n_free++] = id;
			close(fd);
			continue;
		}
		c->fd = fd;
		c->dirty = false;
		c->want_out = false;
		c->progress_us = s->now;
		snprintf(c->peer, sizeof(c->peer), "%s", peer);
		dtc_v1_route_rx_init(&c->rx);
		icpt_out_reset(&c->out);
		c->state = ST_VERSION;
		c->name[0] = '\0';
		c->prefix = 0;
		c->bye_reason = 0;
		c->close_why = NULL;
		c->accepted_us = s->now;
		c->last_rx_us = s->now;
		c->hb_tx_us = 0;
		c->hb_seq = 0;
		c->peer_hb_tx_us = 0;
		c->peer_hb_rx_us = 0;
		s->n++;
		s->stats[ICPT_SRV_accepted]++;
		if (log_ok(s))
			ICPT_LOG(INFO, "copier %s: connected", peer);
	}
}

unsigned int
icpt_server_poll(struct icpt_server *s, uint64_t now)
{
	struct epoll_event ev[EVENTS];
	int n, i;

	s->now = now;
	n = epoll_wait(s->efd, ev, EVENTS, 0);
	for (i = 0; i < n; i++) {
		uint32_t id = ev[i].data.u32;

		if (id == LISTEN_ID) {
			conn_accept(s);
			continue;
		}
		if (id >= s->max || s->c[id].fd < 0)
			continue;
		if (ev[i].events & EPOLLOUT)
			if (!conn_send(s, id))
				continue;
		if (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			conn_read(s, id);
	}
	return n > 0 ? (unsigned int)n : 0;
}

void
icpt_server_deliver(struct icpt_server *s, const struct icpt_item *it, uint64_t now)
{
	int64_t conn = icpt_rt_lookup(s->rt, &it->key, now);

	s->now = now;
	if (conn >= 0) {
		conn_out_add(s, (uint32_t)conn, it->rec, it->rec_len);
		return;
	}
	/* The route registration may still be on its way: a SYN-ACK can beat it. */
	if (it->tcp_flags & (DTC_TCP_SYN | DTC_TCP_RST))
		icpt_rt_hold(s->rt, &it->key, it->rec, it->rec_len, now);
	else
		s->stats[ICPT_SRV_unrouted]++;
}

void
icpt_server_flush(struct icpt_server *s, uint64_t now)
{
	s->now = now;
	while (s->n_dirty > 0) {
		uint32_t id = s->dirty[--s->n_dirty];
		struct icpt_conn *c = &s->c[id];

		c->dirty = false;
		if (c->fd < 0)
			continue;
		icpt_out_flush(&c->out, now, 0);
		conn_send(s, id);
	}
}

void
icpt_server_timers(struct icpt_server *s, uint64_t now)
{
	uint32_t id;

	s->now = now;
	icpt_rt_expire(s->rt, now);
	if (now - s->last_stall_check_us < 100000)
		return;
	s->last_stall_check_us = now;
	for (id = 0; id < s->max; id++) {
		struct icpt_conn *c = &s->c[id];

		if (c->fd < 0)
			continue;
		if (icpt_out_pending(&c->out) > 0 && now - c->progress_us >= s->stall_us) {
			s->stats[ICPT_SRV_stalled]++;
			conn_close(s, id, "not reading its records");
			continue;
		}
		if ((c->state == ST_V2_HELLO || c->state == ST_V2_AUTH ||
				(c->state == ST_VERSION && s->o->secret != NULL)) &&
				now - c->accepted_us >= DTC_V2_HANDSHAKE_US) {
			s->stats[ICPT_SRV_handshake_timeout]++;
			if (c->state == ST_V2_AUTH || c->state == ST_VERSION)
				s->stats[ICPT_SRV_auth_missing]++;
			if (log_refusal_ok(s))
				ICPT_LOG(WARNING, "copier %s%s%s%s: refused: %s within %u s", c->peer,
					c->name[0] ? " (" : "", c->name, c->name[0] ? ")" : "",
					c->state == ST_V2_AUTH ? "no AUTH" : c->state == ST_VERSION ?
					"no version message" : "no HELLO",
					DTC_V2_HANDSHAKE_US / 1000000);
			c->bye_reason = c->state == ST_VERSION ? 0 : DTC_V2_BYE_TIMEOUT;
			conn_close(s, id, "handshake timeout");
			continue;
		}
		if (c->state != ST_V2_READY)
			continue;
		if (now - c->last_rx_us >= DTC_V2_PEER_DEAD_US) {
			s->stats[ICPT_SRV_peer_dead]++;
			if (log_refusal_ok(s))
				ICPT_LOG(WARNING, "copier %s (%s): nothing received for %u s: dead, "
					"%u routes dropped", c->peer, c->name,
					DTC_V2_PEER_DEAD_US / 1000000, icpt_rt_conn_count(s->rt, id));
			c->bye_reason = DTC_V2_BYE_TIMEOUT;
			conn_close(s, id, "no heartbeat");
			continue;
		}
		if (c->hb_tx_us == 0 || now - c->hb_tx_us >= DTC_V2_HB_INTERVAL_US)
			v2_heartbeat(s, id);
	}
}

const uint64_t *
icpt_server_stats(struct icpt_server *s)
{
	uint64_t ov = s->closed_overflow;
	uint32_t id;

	for (id = 0; id < s->max; id++)
		if (s->c[id].fd >= 0)
			ov += s->c[id].out.overflow_records;
	s->stats[ICPT_SRV_overflow] = ov;
	return s->stats;
}

unsigned int
icpt_server_conns(const struct icpt_server *s)
{
	return s->n;
}

unsigned int
icpt_server_conn_info(const struct icpt_server *s, struct icpt_conn_info *ci, unsigned int max)
{
	unsigned int k = 0;
	uint32_t id;

	for (id = 0; id < s->max && k < max; id++) {
		const struct icpt_conn *c = &s->c[id];

		if (c->fd < 0)
			continue;
		snprintf(ci[k].peer, sizeof(ci[k].peer), "%s", c->peer);
		ci[k].version = c->state == ST_V1 ? 1 : c->state == ST_V2_READY ? 2 : 0;
		ci[k].routes = icpt_rt_conn_count(s->rt, id);
		ci[k].records = c->out.records;
		ci[k].frames = c->out.frames;
		ci[k].overflow = c->out.overflow_records;
		ci[k].bytes = c->out.bytes_sent;
		k++;
	}
	return k;
}
