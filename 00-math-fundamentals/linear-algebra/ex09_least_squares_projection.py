"""
Exercise 09: least squares as an orthogonal projection

Learning goals
--------------
- See least squares geometrically: A x_hat is the point of the column space
  closest to b, and the residual b - A x_hat is orthogonal to every column.
- Solve it three ways: the normal equations, QR with back substitution, and
  the pseudo-inverse from the SVD, and know when each one is the right tool.
- Handle a rank-deficient or underdetermined system: many x fit equally well,
  and the pseudo-inverse picks the one of smallest norm.

The math
--------
A has shape (m, n), b has shape (m,). Least squares minimises ||A x - b||_2^2
over x of shape (n,). At the minimum the residual r = b - A x_hat is orthogonal
to the column space:
    A^T (b - A x_hat) = 0   <=>   A^T A x_hat = A^T b     (the normal equations).
If A has full column rank (rank n), A^T A is invertible, x_hat is unique and the
orthogonal projection onto the column space is the (m, m) matrix
    P = A (A^T A)^{-1} A^T,   with P^2 = P (idempotent) and P^T = P (symmetric).
QR: A = Q R with Q (m, n) orthonormal columns and R (n, n) upper triangular
turns the normal equations into R x_hat = Q^T b, and P = Q Q^T. This avoids
forming A^T A, whose condition number is cond(A)^2 (ex10).
SVD: A = U S V^T. Keeping only the r singular values above a cutoff
(sigma_i > rtol * sigma_1), the pseudo-inverse is
    A^+ = V_r diag(1 / sigma_1..r) U_r^T     (shape (n, m)),
P = A A^+ = U_r U_r^T for any rank, and x_plus = A^+ b is the least-squares
solution of smallest norm: adding any null-space vector z (A z = 0) keeps the
residual and only makes ||x|| larger. The cutoff matters: 1 / sigma for a
sigma that is only round-off would blow the answer up.

Algorithm
---------
1. Normal equations: check full column rank; x = solve(A^T A, A^T b).
2. QR: Q, R = qr(A); solve R x = Q^T b by back substitution, last row first
   (exercise 04's back_substitution).
3. Pseudo-inverse: U, s, Vt = svd(A); keep s > rtol * s[0]; A^+ = Vt_r^T
   diag(1 / s_r) U_r^T; x = A^+ b; the projection is U_r U_r^T.

References: G. Strang, Introduction to Linear Algebra, 5th ed., ch. 4.2-4.3
(projections, least squares; the worked example b = (6, 0, 0)) and 7.4
(pseudo-inverse); L. Trefethen and D. Bau, Numerical Linear Algebra, lectures
6-8 and 11; G. Golub and C. Van Loan, Matrix Computations, 4th ed., sec. 5.5.
Builds on: 00-math-fundamentals/linear-algebra/ex04_gaussian_elimination.py (gauss).
Difficulty: 2 of 3, about 25 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex09_least_squares_projection.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.validation import as_float_array, as_float_array

# Back substitution is exercise 04's; a learner practising this exercise uses the reference.
gauss = utils.load_exercise("00-math-fundamentals/linear-algebra/ex04_gaussian_elimination.py", practice=False)

# %% [markdown]
# ## Implementation


# %%
def _check_system(A, b):
    """A as a finite (m, n) float array and b as (m,), or a ValueError."""
    A, b = as_float_array(A, "A"), as_float_array(b, "b")
    if A.ndim != 2 or A.size == 0 or b.shape != (A.shape[0],):
        raise ValueError(f"expected A of shape (m, n) and b of shape (m,); got {A.shape} and {b.shape}")
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(b))):
        raise ValueError("A and b must contain only finite numbers; got NaN or inf")
    return A, b


def _require_full_column_rank(A, method):
    rank = np.linalg.matrix_rank(A)
    if rank < A.shape[1]:
        raise ValueError(
            f"{method} needs full column rank (rank n = {A.shape[1]}); got rank {rank}: "
            "the least-squares solution is not unique, use min_norm_solution"
        )


def _default_rtol(A, rtol):
    """The cutoff sigma_i > rtol * sigma_1; default max(m, n) * machine epsilon (as np.linalg.matrix_rank)."""
    return max(A.shape) * np.finfo(float).eps if rtol is None else float(rtol)


def lstsq_normal_equations(A, b):
    """Least squares by solving A^T A x = A^T b. Needs full column rank.

    Returns
    -------
    ndarray of shape (n,)
    """
    A, b = _check_system(A, b)
    _require_full_column_rank(A, "lstsq_normal_equations")
    # BEGIN SOLUTION
    # HINT 1: Set the gradient of ||A x - b||^2 to zero: a square system in the Gram matrix.
    # HINT 2: (A.T @ A) x = A.T @ b, solved with np.linalg.solve
    gram = A.T @ A  # (n, n), symmetric positive definite for full column rank
    # solve, not inv(gram) @ ...: one factorisation, less work and less round-off.
    return np.linalg.solve(gram, A.T @ b)  # (n,)
    # END SOLUTION


def solve_upper_triangular(R, y):
    """Solve R x = y for upper-triangular R of shape (n, n) by back substitution (exercise 04).

    Returns
    -------
    ndarray of shape (n,)
    """
    R, y = as_float_array(R, "R", finite=True), as_float_array(y, "y", finite=True)
    n = R.shape[0] if R.ndim == 2 else -1
    if R.ndim != 2 or R.shape != (n, n) or y.shape != (n,):
        raise ValueError(f"expected R of shape (n, n) and y of shape (n,); got {R.shape} and {y.shape}")
    if np.any(np.diag(R) == 0):
        raise ValueError("R has a zero on its diagonal: the triangular system is singular")
    # Row i reads R_ii x_i + sum_{j>i} R_ij x_j = y_i, and x_j for j > i are known: last row first.
    return gauss.back_substitution(R, y)  # (n,)


def lstsq_qr(A, b):
    """Least squares through the reduced QR factorisation A = Q R. Needs full column rank.

    Returns
    -------
    ndarray of shape (n,)
    """
    A, b = _check_system(A, b)
    _require_full_column_rank(A, "lstsq_qr")
    # BEGIN SOLUTION
    # HINT 1: With A = Q R (reduced), the normal equations collapse to a triangular system.
    # HINT 2: R x = Q.T @ b; x = solve_upper_triangular(R, Q.T @ b)
    Q, R = np.linalg.qr(A)  # (m, n) orthonormal columns, (n, n) upper triangular
    # A^T A x = A^T b becomes R^T Q^T Q R x = R^T Q^T b, i.e. R x = Q^T b (R is invertible).
    return solve_upper_triangular(R, Q.T @ b)  # (n,)
    # END SOLUTION


def pseudo_inverse(A, rtol=None):
    """The Moore-Penrose pseudo-inverse A^+ from the SVD, with a cutoff for tiny sigmas.

    Parameters
    ----------
    A : ndarray of shape (m, n)
    rtol : float, optional
        Singular values sigma_i <= rtol * sigma_1 count as zero. Default
        max(m, n) * machine epsilon.

    Returns
    -------
    ndarray of shape (n, m)
    """
    A = as_float_array(A, "A")
    if A.ndim != 2 or A.size == 0 or not np.all(np.isfinite(A)):
        raise ValueError(f"A must be a non-empty, finite matrix of shape (m, n); got shape {A.shape}")
    rtol = _default_rtol(A, rtol)
    # BEGIN SOLUTION
    # HINT 1: Invert only the singular values that are clearly above round-off; drop the rest.
    # HINT 2: A+ = V diag(1 / s_keep) U^T with keep = s > rtol * s[0]
    # HINT 3: U, s, Vt = np.linalg.svd(A, full_matrices=False); keep = s > rtol * s[0]
    # HINT 3: return (Vt[keep].T / s[keep]) @ U[:, keep].T   # (n, m)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)  # (m, p), (p,), (p, n), p = min(m, n)
    # Keep only sigmas clearly above round-off; 1 / (a rounding error) would be huge noise.
    # The zero matrix has s[0] = 0 and keeps nothing: its pseudo-inverse is zero.
    keep = s > rtol * s[0]  # (p,)
    return (Vt[keep].T / s[keep]) @ U[:, keep].T  # (n, r) @ (r, m) -> (n, m)
    # END SOLUTION


def min_norm_solution(A, b, rtol=None):
    """The least-squares solution of smallest norm, x = A^+ b; works for any rank.

    Returns
    -------
    ndarray of shape (n,)
    """
    A, b = _check_system(A, b)
    # BEGIN SOLUTION
    # HINT 1: Among all least-squares solutions, the pseudo-inverse picks the shortest.
    # HINT 2: x = pseudo_inverse(A, rtol) @ b
    return pseudo_inverse(A, rtol) @ b  # (n, m) @ (m,) -> (n,)
    # END SOLUTION


def projection_matrix(A, rtol=None):
    """The orthogonal projection onto the column space of A, for any rank.

    Returns
    -------
    ndarray of shape (m, m), P = U_r U_r^T (equal to A (A^T A)^{-1} A^T when A has
    full column rank)
    """
    A = as_float_array(A, "A")
    if A.ndim != 2 or A.size == 0 or not np.all(np.isfinite(A)):
        raise ValueError(f"A must be a non-empty, finite matrix of shape (m, n); got shape {A.shape}")
    rtol = _default_rtol(A, rtol)
    # BEGIN SOLUTION
    # HINT 1: Project onto the column space using an orthonormal
    # HINT 1: basis of it (the kept left singular vectors).
    # HINT 2: U_r = U[:, s > rtol * s[0]]; P = U_r @ U_r.T  # (m, m)
    U, s, _ = np.linalg.svd(A, full_matrices=False)  # (m, p), (p,)
    U_r = U[:, s > rtol * s[0]]  # (m, r), an orthonormal basis of the column space
    return U_r @ U_r.T  # (m, m)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def _draw_strang_example(ax):
    """The 3-D picture: b, its projection p onto the plane C(A), and the residual e."""
    A = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])  # (3, 2): fit c + d t at t = 0, 1, 2
    b = np.array([6.0, 0.0, 0.0])  # (3,)
    p = projection_matrix(A) @ b  # (3,)
    e = b - p  # (3,)
    # A square patch of the plane C(A) centred on p / 2, in an orthonormal basis (w1, w2) of it.
    w1 = p / np.linalg.norm(p)  # (3,)
    w2 = np.cross(e, w1) / np.linalg.norm(e)  # (3,), in the plane (orthogonal to its normal e)
    alpha, beta = np.meshgrid(np.linspace(-4, 4, 2), np.linspace(-3, 3, 2))  # (2, 2) each
    plane = p / 2 + alpha[..., None] * w1 + beta[..., None] * w2  # (2, 2, 3)
    ax.plot_surface(plane[..., 0], plane[..., 1], plane[..., 2], alpha=0.2, color=plotting.COLORS[0])
    fmt = lambda v: "(" + ", ".join(f"{c:g}" for c in np.round(v, 6) + 0.0) + ")"  # noqa: E731
    for vec, start, color, name in [
        (b, np.zeros(3), "black", f"b = {fmt(b)}"),
        (p, np.zeros(3), plotting.COLORS[0], f"p = Pb = {fmt(p)}, in C(A)"),
        (e, p, plotting.COLORS[3], f"e = b - p = {fmt(e)}, " + r"$A^T e = 0$"),
    ]:
        ax.quiver(*start, *vec, color=color, arrow_length_ratio=0.08, linewidth=2, label=name)
    ax.set_proj_type("ortho")  # no perspective, so the right angle between e and the plane shows
    ax.set_aspect("equal")
    ax.view_init(elev=30, azim=160)  # a viewpoint where the triangle b, p, e is not foreshortened
    ax.set(xlabel="$x_1$", ylabel="$x_2$", zlabel="$x_3$", title="b projected onto the plane C(A) (Strang 4.3)")
    ax.legend(loc="upper left", fontsize=8)


def main():
    rng = np.random.default_rng(0)

    # 1. A line fit y ~ c + d x is a projection of y onto span{1, x}.
    x, y, _ = data.make_linear_regression(n_samples=15, noise=0.8, coef=[1.5], intercept=2.0, random_state=rng)
    x = x[:, 0]  # (15,)
    A = np.column_stack([np.ones_like(x), x])  # (15, 2), design matrix [1, x]
    coef_ne, coef_qr, coef_pinv = lstsq_normal_equations(A, y), lstsq_qr(A, y), min_norm_solution(A, y)
    coef_lib = np.linalg.lstsq(A, y, rcond=None)[0]  # compare with the library
    residual = y - A @ coef_qr  # (15,)
    print("Line fit y = c + d x (15 points)")
    print(f"{'method':<18} {'c':>9} {'d':>9}")
    results = {"normal equations": coef_ne, "QR": coef_qr, "pseudo-inverse": coef_pinv, "np.linalg.lstsq": coef_lib}
    for name, coef in results.items():
        print(f"{name:<18} {coef[0]:>9.5f} {coef[1]:>9.5f}")
    print(f"A^T r = ({(A.T @ residual)[0]:.1e}, {(A.T @ residual)[1]:.1e}): the residual is orthogonal to both columns")

    # 2. Why not always the normal equations: an ill-conditioned polynomial fit.
    t = np.linspace(0, 1, 50)  # (50,)
    V = np.vander(t, 9, increasing=True)  # (50, 9), columns 1, t, ..., t^8; cond ~ 1e7
    truth = np.ones(9)  # (9,)
    z = V @ truth  # (50,), consistent, so the exact answer is all ones
    print(f"\nDegree-8 polynomial fit, cond(A) = {np.linalg.cond(V):.1e}, cond(A^T A) = {np.linalg.cond(V.T @ V):.1e}")
    print("relative error of the coefficients (exact answer: all ones)")
    solvers = [("normal equations", lstsq_normal_equations), ("QR", lstsq_qr), ("pseudo-inverse", min_norm_solution)]
    for name, solver in solvers:
        print(f"  {name:<18} {np.linalg.norm(solver(V, z) - truth) / np.linalg.norm(truth):.1e}")

    # 3. A rank-deficient design: column 3 = 2 * column 2, so x is not unique.
    B = np.column_stack([np.ones_like(x), x, 2 * x])  # (15, 3), rank 2
    try:
        lstsq_normal_equations(B, y)
    except ValueError as err:
        print(f"\nRank-deficient design [1, x, 2x]: {err}")
    x_plus = min_norm_solution(B, y)  # (3,)
    x_other = x_plus + np.array([0.0, 2.0, -1.0])  # add a null-space vector: B @ (0, 2, -1) = 0
    for name, sol in [("min-norm A^+ b", x_plus), ("A^+ b + null vector", x_other)]:
        r_norm, x_norm = np.linalg.norm(y - B @ sol), np.linalg.norm(sol)
        print(f"  {name:<20} x = {np.round(sol, 4)}  ||r|| = {r_norm:.6f}  ||x|| = {x_norm:.4f}")

    fig, (ax, ax_right) = plotting.new_figure(1, 2, width=6.0, height=5.0)
    ax_right.remove()  # replaced by a 3-D panel
    order = np.argsort(x)
    ax.vlines(x, y, A @ coef_qr, color="grey", ls="--", lw=1, label=r"residuals $r = y - A\hat{x}$")
    fit_label = f"y = {coef_qr[0]:.2f} + {coef_qr[1]:.2f} x"
    plotting.plot_regression_fit(ax, x, y, x[order], (A @ coef_qr)[order], label=fit_label)
    at_r = A.T @ residual  # (2,), zero up to round-off
    ax.set_title("Line fit = projection of y onto span{1, x}:\n" + r"$A^T r$" + f" = ({at_r[0]:.0e}, {at_r[1]:.0e})")
    ax3d = fig.add_subplot(1, 2, 2, projection="3d")
    _draw_strang_example(ax3d)
    fig.tight_layout()
    plotting.show_or_save(fig, "ex09_least_squares_projection")


if __name__ == "__main__":
    main()
