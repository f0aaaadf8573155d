"""
Exercise 05: the lasso and the elastic net by coordinate descent

Learning goals
--------------
- Minimise the lasso objective one coefficient at a time: each step is a one-dimensional problem whose
  answer is the soft-thresholding function.
- See why the L1 penalty gives exact zeros (the lasso selects features) while the L2 penalty of ridge
  only shrinks, and find alpha_max, the smallest penalty that sets every coefficient to zero.
- Stop with a certificate: the duality gap bounds how far the objective is from its minimum; and add an
  L2 part to get the elastic net.

The math
--------
X has shape (n_samples, n_features) = (n, d), y shape (n,), centred (the intercept is not penalised, as in ex04). scikit-learn's
objectives, with rho = l1_ratio in [0, 1]:
    Lasso:       (1 / 2n) ||y - X w||^2 + alpha ||w||_1
    ElasticNet:  (1 / 2n) ||y - X w||^2 + alpha rho ||w||_1 + (alpha (1 - rho) / 2) ||w||^2
Fix every coordinate but w_j and let r = y - X w be the residual. The partial problem in w_j is a
parabola plus |w_j|, minimised by
    w_j = S(X_j . (r + X_j w_j), n alpha rho) / (||X_j||^2 + n alpha (1 - rho)),
with the soft-thresholding function S(z, t) = sign(z) max(|z| - t, 0): values within t of zero become
exactly zero. At w = 0 the subgradient condition reads |X_j . y| / n <= alpha rho for every j, so
    alpha_max = max_j |X_j . y| / (n rho)
is the smallest alpha with the all-zero solution.

Optimality (KKT): g = X^T (y - X w) / n - alpha (1 - rho) w satisfies g_j = alpha rho sign(w_j) where
w_j != 0 and |g_j| <= alpha rho where w_j = 0. The duality gap (objective times n, lambda1 = n alpha rho,
lambda2 = n alpha (1 - rho)):
    P = ||r||^2 / 2 + lambda1 ||w||_1 + lambda2 ||w||^2 / 2,
    s = min(1, lambda1 / max_j |X_j . r - lambda2 w_j|)   (s = 1 when lambda1 = 0),
    D = ||y||^2 / 2 - (||y - s r||^2 + s^2 lambda2 ||w||^2) / 2,      gap = P - D >= 0,
and gap = 0 exactly at the minimum. Like scikit-learn we stop when gap < tol ||y||^2.

Algorithm
---------
1. Centre X and y; precompute ||X_j||^2; start from w = 0 (or a warm start), r = y - X w.
2. Sweep j = 1..d: update w_j by the formula, then r -= X_j (w_j_new - w_j_old).
3. When the largest change in a sweep is small next to the largest |w_j|, compute the duality gap;
   stop if gap < tol ||y||^2.
4. The path: alphas from alpha_max down, each fit warm-started from the previous one.

References: R. Tibshirani, "Regression shrinkage and selection via the lasso", JRSS B 58, 1996;
J. Friedman, T. Hastie, R. Tibshirani, "Regularization paths for generalized linear models via
coordinate descent", J. Stat. Software 33, 2010; H. Zou, T. Hastie, "Regularization and variable
selection via the elastic net", JRSS B 67, 2005; T. Hastie, R. Tibshirani, J. Friedman, The Elements of
Statistical Learning, 2nd ed., ch. 3.4.
Builds on: 05-model-optimization/ex04_ridge.py (ridge).
Difficulty: 2 of 3, about 40 minutes.
Run: python 05-model-optimization/ex05_lasso.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.validation import as_float_array, check_no_overflow, check_positive_int, check_positive_number, check_X_y

# ex04's centring and its predict / score (reference version): the same linear model, another penalty.
ridge = utils.load_exercise("05-model-optimization/ex04_ridge.py", practice=False)

# %% [markdown]
# ## The one-dimensional answer: soft thresholding


# %%
def soft_threshold(z, t):
    """S(z, t) = sign(z) max(|z| - t, 0), elementwise, for a number or an array z and a number t >= 0."""
    if not t >= 0:
        raise ValueError(f"the threshold t must be non-negative; got {t!r}")
    # BEGIN SOLUTION
    # HINT 1: Shrink |z| by t, stop at zero, keep the sign.
    # HINT 2: sign(z) * max(|z| - t, 0)
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)
    # END SOLUTION


def duality_gap(X, y, w, alpha, l1_ratio=1.0):
    """The elastic-net duality gap at w (objective scaled by n), a float >= 0."""
    X, y = check_X_y(X, y, numeric_y=True)
    w = as_float_array(w, "w", ndim=1, finite=True)
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},), one weight per feature; got {w.shape}")
    n = len(X)
    l1, l2 = n * alpha * l1_ratio, n * alpha * (1.0 - l1_ratio)
    # BEGIN SOLUTION
    # HINT 1: The gap compares the primal objective at w with the dual objective at a scaled
    # HINT 1: residual that is dual feasible; it is >= 0 and 0 exactly at the optimum.
    # HINT 2: r = y - X @ w; primal = 0.5 r.r + l1 |w|_1 + 0.5 l2 w.w; s = l1 / ||X.T r - l2 w||_inf (if > l1)
    # HINT 2: dual = 0.5 y.y - 0.5 (||y - s r||^2 + s^2 l2 w.w); gap = primal - dual
    # HINT 3: r = y - X @ w; primal = ...; dual_norm = max|X.T @ r - l2 * w|
    # HINT 3: s = l1 / dual_norm if dual_norm > l1 > 0 else 1.0
    # HINT 3: dual = 0.5 * y @ y - 0.5 * (sum((y - s * r)**2) + s**2 * l2 * w @ w); return primal - dual
    r = y - X @ w  # (n_samples,)
    primal = 0.5 * r @ r + l1 * np.abs(w).sum() + 0.5 * l2 * w @ w
    dual_norm = np.max(np.abs(X.T @ r - l2 * w))  # ||X_aug^T r_aug||_inf
    # Scale r into the dual feasible set. With l1 = 0 (pure ridge) the set shrinks to the one
    # point r_aug reaches at the optimum: keep s = 1, so the gap w . (l2 w - X^T r) still tends to 0.
    s = l1 / dual_norm if dual_norm > l1 > 0 else 1.0
    dual = 0.5 * y @ y - 0.5 * (np.sum((y - s * r) ** 2) + s**2 * l2 * w @ w)
    return float(primal - dual)
    # END SOLUTION


def coordinate_descent(X, y, alpha, l1_ratio=1.0, max_iter=1000, tol=1e-4, w_init=None):
    """Cyclic coordinate descent for the elastic net (no intercept): (w (n_features,), the number of sweeps, the last
    duality gap (objective times n))."""
    X, y = check_X_y(X, y, numeric_y=True)
    check_no_overflow(X, "X")
    alpha = check_positive_number(alpha, "alpha", allow_zero=True)
    n, d = X.shape
    l1, l2 = n * alpha * l1_ratio, n * alpha * (1.0 - l1_ratio)
    X = np.asfortranarray(X)  # columns contiguous in memory: each step reads one column
    w = np.zeros(d) if w_init is None else np.array(w_init, dtype=float)  # (n_features,), a copy
    if w.shape != (d,):
        raise ValueError(f"w_init must have shape ({d},), one weight per feature; got {w.shape}")
    gap, tol_gap = np.inf, tol * (y @ y)
    # BEGIN SOLUTION
    # HINT 1: Update one weight at a time with the others fixed: a 1-D problem solved exactly
    # HINT 1: by soft_threshold. Keep the residual r up to date instead of recomputing X @ w.
    # HINT 2: rho = X_j . r + ||X_j||^2 w_j; w_j = soft_threshold(rho, l1) / (||X_j||^2 + l2);
    # HINT 2: r -= X_j (w_j_new - w_j_old)
    # HINT 3: col_sq = column sums of X**2; r = y - X @ w
    # HINT 3: for n_iter in 1..max_iter: for j (skip col_sq[j] == 0): update w[j], then r
    # HINT 3:     if w barely changed (or last sweep): gap = duality_gap(...); break if gap < tol_gap
    # HINT 3: return w, n_iter, gap
    col_sq = np.einsum("ij,ij->j", X, X)  # (n_features,), ||X_j||^2
    r = y - X @ w  # (n_samples,)
    for n_iter in range(1, max_iter + 1):
        w_max = change_max = 0.0
        for j in range(d):
            if col_sq[j] == 0.0:  # a constant (centred to zero) column: its weight stays 0
                continue
            old = w[j]
            rho = float(X[:, j] @ r) + col_sq[j] * old  # X_j . (r + X_j w_j): the residual without feature j
            w[j] = soft_threshold(rho, l1) / (col_sq[j] + l2)
            if w[j] != old:
                r -= X[:, j] * (w[j] - old)  # keep r = y - X w up to date in O(n)
            change_max = max(change_max, abs(w[j] - old))
            w_max = max(w_max, abs(w[j]))
        if w_max == 0.0 or change_max / w_max < tol or n_iter == max_iter:
            gap = duality_gap(X, y, w, alpha, l1_ratio)
            if gap < tol_gap:
                break
    return w, n_iter, gap
    # END SOLUTION


def alpha_max(X, y, l1_ratio=1.0, fit_intercept=True):
    """The smallest alpha whose solution is all zeros: max_j |X_j . y| / (n l1_ratio)."""
    X, y = check_X_y(X, y, numeric_y=True)
    X, y, _, _ = ridge.center_data(X, y, fit_intercept)
    return float(np.max(np.abs(X.T @ y)) / (len(X) * l1_ratio))


# %% [markdown]
# ## Estimators with scikit-learn's names


# %%
class ElasticNet(ridge.LinearModel):
    """Linear regression with an L1 + L2 penalty by coordinate descent (scikit-learn's objective); predict and
    score (R^2) come from ex04's LinearModel. l1_ratio in [0, 1] is the L1 share (1: lasso, 0: ridge); max_iter
    sweeps at most; stop when the duality gap < tol ||y||^2. Learns coef_, intercept_, n_iter_ and dual_gap_
    (the final gap of the (1 / 2n)-scaled objective)."""

    def __init__(self, alpha=1.0, l1_ratio=0.5, fit_intercept=True, max_iter=1000, tol=1e-4):
        self.alpha, self.l1_ratio, self.fit_intercept, self.max_iter, self.tol = alpha, l1_ratio, fit_intercept, max_iter, tol

    def fit(self, X, y, coef_init=None):
        """Learn coef_ and intercept_ (optionally warm-started at coef_init); returns self."""
        X, y = check_X_y(X, y, numeric_y=True)
        if not self.alpha >= 0:
            raise ValueError(f"alpha must be a non-negative number; got {self.alpha!r}")
        if not 0 <= self.l1_ratio <= 1:
            raise ValueError(f"l1_ratio must be between 0 and 1; got {self.l1_ratio!r}")
        check_positive_int(self.max_iter, "max_iter")
        check_positive_number(self.tol, "tol", allow_zero=True)  # 0: run all max_iter steps
        Xc, yc, x_mean, y_mean = ridge.center_data(X, y, self.fit_intercept)
        self.coef_, self.n_iter_, gap = coordinate_descent(Xc, yc, self.alpha, self.l1_ratio, self.max_iter, self.tol, w_init=coef_init)
        self.dual_gap_ = gap / len(X)
        self.intercept_ = float(y_mean - x_mean @ self.coef_)
        self.n_features_in_ = X.shape[1]
        return self


class Lasso(ElasticNet):
    """The elastic net with l1_ratio = 1: (1 / 2n) ||y - X w - b||^2 + alpha ||w||_1."""

    def __init__(self, alpha=1.0, fit_intercept=True, max_iter=1000, tol=1e-4):
        super().__init__(alpha=alpha, l1_ratio=1.0, fit_intercept=fit_intercept, max_iter=max_iter, tol=tol)


def enet_path(X, y, alphas, l1_ratio=1.0, tol=1e-4, max_iter=10_000):
    """Coefficients for each alpha (fitted from the largest down, warm-started): shape (n_alphas, n_features)."""
    alphas = np.sort(as_float_array(alphas, "alphas"))[::-1]  # largest first: the all-zero end
    coefs, w = [], None
    for alpha in alphas:
        model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=tol, max_iter=max_iter).fit(X, y, coef_init=w)
        w = model.coef_
        coefs.append(w)
    return alphas, np.array(coefs)  # (n_alphas,), (n_alphas, n_features)


# %% [markdown]
# ## Demo: which features the lasso keeps on the diabetes data


# %%
def main():
    X, y, names, _ = data.load_diabetes(return_names=True)
    X = X * np.sqrt(len(X))  # standard deviation 1 per column, so one alpha treats every feature alike

    a_max = alpha_max(X, y)
    fractions = np.logspace(0, -3, 40)  # alpha / alpha_max, from the all-zero end down
    alphas, coefs = enet_path(X, y, a_max * fractions)
    _, coefs_enet = enet_path(X, y, alpha_max(X, y, l1_ratio=0.5) * fractions, l1_ratio=0.5)

    print(f"alpha_max = {a_max:.3f}: from here up every coefficient is exactly 0 (enet: l1_ratio 0.5, same alpha / alpha_max)")
    print(f"{'alpha':>8} {'nonzero':>8} {'enet nonzero':>13}  lasso keeps")
    for k in [0, 7, 14, 20, 30, 39]:
        kept = [names[j] for j in np.flatnonzero(coefs[k])]
        print(f"{alphas[k]:>8.3f} {len(kept):>8} {np.count_nonzero(coefs_enet[k]):>13}  {', '.join(kept) if kept else '-'}")

    from sklearn.linear_model import Lasso as SklearnLasso  # compare with the library

    ours = Lasso(alpha=1.0, tol=1e-10, max_iter=10_000).fit(X, y)
    ref = SklearnLasso(alpha=1.0, tol=1e-10, max_iter=10_000).fit(X, y)
    print(f"\nLasso(alpha=1) against scikit-learn: max |coef difference| = {np.max(np.abs(ours.coef_ - ref.coef_)):.1e}, "
          f"{ours.n_iter_} sweeps, duality gap {ours.dual_gap_:.1e}")

    fig, axes = plotting.new_figure(1, 2, width=5.2, height=4.0)
    z = np.linspace(-3, 3, 201)
    axes[0].plot(z, z, color="grey", linestyle=":", label="least squares: z")
    axes[0].plot(z, z / (1 + 1.0), label="ridge: z / (1 + lambda)")
    axes[0].plot(z, soft_threshold(z, 1.0), label="lasso: S(z, lambda)")
    axes[0].set(xlabel="least-squares coefficient z", ylabel="penalised coefficient", title="One orthonormal feature, lambda = 1")
    axes[0].legend(loc="upper left")

    for j, name in enumerate(names):
        style = "-" if j < len(plotting.COLORS) else "--"
        axes[1].plot(alphas, coefs[:, j], linestyle=style, color=plotting.COLORS[j % len(plotting.COLORS)], label=name)
    axes[1].axvline(a_max, color="grey", linestyle=":", linewidth=1)
    axes[1].set(xscale="log", xlabel="alpha (log scale)", ylabel="coefficient", title="Lasso path: features enter one by one")
    axes[1].legend(ncol=2, fontsize=7, loc="lower left")

    plotting.show_or_save(fig, "ex05_lasso")


if __name__ == "__main__":
    main()
