"""
Exercise 06: linear algebra in NumPy: @, einsum, solve (not inv), lstsq and norms

Learning goals
--------------
- Read and write any product, sum or contraction in einsum notation.
- Solve A x = b with np.linalg.solve instead of inv(A) @ b, and measure why: a residual near
  machine precision and less work. Fit least squares with np.linalg.lstsq, and see the normal
  equations lose accuracy when the columns are nearly dependent.
- Compute the common matrix norms from their definitions (module 00 built the vector norms).

The math
--------
einsum: each operand gets one letter per axis; a letter repeated across inputs is
multiplied along, a letter missing from the output (after "->") is summed over.
    "ik,kj->ij":  C_ij = sum_k A_ik B_kj                (matrix product, A (n, p), B (p, m))
    "i,ij,j->":   s = sum_ij x_i A_ij y_j = x^T A y     (bilinear form)
Linear systems: A (n, n), b (n,). The relative residual (backward error)
    r(x) = ||b - A x|| / (||A|| ||x|| + ||b||)
says how much A and b would have to change for x to be an exact solution.
LU with partial pivoting (solve) keeps r(x) near machine epsilon; inv(A) @ b
does not, and the gap grows with the condition number cond(A) = ||A|| ||A^-1||.
The Hilbert matrix H_ij = 1 / (i + j + 1), i, j = 0..n-1, is the classic
ill-conditioned test: cond(H) grows like e^{3.5 n}.
Least squares: X (n_samples, n_features), y (n_samples,); w minimises ||X w - y||^2.
The normal equations X^T X w = X^T y square the condition number,
cond(X^T X) = cond(X)^2; lstsq (via the SVD) works with X itself.
Norms: ||A||_F = sqrt(sum A_ij^2), ||A||_2 = largest singular value,
||A||_1 = largest column sum of |A_ij|, ||A||_inf = largest row sum of |A_ij|.

Algorithm
---------
1. einsum_subscripts: the einsum string for each named operation.
2. Solve H x = b (H = hilbert(n), exercise 00.11's) with solve and with inv; compare residuals.
3. Least squares twice: lstsq and the normal equations.
4. Matrix norms from their definitions, checked against np.linalg.norm.

References: L. N. Trefethen, D. Bau, Numerical Linear Algebra (1997), lectures 11-12, 20-22; N. J. Higham, 2002, ch. 14.
Difficulty: 2 of 3, about 30 minutes.
Run: python 01-python-for-ml/ex06_numpy_linear_algebra.py
"""

# %%
import numpy as np

import utils
from utils import plotting, timing
from utils.validation import as_float_array, as_linear_system, check_positive_int, check_same_length, check_same_shape

# %% [markdown]
# ## Implementation

# %%
EINSUM_OPERATIONS = ("trace", "diagonal", "transpose", "sum_all", "column_sums", "matrix_vector",
                     "matmul", "batched_matmul", "outer", "inner", "bilinear_form", "row_dots")


def einsum_subscripts(operation):
    """The np.einsum subscripts string for a named operation (see EINSUM_OPERATIONS).

    Operands, in order: trace, diagonal, transpose, sum_all, column_sums: A (n, n) or (n, m);
    matrix_vector: A (n, m), x (m,); matmul: A (n, p), B (p, m); batched_matmul: A (b, n, p),
    B (b, p, m); outer and inner: u, v; bilinear_form: x (n,), A (n, m), y (m,);
    row_dots: A (n, m), B (n, m) -> (A[i] . B[i] for each row i).
    """
    if operation not in EINSUM_OPERATIONS:
        raise ValueError(f"unknown operation {operation!r}; expected one of {', '.join(EINSUM_OPERATIONS)}")
    # BEGIN SOLUTION
    # HINT 1: In einsum notation, repeated letters are multiplied together and letters
    # HINT 1: missing from the output are summed. Write one subscript string per operation.
    # HINT 2: e.g. trace "ii->", matmul "ik,kj->ij", row_dots "ij,ij->i", bilinear_form "i,ij,j->"
    # HINT 3: table = {operation name: subscripts} for all twelve operations; return table[operation]
    table = {  # trace: a letter repeated on one operand walks the diagonal; no output letter: sum it
        "trace": "ii->", "diagonal": "ii->i", "transpose": "ij->ji", "sum_all": "ij->", "column_sums": "ij->j",
        "matrix_vector": "ij,j->i", "matmul": "ik,kj->ij", "outer": "i,j->ij", "inner": "i,i->",
        "batched_matmul": "bik,bkj->bij",  # b is kept in the output: one product per batch entry
        "bilinear_form": "i,ij,j->", "row_dots": "ij,ij->i",
    }
    return table[operation]
    # END SOLUTION


def hilbert(n):
    """The (n, n) Hilbert matrix H[i, j] = 1 / (i + j + 1), as in exercise 00.11."""
    i = np.arange(check_positive_int(n, "n"))  # (n,)
    return 1.0 / (i[:, None] + i[None, :] + 1.0)  # (n, 1) + (1, n) -> (n, n) by broadcasting


def solve_linear_system(A, b):
    """x with A x = b, by LU factorisation with partial pivoting (np.linalg.solve)."""
    A, b = as_linear_system(A, b)
    # BEGIN SOLUTION
    # HINT 1: Solve the system with a factorisation; never form the inverse.
    # HINT 2: np.linalg.solve(A, b)
    return np.linalg.solve(A, b)  # (n,): A = P L U, two triangular solves, (2/3) n^3 flops, backward stable
    # END SOLUTION


def solve_with_inverse(A, b):
    """x = inv(A) @ b: the textbook formula, shown here to compare against (do not use it)."""
    A, b = as_linear_system(A, b)
    # BEGIN SOLUTION
    # HINT 1: The route to compare against: form inv(A), then multiply.
    return np.linalg.inv(A) @ b  # (n, n) @ (n,) -> (n,): about 2 n^3 flops, and a larger residual
    # END SOLUTION


def relative_residual(A, x, b):
    """The backward error ||b - A x||_2 / (||A||_2 ||x||_2 + ||b||_2); 0 for an exact solution."""
    A, b = as_linear_system(A, b)
    x = as_float_array(x, "x", finite=True)
    check_same_shape(x, b, ("x", "b"))
    # BEGIN SOLUTION
    # HINT 1: Scale the residual by the sizes of A, x and b so the number is comparable across problems.
    # HINT 2: ||b - A x|| / (||A||_2 ||x|| + ||b||), 0 if the denominator is 0
    r = b - A @ x  # (n,)
    denominator = np.linalg.norm(A, 2) * np.linalg.norm(x) + np.linalg.norm(b)
    return float(np.linalg.norm(r) / denominator) if denominator > 0 else 0.0
    # END SOLUTION


def lstsq_fit(X, y):
    """w minimising ||X w - y||^2, through np.linalg.lstsq (SVD based). Returns shape (n_features,)."""
    X, y = as_float_array(X, "X", ndim=2, finite=True), as_float_array(y, "y", ndim=1, finite=True)  # LAPACK's SVD
    check_same_length(X, y, ("X", "y"))  # never returns on an inf: finite first
    # BEGIN SOLUTION
    # HINT 1: Least squares through the SVD-based solver.
    # HINT 2: np.linalg.lstsq(X, y, rcond=None)[0]
    w, *_ = np.linalg.lstsq(X, y, rcond=None)  # (n_features,); rcond=None: cut-off eps * max(n, d)
    return w
    # END SOLUTION


def normal_equations_fit(X, y):
    """The same w from X^T X w = X^T y: fine for well-conditioned X, poor when columns nearly coincide."""
    X, y = as_float_array(X, "X", ndim=2, finite=True), as_float_array(y, "y", ndim=1, finite=True)
    check_same_length(X, y, ("X", "y"))
    # BEGIN SOLUTION
    # HINT 1: Form the Gram matrix and solve the normal equations (it squares the condition number).
    # HINT 2: solve(X.T @ X, X.T @ y)
    gram = X.T @ X  # (n_features, n_features); cond(gram) = cond(X)^2
    return np.linalg.solve(gram, X.T @ y)  # (n_features,)
    # END SOLUTION


def matrix_norms(A):
    """Frobenius, spectral (2), 1- and infinity-norms of a matrix: dict with keys 'fro', 2, 1, 'inf'."""
    A = as_float_array(A, "A", ndim=2, finite=True, allow_empty=False)  # the SVD behind the 2-norm fails on NaN
    # BEGIN SOLUTION
    # HINT 1: Frobenius from the entries, 2 from the largest singular value, 1 and inf from column and row sums.
    # HINT 2: fro = sqrt(sum(A*A)); 2 = svd(A)[0]; 1 = max(sum(|A|, axis=0)); inf = max(sum(|A|, axis=1))
    return {
        "fro": float(np.sqrt(np.sum(A * A))),
        2: float(np.linalg.svd(A, compute_uv=False)[0]),  # singular values come sorted, largest first
        1: float(np.max(np.sum(np.abs(A), axis=0))),  # largest column sum
        "inf": float(np.max(np.sum(np.abs(A), axis=1))),  # largest row sum
    }
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    A, B, u, v = rng.standard_normal((4, 4)), rng.standard_normal((4, 4)), rng.standard_normal(4), rng.standard_normal(4)
    Ab, Bb = rng.standard_normal((5, 4, 3)), rng.standard_normal((5, 3, 2))
    examples = {  # operation: (operands, the same thing without einsum, as code and as a value)
        "trace": ((A,), "np.trace(A)", np.trace(A)), "diagonal": ((A,), "np.diag(A)", np.diag(A)),
        "transpose": ((A,), "A.T", A.T), "sum_all": ((A,), "A.sum()", A.sum()),
        "column_sums": ((A,), "A.sum(axis=0)", A.sum(axis=0)), "matrix_vector": ((A, u), "A @ u", A @ u),
        "matmul": ((A, B), "A @ B", A @ B), "batched_matmul": ((Ab, Bb), "Ab @ Bb  (5 products)", Ab @ Bb),
        "outer": ((u, v), "np.outer(u, v)", np.outer(u, v)), "inner": ((u, v), "u @ v", u @ v),
        "bilinear_form": ((u, A, v), "u @ A @ v", u @ A @ v), "row_dots": ((A, B), "np.sum(A * B, axis=1)", np.sum(A * B, axis=1)),
    }
    print(f"{'operation':15s} {'einsum':15s} {'explicit NumPy':24s} max |difference|")
    for name, (operands, code, explicit) in examples.items():
        subscripts = einsum_subscripts(name)
        print(f"{name:15s} {subscripts!r:15s} {code:24s} {np.max(np.abs(np.einsum(subscripts, *operands) - explicit)):.0e}")

    # solve vs inv on the Hilbert matrix, whose condition number explodes with n.
    sizes = np.arange(2, 13)  # (11,); beyond 12, cond(H) > 1 / eps and H is singular in float64
    print("\nHilbert systems H x = b with x = (1, ..., 1)\n  n   cond(H)  residual: solve       inv")
    residuals = []
    for n in sizes:
        H, x_true = hilbert(int(n)), np.ones(n)  # (n, n), (n,)
        b = H @ x_true  # (n,), so the exact solution is known
        residuals.append([relative_residual(H, solve(H, b), b) for solve in (solve_linear_system, solve_with_inverse)])
        if n % 2 == 0:
            print(f"{n:3d} {np.linalg.cond(H):9.1e} {residuals[-1][0]:16.1e} {residuals[-1][1]:9.1e}")
    n_big, repeats = (150, 3) if utils.quick_mode() else (300, 5)
    M, rhs = rng.standard_normal((n_big, n_big)), rng.standard_normal(n_big)
    t_solve, t_inv = (timing.median_time(lambda f=f: f(M, rhs), repeats)[0] for f in (solve_linear_system, solve_with_inverse))
    # LU needs about (2/3) n^3 flops, inv about 2 n^3: expect 3x or more (a busy machine adds noise).
    print(f"A random {n_big} x {n_big} system, median of {repeats}: solve {1e3 * t_solve:.2f} ms, "
          f"inv(A) @ b {1e3 * t_inv:.2f} ms ({t_inv / t_solve:.1f}x)")

    # Least squares: a polynomial fit in monomials 1, t, ..., t^d on [0, 1] (nearly dependent columns).
    t, degrees = np.linspace(0, 1, 50), np.arange(1, 13)  # (50,), (12,)
    errors = []  # per degree: relative coefficient error of lstsq and of the normal equations
    for d in degrees:
        X, w_true = t[:, None] ** np.arange(d + 1), np.ones(d + 1)  # (50, d + 1) Vandermonde matrix, (d + 1,)
        y = X @ w_true  # exact data: any error below is round-off
        errors.append([np.linalg.norm(fit(X, y) - w_true) / np.linalg.norm(w_true) for fit in (lstsq_fit, normal_equations_fit)])
    print("\nPolynomial least squares, relative coefficient error")
    for d in (4, 8, 12):
        print(f"  degree {d:2d}: lstsq {errors[d - 1][0]:.1e}   normal equations {errors[d - 1][1]:.1e}")
    print(f"\nmatrix_norms(A) = { {k: round(val, 3) for k, val in matrix_norms(A).items()} }")

    fig, axes = plotting.new_figure(1, 2, width=5.0, height=4.0)
    floor = 1e-18  # exact zeros cannot sit on a log axis: draw them at 1e-18
    for ax, x_values, values, labels in [(axes[0], sizes, residuals, ("solve", "inv(A) @ b")),
                                         (axes[1], degrees, errors, ("lstsq (SVD)", "normal equations"))]:
        for column, (label, marker) in enumerate(zip(labels, "os")):
            ax.semilogy(x_values, np.maximum(np.array(values)[:, column], floor), marker + "-", label=label)
    axes[0].axhline(np.finfo(float).eps, color="grey", ls=":", lw=1, label="machine epsilon")
    axes[0].set(xlabel="n", ylabel="relative residual (0 drawn at 1e-18)", title="Hilbert H x = b: backward error")
    axes[1].set(xlabel="polynomial degree", ylabel="relative error in w (0 drawn at 1e-18)", title="Least squares on monomials (exact data)")
    for ax in axes:
        ax.legend()
    fig.tight_layout()
    plotting.show_or_save(fig, "ex06_numpy_linear_algebra")


if __name__ == "__main__":
    main()
