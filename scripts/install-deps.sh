#!/usr/bin/env bash
# Install the Debian packages cputop needs to build and run (make deps, make run), and with
# --test those the tests need too (make test-deps, make test); a quick no-op when all are there.
set -euo pipefail

# Building and running: the compilers (clang for the eBPF object), libbpf and bpftool (the
# kernel's BTF as vmlinux.h, the skeleton), and the libraries cputop links (libzstd: the
# recordings' frames; libmicrohttpd: --listen's HTTP server, loaded only for it). cputop reads
# /proc itself and runs no other program.
pkgs=(make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libncurses-dev pkg-config
      libjson-c-dev libzstd-dev libmicrohttpd-dev)
# The tests: cmocka (unit tests), libFuzzer's runtime (the fuzz targets: clang only recommends
# it), tmux (the interactive view), stress-ng (fork storms), valgrind, jq (JSON output), top,
# ps and pgrep (procps), pidstat (sysstat: the benchmark's peers). bpftool (above) lists the
# programs and maps; taskset, setpriv, unshare, timeout, iconv and getent are in Debian's
# essential packages. Prometheus and InfluxDB check the exporter and the exit log for real,
# curl talks to them (no daemon starts: the tests run their own on loopback ports).
test_pkgs=(libcmocka-dev libclang-rt-dev tmux stress-ng valgrind jq procps sysstat prometheus
	   influxdb curl)

# The benchmarks (make bench): those of the tests, atop, whose raw file the recorder's size
# is measured against, and node_exporter, whose CPU per scrape the exporter's is. Not for make
# test: on a systemd host their packages start their daemons.
bench_pkgs=(atop prometheus-node-exporter)

case ${1:-} in
--test) pkgs+=("${test_pkgs[@]}") ;;
--bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
'') ;;
*) echo "usage: $0 [--test|--bench]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
((${#missing[@]})) || exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}; run as root (sudo make ...)" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The servers among them (Prometheus, InfluxDB, node_exporter, atop's logger) are for the tests
# and benchmarks, which start their own on loopback ports: their packages' services neither
# start now (a policy-rc.d that says no, while apt runs) nor at the next boot.
servers=(prometheus influxdb prometheus-node-exporter atop)
policy=/usr/sbin/policy-rc.d
made_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && made_policy=1
fi
trap '[ -n "$made_policy" ] && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
if [ -d /run/systemd/system ]; then
	for p in "${missing[@]}"; do
		[[ " ${servers[*]} " == *" $p "* ]] && systemctl disable -q "$p" 2>/dev/null
	done
fi
exit 0
