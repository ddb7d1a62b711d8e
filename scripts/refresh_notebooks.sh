#!/usr/bin/env bash
# The one way notebook outputs are produced: run each notebook top to bottom in a fresh
# kernel and store what it printed. Usage: scripts/refresh_notebooks.sh [notebook ...]
# (default: every notebook, in order, so 03 saves the model that 04 onwards load).
set -euo pipefail
cd "$(dirname "$0")/.."
unset MPLBACKEND COLUMNS LINES  # they change stored outputs; the tests unset them too
if [ "$#" -eq 0 ]; then set -- notebooks/0*.ipynb; fi
for notebook in "$@"; do
  start=$(date +%s)
  jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=1200 \
    --ExecutePreprocessor.kernel_name=python3 \
    --ExecutePreprocessor.store_widget_state=False "$notebook"
  echo "$notebook: $(( $(date +%s) - start )) s"
done
