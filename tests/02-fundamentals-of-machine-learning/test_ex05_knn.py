"""Tests for ex05_knn: vectorised distances, neighbours, votes, ties and averages."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.neighbors import KNeighborsClassifier as SkKNeighborsClassifier
from sklearn.neighbors import KNeighborsRegressor as SkKNeighborsRegressor

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex05_knn.py")

DIST_RTOL = 1e-10  # the expanded formula vs scipy's direct one
ATOL = 1e-10  # predictions and probabilities vs scikit-learn
DISTANCE_TIE = 1e-9  # two neighbour distances closer than this count as a tie


def _no_boundary_tie(X_train, Q, k):
    """Rows of Q whose k-th and (k+1)-th nearest training points are not equally far.

    Only there is the neighbour set unique; elsewhere the result depends on the data
    order, in scikit-learn as here (its documentation says so), so we do not compare.
    """
    if k >= len(X_train):
        return np.ones(len(Q), dtype=bool)
    d = np.sort(cdist(Q, X_train), axis=1)
    return d[:, k - 1] + DISTANCE_TIE < d[:, k]


def test_squared_distances_match_scipy(rng):
    # Check the matrix-product formula against scipy's direct computation, never negative.
    Q, X = rng.standard_normal((7, 4)) * 10, rng.standard_normal((9, 4)) * 10
    D2 = ex.squared_distances(Q, X)
    np.testing.assert_allclose(D2, cdist(Q, X, "sqeuclidean"), rtol=DIST_RTOL)
    assert np.all(ex.squared_distances(X, X) >= 0)


def test_nearest_neighbors_match_a_full_sort(rng):
    # Check distances and indices against a full argsort of scipy's distances (continuous
    # data: no ties), including k = n (every training point).
    Q, X = rng.standard_normal((6, 3)), rng.standard_normal((10, 3))
    full = cdist(Q, X)
    for k in (1, 4, 10):
        dist, idx = ex.nearest_neighbors(Q, X, k)
        expected_idx = np.argsort(full, axis=1)[:, :k]
        np.testing.assert_array_equal(idx, expected_idx)
        np.testing.assert_allclose(dist, np.take_along_axis(full, expected_idx, axis=1), rtol=DIST_RTOL)


@pytest.mark.parametrize("k", [1, 5, 20])
def test_k_smallest_columns_match_a_full_sort(rng, k):
    # Check the pre-filtered selection against a full sort on rows long enough to use it
    # (1007 columns: groups plus 1007 % GROUP_SIZE left over), with continuous scores and
    # with many ties: the chosen values are the k smallest, k distinct columns per row.
    continuous = rng.standard_normal((6, 1007))
    ties = rng.integers(0, 4, size=(6, 1007)).astype(float)
    for scores in (continuous, ties):
        idx = ex.k_smallest_columns(scores, k)
        assert idx.shape == (6, k)
        assert all(len(set(row)) == k for row in idx.tolist())
        chosen = np.sort(np.take_along_axis(scores, idx, axis=1), axis=1)
        np.testing.assert_array_equal(chosen, np.sort(scores, axis=1)[:, :k])


def test_chunked_queries_give_the_same_answer(rng, monkeypatch):
    # Check that splitting the queries into many small chunks changes nothing.
    Q, X = rng.standard_normal((23, 2)), rng.standard_normal((15, 2))
    whole = ex.nearest_neighbors(Q, X, 3)
    monkeypatch.setattr(ex, "CHUNK_ENTRIES", 40)  # about 2 queries per chunk
    chunked = ex.nearest_neighbors(Q, X, 3)
    np.testing.assert_array_equal(chunked[1], whole[1])
    np.testing.assert_allclose(chunked[0], whole[0])


def test_duplicate_point_is_at_distance_exactly_zero(rng):
    # Check that a query equal to a training point gets distance 0.0, not round-off like 1e-8.
    X = rng.standard_normal((5, 3)) * 100
    dist, idx = ex.nearest_neighbors(X[[2]], X, 1)
    assert dist[0, 0] == 0.0 and idx[0, 0] == 2


@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("k", [1, 4, 7, 20])
def test_classifier_matches_sklearn_on_wine_and_synthetic(rng, k, weights):
    # Check predictions and probabilities against scikit-learn on wine (standardised) and
    # on overlapping blobs, on held-out queries and on the training points themselves.
    X, y = data.load_wine()
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    Xb, yb = data.make_blobs(n_samples=120, centers=4, cluster_std=2.5, random_state=rng)
    for X_all, y_all in [(X, y), (Xb, yb)]:
        X_tr, X_te, y_tr, _ = data.train_test_split(X_all, y_all, test_size=0.3, random_state=1)
        ours = ex.KNeighborsClassifier(k, weights=weights).fit(X_tr, y_tr)
        sk = SkKNeighborsClassifier(k, weights=weights).fit(X_tr, y_tr)
        for Q in (X_te, X_tr):
            np.testing.assert_array_equal(ours.predict(Q), sk.predict(Q))
            np.testing.assert_allclose(ours.predict_proba(Q), sk.predict_proba(Q), atol=ATOL)


@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_classifier_matches_sklearn_on_iris(weights):
    # Check iris, whose measurements sit on a 0.1 cm grid: many equal distances. We compare
    # wherever the neighbour set is unique (no tie at the k-th place), most of the queries.
    X, y = data.load_iris()
    X_tr, X_te, y_tr, _ = data.train_test_split(X, y, test_size=0.3, random_state=0)
    for k in (1, 3, 5, 10):
        ours = ex.KNeighborsClassifier(k, weights=weights).fit(X_tr, y_tr)
        sk = SkKNeighborsClassifier(k, weights=weights).fit(X_tr, y_tr)
        for Q in (X_te, X_tr):
            clean = _no_boundary_tie(X_tr, Q, k)
            assert clean.mean() > 0.6
            np.testing.assert_array_equal(ours.predict(Q)[clean], sk.predict(Q)[clean])
            np.testing.assert_allclose(ours.predict_proba(Q)[clean], sk.predict_proba(Q)[clean], atol=ATOL)


@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("k", [1, 5, 20])
def test_regressor_matches_sklearn(k, weights):
    # Check the (weighted) average against scikit-learn on diabetes (continuous features).
    X, y = data.load_diabetes()
    ours = ex.KNeighborsRegressor(k, weights=weights).fit(X[:300], y[:300])
    sk = SkKNeighborsRegressor(k, weights=weights).fit(X[:300], y[:300])
    for Q in (X[300:], X[:300]):
        np.testing.assert_allclose(ours.predict(Q), sk.predict(Q), rtol=1e-10)


def test_regressor_by_hand():
    # Check by hand on a line: points 0, 1, 3 with targets 0, 10, 30; query 0.5, k = 2.
    # Uniform: (0 + 10) / 2 = 5. Distance: distances 0.5, 0.5, equal weights, also 5.
    # Query 0.75: neighbours 1 (d 0.25, w 4) and 0 (d 0.75, w 4/3): (4*10 + 0) / (16/3) = 7.5.
    X, y = np.array([[0.0], [1.0], [3.0]]), np.array([0.0, 10.0, 30.0])
    uniform = ex.KNeighborsRegressor(2).fit(X, y)
    distance = ex.KNeighborsRegressor(2, weights="distance").fit(X, y)
    np.testing.assert_allclose(uniform.predict([[0.5], [0.75]]), [5.0, 5.0])
    np.testing.assert_allclose(distance.predict([[0.5], [0.75]]), [5.0, 7.5])


def test_vote_tie_goes_to_the_smallest_label():
    # Check by hand: k = 2 with one neighbour of each label is a tie; the smallest label
    # wins (argmax over sorted classes_), as in scikit-learn. Same with distance weights
    # when both neighbours are equally far.
    X = np.array([[0.0], [2.0]])
    for labels in (np.array(["b", "a"]), np.array([5, 3])):
        for weights in ("uniform", "distance"):
            ours = ex.KNeighborsClassifier(2, weights=weights).fit(X, labels)
            sk = SkKNeighborsClassifier(2, weights=weights).fit(X, labels)
            assert ours.predict([[1.0]])[0] == min(labels) == sk.predict([[1.0]])[0]
            np.testing.assert_allclose(ours.predict_proba([[1.0]]), [[0.5, 0.5]])


def test_distance_weights_break_a_uniform_tie():
    # Check by hand: neighbours at 0.5 (label 1) and 1.5 (label 0), k = 2. Uniform: a tie,
    # label 0 wins. Distance: weights 2 and 2/3, so label 1 wins with P = 2 / (8/3) = 0.75.
    X, y = np.array([[0.5], [-1.5]]), np.array([1, 0])
    assert ex.KNeighborsClassifier(2).fit(X, y).predict([[0.0]])[0] == 0
    model = ex.KNeighborsClassifier(2, weights="distance").fit(X, y)
    assert model.predict([[0.0]])[0] == 1
    np.testing.assert_allclose(model.predict_proba([[0.0]]), [[0.25, 0.75]])


def test_duplicate_points():
    # Check duplicates: at an exact match, distance weights give all the weight to the
    # zero-distance points (shared equally), as in scikit-learn; uniform weights count
    # each copy once.
    X = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    y_cls = np.array(["x", "x", "y", "y", "y"])
    y_reg = np.array([1.0, 2.0, 6.0, 100.0, 100.0])
    Q = np.array([[0.0, 0.0], [0.1, 0.0]])
    for weights in ("uniform", "distance"):
        ours = ex.KNeighborsClassifier(4, weights=weights).fit(X, y_cls)
        sk = SkKNeighborsClassifier(4, weights=weights).fit(X, y_cls)
        np.testing.assert_allclose(ours.predict_proba(Q), sk.predict_proba(Q), atol=ATOL)
        np.testing.assert_array_equal(ours.predict(Q), sk.predict(Q))
        ours_r = ex.KNeighborsRegressor(4, weights=weights).fit(X, y_reg)
        sk_r = SkKNeighborsRegressor(4, weights=weights).fit(X, y_reg)
        np.testing.assert_allclose(ours_r.predict(Q), sk_r.predict(Q), rtol=1e-12)
    # by hand: at the origin the three copies share the weight: (1 + 2 + 6) / 3 = 3
    assert ex.KNeighborsRegressor(4, weights="distance").fit(X, y_reg).predict(Q[:1])[0] == pytest.approx(3.0)


def test_string_labels(rng):
    # Check that labels come back as given, with classes_ sorted.
    X, y = data.make_blobs(n_samples=60, centers=3, random_state=rng)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    model = ex.KNeighborsClassifier(3).fit(X, names)
    np.testing.assert_array_equal(model.classes_, ["setosa", "versicolor", "virginica"])
    np.testing.assert_array_equal(model.predict(X), SkKNeighborsClassifier(3).fit(X, names).predict(X))


def test_one_neighbour_memorises_the_training_set(rng):
    # Check a property: with k = 1 and no duplicate points, each training point is its own
    # nearest neighbour, so the training accuracy is 1.
    X, y = rng.standard_normal((40, 3)), rng.integers(0, 3, size=40)
    assert ex.KNeighborsClassifier(1).fit(X, y).score(X, y) == 1.0


def test_k_equal_to_n_is_the_majority(rng):
    # Check k = n: every query gets the same answer, the training set's most common label.
    X, y = rng.standard_normal((7, 2)), np.array([2, 2, 0, 1, 2, 0, 1])
    model = ex.KNeighborsClassifier(7).fit(X, y)
    np.testing.assert_array_equal(model.predict(rng.standard_normal((4, 2))), [2, 2, 2, 2])


def test_k_larger_than_n_samples_is_refused(rng):
    # Check the message names k and the number of training samples.
    X, y = rng.standard_normal((5, 2)), np.arange(5)
    with pytest.raises(ValueError, match=r"k \(the number of neighbours\) n_neighbors=6 is larger than the rows of X \(n_samples=5\)"):
        ex.KNeighborsClassifier(6).fit(X, y)
    with pytest.raises(ValueError, match="larger than"):
        ex.KNeighborsRegressor(3).fit(X, y).kneighbors(X, n_neighbors=9)


def test_predict_before_fit_is_refused():
    # Check the message tells the learner to call fit first.
    with pytest.raises(NotFittedError, match="fit"):
        ex.KNeighborsClassifier().predict(np.ones((1, 2)))
    with pytest.raises(NotFittedError, match="fit"):
        ex.KNeighborsRegressor().predict(np.ones((1, 2)))


def test_bad_input_gets_a_clear_error(rng):
    # Check mismatched lengths, a bad k, unknown weights, a wrong feature count and text targets.
    X, y = rng.standard_normal((6, 2)), np.arange(6)
    with pytest.raises(ValueError, match="same number of samples; got 6 and 5"):
        ex.KNeighborsClassifier(2).fit(X, y[:5])
    with pytest.raises(ValueError, match="positive integer"):
        ex.KNeighborsClassifier(0).fit(X, y)
    with pytest.raises(ValueError, match="weights"):
        ex.KNeighborsClassifier(2, weights="gaussian").fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but KNeighborsClassifier is expecting 2 features"):
        ex.KNeighborsClassifier(2).fit(X, y).predict(np.ones((1, 3)))
    with pytest.raises(ValueError, match="numeric targets"):
        ex.KNeighborsRegressor(2).fit(X, np.array(list("abcdef")))
