"""Tests for ex08_plotting_with_matplotlib: the grid helper, the gallery figure and saving."""

import math

import matplotlib

matplotlib.use("Agg")  # no windows during tests

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import utils  # noqa: E402

ex = utils.load_exercise("01-python-for-ml/ex08_plotting_with_matplotlib.py")


_CACHE = {}


def build_once():
    """The gallery for random_state=0, built on first use (inside a test, so a failure is a test failure)."""
    if "gallery" not in _CACHE:
        _CACHE["gallery"] = ex.build_gallery(random_state=0)
    return _CACHE["gallery"]


def teardown_module():
    if "gallery" in _CACHE:
        plt.close(_CACHE["gallery"][0])


@pytest.mark.parametrize(
    "k, expected",
    [(1, (1, 1)), (2, (1, 2)), (3, (1, 3)), (4, (2, 2)), (5, (2, 3)), (6, (2, 3)), (7, (2, 4)), (9, (3, 3)), (10, (3, 4))],
)
def test_grid_shape_by_hand(k, expected):
    # Check that rows = floor(sqrt(k)), cols = ceil(k / rows), worked by hand: e.g. 7 -> 2 rows, ceil(3.5) = 4 columns.
    assert ex.grid_shape(k) == expected


def test_grid_shape_with_a_column_cap():
    # Check that 10 panels at most 3 wide give 3 columns and ceil(10 / 3) = 4 rows (by hand); a cap above the need changes nothing.
    assert ex.grid_shape(10, max_cols=3) == (4, 3)
    assert ex.grid_shape(5, max_cols=1) == (5, 1)
    assert ex.grid_shape(4, max_cols=10) == (2, 2)


@pytest.mark.parametrize("k", range(1, 60))
def test_grid_shape_fits_and_wastes_little(k):
    # Check that there is room for k panels, no row is entirely empty,
    # and the grid is never taller than wide.
    rows, cols = ex.grid_shape(k)
    assert rows * cols >= k
    assert (rows - 1) * cols < k
    assert rows <= cols
    assert rows == math.isqrt(k)


def test_grid_shape_refuses_zero_panels():
    # Check that k = 0 or a bad cap gets a clear error.
    with pytest.raises(ValueError, match="k must be a positive integer"):
        ex.grid_shape(0)
    with pytest.raises(ValueError, match="max_cols"):
        ex.grid_shape(3, max_cols=0)


def test_gallery_has_one_titled_panel_per_plot_kind():
    # Check that there is one Axes per name, all distinct, each with a title, all still in the figure
    # (the spare slot of the 2 x 4 grid was removed; the two heat maps add one colour bar each).
    fig, panels = build_once()
    assert list(panels) == list(ex.GALLERY_PANELS)
    assert len({id(ax) for ax in panels.values()}) == 7
    for name, ax in panels.items():
        assert ax.get_title(), f"panel {name!r} has no title"
        assert ax in fig.axes
    assert len(fig.axes) == 7 + 2


def test_gallery_line_panels():
    # Check that the line plots are right: two loss curves of equal length on a log axis; the ROC curve runs
    # from (0, 0) to (1, 1) and never decreases, next to the chance diagonal.
    _, panels = build_once()
    losses = panels["loss curves"].lines
    assert len(losses) == 2 and len(losses[0].get_xdata()) == len(losses[1].get_xdata())
    assert panels["loss curves"].get_yscale() == "log"
    roc, chance = panels["ROC curve"].lines[:2]
    fpr, tpr = np.asarray(roc.get_xdata()), np.asarray(roc.get_ydata())
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0.0, 0.0, 1.0, 1.0)
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
    np.testing.assert_array_equal(chance.get_xdata(), [0, 1])


def test_gallery_point_panels():
    # Check that scatter panels hold point collections: the clusters (3 classes + centres),
    # the decision boundary (filled regions + points), the regression data plus its fitted line.
    _, panels = build_once()
    assert len(panels["clusters"].collections) == 4
    assert len(panels["decision boundary"].collections) >= 4
    assert len(panels["regression fit"].collections) == 1
    assert len(panels["regression fit"].lines) == 1


def test_gallery_confusion_matrix_and_heat_map():
    # Check that the image panels are right: the confusion matrix counts every sample once (3 blobs x 100),
    # and the correlation heat map has ones on its diagonal, each cell labelled with its value.
    _, panels = build_once()
    confusion = np.asarray(panels["confusion matrix"].images[0].get_array())
    assert confusion.shape == (3, 3) and confusion.sum() == 300
    corr = np.asarray(panels["heat map"].images[0].get_array())
    assert corr.shape == (4, 4)
    np.testing.assert_allclose(np.diag(corr), 1.0)
    assert len(panels["heat map"].texts) == 16


def test_gallery_is_reproducible():
    # Check that the same random_state draws the same data: the ROC curve is identical twice.
    fig_a, panels_a = ex.build_gallery(random_state=3)
    fig_b, panels_b = ex.build_gallery(random_state=3)
    try:
        np.testing.assert_array_equal(panels_a["ROC curve"].lines[0].get_ydata(), panels_b["ROC curve"].lines[0].get_ydata())
    finally:
        plt.close(fig_a)
        plt.close(fig_b)


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".pdf", b"%PDF"), (".svg", b"<?xml")])
def test_save_figure_writes_the_format_of_the_suffix(tmp_path, suffix, magic):
    # Check that the file exists, in a folder created on demand, and starts with its format's signature.
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [1, 0])
    try:
        path = ex.save_figure(fig, tmp_path / "new" / "folder" / f"plot{suffix}", dpi=50)
    finally:
        plt.close(fig)
    assert path.is_file()
    assert path.read_bytes()[: len(magic)] == magic


def test_save_figure_refuses_an_unknown_format(tmp_path):
    # Check that a suffix matplotlib may not know, or none, gets a clear error and writes nothing.
    fig, _ = plt.subplots()
    try:
        with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
            ex.save_figure(fig, tmp_path / "plot.bmpx")
    finally:
        plt.close(fig)
    assert list(tmp_path.iterdir()) == []
