"""Self-check cells: a learner runs them to test their understanding or their code (every notebook, from 01).

A failing graded check (:func:`check_function`, :func:`check_value`, :func:`require`) says what is
wrong in one "✗ Not yet." sentence. In a notebook a learner is running (a Jupyter kernel:
JupyterLab, Colab), it prints the sentence and the notebook goes on, so Run All reaches the last
cell with exercises still blank. Under nbgrader's validate and autograde (which set
``NBGRADER_EXECUTION`` in the kernel's environment), with ``MNIST_CHECKS_STOP=1``, and outside a
kernel (tests, scripts) it raises :class:`NotYet`, so the cell fails and scores 0.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import inspect
import os
import textwrap
from collections.abc import Callable, Iterator, Sequence

import numpy as np


def check(correct: bool, *, praise: str = "", hint: str) -> None:
    """Print "✓ Correct" (with ``praise``) or "✗ Not yet" with a ``hint``.

    Used by self-check cells so that a wrong answer teaches instead of crashing; it
    returns nothing, so the cell shows the message and no stray ``True`` under it::

        check(answer == 101_770, praise="that is 784*128 + 128 + 128*10 + 10.",
              hint="count weights and biases of both Dense layers.")
    """
    say(f"✓ Correct{': ' + praise if praise else '.'}" if correct else f"✗ Not yet. Hint: {hint}")


def plain(text: str) -> str:
    """``text`` as a learner reads it in a cell's output: plain text, so Markdown backticks are dropped."""
    return text.replace("`", "")


def say(text: str) -> None:
    """Print a check's message as plain text (:func:`plain`): hints may quote code in backticks."""
    print(plain(text))


class NotYet(AssertionError):
    """A graded check that failed: one plain "✗ Not yet" line in a notebook, not a traceback.

    IPython shows whatever ``_render_traceback_`` returns instead of a traceback, so a learner
    reads a sentence; it is still an error, so nbgrader's autograde scores the check cell 0.
    """

    def _render_traceback_(self) -> list[str]:
        return [plain(f"✗ Not yet. {self}")]


UNWRITTEN = (None, Ellipsis, NotImplemented)
# nbgrader sets NBGRADER_EXECUTION ("validate" or "autograde") while it runs a notebook
# (nbgrader's FAQ; nbgrader/validator.py and nbgrader/converters/autograde.py); the kernel inherits it.
GRADER_VARIABLE = "NBGRADER_EXECUTION"
# Set to 1 to make failing checks stop a notebook anywhere (another grader, a CI run).
STOP_VARIABLE = "MNIST_CHECKS_STOP"


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
    say(f"✗ Not yet. {sentence}")


@contextlib.contextmanager
def needs_your_functions() -> Iterator[None]:
    """Run a cell's code that calls functions the learner wrote; if one is not ready, say so and go on.

    In a kernel (a learner's, or nbgrader's while it grades: these cells are never graded) an error
    inside the block (a function still blank, or wrong enough to fail) prints one "✗ Not yet." line
    instead of a traceback (a name the cell itself uses but an earlier cell has not made gets its
    own sentence), so Run All goes on to the last cell; the cell can be run again once the
    checks above pass. In tests and scripts the error is raised as it is::

        with needs_your_functions():
            losses = train(network, learning_rate=0.5, epochs=3)
    """
    try:
        yield
    except Exception as error:
        if not in_kernel():
            raise
        if isinstance(error, NameError) and _raised_in_the_cell(error):
            name = getattr(error, "name", None) or str(error)
            say(f"✗ Not yet. This cell uses {name}, which an earlier cell has not made yet: run the "
                "cells above again from the first one that said ✗ Not yet, then this one.")
            return
        say(f"✗ Not yet. This cell runs your functions from above, and one of them is not ready "
            f"({type(error).__name__}: {error}). Once every check above says ✓, run this cell again.")


def _raised_in_the_cell(error: BaseException) -> bool:
    """Whether ``error`` was raised by the cell's own code (a module's top level), not inside a function."""
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    return trace is not None and trace.tb_frame.f_code.co_name == "<module>"


def _reporting(check: Callable) -> Callable:
    """A graded check whose :class:`NotYet` is reported by :func:`not_yet`: printed in a learner's kernel."""

    @functools.wraps(check)
    def reported(*args, **kwargs) -> None:
        try:
            check(*args, **kwargs)
        except NotYet as failure:
            not_yet(str(failure))

    return reported


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
    if isinstance(expected, np.generic):
        expected = expected.item()
    if isinstance(expected, np.ndarray):
        if not isinstance(result, np.ndarray):
            return f"returned {_show(result)}, not a NumPy array"
        if result.shape != expected.shape:
            return f"returned an array of shape {result.shape} instead of {expected.shape}"
        if result.dtype != expected.dtype:
            return f"returned {result.dtype} numbers instead of {expected.dtype}"
        equal = np.isclose(result, expected, equal_nan=True) if expected.dtype.kind == "f" else result == expected
        if not equal.all():
            index = tuple(int(i) for i in np.unravel_index(np.argmin(equal), equal.shape))
            position = index[0] if len(index) == 1 else index
            return f"gives {_show(result[index])} at position {position} where {_show(expected[index])} belongs"
        return None
    if isinstance(result, np.ndarray) and result.size != 1:
        return f"returned {_show(result)}, not a single number"
    same = _plain(result, type(expected)) == expected if not isinstance(expected, float) else (
        _plain(result, float) is not None and bool(np.isclose(_plain(result, float), expected, equal_nan=True)))
    return None if same else f"returned {_show(result)} instead of {_show(expected)}"


def _plain(value: object, kind: type) -> object:
    """``value`` as a plain Python ``kind`` (int, float, str, bool, tuple, list), or None if it is not one.

    Compares what a learner returned by its value, never by its own ``==``: an object that claims
    to equal everything is not a number.
    """
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if isinstance(value, np.generic):
        value = value.item()
    if kind in (int, float):
        numbers = (int, float) if kind is float else (int,)
        return kind(value) if isinstance(value, numbers) and not isinstance(value, bool) else None
    if kind in (tuple, list):
        return kind(value) if type(value) in (tuple, list) else None
    return value if type(value) is kind else None


@_reporting
def check_function(function: Callable, cases: list[tuple[tuple, object]], *, praise: str,
                   mistakes: list[tuple[Callable, str]] = (), forbidden: Sequence[Callable] = (),
                   no_loops: bool = False) -> None:
    """Test a learner's ``function``: print "✓ Correct" if it returns the expected value on every case.

    ``cases`` are ``(arguments, expected result)`` pairs; use made-up inputs beside the real
    data, so that a number copied from an output fails. ``mistakes`` pairs a typical wrong
    version of the function with the hint to give when the learner's result equals its
    result (nan equal to nan), or when both stop with the same kind of error. Otherwise reports
    one plain sentence saying what is wrong (a function still holding ``...`` "returns nothing
    yet") through :func:`not_yet`: printed in a learner's kernel, raised as :class:`NotYet` when
    grading. Arguments are copied, so a function that changes its input in place cannot spoil the
    next case. While the learner's function runs, each ``forbidden`` function (the series' own
    answer, which computed the expected values) refuses to run, under whatever name it is called
    (:func:`forbidding`);
    ``no_loops`` fails a function whose source holds a ``for`` or ``while`` loop.
    """
    name = getattr(function, "__name__", "your function")
    if not callable(function):
        raise NotYet(f"{name} should be a function: run the cell that defines it with `def`.")
    if no_loops and _has_loop(function):
        raise NotYet(f"{name} uses a loop: write it with whole-array NumPy operations instead.")
    _check_cases(function, name, cases, mistakes, forbidden)
    say(f"✓ Correct: {praise}")


def _check_cases(function: Callable, name: str, cases: list[tuple[tuple, object]],
                 mistakes: list[tuple[Callable, str]], forbidden: Sequence[Callable]) -> None:
    """Raise :class:`NotYet` at the first case where ``function`` does not return the expected value.

    Only the learner's own call runs with ``forbidden`` refused: the typical mistakes may use them.
    """
    for arguments, expected in cases:
        call = f"{name}({', '.join(_show(argument) for argument in arguments)})"
        try:
            with forbidding(*forbidden):
                result = function(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in arguments])
        except NotImplementedError:
            raise NotYet(f"{name} is not written yet: replace `...` with your code.") from None
        except Exception as error:  # the learner's code may raise anything; say it in words
            if str(error).startswith(FORBIDDEN):
                raise NotYet(f"{call} calls {str(error)[len(FORBIDDEN):]}, which the series wrote for you: "
                             "write your own.") from None
            hints = [hint for wrong, hint in mistakes if _raises(wrong, arguments, type(error))]
            raise NotYet(f"{call} stopped with {type(error).__name__}: {error}"
                         + (f". {hints[0]}" if hints else "")) from None
        if any(result is unwritten for unwritten in UNWRITTEN):
            raise NotYet(f"{name} returns nothing yet: replace `...` with your code and `return` the result.")
        problem = _difference(result, expected)
        if problem:
            hints = [hint for wrong, hint in mistakes if _difference(result, _try(wrong, arguments)) is None]
            raise NotYet(f"{call} {problem}." + (f" {hints[0]}" if hints else ""))


FORBIDDEN = "forbidden reference: "


@contextlib.contextmanager
def forbidding(*functions: Callable) -> Iterator[None]:
    """While the block runs, each of ``functions`` raises instead of computing, however it is reached.

    Its code is swapped for a stub's, so that ``from helpers.evaluate import confusion_matrix``
    in a learner's cell, an alias or a method call all stop; the code is restored afterwards.
    """
    originals = [(function, function.__code__) for function in functions]
    try:
        for function, _ in originals:
            label = f"{function.__module__}.{function.__qualname__}".replace("keras.src.", "keras.")
            stub: dict = {}
            exec(f"def stub(*args, **kwargs):\n    raise RuntimeError({FORBIDDEN + label!r})", stub)  # noqa: S102
            function.__code__ = stub["stub"].__code__
        yield
    finally:
        for function, code in originals:
            function.__code__ = code


def _has_loop(function: Callable) -> bool:
    """Whether ``function``'s source (when Python can find it) holds a for or while loop or a comprehension."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return False
    loops = (ast.For, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
    return any(isinstance(node, loops) for node in ast.walk(tree))


@_reporting
def check_value(value: object, expected: object, *, name: str, praise: str,
                mistakes: list[tuple[object, str]] = ()) -> None:
    """Test a value the learner computed (not a function): print "✓ Correct" if it equals ``expected``.

    Arrays must match in shape, dtype and values, decimals to ``np.isclose``. ``mistakes``
    pairs a typical wrong value with the hint to give when the learner's value equals it.
    Otherwise reports one sentence naming ``name`` and what differs (:func:`not_yet`).
    """
    if any(value is unwritten for unwritten in UNWRITTEN):
        raise NotYet(f"{name} is not computed yet: replace `...` with your code.")
    problem = _difference(value, expected)
    if problem:
        hints = [hint for wrong, hint in mistakes if _difference(value, wrong) is None]
        raise NotYet(f"{name} {problem.replace('returned', 'is', 1)}." + (f" {hints[0]}" if hints else ""))
    say(f"✓ Correct: {praise}")


@_reporting
def require(correct: bool, *, praise: str, problem: str) -> None:
    """A graded check of a condition: print "✓ Correct" (with ``praise``) or report ``problem`` (:func:`not_yet`).

    For what ``check_function`` and ``check_value`` cannot compare (a compiled model, a
    trained one): ``problem`` is the one plain sentence that says what is wrong and what to do.
    """
    if not correct:
        raise NotYet(problem)
    say(f"✓ Correct: {praise}")


def _raises(function: Callable, arguments: tuple, error: type[Exception]) -> bool:
    """Whether ``function(*arguments)`` stops with an ``error``: a typical mistake that fails the same way."""
    try:
        function(*arguments)
    except error:
        return True
    except Exception:  # another error: another mistake
        return False
    return False


def _try(function: Callable, arguments: tuple) -> object:
    """``function(*arguments)``, or a value equal to nothing if it fails."""
    try:
        return function(*arguments)
    except Exception:  # a typical mistake may not apply to every case
        return object()
