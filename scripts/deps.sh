#!/usr/bin/env bash
# Install the Debian 12 packages smrbench needs, only those missing.
#   scripts/deps.sh           the native build, its tests and the tools
#   scripts/deps.sh aarch64   also the aarch64 cross build (scripts/build.sh
#                             aarch64): cross compiler, qemu-user, and the
#                             arm64 ck and liburcu unpacked into
#                             build-aarch64-sysroot/ (not installed: libck-dev
#                             cannot sit beside its amd64 twin)
set -euo pipefail
cd "$(dirname "$0")/.."

# libjemalloc2, libmimalloc2.0: the allocators --alloc preloads;
# liburcu-dev, libck-dev: the third-party schemes (urcu, ck-epoch, ck-hp);
# gnuplot-nox: smrbench plot;
# libbenchmark-dev, libjansson-dev, valgrind: smrbench micro, smrbench compare
# and the regression gate's instruction counts;
# slurm-wlm, munge, parallel, rsync: the sweep launchers (docs/cluster.md),
# whose tests run a one-node Slurm cluster and GNU parallel.
packages=(build-essential cmake pkg-config git libhwloc-dev hwloc libjemalloc2 libmimalloc2.0
          liburcu-dev libck-dev gnuplot-nox libbenchmark-dev libjansson-dev valgrind
          slurm-wlm munge parallel rsync)
cross=0
case "${1:-}" in
  "") ;;
  aarch64) cross=1; packages+=(gcc-aarch64-linux-gnu qemu-user libc6-dev-arm64-cross) ;;
  *) echo "scripts/deps.sh: unknown argument '$1'; allowed: nothing, or aarch64" >&2; exit 2 ;;
esac

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ "$cross" -eq 1 ] || exit 0

# The arm64 libraries, unpacked (apt-get download needs the arm64 package
# lists: add the architecture once).
sysroot=build-aarch64-sysroot
arm_packages=(libck-dev libck0 liburcu-dev liburcu8)
[ -f "$sysroot/.complete" ] && exit 0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $sudo dpkg --add-architecture arm64
  $sudo apt-get update -qq
fi
rm -rf "$sysroot" && mkdir -p "$sysroot/debs"
(cd "$sysroot/debs" && apt-get download -qq "${arm_packages[@]/%/:arm64}" 2>/dev/null) || {
  $sudo apt-get update -qq
  (cd "$sysroot/debs" && apt-get download -qq "${arm_packages[@]/%/:arm64}")
}
for deb in "$sysroot"/debs/*.deb; do
  dpkg-deb -x "$deb" "$sysroot"
done
touch "$sysroot/.complete"
