"""
Exercise 03: logistic regression for two classes

Learning goals
--------------
- Turn a linear score into a probability with the sigmoid, and compute it (and the log-loss)
  without overflow even for scores of +-1000.
- Derive the gradient and Hessian of the penalised log-loss; train by gradient descent and by
  Newton's method (any two labels, strings too, in classes_), and compare how fast each converges.

The math
--------
X has shape (n_samples, n_features) = (n, d), labels y_i in {0, 1} (classes_[1] is the class "1"), w (d,), intercept b:
    z_i = x_i . w + b,      p_i = sigmoid(z_i) = 1 / (1 + exp(-z_i))   (the probability of class 1).
With s_i = 2 y_i - 1 in {-1, +1}, the log-loss of one sample is -[y log p + (1 - y) log(1 - p)]
= log(1 + exp(-s_i z_i)). Like scikit-learn we minimise J(w, b) = 0.5 ||w||^2 + C * sum_i
log(1 + exp(-s_i z_i)) for C > 0 (C = inf: no penalty; the intercept is free); divided by C n
(same minimiser, a scale that does not grow with n):
    f(w, b) = (1/n) sum_i log(1 + exp(-s_i z_i)) + ||w||^2 / (2 C n).
With A = [X 1] of shape (n, d+1) and theta = (w, b):
    gradient  g = (1/n) A^T (p - y) + (1 / (C n)) (w, 0)
    Hessian   H = (1/n) A^T diag(p (1 - p)) A + (1 / (C n)) diag(1, ..., 1, 0).

Algorithm
---------
1. classes_ = the two sorted labels; y = 1 for classes_[1]. Predict classes_[1] where z > 0 (p > 1/2).
2. Gradient descent: theta <- theta - g / L, with L = 0.25 * lambda_max(A^T A / n) + 1 / (C n),
   a bound on the curvature (p (1 - p) <= 1/4), so each step lowers f.
3. Newton's method: solve H delta = -g, then halve the step t = 1, 1/2, ... until
   f(theta + t delta) falls enough (backtracking line search); stop when max |g| <= tol.

References: C. M. Bishop, Pattern Recognition and Machine Learning, 2006, ch. 4.3.2-4.3.3 (IRLS);
S. Boyd, L. Vandenberghe, Convex Optimization, 2004, ch. 9.2 and 9.5 (backtracking, Newton).
Difficulty: 2 of 3, about 45 minutes.
Run: python 02-fundamentals-of-machine-learning/ex03_logistic_regression.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, ClassifierMixin
from utils.validation import as_float_array, check_fitted, check_linear_model, check_option
from utils.validation import check_positive_int, check_positive_number, check_X, check_X_y

# %% [markdown]
# ## Implementation: the sigmoid, the loss, and the classifier with its two solvers


# %%
def sigmoid(z):
    """1 / (1 + exp(-z)), element-wise, with no overflow for any finite z."""
    z = as_float_array(z, "z")
    # BEGIN SOLUTION
    # HINT 1: exp of a large positive number overflows; exp of a negative one never does.
    # HINT 2: with e = exp(-|z|): sigmoid(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0.
    # exp(-|z|) lies in (0, 1]: it never overflows. For z < 0, e^z / (1 + e^z) is the same value.
    e = np.exp(-np.abs(z))  # same shape as z
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    # END SOLUTION


def logistic_loss(w, b, X, y, C=1.0, check=True):
    """f(w, b) and its gradient dw (n_features,), db (float), for X (n_samples, n_features), y (n_samples,)
    of 0 and 1, C > 0 (np.inf: no penalty): what fit minimises. check=False: fit checked the data once."""
    w, b, X, y = check_linear_model(w, b, X, y) if check else (w, b, X, y)
    n = len(y)
    # BEGIN SOLUTION
    # HINT 1: map y to signs s = +-1; the loss of one sample is log(1 + exp(-s z)).
    # HINT 2: f = mean(logaddexp(0, -s z)) + w.w / (2 C n); dw = X^T (sigmoid(z) - y) / n + w / (C n); db = mean(sigmoid(z) - y).
    # HINT 3: z = X @ w + b; signs = 2y - 1; f from np.logaddexp; residual = sigmoid(z) - y; dw, db as above
    z = X @ w + b  # (n_samples,)
    signs = 2.0 * y - 1.0  # (n_samples,), +1 for class 1 and -1 for class 0
    # log(1 + exp(-s z)) as logaddexp(0, -s z): exact for any z, never log(0) or exp overflow
    f = np.logaddexp(0.0, -signs * z).mean() + (w @ w) / (2.0 * C * n)
    residual = sigmoid(z) - y  # (n_samples,), p - y
    dw = X.T @ residual / n + w / (C * n)  # (n_features,)
    db = residual.mean()
    return float(f), dw, float(db)
    # END SOLUTION


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary logistic regression with an L2 penalty, scikit-learn's objective (C as there).

    solver "newton" (with a line search) or "gd" (step 1 / L, many iterations); stops when max |gradient| <= tol.
    Fitted: classes_ (2,) sorted (classes_[1] is "positive"); coef_ (1, n_features); intercept_ (1,);
    n_iter_; loss_curve_ (f at the start, then after each iteration).
    """

    _domain = {"binary_only": True}  # two classes; ex04 handles more

    def __init__(self, C=1.0, fit_intercept=True, solver="newton", max_iter=100, tol=1e-8):
        self.C = C
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y):
        """Learn classes_, coef_ and intercept_ from X (n_samples, n_features) and labels y; returns self."""
        check_option(self.solver, "solver", ("newton", "gd"))
        if not self.C > 0:
            raise ValueError(f"C must be a positive number (np.inf for no penalty); got {self.C}")
        check_positive_int(self.max_iter, "max_iter")
        check_positive_number(self.tol, "tol", allow_zero=True)  # 0: run all max_iter steps
        X, y = check_X_y(X, y, classification=True)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:  # more classes: ex04's softmax regression
            raise ValueError(f"Only binary classification is supported. y has {len(self.classes_)} class(es) {self.classes_[:5]} in the {len(X)} sample(s) of X; LogisticRegression needs exactly two classes")
        y01 = (y == self.classes_[1]).astype(float)  # (n_samples,), 1.0 for classes_[1]
        n, d = X.shape
        A = np.column_stack([X, np.ones(n)]) if self.fit_intercept else X  # (n_samples, p), p = n_features + 1 or n_features
        penalty = np.where(np.arange(A.shape[1]) < d, 1.0 / (self.C * n), 0.0)  # (p,): 1 / (C n), 0 for the intercept
        theta = np.zeros(A.shape[1])  # (p,), theta = (w, b)
        # BEGIN SOLUTION
        # HINT 1: Both solvers need f and its gradient (logistic_loss); Newton also the Hessian, then a line search.
        # HINT 2: g = (dw, db); H = A^T diag(p (1 - p)) A / n + diag(penalty), with p = sigmoid(A theta).
        # HINT 3: objective(theta) = logistic_loss(theta[:d], b, X, y01, C) -> f, (dw, db) as one vector; while n_iter <
        # HINT 3: max_iter and max |g| > tol: gd: theta -= lr * g; newton: H = (A * (sigmoid(z) * sigmoid(-z))[:, None]).T
        # HINT 3: @ A / n + ...; step = solve(H, -g); halve t = 1, 1/2, ... until f(theta + t step) <= f + 1e-4 t (g @ step)

        def objective(t):  # f and its gradient at t = (w, b), from the loss written above
            f, dw, db = logistic_loss(t[:d], t[d] if self.fit_intercept else 0.0, X, y01, self.C, check=False)
            return f, (np.append(dw, db) if self.fit_intercept else dw)  # (p,)

        f, g = objective(theta)
        self.loss_curve_ = [f]
        if self.solver == "gd":  # 1 / L, with L a bound on the largest Hessian eigenvalue (p (1 - p) <= 1/4)
            lr = 1.0 / (0.25 * np.linalg.eigvalsh(A.T @ A / n)[-1] + penalty.max())
        n_iter = 0
        while n_iter < self.max_iter and np.max(np.abs(g)) > self.tol:
            if self.solver == "gd":
                theta = theta - lr * g
                f, g = objective(theta)
            else:
                z = A @ theta  # (n_samples,)
                # p (1 - p) as sigmoid(z) sigmoid(-z): 1 - p as a difference would lose every digit near p = 1.
                B = A * np.sqrt(sigmoid(z) * sigmoid(-z))[:, None]  # (n_samples, p): sqrt(weights) A
                H = B.T @ B / n + np.diag(penalty)  # (p, p); B^T B is a symmetric product, half the work
                try:
                    step = np.linalg.solve(H, -g)  # solve, not inv: one factorisation
                except np.linalg.LinAlgError:  # H singular (saturated, unpenalised): least squares
                    step = np.linalg.lstsq(H, -g, rcond=None)[0]
                t = 1.0  # backtracking: a full Newton step can overshoot, so halve it until f falls enough (Armijo)
                while (trial := objective(theta + t * step))[0] > f + 1e-4 * t * (g @ step) and t > 1e-12:
                    t *= 0.5
                theta, (f, g) = theta + t * step, trial
            self.loss_curve_.append(f)
            n_iter += 1
        self.n_iter_ = n_iter
        # END SOLUTION
        self.coef_, self.n_features_in_ = theta[:d].reshape(1, d), d  # coef_: (1, n_features), scikit-learn's shape
        self.intercept_ = np.array([theta[d] if self.fit_intercept else 0.0])  # (1,)
        return self

    def decision_function(self, X):
        """The scores z = X w + b, shape (n_samples,); positive means classes_[1]."""
        check_fitted(self, "coef_")
        X = check_X(X, self.n_features_in_, owner=f"this {type(self).__name__}")
        return X @ self.coef_[0] + self.intercept_[0]  # (n_samples,)

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, 2): columns follow classes_."""
        z = self.decision_function(X)
        # BEGIN SOLUTION
        # HINT 1: column 1 is P(classes_[1] | x) = sigmoid(z); column 0 is 1 - sigmoid(z) = sigmoid(-z).
        return np.column_stack([sigmoid(-z), sigmoid(z)])  # (n_samples, 2); sigmoid(-z) keeps tiny 1 - p exact
        # END SOLUTION

    def predict(self, X):
        """The predicted labels, shape (n_samples,), taken from classes_."""
        positive = self.decision_function(X) > 0  # (n_samples,): a positive score means classes_[1]
        return self.classes_[positive.astype(int)]


# %% [markdown]
# ## Demo


# %%
def main():
    # Breast cancer, 30 features, standardised (the penalty treats all weights alike).
    X_tr, X_te, y_tr, y_te = data.train_test_split(*data.load_breast_cancer(), test_size=0.25, random_state=0)
    from sklearn.preprocessing import StandardScaler  # the scaler of module 04, from the library
    X_tr, X_te = map(StandardScaler().fit(X_tr).transform, (X_tr, X_te))  # fitted on the training part only
    newton, gd = LogisticRegression(C=1.0).fit(X_tr, y_tr), LogisticRegression(C=1.0, solver="gd", max_iter=3000).fit(X_tr, y_tr)
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression  # same objective, same C
    sk = SkLogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(X_tr, y_tr)
    print(f"Breast cancer, C = 1: test accuracy Newton {newton.score(X_te, y_te):.3f}, gradient descent "
          f"{gd.score(X_te, y_te):.3f}, sklearn {sk.score(X_te, y_te):.3f}; max |coef - sklearn's| = {np.abs(sk.coef_ - newton.coef_).max():.1e}")

    fig, ax = plotting.new_figure(width=6.0, height=4.3)
    for name, model, style in [("Newton", newton, "o-"), ("gradient descent", gd, "-")]:
        gap = np.maximum(np.array(model.loss_curve_) - newton.loss_curve_[-1], 1e-16)  # f - f*; floored: f* gives 0
        ax.plot(np.arange(len(gap)), gap, style, markersize=4, label=f"{name} ({model.n_iter_} iterations)")
    ax.set(xscale="symlog", yscale="log", xlabel="iteration (symlog scale)", ylabel="f - f*", title="Convergence of the two solvers")
    ax.legend(loc="center right")
    plotting.show_or_save(fig, "ex03_logistic_regression")


if __name__ == "__main__":
    main()
