/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * lib/session: the TCP session copy engine.
 *
 * Pure logic: no ports, no sockets, no lcore launch.  Two objects:
 *
 *  - struct dtc_front, one per RX lcore: takes a parsed captured frame, keeps it only when it
 *    is a client->server segment of a -x map (and passes -r/-g sampling), computes the
 *    rewritten client endpoint of each of the -n replicas, fills the compact segment metadata
 *    (struct dtc_seg, in the mbuf private area), and says which worker owns each replica.
 *    Stateless apart from counters, so several RX lcores may each have one.
 *
 *  - struct dtc_sess_engine, one per worker lcore: owns the sessions whose rewritten client
 *    endpoint hashes to it (dtc_sess_owner()).  Inputs: segments from the front, response
 *    records (struct dtc_resp) and the clock.  Outputs, through callbacks: Ethernet frames to
 *    transmit, route registrations for the intercepts.
 *
 * Time is always passed in by the caller (microseconds, any epoch, monotonic), so tests drive
 * the clock.  Nothing here allocates after creation, takes a lock or makes a syscall.
 */

#ifndef DTC_SESSION_H
#define DTC_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dtc_proto.h"
#include "dtc_ctl.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* What to copy: transfer maps (-x) and the client address pool (-c). */

#define DTC_XFER_MAX 64

struct dtc_xfer {
	uint8_t family;              /* 4 or 6; online and target are the same family */
	uint8_t any_online_addr;     /* "[srcIP:]" omitted: any address on online_port */
	uint8_t has_static_mac;      /* "@MAC" given: no ARP */
	uint8_t pad;
	union dtc_addr online_addr;  /* network order */
	rte_be16_t online_port;      /* network order */
	rte_be16_t target_port;      /* network order */
	union dtc_addr target_addr;  /* network order */
	/*
	 * Next-hop MAC towards the target: bit 63 = valid, bits 0..47 = the address bytes in
	 * order (byte 0 in bits 0..7).  Written by the control plane (ARP resolver or "@MAC"),
	 * read by workers with relaxed atomic loads.
	 */
	uint64_t dst_mac;
};

#define DTC_MAC_VALID (1ULL << 63)

/*
 * Parse a -x value: "[srcIP:]srcPort-dstIP:dstPort[@dstMAC][,...]", IPv6 addresses in
 * brackets ("[2001:db8::1]:80").  Returns the number of maps, or -EINVAL with a message in err
 * that quotes the offending part.
 */
int dtc_xfer_parse(const char *s, struct dtc_xfer *out, unsigned int max, char *err,
	size_t errlen);

/* Find the map a client->server segment (dst = online endpoint) belongs to; -1 if none. */
int dtc_xfer_match(const struct dtc_xfer *x, unsigned int n, uint8_t family,
	const union dtc_addr *dst, rte_be16_t dport);

/* A client address pool: ranges of consecutive addresses, per family. */
#define DTC_POOL_RANGES_MAX 256

struct dtc_pool_range {
	union dtc_addr base;         /* network order */
	uint64_t count;              /* addresses in the range (>= 1) */
};

struct dtc_pool {
	struct dtc_pool_range r4[DTC_POOL_RANGES_MAX];
	struct dtc_pool_range r6[DTC_POOL_RANGES_MAX];
	uint16_t n4, n6;
	uint64_t total4, total6;     /* sum of counts */
};

/*
 * Parse a -c value: addresses, comma lists, "a.b.c.x" (.1 to .254), CIDR blocks (IPv4: network
 * and broadcast addresses excluded for prefixes up to /30; IPv6 CIDR up to 2^32 addresses),
 * IPv4 and IPv6 mixed.  Target addresses given in xfer are skipped.  Returns 0 or -EINVAL with
 * a message in err.
 */
int dtc_pool_parse(const char *s, const struct dtc_xfer *xfer, unsigned int n_xfer,
	struct dtc_pool *p, char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* Per-segment metadata, kept in the mbuf private area (mempools must be created with
 * priv_size >= DTC_MBUF_PRIV_SIZE). */

struct dtc_seg {
	struct dtc_flow_key key;     /* rewritten 4-tuple: fake client -> target */
	uint32_t seq, ack;           /* host order */
	uint32_t tsval, tsecr;       /* host order, valid when ts_off != 0 */
	uint32_t origin;             /* hash of the original 4-tuple and replica: collision check */
	uint32_t owner_hash;         /* dtc_endpoint_hash of key.client/client_port */
	uint32_t flow_hash;          /* dtc_flow_hash(&key, seed): the engine's table hash */
	uint32_t t_in;               /* engine-private: intake tick (set by the engine) */
	uint16_t payload_len;
	uint16_t win;                /* host order, unscaled, as captured */
	uint16_t mss;                /* MSS option of a captured SYN, 0 = none */
	uint8_t flags;               /* DTC_TCP_* */
	uint8_t tcp_hlen;            /* TCP header length in bytes */
	uint8_t ts_off;              /* TS option offset in the TCP header, 0 = none */
	uint8_t wscale;              /* captured SYN's window scale, DTC_WSCALE_NONE = none */
	uint8_t replica;             /* 0 .. multiply-1 */
	uint8_t xfer;                /* index of the -x map */
	uint8_t sack_ok;             /* captured SYN had SACK-permitted */
	uint8_t l3_len;              /* engine-private: IP header length of the built frame */
	uint8_t sflags;              /* DTC_SEG_F_* */
	uint8_t pad;
	uint32_t t_cap;              /* capture time, us (low 32 bits of the front's now_us) */
	struct rte_mbuf *qnext;      /* the engine's queue link */
};

/*
 * The TCP checksum in the segment's header is valid for its rewritten key (the RX NIC had
 * verified the capture, RTE_MBUF_F_RX_L4_CKSUM_GOOD, and the front adjusted it for the new
 * endpoints): the engine then updates it per changed field instead of summing the payload.
 */
#define DTC_SEG_F_CSUM_OK 0x01
/* Not client data: a segment of the online server to the client (its key is the session's,
 * as the client's would be), for the comparison (conf.online_answers). */
#define DTC_SEG_F_ONLINE 0x02

#define DTC_MBUF_PRIV_SIZE RTE_ALIGN_CEIL(sizeof(struct dtc_seg), RTE_MBUF_PRIV_ALIGN)

static inline struct dtc_seg *
dtc_seg_of(struct rte_mbuf *m)
{
	return (struct dtc_seg *)rte_mbuf_to_priv(m);
}

/*
 * Layout of an mbuf handed by the front to an engine: data starts at the TCP header (link and
 * IP headers stripped, Ethernet padding trimmed), data_len/pkt_len = tcp_hlen + payload_len.
 * The engine prepends its own Ethernet and IP headers (headroom >= 14 + 40 needed).
 */

/* ------------------------------------------------------------------ */
/* Counters (docs/session.md explains each one).
 *
 * Every client segment given to the engine (seg_in) ends up in exactly one of: seg_queued (kept
 * for transmission), seg_ctl (a FIN or RST without payload, absorbed into the session's state)
 * or one DTC_SESS_DROP_* reason; so seg_in == seg_queued + seg_ctl + sum(drop).  Every ended
 * session increments exactly one DTC_SESS_END_*.  A transmission that could not be made (the
 * segment stays queued or the synthesized one is lost) increments one DTC_SESS_TXF_*. */

#define DTC_SESS_COUNTER_LIST(X) \
	X(seg_in, "client segments given to the engine") \
	X(seg_queued, "client segments queued for the test server") \
	X(seg_ctl, "client FIN/RST without payload absorbed into the session state") \
	X(seg_sent, "segments sent to the test server (first transmission)") \
	X(seg_retrans, "segments retransmitted (timeout)") \
	X(seg_fast_retrans, "segments retransmitted after three duplicate ACKs") \
	X(seg_synth, "synthesized segments sent (SYN, ACK, FIN, RST)") \
	X(seg_split, "extra segments made by splitting oversize captures") \
	X(seg_trimmed, "client segments trimmed because they partly overlapped queued bytes") \
	X(zwin_probes, "zero-window probes sent") \
	X(tx_copy, "transmissions that needed a copy (previous send still in flight)") \
	X(bytes_sent, "payload bytes sent (first transmission)") \
	X(sess_created, "sessions created") \
	X(sess_syn_synth, "sessions opened with a synthesized SYN") \
	X(sess_established, "sessions that completed the handshake with the test server") \
	X(sess_rebuilt, "sessions rebuilt after a test-server RST (new SYN)") \
	X(sess_collisions, "4-tuple collisions avoided by picking another client endpoint") \
	X(resp_in, "response records received") \
	X(resp_unmatched, "response records with no live session") \
	X(resp_ignored, "response records not acceptable for their session (stale or out of window)") \
	X(resp_dup, "response records repeating test-server data already acknowledged") \
	X(resp_rst_sent, "RSTs sent for unmatched test-server segments") \
	X(resp_bytes, "test-server payload bytes acknowledged in order") \
	X(acks_sent, "pure ACKs sent to the test server (cumulative, delayed or duplicate)") \
	X(route_sent, "route registrations emitted") \
	X(route_del, "route deletions emitted when a session's entry is released") \
	X(requests, "client requests (first data, then each new-request boundary) sent") \
	X(req_answer, "new requests released when the test server had answered as many bytes as the online server") \
	X(req_silence, "new requests released after a silence (the test server answered less than the online one)") \
	X(req_catchup, "new requests released ahead of the answer because the session lagged over --max-lag") \
	X(close_answer, "client FIN/RST released after the test server's answer (same rule as requests)") \
	X(close_quiet, "client FIN/RST released after close_quiet_ms without the whole answer")

#define DTC_SESS_DROP_LIST(X) \
	X(not_client, "not a client->server segment of a -x map") \
	X(sampled_out, "session not kept by -r/-g sampling") \
	X(no_session, "no session and cannot start one (pure ACK/FIN/RST, or -O)") \
	X(pure_ack, "client pure ACK (the copier makes its own ACKs)") \
	X(duplicate, "client retransmission or duplicate of bytes already queued") \
	X(session_full, "session buffer cap reached (the session is ended: buf_cap)") \
	X(engine_full, "engine-wide buffered segment cap reached") \
	X(table_full, "session table full and nothing could be recycled") \
	X(no_route, "route registration could not be emitted") \
	X(no_mbuf, "mbuf pool empty (replica copy, split piece or synthesized SYN)") \
	X(collision, "4-tuple collision and no free client endpoint found for this worker") \
	X(closed, "segment for a session that has ended") \
	X(bad_segment, "segment metadata inconsistent, fragment or truncated capture")

#define DTC_SESS_END_LIST(X) \
	X(fin, "closed by FIN exchange") \
	X(client_rst, "client RST") \
	X(server_rst, "test-server RST with nothing left to send (or the rebuild was refused)") \
	X(syn_timeout, "not established within the handshake bound (10 s)") \
	X(resp_timeout, "no response for -t seconds with data pending") \
	X(idle_timeout, "no test-server packet for -k seconds, nothing pending") \
	X(buf_cap, "buffered data over the per-session cap") \
	X(lost_capture, "gap in captured client data never filled") \
	X(recycled, "oldest idle session recycled for a new one") \
	X(port_reuse, "replaced by a new SYN on the same 4-tuple") \
	X(shutdown, "copier stopping")

/* Transmissions not made.  A queued client segment stays queued (RTO retries). */
#define DTC_SESS_TXF_LIST(X) \
	X(no_mac, "next-hop MAC unknown (ARP pending)") \
	X(no_mbuf, "mbuf pool empty (synthesized segment or copy)") \
	X(tx_full, "TX callback did not take the frame")

enum dtc_sess_counter {
#define DTC_X_ENUM(n, s) DTC_SESS_C_##n,
	DTC_SESS_COUNTER_LIST(DTC_X_ENUM)
#undef DTC_X_ENUM
	DTC_SESS_C_MAX
};
enum dtc_sess_drop {
#define DTC_X_ENUM(n, s) DTC_SESS_DROP_##n,
	DTC_SESS_DROP_LIST(DTC_X_ENUM)
#undef DTC_X_ENUM
	DTC_SESS_DROP_MAX
};
enum dtc_sess_end {
#define DTC_X_ENUM(n, s) DTC_SESS_END_##n,
	DTC_SESS_END_LIST(DTC_X_ENUM)
#undef DTC_X_ENUM
	DTC_SESS_END_MAX
};
enum dtc_sess_txf {
#define DTC_X_ENUM(n, s) DTC_SESS_TXF_##n,
	DTC_SESS_TXF_LIST(DTC_X_ENUM)
#undef DTC_X_ENUM
	DTC_SESS_TXF_MAX
};

#define DTC_RTT_BUCKETS 16 /* log2 buckets of the test server's RTT: < 16 us, < 32 us, ...,
			    * bucket 15 = >= 262 ms (16 << 14 us) */

/*
 * Log-bucket histogram of microsecond values, constant memory: buckets 0..3 hold 0..3 us, then
 * four buckets per power of two ([4,5), [5,6), ... [2^k, 1.25 * 2^k), ...): a value is known to
 * within 25 %.  128 buckets reach 2^32 us.
 */
#define DTC_HIST_BUCKETS 128

static inline unsigned int
dtc_hist_bucket(uint64_t v)
{
	unsigned int o;

	if (v >= (1ull << 32))
		return DTC_HIST_BUCKETS - 1;
	if (v < 4)
		return (unsigned int)v;
	o = 31u - (unsigned int)__builtin_clz((uint32_t)v);
	return o * 4 - 4 + (unsigned int)((v >> (o - 2)) & 3);
}

/* Smallest value of bucket b. */
static inline uint64_t
dtc_hist_lo(unsigned int b)
{
	unsigned int o;

	if (b < 4)
		return b;
	o = b / 4 + 1;
	return (uint64_t)(4 + (b & 3)) << (o - 2);
}

/* Largest value of bucket b. */
static inline uint64_t
dtc_hist_hi(unsigned int b)
{
	return b + 1 < DTC_HIST_BUCKETS ? dtc_hist_lo(b + 1) - 1 : UINT64_MAX;
}

/* The value under which a share pct (0..100) of the samples lie: the upper end of the bucket
 * that holds that rank; 0 when empty.  pct = 100 gives the upper end of the highest bucket used. */
uint64_t dtc_hist_pct(const uint64_t *h, unsigned int n, double pct);

struct dtc_sess_stats {
	uint64_t c[DTC_SESS_C_MAX];
	uint64_t drop[DTC_SESS_DROP_MAX];
	uint64_t end[DTC_SESS_END_MAX];
	uint64_t txf[DTC_SESS_TXF_MAX];
	uint64_t rtt_hist[DTC_RTT_BUCKETS];
	/* copy lag: capture to release to the test server, per request (DTC_HIST buckets, us) */
	uint64_t lag_hist[DTC_HIST_BUCKETS];
	uint64_t lag_max_us;
	uint64_t active;             /* sessions live now (ended ones excluded) */
	uint64_t lingering;          /* ended sessions still holding their 4-tuple (linger) */
	uint64_t queued_segs;        /* client segments buffered now */
	uint64_t redirects;          /* live collision redirects */
};

/* Names ("seg_sent") and one-line descriptions, for stats and telemetry. */
const char *dtc_sess_counter_name(unsigned int i);
const char *dtc_sess_counter_desc(unsigned int i);
const char *dtc_sess_drop_name(unsigned int i);
const char *dtc_sess_drop_desc(unsigned int i);
const char *dtc_sess_end_name(unsigned int i);
const char *dtc_sess_end_desc(unsigned int i);
const char *dtc_sess_txf_name(unsigned int i);
const char *dtc_sess_txf_desc(unsigned int i);

/* ------------------------------------------------------------------ */
/* Configuration. */

struct dtc_cmp_pairs;

/* Transmit a burst of complete Ethernet frames; returns how many were taken (the engine frees
 * the rest and counts them as DTC_SESS_TXF_tx_full). */
typedef uint16_t (*dtc_sess_tx_fn)(void *arg, struct rte_mbuf **pkts, uint16_t n);
/* Register (op = DTC_V1_ROUTE_ADD) or delete a route with every intercept.  0 = queued;
 * negative = impossible now (the session is not started, drop no_route).  NULL = not needed
 * (two-host mode). */
typedef int (*dtc_sess_route_fn)(void *arg, const struct dtc_flow_key *k, uint16_t op);

struct dtc_sess_conf {
	/* what to copy */
	const struct dtc_xfer *xfer;    /* the maps; dst_mac read live */
	unsigned int n_xfer;
	const struct dtc_pool *pool;    /* NULL or empty: client addresses unchanged */
	uint16_t multiply;              /* -n: copies per session, 1 = plain copy */
	uint16_t port_offset;           /* -f: instance offset for client ports */
	uint32_t seed;                  /* hash seed: owner, sampling and pool choice (the same
					 * value in the front, the engines and the response
					 * dispatcher) */
	uint8_t sample_pct;             /* -r: 1..99 keeps that share of sessions; 0/100 all */
	bool gradual;                   /* -g: ramp the kept share from 1 % to 100 % over 100 s */
	bool full_sessions_only;        /* -O: never synthesize a SYN */
	bool no_wait;                   /* -W: do not wait for the response to the last request */
	bool online_answers;            /* the front keeps the online server's segments too
					 * (DTC_SEG_F_ONLINE), for --compare */
	uint32_t max_lag_us;            /* --max-lag: a session whose next request has waited
					 * this long since its capture releases it ahead of the
					 * answer (catch-up); 0 = never (5 ms) */
	uint32_t close_quiet_ms;        /* a FIN/RST waiting for the answer goes after this much
					 * quiet from the test server (1.5 s: longer than a test
					 * server's retransmission timeouts, 0.2 + 0.4 + 0.8 s) */
	/* TCP behaviour */
	uint16_t mss;                   /* -D: MSS option of synthesized SYNs (1460) */
	uint16_t mtu;                   /* -M: split captured segments longer than this (1500) */
	uint32_t rtt_us;                /* -R: fixed RTT; 0 = measure from the capture */
	uint32_t session_timeout_ms;    /* -t: no response while data pending (120 s) */
	uint32_t keepalive_timeout_ms;  /* -k: idle established session (t + 120 s) */
	uint32_t syn_timeout_ms;        /* handshake bound (10 s) */
	uint32_t gap_timeout_ms;        /* wait for a missing captured segment (3 s) */
	uint32_t resp_end_min_us;       /* floor of the response-end silence (200 us) */
	uint32_t delack_max_us;         /* longest delay of a cumulative ACK (40 ms) */
	uint32_t rto_min_ms;            /* retransmission timeout bounds (200 ms .. 60 s) */
	uint32_t rto_max_ms;
	uint32_t linger_ms;             /* an ended session keeps its 4-tuple this long (2 s) */
	uint32_t recycle_idle_ms;       /* table full: recycle the oldest session idle this long */
	uint32_t rcv_wnd;               /* receive window we advertise, bytes (1 MiB) */
	/* limits, all sized at creation */
	uint32_t max_sessions;
	uint32_t max_seg_per_sess;      /* buffered client segments per session */
	uint32_t max_seg_total;         /* buffered client segments per engine */
	uint32_t max_redirects;         /* collision redirects (0 = max_sessions / 16, >= 64) */
	/* plumbing */
	struct rte_mempool *mp;         /* synthesized segments and copies */
	int socket_id;
	uint16_t worker_id;             /* this engine's index (for collision avoidance) */
	uint16_t n_workers;
	struct rte_ether_addr src_mac;  /* our TX port's MAC */
	uint64_t tx_offloads;           /* RTE_ETH_TX_OFFLOAD_* usable on the TX port */
	dtc_sess_tx_fn tx;
	void *tx_arg;
	dtc_sess_route_fn route;
	void *route_arg;
	struct dtc_cmp_pairs *cmp;      /* online/test comparison (dtc_compare.h); NULL = off */
};

/* Defaults for everything (maps, pool, callbacks and mempool left empty). */
void dtc_sess_conf_defaults(struct dtc_sess_conf *c);

/* Which worker owns a rewritten client endpoint (multiply-shift, no division). */
static inline uint16_t
dtc_sess_owner(uint32_t owner_hash, uint16_t n_workers)
{
	return (uint16_t)(((uint64_t)owner_hash * n_workers) >> 32);
}

/* Which worker owns a response record (its destination is the rewritten client endpoint). */
static inline uint16_t
dtc_sess_resp_owner(const struct dtc_resp *r, uint32_t seed, uint16_t n_workers)
{
	return dtc_sess_owner(dtc_endpoint_hash(&r->key.client, r->key.client_port, seed),
		n_workers);
}

/* ------------------------------------------------------------------ */
/* The front: classify captured frames (one per RX lcore). */

struct dtc_front;

struct dtc_front *dtc_front_create(const struct dtc_sess_conf *c);
void dtc_front_free(struct dtc_front *f);

/*
 * Classify one captured frame, parsed into *pi (offsets relative to the mbuf data).  On keep,
 * the frame is normalized (see the layout above), its struct dtc_seg filled for replica 0, and
 * for replicas 1..multiply-1 copies are made from the configured mempool.  out[i]/worker[i]
 * receive up to c->multiply (mbuf, owning worker) pairs; the function returns how many.
 * 0 means the frame was not kept: it has been freed and counted (dtc_front_stats).
 */
unsigned int dtc_front_classify(struct dtc_front *f, struct rte_mbuf *m,
	const struct dtc_pkt_info *pi, uint64_t now_us, struct rte_mbuf **out, uint16_t *worker);

/*
 * The rewritten client endpoint of replica r of an original client endpoint (before any
 * collision avoidance by the engine): the address from the -c pool chosen by a hash of the
 * original address and r, the port shifted by a bijection of (r, -f) over ports 1024..65535
 * (replica 0 with -f 0 keeps its port).  Deterministic: the same on every RX lcore.
 */
void dtc_front_endpoint(const struct dtc_front *f, uint8_t family, const union dtc_addr *addr,
	rte_be16_t port, unsigned int replica, union dtc_addr *out, rte_be16_t *out_port);

/* Front counters: drops by reason (not_client, sampled_out, no_mbuf, ...) and kept frames. */
struct dtc_front_stats {
	uint64_t kept;
	uint64_t replicas;
	uint64_t online;             /* online server segments passed on (online_answers) */
	uint64_t drop[DTC_SESS_DROP_MAX];
};

void dtc_front_stats(const struct dtc_front *f, struct dtc_front_stats *s);

/* ------------------------------------------------------------------ */
/* The engine (one per worker lcore). */

struct dtc_sess_engine;

/* NULL with rte_errno set (EINVAL bad configuration, ENOMEM). */
struct dtc_sess_engine *dtc_sess_create(const struct dtc_sess_conf *c);
/* Frees every session, buffered mbuf and table.  Safe on NULL. */
void dtc_sess_free(struct dtc_sess_engine *e);

/* Bytes dtc_sess_create will allocate for this configuration (for -m sizing). */
size_t dtc_sess_mem_size(const struct dtc_sess_conf *c);

/* Client segments from the front (ownership passes to the engine). Returns n. */
uint16_t dtc_sess_client_burst(struct dtc_sess_engine *e, struct rte_mbuf **m, uint16_t n,
	uint64_t now_us);
/* Response records from the test server (via intercept or the response port). Returns n. */
uint16_t dtc_sess_resp_burst(struct dtc_sess_engine *e, const struct dtc_resp *r, uint16_t n,
	uint64_t now_us);
/* Run due timers (RTO, delayed ACK, response end, timeouts).  Cheap when nothing is due. */
void dtc_sess_timers(struct dtc_sess_engine *e, uint64_t now_us);
/* Hand staged frames to the tx callback. */
void dtc_sess_flush(struct dtc_sess_engine *e);
/* End every session with a RST to the test server (shutdown). */
void dtc_sess_close_all(struct dtc_sess_engine *e, uint64_t now_us);

/* Introspection (tests, telemetry, debugging; not for the hot path). */
enum dtc_sess_state {
	DTC_SESS_STATE_SYN_SENT = 1,   /* SYN sent, waiting for the test server's SYN-ACK */
	DTC_SESS_STATE_ESTABLISHED,    /* handshake done (closing is shown by the flags) */
	DTC_SESS_STATE_LINGER,         /* ended; holds its 4-tuple until linger_ms has passed */
};

struct dtc_sess_info {
	struct dtc_flow_key key;     /* the 4-tuple the test server sees */
	uint32_t origin;
	uint8_t state;               /* enum dtc_sess_state */
	uint8_t snd_wscale, rcv_wscale;
	bool ts, syn_synth, fin_sent, srv_fin, redirected, rebuilt, timer_armed;
	uint16_t queued;             /* client segments buffered */
	uint32_t iss;                /* client ISN of the copied connection */
	uint32_t snd_una, snd_nxt, snd_wnd; /* client sequence space toward the test server */
	uint32_t rcv_nxt;            /* the ACK we send (test server's sequence space) */
	uint32_t clt_nxt;            /* end of the contiguous captured client bytes */
	uint32_t srtt_us, rto_us, silence_us;
	uint32_t resp_end_us;        /* quiet time that ends an answer (64 us resolution) */
	uint64_t timer_us;           /* when the session's timer fires (64 us resolution) */
};

/* The session holding a 4-tuple: 0, or -ENOENT. */
int dtc_sess_info(const struct dtc_sess_engine *e, const struct dtc_flow_key *k,
	struct dtc_sess_info *i);
/* Visit every session (live ones oldest first, then lingering ones); returns the count. */
typedef void (*dtc_sess_walk_fn)(void *arg, const struct dtc_sess_info *i);
unsigned int dtc_sess_walk(const struct dtc_sess_engine *e, dtc_sess_walk_fn fn, void *arg);
/* Sessions with an armed timer (every live or lingering session has exactly one). */
uint32_t dtc_sess_timer_count(const struct dtc_sess_engine *e);

/* Copy the counters (may be called from another lcore: plain 64-bit reads). */
void dtc_sess_stats(const struct dtc_sess_engine *e, struct dtc_sess_stats *s);
/* Add b into a (aggregating workers). */
void dtc_sess_stats_add(struct dtc_sess_stats *a, const struct dtc_sess_stats *b);

#ifdef __cplusplus
}
#endif

#endif /* DTC_SESSION_H */
