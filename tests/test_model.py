"""helpers.model: the original network, and load_or_train's load, train and recover paths."""

import numpy as np
import pytest

from helpers import model as model_helpers


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


@pytest.fixture
def tiny_training(monkeypatch):
    """Make load_or_train's training fast: 600 images, 1 epoch."""
    calls = []
    real_train = model_helpers.train_dense_model

    def counting_train(x, y, **kwargs):
        calls.append(len(x))
        return real_train(x, y, **{**kwargs, "epochs": 1})

    monkeypatch.setattr(model_helpers, "train_dense_model", counting_train)
    return calls


def test_load_or_train_trains_saves_then_loads(tmp_path, tiny_training):
    first = model_helpers.load_or_train("tiny", models_dir=tmp_path, train_size=600)
    assert (tmp_path / "tiny.keras").exists() and tiny_training == [600]
    second = model_helpers.load_or_train("tiny", models_dir=tmp_path, train_size=600)
    assert tiny_training == [600]  # loaded, not trained again
    images = np.random.default_rng(1).random((3, 28, 28)).astype("float32")
    np.testing.assert_allclose(first.predict(images, verbose=0), second.predict(images, verbose=0), rtol=1e-6)


def test_load_or_train_is_reproducible(tmp_path, tiny_training):
    a = model_helpers.load_or_train("a", models_dir=tmp_path, train_size=600)
    b = model_helpers.load_or_train("b", models_dir=tmp_path, train_size=600)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)


def test_garbage_model_file_is_retrained_with_one_line_warning(tmp_path, tiny_training, capsys):
    (tmp_path / "broken.keras").write_bytes(b"this is not a keras file")
    model = model_helpers.load_or_train("broken", models_dir=tmp_path, train_size=600)
    assert tiny_training == [600] and model.count_params() == 101_770
    warning = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Warning")]
    assert len(warning) == 1 and "broken.keras" in warning[0]
    model_helpers.keras.models.load_model(tmp_path / "broken.keras")  # overwritten with a good file


def test_scale_pixels_maps_uint8_to_unit_interval():
    scaled = model_helpers.scale_pixels(np.array([0, 51, 255], dtype=np.uint8))
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, [0, 0.2, 1])
