#!/usr/bin/env bash
# `srtune report`: the plots of the quickstart study and of a study with
# pruned trials are well-formed SVG with one point per trial / run / Pareto row
# (tests/e2e/check_svg.py counts them against the journal and the hall of fame
# files); the errors (not a study: 3, unwritable --out: 1) and a study without
# a COMPLETE trial (plots with a note, exit 0); and, when Debian's chromium is
# installed, index.html rendered headless gives a screenshot that is not blank
# (nothing is installed here: without chromium that part is skipped).
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
CHECK="$PYTHON $SRC/tests/e2e/check_svg.py"

check_report() { # STUDY REPORT [--empty]
  CHECKS=$((CHECKS + 1))
  $CHECK "$@" >"$WORK/check.out" 2>&1 || { fail "check_svg.py $*"; sed 's/^/  /' "$WORK/check.out"; }
  cat "$WORK/check.out"
}

# the quickstart study, with its output moved into the scratch directory
sed "s|\"../runs/quickstart\"|\"$WORK/quick\"|" "$SRC/configs/quickstart.json" > "$WORK/quick.json"
run_study 1 "$WORK/quick.json"
expect_rc 0 "the quickstart study"
run_srtune report "$WORK/quick"
expect_rc 0 "report on the quickstart output"
expect_out "report/index.html: [0-9]+ trials \([0-9]+ complete\)" "report says what it wrote"
# the fixed files; check_svg.py finds one slice_<option>.svg per tuned option
for f in index.html history.svg intermediate.svg importance.svg pareto.svg slice_parsimony.svg; do
  CHECKS=$((CHECKS + 1))
  [ -s "$WORK/quick/report/$f" ] || fail "report/$f missing"
done
check_report "$WORK/quick" "$WORK/quick/report"
CHECKS=$((CHECKS + 1))
grep -q "fANOVA-lite" "$WORK/quick/report/index.html" || fail "index.html lacks the importance method"
# the plots are inline, so that hovering over a point shows its <title>; each
# plot's ids are its own (one clip path per plot)
CHECKS=$((CHECKS + 1))
n_svg=$(ls "$WORK/quick/report/"*.svg | wc -l)
[ "$(grep -o '<svg ' "$WORK/quick/report/index.html" | wc -l)" = "$n_svg" ] ||
  fail "index.html does not hold its $n_svg plots inline"
CHECKS=$((CHECKS + 1))
grep -q '<img' "$WORK/quick/report/index.html" && fail "index.html embeds a plot with <img> (no hover)"
CHECKS=$((CHECKS + 1))
grep -Eq '<title>trial [0-9]+ \(COMPLETE\): ' "$WORK/quick/report/index.html" ||
  fail "index.html lacks the hover titles of the trials"
CHECKS=$((CHECKS + 1))
[ "$(grep -o 'clipPath id="[^"]*"' "$WORK/quick/report/index.html" | sort | uniq -d)" = "" ] ||
  fail "two inline plots share a clip path id"
CHECKS=$((CHECKS + 1))
! grep -Eq '(href|src)="(https?:)?//' "$WORK/quick/report/"*.svg "$WORK/quick/report/index.html" ||
  fail "the report refers to something outside itself"
run_srtune report "$WORK/quick"
expect_rc 0 "report again over an existing report"

# a study with pruned trials: pruned markers, dashed lines, fronts of the best
make_config random.json "$WORK/p" "$WORK/p.json" \
  's|"pruner": {"name": "none"}|"pruner": {"name": "median", "n_startup_trials": 2}|' \
  's|"n_trials": 5|"n_trials": 12|'
run_study 1 "$WORK/p.json"
expect_rc 0 "the pruned study"
CHECKS=$((CHECKS + 1))
grep -q '"op_code":6,[^}]*"state":2' "$WORK/p/journal.log" || fail "the study pruned no trial"
run_srtune report "$WORK/p" --out "$WORK/p-report"
expect_rc 0 "report --out"
check_report "$WORK/p" "$WORK/p-report"

# errors
run_srtune report "$WORK/nowhere"
expect_rc 3 "report on a directory that is not a study"
expect_err "$WORK/nowhere" "the error names the directory"
touch "$WORK/file"
run_srtune report "$WORK/quick" --out "$WORK/file/report"
expect_rc 1 "report --out under a regular file"
expect_err "$WORK/file/report" "the error names the output path"
run_srtune report
expect_rc 2 "report without DIR"
run_srtune report "$WORK/quick" --colour
expect_rc 2 "report with an unknown option"

# no COMPLETE trial: a study that has not started, one with a RUNNING trial
mkdir -p "$WORK/empty" "$WORK/running"
cp "$WORK/quick/config.json" "$WORK/empty/"
cp "$WORK/quick/config.json" "$WORK/running/"
head -2 "$WORK/quick/journal.log" > "$WORK/running/journal.log"
for s in empty running; do
  run_srtune report "$WORK/$s"
  expect_rc 0 "report on a study without a COMPLETE trial ($s)"
  expect_out "no COMPLETE trial yet" "report says the plots are empty ($s)"
  check_report "$WORK/$s" "$WORK/$s/report" --empty
done

# a real browser, when Debian's chromium is there
if command -v chromium >/dev/null 2>&1; then
  profile=$(mktemp -d "$WORK/chromium-XXXXXX")
  timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --screenshot="$WORK/shot.png" \
    --window-size=1200,900 "file://$WORK/quick/report/index.html" >"$WORK/chromium.log" 2>&1
  CHECKS=$((CHECKS + 1))
  if [ -s "$WORK/shot.png" ]; then
    $CHECK --png "$WORK/shot.png" || fail "the screenshot of index.html is blank"
  else
    fail "chromium wrote no screenshot"; tail -5 "$WORK/chromium.log"
  fi
else
  echo "SKIP: chromium not installed (apt-get install chromium): no browser check"
fi
finish
