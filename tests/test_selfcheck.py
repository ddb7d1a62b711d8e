"""helpers.selfcheck: the message a self-check cell shows, and nothing else."""

from helpers.selfcheck import check


def test_a_right_answer_is_praised_and_nothing_is_returned(capsys):
    assert check(True, praise="784 numbers.", hint="count rows times columns.") is None
    assert capsys.readouterr().out == "✓ Correct: 784 numbers.\n"


def test_a_wrong_answer_gets_the_hint(capsys):
    check(False, hint="count rows times columns.")
    assert capsys.readouterr().out == "✗ Not yet. Hint: count rows times columns.\n"


def test_check_value_compares_values_and_names_what_differs(capsys):
    import numpy as np
    import pytest

    from helpers.selfcheck import NotYet, check_value

    check_value(np.float32([0.5, 0.5]), np.float32([0.5, 0.5]), name="probabilities", praise="they sum to 1.")
    assert capsys.readouterr().out == "✓ Correct: they sum to 1.\n"
    with pytest.raises(NotYet, match="probabilities is not computed yet"):
        check_value(..., np.float32([0.5]), name="probabilities", praise="")
    with pytest.raises(NotYet, match="probabilities is an array of shape \\(1,\\).* instead of \\(2,\\)"):
        check_value(np.float32([1.0]), np.float32([0.5, 0.5]), name="probabilities", praise="")
    with pytest.raises(NotYet, match="n is 7 instead of 8. Count the pooling too."):
        check_value(7, 8, name="n", praise="", mistakes=[(7, "Count the pooling too.")])


def test_require_praises_or_raises_the_problem(capsys):
    import pytest

    from helpers.selfcheck import NotYet, require

    require(True, praise="compiled.", problem="")
    assert capsys.readouterr().out == "✓ Correct: compiled.\n"
    with pytest.raises(NotYet, match="compile the model first"):
        require(False, praise="", problem="compile the model first")


# A failing graded check prints its sentence in a learner's kernel (Run All goes on) and raises when
# grading (nbgrader sets NBGRADER_EXECUTION), with MNIST_CHECKS_STOP=1, and outside a kernel.


def test_outside_a_kernel_a_failing_check_raises(monkeypatch):
    import pytest

    from helpers import selfcheck

    monkeypatch.delenv(selfcheck.GRADER_VARIABLE, raising=False)
    monkeypatch.delenv(selfcheck.STOP_VARIABLE, raising=False)
    assert not selfcheck.in_kernel() and selfcheck.failing_checks_stop()
    with pytest.raises(selfcheck.NotYet, match="returns nothing yet"):
        selfcheck.check_function(lambda x: None, [((1,), 2)], praise="")


def test_in_a_learners_kernel_a_failing_check_prints_and_goes_on(monkeypatch, capsys):
    import pytest

    from helpers import selfcheck

    monkeypatch.delenv(selfcheck.GRADER_VARIABLE, raising=False)
    monkeypatch.delenv(selfcheck.STOP_VARIABLE, raising=False)
    monkeypatch.setattr(selfcheck, "in_kernel", lambda: True)
    assert selfcheck.check_function(lambda x: None, [((1,), 2)], praise="") is None
    assert selfcheck.check_function(lambda x: x + 1, [((1,), 2), ((5,), 7)], praise="",
                                    mistakes=[(lambda x: x + 1, "Add two.")]) is None
    assert selfcheck.check_value(..., 3, name="n", praise="") is None
    assert selfcheck.require(False, praise="", problem="Compile the model first.") is None
    assert selfcheck.check_function(lambda x: x + 1, [((1,), 2)], praise="one more.") is None
    assert capsys.readouterr().out.splitlines() == [
        "✗ Not yet. <lambda> returns nothing yet: replace ... with your code and return the result.",
        "✗ Not yet. <lambda>(5) returned 6 instead of 7. Add two.",
        "✗ Not yet. n is not computed yet: replace ... with your code.",  # printed: no backticks
        "✗ Not yet. Compile the model first.",
        "✓ Correct: one more.",
    ]
    for variable, value in ((selfcheck.GRADER_VARIABLE, "autograde"), (selfcheck.GRADER_VARIABLE, "validate"),
                            (selfcheck.STOP_VARIABLE, "1")):
        with monkeypatch.context() as context:
            context.setenv(variable, value)
            with pytest.raises(selfcheck.NotYet, match="not computed yet"):
                selfcheck.check_value(None, 3, name="n", praise="")


def test_in_a_real_kernel_only_grading_stops_the_notebook(tmp_path):
    """A kernel started as JupyterLab, Colab or nbgrader would: nbclient, with and without NBGRADER_EXECUTION."""
    import os

    import nbformat
    import pytest
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    cells = ["from helpers.selfcheck import check_value\ncheck_value(..., 3, name='n', praise='')",
             "print('the last cell ran')"]
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("NBGRADER_EXECUTION", "MNIST_CHECKS_STOP")}

    def run(**extra: str) -> nbformat.NotebookNode:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell) for cell in cells])
        client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(tmp_path)}})
        client.km = client.create_kernel_manager()
        client.start_new_kernel(env={**environment, **extra})
        try:
            client.start_new_kernel_client()
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
        finally:
            client._cleanup_kernel()
        return notebook

    shown = run()
    assert [output["text"] for cell in shown.cells for output in cell.outputs] == [
        "✗ Not yet. n is not computed yet: replace ... with your code.\n", "the last cell ran\n"]
    for variable, value in (("NBGRADER_EXECUTION", "validate"), ("MNIST_CHECKS_STOP", "1")):
        with pytest.raises(CellExecutionError, match="✗ Not yet. n is not computed yet") as failure:
            run(**{variable: value})
        assert failure.value.ename == "NotYet"


def test_an_answer_that_claims_to_equal_everything_is_not_a_number():
    import pytest

    from helpers.selfcheck import NotYet, check_function, check_value

    class Anything:
        def __eq__(self, other):
            return True

    with pytest.raises(NotYet, match="returned <.* instead of 784"):
        check_function(lambda images: Anything(), [((None,), 784)], praise="")
    with pytest.raises(NotYet, match="instead of 'Pred: 7'"):
        check_value(Anything(), "Pred: 7", name="title", praise="")
    with pytest.raises(NotYet, match="instead of 0.5"):
        check_value(Anything(), 0.5, name="share", praise="")


def test_numbers_of_numpy_and_of_python_compare_by_value(capsys):
    import numpy as np

    from helpers.selfcheck import check_value

    for value, expected in [(np.int64(8), 8), (8, np.int64(8)), (np.float32(0.25), 0.25), (np.array(3), 3),
                            (np.bool_(True), True), (0.1 + 0.2, 0.3), (3, 3.0)]:
        check_value(value, expected, name="n", praise="same.")
    assert capsys.readouterr().out == "✓ Correct: same.\n" * 7


def test_the_reference_refuses_to_run_under_any_name_while_a_check_runs_and_comes_back_after():
    import numpy as np
    import pytest

    from helpers import evaluate
    from helpers.evaluate import confusion_matrix as alias
    from helpers.selfcheck import NotYet, check_function

    labels, answers = np.array([1, 2]), np.array([1, 1])
    expected = evaluate.confusion_matrix(labels, answers)
    with pytest.raises(NotYet, match=r"calls helpers\.evaluate\.confusion_matrix, which the series wrote for you"):
        check_function(lambda t, p: alias(t, p), [((labels, answers), expected)], praise="",
                       forbidden=[evaluate.confusion_matrix])
    assert np.array_equal(alias(labels, answers), expected), "restored after the check"
    with pytest.raises(NotYet, match="Rows are the true digits"):  # a typical mistake may use the reference
        transposed = lambda t, p: np.bincount(10 * p + t, minlength=100).reshape(10, 10)  # noqa: E731
        check_function(transposed, [((labels, answers), expected)], praise="",
                       mistakes=[(lambda t, p: evaluate.confusion_matrix(p, t), "Rows are the true digits.")],
                       forbidden=[evaluate.confusion_matrix])


def test_a_loop_fails_where_the_exercise_asks_for_none(tmp_path):
    import importlib.util

    import numpy as np
    import pytest

    from helpers.selfcheck import NotYet, check_function

    module = tmp_path / "answers.py"  # inspect finds the source of functions defined in a file (or a notebook cell)
    module.write_text("import numpy as np\n\n"
                      "def looped(values):\n    return np.array([v * 2 for v in values])\n\n"
                      "def whole(values):\n    return values * 2\n")
    spec = importlib.util.spec_from_file_location("answers", module)
    answers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(answers)
    cases = [((np.array([1, 2]),), np.array([2, 4]))]
    check_function(answers.whole, cases, praise="", no_loops=True)
    with pytest.raises(NotYet, match="looped uses a loop"):
        check_function(answers.looped, cases, praise="", no_loops=True)


def test_a_cell_that_needs_the_learners_functions_says_so_in_a_kernel_and_raises_elsewhere(monkeypatch, capsys):
    import pytest

    from helpers import selfcheck

    def forward(pixels):
        ...  # your code here

    monkeypatch.delenv(selfcheck.GRADER_VARIABLE, raising=False)
    monkeypatch.delenv(selfcheck.STOP_VARIABLE, raising=False)
    with pytest.raises(TypeError):  # outside a kernel (tests, scripts): the error as it is
        with selfcheck.needs_your_functions():
            forward(1)[2]
    monkeypatch.setattr(selfcheck, "in_kernel", lambda: True)
    with selfcheck.needs_your_functions():
        forward(1)[2]
        print("never printed")
    with selfcheck.needs_your_functions():
        print("ready")
    assert capsys.readouterr().out.splitlines() == [
        "✗ Not yet. This cell runs your functions from above, and one of them is not ready "
        "(TypeError: 'NoneType' object is not subscriptable). Once every check above says ✓, run this cell again.",
        "ready",
    ]
    cell = compile("with needs_your_functions():\n    print(slope)\n", "<cell>", "exec")
    exec(cell, {"needs_your_functions": selfcheck.needs_your_functions})  # noqa: S102
    assert capsys.readouterr().out == (  # an earlier cell failed, so a name the cell uses is missing
        "✗ Not yet. This cell uses slope, which an earlier cell has not made yet: run the cells above "
        "again from the first one that said ✗ Not yet, then this one.\n")

    def typo(pixels):
        return pixls  # noqa: F821

    with selfcheck.needs_your_functions():  # a NameError inside the learner's function: their code
        typo(1)
    assert capsys.readouterr().out.startswith(
        "✗ Not yet. This cell runs your functions from above, and one of them is not ready (NameError")
    monkeypatch.setenv(selfcheck.GRADER_VARIABLE, "autograde")  # grading: not a graded cell, so it goes on
    with selfcheck.needs_your_functions():
        forward(1)[2]
    assert capsys.readouterr().out.startswith("✗ Not yet. This cell runs your functions")
    monkeypatch.setenv(selfcheck.STOP_VARIABLE, "1")  # as the grader's kernel has it: still not a graded cell
    with selfcheck.needs_your_functions():
        forward(1)[2]
    assert capsys.readouterr().out.startswith("✗ Not yet. This cell runs your functions")
    with pytest.raises(KeyboardInterrupt):  # an interrupted cell stops, in a learner's kernel too
        with selfcheck.needs_your_functions():
            raise KeyboardInterrupt
