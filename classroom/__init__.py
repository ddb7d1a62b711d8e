"""The series as classroom assignments, built on nbgrader: a student edition, a grader and a class hub.

``python -m classroom student-edition`` writes the student edition of the notebooks (nbgrader's
``generate_assignment``: solutions blanked, hidden tests and outputs removed, check cells
locked); ``python -m classroom grade SUBMISSIONS`` runs nbgrader's ``autograde`` on a folder of
submitted notebooks, each kernel in a sandbox with training cut (:mod:`classroom.grading`), and
writes a CSV table of points and a feedback page per student and notebook. Both work offline in
temporary nbgrader course directories: no JupyterHub, no exchange. ``classroom/hub/`` is the recipe
for a class JupyterHub. notebooks/TEACHING.md explains their use.
"""
