"""The graded kernel: ``python -m classroom.kernel -f CONNECTION_FILE [ipykernel options]``.

The kernelspec the grader gives nbgrader starts this; it starts ipykernel with the cut recipe
(:mod:`classroom.cut`) for one submission, in its sandbox (:mod:`classroom.sandbox`) unless the
teacher chose ``--unsafe``. What it needs comes from the environment nbgrader was started with:

- ``MNIST_GRADING_SCRATCH``: the submission's scratch folder (its home, temporary and models folder);
- ``MNIST_GRADING_SANDBOX``: ``bwrap`` or ``none``;
- ``MNIST_GRADING_ZYGOTE``: the Unix socket of the student's zygote (:mod:`classroom.zygote`), if the
  worker started one: the kernel is then forked from it, in the zygote's sandbox, TensorFlow already
  imported, instead of started anew.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

from classroom import sandbox

SCRATCH_VARIABLE = "MNIST_GRADING_SCRATCH"
SANDBOX_VARIABLE = "MNIST_GRADING_SANDBOX"
ZYGOTE_VARIABLE = "MNIST_GRADING_ZYGOTE"
# Passed on from the grader to the kernel: the cut recipe, the seed, quiet TensorFlow, and
# NBGRADER_EXECUTION (nbgrader's "autograde"), which makes a failing check fail its cell.
PASSED_ON = ["MNIST_CUT_EPOCHS", "MNIST_CUT_STEPS", "MNIST_SEED", "TF_CPP_MIN_LOG_LEVEL", "LANG", "LC_ALL",
             "NBGRADER_EXECUTION"]
# One core per kernel: the grader runs two notebooks at a time on a 2-core machine.
ONE_THREAD = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "OMP_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
STARTUP = '--IPKernelApp.exec_lines=["__import__(\'classroom.cut\').cut.cut_training()"]'


def kernel_environment(scratch: Path) -> dict[str, str]:
    """All the kernel's environment: its own folders under ``scratch``, nothing of the grader's account."""
    environment = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    environment.update(ONE_THREAD)
    environment.update({
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch), "TMPDIR": str(scratch / "tmp"), "MNIST_MODELS_DIR": str(scratch / "models"),
        "XDG_CACHE_HOME": str(scratch / ".cache"), "MPLCONFIGDIR": str(scratch / ".matplotlib"),
        "KERAS_HOME": str(scratch / ".keras"), "PYTHONNOUSERSITE": "1",
        # A graded kernel fails a failing check's cell (helpers.selfcheck), whatever nbgrader sets.
        "MNIST_CHECKS_STOP": "1",
        # TensorFlow gives freed memory back (as helpers.setup does in a learner's kernel, where it can
        # only do so before TensorFlow is imported: here the zygote imports it first).
        "TF_ONEDNN_USE_SYSTEM_ALLOCATOR": "1",
    })
    return environment


def _die_with_parent() -> None:
    """Ask Linux to end this process when nbgrader, its parent, ends (a killed grader leaves no kernel)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def argv(connection_file: str, extra: list[str]) -> tuple[list[str], dict[str, str] | None]:
    """The command that starts the kernel, and its environment (None: inherit, for the unsafe mode)."""
    scratch = Path(os.environ[SCRATCH_VARIABLE])
    for folder in ("tmp", "models"):
        (scratch / folder).mkdir(parents=True, exist_ok=True)
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file, STARTUP, *extra]
    environment = kernel_environment(scratch)
    if os.environ.get(SANDBOX_VARIABLE, "bwrap") == "none":
        return kernel, {**os.environ, **environment}
    runtime = Path(connection_file).resolve().parent
    return sandbox.command(scratch, runtime, kernel, environment), None


def main(arguments: list[str]) -> None:
    """Replace this process by the kernel (in its sandbox): nbgrader's signals then reach it."""
    if len(arguments) < 2 or arguments[0] != "-f":
        raise SystemExit("usage: python -m classroom.kernel -f CONNECTION_FILE [ipykernel options]")
    zygote = os.environ.get(ZYGOTE_VARIABLE)
    if zygote and Path(zygote).exists():
        from classroom.zygote import ask

        raise SystemExit(ask(zygote, [*arguments, STARTUP]))
    command, environment = argv(arguments[1], arguments[2:])
    _die_with_parent()
    if environment is None:
        os.execv(command[0], command)
    os.chdir(os.environ[SCRATCH_VARIABLE])
    os.execve(command[0], command, environment)


if __name__ == "__main__":
    main(sys.argv[1:])
