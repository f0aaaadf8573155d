"""Tests for ex09_svd_low_rank: top-k SVD by subspace iteration, rank-k approximation, Eckart-Young."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex09_svd_low_rank.py")

# A ConvergenceWarning (a UserWarning) where convergence is expected is a failure; the test
# that expects one catches it with pytest.warns.
pytestmark = pytest.mark.filterwarnings("error::UserWarning")

SIGMA_RTOL = 1e-8
VECTOR_ATOL = 1e-6
EXACT_ATOL = 1e-10


def _matrix_with_singular_values(rng, m, n, sigmas):
    """U diag(sigmas) V^T with random orthonormal U (m, r), V (n, r), built here independently."""
    r = len(sigmas)
    U, _ = np.linalg.qr(rng.standard_normal((m, r)))
    V, _ = np.linalg.qr(rng.standard_normal((n, r)))
    return U @ np.diag(sigmas) @ V.T


def _assert_matches_library(A, U, s, Vt, k):
    U_ref, s_ref, Vt_ref = np.linalg.svd(A, full_matrices=False)
    np.testing.assert_allclose(s, s_ref[:k], rtol=SIGMA_RTOL, atol=EXACT_ATOL)
    for i in range(k):
        # u_i v_i^T does not depend on the pair's common sign, but does on a mismatched pair.
        np.testing.assert_allclose(np.outer(U[:, i], Vt[i]), np.outer(U_ref[:, i], Vt_ref[i]), atol=VECTOR_ATOL)


def test_top_k_svd_by_hand():
    # Check that [[3, 0], [0, -2]] has sigma = 3, 2 with u_1 = v_1 = e_1 and
    # (u_2, v_2) = (-e_2, e_2) or (e_2, -e_2), worked by hand.
    U, s, Vt = ex.top_k_svd(np.array([[3.0, 0.0], [0.0, -2.0]]), 2, random_state=0)
    np.testing.assert_allclose(s, [3.0, 2.0], rtol=SIGMA_RTOL)
    np.testing.assert_allclose(np.outer(U[:, 0], Vt[0]), [[1, 0], [0, 0]], atol=VECTOR_ATOL)
    np.testing.assert_allclose(np.outer(U[:, 1], Vt[1]), [[0, 0], [0, -1]], atol=VECTOR_ATOL)


@pytest.mark.parametrize("m, n, k", [(30, 20, 5), (20, 30, 5), (12, 12, 12), (40, 8, 1)])
def test_top_k_svd_matches_numpy(rng, m, n, k):
    # Check that singular values and the pairs (u_i, v_i) agree with np.linalg.svd, tall and wide,
    # k = 1 and k = min(m, n), on random Gaussian matrices.
    A = rng.standard_normal((m, n))
    U, s, Vt = ex.top_k_svd(A, k, tol=1e-12, max_iter=5000, random_state=rng)
    assert U.shape == (m, k) and s.shape == (k,) and Vt.shape == (k, n)
    _assert_matches_library(A, U, s, Vt, k)


def test_triplets_satisfy_the_svd_equations(rng):
    # Check that A v_i = sigma_i u_i and A^T u_i = sigma_i v_i, and that U and V are orthonormal.
    A = _matrix_with_singular_values(rng, 25, 15, [10.0, 7.0, 4.0, 2.0, 1.0, 0.5])
    U, s, Vt = ex.top_k_svd(A, 4, tol=1e-12, random_state=rng)
    np.testing.assert_allclose(A @ Vt.T, U * s, atol=VECTOR_ATOL)
    np.testing.assert_allclose(A.T @ U, Vt.T * s, atol=VECTOR_ATOL)
    np.testing.assert_allclose(U.T @ U, np.eye(4), atol=EXACT_ATOL)
    np.testing.assert_allclose(Vt @ Vt.T, np.eye(4), atol=EXACT_ATOL)
    assert np.all(np.diff(s) <= 0) and np.all(s >= 0)


def test_close_singular_values_converge_with_oversampling(rng):
    # Check that a hard case, sigma_5 / sigma_6 = 0.99, still matches the library to tolerance.
    sigmas = [10.0, 8.0, 6.0, 5.0, 4.0, 3.96, 1.0, 0.8, 0.5, 0.1]
    A = _matrix_with_singular_values(rng, 30, 20, sigmas)
    U, s, Vt = ex.top_k_svd(A, 5, oversample=3, tol=1e-12, max_iter=2000, random_state=rng)
    _assert_matches_library(A, U, s, Vt, 5)


def test_rank_deficient_matrix_gives_zero_singular_values(rng):
    # Check that a rank-2 matrix asked for k = 4 returns sigma_3 = sigma_4 = 0 (no division by
    # zero) with U still orthonormal.
    A = _matrix_with_singular_values(rng, 10, 6, [5.0, 2.0])
    U, s, Vt = ex.top_k_svd(A, 4, random_state=rng)
    np.testing.assert_allclose(s, [5.0, 2.0, 0.0, 0.0], atol=1e-8)
    np.testing.assert_allclose(U.T @ U, np.eye(4), atol=1e-8)


def test_zero_matrix():
    # Check that the zero matrix has all singular values 0 and stops without a warning.
    U, s, Vt = ex.top_k_svd(np.zeros((4, 3)), 2, random_state=0)
    np.testing.assert_array_equal(s, [0.0, 0.0])


def test_too_few_steps_warn():
    # Check that the documented contract holds: max_iter too small gives a ConvergenceWarning.
    A = _matrix_with_singular_values(np.random.default_rng(1), 20, 10, [1.0, 0.999, 0.5])
    with pytest.warns(ex.ConvergenceWarning, match="max_iter=2"):
        ex.top_k_svd(A, 1, oversample=0, max_iter=2, random_state=0)


def test_rank_k_approximation_by_hand():
    # Check that with U = I, s = (3, 2), Vt = I, A_1 = diag(3, 0) (worked by hand).
    np.testing.assert_allclose(ex.rank_k_approximation(np.eye(2), [3.0, 2.0], np.eye(2), 1), [[3.0, 0.0], [0.0, 0.0]])


def test_full_rank_approximation_rebuilds_the_matrix(rng):
    # Check that k = min(m, n) from np.linalg.svd gives back A exactly.
    A = rng.standard_normal((7, 4))
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    np.testing.assert_allclose(ex.rank_k_approximation(U, s, Vt, 4), A, atol=EXACT_ATOL)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_eckart_young_identity_and_rank(rng, k):
    # Check that ||A - A_k||_F^2 = sum of the discarded sigma^2 (from np.linalg.svd), that A_k has
    # rank k, and that A_k beats another rank-k matrix (A's own first k columns' projection).
    A = rng.standard_normal((12, 9))
    s_ref = np.linalg.svd(A, compute_uv=False)
    U, s, Vt = ex.top_k_svd(A, k, tol=1e-12, max_iter=5000, random_state=rng)
    A_k = ex.rank_k_approximation(U, s, Vt, k)
    np.testing.assert_allclose(np.linalg.norm(A - A_k) ** 2, np.sum(s_ref[k:] ** 2), rtol=1e-8)
    assert np.linalg.matrix_rank(A_k) == k
    Q, _ = np.linalg.qr(A[:, :k])
    assert np.linalg.norm(A - A_k) <= np.linalg.norm(A - Q @ Q.T @ A)


def test_energy_kept_matches_the_definition(rng):
    # Check that the cumulative energy equals sigma^2 / ||A||_F^2 from np.linalg.svd; all
    # singular values together keep everything (1.0).
    A = rng.standard_normal((6, 5))
    s_ref = np.linalg.svd(A, compute_uv=False)
    kept = ex.energy_kept(s_ref, np.sum(A**2))
    np.testing.assert_allclose(kept, np.cumsum(s_ref**2) / np.linalg.norm(A) ** 2, rtol=1e-12)
    assert kept[-1] == pytest.approx(1.0)
    np.testing.assert_allclose(ex.energy_kept([3.0, 4.0], 25.0), [9 / 25, 1.0])  # by hand


@pytest.mark.parametrize("k", [0, 5, 2.5, -1])
def test_k_out_of_range_is_refused(k):
    # Check that k must be an integer in 1..min(m, n), in both functions.
    with pytest.raises(ValueError, match="k must be"):
        ex.top_k_svd(np.ones((6, 4)), k)
    with pytest.raises(ValueError, match="k must be"):
        ex.rank_k_approximation(np.eye(4), np.ones(4), np.eye(4), k)


@pytest.mark.parametrize(
    "A, message",
    [(np.ones(3), r"shape \(m, n\)"), (np.zeros((0, 3)), "non-empty"), (np.array([[1.0, np.inf]]), "finite")],
)
def test_bad_matrices_are_refused(A, message):
    # Check that the message names what was expected.
    with pytest.raises(ValueError, match=message):
        ex.top_k_svd(A, 1)


def test_mismatched_factors_are_refused():
    # Check that U, s, Vt with inconsistent shapes get a clear error.
    with pytest.raises(ValueError, match=r"U \(m, r\), s \(r,\), Vt \(r, n\)"):
        ex.rank_k_approximation(np.eye(3), np.ones(2), np.eye(3), 1)
