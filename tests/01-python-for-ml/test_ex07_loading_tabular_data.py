"""Tests for ex07_loading_tabular_data: parsing, missing values, encoding, and clear errors.

Every CSV here is small and written into pytest's tmp_path; the expected values are read off it by hand.
"""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("01-python-for-ml/ex07_loading_tabular_data.py")

SMALL_CSV = """size,price,colour,label
1,10.5,red,yes
,20.0, Blue ,no
3,NA,,yes
4,?,RED,
5,50.0,blue,no
"""


@pytest.fixture
def small_csv(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text(SMALL_CSV, encoding="utf-8")
    return path


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_csv_numbers_by_hand(small_csv):
    # Check that, worked by hand, size reads 1, -, 3, 4, 5 (an integer column with a gap: NaN, never -1);
    # price reads 10.5, 20, NA, ?, 50 with both markers as NaN.
    columns = ex.read_csv(small_csv)
    assert list(columns) == ["size", "price", "colour", "label"]
    np.testing.assert_array_equal(columns["size"], [1.0, np.nan, 3.0, 4.0, 5.0])
    np.testing.assert_array_equal(columns["price"], [10.5, 20.0, np.nan, np.nan, 50.0])
    assert columns["size"].dtype == np.float64


def test_read_csv_text_by_hand(small_csv):
    # Check that text is stripped (" Blue " -> "Blue") but not lower-cased, and missing text is "" (worked by hand).
    columns = ex.read_csv(small_csv)
    np.testing.assert_array_equal(columns["colour"], ["red", "Blue", "", "RED", "blue"])
    np.testing.assert_array_equal(columns["label"], ["yes", "no", "yes", "", "no"])


def test_read_csv_custom_markers_and_one_row(tmp_path):
    # Check that custom missing markers are honoured and a single data row still gives 1-D columns.
    columns = ex.read_csv(write(tmp_path, "a,b\n-999,x\n"), missing=("-999",))
    assert columns["a"].shape == (1,)
    assert np.isnan(columns["a"][0])
    np.testing.assert_array_equal(columns["b"], ["x"])


def test_read_csv_all_missing_column_is_nan(tmp_path):
    # Check that a column with nothing in it comes back as NaN floats, not booleans or -1.
    columns = ex.read_csv(write(tmp_path, "a,b\n1,NA\n2,\n"))
    assert columns["b"].dtype.kind == "f"
    assert np.all(np.isnan(columns["b"]))


def test_read_csv_bad_files(tmp_path):
    # Check that bad files get clear errors: a missing file, an empty file, a header with no rows, and a ragged row.
    with pytest.raises(FileNotFoundError, match="no CSV file"):
        ex.read_csv(tmp_path / "nowhere.csv")
    with pytest.raises(ValueError, match="empty"):
        ex.read_csv(write(tmp_path, "", "empty.csv"))
    with pytest.raises(ValueError, match="no data rows"):
        ex.read_csv(write(tmp_path, "a,b\n", "header.csv"))
    with pytest.raises(ValueError, match="columns"):
        ex.read_csv(write(tmp_path, "a,b\n1,2\n3\n", "ragged.csv"))


def test_impute_median_by_hand():
    # Check that present values 1, 3, 10 impute their median 3 (the mean would be 4.67), and the input is not modified.
    values = np.array([1.0, np.nan, 3.0, 10.0])
    np.testing.assert_array_equal(ex.impute_median(values), [1.0, 3.0, 3.0, 10.0])
    assert np.isnan(values[1])


def test_impute_median_even_count_and_nothing_missing():
    # Check that present 1, 2, 4, 8 impute the median (2 + 4) / 2 = 3 (by hand), and a full column comes back unchanged.
    np.testing.assert_array_equal(ex.impute_median([1.0, 2.0, np.nan, 4.0, 8.0]), [1.0, 2.0, 3.0, 4.0, 8.0])
    np.testing.assert_array_equal(ex.impute_median([5.0, 6.0]), [5.0, 6.0])


def test_impute_median_all_missing():
    # Check that a column with no values gets a clear error.
    with pytest.raises(ValueError, match="every value is missing"):
        ex.impute_median([np.nan, np.nan])


def test_one_hot_by_hand():
    # Check that, worked by hand, "red", " Blue ", "", "RED" give the categories (blue, red) after cleaning;
    # the missing value gets a row of zeros.
    encoded, categories = ex.one_hot(np.array(["red", " Blue ", "", "RED"]))
    np.testing.assert_array_equal(categories, ["blue", "red"])
    np.testing.assert_array_equal(encoded, [[0, 1], [1, 0], [0, 0], [0, 1]])
    assert encoded.dtype.kind == "f"


def test_one_hot_with_given_categories():
    # Check that given categories fix the columns and their order, even one that never occurs,
    # and that a value outside them is refused.
    encoded, categories = ex.one_hot(np.array(["b", "a"]), categories=["c", "b", "a"])
    np.testing.assert_array_equal(categories, ["c", "b", "a"])
    np.testing.assert_array_equal(encoded, [[0, 1, 0], [0, 0, 1]])
    with pytest.raises(ValueError, match="not among the categories"):
        ex.one_hot(np.array(["a", "z"]), categories=["a", "b"])


def test_one_hot_rows_sum_to_one_when_present(rng):
    # Check that each present value lights exactly one column, and that column is its own category.
    values = rng.choice(np.array(["x", "y", "z", "w"]), size=40)
    encoded, categories = ex.one_hot(values)
    np.testing.assert_array_equal(encoded.sum(axis=1), 1.0)
    np.testing.assert_array_equal(categories[encoded.argmax(axis=1)], values)


def test_encode_labels_by_hand():
    # Check that sorted labels (no, yes) turn "yes", "no", "yes" into 1, 0, 1 (worked by hand).
    y, classes = ex.encode_labels(np.array(["yes", "no", "yes"]))
    np.testing.assert_array_equal(classes, ["no", "yes"])
    np.testing.assert_array_equal(y, [1, 0, 1])
    np.testing.assert_array_equal(classes[y], ["yes", "no", "yes"])


def test_build_xy_by_hand(small_csv):
    # Check that the small file is cleaned as worked by hand: the row with no label (size 4) is dropped first, so
    # size's missing value gets median(1, 3, 5) = 3, price's gets median(10.5, 20, 50) = 20;
    # colour becomes blue/red columns (row 3 had none); labels (no, yes) -> 1, 0, 1, 0.
    X, y, names, classes = ex.build_xy(ex.read_csv(small_csv), ["size", "price"], ["colour"], "label")
    assert names == ["size", "price", "colour=blue", "colour=red"]
    expected = np.array([
        [1.0, 10.5, 0.0, 1.0],
        [3.0, 20.0, 1.0, 0.0],
        [3.0, 20.0, 0.0, 0.0],
        [5.0, 50.0, 1.0, 0.0],
    ])
    np.testing.assert_array_equal(X, expected)
    np.testing.assert_array_equal(y, [1, 0, 1, 0])
    np.testing.assert_array_equal(classes, ["no", "yes"])
    assert X.dtype == np.float64 and X.shape == (len(y), len(names))


def test_build_xy_numeric_label_and_no_categorical(tmp_path):
    # Check that a numeric label column works (by hand): the NaN label row is dropped and labels 0/1 stay 0/1.
    columns = ex.read_csv(write(tmp_path, "x,target\n1,1\n2,NA\n3,0\n,1\n"))
    X, y, names, classes = ex.build_xy(columns, ["x"], [], "target")
    np.testing.assert_array_equal(X, [[1.0], [3.0], [2.0]])  # median(1, 3) = 2 fills the last row
    np.testing.assert_array_equal(y, [1, 0, 1])
    np.testing.assert_array_equal(classes, [0.0, 1.0])


def test_build_xy_bad_columns(small_csv):
    # Check that bad columns get clear errors: an unknown column lists the real ones; a text column asked for as numeric says so.
    columns = ex.read_csv(small_csv)
    with pytest.raises(ValueError, match="no column 'weight'.*size, price, colour, label"):
        ex.build_xy(columns, ["weight"], [], "label")
    with pytest.raises(ValueError, match="'colour' holds text"):
        ex.build_xy(columns, ["colour"], [], "label")
    with pytest.raises(ValueError, match="no feature columns"):
        ex.build_xy(columns, [], [], "label")
