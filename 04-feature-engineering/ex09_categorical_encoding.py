"""
Exercise 09: categorical encoding: categories, codes and OrdinalEncoder

Learning goals
--------------
- Find each column's categories (sorted, NaN last, or in an order you give) and
  the code of every value by one sort and a binary search.
- Write OrdinalEncoder with scikit-learn's names and semantics: a given order, an
  unknown category gets a chosen code (or an error), inverse_transform gives the values back.

The math
--------
X has shape (n_samples, n_features); column j takes values in its sorted
categories C_j = categories_[j] (a NaN in a numeric column is one more category, last).

    ordinal   x -> the position of x in C_j: 0, 1, ..., |C_j| - 1

A linear model on the ordinal code k predicts b + w k: equal steps between
neighbouring categories, in the order of C_j. That suits S < M < L, and is a
strong assumption for colours or weekdays.

Algorithm
---------
1. fit: categories_[j] = sorted unique values of column j (NaN last), or the categories given.
2. transform: look each value up by binary search (np.searchsorted) in categories_[j], as
   module 03's confusion matrix looks up its labels; a miss is an unknown category, handled as asked.
3. The code itself, as a float; unknown and missing values get their codes. inverse_transform:
   the code indexes categories_[j].

References: M. Kuhn, K. Johnson, Feature Engineering and Selection, CRC Press, 2019,
ch. 5 ("Encoding categorical predictors"); scikit-learn user guide, "Encoding categorical features".
Difficulty: 2 of 3, about 35 minutes.
Run: python 04-feature-engineering/ex09_categorical_encoding.py
"""

# %%
import numpy as np

from utils import plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import check_fitted, check_option, check_X


# %% [markdown]
# ## Implementation: category lookup, and the ordinal encoder


# %%
def check_categorical_X(X, n_features=None, owner="the encoder"):
    """X as a 2-D array: numbers stay numeric, text becomes an object array."""
    if hasattr(X, "toarray") and hasattr(X, "nnz"):
        raise TypeError("X is a sparse matrix; the encoders need a dense array: pass X.toarray()")
    X = np.asarray(X)
    if X.dtype.kind == "c":
        raise ValueError("Complex data not supported: X holds complex numbers; categories are numbers or text")
    if X.dtype.kind in "US":
        X = X.astype(object)  # fixed-width strings would truncate longer unseen categories
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D array of shape (n_samples, n_features); got shape {X.shape}. "
                         "Reshape your data: X.reshape(-1, 1) for one feature")
    if X.shape[1] == 0:
        raise ValueError(f"X has 0 feature(s) (shape={X.shape}) while a minimum of 1 is required: give it a column")
    if n_features is not None and X.shape[1] != n_features:
        name = owner.removeprefix("this ")
        raise ValueError(f"X has {X.shape[1]} features, but {name} is expecting {n_features} features as input (as in fit)")
    return X


def missing_in(column):
    """Boolean mask of NaN in a numeric column; an object column must not hold None or NaN."""
    column = np.asarray(column)
    if column.dtype.kind == "f":
        return np.isnan(column)
    if column.dtype == object:
        bad = [v is None or (isinstance(v, float) and np.isnan(v)) for v in column]
        if any(bad):
            raise ValueError("a text column contains None or NaN: impute it (exercise 03) or name it, e.g. 'missing'")
    return np.zeros(column.shape, dtype=bool)


def column_categories(column):
    """The sorted unique values of one column; a NaN (numeric columns only) comes last."""
    column = np.asarray(column)
    missing = missing_in(column)
    # BEGIN SOLUTION
    # HINT 1: The sorted distinct observed values; a missing value becomes one extra category at the end.
    # HINT 2: categories = np.unique(column[~missing]), then append np.nan if any missing
    try:
        categories = np.unique(column[~missing])  # sorted
    except TypeError:
        raise TypeError("a column mixes text and numbers; make each column one type") from None
    if missing.any():
        categories = np.append(categories, np.nan)
    return categories
    # END SOLUTION


def encode_column(column, categories):
    """Position of each value in categories (shape (n_samples,), int), -1 for an unknown value.

    categories need not be sorted (a user may give ["S", "M", "L"]); NaN, if there, is last.
    """
    missing = missing_in(column)
    has_nan = categories.dtype.kind == "f" and categories.size > 0 and np.isnan(categories[-1])
    known = categories[:-1] if has_nan else categories  # no NaN
    codes = np.full(column.shape, -1)  # (n_samples,)
    # BEGIN SOLUTION
    # HINT 1: Sort the known categories once, binary-search each value, and keep a hit only
    # HINT 1: if the category found equals the value; missing values get the last code.
    # HINT 2: pos = searchsorted(known[order], values); code = order[pos] where known[order][pos] == values
    # HINT 3: order = argsort(known); pos = minimum(searchsorted(known[order], values), size - 1);
    # HINT 3: codes[~missing] = where(known[order][pos] == values, order[pos], -1); NaN: the last code
    if known.size:
        try:  # one sort and a binary search (module 03, exercise 06), -1 for an unknown value
            order = np.argsort(known, kind="stable")  # (n_known,): known may be unsorted (S, M, L)
            values = column[~missing]  # (n_observed,)
            pos = np.minimum(np.searchsorted(known[order], values), known.size - 1)  # (n_observed,)
            codes[~missing] = np.where(known[order][pos] == values, order[pos], -1)
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


class _BaseEncoder(TransformerMixin, BaseEstimator):
    """What the encoders share (exercise 17's TargetEncoder too): the check of X against the fit."""

    _domain = {"categorical": True, "allow_nan": True}  # text or numbers; NaN is a category

    def _checked(self, X):
        check_fitted(self, "categories_")
        return check_categorical_X(X, self.n_features_in_, f"this {type(self).__name__}")


class OrdinalEncoder(_BaseEncoder):
    """Each category becomes its position in the sorted categories (0, 1, 2, ...), as floats.

    Parameters
    ----------
    categories : "auto" or list of arrays (give the order yourself, e.g. [["S", "M", "L"]])
    handle_unknown : "error" or "use_encoded_value"
    unknown_value : the code for an unknown category (an int not used by any category, or np.nan)
    encoded_missing_value : the code for NaN (a missing value seen in training)

    Attributes: categories_ (list of ndarray), n_features_in_.
    """

    def __init__(self, categories="auto", handle_unknown="error", unknown_value=None, encoded_missing_value=np.nan):
        self.categories = categories
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value

    def fit(self, X, y=None):  # categories_, and an unknown_value that no category's code can be mistaken for
        check_option(self.handle_unknown, "handle_unknown", ("error", "use_encoded_value"))
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

    def transform(self, X):  # codes, (n_samples, n_features_in_), float64
        X = self._checked(X)
        out = np.empty(X.shape, dtype=float)
        # BEGIN SOLUTION
        # HINT 1: One integer code per value, as floats; unknown values get unknown_value (or raise),
        # HINT 1: missing values get encoded_missing_value.
        # HINT 2: codes = encode_column(X[:, j], categories).astype(float); codes[unknown] = unknown_value
        # HINT 3: per column: unknown = codes < 0 -> raise if "error" else unknown_value;
        # HINT 3: codes[missing_in(X[:, j]) & ~unknown] = encoded_missing_value; out[:, j] = codes
        for j, categories in enumerate(self.categories_):
            codes = encode_column(X[:, j], categories).astype(float)  # (n_samples,)
            unknown = codes < 0
            if unknown.any():
                if self.handle_unknown == "error":
                    raise _unknown_error(j, X[unknown, j])
                codes[unknown] = self.unknown_value
            codes[missing_in(X[:, j]) & ~unknown] = self.encoded_missing_value  # the NaN category keeps its NaN code
            out[:, j] = codes
        # END SOLUTION
        return out

    def inverse_transform(self, X):
        """Codes back to categories (object array); unknown_value gives None, the missing code NaN."""
        check_fitted(self, "categories_")
        X = check_X(X, self.n_features_in_, allow_nan=True, owner="this OrdinalEncoder")  # NaN: a missing or unknown code
        out = np.empty(X.shape, dtype=object)
        # BEGIN SOLUTION
        # HINT 1: Sort each code into unknown, missing or regular (careful: NaN codes need np.isnan,
        # HINT 1: not ==), check the regular ones are valid integers, and look them up in categories.
        # HINT 2: out[regular, j] = categories[codes[regular].astype(int)]; unknown -> None; missing -> NaN
        # HINT 3: per column: is_unknown (use_encoded_value only), is_missing (NaN-aware comparisons),
        # HINT 3: regular = neither; validate, look up; out[is_unknown, j] = None; out[is_missing, j] = np.nan
        for j, categories in enumerate(self.categories_):
            codes = X[:, j]  # (n_samples,)
            is_code = lambda value: np.isnan(codes) if np.isnan(float(value)) else codes == value  # NaN-aware ==
            is_unknown = is_code(self.unknown_value) if self.handle_unknown == "use_encoded_value" else np.zeros(codes.shape, bool)
            is_missing = is_code(self.encoded_missing_value) & ~is_unknown
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
# ## Demo


# %%
def main():
    table = np.array([["red", "S", "Paris"], ["green", "L", "Lima"], ["blue", "M", "Paris"], ["green", "S", "Oslo"]], dtype=object)
    auto = OrdinalEncoder().fit(table)
    print("Categories found (sorted):", [list(c) for c in auto.categories_])
    ordinal = OrdinalEncoder(categories=[["blue", "green", "red"], ["S", "M", "L"], ["Lima", "Oslo", "Paris"]],
                             handle_unknown="use_encoded_value", unknown_value=-1)
    codes = ordinal.fit(table).transform([["green", "M", "Oslo"], ["purple", "XL", "Paris"]])
    print("Sizes in their natural order S < M < L; 'purple' and 'XL' are unknown (-1):\n", codes)
    print("and back:", ordinal.inverse_transform(codes).tolist())

    fig, ax = plotting.new_figure(width=5.5, height=3.6)
    plotting.plot_heatmap(ax, auto.transform(table), [", ".join(row) for row in table], ["colour", "size", "city"],
                          fmt="{:.0f}", cmap="Blues", colorbar=False, title="Ordinal codes (sorted categories)")
    plotting.show_or_save(fig, "ex09_categorical_encoding")


if __name__ == "__main__":
    main()
