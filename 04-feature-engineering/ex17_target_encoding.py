"""
Exercise 17: target encoding, cross-fitted (a leak inside one transformer)

Learning goals
--------------
- Encode a category by a smoothed mean of the target, with scikit-learn's names and
  semantics (TargetEncoder: smooth = a number or "auto"; an unseen category gets the mean).
- See target leakage between the training rows themselves: a row's encoding that contains
  its own label makes pure noise look predictive, and the model does worse on new data.
- Remove the leak by cross-fitting: fit_transform encodes each of K folds with the
  statistics of the other K - 1 folds (module 03's K-fold, inside one transformer).

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
with no training rows gets m.

The leak: if row i's own y_i is inside m_c, its feature "knows" its label, the more so
the rarer the category (n_c = 1 and s = 0 give enc = y_i exactly). Cross-fitting: encode
fold k with the statistics (m, v, n_c, m_c) of the other K - 1 folds, so no row's encoding
contains its own y; hence fit_transform(X, y) differs from fit(X, y).transform(X).
transform on new data uses all the training rows: honest, they took no part in them.

Algorithm
---------
1. target_encoding_table: the count and the sum of y per category in one pass
   each (np.bincount), then the smoothed means; an empty category gets m.
2. fit: categories_ and codes as in exercise 09; encodings_[j] = the table of
   column j from all rows; target_mean_ = m.
3. transform: each value's encoding by its code; an unknown category gets m.
4. fit_transform: K folds (a shuffled order cut into K parts, module 03's KFold);
   for each fold, the tables of the other folds encode this fold.
5. Demo: a 300-level postcode unrelated to y, encoded in-sample and out of fold;
   the train and test R^2 of scikit-learn's linear regression on each.

References: D. Micci-Barreca, "A preprocessing scheme for high-cardinality categorical
attributes in classification and prediction problems", SIGKDD Explorations 3(1), 2001;
S. Kaufman et al., "Leakage in data mining", ACM TKDD 6(4), 2012; scikit-learn user guide, "Target Encoder".
Builds on: 04-feature-engineering/ex09_categorical_encoding.py (encoding).
Difficulty: 2 of 3, about 35 minutes.
Run: python 04-feature-engineering/ex17_target_encoding.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.validation import as_float_array, check_positive_int, check_same_length

encoding = utils.load_exercise("04-feature-engineering/ex09_categorical_encoding.py", practice=False)

# %% [markdown]
# ## Implementation: the encoding table, and the encoder that cross-fits in fit_transform


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

    Parameters
    ----------
    categories : "auto" or list of arrays, one per column (as in exercise 09)
    smooth : "auto" or float >= 0 (see the module docstring)
    cv : int (number of folds) or a list of (train, test) index pairs for fit_transform.
        An int gives plain K-fold splits (scikit-learn stratifies them for a 0/1 target).
    shuffle : bool, shuffle before making the folds (cv an int)
    random_state : int or np.random.Generator, for the shuffle

    Attributes: categories_; encodings_, encodings_[j][k] the encoding of categories_[j][k] (all rows);
    target_mean_; n_features_in_.
    """

    _domain = {"categorical": True, "allow_nan": True, "requires_y": True}

    def __init__(self, categories="auto", smooth="auto", cv=5, shuffle=True, random_state=None):
        self.categories = categories
        self.smooth = smooth
        self.cv = cv
        self.shuffle = shuffle
        self.random_state = random_state

    def _codes_and_target(self, X, y):
        """Check the input, learn categories_; the codes (n_samples, n_features) of X and y as floats."""
        if not (self.smooth == "auto" or (isinstance(self.smooth, (int, float)) and self.smooth >= 0)):
            raise ValueError(f"smooth must be 'auto' or a number >= 0; got {self.smooth!r}")
        is_int = isinstance(self.cv, (int, np.integer)) and not isinstance(self.cv, bool)
        if (is_int and self.cv < 2) or not (is_int or hasattr(self.cv, "__iter__")):
            raise ValueError(f"cv must be an integer >= 2 (the folds of fit_transform) or a list of (train, test) pairs; got {self.cv!r}")
        X = encoding.check_categorical_X(X, owner="TargetEncoder")
        if y is None:
            raise ValueError("TargetEncoder requires y to be passed, but the target y is None")
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

    def _folds(self, n):
        """The (train, test) index pairs: K-fold (module 03) for an int cv, else the given pairs, checked."""
        if isinstance(self.cv, (int, np.integer)):
            if self.cv > n:
                raise ValueError(f"cv=n_splits={self.cv} folds need at least {self.cv} rows; got {n}")
            order = data.as_rng(self.random_state).permutation(n) if self.shuffle else np.arange(n)  # (n,)
            return [(np.setdiff1d(order, test), test) for test in np.array_split(order, self.cv)]
        folds = [(np.asarray(train), np.asarray(test)) for train, test in self.cv]
        seen = np.zeros(n, dtype=int)  # (n,), how many test parts hold each row
        for _, test in folds:
            seen[test] += 1
        if not np.all(seen == 1):
            raise ValueError("the cv folds must put every row in exactly one test part")
        return folds

    def fit_transform(self, X, y):
        """Fit on all rows, and encode each row out of fold (no row sees its own target)."""
        codes, y = self._codes_and_target(X, y)
        folds = self._folds(len(y))  # checked before any work is done
        self.fit(X, y)
        out = np.empty(codes.shape, dtype=float)  # (n_samples, n_features)
        # BEGIN SOLUTION
        # HINT 1: Cross-fitting: encode each fold's rows with a table built from the OTHER folds only.
        # HINT 2: for (train, test): table from codes[train, j], y[train]; out[test, j] = table[codes[test, j]]
        # HINT 3: for train, test in folds: mean, var of y[train]; per feature j: table =
        # HINT 3: target_encoding_table(codes[train, j], y[train], ..., mean, var); out[test, j] as in transform
        for train, test in folds:
            mean, var = y[train].mean(), y[train].var()  # the other folds' statistics, not the global ones
            for j, categories in enumerate(self.categories_):
                table = target_encoding_table(codes[train, j], y[train], categories.size, self.smooth, mean, var)
                out[test, j] = np.where(codes[test, j] >= 0, table[np.maximum(codes[test, j], 0)], mean)
        # END SOLUTION
        return out


# %% [markdown]
# ## Demo: a noise category, encoded in-sample and out of fold


# %%
def make_noise_category(n=1000, n_levels=300, random_state=None):
    """y = 0.5 x + noise, and a 300-level category (a postcode, say) with nothing to do with y."""
    rng = data.as_rng(random_state)
    x = rng.standard_normal(n)  # (n,)
    postcode = rng.integers(0, n_levels, size=n)  # (n,), about 3 rows per level
    y = 0.5 * x + rng.standard_normal(n)  # (n,)
    return x, np.array([f"P{p:03d}" for p in postcode], dtype=object), y


def train_test_r2(A_train, y_train, A_test, y_test):
    """R^2 on the training and on the test rows of a least-squares fit to the training rows."""
    from sklearn.linear_model import LinearRegression  # written in module 02; the library's here

    line = LinearRegression().fit(A_train, y_train)
    return line.score(A_train, y_train), line.score(A_test, y_test)


def main():
    x, postcode, y = make_noise_category(random_state=0)
    tr, te = slice(0, len(y) // 2), slice(len(y) // 2, None)
    rows = {"x only": train_test_r2(x[tr, None], y[tr], x[te, None], y[te])}
    encodings = {}
    for name, use_folds in [("in-sample encoding", False), ("out-of-fold encoding", True)]:
        encoder = TargetEncoder(smooth=1.0, cv=5, random_state=0)
        if use_folds:
            enc_train = encoder.fit_transform(postcode[tr, None], y[tr])  # each row encoded without its own y
        else:
            enc_train = encoder.fit(postcode[tr, None], y[tr]).transform(postcode[tr, None])  # the leak
        enc_test = encoder.transform(postcode[te, None])  # both: the statistics of all training rows
        encodings[name] = enc_train[:, 0]
        rows[f"x + postcode, {name}"] = train_test_r2(np.column_stack([x[tr], enc_train]), y[tr], np.column_stack([x[te], enc_test]), y[te])
    print(f"A 300-level postcode with NO information about y ({len(y) // 2} training rows, {len(y) - len(y) // 2} test rows)")
    print(f"{'model':<40}{'train R^2':>10}{'test R^2':>10}")
    for name, (a, b) in rows.items():
        print(f"{name:<40}{a:10.3f}{b:10.3f}")
    print("Exercise 16's Pipeline.fit calls fit_transform, so a TargetEncoder inside a pipeline cross-fits by itself.")

    fig, axes = plotting.new_figure(1, 2, width=5.0, height=4.0, sharey=True)
    for ax, (name, enc), color in zip(axes, encodings.items(), plotting.COLORS[1:]):
        ax.scatter(enc, y[tr], s=8, alpha=0.6, color=color)
        train_r2, test_r2 = rows[f"x + postcode, {name}"]
        ax.set(title=f"{name}: r = {np.corrcoef(enc, y[tr])[0, 1]:.2f}\n(R^2 train {train_r2:.2f}, test {test_r2:.2f})",
               xlabel="encoded postcode (training rows)", ylabel="y")
    fig.suptitle("Target-encoding a postcode that carries no information about y", y=1.08)
    plotting.show_or_save(fig, "ex17_target_encoding")


if __name__ == "__main__":
    main()
