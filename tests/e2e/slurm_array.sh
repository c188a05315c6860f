#!/usr/bin/env bash
# A real (local, single-node) SLURM cluster: tools/submit submits a 3-task
# array of 2-rank MPI jobs (jobscripts/srtune-array.sbatch, mpirun) on one
# study; one task gets `scancel --signal=USR1 --batch` mid-way, stops cleanly
# (exit 75) and requeues itself. The study must complete with every trial
# exactly once COMPLETE and the values of a single uninterrupted run (random
# sampler); `srtune status` lists the array tasks next to their trials.
# Before the cluster: the job scripts' syntax, tools/submit --dry-run rendering
# and its refusal of injected values, and `srtune status` joined with a fake
# squeue (argv, timeout, absence).
# Needs root (the cluster runs as root). Exits 77 (skipped) with a message
# where the cluster cannot start (no root, no slurm packages and no apt).
# The cluster (tests/slurm/local-slurm.sh: /etc/slurm, /var/spool/slurm*,
# 6 advertised CPUs) is stopped at the end if this test started it.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

skip() {
  if [ "$FAILURES" != 0 ]; then echo "(cluster part skipped: $*)"; finish; exit 1; fi
  echo "SKIP: $*"; exit 77
}

# the two job scripts share their body
CHECKS=$((CHECKS + 1))
diff <(sed -n '/^# ---- body/,$p' "$SRC/jobscripts/srtune-array.sbatch") \
  <(sed -n '/^# ---- body/,$p' "$SRC/jobscripts/srtune-single.sbatch") >/dev/null ||
  fail "jobscripts/srtune-array.sbatch and srtune-single.sbatch bodies differ"
for s in "$SRC"/jobscripts/*.sbatch; do
  CHECKS=$((CHECKS + 1))
  bash -n "$s" || fail "$s: syntax error"
done

# tools/submit without a cluster: rendering, and values that could inject
make_config random.json "$WORK/dry" "$WORK/dry.json"
"$SRC/tools/submit" "$WORK/dry.json" --ntasks 2 --time 1:00:00 --partition debug --signal-lead 90 \
  --srtune "$SRTUNE" --dry-run >"$WORK/out" 2>"$WORK/err"
RC=$?
expect_rc 0 "submit --dry-run (single job)"
expect_out '^# rendered srtune-single.sbatch' "the single-job script is rendered"
expect_out '^#SBATCH --signal=B:USR1@90$' "the signal lead is rendered"
expect_out '^#SBATCH --partition=debug$' "the partition is rendered"
CHECKS=$((CHECKS + 1))
! grep -q -- '--array' "$WORK/out" || fail "a single job has an --array line"
"$SRC/tools/submit" "$WORK/dry.json" --array 4%2 --ntasks 3 --time 10 --srtune "$SRTUNE" --dry-run >"$WORK/out" 2>"$WORK/err"
RC=$?
expect_rc 0 "submit --dry-run (array)"
expect_out '^#SBATCH --array=0-3%2$' "--array 4%2 renders 0-3%2"
for bad in "--array 3;id" "--time 5\$(id)" "--partition a b" "--signal-lead -1" "--job-name x\`id\`"; do
  # shellcheck disable=SC2086
  opt=${bad%% *} val=${bad#* }
  "$SRC/tools/submit" "$WORK/dry.json" --ntasks 2 --time 5 "$opt" "$val" --srtune "$SRTUNE" --dry-run \
    >"$WORK/out" 2>"$WORK/err"
  RC=$?
  expect_rc 2 "submit rejects $opt '$val'"
done

# srtune status without a cluster: a coordinator record with SLURM ids (from
# the environment, as under sbatch) joined with a fake squeue's rows
make_config random.json "$WORK/fake" "$WORK/fake.json"
SLURM_JOB_ID=77 SLURM_ARRAY_JOB_ID=70 SLURM_ARRAY_TASK_ID=3 SLURM_JOB_NAME=t "$SRTUNE" run "$WORK/fake.json" \
  >/dev/null 2>&1
RC=$?
expect_rc 0 "a quick study with SLURM ids in the environment"
cat > "$WORK/squeue" <<EOF
#!/bin/sh
printf '%s\n' "\$@" > "$WORK/squeue.args"
printf '70_3|77|70|3|RUNNING|node7|1:02:03|None\n70_4|78|70|4|PENDING||2:00:00|Resources\n'
EOF
chmod +x "$WORK/squeue"
SRTUNE_SQUEUE=$WORK/squeue run_srtune status "$WORK/fake"
expect_rc 0 "status with a fake squeue"
expect_out 'coordinators: 0 running, 1 finished' "status counts the coordinator"
expect_out 'exit 0 +70_3 +RUNNING +node7 +1:02:03 +-$' "status joins the record with its squeue row"
expect_out '70_4 +PENDING +- +2:00:00 +Resources' "status lists the array task without a coordinator"
CHECKS=$((CHECKS + 1))
[ "$(tr '\n' ' ' < "$WORK/squeue.args")" = "--noheader --array --format %i|%A|%F|%K|%T|%N|%L|%r --jobs 70 " ] ||
  fail "squeue arguments: $(cat "$WORK/squeue.args")"
printf '#!/bin/sh\nsleep 20\n' > "$WORK/squeue"
t0=$(date +%s)
SRTUNE_SQUEUE=$WORK/squeue SRTUNE_SQUEUE_TIMEOUT=1 run_srtune status "$WORK/fake"
expect_rc 0 "status with a squeue that hangs"
CHECKS=$((CHECKS + 1))
[ $(($(date +%s) - t0)) -le 4 ] || fail "status waited $(($(date +%s) - t0)) s for a hanging squeue"
CHECKS=$((CHECKS + 1))
grep -q 'SLURM JOB' "$WORK/out" && ! grep -q 'JOB STATE' "$WORK/out" ||
  { fail "status after a squeue timeout: SLURM JOB column only expected"; cat "$WORK/out"; }
SRTUNE_SQUEUE=/nonexistent/squeue run_srtune status "$WORK/fake"
expect_rc 0 "status without squeue"
CHECKS=$((CHECKS + 1))
! grep -q 'JOB STATE' "$WORK/out" && [ ! -s "$WORK/err" ] ||
  { fail "status without squeue printed SLURM states or errors"; cat "$WORK/out" "$WORK/err"; }

CLUSTER=$SRC/tests/slurm/local-slurm.sh
[ "$(id -u)" = 0 ] || skip "the local SLURM cluster needs root"
[ -f "$CLUSTER" ] || skip "$CLUSTER missing"

JOB=""
STARTED_CLUSTER=0
cleanup() {
  if [ -n "$JOB" ] && command -v scancel >/dev/null 2>&1; then scancel "$JOB" 2>/dev/null; fi
  if [ "$STARTED_CLUSTER" = 1 ]; then
    # give cancelled jobs a moment to leave, then stop the daemons
    for _ in $(seq 1 20); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
    bash "$CLUSTER" stop >/dev/null 2>&1
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# one instance at a time per machine (ctest -j, several build trees): the
# instance that started the cluster stops it at its end
# (the daemons must not inherit the lock: they start with fd 9 closed)
exec 9>"${TMPDIR:-/tmp}/srtune-slurm-test.lock"
flock -w 900 9 || skip "another instance of this test held the lock for 15 minutes"
running_before=0
if [ -f /run/slurmctld.pid ] && kill -0 "$(cat /run/slurmctld.pid)" 2>/dev/null; then running_before=1; fi
[ "$running_before" = 1 ] || STARTED_CLUSTER=1
# 6 advertised CPUs on any machine, so that the three 2-rank tasks run side by
# side; a short KillWait keeps cancelled jobs from lingering.
if ! SLURM_CPUS=6 SLURM_KILLWAIT=5 SLURM_WAIT_S=60 bash "$CLUSTER" start >"$WORK/cluster.log" 2>&1 9>&-; then
  tail -n 15 "$WORK/cluster.log"
  skip "the local SLURM cluster could not start (log above)"
fi
command -v sbatch >/dev/null || skip "sbatch missing after the cluster start"

# a study slow enough (about 0.5 s per SR run) that a signal lands mid-way
slow='s/"niterations": 4/"niterations": 1500/'
more='s/"n_trials": 5/"n_trials": 8/'
make_config random.json "$WORK/ref" "$WORK/ref.json" "$slow" "$more"
run_study 3 "$WORK/ref.json"
expect_rc 0 "reference study"
table "$WORK/ref" e2e-random --final > "$WORK/ref.table"

out="$WORK/arr"
make_config random.json "$out" "$WORK/arr.json" "$slow" "$more"
mkdir -p "$WORK/logs"
export SRTUNE_LAUNCHER=mpirun SRTUNE_LOG_LEVEL=info   # inherited by the jobs (sbatch --export=ALL)
JOB=$("$SRC/tools/submit" "$WORK/arr.json" --array 3 --ntasks 2 --time 10 --signal-lead 60 \
  --srtune "$SRTUNE" --log-dir "$WORK/logs" 2>"$WORK/submit.err")
RC=$?
CHECKS=$((CHECKS + 1))
[ "$RC" = 0 ] && [[ $JOB =~ ^[0-9]+$ ]] || { fail "tools/submit: rc $RC, output '$JOB'"; cat "$WORK/submit.err"; exit 1; }
echo "submitted array job $JOB"

runs_done() { find "$out/trials" -name tensorboard_scalars.csv 2>/dev/null | wc -l; }
task_state() { squeue -h -r -j "$JOB" -o '%K %T' 2>/dev/null | awk -v t="$1" '$1 == t {print $2}'; }

# wait until task 1 runs and some runs are finished, then signal its batch shell
signalled=0
for _ in $(seq 1 600); do
  if [ "$(task_state 1)" = RUNNING ] && [ "$(runs_done)" -ge 6 ]; then
    # status while the jobs run: coordinators with their SLURM job and trials
    "$SRTUNE" status "$out" >"$WORK/status.running" 2>&1
    scancel --signal=USR1 --batch "${JOB}_1" && signalled=1
    break
  fi
  sleep 0.2
done
CHECKS=$((CHECKS + 1))
[ "$signalled" = 1 ] || fail "task 1 never ran next to finished runs (squeue: $(squeue -h -r 2>&1 | head -3))"
n_at_signal=$(runs_done)
echo "signalled ${JOB}_1 with $n_at_signal of 48 runs done"

# wait for the whole array to leave the queue (about a minute here; at most
# 10 minutes for slow builds such as ASan)
for _ in $(seq 1 1200); do
  [ -z "$(squeue -h -r -j "$JOB" 2>/dev/null)" ] && break
  sleep 0.5
done
CHECKS=$((CHECKS + 1))
left=$(squeue -h -r -j "$JOB" 2>/dev/null)
[ -z "$left" ] || fail "array $JOB still queued after 10 minutes: $left"
"$SRTUNE" status "$out" >"$WORK/status.done" 2>&1

log1=$(ls "$WORK"/logs/*_1.out 2>/dev/null | head -1)
CHECKS=$((CHECKS + 1))
[ "$n_at_signal" -lt 48 ] || fail "the study finished before the signal; the test proves nothing"
CHECKS=$((CHECKS + 1))
grep -q 'srtune exited 75 after SIGUSR1' "$log1" && grep -q "requeueing ${JOB}_1" "$log1" ||
  { fail "task 1 did not stop with 75 and requeue itself"; tail -n 20 "$log1"; }
CHECKS=$((CHECKS + 1))
grep -q 'start: restart 1' "$log1" || { fail "task 1 was not restarted after its requeue"; tail -n 20 "$log1"; }
CHECKS=$((CHECKS + 1))
grep -Eq "JobId=[0-9]+ .*JobState=PENDING" /var/log/slurm/jobcomp.log 2>/dev/null ||
  fail "jobcomp.log has no requeue (PENDING) record"
for t in 0 1 2; do
  f=$(ls "$WORK"/logs/*_"$t".out 2>/dev/null | head -1)
  CHECKS=$((CHECKS + 1))
  [ -n "$f" ] && tail -n 3 "$f" | grep -q 'study done' ||
    { fail "task $t did not end with 'study done'"; [ -n "$f" ] && tail -n 10 "$f"; }
done

# the study: every trial once COMPLETE, values as the uninterrupted run
table "$out" e2e-random > "$WORK/arr.all"
table "$out" e2e-random --final > "$WORK/arr.table"
CHECKS=$((CHECKS + 1))
[ "$(wc -l < "$WORK/arr.table")" = 8 ] || { fail "expected 8 finished trials"; cat "$WORK/arr.all"; }
CHECKS=$((CHECKS + 1))
[ "$(cut -d' ' -f1 "$WORK/arr.table" | sort | uniq -d)" = "" ] || fail "a trial number finished twice"
CHECKS=$((CHECKS + 1))
diff <(cut -d' ' -f3- "$WORK/ref.table" | sort) <(cut -d' ' -f3- "$WORK/arr.table" | sort) >/dev/null ||
  { fail "values differ from the uninterrupted study"; diff "$WORK/ref.table" "$WORK/arr.table" | head; }
CHECKS=$((CHECKS + 1))
[ "$(grep -c '"op_code":0' "$out/journal.log")" = 1 ] || fail "more than one CREATE_STUDY line"

# coordinator records: one per launch (3 tasks + the restart), all with SLURM ids
CHECKS=$((CHECKS + 1))
n_rec=$(ls "$out"/coordinators/*.json 2>/dev/null | wc -l)
[ "$n_rec" -ge 4 ] || fail "expected >= 4 coordinator records, got $n_rec"
CHECKS=$((CHECKS + 1))
[ "$(grep -l "\"slurm_array_job_id\": \"$JOB\"" "$out"/coordinators/*.json | wc -l)" = "$n_rec" ] ||
  fail "a coordinator record lacks the array job id $JOB"

# srtune status: the coordinators block with SLURM columns, while running and after
CHECKS=$((CHECKS + 1))
grep -q 'coordinators: ' "$WORK/status.running" && grep -q 'SLURM JOB' "$WORK/status.running" &&
  grep -Eq "${JOB}_[0-2] +RUNNING +[^ ]+ +[0-9:-]+ +([0-9 ]+)$" "$WORK/status.running" ||
  { fail "status while running lacks the SLURM jobs with their trials"; cat "$WORK/status.running"; }
CHECKS=$((CHECKS + 1))
grep -q "${JOB}_1 .*exit 75" "$WORK/status.done" 2>/dev/null ||
  grep -Eq "exit 75 \(stopped\) +${JOB}_1" "$WORK/status.done" ||
  { fail "status after the study lacks task 1's stopped coordinator"; cat "$WORK/status.done"; }
CHECKS=$((CHECKS + 1))
grep -Eq 'running, [0-9]+ finished' "$WORK/status.done" && ! grep -q ' running  *[0-9]' "$WORK/status.done" ||
  { fail "status after the study shows a running coordinator"; cat "$WORK/status.done"; }
echo "--- srtune status while the array ran:"
cat "$WORK/status.running"
finish
