"""helpers.calibration: reliability bins, expected calibration error and temperature scaling."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers import calibration


def two_class(confidence: float, n: int, n_right: int) -> tuple[np.ndarray, np.ndarray]:
    """n predictions of class 0 at ``confidence``, the first ``n_right`` of them right."""
    probabilities = np.tile([confidence, 1 - confidence], (n, 1))
    labels = np.array([0] * n_right + [1] * (n - n_right))
    return probabilities, labels


def test_calibrated_predictions_have_zero_ece():
    probabilities, labels = two_class(0.8, 100, 80)  # 80% sure, right 80 times in 100
    assert calibration.expected_calibration_error(probabilities, labels) == pytest.approx(0)


def test_overconfident_predictions_have_the_gap_as_ece():
    probabilities, labels = two_class(0.99, 200, 100)  # 99% sure, right half the time
    assert calibration.expected_calibration_error(probabilities, labels) == pytest.approx(0.49)


def test_ece_weights_each_bin_by_its_share_of_predictions():
    sure, sure_labels = two_class(0.95, 30, 30)  # gap 0.05 on 30 predictions
    unsure, unsure_labels = two_class(0.55, 10, 10)  # gap 0.45 on 10 predictions
    ece = calibration.expected_calibration_error(np.vstack([sure, unsure]),
                                                 np.concatenate([sure_labels, unsure_labels]))
    assert ece == pytest.approx((30 * 0.05 + 10 * 0.45) / 40)


def test_bins_are_equal_width_with_right_edges_included():
    probabilities = np.array([[1.0, 0.0], [0.5, 0.5], [0.6, 0.4], [0.6 + 1e-9, 0.4 - 1e-9]])
    bins = calibration.reliability_bins(probabilities, np.array([0, 0, 1, 0]), n_bins=5)
    # bins of width 0.2: 0.5 and 0.6 share (0.4, 0.6], just above 0.6 is (0.6, 0.8], 1.0 is (0.8, 1.0]
    np.testing.assert_array_equal(bins.count, [2, 1, 1])
    np.testing.assert_allclose(bins.confidence, [0.55, 0.6 + 1e-9, 1.0])
    np.testing.assert_allclose(bins.accuracy, [0.5, 1.0, 1.0])


def test_empty_bins_are_left_out_and_counts_add_up():
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(10) * 0.2, size=500)
    bins = calibration.reliability_bins(probabilities, rng.integers(0, 10, 500))
    assert bins.count.sum() == 500 and (bins.count > 0).all()
    assert len(bins.confidence) == len(bins.accuracy) == len(bins.count) <= calibration.DEFAULT_BINS
    assert np.all(np.diff(bins.confidence) > 0)


@pytest.mark.parametrize(("probabilities", "labels", "message"), [
    (np.ones(3), np.zeros(3, int), "non-empty"),
    (np.ones((0, 10)), np.zeros(0, int), "non-empty"),
    (np.full((3, 2), 0.5), np.zeros(4, int), "one label per row"),
])
def test_bad_inputs_are_refused_with_a_plain_message(probabilities, labels, message):
    with pytest.raises(ValueError, match=message):
        calibration.expected_calibration_error(probabilities, labels)


def test_zero_bins_are_refused():
    with pytest.raises(ValueError, match="n_bins"):
        calibration.reliability_bins(np.full((2, 2), 0.5), np.zeros(2, int), n_bins=0)


def test_before_and_after_curves_label_each_curve_with_its_ece():
    before, labels = two_class(0.99, 200, 100)  # ECE 49%
    after, _ = two_class(0.5, 200, 100)  # ECE 0%
    curves = calibration.before_and_after_curves(2.0, before, after, labels)
    assert list(curves) == ["before (ECE 49.00%)", "after, T = 2.00 (ECE 0.00%)"]
    confidence, accuracy = curves["before (ECE 49.00%)"]
    np.testing.assert_allclose(confidence, [0.99])
    np.testing.assert_allclose(accuracy, [0.5])


def test_softmax_sums_to_one_and_temperature_softens():
    logits = np.array([[2.0, 1.0, 0.0], [1000.0, 0.0, -1000.0]])  # the second would overflow naively
    sharp, soft = calibration.softmax(logits), calibration.softmax(logits, temperature=3.0)
    np.testing.assert_allclose(sharp.sum(axis=1), 1)
    np.testing.assert_allclose(soft.sum(axis=1), 1)
    assert soft[0, 0] < sharp[0, 0] and soft[0, 2] > sharp[0, 2]
    np.testing.assert_array_equal(sharp.argmax(axis=1), soft.argmax(axis=1))
    with pytest.raises(ValueError, match="positive"):
        calibration.softmax(logits, temperature=0)


def test_logits_from_probabilities_round_trip_through_softmax():
    probabilities = np.array([[0.7, 0.2, 0.1], [1.0, 0.0, 0.0]])
    logits = calibration.logits_from_probabilities(probabilities)
    assert np.isfinite(logits).all()
    np.testing.assert_allclose(calibration.softmax(logits), probabilities, atol=1e-11)


def test_negative_log_likelihood_of_known_values():
    probabilities = np.array([[0.5, 0.5], [0.25, 0.75]])
    assert calibration.negative_log_likelihood(probabilities, np.array([0, 1])) == pytest.approx(
        -(np.log(0.5) + np.log(0.75)) / 2)


@pytest.mark.parametrize("true_temperature", [0.5, 1.0, 2.5])
def test_fit_temperature_recovers_the_temperature_labels_were_drawn_with(true_temperature):
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 3, size=(20_000, 10))
    true_probabilities = calibration.softmax(logits, true_temperature)
    labels = (rng.random((len(logits), 1)) > np.cumsum(true_probabilities, axis=1)).sum(axis=1)
    fitted = calibration.fit_temperature(logits, labels)
    assert fitted == pytest.approx(true_temperature, rel=0.05)


def test_fitted_temperature_lowers_validation_nll_and_ece_of_an_overconfident_model():
    rng = np.random.default_rng(2)
    logits = rng.normal(0, 2, size=(5000, 10))
    labels = (rng.random((5000, 1)) > np.cumsum(calibration.softmax(logits), axis=1)).sum(axis=1)
    overconfident = logits * 3  # the same ranking, three times too sure
    temperature = calibration.fit_temperature(overconfident, labels)
    before, after = calibration.softmax(overconfident), calibration.softmax(overconfident, temperature)
    assert temperature == pytest.approx(3, rel=0.1)
    assert calibration.negative_log_likelihood(after, labels) < calibration.negative_log_likelihood(before, labels)
    assert calibration.expected_calibration_error(after, labels) < calibration.expected_calibration_error(
        before, labels) / 3


def test_fit_temperature_refuses_a_bad_search_range():
    with pytest.raises(ValueError, match="lowest"):
        calibration.fit_temperature(np.zeros((2, 2)), np.zeros(2, int), lowest=2.0, highest=1.0)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 40), st.just(4)), elements=st.floats(0.01, 1)),
       st.integers(1, 20))
def test_ece_is_between_zero_and_one(weights, n_bins):
    probabilities = weights / weights.sum(axis=1, keepdims=True)
    labels = np.arange(len(probabilities)) % 4
    assert 0 <= calibration.expected_calibration_error(probabilities, labels, n_bins) <= 1
