"""helpers.cnn: the small convolutional network, its schedule, and looking inside it."""

import keras
import numpy as np
import pytest

from helpers import cnn


@pytest.fixture(scope="module")
def model():
    return cnn.build_small_cnn()


def test_small_cnn_shapes_names_and_size(model):
    assert model.input_shape == (None, 28, 28) and model.output_shape == (None, 10)
    names = [layer.name for layer in model.layers]
    assert names[:2] == ["add_channel", "random_shift"]
    assert [name for name in names if name.startswith("conv")] == ["conv1", "conv2", "conv3a", "conv3b"]
    assert [name for name in names if name.startswith("pool")] == ["pool1", "pool2", "pool3"]
    assert [name for name in names if name.startswith("norm")] == ["norm2", "norm3a", "norm3b"]
    assert model.get_layer("pool3").output.shape[1:] == (3, 3, 48)
    convolution_weights = 9 * (1 * 16 + 16 * 32 + 32 * 48 + 48 * 48) + 16  # conv1 keeps its 16 biases
    batch_norm = 4 * (32 + 48 + 48)
    assert model.count_params() == convolution_weights + batch_norm + 3 * 3 * 48 * 10 + 10 == 44_170


def test_outputs_are_probabilities_and_random_shifts_only_while_training(model):
    images = np.random.default_rng(0).random((3, 28, 28), dtype=np.float32)
    probabilities = model.predict(images, verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-5)
    shift = model.get_layer("random_shift")
    np.testing.assert_array_equal(shift(images[..., None], training=False).numpy(), images[..., None])
    assert not np.array_equal(shift(images[..., None], training=True).numpy(), images[..., None])


def test_no_augmentation_and_other_widths():
    plain = cnn.build_small_cnn((4, 8), (1, 1), max_shift=0)
    assert "random_shift" not in [layer.name for layer in plain.layers]
    assert plain.get_layer("pool2").output.shape[1:] == (7, 7, 8)


@pytest.mark.parametrize(("channels", "repeats"), [((16, 32), (1,)), ((16,), (0,))])
def test_mismatched_blocks_are_refused(channels, repeats):
    with pytest.raises(ValueError, match="per block"):
        cnn.build_small_cnn(channels, repeats)


def test_one_cycle_rises_to_the_peak_then_falls_to_zero():
    schedule = cnn.one_cycle_schedule(100, peak_learning_rate=1e-2, warmup_fraction=0.2)
    assert float(schedule(0)) == pytest.approx(0)
    assert float(schedule(10)) == pytest.approx(0.5e-2)
    assert float(schedule(20)) == pytest.approx(1e-2)
    assert float(schedule(60)) == pytest.approx(0.5e-2, rel=1e-4)
    assert float(schedule(100)) == pytest.approx(0, abs=1e-9)
    with pytest.raises(ValueError):
        cnn.one_cycle_schedule(0)


def test_training_is_reproducible():
    rng = np.random.default_rng(1)
    x = rng.random((96, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 96).astype(np.uint8)

    def train_tiny():
        keras.utils.set_random_seed(3)  # the starting weights are drawn when the layers are built
        tiny = cnn.build_small_cnn((4, 8), (1, 1))
        return cnn.train_small_cnn(x[:64], y[:64], x[64:], y[64:], epochs=1, batch_size=32, model=tiny)

    first, history = train_tiny()
    second, _ = train_tiny()
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}


def test_feature_maps_and_filters_have_the_layers_shapes(model):
    image = np.random.default_rng(2).random((28, 28))
    maps = cnn.feature_maps(model, image, ["relu1", "pool1", "relu3b"])
    assert {name: values.shape for name, values in maps.items()} == {
        "relu1": (28, 28, 16), "pool1": (14, 14, 16), "relu3b": (7, 7, 48)}
    assert (maps["relu1"] >= 0).all()
    np.testing.assert_array_equal(maps["pool1"], maps["relu1"].reshape(14, 2, 14, 2, 16).max(axis=(1, 3)))
    single = cnn.feature_maps(model, image, ["conv1"])
    assert list(single) == ["conv1"]
    filters = cnn.first_layer_filters(model)
    kernel = model.get_layer("conv1").get_weights()[0]
    assert filters.shape == (16, 3, 3)
    np.testing.assert_array_equal(filters[5], kernel[:, :, 0, 5])
