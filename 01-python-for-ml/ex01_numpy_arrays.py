"""
Exercise 01: NumPy arrays: creation, dtypes, shapes, views and indexing

Learning goals
--------------
- Create arrays with a chosen shape and dtype, and reshape them without copying.
- Tell a view (new window onto the same memory) from a copy, and check it with
  np.shares_memory before writing into an array.
- Pick entries with basic slicing (a view), fancy indexing with integer arrays and
  boolean masks (copies), and avoid the pair-picking trap of X[rows, cols].

The math
--------
An array is a block of memory plus a description of it: a dtype (how many bytes
one number takes and how to read them), a shape (n_0, ..., n_{k-1}) and strides
(how many bytes to step to reach the next index along each axis). For the 2-D
array X of shape (n_rows, n_cols) in row-major (C) order, entry (i, j) sits at
position i * n_cols + j of the memory block.
- A slice X[a:b, ::s] only changes the start, shape and strides: it is a VIEW,
  and writing into it writes into X.
- An integer array or a boolean mask cannot be described by strides, so
  X[[0, 2]] and X[X > 0] build a new array: a COPY.
- Standardising column j means z_ij = (x_ij - mean_j) / std_j, with mean_j and
  std_j of shape (n_cols,) taken over the rows.

Algorithm
---------
1. Build a grid with np.arange and reshape; read its dtype, shape and strides.
2. Standardise the columns either into a new array or in place (only for floats).
3. Select rows with a boolean mask built from two comparisons joined by &.
4. Select a sub-matrix with np.ix_, the outer product of row and column indices.

References: C. R. Harris et al., "Array programming with NumPy", Nature 585 (2020);
NumPy user guide, "Copies and views" and "Indexing on ndarrays".
Difficulty: 1 of 3, about 15 minutes.
Run: python 01-python-for-ml/ex01_numpy_arrays.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import check_positive_int

# %% [markdown]
# ## Implementation


# %%
def make_grid(n_rows, n_cols, dtype=np.int64):
    """The (n_rows, n_cols) array of the requested dtype whose entry (i, j) is i * n_cols + j (its row-major position)."""
    n_rows = check_positive_int(n_rows, "n_rows")
    n_cols = check_positive_int(n_cols, "n_cols")
    # BEGIN SOLUTION
    # HINT 1: Make the numbers 0 .. n_rows * n_cols - 1 in the
    # HINT 1: requested dtype, then give them a 2-D shape.
    # HINT 2: np.arange(n_rows * n_cols, dtype=dtype).reshape(n_rows, n_cols)  # a view, no copy
    flat = np.arange(n_rows * n_cols, dtype=dtype)  # (n_rows * n_cols,)
    return flat.reshape(n_rows, n_cols)  # (n_rows, n_cols): a view of flat, no copy
    # END SOLUTION


def standardize_columns(X, inplace=False):
    """Give every column mean 0 and standard deviation 1.

    X : ndarray of shape (n_samples, n_features). inplace=False returns a new float array and leaves
    X untouched; inplace=True overwrites X itself (a float ndarray) and returns it. A constant
    column has standard deviation 0: it is only centred (to zeros), never divided by zero.
    """
    if inplace and not isinstance(X, np.ndarray):
        raise TypeError(f"inplace=True needs an ndarray to write into; got {type(X).__name__}")
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise TypeError(f"X must hold numbers; got dtype {X.dtype}")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n_samples, n_features) with n_samples >= 1; got {X.shape}")
    if inplace and not np.issubdtype(X.dtype, np.floating):
        raise TypeError(f"inplace=True needs a floating-point array to hold the results; got dtype {X.dtype}")
    # BEGIN SOLUTION
    # HINT 1: Column statistics come from axis=0 and broadcast back over the rows.
    # HINT 1: Copy unless inplace, and never divide by a zero std (a constant column).
    # HINT 2: out = (X - X.mean(axis=0)) / std, with std = 1 where np.ptp(X, axis=0) == 0
    # HINT 3: mean, std = X.mean(axis=0), X.std(axis=0); std = np.where(np.ptp(X, axis=0) > 0, std, 1.0)
    # HINT 3: out = X if inplace else X.astype(float)   # astype makes the copy
    # HINT 3: out -= mean; out /= std; return out
    mean = X.mean(axis=0)  # (n_features,)
    std = X.std(axis=0)  # (n_features,)
    std = np.where(np.ptp(X, axis=0) > 0, std, 1.0)  # constant column: divide by 1, not by 0
    out = X if inplace else X.astype(float)  # astype copies by default: X stays as it was
    out -= mean  # (n_samples, n_features) - (n_features,): one mean per column
    out /= std
    return out
    # END SOLUTION


def rows_where(X, column, low, high):
    """The rows of X with low <= X[:, column] < high, as a new array of shape (n_kept, n_features).

    A NaN in the column never passes the comparisons, so its row is never kept.
    """
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise TypeError(f"X must hold numbers; got dtype {X.dtype}")
    if X.ndim != 2 or X.shape[1] == 0:
        raise ValueError(f"X must have shape (n_samples, n_features) with n_features >= 1; got {X.shape}")
    if not -X.shape[1] <= column < X.shape[1]:
        raise ValueError(f"column must index one of the {X.shape[1]} columns; got {column}")
    # BEGIN SOLUTION
    # HINT 1: Build a boolean mask from one column, then index the rows with it.
    # HINT 2: mask = (X[:, column] >= low) & (X[:, column] < high); return X[mask]
    values = X[:, column]  # (n_samples,): a view of one column
    mask = (values >= low) & (values < high)  # (n_samples,) booleans; & needs the parentheses
    return X[mask]  # (n_kept, n_features): boolean indexing copies
    # END SOLUTION


def submatrix(X, rows, cols):
    """The block of X at every (row, col) pair: shape (len(rows), len(cols)), entry (a, b) = X[rows[a], cols[b]]."""
    X = np.asarray(X)
    rows, cols = np.asarray(rows), np.asarray(cols)
    if X.ndim != 2 or rows.ndim != 1 or cols.ndim != 1:
        raise ValueError(f"expected a 2-D X and two 1-D index lists; got shapes {X.shape}, {rows.shape}, {cols.shape}")
    if not (np.issubdtype(rows.dtype, np.integer) and np.issubdtype(cols.dtype, np.integer)):
        raise TypeError(f"rows and cols must hold integers; got dtypes {rows.dtype} and {cols.dtype}")
    # BEGIN SOLUTION
    # HINT 1: Two index lists in X[rows, cols] pair up element by element; you want every combination.
    # HINT 2: X[np.ix_(rows, cols)]  # (len(rows), len(cols))
    # X[rows, cols] would pair rows[k] with cols[k] and return len(rows) single entries.
    # np.ix_ turns them into shapes (len(rows), 1) and (1, len(cols)), so every row meets every column.
    return X[np.ix_(rows, cols)]  # (len(rows), len(cols)), a copy
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def _draw_selection(ax, X, selected, title):
    """Show the values of X, shading the cells that an indexing expression picked."""
    ax.imshow(selected, cmap="Blues", vmin=0, vmax=1.6)
    ax.grid(False)
    for (i, j), value in np.ndenumerate(X):
        ax.text(j, i, str(value), ha="center", va="center", fontsize=9, color="white" if selected[i, j] else "black")
    ax.set(title=title, xticks=range(X.shape[1]), yticks=range(X.shape[0]), xlabel="column j", ylabel="row i")


def main():
    # Creation and dtypes: the same numbers can take 8, 4 or 1 bytes each.
    for name, arr in [("np.linspace(0, 1, 5)", np.linspace(0, 1, 5)), ("np.arange(6)", np.arange(6)),
                      ("np.ones(4, dtype=np.float32)", np.ones(4, dtype=np.float32)), ("np.eye(3, dtype=np.uint8)", np.eye(3, dtype=np.uint8))]:
        print(f"{name:30s} shape={str(arr.shape):6s} dtype={str(arr.dtype):8s} itemsize={arr.itemsize} bytes")
    ints = np.arange(3)  # (3,) int64
    ints[0] = 2.9  # silently truncated: an int array cannot hold 2.9
    print(f"ints[0] = 2.9 on an int array stores {ints[0]}; ints / 2 gives floats: {ints / 2}")

    X = make_grid(4, 5)  # (4, 5)
    print(f"\nX = make_grid(4, 5), shape {X.shape}, strides {X.strides} bytes (next row, next column)\n{X}")
    window = X[1:3, ::2]  # (2, 3) view: rows 1-2, every other column
    window[0, 0] = -1  # a view silently changes its base
    print(f"After window = X[1:3, ::2]; window[0, 0] = -1, X[1, 0] is {X[1, 0]} (the base changed)")
    X[1, 0] = 5  # put it back

    # View or copy? np.shares_memory answers it for each way of making a new array.
    print(f"\n{'expression':16s} {'shape':9s} shares memory with X")
    made = {"X[1:3, ::2]": X[1:3, ::2], "X.reshape(5, 4)": X.reshape(5, 4), "X.T": X.T, "X.ravel()": X.ravel(),
            "X.T.ravel()": X.T.ravel(), "X.flatten()": X.flatten(), "X[[0, 2]]": X[[0, 2]], "X[X % 2 == 0]": X[X % 2 == 0]}
    for expr, result in made.items():
        print(f"{expr:16s} {str(result.shape):9s} {np.shares_memory(result, X)}")

    Z = standardize_columns(X)
    print(f"\nstandardize_columns(X): column means {np.round(Z.mean(axis=0), 12) + 0.0}, stds {Z.std(axis=0)}")
    F = X.astype(float)  # (4, 5)
    standardize_columns(F[:, :2], inplace=True)  # F[:, :2] is a view, so F changes
    print(f"  X is untouched ({X[0, :3]}); in place on the view F[:, :2]: F's first row is now {F[0]}")
    print(f"rows_where(X, column=1, low=4, high=15):\n{rows_where(X, column=1, low=4, high=15)}")
    print(f"submatrix(X, [0, 2], [1, 3, 4]):\n{submatrix(X, [0, 2], [1, 3, 4])}\nX[[0, 2], [1, 3]] picks only pairs: {X[[0, 2], [1, 3]]}")

    fig, axes = plotting.new_figure(1, 4, width=3.8, height=3.4)
    panels = [(np.s_[1:3, ::2], "X[1:3, ::2]: slice, a view"),
              ((X[:, 1] >= 4) & (X[:, 1] < 15), "rows_where(X, 1, 4, 15): mask, a copy"),
              (np.ix_([0, 2], [1, 3, 4]), "X[np.ix_([0,2], [1,3,4])]: fancy, a copy"),
              (([0, 2], [1, 3]), "X[[0,2], [1,3]]: only the pairs")]
    for ax, (index, title) in zip(axes, panels):
        selected = np.zeros(X.shape, dtype=bool)  # (4, 5)
        selected[index] = True  # the cells that X[index] reads
        _draw_selection(ax, X, selected, title)
    fig.suptitle("Which cells each kind of indexing picks (shaded)")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex01_numpy_arrays")


if __name__ == "__main__":
    main()
