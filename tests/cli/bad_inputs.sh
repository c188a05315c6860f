#!/usr/bin/env bash
# The bad-input catalogue (tests/bad_inputs/run.sh: broken journals, configs,
# names, catalogues, CSV files, output directories, full disks, stale locks,
# corrupt run files) as one ctest: each case checks its exit code, its message
# and the bytes already on disk.
set -u
exec bash "${SRTUNE_SOURCE_DIR:?SRTUNE_SOURCE_DIR not set}/tests/bad_inputs/run.sh"
