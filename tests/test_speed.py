"""helpers.speed (XLA under op determinism) and the timing harness in benchmarks/training_speed.py.

These check arithmetic and behaviour, never how fast this machine is (timings vary).
"""

import sys
import warnings
from pathlib import Path

import keras
import numpy as np
import pytest
from tensorflow.python.framework import config as tf_config

from helpers import speed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import training_speed  # noqa: E402


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
    return rng.random((200, 28, 28), dtype=np.float32), rng.integers(0, 10, 200).astype(np.uint8)


def test_op_determinism_off_restores_the_previous_state(determinism_on):
    with speed.op_determinism_off():
        assert not tf_config.is_op_determinism_enabled()
    assert tf_config.is_op_determinism_enabled()
    with pytest.raises(KeyError), speed.op_determinism_off():
        raise KeyError("an error inside the block")
    assert tf_config.is_op_determinism_enabled()


def test_keras_keeps_jit_compile_only_with_determinism_off(determinism_on):
    model = training_speed.dense_network()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that it turns XLA off
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", jit_compile=True)
    assert not model.jit_compile
    with speed.op_determinism_off():
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
    with speed.op_determinism_off():
        assert training_speed.step_products_gflops(batch_size=8, steps=2, repeats=2) > 0
        with pytest.raises(ValueError):
            training_speed.step_products_gflops(steps=0)


def test_batches_serve_every_image_once_per_epoch_in_the_same_batches_reshuffled():
    x = np.arange(40, dtype=np.float32)[:, None, None] * np.ones((40, 28, 28), np.float32)
    y = np.arange(40)
    dataset = training_speed.batches(x, y, 4, seed=1)
    epochs = [[(images.numpy(), labels.numpy()) for images, labels in dataset] for _ in range(2)]
    for served in epochs:
        images, labels = (np.concatenate(part) for part in zip(*served))
        assert sorted(labels) == list(range(40))
        np.testing.assert_array_equal(images[:, 0, 0], labels)  # each image still has its own label
    first, second = ([tuple(labels) for _, labels in served] for served in epochs)
    assert sorted(first) == sorted(second) and first != second


def test_batches_refuse_a_size_that_does_not_divide_the_data():
    with pytest.raises(ValueError, match="dividing"):
        training_speed.batches(np.zeros((10, 28, 28)), np.zeros(10), 3)


def test_setups_start_from_the_original_and_end_with_every_change():
    first, last = training_speed.SETUPS[0], training_speed.SETUPS[-1]
    assert (first.batch_size, first.jit_compile, first.steps_per_execution, first.tf_data) == (16, False, 1, False)
    assert last.jit_compile and last.steps_per_execution == 60_000 // last.batch_size and last.tf_data


@pytest.mark.parametrize("index", [0, -1], ids=["original", "fastest"])
def test_epoch_seconds_scales_a_short_run_to_60000_images(index, tiny_data):
    x, y = tiny_data
    setup = training_speed.SETUPS[index]._replace(batch_size=16 if index == 0 else 50, steps_per_execution=1)
    with speed.op_determinism_off():
        seconds = training_speed.epoch_seconds(setup, x, y)
    assert 0 < seconds < 600


def test_measure_interleaves_matmul_and_setups(tiny_data, monkeypatch):
    monkeypatch.setattr(training_speed, "matmul_gflops", lambda: 50.0)
    monkeypatch.setattr(training_speed, "epoch_seconds", lambda setup, x, y: float(setup.batch_size))
    rates, seconds = training_speed.measure(*tiny_data, repeats=2)
    assert rates == [50.0] * 3 and seconds[0] == [16.0, 16.0] and len(seconds) == len(training_speed.SETUPS)
    with pytest.raises(ValueError):
        training_speed.measure(*tiny_data, repeats=0)


def test_fast_recipe_is_reproducible_and_leaves_determinism_on(tiny_data, determinism_on):
    x, y = tiny_data
    first = training_speed.train_fast(x, y, epochs=1, batch_size=50)
    second = training_speed.train_fast(x, y, epochs=1, batch_size=50)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not first.jit_compile and first.steps_per_execution == len(x) // 50  # a whole epoch per call
    assert tf_config.is_op_determinism_enabled()
    assert isinstance(first, keras.Sequential)
