"""helpers.setup: quiet imports, seeding, version checks and Colab detection."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from helpers import setup


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=300, check=True)


@pytest.mark.slow
def test_setup_hides_tensorflow_start_up_lines():
    result = run_python("""
        from helpers.setup import setup_notebook
        setup_notebook()
        import tensorflow as tf
        tf.constant(1.0) + 1
    """)
    assert result.stderr == ""
    assert result.stdout.startswith("Ready on this computer: TensorFlow")


def test_stderr_works_again_after_the_quiet_import():
    result = run_python("""
        import sys
        from helpers.setup import setup_notebook
        setup_notebook()
        print("still here", file=sys.stderr)
    """)
    assert result.stderr == "still here\n"


@pytest.mark.slow
def test_fitting_a_tf_data_pipeline_prints_no_shuffle_warning():
    result = run_python("""
        from helpers.setup import setup_notebook
        setup_notebook()
        import keras
        import numpy as np
        import tensorflow as tf
        model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        pipeline = tf.data.Dataset.from_tensor_slices((np.ones((4, 2)), np.ones(4))).batch(2)
        model.fit(pipeline, epochs=1, verbose=0)
    """)
    assert result.stderr == "", "fit on a pipeline that shuffles itself says shuffle is ignored"


def test_setup_seeds_numpy_and_keras_identically_each_call():
    import keras

    setup.setup_notebook(seed=7)
    first = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    setup.setup_notebook(seed=7)
    second = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_version_problems_names_old_and_missing_packages():
    problems = setup.version_problems({"numpy": "999.0", "no-such-package-xyz": "1.0", "pytest": "1.0"})
    assert len(problems) == 2
    assert "numpy" in problems[0] and "999.0" in problems[0]
    assert "no-such-package-xyz is not installed" in problems[1]


def test_installed_versions_meet_the_minimums():
    assert setup.version_problems() == []


def test_colab_detection(monkeypatch):
    assert not setup.in_colab()
    monkeypatch.setitem(sys.modules, "google.colab", object())
    assert setup.in_colab()

