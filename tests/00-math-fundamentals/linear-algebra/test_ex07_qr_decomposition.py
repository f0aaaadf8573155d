"""Tests for ex07_qr_decomposition: Gram-Schmidt, Householder QR, orthogonality loss, least squares."""

import numpy as np
import pytest
import scipy.linalg

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex07_qr_decomposition.py")

ATOL = 1e-12
ORTHO_TOL = 1e-13  # ||Q^T Q - I|| for a well-conditioned matrix or any Householder Q
GRAM_SCHMIDT = [ex.classical_gram_schmidt, ex.modified_gram_schmidt]
ALL_SHAPES = [(1, 1), (4, 4), (6, 3), (20, 6), (6, 1), (1, 4), (3, 5)]
TALL_SHAPES = [(1, 1), (4, 4), (6, 3), (20, 6), (6, 1)]


def _sign_fixed(Q, R):
    """Flip column j of Q and row j of R so that R has a non-negative diagonal (QR is unique then)."""
    signs = np.where(np.diag(R) < 0, -1.0, 1.0)  # (k,)
    return Q * signs, R * signs[:, None]


def _assert_valid_qr(A, Q, R, tol=ORTHO_TOL):
    m, n = A.shape
    k = min(m, n)
    assert Q.shape == (m, k) and R.shape == (k, n)
    np.testing.assert_allclose(Q.T @ Q, np.eye(k), atol=tol)
    np.testing.assert_array_equal(np.tril(R, -1), np.zeros_like(R))
    np.testing.assert_allclose(Q @ R, A, atol=ATOL * max(1.0, np.abs(A).max()) * 10)


@pytest.mark.parametrize("shape", ALL_SHAPES, ids=str)
def test_householder_gives_a_valid_qr(rng, shape):
    # Check that Q has orthonormal columns, R is upper triangular and Q R = A, for square, tall and
    # wide matrices (a single row or column included).
    A = rng.standard_normal(shape)
    _assert_valid_qr(A, *ex.householder_qr(A))


@pytest.mark.parametrize("shape", ALL_SHAPES, ids=str)
def test_householder_matches_numpy_up_to_signs(rng, shape):
    # Check that Q and R agree with np.linalg.qr: for a full-rank A they are unique once R's diagonal signs are fixed.
    A = rng.standard_normal(shape)
    Q, R = _sign_fixed(*ex.householder_qr(A))
    Q_np, R_np = _sign_fixed(*np.linalg.qr(A))
    np.testing.assert_allclose(Q, Q_np, atol=1e-10)
    np.testing.assert_allclose(R, R_np, atol=1e-10)


def test_householder_complete_mode(rng):
    # Check that mode="complete" gives a square orthogonal Q (m, m), R (m, n) with zero rows below, Q R = A.
    A = rng.standard_normal((5, 2))
    Q, R = ex.householder_qr(A, mode="complete")
    assert Q.shape == (5, 5) and R.shape == (5, 2)
    np.testing.assert_allclose(Q.T @ Q, np.eye(5), atol=ORTHO_TOL)
    np.testing.assert_allclose(Q @ Q.T, np.eye(5), atol=ORTHO_TOL)
    np.testing.assert_array_equal(np.tril(R, -1), np.zeros((5, 2)))
    np.testing.assert_allclose(Q @ R, A, atol=ATOL)


def test_householder_by_hand():
    # Check that the column (3, 4), of length 5, gives R = [[+-5]] and Q = +-(0.6, 0.8) (worked by hand).
    Q, R = ex.householder_qr([[3.0], [4.0]])
    np.testing.assert_allclose(np.abs(R), [[5.0]], atol=ATOL)
    np.testing.assert_allclose(Q * np.sign(R[0, 0]), [[0.6], [0.8]], atol=ATOL)


def test_householder_sign_choice_avoids_cancellation():
    # Check that columns already almost along +e_1 or -e_1 work: x - ||x|| e_1 would cancel to (0, tiny, tiny)
    # and reflect in the wrong direction, so Q R = A would fail by far more than round-off.
    for first in [1.0, -1.0]:
        A = np.array([[first, 2.0], [1e-10, 3.0], [1e-10, 1.0]])
        _assert_valid_qr(A, *ex.householder_qr(A))


@pytest.mark.parametrize(
    "make",
    [
        lambda a, b: np.column_stack([a, 2 * a, b]),
        lambda a, b: np.column_stack([np.zeros_like(a), a, b]),
        lambda a, b: np.zeros((a.size, 3)),
        lambda a, b: np.outer(a, b[:4]),
    ],
    ids=["repeated-column", "zero-column", "zero-matrix", "rank-one"],
)
def test_householder_handles_rank_deficient_matrices(rng, make):
    # Check that dependent or zero columns still give an orthonormal Q and Q R = A, without
    # dividing by zero; R then has a (numerically) zero diagonal entry.
    a, b = rng.standard_normal((2, 6))
    A = make(a, b)
    Q, R = ex.householder_qr(A)
    _assert_valid_qr(A, Q, R)
    assert np.min(np.abs(np.diag(R))) <= 1e-12 * max(1.0, np.abs(A).max())


@pytest.mark.parametrize("gram_schmidt", GRAM_SCHMIDT, ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", TALL_SHAPES, ids=str)
def test_gram_schmidt_matches_numpy(rng, gram_schmidt, shape):
    # Check that on well-conditioned tall matrices we get a valid QR with a positive diagonal of R, equal to
    # np.linalg.qr's after fixing its signs.
    A = rng.standard_normal(shape)
    Q, R = gram_schmidt(A)
    _assert_valid_qr(A, Q, R, tol=1e-12)
    assert np.all(np.diag(R) > 0)
    Q_np, R_np = _sign_fixed(*np.linalg.qr(A))
    np.testing.assert_allclose(Q, Q_np, atol=1e-10)
    np.testing.assert_allclose(R, R_np, atol=1e-10)


@pytest.mark.parametrize("gram_schmidt", GRAM_SCHMIDT, ids=lambda f: f.__name__)
def test_gram_schmidt_by_hand(gram_schmidt):
    # Check that Gram-Schmidt matches a hand calculation: a1 = (1, 1, 0) gives r11 = sqrt(2), q1 = (1, 1, 0)/sqrt(2); a2 = (1, 0, 1) has
    # r12 = q1 . a2 = 1/sqrt(2), leftover (1/2, -1/2, 1) of length sqrt(3/2) = r22.
    Q, R = gram_schmidt([[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    s = np.sqrt(2)
    np.testing.assert_allclose(R, [[s, 1 / s], [0.0, np.sqrt(1.5)]], atol=ATOL)
    np.testing.assert_allclose(Q[:, 0], [1 / s, 1 / s, 0.0], atol=ATOL)
    np.testing.assert_allclose(Q[:, 1], np.array([0.5, -0.5, 1.0]) / np.sqrt(1.5), atol=ATOL)


@pytest.mark.parametrize("gram_schmidt", GRAM_SCHMIDT, ids=lambda f: f.__name__)
def test_gram_schmidt_refuses_dependent_columns(rng, gram_schmidt):
    # Check that a column that is a multiple of an earlier one, or zero, gets a clear error
    # (Gram-Schmidt would divide by a zero leftover), at any scale.
    a, b = rng.standard_normal((2, 6))
    for A in [np.column_stack([a, b, 2 * a]), np.column_stack([a, np.zeros(6)]), 1e-30 * np.column_stack([a, 3 * a])]:
        with pytest.raises(ValueError, match="linearly dependent"):
            gram_schmidt(A)


@pytest.mark.parametrize("gram_schmidt", GRAM_SCHMIDT, ids=lambda f: f.__name__)
def test_gram_schmidt_refuses_wide_matrices(gram_schmidt):
    # Check that more columns than rows (which cannot all be independent) is refused by shape.
    with pytest.raises(ValueError, match="m >= n"):
        gram_schmidt(np.ones((2, 3)))


def test_orthogonality_ordering_on_ill_conditioned_matrices():
    # Check that the known ordering holds on Hilbert matrices (cond ~ 1.5e7 and 1.5e10): Householder stays at
    # round-off level, modified GS loses far less orthogonality than classical GS.
    for n in [6, 8]:
        H = scipy.linalg.hilbert(n)
        cgs = ex.orthogonality_loss(ex.classical_gram_schmidt(H)[0])
        mgs = ex.orthogonality_loss(ex.modified_gram_schmidt(H)[0])
        householder = ex.orthogonality_loss(ex.householder_qr(H)[0])
        assert householder < 1e-13
        assert householder < mgs / 100
        assert mgs < cgs / 100
    assert cgs > 0.1  # for n = 8 classical GS has lost orthogonality almost completely


def test_orthogonality_loss_by_hand():
    # Check that ||Q^T Q - I||_F matches a hand calculation: 0 for I; for Q = 2 I_2 it is ||3 I_2|| = 3 sqrt(2); for the
    # columns (1, 0), (1, 0) it is ||[[0, 1], [1, 0]]|| = sqrt(2).
    assert ex.orthogonality_loss(np.eye(3)) == pytest.approx(0.0)
    assert ex.orthogonality_loss(np.eye(3)[:, :2]) == pytest.approx(0.0)  # tall: Q^T Q is 2 x 2
    assert ex.orthogonality_loss(2 * np.eye(2)) == pytest.approx(3 * np.sqrt(2))
    assert ex.orthogonality_loss([[1.0, 1.0], [0.0, 0.0]]) == pytest.approx(np.sqrt(2))


def test_lstsq_by_hand():
    # Check that the line through (0, 0), (1, 1), (2, 1) is fitted as worked by hand: the normal equations
    # [[3, 3], [3, 5]] c = [2, 3] give c1 = 1/2, c0 = 1/6.
    A = [[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]
    np.testing.assert_allclose(ex.lstsq_qr(A, [0.0, 1.0, 1.0]), [1 / 6, 1 / 2], atol=ATOL)


@pytest.mark.parametrize("shape", [(20, 3), (5, 5), (8, 1), (50, 10)], ids=str)
def test_lstsq_matches_numpy(rng, shape):
    # Check that lstsq_qr agrees with np.linalg.lstsq for one and several right-hand sides; the residual must be
    # orthogonal to the columns of A (A^T (b - A x) = 0).
    A = rng.standard_normal(shape)
    B = rng.standard_normal((shape[0], 2))
    X = ex.lstsq_qr(A, B)
    np.testing.assert_allclose(X, np.linalg.lstsq(A, B, rcond=None)[0], rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(A.T @ (B - A @ X), np.zeros((shape[1], 2)), atol=1e-10)
    x = ex.lstsq_qr(A, B[:, 0])
    assert x.shape == (shape[1],)
    np.testing.assert_allclose(x, X[:, 0], atol=1e-12)


def test_lstsq_recovers_an_exact_fit_on_an_ill_conditioned_problem():
    # Check that QR recovers polynomial coefficients (all 1) from exact samples on [0, 1] with
    # degree 10 (cond(V) ~ 1e7) to 1e-7, where the normal equations are far worse (cond ~ 1e14).
    t = np.linspace(0.0, 1.0, 40)
    V = np.vander(t, 11, increasing=True)
    x = ex.lstsq_qr(V, V @ np.ones(11))
    np.testing.assert_allclose(x, np.ones(11), atol=1e-7)


def test_lstsq_refuses_rank_deficient_and_wide_matrices(rng):
    # Check that the errors are clear: a repeated column has no unique least-squares solution; a wide A is refused by shape.
    a, b = rng.standard_normal((2, 6))
    with pytest.raises(ValueError, match="rank-deficient"):
        ex.lstsq_qr(np.column_stack([a, b, a]), np.ones(6))
    with pytest.raises(ValueError, match="m >= n"):
        ex.lstsq_qr(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match=r"b must have shape \(m,\)"):
        ex.lstsq_qr(np.ones((4, 2)), np.ones(3))


def test_bad_input_gets_a_clear_error():
    # Check that the messages name what was expected: a 2-D finite matrix and a known mode.
    with pytest.raises(ValueError, match=r"shape \(m, n\)"):
        ex.householder_qr(np.ones(3))
    with pytest.raises(ValueError, match="finite"):
        ex.householder_qr([[1.0, np.inf]])
    with pytest.raises(ValueError, match="mode must be"):
        ex.householder_qr(np.eye(2), mode="full")
