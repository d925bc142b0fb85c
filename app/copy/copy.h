/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dpdk-tcpcopy internals shared between its files: the parsed options (args.c), the control
 * channel client (control.c), and the data path (main.c, rx.c, worker.c, offline.c, stats.c).
 */

#ifndef DTC_COPY_H
#define DTC_COPY_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>

#include "dtc_proto.h"
#include "dtc_ctl.h"
#include "dtc_session.h"

extern int dtc_copy_logtype;
#define COPY_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, dtc_copy_logtype, "dtc.copy: " fmt "\n", ##__VA_ARGS__)

#define DTC_COPY_MAX_INTERCEPTS 32
#define DTC_COPY_MAX_CONNS 16       /* -C upper bound */
#define DTC_COPY_MAX_RX_PORTS 8
#define DTC_COPY_MAX_RX_LCORES 16

struct dtc_intercept_addr {
	uint8_t family;              /* 4 or 6 */
	union dtc_addr addr;         /* network order */
	uint16_t port;               /* host order */
};

/* Everything the command line (and --config) says.  Filled by dtc_copy_args_parse(). */
struct dtc_copy_opts {
	/* what to copy */
	struct dtc_xfer xfer[DTC_XFER_MAX];  /* -x */
	unsigned int n_xfer;
	struct dtc_pool pool;                /* -c; empty = keep client addresses */
	bool have_pool;
	/* intercepts */
	struct dtc_intercept_addr intercept[DTC_COPY_MAX_INTERCEPTS]; /* -s */
	unsigned int n_intercept;
	uint16_t intercept_port;             /* -p (36524) */
	unsigned int conns_per_intercept;    /* -C (2) */
	const char *secret_file;             /* --secret: protocol v2, authenticated, only */
	uint16_t record_prefix;              /* --record-prefix: payload bytes per v2 record */
	/* session behaviour */
	unsigned int multiply;               /* -n (1) */
	unsigned int port_offset;            /* -f (0) */
	unsigned int sample_pct;             /* -r (0 = all; 100 = all too) */
	bool gradual;                        /* -g */
	bool full_sessions_only;             /* -O */
	bool no_wait;                        /* -W */
	uint32_t max_lag_ms;                 /* --max-lag (5; 0 = no catch-up) */
	bool lonely;                         /* -L */
	uint32_t session_timeout_s;          /* -t (120) */
	uint32_t keepalive_timeout_s;        /* -k (t + 120) */
	uint16_t mtu;                        /* -M (1500) */
	uint16_t mss;                        /* -D (1460) */
	uint32_t rtt_ms;                     /* -R (0 = measure) */
	uint64_t max_memory_mb;              /* -m (0: what the EAL has) */
	/* offline replay */
	const char *pcap_file;               /* -i */
	double speed;                        /* -a (1) */
	uint32_t gap_ms;                     /* -I (0 = off) */
	uint32_t loops;                      /* -T (1) */
	/* capture filter */
	const char *filter;                  /* -F */
	/* process */
	const char *log_file;                /* -l */
	const char *pid_file;                /* -P */
	bool daemon;                         /* -d */
	const char *config_file;             /* --config (set by dtc_copy_cmdline, which expands it) */
	/* DPDK specifics */
	uint16_t rx_ports[DTC_COPY_MAX_RX_PORTS]; /* --rx-port (0) */
	unsigned int n_rx_ports;
	bool rx_port_given;                  /* --rx-port given (else --iface decides) */
	char ifaces[2][16];                  /* --iface MIRROR[,TX]: af_packet ports added */
	unsigned int n_ifaces;
	int tx_port;                         /* --tx-port (-1 = default: 1 if 2+ ports, else 0) */
	bool have_tx_ip;
	rte_be32_t tx_ip;                    /* --tx-ip, network order */
	int response_port;                   /* --response-port (-1 = none: intercept mode) */
	uint32_t rx_lcores;                  /* --rx-lcores (1) */
	uint32_t stats_interval_s;           /* --stats-interval (5; 0 = off) */
	uint32_t idle_sleep_us;              /* --idle-sleep (0 = busy polling) */
	/* online vs test comparison (app/copy/compare.c) */
	bool compare;                        /* --compare on|off (off) */
	uint32_t compare_keys;               /* --compare-keys (32) */
	const char *compare_report;          /* --compare-report FILE (none) */
	uint8_t compare_proto[DTC_XFER_MAX]; /* --compare-proto, one per -x map (auto) */
	unsigned int n_compare_proto;
};

/*
 * Option limits and defaults (docs/copy.md explains each).  The -n bound follows the width of
 * struct dtc_seg.replica (checked in args.c).
 */
#define DTC_COPY_MAX_MULTIPLY 256
#define DTC_COPY_MAX_PORT_OFFSET 255
#define DTC_COPY_DEF_STATS_INTERVAL_S 5
#define DTC_COPY_LONELY_GRACE_S 10   /* without -L: exit when no intercept is up this long */

/*
 * Parse and validate the application arguments (the part after "--"; argv[0] = program name)
 * without printing or exiting; may be called any number of times (getopt state is reset).
 * Returns DTC_OPTS_OK (*o filled), _HELP, _VERSION or _ERROR with *err filled (app/common).
 * String options in *o point into argv, which must outlive *o.  argv may be permuted.
 */
struct dtc_opts_err;
int dtc_copy_args_parse_r(int argc, char **argv, struct dtc_copy_opts *o,
	struct dtc_opts_err *err);

/*
 * The same, for main(): invalid input prints "<prog>: invalid value '<v>' for option <opt>:
 * <why>" and exits with status 2; -h prints the help and -v the version, exit 0.
 */
void dtc_copy_args_parse(int argc, char **argv, struct dtc_copy_opts *o);

/*
 * Everything main() needs before rte_eal_init(): expand --config FILE (app/common), parse and
 * validate the options after "--" with dtc_copy_args_parse() (so a bad option exits 2 before
 * the EAL or any port starts), and set o->config_file.  Returns the number of EAL arguments:
 * all->argv[0 .. ret-1] is what to pass to rte_eal_init().  *all owns every string *o points
 * to: dtc_argv_free(all) only after the last use of *o.  A bad --config file exits 2 too.
 */
struct dtc_argv;
int dtc_copy_cmdline(int argc, char **argv, struct dtc_copy_opts *o, struct dtc_argv *all);

/* The help text on stdout (generated from the option table, so it never misses one). */
void dtc_copy_usage(const char *prog);
/* "dpdk-tcpcopy <version> ..." on stdout. */
void dtc_copy_version(void);

/* The long options, for the test that checks help and docs against them (NULL-terminated). */
extern const struct option dtc_copy_long_opts[];

/* ------------------------------------------------------------------ */
/* Control channel client (main lcore only; control.c). */

struct dtc_ctl_client;

/* Route registrations from workers to the main lcore travel through one SP/SC ring per worker
 * (elements are struct dtc_copy_route). */
struct dtc_copy_route {
	struct dtc_flow_key key;
	uint16_t op;                         /* DTC_V1_ROUTE_ADD / _DEL */
	uint16_t pad[3];
};

/* Response records go to a worker by this callback (it enqueues to the owner's ring). */
typedef void (*dtc_copy_resp_fn)(void *arg, const struct dtc_resp *r);

#define DTC_CTL_OBUF_SIZE (64u << 10)          /* queued output bytes per connection */
#define DTC_CTL_BACKOFF_MIN_US 100000          /* first reconnect delay */
#define DTC_CTL_BACKOFF_MAX_US 500000          /* reconnect delay cap: a returning intercept
                                                * is used again within 0.5 s */

/*
 * Times (now_us) are dtc_now_us() values: the client reads that clock itself only inside
 * dtc_ctl_client_connect(), so call dtc_clock_init() first.
 */

/* NULL with rte_errno: EINVAL (no -s intercept), ENOMEM. */
struct dtc_ctl_client *dtc_ctl_client_create(const struct dtc_copy_opts *o,
	dtc_copy_resp_fn resp, void *resp_arg);
/* Closes every connection (queued routes are lost).  Safe on NULL. */
void dtc_ctl_client_free(struct dtc_ctl_client *c);
/*
 * Start -C connections to every intercept and service them (as dtc_ctl_client_poll does) until
 * every connection is up or has failed once, or timeout_ms has passed; failed connections are
 * retried later by dtc_ctl_client_poll() with backoff.  Returns the number of intercepts with
 * at least one connection up.  Startup only: it waits in epoll_wait().
 */
int dtc_ctl_client_connect(struct dtc_ctl_client *c, uint32_t timeout_ms);
/*
 * Queue a route message (14 bytes, v1) to one connection of EVERY intercept that has one up,
 * round-robin over its connections, skipping connections whose output buffer is full.
 * 0 when at least one intercept took it; -ENOTCONN when no intercept is up; -ENOBUFS when
 * every up intercept was full; -EAFNOSUPPORT for an IPv6 key (v1 is IPv4 only), -EINVAL for an
 * unknown op.  Only queues: the bytes leave in the next dtc_ctl_client_poll(), in order.
 */
int dtc_ctl_client_route(struct dtc_ctl_client *c, const struct dtc_copy_route *r);
/* One non-blocking service pass: epoll with zero timeout, send queued bytes, read and decode
 * records (calling resp), reconnect with backoff.  Returns the amount of work done. */
unsigned int dtc_ctl_client_poll(struct dtc_ctl_client *c, uint64_t now_us);
/* Intercepts with at least one live connection.  An atomic load: callable from any lcore. */
unsigned int dtc_ctl_client_up(const struct dtc_ctl_client *c);
/*
 * How long no intercept has been up, in microseconds (0 while one is).  Counted from the
 * moment the last one went down, or from dtc_ctl_client_connect() when none ever came up.
 * Without -L, main exits once this passes DTC_COPY_LONELY_GRACE_S.
 */
uint64_t dtc_ctl_client_down_us(const struct dtc_ctl_client *c, uint64_t now_us);

struct dtc_ctl_client_stats {
	uint64_t connects;              /* connections established */
	uint64_t disconnects;           /* established connections lost or closed by us */
	uint64_t connect_failures;      /* attempts that never got established */
	uint64_t routes_sent;           /* route messages queued (one per intercept reached) */
	uint64_t routes_dropped;        /* dtc_ctl_client_route() calls that failed */
	uint64_t route_copies_full;     /* an up intercept skipped: all its buffers full */
	uint64_t route_copies_down;     /* an intercept skipped: no connection up */
	uint64_t records, bad_records;  /* response records decoded / well framed but invalid */
	uint64_t bad_frames;            /* connections closed for a bad batch count */
	uint64_t bytes_in, bytes_out;
	unsigned int intercepts_up, conns_up;
	/* protocol v2 */
	uint64_t v2_conns, v1_conns;    /* connections that came up in each version */
	uint64_t v1_fallbacks;          /* intercepts that did not answer v2: 1.x, v1 used */
	uint64_t handshake_failures;    /* v2 handshakes that did not finish (timeout, refused) */
	uint64_t auth_failures;         /* the intercept's AUTH wrong, or authentication missing */
	uint64_t peer_dead;             /* v2 connections closed: nothing received for 3 s */
	uint64_t heartbeats_sent, heartbeats_rcvd, byes_rcvd;
	uint64_t route_copies_v6_v1;    /* an IPv6 route not sent to a v1 intercept */
	/* clock offset (intercept minus copier, NTP style from heartbeats), of the first intercept
	 * with a sample; and the latest capture-to-arrival delay of a record, offset corrected */
	uint64_t clock_samples;
	int64_t clock_offset_us, clock_delay_us;
	int64_t record_delay_us;
};

void dtc_ctl_client_stats(const struct dtc_ctl_client *c, struct dtc_ctl_client_stats *s);

#endif /* DTC_COPY_H */
