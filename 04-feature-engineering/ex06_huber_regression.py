"""
Exercise 06: Huber regression, a loss that outliers cannot drag

Learning goals
--------------
- See how a few bad points drag a least-squares line, and how a Huber loss
  (squares for small residuals, absolute values for large ones) resists them.
- Fit a Huber regression by iteratively reweighted least squares (IRLS) on
  scikit-learn's objective, scale included, and check that its gradient is zero.
- Compare it with the other cure: flag outliers on the residuals with exercise
  04's rules, drop them, and refit.

The math
--------
Huber regression (scikit-learn's HuberRegressor). X has shape (n_samples,
n_features) = (n, d), w shape (d,), b the intercept, sigma > 0 a scale learned
with them, r = y - X w - b. We minimise

    F(w, b, sigma) = sum_i [ sigma + sigma * H(r_i / sigma) ] + alpha ||w||^2,
    H(z) = z^2 if |z| <= epsilon, else 2 epsilon |z| - epsilon^2.

Large residuals cost linearly, so they pull with a bounded force. For a fixed
sigma, setting dF/d(w, b) = 0 gives weighted least squares with the weights
omega_i = min(1, epsilon sigma / |r_i|):

    (A^T Omega A + sigma alpha P) theta = A^T Omega y,     A = [X 1], theta = (w, b),
    P = diag(1, ..., 1, 0) (the intercept is not penalised).
For fixed (w, b), dF/dsigma = n - epsilon^2 n_out - sum_{inliers} r_i^2 / sigma^2 = 0
gives sigma^2 = sum_{inliers} r_i^2 / (n - epsilon^2 n_out), for the set of
inliers (|r_i| <= epsilon sigma) that is consistent with that sigma.

Algorithm
---------
1. Start from least squares and a MAD scale. Repeat until nothing moves:
   a. weights omega from the current residuals; solve the weighted system for theta;
   b. try every inlier set (the k smallest |r_i|) for sigma and keep the best.
   Both steps lower F, which is convex in (w, b, sigma).
2. Demo: a line with 10 corrupted targets: least squares, least squares after
   each outlier rule, and Huber.

References: P. J. Huber, Robust Statistics, Wiley, 1981, ch. 7; A. B. Owen, "A robust
hybrid of lasso and ridge regression", 2007 (the joint scale, as in scikit-learn).
Builds on: 04-feature-engineering/ex05_outliers.py (outliers).
Difficulty: 3 of 3, about 35 minutes.
Run: python 04-feature-engineering/ex06_huber_regression.py
"""

# %%
import numpy as np

import utils
from utils import plotting
from utils.base import BaseEstimator, RegressorMixin
from utils.validation import (
    as_float_array,
    check_fitted,
    check_positive_int,
    check_positive_number,
    check_same_length,
    check_X,
    check_X_y,
)

# Exercise 05's three outlier rules, used on the residuals of a first fit.
outliers = utils.load_exercise("04-feature-engineering/ex05_outliers.py", practice=False)


# %% [markdown]
# ## Implementation: Huber regression by IRLS


# %%
# %%
def huber_objective(params, X, y, epsilon=1.35, alpha=1e-4):
    """scikit-learn's Huber objective F at params = (w_1..w_d, b, sigma); a float."""
    w, b, sigma = params[:-2], params[-2], params[-1]
    # BEGIN SOLUTION
    # HINT 1: Split residuals by |r| <= epsilon sigma into a quadratic part and a linear part.
    # HINT 2: F = n sigma + sum_in r^2 / sigma + sum_out (2 eps |r| - sigma eps^2) + alpha w.w
    # HINT 3: r = y - X @ w - b; outside = |r| > epsilon * sigma
    # HINT 3: squared = sum(r[~outside]**2) / sigma; linear = sum(2 eps |r_out| - sigma eps^2)
    # HINT 3: return float(n * sigma + squared + linear + alpha * w @ w)
    r = y - X @ w - b  # (n,)
    outside = np.abs(r) > epsilon * sigma  # (n,)
    squared = np.sum(r[~outside] ** 2) / sigma
    linear = np.sum(2.0 * epsilon * np.abs(r[outside]) - sigma * epsilon**2)
    return float(len(y) * sigma + squared + linear + alpha * w @ w)
    # END SOLUTION


def best_scale(residuals, epsilon):
    """The sigma > 0 that minimises F for fixed residuals (exact: tries every inlier set)."""
    residuals = as_float_array(residuals, "residuals", ndim=1, finite=True, allow_empty=False)
    a = np.sort(np.abs(residuals))  # (n,), ascending
    n = a.size
    # BEGIN SOLUTION
    # HINT 1: For a fixed set of outliers (the largest |r|), F in sigma
    # HINT 1: has a closed-form minimiser; try every possible number of
    # HINT 1: outliers at once and keep the candidate with the smallest F.
    # HINT 2: with n_out outliers: sigma^2 = (sum of the n_in smallest a^2) / (n - eps^2 n_out)
    # HINT 3: n_out = arange(n); n_in = n - n_out; sums = cumsum(a**2)[n_in - 1]
    # HINT 3: denominator = n - eps**2 * n_out; ok = denominator > 0
    # HINT 3: candidates = max(sqrt(sums[ok] / denominator[ok]), 1e-12)
    # HINT 3: evaluate F at every candidate at once (inside/outside mask); return the argmin
    n_out = np.arange(n)  # (n,): 0 .. n-1 outliers, the largest |r| are the outliers
    n_in = n - n_out
    sums = np.cumsum(a**2)[n_in - 1]  # (n,), sum of the n_in smallest squared residuals
    denominator = n - epsilon**2 * n_out
    ok = denominator > 0  # otherwise dF/dsigma < 0 there: sigma must grow
    candidates = np.sqrt(sums[ok] / denominator[ok])  # (n_ok,)
    candidates = np.maximum(candidates, 1e-12)  # a perfect fit would give sigma = 0
    # F(sigma) for each candidate at once; the minimiser is among them.
    inside = a[None, :] <= epsilon * candidates[:, None]  # (n_ok, n)
    per_point = np.where(inside, a**2 / candidates[:, None], 2 * epsilon * a - epsilon**2 * candidates[:, None])  # (n_ok, n)
    values = n * candidates + per_point.sum(axis=1)  # (n_ok,)
    return float(candidates[np.argmin(values)])
    # END SOLUTION


class HuberRegressor(RegressorMixin, BaseEstimator):
    """Linear regression with the Huber loss and a jointly learned scale (scikit-learn's objective).

    Parameters
    ----------
    epsilon : float >= 1, residuals beyond epsilon * scale_ count linearly
    alpha : float >= 0, the L2 penalty on coef_
    max_iter : int
    tol : float, stop when no parameter moves more than tol * (1 + its size)

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    scale_ : float
    outliers_ : ndarray of bool, shape (n_samples,), |residual| > epsilon * scale_
    n_iter_ : int
    """

    def __init__(self, epsilon=1.35, alpha=1e-4, max_iter=1000, tol=1e-10):
        self.epsilon = epsilon
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y):
        """Learn coef_, intercept_ and scale_; returns self."""
        if not self.epsilon >= 1.0:
            raise ValueError(f"epsilon must be >= 1.0; got {self.epsilon}")
        if not self.alpha >= 0:
            raise ValueError(f"alpha must be >= 0; got {self.alpha}")
        check_positive_int(self.max_iter, "max_iter")
        check_positive_number(self.tol, "tol", allow_zero=True)  # 0: run all max_iter steps
        X, y = check_X_y(X, y, numeric_y=True)
        if len(X) < 2:
            raise ValueError(f"X has n_samples={len(X)}; HuberRegressor needs at least 2 samples to learn a line and a scale")
        n, d = X.shape
        A = np.column_stack([X, np.ones(n)])  # (n, d + 1)
        P = np.diag(np.append(np.ones(d), 0.0))  # (d + 1, d + 1), no penalty on the intercept
        # BEGIN SOLUTION
        # HINT 1: Alternate: with sigma fixed, weighted least squares (IRLS) gives theta; with theta
        # HINT 1: fixed, best_scale gives sigma. Start from ordinary least squares and a MAD scale.
        # HINT 2: omega_i = 1 if |r_i| <= eps sigma else eps sigma / |r_i|
        # HINT 2: (A.T diag(omega) A + sigma alpha P) theta = A.T (omega * y)
        # HINT 3: theta = lstsq(A, y); r = y - A @ theta; sigma = max(MAD(r) / 0.6745, 1e-12)
        # HINT 3: loop: omega; lhs = A.T @ (A * omega[:, None]) + sigma * alpha * P
        # HINT 3:     theta = lstsq(lhs, A.T @ (omega y)); r = y - A @ theta; sigma = best_scale(r, eps)
        # HINT 3: stop when both barely move; store coef_, intercept_, scale_, outliers_, n_iter_
        theta = np.linalg.lstsq(A, y, rcond=None)[0]  # (d + 1,), start from least squares
        r = y - A @ theta
        sigma = max(np.median(np.abs(r - np.median(r))) / 0.6745, 1e-12)  # a robust first scale
        for n_iter in range(1, self.max_iter + 1):
            omega = np.where(np.abs(r) <= self.epsilon * sigma, 1.0, self.epsilon * sigma / np.maximum(np.abs(r), 1e-300))
            lhs = A.T @ (A * omega[:, None]) + sigma * self.alpha * P  # (d + 1, d + 1)
            new_theta = np.linalg.lstsq(lhs, A.T @ (omega * y), rcond=None)[0]  # lstsq: safe if singular
            r = y - A @ new_theta  # (n,)
            new_sigma = best_scale(r, self.epsilon)
            step = max(np.max(np.abs(new_theta - theta)), abs(new_sigma - sigma))
            theta, sigma = new_theta, new_sigma
            if step <= self.tol * (1.0 + max(np.max(np.abs(theta)), sigma)):
                break
        self.n_iter_ = n_iter
        self.coef_, self.intercept_, self.scale_ = theta[:d], float(theta[d]), float(sigma)
        self.outliers_ = np.abs(r) > self.epsilon * sigma
        # END SOLUTION
        self.n_features_in_ = d
        return self

    def predict(self, X):
        """X w + b, shape (n_samples,)."""
        check_fitted(self, "coef_")
        return check_X(X, self.n_features_in_, owner="this HuberRegressor") @ self.coef_ + self.intercept_


def least_squares_line(x, y):
    """(slope, intercept) of the least-squares line through (x, y) (module 02), the fit outliers drag."""
    x, y = as_float_array(x, "x", ndim=1, finite=True), as_float_array(y, "y", ndim=1, finite=True)
    check_same_length(x, y, ("x", "y"))
    A = np.column_stack([x, np.ones_like(x)])  # (n_samples, 2)
    slope, intercept = np.linalg.lstsq(A, y, rcond=None)[0]  # lstsq: stable even for a badly scaled x
    return float(slope), float(intercept)


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(7)
    # A line with 10 corrupted targets at large x.
    n = 80
    xr = np.sort(rng.uniform(0, 10, n))  # (80,)
    yr = 1.5 * xr + 2.0 + rng.normal(0.0, 1.0, n)  # (80,)
    bad = rng.choice(np.flatnonzero(xr > 6), size=10, replace=False)
    yr[bad] = rng.uniform(-8.0, -2.0, size=10)
    ols = least_squares_line(xr, yr)
    huber = HuberRegressor(epsilon=1.35).fit(xr[:, None], yr)
    residuals = yr - (ols[0] * xr + ols[1])
    print(f"Line y = 1.5 x + 2 with 10 corrupted targets ({n} points)")
    print(f"{'fit':<42}{'slope':>7}{'intercept':>11}{'dropped':>9}")
    print(f"{'true line':<42}{1.5:7.3f}{2.0:11.3f}{'':>9}")
    print(f"{'least squares, all points':<42}{ols[0]:7.3f}{ols[1]:11.3f}{0:9d}")
    rules = [("z-score", outliers.zscore_outliers), ("Tukey", outliers.iqr_outliers), ("MAD", outliers.mad_outliers)]
    for name, rule in rules:
        keep = ~rule(residuals)  # flag on the residuals of the first fit (exercise 05)
        s, b = least_squares_line(xr[keep], yr[keep])
        print(f"{f'least squares after {name} on residuals':<42}{s:7.3f}{b:11.3f}{(~keep).sum():9d}")
    print(f"{'Huber (IRLS), epsilon = 1.35':<42}{huber.coef_[0]:7.3f}{huber.intercept_:11.3f}{'none':>9}")
    print(f"Huber: scale_ = {huber.scale_:.3f}, {huber.outliers_.sum()} points beyond epsilon * scale_, {huber.n_iter_} iterations")

    # Compare with the library (scikit-learn is used only here, never above).
    from sklearn.linear_model import HuberRegressor as SkHuberRegressor

    sk = SkHuberRegressor(epsilon=1.35, max_iter=1000, tol=1e-10).fit(xr[:, None], yr)
    print(f"sklearn HuberRegressor: slope {sk.coef_[0]:.4f}, intercept {sk.intercept_:.4f}, scale {sk.scale_:.4f}")

    fig, ax_fit = plotting.new_figure(width=6.5, height=4.3)
    corrupted = np.isin(np.arange(n), bad)
    ax_fit.scatter(xr[~corrupted], yr[~corrupted], s=14, color=plotting.COLORS[0], label="data")
    ax_fit.scatter(xr[corrupted], yr[corrupted], s=30, marker="x", color=plotting.COLORS[3], label="corrupted targets")
    grid = np.linspace(0, 10, 2)
    ax_fit.plot(grid, 1.5 * grid + 2.0, color="black", linestyle=":", label="true line")
    ax_fit.plot(grid, ols[0] * grid + ols[1], color=plotting.COLORS[1], linewidth=2, label=f"least squares (slope {ols[0]:.2f})")
    ax_fit.plot(grid, huber.predict(grid[:, None]), color=plotting.COLORS[2], linewidth=2, label=f"Huber (slope {huber.coef_[0]:.2f})")
    ax_fit.set(title="10 corrupted targets: least squares vs Huber", xlabel="x", ylabel="y")
    ax_fit.legend(loc="upper left", fontsize=8)
    plotting.show_or_save(fig, "ex06_huber_regression")


if __name__ == "__main__":
    main()
