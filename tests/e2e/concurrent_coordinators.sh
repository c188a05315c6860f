#!/usr/bin/env bash
# Coordinators that start at the same moment on a fresh output directory (SLURM
# array tasks that start together) create ONE study (one CREATE_STUDY line),
# share the trials, and finish the study with the values of a single run
# (random sampler); a coordinator started after the study is done exits 0 at
# once without writing to the journal.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

# launch_pair NP CONFIG TAG: two coordinators released together (within a few
# milliseconds) when the file $WORK/go appears
launch_pair() {
  local np=$1 cfg=$2 tag=$3 i
  rm -f "$WORK/go"
  PIDS=()
  for i in a b; do
    (
      while [ ! -e "$WORK/go" ]; do sleep 0.002; done
      if [ "$np" = 1 ]; then
        exec "$SRTUNE" run "$cfg" >"$WORK/$tag.$i.out" 2>"$WORK/$tag.$i.err"
      else
        exec "$MPIRUN" --oversubscribe -np "$np" "$SRTUNE" run "$cfg" >"$WORK/$tag.$i.out" 2>"$WORK/$tag.$i.err"
      fi
    ) &
    PIDS+=($!)
  done
  sleep 0.3
  : > "$WORK/go"
}

wait_pair() {
  local tag=$1 i=0 p
  for p in "${PIDS[@]}"; do
    wait "$p"
    RC=$?
    CHECKS=$((CHECKS + 1))
    [ "$RC" = 0 ] || { fail "$tag: coordinator $i exited $RC"; tail -n 5 "$WORK/$tag."*.err; }
    i=$((i + 1))
  done
}

check_study() { # DIR TAG REF_TABLE
  local dir=$1 tag=$2 ref=$3
  CHECKS=$((CHECKS + 1))
  n=$(grep -c '"op_code":0' "$dir/journal.log")
  [ "$n" = 1 ] || { fail "$tag: $n CREATE_STUDY lines, expected 1"; grep '"op_code":0' "$dir/journal.log"; }
  table "$dir" e2e-random --final > "$WORK/$tag.table"
  CHECKS=$((CHECKS + 1))
  [ "$(wc -l < "$WORK/$tag.table")" = 5 ] || { fail "$tag: expected 5 finished trials"; table "$dir" e2e-random; }
  CHECKS=$((CHECKS + 1))
  diff <(cut -d' ' -f3- "$ref" | sort) <(cut -d' ' -f3- "$WORK/$tag.table" | sort) >/dev/null ||
    { fail "$tag: values differ from a single run"; diff "$ref" "$WORK/$tag.table" | head; }
  CHECKS=$((CHECKS + 1))
  n=$(ls "$dir/coordinators/"*.json 2>/dev/null | wc -l)
  [ "$n" = 2 ] || fail "$tag: $n coordinator records, expected 2"
}

# 1. a quick study, many times: two single-process coordinators (no mpirun:
#    they start within a millisecond of each other) on a fresh directory
make_config random.json "$WORK/qref" "$WORK/qref.json"
run_study 1 "$WORK/qref.json"
expect_rc 0 "quick reference study"
table "$WORK/qref" e2e-random --final > "$WORK/qref.table"
for rep in 1 2 3 4 5 6; do
  make_config random.json "$WORK/q$rep" "$WORK/q$rep.json"
  launch_pair 1 "$WORK/q$rep.json" "q$rep"
  wait_pair "q$rep"
  check_study "$WORK/q$rep" "q$rep" "$WORK/qref.table"
done

# 2. two MPI coordinators (2 ranks each) on a slower study: both do work
slow='s/"niterations": 4/"niterations": 400/'
make_config random.json "$WORK/ref" "$WORK/ref.json" "$slow"
run_study 2 "$WORK/ref.json"
expect_rc 0 "reference study"
table "$WORK/ref" e2e-random --final > "$WORK/ref.table"
make_config random.json "$WORK/mpi" "$WORK/mpi.json" "$slow"
launch_pair 2 "$WORK/mpi.json" mpi
wait_pair mpi
check_study "$WORK/mpi" mpi "$WORK/ref.table"
CHECKS=$((CHECKS + 1))
workers=$(grep '"op_code":4' "$WORK/mpi/journal.log" | grep -o '"worker_id":"[^"]*"' | sort -u | wc -l)
[ "$workers" = 2 ] || fail "mpi: trials were created by $workers coordinators, expected both"

# 3. a third coordinator after the study is done: exits 0 at once, writes no journal line
lines=$(wc -l < "$WORK/mpi/journal.log")
t0=$(date +%s.%N)
run_study 2 "$WORK/mpi.json"
t1=$(date +%s.%N)
expect_rc 0 "a coordinator started after the study is done"
CHECKS=$((CHECKS + 1))
awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 10) }' || fail "the late coordinator took $(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}') s"
CHECKS=$((CHECKS + 1))
[ "$(wc -l < "$WORK/mpi/journal.log")" = "$lines" ] || fail "the late coordinator wrote to the journal"
finish
