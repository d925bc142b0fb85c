#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# One entry point for setting up, building, testing and demonstrating dpdk-tcpcopy.
# Every subcommand is idempotent, says what it does, and fails with a clear message.
#
#   deps                 install everything needed to build, test and run (Debian 12, root)
#   build                configure and build into build/
#   test [meson test args]  deps + build + the whole suite; ends with "N passed, N failed"
#   demo                 deps + build + the built-in end-to-end demo (no NIC needed)
#   bench                deps + build + the data-path benchmark (JSON lines)
#   lab up|down|status   the network-namespace lab used by the demo and the e2e tests
#   hugepages N          reserve N 2 MiB hugepages and mount hugetlbfs (real machines)
#   bind PCI DRIVER      bind a NIC to a DPDK driver (vfio-pci) with dpdk-devbind.py

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${DTC_BUILD_DIR:-$TOP/build}

say() { printf '==> %s\n' "$*"; }
die() { printf 'dpdk-setup: error: %s\n' "$*" >&2; exit 1; }

need_root() {
    [ "$(id -u)" -eq 0 ] || die "'$1' needs root (run it with sudo or as root)"
}

# Debian packages: build, run, test and demo.
DEPS_BUILD=(build-essential libdpdk-dev dpdk-dev meson ninja-build pkg-config libpcap-dev
    libnuma-dev clang llvm libclang-rt-14-dev libssl-dev)
DEPS_TEST=(tshark tcpdump tcpreplay python3 python3-scapy iproute2 ethtool procps psmisc
    nginx-light redis-server redis-tools wrk curl jq python3-matplotlib
    libnginx-mod-http-echo python3-prometheus-client prometheus nftables)

cmd_deps() {
    local missing=() p
    for p in "${DEPS_BUILD[@]}" "${DEPS_TEST[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "deps: all ${#DEPS_BUILD[@]}+${#DEPS_TEST[@]} packages already installed"
        return 0
    fi
    need_root deps
    say "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q || die "apt-get update failed (is a Debian mirror reachable?)"
    # tshark asks whether non-root users may capture; answer no, non-interactively.
    echo "wireshark-common wireshark-common/install-setuid boolean false" \
        | debconf-set-selections
    # With recommends: the set the suite was developed and measured with.
    apt-get install -y -q "${missing[@]}" \
        || die "apt-get install failed for: ${missing[*]}"
    # Debian starts these services on install; the tests start their own instances.
    for svc in nginx redis-server; do
        if command -v systemctl >/dev/null && systemctl is-active --quiet "$svc" 2>/dev/null; then
            systemctl stop "$svc" || true
            systemctl disable "$svc" >/dev/null 2>&1 || true
        fi
    done
}

# Extra meson options come from the arguments or from DTC_MESON_OPTS (used by .ci/run for the
# sanitizer build).
cmd_build() {
    command -v meson >/dev/null || die "meson is missing: run '$0 deps' first"
    # shellcheck disable=SC2206
    local opts=(${DTC_MESON_OPTS:-} "$@")
    if [ ! -f "$BUILD/build.ninja" ]; then
        say "build: configuring $BUILD ${opts[*]}"
        meson setup "$BUILD" "$TOP" "${opts[@]}" || die "meson setup failed"
    elif [ ${#opts[@]} -gt 0 ]; then
        meson configure "$BUILD" "${opts[@]}" || die "meson configure failed"
    fi
    say "build: compiling"
    ninja -C "$BUILD" || die "build failed"
}

# Summarize meson's test log as "N passed, N failed" (skips count as failures: CI runs
# everything as root, so nothing should skip).
summarize() {
    local log=$1
    /usr/bin/python3 - "$log" <<'EOF'
import json, sys
passed = failed = 0
bad = []
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    t = json.loads(line)
    if t["result"] in ("OK", "EXPECTEDFAIL"):
        passed += 1
    else:
        failed += 1
        bad.append(t)
# What each failed test said last (its FAIL lines first), so that a CI log cut to its end
# still tells why.
for t in bad:
    print("FAILED: %s (%s)" % (t["name"], t["result"]))
    out = ((t.get("stdout") or "") + "\n" + (t.get("stderr") or "")).splitlines()
    keys = [l for l in out if "FAIL" in l or "failed" in l or "ERROR" in l][:12]
    for l in keys + ["..."] + out[-15:]:
        print("  | " + l[:200])
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
}

cmd_test() {
    cmd_deps
    cmd_build
    rm -f "$BUILD/meson-logs/testlog.json"
    say "test: running the suite (unit, fuzz corpora, golden pcaps, end to end)"
    local rc=0
    meson test -C "$BUILD" --no-rebuild --print-errorlogs "$@" || rc=$?
    summarize "$BUILD/meson-logs/testlog.json" || rc=1
    return $rc
}

cmd_hugepages() {
    need_root hugepages
    local n=${1:-}
    [[ "$n" =~ ^[0-9]+$ ]] || die "usage: $0 hugepages N   (N = number of 2 MiB pages)"
    say "hugepages: reserving $n x 2 MiB"
    echo "$n" > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
    local got
    got=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)
    [ "$got" -ge "$n" ] || die "only $got of $n hugepages could be reserved (memory fragmented?)"
    mkdir -p /dev/hugepages
    if ! mountpoint -q /dev/hugepages; then
        say "hugepages: mounting hugetlbfs on /dev/hugepages"
        mount -t hugetlbfs nodev /dev/hugepages || die "cannot mount hugetlbfs"
    fi
    say "hugepages: $got reserved, hugetlbfs on /dev/hugepages"
}

cmd_bind() {
    need_root bind
    local pci=${1:-} drv=${2:-}
    [ -n "$pci" ] && [ -n "$drv" ] || die "usage: $0 bind PCI DRIVER   (e.g. 0000:03:00.0 vfio-pci)"
    command -v dpdk-devbind.py >/dev/null || die "dpdk-devbind.py missing: run '$0 deps'"
    if [ "$drv" = vfio-pci ]; then
        modprobe vfio-pci || die "cannot load vfio-pci"
    fi
    say "bind: $pci -> $drv"
    dpdk-devbind.py --bind="$drv" "$pci" || die "dpdk-devbind.py failed for $pci"
    dpdk-devbind.py --status-dev net | sed -n '1,40p'
}

cmd_lab() {
    [ -f "$TOP/tools/lab.sh" ] || die "the namespace lab is not part of this checkout yet"
    # shellcheck source=lab.sh
    . "$TOP/tools/lab.sh"
    lab_main "$@"
}

cmd_demo() {
    cmd_deps
    cmd_build
    [ -f "$TOP/tools/demo.sh" ] || die "the end-to-end demo is not part of this checkout yet"
    # shellcheck source=demo.sh
    . "$TOP/tools/demo.sh"
    demo_main "$@"
}

cmd_bench() {
    cmd_deps
    cmd_build
    [ -f "$TOP/tools/bench.sh" ] || die "the benchmark is not part of this checkout yet"
    # shellcheck source=bench.sh
    . "$TOP/tools/bench.sh"
    bench_main "$@"
}

usage() {
    sed -n '5,15p' "$0" | sed 's/^# \{0,1\}//'
}

main() {
    local sub=${1:-}
    [ $# -gt 0 ] && shift
    case "$sub" in
    deps) cmd_deps "$@" ;;
    build) cmd_build "$@" ;;
    test) cmd_test "$@" ;;
    demo) cmd_demo "$@" ;;
    bench) cmd_bench "$@" ;;
    lab) cmd_lab "$@" ;;
    hugepages) cmd_hugepages "$@" ;;
    bind) cmd_bind "$@" ;;
    -h | --help | help) usage ;;
    "") usage; exit 2 ;;
    *) printf 'dpdk-setup: unknown subcommand "%s"\n' "$sub" >&2; usage >&2; exit 2 ;;
    esac
}

main "$@"
