"""
Exercise 04: softmax regression (multinomial logistic regression)

Learning goals
--------------
- Turn K scores into K probabilities with a stable softmax (and log-sum-exp for the logs).
- Derive the famous gradient of softmax + cross-entropy, (probabilities - one-hot).
- Train a K-class linear classifier (L2 penalty) by gradient descent and by Newton's method.

The math
--------
X has shape (n_samples, n_features) = (n, d), labels y_i in {0, ..., K-1} (K = n_classes), weights W (d, K), intercepts b (K,):
    Z = X W + b                (n, K)
    P_ik = exp(Z_ik) / sum_j exp(Z_ij)   (softmax of each row; rows sum to 1).

Softmax does not change when a constant is added to a row, so we subtract the row maximum
before exp: nothing overflows. With the one-hot Y, the mean cross-entropy
CE = -(1/n) sum_i log P_{i, y_i} (log P_{i, y_i} = Z_{i, y_i} - logsumexp(Z_i)) has the gradient
dCE/dZ = (P - Y) / n, shape (n, K). Like scikit-learn we minimise f = CE + ||W||^2 / (2 C n):
    df/dW = X^T (P - Y) / n + W / (C n)      (d, K)
    df/db = sum_i (P_i - Y_i) / n            (K,)    (the intercepts are not penalised).

Per sample, the Hessian of the cross-entropy in the scores is diag(p) - p p^T (p = P_i, (K,)),
with eigenvalues at most 1/2 (Boehning, 1992): with A = [X 1] of shape (n, p) the step
1 / L, L = 0.5 * lambda_max(A^T A / n) + 1 / (C n), always lowers f. Newton's method needs
the whole Hessian in Theta = [W; b] (shape (p, K)): a (p K) x (p K) matrix, see softmax_hessian.

Algorithm
---------
1. classes_ = the sorted labels; encode y as indices 0..K-1. Start from W = 0, b = 0.
2. Until max |gradient| <= tol: gd: (W, b) -= lr * gradient; newton: solve H step =
   -gradient, then halve the step until f falls enough (the line search of ex03).
3. predict_proba = softmax(X W + b); predict = classes_[argmax].

References: C. M. Bishop, Pattern Recognition and Machine Learning, 2006, ch. 4.3.4; D. Boehning,
"Multinomial logistic regression algorithm", Ann. Inst. Stat. Math. 44, 1992; CS231n notes.
Difficulty: 2 of 3, about 50 minutes.
Run: python 02-fundamentals-of-machine-learning/ex04_softmax_regression.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, ClassifierMixin
from utils.validation import as_float_array, check_fitted, check_linear_model, check_option
from utils.validation import check_positive_int, check_positive_number, check_same_length, check_X, check_X_y

# %% [markdown]
# ## Implementation: softmax and cross-entropy, the Hessian for Newton's method, the classifier


# %%
def softmax(Z):
    """Row-wise softmax of scores Z of shape (n_samples, n_classes); each row of the result sums to 1."""
    Z = as_float_array(Z, "Z", ndim=2, allow_empty=False)
    # BEGIN SOLUTION
    # HINT 1: Shift each row by its max before exp: probabilities are unchanged and nothing overflows.
    # HINT 2: E = exp(Z - Z.max(axis=1, keepdims=True)); P = E / E.sum(axis=1, keepdims=True)
    shifted = Z - Z.max(axis=1, keepdims=True)  # (n_samples, n_classes), every entry <= 0: exp cannot overflow
    E = np.exp(shifted)  # (n_samples, n_classes), the row maximum becomes exp(0) = 1, so each row sum is >= 1
    return E / E.sum(axis=1, keepdims=True)  # (n_samples, n_classes)
    # END SOLUTION


def log_softmax(Z):
    """Row-wise log of the softmax, log P = Z - logsumexp(Z), without taking log(0)."""
    Z = as_float_array(Z, "Z", ndim=2, allow_empty=False)
    # BEGIN SOLUTION
    # HINT 1: Take the log analytically instead of log(softmax): log-sum-exp of the shifted row.
    # HINT 2: shifted = Z - rowmax; log P = shifted - log(sum(exp(shifted), axis=1, keepdims=True))
    shifted = Z - Z.max(axis=1, keepdims=True)  # (n_samples, n_classes)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (n_samples, n_classes); the sum is >= 1
    # END SOLUTION


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of softmax(logits) against integer labels, and its gradient.

    logits : (n_samples, n_classes); y : (n_samples,) integer class indices in 0..K-1. Returns the loss
    -(1/n) sum_i log softmax(logits)_{i, y_i} and dlogits = (softmax(logits) - one_hot(y)) / n, (n_samples, n_classes).
    """
    logits, y = as_float_array(logits, "logits", ndim=2, allow_empty=False), np.asarray(y)
    K = logits.shape[1]
    if y.ndim != 1 or y.size == 0 or not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= K:
        raise ValueError(f"y must be integer class indices in 0..{K - 1} of shape (n,); got {y.dtype} values of shape {y.shape}")
    check_same_length(logits, y, ("logits", "y"))
    n = len(y)
    # BEGIN SOLUTION
    # HINT 1: Use log_softmax for the loss; the gradient in the logits is probabilities minus one-hot, / n.
    # HINT 2: loss = -mean(log_p[arange(n), y]); dlogits = (exp(log_p) - onehot(y)) / n
    # HINT 3: log_p = log_softmax(logits); loss = -log_p[np.arange(n), y].mean()
    # HINT 3: d = np.exp(log_p); d[np.arange(n), y] -= 1.0; return float(loss), d / n
    log_p = log_softmax(logits)  # (n_samples, n_classes)
    loss = -log_p[np.arange(n), y].mean()
    dlogits = np.exp(log_p)  # (n_samples, n_classes), the probabilities
    dlogits[np.arange(n), y] -= 1.0  # P - Y without building Y
    return float(loss), dlogits / n
    # END SOLUTION


def softmax_loss(W, b, X, y, C=1.0):
    """The penalised objective f = CE + ||W||^2 / (2 C n) and its gradients.

    W : (n_features, n_classes); b : (n_classes,); X : (n_samples, n_features); y : (n_samples,) integer
    class indices; C > 0 (np.inf: no penalty). Returns f, dW (n_features, n_classes) and db (n_classes,).
    """
    W, b, X, y = check_linear_model(W, b, X, y, labels=True, multi_output=True)
    n = len(X)
    # BEGIN SOLUTION
    # HINT 1: Data term from softmax_cross_entropy on the scores X @ W + b; add the L2 term on W only.
    # HINT 2: f = CE + sum(W * W) / (2 C n); dW = X.T @ dZ + W / (C n); db = dZ.sum(axis=0)
    # HINT 3: loss, dZ = softmax_cross_entropy(X @ W + b, y) (dZ already / n); then f, dW, db as above
    loss, dZ = softmax_cross_entropy(X @ W + b, y)  # dZ: (n_samples, n_classes), already divided by n
    dW = X.T @ dZ + W / (C * n)  # (n_features, n_classes)
    return float(loss + np.sum(W * W) / (2.0 * C * n)), dW, dZ.sum(axis=0)  # f, dW, db (n_classes,)
    # END SOLUTION


def softmax_hessian(A, P, penalty):
    """Hessian of f with respect to Theta = [W; b] (rows of parameters, one column per class).

    A : (n_samples, p), the design matrix ([X 1] with an intercept, else X); P : (n_samples, n_classes), the
    current probabilities; penalty : (p,), 1 / (C n) for a penalised row of Theta, 0 for
    the intercept. Returns H of shape (p K, p K) in the order of Theta.ravel() (entry
    (a, k) of Theta is position a K + k). Per sample the cross-entropy Hessian in the
    scores is diag(P_i) - P_i P_i^T; in Theta it becomes

            H[(a,k), (c,l)] = (1/n) sum_i A_ia A_ic (P_ik [k = l] - P_ik P_il) + penalty_a [a = c][k = l].
    """
    (n, p), K = A.shape, P.shape[1]
    # BEGIN SOLUTION
    # HINT 1: Build the (p K, p K) matrix from products, no loop over samples: first the
    # HINT 1: rank-n part, then add the class-diagonal blocks and the penalty on the diagonal.
    # HINT 2: M[i, a*K + k] = A_ia P_ik (n, pK); the -P_ik P_il part is -(M.T @ M) / n; the [k = l]
    # HINT 2: part is D[a, c, k] = (1/n) sum_i A_ia A_ic P_ik = (A.T @ M / n).reshape(p, p, K)
    # HINT 3: M = (A[:, :, None] * P[:, None, :]).reshape(n, p * K); H = -(M.T @ M) / n
    # HINT 3: D = (A.T @ M / n).reshape(p, p, K); H4 = H.reshape(p, K, p, K)  # a view into H
    # HINT 3: H4[:, k, :, k] += D[:, :, k] for every k (one assignment); H[diagonal] += np.repeat(penalty, K)
    M = (A[:, :, None] * P[:, None, :]).reshape(n, p * K)  # (n_samples, p K), M[i, a K + k] = A_ia P_ik
    H = -(M.T @ M) / n  # (p K, p K), the - P_ik P_il part
    D = (A.T @ M / n).reshape(p, p, K)  # (p, p, n_classes), D[a, c, k] = (1/n) sum_i A_ia A_ic P_ik
    H4 = H.reshape(p, K, p, K)  # a view: writing to it writes to H
    H4[:, np.arange(K), :, np.arange(K)] += D.transpose(2, 0, 1)  # the diagonal-in-class part, (n_classes, p, p)
    H[np.diag_indices(p * K)] += np.repeat(penalty, K)  # the L2 term, one per entry of Theta
    return H
    # END SOLUTION


class SoftmaxRegression(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression with an L2 penalty.

    C > 0: the inverse penalty strength (np.inf: none). solver "newton": Newton's method with a
    line search (its (K p) x (K p) Hessian suits up to about a thousand parameters); "gd": steps of
    1 / L. Stops when max |gradient of f| <= tol. Fitted: classes_ (n_classes,),
    coef_ (n_classes, n_features), intercept_ (n_classes,) summing to 0, n_iter_, loss_curve_ (f per iteration).
    """

    def __init__(self, C=1.0, fit_intercept=True, solver="newton", max_iter=100, tol=1e-8):
        self.C = C
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y):
        """Learn classes_, coef_ and intercept_ from X (n_samples, n_features) and labels y; returns self."""
        if not self.C > 0:  # np.inf is allowed: no penalty
            raise ValueError(f"C must be a positive number (np.inf for no penalty); got {self.C}")
        check_option(self.solver, "solver", ("newton", "gd"))
        check_positive_int(self.max_iter, "max_iter")
        check_positive_number(self.tol, "tol", allow_zero=True)  # 0: run all max_iter steps
        X, y = check_X_y(X, y, classification=True)
        classes, y_idx = np.unique(y, return_inverse=True)  # y_idx: (n_samples,), indices into classes
        if len(classes) < 2:
            raise ValueError(f"y has 1 class ({classes}) in the {len(y)} sample(s) of X; SoftmaxRegression needs at least two classes")
        self.classes_ = classes
        (n, d), K = X.shape, len(classes)
        A = np.column_stack([X, np.ones(n)]) if self.fit_intercept else X  # (n_samples, p)
        p = A.shape[1]
        penalty = np.where(np.arange(p) < d, 1.0 / (self.C * n), 0.0)  # (p,): 0 for the intercepts, 0 when C is inf
        theta = np.zeros((p, K))  # (p, n_classes): W (n_features, n_classes) stacked over b (the last row, with an intercept)
        # BEGIN SOLUTION
        # HINT 1: W and b live in one Theta (p, K); loop until max |gradient| <= tol or max_iter steps.
        # HINT 2: gd: theta -= lr * grad, lr = 1 / L with L = 0.5 * lambda_max(A.T A / n) + max(penalty)
        # HINT 2: newton: solve H step = -grad (H from softmax_hessian), then a backtracking line search
        # HINT 3: objective(t) = softmax_loss on t[:d] and t[d] (or 0) -> f, grad as (p, K)
        # HINT 3: while n_iter < max_iter and max|grad| > tol: gd: theta -= lr * grad; re-evaluate; newton:
        # HINT 3: H = softmax_hessian(...) + 1/K on unpenalised blocks; step = solve(H, -g); line search

        def objective(t):  # f and its gradient (p, n_classes) at Theta = t
            f, dW, db = softmax_loss(t[:d], t[d] if self.fit_intercept else 0.0, X, y_idx, self.C)
            return f, (np.vstack([dW, db]) if self.fit_intercept else dW)

        f, grad = objective(theta)
        self.loss_curve_ = [f]
        if self.solver == "gd":
            lr = 1.0 / (0.5 * np.linalg.eigvalsh(A.T @ A / n)[-1] + penalty.max())  # 1 / L, the curvature bound
        n_iter = 0
        while n_iter < self.max_iter and np.abs(grad).max() > self.tol:
            if self.solver == "gd":
                theta = theta - lr * grad
                f, grad = objective(theta)
            else:
                H = softmax_hessian(A, softmax(A @ theta), penalty)  # (p K, p K)
                # Softmax ignores adding one number to all K scores, so an unpenalised row of Theta (the intercepts)
                # can shift along (1, ..., 1) without changing f: H is singular there. The gradient has no part along
                # it, so adding (1/K) 1 1^T makes H invertible without changing the step; the intercepts sum to 0.
                for a in np.flatnonzero(penalty == 0):
                    H[a * K : (a + 1) * K, a * K : (a + 1) * K] += 1.0 / K
                g = grad.ravel()  # (p K,)
                try:
                    step = np.linalg.solve(H, -g).reshape(p, K)  # solve, not inv
                except np.linalg.LinAlgError:  # saturated probabilities: fall back to least squares
                    step = np.linalg.lstsq(H, -g, rcond=None)[0].reshape(p, K)
                t = 1.0  # backtracking (ex03): halve the step until f falls enough (Armijo's rule)
                while True:
                    f_new, grad_new = objective(theta + t * step)
                    if f_new <= f + 1e-4 * t * (g @ step.ravel()) or t < 1e-12:
                        break
                    t *= 0.5
                theta, f, grad = theta + t * step, f_new, grad_new
            self.loss_curve_.append(f)
            n_iter += 1
        self.n_iter_ = n_iter
        # END SOLUTION
        self.coef_, self.n_features_in_ = theta[:d].T, d  # coef_: (n_classes, n_features), scikit-learn's layout
        self.intercept_ = theta[d].copy() if self.fit_intercept else np.zeros(K)  # (n_classes,)
        return self

    def decision_function(self, X):
        """The class scores X W + b, shape (n_samples, n_classes)."""
        check_fitted(self, "coef_")
        X = check_X(X, self.n_features_in_, owner=f"this {type(self).__name__}")
        return X @ self.coef_.T + self.intercept_  # (n_samples, n_classes); coef_ is stored as (n_classes, n_features)

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes), columns in the order of classes_."""
        return softmax(self.decision_function(X))

    def predict(self, X):
        """The most probable label for each row, shape (n_samples,)."""
        scores = self.decision_function(X)  # (n_samples, n_classes); checks that the model is fitted
        return self.classes_[np.argmax(scores, axis=1)]  # (n_samples,)


# %% [markdown]
# ## Demo


# %%
def main():
    X, y, feature_names, target_names = data.load_iris(return_names=True)
    species = np.array(target_names)[y]  # string labels: the classifier keeps them in classes_
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, species, test_size=0.3, random_state=0)
    from sklearn.preprocessing import StandardScaler  # the scaler of module 04, from the library
    X_tr, X_te = map(StandardScaler().fit(X_tr).transform, (X_tr, X_te))  # fitted on the training part only
    newton = SoftmaxRegression(C=1.0).fit(X_tr, y_tr)
    gd = SoftmaxRegression(C=1.0, solver="gd", max_iter=3000, tol=1e-7).fit(X_tr, y_tr)
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression  # same objective, same C
    sk = SkLogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(X_tr, y_tr)
    print(f"Iris, 4 standardised features, C = 1\n{'solver':<9}{'iterations':>11}{'f':>10}{'test acc':>10}")
    for name, m in [("newton", newton), ("gd", gd)]:
        print(f"{name:<9}{m.n_iter_:>11}{m.loss_curve_[-1]:>10.5f}{m.score(X_te, y_te):>10.3f}")
    gap = np.abs(sk.predict_proba(X_te) - newton.predict_proba(X_te)).max()
    print(f"sklearn  test acc {sk.score(X_te, y_te):.3f}, max |P - P_sklearn| = {gap:.1e}")

    cols = [2, 3]  # petal length and width: two features, so the three regions can be drawn
    model2 = SoftmaxRegression(C=1.0).fit(X_tr[:, cols], y_tr)
    fig, ax = plotting.new_figure(width=5.5, height=4.5)
    plotting.plot_decision_boundary(ax, model2.predict, X_tr[:, cols], y_tr)
    ax.set(xlabel=f"{feature_names[2]} (standardised)", ylabel=f"{feature_names[3]} (standardised)",
           title="Softmax regression: three linear decision regions")
    ax.legend(loc="upper left")
    plotting.show_or_save(fig, "ex04_softmax_regression")


if __name__ == "__main__":
    main()
