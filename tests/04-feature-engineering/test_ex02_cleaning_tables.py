"""Tests for ex02_cleaning_tables: unit slips, impossible values, duplicates and the whole cleaning."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("04-feature-engineering/ex02_cleaning_tables.py")

ALIASES = {"new york": "New York", "ny": "New York", "nyc": "New York", "sf": "San Francisco"}


def test_repair_unit_slips_by_hand():
    # Check by hand: 1.75 -> 175 (a slip), 170 stays, 17 stays (x100 = 1700 is implausible too),
    # 2000 stays (too big to be a slip), NaN stays NaN.
    values = np.array([1.75, 170.0, 17.0, 2000.0, np.nan])
    repaired, slipped = ex.repair_unit_slips(values, 50.0, 250.0)
    np.testing.assert_allclose(repaired, [175.0, 170.0, 17.0, 2000.0, np.nan], atol=1e-9)
    np.testing.assert_array_equal(slipped, [True, False, False, False, False])


def test_repair_unit_slips_bad_range():
    # Check that an empty plausible range is refused.
    with pytest.raises(ValueError, match="low < high"):
        ex.repair_unit_slips([1.0], 10.0, 5.0)


def test_flag_impossible_by_hand():
    # Check by hand: bounds are inclusive, NaN is missing (not flagged), one-sided bounds work.
    ages = np.array([-1.0, 0.0, 35.0, 120.0, 121.0, np.nan])
    np.testing.assert_array_equal(ex.flag_impossible(ages, 0, 120), [True, False, False, False, True, False])
    np.testing.assert_array_equal(ex.flag_impossible(ages, low=0), [True, False, False, False, False, False])
    np.testing.assert_array_equal(ex.flag_impossible(ages, high=120), [False, False, False, False, True, False])
    with pytest.raises(ValueError, match="low <= high"):
        ex.flag_impossible(ages, 5, 1)


def test_drop_duplicates_keeps_the_first_in_order():
    # Check by hand: rows 0 and 2 are equal, rows 1 and 3 equal on "id" only.
    rows = [{"id": 1, "x": 2.0}, {"id": 2, "x": 3.0}, {"id": 1, "x": 2.0}, {"id": 2, "x": 4.0}]
    kept, index = ex.drop_duplicates(rows)
    np.testing.assert_array_equal(index, [0, 1, 3])
    assert kept == [rows[0], rows[1], rows[3]]
    _, index = ex.drop_duplicates(rows, subset=["id"])
    np.testing.assert_array_equal(index, [0, 1])


def test_drop_duplicates_treats_nan_as_equal():
    # Check that two rows with NaN in the same place count as duplicates (NaN != NaN otherwise).
    rows = [{"a": float("nan"), "b": 1}, {"a": float("nan"), "b": 1}, {"a": float("nan"), "b": 2}]
    np.testing.assert_array_equal(ex.drop_duplicates(rows)[1], [0, 2])


def test_drop_duplicates_edge_cases():
    # Check the empty table and a subset naming a column that does not exist.
    kept, index = ex.drop_duplicates([])
    assert kept == [] and index.shape == (0,)
    with pytest.raises(ValueError, match="subset"):
        ex.drop_duplicates([{"a": 1}], subset=["b"])


def test_clean_people_on_a_hand_made_table():
    # Check a whole table worked out by hand: two spellings of one row become a duplicate,
    # metres without a unit are repaired, a negative age and a 1700 cm height become NaN.
    raw = [
        {"id": "1", "name": "ada LOVELACE", "city": "N.Y.", "height": "1.70", "age": "36", "income": "52,000"},
        {"id": "2", "name": "Alan Turing", "city": "sf", "height": "178 cm", "age": "-41", "income": "n/a"},
        {"id": "1", "name": " Ada  Lovelace", "city": "new york ", "height": "1.7 m", "age": "36", "income": "$52,000"},
        {"id": "3", "name": "Grace Hopper", "city": "Chicago", "height": "1700 cm", "age": "", "income": "12,34"},
    ]
    cleaned, report = ex.clean_people(raw, aliases=ALIASES)
    assert len(cleaned) == 3
    first, second, third = cleaned
    assert (first["id"], first["name"], first["city"]) == (1, "Ada Lovelace", "New York")
    np.testing.assert_allclose([first["height_cm"], first["age"], first["income"]], [170.0, 36.0, 52000.0])
    assert (second["city"], second["height_cm"]) == ("San Francisco", 178.0)
    assert np.isnan(second["age"]) and np.isnan(second["income"])
    assert np.isnan(third["height_cm"]) and np.isnan(third["age"]) and np.isnan(third["income"])
    assert report["duplicates after cleaning"] == 1 and report["exact duplicates (raw text)"] == 0
    assert report["heights rescaled (m written as cm)"] == 1
    assert report["impossible heights -> NaN"] == 1 and report["impossible ages -> NaN"] == 1


def test_messy_table_is_seeded_and_cleans_to_its_people():
    # Check that the same seed gives the same table, and cleaning recovers one row per person
    # (the duplicates differ only in formatting, or are exact copies).
    a = ex.make_messy_people(n_people=25, n_duplicates=5, random_state=3)
    b = ex.make_messy_people(n_people=25, n_duplicates=5, random_state=3)
    assert a == b and len(a) == 30
    cleaned, _ = ex.clean_people(a)
    assert len({row["id"] for row in cleaned}) == 25
    assert {row["city"] for row in cleaned} <= {"New York", "San Francisco", "Chicago"}
