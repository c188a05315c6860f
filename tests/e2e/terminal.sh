#!/usr/bin/env bash
# `srtune run --np N` and plain mpirun in a real terminal (tmux): the progress
# line shows and is never glued to a log line; Ctrl-C stops cleanly with 75
# and the study resumes; a second Ctrl-C escalates and says so; SIGHUP and
# SIGTERM to the launcher are the clean stop too; SRTUNE_PROGRESS=never and a
# pipe draw nothing; the launcher passes the job's exit code on (3, 0).
# Skips (77) without tmux.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
export SRTUNE_LOG_LEVEL=info

if ! command -v tmux >/dev/null 2>&1; then
  echo "SKIP: tmux not installed (tools/install-deps installs it)"
  exit 77
fi
SOCK="$WORK/tmux.sock"
T() { tmux -S "$SOCK" "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$WORK"' EXIT

slow='s/"niterations": 4/"niterations": 200/'
more='s/"n_trials": 5/"n_trials": 12/'

# start_pane NAME COMMAND...: runs the command in a new 200x50 terminal; the
# pane writes EXIT=<code> when it ends and keeps the screen.
start_pane() {
  local name=$1
  shift
  printf '%q ' "$@" > "$WORK/$name.cmd"
  T new-session -d -s "$name" -x 200 -y 50 \
    "cd '$WORK' && $(cat "$WORK/$name.cmd"); echo EXIT=\$?; trap '' INT; sleep 600"
}
screen() { T capture-pane -p -J -S -200 -t "$1"; }
# wait_for NAME REGEX [SECONDS]: polls the screen until it matches
wait_for() {
  local i
  for i in $(seq 1 $((${3:-120} * 10))); do
    screen "$1" | grep -Eq -- "$2" && return 0
    sleep 0.1
  done
  fail "$1: the screen never showed /$2/"
  screen "$1" | tail -15 | sed 's/^/  screen: /'
  return 1
}
exit_of() { screen "$1" | sed -n 's/^EXIT=\([0-9]*\).*/\1/p' | tail -1; }
# a log line glued behind the progress line: "best 1.23" followed by a timestamp
no_glue() {
  CHECKS=$((CHECKS + 1))
  if screen "$1" | grep -Eq 'best [^ ]*[0-9]{4}-[0-9]{2}-[0-9]{2}T|\] trials .*[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z (rank=| INFO)'; then
    fail "$1: a log line is glued to the progress line"
    screen "$1" | grep -E 'trials .*[0-9]{4}-' | head -3 | sed 's/^/  screen: /'
  fi
}
env_prefix=(env SRTUNE_LOG_LEVEL=info OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  OMPI_MCA_btl_vader_single_copy_mechanism=none SRTUNE_DATA_DIR="${SRTUNE_DATA_DIR:-$SRC/data}")

# ---- 1. the launcher: progress line, Ctrl-C -> 75, relaunch completes
make_config random.json "$WORK/a" "$WORK/a.json" "$slow" "$more"
start_pane a "${env_prefix[@]}" "$SRTUNE" run "$WORK/a.json" --np 3
wait_for a '\] trials [0-9]+/12 \([0-9]+ pruned, [0-9]+ failed.*runs [0-9]+/[0-9]+ +ETA' 120
wait_for a 'trial [0-9]+ COMPLETE' 120
T send-keys -t a C-c
wait_for a 'stopping cleanly' 20
wait_for a '^EXIT=' 120
CHECKS=$((CHECKS + 1))
[ "$(exit_of a)" = 75 ] || { fail "launcher, Ctrl-C: exit $(exit_of a), expected 75"; screen a | tail -8; }
CHECKS=$((CHECKS + 1))
screen a | grep -q 'interrupted' || fail "launcher, Ctrl-C: no interrupted trial shown"
CHECKS=$((CHECKS + 1))
screen a | grep -q 'job has been aborted' && fail "launcher: mpirun's abort banner reached the terminal"
no_glue a
run_srtune status "$WORK/a.json"
expect_rc 0 "status CONFIG after Ctrl-C"
expect_out '[1-9][0-9]* interrupted' "status counts the interrupted trials apart"
expect_out ', 0 failed' "status: interrupted trials are not failed ones"
"$SRTUNE" run "$WORK/a.json" --np 3 >"$WORK/a2.out" 2>"$WORK/a2.err"
RC=$?
expect_rc 0 "relaunch with the launcher (not on a terminal)"
CHECKS=$((CHECKS + 1))
grep -q $'\r' "$WORK/a2.err" && fail "launcher on a pipe drew a progress line"
run_srtune status "$WORK/a"
expect_out '12 finished of n_trials 12' "the relaunch finishes the study"
expect_out 'ETA done' "status: ETA done"
run_srtune report "$WORK/a.json"
expect_rc 0 "report after an interrupted study"
CHECKS=$((CHECKS + 1))
grep -Eq ', 0 failed, [1-9][0-9]* interrupted' "$WORK/a/report/index.html" ||
  fail "the report counts interrupted trials apart from failed ones"
# a retry copy that completed carries no error attribute
CHECKS=$((CHECKS + 1))
"$PYTHON" - "$WORK/a/journal.log" <<'EOF' || fail "a COMPLETE trial carries srtune:error"
import sys, optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
st = optuna.load_study(study_name="e2e-random", storage=optuna.storages.JournalStorage(
    optuna.storages.JournalFileStorage(sys.argv[1])))
bad = [t.number for t in st.trials
       if t.state == optuna.trial.TrialState.COMPLETE and "srtune:error" in t.user_attrs]
retried = [t for t in st.trials if "failed_trial" in t.system_attrs]
if bad or not retried:
    print("COMPLETE with srtune:error:", bad, "retry copies:", len(retried))
    sys.exit(1)
EOF

# ---- 2. two Ctrl-C within 5 s: escalation, said on the screen (iterations of
# seconds, so that the clean stop is still under way at the second Ctrl-C)
make_config random.json "$WORK/b" "$WORK/b.json" "$slow" "$more" \
  's/"ncycles_per_iteration": 40/"ncycles_per_iteration": 100000/'

start_pane b "${env_prefix[@]}" "$SRTUNE" run "$WORK/b.json" --np 3
wait_for b '\] trials [0-9]+/12' 120
T send-keys -t b C-c
wait_for b 'stopping cleanly' 20
T send-keys -t b C-c
wait_for b 'again: stopping at once' 20
wait_for b '^EXIT=' 120
CHECKS=$((CHECKS + 1))
case "$(exit_of b)" in 75) ;; *) fail "escalated stop: exit $(exit_of b), expected 75" ;; esac

# ---- 3. plain mpirun: SRTUNE_PROGRESS=always draws through mpirun's pipe
make_config random.json "$WORK/c" "$WORK/c.json" "$slow" "$more"
start_pane c "${env_prefix[@]}" SRTUNE_PROGRESS=always "$MPIRUN" --oversubscribe -np 3 \
  "$SRTUNE" run "$WORK/c.json"
wait_for c '\] trials [0-9]+/12 \(' 120
wait_for c 'trial [0-9]+ COMPLETE' 120
no_glue c
pkill_target=$(pgrep -f "^$MPIRUN --oversubscribe -np 3 $SRTUNE run $WORK/c.json" | head -1)
CHECKS=$((CHECKS + 1))
if [ -n "$pkill_target" ]; then
  kill -USR1 "$pkill_target"
  wait_for c '^EXIT=' 120
  [ "$(exit_of c)" = 75 ] || fail "plain mpirun, SIGUSR1: exit $(exit_of c), expected 75"
  no_glue c
else
  fail "plain mpirun: no mpirun process found"
fi

# Ctrl-C under plain mpirun: mpirun turns it into SIGTERM and kills the ranks
# a second later (exit 1, its own behaviour: the launcher is the fix); the
# study is intact and a relaunch finishes it
make_config random.json "$WORK/c2" "$WORK/c2.json" "$slow" "$more"
start_pane c2 "${env_prefix[@]}" SRTUNE_PROGRESS=always "$MPIRUN" --oversubscribe -np 3 \
  "$SRTUNE" run "$WORK/c2.json"
wait_for c2 '\] trials [0-9]+/12 \(' 120
T send-keys -t c2 C-c
wait_for c2 '^EXIT=' 120
CHECKS=$((CHECKS + 1))
[ "$(exit_of c2)" != 0 ] || fail "plain mpirun, Ctrl-C: exit 0"
no_glue c2
sleep 5 # trials killed mid-way stay RUNNING until heartbeat_grace_s (4 s) passes
"$SRTUNE" run "$WORK/c2.json" --np 3 >"$WORK/c2.out" 2>"$WORK/c2.err"
RC=$?
expect_rc 0 "relaunch after Ctrl-C under plain mpirun"
run_srtune status "$WORK/c2"
expect_out '12 finished of n_trials 12' "the relaunch after plain mpirun's Ctrl-C finishes the study"

# ---- 4. SRTUNE_PROGRESS=never: no progress line on the terminal
make_config random.json "$WORK/d" "$WORK/d.json"
start_pane d "${env_prefix[@]}" SRTUNE_PROGRESS=never "$SRTUNE" run "$WORK/d.json" --np 2
wait_for d '^EXIT=' 120
CHECKS=$((CHECKS + 1))
[ "$(exit_of d)" = 0 ] || fail "SRTUNE_PROGRESS=never: exit $(exit_of d)"
CHECKS=$((CHECKS + 1))
screen d | grep -q '\] trials ' && fail "SRTUNE_PROGRESS=never: a progress line was drawn"
# the lone process on a terminal ends its line before the last log line
make_config random.json "$WORK/e" "$WORK/e.json"
start_pane e "${env_prefix[@]}" "$SRTUNE" run "$WORK/e.json"
wait_for e '^EXIT=' 120
CHECKS=$((CHECKS + 1))
[ "$(exit_of e)" = 0 ] || fail "lone run on a terminal: exit $(exit_of e)"
wait_for e '\] trials 5/5 .*ETA done' 5
no_glue e

# ---- 5. SIGHUP, SIGTERM and SIGUSR1 (the job scripts) to the launcher, not on a
# terminal: clean stop, 75
for sig in HUP TERM USR1; do
  make_config random.json "$WORK/s$sig" "$WORK/s$sig.json" "$slow" "$more"
  "$SRTUNE" run "$WORK/s$sig.json" --np 3 >"$WORK/s$sig.out" 2>"$WORK/s$sig.err" &
  pid=$!
  for _ in $(seq 1 1200); do
    n=$(find "$WORK/s$sig/trials" -name tensorboard_scalars.csv 2>/dev/null | wc -l)
    [ "$n" -ge 2 ] && break
    sleep 0.1
  done
  kill -"$sig" "$pid"
  wait "$pid"
  RC=$?
  cp "$WORK/s$sig.err" "$WORK/err"
  expect_rc 75 "SIG$sig to the launcher"
  expect_err "SIG$sig: stopping cleanly" "SIG$sig to the launcher says what it does"
done

# ---- 6. exit codes pass through: an invalid config is refused before mpirun
sed 's/"maxsize": 15/"maxsize": 3/' "$WORK/d.json" > "$WORK/bad.json"
run_srtune run "$WORK/bad.json" --np 2
expect_rc 3 "launcher, invalid config"
expect_err 'maxsize' "launcher, invalid config names the key"
run_srtune run "$WORK/d.json" --np 0
expect_rc 2 "launcher, --np 0"
finish
