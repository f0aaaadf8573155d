"""
Exercise 01: linear regression, in closed form and by gradient descent

Learning goals
--------------
- Fit a hyperplane by least squares in one step, and know why np.linalg.lstsq beats inverting X^T X.
- Handle the intercept by centring the data; see what a constant or duplicated column does.
- Walk downhill on the same loss by gradient descent, and watch the path on the loss
  surface: the closed form is where every good path ends.

The math
--------
X has shape (n_samples, n_features) = (n, d), y has shape (n,), the weights w have shape
(d,) and the intercept b is a number. The model predicts y_hat = X w + b. We minimise

    L(w, b) = (1/n) * sum_i (x_i . w + b - y_i)^2 = (1/n) ||X w + b - y||^2,
    dL/dw = (2/n) X^T r  (shape (d,)),   dL/db = (2/n) sum_i r_i,   r = X w + b - y  (n,).

Setting dL/db = 0 gives b = mean(y) - mean(X) . w, so with the centred data Xc = X - mean(X)
and yc = y - mean(y) the weights solve the normal equations   Xc^T Xc w = Xc^T yc.
When the columns of Xc are linearly dependent (a constant feature becomes a column of
zeros after centring; a column twice another is redundant) there are infinitely many
solutions; the least-squares solver returns the one with the smallest ||w||, and all give
the same predictions. score gives R^2 (from utils.base.RegressorMixin; 03.04 writes it).

Algorithm
---------
1. Centre X and y (skip this with fit_intercept=False).
2. Solve min ||Xc w - yc|| with np.linalg.lstsq (SVD based: works with dependent columns),
   or the normal equations with np.linalg.solve (faster, but it squares the condition
   number and fails when Xc^T Xc is singular).
3. Set b = mean(y) - mean(X) . w.
4. Gradient descent: start anywhere, repeat (w, b) <- (w, b) - lr * gradient.

References: T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed.,
ch. 3.2; L. N. Trefethen, D. Bau, Numerical Linear Algebra, lecture 11 (why not the normal equations).
Difficulty: 1 of 3, about 35 minutes.
Run: python 02-fundamentals-of-machine-learning/ex01_linear_regression.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, RegressorMixin
from utils.validation import check_fitted, check_linear_model, check_no_overflow, check_non_negative_int, check_option
from utils.validation import check_positive_number, check_X, check_X_y

# %% [markdown]
# ## Implementation: the loss, its gradient, gradient descent; the closed form as an estimator


# %%
def mse_loss(w, b, X, y):
    """Mean squared error (1/n) ||X w + b - y||^2 of the line (w, b) on (X, y)."""
    w, b, X, y = check_linear_model(w, b, X, y)
    # BEGIN SOLUTION
    # HINT 1: Form the residual vector once; the mean of its squares is one dot product.
    # HINT 2: r = X @ w + b - y  # (n,); loss = (r @ r) / n
    residual = X @ w + b - y  # (n_samples,)
    return float(residual @ residual) / len(y)
    # END SOLUTION


def mse_gradient(w, b, X, y):
    """Gradient of mse_loss: (dL/dw of shape (n_features,), dL/db a float)."""
    w, b, X, y = check_linear_model(w, b, X, y)
    # BEGIN SOLUTION
    # HINT 1: Differentiate the mean squared residual; the chain rule brings X^T in for w and a mean for b.
    # HINT 2: r = X @ w + b - y; dw = (2 / n) * X.T @ r  # (d,); db = 2 * mean(r)
    # HINT 3: residual = X @ w + b - y; dw = (2.0 / len(y)) * (X.T @ residual); return dw, float(2.0 * residual.mean())
    residual = X @ w + b - y  # (n_samples,)
    dw = (2.0 / len(y)) * (X.T @ residual)  # (n_features,)
    db = 2.0 * residual.mean()
    return dw, float(db)
    # END SOLUTION


def gradient_descent(X, y, lr=0.1, n_iters=100, w_init=None, b_init=0.0):
    """Minimise mse_loss by n_iters full-batch steps of size lr from w_init (n_features,) (zeros by default), b_init.

    X (n_samples, n_features), y (n_samples,). Returns w (n_features,), b and the path (n_iters + 1, n_features + 1): row t holds (w, b) after t steps.
    """
    X, y = check_X_y(X, y, numeric_y=True)
    check_no_overflow(X, "X")  # the gradient multiplies X by the residual X w - y
    check_positive_number(lr, "lr")
    n_iters = check_non_negative_int(n_iters, "n_iters")
    w = np.zeros(X.shape[1]) if w_init is None else np.array(w_init, dtype=float)  # (n_features,)
    if w.shape != (X.shape[1],):
        raise ValueError(f"w_init must have shape ({X.shape[1]},); got {w.shape}")
    b = float(b_init)
    path = np.empty((n_iters + 1, X.shape[1] + 1))  # (n_iters + 1, n_features + 1)
    path[0] = np.append(w, b)
    # BEGIN SOLUTION
    # HINT 1: Repeat: get the gradient at the current point, step against it, record the point.
    # HINT 2: w <- w - lr * dw; b <- b - lr * db, with (dw, db) = mse_gradient(w, b, X, y)
    # HINT 3: for t in 1..n_iters: dw, db = mse_gradient(w, b, X, y); w, b = w - lr * dw, b - lr * db
    # HINT 3:     path[t] = np.append(w, b)
    for t in range(1, n_iters + 1):
        dw, db = mse_gradient(w, b, X, y)
        w, b = w - lr * dw, b - lr * db  # new arrays, never in place
        path[t] = np.append(w, b)
    # END SOLUTION
    return w, b, path


class LinearRegression(RegressorMixin, BaseEstimator):
    """Ordinary least squares.

    fit_intercept : learn b by centring X and y (False: the line passes through the origin).
    solver : "lstsq" (np.linalg.lstsq, SVD based: the minimum-norm solution for dependent
    columns) or "normal" (np.linalg.solve on Xc^T Xc w = Xc^T yc: needs independent columns).
    Fitted: coef_ (n_features,), intercept_ (float), rank_ (the rank of the centred X).
    """

    def __init__(self, fit_intercept=True, solver="lstsq"):
        self.fit_intercept = fit_intercept
        self.solver = solver

    def fit(self, X, y):
        """Learn coef_ and intercept_ from X of shape (n_samples, n_features) and y of shape (n_samples,); returns self."""
        check_option(self.solver, "solver", ("lstsq", "normal"))
        X, y = check_X_y(X, y, numeric_y=True)
        # BEGIN SOLUTION
        # HINT 1: Centre X and y first: the intercept drops out, and is recovered from the means
        # HINT 1: at the end. Then solve the least-squares problem on the centred data.
        # HINT 2: normal equations (Xc^T Xc) coef = Xc^T yc; intercept = y_mean - x_mean @ coef
        # HINT 3: x_mean, y_mean = X.mean(0), y.mean() (zeros if no intercept); Xc, yc = X - x_mean, y - y_mean
        # HINT 3: lstsq: coef, _, rank, _ = np.linalg.lstsq(Xc, yc, rcond=None); else: coef = solve(Xc.T @ Xc,
        # HINT 3: Xc.T @ yc) (LinAlgError -> ValueError), rank of Xc; intercept_ = float(y_mean - x_mean @ coef)
        x_mean = X.mean(axis=0) if self.fit_intercept else np.zeros(X.shape[1])  # (n_features,)
        y_mean = y.mean() if self.fit_intercept else 0.0
        Xc, yc = X - x_mean, y - y_mean  # (n_samples, n_features), (n_samples,): the intercept drops out
        if self.solver == "lstsq":
            # SVD based: singular values below eps * max(n, d) * the largest (rcond=None) count as
            # zero, so dependent columns get the minimum-norm solution, not huge cancelling weights.
            coef, _, rank, _ = np.linalg.lstsq(Xc, yc, rcond=None)  # coef: (n_features,)
        else:
            try:  # solve, not inv: one factorisation, and less round-off than forming the inverse
                coef = np.linalg.solve(Xc.T @ Xc, Xc.T @ yc)  # (n_features,)
            except np.linalg.LinAlgError:
                raise ValueError("X^T X is singular (dependent or constant columns); use solver='lstsq'") from None
            rank = np.linalg.matrix_rank(Xc)
        self.coef_, self.intercept_, self.rank_ = coef, float(y_mean - x_mean @ coef), int(rank)
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        """Predictions X w + b, shape (n_samples,)."""
        check_fitted(self, "coef_")
        X = check_X(X, self.n_features_in_, owner=f"this {type(self).__name__}")
        # BEGIN SOLUTION
        # HINT 1: A prediction is the fitted affine function of each row.
        # HINT 2: X @ self.coef_ + self.intercept_  # (n,)
        return X @ self.coef_ + self.intercept_  # (n_samples,)
        # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # One feature, not centred (mean 2): the loss valley over (w, b) is long and narrow, a harder walk.
    X1, y1, _ = data.make_linear_regression(n_samples=80, coef=[2.0], intercept=5.0, noise=1.0, random_state=0)
    X1 = X1 + 2.0  # (80, 1): now y = 2 x + 1 + noise
    model = LinearRegression().fit(X1, y1)
    runs = {lr: gradient_descent(X1, y1, lr=lr, n_iters=150, w_init=[5.0], b_init=6.0)[2] for lr in (0.03, 0.1)}
    print(f"One feature, 80 samples\n{'method':<24}{'w':>9}{'b':>9}{'MSE':>9}")
    for name, (w, b) in [("closed form (lstsq)", (model.coef_[0], model.intercept_))] + [
            (f"GD, lr={lr}, 150 steps", path[-1]) for lr, path in runs.items()]:
        print(f"{name:<24}{w:9.4f}{b:9.4f}{mse_loss([w], b, X1, y1):9.4f}")


    # A real data set: diabetes progression from 10 measurements; both solvers, and the library.
    X_tr, X_te, y_tr, y_te = data.train_test_split(*data.load_diabetes(), test_size=0.25, stratify=False, random_state=0)
    from sklearn.linear_model import LinearRegression as SkLinearRegression
    sk = SkLinearRegression().fit(X_tr, y_tr)  # compare with the library
    for solver in ("lstsq", "normal"):
        m = LinearRegression(solver=solver).fit(X_tr, y_tr)
        print(f"diabetes, {solver:<6}: test R^2 {m.score(X_te, y_te):.3f}, max |coef - sklearn's| = {np.abs(m.coef_ - sk.coef_).max():.1e}")

    W, B = np.meshgrid(np.linspace(-2.0, 6.0, 200), np.linspace(-6.0, 8.0, 200))  # (200, 200) each
    L = np.mean((W[..., None] * X1[:, 0] + B[..., None] - y1) ** 2, axis=-1)  # (200, 200): every residual at once
    fig, ax = plotting.new_figure(width=6.0, height=5.0)
    cs = ax.contour(W, B, L, levels=np.quantile(L, np.linspace(0, 1, 25) ** 2), cmap="viridis", linewidths=0.8)
    ax.clabel(cs, cs.levels[::4], fontsize=7, fmt="%.0f")
    for (lr, path), color in zip(runs.items(), plotting.COLORS[1:]):
        ax.plot(path[:, 0], path[:, 1], ".-", color=color, markersize=4, linewidth=1.2, label=f"gradient descent, lr={lr}")
    ax.scatter(model.coef_, [model.intercept_], marker="*", s=200, color="black", zorder=3, label="closed form")
    ax.set(xlabel="w", ylabel="b", title="MSE over (w, b); 150 steps of gradient descent")
    ax.legend(loc="lower left", frameon=True)
    plotting.show_or_save(fig, "ex01_linear_regression")


if __name__ == "__main__":
    main()
