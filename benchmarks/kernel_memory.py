"""The most memory a notebook's kernel holds (its peak resident set, VmHWM), notebook by notebook.

    python benchmarks/kernel_memory.py notebooks/0*.ipynb            # full runs
    python benchmarks/kernel_memory.py --cut notebooks/07*.ipynb      # training cut, as the grader runs

Runs each notebook from a fresh kernel (in a temporary models folder) and reads the kernel's
``/proc/self/status`` at the end (Linux). The class hub's per-student limits
(classroom/hub/__init__.py, notebooks/TEACHING.md) come from these figures. With ``--cut`` every
``fit`` stops after a few steps (classroom/cut.py): the data, the networks and TensorFlow take the
same memory, so the peak differs little, and it takes a minute instead of the notebook's full time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

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
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mnist-memory-") as models:
        os.environ["MNIST_MODELS_DIR"] = models
        for notebook in options.notebooks:
            print(f"{notebook.name:<40} {peak_mb(notebook, options.cut):6.0f} MB", flush=True)


if __name__ == "__main__":
    main()
