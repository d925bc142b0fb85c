/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Port setup: one RX queue per port (mirror input, or ARP and responses on the TX/response
 * port), the TX queues the roles need, promiscuous mode on mirror ports, and the checksum
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
dtc_copy_port_rxq(uint16_t port)
{
	struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port, &info) != 0 || info.max_rx_queues == 0)
		return 1;
	if (strcmp(info.driver_name, "net_af_packet") == 0)
		return info.max_rx_queues;
	return 1;
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
	uint16_t n_rxq = dtc_copy_port_rxq(pc->port);
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
	memset(&conf, 0, sizeof(conf));
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
