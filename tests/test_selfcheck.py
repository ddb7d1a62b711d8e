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
