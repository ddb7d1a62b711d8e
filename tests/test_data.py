"""helpers.data: the vendored MNIST copy loads exactly like Keras', fails clearly, is scaled and served."""

import hashlib
import shutil

import numpy as np
import pytest

from helpers import data

# SHA-256 of each array's raw bytes, from the dataset's provenance notes (data/README.md).
ARRAY_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}


@pytest.fixture(scope="module")
def mnist():
    return data.load_mnist()


def test_shapes_and_dtypes_match_keras_load_data(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert [a.shape for a in (x_train, y_train, x_test, y_test)] == [
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,)]
    assert all(a.dtype == np.uint8 for a in (x_train, y_train, x_test, y_test))


def test_arrays_are_the_official_ones(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for name, array in arrays.items():
        assert hashlib.sha256(array.tobytes()).hexdigest() == ARRAY_SHA256[name], name
    assert list(y_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert list(np.bincount(y_test)) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_found_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (x_train, _), _ = data.load_mnist()
    assert x_train.shape == (60000, 28, 28)


def test_second_call_returns_fresh_arrays(mnist):
    (x_train, _), _ = mnist
    x_train[0, 0, 0] = 255  # a learner scribbling on the returned array...
    (again, _), _ = data.load_mnist()
    assert again[0, 0, 0] == 0  # ...does not change what the next call returns


def test_corrupted_copy_names_file_and_both_hashes(tmp_path):
    broken = tmp_path / "mnist.npz"
    shutil.copy(data.MNIST_PATH, broken)
    with open(broken, "r+b") as file:
        file.seek(5000)
        file.write(b"\x00garbage\x00")
    with pytest.raises(data.MnistDataError) as excinfo:
        data.load_mnist(broken)
    message = str(excinfo.value)
    assert str(broken) in message
    assert data.MNIST_SHA256 in message
    assert data.file_sha256(broken) in message
    assert "git checkout" in message


def test_missing_file_falls_back_to_keras_download(tmp_path, monkeypatch, capsys):
    import keras

    fake = ((np.zeros((2, 28, 28), np.uint8), np.zeros(2, np.uint8)),
            (np.zeros((1, 28, 28), np.uint8), np.zeros(1, np.uint8)))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: fake)
    missing = tmp_path / "nowhere.npz"
    assert data.load_mnist(missing) is fake
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and str(missing) in said[0] and "downloading" in said[0]


def test_missing_file_and_offline_gives_one_clear_error(tmp_path, monkeypatch):
    import urllib.error

    import keras

    def offline():
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    missing = tmp_path / "nowhere.npz"
    with pytest.raises(data.MnistDataError) as excinfo:
        data.load_mnist(missing)
    message = str(excinfo.value)
    assert str(missing) in message and "URLError" in message and "git checkout" in message
    assert excinfo.value.__suppress_context__  # no urllib traceback chained underneath


def test_pickled_object_arrays_are_refused(tmp_path, monkeypatch):
    evil = tmp_path / "evil.npz"
    np.savez(evil, x_train=np.array([object()], dtype=object))
    monkeypatch.setattr(data, "MNIST_SHA256", data.file_sha256(evil))
    with pytest.raises(ValueError, match="allow_pickle"):
        data.load_mnist(evil)


def test_scale_pixels_maps_uint8_to_unit_interval():
    scaled = data.scale_pixels(np.array([0, 51, 255], dtype=np.uint8))
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, [0, 0.2, 1])


def test_scale_pixels_gives_exactly_float32_division_and_leaves_its_input():
    images = np.random.default_rng(0).integers(0, 256, size=(50, 28, 28), dtype=np.uint8)
    before = images.copy()
    scaled = data.scale_pixels(images)
    np.testing.assert_array_equal(scaled, images.astype("float32") / 255.0)
    np.testing.assert_array_equal(images, before)
