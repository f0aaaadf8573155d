"""
Exercise 10: one-hot encoding, and what it means for a linear model

Learning goals
--------------
- Write OneHotEncoder with scikit-learn's names and semantics: drop="first", handle_unknown
  ("error" or an all-zero block), get_feature_names_out, inverse_transform.
- See what the choice means for a linear model: ordinal codes (exercise 09)
  force one slope through the categories in their order, one-hot columns give
  each category its own level.

The math
--------
X has shape (n_samples, n_features); column j takes values in its categories
C_j = categories_[j] (exercise 09).

    one-hot   x -> (1[x = c] for c in C_j): |C_j| columns of 0/1 (|C_j| - 1 with drop="first")

On the one-hot columns a linear model predicts b + w_c for category c, any level
per category. The |C_j| one-hot columns of a feature sum to 1, the intercept's
column, so with an intercept they are linearly dependent; drop="first" removes
that redundancy (the first category becomes the baseline b).

Algorithm
---------
1. fit: categories_ as in exercise 09; drop_idx_ = 0 per feature with drop="first".
2. transform: codes by exercise 09's encode_column, then a 1 at (row, code) of a
   block of zeros per feature (fancy indexing); drop the dropped column.
3. inverse_transform: a block's argmax indexes the kept categories; an all-zero
   block is the dropped category (or an unknown one, None).
4. Demo: a weekday column, ordinal vs one-hot, under scikit-learn's linear regression.

References: M. Kuhn, K. Johnson, Feature Engineering and Selection, CRC Press, 2019,
ch. 5 ("Encoding categorical predictors"); scikit-learn user guide, "Encoding categorical features".
Builds on: 04-feature-engineering/ex09_categorical_encoding.py (encoding).
Difficulty: 2 of 3, about 30 minutes.
Run: python 04-feature-engineering/ex10_one_hot_encoding.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.validation import check_fitted, check_option, check_X

encoding = utils.load_exercise("04-feature-engineering/ex09_categorical_encoding.py", practice=False)


# %% [markdown]
# ## Implementation: the one-hot encoder


# %%
class OneHotEncoder(encoding._BaseEncoder):
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
        check_option(self.drop, "drop", (None, "first"))
        check_option(self.handle_unknown, "handle_unknown", ("error", "ignore"))
        X = encoding.check_categorical_X(X, owner="OneHotEncoder")
        self.categories_ = encoding._fit_categories(self, X, self.handle_unknown == "error")
        self.drop_idx_ = None if self.drop is None else np.zeros(X.shape[1], dtype=int)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """The one-hot matrix, shape (n_samples, total number of kept categories), float."""
        X = self._checked(X)
        blocks = []
        # BEGIN SOLUTION
        # HINT 1: One block of 0/1 columns per feature: a 1 in the row's category column, all zeros
        # HINT 1: for an unknown value (unless that is an error); then drop the dropped column.
        # HINT 2: block[rows[~unknown], codes[~unknown]] = 1 with block (n, |C_j|)
        # HINT 3: per feature: codes = encode_column(...); raise _unknown_error if needed;
        # HINT 3: block = zeros((n, |C_j|)); set the 1s; np.delete the drop_idx_[j] column; hstack
        rows = np.arange(X.shape[0])
        for j, categories in enumerate(self.categories_):
            codes = encoding.encode_column(X[:, j], categories)  # (n_samples,)
            unknown = codes < 0
            if unknown.any() and self.handle_unknown == "error":
                raise encoding._unknown_error(j, X[unknown, j])
            block = np.zeros((X.shape[0], categories.size))  # (n_samples, |C_j|)
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
        check_fitted(self, "categories_")
        names = [f"x{j}" for j in range(self.n_features_in_)] if input_features is None else list(input_features)
        if len(names) != self.n_features_in_:
            raise ValueError(f"input_features must have {self.n_features_in_} names; got {len(names)}")
        # BEGIN SOLUTION
        # HINT 1: One name per output column, "<feature>_<category>", for the categories each block keeps.
        return np.array([f"{name}_{c}" for j, name in enumerate(names) for c in self._kept(j)], dtype=object)
        # END SOLUTION

    def inverse_transform(self, X):
        """Back to categories (n_samples, n_features_in_), object; an all-zero block is the dropped category or None."""
        check_fitted(self, "categories_")
        X = check_X(X, owner="this OneHotEncoder", min_features=0)  # all columns dropped: (n_samples, 0)
        widths = [self._kept(j).size for j in range(self.n_features_in_)]
        if X.shape[1] != sum(widths):
            raise ValueError(f"X must have {sum(widths)} columns, as transform returns; got shape {X.shape}")
        out = np.empty((X.shape[0], self.n_features_in_), dtype=object)  # (n_samples, n_features_in_)
        # BEGIN SOLUTION
        # HINT 1: Walk the blocks left to right: the column holding the 1 gives the category. An all-zero
        # HINT 1: block is the dropped category, or None (unknown) when unknowns are ignored, else an error.
        # HINT 2: out[~empty, j] = kept[argmax(block[~empty], axis=1)]
        # HINT 3: for j, width: block = X[:, start:start + width]; empty = block.sum(1) == 0
        # HINT 3: out[~empty, j] = _kept(j)[argmax]; empty rows: dropped category, None, or ValueError
        starts = np.cumsum([0, *widths])  # (n_features_in_ + 1,), where each block begins
        for j, width in enumerate(widths):
            block = X[:, starts[j] : starts[j + 1]]  # (n_samples, width)
            empty = block.sum(axis=1) == 0  # (n_samples,), every row when the block has no column
            if width:
                out[~empty, j] = self._kept(j)[np.argmax(block[~empty], axis=1)]
            if empty.any() and self.drop_idx_ is None and self.handle_unknown != "ignore":
                raise ValueError(f"rows with an all-zero block in feature {j}: not a valid one-hot encoding")
            out[empty, j] = None if self.drop_idx_ is None else self.categories_[j][self.drop_idx_[j]]
        # END SOLUTION
        return out


# %% [markdown]
# ## Demo


# %%
def make_weekday_visits(n_per_day=30, random_state=None):
    """Visits to a shop by weekday: busy on Friday and Saturday, quiet on Sunday (not monotone)."""
    rng = data.as_rng(random_state)
    days = np.array(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], dtype=object)
    level = np.array([2.0, 1.8, 2.0, 2.3, 3.2, 4.5, 1.0])  # (7,), the true mean of each day
    day = np.repeat(np.arange(7), n_per_day)  # (7 n_per_day,)
    return days[day][:, None], level[day] + 0.4 * rng.standard_normal(day.size), days  # (n_samples, 1), (n_samples,), (7,)


def main():
    from sklearn.linear_model import LinearRegression  # written in module 02; the library's here

    table = np.array([["red", "S", "Paris"], ["green", "L", "Lima"], ["blue", "M", "Paris"]], dtype=object)
    onehot = OneHotEncoder().fit(table)
    print("One-hot columns of a tiny table:", list(onehot.get_feature_names_out(["colour", "size", "city"])))
    print(onehot.transform(table).astype(int))

    # The same weekday column, ordinal-encoded (one slope) and one-hot-encoded (one level per day).
    X, y, days = make_weekday_visits(random_state=0)
    encoders = {"ordinal (Mon=0 ... Sun=6)": encoding.OrdinalEncoder(categories=[days]), "one-hot, drop='first'": OneHotEncoder(drop="first")}
    fits = {}
    print(f"\n{'weekday -> daily visits (linear regression)':<44}{'columns':>8}{'R^2':>8}")
    for name, encoder in encoders.items():
        A = encoder.fit_transform(X)  # (n_samples, 1) or (n_samples, 6)
        line = LinearRegression().fit(A, y)
        fits[name] = line.predict(encoder.transform(days[:, None])), line.score(A, y)  # (7,) per day, R^2
        print(f"{name:<44}{A.shape[1]:>8}{fits[name][1]:8.3f}")

    fig, ax = plotting.new_figure(width=6.5, height=4.2)
    jitter = data.as_rng(1).uniform(-0.15, 0.15, y.size)  # (n_samples,), only to spread the dots
    ax.scatter(np.repeat(np.arange(7), len(y) // 7) + jitter, y, s=8, alpha=0.4, color=plotting.COLORS[5], label="one day's visits")
    (ordinal_name, (ordinal_fit, ordinal_r2)), (onehot_name, (onehot_fit, onehot_r2)) = fits.items()
    ax.plot(np.arange(7), ordinal_fit, color=plotting.COLORS[3], linewidth=2, label=f"{ordinal_name}: $R^2$ = {ordinal_r2:.2f}")
    ax.hlines(onehot_fit, np.arange(7) - 0.3, np.arange(7) + 0.3, color=plotting.COLORS[0], linewidth=3,
              label=f"{onehot_name}: $R^2$ = {onehot_r2:.2f}")
    ax.set_xticks(np.arange(7), list(days))
    ax.set(xlabel="weekday", ylabel="visits (thousands)", title="A linear model on each encoding of the weekday")
    ax.legend(loc="upper left")
    plotting.show_or_save(fig, "ex10_one_hot_encoding")


if __name__ == "__main__":
    main()
