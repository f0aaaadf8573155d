"""utils.data: shapes, labels, reproducibility and the real data sets."""

import numpy as np
import pytest
import sklearn.datasets

from utils import data

GENERATORS = {
    "blobs": lambda seed: data.make_blobs(n_samples=101, centers=3, random_state=seed),
    "moons": lambda seed: data.make_moons(n_samples=101, random_state=seed),
    "circles": lambda seed: data.make_circles(n_samples=101, random_state=seed),
    "spirals": lambda seed: data.make_spirals(n_samples=101, n_classes=3, random_state=seed),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_classification_generators_shapes_and_balance(name):
    # Check shapes, integer labels 0..k-1 and classes that differ in size by at most one.
    X, y = GENERATORS[name](0)
    assert X.shape == (101, 2) and y.shape == (101,)
    counts = np.bincount(y)
    assert counts.sum() == 101 and counts.max() - counts.min() <= 1
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", GENERATORS)
def test_generators_are_reproducible(name):
    # Check that the same seed gives the same data and another seed different data.
    X1, y1 = GENERATORS[name](7)
    X2, y2 = GENERATORS[name](7)
    X3, _ = GENERATORS[name](8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(X1, X3)


def test_blobs_points_lie_near_their_given_centres():
    # Check that each blob's mean is its centre, to within a few standard errors.
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    X, y = data.make_blobs(n_samples=3000, centers=centers, cluster_std=1.0, random_state=0)
    for k, center in enumerate(centers):
        np.testing.assert_allclose(X[y == k].mean(axis=0), center, atol=5 / np.sqrt(1000))


def test_circles_radii():
    # Check that without noise the outer points lie on the unit circle and the inner on `factor`.
    X, y = data.make_circles(n_samples=100, noise=0.0, factor=0.3, random_state=0)
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)


def test_linear_regression_recovers_its_coefficients():
    # Check that least squares on noise-free data returns the generating coefficients.
    X, y, coef = data.make_linear_regression(n_samples=50, n_features=3, noise=0.0, intercept=2.0, random_state=0)
    design = np.column_stack([np.ones(len(X)), X])
    solution, *_ = np.linalg.lstsq(design, y, rcond=None)
    np.testing.assert_allclose(solution, np.concatenate([[2.0], coef]), atol=1e-10)


def test_polynomial_regression_without_noise_is_the_polynomial():
    # Check y = 1 + 2x - x^2 exactly when there is no noise, with x sorted.
    x, y = data.make_polynomial_regression(n_samples=30, coefs=(1.0, 2.0, -1.0), noise=0.0, random_state=0)
    np.testing.assert_allclose(y, 1 + 2 * x - x**2)
    assert np.all(np.diff(x) >= 0)


def test_sine_sequences_targets_are_the_inputs_shifted():
    # Check that y is x moved one step ahead.
    X, y = data.make_sine_sequences(n_sequences=5, seq_len=20, random_state=0)
    assert X.shape == y.shape == (5, 20)
    np.testing.assert_array_equal(X[:, 1:], y[:, :-1])


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits", "diabetes"])
def test_real_data_sets_match_scikit_learn(name):
    # Check that the loaders return scikit-learn's bundled arrays as plain float NumPy arrays.
    X, y = data.load_dataset(name)
    reference = getattr(sklearn.datasets, f"load_{name}")()
    assert isinstance(X, np.ndarray) and X.dtype == np.float64
    np.testing.assert_array_equal(X, reference.data)
    np.testing.assert_array_equal(y, reference.target)


def test_dataset_cache_is_used_and_rebuilt_when_damaged(tmp_path, monkeypatch):
    # Check that a second load reads the cache file, and a corrupt cache is rebuilt, not fatal.
    monkeypatch.setenv("MLSC_CACHE_DIR", str(tmp_path))
    X1, y1 = data.load_wine()
    cache = tmp_path / "datasets" / "wine.npz"
    assert cache.is_file()
    cache.write_bytes(b"not an npz file")
    X2, y2 = data.load_wine()
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    with np.load(cache) as stored:  # rebuilt as a proper file
        np.testing.assert_array_equal(stored["X"], X1)


def test_return_names_gives_feature_and_class_names():
    # Check the optional names for iris: 4 features, 3 species.
    X, y, features, classes = data.load_iris(return_names=True)
    assert len(features) == X.shape[1] == 4
    assert classes == ["setosa", "versicolor", "virginica"]


def test_bad_arguments_get_clear_errors():
    # Check the messages a learner sees for a wrong name, size or seed.
    with pytest.raises(ValueError, match="unknown data set 'mnist'"):
        data.load_dataset("mnist")
    with pytest.raises(ValueError, match="n_samples must be a positive integer"):
        data.make_moons(n_samples=0)
    with pytest.raises(TypeError, match="random_state"):
        data.make_moons(random_state="seven")
    with pytest.raises(ValueError, match="factor"):
        data.make_circles(factor=1.5)


def test_train_test_split_is_a_stratified_partition():
    # Check that the parts are disjoint, cover every sample and keep each class's share.
    X = np.arange(100).reshape(50, 2)
    y = np.repeat([0, 1, 2], [10, 20, 20])
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.3, random_state=0)
    rows = np.concatenate([X_train[:, 0], X_test[:, 0]])
    np.testing.assert_array_equal(np.sort(rows), X[:, 0])
    np.testing.assert_array_equal(np.bincount(y_test), [3, 6, 6])
    np.testing.assert_array_equal(y[X_train[:, 0] // 2], y_train)  # rows keep their labels


def test_train_test_split_bad_input():
    # Check the messages for mismatched lengths and an impossible test size.
    with pytest.raises(ValueError, match="same number of samples"):
        data.train_test_split(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="test_size"):
        data.train_test_split(np.zeros((5, 2)), np.zeros(5), test_size=1.5)


def test_sample_image_gray_is_the_luma_of_the_colour_image():
    # Check range, shapes and that gray = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601).
    colour = data.load_sample_image("flower", gray=False)
    gray = data.load_sample_image("flower")
    assert colour.shape == gray.shape + (3,) and 0 <= gray.min() and gray.max() <= 1
    np.testing.assert_allclose(gray[5, 7], colour[5, 7] @ [0.299, 0.587, 0.114])
    with pytest.raises(ValueError, match="unknown sample image"):
        data.load_sample_image("lena")
