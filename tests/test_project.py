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
            major_minor = ".".join(colab[package].split(".")[:2])
            assert major_minor == minimum or package == "numpy", (package, colab[package])


def test_readme_lists_every_notebook_with_its_colab_badge():
    """Each notebook's name links to the full edition (to read); its Colab badge opens the learner edition."""
    for notebook in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        assert f"(notebooks/{notebook.name})" in README, notebook.name
        assert f"colab.research.google.com/github/{REPOSITORY}/blob/main/learner/{notebook.name}" in README
        assert (ROOT / "learner" / notebook.name).exists(), notebook.name
    assert f"colab.research.google.com/github/{REPOSITORY}/blob/main/notebooks/" not in README


def test_readme_binder_link_opens_the_learner_edition():
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", README)
    assert links == [f"https://mybinder.org/v2/gh/{REPOSITORY}/HEAD?labpath=learner%2F01_loading_the_data.ipynb"]
    assert (ROOT / "learner" / "01_loading_the_data.ipynb").exists()
    # Binder installs the project's requirements, whose `-e .` makes helpers importable from learner/.
    assert (ROOT / "binder" / "requirements.txt").read_text().count("-r ../requirements.txt") == 1


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


def test_the_tests_own_their_models_folder():
    """conftest.py names a folder of pytest's own in MNIST_MODELS_DIR: no test touches the learner's models/."""
    from helpers.model import PROJECT_MODELS_DIR, default_models_dir

    folder = default_models_dir()
    assert folder.is_dir() and folder != PROJECT_MODELS_DIR and ROOT not in folder.parents


def test_every_seed_is_the_series_seed():
    """No literal 42 seeds anything: SEED (MNIST_SEED) does, so another seed can stand in for another machine."""
    literal = re.compile(r"(seed\s*=\s*|set_random_seed\(|default_rng\()42\b|(?<!DEFAULT_)SEED\s*=\s*42\b")
    sources = [*ROOT.glob("helpers/*.py"), *ROOT.glob("benchmarks/*.py"), *ROOT.glob("notebooks/*.ipynb"),
               *ROOT.glob("tests/*.py"), *ROOT.glob("scripts/*.py"), ROOT / "mnist_neural_network.py"]
    found = [path.name for path in sources if path != Path(__file__) and literal.search(path.read_text("utf-8"))]
    assert found == []
