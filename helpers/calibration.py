"""Does "90% sure" mean "right 90% of the time"? Calibration measures and temperature scaling.

Notebook 09 computes these step by step, then uses the versions here:

- :func:`reliability_bins` and :func:`expected_calibration_error`: sort predictions into
  equal-width confidence bins and compare each bin's mean confidence with its accuracy;
- :func:`fit_temperature` and :func:`softmax`: divide the logits by one number ``T``, chosen on
  a validation split to minimise the negative log-likelihood (Guo et al., 2017);
- :func:`before_and_after_curves`: the reliability curves of one model before and after
  scaling, labelled with their ECE, ready for ``helpers.plots.plot_reliability_diagram``.

Everything here is plain NumPy: the model's outputs go in, numbers come out.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

DEFAULT_BINS = 15  # Guo et al. (2017) report ECE with 15 equal-width bins
TINY = 1e-12  # keeps log(0) finite for probabilities that underflowed to zero


class ReliabilityBins(NamedTuple):
    """Per-bin summary of predictions sorted by confidence (empty bins are left out)."""

    confidence: np.ndarray  # mean confidence of the predictions in each bin
    accuracy: np.ndarray  # fraction of them that were right
    count: np.ndarray  # how many predictions fell in the bin


def _check_inputs(probabilities: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels)
    if probabilities.ndim != 2 or len(probabilities) == 0:
        raise ValueError(f"probabilities must be a non-empty (examples, classes) array, got {probabilities.shape}")
    if labels.shape != (len(probabilities),):
        raise ValueError(f"need one label per row of probabilities: {labels.shape} vs {probabilities.shape}")
    return probabilities, labels


def reliability_bins(probabilities: np.ndarray, labels: np.ndarray,
                     n_bins: int = DEFAULT_BINS) -> ReliabilityBins:
    """Sort each prediction by its confidence (top probability) into ``n_bins`` equal-width bins.

    Bin ``b`` holds confidences in ``(b / n_bins, (b + 1) / n_bins]``; a confidence of exactly
    0 goes in the first bin.
    """
    probabilities, labels = _check_inputs(probabilities, labels)
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    bin_index = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    count = np.bincount(bin_index, minlength=n_bins)
    filled = count > 0
    mean_confidence = np.bincount(bin_index, weights=confidence, minlength=n_bins)[filled] / count[filled]
    accuracy = np.bincount(bin_index, weights=correct, minlength=n_bins)[filled] / count[filled]
    return ReliabilityBins(mean_confidence, accuracy, count[filled])


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray,
                               n_bins: int = DEFAULT_BINS) -> float:
    """ECE: the gap |accuracy - confidence| of each bin, averaged with weights = share of predictions.

    0 means perfectly calibrated; 0.02 means confidence and accuracy differ by 2 points on average.
    """
    bins = reliability_bins(probabilities, labels, n_bins)
    return float(np.sum(bins.count * np.abs(bins.accuracy - bins.confidence)) / np.sum(bins.count))


def before_and_after_curves(temperature: float, before: np.ndarray, after: np.ndarray, labels: np.ndarray,
                            n_bins: int = DEFAULT_BINS) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{label with ECE: (mean confidence per bin, accuracy per bin)} for probabilities before and after scaling."""
    curves = {}
    for name, probabilities in [("before", before), (f"after, T = {temperature:.2f}", after)]:
        bins = reliability_bins(probabilities, labels, n_bins)
        ece = expected_calibration_error(probabilities, labels, n_bins)
        curves[f"{name} (ECE {ece:.2%})"] = (bins.confidence, bins.accuracy)
    return curves


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Probabilities from logits divided by ``temperature`` (> 1 softens, < 1 sharpens)."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled -= scaled.max(axis=1, keepdims=True)  # the same probabilities, without overflow
    exponentials = np.exp(scaled)
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def logits_from_probabilities(probabilities: np.ndarray) -> np.ndarray:
    """Logits of a softmax output, up to a per-row constant (which softmax ignores): log p."""
    return np.log(np.clip(np.asarray(probabilities, dtype=np.float64), TINY, None))


def negative_log_likelihood(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean of -log(probability given to the true class): the loss the model was trained on."""
    probabilities, labels = _check_inputs(probabilities, labels)
    return float(-np.mean(np.log(np.clip(probabilities[np.arange(len(labels)), labels], TINY, None))))


def fit_temperature(logits: np.ndarray, labels: np.ndarray, *, lowest: float = 0.05,
                    highest: float = 20.0, n_steps: int = 801) -> float:
    """The temperature T in [lowest, highest] that minimises the NLL of ``softmax(logits / T)``.

    A 1-D grid search, evenly spaced in log T (801 steps: T to within about 0.4%), then a
    finer grid around the best point. Fit it on a validation split, never on the test set.
    """
    logits = np.asarray(logits, dtype=np.float64)
    if not 0 < lowest < highest:
        raise ValueError(f"need 0 < lowest < highest, got {lowest} and {highest}")

    def best_of(candidates: np.ndarray) -> int:
        return int(np.argmin([negative_log_likelihood(softmax(logits, t), labels) for t in candidates]))

    coarse = np.geomspace(lowest, highest, n_steps)
    best = best_of(coarse)
    fine = np.geomspace(coarse[max(best - 1, 0)], coarse[min(best + 1, n_steps - 1)], 41)
    return float(fine[best_of(fine)])
