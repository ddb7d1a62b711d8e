"""The graded checks of the coding exercises, one module per notebook (helpers/checks/notebook_NN.py).

A check cell in a notebook is one line that names what it checks; its cases, expected values and
typical mistakes live here, out of sight, so that a learner reading it is not handed the answer.
"""
