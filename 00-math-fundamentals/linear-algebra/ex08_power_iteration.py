"""
Exercise 08: eigenvalues by power iteration, and deflation for the top k

Learning goals
--------------
- Find the dominant eigenpair of a symmetric matrix with nothing but
  matrix-vector products: multiply, normalise, repeat.
- Read the eigenvalue off the Rayleigh quotient; decide "converged" with the
  residual ||A v - lambda v|| (it works for a negative eigenvalue too).
- Peel off one eigenpair at a time with deflation, A - lambda v v^T, and see the
  speed set by the ratio |lambda_2 / lambda_1|: the closer to 1, the slower.

The math
--------
A is a real symmetric matrix of shape (n, n), so it has n real eigenvalues and
orthonormal eigenvectors q_1, ..., q_n (the spectral theorem). Order them so
that |lambda_1| > |lambda_2| >= ... >= |lambda_n|. Any start vector v_0 of shape
(n,) is a combination v_0 = c_1 q_1 + ... + c_n q_n, and
    A^t v_0 = lambda_1^t (c_1 q_1 + sum_{i>1} c_i (lambda_i / lambda_1)^t q_i).
If c_1 != 0 every term but the first shrinks like |lambda_2 / lambda_1|^t, so
A^t v_0 turns towards q_1 (flipping sign at every step when lambda_1 < 0). For a
unit v the Rayleigh quotient rho(v) = v^T A v is the best eigenvalue estimate;
for symmetric A its error shrinks like |lambda_2 / lambda_1|^(2t). The residual
r = A v - rho(v) v is zero exactly for an eigenvector, and some eigenvalue lies
within ||r|| of rho(v): we stop when ||r|| <= tol * ||A||_F.
Deflation: A_2 = A - lambda_1 q_1 q_1^T has the same eigenvectors, with lambda_1
replaced by 0; power iteration on A_2 finds (lambda_2, q_2), and so on. If
|lambda_1| = |lambda_2| with opposite signs, the iteration does not converge.

Algorithm
---------
1. Check that A is square, finite and symmetric; draw a random unit v.
2. Repeat: w = A v; rho = v . w; if ||w - rho v|| <= tol * scale stop;
   else v = w / ||w||.
3. After max_iter steps without meeting the tolerance, warn (ConvergenceWarning)
   and return the current estimate with n_iter = max_iter.
4. Top k: for i = 1..k, run steps 2-3 on A_i, record (rho, v), and set
   A_{i+1} = A_i - rho v v^T.

References: G. Golub and C. Van Loan, Matrix Computations, 4th ed., sec. 7.3.1 and
8.2.1; L. Trefethen and D. Bau, Numerical Linear Algebra, lecture 27; Y. Saad,
Numerical Methods for Large Eigenvalue Problems, 2nd ed., sec. 4.2 (deflation).
Difficulty: 2 of 3, about 30 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex08_power_iteration.py
"""

# %%
import warnings

import numpy as np

from utils import data, plotting
from utils.validation import as_float_array, check_positive_int, check_positive_number

# %% [markdown]
# ## Implementation


# %%
class ConvergenceWarning(UserWarning):
    """Power iteration used up max_iter steps without reaching the tolerance."""


def _check_symmetric(A):
    A = as_float_array(A, "A", finite=True)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.size == 0:
        raise ValueError(f"A must be a square matrix of shape (n, n); got shape {A.shape}")
    if np.abs(A - A.T).max() > 1e-10 * np.abs(A).max():  # the residual test and deflation need orthogonal eigenvectors
        raise ValueError(f"A must be symmetric (A == A.T); got max |A - A.T| = {np.abs(A - A.T).max():.3g}")
    return A


def _unit_start(v0, n):
    """v0 / ||v0|| for a nonzero v0 of shape (n,), or a ValueError."""
    v0 = as_float_array(v0, "v0")
    if v0.shape != (n,) or not np.linalg.norm(v0) > 0:
        raise ValueError(f"v0 must be a nonzero vector of shape ({n},); got shape {v0.shape}")
    return v0 / np.linalg.norm(v0)  # (n,)


def power_iteration(A, tol=1e-10, max_iter=1000, random_state=None, scale=None, v0=None):
    """(eigenvalue, eigenvector (n,) of unit length and arbitrary sign, n_iter) of largest |eigenvalue| of a
    symmetric A (n, n), stopping when ||A v - rho v|| <= tol * scale, after at most max_iter products.

    scale defaults to ||A||_F (a bound on the largest |eigenvalue|; top_k_eigen passes the original matrix's
    norm, one scale for all its deflated matrices). v0 (n,) is the start vector, drawn from random_state when
    not given. Without convergence: a ConvergenceWarning, n_iter = max_iter and the last estimate."""
    A = _check_symmetric(A)
    tol, max_iter = check_positive_number(tol, "tol"), check_positive_int(max_iter, "max_iter")
    scale = np.linalg.norm(A) if scale is None else float(scale)
    if v0 is None:
        v0 = data.as_rng(random_state).standard_normal(A.shape[0])  # (n,), c_1 != 0 with probability 1
    v = _unit_start(v0, A.shape[0])  # (n,)
    # BEGIN SOLUTION
    # HINT 1: Multiply by A and renormalise, repeatedly; converged when A v is nearly a multiple of v.
    # HINT 2: w = A @ v; rho = v @ w (Rayleigh quotient); stop when |w - rho v| <= tol * scale
    # HINT 3: for n_iter in 1..max_iter: w, rho as above; if converged: return rho, v, n_iter; v = w / norm(w)
    for n_iter in range(1, max_iter + 1):
        w = A @ v  # (n,)
        rho = v @ w  # Rayleigh quotient v^T A v (v has unit length)
        if np.linalg.norm(w - rho * v) <= tol * scale:  # "<=": the zero matrix (scale 0, w = 0) has converged
            return rho, v, n_iter
        v = w / np.linalg.norm(w)  # (n,); unnormalised, A^t v would over- or underflow like |lambda_1|^t
    # END SOLUTION
    rho = v @ A @ v  # out of steps: the Rayleigh quotient of the last v, so the pair matches
    warnings.warn(f"power iteration did not reach tol={tol} in max_iter={max_iter} steps (residual "
                  f"{np.linalg.norm(A @ v - rho * v):.2e}, needed <= {tol * scale:.2e}); the eigenvalues may be close in "
                  "size, or equal in size with opposite signs. Returning the last estimate.", ConvergenceWarning, stacklevel=2)
    return rho, v, max_iter


def power_iteration_path(A, v0, n_steps):
    """The iterates, (n_steps + 1, n): row t is A^t v_0 / ||A^t v_0||, with no stopping rule (to watch
    convergence). A must not map an iterate to zero: it would have no direction to normalise."""
    A = _check_symmetric(A)
    v0 = _unit_start(v0, A.shape[0])  # (n,)
    # BEGIN SOLUTION
    # HINT 1: Record the unit vector after each step, starting with v0 (already of unit length).
    # HINT 2: path[t + 1] = A @ path[t] / |A @ path[t]|
    path = np.empty((n_steps + 1, A.shape[0]))  # (n_steps + 1, n)
    path[0] = v0
    for t in range(n_steps):
        w = A @ path[t]  # (n,)
        path[t + 1] = w / np.linalg.norm(w)
    return path
    # END SOLUTION


def top_k_eigen(A, k, tol=1e-10, max_iter=1000, random_state=None):
    """The k eigenpairs of largest |eigenvalue| by power iteration and deflation: eigenvalues (k,) by
    decreasing |eigenvalue|, eigenvectors (n, k) orthonormal (signs arbitrary; for a repeated eigenvalue,
    any orthonormal basis of its eigenspace)."""
    A = _check_symmetric(A)
    n = A.shape[0]
    if int(k) != k or not 1 <= k <= n:
        raise ValueError(f"k must be an integer between 1 and n={n}; got {k!r}")
    rng, scale = data.as_rng(random_state), np.linalg.norm(A)  # judge every deflated matrix on A's scale
    # BEGIN SOLUTION
    # HINT 1: Find the top eigenpair, remove it (deflation), repeat; start each run orthogonal to those found.
    # HINT 2: deflated <- deflated - rho * outer(v, v); v0 -= found @ (found.T @ v0)
    # HINT 3: for i in range(k): v0 = random, orthogonalised against eigenvectors[:, :i];
    # HINT 3: rho, v, _ = power_iteration(deflated, tol, max_iter, scale=scale, v0=v0); store; deflate
    eigenvalues, eigenvectors = np.empty(int(k)), np.empty((n, int(k)))  # (k,), (n, k)
    deflated = A.copy()  # (n, n)
    for i in range(int(k)):
        # Start orthogonal to the vectors found so far: when the rest of the spectrum is 0 the start
        # vector itself is returned, and it must not repeat an earlier direction.
        v0, found = rng.standard_normal(n), eigenvectors[:, :i]  # (n,), (n, i)
        v0 -= found @ (found.T @ v0)  # (n,), Gram-Schmidt against the earlier vectors
        rho, v, _ = power_iteration(deflated, tol, max_iter, scale=scale, v0=v0)
        eigenvalues[i], eigenvectors[:, i] = rho, v
        deflated = deflated - rho * np.outer(v, v)  # (n, n): lambda_i moves to 0, the rest stay
    return eigenvalues, eigenvectors
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def _symmetric_with_eigenvalues(eigenvalues, rng):
    """A random symmetric matrix Q diag(eigenvalues) Q^T, Q a random orthogonal (n, n) matrix."""
    Q, _ = np.linalg.qr(rng.standard_normal((len(eigenvalues), len(eigenvalues))))  # (n, n)
    return (Q * eigenvalues) @ Q.T  # (n, n), column j of Q scaled by lambda_j


def main():
    rng = np.random.default_rng(7)
    A = _symmetric_with_eigenvalues([9.0, -6.0, 4.0, 2.0, 1.0, 0.5], rng)  # (6, 6), one large eigenvalue negative
    values, vectors = top_k_eigen(A, 3, random_state=rng)
    ref_values, ref_vectors = np.linalg.eigh(A)
    order = np.argsort(-np.abs(ref_values))[:3]  # eigh sorts ascending; we want decreasing |lambda|
    print("Top 3 eigenpairs by power iteration + deflation, against np.linalg.eigh\n"
          f"{'i':>2} {'ours':>12} {'eigh':>12} {'|lambda err|':>13} {'|cos(v, q)|':>12}")
    for i, j in enumerate(order):
        print(f"{i + 1:>2} {values[i]:>12.8f} {ref_values[j]:>12.8f} {abs(values[i] - ref_values[j]):>13.1e} "
              f"{abs(vectors[:, i] @ ref_vectors[:, j]):>12.10f}")

    steps = np.arange(61)  # iterations 0..60, on two matrices with the same lambda_1 and a different ratio
    fig, ax = plotting.new_figure(width=6.5, height=4.5)
    for color, ratio in zip(plotting.COLORS, [0.5, 0.9]):
        B = _symmetric_with_eigenvalues([10.0, 10.0 * ratio, 2.0, 1.0, 0.5, 0.1, 0.0, -0.5], rng)
        print(f"|lambda_2/lambda_1| = {ratio}: {power_iteration(B, random_state=rng)[2]:4d} steps to reach tol=1e-10")
        q1 = np.linalg.eigh(B)[1][:, -1]  # (n,), the eigenvector of the largest eigenvalue
        path = power_iteration_path(B, rng.standard_normal(B.shape[0]), steps[-1])  # (61, n)
        # The sine of the angle: the part of v_t orthogonal to q_1 (accurate to 1e-16, unlike sqrt(1 - cos^2)).
        sin = np.linalg.norm(path - np.outer(path @ q1, q1), axis=1)  # (61,)
        ax.semilogy(steps, np.maximum(sin, 1e-16), color=color, label=rf"$|\lambda_2/\lambda_1|$ = {ratio}")
        # The theory line goes through the error at t = 10, once lambda_3, lambda_4, ... have died out.
        ax.semilogy(steps, sin[10] * ratio ** (steps - 10.0), color=color, ls=":", lw=1.5)
    ax.plot([], [], color="grey", ls=":", label=r"theory $|\lambda_2/\lambda_1|^t$")
    ax.set(xlabel="iteration t", ylabel=r"$\sin\angle(v_t, q_1)$", ylim=(1e-16, 10),
           title="Power iteration converges like a power of the eigenvalue ratio")
    ax.legend(loc="lower left")
    plotting.show_or_save(fig, "ex08_power_iteration")


if __name__ == "__main__":
    main()
