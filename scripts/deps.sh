#!/usr/bin/env bash
# Installs the Debian packages gradlab needs, or says exactly how to.
# Quiet and fast when everything is already there.
set -euo pipefail

packages=(build-essential pkg-config check libsubunit-dev libpng-dev zlib1g-dev
          libopenblas-dev libseccomp-dev gnuplot-nox dataset-fashion-mnist binutils patch zip unzip time
          similarity-tester python3)

# `scripts/deps.sh slurm` adds a one-node Slurm cluster's daemons, which the instructor
# tests start to grade a class in shards (tests/instructor/slurm.sh; make test asks for them).
if [[ ${1:-} == slurm ]]; then packages+=(munge slurmctld slurmd slurm-client); fi
# `scripts/deps.sh fuzz` adds what `make fuzz` needs: clang and its libFuzzer runtime.
if [[ ${1:-} == fuzz ]]; then packages+=(clang libclang-rt-14-dev); fi
# `scripts/deps.sh bench` adds the peers `make bench` compares with (Debian's numpy and
# scikit-learn) and OpenBLAS for them (libopenblas0-pthread switches libblas.so.3).
if [[ ${1:-} == bench ]]; then packages+=(python3-numpy python3-sklearn libopenblas0-pthread hyperfine); fi

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$p")
done
# gnuplot may come from another package (gnuplot-qt, gnuplot-x11): any gnuplot will do.
if command -v gnuplot >/dev/null 2>&1; then
    keep=(); for p in "${missing[@]}"; do [[ $p == gnuplot-nox ]] || keep+=("$p"); done
    missing=("${keep[@]}")
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "make deps: gradlab needs these Debian packages (or your system's equivalents): ${missing[*]}" >&2
    exit 1
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "make deps: missing packages. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "make deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# apt_wait CMD...: runs an apt-get command; while another package manager holds the lock
# (a fresh machine often runs unattended upgrades right after boot), says so once and
# waits, up to 15 minutes, instead of failing at once.
apt_wait() {
    local err waited=0 said=0
    err=$(mktemp)
    until "$@" 2>"$err"; do
        if ! grep -qiE 'could not get lock|unable to acquire the dpkg frontend lock|is another process using it' "$err"; then
            cat "$err" >&2; rm -f "$err"; return 1
        fi
        if (( waited >= 900 )); then
            echo "make deps: the package lock was still held after 15 minutes: $(grep -m1 -i lock "$err")" >&2
            rm -f "$err"; return 1
        fi
        (( said )) || echo "make deps: another package manager is running (unattended upgrades?); waiting for it to finish..."
        said=1
        sleep 10
        waited=$((waited + 10))
    done
    rm -f "$err"
}
apt_wait apt-get -o DPkg::Lock::Timeout=60 update -qq
apt_wait apt-get -o DPkg::Lock::Timeout=60 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "make deps: done"
