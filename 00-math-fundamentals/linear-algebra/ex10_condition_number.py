"""
Exercise 10: the condition number, or how much a linear system amplifies errors

Learning goals
--------------
- Compute the condition number kappa(A) = sigma_max / sigma_min from the
  singular values, and say when a matrix counts as singular.
- Perturb b by a relative amount eps, re-solve A x = b, and watch the relative
  change in x stay below kappa(A) * eps, reaching it for the worst direction.
- Meet the Hilbert matrices, whose kappa grows like e^(3.5 n), and read
  log10(kappa) as "digits lost" when solving in float64.

The math
--------
A is square, of shape (n, n), with singular values sigma_1 >= ... >= sigma_n
(ex08). Its condition number in the 2-norm is
    kappa(A) = ||A|| ||A^{-1}|| = sigma_1 / sigma_n >= 1,
with kappa = 1 for orthogonal matrices (and their multiples), and kappa = inf
when A is singular. If A x = b and A (x + dx) = b + db, then dx = A^{-1} db and
    ||dx|| / ||x|| <= kappa(A) * ||db|| / ||b||,
because ||dx|| <= ||db|| / sigma_n and ||b|| <= sigma_1 ||x||. Equality holds
for b along u_1 and db along u_n (the first and last left singular vectors):
then x = v_1 / sigma_1 is as short as possible and dx = eps v_n / sigma_n as
long as possible. Rounding b to float64 is already a relative perturbation of
about u = 1.1e-16 (machine epsilon / 2), so a backward-stable solver loses
about log10(kappa) of the ~16 digits. The Hilbert matrix H_ij = 1 / (i + j + 1)
(i, j from 0) is the classic example: kappa(H_10) is about 1.6e13.
Numerically singular: when sigma_n <= n * eps * sigma_1 (eps = 2.2e-16), sigma_n
is indistinguishable from round-off and the computed ratio is meaningless; we
return inf there, exactly when np.linalg.matrix_rank says A is rank-deficient.
(np.linalg.cond returns the meaningless large number instead.)

Algorithm
---------
1. kappa: singular values s of A; if s[-1] <= max(m, n) * eps * s[0], return
   inf, else s[0] / s[-1].
2. Sensitivity: x = solve(A, b), x' = solve(A, b + db); report
   ||x' - x|| / ||x|| and ||db|| / ||b||.
3. Worst case: from the SVD, b = u_1 and db = eps * u_n.
4. Hilbert: H[i, j] = 1 / (i + j + 1) by broadcasting a column against a row.

References: L. Trefethen and D. Bau, Numerical Linear Algebra, lectures 12-13;
N. Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., ch. 7 and
sec. 28.1 (Hilbert matrices); G. Golub and C. Van Loan, Matrix Computations, 4th
ed., sec. 2.6.2.
Difficulty: 1 of 3, about 20 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex10_condition_number.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import check_positive_int

# %% [markdown]
# ## Implementation


# %%
def _check_matrix(A, square=False):
    A = np.asarray(A, dtype=float)
    ok = A.ndim == 2 and A.size > 0 and (not square or A.shape[0] == A.shape[1])
    if not ok:
        expected = "a square matrix of shape (n, n)" if square else "a non-empty matrix of shape (m, n)"
        raise ValueError(f"A must be {expected}; got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError("A must contain only finite numbers; got NaN or inf")
    return A


def condition_number(A):
    """kappa(A) = sigma_max / sigma_min in the 2-norm; inf for a (numerically) singular A.

    Parameters
    ----------
    A : ndarray of shape (m, n). For a non-square A this is the condition number
        of its least-squares problem, sigma_1 / sigma_min(m, n).

    Returns
    -------
    float >= 1, or inf when sigma_min <= max(m, n) * eps * sigma_max.
    """
    A = _check_matrix(A)
    # BEGIN SOLUTION
    # HINT 1: The ratio of the largest to the smallest singular value; a smallest
    # HINT 1: one at round-off level means "singular to working precision" (inf).
    # HINT 2: s = svd(A, compute_uv=False); inf if s[-1] <= max(m, n) eps s[0]; else s[0] / s[-1]
    # HINT 3: s = np.linalg.svd(A, compute_uv=False)   # descending
    # HINT 3: if s[-1] <= max(A.shape) * np.finfo(float).eps * s[0]: return np.inf
    # HINT 3: return s[0] / s[-1]
    s = np.linalg.svd(A, compute_uv=False)  # (min(m, n),), descending
    # Below this threshold sigma_min is round-off, and so is the ratio. Comparing
    # (instead of dividing first) also covers the zero matrix without 0 / 0.
    if s[-1] <= max(A.shape) * np.finfo(float).eps * s[0]:
        return np.inf
    return s[0] / s[-1]
    # END SOLUTION


def hilbert(n):
    """The n x n Hilbert matrix, H[i, j] = 1 / (i + j + 1) for i, j = 0..n-1."""
    n = check_positive_int(n, "n")
    # BEGIN SOLUTION
    # HINT 1: Build the (n, n) matrix from a column and a row of indices with broadcasting (0-based!).
    # HINT 2: i = arange(n); 1 / (i[:, None] + i[None, :] + 1)
    i = np.arange(int(n))  # (n,)
    return 1.0 / (i[:, None] + i[None, :] + 1)  # (n, 1) + (1, n) -> (n, n)
    # END SOLUTION


def solution_sensitivity(A, b, delta_b):
    """How much the solution of A x = b moves when b moves by delta_b.

    Returns
    -------
    rel_change_x : float, ||x' - x|| / ||x|| with A x = b and A x' = b + delta_b
    rel_change_b : float, ||delta_b|| / ||b||
        By the bound, rel_change_x <= condition_number(A) * rel_change_b.
    """
    A = _check_matrix(A, square=True)
    b, delta_b = np.asarray(b, dtype=float), np.asarray(delta_b, dtype=float)
    if b.shape != (A.shape[0],) or delta_b.shape != b.shape:
        raise ValueError(f"expected b and delta_b of shape ({A.shape[0]},); got {b.shape} and {delta_b.shape}")
    if not np.linalg.norm(b) > 0:
        raise ValueError("b must be nonzero: a relative change of the zero vector is undefined")
    # BEGIN SOLUTION
    # HINT 1: Solve twice, with and without the perturbation, and compare the relative changes.
    # HINT 2: x = solve(A, b); x_new = solve(A, b + delta_b); return |x_new - x| / |x|, |delta_b| / |b|
    x = np.linalg.solve(A, b)  # (n,)
    x_new = np.linalg.solve(A, b + delta_b)  # (n,)
    return np.linalg.norm(x_new - x) / np.linalg.norm(x), np.linalg.norm(delta_b) / np.linalg.norm(b)
    # END SOLUTION


def worst_case_perturbation(A, eps):
    """The b and delta_b (with ||delta_b|| = eps ||b||) that make the bound an equality.

    Returns
    -------
    b : ndarray of shape (n,), the top left singular vector u_1
    delta_b : ndarray of shape (n,), eps times the last left singular vector u_n
    """
    A = _check_matrix(A, square=True)
    if not eps > 0:
        raise ValueError(f"eps must be positive; got {eps}")
    # BEGIN SOLUTION
    # HINT 1: The worst b lies along the largest singular direction, the worst perturbation
    # HINT 1: along the smallest one (they then get amplified by sigma_max / sigma_min).
    # HINT 2: U = svd(A)[0]; b = U[:, 0]; delta_b = eps * U[:, -1]
    U, _, _ = np.linalg.svd(A)  # (n, n), columns u_1 .. u_n
    return U[:, 0], eps * U[:, -1]
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    eps = 1e-10  # relative size of the perturbation of b
    unit_roundoff = np.finfo(float).eps / 2
    sizes = np.arange(2, 15)

    print(f"Hilbert matrices: solve H x = H @ ones, then perturb b by a relative eps = {eps:g}")
    header = ["n", "kappa (ours)", "np.linalg.cond", "rounding err", "worst change", "kappa*eps"]
    print("{:>3} {:>13} {:>15} {:>13} {:>13} {:>10}".format(*header))
    rows = []
    for n in sizes:
        H = hilbert(n)  # (n, n)
        kappa = condition_number(H)
        x_true = np.ones(n)  # (n,)
        b = H @ x_true  # (n,)
        rounding = np.linalg.norm(np.linalg.solve(H, b) - x_true) / np.linalg.norm(x_true)
        if np.isfinite(kappa):
            deltas = rng.standard_normal((200, n))  # (200, n) random directions for db
            deltas *= eps * np.linalg.norm(b) / np.linalg.norm(deltas, axis=1, keepdims=True)  # ||db|| = eps ||b||
            random_changes = np.array([solution_sensitivity(H, b, db)[0] for db in deltas])  # (200,)
            worst = solution_sensitivity(H, *worst_case_perturbation(H, eps))[0]
            rows.append((n, kappa, rounding, random_changes, worst))
            lib = np.linalg.cond(H)
            print(f"{n:>3} {kappa:>13.3e} {lib:>15.3e} {rounding:>13.1e} {worst:>13.3e} {kappa * eps:>10.3e}")
        else:
            print(f"{n:>3} {'inf':>13} {np.linalg.cond(H):>15.3e} {rounding:>13.1e}   (numerically singular)")

    kappas = np.array([r[1] for r in rows])
    fig, (ax, ax_h) = plotting.new_figure(1, 2, width=5.6, height=4.4)
    ax.loglog(kappas, kappas * eps, color="black", lw=1, label=r"bound $\kappa \cdot \varepsilon$")
    worst_label = r"worst case: $b = u_1$, $\delta b \propto u_n$"
    ax.loglog(kappas, [r[4] for r in rows], "v", color=plotting.COLORS[3], ms=7, label=worst_label)
    medians = np.array([np.median(r[3]) for r in rows])
    lows, highs = medians - [r[3].min() for r in rows], [r[3].max() for r in rows] - medians
    random_label = r"random $\delta b$: median, min-max"
    ax.errorbar(
        kappas, medians, yerr=[lows, highs], fmt="o", ms=4, capsize=3, color=plotting.COLORS[0], label=random_label
    )
    rounding_label = r"$\kappa \cdot u$ (rounding, u = 1.1e-16)"
    ax.loglog(kappas, kappas * unit_roundoff, color="grey", ls="--", lw=1, label=rounding_label)
    ax.loglog(kappas, [r[2] for r in rows], "s", ms=4, color="grey", label=r"rounding only: $\delta b = 0$")
    ax.set(xlabel=r"condition number $\kappa(H_n)$, n = 2..10", ylabel=r"relative change in x,  $\|\delta x\| / \|x\|$")
    ax.set_title(rf"Relative change in x for $\|\delta b\| / \|b\|$ = {eps:g}")
    ax.legend(loc="upper left", fontsize=8)

    lib = np.array([np.linalg.cond(hilbert(n)) for n in sizes])  # (len(sizes),)
    ax_h.semilogy([r[0] for r in rows], kappas, "o-", color=plotting.COLORS[0], label="condition_number (ours)")
    ax_h.semilogy(sizes, lib, "x:", color=plotting.COLORS[1], label="np.linalg.cond")
    threshold = 1 / (sizes * np.finfo(float).eps)  # (len(sizes),), kappa above this -> inf
    ax_h.semilogy(sizes, threshold, color="grey", ls="--", lw=1, label=r"$1 / (n \cdot$ machine epsilon$)$: inf above")
    title = "Hilbert matrices: from n = 11 on, " + r"$\sigma_{min}$" + " is\nat round-off level and we return inf"
    ax_h.set(xlabel="n", ylabel=r"$\kappa(H_n)$", title=title)
    ax_h.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    plotting.show_or_save(fig, "ex10_condition_number")


if __name__ == "__main__":
    main()
