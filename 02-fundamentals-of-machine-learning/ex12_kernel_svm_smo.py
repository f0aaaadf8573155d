"""
Exercise 12: a kernel SVM trained by SMO (sequential minimal optimisation)

Learning goals
--------------
- Move from the primal SVM (ex11) to its dual, where the data appear only
  through inner products, and replace those by a kernel: linear, polynomial, RBF.
- Solve the dual with SMO: change two multipliers at a time, picked as the
  maximal violating pair, in closed form, until the KKT conditions hold within tol.
- Read the solution: support vectors (alpha_i > 0), dual_coef_ = alpha_i y_i,
  the intercept from the free support vectors, and a curved decision boundary.

The math
--------
X has shape (n_samples, n_features) = (n, d); y_i in {-1, +1} (classes_[0] -> -1, classes_[1] -> +1). A
kernel k(x, z) is an inner product in some feature space; K[i, j] = k(x_i, x_j), (n, n):
    linear      k(x, z) = x . z
    poly        k(x, z) = (gamma x . z + coef0) ** degree
    rbf         k(x, z) = exp(-gamma ||x - z||^2)
gamma='scale' means 1 / (d * X.var()) (X.var() over all entries), as in scikit-learn.

The dual of min 0.5||w||^2 + C sum_i hinge_i is, with Q[i, j] = y_i y_j K[i, j],
    min_a  D(a) = 0.5 a^T Q a - sum_i a_i    s.t.  0 <= a_i <= C,  sum_i y_i a_i = 0,
and the decision function is f(x) = sum_i a_i y_i k(x_i, x) + b.
The gradient is G = Q a - 1, shape (n,). Write v_t = -y_t G_t and
    I_up  = {t : a_t < C, y_t = +1  or  a_t > 0, y_t = -1}   (a_t y_t can grow)
    I_low = {t : a_t < C, y_t = -1  or  a_t > 0, y_t = +1}   (a_t y_t can shrink)
a is optimal (KKT) exactly when m = max_{I_up} v <= M = min_{I_low} v: then every b in [m, M]
gives a_i = 0 -> y_i f(x_i) >= 1, 0 < a_i < C -> y_i f(x_i) = 1, a_i = C -> y_i f(x_i) <= 1,
and stopping at m - M < tol makes each hold within tol. A free vector (0 < a_i < C) lies in
both sets, so it pins b = v_i.

Algorithm
---------
SMO with the maximal violating pair (LIBSVM's "WSS1"):
1. Precompute K (fine for a few thousand points); a = 0, G = -1.
2. i = argmax_{I_up} v, j = argmin_{I_low} v. If v_i - v_j < tol, stop.
3. Move along the direction that keeps sum y a fixed: a_i += y_i t, a_j -= y_j t. D changes by
   -(v_i - v_j) t + 0.5 eta t^2, eta = K_ii + K_jj - 2 K_ij, so t = (v_i - v_j) / eta (eta <= 0,
   e.g. duplicate points: a tiny eta), clipped so both multipliers stay in [0, C].
4. Update the gradient with the two changed columns only:
   G += y * (y_i da_i K[:, i] + y_j da_j K[:, j]). Go to 2.
5. b = mean of v over the free vectors (none free: the midpoint (m + M) / 2).
Two classes only (scikit-learn trains one such machine per pair of classes, "one-vs-one").

References: J. Platt, "Sequential Minimal Optimization", MSR-TR-98-14, 1998; R.-E. Fan,
P.-H. Chen, C.-J. Lin, "Working set selection using second order information for training
SVM", JMLR 6, 2005 (WSS1); C.-C. Chang, C.-J. Lin, "LIBSVM", 2011; Bishop, PRML, ch. 7.1.
Difficulty: 3 of 3, about 60 minutes.
Run: python 02-fundamentals-of-machine-learning/ex12_kernel_svm_smo.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, ClassifierMixin
from utils.validation import as_float_array, check_fitted, check_non_negative_int, check_option
from utils.validation import check_paired_features, check_positive_int, check_positive_number, check_X, check_X_y

# %% [markdown]
# ## Implementation


# %%
def linear_kernel(X, Z):
    """K[i, j] = x_i . z_j, shape (n_x, n_z)."""
    X, Z = check_paired_features(X, Z, ("X", "Z"))
    # BEGIN SOLUTION
    # HINT 1: The Gram matrix of plain dot products, for all pairs at once.
    return X @ Z.T  # (n_x, n_z)
    # END SOLUTION


def polynomial_kernel(X, Z, degree=3, gamma=1.0, coef0=1.0):
    """K[i, j] = (gamma x_i . z_j + coef0) ** degree, shape (n_x, n_z)."""
    X, Z = check_paired_features(X, Z, ("X", "Z"))
    # BEGIN SOLUTION
    # HINT 1: A scaled, shifted dot product raised to a power.
    # HINT 2: (gamma * X @ Z.T + coef0) ** degree
    return (gamma * (X @ Z.T) + coef0) ** degree  # (n_x, n_z)
    # END SOLUTION


def rbf_kernel(X, Z, gamma=1.0):
    """K[i, j] = exp(-gamma ||x_i - z_j||^2), shape (n_x, n_z)."""
    X, Z = check_paired_features(X, Z, ("X", "Z"))
    # BEGIN SOLUTION
    # HINT 1: Expand the squared distance so the cross term is one matrix product; guard round-off.
    # HINT 2: sq = |x|^2[:, None] + |z|^2[None, :] - 2 X @ Z.T; K = exp(-gamma * max(sq, 0))
    # ||x - z||^2 = ||x||^2 + ||z||^2 - 2 x . z: one matrix product instead of an (n_x, n_z, n_features) array.
    sq = (X**2).sum(axis=1)[:, None] + (Z**2).sum(axis=1)[None, :] - 2.0 * (X @ Z.T)  # (n_x, n_z)
    # Round-off can make the expansion slightly negative for (nearly) equal points: clip at 0.
    return np.exp(-gamma * np.maximum(sq, 0.0))
    # END SOLUTION


def smo(K, y_pm, C, tol=1e-3, max_iter=100_000):
    """Solve the SVM dual for a precomputed kernel matrix K (n_samples, n_samples) by SMO (maximal violating pair).

    y_pm (n_samples,) in {-1, +1}; C > 0, the box bound; stop when the KKT violation m - M < tol.
    Returns alpha (n_samples,) in [0, C] with sum(alpha * y) = 0, the intercept b and the pair updates run.
    """
    K, y_pm = as_float_array(K, "K", ndim=2, finite=True), as_float_array(y_pm, "y_pm", ndim=1)
    if K.shape != (len(y_pm), len(y_pm)) or not np.isin(y_pm, (-1.0, 1.0)).all():
        raise ValueError(f"K must be (n, n) and y_pm (n,) in {{-1, +1}}; got {K.shape} and {y_pm.shape} {np.unique(y_pm)[:5]}")
    C, tol = check_positive_number(C, "C"), check_positive_number(tol, "tol")
    # The gradient sums up to n * C * max|K|: past ~1e300 it overflows and SMO would spin to max_iter.
    if np.abs(K).max() * C * len(K) > 1e300:
        raise ValueError(f"K has values up to {np.abs(K).max():.3g}; times C and n they overflow float64: rescale X first")
    n = len(y_pm)
    # BEGIN SOLUTION
    # HINT 1: SMO: pick the maximal violating pair (i from I_up, j from I_low), solve the 2-variable
    # HINT 1: problem exactly along the feasible direction, clip to the box, update the gradient cheaply.
    # HINT 2: v = -y * grad; i = argmax v over I_up; j = argmin v over I_low; stop when v_i - v_j < tol
    # HINT 2: t = min(gap / eta, box limits), eta = K_ii + K_jj - 2 K_ij; a_i += y_i t; a_j -= y_j t
    # HINT 3: alpha = zeros(n); grad = -ones(n); loop: pick i, j; break if gap < tol or max_iter
    # HINT 3:     eta = max(K_ii + K_jj - 2 K_ij, tiny); t = min(gap / eta, room left in the box)
    # HINT 3:     clip new alphas to [0, C]; grad += y * (y_i da_i K[:, i] + y_j da_j K[:, j])
    # HINT 3: b = mean of v over free vectors, else midpoint of max v[up] and min v[low]
    alpha = np.zeros(n)  # (n_samples,)
    grad = -np.ones(n)  # (n_samples,): G = Q a - 1 at a = 0
    diag = np.diag(K).copy()  # (n_samples,), K_ii for the curvatures
    tiny = 1e-12  # curvature used when eta <= 0 (duplicate points): still a step, and a bounded one
    n_iter = 0
    while True:
        v = -y_pm * grad  # (n_samples,)
        up = np.where(y_pm > 0, alpha < C, alpha > 0)  # (n_samples,) bool, I_up
        low = np.where(y_pm > 0, alpha > 0, alpha < C)  # (n_samples,) bool, I_low
        i = np.argmax(np.where(up, v, -np.inf))
        j = np.argmin(np.where(low, v, np.inf))
        gap = v[i] - v[j]
        if gap < tol or n_iter >= max_iter:
            break
        eta = max(diag[i] + diag[j] - 2.0 * K[i, j], tiny)
        t = gap / eta
        # Keep both multipliers inside [0, C]: a_i moves by +y_i t, a_j by -y_j t (t > 0).
        t = min(t, C - alpha[i] if y_pm[i] > 0 else alpha[i], alpha[j] if y_pm[j] > 0 else C - alpha[j])
        old_i, old_j = alpha[i], alpha[j]
        new = np.clip([old_i + y_pm[i] * t, old_j - y_pm[j] * t], 0.0, C)  # (2,)
        new[np.abs(new) < 1e-12 * C] = 0.0  # land exactly on the bounds, so "alpha > 0" means something
        new[np.abs(new - C) < 1e-12 * C] = C
        alpha[i], alpha[j] = new
        grad += y_pm * (y_pm[i] * (new[0] - old_i) * K[:, i] + y_pm[j] * (new[1] - old_j) * K[:, j])
        n_iter += 1
    free = (alpha > 0) & (alpha < C)  # (n_samples,) bool; v, up and low are those of the final alpha (the loop stopped there)
    # each free vector says b = v_i (average them against round-off); none free: the middle of [m, M]
    b = v[free].mean() if free.any() else 0.5 * (v[up].max() + v[low].min())
    return alpha, float(b), n_iter
    # END SOLUTION


class SVC(ClassifierMixin, BaseEstimator):
    """Binary kernel SVM trained by SMO (scikit-learn's SVC names; two classes only).

    kernel "linear", "poly" (degree, gamma, coef0) or "rbf" (gamma: "scale", "auto" or > 0);
    tol: SMO's KKT tolerance; max_iter: the most pair updates. Fitted: classes_ (2,) (f(x) > 0
    means classes_[1]), support_ (alpha_i > 0), support_vectors_ (n_SV, n_features),
    dual_coef_ (1, n_SV) = alpha_i y_i, intercept_ (1,), gamma_ (the gamma used), n_iter_.
    """

    _domain = {"binary_only": True}  # one decision function: two classes

    def __init__(self, C=1.0, kernel="rbf", degree=3, gamma="scale", coef0=0.0, tol=1e-3, max_iter=100_000):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.max_iter = max_iter

    def _kernel(self, X, Z):
        if self.kernel == "linear":
            return linear_kernel(X, Z)
        if self.kernel == "poly":
            return polynomial_kernel(X, Z, self.degree, self.gamma_, self.coef0)
        return rbf_kernel(X, Z, self.gamma_)

    def fit(self, X, y):
        X, y = check_X_y(X, y, classification=True)
        self.classes_, y_index = np.unique(y, return_inverse=True)  # sorted; y_index in {0, 1}
        if len(self.classes_) != 2:
            raise ValueError(f"Only binary classification is supported: SVC needs exactly 2 classes in y; got {len(self.classes_)} class(es) {self.classes_[:5]} in the {len(y)} sample(s) of X")
        y_pm = 2.0 * y_index - 1.0  # (n_samples,): classes_[0] -> -1, classes_[1] -> +1
        check_option(self.kernel, "kernel", ("linear", "poly", "rbf"))
        check_non_negative_int(self.degree, "degree")
        check_positive_int(self.max_iter, "max_iter")
        check_positive_number(self.tol, "tol", allow_zero=True)  # 0: run all max_iter steps
        check_positive_number(self.C, "C")
        if self.gamma == "scale":  # 1 / (d X.var()); 1 for a constant X, as scikit-learn does
            self.gamma_ = 1.0 / (X.shape[1] * X.var()) if X.var() > 0 else 1.0
        elif self.gamma == "auto":
            self.gamma_ = 1.0 / X.shape[1]
        elif isinstance(self.gamma, (int, float)) and self.gamma > 0:
            self.gamma_ = float(self.gamma)
        else:
            raise ValueError(f"gamma must be 'scale', 'auto' or a positive number; got {self.gamma!r}")
        K = self._kernel(X, X)  # (n_samples, n_samples), computed once: SMO reads two columns per step
        alpha, b, self.n_iter_ = smo(K, y_pm, self.C, self.tol, self.max_iter)
        # BEGIN SOLUTION
        # HINT 1: Keep only the multipliers that are non-zero: those points are the support vectors.
        # HINT 2: support_ = flatnonzero(alpha > 0); dual_coef_ = (alpha * y_pm)[support_][None, :]
        self.support_ = np.flatnonzero(alpha > 0)  # (n_SV,)
        self.support_vectors_ = X[self.support_]  # (n_SV, n_features)
        self.dual_coef_ = (alpha * y_pm)[self.support_][None, :]  # (1, n_SV)
        self.intercept_ = np.array([b])  # (1,)
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X):
        """f(x) = sum over support vectors of dual_coef * k(sv, x) + intercept, shape (n_samples,)."""
        check_fitted(self, "dual_coef_")
        X = check_X(X, self.support_vectors_.shape[1], owner=f"this {type(self).__name__}")
        # BEGIN SOLUTION
        # HINT 1: The decision is a kernel-weighted sum over support vectors plus the intercept.
        # HINT 2: f(X) = K(X, support_vectors_) @ dual_coef_[0] + intercept_[0]
        return self._kernel(X, self.support_vectors_) @ self.dual_coef_[0] + self.intercept_[0]  # (n_samples,)
        # END SOLUTION

    def predict(self, X):
        """classes_[1] where f(x) > 0, else classes_[0]."""
        check_fitted(self, "dual_coef_")
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


# %% [markdown]
# ## Demo


# %%
def main():
    from sklearn.svm import SVC as SklearnSVC  # compare with the library
    moons = data.make_moons(200, noise=0.2, random_state=0)
    circles = data.make_circles(200, noise=0.1, factor=0.4, random_state=0)
    settings = [("moons", moons, dict(kernel="rbf", C=1.0)), ("moons", moons, dict(kernel="rbf", C=100.0)),
                ("circles", circles, dict(kernel="poly", degree=2, gamma=1.0, coef0=1.0, C=1.0))]
    print(f"{'data':<8} {'kernel':<7} {'C':>5} {'SVs':>4} {'SMO steps':>9} {'test acc':>8} {'sklearn acc':>11} {'max |f - f_sklearn|':>20}")
    fig, axes = plotting.new_figure(1, 3, width=4.4, height=4.2, layout="constrained")
    for ax, (name, (X, y), params) in zip(axes, settings):
        X_train, X_test, y_train, y_test = data.train_test_split(X, y, random_state=0)
        model = SVC(tol=1e-5, **params).fit(X_train, y_train)
        reference = SklearnSVC(tol=1e-5, **params).fit(X_train, y_train)
        diff = np.abs(model.decision_function(X_test) - reference.decision_function(X_test)).max()
        print(f"{name:<8} {params['kernel']:<7} {params['C']:>5g} {len(model.support_):>4d} {model.n_iter_:>9d} "
              f"{model.score(X_test, y_test):>8.3f} {reference.score(X_test, y_test):>11.3f} {diff:>20.1e}")
        plotting.plot_decision_boundary(ax, model.predict, X_train, y_train, resolution=150,
                                        title=f"{name}: {params['kernel']}, C = {params['C']:g}, {len(model.support_)} SVs")
        plotting.plot_margins(ax, model.decision_function, X_train, model.support_vectors_)
    axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3)
    fig.suptitle("Kernel SVM by SMO: f(x) = 0 (solid), f(x) = +-1 (dashed), support vectors circled")
    plotting.show_or_save(fig, "ex12_kernel_svm_smo")


if __name__ == "__main__":
    main()
