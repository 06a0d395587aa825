# expect_bad.sh - sourced by the CLI test scripts: bad input must exit 2
# with exactly one line on stderr. Counts into the caller's pass and fail.
#   expect_bad DESCRIPTION COMMAND...
expect_bad() {
  local what=$1 err lines rc
  shift
  err=$(mktemp)
  "$@" >/dev/null 2>"$err"
  rc=$?
  lines=$(wc -l <"$err")
  if [ $rc -eq 2 ] && [ "$lines" -eq 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $what: exit $rc, $lines stderr lines"
    cat "$err"
  fi
  rm -f "$err"
}
