"""The notebooks' set-up cell in a fake Colab: run twice, it leaves one clone and reinstalls nothing.

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


@pytest.mark.slow
def test_setup_cell_in_fake_colab_clones_once_and_reinstalls_nothing(tmp_path):
    bare = tmp_path / "github" / "mnist.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(ROOT), str(bare)], check=True)
    content = tmp_path / "content"
    content.mkdir()
    cell = setup_cell_source()
    assert 'f"https://github.com/{REPOSITORY}"' in cell and '"/content/"' in cell
    cell = cell.replace('f"https://github.com/{REPOSITORY}"', repr(str(bare)))
    cell = cell.replace('"/content/"', repr(f"{content}/"))
    (tmp_path / "cell.py").write_text(cell)
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
