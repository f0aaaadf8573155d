"""
Exercise 17: target encoding, a category replaced by its shrunk mean target

Learning goals
--------------
- Encode a category by a smoothed mean of the target, with scikit-learn's names and
  semantics (TargetEncoder: smooth = a number or "auto"; an unseen category gets the mean).
- See why the mean is shrunk: a category seen on 2 rows has a noisy mean; pulling it toward
  the global mean, the more the fewer rows, brings the encodings closer to the truth.

The math
--------
X has shape (n_samples, n_features) and holds categories; exercise 09 finds the sorted categories
C_j of column j and the code of each value. y has shape (n_samples,): a continuous target
or 0/1 labels, with mean m and variance v. For a category c of one column, n_c
training rows have it, with mean target m_c. The encoding pulls m_c toward m:

    smooth = s (a number):   enc(c) = (n_c m_c + s m) / (n_c + s)
    smooth = "auto":         enc(c) = lambda_c m_c + (1 - lambda_c) m,
                             lambda_c = n_c v / (n_c v + ssd_c / n_c),

with ssd_c = sum over the category's rows of (y_i - m_c)^2: an empirical Bayes
weight that trusts m_c more when it rests on many consistent rows. A category
with no training rows gets m. If the true category means spread with variance tau^2
around m and the rows with variance sigma^2 around their category's mean, the fixed
rule with s = sigma^2 / tau^2 is the posterior mean of the category's true mean.

Algorithm
---------
1. target_encoding_table: the count and the sum of y per category in one pass
   each (np.bincount), then the smoothed means; an empty category gets m.
2. fit: categories_ and codes as in exercise 09; encodings_[j] = the table of
   column j from all rows; target_mean_ = m.
3. transform: each value's encoding by its code; an unknown category gets m.
4. Demo: categories with 1 to 100 rows and known true means; the error of the encodings
   for smooth = 0, several fixed smooths (the Bayes one, s = 4, among them) and "auto". (Encoding the training rows themselves
   leaks their labels: exercise 18 measures it and cross-fits.)

References: D. Micci-Barreca, "A preprocessing scheme for high-cardinality categorical
attributes in classification and prediction problems", SIGKDD Explorations 3(1), 2001;
scikit-learn user guide, "Target Encoder".
Builds on: 04-feature-engineering/ex09_categorical_encoding.py (encoding).
Difficulty: 2 of 3, about 20 minutes.
Run: python 04-feature-engineering/ex17_target_encoding.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.validation import as_float_array, check_positive_int, check_same_length

encoding = utils.load_exercise("04-feature-engineering/ex09_categorical_encoding.py", practice=False)

# %% [markdown]
# ## Implementation: the encoding table, and the encoder


# %%
def target_encoding_table(codes, y, n_categories, smooth, y_mean, y_var):
    """The encoding of each category from the rows with codes >= 0, shape (n_categories,).

    codes : (n_samples,) int, the category of each row (-1: unknown, ignored); y : (n_samples,) float;
    y_mean and y_var : the global mean and variance the encodings shrink toward.
    """
    codes, y = np.asarray(codes), as_float_array(y, "y", ndim=1, finite=True)
    if codes.ndim != 1 or codes.dtype.kind not in "iu":
        raise ValueError(f"codes must be a 1-D array of integer category codes; got {codes.dtype} of shape {codes.shape}")
    check_same_length(codes, y, ("codes", "y"))
    n_categories = check_positive_int(n_categories, "n_categories")
    known = codes >= 0
    c, t = codes[known], y[known]
    # BEGIN SOLUTION
    # HINT 1: A category's mean target, shrunk toward the global mean (the fewer rows, the
    # HINT 1: more); per-category sums and counts come from np.bincount.
    # HINT 2: fixed smooth m: enc = (sums + m * y_mean) / (counts + m); "auto": lam = y_var n_c /
    # HINT 2: (y_var n_c + ssd_c / n_c), enc = lam * mean_c + (1 - lam) * y_mean
    # HINT 3: counts, sums = bincount(c, minlength=...), bincount(c, weights=t, ...); auto: means = sums /
    # HINT 3: max(counts, 1), ssd = bincount(c, weights=(t - means[c])**2); y_mean wherever 0 / 0
    counts = np.bincount(c, minlength=n_categories).astype(float)  # (n_categories,)
    sums = np.bincount(c, weights=t, minlength=n_categories)  # (n_categories,)
    if smooth == "auto":
        means = sums / np.maximum(counts, 1)  # (n_categories,), 0 where a category has no rows
        ssd = np.bincount(c, weights=(t - means[c]) ** 2, minlength=n_categories)  # (n_categories,)
        denominator = y_var * counts + ssd / np.maximum(counts, 1)
        ok = (counts > 0) & (denominator > 0)  # otherwise lambda is 0/0: use the global mean
        lam = np.where(ok, y_var * counts / np.where(ok, denominator, 1.0), 0.0)  # no division by 0 anywhere
        return np.where(ok, lam * means + (1 - lam) * y_mean, y_mean)
    denominator = counts + smooth  # 0 only for smooth = 0 and an empty category
    return np.where(denominator > 0, (sums + smooth * y_mean) / np.where(denominator > 0, denominator, 1.0), y_mean)
    # END SOLUTION


class TargetEncoder(encoding._BaseEncoder):
    """Replace each category by a smoothed mean of the target (continuous or 0/1 targets).

    categories : "auto" or list of arrays, one per column (as in exercise 09)
    smooth : "auto" or float >= 0 (see the module docstring)

    Attributes: categories_; encodings_, encodings_[j][k] the encoding of categories_[j][k];
    target_mean_; n_features_in_.
    """

    _domain = {"categorical": True, "allow_nan": True, "requires_y": True}

    def __init__(self, categories="auto", smooth="auto"):
        self.categories = categories
        self.smooth = smooth

    def _codes_and_target(self, X, y):
        """Check the input, learn categories_; the codes (n_samples, n_features) of X and y as floats."""
        if not (self.smooth == "auto" or (isinstance(self.smooth, (int, float)) and self.smooth >= 0)):
            raise ValueError(f"smooth must be 'auto' or a number >= 0; got {self.smooth!r}")
        X = encoding.check_categorical_X(X, owner=type(self).__name__)
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        y = np.asarray(y)
        if y.dtype.kind not in "biuf":
            raise TypeError(f"Unknown label type: y must be numeric (a continuous target, or 0/1 labels); got dtype {y.dtype}")
        y = y.astype(float)
        if y.shape != (X.shape[0],) or not np.isfinite(y).all():
            raise ValueError(f"y must be a finite array of shape ({X.shape[0]},); got shape {y.shape}")
        self.categories_ = encoding._fit_categories(self, X)
        self.n_features_in_ = X.shape[1]
        codes = np.column_stack([encoding.encode_column(X[:, j], c) for j, c in enumerate(self.categories_)])  # (n_samples, n_features)
        return codes, y

    def fit(self, X, y):  # categories_ and encodings_ from all rows
        codes, y = self._codes_and_target(X, y)
        # BEGIN SOLUTION
        # HINT 1: One table per feature, shrinking toward the global mean and variance of y.
        # HINT 2: encodings_[j] = target_encoding_table(codes[:, j], y, n_categories_j, smooth, mean, var)
        self.target_mean_, y_var = float(y.mean()), float(y.var())
        self.encodings_ = [target_encoding_table(codes[:, j], y, c.size, self.smooth, self.target_mean_, y_var)
                           for j, c in enumerate(self.categories_)]
        # END SOLUTION
        return self

    def transform(self, X):
        """Encode new data with encodings_, shape (n_samples, n_features_in_); an unknown category gets target_mean_."""
        X = self._checked(X)
        out = np.empty(X.shape, dtype=float)  # (n_samples, n_features)
        # BEGIN SOLUTION
        # HINT 1: Look each code up in its feature's table; an unknown category (-1) gets the global mean.
        # HINT 2: out[:, j] = where(codes >= 0, encodings_[j][max(codes, 0)], target_mean_)
        for j, categories in enumerate(self.categories_):
            codes = encoding.encode_column(X[:, j], categories)  # (n_samples,)
            out[:, j] = np.where(codes >= 0, self.encodings_[j][np.maximum(codes, 0)], self.target_mean_)
        # END SOLUTION
        return out


# %% [markdown]
# ## Demo: rare categories have noisy means; shrinking them helps


# %%
def main():
    rng = data.as_rng(0)
    n_levels = 80
    counts = np.round(np.exp(rng.uniform(0.0, np.log(100.0), n_levels))).astype(int)  # (n_levels,), 1 to 100 rows
    true_means = rng.normal(0.0, 0.5, n_levels)  # (n_levels,): the truth each encoding estimates
    level = np.repeat(np.arange(n_levels), counts)  # (n_samples,)
    y = true_means[level] + rng.standard_normal(level.size)  # (n_samples,)
    X = np.array([f"C{c:02d}" for c in level], dtype=object)[:, None]  # (n_samples, 1); sorted names keep the order
    rare = counts <= 5
    print(f"{n_levels} categories with 1 to 100 rows ({level.size} rows); error = encoding - true mean")
    print(f"{'smooth':<10}{'RMS error, all':>16}{'rare (n_c <= 5)':>17}")
    errors = {}
    for smooth in [0.0, 1.0, 4.0, 16.0, "auto"]:
        errors[smooth] = TargetEncoder(smooth=smooth).fit(X, y).encodings_[0] - true_means  # (n_levels,)
        rms = lambda e: np.sqrt(np.mean(e**2))
        print(f"{smooth!s:<10}{rms(errors[smooth]):16.3f}{rms(errors[smooth][rare]):17.3f}")
    print("Rows spread 1 around their category's mean, true means spread 0.5: the Bayes smooth is 1 / 0.5^2 = 4.")
    print('"auto" estimates each spread from the category\'s own rows: a one-row category looks certain, unshrunk.')

    fig, ax = plotting.new_figure(width=6.5, height=4.2)
    for smooth, color in [(0.0, plotting.COLORS[3]), (4.0, plotting.COLORS[0])]:
        label = "plain mean (smooth = 0)" if smooth == 0.0 else "shrunk (smooth = 4)"
        ax.scatter(counts, errors[smooth], s=18, alpha=0.75, color=color, label=label)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set(xscale="log", xlabel="rows in the category, n_c", ylabel="encoding - true category mean",
           title="Target encodings of 80 categories: shrinkage tames the rare ones")
    ax.legend()
    plotting.show_or_save(fig, "ex17_target_encoding")


if __name__ == "__main__":
    main()
