"""
Exercise 07: eigenvalues by power iteration, and deflation for the top k

Learning goals
--------------
- Find the dominant eigenpair of a symmetric matrix with nothing but
  matrix-vector products: multiply, normalise, repeat.
- Read the eigenvalue off the Rayleigh quotient and decide "converged" with the
  residual ||A v - lambda v||, which also works for a negative eigenvalue.
- Peel off one eigenpair at a time with deflation, A - lambda v v^T.
- See that the speed is set by the ratio |lambda_2 / lambda_1|: the closer to 1,
  the slower.

The math
--------
A is a real symmetric matrix of shape (n, n), so it has n real eigenvalues and
orthonormal eigenvectors q_1, ..., q_n (the spectral theorem). Order them so
that |lambda_1| > |lambda_2| >= ... >= |lambda_n|. Any start vector v_0 of shape
(n,) is a combination v_0 = c_1 q_1 + ... + c_n q_n, and
    A^t v_0 = lambda_1^t (c_1 q_1 + sum_{i>1} c_i (lambda_i / lambda_1)^t q_i).
If c_1 != 0 every term but the first shrinks like |lambda_2 / lambda_1|^t, so
the direction of A^t v_0 turns towards q_1 (with a flip of sign at every step
when lambda_1 < 0). For a unit vector v the Rayleigh quotient
    rho(v) = v^T A v
is the best eigenvalue estimate for that direction; for symmetric A its error
shrinks twice as fast, like |lambda_2 / lambda_1|^(2t). The residual
    r = A v - rho(v) v
is zero exactly for an eigenvector, and for symmetric A some eigenvalue lies
within ||r|| of rho(v). So we stop when ||r|| <= tol * ||A||_F.
Deflation: once (lambda_1, q_1) is known,
    A_2 = A - lambda_1 q_1 q_1^T
has the same eigenvectors, with lambda_1 replaced by 0; power iteration on A_2
finds (lambda_2, q_2), and so on. If |lambda_1| = |lambda_2| with opposite signs
there is no single dominant direction and the iteration does not converge.

Algorithm
---------
1. Check that A is square, finite and symmetric; draw a random unit v.
2. Repeat: w = A v; rho = v . w; if ||w - rho v|| <= tol * scale stop;
   else v = w / ||w||.
3. After max_iter steps without meeting the tolerance, warn with a
   ConvergenceWarning and return the current estimate (and n_iter = max_iter).
4. Top k: for i = 1..k, run steps 2-3 on A_i, record (rho, v), and set
   A_{i+1} = A_i - rho v v^T.

References: G. Golub and C. Van Loan, Matrix Computations, 4th ed., sec. 7.3.1
(power method) and 8.2.1; L. Trefethen and D. Bau, Numerical Linear Algebra,
lecture 27; Y. Saad, Numerical Methods for Large Eigenvalue Problems, 2nd ed.,
sec. 4.2 (deflation).
Difficulty: 2 of 3, about 30 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex07_power_iteration.py
"""

# %%
import warnings

import numpy as np

from utils import data, plotting

# %% [markdown]
# ## Implementation


# %%
class ConvergenceWarning(UserWarning):
    """Power iteration used up max_iter steps without reaching the tolerance."""


def _check_symmetric(A):
    """A as a float array of shape (n, n), finite and symmetric, or a ValueError."""
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.size == 0:
        raise ValueError(f"A must be a square matrix of shape (n, n); got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError("A must contain only finite numbers; got NaN or inf")
    size = np.abs(A).max()
    if np.abs(A - A.T).max() > 1e-10 * size:
        raise ValueError(
            f"A must be symmetric (A == A.T); got max |A - A.T| = {np.abs(A - A.T).max():.3g}. "
            "Power iteration works for any matrix with one dominant eigenvalue, but the "
            "residual test and deflation here rely on orthogonal eigenvectors"
        )
    return A


def power_iteration(A, tol=1e-10, max_iter=1000, random_state=None, scale=None, v0=None):
    """The eigenpair of largest |eigenvalue| of a symmetric matrix.

    Parameters
    ----------
    A : ndarray of shape (n, n), symmetric
    tol : float
        Stop when ||A v - rho v|| <= tol * scale.
    max_iter : int
        At most this many matrix-vector products.
    random_state : None, int or np.random.Generator
        For the random start vector.
    scale : float, optional
        The size the tolerance is relative to; defaults to ||A||_F (an upper
        bound on the largest |eigenvalue|). ``top_k_eigen`` passes the norm of the
        original matrix so that its deflated matrices are judged on one scale.
    v0 : ndarray of shape (n,), optional
        The start vector; drawn at random (from random_state) when not given.

    Returns
    -------
    eigenvalue : float
    eigenvector : ndarray of shape (n,), unit length, sign arbitrary
    n_iter : int
        Matrix-vector products used. Equal to max_iter (and a ConvergenceWarning
        is issued) when the tolerance was not met; the estimate is still returned.
    """
    A = _check_symmetric(A)
    if tol <= 0 or int(max_iter) != max_iter or max_iter < 1:
        raise ValueError(f"expected tol > 0 and an integer max_iter >= 1; got tol={tol}, max_iter={max_iter}")
    scale = np.linalg.norm(A) if scale is None else float(scale)
    if v0 is None:
        v0 = data.as_rng(random_state).standard_normal(A.shape[0])  # (n,), c_1 != 0 with probability 1
    v0 = np.asarray(v0, dtype=float)
    if v0.shape != (A.shape[0],) or not np.linalg.norm(v0) > 0:
        raise ValueError(f"v0 must be a nonzero vector of shape ({A.shape[0]},); got shape {v0.shape}")
    v = v0 / np.linalg.norm(v0)  # (n,)
    # BEGIN SOLUTION
    # HINT 1: Multiply by A and renormalise, repeatedly; measure
    # HINT 1: convergence by how far A v is from being a multiple of v.
    # HINT 2: w = A @ v; rho = v @ w (Rayleigh quotient); residual = |w - rho v|;
    # HINT 2:   stop when <= tol * scale
    # HINT 3: for n_iter in 1..max_iter: w = A @ v; rho = v @ w
    # HINT 3:     if norm(w - rho * v) <= tol * scale: return rho, v, n_iter
    # HINT 3:     v = w / norm(w)
    for n_iter in range(1, int(max_iter) + 1):
        w = A @ v  # (n,)
        rho = v @ w  # Rayleigh quotient v^T A v (v has unit length)
        residual = np.linalg.norm(w - rho * v)
        # "<=" so that the zero matrix (scale 0, w = 0) counts as converged.
        if residual <= tol * scale:
            return rho, v, n_iter
        # Normalise every step: A^t v grows or shrinks like |lambda_1|^t and would
        # overflow or underflow. w != 0 here, since w = 0 would give residual 0.
        v = w / np.linalg.norm(w)  # (n,)
    # END SOLUTION
    # Only reached when the loop ran out of steps: report the Rayleigh quotient of the
    # last v, so the returned pair always matches (rho = v^T A v).
    w = A @ v  # (n,)
    rho = v @ w
    residual = np.linalg.norm(w - rho * v)
    warnings.warn(
        f"power iteration did not reach tol={tol} in max_iter={max_iter} steps "
        f"(residual {residual:.2e}, needed <= {tol * scale:.2e}); the eigenvalues may be "
        "close in size, or equal in size with opposite signs. Returning the last estimate.",
        ConvergenceWarning,
        stacklevel=2,
    )
    return rho, v, int(max_iter)


def power_iteration_path(A, v0, n_steps):
    """The normalised iterates v_0, v_1, ..., v_{n_steps}, with no stopping rule.

    For watching convergence; A must not map an iterate to zero (v0 in the null
    space of A, or A = 0), since that iterate has no direction to normalise.

    Returns
    -------
    ndarray of shape (n_steps + 1, n), row t is A^t v_0 / ||A^t v_0||
    """
    A = _check_symmetric(A)
    v0 = np.asarray(v0, dtype=float)
    if v0.shape != (A.shape[0],) or np.linalg.norm(v0) == 0:
        raise ValueError(f"v0 must be a nonzero vector of shape ({A.shape[0]},); got shape {v0.shape}")
    # BEGIN SOLUTION
    # HINT 1: Record the unit vector after each step, starting with the normalised v0.
    # HINT 2: path[t + 1] = A @ path[t] / |A @ path[t]|
    path = np.empty((n_steps + 1, A.shape[0]))  # (n_steps + 1, n)
    path[0] = v0 / np.linalg.norm(v0)
    for t in range(n_steps):
        w = A @ path[t]  # (n,)
        path[t + 1] = w / np.linalg.norm(w)
    return path
    # END SOLUTION


def top_k_eigen(A, k, tol=1e-10, max_iter=1000, random_state=None):
    """The k eigenpairs of largest |eigenvalue|, by power iteration and deflation.

    Returns
    -------
    eigenvalues : ndarray of shape (k,), in order of decreasing |eigenvalue|
    eigenvectors : ndarray of shape (n, k), orthonormal columns (signs arbitrary)

    With a repeated eigenvalue the individual vectors are not unique: any
    orthonormal basis of its eigenspace is a right answer, and that is what the
    deflation returns.
    """
    A = _check_symmetric(A)
    n = A.shape[0]
    if int(k) != k or not 1 <= k <= n:
        raise ValueError(f"k must be an integer between 1 and n={n}; got {k!r}")
    rng = data.as_rng(random_state)
    scale = np.linalg.norm(A)  # judge every deflated matrix against the original size
    # BEGIN SOLUTION
    # HINT 1: Find the top eigenpair, remove it from the matrix (deflation), and repeat
    # HINT 1: k times. Start each run orthogonal to the eigenvectors already found.
    # HINT 2: deflated <- deflated - rho * outer(v, v); v0 -= found @ (found.T @ v0)
    # HINT 3: deflated = A.copy()
    # HINT 3: for i in range(k): v0 = random, orthogonalised against eigenvectors[:, :i]
    # HINT 3:     rho, v, _ = power_iteration(deflated, tol, max_iter, scale=scale, v0=v0)
    # HINT 3:     store rho, v; deflated = deflated - rho * np.outer(v, v)
    eigenvalues = np.empty(int(k))  # (k,)
    eigenvectors = np.empty((n, int(k)))  # (n, k)
    deflated = A.copy()  # (n, n)
    for i in range(int(k)):
        # Start orthogonal to the vectors found so far. The deflated matrix maps into their
        # orthogonal complement anyway; this matters when the rest of the spectrum is 0 and
        # the start vector itself is returned: it must not repeat an earlier direction.
        v0 = rng.standard_normal(n)  # (n,)
        found = eigenvectors[:, :i]  # (n, i)
        v0 -= found @ (found.T @ v0)  # (n,), Gram-Schmidt against the earlier vectors
        rho, v, _ = power_iteration(deflated, tol, max_iter, scale=scale, v0=v0)
        eigenvalues[i], eigenvectors[:, i] = rho, v
        deflated = deflated - rho * np.outer(v, v)  # (n, n): lambda_i moves to 0, the rest stay
    return eigenvalues, eigenvectors
    # END SOLUTION


def symmetric_with_eigenvalues(eigenvalues, random_state=None):
    """A random symmetric matrix Q diag(eigenvalues) Q^T, Q a random orthogonal matrix."""
    eigenvalues = np.asarray(eigenvalues, dtype=float)  # (n,)
    rng = data.as_rng(random_state)
    Q, _ = np.linalg.qr(rng.standard_normal((eigenvalues.size, eigenvalues.size)))  # (n, n)
    return (Q * eigenvalues) @ Q.T  # (n, n), column j of Q scaled by lambda_j


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(7)

    # 1. The top 3 eigenpairs of a 6x6 matrix, one of them negative.
    A = symmetric_with_eigenvalues([9.0, -6.0, 4.0, 2.0, 1.0, 0.5], random_state=rng)
    values, vectors = top_k_eigen(A, 3, random_state=rng)
    ref_values, ref_vectors = np.linalg.eigh(A)
    order = np.argsort(-np.abs(ref_values))[:3]  # eigh sorts ascending; we want decreasing |lambda|
    print("Top 3 eigenpairs by power iteration + deflation, against np.linalg.eigh")
    print(f"{'i':>2} {'ours':>12} {'eigh':>12} {'|lambda err|':>13} {'|cos(v, q)|':>12}")
    for i, j in enumerate(order):
        cos = abs(vectors[:, i] @ ref_vectors[:, j])
        error = abs(values[i] - ref_values[j])
        print(f"{i + 1:>2} {values[i]:>12.8f} {ref_values[j]:>12.8f} {error:>13.1e} {cos:>12.10f}")

    # 2. Convergence speed: two matrices with the same lambda_1 and a different ratio.
    n_steps = 60
    ratios = [0.5, 0.9]
    print("\nSteps to reach tol=1e-10:")
    fig, (ax_vec, ax_val) = plotting.new_figure(1, 2, width=5.5, height=4.2)
    steps = np.arange(n_steps + 1)
    for color, ratio in zip(plotting.COLORS, ratios):
        B = symmetric_with_eigenvalues([10.0, 10.0 * ratio, 2.0, 1.0, 0.5, 0.1, 0.0, -0.5], random_state=rng)
        _, _, n_iter = power_iteration(B, random_state=rng)
        print(f"  |lambda_2/lambda_1| = {ratio}: {n_iter:4d} steps")
        ref_values, ref_vectors = np.linalg.eigh(B)
        q1, lambda1 = ref_vectors[:, -1], ref_values[-1]  # (n,) and the largest eigenvalue
        path = power_iteration_path(B, rng.standard_normal(B.shape[0]), n_steps)  # (n_steps + 1, n)
        # The sine of the angle is the length of the part of v_t orthogonal to q_1; computing
        # it this way (not as sqrt(1 - cos^2)) keeps its accuracy down to 1e-16.
        sin = np.linalg.norm(path - np.outer(path @ q1, q1), axis=1)  # (n_steps + 1,)
        rayleigh = np.einsum("ti,ij,tj->t", path, B, path)  # (n_steps + 1,), v_t^T B v_t
        val_err = np.abs(rayleigh - lambda1) / abs(lambda1)  # (n_steps + 1,), relative error
        # Theory lines are drawn through the measured error at t = 10, once the faster
        # components (lambda_3, lambda_4, ...) have died out; only their slope matters.
        label = rf"$|\lambda_2/\lambda_1|$ = {ratio}"
        ax_vec.semilogy(steps, np.maximum(sin, 1e-16), color=color, label=label)
        ax_vec.semilogy(steps, sin[10] * ratio ** (steps - 10.0), color=color, ls=":", lw=1.5)
        ax_val.semilogy(steps, np.maximum(val_err, 1e-16), color=color, label=label)
        ax_val.semilogy(steps, val_err[10] * ratio ** (2 * (steps - 10.0)), color=color, ls=":", lw=1.5)
    ax_vec.plot([], [], color="grey", ls=":", label=r"theory $|\lambda_2/\lambda_1|^t$")
    ax_val.plot([], [], color="grey", ls=":", label=r"theory $|\lambda_2/\lambda_1|^{2t}$")
    ax_vec.set(xlabel="iteration t", ylabel=r"$\sin\angle(v_t, q_1)$", title="Eigenvector error", ylim=(1e-16, 10))
    ax_val.set(
        xlabel="iteration t",
        ylabel=r"$|v_t^T A v_t - \lambda_1| \,/\, |\lambda_1|$",
        title="Eigenvalue error (Rayleigh quotient)",
        ylim=(1e-16, 10),
    )
    ax_vec.legend(loc="lower left")
    ax_val.legend(loc="lower left")
    fig.suptitle("Power iteration converges like a power of the eigenvalue ratio")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex07_power_iteration")


if __name__ == "__main__":
    main()
