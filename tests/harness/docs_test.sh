#!/usr/bin/env bash
# docs_test.sh flags SMRBENCH SOURCE_DIR - every flag `smrbench CMD --help`
#   lists (run, plot, list, merge, micro, compare) is a row of the docs' flag table for CMD,
#   the table that follows `<!-- flags: CMD -->` in docs/, and every flag of
#   that table is in --help. A command that takes no flags (its --help lists
#   none, or it refuses --help as list does) must have no table.
# docs_test.sh links SOURCE_DIR - every relative link of README.md and of
#   the Markdown pages in docs/, plot/, results/ and tests/ names a file or
#   folder that exists, and its #anchor, if any, a heading of that page.
. "$(dirname "$0")/../common/test_lib.sh"

commands="run plot list merge micro compare"
# Pages linked ahead of their arrival: a link to one is accepted while it
# is missing (and checked once it exists). None today.
pending=""


# The flags of --help's option lines (an indented line starting with a dash:
# its leading dash-words, without a trailing comma or =VALUE), one a line.
help_flags() {
  awk '/^ +-/ { for (i = 1; i <= NF && $i ~ /^-/; i++) { f = $i; sub(/,$/, "", f);
                sub(/=.*/, "", f); print f } }' | sort -u
}

# The flags of the table after `<!-- flags: CMD -->` in any docs page: the
# backticked dash-words of each row's first cell, one a line.
doc_flags() {
  local cmd=$1 dir=$2
  cat "$dir"/docs/*.md | awk -v m="<!-- flags: $cmd -->" '
    $0 == m { on = 1; next }
    on && /^\|/ { row++; if (row <= 2) next          # header and rule
                  cell = $0; gsub(/\\\|/, "/", cell)     # an escaped | inside a cell
                  sub(/^\| */, "", cell); sub(/ *\|.*/, "", cell)
                  while (match(cell, /`-[^`]*`/)) {
                    f = substr(cell, RSTART + 1, RLENGTH - 2); cell = substr(cell, RSTART + RLENGTH)
                    sub(/[ =].*/, "", f); print f }
                  next }
    on { on = 0; row = 0 }' | sort -u
}

# How many flag tables docs/ has for CMD.
doc_tables() {
  cat "$2"/docs/*.md | grep -cxF "<!-- flags: $1 -->"
}

check_flags() {
  local bin=$1 dir=$2 cmd out rc want have tables missing extra
  for cmd in $commands; do
    out=$("$bin" "$cmd" --help 2>/dev/null)
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then
      no "smrbench $cmd --help: exit $rc"
      continue
    fi
    want=$(printf '%s\n' "$out" | help_flags)
    [ $rc -eq 2 ] && want=""   # refuses --help: takes no flags
    have=$(doc_flags "$cmd" "$dir")
    tables=$(doc_tables "$cmd" "$dir")
    if [ -z "$want" ]; then
      [ "$tables" -eq 0 ] && ok || no "smrbench $cmd takes no flags, but docs/ has a flag table for it"
      continue
    fi
    [ "$tables" -eq 1 ] && ok ||
      no "smrbench $cmd: docs/ needs exactly one '<!-- flags: $cmd -->' table, has $tables"
    missing=$(comm -23 <(printf '%s\n' "$want") <(printf '%s\n' "$have"))
    extra=$(comm -13 <(printf '%s\n' "$want") <(printf '%s\n' "$have") | grep -v '^$')
    [ -z "$missing" ] && ok ||
      no "smrbench $cmd --help lists flags the docs' table lacks:" $missing
    [ -z "$extra" ] && ok ||
      no "the docs' table for smrbench $cmd lists flags --help does not:" $extra
  done
}

# GitHub's anchor of a heading: lower case, punctuation but - and _ dropped,
# spaces to dashes.
anchors() {
  grep -E '^#{1,6} ' "$1" | sed -E 's/^#+ +//' | tr 'A-Z' 'a-z' |
    sed -E 's/[^a-z0-9 _-]//g; s/ /-/g'
}

check_links() {
  local dir=$1 page link target anchor base
  cd "$dir" || { no "no source folder $dir"; return; }
  for page in README.md docs/*.md plot/*.md results/*.md tests/*.md; do
    [ -f "$page" ] || continue
    base=$(dirname "$page")
    # Inline links and images, outside code spans: ](target)
    while IFS= read -r link; do
      case $link in http://* | https://* | mailto:*) continue ;; esac
      target=${link%%#*}
      anchor=""
      [ "$target" != "$link" ] && anchor=${link#*#}
      if [ -z "$target" ]; then
        target=$page
      else
        target=$(realpath -m --relative-to=. "$base/$target")
      fi
      if [ ! -e "$target" ]; then
        case " $pending " in *" $target "*) ok; continue ;; esac
        no "$page: link to $link: no $target"
        continue
      fi
      if [ -n "$anchor" ]; then
        if [ "${target##*.}" = md ] && anchors "$target" | grep -qxF "$anchor"; then
          ok
        else
          no "$page: link to $link: no heading #$anchor in $target"
        fi
      else
        ok
      fi
    done < <(sed -E 's/`[^`]*`//g' "$page" | grep -oE '\]\([^) ]+\)' | sed -E 's/^\]\(//; s/\)$//')
  done
}

case ${1:-} in
  flags) [ $# -eq 3 ] || { echo "usage: $0 flags SMRBENCH SOURCE_DIR" >&2; exit 2; }
         check_flags "$2" "$3" ;;
  links) [ $# -eq 2 ] || { echo "usage: $0 links SOURCE_DIR" >&2; exit 2; }
         check_links "$2" ;;
  *) echo "usage: $0 flags SMRBENCH SOURCE_DIR | links SOURCE_DIR" >&2; exit 2 ;;
esac
test_finish "docs_test.sh $1"
