#!/usr/bin/env python3
"""Loads many copies of one study's journal with Debian's Optuna 3.1 in one
process (a python start per journal would cost more than the study) and prints
one line per journal:
  NAME load-ok RUNNING=<n> FINAL=<sorted 'value params' of COMPLETE/PRUNED trials, ';'-joined>
or NAME load-failed <exception> when Optuna cannot load it.
Usage: journals_check.py STUDY JOURNAL..."""
import sys
import warnings

import optuna

warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
optuna.logging.set_verbosity(optuna.logging.WARNING)

name = sys.argv[1]
for path in sys.argv[2:]:
    label = path.rsplit("/", 1)[-1]
    try:
        storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
        study = optuna.load_study(study_name=name, storage=storage)
        trials = study.get_trials(deepcopy=False)
    except Exception as e:  # noqa: BLE001 - any failure to load is the finding
        print(label, "load-failed", type(e).__name__, str(e).replace("\n", " ")[:200])
        continue
    running = sum(t.state == optuna.trial.TrialState.RUNNING for t in trials)
    final = sorted(
        f"{t.value!r} " + " ".join(f"{k}={v!r}" for k, v in sorted(t.params.items()))
        for t in trials
        if t.state in (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED)
    )
    print(label, "load-ok", f"RUNNING={running}", "FINAL=" + ";".join(final))
