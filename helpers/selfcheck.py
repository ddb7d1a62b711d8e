"""Self-check cells: a learner runs them to test their understanding or their code (every notebook, from 01)."""

from __future__ import annotations


def check(correct: bool, *, praise: str = "", hint: str) -> None:
    """Print "✓ Correct" (with ``praise``) or "✗ Not yet" with a ``hint``.

    Used by self-check cells so that a wrong answer teaches instead of crashing; it
    returns nothing, so the cell shows the message and no stray ``True`` under it::

        check(answer == 101_770, praise="that is 784*128 + 128 + 128*10 + 10.",
              hint="count weights and biases of both Dense layers.")
    """
    print(f"✓ Correct{': ' + praise if praise else '.'}" if correct else f"✗ Not yet. Hint: {hint}")
