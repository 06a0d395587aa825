#!/usr/bin/env bash
# Install the Debian 12 packages smrbench needs, only those missing.
set -euo pipefail

# libjemalloc2, libmimalloc2.0: the allocators --alloc preloads;
# liburcu-dev, libck-dev: the third-party schemes (urcu, ck-epoch, ck-hp);
# gnuplot-nox: smrbench plot;
# libbenchmark-dev, libjansson-dev, valgrind: smrbench micro, smrbench compare
# and the regression gate's instruction counts.
packages=(build-essential cmake pkg-config git libhwloc-dev hwloc libjemalloc2 libmimalloc2.0
          liburcu-dev libck-dev gnuplot-nox libbenchmark-dev libjansson-dev valgrind)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
