"""Texts and generated sequence tasks for module 07 (transformers), all offline.

- ``course_text()``: the module docstrings of the curriculum's exercises in modules
  00-06, joined by blank lines: about 200,000 characters of English prose with
  formulas, written for this repository (MIT licence), so nothing is downloaded.
- ``make_dates(n, rng)``: written dates ("3rd of March 1997") and their ISO form
  ("1997-03-03"), for a sequence-to-sequence transformer.

The exercises read these as data; how a text is tokenised is each exercise's business.
"""

import ast
import datetime

from utils import REPO_ROOT

__all__ = ["course_text", "train_val_split_text", "make_dates", "DATE_FORMATS"]

COURSE_MODULES = ("00-", "01-", "02-", "03-", "04-", "05-", "06-")

def course_text(modules=COURSE_MODULES):
    """The docstrings of every exercise script in ``modules`` (folder prefixes), in curriculum order."""
    pieces = []
    for folder in sorted(p for p in REPO_ROOT.iterdir() if p.is_dir() and p.name.startswith(tuple(modules))):
        for path in sorted(folder.rglob("ex[0-9][0-9]_*.py")):
            docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            if docstring:
                pieces.append(docstring.strip())
    if not pieces:
        raise ValueError(f"no exercise docstrings found in module folders starting with {modules}")
    return "\n\n".join(pieces)

def train_val_split_text(text, val_fraction=0.1):
    """(train, validation): the last ``val_fraction`` of the text is held out, in one piece."""
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1); got {val_fraction!r}")
    cut = int(round(len(text) * (1 - val_fraction)))
    return text[:cut], text[cut:]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

def _ordinal(day):
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"

# Each format turns a datetime.date into one written form.
DATE_FORMATS = (
    lambda d: f"{_ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}",  # 3rd of March 1997
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",  # March 3, 1997
    lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",  # 3 Mar 1997
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",  # 03/03/1997 (day first)
    lambda d: f"{MONTHS[d.month - 1].lower()} {_ordinal(d.day)}, {d.year}",  # march 3rd, 1997
    lambda d: f"{d.day}.{d.month}.{str(d.year)[2:]}",  # 3.3.97 (years 1950-2049: 50-99 are 19xx)
)

def make_dates(n_dates, rng, first_year=1950, last_year=2049):
    """(written, iso): two lists of n_dates strings, a uniformly random day and a random written format.

    Two-digit years (format "3.3.97") read 50-99 as 1950-1999 and 00-49 as 2000-2049, so
    the default range keeps every written date unambiguous.
    """
    start = datetime.date(first_year, 1, 1).toordinal()
    stop = datetime.date(last_year, 12, 31).toordinal()
    days = rng.integers(start, stop + 1, size=n_dates)
    formats = rng.integers(0, len(DATE_FORMATS), size=n_dates)
    written, iso = [], []
    for day, fmt in zip(days, formats):
        date = datetime.date.fromordinal(int(day))
        written.append(DATE_FORMATS[fmt](date))
        iso.append(date.isoformat())
    return written, iso
