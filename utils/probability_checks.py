"""Input checks for the probability lessons of module 00 (00.23-00.24 sampling, 00.30 entropy).

    p = check_probability(p)                 # one number in [0, 1]
    probs = check_probabilities(probs)       # a probability vector of shape (K,)
"""

import numpy as np

from utils.validation import as_float_array

__all__ = ["check_probability", "check_probabilities"]


def check_probability(p, name="p"):
    """float(p) for one probability in [0, 1], or a clear ValueError."""
    if not (np.isscalar(p) and 0.0 <= p <= 1.0):
        raise ValueError(f"{name} must be a probability in [0, 1]; got {p!r}")
    return float(p)


def check_probabilities(probs, atol=1e-8, name="probs"):
    """probs as a float array of shape (K,), after checking it is a probability vector.

    The error message starts with `name`, so a caller with two vectors (p and q) says which is wrong.
    """
    # float32 values such as 0.1 are off by ~1e-8 each: the tolerance grows with the input's precision.
    dtype = np.asarray(probs).dtype
    eps = np.finfo(dtype).eps if np.issubdtype(dtype, np.floating) else 0.0
    probs = as_float_array(probs, name)
    if probs.ndim != 1 or probs.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of shape (K,); got shape {probs.shape}")
    if not np.all(np.isfinite(probs)) or np.any(probs < 0):
        raise ValueError(f"{name} must be finite and non-negative; got {probs}")
    if abs(probs.sum() - 1.0) > max(atol, 4 * eps * probs.size):
        raise ValueError(f"{name} must sum to 1; they sum to {probs.sum():.6g}")
    return probs
