"""
Exercise 14: principal component analysis (PCA) by the singular value decomposition

Learning goals
--------------
- Find the directions of largest variance of centred data from its SVD, and read the
  explained variance (ratio) off the singular values.
- Project onto the first k components (transform), map back (inverse_transform), and
  choose k from the fraction of variance to keep.
- Make the output deterministic with a sign convention; see why the covariance route
  is faster for tall data but less accurate.

The math
--------
X has shape (n_samples, n_features) = (n, d); its mean is mu, shape (d,), and Xc = X - mu. The thin SVD
    Xc = U S V^T,   U (n, r), S = diag(s_1 >= ... >= s_r >= 0), V^T (r, d), r = min(n, d)
gives the principal axes as the rows of V^T (components_). The sample covariance
is Xc^T Xc / (n - 1) = V diag(s^2 / (n - 1)) V^T, so component j explains the
variance lambda_j = s_j^2 / (n - 1), a share lambda_j / sum(lambda) of the total.
    transform:          Z = (X - mu) @ V_k^T        (n, k), V_k = the first k = n_components rows of V^T
    inverse_transform:  X_hat = Z @ V_k + mu       (n, d)
With k = r, X_hat = X exactly. A float n_components in (0, 1) keeps the smallest
k whose cumulative share exceeds it.

Signs: if v is a singular vector, so is -v. We flip each component so that its entry of
largest absolute value is positive (scikit-learn's svd_flip, u_based_decision=False), so every
run and every solver gives the same answer. The covariance route (svd_solver="covariance_eigh")
diagonalises the (d, d) matrix Xc^T Xc / (n - 1) with eigh instead: much cheaper when n >> d,
but Xc^T Xc squares the condition number, so tiny variances lose digits.

Algorithm
---------
1. mu = mean of the rows; Xc = X - mu.
2. As scikit-learn's svd_solver="auto": the covariance route when n >= 10 d and d <= 1000
   (tall data), else U, s, V^T = svd(Xc, full_matrices=False).
3. Flip signs; lambda = s^2 / (n - 1); ratio = lambda / sum(lambda).
4. Choose k and keep the first k rows of V^T and entries of lambda, ratio, s.

References: I. T. Jolliffe, Principal Component Analysis, 2nd ed., 2002, ch. 1-3; Hastie,
Tibshirani, Friedman, The Elements of Statistical Learning, 2nd ed., sec. 14.5.1.
Difficulty: 1 of 3, about 25 minutes.
Run: python 02-fundamentals-of-machine-learning/ex14_pca.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import check_X, check_fitted, check_option

# %% [markdown]
# ## Implementation


# %%
def flip_signs(Vt):
    """Flip each row of Vt (r, n_features) so that its largest entry in absolute value is positive; returns it and the signs (r,)."""
    # BEGIN SOLUTION
    # HINT 1: in each row, find the entry of largest absolute value and make it positive.
    # HINT 2: signs_j = sign(Vt[j, argmax_k |Vt[j, k]|]); Vt <- signs[:, None] * Vt.
    # HINT 3: largest = argmax(abs(Vt), axis=1); signs = sign(Vt[arange(r), largest]); return Vt * signs[:, None], signs.
    largest = np.argmax(np.abs(Vt), axis=1)  # (r,): column of the biggest entry of each row
    signs = np.sign(Vt[np.arange(len(Vt)), largest])  # (r,), +1 or -1 (never 0 for a unit vector)
    return Vt * signs[:, None], signs
    # END SOLUTION


class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis (scikit-learn's names).

    n_components : None keeps min(n_samples, n_features); an int keeps that many; a float in
    (0, 1) keeps the fewest components whose explained variance ratio adds up to more than it.
    svd_solver : "full" (SVD of the centred data), "covariance_eigh" (eigh of the covariance,
    fast when n >> d) or "auto" (the default: the covariance when n >= 10 d and d <= 1000).
    Fitted: mean_ (n_features,); components_ (n_components_, n_features), orthonormal rows;
    explained_variance_ (s^2 / (n - 1)), explained_variance_ratio_, singular_values_, all
    (n_components_,); noise_variance_, the mean variance of the discarded directions (0 if none).
    """

    def __init__(self, n_components=None, svd_solver="auto"):
        self.n_components = n_components
        self.svd_solver = svd_solver

    def _check_n_components(self, r):
        """Refuse an n_components that is not None, an int in [1, r] or a float in (0, 1)."""
        k = self.n_components
        if k is None or (isinstance(k, (float, np.floating)) and 0 < k < 1):
            return
        if not (isinstance(k, (int, np.integer)) and not isinstance(k, bool) and 1 <= k <= r):
            raise ValueError(f"n_components must be None, an int in [1, min(n_samples, n_features)] = [1, {r}] "
                         f"or a float in (0, 1); got {k!r}")

    def _n_kept(self, ratio):
        """How many components to keep, from n_components and the variance ratios, shape (r,)."""
        k = self.n_components
        if k is None:
            return len(ratio)
        if isinstance(k, (float, np.floating)):
            # The first index whose cumulative share is strictly larger than k, plus one.
            return int(min(np.searchsorted(np.cumsum(ratio), k, side="right") + 1, len(ratio)))
        return int(k)

    def fit(self, X, y=None):
        X = check_X(X)
        n, d = X.shape
        if n < 2:
            raise ValueError(f"X has n_samples={n}; PCA needs at least 2 samples to estimate a variance")
        check_option(self.svd_solver, "svd_solver", ("full", "covariance_eigh", "auto"))
        auto = "covariance_eigh" if n >= 10 * d and d <= 1000 else "full"  # scikit-learn's "auto" rule
        solver = auto if self.svd_solver == "auto" else self.svd_solver
        r = min(n, d)
        self._check_n_components(r)
        # BEGIN SOLUTION
        # HINT 1: centre X, then take the SVD of Xc (or eigh of its covariance), and read variances off it.
        # HINT 2: variance = s^2 / (n - 1) from svd(Xc); or eigh(Xc^T Xc / (n - 1)) reversed to descending order.
        # HINT 3: mean_ = X.mean(0); Xc = X - mean_; full: _, s, Vt = svd(Xc); covariance_eigh: eigh, reverse, s = sqrt(var (n - 1));
        # HINT 3: flip signs; ratio = variance / total; k = self._n_kept(ratio); keep the first k of everything.
        self.mean_ = X.mean(axis=0)  # (n_features,)
        Xc = X - self.mean_  # (n_samples, n_features)
        if solver == "full":
            _, s, Vt = np.linalg.svd(Xc, full_matrices=False)  # s: (r,), Vt: (r, n_features), s sorted descending
            variance = s**2 / (n - 1)  # (r,)
        else:
            cov = Xc.T @ Xc / (n - 1)  # (n_features, n_features), symmetric
            eigvals, eigvecs = np.linalg.eigh(cov)  # ascending order, eigvecs in columns
            variance = np.maximum(eigvals[::-1][:r], 0.0)  # (r,), round-off can make tiny ones < 0
            Vt = eigvecs[:, ::-1][:, :r].T  # (r, n_features)
            s = np.sqrt(variance * (n - 1))  # (r,), the singular values of Xc
        Vt, _ = flip_signs(Vt)
        total = variance.sum()
        ratio = variance / total if total > 0 else np.zeros_like(variance)  # constant data: no variance to share
        k = self._n_kept(ratio)
        self.n_components_, self.components_ = k, Vt[:k].copy()  # (n_components, n_features)
        self.explained_variance_, self.explained_variance_ratio_ = variance[:k].copy(), ratio[:k].copy()  # (n_components,)
        self.singular_values_ = s[:k].copy()  # (n_components,)
        self.noise_variance_ = float(variance[k:].mean()) if k < r else 0.0
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """Coordinates of X along the components, shape (n_samples, n_components_)."""
        check_fitted(self, "components_")
        X = check_X(X, len(self.mean_), owner=f"this {type(self).__name__}")
        # BEGIN SOLUTION
        # HINT 1: subtract the training mean, then project on the components.
        # HINT 2: Z = (X - mean_) V_k^T = X V_k^T - mean_ V_k^T.
        # HINT 3: return X @ self.components_.T - self.mean_ @ self.components_.T.
        # Projecting the mean, (n_components,), instead of centring X saves a copy of X (n_samples, n_features): same Z.
        return X @ self.components_.T - self.mean_ @ self.components_.T  # (n_samples, n_components)
        # END SOLUTION

    def inverse_transform(self, Z):
        """Back to feature space: Z @ components_ + mean_, shape (n_samples, n_features)."""
        check_fitted(self, "components_")
        if (Z := np.asarray(Z, dtype=float)).ndim != 2 or Z.shape[1] != self.n_components_:
            raise ValueError(f"Z must have shape (n_samples, {self.n_components_}); got {Z.shape}")
        # BEGIN SOLUTION
        # HINT 1: the inverse of the projection: back along the components, then add the mean.
        # HINT 2: X_hat = Z V_k + mean_.
        # HINT 3: return Z @ self.components_ + self.mean_.
        return Z @ self.components_ + self.mean_  # (n_samples, n_features)
        # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    X, y = data.load_digits()  # (1797, 64): 8x8 images, pixel values 0..16
    pca = PCA().fit(X)  # all 64 components; a smaller PCA keeps the first k of them
    cumulative = np.cumsum(pca.explained_variance_ratio_)  # (64,)
    print(f"digits: {X.shape[0]} images of {X.shape[1]} pixels\n{'k':>3} {'variance kept':>14} {'mean squared reconstruction error':>34}")
    for k in [2, 10, 21, 30]:
        small = PCA(n_components=k).fit(X)
        error = np.mean((small.inverse_transform(small.transform(X)) - X) ** 2)
        print(f"{k:>3} {cumulative[k - 1]:>14.3f} {error:>34.3f}")
    print(f"PCA(n_components=0.9) keeps {PCA(n_components=0.9).fit(X).n_components_} components")
    from sklearn.decomposition import PCA as SklearnPCA  # compare with the library
    print(f"max |ours - sklearn's| over 10 components: {np.abs(pca.components_[:10] - SklearnPCA(10).fit(X).components_).max():.1e}")

    Z = pca.transform(X)[:, :2]  # (1797, 2), the same as PCA(n_components=2).fit_transform(X)
    fig, (ax, ax_var) = plotting.new_figure(1, 2, width=5.2, height=4.4, layout="constrained")
    points = ax.scatter(Z[:, 0], Z[:, 1], c=y, cmap="tab10", s=8, alpha=0.8, vmin=-0.5, vmax=9.5)
    fig.colorbar(points, ax=ax, ticks=range(10), label="digit")
    ax.set(xlabel="component 1", ylabel="component 2", title=f"Digits on 2 components ({cumulative[1]:.0%} of the variance)")
    ks = np.arange(1, len(cumulative) + 1)
    ax_var.plot(ks, cumulative, marker=".", label="cumulative")
    ax_var.bar(ks, pca.explained_variance_ratio_, color=plotting.COLORS[1], label="per component")
    ax_var.axhline(0.9, color="grey", linestyle="--", linewidth=1, label="90%")
    ax_var.set(xlabel="components k", ylabel="explained variance ratio", ylim=(0, 1.02), title="Cumulative explained variance")
    ax_var.legend(loc="center right")
    plotting.show_or_save(fig, "ex14_pca")


if __name__ == "__main__":
    main()
