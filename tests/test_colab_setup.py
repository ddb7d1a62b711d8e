"""The notebooks in a fake Colab: the set-up cell, run twice, leaves one clone and reinstalls nothing;
Run All on every learner notebook reaches its last cell, with the series' code from the clone.

Colab is stood in for by a ``google.colab`` module in ``sys.modules``, GitHub by a local
bare repository made from this project, and ``/content`` by a temporary folder.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy
import pytest

from helpers.setup import REPOSITORY

ROOT = Path(__file__).resolve().parent.parent
FIRST_NOTEBOOK = sorted((ROOT / "notebooks").glob("0*.ipynb"))[0]

DRIVER = textwrap.dedent('''
    import json, subprocess, sys, types

    import google  # the real namespace package (protobuf lives in it); add a fake colab beside it
    google.colab = sys.modules["google.colab"] = types.ModuleType("google.colab")

    calls = []
    real_run = subprocess.run
    def recording_run(command, *args, **kwargs):
        calls.append(list(command))
        return real_run(command, *args, **kwargs)
    subprocess.run = recording_run

    cell = open(sys.argv[1]).read()
    exec(cell, {})
    exec(cell, {})  # a learner re-runs the cell
    import helpers, numpy, tensorflow
    print(json.dumps({"calls": calls, "helpers": helpers.__file__, "numpy": numpy.__file__,
                      "tensorflow": tensorflow.__file__, "sys_path": sys.path}))
''')


def setup_cell_source() -> str:
    """The two set-up cells as one program: the folded Colab fetching, then setup_notebook()."""
    cells = json.loads(FIRST_NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    fetch, setup = [cell for cell in cells if cell["cell_type"] == "code"][:2]
    return "".join(fetch["source"]) + "\n\n" + "".join(setup["source"])


def pointed_at_stand_ins(fetching: str, github: Path, content: Path) -> str:
    """The folded fetching cell's source, cloning from ``github`` into ``content`` instead of GitHub and /content."""
    assert 'f"https://github.com/{REPOSITORY}"' in fetching and '"/content/"' in fetching
    return (fetching.replace('f"https://github.com/{REPOSITORY}"', repr(str(github)))
            .replace('"/content/"', repr(f"{content}/")))


@pytest.fixture(scope="module")
def github(tmp_path_factory) -> Path:
    """GitHub, stood in for by a bare clone of this project."""
    bare = tmp_path_factory.mktemp("github") / "mnist.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(ROOT), str(bare)], check=True)
    return bare


@pytest.mark.slow
def test_setup_cell_in_fake_colab_clones_once_and_reinstalls_nothing(github, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "cell.py").write_text(pointed_at_stand_ins(setup_cell_source(), github, content))
    (tmp_path / "driver.py").write_text(DRIVER)

    result = subprocess.run([sys.executable, str(tmp_path / "driver.py"), str(tmp_path / "cell.py")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    clone = content / REPOSITORY.split("/")[1]

    assert [path.name for path in content.iterdir()] == [clone.name], "exactly one clone"
    git_calls = [call[:2] for call in report["calls"] if call[0] == "git"]
    assert git_calls == [["git", "clone"]], "cloned once, on the first run only"
    assert not any("pip" in " ".join(call) or "install" in call for call in report["calls"]), report["calls"]
    assert report["helpers"].startswith(str(clone)), "helpers imported from the clone"
    assert report["sys_path"].count(str(clone)) == 1
    site_packages = str(Path(numpy.__file__).parents[1])
    assert report["numpy"].startswith(site_packages) and report["tensorflow"].startswith(site_packages)
    assert result.stdout.count("Ready on Google Colab") == 2


# Run All in a fake Colab: every learner notebook, opened as Colab opens it from GitHub (its folder is
# /content, not the project), with every exercise blank. Colab's own page cannot be reached offline;
# this runs what it runs, in a kernel where `google.colab` exists, so the folded cell clones the
# series and every later cell works from the clone. Training is cut to a few steps (classroom.cut),
# so the run takes seconds, not the lessons' minutes; which cells run, and which checks, is unchanged.
COLAB_STARTUP = textwrap.dedent('''
    import sys as _sys, types as _types
    import google as _google  # the real namespace package; a fake colab beside it
    _google.colab = _sys.modules["google.colab"] = _types.ModuleType("google.colab")
    __import__("classroom.cut").cut.cut_training()
    del _sys, _types, _google
''')
LEARNER = sorted((ROOT / "learner").glob("0*.ipynb"))
WHERE_HELPERS_CAME_FROM = 'import helpers\nprint("helpers from", helpers.__file__)'


@pytest.mark.slow
@pytest.mark.parametrize("learner", LEARNER, ids=[path.stem for path in LEARNER])
def test_run_all_on_a_blank_learner_notebook_in_fake_colab_reaches_the_last_cell(learner, github, tmp_path,
                                                                                 monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    content, ipython = tmp_path / "content", tmp_path / "ipython"
    content.mkdir()
    (ipython / "profile_default" / "startup").mkdir(parents=True)
    (ipython / "profile_default" / "startup" / "00-fake-colab.py").write_text(COLAB_STARTUP)
    monkeypatch.setenv("IPYTHONDIR", str(ipython))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # a fresh Colab has no network saved
    for name in ("MNIST_MODELS_DIR", "MNIST_CHECKS_STOP", "NBGRADER_EXECUTION"):
        monkeypatch.delenv(name, raising=False)  # Colab has none of these: the clone's own models/ is used

    document = nbformat.read(learner, as_version=4)
    fetch = next(cell for cell in document.cells if cell.cell_type == "code")
    fetch.source = pointed_at_stand_ins(fetch.source, github, content)
    document.cells.append(nbformat.v4.new_code_cell(WHERE_HELPERS_CAME_FROM))
    NotebookClient(document, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(content)}}).execute()  # raises at the first error

    code = [cell for cell in document.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "every cell ran, the last one too"
    printed = ["".join(output.get("text", "") for output in cell.outputs) for cell in code]
    clone = content / REPOSITORY.split("/")[1]
    assert f"helpers from {clone}/" in printed[-1], printed[-1]
    assert any("Ready on Google Colab" in text for text in printed)
    assert sum("✗ Not yet" in text for text in printed) >= 3, "each blank exercise's check says so"
    if learner.stem[:2] in {"05", "06", "07", "09"}:  # they load notebook 03's network: a fresh clone has none
        assert any("Training dense_full" in text for text in printed), "the missing network is trained"
