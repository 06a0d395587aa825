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

test_finish() {
  echo "$1: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
