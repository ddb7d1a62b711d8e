"""helpers.evaluate: per-digit confidence, confusion matrix, confused pairs, precision/recall, ranking."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import evaluate

# Four images of a 3-class problem, worked out by hand below.
PROBABILITIES = np.array([
    [0.7, 0.2, 0.1],  # truth 0, said 0
    [0.1, 0.6, 0.3],  # truth 1, said 1
    [0.5, 0.4, 0.1],  # truth 1, said 0
    [0.2, 0.2, 0.6],  # truth 2, said 2
])
LABELS = np.array([0, 1, 1, 2])


def test_true_class_confidence_picks_the_true_column():
    np.testing.assert_allclose(evaluate.true_class_confidence(PROBABILITIES, LABELS), [0.7, 0.6, 0.4, 0.6])


def test_mean_true_class_confidence_averages_per_digit():
    np.testing.assert_allclose(evaluate.mean_true_class_confidence(PROBABILITIES, LABELS), [0.7, 0.5, 0.6])


def test_mean_true_class_confidence_needs_every_digit():
    with pytest.raises(ValueError, match=r"no images of digit\(s\) \[2\]"):
        evaluate.mean_true_class_confidence(PROBABILITIES[:3], LABELS[:3])


@pytest.mark.parametrize("labels, message", [
    (np.array([0, 1, 3, 2]), r"must lie in 0..2"),
    (np.array([0, 1, -1, 2]), r"must lie in 0..2"),
    (np.array([0.0, 1.0, 1.0, 2.0]), r"whole numbers"),
    (np.array([0, 1, 1]), r"4 rows of probabilities but 3 labels"),
])
def test_true_class_confidence_rejects_bad_labels(labels, message):
    with pytest.raises(ValueError, match=message):
        evaluate.true_class_confidence(PROBABILITIES, labels)


def test_true_class_confidence_rejects_one_dimensional_probabilities():
    with pytest.raises(ValueError, match="must be 2-D"):
        evaluate.true_class_confidence(PROBABILITIES[0], LABELS[:1])


def test_confusion_matrix_counts_truth_by_row_and_answer_by_column():
    predictions = PROBABILITIES.argmax(axis=1)
    expected = np.array([[1, 0, 0],
                         [1, 1, 0],
                         [0, 0, 1]])
    np.testing.assert_array_equal(evaluate.confusion_matrix(LABELS, predictions, n_classes=3), expected)


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=200))
def test_confusion_matrix_matches_a_plain_loop(pairs):
    labels = np.array([truth for truth, _ in pairs], dtype=int)
    predictions = np.array([guess for _, guess in pairs], dtype=int)
    by_hand = np.zeros((10, 10), dtype=int)
    for truth, guess in pairs:
        by_hand[truth, guess] += 1
    matrix = evaluate.confusion_matrix(labels, predictions)
    np.testing.assert_array_equal(matrix, by_hand)
    assert matrix.sum() == len(pairs)


def test_confusion_matrix_rejects_mismatched_or_out_of_range_input():
    with pytest.raises(ValueError, match="3 labels but 2 predictions"):
        evaluate.confusion_matrix(np.array([0, 1, 2]), np.array([0, 1]))
    with pytest.raises(ValueError, match="predictions must lie in 0..9"):
        evaluate.confusion_matrix(np.array([0, 1]), np.array([0, 10]))


def test_most_confused_pairs_ranks_mistakes_and_breaks_ties_by_digit():
    matrix = np.array([[50, 3, 0],
                       [7, 40, 3],
                       [0, 1, 60]])
    assert evaluate.most_confused_pairs(matrix, top=3) == [(1, 0, 7), (0, 1, 3), (1, 2, 3)]


def test_most_confused_pairs_ignores_the_diagonal_and_zero_counts():
    matrix = np.diag([100, 90, 80])
    matrix[2, 0] = 1
    assert evaluate.most_confused_pairs(matrix, top=5) == [(2, 0, 1)]
    assert evaluate.most_confused_pairs(np.diag([5, 5]), top=5) == []


def test_most_confused_pairs_rejects_bad_input():
    with pytest.raises(ValueError, match="square"):
        evaluate.most_confused_pairs(np.zeros((2, 3), dtype=int))
    with pytest.raises(ValueError, match="top must be at least 1"):
        evaluate.most_confused_pairs(np.eye(3, dtype=int), top=0)


def test_precision_and_recall_by_hand():
    matrix = np.array([[8, 2],
                       [4, 6]])
    precision, recall = evaluate.precision_recall(matrix)
    np.testing.assert_allclose(precision, [8 / 12, 6 / 8])  # columns: what it said
    np.testing.assert_allclose(recall, [8 / 10, 6 / 10])  # rows: what it was


def test_precision_of_a_digit_never_predicted_is_nan_not_zero():
    matrix = np.array([[5, 0],
                       [3, 0]])
    precision, recall = evaluate.precision_recall(matrix)
    assert precision[0] == 5 / 8 and np.isnan(precision[1])
    np.testing.assert_allclose(recall, [1.0, 0.0])


def test_precision_recall_rejects_a_non_square_matrix():
    with pytest.raises(ValueError, match="square"):
        evaluate.precision_recall(np.zeros(4))


def test_rank_by_confidence_most_and_least_confident_with_stable_ties():
    confidence = np.array([0.5, 0.9, 0.2, 0.9, 0.7])
    np.testing.assert_array_equal(evaluate.rank_by_confidence(confidence, n=3), [1, 3, 4])
    np.testing.assert_array_equal(evaluate.rank_by_confidence(confidence, n=2, most_confident=False), [2, 0])


def test_rank_by_confidence_only_where_the_mask_holds():
    confidence = np.array([0.5, 0.9, 0.2, 0.8, 0.7])
    wrong = np.array([True, False, True, True, False])
    np.testing.assert_array_equal(evaluate.rank_by_confidence(confidence, wrong, n=10), [3, 0, 2])
    assert evaluate.rank_by_confidence(confidence, np.zeros(5, bool)).size == 0


def test_rank_by_confidence_rejects_bad_input():
    with pytest.raises(ValueError, match="where has shape"):
        evaluate.rank_by_confidence(np.ones(3), np.ones(4, bool))
    with pytest.raises(ValueError, match="must not be negative"):
        evaluate.rank_by_confidence(np.ones(3), n=-1)
    with pytest.raises(ValueError, match="1-D"):
        evaluate.rank_by_confidence(np.ones((3, 2)))
