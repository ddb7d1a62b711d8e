"""The checks of notebook 04's coding exercises: the learner writes the network's forward and backward pass in NumPy.

Each ``check_*`` function is what one check cell calls, on one line. Its cases (made-up
networks beside real MNIST images), its expected values and the typical mistakes it recognises
live here, out of the learner's sight, so that no check cell spells out its answer.

Three rules make the checks hard to game:

- The reference is computed here, by the check, on the check's own inputs: the gradients by
  ``tf.GradientTape`` (and, for a whole training step, by central finite differences too).
- The learner's function is called with a watcher (``sys.setprofile``) that notices any call
  into TensorFlow, Keras or this module: a function that passes by asking the reference fails.
- Every result is turned into plain float64 arrays (``np.asarray(..., dtype=np.float64)``)
  before it is compared, so an object that claims to equal everything compares as nothing.

A failing check says what is wrong in one "✗ Not yet." sentence, reported by
:func:`helpers.selfcheck.not_yet`: printed in a learner's kernel (the notebook goes on), raised as
:class:`helpers.selfcheck.NotYet` under nbgrader and outside a kernel (tests, scripts).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from helpers.calibration import softmax
from helpers.selfcheck import UNWRITTEN, not_yet, say

NAMES = ("hidden_weights", "hidden_biases", "output_weights", "output_biases")
TOLERANCE = 1e-5  # largest difference from the reference, relative to the reference's largest value
REFERENCE_PACKAGES = ("tensorflow", "keras", "tf_keras", "jax", "torch")
THIS_FILE = str(Path(__file__).resolve())


def passed(praise: str) -> None:
    """Report a passing check."""
    say(f"✓ Correct: {praise}")


class CheckFailed(Exception):
    """Raised inside a check to stop it with one sentence for the learner."""


def run_check(body: Callable[[], str]) -> None:
    """Run a check's ``body``, which returns the praise or raises :class:`CheckFailed`; report either."""
    try:
        praise = body()
    except CheckFailed as failure:
        not_yet(str(failure))
        return
    passed(praise)


# --- Calling the learner's function -------------------------------------------------------------


def _is_reference(filename: str) -> bool:
    """True for code of the references a learner's function must not call: TensorFlow, Keras, this module."""
    parts = Path(filename).parts
    return filename == THIS_FILE or any(package in parts for package in REFERENCE_PACKAGES)


def call_learner(function: Callable, arguments: Sequence, name: str, copies: list | None = None) -> object:
    """``function(*arguments)`` on copies of the arguments, watched: any failure becomes one sentence.

    Raises :class:`CheckFailed` when the function is not written, stops with an error, returns
    nothing, or calls TensorFlow, Keras or this module (the references the checks use). The
    copies the function was given are appended to ``copies`` when it is a list (to see what it changed).
    """
    if not callable(function):
        raise CheckFailed(f"{name} should be a function: run the cell that defines it with `def`.")
    given = [_copy(argument) for argument in arguments]
    if copies is not None:
        copies.extend(given)
    used: list[str] = []

    def watch(frame, event, arg):  # called by Python on every function call while the learner's code runs
        if event == "call" and not used and _is_reference(frame.f_code.co_filename):
            used.append(frame.f_code.co_filename)

    previous = sys.getprofile()
    sys.setprofile(watch)
    try:
        result = function(*given)
    except NotImplementedError:
        raise CheckFailed(f"{name} is not written yet: replace `...` with your code.") from None
    except Exception as error:  # the learner's code may raise anything: say it in words
        raise CheckFailed(f"{name} stopped with {type(error).__name__}: {error}{_shape_hint(error)}") from None
    finally:
        sys.setprofile(previous)
    if used:
        raise CheckFailed(f"{name} called TensorFlow or Keras, which the check uses to find the right answer: "
                          "write it with NumPy only.")
    if any(result is unwritten for unwritten in UNWRITTEN):
        raise CheckFailed(f"{name} returns nothing yet: replace `...` with your code and `return` the result.")
    return result


def _copy(value: object) -> object:
    """A copy a learner's function may change without spoiling the check (arrays and dicts of arrays)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value


def _shape_hint(error: Exception) -> str:
    """A hint for the commonest errors of matrix code: sizes that do not fit, and overflow in np.exp."""
    if isinstance(error, FloatingPointError):
        return ". Subtract each row's largest score before np.exp, as in notebook 02's softmax."
    if isinstance(error, ValueError) and ("matmul" in str(error) or "broadcast" in str(error)):
        return (". Write the shapes down: in a @ b the inner sizes must match, and a gradient has the "
                "shape of the array it belongs to.")
    return ""


def as_numbers(value: object, name: str) -> np.ndarray:
    """``value`` as a float64 array: what is compared is numbers, whatever object was returned."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise CheckFailed(f"{name} is {_describe(value)}, not an array of numbers.") from None


def _describe(value: object) -> str:
    """A short description of a value for a sentence: arrays by shape, anything else by its repr."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= 50 else text[:47] + "..."


def parts(result: object, count: int, name: str) -> list[object]:
    """The ``count`` values a function returns together, or one sentence saying it returned something else."""
    if not isinstance(result, (tuple, list)) or len(result) != count:
        raise CheckFailed(f"{name} should return {count} arrays separated by commas "
                          f"(return a, b{', c' if count == 3 else ''}); it returned {_describe(result)}.")
    return list(result)


def difference(value: np.ndarray, expected: np.ndarray) -> float:
    """The largest difference, relative to the largest expected value (at least 1); inf if shapes differ."""
    if value.shape != expected.shape:
        return float("inf")
    return float(np.max(np.abs(value - expected), initial=0.0) / max(1.0, float(np.max(np.abs(expected), initial=0))))


def same(value: np.ndarray, expected: np.ndarray, tolerance: float = TOLERANCE) -> bool:
    """True if ``value`` has ``expected``'s shape and numbers, to ``tolerance``."""
    return difference(value, expected) <= tolerance


def _evaluate(wrong: np.ndarray | Callable[[], np.ndarray]) -> np.ndarray:
    """A typical wrong answer as float64 (a callable is called: its shapes may not fit this case: then NaN)."""
    try:
        return np.asarray(wrong() if callable(wrong) else wrong, dtype=np.float64)
    except ValueError:
        return np.array(np.nan)


def compare(value: np.ndarray, expected: np.ndarray, what: str,
            mistakes: Sequence[tuple[np.ndarray | Callable[[], np.ndarray], str]] = ()) -> None:
    """Raise :class:`CheckFailed` if ``value`` is not ``expected``: with the hint of a matching mistake.

    ``mistakes`` pairs a typical wrong answer (or a function computing it) with its hint.
    """
    if same(value, expected):
        return
    hints = [hint for wrong, hint in mistakes if same(value, _evaluate(wrong))]
    if hints:
        raise CheckFailed(f"{what} is not right. {hints[0]}")
    if value.shape != expected.shape:
        raise CheckFailed(f"{what} has shape {value.shape} where {expected.shape} belongs.")
    index = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(value - expected)), value.shape))
    raise CheckFailed(f"{what} is {value[index]:.6g} at position {index if len(index) > 1 else index[0]} "
                      f"where {expected[index]:.6g} belongs.")


# --- The made-up and the real inputs -------------------------------------------------------------


def made_up_network(sizes: tuple[int, int, int] = (6, 5, 4), seed: int = 7) -> dict[str, np.ndarray]:
    """A small network with made-up float64 weights: 6 inputs, 5 hidden neurons, 4 outputs (no square matrix)."""
    rng = np.random.default_rng(seed)
    inputs, hidden, outputs = sizes
    return {"hidden_weights": rng.normal(0, 0.7, (inputs, hidden)), "hidden_biases": rng.normal(0, 0.3, hidden),
            "output_weights": rng.normal(0, 0.7, (hidden, outputs)), "output_biases": rng.normal(0, 0.3, outputs)}


def made_up_batch(images: int = 3, inputs: int = 6, classes: int = 4, seed: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Made-up pixels in [0, 1) and labels for ``made_up_network``."""
    rng = np.random.default_rng(seed)
    return rng.random((images, inputs)), rng.permutation(np.arange(images) % classes)


@cache
def real_batch(images: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """The first ``images`` test images as float32 rows of 784 scaled pixels, and their labels."""
    from helpers.data import load_mnist, scale_pixels

    _, (x_test, y_test) = load_mnist()
    return scale_pixels(x_test[:images].reshape(images, 784)), y_test[:images].astype(np.int64)


@cache
def _real_network_weights() -> tuple[np.ndarray, ...]:
    """The series' untrained 784-128-10 network's starting weights (seeded), made once."""
    import keras

    from helpers.model import build_dense_model

    keras.utils.set_random_seed(3)  # its own seed: not the notebook's network, so no output can be copied
    return tuple(build_dense_model().get_weights())


def real_network() -> dict[str, np.ndarray]:
    """A fresh copy of the seeded 784-128-10 network's float32 weights, as a dictionary."""
    return {name: weights.copy() for name, weights in zip(NAMES, _real_network_weights())}


# --- The references: what TensorFlow says ---------------------------------------------------------


def keras_probabilities(pixels: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """The probabilities a Keras network with ``params`` gives ``pixels`` (float64 layers)."""
    import keras

    inputs = params["hidden_weights"].shape[0]
    model = keras.Sequential([keras.Input((inputs,), dtype="float64"),
                              keras.layers.Dense(params["hidden_biases"].size, activation="relu", dtype="float64"),
                              keras.layers.Dense(params["output_biases"].size, activation="softmax", dtype="float64")])
    model.set_weights([np.asarray(params[name], np.float64) for name in NAMES])
    return keras.ops.convert_to_numpy(model(np.asarray(pixels, np.float64)))


def tape_loss_and_gradients(params: dict[str, np.ndarray], pixels: np.ndarray,
                            labels: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """The batch's mean cross-entropy and its gradient for each of the four arrays, by ``tf.GradientTape``."""
    import tensorflow as tf

    variables = {name: tf.Variable(np.asarray(params[name], np.float64)) for name in NAMES}
    with tf.GradientTape() as tape:
        hidden = tf.nn.relu(tf.constant(pixels, tf.float64) @ variables["hidden_weights"] + variables["hidden_biases"])
        scores = hidden @ variables["output_weights"] + variables["output_biases"]
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(np.asarray(labels, np.int64), scores))
    gradients = tape.gradient(loss, [variables[name] for name in NAMES])
    return float(loss), {name: gradient.numpy() for name, gradient in zip(NAMES, gradients)}


def tape_score_gradient(scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The gradient of the mean cross-entropy of softmax(``scores``) with respect to the scores, by the tape."""
    import tensorflow as tf

    variable = tf.Variable(np.asarray(scores, np.float64))
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(np.asarray(labels, np.int64), variable))
    return tape.gradient(loss, variable).numpy()


def tape_vector_jacobian(function: Callable, upstream: np.ndarray, *arrays: np.ndarray) -> list[np.ndarray]:
    """The gradients of sum(upstream * function(*arrays)) with respect to each array: a layer's backward pass."""
    import tensorflow as tf

    variables = [tf.Variable(np.asarray(array, np.float64)) for array in arrays]
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(tf.constant(upstream, tf.float64) * function(*variables))
    return [gradient.numpy() for gradient in tape.gradient(total, variables)]


def finite_difference_gradients(params: dict[str, np.ndarray], pixels: np.ndarray, labels: np.ndarray,
                                nudge: float = 1e-6) -> dict[str, np.ndarray]:
    """Each parameter's slope measured by nudging it: (loss(w + h) - loss(w - h)) / 2h, float64."""
    def loss(network: dict[str, np.ndarray]) -> float:
        hidden = np.maximum(0, pixels @ network["hidden_weights"] + network["hidden_biases"])
        scores = hidden @ network["output_weights"] + network["output_biases"]
        top = scores.max(axis=1, keepdims=True)
        log_totals = np.log(np.exp(scores - top).sum(axis=1)) + top[:, 0]
        return float(np.mean(log_totals - scores[np.arange(len(labels)), labels]))

    network = {name: np.array(params[name], dtype=np.float64) for name in NAMES}
    slopes = {}
    for name in NAMES:
        slopes[name] = np.zeros_like(network[name])
        for index in np.ndindex(network[name].shape):
            start = network[name][index]
            network[name][index] = start + nudge
            above = loss(network)
            network[name][index] = start - nudge
            below = loss(network)
            network[name][index] = start
            slopes[name][index] = (above - below) / (2 * nudge)
    return slopes


# --- Exercise 1: the forward pass ---------------------------------------------------------------


@np.errstate(all="ignore")  # the unstable softmax a learner may write overflows here too: that is the point
def _forward_mistakes(pixels: np.ndarray, params: dict) -> list[tuple[np.ndarray, str]]:
    """Typical wrong probabilities, each with its hint."""
    sums = pixels @ params["hidden_weights"] + params["hidden_biases"]
    hidden = np.maximum(0, sums)
    scores = hidden @ params["output_weights"] + params["output_biases"]
    no_relu = sums @ params["output_weights"] + params["output_biases"]
    no_bias = np.maximum(0, pixels @ params["hidden_weights"]) @ params["output_weights"]
    return [
        (softmax(no_relu), "The hidden layer needs ReLU: hidden = np.maximum(0, hidden_sums)."),
        (softmax(no_bias), "Add each layer's biases after the matrix product."),
        (np.exp(scores) / np.exp(scores).sum(), "Divide each row by its own total (sum(axis=1, keepdims=True))."),
        (np.exp(scores) / np.exp(scores).sum(axis=0), "Softmax goes along each row (one image), not down columns."),
        (scores, "The last step is softmax: turn the ten scores into probabilities."),
    ]


def check_forward(forward: Callable) -> None:
    """Exercise 1: ``forward(pixels, params)`` returns (hidden_sums, hidden, probabilities), like Keras' network."""
    def body() -> str:
        small = made_up_network()
        huge = {**small, "output_biases": np.array([1000.0, 998.0, -1000.0, 999.0])}  # scores near 1000
        cases = [(made_up_batch()[0], small), (made_up_batch()[0], huge), (real_batch()[0], real_network())]
        for pixels, params in cases:
            with np.errstate(over="raise"):
                result = call_learner(forward, (pixels, params), "forward")
            sums, hidden, probabilities = (as_numbers(part, "forward's result")
                                           for part in parts(result, 3, "forward"))
            expected_sums = np.asarray(pixels, np.float64) @ params["hidden_weights"] + params["hidden_biases"]
            compare(sums, expected_sums, "The hidden sums (first result)",
                    [(np.asarray(pixels, np.float64) @ params["hidden_weights"],
                      "Add the hidden biases to the matrix product.")])
            compare(hidden, np.maximum(0, expected_sums), "The hidden outputs (second result)",
                    [(expected_sums, "Apply ReLU to the hidden sums: np.maximum(0, hidden_sums).")])
            compare(probabilities, keras_probabilities(pixels, params), "The probabilities (third result)",
                    _forward_mistakes(np.asarray(pixels, np.float64), params))
        return ("your NumPy network gives Keras' probabilities on made-up networks and on real digits, "
                "even with scores near 1000.")
    run_check(body)


# --- Exercise 2: the gradient at the scores -----------------------------------------------------


def _one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """One row per label: 1 at the label, 0 elsewhere."""
    return np.eye(classes)[labels]


def check_score_gradient(softmax_cross_entropy_gradient: Callable) -> None:
    """Exercise 2: the gradient of the batch's mean loss with respect to the scores, (p - onehot) / n."""
    def body() -> str:
        rng = np.random.default_rng(11)
        real_pixels, real_labels = real_batch()
        cases = [(rng.normal(0, 2, (4, 3)), np.array([2, 0, 1, 0])),
                 (rng.normal(0, 1, (2, 10)), np.array([7, 3])),
                 (np.log(keras_probabilities(real_pixels, real_network())), real_labels)]
        for scores, labels in cases:
            probabilities = softmax(scores)
            result = call_learner(softmax_cross_entropy_gradient, (probabilities, labels),
                                  "softmax_cross_entropy_gradient")
            gradient = as_numbers(result, "softmax_cross_entropy_gradient's result")
            one_hot, n = _one_hot(labels, scores.shape[1]), len(labels)
            compare(gradient, tape_score_gradient(scores, labels), f"The gradient for a batch of {n} images", [
                (probabilities - one_hot, "Divide by the batch size: the loss is the mean over the batch's images."),
                (probabilities / n, "Subtract 1 at each image's true digit: the gradient is p − onehot, not p."),
                (probabilities, "The gradient is p − onehot (divided by the batch size), not the probabilities."),
                ((one_hot - probabilities) / n, "The sign is the other way: p − onehot, so that the true digit's "
                                                "score is pushed up when we step against the gradient."),
                ((probabilities - 1) / n, "Subtract 1 only at each image's true digit, not from every probability."),
                ((probabilities - labels[:, None]) / n, "Turn the labels into one-hot rows first: np.eye(10)[labels]."),
                ((probabilities - one_hot) / one_hot.size, "Divide by the number of images, not by images × digits."),
            ])
        return "p − onehot, divided by the batch size: exactly what tf.GradientTape finds."
    run_check(body)


# --- Exercise 3: a dense layer backwards --------------------------------------------------------


def check_dense_backward(dense_backward: Callable) -> None:
    """Exercise 3: ``dense_backward(upstream, inputs, weights)`` returns the weights', biases' and inputs' gradients."""
    def body() -> str:
        rng = np.random.default_rng(12)
        real_pixels, _ = real_batch(4)
        real_weights = real_network()["hidden_weights"]
        cases = [(rng.normal(size=(3, 4)), rng.normal(size=(3, 5)), rng.normal(size=(5, 4))),
                 (rng.normal(size=(1, 2)), rng.normal(size=(1, 3)), rng.normal(size=(3, 2))),
                 (rng.normal(0, 0.1, (4, 128)), real_pixels, real_weights)]
        for upstream, inputs, weights in cases:
            result = call_learner(dense_backward, (upstream, inputs, weights), "dense_backward")
            weights_gradient, biases_gradient, inputs_gradient = (
                as_numbers(part, "dense_backward's result") for part in parts(result, 3, "dense_backward"))
            x, w = np.asarray(inputs, np.float64), np.asarray(weights, np.float64)
            expected_inputs, expected_weights, expected_biases = tape_vector_jacobian(
                lambda a, b, c: a @ b + c, upstream, x, w, np.zeros(w.shape[1]))
            n = len(x)
            compare(weights_gradient, expected_weights, "The weights' gradient (first result)", [
                (upstream.T @ x, "The weights' gradient has the weights' shape (inputs, units): inputs.T @ upstream."),
                (x.T @ upstream / n, "Do not divide by the batch size again: the gradient from above already has."),
            ])
            compare(biases_gradient, expected_biases, "The biases' gradient (second result)", [
                (upstream.mean(axis=0), "Add up over the images (sum), do not average: the mean is already taken."),
                (upstream.sum(axis=1), "Add up over the images, down each column: sum(axis=0)."),
                (upstream, "Each bias gets one number: add the gradient up over the batch's images."),
            ])
            compare(inputs_gradient, expected_inputs, "The inputs' gradient (third result)", [
                (lambda up=upstream, w=w: up @ w,
                 "Multiply by the transposed weights: upstream @ weights.T has the inputs' shape."),
            ])
        return ("inputs.T @ upstream, upstream summed over the images, and upstream @ weights.T: "
                "as tf.GradientTape says.")
    run_check(body)


# --- Exercise 4: ReLU backwards -----------------------------------------------------------------


def check_relu_backward(relu_backward: Callable) -> None:
    """Exercise 4: ``relu_backward(upstream, sums)`` lets the gradient through where the sum was positive."""
    def body() -> str:
        import tensorflow as tf

        rng = np.random.default_rng(13)
        real_pixels, _ = real_batch(4)
        real_sums = real_pixels @ real_network()["hidden_weights"] + real_network()["hidden_biases"]
        cases = [(np.array([[0.5, -2.0, 3.0], [-1.0, 4.0, 0.25]]), np.array([[1.5, 0.7, -0.2], [-3.0, -0.1, 2.0]])),
                 (rng.normal(size=(3, 5)), rng.normal(size=(3, 5))),
                 (rng.normal(0, 0.1, real_sums.shape), real_sums)]
        for upstream, sums in cases:
            result = as_numbers(call_learner(relu_backward, (upstream, sums), "relu_backward"),
                                "relu_backward's result")
            (expected,) = tape_vector_jacobian(tf.nn.relu, upstream, np.asarray(sums, np.float64))
            compare(result, expected, "The gradient below ReLU", [
                (upstream * (upstream > 0), "Look at the sums, the input of ReLU, not at the gradient (and do not "
                                            "apply ReLU to it): the nudge passes where the neuron's sum was positive."),
                ((sums > 0).astype(float), "Multiply the gradient from above by the slope: the slope alone forgets "
                                           "what arrived from the loss."),
                (upstream * np.maximum(0, sums), "Multiply by ReLU's slope (0 or 1), not by ReLU's output."),
                (upstream * sums, "Multiply by ReLU's slope (0 or 1), not by the sums."),
                (upstream * (sums < 0), "The nudge passes where the sum was positive (sums > 0)."),
            ])
        return "where a neuron's sum was positive the gradient passes unchanged; where it was silent, nothing passes."
    run_check(body)


# --- Exercise 5: one training step --------------------------------------------------------------


def _step_mistakes(params: dict, pixels: np.ndarray, labels: np.ndarray,
                   rate: float) -> list[tuple[dict[str, np.ndarray], str]]:
    """Typical wrong parameters after one step, each with its hint."""
    _, right = tape_loss_and_gradients(params, pixels, labels)
    sums = pixels @ params["hidden_weights"] + params["hidden_biases"]
    hidden = np.maximum(0, sums)
    upstream = (softmax(hidden @ params["output_weights"] + params["output_biases"])
                - _one_hot(labels, params["output_biases"].size)) / len(labels)
    no_mask = upstream @ params["output_weights"].T  # the hidden gradient without ReLU's slope
    sums_as_inputs = {**right, "output_weights": sums.T @ upstream}
    skipped_relu = {**right, "hidden_weights": pixels.T @ no_mask, "hidden_biases": no_mask.sum(axis=0)}
    moved_output = params["output_weights"] - rate * right["output_weights"]
    late = upstream @ moved_output.T * (sums > 0)  # hidden gradient through the already-updated weights
    updated_first = {**right, "hidden_weights": pixels.T @ late, "hidden_biases": late.sum(axis=0)}

    def after(gradients: dict, sign: float = -1.0) -> dict[str, np.ndarray]:
        return {name: params[name] + sign * rate * gradients[name] for name in NAMES}

    return [
        (after(right, +1.0), "Step against the gradient: params[name] -= learning_rate * gradient."),
        ({name: params[name] for name in NAMES}, "Change the four arrays in place (params[name] -= ...), so the "
                                                 "network itself learns; a new dictionary is lost when you return."),
        (after(skipped_relu), "On the way back, pass the hidden gradient through relu_backward with the hidden sums."),
        (after(sums_as_inputs), "The output layer's inputs are the hidden outputs after ReLU, not the sums."),
        (after(updated_first), "Work out all four gradients first, then update: the hidden layer's gradient needs "
                               "the output weights as they were in the forward pass."),
        ({**after(right), "hidden_biases": params["hidden_biases"], "output_biases": params["output_biases"]},
         "Update the biases too: all four arrays learn."),
    ]


def check_training_step(training_step: Callable) -> None:
    """Exercise 5: ``training_step(params, pixels, labels, learning_rate)`` updates in place and returns the loss.

    Compared with ``tf.GradientTape``'s gradient and with a finite-difference estimate, through
    the change the step makes: (before - after) / learning_rate is the gradient the learner used.
    """
    def body() -> str:
        real_pixels, real_labels = real_batch()
        small_pixels, small_labels = made_up_batch()
        cases = [(made_up_network(), small_pixels, small_labels, 0.5, True),
                 (made_up_network(seed=9), *made_up_batch(images=5, seed=10), 2.0, True),
                 (real_network(), real_pixels, real_labels, 0.1, False)]
        tape_error = finite_error = 0.0
        for params, pixels, labels, rate, finite in cases:
            given: list = []
            loss = call_learner(training_step, (params, pixels, labels, rate), "training_step", given)
            network = given[0]
            expected_loss, gradients = tape_loss_and_gradients(params, pixels, labels)
            loss = as_numbers(loss, "training_step's result")
            if loss.shape != () or not np.isclose(float(loss), expected_loss, rtol=1e-5):
                raise CheckFailed(f"training_step returned {_describe(loss)} where the batch's loss before the step, "
                                  f"{expected_loss:.6f}, belongs: return the mean cross-entropy of the forward pass.")
            if not isinstance(network, dict) or set(network) != set(NAMES):
                raise CheckFailed("training_step should change the four arrays of params, and keep their names.")
            after = {name: as_numbers(network[name], f"params['{name}']") for name in NAMES}
            mistakes = _step_mistakes({k: np.asarray(v, np.float64) for k, v in params.items()},
                                      np.asarray(pixels, np.float64), labels, rate)
            _compare_networks(after, {name: params[name] - rate * gradients[name] for name in NAMES}, mistakes)
            used = {name: (params[name] - after[name]) / rate for name in NAMES}
            tape_error = max(tape_error, *(difference(used[name], gradients[name]) for name in NAMES))
            if finite:
                slopes = finite_difference_gradients(params, pixels, labels)
                finite_error = max(finite_error, *(difference(used[name], slopes[name]) for name in NAMES))
        return (f"your step follows tf.GradientTape's gradient (largest difference {tape_error:.0e}) and the "
                f"slopes measured by nudging each weight ({finite_error:.0e}).")
    run_check(body)


def _compare_networks(after: dict[str, np.ndarray], expected: dict[str, np.ndarray],
                      mistakes: list[tuple[dict[str, np.ndarray], str]]) -> None:
    """Raise :class:`CheckFailed` unless every array after the step is as expected; hint at a matching mistake."""
    if all(same(after[name], expected[name]) for name in NAMES):
        return
    for wrong, hint in mistakes:
        if all(same(after[name], np.asarray(wrong[name], np.float64)) for name in NAMES):
            raise CheckFailed(f"The network after one step is not right. {hint}")
    name = next(name for name in NAMES if not same(after[name], expected[name]))
    raise CheckFailed(f"After one step, params['{name}'] is not right: compare your chain of gradients with the "
                      "cells above (forward, gradient at the scores, output layer, ReLU, hidden layer), then update.")
