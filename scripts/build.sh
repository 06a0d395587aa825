#!/usr/bin/env bash
# Configure and build one variant: scripts/build.sh [release|asan|tsan]
set -euo pipefail
cd "$(dirname "$0")/.."
variant=${1:-release}
case "$variant" in
  release) dir=build;      args=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan)    dir=build-asan; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMR_SANITIZE=address) ;;
  tsan)    dir=build-tsan; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMR_SANITIZE=thread) ;;
  *) echo "scripts/build.sh: unknown variant '$variant'; allowed: release, asan, tsan" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" "${args[@]}" -DSMR_WERROR=ON >/dev/null
cmake --build "$dir" -j "$(nproc)" >/dev/null
echo "$dir"
