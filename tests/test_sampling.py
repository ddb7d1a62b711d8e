"""helpers.sampling.sample_one_per_digit: one image of every digit, reproducible by seed."""

import numpy as np
import pytest

from helpers.sampling import sample_one_per_digit

LABELS = np.random.default_rng(0).integers(0, 10, size=500)


def test_one_image_of_each_digit_in_order():
    indices = sample_one_per_digit(LABELS, seed=1)
    assert indices.shape == (10,) and indices.dtype == np.int64
    np.testing.assert_array_equal(LABELS[indices], np.arange(10))


def test_same_seed_same_sample_other_seed_other_sample():
    np.testing.assert_array_equal(sample_one_per_digit(LABELS, seed=3), sample_one_per_digit(LABELS, seed=3))
    assert not np.array_equal(sample_one_per_digit(LABELS, seed=3), sample_one_per_digit(LABELS, seed=4))


def test_matches_the_lines_notebook_06_shows():
    rng = np.random.default_rng(7)
    by_hand = [rng.choice(np.flatnonzero(LABELS == digit)) for digit in range(10)]
    np.testing.assert_array_equal(sample_one_per_digit(LABELS, seed=7), by_hand)


def test_chosen_digits_only():
    indices = sample_one_per_digit(LABELS, seed=0, digits=[7, 1])
    np.testing.assert_array_equal(LABELS[indices], [7, 1])


def test_every_image_of_a_digit_can_be_drawn():
    labels = np.array([0, 1, 1, 1])
    drawn = {int(sample_one_per_digit(labels, seed=seed, digits=[1])[0]) for seed in range(50)}
    assert drawn == {1, 2, 3}


def test_a_missing_digit_is_a_clear_error():
    with pytest.raises(ValueError, match="no image of digit 9"):
        sample_one_per_digit(np.array([0, 1, 2]), seed=0, digits=[0, 9])
