# test_lib.sh - what every shell test sources first:
#   . "$(dirname "$0")/../common/test_lib.sh"
# It sets -u and gives
#   $tests, $repo    the tests/ folder and the source tree
#   $tmp             a scratch folder, removed on exit (kept with KEEP=1)
#   ok, no WHAT...   count a passed check, or a failed one with its FAIL line
#   expect_bad DESCRIPTION COMMAND...
#                    bad input must exit 2 with exactly one line on stderr
#   col CSV COLUMN STRUCTURE SCHEME THREADS
#                    that row's COLUMN in a summary.csv
#   test_finish WHAT the closing line ctest logs; fails if a check failed
#   need_packages PKG...
#                    Debian packages the test drives: as root, what is
#                    missing is installed (scripts/deps.sh); otherwise a
#                    missing one skips the test (exit 77)
set -u
tests=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(cd "$tests/.." && pwd)
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }

expect_bad() {
  local what=$1 err lines rc
  shift
  err=$(mktemp)
  "$@" >/dev/null 2>"$err"
  rc=$?
  lines=$(wc -l <"$err")
  if [ $rc -eq 2 ] && [ "$lines" -eq 1 ]; then
    ok
  else
    no "$what: exit $rc, $lines stderr lines"
    cat "$err"
  fi
  rm -f "$err"
}

col() {
  awk -F, -v c="$2" -v st="$3" -v s="$4" -v t="$5" 'NR == 1 { for (i = 1; i <= NF; i++) n[$i] = i; next }
    $1 == st && $2 == s && $3 == t { print $n[c] }' "$1"
}

need_packages() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP not installed: ${missing[*]} (scripts/deps.sh installs them)"
    exit 77
  fi
  "$repo/scripts/deps.sh" >&2 || { echo "FAIL scripts/deps.sh did not install ${missing[*]}"; exit 1; }
}

test_finish() {
  echo "$1: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
