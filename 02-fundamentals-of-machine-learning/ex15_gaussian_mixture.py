"""
Exercise 15: Gaussian mixture models fitted by expectation-maximisation (EM)

Learning goals
--------------
- Fit a mixture of k Gaussians with EM: soft assignments (E-step), weighted averages (M-step).
- Compute log-densities stably with a Cholesky factor, responsibilities with log-sum-exp.
- See why the log-likelihood never decreases, and why a small reg_covar keeps a
  component from collapsing onto duplicate points.

The math
--------
X has shape (n_samples, n_features) = (n, d). A mixture of k = n_components Gaussians: weights pi (k,), means mu (k, d) and covariances
Sigma (k, d, d) has the density p(x) = sum_j pi_j N(x | mu_j, Sigma_j), with
    log N(x | mu, Sigma) = -0.5 (d log(2 pi) + log det Sigma + (x - mu)^T Sigma^{-1} (x - mu)).
With the Cholesky factor Sigma = L L^T: solve L z = x - mu; the quadratic form is ||z||^2
and log det Sigma = 2 sum_i log L_ii. No inverse, no det() (it under- or overflows).

E-step: responsibilities r_ij = pi_j N(x_i | j) / sum_l pi_l N(x_i | l), in logs:
log r_ij = a_ij - logsumexp_l(a_il), a_ij = log pi_j + log N(x_i | j), with
logsumexp(a) = max(a) + log(sum(exp(a - max(a)))): exp never overflows, the sum is >= 1.
M-step: N_j = sum_i r_ij,  pi_j = N_j / n,  mu_j = sum_i r_ij x_i / N_j,
    Sigma_j = sum_i r_ij (x_i - mu_j)(x_i - mu_j)^T / N_j + reg_covar * I
("diag": only the diagonal of that). EM never lowers the mean log-likelihood
L = (1/n) sum_i log p(x_i) (the E-step makes Jensen's lower bound tight, the M-step maximises
it). Without reg_covar, a component on duplicate points would shrink to zero volume, L to +inf.

Algorithm
---------
1. Start from responsibilities: one-hot labels of k-means (init_params="kmeans")
   or random rows that sum to 1 ("random"); an M-step turns them into parameters.
2. Repeat: E-step (record L), M-step; stop when L changes by less than tol.
3. Do it n_init times and keep the run with the highest L.

References: A. Dempster, N. Laird, D. Rubin, "Maximum likelihood from incomplete data via the EM
algorithm", JRSS-B 39(1), 1977; Bishop, Pattern Recognition and ML, sec. 9.2.
Builds on: 02-fundamentals-of-machine-learning/ex13_kmeans.py (kmeans).
Difficulty: 3 of 3, about 50 minutes.
Run: python 02-fundamentals-of-machine-learning/ex15_gaussian_mixture.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.base import BaseEstimator
from utils.validation import as_float_array, check_fitted, check_option, check_positive_int, check_positive_number, check_X

# EM starts from the clusters of k-means (init_params="kmeans").
kmeans = utils.load_exercise("02-fundamentals-of-machine-learning/ex13_kmeans.py", practice=False)

# %% [markdown]
# ## Implementation


# %%
def as_full(covariances, n_features):
    """Covariances as full matrices (n_components, n_features, n_features): "diag" ones, shape (n_components, n_features), become diagonal matrices."""
    covariances = as_float_array(covariances, "covariances")
    return np.eye(n_features) * covariances[:, None, :] if covariances.ndim == 2 else covariances  # (n_components, n_features, n_features)


def log_gaussian_density(X, means, covariances):
    """log N(x_i | mu_j, Sigma_j) for every point and component, shape (n_samples, n_components); covariances (n_components, n_features, n_features)
    ("full") or (n_components, n_features) ("diag"). Raises ValueError if a covariance is not positive definite."""
    n, d = X.shape
    covariances = as_full(covariances, d)  # (n_components, n_features, n_features)
    try:
        chol = np.linalg.cholesky(covariances)  # (n_components, n_features, n_features), lower triangular, Sigma_j = L_j L_j^T
    except np.linalg.LinAlgError:
        raise ValueError("a covariance matrix is not positive definite (a component collapsed onto too few or "
                         "duplicate points); increase reg_covar") from None
    # BEGIN SOLUTION
    # HINT 1: Use the Cholesky factor chol: a triangular solve gives the Mahalanobis distance, and
    # HINT 1: the log-determinant is twice the sum of log diagonal entries. No inverse, no det.
    # HINT 2: z = solve(L_j, x - mu_j); quad = sum(z**2); log N = -0.5 (d log 2pi + log|Sigma_j| + quad)
    # HINT 3: diff = X[None] - means[:, None]   # (k, n, d)
    # HINT 3: z = np.linalg.solve(chol, diff.transpose(0, 2, 1)); quad = (z**2).sum(axis=1)  # (k, n)
    # HINT 3: log_det = 2 * log(diagonal(chol)).sum(1); return (-0.5 * (d log 2pi + log_det[:, None] + quad)).T
    diff = X[None, :, :] - means[:, None, :]  # (n_components, n_samples, n_features)
    z = np.linalg.solve(chol, diff.transpose(0, 2, 1))  # (n_components, n_features, n_samples): L_j z = x - mu_j, no inverse formed
    quad = (z**2).sum(axis=1)  # (n_components, n_samples), the squared Mahalanobis distances
    log_det = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)  # (n_components,)
    return (-0.5 * (d * np.log(2.0 * np.pi) + log_det[:, None] + quad)).T  # (n_samples, n_components)
    # END SOLUTION


def logsumexp(a, axis=-1):
    """log(sum(exp(a))) along an axis, without overflow or log(0)."""
    a = as_float_array(a, "a")
    if a.ndim == 0 or a.shape[axis] == 0:
        raise ValueError(f"a must have at least one entry along axis {axis}; got shape {a.shape}")
    # BEGIN SOLUTION
    # HINT 1: Subtract the max along the axis before exponentiating; add it back outside the log.
    # HINT 2: top + log(sum(exp(a - top), axis)), then drop the kept axis
    top = a.max(axis=axis, keepdims=True)  # subtract the max: every exp(a - top) <= 1, the largest is 1
    return (top + np.log(np.exp(a - top).sum(axis=axis, keepdims=True))).squeeze(axis)
    # END SOLUTION


def e_step(X, weights, means, covariances):
    """The mean log-likelihood (float) and the log-responsibilities (n_samples, n_components), each row's exp summing to 1."""
    # BEGIN SOLUTION
    # HINT 1: Work in log space: log weight + log density per component, normalise each row by log p(x).
    # HINT 2: weighted = log N(x | mu_j, Sigma_j) + log pi_j; log_norm = logsumexp(weighted, 1);
    # HINT 2: log_resp = weighted - log_norm[:, None]; lower bound = mean(log_norm)
    weighted = log_gaussian_density(X, means, covariances) + np.log(weights)[None, :]  # (n_samples, n_components)
    log_norm = logsumexp(weighted, axis=1)  # (n_samples,), log p(x_i)
    return float(log_norm.mean()), weighted - log_norm[:, None]
    # END SOLUTION


def m_step(X, resp, reg_covar, covariance_type="full"):
    """Weights (n_components,), means (n_components, n_features) and covariances ((n_components, n_features, n_features) or (n_components, n_features)) from responsibilities (n_samples, n_components)."""
    n, d = X.shape
    # BEGIN SOLUTION
    # HINT 1: Weighted versions of the usual estimates, each sample weighted by its responsibility.
    # HINT 2: N_j = sum_i r_ij; pi_j = N_j / n; mu_j = (resp.T @ X) / N_j
    # HINT 2: Sigma_j = sum_i r_ij (x_i - mu_j)(x_i - mu_j)^T / N_j + reg_covar I (diag: only the diagonal)
    # HINT 3: counts = resp.sum(0) + 10 eps; weights = counts / n; means = resp.T @ X / counts; diff = X[None] -
    # HINT 3: means[:, None]; weighted = resp.T[:, :, None] * diff (k, n, d); full: weighted.transpose(0, 2, 1) @
    # HINT 3: diff / counts + reg_covar * eye(d); diag: (weighted * diff).sum(1) / counts + reg_covar
    counts = resp.sum(axis=0) + 10 * np.finfo(float).eps  # (n_components,), N_j; the eps keeps an empty component finite
    weights = counts / n  # (n_components,)
    means = (resp.T @ X) / counts[:, None]  # (n_components, n_features)
    diff = X[None, :, :] - means[:, None, :]  # (n_components, n_samples, n_features)
    weighted = resp.T[:, :, None] * diff  # (n_components, n_samples, n_features), r_ij (x_i - mu_j)
    if covariance_type == "full":
        covariances = weighted.transpose(0, 2, 1) @ diff / counts[:, None, None]  # (n_components, n_features, n_features)
        covariances += reg_covar * np.eye(d)
    else:
        covariances = (weighted * diff).sum(axis=1) / counts[:, None] + reg_covar  # (n_components, n_features)
    return weights / weights.sum(), means, covariances
    # END SOLUTION


class GaussianMixture(BaseEstimator):
    """Gaussian mixture fitted by EM (scikit-learn's names).

    covariance_type "full" or "diag"; tol: stop when the mean log-likelihood changes by less;
    reg_covar >= 0 is added to the covariance diagonals; max_iter EM steps per run; n_init runs
    (the best kept) from init_params "kmeans" or "random". Fitted: weights_ (n_components,), means_ (n_components, n_features),
    covariances_ (n_components, n_features, n_features), or (n_components, n_features) for "diag", converged_, n_iter_, lower_bound_ (the best
    run's final mean log-likelihood) and lower_bounds_ (its value at each EM step).
    """

    def __init__(self, n_components=1, covariance_type="full", tol=1e-3, reg_covar=1e-6, max_iter=100, n_init=1,
                 init_params="kmeans", random_state=None):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.random_state = random_state

    def _check_params(self, X):
        check_positive_int(self.n_components, "n_components")
        check_positive_int(self.max_iter, "max_iter")
        check_positive_number(self.tol, "tol", allow_zero=True)  # 0: run all max_iter steps
        if self.n_components > len(X):
            raise ValueError(f"n_samples={len(X)} should be >= n_components={self.n_components}")
        check_option(self.covariance_type, "covariance_type", ("full", "diag"))
        check_option(self.init_params, "init_params", ("kmeans", "random"))
        check_positive_number(self.reg_covar, "reg_covar", allow_zero=True)
        check_positive_int(self.n_init, "n_init")

    def _initial_resp(self, X, rng):  # responsibilities (n_samples, n_components) to start from
        k = self.n_components
        if self.init_params == "random":
            resp = rng.uniform(size=(len(X), k))  # (n_samples, n_components)
            return resp / resp.sum(axis=1, keepdims=True)
        labels = kmeans.KMeans(n_clusters=k, n_init=1, random_state=rng).fit(X).labels_
        return np.eye(k)[labels]  # (n_samples, n_components), one-hot

    def _run_em(self, X, resp):
        """One EM run from the responsibilities resp (n_samples, n_components). Returns the last mean log-likelihood, the
        parameters (weights, means, covariances) after the last M-step, its history, and converged."""
        # BEGIN SOLUTION
        # HINT 1: Start from an M-step on the initial responsibilities, then alternate E and M steps.
        # HINT 2: lower_bound, log_resp = e_step(X, *params); params = m_step(X, exp(log_resp), ...)
        # HINT 3: params = m_step(X, resp, ...); lower_bound = -inf; repeat max_iter: previous = lower_bound;
        # HINT 3: lower_bound, log_resp = e_step(X, *params); params = m_step(X, np.exp(log_resp), ...); record;
        # HINT 3: stop once |lower_bound - previous| < tol
        params = m_step(X, resp, self.reg_covar, self.covariance_type)
        history, converged, lower_bound = [], False, -np.inf
        for _ in range(self.max_iter):
            previous = lower_bound
            lower_bound, log_resp = e_step(X, *params)
            params = m_step(X, np.exp(log_resp), self.reg_covar, self.covariance_type)
            history.append(lower_bound)
            if abs(lower_bound - previous) < self.tol:
                converged = True
                break
        return lower_bound, params, history, converged
        # END SOLUTION

    def fit(self, X, y=None):
        X = check_X(X)
        self._check_params(X)
        rng = data.as_rng(self.random_state)
        runs = [self._run_em(X, self._initial_resp(X, rng)) for _ in range(self.n_init)]  # n_init EM runs
        best = max(runs, key=lambda run: run[0])  # the highest final likelihood (the first, on a tie)
        self.lower_bound_, (self.weights_, self.means_, self.covariances_), self.lower_bounds_, self.converged_ = best
        self.n_iter_, self.n_features_in_ = len(self.lower_bounds_), X.shape[1]
        return self

    def _checked(self, X):  # X for a fitted model, with the features seen in fit
        check_fitted(self, "means_")
        return check_X(X, self.means_.shape[1], owner=f"this {type(self).__name__}")

    def score_samples(self, X):
        """log p(x) for each row, shape (n_samples,)."""
        weighted = log_gaussian_density(self._checked(X), self.means_, self.covariances_) + np.log(self.weights_)  # (n_samples, n_components)
        return logsumexp(weighted, axis=1)

    def score(self, X, y=None):
        """The mean log-likelihood of X."""
        return float(self.score_samples(X).mean())

    def predict_proba(self, X):
        """Responsibilities p(component j | x), shape (n_samples, n_components); rows sum to 1."""
        return np.exp(e_step(self._checked(X), self.weights_, self.means_, self.covariances_)[1])

    def predict(self, X):
        """The most responsible component for each row."""
        return self.predict_proba(X).argmax(axis=1)

    def fit_predict(self, X, y=None):
        return self.fit(X).predict(X)


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    true_means = np.array([[0.0, 0.0], [5.0, 4.0], [-2.5, 5.0]])  # (3, 2)
    true_covs = np.array([[[4.0, 1.8], [1.8, 1.0]], [[0.5, 0.0], [0.0, 2.5]], [[1.0, -0.6], [-0.6, 1.0]]])  # (3, 2, 2)
    X = np.vstack([rng.multivariate_normal(m, c, size=s) for m, c, s in zip(true_means, true_covs, [300, 150, 150])])  # (600, 2)
    models = {"full, k-means start": GaussianMixture(3, tol=1e-6, random_state=0).fit(X),
              "full, random start": GaussianMixture(3, tol=1e-6, init_params="random", random_state=0).fit(X),
              "diag, k-means start": GaussianMixture(3, covariance_type="diag", tol=1e-6, random_state=0).fit(X)}
    from sklearn.mixture import GaussianMixture as SklearnGaussianMixture  # compare with the library
    reference = SklearnGaussianMixture(3, tol=1e-6, random_state=0).fit(X)
    print(f"{'model':<20} {'EM steps':>8} {'mean log-likelihood':>20}")
    for name, model in models.items():
        print(f"{name:<20} {model.n_iter_:>8d} {model.lower_bound_:>20.4f}")
    print(f"{'sklearn, full':<20} {reference.n_iter_:>8d} {reference.score(X):>20.4f}")
    full = models["full, k-means start"]
    print(f"true weights 0.5, 0.25, 0.25; fitted {np.round(np.sort(full.weights_)[::-1], 3)}")

    fig, (ax, ax_l) = plotting.new_figure(1, 2, width=4.8, height=4.2, layout="constrained")
    plotting.plot_clusters(ax, X, full.predict(X))
    for j in range(full.n_components):
        plotting.plot_gaussian_ellipses(ax, full.means_[j], full.covariances_[j])
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal", title="Mahalanobis distance 1 (solid) and 2 (dashed)")
    ax.legend(title="component", loc="lower right")
    plotting.plot_loss_curves(ax_l, {name: m.lower_bounds_ for name, m in models.items()}, xlabel="EM step",
                              ylabel="mean log-likelihood L", title="EM never lowers the likelihood")
    plotting.show_or_save(fig, "ex15_gaussian_mixture")


if __name__ == "__main__":
    main()
