#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""Serve the DPDK telemetry of dpdk-tcpcopy and dpdk-intercept as Prometheus/OpenMetrics.

    dtc-exporter.py [--listen ADDR] [--port PORT] [--once] RUNDIR...

RUNDIR is an app's runtime directory (/var/run/dpdk/<file-prefix>, with its
dpdk_telemetry.v2 socket).  Every scrape asks each app for every /dtc/... command it has and
turns the replies into metrics (python3-prometheus-client, Debian's):

  - a number at the top of a reply:        dtc_<cmd>_<key>, e.g. dtc_copy_stats_captured;
  - a number in a nested dictionary:       the same with the dictionary's name as a label,
    e.g. dtc_copy_drops{group="front",reason="not_client"} (a per-reason dictionary) and
    dtc_copy_compare_compared{key="GET /err"} (the comparison's keys);
  - /dtc/copy/compare's dictionaries all, k0, k1, ..., other: labelled with the key each one
    names in its "key" value (request keys are not valid telemetry names);
  - /dtc/copy/compare's latency histograms (online_hist_us, test_hist_us: cumulative counts at
    power-of-two microsecond bounds, "inf", "sum"): histograms
    dtc_copy_compare_latency_seconds{side=...}.

Each metric has an `app` label (the rundir's last part) so one exporter serves both apps.
--once prints one exposition and exits (tests, debugging).  An app that does not answer is
skipped for that scrape and counted in dtc_exporter_errors_total.
"""

import argparse
import json
import os
import re
import socket
import sys
import time

from prometheus_client import start_http_server
from prometheus_client.core import (REGISTRY, CounterMetricFamily, GaugeMetricFamily,
                                    HistogramMetricFamily)
from prometheus_client.exposition import generate_latest


def tel_query(rundir, cmds, timeout=2.0):
    """{cmd: reply} over one connection to the app's telemetry socket."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(timeout)
    out = {}
    try:
        s.connect(os.path.join(rundir, "dpdk_telemetry.v2"))
        info = json.loads(s.recv(16384).decode())
        maxlen = int(info.get("max_output_len", 16384)) + 1024
        for c in cmds:
            s.send(c.encode())
            reply = json.loads(s.recv(maxlen).decode())
            out[c] = reply.get(c.split(",", 1)[0])
    finally:
        s.close()
    return out


def metric_name(cmd, key=None):
    n = "dtc_" + cmd.strip("/").replace("dtc/", "", 1).replace("/", "_")
    if key is not None:
        n += "_" + key
    n = re.sub(r"[^a-zA-Z0-9_]", "_", n)
    return re.sub(r"_+", "_", n)


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


HIST_KEYS = {"online_hist_us": "online", "test_hist_us": "test"}


def histogram(h):
    """Prometheus buckets and sum from {"1": c, "2": c, ..., "+Inf": n, "sum": s} (us)."""
    buckets = sorted((float(k) / 1e6, v) for k, v in h.items() if k.isdigit())
    return ([(repr(b), v) for b, v in buckets] + [("+Inf", h.get("inf", 0))],
            h.get("sum", 0) / 1e6)


class Collector:
    def __init__(self, rundirs):
        self.rundirs = rundirs
        self.errors = {}

    def describe(self):
        return []

    def collect(self):
        gauges = {}
        hists = {}

        def gauge(name, labels, value):
            """One sample; a name keeps one set of label names (another set: a suffix)."""
            lk = tuple(labels)
            fam = gauges.get((name, lk))
            if fam is None:
                taken = any(n == name for n, _ in gauges)
                fam = gauges[(name, lk)] = GaugeMetricFamily(
                    name + ("_by_" + "_".join(lk[1:]) if taken else ""), name,
                    labels=list(lk))
            fam.add_metric([labels[k] for k in lk], value)

        for rd in self.rundirs:
            app = os.path.basename(rd.rstrip("/"))
            try:
                cmds = [c for c in tel_query(rd, ["/"])["/"] if c.startswith("/dtc/")]
                replies = tel_query(rd, cmds)
            except (OSError, ValueError, KeyError, TypeError):
                self.errors[app] = self.errors.get(app, 0) + 1
                continue
            for cmd, data in replies.items():
                if not isinstance(data, dict):
                    continue
                for k, v in data.items():
                    if is_num(v):
                        gauge(metric_name(cmd, k), {"app": app}, v)
                    elif isinstance(v, dict):
                        self.nested(cmd, app, k, v, gauge, hists)
        fams = {}
        for (name, labels), (buckets, total) in hists.items():
            h = fams.get(name)
            if h is None:
                h = fams[name] = HistogramMetricFamily(
                    name, "latency (seconds, from the comparison's power-of-two "
                    "microsecond buckets)", labels=[l for l, _ in labels])
            h.add_metric([v for _, v in labels], buckets, total)
        yield from fams.values()
        for g in gauges.values():
            yield g
        e = CounterMetricFamily("dtc_exporter_errors", "apps that did not answer a scrape",
                                labels=["app"])
        for app, n in self.errors.items():
            e.add_metric([app], n)
        yield e

    def nested(self, cmd, app, name, d, gauge, hists):
        if cmd == "/dtc/copy/compare":
            # "all", k0, k1, ... (one per key, named in their "key" value), "other"
            key = d.get("key") if isinstance(d.get("key"), str) else name
            for k, v in d.items():
                if is_num(v):
                    gauge(metric_name(cmd, k), {"app": app, "key": key}, v)
                elif k in HIST_KEYS and isinstance(v, dict):
                    b, s = histogram(v)
                    hists[(metric_name(cmd, "latency_seconds"),
                           (("app", app), ("key", key), ("side", HIST_KEYS[k])))] = (b, s)
            return
        # a per-reason (or per-group) dictionary: its name as the group label
        for k, v in d.items():
            if is_num(v):
                gauge(metric_name(cmd), {"app": app, "group": name, "reason": k}, v)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rundirs", nargs="+", metavar="RUNDIR")
    ap.add_argument("--listen", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9735)
    ap.add_argument("--once", action="store_true", help="print one exposition and exit")
    args = ap.parse_args(argv)
    REGISTRY.register(Collector(args.rundirs))
    if args.once:
        sys.stdout.write(generate_latest(REGISTRY).decode())
        return 0
    start_http_server(args.port, addr=args.listen)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
