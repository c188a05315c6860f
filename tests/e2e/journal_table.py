#!/usr/bin/env python3
"""Prints a study's trials as Optuna (Debian's python3-optuna) sees them in an
srtune journal: one line per trial, 'number state value params', values with
repr() so that bit-for-bit equality can be compared with diff.
Usage: journal_table.py JOURNAL STUDY [--final]  (--final: only COMPLETE/PRUNED)"""
import sys
import warnings

import optuna

warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

optuna.logging.set_verbosity(optuna.logging.WARNING)
journal, name = sys.argv[1], sys.argv[2]
final = "--final" in sys.argv
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(journal))
study = optuna.load_study(study_name=name, storage=storage)
for t in study.get_trials(deepcopy=False):
    if final and t.state not in (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED):
        continue
    params = " ".join(f"{k}={v!r}" for k, v in sorted(t.params.items()))
    print(t.number, t.state.name, repr(t.value), params)
