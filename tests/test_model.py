"""helpers.model: the original network, and load_or_train's load, train and recover paths.

Saving is tested on real file systems: a folder mounted read-only (as root, a read-only
bind mount in a private mount namespace; otherwise a folder without write permission),
processes saving the same model at once, and a process killed while it saves.
"""

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from helpers import model as model_helpers

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def private_user_cache(tmp_path, monkeypatch):
    """Keep the per-user fallback folder inside the test's own temporary folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def test_dense_model_has_the_original_shape_and_parameter_count():
    model = model_helpers.build_dense_model()
    assert model.count_params() == 784 * 128 + 128 + 128 * 10 + 10 == 101_770
    assert model.input_shape == (None, 28, 28)
    assert model.output_shape == (None, 10)
    assert [layer.__class__.__name__ for layer in model.layers] == ["Flatten", "Dense", "Dense"]
    assert model.layers[1].activation.__name__ == "relu"
    assert model.layers[2].activation.__name__ == "softmax"
    assert model.loss == "sparse_categorical_crossentropy"


def test_hidden_units_changes_the_parameter_count():
    assert model_helpers.build_dense_model(32).count_params() == 784 * 32 + 32 + 32 * 10 + 10


def test_outputs_are_probabilities():
    model = model_helpers.build_dense_model()
    probabilities = model.predict(np.random.default_rng(0).random((4, 28, 28)), verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-5)


TINY = {"train_size": 600, "epochs": 1}  # 540 images fitted, 60 validated: 5 steps of 128


@pytest.fixture
def tiny_training(monkeypatch):
    """Record how many images each real training run inside load_or_train used."""
    calls = []
    real_train = model_helpers.train_dense_model

    def counting_train(x, y, **kwargs):
        calls.append(len(x))
        return real_train(x, y, **kwargs)

    monkeypatch.setattr(model_helpers, "train_dense_model", counting_train)
    return calls


def test_load_or_train_trains_saves_then_loads(tmp_path, tiny_training):
    first = model_helpers.load_or_train("tiny", models_dir=tmp_path, **TINY)
    assert (tmp_path / "tiny.keras").exists() and tiny_training == [600]
    second = model_helpers.load_or_train("tiny", models_dir=tmp_path, **TINY)
    assert tiny_training == [600]  # loaded, not trained again
    images = np.random.default_rng(1).random((3, 28, 28)).astype("float32")
    np.testing.assert_allclose(first.predict(images, verbose=0), second.predict(images, verbose=0), rtol=1e-6)


def test_load_or_train_reads_no_data_when_the_model_loads(tmp_path, tiny_training, monkeypatch):
    model_helpers.load_or_train("tiny", models_dir=tmp_path, **TINY)
    reads = []
    real_load = model_helpers.load_mnist
    monkeypatch.setattr(model_helpers, "load_mnist", lambda *args: reads.append(1) or real_load(*args))
    model_helpers.load_or_train("tiny", models_dir=tmp_path, **TINY)
    assert reads == [] and tiny_training == [600]  # a second copy of MNIST would cost 55 MB for nothing
    (tmp_path / "tiny.keras").unlink()
    model_helpers.load_or_train("tiny", models_dir=tmp_path, **TINY)
    assert reads == [1] and tiny_training == [600, 600]


def test_load_or_train_is_reproducible(tmp_path, tiny_training):
    a = model_helpers.load_or_train("a", models_dir=tmp_path, **TINY)
    b = model_helpers.load_or_train("b", models_dir=tmp_path, **TINY)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)


def test_garbage_model_file_is_retrained_with_one_line_warning(tmp_path, tiny_training, capsys):
    (tmp_path / "broken.keras").write_bytes(b"this is not a keras file")
    model = model_helpers.load_or_train("broken", models_dir=tmp_path, **TINY)
    assert tiny_training == [600] and model.count_params() == 101_770
    warning = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Warning")]
    assert len(warning) == 1 and "broken.keras" in warning[0]
    model_helpers.keras.models.load_model(tmp_path / "broken.keras")  # overwritten with a good file


def test_training_steps_matches_what_fit_does(tmp_path, tiny_training):
    model = model_helpers.load_or_train("steps", models_dir=tmp_path, **TINY)
    assert int(model.optimizer.iterations) == model_helpers.training_steps(600, epochs=1, batch_size=128) == 5
    assert model_helpers.training_steps(60_000, epochs=16, batch_size=128) == 16 * 422


def test_model_saved_with_another_recipe_is_trained_again(tmp_path, tiny_training, capsys):
    model_helpers.load_or_train("recipe", models_dir=tmp_path, **TINY)
    model = model_helpers.load_or_train("recipe", models_dir=tmp_path, train_size=600, epochs=2)
    assert tiny_training == [600, 600] and int(model.optimizer.iterations) == 10
    warning = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Warning")]
    assert len(warning) == 1 and "another recipe (5 steps, expected 10)" in warning[0]


def test_save_model_writes_no_partial_file_and_leaves_no_scratch(tmp_path):
    model = model_helpers.build_dense_model(8)
    path = model_helpers.save_model(model, "small", tmp_path)
    assert path == tmp_path / "small.keras"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.keras"]
    assert model_helpers.keras.models.load_model(path).count_params() == model.count_params()


def run_python(code: str, env: dict[str, str], *, read_only: Path | None = None,
               timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python with ``read_only`` (if given) truly not writable for it.

    As root, permission bits do not stop writes, so the folder is bind-mounted read-only
    over itself in a private mount namespace (``unshare -m``): writes fail with EROFS, as
    on a read-only network share. Otherwise its write permission is removed.
    """
    command = [sys.executable, "-c", textwrap.dedent(code)]
    if read_only is not None:
        if os.geteuid() == 0:
            if not shutil.which("unshare"):
                pytest.fail("as root this test needs util-linux's unshare to mount a folder read-only")
            mount = f'mount --bind "{read_only}" "{read_only}" && mount -o remount,bind,ro "{read_only}"'
            command = ["unshare", "-m", "sh", "-c", f'{mount} && exec "$0" "$@"', *command]
        else:
            read_only.chmod(0o555)
    try:
        return subprocess.run(command, env={**os.environ, **env, "PYTHONPATH": str(PROJECT)},
                              capture_output=True, text=True, timeout=timeout)
    finally:
        read_only is not None and read_only.chmod(0o755)


TRAIN_TINY = """
    from pathlib import Path
    from helpers.model import load_or_train
    model = load_or_train("tiny", models_dir=Path({models!r}), train_size=600, epochs=1)
    print("trained model has", model.count_params(), "parameters")
"""


@pytest.mark.slow
def test_read_only_checkout_saves_in_the_user_folder_then_loads_from_it(tmp_path):
    checkout, cache = tmp_path / "checkout", tmp_path / "cache"
    (checkout / "models").mkdir(parents=True)
    env = {"XDG_CACHE_HOME": str(cache)}
    first = run_python(TRAIN_TINY.format(models=str(checkout / "models")), env, read_only=checkout)
    assert first.returncode == 0, first.stderr
    assert "Training tiny" in first.stdout and "101770 parameters" in first.stdout
    assert f"cannot save in {checkout / 'models'}" in first.stderr
    assert not list((checkout / "models").iterdir())
    saved = cache / "mnist-digit-identifier" / "models" / "tiny.keras"
    assert saved.is_file()
    second = run_python(TRAIN_TINY.format(models=str(checkout / "models")), env, read_only=checkout)
    assert second.returncode == 0, second.stderr
    assert "Training" not in second.stdout and "101770 parameters" in second.stdout


@pytest.mark.slow
def test_nothing_writable_keeps_the_model_in_memory_and_says_so(tmp_path):
    root = tmp_path / "everything"
    (root / "checkout" / "models").mkdir(parents=True)
    (root / "cache").mkdir()
    env = {"XDG_CACHE_HOME": str(root / "cache")}
    result = run_python(TRAIN_TINY.format(models=str(root / "checkout" / "models")), env, read_only=root)
    assert result.returncode == 0, result.stderr
    assert "101770 parameters" in result.stdout
    assert "tiny is kept in memory only" in result.stderr
    assert not list((root / "cache").iterdir())


SAVE_IN_A_LOOP = """
    import sys
    from pathlib import Path
    from helpers.model import build_dense_model, save_model
    model = build_dense_model({units})
    print("ready", flush=True)
    for _ in range({times}):
        save_model(model, "shared", Path({folder!r}))
"""


@pytest.mark.slow
def test_two_processes_saving_the_same_model_never_leave_a_broken_file(tmp_path):
    folder = tmp_path / "models"
    savers = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(SAVE_IN_A_LOOP.format(
        units=units, times=15, folder=str(folder)))], env={**os.environ, "PYTHONPATH": str(PROJECT)})
        for units in (16, 32)]
    loaded = 0
    while any(saver.poll() is None for saver in savers):
        if (folder / "shared.keras").exists():  # whenever it exists, it is a whole model
            units = model_helpers.keras.models.load_model(folder / "shared.keras").layers[1].units
            assert units in (16, 32)
            loaded += 1
    assert [saver.returncode for saver in savers] == [0, 0]
    assert loaded > 0
    assert [p.name for p in folder.iterdir()] == ["shared.keras"]  # no scratch folders left


@pytest.mark.slow
def test_a_process_killed_while_saving_leaves_the_previous_model_whole(tmp_path):
    folder = tmp_path / "models"
    model_helpers.save_model(model_helpers.build_dense_model(8), "shared", folder)
    for delay in (0.05, 0.2, 0.5):
        saver = subprocess.Popen([sys.executable, "-c", textwrap.dedent(SAVE_IN_A_LOOP.format(
            units=64, times=1000, folder=str(folder)))], env={**os.environ, "PYTHONPATH": str(PROJECT)},
            stdout=subprocess.PIPE, text=True)
        assert saver.stdout.readline().strip() == "ready"
        time.sleep(delay)
        saver.send_signal(signal.SIGKILL)
        saver.wait()
        units = model_helpers.keras.models.load_model(folder / "shared.keras").layers[1].units
        assert units in (8, 64)
    assert [p.name for p in folder.glob("*.keras")] == ["shared.keras"]  # scratch folders are hidden


def test_paths_are_shown_from_the_project_folder_or_home(tmp_path):
    assert model_helpers.shown_path(model_helpers.PROJECT_MODELS_DIR / "dense_full.keras") == "models/dense_full.keras"
    assert model_helpers.shown_path(Path.home() / ".cache" / "m.keras") == "~/.cache/m.keras"
    outside = Path("/") / "elsewhere" / "m.keras"
    assert model_helpers.shown_path(outside) == str(outside)


def test_the_models_folder_comes_from_mnist_models_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_MODELS_DIR", str(tmp_path))
    assert model_helpers.default_models_dir() == tmp_path
    assert model_helpers.model_path("dense_full") == tmp_path / "dense_full.keras"
    monkeypatch.delenv("MNIST_MODELS_DIR")
    assert model_helpers.default_models_dir() == model_helpers.PROJECT_MODELS_DIR


@pytest.mark.slow
def test_two_processes_that_need_the_model_at_once_train_it_once(tmp_path):
    script = textwrap.dedent(TRAIN_TINY.format(models=str(tmp_path)))
    runs = [subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(PROJECT)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert all("101770 parameters" in output for output in outputs)
    assert sum(output.count("Training tiny") for output in outputs) == 1, outputs


def test_epoch_progress_shows_every_epoch_on_one_line(capsys):
    import keras

    from helpers.model import EpochProgress

    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((8, 2)), np.zeros(8), epochs=3, verbose=0, callbacks=[EpochProgress()])
    assert capsys.readouterr().out == "epochs done: 1 2 3\n"
    model.fit(np.zeros((8, 2)), np.zeros(8), epochs=2, verbose=0, callbacks=[EpochProgress("batch 8")])
    assert capsys.readouterr().out == "batch 8: 1 2\n"
