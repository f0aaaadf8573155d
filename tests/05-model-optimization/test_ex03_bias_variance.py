"""Tests for ex03_bias_variance: the Legendre basis, least squares, and the decomposition against closed forms."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("05-model-optimization/ex03_bias_variance.py")

ATOL = 1e-10
N_SIGMA = 4.0  # Monte Carlo checks: allowed distance in standard errors
VARIANCE_RTOL = 0.1  # a variance from S = 4000 sets has a relative standard error near sqrt(2 / S) = 0.022


def exact_terms(degree, n_train, noise, x_test):
    """Closed forms for a fixed design: E f_hat = B (A^T A)^-1 A^T f, Var f_hat(x) = sigma^2 b(x)^T (A^T A)^-1 b(x).

    Written with the monomial basis via numpy.polynomial.Polynomial.fit (an independent route),
    on x_train in [0, 1] and noise-free targets.
    """
    x_train = np.linspace(0.0, 1.0, n_train)
    mean_fit = np.polynomial.Polynomial.fit(x_train, ex.true_function(x_train), degree)(x_test)
    A = np.vander(2 * x_train - 1, degree + 1)  # monomials of the mapped x: fine for small degrees
    B = np.vander(2 * x_test - 1, degree + 1)
    variance = noise**2 * np.einsum("ij,ij->i", B @ np.linalg.inv(A.T @ A), B)
    return np.mean((ex.true_function(x_test) - mean_fit) ** 2), np.mean(variance)


def test_legendre_design_by_hand():
    # Check by hand on [0, 1]: x = 0 maps to z = -1 where L_k = (-1)^k, x = 1 to z = 1 where
    # L_k = 1, and x = 1/2 to z = 0 where L_0..L_4 = 1, 0, -1/2, 0, 3/8.
    A = ex.legendre_design(np.array([0.0, 1.0, 0.5]), 4)
    np.testing.assert_allclose(A, [[1, -1, 1, -1, 1], [1, 1, 1, 1, 1], [1, 0, -0.5, 0, 0.375]], atol=ATOL)
    # Another domain: x in [10, 30], so x = 20 is the middle.
    np.testing.assert_allclose(ex.legendre_design(np.array([20.0]), 2, domain=(10, 30)), [[1, 0, -0.5]], atol=ATOL)


def test_legendre_basis_is_far_better_conditioned_than_monomials():
    # Check the reason for the basis: for degree 15 on 25 points of [0, 1], the monomial design
    # matrix is nearly singular while the Legendre one is not.
    x = np.linspace(0.0, 1.0, 25)
    assert np.linalg.cond(np.vander(x, 16)) > 1e9
    assert np.linalg.cond(ex.legendre_design(x, 15)) < 1e3


def test_fit_polynomial_predicts_like_numpy_polyfit(rng):
    # Check against np.polyfit (monomial basis): the same polynomial, so the same predictions.
    x, y = rng.uniform(0, 1, 30), rng.standard_normal(30)
    x_new = np.linspace(0, 1, 7)
    for degree in [1, 3, 6]:
        ours = ex.predict_polynomial(ex.fit_polynomial(x, y, degree), x_new)
        np.testing.assert_allclose(ours, np.polyval(np.polyfit(x, y, degree), x_new), atol=1e-8)


def test_fit_polynomial_with_many_target_columns_fits_each_column(rng):
    # Check that y of shape (n, S) gives, column by column, the fits of the S separate problems.
    x, Y = rng.uniform(0, 1, 20), rng.standard_normal((20, 4))
    together = ex.fit_polynomial(x, Y, 3)
    assert together.shape == (4, 4)
    for s in range(4):
        np.testing.assert_allclose(together[:, s], ex.fit_polynomial(x, Y[:, s], 3), atol=ATOL)


def test_degree_zero_predicts_the_training_mean(rng):
    # Check that a constant fitted by least squares is the mean of the targets, everywhere.
    x, y = rng.uniform(0, 1, 12), rng.standard_normal(12) + 3.0
    np.testing.assert_allclose(ex.predict_polynomial(ex.fit_polynomial(x, y, 0), np.array([0.0, 0.3, 1.0])), np.full(3, y.mean()), atol=ATOL)


def test_degree_n_minus_one_interpolates(rng):
    # Check that n points and n coefficients give a curve through every point (no residual).
    x, y = np.sort(rng.uniform(0, 1, 6)), rng.standard_normal(6)
    np.testing.assert_allclose(ex.predict_polynomial(ex.fit_polynomial(x, y, 5), x), y, atol=1e-8)


@pytest.mark.parametrize("degree", [0, 1, 3, 7, 12])
def test_terms_add_up_to_the_expected_error(degree):
    # Check the identity E[(y - f_hat)^2] = bias^2 + variance + noise: the Monte Carlo error
    # estimate and the sum of the three estimated terms agree within a few standard errors.
    r = ex.bias_variance(degree, n_datasets=1000, random_state=1)
    assert abs(r["error"] - (r["bias2"] + r["variance"] + r["noise"])) < N_SIGMA * r["error_se"]
    assert r["noise"] == pytest.approx(0.3**2)


@pytest.mark.parametrize("degree", [0, 1, 3, 6])
def test_bias_and_variance_match_their_closed_forms(degree):
    # Check the estimates against the exact fixed-design values (computed with a different
    # basis and solver): the bias^2 estimate is biased up by variance / S, and the variance
    # estimate (1/S version) down by the factor (S - 1) / S.
    S, x_test = 4000, np.linspace(0.0, 1.0, 101)
    r = ex.bias_variance(degree, n_datasets=S, n_train=25, noise=0.3, x_test=x_test, random_state=2)
    bias2, variance = exact_terms(degree, 25, 0.3, x_test)
    assert r["variance"] == pytest.approx(variance * (S - 1) / S, rel=VARIANCE_RTOL)
    assert r["bias2"] == pytest.approx(bias2 + variance / S, rel=0.05, abs=5 * variance / S)


def test_degree_zero_terms_by_hand():
    # Check by hand for the constant model on evenly spaced x: the mean of the training y has
    # expectation mean_i sin(2 pi x_i) = 0 (the sine's values cancel) and variance sigma^2 / n.
    r = ex.bias_variance(0, n_datasets=4000, n_train=25, noise=0.3, random_state=3)
    assert r["variance"] == pytest.approx(0.09 / 25, rel=VARIANCE_RTOL)
    x_test = np.linspace(0.0, 1.0, 101)
    assert r["bias2"] == pytest.approx(np.mean(np.sin(2 * np.pi * x_test) ** 2) + 0.09 / 25 / 4000, rel=0.01)


def test_bias_falls_and_variance_rises_with_the_degree():
    # Check the trade-off: bias^2 drops by orders of magnitude from degree 1 to 5, and the
    # variance grows from degree 1 to 15 (nested least-squares models: it cannot shrink).
    results = {p: ex.bias_variance(p, n_datasets=600, random_state=4) for p in [0, 1, 3, 5, 10, 15]}
    assert results[0]["bias2"] > results[1]["bias2"] > 10 * results[3]["bias2"] > 10 * results[5]["bias2"]
    variances = [results[p]["variance"] for p in [0, 1, 3, 5, 10, 15]]
    assert np.all(np.diff(variances) > 0)
    assert results[15]["variance"] > 5 * results[1]["variance"]


def test_same_seed_same_result_and_bad_input():
    # Check reproducibility, and clear errors for too few samples or a negative degree.
    a = ex.bias_variance(3, n_datasets=50, random_state=9)
    b = ex.bias_variance(3, n_datasets=50, random_state=9)
    assert a["error"] == b["error"] and a["bias2"] == b["bias2"]
    with pytest.raises(ValueError, match="at least 16 training samples"):
        ex.bias_variance(15, n_train=10)
    with pytest.raises(ValueError, match="non-negative integer"):
        ex.legendre_design(np.zeros(3), -1)
    with pytest.raises(ValueError, match="1-D"):
        ex.fit_polynomial(np.zeros((3, 2)), np.zeros(3), 1)
