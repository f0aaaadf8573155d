"""One BLAS thread for an exercise script's own run.

NumPy's BLAS (OpenBLAS) starts one thread per core for every matrix product,
however small. The exercises multiply small matrices thousands of times, so the
threads mostly wait for each other; on a 2-core machine where something else
is running they wait for a core too. Measured on the 2-core machine this
curriculum was built on, under load (README, "Practise: write it yourself"):
01.03's vectorized dot product took 20 ms with the default threads and 0.023 ms
with one, and the CNN of 06.11 (now 06.12) took 14.1 s instead of 9.7 s on its quick path.

So when an exercise script (``exNN_name.py``, reference or practice copy) is the
program being run, importing ``utils`` limits BLAS to one thread. Nothing else is
touched: tests (the suite pins its own threads), benchmarks, notebooks and the
interactive prompt keep the library's default. To choose yourself, set
``MLSC_BLAS_THREADS`` (a number, or ``default`` to leave BLAS alone); a
``OPENBLAS_NUM_THREADS`` / ``OMP_NUM_THREADS`` you set is respected as well.
"""

import os
import re
import sys
from pathlib import Path

__all__ = ["script_blas_threads", "limit_blas_threads_for_scripts"]

DEFAULT_THREADS = 1
_ENV = "MLSC_BLAS_THREADS"
_BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_SCRIPT = re.compile(r"^ex\d\d_\w+\.py$")
_limiter = None  # keeps the threadpoolctl limit alive for the whole run


def script_blas_threads(main_file, environ):
    """The BLAS thread count for a run of ``main_file``, or None to leave BLAS alone.

    Parameters
    ----------
    main_file : str or None
        ``__main__.__file__`` of the running program (None at a prompt or in a notebook).
    environ : mapping
        The environment (``os.environ``).
    """
    if not main_file or not _SCRIPT.match(Path(main_file).name):
        return None
    chosen = environ.get(_ENV, "").strip().lower()
    if chosen == "default":
        return None
    if chosen:
        if not chosen.isdigit() or int(chosen) < 1:
            raise ValueError(f"{_ENV} must be a whole number >= 1 or 'default'; got {environ.get(_ENV)!r}")
        return int(chosen)
    if any(environ.get(name) for name in _BLAS_ENV):
        return None  # the learner set the library's own variable: theirs wins
    return DEFAULT_THREADS


def limit_blas_threads_for_scripts():
    """Apply ``script_blas_threads`` to this process (called once when ``utils`` is imported)."""
    global _limiter
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    threads = script_blas_threads(main_file, os.environ)
    if threads is None:
        return None
    for name in _BLAS_ENV:  # for a BLAS loaded after this point (numpy imported later)
        os.environ.setdefault(name, str(threads))
    if "numpy" in sys.modules:  # already loaded: its thread pool has to be limited in place
        try:
            from threadpoolctl import threadpool_limits  # installed with scikit-learn
        except ImportError:
            return threads
        _limiter = threadpool_limits(limits=threads, user_api="blas")
    return threads
