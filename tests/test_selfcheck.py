"""helpers.selfcheck: the message a self-check cell shows, and nothing else."""

from helpers.selfcheck import check


def test_a_right_answer_is_praised_and_nothing_is_returned(capsys):
    assert check(True, praise="784 numbers.", hint="count rows times columns.") is None
    assert capsys.readouterr().out == "✓ Correct: 784 numbers.\n"


def test_a_wrong_answer_gets_the_hint(capsys):
    check(False, hint="count rows times columns.")
    assert capsys.readouterr().out == "✗ Not yet. Hint: count rows times columns.\n"
