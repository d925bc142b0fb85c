/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Frame parser.  Every length in the frame is hostile: each read is preceded by a check
 * against the bytes actually present ("avail").  Two more limits matter:
 *  - "wire": the real length of the frame (equal to avail for dtc_parse; the mbuf packet length
 *    for dtc_parse_mbuf when only a bounded prefix was copied).  IP length fields are checked
 *    against it.
 *  - "limit": the end of the IP datagram as far as we have it, min(l3_off + ip_len, avail).
 *    L4 headers must fit below it; Ethernet padding after the datagram is ignored.
 *
 * The struct is not cleared: only the fields listed in dtc_proto.h for a given l3/l4 are set,
 * so the Ethernet/IPv4/TCP fast path writes each field once.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "dtc_proto.h"
#include "proto_private.h"

#define ETH_HLEN 14
#define SLL_HLEN 16
#define SLL2_HLEN 20
#define VLAN_HLEN 4
#define IP4_HLEN 20
#define IP6_HLEN 40
#define TCP_HLEN 20
#define ARP_ETH_IP4_LEN 28

#define ET_IPV4 0x0800
#define ET_IPV6 0x86dd
#define ET_ARP 0x0806
#define ET_VLAN 0x8100
#define ET_QINQ 0x88a8

/* Bytes of an mbuf copied to the stack when its headers are not in the first segment:
 * 22 (Ethernet + 2 tags) + 40 (IPv6) + 60 (TCP) leaves 134 bytes for extension headers. */
#define PARSE_MBUF_COPY 256

int
dtc_link_from_pcap(int dlt)
{
	switch (dlt) {
	case 1: /* DLT_EN10MB */
		return DTC_LINK_ETHER;
	case 12: /* DLT_RAW on most systems */
	case 14: /* DLT_RAW on OpenBSD */
	case 101: /* LINKTYPE_RAW, as stored in files */
		return DTC_LINK_RAW;
	case 113:
		return DTC_LINK_SLL;
	case 228:
		return DTC_LINK_IPV4;
	case 229:
		return DTC_LINK_IPV6;
	case 276:
		return DTC_LINK_SLL2;
	default:
		return -ENOTSUP;
	}
}

/* ------------------------------------------------------------------ */
/* TCP options */

static inline void
opts_clear(struct dtc_tcp_opts *o)
{
	/* present..pad are the first 8 bytes: one store instead of seven. */
	uint64_t z = 0;

	RTE_BUILD_BUG_ON(offsetof(struct dtc_tcp_opts, tsval) != 8);
	memcpy(o, &z, sizeof(z));
}

static void
opt_sack(const uint8_t *p, unsigned int olen, struct dtc_tcp_opts *o)
{
	unsigned int i, n = (olen - 2) / 8;

	if (n > RTE_DIM(o->sack))
		n = RTE_DIM(o->sack);
	for (i = 0; i < n; i++) {
		o->sack[i][0] = dtc_rd32(p + 2 + 8 * i);
		o->sack[i][1] = dtc_rd32(p + 6 + 8 * i);
	}
	o->sack_cnt = (uint8_t)n;
	o->present |= DTC_OPT_SACK;
}

/* One option of known kind and sane length; anything unexpected is ignored, like Linux. */
static void
opt_one(const uint8_t *p, unsigned int olen, unsigned int off, struct dtc_tcp_opts *o)
{
	switch (p[0]) {
	case 2: /* MSS */
		if (olen == 4) {
			o->mss = dtc_rd16(p + 2);
			o->mss_off = (uint8_t)(TCP_HLEN + off);
			o->present |= DTC_OPT_MSS;
		}
		break;
	case 3: /* window scale */
		if (olen == 3) {
			o->wscale = p[2];
			o->present |= DTC_OPT_WSCALE;
		}
		break;
	case 4: /* SACK permitted */
		if (olen == 2)
			o->present |= DTC_OPT_SACK_OK;
		break;
	case 5: /* SACK blocks */
		if (olen >= 10 && (olen - 2) % 8 == 0)
			opt_sack(p, olen, o);
		break;
	case 8: /* timestamps */
		if (olen == 10) {
			o->tsval = dtc_rd32(p + 2);
			o->tsecr = dtc_rd32(p + 6);
			o->ts_off = (uint8_t)(TCP_HLEN + off);
			o->present |= DTC_OPT_TS;
		}
		break;
	default:
		break;
	}
}

int
dtc_tcp_opts_parse(const uint8_t *opt, unsigned int len, struct dtc_tcp_opts *o)
{
	unsigned int i = 0;

	opts_clear(o);
	/* A data segment of a timestamping connection: NOP NOP TS, nothing else. */
	if (likely(len == 12 && dtc_rd32(opt) == 0x0101080a)) {
		o->tsval = dtc_rd32(opt + 4);
		o->tsecr = dtc_rd32(opt + 8);
		o->ts_off = TCP_HLEN + 2;
		o->present = DTC_OPT_TS;
		return 0;
	}
	/* A TCP header has at most 40 option bytes; offsets must fit a uint8_t. */
	if (unlikely(len > 40))
		return -DTC_PERR_TCP_OPT;
	while (i < len) {
		unsigned int olen;

		if (opt[i] == 0) /* EOL */
			break;
		if (opt[i] == 1) { /* NOP */
			i++;
			continue;
		}
		if (len - i < 2)
			return -DTC_PERR_TCP_OPT;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return -DTC_PERR_TCP_OPT;
		opt_one(opt + i, olen, i, o);
		i += olen;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* L4 */

static int
parse_tcp(const uint8_t *b, uint32_t limit, uint32_t off, uint32_t l4_len,
	struct dtc_pkt_info *pi)
{
	const uint8_t *th = b + off;
	uint32_t hlen;

	if (unlikely(limit - off < TCP_HLEN))
		return -DTC_PERR_TCP_TRUNC;
	hlen = (uint32_t)(th[12] >> 4) * 4;
	if (unlikely(hlen < TCP_HLEN || hlen > limit - off))
		return -DTC_PERR_TCP_DOFF;
	memcpy(&pi->sport, th, 2);
	memcpy(&pi->dport, th + 2, 2);
	pi->seq = dtc_rd32(th + 4);
	pi->ack = dtc_rd32(th + 8);
	pi->tcp_flags = th[13];
	pi->win = dtc_rd16(th + 14);
	pi->tcp_hlen = (uint8_t)hlen;
	pi->l4 = DTC_L4_TCP;
	pi->payload_off = (uint16_t)(off + hlen);
	pi->payload_len = (uint16_t)(l4_len - hlen);
	if (hlen == TCP_HLEN) {
		opts_clear(&pi->opts);
		return 0;
	}
	return dtc_tcp_opts_parse(th + TCP_HLEN, hlen - TCP_HLEN, &pi->opts);
}

/*
 * The L4 header at off; limit is the end of what we hold of the datagram, l4_len what the IP
 * header says follows the IP headers (>= limit - off).
 */
static int
parse_l4(const uint8_t *b, uint32_t limit, uint32_t off, uint32_t l4_len, uint8_t proto,
	struct dtc_pkt_info *pi)
{
	pi->l4_proto = proto;
	pi->l4_off = (uint16_t)off;
	if (likely(proto == IPPROTO_TCP))
		return parse_tcp(b, limit, off, l4_len, pi);

	if (proto == IPPROTO_UDP) {
		if (limit - off < 8)
			return -DTC_PERR_UDP_TRUNC;
		memcpy(&pi->sport, b + off, 2);
		memcpy(&pi->dport, b + off + 2, 2);
		pi->l4 = DTC_L4_UDP;
	} else if ((proto == IPPROTO_ICMP && pi->family == 4) ||
			(proto == IPPROTO_ICMPV6 && pi->family == 6)) {
		/* Every ICMP and ICMPv6 message has type, code, checksum and 4 more bytes. */
		if (limit - off < 8)
			return -DTC_PERR_ICMP_TRUNC;
		pi->icmp_type = b[off];
		pi->icmp_code = b[off + 1];
		pi->l4 = proto == IPPROTO_ICMP ? DTC_L4_ICMP : DTC_L4_ICMP6;
	} else {
		pi->l4 = DTC_L4_OTHER;
		pi->payload_off = (uint16_t)off;
		pi->payload_len = (uint16_t)l4_len;
		return 0;
	}
	pi->payload_off = (uint16_t)(off + 8);
	pi->payload_len = (uint16_t)(l4_len - 8);
	return 0;
}

/* ------------------------------------------------------------------ */
/* L3 */

static inline void
addr4_load(union dtc_addr *a, const uint8_t *p)
{
	uint32_t v;

	/* Two 8-byte stores: the front reads the address back as 64-bit words, and a load
	 * spanning smaller stores cannot be forwarded from them (a32[0] is the first half of
	 * a64[0]). */
	memcpy(&v, p, 4);
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	a->a64[0] = v;
#else
	a->a64[0] = (uint64_t)v << 32;
#endif
	a->a64[1] = 0;
}

static int
parse_ipv4(const uint8_t *b, uint32_t avail, uint32_t wire, uint32_t off, bool snap,
	struct dtc_pkt_info *pi)
{
	const uint8_t *ip = b + off;
	uint32_t hlen, tot, limit, fo;

	if (unlikely(avail - off < IP4_HLEN))
		return -DTC_PERR_IP_TRUNC;
	if (unlikely((ip[0] >> 4) != 4))
		return -DTC_PERR_IP_VERSION;
	hlen = (uint32_t)(ip[0] & 0xf) * 4;
	if (unlikely(hlen < IP4_HLEN || hlen > avail - off))
		return -DTC_PERR_IP_IHL;
	tot = dtc_rd16(ip + 2);
	if (unlikely(tot < hlen || (tot > wire - off && !snap)))
		return -DTC_PERR_IP_TOTLEN;
	limit = RTE_MIN(off + tot, avail);

	pi->family = 4;
	pi->l3 = DTC_L3_IPV4;
	pi->ip_len = (uint16_t)tot;
	pi->ip_id = dtc_rd16(ip + 4);
	pi->ttl = ip[8];
	addr4_load(&pi->src, ip + 12);
	addr4_load(&pi->dst, ip + 16);
	fo = dtc_rd16(ip + 6);
	pi->frag_off = (uint16_t)((fo & 0x1fff) * 8);
	pi->more_frags = (fo & 0x2000) != 0;
	pi->is_frag = pi->more_frags || pi->frag_off != 0;
	if (unlikely(pi->frag_off != 0)) {
		pi->l4 = DTC_L4_FRAG;
		pi->l4_proto = ip[9];
		pi->l4_off = (uint16_t)(off + hlen);
		pi->payload_off = pi->l4_off;
		pi->payload_len = (uint16_t)(tot - hlen);
		return 0;
	}
	return parse_l4(b, limit, off + hlen, tot - hlen, ip[9], pi);
}

/* Walk the IPv6 extension headers from *pos; on return *nh is the upper-layer protocol. */
static int
ip6_walk(const uint8_t *b, uint32_t limit, uint32_t *pos, uint8_t *nh,
	struct dtc_pkt_info *pi)
{
	uint32_t p = *pos, elen;
	unsigned int n;

	for (n = 0;; n++) {
		switch (*nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_FRAGMENT:
			break;
		default:
			*pos = p;
			return 0;
		}
		if (n == DTC_MAX_IP6_EXT)
			return -DTC_PERR_IP6_EXT_DEPTH;
		if (limit - p < 8)
			return -DTC_PERR_IP6_EXT_TRUNC;
		if (*nh == IPPROTO_FRAGMENT) {
			uint16_t fo = dtc_rd16(b + p + 2);

			pi->frag_off = fo & 0xfff8;
			pi->more_frags = fo & 1;
			pi->is_frag = 1;
			pi->ip_id = (uint16_t)dtc_rd32(b + p + 4);
			elen = 8;
		} else {
			elen = ((uint32_t)b[p + 1] + 1) * 8;
			if (elen > limit - p)
				return -DTC_PERR_IP6_EXT_TRUNC;
		}
		*nh = b[p];
		p += elen;
		if (pi->frag_off != 0) {
			*pos = p;
			return 0;
		}
	}
}

static int
parse_ipv6(const uint8_t *b, uint32_t avail, uint32_t wire, uint32_t off, bool snap,
	struct dtc_pkt_info *pi)
{
	const uint8_t *ip = b + off;
	uint32_t tot, limit, pos = off + IP6_HLEN;
	uint8_t nh;
	int ret;

	if (unlikely(avail - off < IP6_HLEN))
		return -DTC_PERR_IP_TRUNC;
	if (unlikely((ip[0] >> 4) != 6))
		return -DTC_PERR_IP_VERSION;
	tot = IP6_HLEN + (uint32_t)dtc_rd16(ip + 4);
	if (unlikely(tot > wire - off && !snap))
		return -DTC_PERR_IP_TOTLEN;
	limit = RTE_MIN(off + tot, avail);

	pi->family = 6;
	pi->l3 = DTC_L3_IPV6;
	pi->ip_len = (uint16_t)RTE_MIN(tot, (uint32_t)UINT16_MAX);
	pi->ttl = ip[7];
	memcpy(&pi->src, ip + 8, 16);
	memcpy(&pi->dst, ip + 24, 16);
	pi->frag_off = 0;
	pi->more_frags = 0;
	pi->is_frag = 0;
	pi->ip_id = 0;
	nh = ip[6];
	ret = ip6_walk(b, limit, &pos, &nh, pi);
	if (unlikely(ret != 0))
		return ret;
	if (unlikely(pi->frag_off != 0)) {
		pi->l4 = DTC_L4_FRAG;
		pi->l4_proto = nh;
		pi->l4_off = (uint16_t)pos;
		pi->payload_off = (uint16_t)pos;
		pi->payload_len = (uint16_t)(off + tot - pos);
		return 0;
	}
	return parse_l4(b, limit, pos, off + tot - pos, nh, pi);
}

static int
parse_arp(const uint8_t *b, uint32_t avail, uint32_t off, struct dtc_pkt_info *pi)
{
	const uint8_t *a = b + off;

	if (avail - off < 8)
		return -DTC_PERR_ARP_TRUNC;
	pi->l3 = DTC_L3_ARP;
	pi->ip_len = 0;
	pi->src.a64[0] = pi->src.a64[1] = 0;
	pi->dst.a64[0] = pi->dst.a64[1] = 0;
	/* Only Ethernet/IPv4 ARP has addresses we report; other kinds are just "ARP". */
	if (dtc_rd16(a) == RTE_ARP_HRD_ETHER && dtc_rd16(a + 2) == ET_IPV4 && a[4] == 6 &&
			a[5] == 4) {
		if (avail - off < ARP_ETH_IP4_LEN)
			return -DTC_PERR_ARP_TRUNC;
		memcpy(&pi->src.a32[0], a + 14, 4);
		memcpy(&pi->dst.a32[0], a + 24, 4);
	}
	pi->l4_off = (uint16_t)RTE_MIN(avail, off + ARP_ETH_IP4_LEN);
	pi->payload_off = pi->l4_off;
	pi->payload_len = 0;
	return 0;
}

static int
parse_l3(const uint8_t *b, uint32_t avail, uint32_t wire, uint32_t off, uint16_t et, bool snap,
	struct dtc_pkt_info *pi)
{
	pi->l3_off = (uint16_t)off;
	pi->ethertype = et;
	if (likely(et == ET_IPV4))
		return parse_ipv4(b, avail, wire, off, snap, pi);
	if (et == ET_IPV6)
		return parse_ipv6(b, avail, wire, off, snap, pi);
	if (et == ET_ARP)
		return parse_arp(b, avail, off, pi);
	return -DTC_PERR_ETHERTYPE;
}

/* ------------------------------------------------------------------ */
/* L2 */

/* Peel up to DTC_MAX_VLAN 802.1Q / 802.1ad tags starting at *off. */
static int
parse_vlans(const uint8_t *b, uint32_t avail, uint32_t *off, uint16_t *et,
	struct dtc_pkt_info *pi)
{
	while (*et == ET_VLAN || *et == ET_QINQ) {
		if (pi->n_vlan == DTC_MAX_VLAN)
			return -DTC_PERR_VLAN_DEPTH;
		if (avail - *off < VLAN_HLEN)
			return -DTC_PERR_L2_TRUNC;
		pi->vlan_tci[pi->n_vlan++] = dtc_rd16(b + *off);
		*et = dtc_rd16(b + *off + 2);
		*off += VLAN_HLEN;
	}
	return 0;
}

/* The link header of anything but Ethernet: sets *off to the L3 start and *et to its type. */
static int
parse_link_other(const uint8_t *b, uint32_t avail, enum dtc_link link, uint32_t *off,
	uint16_t *et)
{
	switch (link) {
	case DTC_LINK_SLL:
		if (avail < SLL_HLEN)
			return -DTC_PERR_L2_TRUNC;
		*et = dtc_rd16(b + 14);
		*off = SLL_HLEN;
		return 0;
	case DTC_LINK_SLL2:
		if (avail < SLL2_HLEN)
			return -DTC_PERR_L2_TRUNC;
		*et = dtc_rd16(b);
		*off = SLL2_HLEN;
		return 0;
	case DTC_LINK_RAW:
		if (avail < 1)
			return -DTC_PERR_IP_TRUNC;
		*off = 0;
		if ((b[0] >> 4) == 4)
			*et = ET_IPV4;
		else if ((b[0] >> 4) == 6)
			*et = ET_IPV6;
		else
			return -DTC_PERR_IP_VERSION;
		return 0;
	case DTC_LINK_IPV4:
		*off = 0;
		*et = ET_IPV4;
		return 0;
	case DTC_LINK_IPV6:
		*off = 0;
		*et = ET_IPV6;
		return 0;
	default:
		return -DTC_PERR_LINK;
	}
}

static int
parse_frame(const uint8_t *b, uint32_t avail, uint32_t wire, enum dtc_link link, bool snap,
	struct dtc_pkt_info *pi)
{
	uint32_t off;
	uint16_t et;
	int ret;

	pi->frame_len = wire;
	pi->l3 = DTC_L3_NONE;
	pi->l4 = DTC_L4_NONE;
	pi->family = 0;
	pi->n_vlan = 0;
	if (likely(link == DTC_LINK_ETHER)) {
		if (unlikely(avail < ETH_HLEN))
			return -DTC_PERR_L2_TRUNC;
		et = dtc_rd16(b + 12);
		off = ETH_HLEN;
	} else {
		ret = parse_link_other(b, avail, link, &off, &et);
		if (ret != 0)
			return ret;
	}
	/* VLAN tags may follow Ethernet and, when the kernel did not strip them, SLL/SLL2. */
	if (unlikely(et == ET_VLAN || et == ET_QINQ)) {
		ret = parse_vlans(b, avail, &off, &et, pi);
		if (ret != 0)
			return ret;
	}
	return parse_l3(b, avail, wire, off, et, snap, pi);
}

int
dtc_parse(const uint8_t *buf, uint32_t len, enum dtc_link link, bool allow_snap,
	struct dtc_pkt_info *pi)
{
	return parse_frame(buf, len, len, link, allow_snap, pi);
}

int
dtc_parse_mbuf(const struct rte_mbuf *m, enum dtc_link link, struct dtc_pkt_info *pi)
{
	uint8_t copy[PARSE_MBUF_COPY];
	uint32_t pkt_len = rte_pktmbuf_pkt_len(m);
	uint32_t seg_len = rte_pktmbuf_data_len(m);
	uint32_t want = RTE_MIN(pkt_len, (uint32_t)PARSE_MBUF_COPY);
	const uint8_t *p;

	/* The usual case: a single segment, or a first segment holding all the headers. */
	if (likely(seg_len >= want))
		return parse_frame(rte_pktmbuf_mtod(m, const uint8_t *), RTE_MIN(seg_len, pkt_len),
			pkt_len, link, false, pi);
	p = rte_pktmbuf_read(m, 0, want, copy);
	if (unlikely(p == NULL))
		return -DTC_PERR_L2_TRUNC; /* pkt_len lies about the segment chain */
	return parse_frame(p, want, pkt_len, link, false, pi);
}
