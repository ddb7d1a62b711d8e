"""The checks of notebook 03's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import numpy as np

from helpers.selfcheck import check_function


def check_cross_entropy(cross_entropy) -> None:
    """Cross_entropy on made-up predictions."""
    prediction = np.array([0.1, 0.7, 0.2])
    check_function(
        cross_entropy,
        [((prediction, 1), 0.356675), ((prediction, 2), 1.609438), ((np.full(10, 0.1), 3), 2.302585)],
        praise="−ln(0.7) ≈ 0.36: a confident right answer costs little; −ln(0.1) ≈ 2.30 costs a lot.",
        mistakes=[
            (lambda p, label: np.log(p[label]), "The loss is minus the log: ln(probability) is negative."),
            (lambda p, label: -np.log(p.max()), "Use the probability of the true label, not the largest."),
            (lambda p, label: -np.log10(p[label]), "Use the natural logarithm, np.log, not np.log10."),
            (lambda p, label: 1 - p[label], "Take −ln of the probability, not 1 minus it."),
        ],
    )


def check_gradient_descent_step(gradient_descent_step) -> None:
    """Gradient_descent_step on made-up weights and gradients."""
    weights_1, gradient_1 = np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[0.5, -1.0], [0.0, 2.0]])
    check_function(
        gradient_descent_step,
        [
            ((weights_1, gradient_1, 0.1), np.array([[0.95, -1.9], [0.5, -0.2]])),
            ((weights_1, gradient_1, 1.0), np.array([[0.5, -1.0], [0.5, -2.0]])),
        ],
        praise="each number moves against its gradient, by learning rate × gradient.",
        mistakes=[
            (
                lambda w, g, rate: w + rate * g,
                "Step against the gradient (it points uphill): subtract learning_rate × gradient.",
            ),
            (lambda w, g, rate: w - g, "Multiply the gradient by the learning rate, the step's size."),
            (lambda w, g, rate: -rate * g, "Return the new weights (weights − step), not the step."),
        ],
    )


def check_steps_per_epoch(steps_per_epoch) -> None:
    """Steps_per_epoch on this notebook's recipes and on made-up sizes."""
    check_function(
        steps_per_epoch,
        [((54_000, 128), 422), ((9_000, 16), 563), ((65, 32), 3), ((64, 32), 2)],
        praise="images ÷ batch size, rounded up: 9,000 images make 562 batches of 16 and one of 8.",
        mistakes=[
            (
                lambda images, batch_size: round(images / batch_size),
                "Round up, not to the nearest: even one image left over needs a batch of its own.",
            ),
            (
                lambda images, batch_size: images // batch_size,
                "// rounds down and forgets the last, smaller batch: round up with math.ceil.",
            ),
            (
                lambda images, batch_size: images / batch_size,
                "A number of batches is a whole number: round images / batch_size up with math.ceil.",
            ),
            (
                lambda images, batch_size: images // batch_size + 1,
                "When the images fill the batches exactly, there is no extra batch.",
            ),
        ],
    )


def check_best_epoch(best_epoch, full_history) -> None:
    """Best_epoch on made-up runs and on the full run."""
    real = full_history.history
    check_function(
        best_epoch,
        [
            (({"loss": [0.6, 0.3, 0.2], "val_loss": [0.5, 0.3, 0.4]},), 2),
            (({"loss": [0.4, 0.3, 0.2, 0.1], "val_loss": [0.2, 0.3, 0.4, 0.5]},), 1),
            (({"loss": [0.9, 0.8], "val_loss": [0.9, 0.8]},), 2),
            ((real,), int(np.argmin(real["val_loss"])) + 1),
        ],
        praise="the lowest validation loss, counted from 1 as Keras' log counts epochs.",
        mistakes=[
            (lambda history: int(np.argmin(history["val_loss"])), "Keras counts epochs from 1, Python from 0."),
            (lambda history: int(np.argmin(history["loss"])) + 1, "Read the validation loss, val_loss."),
            (lambda history: int(np.argmax(history["val_loss"])) + 1, "The best epoch has the lowest loss."),
            (lambda history: len(history["val_loss"]), "The last epoch is not always the best one."),
        ],
    )
