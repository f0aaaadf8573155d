"""
Exercise 10: least squares as an orthogonal projection

Learning goals
--------------
- See least squares geometrically: A x_hat is the point of the column space
  closest to b, and the residual b - A x_hat is orthogonal to every column.
- Solve it three ways: the normal equations, QR and a triangular solve, and
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
forming A^T A, whose condition number is cond(A)^2 (ex11).
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
2. QR: Q, R = qr(A); solve the triangular R x = Q^T b (back substitution, ex04).
3. Pseudo-inverse: U, s, Vt = svd(A); keep s > rtol * s[0]; A^+ = Vt_r^T
   diag(1 / s_r) U_r^T; x = A^+ b; the projection is U_r U_r^T.

References: G. Strang, Introduction to Linear Algebra, 5th ed., ch. 4.2-4.3
(projections, least squares; the worked example b = (6, 0, 0)) and 7.4
(pseudo-inverse); L. Trefethen and D. Bau, Numerical Linear Algebra, lectures
6-8 and 11; G. Golub and C. Van Loan, Matrix Computations, 4th ed., sec. 5.5.
Difficulty: 2 of 3, about 25 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex10_least_squares_projection.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.validation import as_linear_system, as_matrix

# %% [markdown]
# ## Implementation


# %%
def _require_full_column_rank(A, method):
    rank = np.linalg.matrix_rank(A)
    if rank < A.shape[1]:  # a teaching check: many x fit equally well
        raise ValueError(f"{method} needs full column rank (rank n = {A.shape[1]}); got rank {rank}: "
                         "the least-squares solution is not unique, use min_norm_solution")


def lstsq_normal_equations(A, b):
    """Least squares x (n,) by solving A^T A x = A^T b, for A (m, n) of full column rank and b (m,)."""
    A, b = as_linear_system(A, b, square=False)
    _require_full_column_rank(A, "lstsq_normal_equations")
    # BEGIN SOLUTION
    # HINT 1: Set the gradient of ||A x - b||^2 to zero: a square system in the Gram matrix.
    # HINT 2: (A.T @ A) x = A.T @ b, solved with np.linalg.solve
    gram = A.T @ A  # (n, n), symmetric positive definite for full column rank
    # solve, not inv(gram) @ ...: one factorisation, less work and less round-off.
    return np.linalg.solve(gram, A.T @ b)  # (n,)
    # END SOLUTION


def lstsq_qr(A, b):
    """Least squares x (n,) through the reduced QR factorisation A = Q R; needs full column rank."""
    A, b = as_linear_system(A, b, square=False)
    _require_full_column_rank(A, "lstsq_qr")
    # BEGIN SOLUTION
    # HINT 1: With A = Q R (reduced), the normal equations collapse to a triangular system.
    # HINT 2: R x = Q.T @ b, with Q, R = np.linalg.qr(A)
    Q, R = np.linalg.qr(A)  # (m, n) orthonormal columns, (n, n) upper triangular
    # A^T A x = A^T b becomes R^T Q^T Q R x = R^T Q^T b, i.e. R x = Q^T b (R is invertible). R is
    # triangular: ex04's back substitution; np.linalg.solve finds no row to swap and does the same.
    return np.linalg.solve(R, Q.T @ b)  # (n,)
    # END SOLUTION


def pseudo_inverse(A, rtol=None):
    """The Moore-Penrose pseudo-inverse A^+ (n, m) of A (m, n) from the SVD; singular values
    sigma_i <= rtol * sigma_1 count as zero (default rtol: max(m, n) * machine epsilon)."""
    A = as_matrix(A)
    rtol = max(A.shape) * np.finfo(float).eps if rtol is None else float(rtol)  # np.linalg.matrix_rank's default
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
    """The least-squares solution of smallest norm, x = A^+ b of shape (n,); works for any rank."""
    A, b = as_linear_system(A, b, square=False)
    # BEGIN SOLUTION
    # HINT 1: Among all least-squares solutions, the pseudo-inverse picks the shortest.
    # HINT 2: x = pseudo_inverse(A, rtol) @ b
    return pseudo_inverse(A, rtol) @ b  # (n, m) @ (m,) -> (n,)
    # END SOLUTION


def projection_matrix(A, rtol=None):
    """The orthogonal projection P = U_r U_r^T (m, m) onto the column space of A, for any rank
    (equal to A (A^T A)^{-1} A^T when A has full column rank)."""
    A = as_matrix(A)
    rtol = max(A.shape) * np.finfo(float).eps if rtol is None else float(rtol)  # np.linalg.matrix_rank's default
    # BEGIN SOLUTION
    # HINT 1: Project onto the column space using an orthonormal basis of it (the kept left singular vectors).
    # HINT 2: U_r = U[:, s > rtol * s[0]]; P = U_r @ U_r.T  # (m, m)
    U, s, _ = np.linalg.svd(A, full_matrices=False)  # (m, p), (p,)
    U_r = U[:, s > rtol * s[0]]  # (m, r), an orthonormal basis of the column space
    return U_r @ U_r.T  # (m, m)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    # 1. A line fit y ~ c + d x is a projection of y onto span{1, x}.
    x, y, _ = data.make_linear_regression(n_samples=15, noise=0.8, coef=[1.5], intercept=2.0, random_state=rng)
    x = x[:, 0]  # (15,)
    A = np.column_stack([np.ones_like(x), x])  # (15, 2), design matrix [1, x]
    results = {"normal equations": lstsq_normal_equations(A, y), "QR": lstsq_qr(A, y),
               "pseudo-inverse": min_norm_solution(A, y), "np.linalg.lstsq": np.linalg.lstsq(A, y, rcond=None)[0]}
    print(f"Line fit y = c + d x (15 points)\n{'method':<18} {'c':>9} {'d':>9}")
    for name, coef in results.items():
        print(f"{name:<18} {coef[0]:>9.5f} {coef[1]:>9.5f}")
    at_r = A.T @ (y - A @ results["QR"])  # (2,), zero up to round-off
    print(f"A^T r = ({at_r[0]:.1e}, {at_r[1]:.1e}): the residual is orthogonal to both columns")

    # 2. Why not always the normal equations: an ill-conditioned polynomial fit with exact answer all ones.
    V = np.vander(np.linspace(0, 1, 50), 9, increasing=True)  # (50, 9), columns 1, t, ..., t^8; cond ~ 1e7
    z = V @ np.ones(9)  # (50,), consistent
    print(f"\nDegree-8 polynomial fit, cond(A) = {np.linalg.cond(V):.1e}, cond(A^T A) = {np.linalg.cond(V.T @ V):.1e}; "
          "relative error of the coefficients:")
    for name, solver in [("normal equations", lstsq_normal_equations), ("QR", lstsq_qr), ("pseudo-inverse", min_norm_solution)]:
        print(f"  {name:<18} {np.linalg.norm(solver(V, z) - 1) / 3:.1e}")  # ||ones(9)|| = 3

    # 3. A rank-deficient design: column 3 = 2 * column 2, so x is not unique.
    B = np.column_stack([np.ones_like(x), x, 2 * x])  # (15, 3), rank 2
    try:
        lstsq_normal_equations(B, y)
    except ValueError as err:
        print(f"\nRank-deficient design [1, x, 2x]: {err}")
    x_plus = min_norm_solution(B, y)  # (3,)
    for name, sol in [("min-norm A^+ b", x_plus), ("A^+ b + null vector", x_plus + [0.0, 2.0, -1.0])]:  # B @ (0, 2, -1) = 0
        print(f"  {name:<20} x = {np.round(sol, 4)}  ||r|| = {np.linalg.norm(y - B @ sol):.6f}  ||x|| = {np.linalg.norm(sol):.4f}")

    fig = plotting.plt.figure(figsize=(12, 5))
    ax = fig.add_subplot(1, 2, 1)
    order, fit = np.argsort(x), A @ results["QR"]  # (15,) each
    ax.vlines(x, y, fit, color="grey", ls="--", lw=1, label=r"residuals $r = y - A\hat{x}$")
    plotting.plot_regression_fit(ax, x, y, x[order], fit[order], label=f"y = {results['QR'][0]:.2f} + {results['QR'][1]:.2f} x")
    ax.set_title("Line fit = projection of y onto span{1, x}:\n" + r"$A^T r$" + f" = ({at_r[0]:.0e}, {at_r[1]:.0e})")
    strang_A, strang_b = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]), np.array([6.0, 0.0, 0.0])  # (3, 2), (3,)
    plotting.plot_projection_3d(fig.add_subplot(1, 2, 2, projection="3d"), strang_b, projection_matrix(strang_A) @ strang_b,
                                title="b projected onto the plane C(A), " + r"$A^T e = 0$" + " (Strang 4.3)")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex10_least_squares_projection")


if __name__ == "__main__":
    main()
