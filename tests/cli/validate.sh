#!/usr/bin/env bash
# `srtune validate` on every shipped config exits 0 and prints the plan; on
# broken configs it exits 3 with "file: key: message"; `srtune data` writes
# deterministic data sets; usage errors exit 2.
set -u
. "$(dirname "$0")/lib.sh"

for cfg in "$SRC"/configs/*.json; do
  run_srtune validate "$cfg"
  expect_rc 0 "validate $(basename "$cfg")"
  expect_out "ok$" "validate $(basename "$cfg") says ok"
  expect_out "SR runs:" "validate $(basename "$cfg") prints the plan"
done

# a broken config: message names file and key, exit code 3
mkdir -p "$WORK/cfg"
sed 's/"maxsize": 20/"maxsize": 3.5/' "$SRC/configs/quickstart.json" > "$WORK/cfg/bad.json"
grep -q '"maxsize": 3.5' "$WORK/cfg/bad.json" || fail "fixture: quickstart.json has no maxsize 20"
run_srtune validate "$WORK/cfg/bad.json"
expect_rc 3 "validate of a broken config"
expect_err "$WORK/cfg/bad.json: model.maxsize: must be an integer in \[7, 256\], got 3.5" \
  "the error names file and key"

# a typo gets a hint
sed 's/"niterations"/"niteratons"/' "$SRC/configs/quickstart.json" > "$WORK/cfg/typo.json"
run_srtune validate "$WORK/cfg/typo.json"
expect_rc 3 "validate of a config with a typo"
expect_err "model.niteratons: unknown key.*did you mean 'niterations'" "the typo gets a hint"

# a missing file
run_srtune validate "$WORK/cfg/none.json"
expect_nonzero "validate of a missing file"
expect_err "none.json" "the missing file is named"

# a directory given as the config
run_srtune validate "$WORK/cfg"
expect_rc 3 "validate of a directory"
expect_err "cfg: is a directory, not a file" "the directory is named"

# usage errors
run_srtune validate
expect_rc 2 "validate without a config"
run_srtune frobnicate
expect_rc 2 "unknown command"
run_srtune --version
expect_rc 0 "--version"
expect_out "^srtune [0-9]+\.[0-9]+\.[0-9]+$" "--version prints the version"
run_srtune --help
expect_out "validate" "--help lists the commands"

# data: one equation by id, twice -> same bytes; a whole config's equations
run_srtune data "$SRC/configs/quickstart.json" --equation I.6.2a --out "$WORK/a.csv"
expect_rc 0 "data --equation I.6.2a"
run_srtune data "$SRC/configs/quickstart.json" --equation 0 --out "$WORK/b.csv"
expect_rc 0 "data --equation 0"
cmp -s "$WORK/a.csv" "$WORK/b.csv" || fail "the same equation by id and by index differ"
head -1 "$WORK/a.csv" | grep -qx 'theta,f' || fail "header of I.6.2a is not 'theta,f': $(head -1 "$WORK/a.csv")"
run_srtune data "$SRC/configs/quickstart.json" --equation I.6.2a --out "$WORK/c.csv" --run 1
cmp -s "$WORK/a.csv" "$WORK/c.csv" && fail "run 1 has the same data as run 0"
run_srtune data "$SRC/configs/quickstart.json" --out-dir "$WORK/all"
expect_rc 0 "data --out-dir"
n=$(ls "$WORK/all"/feynman_eq*_run0.csv 2>/dev/null | wc -l)
[ "$n" -ge 2 ] || fail "data --out-dir wrote $n files"
run_srtune data "$SRC/configs/quickstart.json" --equation I.12.1 --out "$WORK/e.csv"
cmp -s "$WORK/e.csv" "$WORK/all/feynman_eq7_run0.csv" || fail "--out-dir and --equation disagree (I.12.1 is index 7)"
run_srtune data "$SRC/configs/quickstart.json" --equation I.99.99 --out "$WORK/d.csv"
expect_rc 3 "data of an unknown equation"
expect_err "no equation 'I.99.99'" "the unknown equation is named"
[ -e "$WORK/d.csv" ] && fail "a failed data command left a file"

finish
