# Helpers for end-to-end tests (sourced after tests/cli/lib.sh).
MPIRUN=${MPIRUN:-mpirun}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
export SRTUNE_LOG_LEVEL=${SRTUNE_LOG_LEVEL:-warn}

# make_config TEMPLATE OUTDIR DEST [sed expressions...]
make_config() {
  local template=$1 out=$2 dest=$3
  shift 3
  sed "s|OUTPUT_DIR|$out|" "$SRC/tests/data/e2e/$template" > "$dest"
  for expr in "$@"; do sed -i "$expr" "$dest"; done
}

# run_study NP CONFIG: runs srtune under mpirun (NP > 1) or alone (NP = 1).
run_study() {
  local np=$1 cfg=$2
  if [ "$np" = 1 ]; then
    "$SRTUNE" run "$cfg" >"$WORK/run.out" 2>"$WORK/run.err"
  else
    "$MPIRUN" --oversubscribe -np "$np" "$SRTUNE" run "$cfg" >"$WORK/run.out" 2>"$WORK/run.err"
  fi
  RC=$?
}

# Debian's python3 (with python3-optuna), not whatever python3 is first on PATH.
PYTHON=${SRTUNE_PYTHON:-/usr/bin/python3}
table() { "$PYTHON" "$SRC/tests/e2e/journal_table.py" "$1/journal.log" "$2" ${3:-}; }

# Finished runs with their inode and mtime: unchanged after a resume means
# "not computed again".
finished_runs() {
  find "$1" -name tensorboard_scalars.csv -printf '%p %i %T@\n' 2>/dev/null | sort
}
