"""Tests for ex01_data_cleaning: missing markers, categories, numbers as text and units."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("04-feature-engineering/ex01_data_cleaning.py")

ATOL = 1e-12

ALIASES = {"new york": "New York", "ny": "New York", "nyc": "New York", "sf": "San Francisco"}


@pytest.mark.parametrize(
    "raw, expected",
    [("New York", "New York"), ("new york ", "New York"), ("NY", "New York"), ("N.Y.", "New York"),
     ("  New   York", "New York"), ("nyc", "New York"), ("S.F.", "San Francisco"), ("boston", "Boston"),
     ("", None), ("n/a", None), (None, None), (float("nan"), None)],
)
def test_normalise_category_by_hand(raw, expected):
    # Check, by hand, that each spelling maps to its canonical label and missing markers to None.
    assert ex.normalise_category(raw, ALIASES) == expected


def test_normalise_text_by_hand():
    # Check the comparison key: casefold, no dots, single inner spaces, no outer spaces.
    assert ex.normalise_text("  N.Y.  City ") == "ny city"
    assert ex.normalise_text("STRASSE") == ex.normalise_text("straße")  # casefold, not lower
    with pytest.raises(TypeError, match="string"):
        ex.normalise_text(12)


@pytest.mark.parametrize(
    "raw, expected",
    [("52,000", 52000.0), (" 61000 ", 61000.0), ("$1,200.50", 1200.5), ("-3", -3.0), ("1.5e3", 1500.0),
     ("1,234,567", 1234567.0), (7, 7.0), (2.5, 2.5), ("0", 0.0)],
)
def test_coerce_numeric_by_hand(raw, expected):
    # Check, by hand, numbers written as text with separators, signs, currency and exponents.
    assert ex.coerce_numeric(raw) == expected


@pytest.mark.parametrize("raw", ["12,34", "1,2345", "abc", "n/a", "", None, "inf", "1.2.3", float("nan")])
def test_coerce_numeric_refuses_non_numbers(raw):
    # Check that ambiguous separators, words, missing markers and infinities give NaN, not a guess.
    assert np.isnan(ex.coerce_numeric(raw))


def test_coerce_numeric_rejects_booleans_and_objects():
    # Check that a bool (an int subclass) and a list get a TypeError, not a silent 1.0.
    with pytest.raises(TypeError, match="boolean"):
        ex.coerce_numeric(True)
    with pytest.raises(TypeError, match="number or a string"):
        ex.coerce_numeric([1])


@pytest.mark.parametrize(
    "raw, expected",
    [("178 cm", 178.0), ("178cm", 178.0), ("1.78 m", 178.0), ("1780 mm", 178.0), ("70 in", 177.8),
     ("178", 178.0), (" 1.78M ", 178.0), (165, 165.0)],
)
def test_parse_length_by_hand(raw, expected):
    # Check, by hand, unit conversion to centimetres (70 in = 70 * 2.54 = 177.8 cm).
    np.testing.assert_allclose(ex.parse_length(raw), expected, atol=1e-9)


def test_parse_length_default_unit_and_failures():
    # Check that a bare number uses default_unit, and unknown units or text give NaN.
    np.testing.assert_allclose(ex.parse_length("1.5", default_unit="m"), 150.0, atol=ATOL)
    for raw in ["5 furlongs", "tall", "", None]:
        assert np.isnan(ex.parse_length(raw))
    with pytest.raises(ValueError, match="default_unit"):
        ex.parse_length("1", default_unit="km")
