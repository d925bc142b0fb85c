/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dpdk-intercept's route table and hold queue with an injected clock: add, lookup, change of
 * owner, delete, aging (and refresh by traffic), eviction of the least recently used route
 * when full, routes dropped with their connection, held SYN-ACK/RST delivered in arrival
 * order when the route comes or expired after 3 s, hold overflow; then a long random run
 * against a naive model (linear arrays) that must agree on every lookup.
 */

#include <stdlib.h>
#include <string.h>

#include "intercept.h"
#include "icpt_test.h"

#define S 1000000ull

static struct dtc_flow_key
key(uint32_t client, uint16_t cport)
{
	struct dtc_flow_key k;

	memset(&k, 0, sizeof(k));
	k.family = 4;
	k.client.a32[0] = rte_cpu_to_be_32(0xc6120200 + client);
	k.server.a32[0] = rte_cpu_to_be_32(0xc6120138);
	k.client_port = rte_cpu_to_be_16(cport);
	k.server_port = rte_cpu_to_be_16(80);
	return k;
}

struct got {
	unsigned int n;
	uint32_t conn[64];
	uint8_t tag[64];
};

static void
on_held(void *arg, uint32_t conn, const uint8_t *rec, uint32_t len)
{
	struct got *g = arg;

	CHECK_EQ(len, DTC_V1_REC_LEN);
	if (g->n < 64) {
		g->conn[g->n] = conn;
		g->tag[g->n] = rec[0];
		g->n++;
	}
}

static void
rec_tag(uint8_t *rec, uint8_t tag)
{
	memset(rec, 0, DTC_V1_REC_LEN);
	rec[0] = tag;
}

static void
test_basic(void)
{
	struct icpt_rt *t = icpt_rt_create(1024, 64, 8, 10 * S, 7);
	struct dtc_flow_key k1 = key(1, 1000), k2 = key(2, 1000), k3 = key(1, 1001);
	const uint64_t *st;

	CHECK(t != NULL);
	st = icpt_rt_stats(t);
	icpt_rt_add(t, &k1, 0, 1, NULL, NULL);
	icpt_rt_add(t, &k2, 1, 2, NULL, NULL);
	CHECK_EQ(icpt_rt_lookup(t, &k1, 3), 0);
	CHECK_EQ(icpt_rt_lookup(t, &k2, 3), 1);
	CHECK_EQ(icpt_rt_lookup(t, &k3, 3), -1); /* same client address, other port */
	CHECK_EQ(icpt_rt_count(t), 2);
	CHECK_EQ(st[ICPT_RT_routes_added], 2);
	/* A second copier registers the same 4-tuple: it owns it now. */
	icpt_rt_add(t, &k1, 1, 4, NULL, NULL);
	CHECK_EQ(icpt_rt_lookup(t, &k1, 5), 1);
	CHECK_EQ(icpt_rt_conn_count(t, 0), 0);
	CHECK_EQ(icpt_rt_conn_count(t, 1), 2);
	CHECK_EQ(st[ICPT_RT_routes_refreshed], 1);
	CHECK_EQ(icpt_rt_count(t), 2);
	/* Only the owner deletes. */
	CHECK_EQ(icpt_rt_del(t, &k1, 0), -ENOENT);
	CHECK_EQ(icpt_rt_del(t, &k1, 1), 0);
	CHECK_EQ(icpt_rt_lookup(t, &k1, 6), -1);
	CHECK_EQ(icpt_rt_del(t, &k1, 1), -ENOENT);
	CHECK_EQ(st[ICPT_RT_routes_deleted], 1);
	/* A connection id out of range is ignored. */
	icpt_rt_add(t, &k3, 8, 7, NULL, NULL);
	CHECK_EQ(icpt_rt_lookup(t, &k3, 7), -1);
	icpt_rt_free(t);
}

static void
test_age(void)
{
	struct icpt_rt *t = icpt_rt_create(1024, 64, 4, 10 * S, 7);
	struct icpt_rt *never = icpt_rt_create(1024, 64, 4, 0, 7);
	struct dtc_flow_key k3 = key(3, 1), k4 = key(4, 1), k5 = key(5, 1);

	icpt_rt_add(t, &k3, 0, 0, NULL, NULL);
	icpt_rt_add(t, &k4, 0, 5 * S, NULL, NULL);
	icpt_rt_add(t, &k5, 0, 5 * S, NULL, NULL);
	CHECK_EQ(icpt_rt_expire(t, 10 * S - 1), 0);
	CHECK_EQ(icpt_rt_expire(t, 10 * S), 1);
	CHECK_EQ(icpt_rt_lookup(t, &k3, 10 * S), -1);
	/* Traffic refreshes k4 at 12 s; re-registration refreshes k5 at 13 s. */
	CHECK_EQ(icpt_rt_lookup(t, &k4, 12 * S), 0);
	icpt_rt_add(t, &k5, 0, 13 * S, NULL, NULL);
	CHECK_EQ(icpt_rt_expire(t, 21 * S), 0);
	CHECK_EQ(icpt_rt_expire(t, 22 * S), 1);
	CHECK_EQ(icpt_rt_lookup(t, &k4, 22 * S), -1);
	CHECK_EQ(icpt_rt_lookup(t, &k5, 22 * S), 0); /* that lookup refreshed it again */
	CHECK_EQ(icpt_rt_expire(t, 32 * S), 1);
	CHECK_EQ(icpt_rt_stats(t)[ICPT_RT_routes_aged], 3);
	CHECK_EQ(icpt_rt_count(t), 0);
	/* --route-timeout 0: nothing ages. */
	icpt_rt_add(never, &k3, 0, 0, NULL, NULL);
	CHECK_EQ(icpt_rt_expire(never, 1000000 * S), 0);
	CHECK_EQ(icpt_rt_lookup(never, &k3, 1000000 * S), 0);
	icpt_rt_free(t);
	icpt_rt_free(never);
}

static void
test_evict_and_close(void)
{
	struct icpt_rt *t = icpt_rt_create(4, 16, 4, 100 * S, 9);
	struct dtc_flow_key k[6];
	unsigned int i;

	for (i = 0; i < 6; i++)
		k[i] = key(10 + i, 2000);
	for (i = 0; i < 4; i++)
		icpt_rt_add(t, &k[i], i % 2, i, NULL, NULL);
	/* k0 is used again: k1 is now the least recently used, and goes first. */
	CHECK_EQ(icpt_rt_lookup(t, &k[0], 10), 0);
	icpt_rt_add(t, &k[4], 2, 11, NULL, NULL);
	CHECK_EQ(icpt_rt_stats(t)[ICPT_RT_routes_evicted], 1);
	CHECK_EQ(icpt_rt_lookup(t, &k[1], 12), -1);
	CHECK_EQ(icpt_rt_lookup(t, &k[0], 12), 0);
	CHECK_EQ(icpt_rt_lookup(t, &k[4], 12), 2);
	CHECK_EQ(icpt_rt_count(t), 4);
	/* Connection 0 closes: its routes go (k0, k2), the others stay. */
	icpt_rt_drop_conn(t, 0);
	CHECK_EQ(icpt_rt_stats(t)[ICPT_RT_routes_closed], 2);
	CHECK_EQ(icpt_rt_lookup(t, &k[0], 13), -1);
	CHECK_EQ(icpt_rt_lookup(t, &k[2], 13), -1);
	CHECK_EQ(icpt_rt_lookup(t, &k[3], 13), 1);
	CHECK_EQ(icpt_rt_count(t), 2);
	/* The freed slots are reused without eviction. */
	icpt_rt_add(t, &k[5], 3, 14, NULL, NULL);
	icpt_rt_add(t, &k[0], 3, 15, NULL, NULL);
	CHECK_EQ(icpt_rt_stats(t)[ICPT_RT_routes_evicted], 1);
	CHECK_EQ(icpt_rt_conn_count(t, 3), 2);
	icpt_rt_free(t);
}

static void
test_hold(void)
{
	struct icpt_rt *t = icpt_rt_create(1024, 16, 4, 100 * S, 11);
	struct dtc_flow_key k = key(50, 3000), other = key(51, 3000);
	uint8_t rec[DTC_V1_REC_LEN];
	struct got g = { 0 };
	unsigned int i;

	rec_tag(rec, 'S');
	icpt_rt_hold(t, &k, rec, DTC_V1_REC_LEN, 0);
	rec_tag(rec, 'o');
	icpt_rt_hold(t, &other, rec, DTC_V1_REC_LEN, S / 2);
	rec_tag(rec, 'R');
	icpt_rt_hold(t, &k, rec, DTC_V1_REC_LEN, S);
	CHECK_EQ(icpt_rt_held_count(t), 3);
	/* The route arrives: both of k's records, in arrival order, to its owner. */
	icpt_rt_add(t, &k, 2, 2 * S, on_held, &g);
	CHECK_EQ(g.n, 2);
	CHECK(g.tag[0] == 'S' && g.tag[1] == 'R');
	CHECK(g.conn[0] == 2 && g.conn[1] == 2);
	CHECK_EQ(icpt_rt_held_count(t), 1);
	CHECK_EQ(icpt_rt_stats(t)[ICPT_RT_held_delivered], 2);
	/* A refresh of the same route delivers nothing more. */
	icpt_rt_add(t, &k, 2, 2 * S, on_held, &g);
	CHECK_EQ(g.n, 2);
	/* other's record is 3 s old at 3.5 s. */
	CHECK_EQ(icpt_rt_expire(t, 3 * S + S / 2 - 1), 0);
	CHECK_EQ(icpt_rt_expire(t, 3 * S + S / 2), 1);
	CHECK_EQ(icpt_rt_stats(t)[ICPT_RT_held_expired], 1);
	icpt_rt_add(t, &other, 1, 4 * S, on_held, &g);
	CHECK_EQ(g.n, 2);
	/* Full queue: the oldest records make room. */
	for (i = 0; i < 20; i++) {
		struct dtc_flow_key ki = key(100 + i, 4000);

		rec_tag(rec, (uint8_t)i);
		icpt_rt_hold(t, &ki, rec, DTC_V1_REC_LEN, 5 * S + i);
	}
	CHECK_EQ(icpt_rt_held_count(t), 16);
	CHECK_EQ(icpt_rt_stats(t)[ICPT_RT_held_overflow], 4);
	g.n = 0;
	for (i = 0; i < 20; i++) {
		struct dtc_flow_key ki = key(100 + i, 4000);

		icpt_rt_add(t, &ki, 0, 6 * S, on_held, &g);
	}
	CHECK_EQ(g.n, 16);
	CHECK_EQ(g.tag[0], 4); /* records 0..3 were the oldest */
	CHECK_EQ(icpt_rt_held_count(t), 0);
	icpt_rt_free(t);
}

/* ---- random run against a naive model ---- */

#define M_CAP 64
#define M_KEYS 200
#define M_CONNS 5
#define M_TIMEOUT 1500 /* about 110 adds per lifetime: both aging and eviction happen */

struct model {
	int used[M_CAP];
	int key[M_CAP];
	int conn[M_CAP];
	uint64_t last[M_CAP];
};

static int
m_find(struct model *m, int k)
{
	int i;

	for (i = 0; i < M_CAP; i++)
		if (m->used[i] && m->key[i] == k)
			return i;
	return -1;
}

static void
m_add(struct model *m, int k, int conn, uint64_t now)
{
	int i = m_find(m, k), j, oldest = -1;

	if (i < 0) {
		for (j = 0; j < M_CAP && i < 0; j++)
			if (!m->used[j])
				i = j;
		if (i < 0) {
			for (j = 0; j < M_CAP; j++)
				if (oldest < 0 || m->last[j] < m->last[oldest])
					oldest = j;
			i = oldest;
		}
	}
	m->used[i] = 1;
	m->key[i] = k;
	m->conn[i] = conn;
	m->last[i] = now;
}

static void
test_model(void)
{
	struct icpt_rt *t = icpt_rt_create(M_CAP, 16, M_CONNS, M_TIMEOUT, 13);
	struct model m;
	uint64_t now = 1000;
	unsigned int op, mismatches = 0;
	int i;

	memset(&m, 0, sizeof(m));
	for (op = 0; op < 200000; op++) {
		int k = (int)(dtc_rand() % M_KEYS), conn = (int)(dtc_rand() % M_CONNS);
		struct dtc_flow_key fk = key((uint32_t)k, (uint16_t)(k * 7));
		unsigned int what = dtc_rand() % 100;
		int64_t got;

		now += 1 + dtc_rand() % 10; /* strictly increasing: the model breaks no ties */
		icpt_rt_expire(t, now);
		for (i = 0; i < M_CAP; i++)
			if (m.used[i] && now - m.last[i] >= M_TIMEOUT)
				m.used[i] = 0;
		if (what < 40) {
			icpt_rt_add(t, &fk, (uint32_t)conn, now, NULL, NULL);
			m_add(&m, k, conn, now);
		} else if (what < 45) {
			i = m_find(&m, k);
			if (i >= 0 && m.conn[i] == conn)
				m.used[i] = 0;
			icpt_rt_del(t, &fk, (uint32_t)conn);
		} else if (what < 46) {
			icpt_rt_drop_conn(t, (uint32_t)conn);
			for (i = 0; i < M_CAP; i++)
				if (m.used[i] && m.conn[i] == conn)
					m.used[i] = 0;
		} else {
			i = m_find(&m, k);
			got = icpt_rt_lookup(t, &fk, now);
			if (i >= 0)
				m.last[i] = now;
			if (got != (i >= 0 ? m.conn[i] : -1) && mismatches++ < 5)
				fprintf(stderr, "op %u key %d: table %lld model %d\n", op, k,
					(long long)got, i >= 0 ? m.conn[i] : -1);
		}
	}
	CHECKF(mismatches == 0, "%u lookups disagree with the model", mismatches);
	{
		unsigned int n = 0;

		for (i = 0; i < M_CAP; i++)
			n += (unsigned int)m.used[i];
		CHECK_EQ(icpt_rt_count(t), n);
	}
	CHECK(icpt_rt_stats(t)[ICPT_RT_routes_evicted] > 0);
	CHECK(icpt_rt_stats(t)[ICPT_RT_routes_aged] > 0);
	printf("model run: %" PRIu64 " added, %" PRIu64 " evicted, %" PRIu64 " aged\n",
		icpt_rt_stats(t)[ICPT_RT_routes_added], icpt_rt_stats(t)[ICPT_RT_routes_evicted],
		icpt_rt_stats(t)[ICPT_RT_routes_aged]);
	icpt_rt_free(t);
}

int
main(int argc, char **argv)
{
	(void)argc;
	CHECK(icpt_rt_create(0, 16, 4, 0, 0) == NULL);
	test_basic();
	test_age();
	test_evict_and_close();
	test_hold();
	test_model();
	return dtc_check_end(argv[0]);
}
