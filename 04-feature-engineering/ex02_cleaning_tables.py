"""
Exercise 02: cleaning a table: unit slips, impossible values, duplicates

Learning goals
--------------
- Repair unit slips (metres typed where centimetres were meant) only when the repair
  is unambiguous, and flag impossible values (a negative age) as missing.
- Drop duplicate rows (often visible only once exercise 01's cleaners normalise the values),
  composing the cleaners into one function that reports what every step changed.

The math
--------
A table is a list of n = n_samples rows; each row is a dict {column name: raw value}. A unit slip is
a value v outside the plausible range [low, high] whose rescaled value v * k (k = 100 for
metres written as centimetres) falls inside it. An impossible value lies outside [low, high]
after repair; it becomes NaN, a missing value (exercise 03 fills those in). Two rows are
duplicates when all their cleaned values are equal (NaN counts as equal to NaN here).

Algorithm
---------
1. Clean each value of a messy table (make_messy_people) with exercise 01's cleaners.
2. Repair unit slips in the heights; flag impossible heights and ages as NaN.
3. Drop duplicate rows, keeping the first, and report what every step changed.

References: H. Wickham, "Tidy Data", Journal of Statistical Software 59(10), 2014;
T. Dasu, T. Johnson, Exploratory Data Mining and Data Cleaning, Wiley, 2003, ch. 5.
Builds on: 04-feature-engineering/ex01_data_cleaning.py (cleaning).
Difficulty: 2 of 3, about 30 minutes.
Run: python 04-feature-engineering/ex02_cleaning_tables.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.validation import as_float_array

cleaning = utils.load_exercise("04-feature-engineering/ex01_data_cleaning.py", practice=False)

# %% [markdown]
# ## Implementation: whole columns and whole rows


# %%
def repair_unit_slips(values, low, high, factor=100.0):
    """Multiply by factor the values that are implausible as they are but plausible rescaled.

    values (n_samples,), NaN for missing; [low, high] the plausible range; factor the unit ratio of the
    suspected slip (100: metres written as cm). Returns repaired (n_samples,) and slipped (n_samples,) bool.
    """
    values = as_float_array(values, "values", ndim=1)
    if not low < high:
        raise ValueError(f"need low < high for the plausible range; got low={low}, high={high}")
    # BEGIN SOLUTION
    # HINT 1: A value outside [low, high] that lands inside once multiplied by factor was a unit slip.
    # HINT 2: slipped = (v < low | v > high) & (low <= v * factor <= high); out = where(slipped, v * factor, v)
    rescaled = values * factor  # (n_samples,)
    slipped = ((values < low) | (values > high)) & (rescaled >= low) & (rescaled <= high)  # NaN compares False
    return np.where(slipped, rescaled, values), slipped
    # END SOLUTION


def flag_impossible(values, low=None, high=None):
    """True where a value lies outside [low, high] (either bound may be None); NaN is missing, not impossible."""
    values = as_float_array(values, "values")
    if low is not None and high is not None and not low <= high:
        raise ValueError(f"need low <= high; got low={low}, high={high}")
    # BEGIN SOLUTION
    # HINT 1: Flag values below low and/or above high, skipping a bound given as None; NaN is never flagged.
    # HINT 2: (values < low if low is not None) | (values > high if high is not None)
    too_low = values < low if low is not None else np.zeros(values.shape, dtype=bool)  # NaN < low is False
    return too_low | (values > high) if high is not None else too_low
    # END SOLUTION


def _row_key(row, subset):
    """A hashable key of a row's values; NaN becomes None so that NaN equals NaN."""
    return tuple(None if isinstance(row[c], float) and np.isnan(row[c]) else row[c] for c in subset)


def drop_duplicates(rows, subset=None):
    """Keep the first of each group of rows (dicts) equal on subset (default: every column).

    Returns the kept rows in their original order, and kept_index (n_kept,), their positions in rows.
    """
    if not all(isinstance(r, dict) for r in rows):
        raise TypeError("rows must be a list of dicts {column: value}")
    columns = (list(rows[0]) if rows else []) if subset is None else list(subset)
    missing = [c for c in columns if any(c not in r for r in rows)]
    if missing:
        raise ValueError(f"subset names columns that some rows do not have: {missing}")
    # BEGIN SOLUTION
    # HINT 1: Keep the first row of each key, in order; a set remembers which keys were seen.
    # HINT 2: key = _row_key(row, columns); keep index i only if key not in seen
    # HINT 3: seen, kept_index = set(), []; for i, row: key = _row_key(row, columns);
    # HINT 3: if key not in seen: seen.add(key); kept_index.append(i)
    seen, kept_index = set(), []
    for i, key in enumerate(_row_key(row, columns) for row in rows):
        if key not in seen:  # the first row with this key: keep it
            seen.add(key)
            kept_index.append(i)
    # END SOLUTION
    kept_index = np.array(kept_index, dtype=int)  # (n_kept,)
    return [rows[i] for i in kept_index], kept_index


def clean_people(rows, aliases=cleaning.CITY_ALIASES, height_range=(50.0, 250.0), age_range=(0.0, 120.0)):
    """Clean the table of make_messy_people, column by column, then drop duplicates.

    Returns cleaned, a list of dicts id (int), name, city (str or None), height_cm, age, income (float,
    NaN for missing or impossible), and report, a dict {what happened: how many values or rows}.
    """
    # BEGIN SOLUTION
    # HINT 1: Compose the cleaners: parse every field of every row, then repair and flag the numeric
    # HINT 1: columns as arrays, then drop the duplicates that cleaning revealed, and count each step.
    # HINT 2: heights -> repair_unit_slips(heights, *height_range) -> flag_impossible -> NaN where bad
    # HINT 3: per row a dict of id, name (title case), city, height_cm, age, income (exercise 01);
    # HINT 3: repair and flag heights, flag ages, write NaN back; drop_duplicates; report the counts
    cleaned = []
    for row in rows:
        name = cleaning.normalise_text(row["name"])
        cleaned.append({"id": int(cleaning.coerce_numeric(row["id"])), "name": None if name is None else name.title(),
                        "city": cleaning.normalise_category(row["city"], aliases), "height_cm": cleaning.parse_length(row["height"]),
                        "age": cleaning.coerce_numeric(row["age"]), "income": cleaning.coerce_numeric(row["income"])})
    heights, slipped = repair_unit_slips(np.array([r["height_cm"] for r in cleaned]), *height_range)  # (n_rows,) each
    bad_height = flag_impossible(heights, *height_range)
    bad_age = flag_impossible(np.array([r["age"] for r in cleaned]), *age_range)  # (n_rows,)
    for r, h, bad_h, bad_a in zip(cleaned, heights, bad_height, bad_age):
        r["height_cm"], r["age"] = np.nan if bad_h else float(h), np.nan if bad_a else r["age"]
    exact_duplicates = len(rows) - len(drop_duplicates(rows)[0])
    cleaned, _ = drop_duplicates(cleaned)
    report = {"rows in": len(rows), "exact duplicates (raw text)": exact_duplicates,
              "duplicates after cleaning": len(rows) - len(cleaned), "heights rescaled (m written as cm)": int(slipped.sum()),
              "impossible heights -> NaN": int(bad_height.sum()), "impossible ages -> NaN": int(bad_age.sum()), "rows out": len(cleaned)}
    return cleaned, report
    # END SOLUTION


# %% [markdown]
# ## Demo: a messy table, made on purpose


# %%
def make_messy_people(n_people=40, n_duplicates=6, random_state=None):
    """A table of people typed in by hand (mixed spellings, units, formats): a list of
    n_people + n_duplicates dicts of strings (id, name, city, height, age, income), in random order."""
    rng = data.as_rng(random_state)
    spellings = {"New York": ["New York", "new york ", "NY", "N.Y.", "NYC", "  New  York"],
                 "San Francisco": ["San Francisco", "SF", "san francisco", "S.F."], "Chicago": ["Chicago", "chicago", "CHICAGO ", "Chi"]}
    firsts = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Katherine", "Claude"]
    lasts = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Johnson", "Shannon"]

    def messy(p):
        """One way of typing person p in; calling it twice gives different text."""
        name, h, income = f"{p['first']} {p['last']}", p["height_cm"], p["income"]
        name = [name, name.lower(), name.upper(), f" {name}  "][rng.integers(4)]
        formats = [f"{h} cm", f"{h}cm", f"{h / 100:.2f} m", f"{h}", f"{h / 100:.2f}", f"{h * 10} cm"]  # m without unit: a slip
        height = formats[rng.choice(6, p=[0.28, 0.2, 0.2, 0.18, 0.1, 0.04])]  # 10% unit slips, 4% an extra digit (a typo)
        income = [f"{income:,}", f"${income:,}", f"{income}", f"{income}.00"][rng.integers(4)]
        city = spellings[p["city"]][rng.integers(len(spellings[p["city"]]))]
        return {"id": str(p["id"]), "name": name, "city": city, "height": height, "age": p["age_text"], "income": income}

    people, rows = [], []
    for i in range(n_people):
        age, roll = int(rng.integers(18, 80)), rng.uniform()
        age_text = str(-age) if roll < 0.06 else ("" if roll < 0.1 else str(age))  # sign slips and blanks
        first, last = firsts[rng.integers(len(firsts))], lasts[rng.integers(len(lasts))]
        city, height = list(spellings)[rng.integers(len(spellings))], int(rng.normal(170, 9))
        people.append({"id": 1001 + i, "first": first, "last": last, "city": city, "height_cm": height,
                       "age_text": age_text, "income": int(rng.integers(30, 120)) * 1000})
        rows.append(messy(people[-1]))
    for i in rng.choice(n_people, size=n_duplicates, replace=False):  # the same person typed in again
        rows.append(messy(people[i]) if rng.uniform() < 0.8 else dict(rows[i]))
    return [rows[i] for i in rng.permutation(len(rows))]


def main():
    raw = make_messy_people(n_people=40, n_duplicates=6, random_state=4)
    cleaned, report = clean_people(raw)
    print("Raw rows -> cleaned rows (the first 5):")
    by_id = {c["id"]: c for c in cleaned}
    for r, c in ((r, by_id[int(r["id"])]) for r in raw[:5]):
        print(f"  {r['name']!r:<20}{r['city']!r:<16}{r['height']!r:<10}{r['age']!r:<6}{r['income']!r:<10}"
              f" -> {c['name']!r:<18}{c['city']!r:<16}{c['height_cm']:<7g}{c['age']:<5g}{c['income']:g}")
    print("\nWhat cleaning did\n" + "\n".join(f"  {what:<36}{count:>4}" for what, count in report.items()))

    parsed = np.array([cleaning.parse_length(r["height"]) for r in raw])  # (n_raw,), before the repair
    fixed = np.array([r["height_cm"] for r in cleaned])  # (n_clean,)
    fig, ax = plotting.new_figure(width=6.5, height=4.2)
    bins = np.geomspace(1, 3000, 50)  # log-spaced: 1.7 m and 1700 cm both show
    ax.hist(parsed, bins=bins, color=plotting.COLORS[3], alpha=0.6, label="parsed as written")
    ax.hist(fixed[np.isfinite(fixed)], bins=bins, color=plotting.COLORS[2], alpha=0.6, label="cleaned: slips repaired, typos -> NaN")
    ax.set(xscale="log", title="Heights: metres hiding among cm, typos", xlabel="height in cm (log scale)", ylabel="rows")
    ax.legend(loc="upper left")
    plotting.show_or_save(fig, "ex02_cleaning_tables")


if __name__ == "__main__":
    main()
