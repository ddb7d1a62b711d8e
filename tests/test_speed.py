"""The benchmarks' timing harness (benchmarks/training_speed.py) and its XLA switch under op determinism,
the seed spread (benchmarks/seed_spread.py) and how both take their code from the notebooks
(benchmarks/notebook_code.py).

These check arithmetic and behaviour, never how fast this machine is (timings vary); what trains
does so on a few hundred images.
"""

import sys
import warnings
from pathlib import Path

import keras
import numpy as np
import pytest
from tensorflow.python.framework import config as tf_config

from helpers.setup import SEED

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import notebook_code  # noqa: E402
import seed_spread  # noqa: E402
import training_speed  # noqa: E402

NOTEBOOK_08, NOTEBOOK_09 = seed_spread.NOTEBOOK, training_speed.NOTEBOOK
# Every name the benchmarks take from a notebook: definitions, and names of the cells they run.
DEFINED = {NOTEBOOK_08: ["batches", "dense_network", "train_dense"],
           NOTEBOOK_09: ["dense_network", "batches", "EpochTimer"]}
ASSIGNED = {NOTEBOOK_08: ["cosine_30_epochs", "cnn_model", "one_cycle", "cnn_history"],
            NOTEBOOK_09: ["SETUPS", "original_model", "fast_model"]}


@pytest.fixture
def determinism_on():
    """Op determinism on for the test, as setup_notebook() leaves it; the previous state restored after."""
    was_enabled = tf_config.is_op_determinism_enabled()
    tf_config.enable_op_determinism()
    yield
    if not was_enabled:
        tf_config.disable_op_determinism()


@pytest.fixture(scope="module")
def tiny_data():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (200, 28, 28), dtype=np.uint8), rng.integers(0, 10, 200).astype(np.uint8)


def test_op_determinism_off_restores_the_previous_state(determinism_on):
    with training_speed.op_determinism_off():
        assert not tf_config.is_op_determinism_enabled()
    assert tf_config.is_op_determinism_enabled()
    with pytest.raises(KeyError), training_speed.op_determinism_off():
        raise KeyError("an error inside the block")
    assert tf_config.is_op_determinism_enabled()


@pytest.mark.parametrize("notebook", [NOTEBOOK_08, NOTEBOOK_09], ids=["08", "09"])
def test_every_name_the_benchmarks_use_is_in_exactly_one_runnable_cell(notebook):
    cells = notebook_code.code_cells(notebook)
    for name in DEFINED[notebook]:
        assert [cell.index for cell in cells if name in notebook_code.defined_names(cell.tree)] == [
            notebook_code.find_cell(notebook, name, defines=True).index]
    for name in ASSIGNED[notebook]:
        cell = notebook_code.find_cell(notebook, name, defines=False)
        assert [c.index for c in cells if name in notebook_code.assigned_names(c.tree)] == [cell.index]
        assert "BEGIN SOLUTION" not in cell.source and "plot" not in cell.source


def test_a_missing_or_repeated_name_is_an_error_naming_the_notebook_and_the_name():
    with pytest.raises(notebook_code.NotebookCodeError, match=r"09_faster_and_trustworthy\.ipynb.*'no_such_model'"):
        notebook_code.run_cell(NOTEBOOK_09, "no_such_model", {})
    with pytest.raises(notebook_code.NotebookCodeError, match=r"08_going_further\.ipynb.*'no_such_network'"):
        notebook_code.definitions(NOTEBOOK_08, ["dense_network", "no_such_network"], {})
    ladder = r"08_going_further\.ipynb: 'model' is assigned .* in \d+ code cells \(cells \d+, \d+"
    with pytest.raises(notebook_code.NotebookCodeError, match=ladder):
        notebook_code.run_cell(NOTEBOOK_08, "model", {})  # assigned by every rung of the ladder


def test_exercise_and_plotting_cells_are_never_run():
    with pytest.raises(notebook_code.NotebookCodeError, match="exercise scaffolding"):
        notebook_code.definitions(NOTEBOOK_08, ["dropout"], {})  # the learner writes it
    with pytest.raises(notebook_code.NotebookCodeError, match="plotting"):
        notebook_code.run_cell(NOTEBOOK_08, "maps", {})


def test_definitions_run_only_the_imports_and_definitions_of_their_cells():
    namespace = notebook_code.definitions(NOTEBOOK_08, ["dense_network", "batches"], {"SEED": 7})
    assert {"keras", "tf", "dense_network", "batches"} <= namespace.keys()
    assert "x_fit" not in namespace  # the cells' try-out lines, which need the data, did not run
    assert namespace["dense_network"].__globals__ is namespace  # SEED and data are looked up here


def test_run_cell_captures_what_the_cell_prints(capsys):
    namespace = {}
    printed = notebook_code.run_cell(NOTEBOOK_09, "SETUPS", namespace)
    assert capsys.readouterr().out == ""
    assert printed.count("\n") == len(namespace["SETUPS"]) == len(training_speed.SETUPS)


def test_the_network_is_notebook_09s_784_128_10():
    model = training_speed.dense_network()
    assert model.count_params() == 101_770
    assert [layer.__class__.__name__ for layer in model.layers] == ["Flatten", "Dense", "Dense"]


def test_keras_keeps_jit_compile_only_with_determinism_off(determinism_on):
    model = training_speed.dense_network()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that it turns XLA off
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", jit_compile=True)
    assert not model.jit_compile
    with training_speed.op_determinism_off():
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", jit_compile=True)
    assert model.jit_compile


def test_flop_counts_the_rule_and_the_work_really_done():
    assert training_speed.rule_flop() == 6 * 60_000 * 101_632
    assert training_speed.rule_flop() / 1e9 == pytest.approx(36.6, abs=0.05)
    assert training_speed.work_flop() / 1e9 == pytest.approx(24.5, abs=0.05)
    assert training_speed.work_flop() < training_speed.rule_flop()


def test_matmul_rate_is_positive_and_refuses_bad_sizes():
    assert training_speed.matmul_gflops(size=64, repeats=2) > 0
    with pytest.raises(ValueError):
        training_speed.matmul_gflops(size=0)


def test_step_products_rate_is_positive_and_refuses_bad_sizes():
    with training_speed.op_determinism_off():
        assert training_speed.step_products_gflops(batch_size=8, steps=2, repeats=2) > 0
        with pytest.raises(ValueError):
            training_speed.step_products_gflops(steps=0)


def test_batches_serve_every_image_once_per_epoch_in_the_same_batches_reshuffled():
    x = np.arange(40, dtype=np.uint8)[:, None, None] * np.ones((40, 28, 28), np.uint8)
    y = np.arange(40)
    dataset = training_speed.batches(x, y, 4, seed=1)
    epochs = [[(images.numpy(), labels.numpy()) for images, labels in dataset] for _ in range(2)]
    for served in epochs:
        images, labels = (np.concatenate(part) for part in zip(*served))
        assert sorted(labels) == list(range(40))
        np.testing.assert_array_equal(images[:, 0, 0], labels.astype(np.float32) / 255)  # its own label, scaled
    first, second = ([tuple(labels) for _, labels in served] for served in epochs)
    assert sorted(first) == sorted(second) and first != second


def test_batches_refuse_a_size_that_does_not_divide_the_data():
    with pytest.raises(ValueError, match="dividing"):
        training_speed.batches(np.zeros((10, 28, 28)), np.zeros(10), 3)


def test_setups_start_from_the_original_and_end_with_every_change():
    first, last = training_speed.SETUPS[0], training_speed.SETUPS[-1]
    assert (first.batch_size, first.steps_per_execution, first.tf_data) == (16, 1, False)
    assert last.steps_per_execution == training_speed.TIMED_IMAGES // last.batch_size and last.tf_data  # a whole epoch


@pytest.mark.parametrize("index", [0, -1], ids=["original", "fastest"])
def test_epoch_seconds_scales_a_short_run_to_60000_images(index, tiny_data):
    x, y = tiny_data
    setup = training_speed.SETUPS[index]._replace(batch_size=16 if index == 0 else 50, steps_per_execution=1)
    assert 0 < training_speed.epoch_seconds(setup, x, y) < 600


def test_measure_interleaves_matmul_and_setups(tiny_data, monkeypatch):
    monkeypatch.setattr(training_speed, "matmul_gflops", lambda: 50.0)
    monkeypatch.setattr(training_speed, "epoch_seconds", lambda setup, x, y: float(setup.batch_size))
    rates, seconds = training_speed.measure(*tiny_data, repeats=2)
    assert rates == [50.0] * 3 and seconds[0] == [16.0, 16.0] and len(seconds) == len(training_speed.SETUPS)
    with pytest.raises(ValueError):
        training_speed.measure(*tiny_data, repeats=0)


@pytest.fixture(scope="module")
def race_data():
    """500 images: two whole batches of the fast recipe's 250."""
    rng = np.random.default_rng(1)
    return rng.integers(0, 256, (500, 28, 28), dtype=np.uint8), rng.integers(0, 10, 500).astype(np.uint8)


def test_fast_recipe_is_reproducible_and_leaves_determinism_on(race_data, determinism_on, capsys):
    x, y = race_data
    first, seconds = training_speed.train_fast(x, y)
    second, _ = training_speed.train_fast(x, y)
    for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert seconds > 0 and capsys.readouterr().out == ""  # the cell's own lines are not printed
    assert not first.jit_compile and first.steps_per_execution * 250 == 60_000  # a whole epoch per call
    assert first.history.params["epochs"] == 4 and first.history.params["steps"] == len(x) // 250
    assert tf_config.is_op_determinism_enabled()
    assert isinstance(first, keras.Sequential) and first.count_params() == 101_770


def test_original_recipe_trains_five_epochs_of_batches_of_16_on_the_first_10000_images(race_data):
    x, y = race_data
    model, seconds = training_speed.train_original(x[:160], y[:160])
    assert seconds > 0 and model.history.params["epochs"] == 5
    assert model.history.params["steps"] == 144 // 16  # 10% held out for validation
    assert model.count_params() == 101_770


@pytest.fixture(scope="module")
def spread_data():
    """Notebook 08's fit, validation and test sets, 256, 64 and 64 images, uint8 as the notebook keeps them."""
    rng = np.random.default_rng(2)
    x, y = rng.integers(0, 256, (384, 28, 28), dtype=np.uint8), rng.integers(0, 10, 384).astype(np.uint8)
    return (x[:256], y[:256]), (x[256:320], y[256:320]), (x[320:], y[320:])


@pytest.mark.parametrize("name", ["dense", "cnn"])
def test_seed_spread_trains_08s_networks_with_the_seed_it_is_given(name, spread_data, capsys):
    namespace = seed_spread.recipe(name, 7, spread_data)
    model = namespace[seed_spread.RECIPES[name][1]]
    seeded = [layer for layer in model.layers if layer.__class__.__name__ in ("RandomTranslation", "Dropout")]
    assert seeded and all(layer.seed == 7 for layer in seeded)
    epochs = {"dense": 30, "cnn": 5}[name]
    assert namespace["tuned_history" if name == "dense" else "cnn_history"].params["epochs"] == epochs
    assert model.count_params() == {"dense": 101_770, "cnn": 44_170}[name]
    assert capsys.readouterr().out == ""


def test_seed_spread_is_reproducible_for_a_seed(spread_data):
    assert seed_spread.train("cnn", SEED, spread_data) == seed_spread.train("cnn", SEED, spread_data)
    with pytest.raises(ValueError, match="dense, cnn"):
        seed_spread.train("resnet", SEED, spread_data)
