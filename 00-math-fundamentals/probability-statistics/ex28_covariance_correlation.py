"""
Exercise 28: covariance, Pearson correlation and Spearman rank correlation

Learning goals
--------------
- Compute the covariance matrix of a data matrix and turn it into the Pearson
  correlation matrix.
- Rank data with average ranks for ties, and get Spearman's correlation as the
  Pearson correlation of the ranks.
- See what each coefficient measures: Pearson sees straight lines and can be
  fooled by one outlier; Spearman sees any monotone relation and shrugs off
  outliers; neither sees a U shape.

The math
--------
X has shape (n, d): n observations (rows) of d variables (columns).
    column means   m = (1/n) 1^T X,                     shape (d,)
    centred data   Xc = X - m,                          shape (n, d)
    covariance     C = Xc^T Xc / (n - ddof),            shape (d, d)
C[j, j] is the variance of variable j and C[j, k] = C[k, j] the covariance
of j and k (ddof = 1 gives the unbiased sample covariance, NumPy's default).
Pearson correlation: R[j, k] = C[j, k] / sqrt(C[j, j] C[k, k]), in [-1, 1];
+-1 exactly when the points lie on a line. It is undefined (0/0) when a
variable is constant; we raise an error rather than return nan.
Ranks: the smallest value gets rank 1, the next rank 2, ...; a group of tied
values shares the average of the ranks it occupies (so (10, 20, 20, 30) gets
(1, 2.5, 2.5, 4)). Spearman's rho is the Pearson correlation of the ranks: +1
for any increasing relation y = f(x), straight or not.

Algorithm
---------
1. Check X: 2-D, at least 2 rows, no NaN; x and y: the same length.
2. Centre the columns, C = Xc^T Xc / (n - ddof); R = C / outer(sd, sd).
3. Ranks: a stable argsort gives each value's position; values equal to their
   neighbour form a tie group, and every member gets the mean of the group's
   positions (plus one).
4. Spearman = Pearson(rank(x), rank(y)).

References: L. Wasserman, All of Statistics, ch. 3.3 (covariance and
correlation); C. Spearman, "The proof and measurement of association between two
things", American Journal of Psychology 15(1), 1904; F. J. Anscombe, "Graphs in
statistical analysis", The American Statistician 27(1), 1973.
Difficulty: 2 of 3, about 30 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex28_covariance_correlation.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.validation import as_float_array, check_option, check_same_length, check_X

# %% [markdown]
# ## Implementation


# %%
def _as_matrix(X):  # finite floats of shape (n_samples, n_features), n_samples >= 2
    X = check_X(X, allow_huge=True)  # huge values overflow in C, as the true answer does
    if X.shape[0] < 2:
        raise ValueError(f"X must have shape (n_samples, n_features) with n_samples >= 2; got shape {X.shape}")
    return X


def _as_pair(x, y):
    # Finite here, for Spearman too: a NaN would otherwise get a rank and a wrong, finite rho.
    x, y = as_float_array(x, "x", ndim=1, finite=True), as_float_array(y, "y", ndim=1, finite=True)
    check_same_length(x, y, ("x", "y"))
    for values, name in ((x, "x"), (y, "y")):
        if values.size and np.all(values == values[0]):
            raise ValueError(f"{name} is constant: its correlation with anything is undefined (0/0)")
    return x, y


def covariance_matrix(X, ddof=1):
    """C = Xc^T Xc / (n - ddof) for X of shape (n, d), rows as observations. Returns (d, d)."""
    X = _as_matrix(X)
    check_option(ddof, "ddof", (0, 1))
    # BEGIN SOLUTION
    # HINT 1: Centre every column, then one matrix product does all the pairwise sums.
    # HINT 2: Xc.T @ Xc / (n - ddof)
    Xc = X - X.mean(axis=0)  # (n, d): each column centred on its mean
    return Xc.T @ Xc / (X.shape[0] - ddof)  # (d, d)
    # END SOLUTION


def correlation_matrix(X):
    """The Pearson correlation matrix of the columns of X (n, d). Returns (d, d).

    Raises ValueError when a column is constant (its correlation would be 0/0).
    """
    X = _as_matrix(X)
    constant = np.flatnonzero(np.all(X == X[0], axis=0))
    if constant.size:
        raise ValueError(f"column(s) {constant.tolist()} are constant: their correlation is undefined (0/0)")
    # BEGIN SOLUTION
    # HINT 1: Divide each covariance by the two standard deviations; set
    # HINT 1: the diagonal to exactly 1 and clip round-off into [-1, 1].
    # HINT 2: R = C / outer(sd, sd), sd = sqrt(diag(C))
    C = covariance_matrix(X)  # (d, d); the ddof cancels in the ratio
    sd = np.sqrt(np.diag(C))  # (d,)
    R = C / np.outer(sd, sd)  # (d, d)
    np.fill_diagonal(R, 1.0)  # exactly 1, not 0.9999999999999998
    return np.clip(R, -1.0, 1.0)  # round-off can step just outside [-1, 1]
    # END SOLUTION


def pearson_correlation(x, y):
    """Pearson's r of two samples of shape (n,)."""
    x, y = _as_pair(x, y)
    # BEGIN SOLUTION
    # HINT 1: The off-diagonal entry of the 2 x 2 correlation matrix of the two columns.
    return float(correlation_matrix(np.column_stack([x, y]))[0, 1])
    # END SOLUTION


def rank_average(x):
    """Ranks 1..n of the values of x (n,), tied values sharing the average of their ranks."""
    x = as_float_array(x, "x", finite=True)  # a NaN would get a rank of its own
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, shape (n,); got {x.shape}")
    # BEGIN SOLUTION
    # HINT 1: Sort, find runs of equal values, give each run the average of the 1-based
    # HINT 1: ranks it spans, then scatter the ranks back to the original order.
    # HINT 2: run [start, end): rank = (start + 1 + end) / 2; ranks[order] = repeat(group_rank, sizes)
    # HINT 3: order = argsort(x, kind="stable"); s = x[order]
    # HINT 3: starts = flatnonzero(r_[True, s[1:] != s[:-1]]); ends = r_[starts[1:], n]
    # HINT 3: group_rank = (starts + 1 + ends) / 2; ranks = empty(n)
    # HINT 3: ranks[order] = np.repeat(group_rank, ends - starts); return ranks
    order = np.argsort(x, kind="stable")  # (n,): indices that sort x
    s = x[order]  # (n,), sorted
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])  # (n_groups,): first position of each tie group
    ends = np.r_[starts[1:], s.size]  # (n_groups,): one past the last position
    group_rank = (starts + 1 + ends) / 2  # (n_groups,): mean of the 1-based ranks starts+1 .. ends
    sizes = ends - starts  # (n_groups,)
    ranks = np.empty(s.size)  # (n,)
    ranks[order] = np.repeat(group_rank, sizes)  # give each value its group's rank, in x's order
    return ranks
    # END SOLUTION


def spearman_correlation(x, y):
    """Spearman's rho of two samples of shape (n,): the Pearson correlation of their average ranks."""
    x, y = _as_pair(x, y)
    # BEGIN SOLUTION
    # HINT 1: Spearman is Pearson applied to the (average) ranks.
    return pearson_correlation(rank_average(x), rank_average(y))
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(4)
    n = 80
    x = rng.uniform(0, 1, n)  # (n,)
    noise = rng.standard_normal(n)  # (n,)
    x_out = np.r_[rng.standard_normal(n - 1), 12.0]  # (n,), unrelated to y_out except the last point
    y_out = np.r_[rng.standard_normal(n - 1), 12.0]
    u = rng.uniform(-1, 1, n)
    cases = {
        "a noisy line": (x, 2 * x + 0.3 * noise),
        "monotone curve y = exp(8x)": (x, np.exp(8 * x)),
        "no relation + 1 outlier": (x_out, y_out),
        "U shape y = x^2": (u, u**2 + 0.02 * noise),
    }

    print(f"{'relation':<28}{'Pearson':>9}{'Spearman':>10}")
    fig, axes = plotting.new_figure(1, 4, width=3.4, height=3.4)
    for ax, (name, (a, b)) in zip(axes, cases.items()):
        r, rho = pearson_correlation(a, b), spearman_correlation(a, b)
        print(f"{name:<28}{r:>9.3f}{rho:>10.3f}")
        ax.scatter(a, b, s=12, color=plotting.COLORS[0], alpha=0.8)
        ax.set(title=f"{name}\nPearson {r:.2f}, Spearman {rho:.2f}", xlabel="x", ylabel="y")
    axes[2].annotate("outlier", (12.0, 12.0), xytext=(5.0, 11.0), arrowprops=dict(arrowstyle="->"), fontsize=9)
    fig.tight_layout()
    plotting.show_or_save(fig, "ex28_covariance_correlation")

    X, _, names, _ = data.load_wine(return_names=True)
    cols = [names.index(c) for c in ("alcohol", "flavanoids", "color_intensity", "proline")]
    W = X[:, cols]  # (178, 4)
    C, R = covariance_matrix(W), correlation_matrix(W)
    print("\nWine: covariance depends on the units, correlation does not")
    print(f"{'':>18}" + "".join(f"{names[c][:12]:>14}" for c in cols))
    for i, c in enumerate(cols):
        print(f"{'cov ' + names[c][:12]:>18}" + "".join(f"{v:>14.3f}" for v in C[i]))
    for i, c in enumerate(cols):
        print(f"{'corr ' + names[c][:12]:>18}" + "".join(f"{v:>14.3f}" for v in R[i]))


if __name__ == "__main__":
    main()
