"""Self-check cells: a learner runs them to test their understanding or their code (every notebook, from 01).

A failing graded check says what is wrong in one "✗ Not yet." sentence. In a notebook a
learner is running (a Jupyter kernel: JupyterLab, Colab), it prints the sentence and the
notebook goes on, so Run All reaches the last cell with exercises still blank. Under nbgrader's
validate and autograde (which set ``NBGRADER_EXECUTION`` in the kernel's environment), with
``MNIST_CHECKS_STOP=1``, and outside a kernel (tests, scripts) it raises :class:`NotYet`, so the
cell fails and scores 0.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np

# nbgrader sets NBGRADER_EXECUTION ("validate" or "autograde") while it runs a notebook
# (nbgrader's FAQ; nbgrader/validator.py and nbgrader/converters/autograde.py); the kernel inherits it.
GRADER_VARIABLE = "NBGRADER_EXECUTION"
# Set to 1 to make failing checks stop a notebook anywhere (another grader, a CI run).
STOP_VARIABLE = "MNIST_CHECKS_STOP"


def check(correct: bool, *, praise: str = "", hint: str) -> None:
    """Print "✓ Correct" (with ``praise``) or "✗ Not yet" with a ``hint``.

    Used by self-check cells so that a wrong answer teaches instead of crashing; it
    returns nothing, so the cell shows the message and no stray ``True`` under it::

        check(answer == 101_770, praise="that is 784*128 + 128 + 128*10 + 10.",
              hint="count weights and biases of both Dense layers.")
    """
    print(f"✓ Correct{': ' + praise if praise else '.'}" if correct else f"✗ Not yet. Hint: {hint}")


class NotYet(AssertionError):
    """A graded check that failed: one plain "✗ Not yet" line in a notebook, not a traceback.

    IPython shows whatever ``_render_traceback_`` returns instead of a traceback, so a learner
    reads a sentence; it is still an error, so nbgrader's autograde scores the check cell 0.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"✗ Not yet. {self}"]


UNWRITTEN = (None, Ellipsis, NotImplemented)


def in_kernel() -> bool:
    """True inside a Jupyter kernel (JupyterLab, Colab, nbclient), False in a script or under pytest."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def failing_checks_stop() -> bool:
    """Whether a failing check raises :class:`NotYet` (grading, tests, scripts) rather than only printing."""
    if os.environ.get(GRADER_VARIABLE) or os.environ.get(STOP_VARIABLE) == "1":
        return True
    return not in_kernel()


def not_yet(sentence: str) -> None:
    """Report a failing check: print "✗ Not yet. ..." and go on, or raise :class:`NotYet` when grading."""
    if failing_checks_stop():
        raise NotYet(sentence)
    print(f"✗ Not yet. {sentence}")


def _show(value: object) -> str:
    """A short description of a value for a message: numbers as numbers, arrays by shape."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} ({value.dtype})"
    if isinstance(value, np.generic):
        value = value.item()
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _difference(result: object, expected: object) -> str | None:
    """None if ``result`` equals ``expected`` (arrays: same shape, dtype and values), else what differs."""
    if isinstance(expected, np.ndarray):
        if not isinstance(result, np.ndarray):
            return f"returned {_show(result)}, not a NumPy array"
        if result.shape != expected.shape:
            return f"returned an array of shape {result.shape} instead of {expected.shape}"
        if result.dtype != expected.dtype:
            return f"returned {result.dtype} numbers instead of {expected.dtype}"
        equal = np.isclose(result, expected) if expected.dtype.kind == "f" else result == expected
        if not equal.all():
            index = tuple(int(i) for i in np.unravel_index(np.argmin(equal), equal.shape))
            position = index[0] if len(index) == 1 else index
            return f"gives {_show(result[index])} at position {position} where {_show(expected[index])} belongs"
        return None
    if isinstance(result, np.ndarray) and result.size != 1:
        return f"returned {_show(result)}, not a single number"
    try:
        same = bool(np.isclose(result, expected)) if isinstance(expected, float) else bool(result == expected)
    except (TypeError, ValueError):
        same = False
    return None if same else f"returned {_show(result)} instead of {_show(expected)}"


def check_function(function: Callable, cases: list[tuple[tuple, object]], *, praise: str,
                   mistakes: list[tuple[Callable, str]] = ()) -> None:
    """Test a learner's ``function``: print "✓ Correct" if it returns the expected value on every case.

    ``cases`` are ``(arguments, expected result)`` pairs; use made-up inputs beside the real
    data, so that a number copied from an output fails. ``mistakes`` pairs a typical wrong
    version of the function with the hint to give when the learner's result equals its
    result. Otherwise reports one plain sentence saying what is wrong (a function still holding
    ``...`` "returns nothing yet") through :func:`not_yet`: printed in a learner's kernel,
    raised as :class:`NotYet` when grading. Arguments are copied, so a function that changes
    its input in place cannot spoil the next case.
    """
    problem = _function_problem(function, cases, mistakes)
    if problem:
        not_yet(problem)
    else:
        print(f"✓ Correct: {praise}")


def _function_problem(function: Callable, cases: list[tuple[tuple, object]],
                      mistakes: list[tuple[Callable, str]]) -> str | None:
    """The one sentence saying what is wrong with the learner's ``function``, or None if every case passes."""
    name = getattr(function, "__name__", "your function")
    if not callable(function):
        return f"{name} should be a function: run the cell that defines it with `def`."
    for arguments, expected in cases:
        call = f"{name}({', '.join(_show(argument) for argument in arguments)})"
        try:
            result = function(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in arguments])
        except NotImplementedError:
            return f"{name} is not written yet: replace `...` with your code."
        except Exception as error:  # the learner's code may raise anything; say it in words
            return f"{call} stopped with {type(error).__name__}: {error}"
        if any(result is unwritten for unwritten in UNWRITTEN):
            return f"{name} returns nothing yet: replace `...` with your code and `return` the result."
        problem = _difference(result, expected)
        if problem:
            hints = [hint for wrong, hint in mistakes if _difference(result, _try(wrong, arguments)) is None]
            return f"{call} {problem}." + (f" {hints[0]}" if hints else "")
    return None


def check_value(value: object, expected: object, *, name: str, praise: str,
                mistakes: list[tuple[object, str]] = ()) -> None:
    """Test a value the learner computed (not a function): print "✓ Correct" if it equals ``expected``.

    Arrays must match in shape, dtype and values, decimals to ``np.isclose``. ``mistakes``
    pairs a typical wrong value with the hint to give when the learner's value equals it.
    Otherwise reports one sentence naming ``name`` and what differs (:func:`not_yet`).
    """
    if any(value is unwritten for unwritten in UNWRITTEN):
        not_yet(f"{name} is not computed yet: replace `...` with your code.")
        return
    problem = _difference(value, expected)
    if problem:
        hints = [hint for wrong, hint in mistakes if _difference(value, wrong) is None]
        not_yet(f"{name} {problem.replace('returned', 'is', 1)}." + (f" {hints[0]}" if hints else ""))
        return
    print(f"✓ Correct: {praise}")


def require(correct: bool, *, praise: str, problem: str) -> None:
    """A graded check of a condition: print "✓ Correct" (with ``praise``) or report ``problem`` (:func:`not_yet`).

    For what ``check_function`` and ``check_value`` cannot compare (a compiled model, a
    trained one): ``problem`` is the one plain sentence that says what is wrong and what to do.
    """
    if not correct:
        not_yet(problem)
        return
    print(f"✓ Correct: {praise}")


def _try(function: Callable, arguments: tuple) -> object:
    """``function(*arguments)``, or a value equal to nothing if it fails."""
    try:
        return function(*arguments)
    except Exception:  # a typical mistake may not apply to every case
        return object()
