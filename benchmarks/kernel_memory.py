"""The most memory a notebook's kernel holds (its peak resident set, VmHWM), notebook by notebook.

    python benchmarks/kernel_memory.py notebooks/0*.ipynb            # full runs
    python benchmarks/kernel_memory.py --cut notebooks/07*.ipynb      # training cut, as the grader runs
    python benchmarks/kernel_memory.py --limit 1000 notebooks/0*.ipynb  # exit 1 if a kernel peaks above 1,000 MB

Runs each notebook from a fresh kernel (in a temporary models folder) and reads the kernel's
``/proc/self/status`` at the end (Linux). The class hub's per-student limits
(classroom/hub/__init__.py, notebooks/TEACHING.md) come from these figures. With ``--cut`` every
``fit`` stops after a few steps (classroom/cut.py): the data, the networks and TensorFlow take the
same memory, so the peak differs little, and it takes a minute instead of the notebook's full time.
``--limit`` keeps every notebook within Binder's guaranteed 1 GB (the default, 1,000 MB): the run
fails if one peaks above it. The load average is printed beside the figures (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

LIMIT_MB = 1000.0  # Binder guarantees 1 GB per user (notebooks/TEACHING.md, "A class JupyterHub")
PEAK = "print([line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')][0])"


def peak_mb(notebook: Path, cut: bool) -> float:
    """Run ``notebook`` in a fresh kernel and return the kernel's peak resident memory in MB."""
    document = nbformat.read(notebook, as_version=4)
    document.cells.append(nbformat.v4.new_code_cell(PEAK))
    extra = ['--IPKernelApp.exec_lines=["__import__(\'classroom.cut\').cut.cut_training()"]'] if cut else []
    client = NotebookClient(document, timeout=1800, kernel_name="python3", allow_errors=True,
                            extra_arguments=extra, resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    return int(document.cells[-1].outputs[0]["text"].strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--cut", action="store_true", help="cut training to a few steps, as the grader does")
    parser.add_argument("--limit", type=float, default=LIMIT_MB, nargs="?", const=LIMIT_MB,
                        help=f"fail if a kernel peaks above this many MB (default {LIMIT_MB:,.0f}; 0: no limit)")
    options = parser.parse_args()
    over = []
    with tempfile.TemporaryDirectory(prefix="mnist-memory-") as models:
        os.environ["MNIST_MODELS_DIR"] = models
        for notebook in options.notebooks:
            peak = peak_mb(notebook, options.cut)
            load = " ".join(f"{value:.1f}" for value in os.getloadavg())
            print(f"{notebook.name:<40} {peak:6.0f} MB   (load average {load})", flush=True)
            if options.limit and peak > options.limit:
                over.append(notebook.name)
    if over:
        raise SystemExit(f"above {options.limit:,.0f} MB: {', '.join(over)}")


if __name__ == "__main__":
    main()
