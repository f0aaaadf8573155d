"""
Exercise 08: the SVD by subspace iteration, and the best rank-k approximation

Learning goals
--------------
- Compute the top k singular triplets (sigma_i, u_i, v_i) of any matrix with
  matrix products, QR and a tiny eigenproblem, and check them against
  np.linalg.svd.
- Build the rank-k approximation A_k = sum_{i<=k} sigma_i u_i v_i^T and verify
  the Eckart-Young fact ||A - A_k||_F^2 = sigma_{k+1}^2 + ... + sigma_r^2.
- Compress a photograph: see what k = 5, 20, 50 keep, and read the singular
  value spectrum as "how much energy each rank adds".

The math
--------
A has shape (m, n). Its SVD is A = U S V^T with U (m, r) and V (n, r) having
orthonormal columns, S = diag(sigma_1 >= ... >= sigma_r > 0), r = rank(A).
Column by column: A v_i = sigma_i u_i and A^T u_i = sigma_i v_i, so the v_i are
eigenvectors of A^T A (shape (n, n)) with eigenvalues sigma_i^2.
Subspace iteration runs power iteration (ex07) on a block of l = k + p
orthonormal vectors at once, V of shape (n, l): V <- orth(A^T A V). The span of
V turns towards the top-l right singular vectors. Inside that span the best
approximations (Rayleigh-Ritz) come from the small l x l symmetric matrix
    H = (A V)^T (A V) = V^T A^T A V:
if H = W diag(theta) W^T then the columns of V W are the Ritz vectors and theta
estimates sigma^2. The extra p "oversampling" columns make the top k converge
like (sigma_{l+1} / sigma_i)^2 per step instead of (sigma_{i+1} / sigma_i)^2,
which matters when neighbouring singular values are close (photographs!).
Eckart-Young: A_k = U_k S_k V_k^T is the closest matrix of rank <= k to A in the
Frobenius norm, and the error is exactly what it leaves out,
    ||A - A_k||_F^2 = sum_{i>k} sigma_i^2 = ||A||_F^2 - sum_{i<=k} sigma_i^2.
So the "energy kept" sum_{i<=k} sigma_i^2 / ||A||_F^2 tells the error before
we build A_k.

Algorithm
---------
1. Start from V = orth(random (n, l)), l = min(k + p, m, n).
2. Repeat: AV = A V; solve the small eigenproblem of AV^T AV (np.linalg.eigh,
   sorted descending); rotate V <- V W, AV <- AV W; Z = A^T AV.
3. Stop when every wanted residual ||Z_i - theta_i v_i|| <= tol * theta_1;
   otherwise V <- orth(Z) (QR) and repeat. After max_iter, warn.
4. U, R = qr(AV[:, :k]); sigma_i = |R_ii| (= ||A v_i||); flip the sign of u_i
   where R_ii < 0, so that A v_i = sigma_i u_i.
5. A_k = U_k diag(sigma_1..k) V_k^T, as (U_k * sigma) @ V_k^T.

References: G. Golub and C. Van Loan, Matrix Computations, 4th ed., sec. 2.4
(SVD, Eckart-Young) and 8.2.4 (orthogonal iteration); Y. Saad, Numerical Methods
for Large Eigenvalue Problems, 2nd ed., sec. 5.2 (subspace iteration with
Rayleigh-Ritz); N. Halko, P. Martinsson and J. Tropp, "Finding structure with
randomness", SIAM Review 53 (2011) (oversampling); C. Eckart and G. Young,
Psychometrika 1 (1936).
Difficulty: 2 of 3, about 35 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex08_svd_low_rank.py
"""

# %%
import warnings

import numpy as np

import utils
from utils import data, plotting
from utils.validation import as_float_array, check_no_overflow


class ConvergenceWarning(UserWarning):
    """Subspace iteration stopped at max_iter before the tolerance was met (as in exercise 07)."""


# %% [markdown]
# ## Implementation


# %%
def _check_matrix(A):
    """A as a non-empty, finite float array of shape (m, n), or a ValueError."""
    A = as_float_array(A, "A")
    if A.ndim != 2 or A.size == 0:
        raise ValueError(f"A must be a non-empty matrix of shape (m, n); got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError("A must contain only finite numbers; got NaN or inf")
    return A


def _check_k(k, limit, bound="min(m, n)"):
    if isinstance(k, bool) or int(k) != k or not 1 <= k <= limit:
        raise ValueError(f"k must be an integer between 1 and {limit} ({bound}); got {k!r}")
    return int(k)


def top_k_svd(A, k, oversample=10, tol=1e-8, max_iter=500, random_state=None):
    """The k largest singular values of A and their singular vectors.

    Parameters
    ----------
    A : ndarray of shape (m, n)
    k : int, 1 <= k <= min(m, n)
    oversample : int >= 0
        Extra columns p carried along to speed up convergence.
    tol : float
        Stop when ||A^T A v_i - sigma_i^2 v_i|| <= tol * sigma_1^2 for i = 1..k.
    max_iter : int
    random_state : None, int or np.random.Generator

    Returns
    -------
    U : ndarray of shape (m, k), orthonormal columns
    s : ndarray of shape (k,), sigma_1 >= ... >= sigma_k >= 0
    Vt : ndarray of shape (k, n), orthonormal rows
        Same layout as np.linalg.svd(A, full_matrices=False), cut to k. Each pair
        (u_i, v_i) is unique only up to a common sign flip. When sigma_i = 0 the
        u_i is any unit vector orthogonal to the others.
    """
    A = check_no_overflow(_check_matrix(A), "A")  # A^T A squares the entries
    m, n = A.shape
    k = _check_k(k, min(m, n), f"min(m, n) for A of shape {A.shape}")
    if int(oversample) != oversample or oversample < 0:
        raise ValueError(f"oversample must be an integer >= 0; got {oversample!r}")
    if tol <= 0 or int(max_iter) != max_iter or max_iter < 1:
        raise ValueError(f"expected tol > 0 and an integer max_iter >= 1; got tol={tol}, max_iter={max_iter}")
    n_cols = min(k + int(oversample), m, n)  # l: we never need more columns than the rank allows
    rng = data.as_rng(random_state)
    V, _ = np.linalg.qr(rng.standard_normal((n, n_cols)))  # (n, l), orthonormal start
    # BEGIN SOLUTION
    # HINT 1: Block power iteration on A^T A with a few extra columns: in each round,
    # HINT 1: solve the small l x l eigenproblem inside span(V) (Rayleigh-Ritz),
    # HINT 1: check the residuals, then multiply by A^T A and re-orthonormalise. At
    # HINT 1: the end read sigma_i and u_i off A v_i with a QR.
    # HINT 2: theta, W = eigh((A V)^T (A V)) (descending); V <- V W; Z = A^T (A V);
    # HINT 2:   residual_i = |Z_i - theta_i V_i|
    # HINT 2: converged when max residual <= tol * theta[0]; then U, R = qr(A V[:, :k]); s = |diag R|
    # HINT 3: repeat: AV = A @ V; theta, W = eigh(AV.T @ AV) reversed; V, AV = V @ W, AV @ W
    # HINT 3:     Z = A.T @ AV; stop if residuals of the first k columns are small; V = qr(Z)[0]
    # HINT 3: U, R = np.linalg.qr(AV[:, :k]); flip U's columns where diag(R) < 0
    # HINT 3: s = |diag(R)|; Vt = V[:, :k].T
    converged = False
    for _ in range(int(max_iter)):
        AV = A @ V  # (m, l)
        # Rayleigh-Ritz: the best singular-vector estimates inside span(V) come from
        # the tiny l x l problem. np.linalg.eigh solves it (ex07 showed how such a
        # problem can be solved); it returns ascending eigenvalues, we want descending.
        theta, W = np.linalg.eigh(AV.T @ AV)  # (l,), (l, l)
        theta, W = theta[::-1], W[:, ::-1]
        V, AV = V @ W, AV @ W  # (n, l), (m, l): Ritz vectors and their images
        Z = A.T @ AV  # (n, l) = A^T A V, one block power-iteration step
        residuals = np.linalg.norm(Z[:, :k] - V[:, :k] * theta[:k], axis=0)  # (k,)
        # "<=" so that the zero matrix (theta_1 = 0, residuals 0) counts as converged.
        if residuals.max() <= tol * theta[0]:
            converged = True
            break
        # Orthonormalise: without it every column would turn towards v_1 (and grow
        # like sigma_1^(2t)), and the block would collapse onto one direction.
        V, _ = np.linalg.qr(Z)  # (n, l)
    # sigma_i = ||A v_i|| measured directly: taking sqrt(theta_i) would square the
    # condition and lose the small singular values to round-off. QR of AV gives
    # orthonormal u_i = A v_i / sigma_i, and still an orthonormal u_i when sigma_i = 0.
    U, R = np.linalg.qr(AV[:, :k])  # (m, k), (k, k) ~ diag(+-sigma)
    signs = np.where(np.diag(R) < 0, -1.0, 1.0)  # (k,)
    U = U * signs  # (m, k), now A v_i = +sigma_i u_i
    s = np.abs(np.diag(R))  # (k,)
    Vt = V[:, :k].T  # (k, n)
    # END SOLUTION
    if not converged:
        warnings.warn(
            f"subspace iteration did not reach tol={tol} in max_iter={max_iter} steps; "
            "try more oversampling or more steps. Returning the last estimate.",
            ConvergenceWarning,
            stacklevel=2,
        )
    return U, s, Vt


def rank_k_approximation(U, s, Vt, k):
    """A_k = sum_{i<=k} s_i u_i v_i^T from (the first k columns of) an SVD.

    Parameters
    ----------
    U : ndarray of shape (m, r); s : ndarray of shape (r,); Vt : ndarray of shape (r, n)
    k : int, 1 <= k <= r

    Returns
    -------
    ndarray of shape (m, n), of rank at most k
    """
    U, s, Vt = (np.asarray(x, dtype=float) for x in (U, s, Vt))
    if U.ndim != 2 or Vt.ndim != 2 or s.shape != (U.shape[1],) or Vt.shape[0] != s.size:
        raise ValueError(f"expected U (m, r), s (r,), Vt (r, n); got {U.shape}, {s.shape}, {Vt.shape}")
    k = _check_k(k, s.size, "r, the length of s")
    # BEGIN SOLUTION
    # HINT 1: Scale U's first k columns by the singular values, then one matrix product with Vt.
    # HINT 2: (U[:, :k] * s[:k]) @ Vt[:k]  # (m, k) @ (k, n)
    # Scale the k columns of U by the sigmas (broadcasting), then one product:
    # O(m n k) work, never an (m, n) outer product per term.
    return (U[:, :k] * s[:k]) @ Vt[:k]  # (m, k) @ (k, n) -> (m, n)
    # END SOLUTION


def energy_kept(s, total_energy):
    """Fraction of ||A||_F^2 kept by the first 1, 2, ..., len(s) singular values.

    Parameters
    ----------
    s : ndarray of shape (k,), the leading singular values, descending
    total_energy : float, ||A||_F^2 = the sum of ALL sigma_i^2

    Returns
    -------
    ndarray of shape (k,): entry j-1 is (sigma_1^2 + ... + sigma_j^2) / ||A||_F^2
    """
    s = as_float_array(s, "s")
    if s.ndim != 1 or not total_energy > 0:
        raise ValueError(f"expected s of shape (k,) and total_energy > 0; got {s.shape} and {total_energy}")
    # BEGIN SOLUTION
    # HINT 1: The fraction of the total squared singular values kept by the first 1, 2, ... components.
    # HINT 2: np.cumsum(s**2) / total_energy
    return np.cumsum(s**2) / total_energy  # (k,)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    image = data.load_sample_image("china")  # (427, 640), gray values in [0, 1]
    # Every second pixel and ranks up to 50; the quick run (MLSC_QUICK=1) takes every fourth
    # pixel and ranks up to 20, an eighth of the work per iteration (m n (k + 10) multiply-adds).
    step, ranks = (4, [5, 10, 20]) if utils.quick_mode() else (2, [5, 20, 50])
    A = image[::step, ::step]  # (107, 160) quick, (214, 320) full
    m, n = A.shape
    U, s, Vt = top_k_svd(A, max(ranks), random_state=0)
    total = np.sum(A**2)  # ||A||_F^2, no SVD needed
    kept = energy_kept(s, total)  # (max(ranks),)

    print(f"Image {m} x {n}; top {max(ranks)} singular triplets by subspace iteration")
    print(f"{'k':>3} {'energy kept':>12} {'rel. error':>11} {'Eckart-Young':>13} {'storage':>8}")
    approximations = {}
    for k in ranks:
        A_k = rank_k_approximation(U, s, Vt, k)  # (m, n)
        approximations[k] = A_k
        error = np.linalg.norm(A - A_k) / np.sqrt(total)
        predicted = np.sqrt(max(1.0 - kept[k - 1], 0.0))  # sqrt(sum of the discarded sigma^2) / ||A||_F
        storage = k * (m + n + 1) / (m * n)  # U_k, s_k, V_k instead of every pixel
        print(f"{k:>3} {kept[k - 1]:>12.4%} {error:>11.4f} {predicted:>13.4f} {storage:>8.1%}")

    # Compare with the library: LAPACK's full SVD.
    s_lib = np.linalg.svd(A, compute_uv=False)  # (min(m, n),)
    difference = np.max(np.abs(s - s_lib[: s.size]) / s_lib[: s.size])
    print(f"\nmax relative difference of our top {s.size} sigmas from np.linalg.svd: {difference:.1e}")

    fig, axes = plotting.new_figure(2, 3, width=4.2, height=3.4)
    panels = [("original", A)] + [(f"rank {k}", approximations[k]) for k in ranks]
    for ax, (title, img) in zip(axes.ravel(), panels):
        ax.imshow(np.clip(img, 0, 1), cmap="gray", vmin=0, vmax=1)
        if title != "original":
            k = int(title.split()[1])
            title += f": {kept[k - 1]:.1%} energy, {k * (m + n + 1) / (m * n):.0%} storage"
        ax.set_title(title, fontsize=9)
        ax.axis("off")
    ax_s, ax_e = axes[1, 1], axes[1, 2]
    ax_s.semilogy(np.arange(1, s_lib.size + 1), s_lib, color="grey", label="np.linalg.svd (all)")
    ax_s.semilogy(np.arange(1, s.size + 1), s, "o", ms=3, color=plotting.COLORS[0], label=f"ours (top {s.size})")
    ax_s.set(xlabel="index i", ylabel=r"$\sigma_i$", title="Singular value spectrum")
    ax_s.legend()
    ax_e.plot(np.arange(1, s.size + 1), kept, color=plotting.COLORS[0])
    for k, color in zip(ranks, plotting.COLORS[1:]):
        ax_e.plot(k, kept[k - 1], "o", color=color, label=f"k = {k}: {kept[k - 1]:.2%}")
    ax_e.set(xlabel="rank k", ylabel=r"fraction of $\|A\|_F^2$ kept", title="Energy kept by the top k")
    ax_e.legend(loc="lower right")
    fig.suptitle("Low-rank approximation of a photograph (Eckart-Young: the best rank k)")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex08_svd_low_rank")


if __name__ == "__main__":
    main()
