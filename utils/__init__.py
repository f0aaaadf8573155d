"""Shared helpers for the ML Study Cycle exercises.

- ``utils.data``: seeded synthetic data sets and offline loaders for real ones.
- ``utils.plotting``: one figure style, ``show_or_save`` and the plots the modules share.
- ``utils.gradcheck``: central-difference gradients for checking backward passes.
- ``load_exercise`` / ``list_exercises``: find and import exercise scripts by path.

The exercise folders start with digits (``02-fundamentals-of-machine-learning``), so
they cannot be imported as packages. ``load_exercise`` imports one script by its
path instead, without running its ``main()``.
"""

import importlib.util
import os
import re
import sys
from pathlib import Path

__all__ = [
    "REPO_ROOT",
    "PRACTICE_ROOT",
    "practice_root",
    "list_exercises",
    "load_exercise",
    "exercise_path",
    "practice_mode",
    "quick_mode",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
PRACTICE_ROOT = REPO_ROOT / "practice"

_MODULE_DIR = re.compile(r"^0\d-[a-z0-9-]+$")
_EXERCISE_FILE = re.compile(r"^ex(\d\d)_\w+\.py$")


def _sort_key(path):
    """Curriculum order: module folder first, then the exercise number."""
    module = path.relative_to(REPO_ROOT).parts[0]
    number = int(_EXERCISE_FILE.match(path.name).group(1))
    return module, number, path.name


def list_exercises():
    """Every exercise script, in reading order.

    Returns
    -------
    list of str
        Paths relative to the repository root, with forward slashes, for example
        ``"00-math-fundamentals/linear-algebra/ex01_vector_arithmetic.py"``.
    """
    found = []
    for module in REPO_ROOT.iterdir():
        if module.is_dir() and _MODULE_DIR.match(module.name):
            found += [p for p in module.rglob("ex*.py") if _EXERCISE_FILE.match(p.name)]
    return [p.relative_to(REPO_ROOT).as_posix() for p in sorted(found, key=_sort_key)]


def practice_root():
    """The folder of practice copies: ``practice/``, or ``MLSC_PRACTICE_DIR`` if set."""
    override = os.environ.get("MLSC_PRACTICE_DIR")
    return Path(override).resolve() if override else PRACTICE_ROOT


def practice_mode():
    """True when tests should judge the learner's practice copies (``MLSC_PRACTICE=1``)."""
    return os.environ.get("MLSC_PRACTICE", "").strip().lower() in {"1", "true", "yes", "on"}


def quick_mode():
    """True when a script should take its quick path (``MLSC_QUICK=1``, set by the test suite).

    Long training demos check this and train for fewer steps, so running every
    script stays fast; run a script without it to see the full result.
    """
    return os.environ.get("MLSC_QUICK", "").strip().lower() in {"1", "true", "yes", "on"}


def exercise_path(path, practice=None):
    """The file behind an exercise path: the reference, or its copy under ``practice/``.

    Parameters
    ----------
    path : str or Path
        Relative to the repository root (``"01-python-for-ml/ex02_broadcasting.py"``)
        or absolute.
    practice : bool, optional
        Use the practice copy. Defaults to ``practice_mode()``.
    """
    path = Path(path)
    full = path if path.is_absolute() else REPO_ROOT / path
    if practice is None:
        practice = practice_mode()
    if practice:
        try:
            relative = full.resolve().relative_to(REPO_ROOT)
        except ValueError:
            raise ValueError(f"practice copies exist only for exercises inside {REPO_ROOT}; got {path}")
        full = practice_root() / relative
    return full


def _module_name(full_path):
    """A unique, importable module name derived from the file's path."""
    try:
        relative = full_path.resolve().relative_to(REPO_ROOT).with_suffix("")
    except ValueError:
        relative = full_path.resolve().with_suffix("")
    return "exercise_" + re.sub(r"\W", "_", relative.as_posix()).strip("_")


def load_exercise(path, practice=None):
    """Import an exercise script as a module, without running its ``main()``.

    Parameters
    ----------
    path : str or Path
        Relative to the repository root, or absolute.
    practice : bool, optional
        Load the learner's copy under ``practice/`` instead of the reference.
        Defaults to the ``MLSC_PRACTICE`` environment variable.

    Returns
    -------
    module
        Registered in ``sys.modules`` (before it runs, so dataclasses and pickling
        work) under a name made from its path. Loading an unchanged file again
        returns the same module (so pickled objects find their classes); an edited
        file is executed afresh.
    """
    if practice is None:
        practice = practice_mode()
    full = exercise_path(path, practice)
    if not full.is_file():
        hint = " (make one with `study practice <exercise>`)" if practice else ""
        raise FileNotFoundError(f"no exercise script at {full}{hint}")
    name = _module_name(full)
    stamp = _file_stamp(full)
    loaded = sys.modules.get(name)
    if loaded is not None and getattr(loaded, "__mlsc_stamp__", None) == stamp:
        # The same, unchanged file: keep its module, so the classes that pickled (or
        # isinstance-checked) objects refer to stay the same objects.
        return loaded
    spec = importlib.util.spec_from_file_location(name, full)
    module = importlib.util.module_from_spec(spec)
    module.__mlsc_stamp__ = stamp
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        if loaded is None:
            del sys.modules[name]
        else:
            sys.modules[name] = loaded
        raise
    return module


def _file_stamp(full):
    """What identifies one version of a file: its resolved path, size and modification time."""
    status = full.stat()
    return str(full.resolve()), status.st_size, status.st_mtime_ns


def _practice_copy_figures():
    """A practice copy run as a program saves its figures under ``practice/figures/``.

    So running your copy (``study run`` or plain ``python``) never overwrites the
    reference's figures. A ``MLSC_FIGURE_DIR`` you set yourself still wins.
    """
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if not main_file:
        return
    try:
        Path(main_file).resolve().relative_to(practice_root())
    except ValueError:
        return
    os.environ.setdefault("MLSC_FIGURE_DIR", str(practice_root() / "figures"))


# An exercise script run as a program uses one BLAS thread (see utils/threads.py for why),
# and a practice copy keeps its figures apart from the reference's.
from utils import threads as _threads  # noqa: E402

_threads.limit_blas_threads_for_scripts()
_practice_copy_figures()
