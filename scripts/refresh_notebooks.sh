#!/usr/bin/env bash
# The one way notebook outputs are produced: run each notebook top to bottom in a fresh
# kernel and store what it printed. Usage: scripts/refresh_notebooks.sh [notebook ...]
# (default: every notebook, in order, so 03 saves the model that 05 onwards load).
set -euo pipefail
cd "$(dirname "$0")/.."
unset MPLBACKEND COLUMNS LINES  # they change stored outputs; the tests unset them too
if [ "$#" -eq 0 ]; then set -- notebooks/0*.ipynb; fi
for notebook in "$@"; do
  start=$(date +%s)
  # drop what a run would only re-create: the canvas' widget state and execution timestamps
  python - "$notebook" <<'PY'
import sys

import nbformat

notebook = nbformat.read(sys.argv[1], as_version=4)
notebook.metadata.pop("widgets", None)
for cell in notebook.cells:
    cell.metadata.pop("execution", None)
nbformat.write(notebook, sys.argv[1])
PY
  jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=1200 \
    --ExecutePreprocessor.kernel_name=python3 \
    --ExecutePreprocessor.store_widget_state=False \
    --ExecutePreprocessor.record_timing=False "$notebook"
  seconds=$(( $(date +%s) - start ))
  # how long the cells computed, for the lesson's estimated time (scripts/lesson_length.py)
  python - "$notebook" "$seconds" <<'PY'
import sys

import nbformat

notebook = nbformat.read(sys.argv[1], as_version=4)
notebook.metadata.setdefault("mnist", {})["run_seconds"] = int(sys.argv[2])
nbformat.write(notebook, sys.argv[1])
PY
  echo "$notebook: $seconds s"
done
