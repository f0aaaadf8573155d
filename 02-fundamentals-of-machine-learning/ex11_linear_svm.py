"""
Exercise 11: a linear support vector machine, by subgradient descent and by dual coordinate descent

Learning goals
--------------
- Write the soft-margin SVM objective (L2 penalty plus hinge loss) and its subgradient;
  see why the hinge loss only "hears" points inside the margin.
- Train it with the Pegasos step 1/t and average the last iterates; or solve the dual
  exactly one variable at a time, as liblinear does (solver="dual_cd").
- Read a fitted SVM: the line f(x) = 0, the margins f(x) = +-1, the support vectors.

The math
--------
X has shape (n_samples, n_features) = (n, d); the two classes map to y_i in {-1, +1} (classes_[0]
-> -1). With w of shape (n_features,) and intercept b, the score is f(x) = w . x + b; we minimise

    F(w, b) = 0.5 ||w||^2 + C sum_i max(0, 1 - y_i f(x_i)).

The hinge max(0, 1 - z) is not differentiable at z = 1; a subgradient is -1 for
z < 1 and 0 for z >= 1. With V = {i : y_i f(x_i) < 1} (the margin violators)

    dF/dw = w - C sum_{i in V} y_i x_i,        dF/db = -C sum_{i in V} y_i.

b is NOT penalised, as in the textbook SVM and scikit-learn's SVC (liblinear's
LinearSVC appends a constant feature instead, so its intercept is penalised a little).

F is 1-strongly convex in w, so eta_t = 1 / t is the Pegasos step (Pegasos's objective is
F / (C n): same updates). The error after T steps shrinks like G^2 / T, G ~ C * (number of
violators) * |x|: fast for small C, slow when C n is large; that is why libraries solve the dual.

Dual coordinate descent (liblinear; the bias is a constant feature x_i <- [x_i, 1]):
    min_a D(a) = 0.5 sum_ij a_i a_j y_i y_j x_i.x_j - sum_i a_i,   0 <= a_i <= C,
keeping w = sum_i a_i y_i x_i, so dD/da_i = y_i w.x_i - 1 = G costs one dot product. D is a
parabola in a_i alone (curvature ||x_i||^2): a_i - G / ||x_i||^2, clipped to [0, C], is exact.
Sweep all i in random order; stop when the projected gradients lie within tol of each other.

Algorithm
---------
1. Map the labels to -1/+1; start from w = 0, b = 0.
2. For t = 1..max_iter: on a batch (all points, or batch_size random ones: stochastic Pegasos)
   take the subgradient (scaled by n / batch size); step w -= g_w / t, b -= g_b / t.
3. Average the second half of the iterates (suffix averaging): the last one keeps jumping.
4. Predict classes_[1] where f(x) > 0, else classes_[0].

References: C.-J. Hsieh et al., "A dual coordinate descent method for large-scale linear SVM",
ICML 2008 (liblinear); S. Shalev-Shwartz, Y. Singer, N. Srebro, "Pegasos", ICML 2007; A. Rakhlin,
O. Shamir, K. Sridharan, "Making gradient descent optimal for strongly convex ...", ICML 2012.
Difficulty: 2 of 3, about 40 minutes.
Run: python 02-fundamentals-of-machine-learning/ex11_linear_svm.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, ClassifierMixin
from utils.validation import as_float_array, check_fitted, check_linear_model, check_option, check_positive_int
from utils.validation import check_positive_number, check_same_length, check_X, check_X_y

# %% [markdown]
# ## Implementation


# %%
# F and its subgradient see (w, b) only through the margins m_i = y_i f(x_i), the costly part
# (a pass over X): fit computes them once per step and hands them to both functions below.
def objective_from_margins(w, margins, C):
    """F = 0.5 ||w||^2 + C sum_i max(0, 1 - m_i), from the margins m_i = y_i f(x_i), shape (n_samples,)."""
    # BEGIN SOLUTION
    # HINT 1: the penalty plus C times the hinge max(0, 1 - m) of every margin.
    return 0.5 * w @ w + C * np.maximum(0.0, 1.0 - margins).sum()
    # END SOLUTION


def subgradient_from_margins(w, margins, X, y_pm, C):
    """The subgradient (g_w, g_b) of F from the margins m_i = y_i f(x_i), shape (n_samples,).

    g_w = w - C sum_{m_i < 1} y_i x_i, shape (n_features,), and g_b = -C sum_{m_i < 1} y_i, a float.
    """
    # BEGIN SOLUTION
    # HINT 1: only the violators (margin < 1) contribute to the hinge part.
    # HINT 2: g_w = w - C sum_{m_i < 1} y_i x_i; g_b = -C sum_{m_i < 1} y_i.
    # HINT 3: yv = y_pm * (margins < 1); g_w = w - C * (yv @ X); g_b = -C * yv.sum(); return g_w, float(g_b).
    violators = margins < 1.0  # (n_samples,) bool: inside the margin or on the wrong side
    # y_i for a violator, 0 elsewhere: one product adds the violators' y_i x_i without copying X[violators].
    y_violators = y_pm * violators  # (n_samples,)
    g_w = w - C * (y_violators @ X)  # (n_features,)
    g_b = -C * y_violators.sum()
    return g_w, float(g_b)
    # END SOLUTION


def svm_objective(w, b, X, y_pm, C):
    """F(w, b) = 0.5 ||w||^2 + C * sum of hinge losses; y_pm holds -1/+1 labels."""
    w, b, X, y_pm = check_linear_model(w, b, X, y_pm, y_name="y_pm")
    # BEGIN SOLUTION
    # HINT 1: compute the margins y_pm * (X w + b), then reuse objective_from_margins.
    margins = y_pm * (X @ w + b)  # (n_samples,), y_i f(x_i)
    return objective_from_margins(w, margins, C)
    # END SOLUTION


def svm_subgradient(w, b, X, y_pm, C):
    """A subgradient g_w (n_features,), g_b (float) of svm_objective; the hinge counts where y f(x) < 1."""
    w, b, X, y_pm = check_linear_model(w, b, X, y_pm, y_name="y_pm")
    # BEGIN SOLUTION
    # HINT 1: compute the margins y_pm * (X w + b), then reuse subgradient_from_margins.
    margins = y_pm * (X @ w + b)  # (n_samples,), y_i f(x_i)
    return subgradient_from_margins(w, margins, X, y_pm, C)
    # END SOLUTION


def dual_coordinate_descent(X, y_pm, C, max_epochs=1000, tol=1e-4, rng=None):
    """Minimise the SVM dual one a_i at a time, exactly (liblinear's solver; bias not handled here).

    Returns w (n_features,) = sum_i a_i y_i x_i, the dual variables a (n_samples,) and the epochs run.
    """
    X, y_pm = as_float_array(X, "X", ndim=2, finite=True, allow_empty=False), as_float_array(y_pm, "y_pm", ndim=1, finite=True)
    check_same_length(X, y_pm, ("X", "y_pm"))
    rng, alpha, w = data.as_rng(rng), np.zeros(len(X)), np.zeros(X.shape[1])  # alpha (n_samples,), w (n_features,)
    sq_norms = np.einsum("ij,ij->i", X, X)  # (n_samples,), the curvature of D along each a_i
    # BEGIN SOLUTION
    # HINT 1: visit every a_i in a random order; move it to the bottom of its parabola, inside [0, C].
    # HINT 2: G = y_pm[i] * (X[i] @ w) - 1; new = clip(alpha[i] - G / sq_norms[i], 0, C); w += (new - alpha[i]) y_pm[i] X[i].
    # HINT 3: per epoch: for i in rng.permutation(n): G; projected = min(G, 0) at a_i = 0, max(G, 0) at a_i = C, else G;
    # HINT 3: track the range of projected; update a_i and w unless projected == 0; stop when the range <= tol.
    for epoch in range(1, max_epochs + 1):
        low, high = np.inf, -np.inf  # the range of the projected gradients in this sweep
        for i in rng.permutation(len(X)):
            G = y_pm[i] * (X[i] @ w) - 1.0  # dD/da_i
            projected = min(G, 0.0) if alpha[i] == 0.0 else max(G, 0.0) if alpha[i] == C else G
            low, high = min(low, projected), max(high, projected)
            if projected != 0.0 and sq_norms[i] > 0.0:
                new = min(max(alpha[i] - G / sq_norms[i], 0.0), C)  # exact minimiser along a_i, in the box
                w += (new - alpha[i]) * y_pm[i] * X[i]  # keep w = sum_i a_i y_i x_i
                alpha[i] = new
        if high - low <= tol:
            break
    return w, alpha, epoch
    # END SOLUTION


class LinearSVC(ClassifierMixin, BaseEstimator):
    """Binary linear SVM, hinge loss + L2 penalty, trained by (stochastic) subgradient descent.

    C weighs the hinge losses (larger C: fewer violations, smaller margin). solver "pegasos":
    max_iter subgradient steps on batches of batch_size points (None: all; 1: classic stochastic
    Pegasos), b unpenalised; "dual_cd": liblinear's dual coordinate descent to tol (b is the
    weight of a constant feature: penalised a little). random_state draws batches / sweep orders.
    Fitted: classes_ (2,) (f(x) > 0 means classes_[1]), coef_ (1, n_features), intercept_ (1,),
    support_ (points with y f(x) <= 1 + 1e-3), objective_history_ (F at each non-averaged iterate).
    """

    _domain = {"binary_only": True}  # one separating hyperplane: two classes

    def __init__(self, C=1.0, max_iter=1000, batch_size=None, fit_intercept=True, random_state=None,
                 solver="pegasos", tol=1e-4):
        self.solver = solver
        self.tol = tol
        self.C = C
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.fit_intercept = fit_intercept
        self.random_state = random_state

    def fit(self, X, y):
        X, y = check_X_y(X, y, classification=True)
        self.classes_, y_index = np.unique(y, return_inverse=True)  # sorted; y_index in {0, 1}
        if len(self.classes_) != 2:  # more classes: one SVM per pair of classes
            raise ValueError(f"Only binary classification is supported: a binary SVM needs exactly 2 classes in y; got {len(self.classes_)} class(es) {self.classes_[:5]} in the {len(y)} sample(s) of X")
        y_pm = 2.0 * y_index - 1.0  # (n_samples,): classes_[0] -> -1, classes_[1] -> +1
        check_positive_number(self.C, "C")
        check_positive_int(self.max_iter, "max_iter")
        check_positive_int(self.batch_size, "batch_size", allow_none=True)
        check_option(self.solver, "solver", ("pegasos", "dual_cd"))
        check_positive_number(self.tol, "tol")
        n_samples, n_features = X.shape
        rng = data.as_rng(self.random_state)
        if self.solver == "dual_cd":  # liblinear's way: the intercept is the weight of a constant 1
            A = np.column_stack([X, np.ones(n_samples)]) if self.fit_intercept else X  # (n_samples, n_features + 1) or (n_samples, n_features)
            w, self.dual_coef_, self.n_iter_ = dual_coordinate_descent(A, y_pm, self.C, self.max_iter, self.tol, rng)
            self.coef_, self.intercept_ = w[None, :n_features], np.array([w[n_features] if self.fit_intercept else 0.0])
            self.objective_history_ = np.array([svm_objective(self.coef_[0], self.intercept_[0], X, y_pm, self.C)])
            self.support_, self.n_features_in_ = np.flatnonzero(self.dual_coef_ > 0), n_features
            return self
        # BEGIN SOLUTION
        # HINT 1: start at zero and take max_iter subgradient steps of size 1 / t; average the second half.
        # HINT 2: w <- w - g_w / t, b <- b - g_b / t; the average is a running mean from t = max_iter // 2 + 1.
        # HINT 3: for t in 1..max_iter: margins once (full batch) or a random batch scaled by n / batch_size;
        # HINT 3: record F, step w and b, update w_avg, b_avg; finally coef_ = w_avg[None, :], intercept_ = [b_avg].
        w, b = np.zeros(n_features), 0.0  # w: (n_features,)
        w_avg, b_avg, n_avg = np.zeros(n_features), 0.0, 0
        history = np.empty(self.max_iter)  # (max_iter,)
        start_averaging = self.max_iter // 2 + 1
        for t in range(1, self.max_iter + 1):
            if self.batch_size is None:
                margins = y_pm * (X @ w + b)  # (n_samples,), shared by F and its subgradient
                history[t - 1] = objective_from_margins(w, margins, self.C)
                g_w, g_b = subgradient_from_margins(w, margins, X, y_pm, self.C)
            else:
                history[t - 1] = svm_objective(w, b, X, y_pm, self.C)
                batch = rng.integers(0, n_samples, size=self.batch_size)  # (batch_size,)
                scale = n_samples / self.batch_size  # the batch's hinge sum estimates the full one
                g_w, g_b = svm_subgradient(w, b, X[batch], y_pm[batch], self.C * scale)  # penalty term w stays exact
            eta = 1.0 / t  # Pegasos step: 1 / (strong convexity * t)
            w = w - eta * g_w
            if self.fit_intercept:
                b = b - eta * g_b
            if t >= start_averaging:  # running mean of the second half of the iterates
                n_avg += 1
                w_avg += (w - w_avg) / n_avg
                b_avg += (b - b_avg) / n_avg
        self.coef_, self.intercept_ = w_avg[None, :], np.array([b_avg])  # (1, n_features), (1,)
        self.objective_history_ = history
        # END SOLUTION
        self.support_ = np.flatnonzero(y_pm * self.decision_function(X) <= 1.0 + 1e-3)
        self.n_features_in_, self.n_iter_ = X.shape[1], self.max_iter
        return self

    def decision_function(self, X):
        """f(x) = w . x + b for each row, shape (n_samples,); its sign picks the class."""
        check_fitted(self, "coef_")
        X = check_X(X, self.coef_.shape[1], owner=f"this {type(self).__name__}")
        # BEGIN SOLUTION
        # HINT 1: the score is linear in x.
        return X @ self.coef_[0] + self.intercept_[0]  # (n_samples,)
        # END SOLUTION

    def predict(self, X):
        """classes_[1] where f(x) > 0, else classes_[0]; shape (n_samples,)."""
        scores = self.decision_function(X)
        # BEGIN SOLUTION
        # HINT 1: the sign of the score picks the class: index (scores > 0) into classes_.
        return self.classes_[(scores > 0).astype(int)]
        # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    X, y = data.make_blobs(300, centers=[[-1.5, -1.0], [1.5, 1.0]], cluster_std=1.0, random_state=3)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, random_state=0)
    print(f"{'C':>6} {'test acc':>9} {'margin 2/||w||':>15} {'support vectors':>16}")
    models = {C: LinearSVC(C=C, max_iter=2000).fit(X_train, y_train) for C in [0.01, 1.0, 10.0]}
    for C, model in models.items():
        print(f"{C:>6g} {model.score(X_test, y_test):>9.3f} {2 / np.linalg.norm(model.coef_):>15.3f} {len(model.support_):>16d}")
    from sklearn.svm import SVC  # compare with the library: a linear-kernel SVC solves the same objective
    reference = SVC(kernel="linear", C=1.0, tol=1e-8).fit(X_train, y_train)
    y_pm = np.where(y_train == models[1.0].classes_[1], 1.0, -1.0)
    f_ours, f_ref = (svm_objective(m.coef_[0], m.intercept_[0], X_train, y_pm, 1.0) for m in (models[1.0], reference))
    print(f"C = 1: objective ours {f_ours:.4f}, sklearn SVC {f_ref:.4f} (relative gap {(f_ours - f_ref) / f_ref:.1e})")
    dual = LinearSVC(C=1.0, solver="dual_cd", tol=1e-6, random_state=0).fit(X_train, y_train)
    print(f"dual coordinate descent: {dual.n_iter_} sweeps, {len(dual.support_)} support vectors (a_i > 0), "
          f"test accuracy {dual.score(X_test, y_test):.3f} (its bias is penalised, like liblinear's)")

    fig, axes = plotting.new_figure(1, 2, width=4.8, height=4.4)
    for ax, C in zip(axes, [0.01, 1.0]):
        model = models[C]
        plotting.plot_decision_boundary(ax, model.predict, X_train, y_train, title=f"C = {C:g}: {len(model.support_)} support vectors")
        plotting.plot_margins(ax, model.decision_function, X_train, X_train[model.support_])
        ax.legend(loc="upper left", framealpha=0.8, frameon=True)
    fig.suptitle("Linear SVM: decision line f(x) = 0 (solid), margins f(x) = +-1 (dashed)")
    plotting.show_or_save(fig, "ex11_linear_svm")


if __name__ == "__main__":
    main()
