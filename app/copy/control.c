/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The control channel client: -C TCP connections to every -s intercept (docs/protocol.md).
 * Each connection offers protocol v2 first (version 0x4402); an intercept that does not answer
 * within 2 s is taken for intercept 1.x and spoken to in v1, byte-compatible, from then on,
 * unless --secret is set: then only an authenticated v2 connection counts (no downgrade).
 * v2 adds HMAC-SHA256 authentication both ways, IPv6 routes, route deletes, heartbeats (a
 * silent intercept is dead after 3 s) and records with the capture time, from which with the
 * heartbeats' round trips the clock offset between the hosts is estimated.  Runs on the main lcore only, from
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

#define CTL_TIMER_US 20000     /* handshake, heartbeat and liveness checks */

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
	CONN_V2_WAIT,       /* v2 version message sent: waiting for the intercept's HELLO */
	CONN_V2_AUTH,       /* our HELLO and AUTH sent: waiting for the intercept's AUTH */
	CONN_UP,
};

/* What an intercept speaks, as far as we know. */
enum icpt_mode {
	MODE_TRY_V2,        /* not known yet: offer v2 */
	MODE_V2,            /* answered v2 once: keep to it */
	MODE_V1,            /* did not answer v2: intercept 1.x */
};

struct ctl_icpt;

struct ctl_conn {
	int fd;
	uint8_t state;             /* enum conn_state */
	bool out_blocked;          /* the socket said EAGAIN: wait for EPOLLOUT */
	bool failing;              /* the last attempt failed too: log quietly */
	bool fallback;             /* closed to reconnect in v1: connect() waits for it */
	struct ctl_icpt *ic;
	unsigned int idx;
	uint64_t next_try_us;
	uint64_t up_since_us;
	uint32_t backoff_us;       /* delay before the next attempt after a failure */
	uint32_t ooff, olen;       /* queued bytes are obuf[ooff .. olen) */
	uint8_t *obuf;             /* DTC_CTL_OBUF_SIZE bytes */
	struct dtc_v1_rec_rx rx;
	/* protocol v2 */
	bool v2;                   /* this connection speaks v2 */
	struct dtc_v2_rx *v2rx;
	uint8_t hello_i[DTC_V2_HELLO_LEN], hello_c[DTC_V2_HELLO_LEN];
	const char *close_why;     /* set by a v2 message handler that ends the connection */
	uint16_t bye_reason;       /* BYE to send before closing (0: none) */
	uint64_t hs_start_us;
	uint64_t last_rx_us;
	uint64_t hb_tx_us;
	uint32_t hb_seq;
	uint64_t peer_hb_tx_us, peer_hb_rx_us; /* wall clocks, echoed in our heartbeats */
	char bye_text[DTC_V2_BYE_TEXT_MAX + 48];
};

struct ctl_icpt {
	struct sockaddr_storage sa;
	socklen_t salen;
	char name[64];             /* "198.18.1.63:36524" for logs */
	unsigned int n_up;         /* connections up */
	unsigned int rr;           /* next connection for a route message */
	uint8_t mode;              /* enum icpt_mode */
	char peer_name[DTC_V2_NAME_LEN + 1]; /* from its HELLO */
	bool have_offset;
	int64_t offset_us, delay_us; /* clock offset estimate (EWMA), last round trip delay */
	uint64_t samples;
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
	struct dtc_v2_secret *secret; /* --secret (NULL: none) */
	uint16_t prefix;           /* --record-prefix */
	char host[DTC_V2_NAME_LEN + 1];
	uint64_t next_timer_us;
	struct ctl_icpt *cur_ic;   /* the intercept whose records are being decoded */
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
	c->prefix = o->record_prefix;
	if (gethostname(c->host, sizeof(c->host)) != 0)
		snprintf(c->host, sizeof(c->host), "dpdk-tcpcopy");
	c->host[DTC_V2_NAME_LEN] = '\0';
	if (o->secret_file != NULL) {
		char err[512];
		int rc;

		c->secret = malloc(sizeof(*c->secret));
		if (c->secret == NULL)
			goto nomem;
		rc = dtc_v2_secret_load(o->secret_file, c->secret, err, sizeof(err));
		if (rc != 0) {
			CTL_LOG(ERR, "--secret: %s", err);
			dtc_ctl_client_free(c);
			rte_errno = -rc;
			return NULL;
		}
	}
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
			cn->v2rx = malloc(sizeof(*cn->v2rx));
			if (cn->obuf == NULL || cn->v2rx == NULL)
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
			free(c->icpt[i].conns[k].v2rx);
		}
		free(c->icpt[i].conns);
	}
	if (c->epfd >= 0)
		close(c->epfd);
	if (c->secret != NULL)
		memset(c->secret, 0, sizeof(*c->secret));
	free(c->secret);
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
	if (cn->bye_reason != 0 && cn->fd >= 0) {
		uint8_t bye[DTC_V2_HDR_LEN + 2 + DTC_V2_BYE_TEXT_MAX];
		int n = dtc_v2_bye_encode(bye, sizeof(bye), cn->bye_reason, why);

		/* Best effort; queued routes are lost anyway. */
		if (n > 0)
			(void)!send(cn->fd, bye, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
		cn->bye_reason = 0;
	}
	if (cn->state == CONN_V2_WAIT || cn->state == CONN_V2_AUTH) {
		c->st.handshake_failures++;
		if (!cn->failing)
			CTL_LOG(WARNING, "intercept %s connection %u: v2 handshake failed: %s "
				"(retrying with backoff)", ic->name, cn->idx, why);
		else
			CTL_LOG(DEBUG, "intercept %s connection %u: v2 handshake failed: %s",
				ic->name, cn->idx, why);
		cn->failing = true;
	} else if (cn->state == CONN_UP) {
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
	cn->v2 = false;
	cn->close_why = NULL;
	cn->ooff = cn->olen = 0;    /* queued routes are lost with the connection */
	cn->next_try_us = now_us + cn->backoff_us;
	cn->backoff_us = RTE_MIN(cn->backoff_us * 2, (uint32_t)DTC_CTL_BACKOFF_MAX_US);
	c->n_idle++;
}

/* The connection carries routes now. */
static void
conn_up(struct dtc_ctl_client *c, struct ctl_conn *cn, uint64_t now_us)
{
	struct ctl_icpt *ic = cn->ic;

	cn->state = CONN_UP;
	cn->up_since_us = now_us;
	cn->last_rx_us = now_us;
	cn->hb_tx_us = 0;
	c->st.connects++;
	if (cn->v2)
		c->st.v2_conns++;
	else
		c->st.v1_conns++;
	if (ic->n_up++ == 0)
		set_up_count(c, c->up + 1, now_us);
	if (cn->v2)
		CTL_LOG(INFO, "intercept %s (%s) connection %u up, protocol v2%s", ic->name,
			ic->peer_name, cn->idx, c->secret != NULL ? ", authenticated" : "");
	else
		CTL_LOG(INFO, "intercept %s connection %u up, protocol v1", ic->name, cn->idx);
	cn->failing = false;
}

static void
conn_established(struct dtc_ctl_client *c, struct ctl_conn *cn, uint64_t now_us)
{
	struct ctl_icpt *ic = cn->ic;

	cn->out_blocked = false;
	cn->fallback = false;
	cn->v2 = false;
	cn->close_why = NULL;
	cn->bye_reason = 0;
	cn->hb_seq = 0;
	cn->peer_hb_tx_us = cn->peer_hb_rx_us = 0;
	dtc_v1_rec_rx_init(&cn->rx);
	/* The version message is the first thing an intercept reads on a connection. */
	dtc_v1_version_encode(cn->obuf, ic->mode == MODE_V1 ? DTC_V1_VERSION : DTC_V2_VERSION);
	cn->ooff = 0;
	cn->olen = DTC_V1_ROUTE_LEN;
	c->dirty = true;
	watch(c, cn, EPOLL_CTL_MOD, EPOLLIN);
	if (ic->mode == MODE_V1) {
		conn_up(c, cn, now_us);
		return;
	}
	cn->v2 = true;
	cn->state = CONN_V2_WAIT;
	cn->hs_start_us = now_us;
	dtc_v2_rx_init(cn->v2rx, DTC_V2_FROM_INTERCEPT, true);
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

static void
on_record_v2(void *arg, const struct dtc_resp *r, const struct dtc_v2_rec_meta *m)
{
	struct dtc_ctl_client *c = arg;
	struct ctl_icpt *ic = c->cur_ic;

	c->st.records++;
	/* Capture (intercept clock) to arrival (ours), with the offset taken out. */
	if (ic != NULL && ic->have_offset && m->capture_us != 0)
		c->st.record_delay_us = (int64_t)dtc_v2_wall_us() -
			((int64_t)m->capture_us - ic->offset_us);
	if (c->resp != NULL)
		c->resp(c->resp_arg, r);
}

/* ---------------------------------------------------------------- */
/* Protocol v2 */

/* Append one message; false when the buffer is full. */
static bool conn_append(struct ctl_conn *cn, const uint8_t *msg, uint32_t len);

static int
v2_refuse(struct ctl_conn *cn, uint16_t reason, const char *why)
{
	cn->bye_reason = reason;
	cn->close_why = why;
	return -1;
}

static int
v2_hello(struct dtc_ctl_client *c, struct ctl_conn *cn, const uint8_t *body, uint32_t len)
{
	struct ctl_icpt *ic = cn->ic;
	uint8_t msg[DTC_V2_HDR_LEN + DTC_V2_HELLO_LEN + DTC_V2_HDR_LEN + DTC_V2_MAC_LEN];
	uint8_t mac[DTC_V2_MAC_LEN];
	struct dtc_v2_hello h;
	int n;

	if (cn->state != CONN_V2_WAIT)
		return v2_refuse(cn, DTC_V2_BYE_PROTO, "a second HELLO");
	if (dtc_v2_hello_decode(body, len, &h) != 0)
		return v2_refuse(cn, DTC_V2_BYE_PROTO, "HELLO invalid");
	ic->mode = MODE_V2;
	snprintf(ic->peer_name, sizeof(ic->peer_name), "%s", h.name);
	memcpy(cn->hello_i, body, DTC_V2_HELLO_LEN);
	if (c->secret != NULL && !(h.features & DTC_V2_F_AUTH)) {
		c->st.auth_failures++;
		CTL_LOG(ERR, "intercept %s (%s): has no --secret, ours requires authentication: "
			"refused (no downgrade)", ic->name, ic->peer_name);
		return v2_refuse(cn, DTC_V2_BYE_AUTH_REQUIRED, "the copier requires authentication");
	}
	if (c->secret == NULL && (h.features & DTC_V2_F_AUTH)) {
		c->st.auth_failures++;
		CTL_LOG(ERR, "intercept %s (%s): requires authentication: give dpdk-tcpcopy "
			"--secret with the intercept's secret", ic->name, ic->peer_name);
		return v2_refuse(cn, DTC_V2_BYE_AUTH_REQUIRED, "the copier has no --secret");
	}
	memset(&h, 0, sizeof(h));
	h.version = 2;
	h.features = DTC_V2_F_IPV6 | DTC_V2_F_ROUTE_DEL | DTC_V2_F_HEARTBEAT |
		DTC_V2_F_TIMESTAMPS | (c->prefix > 0 ? DTC_V2_F_PREFIX : 0) |
		(c->secret != NULL ? DTC_V2_F_AUTH : 0);
	h.prefix = c->prefix;
	snprintf(h.name, sizeof(h.name), "%s", c->host);
	if (dtc_v2_random(h.nonce, sizeof(h.nonce)) != 0)
		return v2_refuse(cn, DTC_V2_BYE_PROTO, "no random nonce");
	n = dtc_v2_hello_encode(msg, sizeof(msg), &h);
	memcpy(cn->hello_c, msg + DTC_V2_HDR_LEN, DTC_V2_HELLO_LEN);
	if (c->secret != NULL) {
		if (dtc_v2_mac(c->secret, DTC_V2_ROLE_COPIER, cn->hello_i, cn->hello_c, mac) != 0)
			return v2_refuse(cn, DTC_V2_BYE_PROTO, "cannot compute the MAC");
		n += dtc_v2_auth_encode(msg + n, sizeof(msg) - (size_t)n, mac);
	}
	if (!conn_append(cn, msg, (uint32_t)n))
		return v2_refuse(cn, 0, "output buffer full");
	c->dirty = true;
	if (c->secret != NULL)
		cn->state = CONN_V2_AUTH;
	else
		conn_up(c, cn, dtc_now_us());
	return 0;
}

static void
v2_clock(struct ctl_icpt *ic, struct dtc_ctl_client *c, const struct dtc_v2_hb *hb)
{
	int64_t off, delay;

	if (!dtc_v2_clock_sample(hb, dtc_v2_wall_us(), &off, &delay) || delay < 0)
		return;
	/* An exponentially weighted mean (1/8): one sample's queueing noise is damped. */
	if (!ic->have_offset)
		ic->offset_us = off;
	else
		ic->offset_us += (off - ic->offset_us) / 8;
	ic->have_offset = true;
	ic->delay_us = delay;
	ic->samples++;
	c->st.clock_samples++;
}

struct v2_ctx {
	struct dtc_ctl_client *c;
	struct ctl_conn *cn;
};

static int
on_v2_msg(void *arg, uint8_t type, const uint8_t *body, uint32_t len)
{
	struct v2_ctx *x = arg;
	struct dtc_ctl_client *c = x->c;
	struct ctl_conn *cn = x->cn;
	struct ctl_icpt *ic = cn->ic;
	uint8_t mac[DTC_V2_MAC_LEN];
	char text[DTC_V2_BYE_TEXT_MAX + 1];
	struct dtc_v2_hb hb;
	uint64_t bad = 0;
	uint32_t i;
	int rc;

	switch (type) {
	case DTC_V2_HELLO:
		return v2_hello(c, cn, body, len);
	case DTC_V2_AUTH:
		if (cn->state != CONN_V2_AUTH)
			return v2_refuse(cn, DTC_V2_BYE_PROTO, "AUTH out of sequence");
		if (dtc_v2_mac(c->secret, DTC_V2_ROLE_INTERCEPT, cn->hello_i, cn->hello_c,
				mac) != 0)
			return v2_refuse(cn, DTC_V2_BYE_PROTO, "cannot compute the MAC");
		if (!dtc_v2_mac_equal(mac, body)) {
			c->st.auth_failures++;
			CTL_LOG(ERR, "intercept %s (%s): authentication failed: its secret is "
				"not ours", ic->name, ic->peer_name);
			return v2_refuse(cn, DTC_V2_BYE_AUTH_FAILED, "authentication failed");
		}
		conn_up(c, cn, dtc_now_us());
		return 0;
	case DTC_V2_RECORDS:
		if (cn->state != CONN_UP)
			return v2_refuse(cn, DTC_V2_BYE_PROTO, "records before the handshake");
		c->cur_ic = ic;
		rc = dtc_v2_records_decode(body, len, on_record_v2, c, &bad);
		c->cur_ic = NULL;
		c->st.bad_records += bad;
		if (rc != 0) {
			c->st.bad_frames++;
			return v2_refuse(cn, DTC_V2_BYE_PROTO, dtc_ctl_strerror(-rc));
		}
		return 0;
	case DTC_V2_HEARTBEAT:
		if (dtc_v2_hb_decode(body, len, &hb) != 0)
			return 0;
		c->st.heartbeats_rcvd++;
		cn->peer_hb_tx_us = hb.tx_us;
		cn->peer_hb_rx_us = dtc_v2_wall_us();
		v2_clock(ic, c, &hb);
		return 0;
	case DTC_V2_BYE:
		c->st.byes_rcvd++;
		for (i = 0; i + 2 < len && i < DTC_V2_BYE_TEXT_MAX; i++)
			text[i] = (body[2 + i] >= 0x20 && body[2 + i] < 0x7f) ? (char)body[2 + i] : '?';
		text[i] = '\0';
		if (((body[0] << 8) | body[1]) == DTC_V2_BYE_AUTH_FAILED ||
				((body[0] << 8) | body[1]) == DTC_V2_BYE_AUTH_REQUIRED) {
			c->st.auth_failures++;
			CTL_LOG(ERR, "intercept %s (%s): refused us: %s", ic->name, ic->peer_name,
				text);
		}
		snprintf(cn->bye_text, sizeof(cn->bye_text), "BYE %u from the intercept: %s",
			(unsigned int)((body[0] << 8) | body[1]), text);
		cn->close_why = cn->bye_text;
		return -1;
	default:
		return v2_refuse(cn, DTC_V2_BYE_PROTO, "unexpected message");
	}
}

/* Heartbeats, handshake deadlines, liveness: every CTL_TIMER_US. */
static void
conn_timers(struct dtc_ctl_client *c, struct ctl_conn *cn, uint64_t now_us)
{
	struct ctl_icpt *ic = cn->ic;
	uint8_t msg[DTC_V2_HDR_LEN + DTC_V2_HB_LEN];

	if (cn->state == CONN_V2_WAIT && now_us - cn->hs_start_us >= DTC_V2_ANSWER_US) {
		if (ic->mode != MODE_V2 && c->secret == NULL) {
			/* intercept 1.x: it only logged a version warning.  v1 from now on. */
			if (ic->mode == MODE_TRY_V2) {
				c->st.v1_fallbacks++;
				CTL_LOG(NOTICE, "intercept %s: no protocol v2 answer in %u s: "
					"intercept 1.x, speaking v1", ic->name,
					DTC_V2_ANSWER_US / 1000000);
			}
			ic->mode = MODE_V1;
			cn->failing = true;  /* not a failure worth a warning */
			conn_close(c, cn, now_us, "no v2 answer");
			cn->next_try_us = now_us;
			cn->backoff_us = DTC_CTL_BACKOFF_MIN_US;
			cn->fallback = true;
			return;
		}
		if (c->secret != NULL && ic->mode == MODE_TRY_V2 && !cn->failing)
			CTL_LOG(ERR, "intercept %s: no protocol v2 answer; --secret forbids "
				"falling back to v1", ic->name);
		conn_close(c, cn, now_us, "no v2 answer");
		return;
	}
	if (cn->state == CONN_V2_AUTH && now_us - cn->hs_start_us >= DTC_V2_HANDSHAKE_US) {
		c->st.auth_failures++;
		cn->bye_reason = DTC_V2_BYE_TIMEOUT;
		conn_close(c, cn, now_us, "no AUTH from the intercept");
		return;
	}
	if (cn->state != CONN_UP || !cn->v2)
		return;
	if (now_us - cn->last_rx_us >= DTC_V2_PEER_DEAD_US) {
		c->st.peer_dead++;
		CTL_LOG(WARNING, "intercept %s connection %u: nothing received for %u s "
			"(heartbeats): dead, reconnecting", ic->name, cn->idx,
			DTC_V2_PEER_DEAD_US / 1000000);
		conn_close(c, cn, now_us, "no heartbeat");
		return;
	}
	if (cn->hb_tx_us == 0 || now_us - cn->hb_tx_us >= DTC_V2_HB_INTERVAL_US) {
		struct dtc_v2_hb hb = {
			.seq = ++cn->hb_seq,
			.tx_us = dtc_v2_wall_us(),
			.echo_tx_us = cn->peer_hb_tx_us,
			.echo_rx_us = cn->peer_hb_rx_us,
		};

		cn->hb_tx_us = now_us;
		if (conn_append(cn, msg, (uint32_t)dtc_v2_hb_encode(msg, sizeof(msg), &hb))) {
			c->st.heartbeats_sent++;
			c->dirty = true;
		}
	}
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
			if (cn->state == CONN_V2_WAIT && cn->ic->mode == MODE_TRY_V2 &&
					c->secret == NULL) {
				/* Closed instead of answering v2: not one of ours.  Speak v1. */
				cn->ic->mode = MODE_V1;
				c->st.v1_fallbacks++;
				CTL_LOG(NOTICE, "intercept %s: closed on the v2 offer: speaking v1",
					cn->ic->name);
				cn->failing = true;
				conn_close(c, cn, now_us, "closed on the v2 offer");
				cn->next_try_us = now_us;
				cn->backoff_us = DTC_CTL_BACKOFF_MIN_US;
				cn->fallback = true;
				return i + 1;
			}
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
		cn->last_rx_us = now_us;
		if (cn->v2) {
			struct v2_ctx x = { .c = c, .cn = cn };

			rc = dtc_v2_rx_feed(cn->v2rx, buf, (size_t)n, on_v2_msg, &x);
			if (rc != 0) {
				if (cn->close_why == NULL) {
					c->st.bad_frames++;
					cn->bye_reason = DTC_V2_BYE_PROTO;
					cn->close_why = dtc_ctl_strerror(-rc);
				}
				if (cn->state == CONN_V2_WAIT && rc == -DTC_CTL_ERR_V2_PREAMBLE)
					cn->bye_reason = 0;
				conn_close(c, cn, now_us, cn->close_why);
				return i + 1;
			}
			if ((size_t)n < sizeof(buf))
				return i + 1;
			continue;
		}
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

	if (cn->state < CONN_V2_WAIT || cn->out_blocked || cn->ooff == cn->olen)
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
		if (cn->state < CONN_V2_WAIT)
			return;
	}
	if (cn->state < CONN_V2_WAIT)
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
				left |= cn->state >= CONN_V2_WAIT && !cn->out_blocked &&
					cn->ooff != cn->olen;
			}
		c->dirty = left;
	}
	if (now_us >= c->next_timer_us) {
		c->next_timer_us = now_us + CTL_TIMER_US;
		for (i = 0; i < c->n_icpt; i++)
			for (k = 0; k < c->n_conns; k++)
				conn_timers(c, &c->icpt[i].conns[k], now_us);
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
				pending |= c->icpt[i].conns[k].state == CONN_CONNECTING ||
					c->icpt[i].conns[k].state == CONN_V2_WAIT ||
					c->icpt[i].conns[k].state == CONN_V2_AUTH ||
					c->icpt[i].conns[k].fallback;
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
	uint8_t msg1[DTC_V1_ROUTE_LEN], msg2[DTC_V2_HDR_LEN + DTC_V2_KEY_LEN];
	unsigned int i, j, reached = 0;
	bool v1_ok;

	if (c->up == 0) {
		c->st.routes_dropped++;
		return -ENOTCONN;
	}
	if (r->op != DTC_V1_ROUTE_ADD && r->op != DTC_V1_ROUTE_DEL) {
		c->st.routes_dropped++;
		return -EINVAL;
	}
	v1_ok = dtc_v1_route_encode(msg1, &r->key, r->op) == 0;
	if (dtc_v2_route_encode(msg2, sizeof(msg2), r->op == DTC_V1_ROUTE_ADD ?
			DTC_V2_ROUTE_ADD : DTC_V2_ROUTE_DEL, &r->key, 1) < 0) {
		c->st.routes_dropped++;
		return -EINVAL;
	}
	for (i = 0; i < c->n_icpt; i++) {
		struct ctl_icpt *ic = &c->icpt[i];
		bool sent = false;

		if (ic->n_up == 0) {
			c->st.route_copies_down++;
			continue;
		}
		if (ic->mode == MODE_V1 && !v1_ok) {
			c->st.route_copies_v6_v1++;
			continue;
		}
		for (j = 0; j < c->n_conns && !sent; j++) {
			unsigned int k = (ic->rr + j) % c->n_conns;
			struct ctl_conn *cn = &ic->conns[k];
			const uint8_t *msg = cn->v2 ? msg2 : msg1;
			uint32_t len = cn->v2 ? sizeof(msg2) : sizeof(msg1);

			if (cn->state != CONN_UP || (!cn->v2 && !v1_ok))
				continue;
			if (conn_append(cn, msg, len)) {
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
		return v1_ok ? -ENOBUFS : -EAFNOSUPPORT;
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
	for (i = 0; i < c->n_icpt; i++)
		if (c->icpt[i].have_offset) {
			s->clock_offset_us = c->icpt[i].offset_us;
			s->clock_delay_us = c->icpt[i].delay_us;
			break;
		}
}
