"""mnist_neural_network.py, the original one-command run: really run as a user would, in a subprocess."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "mnist_neural_network.py"


def headless_env() -> dict[str, str]:
    """The environment of a server or CI run: no display, no backend forced from outside."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_script(*args: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=cwd, env=headless_env(),
                          capture_output=True, text=True, timeout=timeout)


def load_script_module():
    spec = importlib.util.spec_from_file_location("mnist_neural_network", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """One real run with small settings (2,000 images, 2 epochs) into a temporary figures folder.

    Two epochs, not one: with a single epoch Keras prints no "Epoch 1/1" header line.
    """
    figures_dir = tmp_path_factory.mktemp("run") / "figures"
    result = run_script("--train-size", "2000", "--epochs", "2", "--figures-dir", str(figures_dir),
                        cwd=tmp_path_factory.getbasetemp())
    return result, figures_dir


@pytest.mark.slow
def test_small_run_succeeds_quietly(small_run):
    result, _ = small_run
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "TensorFlow's start-up lines and warnings must not reach the terminal"


@pytest.mark.slow
def test_small_run_prints_the_plan_one_line_per_epoch_and_the_test_accuracy(small_run):
    lines = small_run[0].stdout.splitlines()
    assert lines[0].startswith("Ready on this computer: TensorFlow")
    assert lines[1] == ("Training on 2,000 images (1,800 to learn from, 200 held out for validation) "
                        "for 2 epochs, batch size 16:")
    for epoch in (1, 2):
        # verbose=2: a header and a single summary line per epoch, with the validation metrics
        summary = lines[lines.index(f"Epoch {epoch}/2") + 1]
        assert re.match(r"^113/113 - .*accuracy: 0\.\d+ - loss: .* - val_accuracy: 0\.\d+ - val_loss: ", summary)
    accuracy_lines = [line for line in lines if line.startswith("Test accuracy: ")]
    assert len(accuracy_lines) == 1
    accuracy = float(re.match(r"Test accuracy: (\d+\.\d\d)% \(on 10,000 images", accuracy_lines[0]).group(1))
    assert 70 < accuracy < 100, "even one epoch on 2,000 images reads most digits"


@pytest.mark.slow
def test_small_run_saves_both_figures_as_png(small_run):
    result, figures_dir = small_run
    for name, minimum_size in (("predictions.png", (900, 450)), ("confidence_per_digit.png", (700, 350))):
        path = figures_dir / name
        assert path.is_file(), result.stdout
        saved = [line.removeprefix("Saved ") for line in result.stdout.splitlines() if line.startswith("Saved ")]
        assert any((figures_dir.parent.parent / shown).resolve() == path.resolve() for shown in saved), saved
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size[0] >= minimum_size[0] and image.size[1] >= minimum_size[1]
    assert "Close the figure windows" not in result.stdout, "no window without a display"


def test_help_explains_every_option_without_loading_tensorflow():
    result = run_script("--help", timeout=60)
    assert result.returncode == 0
    for option in ("--train-size", "--full", "--epochs", "--batch-size", "--seed", "--figures-dir", "--no-show"):
        assert option in result.stdout
    assert "10,000" in result.stdout and "60,000" in result.stdout
    assert "Ready on" not in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--train-size", "0"], "argument --train-size: must be from 10 to 60,000, got 0"),
    (["--train-size", "60001"], "argument --train-size: must be from 10 to 60,000, got 60,001"),
    (["--epochs", "0"], "argument --epochs: must be at least 1, got 0"),
    (["--batch-size", "-4"], "argument --batch-size: must be at least 1, got -4"),
    (["--epochs", "five"], "argument --epochs: 'five' is not a whole number"),
    (["--full", "--train-size", "500"], "argument --train-size: not allowed with argument --full"),
])
def test_bad_arguments_give_a_clear_error_and_exit_code_2(args, message):
    result = run_script(*args, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.startswith("usage: mnist_neural_network.py")


def test_defaults_are_the_original_recipe():
    args = load_script_module().build_parser().parse_args([])
    assert (args.train_size, args.epochs, args.batch_size, args.full) == (10_000, 5, 16, False)


def test_full_trains_on_every_image():
    module = load_script_module()
    assert module.build_parser().parse_args(["--full"]).full
    assert module.MNIST_TRAIN_IMAGES == 60_000


@pytest.mark.parametrize("platform, env, expected", [
    ("linux", {}, False),
    ("linux", {"DISPLAY": ":0"}, True),
    ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, True),
    ("win32", {}, True),
    ("darwin", {}, True),
])
def test_windows_only_where_there_is_a_display(monkeypatch, platform, env, expected):
    module = load_script_module()
    monkeypatch.setattr(module.sys, "platform", platform)
    for key in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert module.display_available() is expected
