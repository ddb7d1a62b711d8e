"""The project's promises to a new user: README commands, CI, pins, lint."""

import re
import subprocess
import sys
from pathlib import Path

from helpers.setup import MINIMUM_VERSIONS, REPOSITORY

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def code_blocks(markdown: str) -> list[str]:
    return re.findall(r"```(?:bash)?\n(.*?)```", markdown, re.S)


def test_readme_gives_venv_install_open_and_test_commands():
    commands = [line.split("#")[0].strip() for block in code_blocks(README) for line in block.splitlines()]
    for expected in ("python3 -m venv .venv", "source .venv/bin/activate", "pip install -r requirements.txt",
                     "jupyter lab", "pytest"):
        assert expected in commands, expected


def test_ci_runs_the_readme_install_and_test_commands_in_a_fresh_venv():
    lines = [line.strip() for line in CI.splitlines()]
    assert "python3 -m venv .venv" in lines
    assert "pip install -q -r requirements.txt" in lines
    assert "pytest" in lines
    assert lines.index("python3 -m venv .venv") < lines.index("pytest")


def test_requirements_pin_compatible_releases_and_install_the_package():
    requirements = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    requirements = [line for line in requirements if line]
    assert "-e ." in requirements
    pins = {line.split("~=")[0]: line.split("~=")[1] for line in requirements if "~=" in line}
    for package in ("tensorflow", "keras", "numpy", "matplotlib", "seaborn", "jupyterlab", "nbval", "pytest"):
        assert package in pins, package
    assert pins["tensorflow"].startswith("2.21")
    assert all("==" not in line and ">" not in line for line in requirements), "compatible-release pins only"


def test_environment_yml_installs_through_requirements():
    environment = (ROOT / "environment.yml").read_text()
    assert "conda-forge" in environment and "nodefaults" in environment and "python=3.12" in environment
    assert "-r requirements.txt" in environment


def test_package_minimums_admit_colabs_stack():
    pyproject = (ROOT / "pyproject.toml").read_text()
    colab = dict(line.split("==") for line in (ROOT / ".ci" / "colab-stack.txt").read_text().splitlines()
                 if "==" in line and not line.startswith("#"))
    for package, minimum in MINIMUM_VERSIONS.items():
        assert f'"{package}>={minimum}' in pyproject, package
        if package in colab:
            assert colab[package].rstrip(".*") == minimum or package == "numpy", (package, colab[package])


def test_readme_lists_every_notebook_with_its_colab_badge():
    for notebook in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        assert f"(notebooks/{notebook.name})" in README, notebook.name
        assert f"colab.research.google.com/github/{REPOSITORY}/blob/main/notebooks/{notebook.name}" in README


def test_readme_credits_mnist_authors_and_licence():
    for text in ("Yann LeCun", "Corinna Cortes", "Burges", "Attribution-Share Alike 3.0"):
        assert text in README and text in (ROOT / "data" / "README.md").read_text()


def test_nothing_reads_the_shared_folder_at_run_time():
    sources = [*ROOT.glob("helpers/**/*.py"), *ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("*.py"),
               *ROOT.glob("benchmarks/*.py")]
    assert sources
    for path in sources:
        assert "../shared" not in path.read_text(encoding="utf-8"), path


def test_ruff_check_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_file_that_uses_the_trained_model_shares_one_pytest_worker():
    """pytest's two workers must never race on models/dense_full.keras (see conftest.py)."""
    from conftest import SHARED_MODEL_FILES

    uses_model = re.compile(r"load_or_train\(\)|MODELS_DIR|save_model\([^)]*dense_full")
    files = [path for path in [*(ROOT / "tests").glob("test_*.py"), *(ROOT / "notebooks").glob("*.ipynb")]
             if path != Path(__file__)]  # this file only names the pattern
    using = {path.relative_to(ROOT).as_posix() for path in files if uses_model.search(path.read_text(encoding="utf-8"))}
    assert using, "the pattern finds nothing: has load_or_train been renamed?"
    assert using <= SHARED_MODEL_FILES, f"add to conftest.SHARED_MODEL_FILES: {sorted(using - SHARED_MODEL_FILES)}"
    assert all((ROOT / path).exists() for path in SHARED_MODEL_FILES)


def test_notebook_03_runs_first_so_no_test_trains_its_model_before_it():
    """conftest.py moves notebook 03 to the front; each notebook's cells keep their order."""
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0"], cwd=ROOT,
                            capture_output=True, text=True)
    items = [line for line in result.stdout.splitlines() if "::" in line]
    files = list(dict.fromkeys(item.split("::")[0] for item in items))
    assert files[0] == "notebooks/03_training.ipynb" and "tests/test_widgets.py" in files, result.stdout[-2000:]
    cells = [item for item in items if item.startswith(files[0])]
    assert cells == items[:len(cells)] and cells[:2] == [f"{files[0]}::Cell 0", f"{files[0]}::Cell 1"]
