# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
#
# The data-path benchmark (issue 7), sourced by tools/dpdk-setup.sh, which calls
# `bench_main "$@"` after deps and build.  Prints one JSON object per line and workload
# configuration on stdout (docs/performance.md explains every field); what the machine is
# and how busy it was go to stderr.
#
#   tools/dpdk-setup.sh bench [options] [-- extra dtc_bench options]
#     --workload LIST     steady,churn,mixed (default all three)
#     --sessions LIST     concurrent established sessions of steady (default 1k,100k,1M)
#     --mixed-sessions N  established sessions under the mixed workload (default 100k)
#     --lcores LIST       worker lcore counts to run (default 1,2 on a 2-core machine,
#                         1,2,4,... up to the cores there are)
#     --rounds N          timed rounds per configuration; the median is printed (default 5)
#     --round-frames N    client frames per round (default 1M)
#     --max-memory MB     the copier's -m, whose plan sizes tables and pools (default 1024)
#     --rx-csum 0|1       frames arrive with the NIC's "TCP checksum good" flag (default 1)
#     --json FILE         also append the JSON lines to FILE
#     --plot PNG          then plot steady Mpps against sessions, ours and the baseline's
#                         (tools/bench-plot.py; the JSON lines of this run only)
#     --pages LIST        huge,4k (default): every configuration on 2 MiB hugepages, then
#                         under --no-huge (4 KiB pages); "huge" or "4k" for one of them.  The
#                         hugepages are reserved for the run (root) and given back after;
#                         where they cannot be, the huge rows are skipped with a message
#     --perf PREFIX       profile the timed passes of worker 0 (perf record, cpu-clock):
#                         PREFIX.huge.data and PREFIX.4k.data, read with `perf report -i`
#     --quick             a few seconds: tiny configuration (what the bench_quick test runs)
#
# It may also be run on its own: `. tools/bench.sh; BUILD=build bench_main --quick`.

bench_say() { printf '==> %s\n' "$*" >&2; }

bench_die() {
    printf 'bench: error: %s\n' "$*" >&2
    return 1
}

# What the figures come from: CPU, cores, kernel, DPDK, and how loaded the machine was.
bench_machine() {
    local cpu cores dpdk
    cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
    cores=$(nproc)
    dpdk=$(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)
    bench_say "machine: ${cpu:-unknown CPU}, $cores cores, kernel $(uname -r), DPDK $dpdk"
    bench_say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Default lcore counts: 1, 2, 4, ... up to the cores there are.
bench_default_lcores() {
    local n=1 max out=""
    max=$(nproc)
    while [ "$n" -le "$max" ]; do
        out=${out:+$out,}$n
        n=$((n * 2))
    done
    printf '%s' "$out"
}

# 2 MiB hugepages for one run: BENCH_HP_DIR gets a hugetlbfs of its own holding at least
# $1 free pages (nr_hugepages raised as needed); bench_hp_release gives both back.
BENCH_HP=/sys/kernel/mm/hugepages/hugepages-2048kB
BENCH_HP_DIR=""
BENCH_HP_OLD=""

bench_hp_reserve() {
    local want=$1 free dir
    if [ "$(id -u)" -ne 0 ] || [ ! -w "$BENCH_HP/nr_hugepages" ]; then
        bench_say "hugepages: skipped (needs root and $BENCH_HP)"
        return 1
    fi
    BENCH_HP_OLD=$(cat "$BENCH_HP/nr_hugepages")
    free=$(cat "$BENCH_HP/free_hugepages")
    if [ "$free" -lt "$want" ]; then
        echo $((BENCH_HP_OLD + want - free)) > "$BENCH_HP/nr_hugepages" 2>/dev/null || true
        free=$(cat "$BENCH_HP/free_hugepages")
    fi
    if [ "$free" -lt "$want" ]; then
        bench_say "hugepages: only $free of $want free 2 MiB pages could be reserved: skipped"
        bench_hp_release
        return 1
    fi
    dir=$(mktemp -d /tmp/dtc-bench-huge.XXXXXX)
    if ! mount -t hugetlbfs -o pagesize=2M nodev "$dir"; then
        bench_say "hugepages: cannot mount hugetlbfs on $dir: skipped"
        rmdir "$dir"
        bench_hp_release
        return 1
    fi
    BENCH_HP_DIR=$dir
    bench_say "hugepages: $want of $free free 2 MiB pages for the run (nr_hugepages was" \
        "$BENCH_HP_OLD), hugetlbfs on $dir"
    return 0
}

bench_hp_release() {
    if [ -n "$BENCH_HP_DIR" ]; then
        umount "$BENCH_HP_DIR" 2>/dev/null || true
        rmdir "$BENCH_HP_DIR" 2>/dev/null || true
        BENCH_HP_DIR=""
    fi
    if [ -n "$BENCH_HP_OLD" ]; then
        echo "$BENCH_HP_OLD" > "$BENCH_HP/nr_hugepages" 2>/dev/null || true
        BENCH_HP_OLD=""
    fi
}

bench_main() {
    local top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
    local build=${BUILD:-$top/build}
    local bin=$build/tests/bench/dtc_bench
    local lcores="" max_mb=1024 json="" quick=0 args=() max_l=1 l prefix eal_mb rc=0
    local out errexit=0 plot="" runjson="" pages=huge,4k pg eal_args rc1 perf="" pfx=() fifo=""

    while [ $# -gt 0 ]; do
        case "$1" in
        --workload | --sessions | --mixed-sessions | --rounds | --round-frames | --rx-csum | \
            --missed-pct | --churn-pct)
            [ $# -ge 2 ] || { bench_die "$1 needs a value"; return 2; }
            args+=("$1" "$2")
            shift 2
            ;;
        --lcores)
            [ $# -ge 2 ] || { bench_die "--lcores needs a value"; return 2; }
            lcores=$2
            shift 2
            ;;
        --max-memory)
            [ $# -ge 2 ] || { bench_die "--max-memory needs a value"; return 2; }
            max_mb=$2
            shift 2
            ;;
        --json)
            [ $# -ge 2 ] || { bench_die "--json needs a file"; return 2; }
            json=$2
            shift 2
            ;;
        --plot)
            [ $# -ge 2 ] || { bench_die "--plot needs a PNG file name"; return 2; }
            plot=$2
            shift 2
            ;;
        --pages)
            [ $# -ge 2 ] || { bench_die "--pages needs a value"; return 2; }
            pages=$2
            shift 2
            ;;
        --perf)
            [ $# -ge 2 ] || { bench_die "--perf needs a file prefix"; return 2; }
            perf=$2
            shift 2
            ;;
        --quick)
            quick=1
            shift
            ;;
        --)
            shift
            args+=("$@")
            break
            ;;
        -h | --help)
            sed -n '9,28p' "$top/tools/bench.sh" | sed 's/^# \{0,1\}//'
            return 0
            ;;
        *)
            bench_die "unknown option '$1' (see --help)"
            return 2
            ;;
        esac
    done
    [ -x "$bin" ] || { bench_die "$bin is missing: build first"; return 1; }
    case "$max_mb" in '' | *[!0-9]*) bench_die "--max-memory: a number of MB"; return 2 ;; esac
    for pg in ${pages//,/ }; do
        case "$pg" in huge | 4k) ;; *) bench_die "--pages: huge and/or 4k"; return 2 ;; esac
    done
    [ -n "${pages//,/}" ] || { bench_die "--pages: huge and/or 4k"; return 2; }
    if [ "$quick" = 1 ]; then
        args+=(--quick)
        lcores=${lcores:-1}
        max_mb=128
    fi
    lcores=${lcores:-$(bench_default_lcores)}
    for l in ${lcores//,/ }; do
        case "$l" in '' | *[!0-9]*) bench_die "--lcores: numbers, comma separated"; return 2 ;; esac
        [ "$l" -gt "$max_l" ] && max_l=$l
    done
    if [ "$max_l" -gt "$(nproc)" ]; then
        bench_die "--lcores $lcores: this machine has $(nproc) cores"
        return 2
    fi
    prefix=dtc-bench-$$
    bench_machine
    out=(cat)
    [ -n "$json" ] && out=(tee -a "$json")
    if [ -n "$plot" ]; then
        runjson=$(mktemp)
        out=(tee -a "$runjson")
        [ -n "$json" ] && out=(tee -a "$runjson" "$json")
    fi
    case $- in *e*) errexit=1 ;; esac
    set +e
    for pg in ${pages//,/ }; do
        if [ "$pg" = 4k ]; then
            # Under --no-huge DPDK puts each 2.5 KB mbuf on its own 4 KiB page (a pool
            # needing IOVA-contiguous objects never lets one cross a page), so the EAL needs
            # about 5/3 of what the copier's -m plans, plus the benchmark's own input pool.
            eal_mb=$((max_mb * 5 / 3 + 96 * max_l + 64))
            eal_args=(--no-huge -m "$eal_mb")
        else
            # On 2 MiB pages the mbufs pack: the plan, the input pool and the heap's slack.
            eal_mb=$((max_mb * 9 / 8 + 96 * max_l + 64))
            bench_hp_reserve $((eal_mb / 2 + 8)) || continue
            trap 'bench_hp_release; exit 130' INT TERM
            eal_args=(--huge-dir "$BENCH_HP_DIR" -m "$eal_mb")
        fi
        pfx=()
        if [ -n "$perf" ]; then
            # perf switched on and off around each timed pass (DTC_BENCH_PERF_FIFO)
            fifo=$(mktemp -d /tmp/dtc-bench-perf.XXXXXX)
            mkfifo "$fifo/ctl" "$fifo/ack"
            pfx=(env "DTC_BENCH_PERF_FIFO=$fifo/ctl,$fifo/ack" perf record -q -e cpu-clock ${BENCH_PERF_OPTS:-}
                -D -1 --control "fifo:$fifo/ctl,$fifo/ack" -o "$perf.$pg.data" --)
        fi
        bench_say "running: $bin (EAL ${eal_args[*]} -l 0-$((max_l - 1))) --lcores $lcores" \
            "--max-memory $max_mb ${args[*]}"
        "${pfx[@]}" "$bin" "${eal_args[@]}" --no-pci --file-prefix "$prefix" -l "0-$((max_l - 1))" \
            --log-level='lib.*:error' --no-telemetry -- --lcores "$lcores" \
            --max-memory "$max_mb" "${args[@]}" | "${out[@]}"
        rc1=${PIPESTATUS[0]}
        [ "$rc1" -eq 0 ] || rc=$rc1
        rm -rf "/var/run/dpdk/$prefix"
        [ -n "$fifo" ] && rm -rf "$fifo"
        fifo=""
        if [ "$pg" = huge ]; then
            bench_hp_release
            trap - INT TERM
        fi
    done
    [ "$errexit" = 1 ] && set -e
    bench_say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ -n "$plot" ]; then
        /usr/bin/python3 "$top/tools/bench-plot.py" "$runjson" "$plot" >&2 || { [ "$rc" -ne 0 ] || rc=1; }
        rm -f "$runjson"
    fi
    [ "$rc" -eq 0 ] || bench_die "dtc_bench exited with status $rc"
}
