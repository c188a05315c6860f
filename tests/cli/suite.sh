#!/usr/bin/env bash
# dataset.name "files" (docs/datasets.md): a suite of CSV/TSV files, plain and
# gzipped, found by paths and globs, each one instance named by its file name;
# every bad file is refused by `validate` and `run` with exit 3, a message that
# names the file and the line or column, and nothing on disk changed; ids are
# unique; an edited file is refused and a moved suite resumes; `srtune data`
# writes each run's seeded subsample, the same bytes every time.
set -u
. "$(dirname "$0")/lib.sh"

S="$WORK/suite"
mkdir -p "$S/more" "$WORK/cfg"
rows() { # rows DELIM N OFFSET: a header "x0 x1 target" then N rows
  local d=$1 n=$2 off=$3
  printf 'x0%sx1%starget\n' "$d" "$d"
  for i in $(seq 1 "$n"); do
    printf '%s%s%s%s%s\n' "$((i + off))" "$d" "$((i * i % 17))" "$d" "$((3 * i + off))"
  done
}
rows , 30 0 > "$S/alpha.csv"
rows $'\t' 40 1 > "$S/beta.tsv"
rows , 15 2 | gzip -n > "$S/gamma.csv.gz"
rows $'\t' 60 3 | gzip -n > "$S/more/delta.tsv.gz"
echo "not data" > "$S/README.txt"

# config: paths and globs relative to the config file
write_cfg() { # write_cfg FILE PATHS_JSON [EXTRA_DATASET_JSON]
  cat > "$1" <<JSON
{
  "study": {"name": "suite_cli", "output_dir": "$WORK/study", "seed": 3, "n_trials": 2,
            "sampler": {"name": "random"}, "pruner": {"name": "none"}},
  "dataset": {"name": "files", "paths": $2, "num_samples": 20, "n_runs": 2${3:-}},
  "model": {"niterations": 1, "populations": 2, "population_size": 12,
            "ncycles_per_iteration": 10, "tournament_selection_n": 4, "maxsize": 10},
  "search_space": {"parsimony": {"type": "float", "low": 1e-4, "high": 0.1, "log": true}}
}
JSON
}
write_cfg "$WORK/cfg/good.json" '["../suite/*", "../suite/more/*.tsv.gz", "../suite/beta.tsv"]'
run_srtune validate "$WORK/cfg/good.json"
expect_rc 0 "validate a suite of four files in four formats"
expect_out "instances: +4 files" "four instances (README.txt skipped, beta.tsv once)"
for id in alpha beta gamma delta; do
  expect_out "^    $id +$S/.*: [0-9]+ rows, 2 features, target 'target'" "instance $id listed"
done
expect_out "alpha .*: 30 rows" "alpha.csv has 30 rows"
expect_out "delta .*: 60 rows" "delta.tsv.gz has 60 rows"
expect_out "SR runs: +16 in total \(2 trials x 4 equations x 2 runs\)" "the plan counts instances"

# ids must be unique: both files named
mkdir -p "$S/other"
rows , 30 5 > "$S/other/alpha.tsv"
write_cfg "$WORK/cfg/dup.json" '["../suite/*.csv", "../suite/other/*.tsv"]'
run_srtune validate "$WORK/cfg/dup.json"
expect_rc 3 "two files with one id"
expect_err "dup.json: dataset.paths\[1\]: two files have the instance id 'alpha': $S/alpha.csv and $S/other/alpha.tsv" \
  "the duplicate id names both files"
rm -r "$S/other"

# paths that find nothing
write_cfg "$WORK/cfg/nomatch.json" '["../suite/*.parquet"]'
run_srtune validate "$WORK/cfg/nomatch.json"
expect_rc 3 "a glob that matches nothing"
expect_err "nomatch.json: dataset.paths\[0\]: $S/\*.parquet matches no data file" "the glob is named"
write_cfg "$WORK/cfg/missing.json" '["../suite/alpha.csv", "../suite/nope.csv"]'
run_srtune validate "$WORK/cfg/missing.json"
expect_rc 3 "a missing file"
expect_err "missing.json: dataset.paths\[1\]: $S/nope.csv: no such file" "the missing file is named"
write_cfg "$WORK/cfg/dir.json" '["../suite/more"]'
run_srtune validate "$WORK/cfg/dir.json"
expect_rc 3 "a directory as a path"
expect_err "dataset.paths\[0\]: $S/more: a directory" "the directory is named"
write_cfg "$WORK/cfg/empty.json" '[]'
run_srtune validate "$WORK/cfg/empty.json"
expect_rc 3 "an empty list of paths"
expect_err "dataset.paths: must be a non-empty list of paths or globs" "empty paths"
write_cfg "$WORK/cfg/wrongkind.json" '["../suite/*"]' ', "equations": "0:3"'
run_srtune validate "$WORK/cfg/wrongkind.json"
expect_rc 3 "a catalogue key in a files data set"
expect_err "dataset.equations: only valid when dataset.name is \"feynman\" or \"bonus\"" \
  "the key is named"

# a real study to protect: one trial, then every bad file must leave it as it is
run_srtune run "$WORK/cfg/good.json"
expect_rc 0 "a suite study runs"
[ -d "$WORK/study/trials/trial_0/delta_run1" ] || fail "run directories are named <id>_run<r>"
CHECKS=$((CHECKS + 1))
run_srtune export "$WORK/study"
expect_rc 0 "export"
CHECKS=$((CHECKS + 1))
head -1 "$WORK/study/trials.csv" | grep -q ',alpha,beta,gamma,delta$' ||
  fail "trials.csv columns are the instance ids: $(head -1 "$WORK/study/trials.csv")"
snapshot() { (cd "$WORK/study" && find . -type f -print0 | sort -z | xargs -0 md5sum) > "$1"; }
snapshot "$WORK/before"

bad_case() { # bad_case NAME FILE CONTENT_CMD EXPECTED_ERR [EXTRA]
  local name=$1 file=$2 want=$4
  mkdir -p "$WORK/bad_$name"
  eval "$3" > "$WORK/bad_$name/$file"
  write_cfg "$WORK/cfg/bad_$name.json" "[\"../suite/*.csv\", \"../bad_$name/*\"]" "${5:-}"
  for cmd in validate run; do
    run_srtune $cmd "$WORK/cfg/bad_$name.json"
    expect_rc 3 "$cmd: $name"
    expect_err "$want" "$cmd: $name: the message names the place"
  done
  snapshot "$WORK/after"
  CHECKS=$((CHECKS + 1))
  cmp -s "$WORK/before" "$WORK/after" || fail "$name: the output directory changed"
}
B="$WORK/bad_"
bad_case noheader f.csv "printf '1,2,3\n4,5,6\n'" "${B}noheader/f.csv:1: no header row"
bad_case ragged f.csv "rows , 20 0; echo 1,2" "${B}ragged/f.csv:22: expected 3 fields, got 2"
bad_case text f.tsv "rows \$'\\t' 20 0 | sed '5s/^/x/'" \
  "${B}text/f.tsv:5: column 1 \('x0'\): not a number: 'x4'"
bad_case nan f.csv "rows , 20 0 | sed '7s/,[0-9]*\$/,nan/'" \
  "${B}nan/f.csv:7: column 3 \('target'\): not a finite number: 'nan' \(set dataset.drop_nonfinite_rows"
bad_case constant f.csv "printf 'a,target\n'; for i in \$(seq 12); do echo \$i,4; done" \
  "${B}constant/f.csv: the target column 'target' is constant"
bad_case few f.csv "rows , 9 0" "${B}few/f.csv: 9 data rows: at least 10 are needed"
bad_case notarget f.csv "rows , 20 0" "${B}notarget/f.csv:1: no target column named 'y'" \
  ', "target": "y"'
bad_case noweights f.csv "rows , 20 0" "${B}noweights/f.csv:1: no weights column named 'w'" \
  ', "weights": "w"'
bad_case truncated f.tsv.gz "rows \$'\\t' 3000 0 | gzip -n | head -c 2000" \
  "${B}truncated/f.tsv.gz: truncated gzip stream \(the file ends early\), after line"
bad_case empty f.csv "true" "${B}empty/f.csv: empty file: no header row"
# a file that cannot be read as a file
mkdir -p "$WORK/bad_dir/x.csv"
write_cfg "$WORK/cfg/bad_dir.json" '["../suite/*.csv", "../bad_dir/x.csv"]'
run_srtune run "$WORK/cfg/bad_dir.json"
expect_rc 3 "run: a directory named like a data file"
snapshot "$WORK/after"
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/before" "$WORK/after" || fail "bad_dir: the output directory changed"
# a refused launch on a fresh output directory creates nothing
sed "s#$WORK/study#$WORK/fresh#" "$WORK/cfg/bad_truncated.json" > "$WORK/cfg/fresh.json"
run_srtune run "$WORK/cfg/fresh.json"
expect_rc 3 "run on a fresh directory with a truncated file"
CHECKS=$((CHECKS + 1))
[ ! -e "$WORK/fresh" ] || fail "a refused launch created its output directory"
# with drop_nonfinite_rows the NaN row goes and the file reads
write_cfg "$WORK/cfg/drop.json" '["../suite/*.csv", "../bad_nan/*"]' ', "drop_nonfinite_rows": true'
sed -i "s#$WORK/study#$WORK/study_drop#" "$WORK/cfg/drop.json"
run_srtune validate "$WORK/cfg/drop.json"
expect_rc 0 "drop_nonfinite_rows accepts the file"
expect_out "f +.*f.csv: 19 rows" "one row dropped"

# the suite enters by content: moved, it resumes; edited, it is refused
mkdir -p "$WORK/moved/cfg"
cp -r "$S" "$WORK/moved/suite"
cp "$WORK/cfg/good.json" "$WORK/moved/cfg/good.json"
run_srtune validate "$WORK/moved/cfg/good.json"
expect_rc 0 "validate the moved suite"
expect_out "resumes the existing study" "a moved suite resumes the study"
sed -i '5s/,[0-9]*$/,999/' "$WORK/moved/suite/beta.tsv"
sed -i '5s/\t[0-9]*$/\t999/' "$WORK/moved/suite/beta.tsv"
run_srtune run "$WORK/moved/cfg/good.json"
expect_rc 3 "an edited file is refused"
expect_err "study-defining keys differ from the existing study: data_hash" "the data hash is named"
snapshot "$WORK/after"
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/before" "$WORK/after" || fail "edited file: the output directory changed"

# srtune data: each run's subsample, the same bytes every time, different per run
run_srtune data "$WORK/cfg/good.json" --equation delta --run 0 --out "$WORK/d0.csv"
expect_rc 0 "srtune data on a suite instance"
expect_out "delta .*20 of 60 rows, run 0" "20 of 60 rows"
cp "$WORK/d0.csv" "$WORK/d0_first.csv"
run_srtune data "$WORK/cfg/good.json" --equation delta --run 0 --out "$WORK/d0.csv"
run_srtune data "$WORK/cfg/good.json" --equation delta --run 1 --out "$WORK/d1.csv"
CHECKS=$((CHECKS + 2))
cmp -s "$WORK/d0.csv" "$WORK/d0_first.csv" || fail "the subsample of run 0 changed between calls"
cmp -s "$WORK/d0.csv" "$WORK/d1.csv" && fail "runs 0 and 1 drew the same rows"
CHECKS=$((CHECKS + 1))
[ "$(wc -l < "$WORK/d0.csv")" = 21 ] || fail "the subsample has 20 rows and a header"
run_srtune data "$WORK/cfg/good.json" --equation gamma --run 0 --out "$WORK/g.csv"
expect_out "gamma .*15 of 15 rows" "a file smaller than num_samples is used whole"
run_srtune data "$WORK/cfg/good.json" --equation nope --run 0 --out "$WORK/n.csv"
expect_rc 3 "an unknown instance"
expect_err "no instance 'nope'" "the unknown instance is named"
run_srtune data "$WORK/cfg/good.json" --out-dir "$WORK/all"
expect_rc 0 "srtune data --out-dir"
CHECKS=$((CHECKS + 1))
[ -f "$WORK/all/alpha_run0.csv" ] && [ -f "$WORK/all/delta_run0.csv" ] ||
  fail "--out-dir writes <id>_run<r>.csv"
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/all/delta_run0.csv" "$WORK/d0.csv" || fail "--out-dir and --equation agree"

# status and report see the instances
run_srtune status "$WORK/study"
expect_rc 0 "status of a suite study"
expect_out "runs" "status prints progress"
run_srtune report "$WORK/study" --out "$WORK/report"
expect_rc 0 "report of a suite study"
finish
