"""
Exercise 18: target encoding, cross-fitted (a leak inside one transformer)

Learning goals
--------------
- See target leakage between the training rows themselves: a row's encoding that contains
  its own label makes pure noise look predictive, and the model does worse on new data.
- Remove the leak by cross-fitting: fit_transform encodes each of K folds with the
  statistics of the other K - 1 folds (module 03's K-fold, inside one transformer),
  as scikit-learn's TargetEncoder does.

The math
--------
X has shape (n_samples, n_features) and holds categories, y has shape (n_samples,); enc(c)
is exercise 17's smoothed mean of y over the n_c training rows of category c (mean m_c),
shrunk toward the global mean m.

The leak: if row i's own y_i is inside m_c, its feature "knows" its label, the more so
the rarer the category (n_c = 1 and s = 0 give enc = y_i exactly). Cross-fitting: encode
fold k with the statistics (m, v, n_c, m_c) of the other K - 1 folds, so no row's encoding
contains its own y; hence fit_transform(X, y) differs from fit(X, y).transform(X).
transform on new data uses all the training rows: honest, they took no part in them.

Algorithm
---------
1. fit and transform: exercise 17's TargetEncoder, unchanged (all training rows).
2. fit_transform: K folds (a shuffled order cut into K parts, module 03's KFold);
   for each fold, the tables of the other folds encode this fold; then fit on all rows.
3. Demo: a 300-level postcode unrelated to y, encoded in-sample and out of fold;
   the train and test R^2 of scikit-learn's linear regression on each.

References: S. Kaufman et al., "Leakage in data mining", ACM TKDD 6(4), 2012;
scikit-learn user guide, "Target Encoder" (cross fitting).
Builds on: 04-feature-engineering/ex17_target_encoding.py (target_encoding).
Difficulty: 2 of 3, about 15 minutes.
Run: python 04-feature-engineering/ex18_target_encoding_cross_fitting.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting

target_encoding = utils.load_exercise("04-feature-engineering/ex17_target_encoding.py", practice=False)

# %% [markdown]
# ## Implementation: the encoder that cross-fits in fit_transform


# %%
class CrossFitTargetEncoder(target_encoding.TargetEncoder):
    """Exercise 17's TargetEncoder whose fit_transform encodes every row out of fold.

    Parameters
    ----------
    categories, smooth : as in exercise 17
    cv : int (number of folds) or a list of (train, test) index pairs for fit_transform.
        An int gives plain K-fold splits (scikit-learn stratifies them for a 0/1 target).
    shuffle : bool, shuffle before making the folds (cv an int)
    random_state : int or np.random.Generator, for the shuffle

    Attributes: as exercise 17's (from all rows).
    """

    def __init__(self, categories="auto", smooth="auto", cv=5, shuffle=True, random_state=None):
        self.categories = categories
        self.smooth = smooth
        self.cv = cv
        self.shuffle = shuffle
        self.random_state = random_state

    def _codes_and_target(self, X, y):
        is_int = isinstance(self.cv, (int, np.integer)) and not isinstance(self.cv, bool)
        if (is_int and self.cv < 2) or not (is_int or hasattr(self.cv, "__iter__")):
            raise ValueError(f"cv must be an integer >= 2 (the folds of fit_transform) or a list of (train, test) pairs; got {self.cv!r}")
        return super()._codes_and_target(X, y)

    def _folds(self, n):
        """The (train, test) index pairs: K-fold (module 03) for an int cv, else the given pairs, checked."""
        if isinstance(self.cv, (int, np.integer)):
            if self.cv > n:
                raise ValueError(f"cv=n_splits={self.cv} folds need at least {self.cv} rows; got {n}")
            order = data.as_rng(self.random_state).permutation(n) if self.shuffle else np.arange(n)  # (n_samples,)
            return [(np.setdiff1d(order, test), test) for test in np.array_split(order, self.cv)]
        folds = [(np.asarray(train), np.asarray(test)) for train, test in self.cv]
        seen = np.zeros(n, dtype=int)  # (n_samples,), how many test parts hold each row
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
        # HINT 3: for train, test in folds: mean, var of y[train]; per feature j: table = exercise 17's
        # HINT 3: target_encoding_table(codes[train, j], y[train], ..., mean, var); out[test, j] as in transform
        for train, test in folds:
            mean, var = y[train].mean(), y[train].var()  # the other folds' statistics, not the global ones
            for j, categories in enumerate(self.categories_):
                table = target_encoding.target_encoding_table(codes[train, j], y[train], categories.size, self.smooth, mean, var)
                out[test, j] = np.where(codes[test, j] >= 0, table[np.maximum(codes[test, j], 0)], mean)
        # END SOLUTION
        return out


# %% [markdown]
# ## Demo: a noise category, encoded in-sample and out of fold


# %%
def make_noise_category(n=1000, n_levels=300, random_state=None):
    """y = 0.5 x + noise, and a 300-level category (a postcode, say) with nothing to do with y."""
    rng = data.as_rng(random_state)
    x = rng.standard_normal(n)  # (n_samples,)
    postcode = rng.integers(0, n_levels, size=n)  # (n_samples,), about 3 rows per level
    y = 0.5 * x + rng.standard_normal(n)  # (n_samples,)
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
        encoder = CrossFitTargetEncoder(smooth=1.0, cv=5, random_state=0)
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
    print("Exercise 16's Pipeline.fit calls fit_transform, so a CrossFitTargetEncoder inside a pipeline cross-fits by itself.")

    fig, axes = plotting.new_figure(1, 2, width=5.0, height=4.0, sharey=True)
    for ax, (name, enc), color in zip(axes, encodings.items(), plotting.COLORS[1:]):
        ax.scatter(enc, y[tr], s=8, alpha=0.6, color=color)
        train_r2, test_r2 = rows[f"x + postcode, {name}"]
        ax.set(title=f"{name}: r = {np.corrcoef(enc, y[tr])[0, 1]:.2f}\n(R^2 train {train_r2:.2f}, test {test_r2:.2f})",
               xlabel="encoded postcode (training rows)", ylabel="y")
    fig.suptitle("Target-encoding a postcode that carries no information about y", y=1.08)
    plotting.show_or_save(fig, "ex18_target_encoding_cross_fitting")


if __name__ == "__main__":
    main()
