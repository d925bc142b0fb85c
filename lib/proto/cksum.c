/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Full TCP/IP checksums.  Values are returned exactly as they are stored in the header
 * ("raw" 16-bit words), so they compare directly with the field and with what scapy/tshark
 * compute.  The stored checksum field is skipped rather than required to be zero, so the same
 * function both computes a checksum to store and recomputes one to compare.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "dtc_proto.h"
#include "proto_private.h"

#define ETH_HLEN 14
#define TCP_CKSUM_OFF 16

/* The largest IP header dtc_tcp_cksum_mbuf reads: IPv4 with 40 bytes of options or IPv6. */
#define IP_HDR_MAX 60

/* Pseudo header of a contiguous IPv4/IPv6 header (IPv6: no extension headers) and the
 * L4 length it announces; returns false when the header cannot be a TCP/IP one. */
static bool
ip_phdr(const uint8_t *ip, uint8_t family, uint32_t *sum, uint32_t *l4_off, uint32_t *l4_len)
{
	if (family == 4) {
		uint32_t hlen = (uint32_t)(ip[0] & 0xf) * 4;
		uint32_t tot = dtc_rd16(ip + 2);

		if (hlen < 20 || tot < hlen + 20)
			return false;
		*l4_off = hlen;
		*l4_len = tot - hlen;
		*sum = dtc_phdr_sum(ip + 12, ip + 16, 4, *l4_len);
		return true;
	}
	*l4_off = 40;
	*l4_len = dtc_rd16(ip + 4);
	if (*l4_len < 20)
		return false;
	*sum = dtc_phdr_sum(ip + 8, ip + 24, 16, *l4_len);
	return true;
}

uint16_t
dtc_tcp_cksum(const void *l3, uint8_t family)
{
	const uint8_t *ip = l3;
	uint32_t sum, off, len;

	if (!ip_phdr(ip, family, &sum, &off, &len))
		return 0;
	/* Words [0, 16) and [18, len): everything but the checksum field itself. */
	sum = __rte_raw_cksum(ip + off, TCP_CKSUM_OFF, sum);
	sum = __rte_raw_cksum(ip + off + TCP_CKSUM_OFF + 2, len - TCP_CKSUM_OFF - 2, sum);
	return (uint16_t)~dtc_csum_fold(sum);
}

/*
 * Add the sum of [off, off + len) of an mbuf chain to *sum; false when the chain is too short.
 * Not rte_raw_cksum_mbuf(): in DPDK 22.11 it truncates a segment's 32-bit partial sum to 16
 * bits before byte-swapping it (segments starting at an odd offset), losing carries.  Here
 * each partial sum is folded first, then swapped.
 */
static bool
mbuf_sum(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint32_t *sum)
{
	uint32_t done = 0;

	if (len == 0)
		return true;
	if ((uint64_t)off + len > rte_pktmbuf_pkt_len(m))
		return false;
	while (m != NULL && off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (m != NULL && done < len) {
		uint32_t n = RTE_MIN((uint32_t)m->data_len - off, len - done);
		uint16_t part;

		part = dtc_csum_fold(__rte_raw_cksum(rte_pktmbuf_mtod_offset(m, const uint8_t *,
			off), n, 0));
		*sum += (done & 1) ? rte_bswap16(part) : part;
		done += n;
		off = 0;
		m = m->next;
	}
	return done == len;
}

uint16_t
dtc_tcp_cksum_mbuf(const struct rte_mbuf *m, uint16_t l3_off, uint8_t family)
{
	uint8_t copy[IP_HDR_MAX];
	uint32_t want = family == 4 ? 20 : 40, sum, off, len;
	const uint8_t *ip;

	ip = rte_pktmbuf_read(m, l3_off, want, copy);
	if (ip == NULL)
		return 0;
	if (family == 4 && (ip[0] & 0xf) * 4u > want) {
		want = (ip[0] & 0xf) * 4u;
		ip = rte_pktmbuf_read(m, l3_off, want, copy);
		if (ip == NULL)
			return 0;
	}
	if (!ip_phdr(ip, family, &sum, &off, &len))
		return 0;
	off += l3_off;
	if (!mbuf_sum(m, off, TCP_CKSUM_OFF, &sum) ||
			!mbuf_sum(m, off + TCP_CKSUM_OFF + 2, len - TCP_CKSUM_OFF - 2, &sum))
		return 0;
	return (uint16_t)~dtc_csum_fold(sum);
}

static bool
ipv4_hdr_ok(const struct rte_mbuf *m, const struct dtc_pkt_info *pi)
{
	uint8_t copy[IP_HDR_MAX];
	uint32_t hlen = pi->l4_off - pi->l3_off; /* no IPv4 extension headers: the IHL */
	const uint8_t *ip;

	if (hlen < 20 || hlen > IP_HDR_MAX)
		return false;
	ip = rte_pktmbuf_read(m, pi->l3_off, hlen, copy);
	return ip != NULL && rte_raw_cksum(ip, hlen) == 0xffff;
}

bool
dtc_cksum_ok_mbuf(const struct rte_mbuf *m, const struct dtc_pkt_info *pi)
{
	uint32_t l4_len, sum;

	if (pi->l4 != DTC_L4_TCP || (pi->family != 4 && pi->family != 6))
		return false;
	if (pi->family == 4 && !ipv4_hdr_ok(m, pi))
		return false;
	/* The datagram must be all there: a snaplen-cut segment cannot be verified. */
	l4_len = (uint32_t)(pi->payload_off - pi->l4_off) + pi->payload_len;
	/* Summing the stored checksum too gives 0xffff exactly when it is right (0 or 0xffff
	 * stored for a zero result both pass, as RFC 1624 allows). */
	sum = dtc_phdr_sum(&pi->src, &pi->dst, pi->family == 4 ? 4 : 16, l4_len);
	if (!mbuf_sum(m, pi->l4_off, l4_len, &sum))
		return false;
	return dtc_csum_fold(sum) == 0xffff;
}

static void
tx_cksum_v4(struct rte_mbuf *m, struct rte_ipv4_hdr *ip, uint64_t tx_offloads)
{
	struct rte_tcp_hdr *th;
	uint64_t ol = 0;

	m->l3_len = rte_ipv4_hdr_len(ip);
	th = (struct rte_tcp_hdr *)((uint8_t *)ip + m->l3_len);
	m->l4_len = (th->data_off >> 4) * 4;
	ip->hdr_checksum = 0;
	if (tx_offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)
		ol |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	else
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (tx_offloads & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) {
		ol |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM;
		th->cksum = rte_ipv4_phdr_cksum(ip, ol);
	} else if (m->nb_segs == 1) {
		th->cksum = dtc_tcp_cksum(ip, 4);
	} else {
		th->cksum = dtc_tcp_cksum_mbuf(m, ETH_HLEN, 4);
	}
	m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_OFFLOAD_MASK) | ol;
}

static void
tx_cksum_v6(struct rte_mbuf *m, struct rte_ipv6_hdr *ip, uint64_t tx_offloads)
{
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
	uint64_t ol = 0;

	m->l3_len = sizeof(*ip);
	m->l4_len = (th->data_off >> 4) * 4;
	if (tx_offloads & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) {
		ol = RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM;
		th->cksum = rte_ipv6_phdr_cksum(ip, ol);
	} else if (m->nb_segs == 1) {
		th->cksum = dtc_tcp_cksum(ip, 6);
	} else {
		th->cksum = dtc_tcp_cksum_mbuf(m, ETH_HLEN, 6);
	}
	m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_OFFLOAD_MASK) | ol;
}

void
dtc_tx_cksum(struct rte_mbuf *m, uint8_t family, uint64_t tx_offloads)
{
	void *ip = rte_pktmbuf_mtod_offset(m, void *, ETH_HLEN);

	m->l2_len = ETH_HLEN;
	if (family == 4)
		tx_cksum_v4(m, ip, tx_offloads);
	else
		tx_cksum_v6(m, ip, tx_offloads);
}
