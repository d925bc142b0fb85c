/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * In-place rewriting with incremental checksum updates (RFC 1624, eqn. 3).  All arithmetic
 * is on raw header words: ones' complement sums are byte-order independent, so no swap is
 * needed as long as the checksum and the changed words are taken from the same memory.
 *
 * Eqn. 3 cannot produce 0xffff, and produces 0x0000 for a region summing to zero; that is
 * only wrong (0xffff needed) when every covered word is zero, which a TCP checksum never
 * sees: its pseudo header carries protocol 6.
 *
 * Aligned fixed fields (addresses, ports, seq/ack/window) use dtc_csum_adjust16/32.  Option
 * fields (MSS, timestamps) can sit at any byte offset, e.g. after a single NOP, so they are
 * patched through a word-aligned window: sum the window, write, sum again, adjust.
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "dtc_proto.h"
#include "proto_private.h"

/* csum with the region that summed to old_sum now summing to new_sum (folded, raw). */
static inline uint16_t
csum_replace_sum(uint16_t csum, uint16_t old_sum, uint16_t new_sum)
{
	return dtc_csum_adjust16(csum, old_sum, new_sum);
}

/* csum adjusted for len (even) bytes at old becoming the bytes at new_. */
static inline uint16_t
csum_replace(uint16_t csum, const void *old, const void *new_, unsigned int len)
{
	return csum_replace_sum(csum, rte_raw_cksum(old, len), rte_raw_cksum(new_, len));
}

/*
 * Write len bytes at byte offset off of the TCP header and fix the TCP checksum.  The window
 * [off rounded down to even, off + len rounded up to even) lies inside the header, because a
 * TCP header length is a multiple of 4 and the fields patched here are options.
 */
static void
tcp_patch(struct rte_tcp_hdr *th, unsigned int off, const void *val, unsigned int len)
{
	uint8_t *p = (uint8_t *)th;
	unsigned int start = off & ~1u;
	unsigned int wlen = ((off + len + 1) & ~1u) - start;
	uint16_t before = rte_raw_cksum(p + start, wlen);

	memcpy(p + off, val, len);
	th->cksum = csum_replace_sum(th->cksum, before, rte_raw_cksum(p + start, wlen));
}

/* A new address (and port) in the IP header at ip_addr, and its TCP port at tcp_port. */
static void
rw_endpoint(struct dtc_l3_view *v, uint8_t *ip_addr, rte_be16_t *tcp_port,
	const union dtc_addr *addr, rte_be16_t port)
{
	struct rte_tcp_hdr *th = v->tcp;
	uint16_t c = th->cksum;

	if (v->family == 4) {
		struct rte_ipv4_hdr *ip = v->l3;
		uint32_t old;

		memcpy(&old, ip_addr, 4);
		ip->hdr_checksum = dtc_csum_adjust32(ip->hdr_checksum, old, addr->a32[0]);
		c = dtc_csum_adjust32(c, old, addr->a32[0]);
		memcpy(ip_addr, &addr->a32[0], 4);
	} else {
		c = csum_replace(c, ip_addr, addr->a8, 16);
		memcpy(ip_addr, addr->a8, 16);
	}
	c = dtc_csum_adjust16(c, *tcp_port, port);
	*tcp_port = port;
	th->cksum = c;
}

void
dtc_rw_src(struct dtc_l3_view *v, const union dtc_addr *addr, rte_be16_t port)
{
	struct rte_tcp_hdr *th = v->tcp;
	uint8_t *a;

	if (v->family == 4)
		a = (uint8_t *)&((struct rte_ipv4_hdr *)v->l3)->src_addr;
	else
		a = ((struct rte_ipv6_hdr *)v->l3)->src_addr;
	rw_endpoint(v, a, &th->src_port, addr, port);
}

void
dtc_rw_dst(struct dtc_l3_view *v, const union dtc_addr *addr, rte_be16_t port)
{
	struct rte_tcp_hdr *th = v->tcp;
	uint8_t *a;

	if (v->family == 4)
		a = (uint8_t *)&((struct rte_ipv4_hdr *)v->l3)->dst_addr;
	else
		a = ((struct rte_ipv6_hdr *)v->l3)->dst_addr;
	rw_endpoint(v, a, &th->dst_port, addr, port);
}

void
dtc_rw_seq(struct dtc_l3_view *v, uint32_t seq)
{
	struct rte_tcp_hdr *th = v->tcp;
	rte_be32_t n = rte_cpu_to_be_32(seq);

	th->cksum = dtc_csum_adjust32(th->cksum, th->sent_seq, n);
	th->sent_seq = n;
}

void
dtc_rw_ack(struct dtc_l3_view *v, uint32_t ack)
{
	struct rte_tcp_hdr *th = v->tcp;
	rte_be32_t n = rte_cpu_to_be_32(ack);

	th->cksum = dtc_csum_adjust32(th->cksum, th->recv_ack, n);
	th->recv_ack = n;
}

void
dtc_rw_win(struct dtc_l3_view *v, uint16_t win)
{
	struct rte_tcp_hdr *th = v->tcp;
	rte_be16_t n = rte_cpu_to_be_16(win);

	th->cksum = dtc_csum_adjust16(th->cksum, th->rx_win, n);
	th->rx_win = n;
}

void
dtc_rw_ts(struct dtc_l3_view *v, uint8_t ts_off, uint32_t tsval, uint32_t tsecr)
{
	uint8_t val[8];

	if (ts_off == 0)
		return;
	dtc_wr32(val, tsval);
	dtc_wr32(val + 4, tsecr);
	tcp_patch(v->tcp, ts_off + 2u, val, sizeof(val));
}

void
dtc_rw_mss(struct dtc_l3_view *v, uint8_t mss_off, uint16_t mss)
{
	uint8_t val[2];

	if (mss_off == 0)
		return;
	dtc_wr16(val, mss);
	tcp_patch(v->tcp, mss_off + 2u, val, sizeof(val));
}
