#!/usr/bin/env python3
"""Prints 'number value' of the best trial as Optuna 3.1 sees an srtune journal."""
import sys
import warnings

import optuna

warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
study = optuna.load_study(study_name=sys.argv[2], storage=storage)
print(study.best_trial.number, repr(study.best_value))
