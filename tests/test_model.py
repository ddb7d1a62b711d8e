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


def test_scale_pixels_maps_uint8_to_unit_interval():
    scaled = model_helpers.scale_pixels(np.array([0, 51, 255], dtype=np.uint8))
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, [0, 0.2, 1])


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
