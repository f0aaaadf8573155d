"""
Exercise 07: loading and cleaning a messy CSV file with NumPy alone

Learning goals
--------------
- Parse a CSV file with a header, missing values and a text column with np.genfromtxt,
  and know the trap it sets for integer columns.
- Drop rows without a label, fill missing numbers with the median of their column, turn a
  text category into one-hot columns and text labels into 0..k-1: X of shape
  (n_samples, n_features) as floats and y of shape (n_samples,), as every later exercise expects.

The math
--------
Median imputation: in column j, replace each missing x_ij by the median of the
present values of column j (the median ignores outliers that would drag a mean).
One-hot encoding: a category c with k possible values becomes k columns; row i
gets e_ij = 1 if x_i is the j-th category, else 0. A missing category gets all
zeros. (Numbering the categories 0, 1, 2 instead would invent an order and a
distance: "green" is not halfway between "red" and "yellow".)
Labels: the k distinct labels, sorted, become the integers 0..k-1.

Algorithm
---------
1. read_csv: np.genfromtxt(names=True, dtype=None, encoding="utf-8", usemask=True) masks
   every missing cell; numeric columns -> float with NaN, text columns -> "" for missing.
2. Drop the rows whose label is missing.
3. Impute each numeric column with its median; one-hot encode each text column.
4. Stack the columns into X; encode the labels into y.

References: NumPy reference, "numpy.genfromtxt" and "Importing data with genfromtxt";
H. Wickham, "Tidy Data", Journal of Statistical Software 59(10) (2014).
Difficulty: 2 of 3, about 45 minutes.
Run: python 01-python-for-ml/ex07_loading_tabular_data.py
"""

# %%
import tempfile
from pathlib import Path

import numpy as np

from utils import plotting
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation


# %%
def read_csv(path, missing=("NA", "?")):
    """Read a comma-separated file with a header row into a dict {column name: ndarray of shape (n_rows,)}.

    `missing` lists the markers that mean "no value" (an empty field always does). Numeric
    columns come back as float with NaN where missing; text columns as stripped str with ""
    where missing. genfromtxt cleans names: "body mass" becomes "body_mass".
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no CSV file at {path}")
    if not path.read_text(encoding="utf-8").strip():
        raise ValueError(f"{path} is empty: expected a header line and data rows")
    # BEGIN SOLUTION
    # HINT 1: np.genfromtxt with a header row gives a structured (masked) array: one field per
    # HINT 1: column. Convert each field to a float column (missing -> NaN) or text (missing -> "").
    # HINT 2: genfromtxt(path, delimiter=",", names=True, dtype=None, missing_values=",".join(missing), usemask=True)
    # HINT 3: table = np.genfromtxt(..., encoding="utf-8", autostrip=True, usemask=True, ndmin=1); empty -> ValueError
    # HINT 3: for name in table.dtype.names: field = table[name]; numbers ("biuf"):
    # HINT 3:     field.astype(float).filled(np.nan); text: field.filled("").astype(str)
    table = np.genfromtxt(
        path, delimiter=",", names=True, dtype=None, encoding="utf-8",
        missing_values=",".join(missing),  # one string, comma-separated: a list would mean one marker PER COLUMN
        autostrip=True, usemask=True, ndmin=1,  # usemask: a masked array that marks every missing cell
    )  # (n_rows,) structured: one field per column, its dtype guessed from the values
    if table.size == 0:
        raise ValueError(f"{path} has a header but no data rows")
    columns = {}
    for name in table.dtype.names:
        field = table[name]  # masked array of shape (n_rows,)
        if field.dtype.kind in "biuf":  # numbers (an all-missing column arrives as bool)
            columns[name] = field.astype(float).filled(np.nan)  # NaN, not genfromtxt's -1 for ints
        else:
            columns[name] = field.filled("").astype(str)
    return columns
    # END SOLUTION


def impute_median(values):
    """A copy of a numeric column with each NaN replaced by the median of the other values."""
    values = as_float_array(values, "values", ndim=1)  # (n,)
    if np.all(np.isnan(values)):
        raise ValueError(f"values must hold at least one number to impute from; got shape {values.shape}, every value is missing")
    # BEGIN SOLUTION
    # HINT 1: Fill the NaN entries of a copy with the median of the observed values.
    # HINT 2: filled[isnan(values)] = median(values[~isnan(values)])
    missing = np.isnan(values)  # (n,)
    filled = values.copy()  # never write into the caller's column
    filled[missing] = np.median(values[~missing])  # np.median of an array with NaN would be NaN
    return filled
    # END SOLUTION


def one_hot(values, categories=None):
    """One 0/1 column per category, after stripping spaces and lower-casing the text.

    values: text of shape (n,), "" is missing and gets a row of zeros. categories: the columns
    to make, in order (e.g. those seen in training data); default the distinct values, sorted.
    Returns encoded (n, n_categories) of float 0.0 / 1.0, and categories (n_categories,).
    """
    values = np.asarray(values)
    if values.ndim != 1 or values.dtype.kind not in "US":
        raise ValueError(f"values must be a 1-D array of text; got shape {values.shape} and dtype {values.dtype}")
    # BEGIN SOLUTION
    # HINT 1: Normalise the text (strip, lower case), list the categories, reject unknown
    # HINT 1: values, and compare every value with every category by broadcasting.
    # HINT 2: encoded = (clean[:, None] == categories[None, :]).astype(float)  # (n, k)
    # HINT 3: clean = np.char.lower(np.char.strip(values.astype(str))); present = clean != ""
    # HINT 3: categories = np.unique(clean[present]) if None; unknown values -> ValueError
    # HINT 3: return (clean[:, None] == categories[None, :]).astype(float), categories
    clean = np.char.lower(np.char.strip(values.astype(str)))  # (n,): " Red " -> "red"
    present = clean != ""  # (n,)
    if categories is None:
        categories = np.unique(clean[present])  # (k,), sorted
    categories = np.asarray(categories, dtype=str)
    unknown = sorted(set(clean[present].tolist()) - set(categories.tolist()))
    if unknown:
        raise ValueError(f"values {unknown} are not among the categories {categories.tolist()}")
    encoded = (clean[:, None] == categories[None, :]).astype(float)  # (n, 1) == (1, k) -> (n, k)
    return encoded, categories
    # END SOLUTION


def encode_labels(values):
    """Labels -> integers 0..k-1 in sorted order. Returns (y of shape (n,), classes of shape (k,))."""
    values = np.asarray(values)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"values must be a non-empty 1-D array of labels; got shape {values.shape}")
    # BEGIN SOLUTION
    # HINT 1: np.unique can also return, for every value, its index in the sorted unique array.
    # HINT 2: classes, y = np.unique(values, return_inverse=True)
    classes, y = np.unique(values, return_inverse=True)  # classes sorted; classes[y] == values
    return y, classes
    # END SOLUTION


def build_xy(columns, numeric, categorical, label):
    """Clean columns into X (n_kept, n_features) of floats and y (n_kept,) of ints in 0..k-1.

    Rows without a label are dropped first (a sample we cannot learn from or score); then numeric
    columns are median-imputed and text columns one-hot encoded. Also returns feature_names
    (e.g. ["weight_g", "color=green", "color=red"]) and classes (k,), the label of each integer in y.
    """
    for name in [*numeric, *categorical, label]:
        if name not in columns:
            raise ValueError(f"no column {name!r}; the file has: {', '.join(columns)}")
        if name in numeric and columns[name].dtype.kind != "f":
            raise ValueError(f"column {name!r} holds text (e.g. {columns[name][0]!r}), not numbers")
    if not numeric and not categorical:
        raise ValueError("no feature columns requested: give numeric and/or categorical column names")
    # BEGIN SOLUTION
    # HINT 1: Drop rows without a label, then stack the numeric columns (median-imputed) and
    # HINT 1: the one-hot categorical blocks side by side; encode the labels as integers.
    # HINT 2: X = hstack([impute_median(col)[:, None] ..., one_hot(col)[0] ...]); y, classes = encode_labels(...)
    # HINT 3: keep = labels present (not NaN / not ""); parts, names = [], []
    # HINT 3: numeric: parts.append(impute_median(columns[name][keep])[:, None]); names.append(name)
    # HINT 3: categorical: encoded, cats = one_hot(columns[name][keep]); names += [f"{name}={c}"]
    # HINT 3: X = np.hstack(parts); y, classes = encode_labels(labels[keep])
    labels = columns[label]  # (n_rows,)
    keep = ~np.isnan(labels) if labels.dtype.kind == "f" else labels != ""  # (n_rows,) booleans
    parts, feature_names = [], []
    for name in numeric:
        parts.append(impute_median(columns[name][keep])[:, None])  # (n_kept, 1); median of kept rows only
        feature_names.append(name)
    for name in categorical:
        encoded, categories = one_hot(columns[name][keep])  # (n_kept, k)
        parts.append(encoded)
        feature_names += [f"{name}={c}" for c in categories]
    X = np.hstack(parts)  # (n_kept, n_features)
    y, classes = encode_labels(labels[keep])  # (n_kept,)
    return X, y, feature_names, classes
    # END SOLUTION


# %% [markdown]
# ## Demo

# %%
MESSY_CSV = """weight_g,diameter_cm,color,sweetness,fruit
152,7.1,red,6.5,apple
170,7.6, Red ,NA,apple
,7.0,green,5.9,apple
138,6.8,green,?,apple
131,7.4,orange,8.1,orange
145,7.9,orange,NA,orange
,7.7,Orange,7.6,orange
160,8.2,,8.4,orange
118,3.2,yellow,9.1,banana
125,NA,yellow,9.4,banana
110,3.4, yellow,?,banana
121,3.1,green,7.0,banana
140,7.2,red,6.8,
105,3.3,YELLOW,9.0,banana
"""


def main():
    with tempfile.TemporaryDirectory() as folder:  # a throw-away folder: nothing is written into the repository
        path = Path(folder) / "fruit.csv"
        path.write_text(MESSY_CSV, encoding="utf-8")
        print(f"A messy CSV ({len(MESSY_CSV.splitlines()) - 1} rows), written to a temporary file:\n\n{MESSY_CSV}")
        # The trap: with plain dtype=None, an integer column fills its missing cells with -1.
        naive = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
        print(f"plain genfromtxt(dtype=None): weight_g is {naive['weight_g'].dtype}: {naive['weight_g'].tolist()}")
        print(f"  and sweetness became text: {naive['sweetness'][:4].tolist()} ...  (-1 looks like data; NA, ? are not numbers)")
        columns = read_csv(path)

    numeric = ["weight_g", "diameter_cm", "sweetness"]
    X, y, names, classes = build_xy(columns, numeric, ["color"], "fruit")
    print(f"\nbuild_xy: X {X.shape}, y {y.shape}; classes {classes.tolist()} -> 0..{len(classes) - 1}")
    print("  " + " ".join(f"{n:>12s}" for n in names) + "   label")
    for row, label in zip(X, y):
        print("  " + " ".join(f"{v:12.1f}" for v in row) + f"   {label} ({classes[label]})")
    print("  (the banana whose diameter was missing got the median of ALL fruit, 7.0: a global median ignores the class)")

    fig, axes = plotting.new_figure(1, 2, width=5.0, height=4.3)
    missing_map = np.column_stack([np.isnan(c) if c.dtype.kind == "f" else c == "" for c in columns.values()])  # (14, 5)
    plotting.plot_heatmap(axes[0], missing_map.astype(float), col_labels=list(columns), annotate=False, cmap="Greys",
                          colorbar=False, title=f"Missing cells (dark): {missing_map.sum()} of {missing_map.size}")
    imputed = missing_map[columns["fruit"] != "", :2].any(axis=1)  # (13,): weight or diameter was filled in
    plotting.plot_clusters(axes[1], X[:, :2], classes[y], title="Cleaned data: weight vs diameter")
    axes[1].scatter(X[imputed, 0], X[imputed, 1], s=120, facecolors="none", edgecolors="black", label="imputed (median)")
    axes[1].set(xlabel="weight_g", ylabel="diameter_cm")
    axes[1].legend(loc="lower right")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex07_loading_tabular_data")


if __name__ == "__main__":
    main()
