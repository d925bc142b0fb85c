/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dpdk-intercept internals shared between its files: options (args.c), the route table and
 * the early-response hold queue (route.c), per-copier output buffers (out.c), the control
 * server (control.c), the capture side (rx.c), statistics and telemetry (stats.c).
 *
 * Threading: the route table, hold queue, output buffers and control server belong to the
 * main lcore alone.  The capture side runs on the main lcore (one lcore) or on one RX lcore
 * that hands (record, 4-tuple) items to the main lcore through an SP/SC ring.
 */

#ifndef DTC_INTERCEPT_H
#define DTC_INTERCEPT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>
#include <rte_ring.h>

#include "dtc_capture.h"
#include "dtc_ctl.h"
#include "dtc_proto.h"

extern int dtc_icpt_logtype;
#define ICPT_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, dtc_icpt_logtype, "dtc.intercept: " fmt "\n", ##__VA_ARGS__)

/* ------------------------------------------------------------------ */
/* Options (args.c). */

#define ICPT_MAX_ALLOW 32
#define ICPT_HOLD_US (3ull * 1000000)   /* SYN-ACK/RST without a route wait this long */

struct icpt_cidr {
	uint8_t family;              /* 4 or 6 */
	uint8_t prefix;              /* bits */
	union dtc_addr addr;         /* network order, host bits cleared */
};

struct icpt_opts {
	/* capture */
	const char *filter;          /* -F (required) */
	bool have_ip;
	rte_be32_t ip;               /* --ip, network order */
	uint16_t rx_port;            /* --rx-port (0) */
	bool rx_port_given;
	char iface[16];              /* --iface: an af_packet port added ("" = none) */
	/* control channel */
	uint16_t port;               /* -p (36524) */
	uint8_t bind_family;         /* -b: 0 = any (IPv4 0.0.0.0) */
	union dtc_addr bind_addr;    /* network order */
	struct icpt_cidr allow[ICPT_MAX_ALLOW]; /* --allow; none = everyone */
	unsigned int n_allow;
	uint32_t max_conns;          /* --max-conns (256) */
	uint32_t conn_stall_s;       /* --conn-stall (10) */
	uint32_t batch_max;          /* -n (16) records per frame */
	const char *secret_file;     /* --secret: require protocol v2 with authentication */
	struct dtc_v2_secret *secret; /* loaded by main() from secret_file (NULL: none) */
	/* routes */
	uint32_t route_timeout_s;    /* -t/--route-timeout (120; 0 = never) */
	uint32_t routes;             /* --routes (1048576) */
	uint32_t hold;               /* -s/--hold-size (16384) */
	uint32_t wait_routes;        /* --wait-routes (0) */
	/* process */
	uint32_t stats_interval_s;   /* --stats-interval (5; 0 = only at exit) */
	uint32_t idle_sleep_us;      /* --idle-sleep (0 = busy polling) */
	const char *log_file;        /* -l */
	const char *pid_file;        /* -P */
	bool daemon;                 /* -d */
};

/*
 * Parse the application arguments (argv[0] = program name).  Never prints or exits: returns
 * DTC_OPTS_OK, _HELP, _VERSION or _ERROR with *err filled (app/common).  Callable any number
 * of times.
 */
struct dtc_opts_err;
int icpt_args_parse_r(int argc, char **argv, struct icpt_opts *o, struct dtc_opts_err *err);
/* main()'s wrapper: prints help/version (exit 0) or the error (exit 2). */
void icpt_args_parse(int argc, char **argv, struct icpt_opts *o);
void icpt_usage(const char *prog);
/* Whether addr (family 4 or 6) is allowed by the --allow list (an empty list allows all). */
bool icpt_allowed(const struct icpt_opts *o, uint8_t family, const union dtc_addr *addr);

/* ------------------------------------------------------------------ */
/* Route table and hold queue (route.c): main lcore only, pure logic, clock injected. */

#define ICPT_RT_STATS(X) \
	X(routes_added, "route registrations that created a route") \
	X(routes_refreshed, "registrations of a known 4-tuple (refresh or owner change)") \
	X(routes_deleted, "routes removed by a delete message") \
	X(routes_aged, "routes removed after --route-timeout without use") \
	X(routes_evicted, "oldest routes evicted because the table was full") \
	X(routes_closed, "routes removed because their connection closed") \
	X(held, "SYN-ACK/RST records held for a route not yet registered") \
	X(held_delivered, "held records delivered when their route arrived") \
	X(held_expired, "held records dropped after 3 s without a route") \
	X(held_overflow, "held records dropped because the hold queue was full")

enum icpt_rt_stat {
#define ICPT_RT_ENUM(n, s) ICPT_RT_##n,
	ICPT_RT_STATS(ICPT_RT_ENUM)
#undef ICPT_RT_ENUM
	ICPT_RT_STAT_MAX
};

extern const char *const icpt_rt_stat_names[ICPT_RT_STAT_MAX];

struct icpt_rt;

/* Called for each held record (a v2 record, len bytes) when its route arrives, in arrival
 * order. */
typedef void (*icpt_hold_fn)(void *arg, uint32_t conn, const uint8_t *rec, uint32_t len);

/*
 * A table of cap routes and hold_cap held records, for connections 0..max_conns-1.
 * timeout_us == 0: routes never age (only eviction when full).  NULL + rte_errno on error.
 */
struct icpt_rt *icpt_rt_create(uint32_t cap, uint32_t hold_cap, uint32_t max_conns,
	uint64_t timeout_us, uint32_t seed);
void icpt_rt_free(struct icpt_rt *t);
/* Register k for conn (a new route, a refresh, or a change of owner); held records for k are
 * then handed to fn.  Evicts the least recently used route when full. */
void icpt_rt_add(struct icpt_rt *t, const struct dtc_flow_key *k, uint32_t conn, uint64_t now,
	icpt_hold_fn fn, void *arg);
/* Delete k if conn owns it: 0, or -ENOENT. */
int icpt_rt_del(struct icpt_rt *t, const struct dtc_flow_key *k, uint32_t conn);
/* The owner of k (and the route counts as used now), or -1. */
int64_t icpt_rt_lookup(struct icpt_rt *t, const struct dtc_flow_key *k, uint64_t now);
/* Remove every route of conn. */
void icpt_rt_drop_conn(struct icpt_rt *t, uint32_t conn);
/* Hold a record (len <= DTC_V2_REC_MAX bytes) for k (the oldest held record makes room when
 * full). */
void icpt_rt_hold(struct icpt_rt *t, const struct dtc_flow_key *k, const uint8_t *rec,
	uint32_t len, uint64_t now);
/* Age routes and held records; returns how many were removed. */
unsigned int icpt_rt_expire(struct icpt_rt *t, uint64_t now);
uint32_t icpt_rt_count(const struct icpt_rt *t);
uint32_t icpt_rt_conn_count(const struct icpt_rt *t, uint32_t conn);
uint32_t icpt_rt_held_count(const struct icpt_rt *t);
const uint64_t *icpt_rt_stats(const struct icpt_rt *t);

/* ------------------------------------------------------------------ */
/* Output of one copier connection (out.c): batches and a bounded byte buffer. */

struct icpt_out {
	struct dtc_v1_batch batch;
	/* protocol v2: the RECORDS message being filled (header + records) */
	uint8_t *v2msg;              /* DTC_V2_MSG_MAX bytes */
	uint32_t v2len;              /* bytes in v2msg, header included (0 = none open) */
	uint16_t v2count;
	uint64_t first_us;           /* when the open batch got its first record */
	uint8_t *buf;
	uint32_t cap, off, len;      /* unsent bytes are buf[off .. off + len) */
	uint16_t batch_max;
	uint64_t records;            /* records put in frames */
	uint64_t frames;
	uint64_t overflow_records;   /* dropped: the buffer had no room for their frame */
	uint64_t bytes_sent;
};

int icpt_out_init(struct icpt_out *o, uint32_t cap, uint16_t batch_max);
void icpt_out_fini(struct icpt_out *o);
void icpt_out_reset(struct icpt_out *o);
/* Add a record; a batch that reaches batch_max becomes a frame at once.  Returns true when
 * a frame was closed. */
bool icpt_out_add(struct icpt_out *o, const uint8_t rec[DTC_V1_REC_LEN], uint64_t now);
/* The same for a v2 connection: a v2 record of len bytes into a RECORDS message. */
bool icpt_out_add_v2(struct icpt_out *o, const uint8_t *rec, uint32_t len, uint64_t now);
/* Queue a control message (v2 HELLO, AUTH, HEARTBEAT, BYE, or the preamble) after the records
 * before it (the open batch is closed first).  false when the buffer has no room. */
bool icpt_out_raw(struct icpt_out *o, const uint8_t *msg, uint32_t len);
/* Close the open batch into a frame when it holds records and is at least max_delay_us old
 * (0: whatever its age).  Returns true when a frame was closed. */
bool icpt_out_flush(struct icpt_out *o, uint64_t now, uint64_t max_delay_us);
static inline uint32_t
icpt_out_pending(const struct icpt_out *o)
{
	return o->len;
}
static inline const uint8_t *
icpt_out_data(const struct icpt_out *o)
{
	return o->buf + o->off;
}
void icpt_out_consume(struct icpt_out *o, uint32_t n);

/* ------------------------------------------------------------------ */
/* Capture side (rx.c). */

/*
 * What the capture side hands to the route table: a v2 record (capture time, up to 40 option
 * bytes, a payload prefix) and its 4-tuple.  An IPv4 v2 record holds the v1 record at
 * DTC_V2_REC_V1_OFF, so v1 connections are served from the same item.
 */
struct icpt_item {
	struct dtc_flow_key key;     /* client = the segment's destination */
	uint16_t rec_len;
	uint8_t tcp_flags;
	uint8_t pad;
	uint8_t rec[DTC_V2_REC_MAX];
};

#define ICPT_RX_STATS(X) \
	X(tx_replies, "ARP/ICMP replies transmitted") \
	X(tx_failed, "ARP/ICMP replies the port did not take") \
	X(not_ipv4, "matching segments neither IPv4 nor IPv6") \
	X(record_err, "matching segments no record could be made of") \
	X(ring_full, "records dropped: ring to the main lcore full")

enum icpt_rx_stat {
#define ICPT_RX_ENUM(n, s) ICPT_RX_##n,
	ICPT_RX_STATS(ICPT_RX_ENUM)
#undef ICPT_RX_ENUM
	ICPT_RX_STAT_MAX
};

extern const char *const icpt_rx_stat_names[ICPT_RX_STAT_MAX];

#define ICPT_BURST 32

struct icpt_rx {
	uint16_t port;
	struct dtc_capture cap;
	struct dtc_responder resp;
	struct rte_ring *ring;       /* NULL: items go straight to the caller */
	uint32_t idle_sleep_us;
	volatile bool *go;           /* RX lcore: start polling when true (--wait-routes) */
	uint16_t prefix;             /* payload bytes per record, the most any copier asked for
	                              * (written by the main lcore, atomically) */
	uint64_t stats[ICPT_RX_STAT_MAX];
};

/* One burst: capture, answer, filter, record.  Items are written to items[] (ICPT_BURST of
 * room); returns how many. */
unsigned int icpt_rx_poll(struct icpt_rx *rx, struct icpt_item *items);
/* The RX lcore's loop (rte_eal_remote_launch): icpt_rx_poll into the ring until quit. */
int icpt_rx_lcore(void *arg);

/* ------------------------------------------------------------------ */
/* Control server (control.c): main lcore. */

#define ICPT_SRV_STATS(X) \
	X(records_routed, "records queued to their copier connection") \
	X(unrouted, "records dropped: no route and not SYN-ACK/RST") \
	X(accepted, "control connections accepted") \
	X(refused, "connections refused by --allow") \
	X(refused_full, "connections refused: --max-conns reached") \
	X(closed, "control connections closed (any reason)") \
	X(malformed, "connections closed for a malformed message") \
	X(stalled, "connections closed for not reading their records") \
	X(overflow, "records dropped: a copier's output buffer was full") \
	X(versions_other, "version messages other than 6 (1.x) and 0x4402 (v2)") \
	X(routes_msgs, "route messages received") \
	X(v2_conns, "connections that negotiated protocol v2") \
	X(v2_ready, "v2 connections that completed the handshake (authenticated with --secret)") \
	X(auth_failed, "v2 AUTH refused: wrong secret or an AUTH replayed from another connection") \
	X(auth_missing, "refused: no AUTH (HELLO without it, or routes before it) with --secret") \
	X(v1_refused, "v1 (1.x) copiers refused because --secret requires v2") \
	X(handshake_timeout, "v2 connections closed: no complete handshake within 5 s") \
	X(peer_dead, "v2 connections closed: nothing received for 3 s (heartbeats)") \
	X(heartbeats_sent, "v2 heartbeats sent") \
	X(heartbeats_rcvd, "v2 heartbeats received") \
	X(ipv6_to_v1, "IPv6 records not sent: the route's copier speaks v1") \
	X(bye_rcvd, "v2 BYE messages received")

enum icpt_srv_stat {
#define ICPT_SRV_ENUM(n, s) ICPT_SRV_##n,
	ICPT_SRV_STATS(ICPT_SRV_ENUM)
#undef ICPT_SRV_ENUM
	ICPT_SRV_STAT_MAX
};

extern const char *const icpt_srv_stat_names[ICPT_SRV_STAT_MAX];

struct icpt_server;

/* A snapshot of one copier connection for the stats line and telemetry. */
struct icpt_conn_info {
	char peer[64];
	uint8_t version;             /* 1 or 2 (0: handshake not finished) */
	uint32_t routes;
	uint64_t records, frames, overflow, bytes;
};

/* Listen (non-blocking, epoll) as the options say; NULL with a message in err. */
struct icpt_server *icpt_server_create(const struct icpt_opts *o, struct icpt_rt *rt,
	char *err, size_t errlen);
void icpt_server_free(struct icpt_server *s);
/* Accept, read route messages, send pending output; epoll with zero timeout. */
unsigned int icpt_server_poll(struct icpt_server *s, uint64_t now);
/* Route one captured record to its copier, or hold it, or count it unrouted. */
void icpt_server_deliver(struct icpt_server *s, const struct icpt_item *it, uint64_t now);
/* Where the capture side reads the payload prefix to carry (the largest a v2 copier asked
 * for); kept up to date as copiers come and go. */
void icpt_server_prefix_target(struct icpt_server *s, uint16_t *rx_prefix);
/* Close the batches that got records since the last flush and send: the loop calls it after
 * every iteration, so a record waits tens of microseconds, not a timer. */
void icpt_server_flush(struct icpt_server *s, uint64_t now);
/* Periodic work: route and hold expiry, stalled copiers, v2 heartbeats and handshake and
 * liveness deadlines. */
void icpt_server_timers(struct icpt_server *s, uint64_t now);
const uint64_t *icpt_server_stats(struct icpt_server *s);
unsigned int icpt_server_conns(const struct icpt_server *s);
/* Fill up to max entries for the live connections; returns how many. */
unsigned int icpt_server_conn_info(const struct icpt_server *s, struct icpt_conn_info *ci,
	unsigned int max);

/* ------------------------------------------------------------------ */
/* Statistics (stats.c). */

struct icpt_ctx {
	const struct icpt_opts *o;
	struct icpt_rx *rx;
	struct icpt_server *srv;
	struct icpt_rt *rt;
};

int icpt_stats_init(struct icpt_ctx *ctx);
/* Refresh the telemetry snapshot (main lcore, cheap; call every ~100 ms). */
void icpt_stats_snapshot(struct icpt_ctx *ctx);
/* Log one stats line (and one per copier connection). */
void icpt_stats_log(struct icpt_ctx *ctx, const char *what);

#endif /* DTC_INTERCEPT_H */
