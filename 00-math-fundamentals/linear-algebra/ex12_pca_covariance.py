"""
Exercise 12: principal component analysis from the covariance matrix

Learning goals
--------------
- Centre and standardise a data set, build its covariance matrix with the
  1/(n-1) factor, and know why that factor is there.
- Diagonalise the covariance with np.linalg.eigh: its eigenvectors are the
  principal directions and its eigenvalues the variances along them.
- Make the answer reproducible (descending order, a fixed sign for each
  direction), project the data to 2-D, and read the explained variance ratio.

The math
--------
X has shape (n, d): n samples, d features. With the mean mu = (1/n) sum_i x_i
(shape (d,)) and the centred data Xc = X - mu, the sample covariance is
    C = Xc^T Xc / (n - 1)                              shape (d, d).
Why n - 1: Xc's rows sum to zero, so only n - 1 of them are free; dividing by n - 1
makes C unbiased (Bessel's correction), as np.cov does. Standardising divides each
centred feature by its sample standard deviation, so C becomes the correlation matrix
and no feature dominates by its units (a constant feature stays 0: divide by 1).
C is symmetric positive semi-definite, so C = W diag(lambda) W^T with
orthonormal eigenvectors W (d, d) and lambda_1 >= ... >= lambda_d >= 0. The
projection of a sample onto w_j has sample variance exactly lambda_j:
    var(Xc w_j) = w_j^T C w_j = lambda_j,
and w_1 is the unit direction of largest variance (ex08: the dominant
eigenvector). The share of the total variance trace(C) = sum_j lambda_j
carried by component j is the explained variance ratio lambda_j / trace(C).
Each w_j is unique only up to sign (and up to rotation inside a repeated
eigenvalue's eigenspace); we flip it so its largest-magnitude entry is positive,
the convention scikit-learn uses for PCA.components_.

Algorithm
---------
1. Standardise: subtract the column means, divide by the column standard
   deviations (ddof=1), leaving constant columns at 0.
2. Covariance: C = Xc^T Xc / (n - 1).
3. lambda, W = np.linalg.eigh(C); reverse to descending order; clip round-off
   negatives (-1e-17) to 0; fix each column's sign.
4. Keep the first k columns: components = W[:, :k]^T (shape (k, d));
   explained variance lambda[:k]; ratio lambda[:k] / sum(lambda).
5. Project: Z = (X - mu) @ components^T, shape (n, k).

References: I. Jolliffe, Principal Component Analysis, 2nd ed., ch. 1-2; C. Bishop, Pattern
Recognition and Machine Learning, sec. 12.1; G. Strang, Introduction to Linear Algebra, 5th ed., sec. 7.3.
Difficulty: 1 of 3, about 25 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex12_pca_covariance.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.validation import as_float_array, check_no_overflow

# %% [markdown]
# ## Implementation


# %%
def _check_data(X, min_samples=2):
    X = as_float_array(X, "X", finite=True)
    if X.ndim != 2 or X.shape[0] < min_samples or X.shape[1] < 1:
        raise ValueError(f"X must have shape (n_samples, n_features) with n_samples >= {min_samples}; got shape {X.shape}")
    return X


def standardize(X):
    """(Z (n, d), mean (d,), scale (d,)): each feature centred and scaled to sample standard deviation 1.
    scale holds the standard deviations (ddof=1), 1.0 for constant features; Z = (X - mean) / scale, with a
    constant column exactly 0 (not round-off like 1e-17)."""
    X = _check_data(X)
    s = np.max(np.abs(X))
    if s > 1e150:  # squares of values near 1e300 overflow; X / s has the same Z, and mean, scale grow by s
        Z, mean, scale = standardize(X / s)
        return Z, mean * s, scale * s
    # BEGIN SOLUTION
    # HINT 1: Centre each column and divide by its sample std; a (numerically) constant column is set to exactly 0.
    # HINT 2: Xc = X - mean; std = sqrt(sum(Xc**2, axis=0) / (n - 1)); varies = std > 1e-12 * max(|mean|, 1)
    # HINT 3: scale = where(varies, std, 1.0); return where(varies, Xc / scale, 0.0), mean, scale
    mean = X.mean(axis=0)  # (d,)
    Xc = X - mean  # (n, d)
    std = np.sqrt(np.sum(Xc**2, axis=0) / (X.shape[0] - 1))  # (d,), sample std (ddof=1)
    # A constant column has std 0, or round-off like 1e-17 (an inexact mean): dividing would give 0/0 or
    # blow that noise up, so a std below 1e-12 times the feature's size counts as constant.
    varies = std > 1e-12 * np.maximum(np.abs(mean), 1.0)  # (d,)
    scale = np.where(varies, std, 1.0)  # (d,)
    return np.where(varies, Xc / scale, 0.0), mean, scale  # (n, d), constant columns exactly 0
    # END SOLUTION


def covariance_matrix(X):
    """The sample covariance C = (X - mean)^T (X - mean) / (n - 1), shape (d, d)."""
    X = _check_data(X)
    # BEGIN SOLUTION
    # HINT 1: Centre, then one matrix product; divide by n - 1.
    # HINT 2: C = Xc.T @ Xc / (n - 1)  # (d, d)
    Xc = X - X.mean(axis=0)  # (n, d), centred: covariance is about spread, not position
    return Xc.T @ Xc / (X.shape[0] - 1)  # (d, d), Bessel's 1/(n-1)
    # END SOLUTION


def fix_signs(vectors):
    """vectors (d, k), one per column, each flipped so that its entry of largest magnitude is positive."""
    vectors = as_float_array(vectors, "vectors")
    if vectors.ndim != 2:
        raise ValueError(f"vectors must have shape (d, k); got {vectors.shape}")
    # BEGIN SOLUTION
    # HINT 1: Eigenvectors are only defined up to sign: make each column's largest-|entry| positive.
    # HINT 2: biggest = argmax(|vectors|, axis=0); signs = -1 where vectors[biggest, arange(k)] < 0
    biggest = np.argmax(np.abs(vectors), axis=0)  # (k,), row of the largest |entry| per column
    signs = np.where(vectors[biggest, np.arange(vectors.shape[1])] < 0, -1.0, 1.0)  # (k,)
    return vectors * signs  # (d, k), broadcast over rows
    # END SOLUTION


def pca(X, n_components=None):
    """Principal components of X (n, d) from the eigendecomposition of its covariance (pca only centres:
    standardise first if the features have different units); k = n_components, 1 <= k <= d (default d).

    Returns components (k, d), one unit direction per row by decreasing variance (as sklearn's
    PCA.components_), explained_variance (k,) = lambda_1..k, explained_variance_ratio (k,) = lambda_j /
    sum of all lambda, and mean (d,).
    """
    X = check_no_overflow(_check_data(X), "X")  # the covariance squares X
    d = X.shape[1]
    k = d if n_components is None else n_components
    if isinstance(k, bool) or int(k) != k or not 1 <= k <= d:
        raise ValueError(f"n_components must be an integer between 1 and n_features={d}; got {n_components!r}")
    if np.all(X == X[0]):
        raise ValueError("every feature is constant: the total variance is 0, there are no principal directions")
    # BEGIN SOLUTION
    # HINT 1: Eigen-decompose the covariance (eigh), sort descending, clip round-off negatives, fix signs, keep k.
    # HINT 2: values, vectors = eigh(C); reverse both; components = vectors[:, :k].T; ratio = values[:k] / sum
    # HINT 3: C = covariance_matrix(X); reverse; values = clip(values, 0, None); vectors = fix_signs(vectors);
    # HINT 3: return vectors[:, :k].T, values[:k], values[:k] / values.sum(), X.mean(0)
    # eigh, not eig: C is symmetric, so eigh is faster, gives real ascending values and orthonormal vectors.
    values, vectors = np.linalg.eigh(covariance_matrix(X))  # (d,), (d, d) with eigenvectors in columns
    values, vectors = values[::-1], vectors[:, ::-1]  # descending variance
    # C is positive semi-definite; a -1e-17 is round-off (a constant feature), not a variance.
    values = np.clip(values, 0.0, None)  # (d,)
    vectors, k = fix_signs(vectors), int(k)  # (d, d)
    return vectors[:, :k].T, values[:k], values[:k] / values.sum(), X.mean(axis=0)
    # END SOLUTION


def project(X, components, mean):
    """Coordinates of each sample along the components: (X - mean) @ components^T, shape (n, k)."""
    X, components, mean = as_float_array(X, "X"), as_float_array(components, "components"), as_float_array(mean, "mean")
    if X.ndim != 2 or components.ndim != 2 or components.shape[1] != X.shape[1] or mean.shape != (X.shape[1],):
        raise ValueError(f"expected X (n, d), components (k, d) and mean (d,); got {X.shape}, {components.shape} and {mean.shape}")
    # BEGIN SOLUTION
    # HINT 1: Centre with the training mean, then take coordinates along each component.
    # HINT 2: (X - mean) @ components.T  # (n, k)
    return (X - mean) @ components.T  # (n, d) @ (d, k) -> (n, k)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    X, y, feature_names, class_names = data.load_wine(return_names=True)  # (178, 13), (178,)
    Z, _, _ = standardize(X)  # (178, 13): the features have very different units
    components, variance, ratio, mean = pca(Z)
    scores = project(Z, components[:2], mean)  # (178, 2)

    print(f"Wine: {X.shape[0]} samples, {X.shape[1]} standardised features, {len(class_names)} cultivars\n"
          f"{'PC':>3} {'variance':>9} {'ratio':>7} {'cumulative':>11}")
    for j in range(5):
        print(f"{j + 1:>3} {variance[j]:>9.3f} {ratio[j]:>7.1%} {ratio[: j + 1].sum():>11.1%}")
    print(f"... total variance {variance.sum():.3f} = trace of the correlation matrix = {X.shape[1]} features")
    for j in range(2):
        print(f"PC{j + 1} is mostly: " + ", ".join(f"{feature_names[i]} ({components[j, i]:+.2f})"
                                                   for i in np.argsort(-np.abs(components[j]))[:3]))
    print(f"sample variance of the 2-D scores: {np.var(scores, axis=0, ddof=1).round(4)} = the top eigenvalues")

    from sklearn.decomposition import PCA  # compare with the library

    print(f"max |ratio - sklearn's explained_variance_ratio_|: {np.max(np.abs(ratio - PCA().fit(Z).explained_variance_ratio_)):.1e}")

    fig, (ax_scree, ax_proj) = plotting.new_figure(1, 2, width=5.5, height=4.4)
    index = np.arange(1, ratio.size + 1)
    ax_scree.bar(index, ratio, color=plotting.COLORS[0], label="explained variance ratio")
    ax_scree.plot(index, np.cumsum(ratio), "o-", color=plotting.COLORS[1], ms=4, label="cumulative")
    ax_scree.set(xlabel="principal component", ylabel="share of total variance", xticks=index, ylim=(0, 1.05),
                 title="Scree plot (wine, standardised)")
    ax_scree.legend(loc="center right")
    plotting.plot_clusters(ax_proj, scores, np.array(class_names)[y], title="The wines projected on the first two components")
    ax_proj.set(xlabel=f"PC1 ({ratio[0]:.0%} of variance)", ylabel=f"PC2 ({ratio[1]:.0%} of variance)", aspect="equal")
    ax_proj.legend(title="cultivar")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex12_pca_covariance")


if __name__ == "__main__":
    main()
