#!/usr/bin/env bash
# Quick start, part 2: install what is missing, build the Release, ASan+UBSan,
# TSan and aarch64 (cross-compiled, run under qemu-user) variants, and run
# the test suite (ctest) in each. Arguments pick variants:
#   scripts/test.sh               release asan tsan aarch64
#   scripts/test.sh release tsan  only those
set -euo pipefail
cd "$(dirname "$0")/.."
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(release asan tsan aarch64)
for variant in "${variants[@]}"; do
  case "$variant" in
    release|asan|tsan|aarch64) ;;
    *) echo "scripts/test.sh: unknown variant '$variant'; allowed: release, asan, tsan, aarch64" >&2
       exit 2 ;;
  esac
done
if printf '%s\n' "${variants[@]}" | grep -qx aarch64; then
  scripts/deps.sh aarch64
else
  scripts/deps.sh
fi
status=0
for variant in "${variants[@]}"; do
  echo "== $variant build" >&2
  dir=$(scripts/build.sh "$variant")
  echo "== $variant tests" >&2
  (cd "$dir" && ctest -j "$(nproc)" --output-on-failure --timeout 300) || status=1
done
exit $status
