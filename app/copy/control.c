/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The control channel client: -C TCP connections to every -s intercept, protocol v1
 * (docs/protocol.md), byte-compatible with intercept 1.x.  Runs on the main lcore only, from
 * its poll loop: non-blocking sockets, one epoll set polled with a zero timeout, a bounded
 * output buffer per connection (a full buffer drops and counts, never blocks), reconnection
 * with exponential backoff.  The number of intercepts up is kept in an atomic so that the
 * workers' route callbacks can refuse a session early when there is none.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "dtc_app.h"
#include "copy.h"

/* Its own log type, so "--log-level=dtc.copy.ctl:debug" shows connection attempts. */
RTE_LOG_REGISTER(dtc_copy_ctl_logtype, dtc.copy.ctl, INFO);
#define CTL_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, dtc_copy_ctl_logtype, "dtc.copy.ctl: " fmt "\n", ##__VA_ARGS__)

#define CTL_READ_CHUNK 16384
#define CTL_READS_PER_POLL 8   /* per connection, so one busy peer cannot starve the rest */
#define CTL_EVENTS 64

enum conn_state {
	CONN_IDLE,          /* closed; (re)connect when now >= next_try_us */
	CONN_CONNECTING,    /* non-blocking connect in progress */
	CONN_UP,
};

struct ctl_icpt;

struct ctl_conn {
	int fd;
	uint8_t state;             /* enum conn_state */
	bool out_blocked;          /* the socket said EAGAIN: wait for EPOLLOUT */
	bool failing;              /* the last attempt failed too: log quietly */
	struct ctl_icpt *ic;
	unsigned int idx;
	uint64_t next_try_us;
	uint64_t up_since_us;
	uint32_t backoff_us;       /* delay before the next attempt after a failure */
	uint32_t ooff, olen;       /* queued bytes are obuf[ooff .. olen) */
	uint8_t *obuf;             /* DTC_CTL_OBUF_SIZE bytes */
	struct dtc_v1_rec_rx rx;
};

struct ctl_icpt {
	struct sockaddr_storage sa;
	socklen_t salen;
	char name[64];             /* "198.18.1.63:36524" for logs */
	unsigned int n_up;         /* connections up */
	unsigned int rr;           /* next connection for a route message */
	struct ctl_conn *conns;
};

struct dtc_ctl_client {
	int epfd;
	unsigned int n_icpt;
	unsigned int n_conns;      /* per intercept */
	unsigned int n_idle;       /* connections in CONN_IDLE (any intercept) */
	bool dirty;                /* some connection may have bytes to send */
	bool down_known;
	uint32_t up;               /* intercepts with a connection up; atomic */
	uint64_t down_since_us;
	dtc_copy_resp_fn resp;
	void *resp_arg;
	struct dtc_ctl_client_stats st;
	struct ctl_icpt icpt[DTC_COPY_MAX_INTERCEPTS];
};

static void
set_up_count(struct dtc_ctl_client *c, uint32_t up, uint64_t now_us)
{
	if (up == 0 && c->up != 0) {
		c->down_since_us = now_us;
		c->down_known = true;
	}
	__atomic_store_n(&c->up, up, __ATOMIC_RELEASE);
}

static void
icpt_name(struct ctl_icpt *ic, const struct dtc_intercept_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	dtc_addr_fmt(a->family, &a->addr, buf, sizeof(buf));
	if (a->family == 6)
		snprintf(ic->name, sizeof(ic->name), "[%s]:%u", buf, a->port);
	else
		snprintf(ic->name, sizeof(ic->name), "%s:%u", buf, a->port);
}

static void
icpt_sockaddr(struct ctl_icpt *ic, const struct dtc_intercept_addr *a)
{
	memset(&ic->sa, 0, sizeof(ic->sa));
	if (a->family == 6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ic->sa;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(a->port);
		memcpy(&s6->sin6_addr, a->addr.a8, 16);
		ic->salen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ic->sa;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(a->port);
		s4->sin_addr.s_addr = a->addr.a32[0];
		ic->salen = sizeof(*s4);
	}
}

struct dtc_ctl_client *
dtc_ctl_client_create(const struct dtc_copy_opts *o, dtc_copy_resp_fn resp, void *resp_arg)
{
	struct dtc_ctl_client *c;
	unsigned int i, k;

	if (o == NULL || o->n_intercept == 0 || o->n_intercept > DTC_COPY_MAX_INTERCEPTS ||
			o->conns_per_intercept == 0 || o->conns_per_intercept > DTC_COPY_MAX_CONNS) {
		rte_errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		goto nomem;
	c->epfd = -1;
	c->n_icpt = o->n_intercept;
	c->n_conns = o->conns_per_intercept;
	c->resp = resp;
	c->resp_arg = resp_arg;
	for (i = 0; i < c->n_icpt; i++) {
		struct ctl_icpt *ic = &c->icpt[i];

		icpt_name(ic, &o->intercept[i]);
		icpt_sockaddr(ic, &o->intercept[i]);
		ic->conns = calloc(c->n_conns, sizeof(*ic->conns));
		if (ic->conns == NULL)
			goto nomem;
		for (k = 0; k < c->n_conns; k++) {
			struct ctl_conn *cn = &ic->conns[k];

			cn->fd = -1;
			cn->ic = ic;
			cn->idx = k;
			cn->state = CONN_IDLE;
			cn->backoff_us = DTC_CTL_BACKOFF_MIN_US;
			cn->obuf = malloc(DTC_CTL_OBUF_SIZE);
			if (cn->obuf == NULL)
				goto nomem;
			c->n_idle++;
		}
	}
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epfd < 0) {
		rte_errno = errno;
		dtc_ctl_client_free(c);
		return NULL;
	}
	return c;
nomem:
	dtc_ctl_client_free(c);
	rte_errno = ENOMEM;
	return NULL;
}

void
dtc_ctl_client_free(struct dtc_ctl_client *c)
{
	unsigned int i, k;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_icpt; i++) {
		if (c->icpt[i].conns == NULL)
			continue;
		for (k = 0; k < c->n_conns; k++) {
			if (c->icpt[i].conns[k].fd >= 0)
				close(c->icpt[i].conns[k].fd);
			free(c->icpt[i].conns[k].obuf);
		}
		free(c->icpt[i].conns);
	}
	if (c->epfd >= 0)
		close(c->epfd);
	free(c);
}

/* ---------------------------------------------------------------- */
/* Connection state changes. */

static int
watch(struct dtc_ctl_client *c, struct ctl_conn *cn, int op, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = cn };

	return epoll_ctl(c->epfd, op, cn->fd, &ev);
}

/* Close (or give up on) a connection and schedule the next attempt. */
static void
conn_close(struct dtc_ctl_client *c, struct ctl_conn *cn, uint64_t now_us, const char *why)
{
	struct ctl_icpt *ic = cn->ic;

	if (cn->state == CONN_IDLE)
		return;
	if (cn->state == CONN_UP) {
		c->st.disconnects++;
		CTL_LOG(WARNING, "intercept %s connection %u lost: %s", ic->name, cn->idx, why);
		/* A connection that lived long is a new story: start the backoff over. */
		if (now_us - cn->up_since_us >= DTC_CTL_BACKOFF_MAX_US)
			cn->backoff_us = DTC_CTL_BACKOFF_MIN_US;
		if (--ic->n_up == 0)
			set_up_count(c, c->up - 1, now_us);
		cn->failing = false;
	} else if (cn->state == CONN_CONNECTING) {
		c->st.connect_failures++;
		if (!cn->failing)
			CTL_LOG(WARNING, "intercept %s connection %u: cannot connect: %s "
				"(retrying with backoff)", ic->name, cn->idx, why);
		else
			CTL_LOG(DEBUG, "intercept %s connection %u: cannot connect: %s",
				ic->name, cn->idx, why);
		cn->failing = true;
	}
	if (cn->fd >= 0) {
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, cn->fd, NULL);
		close(cn->fd);
		cn->fd = -1;
	}
	cn->state = CONN_IDLE;
	cn->out_blocked = false;
	cn->ooff = cn->olen = 0;    /* queued routes are lost with the connection */
	cn->next_try_us = now_us + cn->backoff_us;
	cn->backoff_us = RTE_MIN(cn->backoff_us * 2, (uint32_t)DTC_CTL_BACKOFF_MAX_US);
	c->n_idle++;
}

static void
conn_established(struct dtc_ctl_client *c, struct ctl_conn *cn, uint64_t now_us)
{
	struct ctl_icpt *ic = cn->ic;

	cn->state = CONN_UP;
	cn->up_since_us = now_us;
	cn->out_blocked = false;
	dtc_v1_rec_rx_init(&cn->rx);
	/* The version message is the first thing a v1 intercept reads on a connection. */
	dtc_v1_version_encode(cn->obuf, DTC_V1_VERSION);
	cn->ooff = 0;
	cn->olen = DTC_V1_ROUTE_LEN;
	c->dirty = true;
	watch(c, cn, EPOLL_CTL_MOD, EPOLLIN);
	c->st.connects++;
	if (ic->n_up++ == 0)
		set_up_count(c, c->up + 1, now_us);
	CTL_LOG(INFO, "intercept %s connection %u up", ic->name, cn->idx);
	cn->failing = false;
}

static void
set_sockopts(int fd)
{
	int one = 1, idle = 10, intvl = 5, cnt = 3;
	unsigned int user_timeout_ms = 15000;

	/* Routes must leave at once: a SYN-ACK arriving before its route is only held briefly. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* v1 has no heartbeat: let TCP notice a dead intercept within about half a minute. */
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof(user_timeout_ms));
}

static void
conn_start(struct dtc_ctl_client *c, struct ctl_conn *cn, uint64_t now_us)
{
	struct ctl_icpt *ic = cn->ic;
	int fd;

	c->n_idle--;
	fd = socket(ic->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0) {
		cn->state = CONN_CONNECTING;
		conn_close(c, cn, now_us, strerror(errno));
		return;
	}
	set_sockopts(fd);
	cn->fd = fd;
	cn->state = CONN_CONNECTING;
	if (watch(c, cn, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT) != 0) {
		conn_close(c, cn, now_us, strerror(errno));
		return;
	}
	if (connect(fd, (struct sockaddr *)&ic->sa, ic->salen) == 0)
		conn_established(c, cn, now_us);
	else if (errno != EINPROGRESS)
		conn_close(c, cn, now_us, strerror(errno));
}

/* The connect finished one way or the other. */
static void
conn_connect_done(struct dtc_ctl_client *c, struct ctl_conn *cn, uint64_t now_us)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(cn->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return;
	if (err != 0)
		conn_close(c, cn, now_us, strerror(err));
	else
		conn_established(c, cn, now_us);
}

/* ---------------------------------------------------------------- */
/* Data. */

static void
on_record(void *arg, const struct dtc_resp *r, const uint8_t *raw)
{
	struct dtc_ctl_client *c = arg;

	RTE_SET_USED(raw);
	c->st.records++;
	if (c->resp != NULL)
		c->resp(c->resp_arg, r);
}

static unsigned int
conn_read(struct dtc_ctl_client *c, struct ctl_conn *cn, uint64_t now_us)
{
	uint8_t buf[CTL_READ_CHUNK];
	unsigned int i;

	for (i = 0; i < CTL_READS_PER_POLL; i++) {
		ssize_t n = recv(cn->fd, buf, sizeof(buf), MSG_DONTWAIT);
		uint64_t bad_before = cn->rx.bad_records;
		int rc;

		if (n == 0) {
			conn_close(c, cn, now_us, "closed by the intercept");
			return i + 1;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return i;
			conn_close(c, cn, now_us, strerror(errno));
			return i + 1;
		}
		c->st.bytes_in += (uint64_t)n;
		rc = dtc_v1_rec_rx_feed(&cn->rx, buf, (size_t)n, on_record, c);
		c->st.bad_records += cn->rx.bad_records - bad_before;
		if (rc < 0) {
			/* An untrusted peer sent a frame we cannot resynchronize after. */
			c->st.bad_frames++;
			conn_close(c, cn, now_us, dtc_ctl_strerror(-rc));
			return i + 1;
		}
		if ((size_t)n < sizeof(buf))
			return i + 1;
	}
	return i;
}

static unsigned int
conn_flush(struct dtc_ctl_client *c, struct ctl_conn *cn, uint64_t now_us)
{
	ssize_t n;

	if (cn->state != CONN_UP || cn->out_blocked || cn->ooff == cn->olen)
		return 0;
	n = send(cn->fd, cn->obuf + cn->ooff, cn->olen - cn->ooff, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
			cn->out_blocked = true;
			watch(c, cn, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
			return 0;
		}
		conn_close(c, cn, now_us, strerror(errno));
		return 1;
	}
	c->st.bytes_out += (uint64_t)n;
	cn->ooff += (uint32_t)n;
	if (cn->ooff == cn->olen)
		cn->ooff = cn->olen = 0;
	return 1;
}

static void
conn_event(struct dtc_ctl_client *c, struct ctl_conn *cn, uint32_t ev, uint64_t now_us)
{
	if (cn->state == CONN_CONNECTING) {
		conn_connect_done(c, cn, now_us);
		if (cn->state != CONN_UP)
			return;
	}
	if (cn->state != CONN_UP)
		return;
	if (ev & EPOLLOUT && cn->out_blocked) {
		cn->out_blocked = false;
		watch(c, cn, EPOLL_CTL_MOD, EPOLLIN);
		c->dirty = true;
	}
	if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR))
		conn_read(c, cn, now_us);
}

unsigned int
dtc_ctl_client_poll(struct dtc_ctl_client *c, uint64_t now_us)
{
	struct epoll_event ev[CTL_EVENTS];
	unsigned int work = 0, i, k;
	int n, j;

	if (!c->down_known && c->up == 0) {
		c->down_since_us = now_us;
		c->down_known = true;
	}
	n = epoll_wait(c->epfd, ev, CTL_EVENTS, 0);
	for (j = 0; j < n; j++)
		conn_event(c, ev[j].data.ptr, ev[j].events, now_us);
	work += n > 0 ? (unsigned int)n : 0;

	if (c->dirty) {
		bool left = false;

		c->dirty = false;
		for (i = 0; i < c->n_icpt; i++)
			for (k = 0; k < c->n_conns; k++) {
				struct ctl_conn *cn = &c->icpt[i].conns[k];

				work += conn_flush(c, cn, now_us);
				left |= cn->state == CONN_UP && !cn->out_blocked &&
					cn->ooff != cn->olen;
			}
		c->dirty = left;
	}
	if (c->n_idle > 0)
		for (i = 0; i < c->n_icpt; i++)
			for (k = 0; k < c->n_conns; k++) {
				struct ctl_conn *cn = &c->icpt[i].conns[k];

				if (cn->state == CONN_IDLE && now_us >= cn->next_try_us) {
					conn_start(c, cn, now_us);
					work++;
				}
			}
	return work;
}

int
dtc_ctl_client_connect(struct dtc_ctl_client *c, uint32_t timeout_ms)
{
	uint64_t start = dtc_now_us(), now = start;
	unsigned int i, k;

	for (;;) {
		bool pending = false;
		struct pollfd p = { .fd = c->epfd, .events = POLLIN };
		uint64_t left_ms;

		dtc_ctl_client_poll(c, now);
		for (i = 0; i < c->n_icpt; i++)
			for (k = 0; k < c->n_conns; k++)
				pending |= c->icpt[i].conns[k].state == CONN_CONNECTING;
		now = dtc_now_us();
		if (!pending || now - start >= (uint64_t)timeout_ms * 1000)
			break;
		left_ms = ((uint64_t)timeout_ms * 1000 - (now - start) + 999) / 1000;
		/* An epoll set is itself pollable: wait for any of its connections. */
		poll(&p, 1, (int)RTE_MIN(left_ms, (uint64_t)100));
		now = dtc_now_us();
	}
	dtc_ctl_client_poll(c, now); /* send the version messages now */
	return (int)dtc_ctl_client_up(c);
}

/* Append one message; false when the buffer is full. */
static bool
conn_append(struct ctl_conn *cn, const uint8_t *msg, uint32_t len)
{
	if (cn->olen + len > DTC_CTL_OBUF_SIZE) {
		if (cn->ooff == 0 || cn->olen - cn->ooff + len > DTC_CTL_OBUF_SIZE)
			return false;
		memmove(cn->obuf, cn->obuf + cn->ooff, cn->olen - cn->ooff);
		cn->olen -= cn->ooff;
		cn->ooff = 0;
	}
	memcpy(cn->obuf + cn->olen, msg, len);
	cn->olen += len;
	return true;
}

int
dtc_ctl_client_route(struct dtc_ctl_client *c, const struct dtc_copy_route *r)
{
	uint8_t msg[DTC_V1_ROUTE_LEN];
	unsigned int i, j, reached = 0;
	int rc;

	if (c->up == 0) {
		c->st.routes_dropped++;
		return -ENOTCONN;
	}
	rc = dtc_v1_route_encode(msg, &r->key, r->op);
	if (rc != 0) {
		c->st.routes_dropped++;
		return rc;
	}
	for (i = 0; i < c->n_icpt; i++) {
		struct ctl_icpt *ic = &c->icpt[i];
		bool sent = false;

		if (ic->n_up == 0) {
			c->st.route_copies_down++;
			continue;
		}
		for (j = 0; j < c->n_conns && !sent; j++) {
			unsigned int k = (ic->rr + j) % c->n_conns;
			struct ctl_conn *cn = &ic->conns[k];

			if (cn->state == CONN_UP && conn_append(cn, msg, sizeof(msg))) {
				ic->rr = (k + 1) % c->n_conns;
				sent = true;
			}
		}
		if (!sent) {
			c->st.route_copies_full++;
			continue;
		}
		c->st.routes_sent++;
		reached++;
	}
	if (reached == 0) {
		c->st.routes_dropped++;
		return -ENOBUFS;
	}
	c->dirty = true;
	return 0;
}

unsigned int
dtc_ctl_client_up(const struct dtc_ctl_client *c)
{
	return __atomic_load_n(&c->up, __ATOMIC_ACQUIRE);
}

uint64_t
dtc_ctl_client_down_us(const struct dtc_ctl_client *c, uint64_t now_us)
{
	if (dtc_ctl_client_up(c) != 0 || !c->down_known || now_us < c->down_since_us)
		return 0;
	return now_us - c->down_since_us;
}

void
dtc_ctl_client_stats(const struct dtc_ctl_client *c, struct dtc_ctl_client_stats *s)
{
	unsigned int i;

	*s = c->st;
	s->intercepts_up = dtc_ctl_client_up(c);
	s->conns_up = 0;
	for (i = 0; i < c->n_icpt; i++)
		s->conns_up += c->icpt[i].n_up;
}
