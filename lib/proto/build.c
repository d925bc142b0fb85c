/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Building frames: synthesized TCP segments (SYN, SYN with options, ACK, RST, FIN, data),
 * ARP requests/replies, ICMP echo replies in place.  Headers are written byte by byte through
 * the unaligned-safe helpers: the destination may be any address.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dtc_proto.h"
#include "proto_private.h"

#define ETH_HLEN 14
#define IP4_HLEN 20
#define IP6_HLEN 40
#define TCP_HLEN 20
#define ARP_LEN 28

#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WS 3
#define TCPOPT_SACK_OK 4
#define TCPOPT_TS 8

/*
 * Options as Linux lays them out, each group a multiple of 4 bytes so every multi-byte value
 * stays aligned: MSS; SACK-permitted + TS (or NOP NOP TS, or NOP NOP SACK-permitted);
 * NOP + window scale.  At most 4 + 12 + 4 = 20 bytes.
 */
static unsigned int
tcp_opts_write(uint8_t *p, const struct dtc_seg_spec *s)
{
	uint8_t *o = p;

	if (s->mss != 0) {
		*o++ = TCPOPT_MSS;
		*o++ = 4;
		dtc_wr16(o, s->mss);
		o += 2;
	}
	if (s->ts) {
		if (s->sack_ok) {
			*o++ = TCPOPT_SACK_OK;
			*o++ = 2;
		} else {
			*o++ = TCPOPT_NOP;
			*o++ = TCPOPT_NOP;
		}
		*o++ = TCPOPT_TS;
		*o++ = 10;
		dtc_wr32(o, s->tsval);
		dtc_wr32(o + 4, s->tsecr);
		o += 8;
	} else if (s->sack_ok) {
		*o++ = TCPOPT_NOP;
		*o++ = TCPOPT_NOP;
		*o++ = TCPOPT_SACK_OK;
		*o++ = 2;
	}
	if (s->wscale != DTC_WSCALE_NONE) {
		*o++ = TCPOPT_NOP;
		*o++ = TCPOPT_WS;
		*o++ = 3;
		*o++ = s->wscale;
	}
	return (unsigned int)(o - p);
}

static unsigned int
tcp_opts_len(const struct dtc_seg_spec *s)
{
	return (s->mss != 0 ? 4 : 0) + (s->ts ? 12 : s->sack_ok ? 4 : 0) +
		(s->wscale != DTC_WSCALE_NONE ? 4 : 0);
}

static void
ip4_write(uint8_t *ip, const struct dtc_seg_spec *s, uint32_t tot)
{
	uint16_t c;

	ip[0] = 0x45;
	ip[1] = 0;
	dtc_wr16(ip + 2, (uint16_t)tot);
	dtc_wr16(ip + 4, s->ip_id);
	dtc_wr16(ip + 6, RTE_IPV4_HDR_DF_FLAG);
	ip[8] = s->ttl != 0 ? s->ttl : 64;
	ip[9] = IPPROTO_TCP;
	memset(ip + 10, 0, 2);
	memcpy(ip + 12, &s->src.a32[0], 4);
	memcpy(ip + 16, &s->dst.a32[0], 4);
	c = (uint16_t)~rte_raw_cksum(ip, IP4_HLEN);
	memcpy(ip + 10, &c, 2);
}

static void
ip6_write(uint8_t *ip, const struct dtc_seg_spec *s, uint32_t l4_len)
{
	dtc_wr32(ip, 6u << 28);
	dtc_wr16(ip + 4, (uint16_t)l4_len);
	ip[6] = IPPROTO_TCP;
	ip[7] = s->ttl != 0 ? s->ttl : 64;
	memcpy(ip + 8, s->src.a8, 16);
	memcpy(ip + 24, s->dst.a8, 16);
}

static void
tcp_write(uint8_t *th, const struct dtc_seg_spec *s, unsigned int hlen)
{
	memcpy(th, &s->sport, 2);
	memcpy(th + 2, &s->dport, 2);
	dtc_wr32(th + 4, s->seq);
	dtc_wr32(th + 8, s->ack);
	th[12] = (uint8_t)((hlen / 4) << 4);
	th[13] = s->flags;
	dtc_wr16(th + 14, s->win);
	memset(th + 16, 0, 4); /* checksum, urgent pointer */
	tcp_opts_write(th + TCP_HLEN, s);
}

int
dtc_build_tcp(uint8_t *buf, size_t cap, const struct dtc_seg_spec *s, bool with_eth)
{
	unsigned int l2 = with_eth ? ETH_HLEN : 0;
	unsigned int l3 = s->family == 4 ? IP4_HLEN : IP6_HLEN;
	unsigned int hlen = TCP_HLEN + tcp_opts_len(s);
	uint32_t l4_len = hlen + s->payload_len;
	uint32_t total = l2 + l3 + l4_len;
	uint8_t *ip = buf + l2, *th = ip + l3;
	uint16_t c;

	if (s->family != 4 && s->family != 6)
		return -EINVAL;
	if (total > cap || l3 + l4_len > UINT16_MAX)
		return -ENOSPC;
	if (with_eth) {
		memcpy(buf, &s->eth_dst, RTE_ETHER_ADDR_LEN);
		memcpy(buf + 6, &s->eth_src, RTE_ETHER_ADDR_LEN);
		dtc_wr16(buf + 12, s->family == 4 ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
	}
	if (s->family == 4)
		ip4_write(ip, s, l3 + l4_len);
	else
		ip6_write(ip, s, l4_len);
	tcp_write(th, s, hlen);
	if (s->payload_len != 0)
		memcpy(th + hlen, s->payload, s->payload_len);
	c = dtc_tcp_cksum(ip, s->family);
	memcpy(th + 16, &c, 2);
	return (int)total;
}

struct rte_mbuf *
dtc_build_tcp_mbuf(struct rte_mempool *mp, const struct dtc_seg_spec *s)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	int len;

	if (m == NULL)
		return NULL;
	len = dtc_build_tcp(rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_tailroom(m), s, true);
	if (len < 0) {
		rte_pktmbuf_free(m);
		rte_errno = -len;
		return NULL;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	m->l2_len = ETH_HLEN;
	m->l3_len = s->family == 4 ? IP4_HLEN : IP6_HLEN;
	m->l4_len = TCP_HLEN + tcp_opts_len(s);
	m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L4_TCP |
		(s->family == 4 ? RTE_PTYPE_L3_IPV4 : RTE_PTYPE_L3_IPV6);
	return m;
}

int
dtc_build_arp(uint8_t *buf, size_t cap, uint16_t op, const struct rte_ether_addr *sha,
	rte_be32_t spa, const struct rte_ether_addr *tha, rte_be32_t tpa)
{
	static const struct rte_ether_addr bcast = {
		.addr_bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff} };
	uint8_t *a = buf + ETH_HLEN;

	if (cap < ETH_HLEN + ARP_LEN)
		return -ENOSPC;
	memcpy(buf, tha != NULL ? tha : &bcast, RTE_ETHER_ADDR_LEN);
	memcpy(buf + 6, sha, RTE_ETHER_ADDR_LEN);
	dtc_wr16(buf + 12, RTE_ETHER_TYPE_ARP);
	dtc_wr16(a, RTE_ARP_HRD_ETHER);
	dtc_wr16(a + 2, RTE_ETHER_TYPE_IPV4);
	a[4] = RTE_ETHER_ADDR_LEN;
	a[5] = 4;
	dtc_wr16(a + 6, op);
	memcpy(a + 8, sha, RTE_ETHER_ADDR_LEN);
	memcpy(a + 14, &spa, 4);
	if (tha != NULL)
		memcpy(a + 18, tha, RTE_ETHER_ADDR_LEN);
	else
		memset(a + 18, 0, RTE_ETHER_ADDR_LEN);
	memcpy(a + 24, &tpa, 4);
	return ETH_HLEN + ARP_LEN;
}

int
dtc_icmp_echo_reply_inplace(uint8_t *frame, const struct dtc_pkt_info *pi)
{
	uint8_t mac[RTE_ETHER_ADDR_LEN], addr[4];
	uint8_t *ip = frame + pi->l3_off, *icmp = frame + pi->l4_off;
	uint32_t icmp_len = (uint32_t)(pi->payload_off - pi->l4_off) + pi->payload_len;
	uint16_t old, new_, c;

	/* Ethernet only: its l3_off is 14 plus 4 per tag (SLL/SLL2 never match that). */
	if (pi->l3 != DTC_L3_IPV4 || pi->l4 != DTC_L4_ICMP || pi->is_frag ||
			pi->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || pi->icmp_code != 0 ||
			pi->l3_off != ETH_HLEN + 4u * pi->n_vlan ||
			(uint32_t)pi->l4_off + icmp_len > pi->frame_len)
		return -EINVAL;
	memcpy(mac, frame, 6);
	memcpy(frame, frame + 6, 6);
	memcpy(frame + 6, mac, 6);
	/* Swapping the addresses moves words around: the header checksum does not change. */
	memcpy(addr, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, addr, 4);
	/* A fresh TTL, as a host answering would use (TTL shares a word with the protocol).
	 * Incremental is exact here: an IPv4 header never sums to zero (version nibble). */
	memcpy(&old, ip + 8, 2);
	ip[8] = 64;
	memcpy(&new_, ip + 8, 2);
	memcpy(&c, ip + 10, 2);
	c = dtc_csum_adjust16(c, old, new_);
	memcpy(ip + 10, &c, 2);
	/*
	 * Type 8 -> 0, and the ICMP checksum recomputed in full: RFC 1624 eqn. 3 would give
	 * 0x0000 for a message that is all zero once the type is 0 (id 0, seq 0, no data),
	 * whose checksum must be 0xffff.  Echo replies are rare; the sum is cheap.
	 */
	icmp[0] = RTE_IP_ICMP_ECHO_REPLY;
	memset(icmp + 2, 0, 2);
	c = (uint16_t)~rte_raw_cksum(icmp, icmp_len);
	memcpy(icmp + 2, &c, 2);
	return 0;
}
