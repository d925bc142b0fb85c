/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * lib/proto: packet formats of a TCP copier.
 *
 * Parsing (Ethernet with up to two VLAN tags, Linux cooked v1/v2, raw IP; IPv4 with
 * options and fragments; IPv6 with extension headers; TCP and its options), rewriting with
 * incremental checksums, building synthesized segments, ARP and ICMP echo replies, and
 * 4-tuple flow keys.  Pure functions: no EAL initialisation is needed to call anything here
 * except the mbuf helpers, which need an mbuf (and a mempool to build one).
 *
 * Byte order: every field named *_be, every union dtc_addr and every rte_beXX_t is network
 * order; every plain uintXX_t is host order.
 */

#ifndef DTC_PROTO_H
#define DTC_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Link types: the values are the pcap LINKTYPE_* numbers. */

enum dtc_link {
	DTC_LINK_ETHER = 1,  /* LINKTYPE_ETHERNET */
	DTC_LINK_RAW = 101,  /* LINKTYPE_RAW: raw IPv4 or IPv6 (DLT_RAW 12/14 map here) */
	DTC_LINK_SLL = 113,  /* LINKTYPE_LINUX_SLL */
	DTC_LINK_IPV4 = 228, /* LINKTYPE_IPV4 */
	DTC_LINK_IPV6 = 229, /* LINKTYPE_IPV6 */
	DTC_LINK_SLL2 = 276, /* LINKTYPE_LINUX_SLL2 */
};

/* Map a pcap datalink value (pcap_datalink()) to enum dtc_link; -ENOTSUP if unsupported. */
int dtc_link_from_pcap(int dlt);

/* ------------------------------------------------------------------ */
/* Parse errors.  Functions return 0 or -DTC_PERR_xxx. */

#define DTC_PERR_LIST(X) \
	X(L2_TRUNC, "frame shorter than its link header") \
	X(VLAN_DEPTH, "more than two VLAN tags") \
	X(ETHERTYPE, "ethertype is not IPv4, IPv6 or ARP") \
	X(LINK, "unsupported link type") \
	X(ARP_TRUNC, "ARP packet truncated") \
	X(IP_TRUNC, "IP header truncated") \
	X(IP_VERSION, "IP version does not match the link/ethertype") \
	X(IP_IHL, "IPv4 header length below 20 or beyond the frame") \
	X(IP_TOTLEN, "IP total/payload length lies about the frame") \
	X(IP6_EXT_TRUNC, "IPv6 extension header truncated") \
	X(IP6_EXT_DEPTH, "IPv6 extension header chain too long") \
	X(TCP_TRUNC, "TCP header truncated") \
	X(TCP_DOFF, "TCP data offset below 5 or beyond the packet") \
	X(TCP_OPT, "TCP option length 0, 1 or past the header") \
	X(ICMP_TRUNC, "ICMP header truncated") \
	X(UDP_TRUNC, "UDP header truncated")

enum dtc_perr {
	DTC_PERR_OK = 0,
#define DTC_PERR_ENUM(n, s) DTC_PERR_##n,
	DTC_PERR_LIST(DTC_PERR_ENUM)
#undef DTC_PERR_ENUM
	DTC_PERR_MAX
};

/* Human-readable text for a parse error (accepts the positive or negative code). */
const char *dtc_perr_str(int err);
/* Short identifier ("ip_ihl") for counters and telemetry. */
const char *dtc_perr_name(int err);

/* ------------------------------------------------------------------ */
/* Addresses and flow keys. */

/* An IPv4 or IPv6 address in network order.  IPv4 uses a32[0]; a32[1..3] stay zero. */
union dtc_addr {
	uint8_t a8[16];
	rte_be16_t a16[8];
	rte_be32_t a32[4];
	uint64_t a64[2];
};

/*
 * A TCP 4-tuple as the test server sees it: "client" is the (rewritten) client endpoint,
 * "server" the target endpoint.  Packed to 40 bytes, padding zero, so it can be hashed and
 * compared as bytes.
 */
struct dtc_flow_key {
	union dtc_addr client;  /* network order */
	union dtc_addr server;  /* network order */
	rte_be16_t client_port; /* network order */
	rte_be16_t server_port; /* network order */
	uint8_t family;         /* 4 or 6 */
	uint8_t pad[3];         /* always zero */
};

_Static_assert(sizeof(struct dtc_flow_key) == 40, "flow key must be 40 bytes");

/* A fast hash (CRC32C) of a flow key. */
uint32_t dtc_flow_hash(const struct dtc_flow_key *k, uint32_t seed);
/* A fast hash of one endpoint (address and port) only; used to pick the owning worker. */
uint32_t dtc_endpoint_hash(const union dtc_addr *a, rte_be16_t port, uint32_t seed);
/* Byte comparison of two keys: 0 when equal, 1 when not (equality only, no order). */
int dtc_flow_key_cmp(const struct dtc_flow_key *a, const struct dtc_flow_key *b);
/* Format an address ("198.18.0.1" or "2001:db8::1") into buf; returns buf. */
const char *dtc_addr_fmt(uint8_t family, const union dtc_addr *a, char *buf, size_t len);
/* Parse an IPv4 or IPv6 literal (no brackets); returns the family (4 or 6) or -EINVAL. */
int dtc_addr_parse(const char *s, union dtc_addr *a);

/* ------------------------------------------------------------------ */
/* Parsed TCP options. */

#define DTC_OPT_MSS (1u << 0)
#define DTC_OPT_WSCALE (1u << 1)
#define DTC_OPT_SACK_OK (1u << 2)
#define DTC_OPT_SACK (1u << 3)
#define DTC_OPT_TS (1u << 4)

struct dtc_tcp_opts {
	uint8_t present;    /* DTC_OPT_* bits */
	uint8_t wscale;     /* shift count as sent (not clamped) */
	uint8_t sack_cnt;   /* number of SACK blocks, 0..4 */
	uint8_t ts_off;     /* offset of the TS option kind byte from the TCP header, 0 = none */
	uint16_t mss;       /* host order */
	uint8_t mss_off;    /* offset of the MSS option kind byte from the TCP header, 0 = none */
	uint8_t pad;
	uint32_t tsval;     /* host order */
	uint32_t tsecr;     /* host order */
	uint32_t sack[4][2]; /* host order, left/right edges */
};

/*
 * Walk a TCP option block (the bytes after the 20-byte fixed header, len = doff*4 - 20).
 * EOL ends the walk, NOP is skipped, known options with an unexpected length are ignored
 * like unknown ones, unknown options are skipped by their length.  Returns 0, or
 * -DTC_PERR_TCP_OPT for a length of 0 or 1, an option running past the block, or len > 40.
 * Offsets stored in *o are relative to the TCP header start (opt points at offset 20).
 * On error, options before the bad one are kept in *o.  A repeated option: the last wins.
 */
int dtc_tcp_opts_parse(const uint8_t *opt, unsigned int len, struct dtc_tcp_opts *o);

/* ------------------------------------------------------------------ */
/* Parsed frame. */

enum dtc_l3 { DTC_L3_NONE = 0, DTC_L3_IPV4, DTC_L3_IPV6, DTC_L3_ARP };
enum dtc_l4 {
	DTC_L4_NONE = 0,
	DTC_L4_TCP,
	DTC_L4_UDP,
	DTC_L4_ICMP,
	DTC_L4_ICMP6,
	DTC_L4_OTHER,
	DTC_L4_FRAG, /* a non-first fragment: no L4 header in this packet */
};

/* TCP flag bits, as in the header. */
#define DTC_TCP_FIN 0x01
#define DTC_TCP_SYN 0x02
#define DTC_TCP_RST 0x04
#define DTC_TCP_PSH 0x08
#define DTC_TCP_ACK 0x10
#define DTC_TCP_URG 0x20
#define DTC_TCP_ECE 0x40
#define DTC_TCP_CWR 0x80

#define DTC_MAX_VLAN 2
#define DTC_MAX_IP6_EXT 8 /* extension headers walked before giving up */

struct dtc_pkt_info {
	/* layout: offsets from the start of the frame/buffer */
	uint16_t l3_off;        /* start of the IP (or ARP) header = link header length */
	uint16_t l4_off;        /* start of the TCP/UDP/ICMP header (after IPv6 ext headers) */
	uint16_t payload_off;   /* start of the L4 payload */
	uint16_t payload_len;   /* L4 payload bytes, from the IP length fields (not the frame) */
	uint32_t frame_len;     /* bytes available in the frame */
	uint16_t ip_len;        /* IP datagram length claimed by the header (v6: 40 + payload) */
	uint8_t l3;             /* enum dtc_l3 */
	uint8_t l4;             /* enum dtc_l4 */
	uint8_t l4_proto;       /* IP protocol number of the L4 header */
	uint8_t n_vlan;
	uint16_t vlan_tci[DTC_MAX_VLAN]; /* host order */
	uint16_t ethertype;     /* host order, of the L3 header */
	/* IP */
	uint8_t family;         /* 4 or 6, 0 for non-IP */
	uint8_t ttl;            /* TTL / hop limit */
	uint8_t is_frag;        /* this is a fragment (first or not) */
	uint8_t more_frags;     /* MF set */
	uint16_t frag_off;      /* fragment offset in bytes, host order */
	uint16_t ip_id;         /* host order (v4) */
	union dtc_addr src;     /* network order */
	union dtc_addr dst;     /* network order */
	/* TCP (valid when l4 == DTC_L4_TCP), UDP ports too */
	rte_be16_t sport;       /* network order */
	rte_be16_t dport;       /* network order */
	uint32_t seq;           /* host order */
	uint32_t ack;           /* host order */
	uint16_t win;           /* host order, unscaled */
	uint8_t tcp_flags;      /* DTC_TCP_* */
	uint8_t tcp_hlen;       /* data offset * 4 */
	struct dtc_tcp_opts opts;
	/* ICMP (valid when l4 is ICMP/ICMP6) */
	uint8_t icmp_type;
	uint8_t icmp_code;
};

/*
 * Which fields of struct dtc_pkt_info are valid.  The parser does not clear the struct (it
 * runs per packet at several Mpps); it writes exactly these:
 *  - always, even on error: frame_len, l3, l4, family, n_vlan (l3/l4 NONE and family 0 until
 *    a header is accepted);
 *  - once the link header is accepted: vlan_tci[0..n_vlan-1], l3_off, ethertype (so an
 *    unknown ethertype can be counted by type);
 *  - on success, l3 == DTC_L3_IPV4 or IPV6: l4_off, payload_off, payload_len, ip_len, l4_proto,
 *    ttl, is_frag, more_frags, frag_off, ip_id (v4; v6: low 16 bits of the fragment header's
 *    identification, else 0), src, dst.  v6 ip_len saturates at 65535.
 *  - l4 == DTC_L4_TCP: sport, dport, seq, ack, win, tcp_flags, tcp_hlen, opts.present,
 *    opts.wscale, opts.sack_cnt, opts.ts_off, opts.mss, opts.mss_off (zero when absent);
 *    opts.tsval/tsecr only with DTC_OPT_TS, opts.sack[0..sack_cnt-1] only with DTC_OPT_SACK;
 *  - l4 == DTC_L4_UDP: sport, dport.  ICMP/ICMP6: icmp_type, icmp_code.  payload_* skip the
 *    8-byte UDP/ICMP header; DTC_L4_OTHER and DTC_L4_FRAG: payload = everything after the IP
 *    headers (l4_proto is the next header announced).
 *  - l3 == DTC_L3_ARP: src = sender and dst = target protocol address when it is an
 *    Ethernet/IPv4 ARP (else zero), l4_off = payload_off = end of the ARP body, payload_len 0,
 *    ip_len 0; family stays 0.
 * ICMP proper is only recognised inside IPv4 and ICMPv6 inside IPv6; the crossed cases are
 * DTC_L4_OTHER.  A first fragment is parsed down to L4 (is_frag set); a later one is
 * DTC_L4_FRAG.
 */

/*
 * Parse a frame in a contiguous buffer.  Returns 0 when every header that is present is
 * well formed (non-IP or non-TCP packets are fine: see l3/l4), or -DTC_PERR_xxx.  Never reads
 * outside [buf, buf + len).  Trailing bytes beyond the IP length (Ethernet padding) are
 * allowed; fewer bytes than the IP length claim is DTC_PERR_IP_TOTLEN, except that a frame cut
 * inside the L4 payload by a capture snaplen is allowed when allow_snap is true (payload_len
 * still reports the claimed length).
 */
int dtc_parse(const uint8_t *buf, uint32_t len, enum dtc_link link, bool allow_snap,
	struct dtc_pkt_info *pi);

/*
 * Parse an mbuf (single or multi-segment).  When the headers are not all in the first
 * segment they are read with rte_pktmbuf_read() into a bounded stack copy; offsets in *pi are
 * relative to the start of packet data either way.  The headers must lie within the first
 * max(256, first segment length) bytes (256 leaves 134 bytes of IPv6 extension headers after
 * 2 VLAN tags, IPv6 and a full TCP header); beyond that the frame is reported truncated.
 * allow_snap is false: pkt_len is the frame's real length.
 */
int dtc_parse_mbuf(const struct rte_mbuf *m, enum dtc_link link, struct dtc_pkt_info *pi);

/* ------------------------------------------------------------------ */
/* Checksums. */

/* RFC 1624 eqn. 3: a 16-bit field of a checksummed region changed from old to new. */
static inline uint16_t
dtc_csum_adjust16(uint16_t csum, uint16_t old, uint16_t new_)
{
	uint32_t sum = (uint16_t)~csum + (uint32_t)(uint16_t)~old + new_;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The same for an aligned 32-bit field (two 16-bit words). */
static inline uint16_t
dtc_csum_adjust32(uint16_t csum, uint32_t old, uint32_t new_)
{
	csum = dtc_csum_adjust16(csum, (uint16_t)(old >> 16), (uint16_t)(new_ >> 16));
	return dtc_csum_adjust16(csum, (uint16_t)old, (uint16_t)new_);
}

/*
 * The checksum values above are used exactly as stored in the header (both the checksum and
 * the old/new words in the same byte order), so callers pass raw header words.
 */

/*
 * Full TCP checksum over pseudo header + TCP header + payload of a contiguous L3 packet, as the
 * raw header word to store (or to compare with the stored one: the stored field itself is
 * skipped, it need not be zeroed).  Lengths come from the IP header (tot_len - IHL*4, or the
 * IPv6 payload length: IPv6 without extension headers).  Returns 0 for a header that cannot
 * hold a TCP segment.  The result is never the alternative 0xffff form of zero, like scapy's.
 */
uint16_t dtc_tcp_cksum(const void *l3, uint8_t family);
/* Full TCP checksum of a (possibly multi-segment) mbuf whose IP header starts at l3_off;
 * same conventions; 0 when the chain is shorter than the IP header claims. */
uint16_t dtc_tcp_cksum_mbuf(const struct rte_mbuf *m, uint16_t l3_off, uint8_t family);
/* Verify: true when the TCP checksum (and the IPv4 header checksum) are correct. */
bool dtc_cksum_ok_mbuf(const struct rte_mbuf *m, const struct dtc_pkt_info *pi);

/*
 * Finish the checksums of a TCP frame we send: Ethernet (14 bytes, no VLAN) at offset 0, IP
 * at 14.  When tx_offloads (RTE_ETH_TX_OFFLOAD_* of the port) has IPv4/TCP checksum offload,
 * set the mbuf flags, lengths and pseudo-header checksum for the NIC; otherwise compute the
 * checksums in software.  Each of IPV4_CKSUM and TCP_CKSUM is honoured on its own.  l2/l3/l4_len
 * are always set; the TX offload bits of ol_flags are replaced.  The headers must be in the
 * first segment; the payload may be chained.
 */
void dtc_tx_cksum(struct rte_mbuf *m, uint8_t family, uint64_t tx_offloads);

/* ------------------------------------------------------------------ */
/* In-place rewriting of a contiguous TCP/IP packet (pointer at the IP header).
 * Each helper keeps the IPv4 header checksum and the TCP checksum valid incrementally. */

struct dtc_l3_view {
	void *l3;          /* IPv4 or IPv6 header */
	void *tcp;         /* TCP header */
	uint8_t family;
};

void dtc_rw_src(struct dtc_l3_view *v, const union dtc_addr *addr, rte_be16_t port);
void dtc_rw_dst(struct dtc_l3_view *v, const union dtc_addr *addr, rte_be16_t port);
void dtc_rw_seq(struct dtc_l3_view *v, uint32_t seq);
void dtc_rw_ack(struct dtc_l3_view *v, uint32_t ack);
void dtc_rw_win(struct dtc_l3_view *v, uint16_t win);
/* ts_off as in struct dtc_tcp_opts; a no-op when ts_off is 0. */
void dtc_rw_ts(struct dtc_l3_view *v, uint8_t ts_off, uint32_t tsval, uint32_t tsecr);
/* mss_off as in struct dtc_tcp_opts; a no-op when mss_off is 0. */
void dtc_rw_mss(struct dtc_l3_view *v, uint8_t mss_off, uint16_t mss);

/* ------------------------------------------------------------------ */
/* Building frames. */

#define DTC_WSCALE_NONE 0xff

/* What a synthesized TCP segment carries. */
struct dtc_seg_spec {
	uint8_t family;              /* 4 or 6 */
	uint8_t flags;               /* DTC_TCP_* */
	uint8_t ttl;                 /* 0 = 64 */
	uint8_t wscale;              /* DTC_WSCALE_NONE = no window scale option */
	union dtc_addr src, dst;     /* network order */
	rte_be16_t sport, dport;     /* network order */
	uint32_t seq, ack;           /* host order */
	uint16_t win;                /* host order */
	uint16_t mss;                /* 0 = no MSS option */
	uint16_t ip_id;              /* host order (IPv4) */
	bool sack_ok;                /* SACK-permitted option */
	bool ts;                     /* timestamp option (NOP NOP TS) */
	uint32_t tsval, tsecr;       /* host order */
	const void *payload;         /* optional */
	uint16_t payload_len;
	struct rte_ether_addr eth_src, eth_dst; /* used when building with an Ethernet header */
};

/* Maximum bytes of headers dtc_build_tcp writes (Ethernet + IPv6 + TCP with options). */
#define DTC_BUILD_HDR_MAX (14 + 40 + 60)

/*
 * Write a complete frame (Ethernet header when with_eth, else starting at IP) into buf.
 * Options are written in the order MSS, SACK-permitted, TS, window scale, padded with NOPs to
 * a multiple of 4 the way Linux does (MSS | SACK-perm TS | NOP NOP TS | NOP NOP SACK-perm |
 * NOP WS), so every option value stays aligned.  IPv4: IHL 5, DF set, id = ip_id.  Checksums
 * are computed.  Returns the length written, -ENOSPC, or -EINVAL for a family not 4 or 6.
 */
int dtc_build_tcp(uint8_t *buf, size_t cap, const struct dtc_seg_spec *s, bool with_eth);
/* The same into a new mbuf from mp (Ethernet header included; l2/l3/l4_len and packet_type
 * set); NULL when the pool is empty (or, rte_errno set, when the frame does not fit). */
struct rte_mbuf *dtc_build_tcp_mbuf(struct rte_mempool *mp, const struct dtc_seg_spec *s);

/* ARP (Ethernet + 28-byte ARP).  op is RTE_ARP_OP_REQUEST or RTE_ARP_OP_REPLY.  tha may be
 * NULL for a request (broadcast destination, zero target hardware address).  Returns length
 * (42) or -ENOSPC. */
int dtc_build_arp(uint8_t *buf, size_t cap, uint16_t op, const struct rte_ether_addr *sha,
	rte_be32_t spa, const struct rte_ether_addr *tha, rte_be32_t tpa);

/*
 * Turn a parsed ICMP echo request frame (Ethernet link) in place into the echo reply:
 * swap MACs and IP addresses, type 0, TTL 64; IPv4 header checksum adjusted incrementally,
 * ICMP checksum recomputed (an all-zero reply needs 0xffff, which RFC 1624 eqn. 3 cannot
 * give).  -EINVAL when the frame is not an unfragmented IPv4 echo request on Ethernet
 * (l3_off = 14 + 4 * n_vlan) or does not hold the whole ICMP message (pi->frame_len).
 */
int dtc_icmp_echo_reply_inplace(uint8_t *frame, const struct dtc_pkt_info *pi);

#ifdef __cplusplus
}
#endif

#endif /* DTC_PROTO_H */
