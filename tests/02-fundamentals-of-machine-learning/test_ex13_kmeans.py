"""Tests for ex13_kmeans: distances, k-means++ seeding, Lloyd's steps and KMeans against sklearn."""

import numpy as np
import pytest
from sklearn.cluster import KMeans as SklearnKMeans

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex13_kmeans.py")

ATOL = 1e-10
INERTIA_RTOL = 1e-6  # same partition -> same means -> same inertia up to round-off
MONOTONE_SLACK = 1e-9  # relative round-off allowed when checking that J never rises


@pytest.fixture(scope="module")
def blobs():
    # Well separated: every sensible k-means run finds the same 4 groups.
    return data.make_blobs(400, centers=[[-6, -6], [-6, 6], [6, -6], [6, 6]], cluster_std=1.0, random_state=0)


def same_partition(a, b):
    """True when labellings a and b differ only by renaming the clusters."""
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def test_squared_distances_match_direct_formula(rng):
    # Check the expansion ||x||^2 - 2 x.c + ||c||^2 against the difference computed by broadcasting.
    X, C = rng.standard_normal((9, 3)), rng.standard_normal((4, 3))
    direct = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    np.testing.assert_allclose(ex.squared_distances(X, C), direct, atol=ATOL)
    labels, sq = ex.assign_labels(X, C)
    np.testing.assert_array_equal(labels, direct.argmin(axis=1))
    np.testing.assert_allclose(sq, direct.min(axis=1), atol=ATOL)


def test_distances_are_never_negative_far_from_the_origin(rng):
    # Check that round-off in the expansion (about 1e-10 for points near 1000) is clipped: no
    # negative squared distance, so no NaN from the square root in transform.
    X = 1e3 + rng.standard_normal((200, 3))
    D = ex.squared_distances(X, X)
    assert D.min() >= 0.0
    np.testing.assert_allclose(np.diag(D), 0.0, atol=1e-6)
    assert ex.assign_labels(X, X[:50])[1].min() >= 0.0
    model = ex.KMeans(n_clusters=200, init=X, n_init=1).fit(X)
    assert np.all(np.isfinite(model.transform(X)))


def test_a_tie_goes_to_the_first_centre():
    # Check by hand: centres 1, 1 (a duplicate) and 3 on a line. The point 1 is equally near the
    # first two, the point 2 equally near all three (distance 1); like np.argmin, the first
    # centre wins both ties. Passing the norms ||x||^2 (as lloyd does) changes nothing.
    X = np.array([[1.0], [2.0], [3.0]])
    C = np.array([[1.0], [1.0], [3.0]])
    labels, sq = ex.assign_labels(X, C)
    np.testing.assert_array_equal(labels, [0, 0, 2])
    np.testing.assert_allclose(sq, [0.0, 1.0, 0.0], atol=ATOL)
    labels_given, sq_given = ex.assign_labels(X, C, x_sq=(X**2).sum(axis=1))
    np.testing.assert_array_equal(labels_given, labels)
    np.testing.assert_allclose(sq_given, sq, atol=ATOL)


def test_lloyd_step_by_hand():
    # Check one step worked by hand: points 0, 1, 10, 12 on a line with centres 0 and 5:
    # labels (0, 0, 1, 1), J = 0 + 1 + 25 + 49 = 75, new centres 0.5 and 11.
    X = np.array([[0.0], [1.0], [10.0], [12.0]])
    labels, sq = ex.assign_labels(X, np.array([[0.0], [5.0]]))
    np.testing.assert_array_equal(labels, [0, 0, 1, 1])
    assert sq.sum() == pytest.approx(75.0)
    centers, labels = ex.update_centers(X, labels, sq, np.array([[0.0], [5.0]]))
    np.testing.assert_allclose(centers, [[0.5], [11.0]], atol=ATOL)


def test_inertia_never_increases(rng):
    # Check the defining property of Lloyd's algorithm on overlapping data from poor random starts.
    X = rng.standard_normal((300, 2)) * [3.0, 1.0]
    for seed in range(5):
        model = ex.KMeans(n_clusters=6, init="random", n_init=1, tol=0.0, random_state=seed).fit(X)
        history = np.array(model.inertia_history_)
        assert len(history) > 2
        assert np.all(np.diff(history) <= MONOTONE_SLACK * history[:-1])
        assert model.inertia_ <= history[-1] * (1 + MONOTONE_SLACK)


def test_matches_sklearn_on_separated_blobs(blobs):
    # Check the same partition (up to renaming) and the same inertia as sklearn's KMeans.
    X, y = blobs
    ours = ex.KMeans(n_clusters=4, random_state=0).fit(X)
    ref = SklearnKMeans(n_clusters=4, n_init=1, random_state=0).fit(X)
    assert same_partition(ours.labels_, ref.labels_)
    assert same_partition(ours.labels_, y)
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=INERTIA_RTOL)
    # Each centre is the mean of its cluster, and predict / transform agree with the fit.
    for j in range(4):
        np.testing.assert_allclose(ours.cluster_centers_[j], X[ours.labels_ == j].mean(axis=0), atol=ATOL)
    np.testing.assert_array_equal(ours.predict(X), ours.labels_)
    distances = np.linalg.norm(X[:, None, :] - ours.cluster_centers_[None], axis=2)
    np.testing.assert_allclose(ours.transform(X), distances, atol=1e-8)
    np.testing.assert_allclose(ours.score(X), -ours.inertia_, rtol=1e-12)


def test_restarts_escape_a_bad_local_minimum(blobs):
    # Check that n_init keeps the best run: ten random starts reach the inertia of the true blobs
    # (the optimum for blobs this far apart), although single random starts often do not.
    X, y = blobs
    optimum = sum(((X[y == j] - X[y == j].mean(axis=0)) ** 2).sum() for j in range(4))
    singles = [ex.KMeans(n_clusters=4, init="random", n_init=1, random_state=s).fit(X).inertia_ for s in range(10)]
    assert max(singles) > 1.5 * optimum  # some start does get stuck
    ours = ex.KMeans(n_clusters=4, init="random", n_init=10, random_state=1).fit(X)
    np.testing.assert_allclose(ours.inertia_, optimum, rtol=INERTIA_RTOL)


def test_kmeans_plusplus_never_picks_a_point_twice():
    # Check that a point that is already a centre (D = 0), or any copy of it, is never drawn
    # again: three locations with 50 copies each always give three different centres.
    # Uniform sampling would repeat a location in about 77% of the seeds.
    X = np.repeat(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), 50, axis=0)
    rng = np.random.default_rng(0)
    for trials in [1, 3]:  # the original rule, and the greedy one
        for _ in range(30):
            centers, indices = ex.kmeans_plusplus(X, 3, rng, n_local_trials=trials)
            np.testing.assert_array_equal(centers, X[indices])
            assert len(np.unique(centers, axis=0)) == 3


def test_kmeans_plusplus_samples_proportional_to_squared_distance():
    # Check the D^2 rule: 98 points at 0, one at 1 and one at 3. When the first centre is at 0,
    # the second is the point at 3 with probability 9 / (1 + 9) = 0.9 (D-proportional: 0.75,
    # uniform over the two: 0.5).
    X = np.array([[0.0]] * 98 + [[1.0], [3.0]])
    rng = np.random.default_rng(1)
    second = []
    for _ in range(1500):
        centers, indices = ex.kmeans_plusplus(X, 2, rng, n_local_trials=1)
        if indices[0] < 98:
            second.append(centers[1, 0])
    share_of_3 = np.mean(np.array(second) == 3.0)
    assert len(second) > 1400
    assert abs(share_of_3 - 0.9) < 0.04  # about 5 standard errors; D-proportional is 0.15 away
    # The same rule for the third centre, where D(x) is the distance to the NEAREST centre so far:
    # 50 points at 100, 47 at 0, one at 1 and one at 3. When the first two centres are 100 and 0,
    # the points at 1 and 3 are nearest to 0, with D^2 = 1 and 9 again.
    X = np.array([[100.0]] * 50 + [[0.0]] * 47 + [[1.0], [3.0]])
    third = []
    for _ in range(1500):
        centers, indices = ex.kmeans_plusplus(X, 3, rng, n_local_trials=1)
        if centers[0, 0] == 100.0 and centers[1, 0] == 0.0:
            third.append(centers[2, 0])
    assert len(third) > 600
    assert abs(np.mean(np.array(third) == 3.0) - 0.9) < 0.04


def test_empty_cluster_is_reseeded_at_the_farthest_point():
    # Check by hand: X = 0, 1, 2, 10, 11, 15 and centres 1, 11, 100. Centre 100 gets no point;
    # the farthest point from its centre is 15 (4 away from 11), so it becomes a cluster of its own:
    # centres 1, 10.5, 15 and J = 2 + 0.5 + 0 = 2.5 (the best 3-clustering). Leaving the centre at
    # 100 would give J = 16; dividing by an empty count would give NaN.
    X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [15.0]])
    model = ex.KMeans(n_clusters=3, init=np.array([[1.0], [11.0], [100.0]]), n_init=1).fit(X)
    np.testing.assert_allclose(model.cluster_centers_, [[1.0], [10.5], [15.0]], atol=ATOL)
    np.testing.assert_array_equal(model.labels_, [0, 0, 0, 1, 1, 2])
    assert model.inertia_ == pytest.approx(2.5)


def test_duplicate_points_and_a_constant_feature(rng):
    # Check that more clusters than distinct points, and a constant column, give finite centres,
    # zero inertia where it is possible, and no warnings.
    X = np.repeat(rng.standard_normal((3, 2)), 10, axis=0)
    X = np.column_stack([X, np.ones(len(X))])
    model = ex.KMeans(n_clusters=3, random_state=0).fit(X)
    assert model.inertia_ == pytest.approx(0.0, abs=1e-9)
    model = ex.KMeans(n_clusters=5, random_state=0).fit(X)
    assert np.all(np.isfinite(model.cluster_centers_))
    assert model.inertia_ == pytest.approx(0.0, abs=1e-9)


def test_same_seed_same_result_and_labels_in_range(blobs):
    # Check reproducibility by random_state, and that labels are 0..k-1.
    X, _ = blobs
    a = ex.KMeans(n_clusters=5, init="random", n_init=3, random_state=42).fit(X)
    b = ex.KMeans(n_clusters=5, init="random", n_init=3, random_state=42).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.cluster_centers_, b.cluster_centers_)
    assert set(a.labels_.tolist()) == set(range(5))


def test_predict_before_fit_is_refused():
    # Check the clear message when the model has not been fitted.
    with pytest.raises(NotFittedError, match="call fit"):
        ex.KMeans(n_clusters=2).predict(np.zeros((3, 2)))


def test_bad_input_gets_a_clear_error(blobs):
    # Check more clusters than samples, unknown init, wrong init shape, wrong feature count and a bad n_init.
    X, _ = blobs
    with pytest.raises(ValueError, match="n_samples=3 should be >= n_clusters=4"):
        ex.KMeans(n_clusters=4).fit(X[:3])
    with pytest.raises(ValueError, match="init must be"):
        ex.KMeans(n_clusters=2, init="farthest").fit(X)
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        ex.KMeans(n_clusters=2, init=np.zeros((3, 2))).fit(X)
    with pytest.raises(ValueError, match="X has 3 features, but KMeans is expecting 2 features"):
        ex.KMeans(n_clusters=2).fit(X).predict(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="2-D"):
        ex.KMeans(n_clusters=2).fit(X[:, 0])
    with pytest.raises(ValueError, match="n_init must be 'auto' or a positive integer; got 'Auto'"):
        ex.KMeans(n_clusters=2, n_init="Auto").fit(X)
    for bad in [0, 2.5]:
        with pytest.raises(ValueError, match="n_init must be a positive integer"):
            ex.KMeans(n_clusters=2, n_init=bad).fit(X)
