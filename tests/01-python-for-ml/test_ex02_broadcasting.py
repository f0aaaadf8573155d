"""Tests for ex02_broadcasting: the shape rules, pairwise distances and the (n,) vs (n, 1) trap."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist

import utils

ex = utils.load_exercise("01-python-for-ml/ex02_broadcasting.py")

RTOL = 1e-12  # loops, broadcast and expansion add the same terms, in slightly different orders
ATOL_EXPANSION = 1e-10  # the expansion loses about eps * (||x||^2 + ||y||^2) to cancellation

COMPATIBLE = [
    ((3, 1), (4,)),
    ((4,), (3, 1)),
    ((5, 1, 2), (3, 1)),
    ((2, 3), (2, 3)),
    ((), (2, 3)),
    ((1,), (7,)),
    ((0,), (1,)),
    ((1,), (0,)),
    ((1, 0), (3, 1)),
    ((3, 1), (1, 0)),
    ((8, 1, 6, 1), (7, 1, 5)),
]
INCOMPATIBLE = [((2, 3), (2,)), ((3,), (4,)), ((0,), (3,)), ((2, 1), (8, 4, 3))]


@pytest.mark.parametrize("a, b", COMPATIBLE)
def test_broadcast_shape_matches_numpy(a, b):
    # Check that the shape agrees with np.broadcast_shapes, including the empty shape and a size-0 axis
    # (where taking the max of the two sizes would give 1 instead of 0).
    assert ex.broadcast_shape(a, b) == np.broadcast_shapes(a, b)


def test_broadcast_shape_by_hand():
    # Check that (8, 1, 6, 1) with (7, 1, 5) pads to (1, 7, 1, 5) and takes the non-1 sizes -> (8, 7, 6, 5) (worked by hand).
    assert ex.broadcast_shape((8, 1, 6, 1), (7, 1, 5)) == (8, 7, 6, 5)
    assert ex.broadcast_shape([2, 1], [1, 3]) == (2, 3)  # lists are shapes too; the answer is a tuple


@pytest.mark.parametrize("a, b", INCOMPATIBLE)
def test_broadcast_shape_refuses_what_numpy_refuses(a, b):
    # Check that the pairs NumPy rejects raise a ValueError naming the shapes.
    with pytest.raises(ValueError):
        np.broadcast_shapes(a, b)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        ex.broadcast_shape(a, b)


def test_broadcast_shape_refuses_non_shapes():
    # Check that a negative size or a float gets a TypeError saying what a shape is.
    with pytest.raises(TypeError, match="non-negative integers"):
        ex.broadcast_shape((2, -1), (2,))
    with pytest.raises(TypeError, match="non-negative integers"):
        ex.broadcast_shape((2.0,), (2,))


def test_pairwise_by_hand():
    # Check that (0,0)-(3,4) is 25, (0,0)-(0,0) is 0, (1,1)-(3,4) is 4 + 9 = 13, (1,1)-(0,0) is 2 (worked by hand).
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    Y = np.array([[3.0, 4.0], [0.0, 0.0]])
    expected = np.array([[25.0, 0.0], [13.0, 2.0]])
    for fn in (ex.pairwise_sq_dists_loops, ex.pairwise_sq_dists_broadcast, ex.pairwise_sq_dists):
        np.testing.assert_allclose(fn(X, Y), expected, atol=ATOL_EXPANSION)


@pytest.mark.parametrize("n, m, d", [(7, 5, 3), (1, 4, 2), (6, 1, 1), (4, 4, 10)])
def test_three_versions_agree_with_scipy(rng, n, m, d):
    # Check that all three versions agree with scipy's cdist (squared Euclidean) on non-square shapes,
    # which also catches a forgotten transpose (the result must be (n, m), not (m, n)).
    X, Y = rng.standard_normal((n, d)), rng.standard_normal((m, d))
    expected = cdist(X, Y, "sqeuclidean")
    D_loop = ex.pairwise_sq_dists_loops(X, Y)
    assert D_loop.shape == (n, m)
    np.testing.assert_allclose(D_loop, expected, rtol=RTOL)
    np.testing.assert_allclose(ex.pairwise_sq_dists_broadcast(X, Y), D_loop, rtol=RTOL)
    np.testing.assert_allclose(ex.pairwise_sq_dists(X, Y), D_loop, rtol=1e-9, atol=ATOL_EXPANSION)


def test_expansion_is_clipped_at_zero(rng):
    # Check that points far from the origin, where the unclipped expansion dips below 0 on the
    # diagonal (about -1e-7 here), still give squared distances >= 0 and a zero diagonal.
    X = 1e4 + rng.standard_normal((20, 3))
    D = ex.pairwise_sq_dists(X, X)
    assert D.min() >= 0.0
    np.testing.assert_allclose(np.diag(D), 0.0, atol=1e-6)


def test_pairwise_refuses_mismatched_features():
    # Check that X and Y with different numbers of features get a clear error.
    with pytest.raises(ValueError, match="same number"):
        ex.pairwise_sq_dists(np.ones((3, 2)), np.ones((3, 3)))


def test_subtract_row_means_on_a_square_matrix():
    # Check that a square matrix, where the (n,) mistake runs silently, is centred as worked by hand:
    # rows (0, 1, 2), (3, 4, 5), (6, 7, 8) have means 1, 4, 7 -> every row becomes (-1, 0, 1).
    S = np.arange(9.0).reshape(3, 3)
    np.testing.assert_allclose(ex.subtract_row_means(S), np.tile([-1.0, 0.0, 1.0], (3, 1)))


def test_subtract_row_means_rows_average_zero(rng):
    # Check that on a non-square matrix every row of the result has mean 0 and the
    # differences between entries of a row are unchanged.
    X = rng.standard_normal((5, 8)) + 10 * np.arange(5)[:, None]
    C = ex.subtract_row_means(X)
    assert C.shape == X.shape
    np.testing.assert_allclose(C.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.diff(C, axis=1), np.diff(X, axis=1), atol=1e-12)


def test_mean_squared_error_by_hand():
    # Check that residuals (1, -2, 0) give (1 + 4 + 0) / 3 = 5/3 (worked by hand).
    assert ex.mean_squared_error([2.0, 0.0, 5.0], [1.0, 2.0, 5.0]) == pytest.approx(5.0 / 3.0)


def test_mean_squared_error_refuses_a_column():
    # Check that the (n,) vs (n, 1) pair is refused instead of silently averaging an (n, n) matrix.
    with pytest.raises(ValueError, match=r"\(n, n\)"):
        ex.mean_squared_error(np.ones(5), np.ones((5, 1)))
