"""helpers.cnn: looking inside a convolutional network with named layers (notebook 08)."""

import keras
import numpy as np
import pytest

from helpers import cnn


@pytest.fixture(scope="module")
def model():
    """A small CNN named the way notebook 08 names its layers."""
    keras.utils.set_random_seed(0)
    layers = keras.layers
    return keras.Sequential([
        keras.Input(shape=(28, 28)), layers.Reshape((28, 28, 1)),
        layers.Conv2D(4, 3, padding="same", name="conv1"), layers.ReLU(name="relu1"), layers.MaxPooling2D(name="pool1"),
        layers.Conv2D(6, 3, padding="same", name="conv2"), layers.ReLU(name="relu2"),
        layers.Flatten(), layers.Dense(10, activation="softmax"),
    ])


def test_feature_maps_have_the_layers_shapes_and_values(model):
    image = np.random.default_rng(2).random((28, 28))
    maps = cnn.feature_maps(model, image, ["relu1", "pool1", "relu2"])
    assert {name: values.shape for name, values in maps.items()} == {
        "relu1": (28, 28, 4), "pool1": (14, 14, 4), "relu2": (14, 14, 6)}
    assert (maps["relu1"] >= 0).all()
    np.testing.assert_array_equal(maps["pool1"], maps["relu1"].reshape(14, 2, 14, 2, 4).max(axis=(1, 3)))


def test_a_single_feature_map_matches_the_convolution(model):
    image = np.random.default_rng(3).random((28, 28)).astype(np.float32)
    single = cnn.feature_maps(model, image, ["conv1"])
    assert list(single) == ["conv1"]
    kernel, bias = model.get_layer("conv1").get_weights()
    expected = keras.ops.conv(image[None, :, :, None], kernel, padding="same")[0].numpy() + bias
    np.testing.assert_allclose(single["conv1"], expected, atol=1e-5)


def test_first_layer_filters_are_the_kernels_one_per_filter(model):
    filters = cnn.first_layer_filters(model)
    kernel = model.get_layer("conv1").get_weights()[0]
    assert filters.shape == (4, 3, 3)
    np.testing.assert_array_equal(filters[2], kernel[:, :, 0, 2])


def test_unknown_layer_names_are_refused(model):
    with pytest.raises(ValueError, match="nonexistent"):
        cnn.feature_maps(model, np.zeros((28, 28)), ["nonexistent"])
