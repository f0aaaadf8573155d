"""Input checks shared by the estimators and transformers of every module.

Each check returns the cleaned-up input or raises an error that says what was
expected and what arrived, so a learner's mistake is explained where it happens.

    X = check_X(X)                                  # (n_samples, n_features), finite floats
    X, y = check_X_y(X, y)                          # plus labels or targets of shape (n_samples,)
    X, y = check_X_y(X, y, classification=True)     # labels: a classifier refuses continuous y
    X = check_X(X, n_features=self.n_features_in_)  # at predict time: the same columns as in fit
    check_fitted(self, "coef_")                     # predict before fit -> NotFittedError
    k = check_positive_int(k, "n_neighbors")        # a count: 1, 2, 3, ... (not 0, 2.5, 2.0 or True)
    n = check_non_negative_int(n, "max_iter")       # a count that may be 0
    tol = check_positive_number(tol, "tol")         # a real number > 0 (or >= 0 with allow_zero)
    check_option(criterion, "criterion", CRITERIA)  # one of a fixed set of values
    size = check_positive_int(size, "batch_size", allow_none=True)  # a count, or None
"""

import sys
import warnings

import numpy as np

__all__ = [
    "NotFittedError",
    "DataConversionWarning",
    "check_X",
    "check_X_y",
    "check_fitted",
    "check_non_negative_int",
    "check_positive_number",
    "check_positive_int",
    "check_option",
]

# |x| above this squares past float64's largest number (1.8e308) once a few hundred are summed.
HUGE = 1e150


class NotFittedError(ValueError, AttributeError, RuntimeError):
    """predict / transform before fit. A ValueError and an AttributeError, like scikit-learn's,
    so code that catches either (scikit-learn's among it) recognises it; and a RuntimeError,
    what check_fitted raised before, so older code that catches that still works."""


class DataConversionWarning(UserWarning):
    """y arrived in a shape that was converted (a column vector raveled to 1-D)."""


_TWINS = {}


def _also_sklearns(ours, name):
    """``ours``, or, once scikit-learn is loaded, a subclass of ``ours`` and of scikit-learn's
    class of the same ``name``: so scikit-learn's code that catches its NotFittedError (or
    filters its DataConversionWarning) recognises ours, and no exercise imports scikit-learn."""
    library = sys.modules.get("sklearn.exceptions")
    if library is None:
        return ours
    if name not in _TWINS:
        _TWINS[name] = type(name, (ours, getattr(library, name)), {"__module__": __name__, "__doc__": ours.__doc__})
    return _TWINS[name]


def _as_float_array(X, name="X"):
    """np.asarray(X, float), refusing sparse matrices and complex numbers with words that say so."""
    if hasattr(X, "toarray") and hasattr(X, "nnz"):  # a scipy.sparse matrix or array, without importing SciPy
        raise TypeError(f"{name} is a sparse matrix; this estimator needs a dense array: pass {name}.toarray()")
    complex_error = ValueError(f"Complex data not supported: {name} holds complex numbers; pass real ones (their .real or abs)")
    try:
        X = np.asarray(X)
        if X.dtype.kind == "c":
            raise complex_error
        return X.astype(float, copy=False)
    except (TypeError, ValueError) as error:
        if error is complex_error or "complex" in str(error):
            raise complex_error from None
        raise TypeError(f"{name} must hold numbers ({error}); encode text categories as numbers first (module 04)") from None


def check_X(X, n_features=None, allow_nan=False, owner="the model", allow_huge=False, min_features=1):
    """X as a float array of shape (n_samples, n_features), or a clear error.

    Parameters
    ----------
    X : array-like
    n_features : int, optional
        The number of columns seen in ``fit``; X must have the same.
    allow_nan : bool
        Let NaN through (imputers and scalers handle missing values); infinity never is.
    owner : str
        Who is checking, for the message ("the imputer", "this KMeans").
    allow_huge : bool
        Let values beyond 1e150 through (methods that never square X, or that rescale
        it first). Otherwise they are refused: squared, they overflow float64.
    min_features : int
        1: a model needs a column. 0 lets an (n, 0) X through (the inverse of an
        encoding that produced no columns).

    Returns
    -------
    ndarray of float64, shape (n_samples, n_features)
    """
    X = _as_float_array(X)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(
            f"X must be a non-empty 2-D array of shape (n_samples, n_features); got shape {X.shape}. "
            "Reshape your data: X.reshape(-1, 1) for one feature, X.reshape(1, -1) for one sample"
        )
    if X.shape[1] < min_features:
        raise ValueError(f"X has 0 feature(s) (shape={X.shape}) while a minimum of 1 is required: give it a column")
    if n_features is not None and X.shape[1] != n_features:
        name = owner.removeprefix("this ").removeprefix("the ")
        raise ValueError(f"X has {X.shape[1]} features, but {name} is expecting {n_features} features as input (as in fit)")
    if allow_nan:
        if np.isinf(X).any():
            raise ValueError("X contains infinity; only NaN can mark a missing value")
    elif not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinity; clean or impute it first (module 04)")
    if not allow_huge and X.size:
        if not allow_nan:  # finite: two reductions, no temporary array
            top = max(X.max(), -X.min())
        else:
            top = np.nanmax(np.abs(X)) if not np.isnan(X).all() else 0.0
        if top > HUGE:
            raise ValueError(f"X has values up to {top:.3g}; squared they overflow float64: rescale X first")
    return X


def check_X_y(X, y, numeric_y=False, allow_nan=False, classification=False, allow_huge=False):
    """X of shape (n_samples, n_features) and y of shape (n_samples,), or a clear error.

    Parameters
    ----------
    numeric_y : bool
        y is a regression target: converted to float and required to be finite.
        Otherwise y holds class labels of any type (ints, strings, ...), never NaN or inf.
    allow_nan, allow_huge : bool
        Passed on to ``check_X``.
    classification : bool
        y must be class labels: floats that are not whole numbers (a continuous target)
        are refused.

    A column vector y of shape (n_samples, 1) is raveled to 1-D with a
    DataConversionWarning, as scikit-learn does.
    """
    X = check_X(X, allow_nan=allow_nan, allow_huge=allow_huge)
    if y is None:
        raise ValueError("this estimator requires y to be passed, but the target y is None")
    if hasattr(y, "toarray") and hasattr(y, "nnz"):
        raise TypeError("y is a sparse matrix; pass a dense 1-D array")
    y = _as_float_array(y, "y") if numeric_y else np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected; raveled to shape (n_samples,)",
            _also_sklearns(DataConversionWarning, "DataConversionWarning"),
            stacklevel=2,
        )
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of shape (n_samples,); got shape {y.shape}")
    if len(y) != len(X):
        raise ValueError(f"X and y must have the same number of samples; got {len(X)} and {len(y)}")
    if y.dtype.kind == "c":
        raise ValueError("Complex data not supported: y holds complex numbers")
    if y.dtype.kind in "fc" or numeric_y:
        if not np.isfinite(y).all():
            raise ValueError("y contains NaN or infinity; drop or fill those samples first")
    elif y.dtype.kind == "O" and any(isinstance(v, float) and not np.isfinite(v) for v in y):
        raise ValueError("y contains NaN or infinity; drop or fill those samples first")
    if classification and y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError(
            "Unknown label type: y looks continuous (floats that are not whole numbers); "
            "a classifier needs class labels: use a regressor, or bin y into classes"
        )
    return X, y


def check_fitted(estimator, attribute):
    """Raise NotFittedError when ``estimator`` has no ``attribute`` yet (not fitted)."""
    if not hasattr(estimator, attribute):
        raise _also_sklearns(NotFittedError, "NotFittedError")(f"this {type(estimator).__name__} is not fitted yet; call fit first")


def check_non_negative_int(value, name):
    """``int(value)`` for an integer >= 0 (Python or NumPy, not bool or float), or a clear ValueError."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 0:
        return int(value)
    raise ValueError(f"{name} must be a non-negative integer (0, 1, 2, ...); got {value!r}")


def check_positive_number(value, name, allow_zero=False, allow_none=False):
    """``float(value)`` for a finite real number > 0 (>= 0 with ``allow_zero``), or a clear ValueError."""
    if value is None and allow_none:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if np.isfinite(value) and (value > 0 or (allow_zero and value == 0)):
            return float(value)
    expected = "a finite number >= 0" if allow_zero else "a finite number > 0"
    raise ValueError(f"{name} must be {expected}{' or None' if allow_none else ''}; got {value!r}")


def check_positive_int(value, name, allow_none=False):
    """``int(value)`` for an integer >= 1 (a Python or NumPy integer), or a clear ValueError.

    Floats are refused even when whole (2.0), and so are booleans (True is an int in
    Python, but never a sensible count). With ``allow_none``, None passes and is returned.
    """
    if value is None and allow_none:
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 1:
        return int(value)
    expected = "a positive integer or None" if allow_none else "a positive integer"
    raise ValueError(f"{name} must be {expected}; got {value!r}")


def _same(value, option):
    """value == option as one plain truth value; False for an array, or an object that cannot compare."""
    try:
        equal = value == option
    except Exception:  # some objects refuse to be compared with others
        return False
    return isinstance(equal, (bool, np.bool_)) and bool(equal)


def check_option(value, name, options):
    """``value`` when it is one of ``options``, or a ValueError that lists them.

    Lists and arrays are refused with the same message (instead of an "unhashable" or
    "truth value of an array is ambiguous" error from ``value in options``).
    """
    options = tuple(options)
    if any(value is option or _same(value, option) for option in options):
        return value
    raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}; got {value!r}")


# --------------------------------------------------------------------------------------
# Checks for the public functions of the exercises (issue 15: no silent garbage)
#
#     x = as_float_array(x, "x")                      # numbers in, float64 out; text refused by name
#     X = as_float_array(X, "X", ndim=2, finite=True)  # plus the shape and no NaN / infinity
#     check_same_shape(logits, y, ("logits", "y"))    # (n, 1) against (n,) would broadcast to (n, n)
#     check_same_length(x, y, ("x", "y"))             # one value of each per sample
# --------------------------------------------------------------------------------------

__all__ += ["as_float_array", "check_same_shape", "check_same_length", "check_finite"]


def _arrived(x):
    """A short description of what arrived, for a message: 'strings like '3.1x'', 'a dict', ..."""
    try:
        flat = np.ravel(np.asarray(x, dtype=object))
    except Exception:  # ragged nesting and other objects NumPy cannot hold in one array
        return f"a {type(x).__name__}"
    text = [v for v in flat[:1000] if isinstance(v, (str, bytes))]
    if text:
        return f"strings such as {text[0]!r}"
    return f"a {type(x).__name__} that NumPy cannot turn into floats"


def check_finite(x, name):
    """``x`` unchanged when every value is finite, else a ValueError that counts the bad values."""
    bad = ~np.isfinite(x)
    if bad.any():
        n_nan = int(np.isnan(x).sum())
        raise ValueError(f"{name} must contain only finite numbers; got {n_nan} NaN and "
                         f"{int(bad.sum()) - n_nan} infinite value(s) in an array of shape {np.shape(x)}")
    return x


def as_float_array(x, name, ndim=None, finite=False, allow_empty=True):
    """``x`` as a float64 ndarray, or a TypeError / ValueError that names ``name``.

    Parameters
    ----------
    x : array-like (a list, a tuple, an ndarray of any numeric dtype or memory order)
    name : str
        The argument's name, for the message.
    ndim : int or tuple of int, optional
        The allowed numbers of dimensions.
    finite : bool
        Refuse NaN and infinity.
    allow_empty : bool
        Accept an array with no values.
    """
    try:
        array = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must hold numbers; got {_arrived(x)}") from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            expected = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be a {expected} array; got shape {array.shape}")
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} must be non-empty; got shape {array.shape}")
    if finite:
        check_finite(array, name)
    return array


def check_same_shape(a, b, names):
    """Refuse two arrays whose shapes differ: (n, 1) against (n,) would broadcast to an (n, n) result."""
    if np.shape(a) != np.shape(b):
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape; got {np.shape(a)} and {np.shape(b)}")


def check_same_length(a, b, names):
    """Refuse two sequences with different numbers of samples (first axis)."""
    if len(a) != len(b):
        raise ValueError(f"{names[0]} and {names[1]} must have the same length (one entry per sample); got {len(a)} and {len(b)}")


__all__ += ["as_float_arrays"]


def as_float_arrays(**arrays):
    """``as_float_array`` for each keyword, in order: ``x, w, b = as_float_arrays(x=x, w=w, b=b)``.

    The door of a layer function: lists and tuples work like arrays, text is refused by name.
    """
    converted = tuple(as_float_array(value, name) for name, value in arrays.items())
    return converted if len(converted) > 1 else converted[0]


__all__ += ["check_linear_model"]


def check_linear_model(w, b, X, y, labels=False, y_name="y", multi_output=False):
    """(w, b, X, y) for the loss of a linear model, or a clear error.

    X (n_samples, n_features) finite with at least one sample and one feature; y (n_samples,),
    finite numbers or, with ``labels``, integer class indices; w (n_features,) with b a number,
    or, with ``multi_output``, W (n_features, n_outputs) with b a number or (n_outputs,). A y or b of shape (n, 1) is refused:
    it would broadcast against (n,) into an (n, n) residual.
    """
    X = as_float_array(X, "X", ndim=2, finite=True, allow_empty=False)
    if X.shape[1] == 0:
        raise ValueError(f"X must have at least one feature; got shape {X.shape}")
    y = np.asarray(y) if labels else as_float_array(y, y_name, finite=True)
    if labels and (y.dtype.kind not in "iu" or (y.size and y.min() < 0)):
        raise ValueError(f"{y_name} must hold integer class indices 0, 1, ...; got dtype {y.dtype}")
    if y.ndim != 1:
        raise ValueError(f"{y_name} must be a 1-D array of shape (n_samples,); got shape {y.shape}")
    check_same_length(X, y, ("X", y_name))
    w_name = "W" if multi_output else "w"
    w = as_float_array(w, w_name, ndim=2 if multi_output else 1, finite=True)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"{w_name} must have one row per feature of X ({X.shape[1]}); got shape {w.shape}")
    b = as_float_array(b, "b", finite=True)
    if b.shape not in ((), w.shape[1:]):
        raise ValueError(f"b must be a number or of shape {w.shape[1:]} to go with {w_name} of shape {w.shape}; got shape {b.shape}")
    return w, b, X, y


__all__ += ["check_paired_features", "check_no_overflow"]


def check_paired_features(X, Y, names=("X", "Y")):
    """X (n, d) and Y (m, d) as finite float arrays with the same features, e.g. for a kernel or distances."""
    X = as_float_array(X, names[0], ndim=2, finite=True, allow_empty=False)
    Y = as_float_array(Y, names[1], ndim=2, finite=True, allow_empty=False)
    if X.shape[1] != Y.shape[1] or X.shape[1] == 0:
        raise ValueError(f"{names[0]} and {names[1]} must have the same number (>= 1) of features (columns); "
                         f"got shapes {X.shape} and {Y.shape}")
    return X, Y


def check_no_overflow(X, name, power=2):
    """Refuse values whose ``power``-th powers overflow float64, with a message that says so."""
    largest = float(np.max(np.abs(X))) if np.size(X) else 0.0
    if largest > (np.finfo(float).max / max(np.size(X), 1)) ** (1.0 / power):  # a sum of size such powers
        raise ValueError(f"{name} has values up to {largest:.3g}; raised to the power {power} and summed they "
                         f"overflow float64: rescale {name} first")
    return X


__all__ += ["check_grad_shape"]


def check_grad_shape(dout, shape, name="dout"):
    """Refuse an upstream gradient whose shape is not the layer output's: (n, 1) against (n,) would broadcast."""
    if np.shape(dout) != tuple(shape):
        raise ValueError(f"{name} must have the shape of the layer's output {tuple(shape)}; got {np.shape(dout)}")
    return dout


__all__ += ["as_matrix", "as_linear_system"]


def as_matrix(A, name="A", square=False):
    """``A`` as a finite, non-empty float matrix of shape (m, n) ((n, n) with ``square``), or a ValueError naming it."""
    A = as_float_array(A, name, finite=True)
    if A.ndim != 2 or A.size == 0 or (square and A.shape[0] != A.shape[1]):
        expected = "square matrix of shape (n, n)" if square else "matrix of shape (m, n)"
        raise ValueError(f"{name} must be a non-empty {expected}; got shape {A.shape}")
    return A


def as_linear_system(A, b, square=True, multi_rhs=False, names=("A", "b")):
    """``(A, b)`` for a system A x = b: A through ``as_matrix``, b finite with one row per row of A,
    of shape (n,) (or (n, k), k right-hand sides, with ``multi_rhs``); else a ValueError naming them."""
    A = as_matrix(A, names[0], square)
    b = as_float_array(b, names[1], finite=True)
    rows = "n" if square else "m"
    if b.shape[:1] != A.shape[:1] or b.ndim not in ((1, 2) if multi_rhs else (1,)):
        expected = f"({rows},) or ({rows}, k)" if multi_rhs else f"({rows},)"
        raise ValueError(f"{names[1]} must have shape {expected} with {rows} = {A.shape[0]}, the rows of {names[0]}; got shape {b.shape}")
    return A, b
