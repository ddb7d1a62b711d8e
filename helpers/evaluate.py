"""Measure how well the trained network reads each digit (notebook 05 builds these by hand).

Every function takes plain NumPy arrays, the model's probabilities or its predictions and
the true labels, and returns numbers; none of them trains, loads, predicts or plots.
"""

from __future__ import annotations

import numpy as np

N_DIGITS = 10


def _check_labels(labels: np.ndarray, n_classes: int, name: str = "labels") -> np.ndarray:
    """``labels`` as a 1-D integer array with every value in 0..n_classes-1, or a clear ValueError."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a 1-D array of whole numbers, got shape {labels.shape} "
                         f"of {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"{name} must lie in 0..{n_classes - 1}, found {labels.min()}..{labels.max()}")
    return labels


def true_class_confidence(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """For every image, the probability the model gave to its true digit.

    ``probabilities`` has one row per image and one column per digit (what
    ``model.predict`` returns); ``labels`` holds each image's true digit.
    """
    probabilities = np.asarray(probabilities)
    if probabilities.ndim != 2:
        raise ValueError(f"probabilities must be 2-D (images x digits), got shape {probabilities.shape}")
    labels = _check_labels(labels, probabilities.shape[1])
    if len(labels) != len(probabilities):
        raise ValueError(f"{len(probabilities)} rows of probabilities but {len(labels)} labels")
    return probabilities[np.arange(len(labels)), labels]


def mean_true_class_confidence(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per digit, the mean probability given to the true digit over all images of that digit.

    This is the original script's bar chart: a low bar is a digit the model is often
    unsure about (or wrong about) even when it is right on average.

    Raises:
        ValueError: a digit has no images among ``labels`` (its mean would be undefined).
    """
    confidence = true_class_confidence(probabilities, labels)
    labels, n_classes = np.asarray(labels), np.asarray(probabilities).shape[1]
    counts = np.bincount(labels, minlength=n_classes)
    if (counts == 0).any():
        raise ValueError(f"no images of digit(s) {np.flatnonzero(counts == 0).tolist()} among the labels")
    return np.bincount(labels, weights=confidence, minlength=n_classes) / counts


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, n_classes: int = N_DIGITS) -> np.ndarray:
    """Count images by (true digit, predicted digit): row = truth, column = the model's answer.

    The diagonal holds the right answers; every other cell is one kind of mistake.
    """
    labels = _check_labels(labels, n_classes)
    predictions = _check_labels(predictions, n_classes, "predictions")
    if len(labels) != len(predictions):
        raise ValueError(f"{len(labels)} labels but {len(predictions)} predictions")
    flat = np.bincount(labels * n_classes + predictions, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


def most_confused_pairs(matrix: np.ndarray, top: int = 5) -> list[tuple[int, int, int]]:
    """The ``top`` most frequent mistakes as (true digit, predicted digit, count), largest first.

    Ties are listed in order of true digit, then predicted digit; mistakes that never
    happened (count 0) are left out, so fewer than ``top`` pairs may come back.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"a confusion matrix is square, got shape {matrix.shape}")
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    mistakes = matrix.copy()
    np.fill_diagonal(mistakes, 0)  # the diagonal holds the right answers
    order = np.argsort(-mistakes, axis=None, kind="stable")[:top]
    pairs = [(*divmod(int(flat), matrix.shape[1]), int(mistakes.flat[flat])) for flat in order]
    return [pair for pair in pairs if pair[2] > 0]


def precision_recall(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per digit: precision (of the images it called d, the share that were d) and recall
    (of the images that were d, the share it called d).

    A digit the model never predicted has no precision: that entry is NaN, not a made-up 0.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"a confusion matrix is square, got shape {matrix.shape}")
    right = np.diag(matrix).astype(float)
    predicted, actual = matrix.sum(axis=0), matrix.sum(axis=1)
    precision = np.divide(right, predicted, out=np.full_like(right, np.nan), where=predicted > 0)
    recall = np.divide(right, actual, out=np.full_like(right, np.nan), where=actual > 0)
    return precision, recall


def rank_by_confidence(confidence: np.ndarray, where: np.ndarray | None = None, *, n: int = 10,
                       most_confident: bool = True) -> np.ndarray:
    """Indices of the ``n`` most (or least) confident images, optionally only those ``where`` is True.

    Equal confidences keep their order in the data set, so the result never changes
    between runs.
    """
    confidence = np.asarray(confidence)
    if confidence.ndim != 1:
        raise ValueError(f"confidence must be 1-D (one value per image), got shape {confidence.shape}")
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    keep = np.ones(len(confidence), bool) if where is None else np.asarray(where, bool)
    if keep.shape != confidence.shape:
        raise ValueError(f"where has shape {keep.shape}, confidence has {confidence.shape}")
    candidates = np.flatnonzero(keep)
    key = -confidence[candidates] if most_confident else confidence[candidates]
    return candidates[np.argsort(key, kind="stable")[:n]]
