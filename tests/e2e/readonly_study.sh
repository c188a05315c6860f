#!/usr/bin/env bash
# Read-only commands on a study nobody may write to (docs/reliability.md):
# `status`, `best`, `export --out ELSEWHERE`, `report --out ELSEWHERE` and
# `validate` work (exit 0) and change no byte of the study
#   1. as a user without write permission (root runs them as `nobody`);
#   2. on a read-only mount (a tmpfs remounted ro; root only).
# Where neither is possible (not root) it prints why and exits 77 (skipped);
# where only the mount is refused it says so and checks the first part.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
export SRTUNE_NO_PROGRESS=1

if [ "$(id -u)" != 0 ]; then
  echo "skipped: needs root (to run as another user and to mount a tmpfs read-only)"
  exit 77
fi

tiny=('s/"n_trials": 5/"n_trials": 2/'
      's/"I.12.1", "I.14.3", "I.25.13"/"I.12.1"/'
      's/"n_runs": 2/"n_runs": 1/'
      's/"niterations": 4/"niterations": 2/')
chmod 755 "$WORK"
make_config random.json "$WORK/study" "$WORK/study.json" "${tiny[@]}"
run_study 1 "$WORK/study.json"
expect_rc 0 "the study"
chmod 644 "$WORK/study.json"

digest() { (cd "$1" && find . -printf '%p %s %T@\n' | sort; find . -type f -exec md5sum {} + | sort); }

# read_only_commands LABEL DIR CONFIG RUNNER...: the five commands via RUNNER
read_only_commands() {
  local label=$1 dir=$2 cfg=$3
  shift 3
  local elsewhere
  elsewhere=$(mktemp -d "${TMPDIR:-/tmp}/srtune-ro-out-XXXXXX")
  chmod 777 "$elsewhere"
  local before
  before=$(digest "$dir")
  for cmd in "status $dir" "best $dir --format pysr" "export $dir --out $elsewhere/trials.csv" \
             "report $dir --out $elsewhere/report" "validate $cfg"; do
    # shellcheck disable=SC2086
    "$@" "$SRTUNE" $cmd >"$WORK/out" 2>"$WORK/err"
    RC=$?
    expect_rc 0 "$label: srtune $cmd"
  done
  CHECKS=$((CHECKS + 2))
  [ -s "$elsewhere/trials.csv" ] || fail "$label: export wrote no trials.csv"
  [ -s "$elsewhere/report/index.html" ] || fail "$label: report wrote no index.html"
  CHECKS=$((CHECKS + 1))
  [ "$(digest "$dir")" = "$before" ] || fail "$label: the study directory changed"
  rm -rf "$elsewhere"
}

# 1. another user, no write permission anywhere in the study
CHECKS=$((CHECKS + 1))
if runuser -u nobody -- test -w "$WORK/study/journal.log"; then
  fail "nobody can write the journal: the test proves nothing"
fi
read_only_commands "as nobody" "$WORK/study" "$WORK/study.json" runuser -u nobody --

# 2. a read-only mount
mnt="$WORK/mnt"
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=64m tmpfs "$mnt" 2>"$WORK/mount.err"; then
  echo "skipped part 2: cannot mount a tmpfs here: $(head -1 "$WORK/mount.err")"
  finish
  exit $?
fi
trap 'umount "$mnt" 2>/dev/null; rm -rf "$WORK"' EXIT
cp -a "$WORK/study" "$mnt/study"
sed "s|$WORK/study|$mnt/study|" "$WORK/study.json" > "$WORK/mnt.json"
cp "$WORK/mnt.json" "$mnt/study.json"
mount -o remount,ro "$mnt"
CHECKS=$((CHECKS + 1))
touch "$mnt/study/x" 2>/dev/null && fail "the remounted tmpfs is writable"
read_only_commands "read-only mount" "$mnt/study" "$mnt/study.json"
# a run there fails cleanly: exit 1 naming the file and the error
run_study 1 "$mnt/study.json"
CHECKS=$((CHECKS + 1))
[ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "run on a read-only mount: exit $RC, expected 0 (done) or 1"
umount "$mnt"
finish
