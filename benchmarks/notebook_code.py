"""The notebooks' own code, taken from their code cells, so that a benchmark cannot drift from them.

A benchmark asks for the functions and classes a notebook defines and for the cells that train
its networks, and runs them in a namespace it fills in (the data, ``SEED``) instead of keeping a
copy of them that could fall out of step:

    namespace = {"SEED": seed, "x_fit": x_fit, ...}
    definitions(NOTEBOOKS / "08_going_further.ipynb", ["batches", "dense_network"], namespace)
    run_cell(NOTEBOOKS / "08_going_further.ipynb", "cnn_model", namespace)
    namespace["cnn_model"]

Cells are found by what their code says, never by their position: a definition by its ``def NAME(``
or ``class NAME(`` at the top level of a cell, a cell to run by a top-level assignment to the name
(``NAME = ...``, also ``a, NAME = ...`` and ``x[...] = NAME = ...``), both read with :mod:`ast`.
Each name must be found in exactly one code cell. Cells with exercise scaffolding (nbgrader's
``### BEGIN SOLUTION`` and ``### BEGIN HIDDEN TESTS`` markers) or plotting are never run.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import linecache
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
# Markers of cells that must not run outside their notebook: nbgrader's exercise scaffolding, and plots.
EXERCISE_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
PLOTTING_MARKERS = ("helpers.plots", "matplotlib", "seaborn", "plt.", "plot_")


class NotebookCodeError(LookupError):
    """A name is defined or assigned in no code cell of a notebook, in several, or only in a cell that must not run."""


class CodeCell(NamedTuple):
    """One code cell: its index among all the notebook's cells, its source and its parsed tree."""

    index: int
    source: str
    tree: ast.Module


@cache
def code_cells(notebook: Path) -> tuple[CodeCell, ...]:
    """The notebook's code cells, parsed (IPython magics, lines starting with % or !, are left out)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        python = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n"))
        found.append(CodeCell(index, source, ast.parse(python, filename=f"{Path(notebook).name} cell {index}")))
    return tuple(found)


def defined_names(tree: ast.Module) -> set[str]:
    """Names of the functions and classes a cell defines at its top level."""
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def _target_names(target: ast.expr) -> Iterable[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def assigned_names(tree: ast.Module) -> set[str]:
    """Names a cell assigns at its top level (``x[...] = ...`` and ``x.y = ...`` assign no name)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(_target_names(target))
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            names.update(_target_names(node.target))
    return names


def find_cell(notebook: Path, name: str, *, defines: bool) -> CodeCell:
    """The one code cell that defines (``defines=True``) or assigns ``name``; NotebookCodeError otherwise."""
    how = f"defined (def {name}( or class {name}( )" if defines else f"assigned ({name} = ...)"
    names = defined_names if defines else assigned_names
    cells = [cell for cell in code_cells(Path(notebook)) if name in names(cell.tree)]
    if len(cells) != 1:
        indices = ", ".join(str(cell.index) for cell in cells)
        where = f"{len(cells)} code cells (cells {indices})" if cells else "no code cell"
        raise NotebookCodeError(f"{Path(notebook).name}: {name!r} is {how} in {where}; exactly one is needed")
    cell = cells[0]
    for kind, markers in (("exercise scaffolding", EXERCISE_MARKERS), ("plotting", PLOTTING_MARKERS)):
        marker = next((marker for marker in markers if marker in cell.source), None)
        if marker:
            raise NotebookCodeError(f"{Path(notebook).name}: the code cell where {name!r} is {how} (cell "
                                    f"{cell.index}) contains {kind} ({marker!r}) and must not run outside the notebook")
    return cell


def keeping_given_names(body: list[ast.stmt], namespace: dict) -> list[ast.stmt]:
    """``body`` without the imports of names ``namespace`` already holds: a ``SEED`` the caller gives
    (another seed, as a benchmark chooses) is not replaced by the cell's ``from helpers.setup import SEED``."""
    kept = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            aliases = [alias for alias in node.names if (alias.asname or alias.name).split(".")[0] not in namespace]
            if not aliases:
                continue
            fields = {field: getattr(node, field) for field in node._fields if field != "names"}
            node = ast.copy_location(type(node)(names=aliases, **fields), node)
        kept.append(node)
    return kept


def compiled(notebook: Path, cell: CodeCell, module: ast.Module):
    """``module`` (part of ``cell``) compiled under the cell's name, whose source ``inspect`` can then find.

    TensorFlow's AutoGraph reads a function's source before it converts it (``Dataset.map`` does);
    without it, it warns and runs the function unconverted.
    """
    filename = f"{Path(notebook).name} cell {cell.index}"
    linecache.cache[filename] = (len(cell.source), None, cell.source.splitlines(True), filename)
    return compile(module, filename, "exec")


def definitions(notebook: Path, names: Iterable[str], namespace: dict) -> dict:
    """Define the notebook's functions and classes ``names`` in ``namespace``, which is returned.

    Only the import statements and the definitions of each cell that defines one of ``names`` run,
    not the lines that try them out (those need the notebook's data). The definitions see
    ``namespace`` as their globals, so names they look up when called (``SEED``, data, other
    functions) come from it, and default arguments from it as it is now.
    """
    for cell in dict.fromkeys(find_cell(notebook, name, defines=True) for name in names):
        body = [node for node in cell.tree.body if isinstance(node, ast.Import | ast.ImportFrom | ast.FunctionDef
                                                               | ast.AsyncFunctionDef | ast.ClassDef)]
        module = ast.fix_missing_locations(ast.Module(body=keeping_given_names(body, namespace), type_ignores=[]))
        exec(compiled(notebook, cell, module), namespace)
    return namespace


def run_cell(notebook: Path, assigns: str, namespace: dict) -> str:
    """Run the notebook's code cell that assigns ``assigns``, in ``namespace``; the text it printed.

    ``namespace`` must hold what the cell uses from earlier cells (data, ``SEED``, functions from
    :func:`definitions`); it receives everything the cell assigns. What the cell prints is
    captured and returned, so a benchmark prints only its own table.
    """
    cell = find_cell(notebook, assigns, defines=False)
    module = ast.fix_missing_locations(ast.Module(body=keeping_given_names(cell.tree.body, namespace), type_ignores=[]))
    code = compiled(notebook, cell, module)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, namespace)
    return printed.getvalue()
