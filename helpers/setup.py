"""The one call a notebook's first cell makes: seeds, quiet logs, plot style, checks (every notebook).

Call :func:`setup_notebook` before anything imports TensorFlow: TensorFlow prints its
start-up log lines when it is first imported, and this is where they are kept out of
the notebook.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version

from packaging.version import Version

# The oldest versions the series is tested with: Google Colab's stack (see README).
MINIMUM_VERSIONS = {
    "tensorflow": "2.20",
    "keras": "3.13",
    "numpy": "2.0",
    "matplotlib": "3.10",
    "seaborn": "0.13",
}
# The environment variable that changes the series' seed: another seed trains as another computer
# would, which is how the stored outputs are shown to hold beyond this one (README, Contributing).
SEED_VARIABLE = "MNIST_SEED"
DEFAULT_SEED = 42
# The series' home on GitHub: every notebook's Colab badge and set-up cell name it (a test checks).
REPOSITORY = "Supposeduck30/mnist-digit-identifier-neural-network"


def seed_from_environment() -> int:
    """``$MNIST_SEED`` as a whole number, or 42 when it is not set."""
    text = os.environ.get(SEED_VARIABLE, "").strip()
    if not text:
        return DEFAULT_SEED
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{SEED_VARIABLE}={text!r} is not a whole number: set it to one (for example "
                         f"{SEED_VARIABLE}=7), or unset it to use the series' seed, {DEFAULT_SEED}.") from None


# The series' one random seed: every notebook, helper and script starts from it.
SEED = seed_from_environment()


def in_colab() -> bool:
    """True when running inside Google Colab."""
    return "google.colab" in sys.modules


@contextlib.contextmanager
def silenced_stderr_fd() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for the duration of the block.

    TensorFlow's C++ start-up messages ("oneDNN custom operations are on", "Could not
    find cuda drivers") are written before its logging is configured, straight to
    fd 2, so ``TF_CPP_MIN_LOG_LEVEL`` cannot hide them. Python exceptions still raise.
    """
    sys.stderr.flush()
    saved_fd = os.dup(2)
    devnull_fd = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull_fd, 2)
        yield
    finally:
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        os.close(devnull_fd)


def import_tensorflow_quietly() -> None:
    """Import TensorFlow and Keras with their C++ logging turned down and start-up lines hidden."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" in sys.modules:
        return
    with silenced_stderr_fd():
        import keras  # noqa: F401
        import tensorflow  # noqa: F401


def version_problems(minimums: dict[str, str] = MINIMUM_VERSIONS) -> list[str]:
    """Return one plain sentence for each package that is missing or older than needed."""
    problems = []
    for package, minimum in minimums.items():
        try:
            installed = version(package)
        except PackageNotFoundError:
            problems.append(f"{package} is not installed (need {minimum} or newer).")
            continue
        if Version(installed) < Version(minimum):
            problems.append(f"{package} {installed} is older than the {minimum} this series needs.")
    return problems


def return_freed_memory() -> None:
    """Make the C allocator give freed memory back to the system, so a kernel stays small (Linux only).

    By default glibc keeps up to 32 MB blocks and one memory pool (arena) per thread for reuse, and
    TensorFlow's threads make many; a big array freed then still counts towards the kernel's memory.
    Here large blocks (1 MB and more) are always mapped and unmapped on their own, at most two arenas
    are made, and after every cell of a notebook the freed memory is trimmed. Elsewhere it does nothing.

    On every system, TensorFlow's tensors are put in the C allocator's memory too (call this before
    TensorFlow is imported): its own pool for them (oneDNN's) keeps every block it has freed, so a
    copy of the training set ``fit`` made would stay in the kernel's memory after training.
    """
    import ctypes

    os.environ.setdefault("TF_ONEDNN_USE_SYSTEM_ALLOCATOR", "1")

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD: a fixed 1 MB stops glibc raising it to 32 MB
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc: macOS, Windows, musl
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and not getattr(shell, "_mnist_trims_memory", False):
        shell.events.register("post_run_cell", lambda _result: libc.malloc_trim(0))
        shell._mnist_trims_memory = True


def setup_notebook(seed: int = SEED, *, presentation: bool = False) -> None:
    """Prepare a notebook (or script) for the series, and say in one line what it found.

    - hides TensorFlow's start-up log lines and imports it;
    - seeds Python, NumPy and TensorFlow (``keras.utils.set_random_seed``) and makes
      TensorFlow's operations deterministic, so a re-run prints the same numbers;
    - sets the series' plot style (``presentation=True`` for large projector fonts);
    - warns, in plain words, about packages older than the series needs;
    - keeps the kernel's memory small (:func:`return_freed_memory`);
    - silences Keras' warning that ``fit`` ignores ``shuffle`` for a ``tf.data`` pipeline, which
      shuffles itself (notebooks 08 and 09): a learner's ``fit(batches(...))`` prints no false alarm.

    Safe to call again: it re-seeds, which is how a notebook restarts a random sequence.
    """
    return_freed_memory()
    from helpers.style import use_series_style

    import_tensorflow_quietly()
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    warnings.filterwarnings("ignore", message="`shuffle=True` was passed, but will be ignored", category=UserWarning)
    versions = f"TensorFlow {tf.__version__}, Keras {keras.__version__}"
    use_series_style(presentation=presentation)
    for problem in version_problems():
        print(f"Warning: {problem} Install the tested versions with `pip install -r requirements.txt`.")
    where = "Google Colab" if in_colab() else "this computer"
    print(f"Ready on {where}: {versions}, seed {seed}.")


def installed_version(package: str) -> str:
    """The installed version of ``package``, or "not installed"."""
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"
