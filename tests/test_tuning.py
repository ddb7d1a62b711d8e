"""helpers.tuning: recipes for training the 784-128-10 network well."""

import dataclasses

import keras
import numpy as np
import pytest

from helpers import tuning


@pytest.fixture(scope="module")
def tiny_split():
    rng = np.random.default_rng(0)
    x = rng.random((384, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 384).astype(np.uint8)
    return x[:256], y[:256], x[256:], y[256:]


def test_then_changes_only_what_it_is_told_and_keeps_the_original():
    original = tuning.Recipe("original")
    longer = original.then("longer", epochs=30, patience=5)
    assert (longer.name, longer.epochs, longer.patience) == ("longer", 30, 5)
    assert dataclasses.replace(longer, name="original", epochs=5, patience=None) == original
    assert original.epochs == 5 and original.patience is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        original.epochs = 3
    with pytest.raises(TypeError):
        original.then("typo", epoch=3)


def test_training_extras_add_no_parameters_and_are_off_when_predicting():
    model = tuning.build_tuned_dense(128, dropout=0.5, input_dropout=0.2, max_shift=0.1)
    assert model.count_params() == 101_770
    assert [layer.__class__.__name__ for layer in model.layers] == [
        "Reshape", "RandomTranslation", "Flatten", "Dropout", "Dense", "Dropout", "Dense"]
    assert [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)] == [0.2, 0.5]
    images = np.random.default_rng(1).random((4, 28, 28), dtype=np.float32)
    np.testing.assert_array_equal(model.predict(images, verbose=0), model.predict(images, verbose=0))
    trained_mode = [model(images, training=True).numpy() for _ in range(2)]
    assert not np.array_equal(*trained_mode), "dropout should change outputs while training"


@pytest.mark.parametrize(("dropout", "input_dropout"), [(-0.1, 0.0), (1.0, 0.0), (0.0, 1.0)])
def test_dropout_outside_zero_to_one_is_refused(dropout, input_dropout):
    with pytest.raises(ValueError, match="dropout"):
        tuning.build_tuned_dense(dropout=dropout, input_dropout=input_dropout)


def test_without_shifts_the_network_starts_with_flatten_and_bad_shifts_are_refused():
    assert tuning.build_tuned_dense().layers[0].__class__.__name__ == "Flatten"
    with pytest.raises(ValueError, match="max_shift"):
        tuning.build_tuned_dense(max_shift=0.5)


def test_learning_rate_is_constant_or_a_cosine_to_zero_over_the_run():
    assert tuning.learning_rate_for(tuning.Recipe("constant", learning_rate=2e-3), 100) == 2e-3
    schedule = tuning.learning_rate_for(tuning.Recipe("cosine", epochs=4, cosine_schedule=True), 100)
    assert float(schedule(0)) == pytest.approx(1e-3)
    assert float(schedule(200)) == pytest.approx(0.5e-3, rel=1e-4)  # halfway
    assert float(schedule(400)) == pytest.approx(0, abs=1e-9)


def test_train_recipe_is_reproducible_and_validates_only_for_early_stopping(tiny_split):
    recipe = tuning.Recipe("tiny", epochs=2, batch_size=64, dropout=0.2, cosine_schedule=True, max_shift=0.1)
    first, history = tuning.train_recipe(recipe, *tiny_split)
    second, _ = tuning.train_recipe(recipe, *tiny_split)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert set(history.history) == {"loss", "accuracy"} and first.count_params() == 101_770
    _, watched = tuning.train_recipe(recipe.then("watched", patience=5), *tiny_split)
    assert len(watched.history["val_loss"]) == 2 and "val_accuracy" in watched.history


def test_early_stopping_stops_and_restores_the_best_epoch(tiny_split):
    x_train, y_train, x_val, y_val = tiny_split
    shuffled_val = np.random.default_rng(2).permutation(y_val)  # random labels: validation loss soon rises
    recipe = tuning.Recipe("patient", epochs=40, batch_size=64, learning_rate=1e-2, patience=2)
    model, history = tuning.train_recipe(recipe, x_train, y_train, x_val, shuffled_val)
    losses = history.history["val_loss"]
    assert len(losses) < 40, "training should have stopped early"
    best = int(np.argmin(losses))
    assert len(losses) == best + 1 + recipe.patience
    restored_loss = model.evaluate(x_val, shuffled_val, verbose=0)[0]
    assert restored_loss == pytest.approx(losses[best], rel=1e-4)
    assert isinstance(model, keras.Model)
