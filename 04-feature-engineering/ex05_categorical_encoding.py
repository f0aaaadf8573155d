"""
Exercise 05: categorical encoding (one-hot, ordinal, target) and target leakage

Learning goals
--------------
- Turn categories into numbers three ways, with scikit-learn's names and
  semantics: OneHotEncoder (drop, handle_unknown, get_feature_names_out),
  OrdinalEncoder (an unknown category gets a chosen code) and TargetEncoder.
- Decide what happens to a category never seen in training: an error, all
  zeros, a special code, or the global mean.
- See target leakage happen: encoding a category by the mean target of the same
  rows the model trains on makes pure noise look predictive. Out-of-fold
  (cross-fitted) encodings remove the leak.

The math
--------
X has shape (n, d); column j takes values in its sorted categories
C_j = categories_[j] (a NaN in a numeric column is one more category, last).

    one-hot   x -> (1[x = c] for c in C_j): |C_j| columns of 0/1 (|C_j| - 1 with drop="first")
    ordinal   x -> the position of x in C_j: 0, 1, ..., |C_j| - 1

Target encoding replaces category c by a shrunken mean of the target y over the
n_c training rows with that category (mean m_c), pulled toward the global mean m:

    smooth = s (a number):   enc(c) = (n_c m_c + s m) / (n_c + s)
    smooth = "auto":         enc(c) = lambda_c m_c + (1 - lambda_c) m,
                             lambda_c = n_c v / (n_c v + ssd_c / n_c),
v = var(y) and ssd_c = sum over the category's rows of (y_i - m_c)^2 (an
empirical Bayes weight: trust m_c more when it rests on many consistent rows).
A category with no training rows gets m. The leak: if row i's own y_i is in
m_c, its feature "knows" its label, most of all for rare categories (n_c = 1
gives enc = y_i when s = 0). fit_transform therefore cross-fits: the rows are
split into K folds, and each fold is encoded with the statistics of the other
K - 1 folds. transform (on new data) uses the statistics of all the training rows.

Algorithm
---------
1. fit: categories_[j] = sorted unique values of column j (NaN last).
2. transform: look each value up by binary search (np.searchsorted) in
   categories_[j], as module 03's confusion matrix looks up its labels (exercise 05);
   a miss is an unknown category, handled as asked.
3. TargetEncoder.fit_transform: split the rows with KFold (module 03, exercise 02);
   for each fold, compute the encodings from the other folds and apply them to
   this fold; also keep encodings_ from all rows.
4. Demo: encode a 300-level noise category naively and out of fold, and compare
   the train and test R^2 of a linear model.

References: D. Micci-Barreca, "A preprocessing scheme for high-cardinality
categorical attributes in classification and prediction problems", SIGKDD
Explorations 3(1), 2001; S. Kaufman et al., "Leakage in data mining", ACM TKDD 6(4), 2012.
Run: python 04-feature-engineering/ex05_categorical_encoding.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.validation import check_fitted, check_X

# Module 03's sorted label lookup and K-fold splits for the cross-fitting; in the demo,
# module 02's least squares and module 03's R^2 (reference versions).
confusion = utils.load_exercise("03-model-evaluation/ex05_confusion_matrix.py", practice=False)
cross_validation = utils.load_exercise("03-model-evaluation/ex02_cross_validation.py", practice=False)
linreg = utils.load_exercise("02-fundamentals-of-machine-learning/ex01_linear_regression.py", practice=False)
regression_metrics = utils.load_exercise("03-model-evaluation/ex04_regression_metrics.py", practice=False)

# %% [markdown]
# ## Input checks and category lookup


# %%
def check_categorical_X(X, n_features=None, owner="the encoder"):
    """X as a 2-D array: numbers stay numeric, text becomes an object array."""
    X = np.asarray(X)
    if X.dtype.kind in "US":
        X = X.astype(object)  # fixed-width strings would truncate longer unseen categories
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D array of shape (n_samples, n_features); got shape {X.shape}")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"X has {X.shape[1]} features, but {owner} was fitted with {n_features}")
    return X


def feature_names_in(estimator, input_features=None):
    """The names of a fitted estimator's input columns: input_features (checked), or x0, x1, ...

    get_feature_names_out here and in ex06 and ex07 starts from these names.
    """
    check_fitted(estimator, "n_features_in_")
    if input_features is None:
        return [f"x{j}" for j in range(estimator.n_features_in_)]
    if len(input_features) != estimator.n_features_in_:
        raise ValueError(f"input_features must have {estimator.n_features_in_} names; got {len(input_features)}")
    return list(input_features)


def missing_in(column):
    """Boolean mask of NaN in a numeric column; an object column must not hold None or NaN."""
    if column.dtype.kind == "f":
        return np.isnan(column)
    if column.dtype == object:
        bad = [v is None or (isinstance(v, float) and np.isnan(v)) for v in column]
        if any(bad):
            raise ValueError("a text column contains None or NaN: impute it (exercise 02) or name it, e.g. 'missing'")
    return np.zeros(column.shape, dtype=bool)


def column_categories(column):
    """The sorted unique values of one column; a NaN (numeric columns only) comes last."""
    missing = missing_in(column)
    # BEGIN SOLUTION
    try:
        categories = np.unique(column[~missing])  # sorted
    except TypeError:
        raise TypeError("a column mixes text and numbers; make each column one type") from None
    if missing.any():
        categories = np.append(categories, np.nan)
    return categories
    # END SOLUTION


def encode_column(column, categories):
    """Position of each value in categories (shape (n,), int), -1 for an unknown value.

    categories need not be sorted (a user may give ["S", "M", "L"]); NaN, if there, is last.
    """
    missing = missing_in(column)
    has_nan = categories.dtype.kind == "f" and categories.size > 0 and np.isnan(categories[-1])
    known = categories[:-1] if has_nan else categories  # no NaN
    codes = np.full(column.shape, -1)  # (n,)
    # BEGIN SOLUTION
    if known.size:
        try:  # one sort and a binary search: module 03's label_indices (ex05), -1 for an unknown value
            codes[~missing] = confusion.label_indices(column[~missing], known)
        except TypeError:
            raise TypeError("a column mixes text and numbers; make each column one type") from None
    if has_nan:
        codes[missing] = categories.size - 1
    return codes
    # END SOLUTION


def _fit_categories(encoder, X, strict=False):
    """categories_ for every column, "auto" or given as a list of arrays (one per column).

    With given categories and strict=True, a training value outside them is an error.
    """
    if isinstance(encoder.categories, str) and encoder.categories == "auto":
        return [column_categories(X[:, j]) for j in range(X.shape[1])]
    if isinstance(encoder.categories, str) or len(encoder.categories) != X.shape[1]:
        raise ValueError(f"categories must be 'auto' or list one array per column ({X.shape[1]}); got {encoder.categories!r}")
    categories = [np.asarray(c, dtype=X.dtype if X.dtype != object else object) for c in encoder.categories]
    for j, c in enumerate(categories):
        unknown = encode_column(X[:, j], c) < 0
        if strict and unknown.any():
            raise ValueError(f"found categories {sorted({str(v) for v in X[unknown, j]})[:5]} in column {j} "
                             f"during fit that are not in the given categories")
    return categories


def _unknown_error(j, values):
    shown = sorted({str(v) for v in values})[:5]
    return ValueError(f"found unknown categories {shown} in column {j} during transform; "
                      f"use handle_unknown='ignore' (one-hot) or 'use_encoded_value' (ordinal) to accept them")


class _BaseEncoder:
    """What the three encoders share: the check of X against the fit, and fit_transform."""

    def _checked(self, X):
        check_fitted(self, "categories_")
        return check_categorical_X(X, self.n_features_in_, f"this {type(self).__name__}")

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)


# %% [markdown]
# ## Implementation: one-hot and ordinal encoders


# %%
class OneHotEncoder(_BaseEncoder):
    """One 0/1 column per category of each feature (dense output).

    Parameters
    ----------
    categories : "auto" or list of arrays, one per column
    drop : None or "first" (drop each feature's first category: no redundant column)
    handle_unknown : "error" or "ignore" (an unknown category gives an all-zero block)

    Attributes
    ----------
    categories_ : list of ndarray, the sorted categories of each column
    drop_idx_ : ndarray of int (index of the dropped category per feature) or None
    n_features_in_ : int
    """

    def __init__(self, categories="auto", drop=None, handle_unknown="error"):
        self.categories = categories
        self.drop = drop
        self.handle_unknown = handle_unknown

    def fit(self, X, y=None):
        """Learn categories_; returns self."""
        if self.drop not in (None, "first"):
            raise ValueError(f"drop must be None or 'first'; got {self.drop!r}")
        if self.handle_unknown not in ("error", "ignore"):
            raise ValueError(f"handle_unknown must be 'error' or 'ignore'; got {self.handle_unknown!r}")
        X = check_categorical_X(X, owner="OneHotEncoder")
        self.categories_ = _fit_categories(self, X, self.handle_unknown == "error")
        self.drop_idx_ = None if self.drop is None else np.zeros(X.shape[1], dtype=int)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """The one-hot matrix, shape (n_samples, total number of kept categories), float."""
        X = self._checked(X)
        blocks = []
        # BEGIN SOLUTION
        rows = np.arange(X.shape[0])
        for j, categories in enumerate(self.categories_):
            codes = encode_column(X[:, j], categories)  # (n,)
            unknown = codes < 0
            if unknown.any() and self.handle_unknown == "error":
                raise _unknown_error(j, X[unknown, j])
            block = np.zeros((X.shape[0], categories.size))  # (n, |C_j|)
            block[rows[~unknown], codes[~unknown]] = 1.0  # fancy indexing: one 1 per known row
            if self.drop_idx_ is not None:
                block = np.delete(block, self.drop_idx_[j], axis=1)
            blocks.append(block)
        # END SOLUTION
        return np.hstack(blocks)

    def _kept(self, j):
        """The categories of feature j that have an output column."""
        categories = self.categories_[j]
        return categories if self.drop_idx_ is None else np.delete(categories, self.drop_idx_[j])

    def get_feature_names_out(self, input_features=None):
        """Names "<feature>_<category>" of the output columns; features default to x0, x1, ..."""
        input_features = feature_names_in(self, input_features)
        # BEGIN SOLUTION
        return np.array([f"{name}_{c}" for j, name in enumerate(input_features) for c in self._kept(j)], dtype=object)
        # END SOLUTION

    def inverse_transform(self, X):
        """Back to categories, shape (n_samples, n_features_in_), object dtype.

        An all-zero block means the dropped category (drop="first"), or an unknown
        category, returned as None (handle_unknown="ignore").
        """
        check_fitted(self, "categories_")
        X = check_X(X, owner="this OneHotEncoder")
        widths = [self._kept(j).size for j in range(self.n_features_in_)]
        if X.shape[1] != sum(widths):
            raise ValueError(f"X must have {sum(widths)} columns, as transform returns; got shape {X.shape}")
        out = np.empty((X.shape[0], self.n_features_in_), dtype=object)  # (n, d)
        # BEGIN SOLUTION
        start = 0
        for j, width in enumerate(widths):
            block = X[:, start : start + width]  # (n, width)
            start += width
            kept = self._kept(j)
            empty = block.sum(axis=1) == 0 if width else np.ones(X.shape[0], dtype=bool)  # (n,)
            if width:
                out[~empty, j] = kept[np.argmax(block[~empty], axis=1)]
            if empty.any():
                if self.drop_idx_ is not None:
                    out[empty, j] = self.categories_[j][self.drop_idx_[j]]
                elif self.handle_unknown == "ignore":
                    out[empty, j] = None
                else:
                    raise ValueError(f"rows with an all-zero block in feature {j}: not a valid one-hot encoding")
        # END SOLUTION
        return out


class OrdinalEncoder(_BaseEncoder):
    """Each category becomes its position in the sorted categories (0, 1, 2, ...), as floats.

    Parameters
    ----------
    categories : "auto" or list of arrays (give the order yourself, e.g. [["S", "M", "L"]])
    handle_unknown : "error" or "use_encoded_value"
    unknown_value : the code for an unknown category (an int not used by any category, or np.nan)
    encoded_missing_value : the code for NaN (a missing value seen in training)

    Attributes
    ----------
    categories_ : list of ndarray
    n_features_in_ : int
    """

    def __init__(self, categories="auto", handle_unknown="error", unknown_value=None, encoded_missing_value=np.nan):
        self.categories = categories
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value

    def fit(self, X, y=None):
        """Learn categories_ and check that unknown_value cannot be mistaken for a category; returns self."""
        if self.handle_unknown not in ("error", "use_encoded_value"):
            raise ValueError(f"handle_unknown must be 'error' or 'use_encoded_value'; got {self.handle_unknown!r}")
        if self.handle_unknown == "use_encoded_value":
            is_nan = isinstance(self.unknown_value, float) and np.isnan(self.unknown_value)
            if not (is_nan or isinstance(self.unknown_value, (int, np.integer))) or isinstance(self.unknown_value, bool):
                raise ValueError(f"unknown_value must be an int or np.nan with 'use_encoded_value'; got {self.unknown_value!r}")
        elif self.unknown_value is not None:
            raise ValueError("unknown_value is only used with handle_unknown='use_encoded_value'")
        X = check_categorical_X(X, owner="OrdinalEncoder")
        self.categories_ = _fit_categories(self, X, self.handle_unknown == "error")
        if self.handle_unknown == "use_encoded_value" and not np.isnan(float(self.unknown_value)):
            if 0 <= self.unknown_value < max(c.size for c in self.categories_):
                raise ValueError(f"unknown_value={self.unknown_value} is already the code of a known category")
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """Codes of shape (n_samples, n_features_in_), float64."""
        X = self._checked(X)
        out = np.empty(X.shape, dtype=float)
        # BEGIN SOLUTION
        for j, categories in enumerate(self.categories_):
            codes = encode_column(X[:, j], categories).astype(float)  # (n,)
            unknown = codes < 0
            if unknown.any():
                if self.handle_unknown == "error":
                    raise _unknown_error(j, X[unknown, j])
                codes[unknown] = self.unknown_value
            missing = missing_in(X[:, j])
            codes[missing & ~unknown] = self.encoded_missing_value  # the NaN category keeps its NaN code
            out[:, j] = codes
        # END SOLUTION
        return out

    def inverse_transform(self, X):
        """Codes back to categories (object array); unknown_value gives None, the missing code NaN."""
        check_fitted(self, "categories_")
        X = check_X(X, self.n_features_in_, allow_nan=True, owner="this OrdinalEncoder")  # NaN: a missing or unknown code
        out = np.empty(X.shape, dtype=object)
        # BEGIN SOLUTION
        for j, categories in enumerate(self.categories_):
            codes = X[:, j]
            is_unknown = np.zeros(codes.shape, dtype=bool)
            if self.handle_unknown == "use_encoded_value":
                u = float(self.unknown_value)
                is_unknown = np.isnan(codes) if np.isnan(u) else codes == u
            is_missing = (np.isnan(codes) if np.isnan(self.encoded_missing_value) else codes == self.encoded_missing_value) & ~is_unknown
            regular = ~is_unknown & ~is_missing
            index = codes[regular]
            if np.any(index != np.round(index)) or np.any((index < 0) | (index >= categories.size)):
                raise ValueError(f"column {j} holds codes that are not in 0..{categories.size - 1}")
            out[regular, j] = categories[index.astype(int)]
            out[is_unknown, j] = None
            out[is_missing, j] = np.nan
        # END SOLUTION
        return out


# %% [markdown]
# ## Implementation: target encoding, cross-fitted


# %%
def target_encoding_table(codes, y, n_categories, smooth, y_mean, y_var):
    """The encoding of each category from the rows with codes >= 0, shape (n_categories,)."""
    known = codes >= 0
    c, t = codes[known], y[known]
    # BEGIN SOLUTION
    counts = np.bincount(c, minlength=n_categories).astype(float)  # (n_categories,)
    sums = np.bincount(c, weights=t, minlength=n_categories)  # (n_categories,)
    if smooth == "auto":
        means = sums / np.maximum(counts, 1)  # (n_categories,), 0 where a category has no rows
        ssd = np.bincount(c, weights=(t - means[c]) ** 2, minlength=n_categories)
        denominator = y_var * counts + ssd / np.maximum(counts, 1)
        ok = (counts > 0) & (denominator > 0)  # otherwise lambda is 0/0: use the global mean
        lam = np.where(ok, y_var * counts / np.where(ok, denominator, 1.0), 0.0)
        return np.where(ok, lam * means + (1 - lam) * y_mean, y_mean)
    denominator = counts + smooth
    return np.where(denominator > 0, (sums + smooth * y_mean) / np.where(denominator > 0, denominator, 1.0), y_mean)
    # END SOLUTION


class TargetEncoder(_BaseEncoder):
    """Replace each category by a smoothed mean of the target (continuous or 0/1 targets).

    Parameters
    ----------
    categories : "auto" or list of arrays
    smooth : "auto" or float >= 0 (see the module docstring)
    cv : int (number of folds) or a list of (train, test) index pairs for fit_transform.
        An int gives plain K-fold splits (scikit-learn stratifies them for a 0/1 target).
    shuffle : bool, shuffle before making the folds (cv an int)
    random_state : int or np.random.Generator, for the shuffle

    Attributes
    ----------
    categories_ : list of ndarray
    encodings_ : list of ndarray, encodings_[j][k] is the encoding of categories_[j][k] (all rows)
    target_mean_ : float
    n_features_in_ : int
    """

    def __init__(self, categories="auto", smooth="auto", cv=5, shuffle=True, random_state=None):
        self.categories = categories
        self.smooth = smooth
        self.cv = cv
        self.shuffle = shuffle
        self.random_state = random_state

    def _codes_and_target(self, X, y):
        if not (self.smooth == "auto" or (isinstance(self.smooth, (int, float)) and self.smooth >= 0)):
            raise ValueError(f"smooth must be 'auto' or a number >= 0; got {self.smooth!r}")
        X = check_categorical_X(X, owner="TargetEncoder")
        y = np.asarray(y)
        if y.dtype.kind not in "biuf":
            raise TypeError(f"y must be numeric (a continuous target, or 0/1 labels); got dtype {y.dtype}")
        y = y.astype(float)
        if y.shape != (X.shape[0],) or not np.isfinite(y).all():
            raise ValueError(f"y must be a finite array of shape ({X.shape[0]},); got shape {y.shape}")
        self.categories_ = _fit_categories(self, X)
        self.n_features_in_ = X.shape[1]
        codes = np.column_stack([encode_column(X[:, j], c) for j, c in enumerate(self.categories_)])  # (n, d)
        return codes, y

    def fit(self, X, y):
        """Learn categories_ and encodings_ from all rows; returns self."""
        codes, y = self._codes_and_target(X, y)
        # BEGIN SOLUTION
        self.target_mean_ = float(y.mean())
        y_var = float(y.var())
        self.encodings_ = [
            target_encoding_table(codes[:, j], y, c.size, self.smooth, self.target_mean_, y_var)
            for j, c in enumerate(self.categories_)
        ]
        # END SOLUTION
        return self

    def transform(self, X):
        """Encode new data with encodings_; an unknown category gets target_mean_."""
        X = self._checked(X)
        out = np.empty(X.shape, dtype=float)
        # BEGIN SOLUTION
        for j, categories in enumerate(self.categories_):
            codes = encode_column(X[:, j], categories)  # (n,)
            out[:, j] = np.where(codes >= 0, self.encodings_[j][np.maximum(codes, 0)], self.target_mean_)
        # END SOLUTION
        return out

    def _folds(self, n):
        if isinstance(self.cv, (int, np.integer)):
            splitter = cross_validation.KFold(self.cv, shuffle=self.shuffle, random_state=self.random_state if self.shuffle else None)
            return list(splitter.split(np.zeros(n)))
        folds = [(np.asarray(train), np.asarray(test)) for train, test in self.cv]
        seen = np.zeros(n, dtype=int)
        for _, test in folds:
            seen[test] += 1
        if not np.all(seen == 1):
            raise ValueError("the cv folds must put every row in exactly one test part")
        return folds

    def fit_transform(self, X, y):
        """Fit on all rows, and encode each row out of fold (no row sees its own target)."""
        self.fit(X, y)
        codes, y = self._codes_and_target(X, y)
        out = np.empty(codes.shape, dtype=float)
        # BEGIN SOLUTION
        for train, test in self._folds(len(y)):
            y_train = y[train]
            mean, var = y_train.mean(), y_train.var()
            for j, categories in enumerate(self.categories_):
                table = target_encoding_table(codes[train, j], y_train, categories.size, self.smooth, mean, var)
                out[test, j] = np.where(codes[test, j] >= 0, table[np.maximum(codes[test, j], 0)], mean)
        # END SOLUTION
        return out


# %% [markdown]
# ## Demo


# %%
def train_test_r2(A_train, y_train, A_test, y_test):
    """R^2 on the training and on the test rows of a least-squares fit to the training rows."""
    line = linreg.LinearRegression().fit(A_train, y_train)
    return tuple(regression_metrics.r2_score(t, line.predict(A)) for A, t in [(A_train, y_train), (A_test, y_test)])


def make_noise_category(n=1000, n_levels=300, random_state=None):
    """y = 0.5 x + noise, and a 300-level category (a postcode, say) with nothing to do with y."""
    rng = data.as_rng(random_state)
    x = rng.standard_normal(n)  # (n,)
    postcode = rng.integers(0, n_levels, size=n)  # (n,), about 3 rows per level
    y = 0.5 * x + rng.standard_normal(n)
    return x, np.array([f"P{p:03d}" for p in postcode], dtype=object), y


def main():
    # 1. The three encoders on a tiny table.
    table = np.array([["red", "S", "Paris"], ["green", "L", "Lima"], ["blue", "M", "Paris"], ["green", "S", "Oslo"]], dtype=object)
    onehot = OneHotEncoder().fit(table)
    print("One-hot columns:", list(onehot.get_feature_names_out(["colour", "size", "city"])))
    print(onehot.transform(table).astype(int))
    ordinal = OrdinalEncoder(categories=[["blue", "green", "red"], ["S", "M", "L"], ["Lima", "Oslo", "Paris"]],
                             handle_unknown="use_encoded_value", unknown_value=-1)
    print("Ordinal codes, sizes in their natural order S < M < L; 'purple' and 'XL' are unknown (-1):")
    print(ordinal.fit(table).transform([["green", "M", "Oslo"], ["purple", "XL", "Paris"]]))

    # 2. Target leakage with a noise category.
    x, postcode, y = make_noise_category(random_state=0)
    half = len(y) // 2
    tr, te = slice(0, half), slice(half, None)
    rows = {}
    rows["x only"] = train_test_r2(x[tr, None], y[tr], x[te, None], y[te])
    encodings = {}
    for name, use_folds in [("x + postcode, in-sample encoding", False), ("x + postcode, out-of-fold encoding", True)]:
        encoder = TargetEncoder(smooth=1.0, cv=5, random_state=0)
        if use_folds:
            enc_train = encoder.fit_transform(postcode[tr, None], y[tr])  # each row encoded without its own y
        else:
            enc_train = encoder.fit(postcode[tr, None], y[tr]).transform(postcode[tr, None])  # the leak
        enc_test = encoder.transform(postcode[te, None])
        encodings[name] = enc_train[:, 0]
        A_train, A_test = np.column_stack([x[tr], enc_train]), np.column_stack([x[te], enc_test])
        rows[name] = train_test_r2(A_train, y[tr], A_test, y[te])
    print(f"\nA postcode with 300 levels that carries NO information about y ({half} training rows)")
    print(f"{'model':<38}{'train R^2':>10}{'test R^2':>10}")
    for name, (a, b) in rows.items():
        print(f"{name:<38}{a:10.3f}{b:10.3f}")

    # Compare with the library (scikit-learn is used only here, never above).
    from sklearn.preprocessing import TargetEncoder as SkTargetEncoder

    ours = TargetEncoder(smooth="auto").fit(postcode[tr, None], y[tr])
    sk = SkTargetEncoder(smooth="auto", target_type="continuous").fit(postcode[tr, None], y[tr])
    print(f"max |encodings_ - sklearn encodings_| = {np.abs(ours.encodings_[0] - sk.encodings_[0]).max():.1e}")

    fig, axes = plotting.new_figure(1, 3, width=4.3, height=3.9)
    for ax, (name, enc), color in zip(axes[:2], encodings.items(), plotting.COLORS[1:]):
        ax.scatter(enc, y[tr], s=8, alpha=0.6, color=color)
        ax.set(title=name.split(", ")[1] + f": r = {np.corrcoef(enc, y[tr])[0, 1]:.2f}", xlabel="encoded postcode (train rows)", ylabel="y")
    names = list(rows)
    positions = np.arange(len(names))
    axes[2].bar(positions - 0.2, [rows[n][0] for n in names], width=0.4, label="train", color=plotting.COLORS[0])
    axes[2].bar(positions + 0.2, [rows[n][1] for n in names], width=0.4, label="test", color=plotting.COLORS[3])
    axes[2].set_xticks(positions, ["x only", "in-sample", "out-of-fold"])
    axes[2].axhline(0.0, color="black", linewidth=0.8)
    axes[2].set(ylabel="R^2", title="The leak: great on train, worse on test")
    axes[2].legend()
    fig.suptitle("Target-encoding a noise category", y=1.02)
    plotting.show_or_save(fig, "ex05_categorical_encoding")


if __name__ == "__main__":
    main()
