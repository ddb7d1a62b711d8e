"""The series as classroom assignments, built on nbgrader: a student edition and a grader.

``python -m classroom student-edition`` writes the student edition of the notebooks (nbgrader's
``generate_assignment``: solutions blanked, hidden tests and outputs removed, check cells
locked); ``python -m classroom grade SUBMISSIONS`` runs nbgrader's ``autograde`` on a folder of
submitted notebooks and writes a CSV table of points. Both work offline in a temporary nbgrader
course directory: no JupyterHub, no exchange. notebooks/TEACHING.md explains their use.
"""
