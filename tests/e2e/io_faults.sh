#!/usr/bin/env bash
# Fault injection in the style of SQLite's I/O-error tests (docs/reliability.md).
# A tiny study (2 trials x 2 equations x 1 run, on_run_error "value") is run
# once with SRTUNE_FAULT_TRACE to count its I/O calls (write, fsync, rename,
# mkdir, the lock's symlink). Then for N = 1, 2, ... every call: the study is
# run with SRTUNE_FAULT_AT=N (the N-th call and every later one fail with
# ENOSPC, as a disk that fills up) and relaunched without the fault. Each time:
#   - the faulted run exits 1 and names a file of the study with the error;
#   - Optuna 3.1 loads the journal it left (unless the fault came before the
#     study's first line: then the journal is empty);
#   - the relaunch exits 0 and recomputes no finished run (inode + mtime);
#   - Optuna loads the final journal, no trial is RUNNING, and the finished
#     trials' values and params equal the uninterrupted study's bit for bit
#     (so no sampler slot was spent and no I/O error became failure_value).
# A transient variant (SRTUNE_FAULT_ONCE: only the N-th call fails) walks every
# 7th N, and the study under `mpirun -np 3` walks about 8 points of rank 0's
# calls and 8 of rank 1's (a worker: the error travels to rank 0 in RESULT).
# A relaunch that waited out the heartbeat grace (300 s here) would hang: a
# guard of 240 s fails it. SRTUNE_FAULT_MPI_POINTS changes the MPI points,
# SRTUNE_FAULT_STRIDE=k walks every k-th N alone (the asan preset sets 4).
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
export SRTUNE_NO_PROGRESS=1

tiny=('s/"n_trials": 5/"n_trials": 2/'
      's/"I.12.1", "I.14.3", "I.25.13"/"I.12.1", "I.14.3"/'
      's/"n_runs": 2/"n_runs": 1/'
      's/"niterations": 4/"niterations": 2/'
      's/"num_samples": 100/"num_samples": 50/'
      's/"heartbeat_interval_s": 1/"heartbeat_interval_s": 120, "on_run_error": "value", "failure_value": -7/'
      's/"heartbeat_grace_s": 4/"heartbeat_grace_s": 300/')

if ! "$SRTUNE" --version >/dev/null 2>&1; then echo "FAIL: no srtune"; exit 1; fi
make_config random.json "$WORK/ref" "$WORK/ref.json" "${tiny[@]}"
SRTUNE_FAULT_TRACE="$WORK/trace" "$SRTUNE" run "$WORK/ref.json" >/dev/null 2>"$WORK/ref.err"
RC=$?
expect_rc 0 "reference study"
total=$(wc -l < "$WORK/trace")
CHECKS=$((CHECKS + 1))
if [ "$total" -lt 40 ]; then
  fail "only $total I/O calls traced: is this a build without SRTUNE_FAULT_HOOKS?"
  finish
  exit 1
fi
echo "reference: $total I/O calls alone"
mkdir -p "$WORK/journals"
cp "$WORK/ref/journal.log" "$WORK/journals/reference"

# step LABEL NP ENV...: one faulted run and its relaunch in a fresh directory
step() {
  local label=$1 np=$2
  shift 2
  local out="$WORK/s-$label" cfg="$WORK/s-$label.json"
  make_config random.json "$out" "$cfg" "${tiny[@]}"
  if [ "$np" = 1 ]; then
    env "$@" "$SRTUNE" run "$cfg" >"$WORK/f.out" 2>"$WORK/f.err"
  else
    local xs=()
    for kv in "$@"; do xs+=(-x "$kv"); done
    rm -f "$WORK/ftrace"
    env "$@" "$MPIRUN" --oversubscribe -np "$np" "${xs[@]}" -x SRTUNE_FAULT_TRACE="$WORK/ftrace" \
      "$SRTUNE" run "$cfg" >"$WORK/f.out" 2>"$WORK/f.err"
  fi
  local rc=$?
  if [ "$np" != 1 ] && [ "$rc" = 0 ]; then
    # which equations a worker runs depends on timing: when the faulted rank
    # made fewer I/O calls this time, the point was not reached (not a failure)
    local at rank made
    at=$(printf '%s\n' "$@" | sed -n 's/^SRTUNE_FAULT_AT=//p')
    rank=$(printf '%s\n' "$@" | sed -n 's/^SRTUNE_FAULT_RANK=//p')
    made=$(awk -v r="$rank" '$2 == r' "$WORK/ftrace" 2>/dev/null | wc -l)
    if [ "$made" -lt "$at" ]; then
      echo "note: $label: rank $rank made $made I/O calls this time; point $at not reached"
      UNREACHED=$((UNREACHED + 1))
      rm -rf "$out"
      return
    fi
  fi
  CHECKS=$((CHECKS + 1))
  [ "$rc" = 1 ] || { fail "$label: faulted run exited $rc, expected 1"; tail -3 "$WORK/f.err"; }
  CHECKS=$((CHECKS + 1))
  grep -Eq "$out[^ ]*: .*(No space left on device)" "$WORK/f.err" ||
    { fail "$label: no message naming a study file and ENOSPC"; tail -3 "$WORK/f.err"; }
  if [ -s "$out/journal.log" ]; then
    cp "$out/journal.log" "$WORK/journals/fault-$label"
  fi
  local before after missing
  before=$(finished_runs "$out")
  if [ "$np" = 1 ]; then
    timeout 240 "$SRTUNE" run "$cfg" >"$WORK/r.out" 2>"$WORK/r.err"
  else
    timeout 240 "$MPIRUN" --oversubscribe -np "$np" "$SRTUNE" run "$cfg" >"$WORK/r.out" 2>"$WORK/r.err"
  fi
  rc=$?
  CHECKS=$((CHECKS + 1))
  [ "$rc" = 0 ] || { fail "$label: relaunch exited $rc (124: it hung, e.g. waiting out the grace)"; tail -3 "$WORK/r.err"; }
  after=$(finished_runs "$out")
  missing=$(comm -23 <(echo "$before") <(echo "$after"))
  CHECKS=$((CHECKS + 1))
  [ -z "$missing" ] || { fail "$label: finished runs were computed again:"; echo "$missing" | head -3; }
  cp "$out/journal.log" "$WORK/journals/final-$label"
  rm -rf "$out"
}

# SRTUNE_FAULT_STRIDE=k walks every k-th N only (sanitizer builds, 3-4x slower)
for n in $(seq 1 "${SRTUNE_FAULT_STRIDE:-1}" "$total"); do
  step "alone-$n" 1 SRTUNE_FAULT_AT="$n"
done
for n in $(seq 1 7 "$total"); do
  step "once-$n" 1 SRTUNE_FAULT_AT="$n" SRTUNE_FAULT_ONCE=1
done

# under mpirun: count each rank's calls, then walk points of rank 0 and rank 1
make_config random.json "$WORK/mref" "$WORK/mref.json" "${tiny[@]}"
rm -f "$WORK/mtrace"
"$MPIRUN" --oversubscribe -np 3 -x SRTUNE_FAULT_TRACE="$WORK/mtrace" "$SRTUNE" run "$WORK/mref.json" \
  >/dev/null 2>"$WORK/mref.err"
RC=$?
expect_rc 0 "reference study under mpirun -np 3"
cp "$WORK/mref/journal.log" "$WORK/journals/final-mpi-reference"
points=${SRTUNE_FAULT_MPI_POINTS:-8}
UNREACHED=0
for rank in 0 1; do
  calls=$(awk -v r="$rank" '$2 == r' "$WORK/mtrace" | wc -l)
  echo "mpirun -np 3: $calls I/O calls on rank $rank"
  stride=$(( (calls + points - 1) / points ))
  [ "$stride" -ge 1 ] || stride=1
  for n in $(seq 1 "$stride" "$calls"); do
    step "mpi-r$rank-$n" 3 SRTUNE_FAULT_AT="$n" SRTUNE_FAULT_RANK="$rank"
  done
done

CHECKS=$((CHECKS + 1))
[ "$UNREACHED" -le "$points" ] || fail "$UNREACHED of the mpirun points were never reached"

# every journal through Optuna 3.1, in one python process
"$PYTHON" "$SRC/tests/e2e/journals_check.py" e2e-random "$WORK"/journals/* > "$WORK/check" 2>&1
CHECKS=$((CHECKS + 1))
[ "$(grep -c . "$WORK/check")" = "$(ls "$WORK/journals" | wc -l)" ] ||
  { fail "journals_check.py did not report every journal"; tail -5 "$WORK/check"; }
# NAME STATUS RUNNING=n FINAL=... (the FINAL field holds spaces)
awk '{f=$4; for (i = 5; i <= NF; i++) f = f " " $i; print $1 "\t" $2 "\t" $3 "\t" f}' "$WORK/check" > "$WORK/check.tsv"
ref_final=$(awk -F'\t' '$1 == "reference" {print $4}' "$WORK/check.tsv")
CHECKS=$((CHECKS + 1))
[ -n "$ref_final" ] && [ "$ref_final" != "FINAL=" ] || fail "reference journal: no finished trials"
while IFS=$'\t' read -r name status running final; do
  CHECKS=$((CHECKS + 1))
  [ "$status" = load-ok ] || { fail "$name: Optuna 3.1 cannot load it: $running $final"; continue; }
  case $name in
    final-*)
      CHECKS=$((CHECKS + 2))
      [ "$running" = RUNNING=0 ] || fail "$name: $running trials left RUNNING"
      [ "$final" = "$ref_final" ] || { fail "$name: values differ from the uninterrupted study"; echo "  $final"; echo "  $ref_final"; } ;;
  esac
done < "$WORK/check.tsv"
finish
