#!/usr/bin/env bash
# The bad-input catalogue (issue 8, hardening item 3): every case feeds srtune
# one kind of broken input (torn or foreign journals, invalid configs and
# names, broken catalogues and CSV files, unusable output directories, full
# disks, stale locks, corrupt run files, odd trial directories) and checks
#   - the exit code (README: 1 runtime failure, 3 invalid input),
#   - the message: it names the file and the key or line,
#   - the bytes: every file that existed before the command is still there
#     with the same sha256, except files srtune documents as appended to
#     (journal.log: the old bytes must stay a prefix) or rewritten.
#
# usage: tests/bad_inputs/run.sh [CASE...]     (default: every case)
# Environment: SRTUNE_BINARY (default build/release/srtune), SRTUNE_SOURCE_DIR.
# Prints one line per case and "N passed, M failed" (plus skipped cases).
# The stale-lock case waits out the lock grace (30 s) in the background while
# the other cases run.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${SRTUNE_SOURCE_DIR:-$(cd "$HERE/../.." && pwd)}
SRTUNE=${SRTUNE_BINARY:-$SRC/build/release/srtune}
[ -x "$SRTUNE" ] || { echo "no srtune binary at $SRTUNE (set SRTUNE_BINARY)"; exit 2; }
SRTUNE=$(realpath "$SRTUNE")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/srtune-bad-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
export SRTUNE_LOG_LEVEL=warn SRTUNE_NO_PROGRESS=1
# a singleton MPI_Init without an orted: half the start-up time of each `srtune run`
export OMPI_MCA_ess_singleton_isolated=1
unset SRTUNE_FAKE_SR_SECONDS
# Under the asan preset: Open MPI's own leaks are suppressed (tests/lsan.supp
# says what its rules need); no effect on other builds.
if [ -f "$SRC/tests/lsan.supp" ]; then
    case "${LSAN_OPTIONS:-}" in
        *suppressions=*) ;;
        *) export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$SRC/tests/lsan.supp" ;;
    esac
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
    export OMPI_MCA_mca_base_component_disable_dlclose=1 PMIX_MCA_mca_base_component_disable_dlclose=1
fi

PASSED=0 FAILED=0 SKIPPED=0
C='' M='' CASE='' CASE_BAD=0 RC=0

# ----------------------------------------------------------------- helpers

# case_begin NAME: a fresh directory $C for the case; its bookkeeping (the
# snapshot, srtune's output) in $M.
case_begin() {
    CASE=$1 C=$WORK/case M=$WORK/.meta/$1 CASE_BAD=0 CASE_T0=$SECONDS
    rm -rf "$C"
    mkdir -p "$C" "$M"
    : >"$M/snap"
    : >"$M/append"
    : >"$M/rewrite"
}
bad() { echo "  $CASE: $*"; CASE_BAD=1; }

# srt ARGS...: runs srtune; stdout, stderr in $M/out, $M/err; RC.
srt() {
    timeout 90 "$SRTUNE" "$@" >"$M/out" 2>"$M/err"
    RC=$?
}
want_rc() { [ "$RC" = "$1" ] || { bad "exit $RC, expected $1"; sed 's/^/    stderr: /' "$M/err" | head -4; }; }
want_err() { grep -Eq -- "$1" "$M/err" || { bad "stderr lacks /$1/"; sed 's/^/    stderr: /' "$M/err" | head -4; }; }
want_out() { grep -Eq -- "$1" "$M/out" || { bad "stdout lacks /$1/"; sed 's/^/    stdout: /' "$M/out" | head -4; }; }
want_path() { [ -e "$1" ] || bad "missing: ${1#"$C"/}"; }
want_no_path() { [ ! -e "$1" ] && [ ! -L "$1" ] || bad "should not exist: $1"; }

# protect PATH...: records size and sha256 of every file under the paths.
protect() {
    find "$@" -type f -print0 2>/dev/null | sort -z | while IFS= read -r -d '' f; do
        printf '%s\t%s\t%s\n' "$(stat -c %s "$f")" "$(sha256sum <"$f" | cut -c1-64)" "$f"
    done >>"$M/snap"
}
# appendable PATH: srtune may append to it (journal.log): old bytes stay a prefix.
appendable() { printf '%s\n' "$1" >>"$M/append"; }
# rewritable CONFIG_JSON: srtune may rewrite a study's config.json when
# n_trials changes (README "Files on disk"), keeping its study_hash.
rewritable() { printf '%s\t%s\n' "$1" "$(grep '"study_hash"' "$1")" >>"$M/rewrite"; }

# Every protected file still exists with its bytes (or its old bytes as prefix).
check_bytes() {
    local size sum f now
    while IFS=$'\t' read -r size sum f; do
        if [ ! -f "$f" ]; then
            bad "lost: ${f#"$C"/}"
        elif grep -Fq -- "$f"$'\t' "$M/rewrite"; then
            grep -Fxq -- "$f"$'\t'"$(grep '"study_hash"' "$f")" "$M/rewrite" ||
                bad "${f#"$C"/} was rewritten with another study_hash"
        elif grep -Fxq -- "$f" "$M/append"; then
            now=$(head -c "$size" "$f" | sha256sum | cut -c1-64)
            [ "$now" = "$sum" ] || bad "old bytes of ${f#"$C"/} changed (not an append)"
        else
            now=$(sha256sum <"$f" | cut -c1-64)
            [ "$now" = "$sum" ] || bad "bytes changed: ${f#"$C"/}"
        fi
    done <"$M/snap"
}
case_end() {
    check_bytes
    if [ "$CASE_BAD" = 0 ]; then
        echo "ok   $CASE ($((SECONDS - CASE_T0)) s)"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL $CASE"
        FAILED=$((FAILED + 1))
    fi
}
case_skip() {
    echo "skip $CASE: $*"
    SKIPPED=$((SKIPPED + 1))
}

# study_config DEST OUTDIR [sed expressions...]: the tiny e2e study (2 trials of
# 3 Feynman equations, 1 run each), written to DEST with output_dir OUTDIR.
study_config() {
    local dest=$1 out=$2
    shift 2
    sed -e "s|OUTPUT_DIR|$out|" -e 's/"n_trials": 5/"n_trials": 2/' -e 's/"n_runs": 2/"n_runs": 1/' \
        "$SRC/tests/data/e2e/random.json" >"$dest"
    for e in "$@"; do sed -i "$e" "$dest"; done
}
# finished_study DIR: the tiny study, finished, in DIR (its config at DIR.json).
# Run once, then copied: every case lives at the same path $C, so the copy's
# config.json (which holds the absolute output_dir) is the one a run there writes.
finished_study() {
    local base=$WORK/.base/${1#"$C"/}
    if [ ! -d "$base" ]; then
        study_config "$1.json" "$1"
        "$SRTUNE" run "$1.json" >"$M/base.out" 2>&1 || { bad "base study failed"; cat "$M/base.out"; }
        mkdir -p "$(dirname "$base")"
        cp -a "$1" "$base" && cp -a "$1.json" "$base.json"
        return
    fi
    cp -a "$base" "$1" && cp -a "$base.json" "$1.json"
}
# more_trials CFG N: the same study with n_trials N (config.json is rewritten).
more_trials() {
    sed -i "s/\"n_trials\": [0-9]*/\"n_trials\": $2/" "$1"
    rewritable "$(dirname "$1")/$(basename "$1" .json)/config.json"
}

# A two-equation catalogue (I.6.2a, I.6.2) in the shipped format, then the
# config of a study on it: catalogue_study NAME (reads the rows on stdin).
catalogue_study() {
    { head -1 "$SRC/data/FeynmanEquations.csv"; cat; } >"$C/$1.csv"
    cat >"$C/$1.json" <<EOF
{"study": {"name": "cat", "output_dir": "out", "n_trials": 1, "sampler": {"name": "random"},
           "pruner": {"name": "none"}},
 "dataset": {"name": "feynman", "catalogue": "$1.csv", "equations": "0:2", "num_samples": 50},
 "model": {"niterations": 2, "populations": 2, "maxsize": 10, "tournament_selection_n": 5},
 "search_space": {"parsimony": {"type": "float", "low": 1e-5, "high": 0.1, "log": true}}}
EOF
}
two_rows() { sed -n 2,3p "$SRC/data/FeynmanEquations.csv"; }

# csv_study NAME: a study on $C/NAME.csv (written by the caller).
csv_study() {
    cat >"$C/$1.json" <<EOF
{"study": {"name": "csv", "output_dir": "out", "n_trials": 1, "sampler": {"name": "random"},
           "pruner": {"name": "none"}},
 "dataset": {"name": "csv", "path": "$1.csv"${2:+, \"target\": \"$2\"}},
 "model": {"niterations": 2, "populations": 2, "maxsize": 10, "tournament_selection_n": 5},
 "search_space": {"parsimony": {"type": "float", "low": 1e-5, "high": 0.1, "log": true}}}
EOF
}

# bad_config NAME SED: a finished study in $C/s and a config for it edited by
# SED; `srtune run` must refuse it (exit 3) without touching $C/s.
bad_config() {
    finished_study "$C/s"
    study_config "$C/$1.json" "$C/s" "$2"
    find "$C/s" | sort >"$M/tree"
    protect "$C/s" "$C/$1.json"
    srt run "$C/$1.json"
    want_rc 3
    find "$C/s" | sort | cmp -s - "$M/tree" || bad "files appeared in the output directory"
}

# ---------------------------------------------------------------- journals

case_journal_torn_middle_line() {
    finished_study "$C/s"
    # cut line 4 (an intermediate value) in half: a torn write in the middle
    awk 'NR == 4 {print substr($0, 1, int(length($0) / 2)); next} {print}' "$C/s/journal.log" \
        >"$C/j" && cat "$C/j" >"$C/s/journal.log"
    protect "$C/s"
    srt status "$C/s"
    want_rc 0
    want_err "s/journal.log:4: skipping a torn or unreadable journal line"
    want_out "2 finished of n_trials 2 \(2 complete"
    more_trials "$C/s.json" 3
    appendable "$C/s/journal.log"
    srt run "$C/s.json"
    want_rc 0
    srt status "$C/s"
    want_out "3 finished of n_trials 3"
}

case_journal_garbage_bytes() {
    finished_study "$C/s"
    { head -2 "$C/s/journal.log"; printf '\x00\xff\xfe{{{ garbage\n[1, 2, 3]\n{"op_code": 6, '
      printf '"trial_id": \n'; tail -n +3 "$C/s/journal.log"; } >"$C/j"
    cat "$C/j" >"$C/s/journal.log"
    protect "$C/s"
    srt best "$C/s"
    want_rc 0
    want_err "s/journal.log:3: skipping a torn or unreadable journal line"
    want_err "s/journal.log:5: skipping a torn or unreadable journal line"
    want_out "^best trial [0-9] of study 'e2e-random'"
}

case_journal_torn_last_line() {
    finished_study "$C/s"
    # a crash in the middle of an append: half a line, no newline
    cp "$C/s/journal.log" "$C/clean"
    head -3 "$C/s/journal.log" | tail -1 | head -c 40 >"$C/fragment"
    cat "$C/fragment" >>"$C/s/journal.log"
    protect "$C/s"
    # the journal keeps its bytes up to the last newline; the torn 40 bytes
    # move to journal.log.torn-<time> (checked below, not as a prefix)
    grep -Fv -- $'\t'"$C/s/journal.log" "$M/snap" >"$M/snap.new"
    mv "$M/snap.new" "$M/snap"
    more_trials "$C/s.json" 3
    srt run "$C/s.json"
    want_rc 0
    want_err "s/journal.log: the journal ended in a torn line \(40 bytes.*moved it to .*s/journal.log.torn-"
    cmp -s "$C/clean" <(head -c "$(stat -c %s "$C/clean")" "$C/s/journal.log") ||
        bad "the journal's bytes before the torn line changed"
    cmp -s "$C/fragment" "$C"/s/journal.log.torn-* || bad "journal.log.torn-* does not hold the torn bytes"
    srt status "$C/s"
    want_rc 0
    want_out "3 finished of n_trials 3"
}

case_journal_unknown_op_codes() {
    finished_study "$C/s"
    # lines of another tool sharing the file: unknown op codes, no op code
    { head -7 "$C/s/journal.log"
      echo '{"op_code": 42, "worker_id": "other-tool", "payload": [1, 2]}'
      echo '{"op_code": -1, "worker_id": "other-tool"}'
      echo '{"event": "started", "tool": "mlflow"}'
      tail -n +8 "$C/s/journal.log"; } >"$C/j"
    cat "$C/j" >"$C/s/journal.log"
    protect "$C/s"
    appendable "$C/s/journal.log"
    srt status "$C/s"
    want_rc 0
    want_err "s/journal.log:8: skipping malformed journal line: unknown op_code 42"
    want_err "s/journal.log:10: skipping malformed journal line: no op_code"
    want_out "2 finished of n_trials 2"
    more_trials "$C/s.json" 3
    srt run "$C/s.json"
    want_rc 0
    srt status "$C/s"
    want_out "3 finished of n_trials 3"
}

case_journal_of_another_tool() {
    finished_study "$C/s"
    printf 'INFO 2026-11-25 starting\nWARN disk almost full\n' >"$C/s/journal.log"
    protect "$C/s"
    srt status "$C/s"
    want_rc 0
    want_err "s/journal.log:1: skipping a torn or unreadable journal line"
    want_out "0 finished of n_trials 2"
}

case_journal_of_another_study() {
    finished_study "$C/s"
    sed -i 's/"study_name":"e2e-random"/"study_name":"other-study"/' "$C/s/journal.log"
    protect "$C/s"
    srt best "$C/s"
    want_rc 1
    want_err "s/journal.log: no study 'e2e-random' in the journal \(it holds 'other-study'\)"
    want_err "no COMPLETE trial yet"
    srt status "$C/s"
    want_rc 0
    want_out "0 finished of n_trials 2"
}

case_journal_other_direction() {
    finished_study "$C/s"
    sed -i '1s/"directions":\[2\]/"directions":[1]/' "$C/s/journal.log"
    protect "$C/s"
    more_trials "$C/s.json" 3
    srt run "$C/s.json"
    want_rc 3
    want_err "s/journal.log: study \"e2e-random\" exists with another direction"
}

case_journal_bad_fields() {
    finished_study "$C/s"
    local deep
    deep=$(printf '%0.s[' $(seq 200))
    { cat "$C/s/journal.log"
      echo '{"op_code": 4, "worker_id": "x", "study_id": 0, "datetime_start": null}'
      echo '{"op_code": 6, "worker_id": "x", "trial_id": 2, "state": 17, "values": null}'
      echo '{"op_code": 7, "worker_id": "x", "trial_id": 99999, "step": 1, "intermediate_value": 1.0}'
      echo '{"op_code": 4, "worker_id": "x", "study_id": 0, "state": 1, "value": NaN, "values": null}'
      echo '{"op_code": 4, "worker_id": "x", "study_id": 0, "state": 1, "value": Infinity}'
      echo "{\"op_code\": 9, \"trial_id\": 0, \"system_attr\": $deep}"
      echo '{"op_code": 1e400, "study_id": "zero"}'; } >"$C/j"
    cat "$C/j" >"$C/s/journal.log"
    protect "$C/s"
    srt status "$C/s"
    want_rc 0
    want_err "s/journal.log:15: skipping malformed journal line: SET_TRIAL_STATE_VALUES with a bad state"
    want_err "s/journal.log:19: skipping a torn or unreadable journal line"
    want_err "s/journal.log:20: skipping malformed journal line: no op_code"
    # the trials another tool created (no srtune run directory) are foreign
    want_out "2 finished of n_trials 2 \(2 complete, 0 pruned\); 0 running"
    want_out "foreign: 3 trials added through Optuna.*: 2 \(RUNNING\) 3 \(COMPLETE\) 4 \(COMPLETE\)"
    srt best "$C/s" --format json
    want_rc 0
    want_out '"value": [0-9]' # NaN and Infinity never win
    srt export "$C/s" --out "$C/trials.csv"
    want_rc 0
    want_path "$C/trials.csv"
}

case_journal_is_a_directory() {
    finished_study "$C/s"
    mv "$C/s/journal.log" "$C/journal.log.orig"
    mkdir "$C/s/journal.log"
    protect "$C/s" "$C/journal.log.orig"
    srt status "$C/s"
    want_rc 3
    want_err "s/journal.log: not a regular file"
    srt run "$C/s.json"
    want_rc 1
    want_err "s/journal.log: .*(directory|Is a directory)"
}

case_journal_empty() {
    finished_study "$C/s"
    : >"$C/s/journal.log"
    protect "$C/s"
    srt status "$C/s"
    want_rc 0
    want_out "0 finished of n_trials 2"
    srt best "$C/s"
    want_rc 1
    want_err "no COMPLETE trial yet"
}

# ----------------------------------------------------------------- configs

case_config_wrong_type() {
    bad_config wrong-type 's/"maxsize": 15/"maxsize": "fifteen"/'
    want_err "wrong-type.json: model.maxsize: must be an integer in \[7, 256\], got a string \"fifteen\""
}
case_config_out_of_range() {
    bad_config out-of-range 's/"num_samples": 100/"num_samples": 0/'
    want_err "out-of-range.json: dataset.num_samples: must be an integer in \[1, 1000000000\], got 0"
}
case_config_unknown_key() {
    bad_config unknown-key 's/"n_trials": 2/"n_trial": 2/'
    want_err "unknown-key.json: study.n_trial: unknown key \(did you mean 'n_trials'\?\)"
}
case_config_nan_literal() {
    bad_config nan 's/"noise": 1e-4/"noise": NaN/'
    want_err "nan.json:16:14: JSON syntax error: NaN and Infinity are not JSON numbers"
}
case_config_infinite_number() {
    bad_config inf 's/"noise": 1e-4/"noise": 1e999/'
    want_err "inf.json: dataset.noise: must be a number >= 0, got a number too large for a double"
}
case_config_empty_equation_list() {
    bad_config empty-eqs 's/"equations": \[.*\]/"equations": []/'
    want_err "empty-eqs.json: dataset.equations: must select at least one equation, got an empty list"
}
case_config_truncated() {
    bad_config truncated '20,$d'
    want_err "truncated.json:19:[0-9]+: JSON syntax error: unexpected end of file"
}
case_config_binary() {
    finished_study "$C/s"
    printf '\xff\xfe{\x00"\x00s' >"$C/binary.json"
    protect "$C/s" "$C/binary.json"
    srt run "$C/binary.json"
    want_rc 3
    want_err "binary.json:1:1: JSON syntax error: unexpected byte 0xff"
}
case_config_changed_study_keys() {
    bad_config seed 's/"seed": 7/"seed": 8/'
    want_err "s/config.json: study-defining keys differ from the existing study: study.seed"
}
case_config_existing_corrupt() {
    finished_study "$C/s"
    echo '{"study": {"name": "e2e-random", "output_dir": ' >"$C/s/config.json"
    protect "$C/s"
    srt run "$C/s.json"
    want_rc 3
    want_err "s/config.json: the existing study's config .*refusing to replace it"
    srt status "$C/s"
    want_rc 3
    want_err "s/config.json:1:46: JSON syntax error: unexpected end of file"
}

# ------------------------------------------- names (hardening item 4)

# bad_name CASE NAME_JSON EXPECTED: study.name must be refused before anything
# is created or run.
bad_name() {
    study_config "$C/c.json" "$C/out" "s|\"name\": \"e2e-random\"|\"name\": $1|"
    protect "$C/c.json"
    (cd "$C" && timeout 90 "$SRTUNE" run c.json >"$M/out" 2>"$M/err")
    RC=$?
    want_rc 3
    want_err "c.json: study.name: $2"
    want_no_path "$C/out"
    want_no_path "$C/pwned"
    (cd "$C" && timeout 90 "$SRTUNE" validate c.json >"$M/out" 2>"$M/err")
    RC=$?
    want_rc 3
}
case_name_shell_metacharacters() { bad_name '"x; touch pwned"' "';' is not allowed"; }
case_name_command_substitution() { bad_name '"$(touch pwned)"' "'\\$' is not allowed"; }
case_name_backquotes() { bad_name '"`touch pwned`"' "'\`' is not allowed"; }
case_name_path_traversal() {
    bad_name '"../../escape"' "'/' is not allowed"
    want_no_path "$WORK/escape"
}
case_name_control_character() { bad_name '"a\\nb"' "a control character \(0x0a\) is not allowed"; }
case_name_option_like() { bad_name '"-rf"' "must start with a letter, a digit or '_'"; }
case_output_dir_control_character() {
    study_config "$C/c.json" "$C/out\\\\n#SBATCH --x"
    protect "$C/c.json"
    srt run "$C/c.json"
    want_rc 3
    want_err "c.json: study.output_dir: must not contain control characters, got 0x0a"
    [ -z "$(find "$C" -name 'out*')" ] || bad "an output directory was created"
}

# -------------------------------------------------------------- catalogues

case_catalogue_broken_formula() {
    two_rows | sed '2s|exp(-(theta/sigma)\*\*2/2)|exp(-(theta/sigma)**2/2|' | catalogue_study cat
    protect "$C"
    srt run "$C/cat.json"
    want_rc 3
    want_err "cat.csv:3: I.6.2: formula 'exp\(.*', column 43: expected '\)' to close exp\("
    want_no_path "$C/out"
}
case_catalogue_unknown_function() {
    two_rows | sed '2s/exp(/expo(/' | catalogue_study cat
    protect "$C"
    srt validate "$C/cat.json"
    want_rc 3
    want_err "cat.csv:3: I.6.2: formula .*column 1: unknown function 'expo'"
}
case_catalogue_text_in_bounds() {
    two_rows | sed '2s/,sigma,1,3,/,sigma,one,3,/' | catalogue_study cat
    protect "$C"
    srt run "$C/cat.json"
    want_rc 3
    want_err "cat.csv:3: I.6.2: v1_low: not a finite number: 'one'"
}
case_catalogue_binary_garbage() {
    printf 'garbage\x00\xff,\x01\n' | catalogue_study cat
    protect "$C"
    srt data "$C/cat.json" --out-dir "$C/data"
    want_rc 3
    want_err "cat.csv:2: "
    want_no_path "$C/data"
}

# ------------------------------------------------------------- CSV data

case_csv_ragged_row() {
    printf 'x1,x2,y\n1,2,3\n4,5\n7,8,9\n' >"$C/data.csv"
    csv_study data
    protect "$C"
    srt validate "$C/data.json"
    want_rc 3
    want_err "data.csv:3: expected 3 fields, got 2"
    srt run "$C/data.json"
    want_rc 3
    want_err "data.csv:3: expected 3 fields, got 2"
}
case_csv_text_cell() {
    printf 'x1,x2,y\n1,2,3\n4,abc,6\n' >"$C/data.csv"
    csv_study data
    protect "$C"
    srt run "$C/data.json"
    want_rc 3
    want_err "data.csv:3: column 2 \('x2'\): not a number: 'abc'"
}
case_csv_nan_cell() {
    printf 'x1,x2,y\n1,nan,3\n4,5,6\n' >"$C/data.csv"
    csv_study data
    protect "$C"
    srt validate "$C/data.json"
    want_rc 3
    want_err "data.csv:2: column 2 \('x2'\): not a finite number: 'nan'"
}
case_csv_header_only() {
    printf 'x1,x2,y\n' >"$C/data.csv"
    csv_study data
    protect "$C"
    srt validate "$C/data.json"
    want_rc 3
    want_err "data.csv: no data rows"
}
case_csv_unknown_target() {
    printf 'x1,x2,y\n1,2,3\n4,5,6\n' >"$C/data.csv"
    csv_study data z
    protect "$C"
    srt validate "$C/data.json"
    want_rc 3
    want_err "data.csv.*'z'"
}

# ----------------------------------------------------- output directories

# 0 when this process may mount a tmpfs in a private mount namespace (root);
# such mounts vanish with the namespace, so nothing outlives a killed test.
can_mount() {
    mkdir -p "$C/.probe"
    unshare -m --propagation private sh -c 'mount -t tmpfs -o size=64k tmpfs "$1"' \
        sh "$C/.probe" 2>/dev/null
    local rc=$?
    rmdir "$C/.probe"
    return $rc
}

case_output_dir_is_a_file() {
    echo "precious" >"$C/file"
    study_config "$C/c.json" "$C/file"
    protect "$C"
    srt run "$C/c.json"
    want_rc 1
    want_err "/file: exists and is not a directory"
}
case_output_dir_under_a_file() {
    echo "precious" >"$C/file"
    study_config "$C/c.json" "$C/file/sub"
    protect "$C"
    srt run "$C/c.json"
    want_rc 1
    want_err "/file: exists and is not a directory"
}
case_output_dir_not_creatable() {
    # root can write almost anywhere; /proc refuses new directories even to root
    study_config "$C/c.json" "/proc/1/srtune-bad-input"
    protect "$C"
    srt run "$C/c.json"
    want_rc 1
    want_err "/proc/1/srtune-bad-input: cannot create directory"
}
case_output_dir_read_only() {
    # a read-only bind mount in a private mount namespace (vanishes with it)
    if ! can_mount; then
        case_skip "cannot mount in a private mount namespace here (needs root)"
        return 2
    fi
    finished_study "$C/s"
    more_trials "$C/s.json" 3
    protect "$C/s"
    unshare -m --propagation private sh -c \
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec timeout 90 "$2" run "$3"' \
        sh "$C/s" "$SRTUNE" "$C/s.json" >"$M/out" 2>"$M/err"
    RC=$?
    want_rc 1
    want_err "s/config.json.*Read-only file system"
}
case_export_out_under_a_file() {
    finished_study "$C/s"
    echo "precious" >"$C/file"
    protect "$C"
    srt export "$C/s" --out "$C/file/trials.csv"
    want_rc 1
    want_err "file/trials.csv"
}
case_data_out_under_a_file() {
    study_config "$C/c.json" "$C/out"
    echo "precious" >"$C/file"
    protect "$C"
    srt data "$C/c.json" --equation I.12.1 --out "$C/file/x.csv"
    want_rc 1
    want_err "file/x.csv"
}

# ------------------------------------------------------------ full disks

case_disk_full() {
    # a 1 MiB tmpfs in a private mount namespace, filled up before the relaunch
    if ! can_mount; then
        case_skip "cannot mount in a private mount namespace here (needs root)"
        return 2
    fi
    mkdir -p "$C/mnt"
    study_config "$C/c.json" "$C/mnt/s"
    unshare -m --propagation private bash -c '
        set -u
        C=$1 S=$2
        mount -t tmpfs -o size=1m tmpfs "$C/mnt" || exit 9
        "$S" run "$C/c.json" >"$C/run1.log" 2>&1 || exit 10
        sed -i "s/\"n_trials\": 2/\"n_trials\": 3/" "$C/c.json"
        dd if=/dev/zero of="$C/mnt/fill" bs=4k 2>/dev/null
        cp -a "$C/mnt/s" "$C/before"
        timeout 90 "$S" run "$C/c.json" >"$C/run2.out" 2>"$C/run2.err"
        echo $? >"$C/rc"
        timeout 90 "$S" export "$C/mnt/s" >"$C/export.out" 2>"$C/export.err"
        echo $? >"$C/export.rc"
        cp -a "$C/mnt/s" "$C/after"
        rm -f "$C/mnt/fill"
        timeout 90 "$S" run "$C/c.json" >"$C/run3.log" 2>&1
        echo $? >"$C/rc3"
        ' bash "$C" "$SRTUNE"
    case $? in
        9) case_skip "cannot mount a tmpfs here"; return 2 ;;
        0) ;;
        *) bad "set-up failed"; cat "$C/run1.log" 2>/dev/null | head -5 ;;
    esac
    cp "$C/run2.err" "$M/err" 2>/dev/null
    RC=$(cat "$C/rc" 2>/dev/null)
    want_rc 1
    want_err "s/config.json.*No space left on device"
    RC=$(cat "$C/export.rc" 2>/dev/null)
    grep -q "No space left on device" "$C/export.err" || bad "export: $(cat "$C/export.err")"
    [ "$RC" = 1 ] || bad "export exit $RC, expected 1"
    # the full disk changed nothing: every file as before, no temp files left
    diff -r "$C/before" "$C/after" >/dev/null || bad "files changed on the full disk"
    [ -z "$(find "$C/after" -name '*.tmp.*')" ] || bad "temp files left behind"
    [ "$(cat "$C/rc3" 2>/dev/null)" = 0 ] || { bad "relaunch after freeing space failed"; head -5 "$C/run3.log"; }
}

case_write_error_mid_append() {
    # RLIMIT_FSIZE cuts a journal append after the limit (a short write, then
    # EFBIG), as a full disk does: the append is rolled back, no torn line is
    # left; PMIx keeps its store in memory (gds=hash)
    finished_study "$C/s"
    local jsize csize
    jsize=$(stat -c %s "$C/s/journal.log")
    csize=$(stat -c %s "$C/s/config.json")
    if [ $(((jsize + 1023) / 1024 * 1024)) -le "$csize" ] || [ $((jsize % 1024)) = 0 ]; then
        case_skip "journal ($jsize bytes) and config.json ($csize bytes) sizes do not fit the test"
        return 2
    fi
    more_trials "$C/s.json" 3
    protect "$C/s"
    appendable "$C/s/journal.log"
    (trap '' XFSZ; ulimit -f $(((jsize + 1023) / 1024)); export PMIX_MCA_gds=hash
        exec timeout 90 "$SRTUNE" run "$C/s.json") 2>&1 >/dev/null | cat >"$M/err"
    RC=${PIPESTATUS[0]}
    want_rc 1
    want_err "s/journal.log: journal append failed: File too large"
    # the short write was rolled back: the journal ends in a whole line
    [ "$(tail -c 1 "$C/s/journal.log" | od -An -c | tr -d ' ')" = '\n' ] ||
        bad "the failed append left a torn last line"
    srt run "$C/s.json"
    want_rc 0
    grep -q "torn line" "$M/err" && bad "the relaunch found a torn line"
    srt status "$C/s"
    want_out "3 finished of n_trials 3"
}

case_export_write_error() {
    finished_study "$C/s"
    echo "old ledger" >"$C/s/trials.csv"
    protect "$C/s"
    # (stderr through a pipe: the limit applies to regular files only)
    (trap '' XFSZ; ulimit -f 0; exec timeout 90 "$SRTUNE" export "$C/s") 2>&1 >/dev/null |
        cat >"$M/err"
    RC=${PIPESTATUS[0]}
    want_rc 1
    want_err "s/trials.csv.*File too large"
    [ -z "$(find "$C/s" -name '*.tmp.*')" ] || bad "temp files left behind"
}

# -------------------------------------------------------------------- locks

case_stale_lock() {
    # a lock left by a crashed writer: broken after the 30 s grace, then the
    # study goes on (Optuna's JournalFileSymlinkLock behaves the same)
    finished_study "$C/s"
    ln -s "$C/s/journal.log" "$C/s/journal.log.lock"
    touch -h -d 2020-01-01 "$C/s/journal.log.lock"
    protect "$C/s"
    appendable "$C/s/journal.log"
    local t0=$SECONDS
    srt status "$C/s" # readers never take the lock
    want_rc 0
    [ $((SECONDS - t0)) -le 5 ] || bad "status waited for the lock"
    more_trials "$C/s.json" 3
    t0=$SECONDS
    srt run "$C/s.json"
    local took=$((SECONDS - t0))
    want_rc 0
    want_err "journal.log.lock: waiting for the journal lock"
    want_err "journal.log.lock: breaking a stale lock \(unchanged for 3[0-9]\.[0-9] s\)"
    [ "$took" -ge 29 ] && [ "$took" -le 60 ] || bad "took $took s (grace 30 s)"
    want_no_path "$C/s/journal.log.lock"
    srt status "$C/s"
    want_out "3 finished of n_trials 3"
}

# ----------------------------------------------------------- run directories

# lost_trial_study: a finished study whose journal ends with trial 1 RUNNING
# and a heartbeat from 2001: the next launch finds it lost and redoes it in
# the same directory, reusing its finished runs.
lost_trial_study() {
    head -8 "$C/s/journal.log" |
        sed -E '8s/"srtune:heartbeat":[0-9.e+]+/"srtune:heartbeat":1000000000.0/' >"$C/j"
    cat "$C/j" >"$C/s/journal.log"
}

case_corrupt_scalars() {
    finished_study "$C/s"
    local value # trial 1's value: the redone trial must find it again
    value=$(sed -n '13s/.*"state":1,"values":\[\([^]]*\)\].*/\1/p' "$C/s/journal.log")
    lost_trial_study
    local t=$C/s/trials/trial_1
    head -c 300 "$t/feynman_eq7_run0/tensorboard_scalars.csv" >"$C/x" # cut in a row
    cat "$C/x" >"$t/feynman_eq7_run0/tensorboard_scalars.csv"
    printf '\x00\x01garbage' >"$t/feynman_eq14_run0/tensorboard_scalars.csv" # no header line
    local cut garbage
    cut=$(sha256sum <"$t/feynman_eq7_run0/tensorboard_scalars.csv")
    garbage=$(sha256sum <"$t/feynman_eq14_run0/tensorboard_scalars.csv")
    protect "$C/s/trials/trial_0" "$t/feynman_eq24_run0" "$C/s/config.json"
    protect "$C/s/journal.log"
    appendable "$C/s/journal.log"
    srt run "$C/s.json"
    want_rc 0
    want_err "trial_1/feynman_eq7_run0/tensorboard_scalars.csv:2: expected 23 fields as in the header, got [0-9]+ \(a torn row\); running it again"
    want_err "trial_1/feynman_eq14_run0/tensorboard_scalars.csv:1: no header line; running it again"
    # the corrupt files are kept aside, byte for byte, and the runs redone
    [ "$(sha256sum <"$t/feynman_eq7_run0.corrupt-scalars.csv" 2>/dev/null)" = "$cut" ] ||
        bad "the torn scalars file was not kept aside intact"
    [ "$(sha256sum <"$t/feynman_eq14_run0.corrupt-scalars.csv" 2>/dev/null)" = "$garbage" ] ||
        bad "the garbage scalars file was not kept aside intact"
    want_path "$t/feynman_eq7_run0/tensorboard_scalars.csv"
    srt status "$C/s"
    want_out "2 finished of n_trials 2 \(2 complete.*1 failed"
    [ -n "$value" ] && grep -Fq "\"state\":1,\"values\":[$value]" "$C/s/journal.log" ||
        bad "the redone trial's value differs from the original's ($value)"
}

# odd_run_dir JSON: a WAITING trial (as Optuna's enqueue_trial or another tool
# writes it) whose srtune:run_dir is JSON; it must not lead out of the study.
odd_run_dir() {
    finished_study "$C/s"
    printf '{"op_code":4,"worker_id":"other-tool","study_id":0,"datetime_start":null,"state":4,"value":null,"values":null,"distributions":{},"params":{},"user_attrs":{},"system_attrs":{"srtune:run_dir":%s},"intermediate_values":{}}\n' \
        "$1" >>"$C/s/journal.log"
    more_trials "$C/s.json" 3
    protect "$C/s"
    appendable "$C/s/journal.log"
    srt run "$C/s.json"
    want_rc 0
    want_err "s/journal.log: trial 2: ignoring srtune:run_dir .*; using trials/trial_2"
    want_path "$C/s/trials/trial_2/feynman_eq7_run0/tensorboard_scalars.csv"
    [ "$(find "$C" -name 'feynman_eq7_run0' | wc -l)" = 3 ] || bad "run directories outside trials/trial_N"
}
case_trial_dir_outside_the_study() { odd_run_dir '"../../escape"'; want_no_path "$WORK/escape"; }
case_trial_dir_absolute() { odd_run_dir "\"$C/abs\""; want_no_path "$C/abs"; }
case_trial_dir_odd_characters() {
    odd_run_dir '"trials/trial 2;touch pwned\n$(x)"'
    want_no_path "$C/s/pwned"
}

case_trial_dir_is_a_file() {
    # a regular file where the next trial's directory goes, and stray entries
    # with odd names among the trial directories: the trial fails naming the
    # path, the study goes on, nothing is removed
    finished_study "$C/s"
    echo "precious" >"$C/s/trials/trial_2"
    mkdir -p "$C/s/trials/trial_0/feynman_eq7_run0 copy" "$C/s/trials/trial_"$'\n'"x;y"
    echo "notes" >"$C/s/trials/trial_0/feynman_eq7_run0 copy/\$(x)"
    more_trials "$C/s.json" 3
    protect "$C/s"
    appendable "$C/s/journal.log"
    srt run "$C/s.json"
    want_rc 0
    want_err "trial 2 failed in equation 0: .*s/trials/trial_2: exists and is not a directory"
    srt status "$C/s"
    want_rc 0
    want_out "3 finished of n_trials 3 \(3 complete, 0 pruned\); 0 running, 0 waiting, 1 failed"
}

# ---------------------------------------------------------------- the list

CASES=(
    journal_torn_middle_line journal_garbage_bytes journal_torn_last_line
    journal_unknown_op_codes journal_of_another_tool journal_of_another_study
    journal_other_direction journal_bad_fields journal_is_a_directory journal_empty
    config_wrong_type config_out_of_range config_unknown_key config_nan_literal
    config_infinite_number config_empty_equation_list config_truncated config_binary
    config_changed_study_keys config_existing_corrupt
    name_shell_metacharacters name_command_substitution name_backquotes name_path_traversal
    name_control_character name_option_like output_dir_control_character
    catalogue_broken_formula catalogue_unknown_function catalogue_text_in_bounds
    catalogue_binary_garbage
    csv_ragged_row csv_text_cell csv_nan_cell csv_header_only csv_unknown_target
    output_dir_is_a_file output_dir_under_a_file output_dir_not_creatable
    output_dir_read_only export_out_under_a_file data_out_under_a_file
    disk_full write_error_mid_append export_write_error
    corrupt_scalars trial_dir_outside_the_study trial_dir_absolute trial_dir_odd_characters
    trial_dir_is_a_file
    stale_lock
)

run_case() {
    case_begin "$1"
    "case_$1"
    [ $? = 2 ] && [ "$CASE_BAD" = 0 ] && return # skipped
    case_end
}

if [ $# -gt 0 ]; then
    for c in "$@"; do run_case "$c"; done
else
    # the slow stale-lock case runs beside the others
    bash "$0" stale_lock >"$WORK/stale_lock.log" 2>&1 &
    bg=$!
    for c in "${CASES[@]}"; do
        [ "$c" = stale_lock ] || run_case "$c"
    done
    wait "$bg"
    grep -v ' passed, ' "$WORK/stale_lock.log"
    read -r p _ f _ < <(grep ' passed, ' "$WORK/stale_lock.log" || echo "0 passed, 1 failed")
    PASSED=$((PASSED + p)) FAILED=$((FAILED + f))
fi
echo "$PASSED passed, $FAILED failed$([ "$SKIPPED" = 0 ] || echo ", $SKIPPED skipped")"
[ "$FAILED" = 0 ]
