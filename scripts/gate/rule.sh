# Sourced by scripts/gate/gate.sh, scripts/gate/power.sh and the gate's
# tests, so that each judges sets exactly as the gate does: the settings
# of `smrbench compare` that make the gate's rule (docs/gate.md, the one
# place the rule is written). Needs $build (the build folder) and
# $threshold (percent).

# gate_compare BASE NEW [--confirm FIRST]: compare NEW with BASE (with
# --confirm, NEW confirms what FIRST flagged); writes NEW.compare (the
# table, or the error) and NEW.csv (the rows); returns compare's status
# (0, 1 a regression, 2 bad input).
gate_compare() {
  local rc=0
  "$build/smrbench" compare "$@" --reference peers --threshold "$threshold" --format csv \
    >"$2.csv" 2>"$2.compare" || rc=$?
  [ $rc -gt 1 ] ||
    "$build/smrbench" compare "$@" --reference peers --threshold "$threshold" >"$2.compare"
  return $rc
}

# gate_regressed CSV: the entries whose verdict is REGRESSED, on one line
# (columns found by their names in the header).
gate_regressed() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
           $col["verdict"] == "REGRESSED" { printf "%s ", $col["entry"] } END { print "" }' "$1"
}
