"""
Exercise 06: naive Bayes, Gaussian and multinomial

Learning goals
--------------
- Build a classifier from Bayes' rule and one bold assumption: given the class, the features are independent.
- Work in log space (a product of 64 small numbers underflows); turn log-likelihoods into probabilities with log-sum-exp.
- Fit Gaussian (continuous, variance smoothing) and multinomial (counts, additive smoothing) naive Bayes.

The math
--------
X has shape (n_samples, n_features) = (n, d), classes c = 1..K (K = n_classes). Bayes' rule with the naive assumption:
    log P(c | x) = log P(c) + sum_j log p(x_j | c) - log Z(x),
where the "joint log-likelihood" jll(x, c) = log P(c) + sum_j log p(x_j | c) (shape (n, K)) and
log Z(x) = logsumexp_c jll(x, c), which makes the probabilities sum to 1.
logsumexp(a) = m + log sum exp(a - m), m = max(a): every exp(a - m) <= 1 and the largest is 1 (no overflow, no log 0).
Gaussian: log p(x | c) = -0.5 sum_j [ log(2 pi var_cj) + (x_j - theta_cj)^2 / var_cj ], theta_cj and var_cj
the mean and (biased) variance of feature j in class c. A feature constant within a class has variance 0:
like scikit-learn we add epsilon = var_smoothing * (largest variance of any feature of X) to every var_cj.
Multinomial (x_j = how often word/pixel j occurs): with N_cj = sum of feature j over class c
and alpha > 0 (alpha = 1: Laplace smoothing; without it an unseen word vetoes the class),
    log p(x | c) = sum_j x_j log phi_cj + (a term that does not depend on c),
    phi_cj = (N_cj + alpha) / (sum_j N_cj + alpha d).

Algorithm
---------
1. fit: classes_, class counts and priors; GaussianNB: per-class means and variances (+ epsilon);
   MultinomialNB: per-class feature totals N = Y^T X (Y one-hot) and log phi.
2. jll = log prior + log-likelihood, shape (n, K); predict_log_proba = jll - logsumexp(jll), its exp is
   predict_proba, and predict = classes_[argmax jll].

References: C. D. Manning, P. Raghavan, H. Schuetze, Introduction to Information Retrieval, 2008,
ch. 13.2; K. P. Murphy, Machine Learning: A Probabilistic Perspective, 2012, ch. 3.5.
Difficulty: 2 of 3, about 40 minutes.
Run: python 02-fundamentals-of-machine-learning/ex06_naive_bayes.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, ClassifierMixin
from utils.validation import as_float_array, check_fitted, check_positive_number, check_X, check_X_y

# %% [markdown]
# ## Implementation: log-sum-exp, the shared predict methods, Gaussian and multinomial naive Bayes


# %%
def logsumexp(a):
    """log(sum(exp(a), axis=1)) for a of shape (n_samples, n_classes), without overflow; shape (n_samples,)."""
    a = as_float_array(a, "a", ndim=2, allow_empty=False)
    # BEGIN SOLUTION
    # HINT 1: Pull each row's largest entry out of the sum so every exp is at most 1.
    # HINT 2: m = max over axis 1; lse = m + log(sum(exp(a - m), axis=1)), returned as shape (n,)
    m = a.max(axis=1, keepdims=True)  # (n_samples, 1)
    return (m + np.log(np.exp(a - m).sum(axis=1, keepdims=True)))[:, 0]  # the sum is >= 1: no log(0)
    # END SOLUTION


class _BaseNB(ClassifierMixin, BaseEstimator):
    """Predictions from a joint log-likelihood: what both naive Bayes models share."""

    def predict_log_proba(self, X):
        """log P(c | x), shape (n_samples, n_classes), columns in the order of classes_."""
        check_fitted(self, "classes_")
        jll = self._joint_log_likelihood(check_X(X, self.n_features_in_, owner=f"this {type(self).__name__}"))  # (n_samples, n_classes)
        # BEGIN SOLUTION
        # HINT 1: Normalise the joint log-likelihoods per row in log space: subtract log p(x).
        # HINT 2: log P(c | x) = jll - logsumexp(jll)[:, None]
        return jll - logsumexp(jll)[:, None]  # (n_samples, n_classes)
        # END SOLUTION

    def predict_proba(self, X):
        """P(c | x), shape (n_samples, n_classes); rows sum to 1."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """The most probable label for each row, shape (n_samples,)."""
        log_proba = self.predict_log_proba(X)  # (n_samples, n_classes); checks that the model is fitted
        return self.classes_[np.argmax(log_proba, axis=1)]


class GaussianNB(_BaseNB):
    """Naive Bayes with a normal distribution per feature and class. priors (n_classes,) or None: fixed class
    probabilities; var_smoothing >= 0 (epsilon above). Fitted: classes_ (n_classes,) (one class is allowed, as in
    scikit-learn), class_count_, class_prior_ (n_classes,), theta_ and var_ (n_classes, n_features): means, variances + epsilon_."""

    def __init__(self, priors=None, var_smoothing=1e-9):
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        """Estimate priors, means and variances from X (n_samples, n_features) and labels y (n_samples,); returns self."""
        X, y = check_X_y(X, y, classification=True)
        check_positive_number(self.var_smoothing, "var_smoothing", allow_zero=True)
        classes, y_idx = np.unique(y, return_inverse=True)  # y_idx: (n_samples,), 0..K-1
        K, d = len(classes), X.shape[1]
        priors = None if self.priors is None else np.asarray(self.priors, dtype=float)  # (n_classes,)
        if priors is not None and (priors.shape != (K,) or np.any(priors < 0) or not np.isclose(priors.sum(), 1.0)):
            raise ValueError(f"priors must be {K} non-negative numbers summing to 1 (one per class); got {self.priors}")
        largest_var = np.var(X, axis=0).max()
        if largest_var == 0:
            raise ValueError(f"every feature of X is constant (zero variance; n_samples={len(X)}): there is nothing to learn from X")
        # BEGIN SOLUTION
        # HINT 1: Per class: count, mean and variance of each feature; add a small variance floor to all.
        # HINT 2: theta_ = Y^T X / counts, Y one-hot (n, K); var_ = Y^T (X - theta_[y])^2 / counts + epsilon_
        # HINT 3: epsilon_ = var_smoothing * largest_var; class_count_ = Y.sum(0); theta_, var_ as above; class_prior_ = counts / n or priors
        self.epsilon_ = self.var_smoothing * largest_var  # the whole-data variance sets the scale: any units work
        Y = np.eye(K)[y_idx]  # (n_samples, n_classes), one-hot
        self.class_count_ = Y.sum(axis=0)  # (n_classes,)
        self.theta_ = Y.T @ X / self.class_count_[:, None]  # (n_classes, n_features), the class means
        self.var_ = Y.T @ (X - self.theta_[y_idx]) ** 2 / self.class_count_[:, None] + self.epsilon_  # (n_classes, n_features); from deviations: no E[x^2] - E[x]^2 cancellation
        self.class_prior_ = self.class_count_ / len(y) if self.priors is None else priors
        # END SOLUTION
        if np.any(self.var_ == 0):
            raise ValueError("a feature is constant within a class and var_smoothing=0 leaves its variance 0; use var_smoothing > 0")
        self.classes_, self.n_features_in_ = classes, d
        return self

    def _joint_log_likelihood(self, X):
        """log P(c) + log p(x | c), shape (n_samples, n_classes)."""
        # BEGIN SOLUTION
        # HINT 1: Naive Bayes adds per-feature log densities: the log prior plus a sum of Gaussian log pdfs.
        # HINT 2: jll[:, c] = log prior_c - 0.5 * sum_j log(2 pi var_cj) - 0.5 * sum_j (x_j - theta_cj)^2 / var_cj
        # HINT 3: log_prior + log_norm - 0.5 z2, log_norm = -0.5 sum(log(2 pi var_), 1), z2 = ((X[:, None] - theta_)^2 / var_).sum(2)
        with np.errstate(divide="ignore"):  # a prior of exactly 0 gives log 0 = -inf: that class is never chosen
            log_prior = np.log(self.class_prior_)  # (n_classes,)
        log_norm = -0.5 * np.sum(np.log(2.0 * np.pi * self.var_), axis=1)  # (n_classes,)
        z2 = ((X[:, None, :] - self.theta_) ** 2 / self.var_).sum(axis=2)  # (n_samples, n_classes), squared standardised distances
        return log_prior + log_norm - 0.5 * z2  # (n_samples, n_classes)
        # END SOLUTION


class MultinomialNB(_BaseNB):
    """Naive Bayes for counts (word counts, pixel intensities). alpha > 0: additive smoothing; fit_prior: learn
    the class priors (else uniform); class_prior (n_classes,) or None: fixed priors. Fitted: classes_, class_count_,
    class_log_prior_ (n_classes,), feature_count_ N_cj and feature_log_prob_ log phi_cj, both (n_classes, n_features)."""

    _domain = {"non_negative": True, "poor_score": True}  # counts; toy data that are not counts fit badly

    def __init__(self, alpha=1.0, fit_prior=True, class_prior=None):
        self.alpha = alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior

    def fit(self, X, y):
        """Count features per class in X (n_samples, n_features) with labels y (n_samples,); returns self."""
        X, y = check_X_y(X, y, classification=True)
        if np.any(X < 0):
            raise ValueError(f"Negative values in data: MultinomialNB needs non-negative counts in X; got a minimum of {X.min()}")
        if not self.alpha > 0:
            raise ValueError(f"alpha must be > 0 (alpha = 0 gives log 0 for unseen features); got {self.alpha}")
        classes, y_idx = np.unique(y, return_inverse=True)  # y_idx: (n_samples,)
        K = len(classes)
        if self.class_prior is not None and np.shape(self.class_prior) != (K,):
            raise ValueError(f"class_prior must have one entry per class ({K}); got shape {np.shape(self.class_prior)}")
        # BEGIN SOLUTION
        # HINT 1: Count features per class with one matrix product of one-hot labels with X; add alpha to every count.
        # HINT 2: feature_count_ = Y.T @ X (K, d); feature_log_prob_ = log(fc + alpha) - log(sum_j (fc + alpha))
        # HINT 3: Y = one-hot (n, K); smoothed = Y.T @ X + alpha; log(smoothed) - log(row sums); log(class_prior or counts / n or 1 / K)
        Y = np.eye(K)[y_idx]  # (n_samples, n_classes), one-hot
        self.feature_count_ = Y.T @ X  # (n_classes, n_features), every class total in one product
        self.class_count_ = Y.sum(axis=0)  # (n_classes,)
        smoothed = self.feature_count_ + self.alpha  # (n_classes, n_features), > 0: the log is safe
        self.feature_log_prob_ = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))  # (n_classes, n_features)
        prior = self.class_count_ / len(y) if self.fit_prior else np.full(K, 1.0 / K)  # (n_classes,), or uniform
        self.class_log_prior_ = np.log(prior if self.class_prior is None else np.asarray(self.class_prior, dtype=float))
        # END SOLUTION
        self.classes_, self.n_features_in_ = classes, X.shape[1]
        return self

    def _joint_log_likelihood(self, X):
        """log P(c) + sum_j x_j log phi_cj, shape (n_samples, n_classes)."""
        # BEGIN SOLUTION
        # HINT 1: A multinomial log-likelihood is linear in the counts: one matrix product plus the log prior.
        return X @ self.feature_log_prob_.T + self.class_log_prior_  # (n_samples, n_classes)
        # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    from sklearn.naive_bayes import GaussianNB as SkGaussianNB, MultinomialNB as SkMultinomialNB  # the library
    print(f"{'model':<15}{'data':<8}{'test acc':>9}{'max |P - P_sklearn|':>21}")
    for Model, SkModel, name in [(GaussianNB, SkGaussianNB, "wine"), (MultinomialNB, SkMultinomialNB, "digits")]:
        X_tr, X_te, y_tr, y_te = data.train_test_split(*data.load_dataset(name), test_size=0.3, random_state=0)
        model = Model().fit(X_tr, y_tr)  # wine: 13 measurements; digits: each pixel's ink (0..16) as a count
        gap = np.abs(SkModel().fit(X_tr, y_tr).predict_proba(X_te) - model.predict_proba(X_te)).max()
        print(f"{Model.__name__:<15}{name:<8}{model.score(X_te, y_te):>9.3f}{gap:>21.1e}")
    fig = plotting.image_grid_figure(np.exp(model.feature_log_prob_), (8, 8), [f"phi for {k}" for k in range(10)], nrows=2,
                                   suptitle="What MultinomialNB learned on digits: each digit's pixel probabilities phi")
    plotting.show_or_save(fig, "ex06_naive_bayes")


if __name__ == "__main__":
    main()
