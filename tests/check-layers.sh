#!/usr/bin/env bash
# Enforces the layering rule of docs/architecture: only src/cluster calls MPI,
# only src/config and src/study use cJSON, and sr/ and data/ never include
# study, runner or cluster headers. Fails (exit 1) listing every offending line.
set -u
root=${1:-.}
cd "$root/src" || exit 2
bad=0
report() { echo "layering violation: $1"; bad=1; }
while IFS= read -r hit; do report "MPI outside src/cluster: $hit"; done < \
  <(grep -rnE '#include *<mpi\.h>|\bMPI_[A-Z][a-z_]+\(' --include='*.c' --include='*.h' . | grep -v '^\./cluster/')
while IFS= read -r hit; do report "cJSON outside config/study: $hit"; done < \
  <(grep -rnE '#include *<cjson/cJSON\.h>' --include='*.c' --include='*.h' . | grep -vE '^\./(config|study)/')
while IFS= read -r hit; do report "sr/ or data/ depends on an upper layer: $hit"; done < \
  <(grep -rnE '#include *"srtune/(study|runner|cluster|config)\.h"' sr data 2>/dev/null)
while IFS= read -r hit; do report "MPI in a public header outside cluster: $hit"; done < \
  <(grep -rnE '#include *<mpi\.h>' ../include | grep -v 'cluster\.h')
if [ $bad = 0 ]; then echo "layers ok"; fi
exit $bad
