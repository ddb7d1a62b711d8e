"""The most memory a notebook's kernel holds, notebook by notebook: its peak resident set (VmHWM) and its peak
private memory (RssAnon).

    python benchmarks/kernel_memory.py notebooks/0*.ipynb            # full runs
    python benchmarks/kernel_memory.py --cut notebooks/07*.ipynb      # training cut, as the grader runs
    python benchmarks/kernel_memory.py --limit 1000 notebooks/0*.ipynb  # exit 1 if a kernel peaks above 1,000 MB

Runs each notebook from a fresh kernel (in a temporary models folder) and reads the kernel's
``/proc/self/status`` at the end (Linux). The resident set counts TensorFlow's library code (some 400 MB of
file pages, which every kernel on a machine shares and the system can drop and read again); the private
peak leaves it out, sampled every 0.1 s by a thread in the kernel. The class hub's per-student limits
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
# Started before the first cell: a thread that keeps the largest RssAnon (kB) it sees, every 0.1 s.
SAMPLER = ("import builtins, threading, time; builtins._private_peak_kb = 0\n"
           "def _sample():\n"
           "    while True:\n"
           "        status = open('/proc/self/status').read().split('RssAnon:')[1]\n"
           "        kb = int(status.split()[0])\n"
           "        builtins._private_peak_kb = max(builtins._private_peak_kb, kb); time.sleep(0.1)\n"
           "threading.Thread(target=_sample, daemon=True).start()")
PRIVATE = "import builtins; print(builtins._private_peak_kb)"


def peak_mb(notebook: Path, cut: bool) -> tuple[float, float]:
    """Run ``notebook`` in a fresh kernel; its peak resident memory and its peak private memory, in MB."""
    document = nbformat.read(notebook, as_version=4)
    document.cells.insert(0, nbformat.v4.new_code_cell(SAMPLER))
    document.cells.extend([nbformat.v4.new_code_cell(PEAK), nbformat.v4.new_code_cell(PRIVATE)])
    extra = ['--IPKernelApp.exec_lines=["__import__(\'classroom.cut\').cut.cut_training()"]'] if cut else []
    client = NotebookClient(document, timeout=1800, kernel_name="python3", allow_errors=True,
                            extra_arguments=extra, resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    resident, private = (int(cell.outputs[0]["text"].strip()) / 1024 for cell in document.cells[-2:])
    return resident, private


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
            peak, private = peak_mb(notebook, options.cut)
            load = " ".join(f"{value:.1f}" for value in os.getloadavg())
            print(f"{notebook.name:<40} {peak:6.0f} MB resident, {private:4.0f} MB private   (load average {load})",
                  flush=True)
            if options.limit and peak > options.limit:
                over.append(notebook.name)
    if over:
        raise SystemExit(f"above {options.limit:,.0f} MB: {', '.join(over)}")


if __name__ == "__main__":
    main()
