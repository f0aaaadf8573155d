"""
Exercise 01: data cleaning, one value at a time

Learning goals
--------------
- Normalise messy categories ("NY", "new york ", "N.Y.") to one canonical label.
- Coerce numbers stored as text ("52,000", "$61,000", "n/a") to floats, refusing
  ambiguous strings ("12,34") instead of guessing.
- Put lengths written in different units ("1.72 m", "172cm", "68 in") in one unit.
- Recognise the many spellings of "no value" ("", "n/a", "null", "-"). Exercise 02
  repairs whole columns and rows with these cleaners.

The math
--------
There is little algebra here, but there are precise rules. Cleaning maps each
raw value to a clean one:

    category  c -> canonical(key(c)),  key = casefold, strip, drop dots, one space
    number    s -> float(s without thousands separators), or NaN if s is not a number
    length    "<number> <unit>" -> number * factor[unit] centimetres
              (factor: mm 0.1, cm 1, m 100, in 2.54; no unit means default_unit)

Algorithm
---------
1. Missing markers: a None, a NaN or one of the marker strings, after normalising.
2. Categories: normalise the spelling, then look the key up in the aliases.
3. Numbers: strip a currency sign, accept thousands separators only where they
   group three digits, refuse anything ambiguous (NaN).
4. Lengths: split the number from the unit, convert with the unit's factor.

References: H. Wickham, "Tidy Data", Journal of Statistical Software 59(10), 2014;
T. Dasu, T. Johnson, Exploratory Data Mining and Data Cleaning, Wiley, 2003, ch. 5.
Difficulty: 1 of 3, about 30 minutes.
Run: python 04-feature-engineering/ex01_data_cleaning.py
"""

# %%
import re

import numpy as np

from utils import plotting
from utils.validation import check_option

# Strings that mean "no value" in the files people actually send each other.
MISSING_MARKERS = {"", "na", "n/a", "nan", "null", "none", "-", "?"}

# Canonical labels, keyed by the normalised spelling (see normalise_text).
CITY_ALIASES = {"new york": "New York", "ny": "New York", "nyc": "New York", "new york city": "New York",
                "san francisco": "San Francisco", "sf": "San Francisco", "chicago": "Chicago", "chi": "Chicago"}

# Centimetres per unit.
LENGTH_UNITS = {"mm": 0.1, "cm": 1.0, "m": 100.0, "in": 2.54}

# A number with thousands separators in the right places (1,234,567.89), or none at all.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_LENGTH = re.compile(r"^\s*(?P<number>[^a-zA-Z]*?)\s*(?P<unit>[a-zA-Z]*)\s*$")

# %% [markdown]
# ## Implementation: one value at a time


# %%
def is_missing(value):
    """True for None, a float NaN, or a string that means "no value" ("n/a", "", ...)."""
    if value is None:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    if isinstance(value, str):
        return value.strip().casefold() in MISSING_MARKERS
    return False


def normalise_text(value):
    """A comparison key for a piece of text: casefolded, dots removed, single spaces.

    "  New  York " -> "new york", "N.Y." -> "ny". Missing values give None.
    """
    if is_missing(value):
        return None
    if not isinstance(value, str):
        raise TypeError(f"normalise_text expects a string or a missing value; got {type(value).__name__} {value!r}")
    # BEGIN SOLUTION
    # HINT 1: Make spellings comparable: ignore case and dots, and collapse runs of whitespace.
    # HINT 2: " ".join(value.casefold().replace(".", "").split())
    key = value.casefold().replace(".", "")
    return " ".join(key.split())  # split() with no argument also drops leading/trailing space
    # END SOLUTION


def normalise_category(value, aliases=None):
    """The canonical label of a category, or None when it is missing.

    Parameters
    ----------
    value : str or None
    aliases : dict {normalised spelling: canonical label}, optional
        Spellings not in the dict become their normalised key in title case.
    """
    aliases = {} if aliases is None else aliases
    key = normalise_text(value)
    # BEGIN SOLUTION
    # HINT 1: Look the normalised key up in aliases; unknown spellings fall back to title case.
    # HINT 2: None if key is None else aliases.get(key, key.title())
    if key is None:
        return None
    return aliases.get(key, key.title())
    # END SOLUTION


def coerce_numeric(value, thousands=","):
    """A number stored as text -> float; NaN when it is missing or not a number.

    Accepts "52,000", " 61000 ", "$1,200.50", "-3", "1.5e3". Refuses (NaN) strings
    whose thousands separators are in the wrong place, such as "12,34": is it
    1234, or 12.34 written the European way? Guessing would corrupt the data silently.
    """
    if isinstance(value, bool):
        raise TypeError(f"coerce_numeric does not treat booleans as numbers; got {value!r}")
    if is_missing(value):
        return np.nan
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if not isinstance(value, str):
        raise TypeError(f"coerce_numeric expects a number or a string; got {type(value).__name__} {value!r}")
    # BEGIN SOLUTION
    # HINT 1: Strip spaces and a leading currency sign; accept thousands separators only where they
    # HINT 1: group digits correctly; anything float() refuses, or that is not finite, becomes NaN.
    # HINT 2: text = value.strip() without spaces or a leading $/€/£; "," only if _GROUPED.match(text)
    # HINT 3: text = value.strip().replace(" ", ""); drop a first character in "$€£"; a misplaced
    # HINT 3: "," -> NaN, else remove them; float(text) (ValueError -> NaN); NaN unless finite
    text = value.strip().replace(" ", "")
    if text[:1] in "$€£":  # a currency sign in front: the rest is the amount
        text = text[1:]
    if thousands in text:
        if thousands == "," and not _GROUPED.match(text):
            return np.nan  # separators in the wrong places: ambiguous, refuse
        text = text.replace(thousands, "")
    try:
        number = float(text)
    except ValueError:
        return np.nan
    return number if np.isfinite(number) else np.nan  # "inf" is not a measurement
    # END SOLUTION


def parse_length(value, default_unit="cm"):
    """A length such as "1.78 m", "178cm", "70 in" or "178" -> centimetres (float).

    A number without a unit is read in default_unit. Missing or unparsable
    values, and unknown units, give NaN.
    """
    check_option(default_unit, "default_unit", sorted(LENGTH_UNITS))
    if is_missing(value):
        return np.nan
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value) * LENGTH_UNITS[default_unit]
    if not isinstance(value, str):
        raise TypeError(f"parse_length expects a string or a number; got {type(value).__name__} {value!r}")
    # BEGIN SOLUTION
    # HINT 1: Split the text into a number and a unit with the _LENGTH regex; convert with LENGTH_UNITS.
    # HINT 2: cm = coerce_numeric(match.group("number")) * LENGTH_UNITS[unit or default_unit]
    # HINT 3: match = _LENGTH.match(value) (None -> NaN); unit = match.group("unit").lower() or
    # HINT 3: default_unit (unknown -> NaN); coerce_numeric(match.group("number")) * LENGTH_UNITS[unit]
    match = _LENGTH.match(value)
    if match is None:
        return np.nan
    unit = match.group("unit").lower() or default_unit
    if unit not in LENGTH_UNITS:
        return np.nan
    return coerce_numeric(match.group("number")) * LENGTH_UNITS[unit]
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    cities = ["New York", "new york ", "NY", "N.Y.", "NYC", "  New  York", "SF", "S.F.", "chicago", "Chi", "Boston", "n/a"]
    numbers = ["52,000", "$61,000", "1,200.50", "12,34", "1,2345", "7", "n/a", "-"]
    lengths = ["172 cm", "172cm", "1.72 m", "1720 mm", "68 in", "172", "tall", ""]
    print(f"{'raw city':<16}{'normalise_category':>20}")
    for c in cities:
        print(f"{c!r:<16}{normalise_category(c, CITY_ALIASES)!r:>20}")
    print(f"\n{'raw number':<16}{'coerce_numeric':>16}      {'raw length':<12}{'parse_length (cm)':>18}")
    for n, h in zip(numbers, lengths):
        print(f"{n!r:<16}{coerce_numeric(n):>16g}      {h!r:<12}{parse_length(h):>18g}")

    fig, ax = plotting.new_figure(width=6.5, height=4.2)
    canonical, counts = np.unique([str(normalise_category(c, CITY_ALIASES)) for c in cities[:-1]], return_counts=True)
    ax.barh(canonical, counts, color=plotting.COLORS[0])
    ax.set(title=f"{len(cities) - 1} raw spellings, {len(canonical)} labels after normalise_category", xlabel="raw spellings")
    plotting.show_or_save(fig, "ex01_data_cleaning")


if __name__ == "__main__":
    main()
