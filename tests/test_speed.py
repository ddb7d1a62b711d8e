"""helpers.speed: FLOP counts, the matmul rate, timed set-ups and the time-to-accuracy race.

These check arithmetic and behaviour, never how fast this machine is (timings vary).
"""

import warnings

import numpy as np
import pytest
from tensorflow.python.framework import config as tf_config

from helpers import speed


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
    return rng.random((256, 28, 28), dtype=np.float32), rng.integers(0, 10, 256).astype(np.uint8)


def test_one_epoch_of_the_dense_network_costs_36_6_gflop():
    assert speed.dense_training_flop() == 6 * 60_000 * (784 * 128 + 128 * 10)
    assert speed.dense_training_flop() / 1e9 == pytest.approx(36.6, abs=0.05)
    assert speed.dense_training_flop(1, (4, 3, 2)) == 6 * (12 + 6)


def test_flop_count_refuses_nonsense():
    with pytest.raises(ValueError):
        speed.dense_training_flop(-1)
    with pytest.raises(ValueError):
        speed.dense_training_flop(10, (784,))


def test_matmul_rate_is_positive_and_refuses_bad_sizes():
    assert speed.matmul_gflops(size=64, repeats=2) > 0
    with pytest.raises(ValueError):
        speed.matmul_gflops(size=0)


def test_op_determinism_off_restores_the_previous_state(determinism_on):
    with speed.op_determinism_off():
        assert not tf_config.is_op_determinism_enabled()
    assert tf_config.is_op_determinism_enabled()
    with pytest.raises(KeyError), speed.op_determinism_off():
        raise KeyError("an error inside the block")
    assert tf_config.is_op_determinism_enabled()


def test_in_memory_dataset_serves_every_image_once_per_epoch_in_batches_reshuffled():
    x = np.arange(38, dtype=np.float32).reshape(38, 1) * np.ones((38, 3), np.float32)
    y = np.arange(38)
    dataset = speed.in_memory_dataset(x, y, batch_size=4, seed=1)
    epochs = [[(images.numpy(), labels.numpy()) for images, labels in dataset] for _ in range(2)]
    for batches in epochs:
        assert sorted(len(labels) for _, labels in batches) == [2] + [4] * 9  # 38 = 9 x 4 + 2
        images, labels = (np.concatenate(part) for part in zip(*batches))
        assert sorted(labels) == list(range(38))
        np.testing.assert_array_equal(images[:, 0], labels)  # each image still has its own label
    first_batches = [tuple(labels) for _, labels in epochs[0]]
    second_batches = [tuple(labels) for _, labels in epochs[1]]
    assert sorted(first_batches) == sorted(second_batches), "the batches are cut once and kept"
    assert first_batches != second_batches, "each epoch serves them in a new order"


def test_in_memory_dataset_is_reproducible_with_its_seed():
    x, y = np.zeros((40, 1), np.float32), np.arange(40)

    def order(seed):
        return [labels.numpy()[0] for _, labels in speed.in_memory_dataset(x, y, batch_size=4, seed=seed)]

    assert order(3) == order(3)
    assert order(3) != order(4)


def test_in_memory_dataset_refuses_mismatched_arrays():
    with pytest.raises(ValueError, match="labels"):
        speed.in_memory_dataset(np.zeros((3, 2)), np.zeros(2), batch_size=2)


def test_setups_start_from_the_original_and_end_with_every_change():
    first, last = speed.SETUPS[0], speed.SETUPS[-1]
    assert (first.batch_size, first.jit_compile, first.steps_per_execution, first.tf_data) == (16, False, 1, False)
    assert last is speed.FASTEST and last.jit_compile and last.steps_per_execution > 1 and last.tf_data
    assert len({setup.name for setup in speed.SETUPS}) == len(speed.SETUPS)


def test_compile_dense_refuses_to_pretend_jit_is_on_under_determinism(determinism_on):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras' own warning, which is what the error replaces
        with pytest.raises(RuntimeError, match="op_determinism_off"):
            speed.compile_dense(speed.FASTEST)
    with speed.op_determinism_off():
        model = speed.compile_dense(speed.FASTEST)
    assert model.jit_compile and model.count_params() == 101_770


@pytest.mark.parametrize("setup", [speed.SETUPS[0], speed.FASTEST], ids=["numpy", "tf.data+xla"])
def test_epoch_seconds_scales_a_short_run_to_60000_images(setup, tiny_data):
    x, y = tiny_data
    with speed.op_determinism_off():
        seconds = speed.epoch_seconds(setup, x, y, timed_epochs=1, steps=4)
    assert 0 < seconds < 600


def test_speed_results_arithmetic():
    results = speed.speed_results([(speed.SETUPS[0], 36.59), (speed.FASTEST, 0.3659)], matmul_rate=100.0,
                                  flop_per_epoch=36.59e9)
    assert [r.gflops for r in results] == pytest.approx([1.0, 100.0])
    assert [r.share_of_matmul for r in results] == pytest.approx([0.01, 1.0])
    text = speed.format_results(results, 100.0)
    assert "original (batch 16)" in text and "100%" in text and "100.0 GFLOP/s" in text


@pytest.mark.parametrize(("pairs", "rate"), [([(speed.FASTEST, 0.0)], 100.0), ([(speed.FASTEST, 1.0)], 0.0)])
def test_speed_results_refuse_zero_times_and_rates(pairs, rate):
    with pytest.raises(ValueError):
        speed.speed_results(pairs, rate)


def test_measure_speeds_interleaves_and_summarises(tiny_data, monkeypatch):
    monkeypatch.setattr(speed, "matmul_gflops", lambda: 50.0)
    x, y = tiny_data
    setups = (speed.SETUPS[1], speed.FASTEST)
    rates, seconds = speed.measure_speeds(x, y, setups, repeats=2, steps=2)
    assert rates == [50.0] * 3 and [len(times) for times in seconds] == [2, 2]
    results = speed.median_results(rates, seconds, setups)
    assert [r.setup for r in results] == list(setups) and all(r.share_of_matmul > 0 for r in results)
    with pytest.raises(ValueError):
        speed.measure_speeds(x, y, setups, repeats=0)


def test_train_fast_is_reproducible(tiny_data):
    x, y = tiny_data
    with speed.op_determinism_off():
        first = speed.train_fast(x, y, epochs=1)
        second = speed.train_fast(x, y, epochs=1)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert first.jit_compile


def test_race_times_both_recipes_and_restores_determinism(tiny_data, determinism_on):
    x, y = tiny_data
    result = speed.race(x, y, x[:64], y[:64], original_images=128, fast_epochs=1)
    assert result.original_seconds > 0 and result.fast_seconds > 0
    assert 0 <= result.original_accuracy <= 1 and 0 <= result.fast_accuracy <= 1
    assert result.time_ratio == pytest.approx(result.fast_seconds / result.original_seconds)
    assert tf_config.is_op_determinism_enabled()


def test_epoch_timer_stops_once_enough_time_is_measured(tiny_data):
    x, y = tiny_data
    model = speed.compile_dense(speed.SETUPS[1])
    timer = speed.EpochTimer(stop_after_seconds=0.0, min_timed_epochs=2)
    model.fit(x, y, batch_size=128, epochs=10, verbose=0, callbacks=[timer])
    assert len(timer.seconds) == 3  # the warm-up epoch, then the two timed ones asked for
    unlimited = speed.EpochTimer()
    model.fit(x, y, batch_size=128, epochs=4, verbose=0, callbacks=[unlimited])
    assert len(unlimited.seconds) == 4 and all(seconds > 0 for seconds in unlimited.seconds)
