"""Notebook 04's coding exercises (helpers/checks/notebook_04.py): backpropagation written in NumPy.

Each check passes on the worked answer and fails, with one "✗ Not yet" sentence, on a blank stub,
on typical wrong answers (each with its own hint), on values copied from an output (see
exercise_tools), on an answer that asks TensorFlow for the gradient, and on an object that claims
to equal everything. A failing check prints in a learner's kernel and raises when grading
(helpers.selfcheck.not_yet).
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from exercise_tools import exercise_tests, exercises, notebook, source, worked_answer

from helpers import selfcheck
from helpers.checks import notebook_04 as checks
from helpers.selfcheck import NotYet
from helpers.setup import SEED

NOTEBOOK = notebook("04")

ASKS_TENSORFLOW = '''import tensorflow as tf
scores = tf.Variable(np.log(probabilities))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels.astype("int64"), scores))
return tape.gradient(loss, scores).numpy()'''

SOFTMAX = ("e = np.exp(scores - scores.max(axis=1, keepdims=True))\n"
           "return hidden_sums, hidden, e / e.sum(axis=1, keepdims=True)")
FORWARD_TOP = '''hidden_sums = pixels @ params["hidden_weights"] + params["hidden_biases"]
hidden = np.maximum(0, hidden_sums)
scores = hidden @ params["output_weights"] + params["output_biases"]
'''
STEP_TOP = '''hidden_sums, hidden, probabilities = forward(pixels, params)
loss = -np.log(probabilities[np.arange(len(labels)), labels]).mean()
upstream = softmax_cross_entropy_gradient(probabilities, labels)
'''
STEP_RIGHT_OUTPUT = '''gradients = {}
gradients["output_weights"], gradients["output_biases"], upstream = dense_backward(
    upstream, hidden, params["output_weights"])
'''
STEP_RIGHT_HIDDEN = '''upstream = relu_backward(upstream, hidden_sums)
gradients["hidden_weights"], gradients["hidden_biases"], _ = dense_backward(upstream, pixels, params["hidden_weights"])
'''
UPDATE = '''for name, gradient in gradients.items():
    params[name] -= learning_rate * gradient
return loss'''

WRONG = {
    "04-forward": [
        FORWARD_TOP.replace("np.maximum(0, hidden_sums)", "hidden_sums") + SOFTMAX,
        FORWARD_TOP + "e = np.exp(scores)\nreturn hidden_sums, hidden, e / e.sum(axis=1, keepdims=True)",
        FORWARD_TOP + "e = np.exp(scores - scores.max())\nreturn hidden_sums, hidden, e / e.sum()",
        FORWARD_TOP + "return hidden_sums, hidden, scores",
        FORWARD_TOP.replace(' + params["hidden_biases"]', "") + SOFTMAX,
        FORWARD_TOP + "e = np.exp(scores - scores.max(axis=1, keepdims=True))\nreturn e / e.sum(axis=1, keepdims=True)",
    ],
    "04-score-gradient": [
        "return probabilities - np.eye(probabilities.shape[1])[labels]",
        "return probabilities",
        "return (np.eye(probabilities.shape[1])[labels] - probabilities) / len(labels)",
        "return (probabilities - 1) / len(labels)",
        "return probabilities / len(labels)",
        ASKS_TENSORFLOW,
    ],
    "04-dense-backward": [
        "return upstream.T @ inputs, upstream.sum(axis=0), upstream @ weights.T",
        "return inputs.T @ upstream, upstream.mean(axis=0), upstream @ weights.T",
        "return inputs.T @ upstream, upstream, upstream @ weights.T",
        "return inputs.T @ upstream, upstream.sum(axis=0), upstream @ weights",
        "return inputs.T @ upstream / len(inputs), upstream.sum(axis=0), upstream @ weights.T",
        "return upstream @ weights.T, upstream.sum(axis=0), inputs.T @ upstream",
    ],
    "04-relu-backward": [
        "return upstream * (upstream > 0)",
        "return np.maximum(0, upstream)",
        "return (sums > 0) * 1.0",
        "return upstream * np.maximum(0, sums)",
        "return upstream * (sums < 0)",
    ],
    "04-training-step": [
        STEP_TOP + STEP_RIGHT_OUTPUT + STEP_RIGHT_HIDDEN + UPDATE.replace("-=", "+="),
        STEP_TOP + STEP_RIGHT_OUTPUT + STEP_RIGHT_HIDDEN.replace("relu_backward(upstream, hidden_sums)", "upstream")
        + UPDATE,
        STEP_TOP + STEP_RIGHT_OUTPUT.replace("upstream, hidden,", "upstream, hidden_sums,")
        + STEP_RIGHT_HIDDEN + UPDATE,
        STEP_TOP + STEP_RIGHT_OUTPUT + STEP_RIGHT_HIDDEN
        + UPDATE.replace("return loss", "return forward(pixels, params)"),
        STEP_TOP + STEP_RIGHT_OUTPUT + STEP_RIGHT_HIDDEN
        + "return loss",  # no update at all
        STEP_TOP + STEP_RIGHT_OUTPUT + STEP_RIGHT_HIDDEN
        + "params = {name: params[name] - learning_rate * g for name, g in gradients.items()}\nreturn loss",
    ],
}
COPIED = {
    "04-forward": "return np.array([[3.0, -3.0]]), np.array([[3.0, 0.0]]), np.array([[0.95257413, 0.04742587]])",
    "04-score-gradient": "return np.array([[-0.3, 0.2, 0.1]])",
    "04-dense-backward": "return np.full((4, 3), 2.0), np.full(3, 2.0), np.full((2, 4), 3.0)",
    "04-relu-backward": "return np.array([[0.5, 0.0, 0.5]])",
    "04-training-step": "return 2.3865",
}


class EqualsEverything:
    """An object that claims to equal anything it is compared with."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = None


@pytest.fixture(scope="module")
def namespace() -> dict:
    """What the notebook's exercise and check cells use, up to its training section, with the worked answers."""
    import keras

    from helpers.data import load_mnist, scale_pixels
    from helpers.model import build_dense_model

    (x_train, y_train), (x_test, y_test) = load_mnist()
    keras.utils.set_random_seed(SEED)
    start_model = build_dense_model()
    names = ["hidden_weights", "hidden_biases", "output_weights", "output_biases"]
    space = {"np": np, "keras": keras, "start_model": start_model, "names": names,
             "params": dict(zip(names, start_model.get_weights())), "x_test": x_test[:64],
             "test_pixels": scale_pixels(x_test[:64].reshape(64, 784)),
             "images": scale_pixels(x_train[:128].reshape(128, 784)), "labels": y_train[:128]}
    for solution, _ in exercises(NOTEBOOK).values():
        exec(source(solution).replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), space)
    return space


test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
    exercise_tests(NOTEBOOK, WRONG, COPIED))


def test_the_notebook_has_five_exercises_in_order():
    assert list(exercises(NOTEBOOK)) == list(WRONG) == list(COPIED)


# --- The hints: each typical mistake gets its own sentence ----------------------------------------

HINTS = [
    (checks.check_score_gradient, lambda p, y: p - np.eye(p.shape[1])[y], "Divide by the batch size"),
    (checks.check_score_gradient, lambda p, y: p / len(y), "Subtract 1 at each image's true digit"),
    (checks.check_score_gradient, lambda p, y: (np.eye(p.shape[1])[y] - p) / len(y), "The sign"),
    (checks.check_dense_backward, lambda u, x, w: (u.T @ x, u.sum(axis=0), u @ w.T), "inputs.T @ upstream"),
    (checks.check_dense_backward, lambda u, x, w: (x.T @ u, u.mean(axis=0), u @ w.T), "do not average"),
    (checks.check_dense_backward, lambda u, x, w: (x.T @ u, u.sum(axis=0), u @ w), "inner sizes must match"),
    (checks.check_relu_backward, lambda u, s: u * (u > 0), "Look at the sums, the input of ReLU"),
    (checks.check_relu_backward, lambda u, s: np.maximum(0, u), "do not apply ReLU to it"),
    (checks.check_relu_backward, lambda u, s: (s > 0) * 1.0, "the slope alone forgets"),
]


@pytest.mark.parametrize(("check", "wrong", "hint"), HINTS, ids=[hint for _, _, hint in HINTS])
def test_each_typical_mistake_gets_its_hint(check, wrong, hint):
    with pytest.raises(NotYet, match=hint):
        check(wrong)


STEP_MISTAKES = {
    "uphill": ("+=", "Step against the gradient"),
    "skipped ReLU": ("relu", "pass the hidden gradient through relu_backward"),
    "sums as inputs": ("sums", "the hidden outputs after ReLU, not the sums"),
    "new dictionary": ("copy", "Change the four arrays in place"),
}


@pytest.mark.parametrize("mistake", list(STEP_MISTAKES))
def test_training_step_mistakes_get_their_hints(namespace, mistake):
    change, hint = STEP_MISTAKES[mistake]
    forward, gradient, dense, relu = (namespace[name] for name in (
        "forward", "softmax_cross_entropy_gradient", "dense_backward", "relu_backward"))

    def step(params, pixels, labels, rate):
        sums, hidden, probabilities = forward(pixels, params)
        upstream = gradient(probabilities, labels)
        gradients = {}
        gradients["output_weights"], gradients["output_biases"], upstream = dense(
            upstream, sums if change == "sums" else hidden, params["output_weights"])
        upstream = upstream if change == "relu" else relu(upstream, sums)
        gradients["hidden_weights"], gradients["hidden_biases"], _ = dense(upstream, pixels, params["hidden_weights"])
        if change != "copy":
            for name, value in gradients.items():
                params[name] += (1 if change == "+=" else -1) * rate * value
        return -np.log(probabilities[np.arange(len(labels)), labels]).mean()

    with pytest.raises(NotYet, match=hint):
        checks.check_training_step(step)


# --- Checks that cannot be gamed ------------------------------------------------------------------

def test_an_object_claiming_to_equal_everything_scores_nothing():
    with pytest.raises(NotYet, match="not an array of numbers"):
        checks.check_relu_backward(lambda upstream, sums: EqualsEverything())
    with pytest.raises(NotYet):
        checks.check_forward(lambda pixels, params: (EqualsEverything(),) * 3)
    with pytest.raises(NotYet):
        checks.check_training_step(lambda params, pixels, labels, rate: EqualsEverything())


def test_calling_the_reference_fails_even_when_the_numbers_are_right():
    def keras_forward(pixels, params):
        probabilities = checks.keras_probabilities(pixels, params)
        sums = pixels @ params["hidden_weights"] + params["hidden_biases"]
        return sums, np.maximum(0, sums), probabilities

    with pytest.raises(NotYet, match="NumPy only"):
        checks.check_forward(keras_forward)

    def tape_step(params, pixels, labels, rate):
        loss, gradients = checks.tape_loss_and_gradients(params, pixels, labels)
        for name in checks.NAMES:
            params[name] -= rate * gradients[name]
        return loss

    with pytest.raises(NotYet, match="NumPy only"):
        checks.check_training_step(tape_step)


def test_the_watch_is_removed_after_each_call(namespace):
    checks.check_relu_backward(namespace["relu_backward"])
    assert sys.getprofile() is None


def test_the_check_does_not_let_a_learner_spoil_its_inputs():
    def spoils(upstream, sums):
        result = upstream * (sums > 0)
        upstream[...] = 0  # changes its input in place
        return result

    checks.check_relu_backward(spoils)  # passes: every case gets fresh copies


def test_finite_differences_agree_with_the_tape():
    params, (pixels, labels) = checks.made_up_network(), checks.made_up_batch()
    _, tape = checks.tape_loss_and_gradients(params, pixels, labels)
    slopes = checks.finite_difference_gradients(params, pixels, labels)
    assert max(checks.difference(slopes[name], tape[name]) for name in checks.NAMES) < 1e-8


# --- Printing in a learner's kernel, failing under nbgrader ---------------------------------------

def test_a_failing_check_prints_in_a_learners_kernel_and_raises_when_grading(monkeypatch, capsys):
    """The checks report through helpers.selfcheck.not_yet (tests/test_selfcheck.py runs a real kernel)."""
    def blank(upstream, sums):
        ...

    monkeypatch.delenv(selfcheck.GRADER_VARIABLE, raising=False)
    monkeypatch.delenv(selfcheck.STOP_VARIABLE, raising=False)
    with pytest.raises(NotYet, match="relu_backward returns nothing yet"):
        checks.check_relu_backward(blank)  # pytest is no kernel
    monkeypatch.setattr(selfcheck, "in_kernel", lambda: True)
    checks.check_relu_backward(blank)
    assert capsys.readouterr().out.startswith("✗ Not yet. relu_backward returns nothing yet")
    monkeypatch.setenv(selfcheck.GRADER_VARIABLE, "autograde")
    with pytest.raises(NotYet):
        checks.check_relu_backward(blank)


# --- The notebook's stored outputs ----------------------------------------------------------------

def test_stored_outputs_show_no_machine_paths_and_every_check_passing():
    for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]:
        text = "".join("".join(output.get("text", "")) for output in cell.get("outputs", []))
        assert "/work/" not in text and "/home/" not in text and "site-packages" not in text, text[:200]
        assert "✗ Not yet" not in text


def test_worked_answers_are_what_the_tests_run():
    assert all(worked_answer(solution).strip() for solution, _ in exercises(NOTEBOOK).values())
