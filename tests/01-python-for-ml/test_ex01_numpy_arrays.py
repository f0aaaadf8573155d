"""Tests for ex01_numpy_arrays: creation, views vs copies, boolean and fancy indexing."""

import statistics

import numpy as np
import pytest

import utils

ex = utils.load_exercise("01-python-for-ml/ex01_numpy_arrays.py")

ATOL = 1e-12


def test_make_grid_by_hand():
    # Check that entry (i, j) of a 2 x 3 grid is i * 3 + j (worked by hand).
    np.testing.assert_array_equal(ex.make_grid(2, 3), [[0, 1, 2], [3, 4, 5]])


@pytest.mark.parametrize("n_rows, n_cols", [(1, 1), (1, 7), (6, 1), (4, 5)])
def test_make_grid_is_the_row_major_order(n_rows, n_cols):
    # Check that the shape is right, and that reading the grid row by row counts 0, 1, 2, ...
    G = ex.make_grid(n_rows, n_cols)
    assert G.shape == (n_rows, n_cols)
    np.testing.assert_array_equal(G.ravel(), np.arange(n_rows * n_cols))
    np.testing.assert_array_equal(G[:, 0], n_cols * np.arange(n_rows))  # first column steps by n_cols


def test_make_grid_keeps_the_dtype():
    # Check that the requested dtype arrives, not the default int64 / float64.
    assert ex.make_grid(2, 2, dtype=np.float32).dtype == np.float32
    assert ex.make_grid(2, 2, dtype=np.uint8).dtype == np.uint8


def test_make_grid_refuses_a_bad_size():
    # Check that zero or fractional sizes get a clear error.
    with pytest.raises(ValueError, match="positive integer"):
        ex.make_grid(0, 3)
    with pytest.raises(ValueError, match="positive integer"):
        ex.make_grid(2, 2.5)


def test_standardize_by_hand_with_a_constant_column():
    # Check that, worked by hand, column 0 = (1, 3) with mean 2 and std 1 becomes (-1, 1);
    # column 1 = (10, 10) is constant -> centred to (0, 0), not divided by zero.
    X = np.array([[1.0, 10.0], [3.0, 10.0]])
    np.testing.assert_allclose(ex.standardize_columns(X), [[-1.0, 0.0], [1.0, 0.0]], atol=ATOL)


def test_standardize_constant_non_integer_column_gives_zeros():
    # Check that a constant 0.1 column (whose computed std is a round-off crumb, not 0) becomes zeros.
    X = np.column_stack([np.full(7, 0.1), np.arange(7.0)])
    Z = ex.standardize_columns(X)
    np.testing.assert_allclose(Z[:, 0], 0.0, atol=ATOL)
    assert np.all(np.isfinite(Z))


def test_standardize_matches_the_statistics_module(rng):
    # Check that each column agrees with Python's statistics module (population std, ddof=0),
    # which catches a forgotten centring, the sample std (ddof=1) or a transposed axis.
    X = rng.normal(3.0, 2.0, size=(30, 4)) * np.array([1.0, 10.0, 0.1, 5.0])
    expected = np.empty_like(X)
    for j in range(X.shape[1]):
        column = X[:, j].tolist()
        mean, std = statistics.fmean(column), statistics.pstdev(column)
        expected[:, j] = [(v - mean) / std for v in column]
    np.testing.assert_allclose(ex.standardize_columns(X), expected, atol=1e-10)


def test_standardize_copy_leaves_the_input_alone(rng):
    # Check that inplace=False returns new memory and X keeps its values.
    X = rng.standard_normal((10, 3))
    before = X.copy()
    Z = ex.standardize_columns(X)
    assert not np.shares_memory(Z, X)
    np.testing.assert_array_equal(X, before)
    assert ex.standardize_columns(np.arange(6).reshape(3, 2)).dtype.kind == "f"  # ints become floats


def test_standardize_inplace_writes_into_the_input(rng):
    # Check that inplace=True returns X itself, now with column means 0 and stds 1.
    X = rng.standard_normal((10, 3)) * 4 + 7
    Z = ex.standardize_columns(X, inplace=True)
    assert np.shares_memory(Z, X)
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=ATOL)
    np.testing.assert_allclose(X.std(axis=0), 1.0, atol=ATOL)


def test_standardize_inplace_through_a_view_changes_the_base(rng):
    # Check that standardising the view F[:, :2] in place changes F's first two columns only.
    F = rng.standard_normal((8, 4)) + 5
    untouched = F[:, 2:].copy()
    view = F[:, :2]
    assert np.shares_memory(view, F)
    ex.standardize_columns(view, inplace=True)
    np.testing.assert_allclose(F[:, :2].mean(axis=0), 0.0, atol=ATOL)
    np.testing.assert_array_equal(F[:, 2:], untouched)


def test_standardize_inplace_refuses_ints_and_lists():
    # Check that in-place work on an int array or a list is refused with a clear error.
    with pytest.raises(TypeError, match="floating-point"):
        ex.standardize_columns(np.arange(6).reshape(3, 2), inplace=True)
    with pytest.raises(TypeError, match="ndarray"):
        ex.standardize_columns([[1.0, 2.0], [3.0, 4.0]], inplace=True)
    with pytest.raises(ValueError, match=r"\(n_samples, n_features\)"):
        ex.standardize_columns(np.ones(5))


def test_rows_where_by_hand():
    # Check that on the 4 x 5 grid (by hand) column 1 holds 1, 6, 11, 16; 4 <= v < 15 keeps rows 1 and 2,
    # and the upper bound is exclusive (11 in, 16 out; a 6 <= v < 11 window keeps only row 1).
    X = np.arange(20).reshape(4, 5)
    np.testing.assert_array_equal(ex.rows_where(X, 1, 4, 15), X[1:3])
    np.testing.assert_array_equal(ex.rows_where(X, 1, 6, 11), X[1:2])
    np.testing.assert_array_equal(ex.rows_where(X, -1, 0, 100), X)  # negative column = count from the end


def test_rows_where_empty_result_keeps_the_columns():
    # Check that no match gives shape (0, n_features), not (0,) or an error.
    X = np.arange(20).reshape(4, 5)
    assert ex.rows_where(X, 0, 100, 200).shape == (0, 5)


def test_rows_where_returns_a_copy_matching_a_loop(rng):
    # Check that the result agrees with a plain Python loop, and that writing into it leaves X alone.
    X = rng.standard_normal((50, 3))
    expected = np.array([row for row in X if -0.5 <= row[2] < 0.7])
    result = ex.rows_where(X, 2, -0.5, 0.7)
    np.testing.assert_array_equal(result, expected)
    assert not np.shares_memory(result, X)


def test_rows_where_bad_column():
    # Check that a column outside the array gets a clear error.
    with pytest.raises(ValueError, match="column"):
        ex.rows_where(np.ones((3, 2)), 2, 0, 1)


def test_submatrix_by_hand():
    # Check that on the 4 x 5 grid rows 0, 2 and columns 1, 3, 4 give [[1, 3, 4], [11, 13, 14]] (worked by hand).
    X = np.arange(20).reshape(4, 5)
    np.testing.assert_array_equal(ex.submatrix(X, [0, 2], [1, 3, 4]), [[1, 3, 4], [11, 13, 14]])


def test_submatrix_is_every_row_with_every_column(rng):
    # Check that the block agrees with a double loop, with equal-length index lists (where X[rows, cols] would only
    # pick the pairs), repeated indices, and that the result is a copy.
    X = rng.standard_normal((6, 6))
    rows, cols = [4, 0, 4], [1, 5, 2]
    expected = np.array([[X[r, c] for c in cols] for r in rows])
    result = ex.submatrix(X, rows, cols)
    np.testing.assert_array_equal(result, expected)
    assert not np.shares_memory(result, X)


def test_submatrix_refuses_float_indices():
    # Check that float index lists get a clear TypeError.
    with pytest.raises(TypeError, match="integers"):
        ex.submatrix(np.ones((3, 3)), [0.0, 1.0], [1])
