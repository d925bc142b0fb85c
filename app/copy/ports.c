/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Port setup: the RX queues a port needs (one per RX lcore on a mirror port, spread by RSS;
 * one for ARP and responses on the TX/response port), the TX queues the roles need, promiscuous mode on mirror ports, and the checksum
 * offloads the port really has.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "copy_dp.h"

uint16_t
dtc_copy_port_max_txq(uint16_t port)
{
	struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port, &info) != 0)
		return 0;
	return info.max_tx_queues;
}

uint16_t
dtc_copy_port_rxq(uint16_t port, uint16_t want)
{
	struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port, &info) != 0 || info.max_rx_queues == 0)
		return 1;
	/* its queues are the qpairs' fanout sockets: every one receives, every one is read */
	if (strcmp(info.driver_name, "net_af_packet") == 0)
		return info.max_rx_queues;
	return RTE_MAX(want, 1);
}

int
dtc_copy_port_start(const struct dtc_copy_port_conf *pc, struct rte_mempool *mp,
	uint64_t *tx_offloads, char *err, size_t errlen)
{
	const uint64_t want = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_eth_txconf txc;
	uint16_t nb_rxd = DTC_COPY_NB_RXD, nb_txd = DTC_COPY_NB_TXD, q;
	uint16_t n_rxq = RTE_MAX(pc->n_rxq, 1);
	int socket = rte_eth_dev_socket_id(pc->port);
	int rc;

	if (socket < 0)
		socket = (int)rte_socket_id();
	rc = rte_eth_dev_info_get(pc->port, &info);
	if (rc != 0) {
		snprintf(err, errlen, "port %u: cannot get device info: %s", pc->port,
			strerror(-rc));
		return rc;
	}
	if (pc->n_txq > info.max_tx_queues) {
		snprintf(err, errlen, "port %u (%s) has %u TX queue(s), %u needed (one per worker "
			"lcore%s): use fewer lcores, or give the device more queues (e.g. "
			"net_af_packet qpairs=N, net_pcap one tx_pcap per queue)", pc->port,
			info.driver_name, info.max_tx_queues, pc->n_txq,
			pc->ctl_txq ? " plus one for the control lcore" : "");
		return -EINVAL;
	}
	if (n_rxq > info.max_rx_queues) {
		snprintf(err, errlen, "port %u (%s) has %u RX queue(s), %u needed (one per RX "
			"lcore, --rx-lcores)", pc->port, info.driver_name, info.max_rx_queues,
			n_rxq);
		return -EINVAL;
	}
	memset(&conf, 0, sizeof(conf));
	if (n_rxq > 1 && strcmp(info.driver_name, "net_af_packet") != 0) {
		/* one flow, one queue: a session's segments stay in order on one RX lcore */
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP);
		if (conf.rx_adv_conf.rss_conf.rss_hf == 0) {
			snprintf(err, errlen, "port %u (%s) cannot spread TCP flows over RX queues "
				"(no RSS on IP/TCP): use --rx-lcores 1", pc->port, info.driver_name);
			return -ENOTSUP;
		}
	}
	*tx_offloads = info.tx_offload_capa & want;
	conf.txmode.offloads = *tx_offloads;
	rc = rte_eth_dev_configure(pc->port, n_rxq, pc->n_txq, &conf);
	if (rc != 0) {
		snprintf(err, errlen, "port %u: configure (%u RX, %u TX queues): %s", pc->port,
			n_rxq, pc->n_txq, strerror(-rc));
		return rc;
	}
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(pc->port, &nb_rxd, &nb_txd);
	if (rc != 0) {
		snprintf(err, errlen, "port %u: descriptors: %s", pc->port, strerror(-rc));
		return rc;
	}
	for (q = 0; q < n_rxq; q++) {
		rc = rte_eth_rx_queue_setup(pc->port, q, nb_rxd, (unsigned int)socket, NULL, mp);
		if (rc != 0) {
			snprintf(err, errlen, "port %u: RX queue %u: %s", pc->port, q,
				strerror(-rc));
			return rc;
		}
	}
	txc = info.default_txconf;
	txc.offloads = conf.txmode.offloads;
	for (q = 0; q < pc->n_txq; q++) {
		rc = rte_eth_tx_queue_setup(pc->port, q, nb_txd, (unsigned int)socket, &txc);
		if (rc != 0) {
			snprintf(err, errlen, "port %u: TX queue %u: %s", pc->port, q,
				strerror(-rc));
			return rc;
		}
	}
	rc = rte_eth_dev_start(pc->port);
	if (rc != 0) {
		snprintf(err, errlen, "port %u: start: %s", pc->port, strerror(-rc));
		return rc;
	}
	/* a mirror port sees other hosts' traffic; vdevs without the notion refuse: fine */
	if (pc->promisc)
		(void)rte_eth_promiscuous_enable(pc->port);
	return 0;
}

void
dtc_copy_port_stop(uint16_t port)
{
	int rc = rte_eth_dev_stop(port);

	if (rc != 0)
		COPY_LOG(WARNING, "port %u: stop: %s", port, strerror(-rc));
	rte_eth_dev_close(port);
}
