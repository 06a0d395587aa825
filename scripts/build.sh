#!/usr/bin/env bash
# Configure and build one variant: scripts/build.sh [release|asan|tsan|aarch64]
# aarch64: the schemes, structures and their tests cross-compiled, run by
# ctest under qemu-user (needs scripts/deps.sh aarch64 first).
set -euo pipefail
cd "$(dirname "$0")/.."
variant=${1:-release}
case "$variant" in
  release) dir=build;      args=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan)    dir=build-asan; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMR_SANITIZE=address) ;;
  tsan)    dir=build-tsan; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMR_SANITIZE=thread) ;;
  aarch64) dir=build-aarch64
           args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMR_CORE_ONLY=ON
                 -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-aarch64.cmake"
                 -DSMR_AARCH64_SYSROOT="$PWD/build-aarch64-sysroot") ;;
  *) echo "scripts/build.sh: unknown variant '$variant'; allowed: release, asan, tsan, aarch64" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" "${args[@]}" -DSMR_WERROR=ON >/dev/null
cmake --build "$dir" -j "$(nproc)" >/dev/null
echo "$dir"
