"""utils.plotting: headless saving and the shared plots."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import data, plotting  # noqa: E402


def test_show_or_save_writes_png_headless(tmp_path, monkeypatch, capsys):
    # Check that without a screen the figure is saved where MLSC_FIGURE_DIR says and the path printed.
    monkeypatch.setenv("MLSC_FIGURE_DIR", str(tmp_path))
    fig, ax = plotting.new_figure()
    ax.plot([0, 1], [1, 0])
    path = plotting.show_or_save(fig, "ex00_test_figure")
    assert path == tmp_path / "ex00_test_figure.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(path) in capsys.readouterr().out
    assert not plt.fignum_exists(fig.number), "the saved figure should be closed"


def test_show_or_save_rejects_a_path_as_name():
    # Check that a name with a folder separator is refused rather than written elsewhere.
    fig, _ = plotting.new_figure()
    with pytest.raises(ValueError, match="figure name"):
        plotting.show_or_save(fig, "../outside")
    plt.close(fig)


def test_shared_plots_draw_without_error():
    # Check that each shared plot draws on real data and returns its axes.
    X, y = data.make_blobs(n_samples=60, centers=3, random_state=0)
    fig, axes = plotting.new_figure(2, 3)
    axes = axes.ravel()
    assert plotting.plot_loss_curves(axes[0], {"train": [3, 2, 1], "val": [3, 2.5, 2]}) is axes[0]
    plotting.plot_decision_boundary(axes[1], lambda G: (G[:, 0] > 0).astype(int), X, y, resolution=30)
    plotting.plot_clusters(axes[2], X, y, centers=np.zeros((3, 2)))
    plotting.plot_regression_fit(axes[3], X[:, 0], X[:, 1], np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    plotting.plot_confusion_matrix(axes[4], np.array([[5, 1], [2, 7]]), labels=["a", "b"])
    plotting.plot_roc_curve(axes[5], [0, 0.5, 1], [0, 0.8, 1], auc=0.65)
    assert len(axes[4].texts) == 4  # one number per cell
    plt.close(fig)


def test_decision_boundary_needs_two_features():
    # Check the message when X has the wrong number of columns.
    fig, ax = plotting.new_figure()
    with pytest.raises(ValueError, match=r"\(n_samples, 2\)"):
        plotting.plot_decision_boundary(ax, lambda G: G[:, 0], np.zeros((5, 3)))
    plt.close(fig)


@pytest.mark.parametrize(
    "cmap, black_cells, white_cells",
    [("Blues", ["0.00"], ["1.00"]), ("viridis", ["1.00"], ["0.00"]), ("RdBu_r", ["0.50"], ["0.00", "1.00"])],
)
def test_heatmap_numbers_contrast_with_their_cells(cmap, black_cells, white_cells):
    # Check black text on light cells and white on dark ones: Blues is light at 0, viridis
    # dark at 0, and the diverging RdBu_r is dark at both ends and white in the middle.
    matrix = np.array([[0.0, 1.0], [0.5, 0.25]])
    fig, ax = plotting.new_figure()
    plotting.plot_heatmap(ax, matrix, cmap=cmap, colorbar=False)
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert [colours[c] for c in black_cells] == ["black"] * len(black_cells)
    assert [colours[c] for c in white_cells] == ["white"] * len(white_cells)
    plt.close(fig)


def test_plot_projection_3d_draws_b_p_and_e():
    # Check that the three arrows and the plane patch are drawn, labelled with b, p and e = b - p (worked by hand).
    fig = plt.figure()
    ax = fig.add_subplot(projection="3d")
    plotting.plot_projection_3d(ax, [6.0, 0.0, 0.0], [5.0, 2.0, -1.0], title="projection")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["b = (6, 0, 0)", "p = (5, 2, -1)", "e = b - p = (1, -2, 1)"]
    assert len(ax.collections) == 4  # the plane patch and three quivers
    assert ax.get_title() == "projection"


def test_image_grid_places_each_image_in_its_frame():
    # Check by hand: three 2 x 2 images in rows of 2 give a 2 x 2 grid of 4 x 4 tiles; image 1 sits at
    # rows 1-2, columns 5-6; frames and the missing fourth tile stay blank (vmin).
    images = np.arange(1.0, 13.0).reshape(3, 4)
    fig, ax = plotting.new_figure()
    mosaic = plotting.plot_image_grid(ax, images, n_cols=2, image_shape=(2, 2), vmin=0.0, vmax=12.0)
    assert mosaic.shape == (8, 8)
    np.testing.assert_array_equal(mosaic[1:3, 5:7], [[5, 6], [7, 8]])
    np.testing.assert_array_equal(mosaic[5:7, 1:3], [[9, 10], [11, 12]])
    assert mosaic[0].sum() == 0 and mosaic[4:, 4:].sum() == 0


def test_computational_graph_draws_every_value_and_edge():
    # Check that a two-node graph, z = x * y then w = -z, gets one box per value (x, y, z, w), each
    # showing its value and adjoint, and one labelled arrow per edge (x->z, y->z, z->w).
    graph = (("z", "mul", ("x", "y")), ("w", "neg", ("z",)))
    values, grads = {"x": 2.0, "y": 3.0, "z": 6.0, "w": -6.0}, {"x": -3.0, "y": -2.0, "z": -1.0, "w": 1.0}
    local = {("x", "z"): 3.0, ("y", "z"): 2.0, ("z", "w"): -1.0}
    fig, ax = plotting.new_figure()
    plotting.plot_computational_graph(ax, graph, values, grads, local, {"z": "z = x * y"})
    texts = [t.get_text() for t in ax.texts]
    assert "z = x * y" in texts and "w" in texts
    assert "value +6.000\ndf/dz -1.000" in texts
    assert "∂z/∂x = 3.00" in texts and "∂w/∂z = -1.00" in texts
    assert sum(1 for t in ax.texts if getattr(t, "arrow_patch", None) is not None) == 3


def test_plot_line_draws_w_dot_x_plus_b_equals_zero():
    # Check by hand: w = (1, 2), b = -2 is x_2 = 1 - x_1 / 2, so (0, 1) and (2, 0) lie on it;
    # w = (2, 0), b = -1 is the vertical line x_1 = 0.5; w = 0 draws nothing.
    fig, ax = plotting.new_figure()
    (line,) = plotting.plot_line(ax, np.array([1.0, 2.0]), -2.0, (0.0, 2.0))
    np.testing.assert_allclose(np.column_stack(line.get_data()), [[0.0, 1.0], [2.0, 0.0]])
    vertical = plotting.plot_line(ax, np.array([2.0, 0.0]), -1.0, (0.0, 2.0))
    np.testing.assert_allclose(vertical.get_xdata(), [0.5, 0.5])
    assert plotting.plot_line(ax, np.zeros(2), 1.0, (0.0, 2.0)) is None


def test_plot_margins_draws_three_levels_and_circles_the_support_vectors():
    # Check on f(x) = x_1 over [-2, 2]^2: three contour levels -1, 0, 1 and one circle per support vector.
    X = np.array([[-2.0, -2.0], [2.0, 2.0], [0.5, 0.0]])
    fig, ax = plotting.new_figure()
    plotting.plot_margins(ax, lambda G: G[:, 0], X, support_vectors=X[1:])
    contour = [c for c in ax.collections if hasattr(c, "levels")][0]
    np.testing.assert_allclose(contour.levels, [-1.0, 0.0, 1.0])
    assert len(ax.collections[-1].get_offsets()) == 2
    plt.close(fig)


def test_plot_gaussian_ellipses_lie_at_the_mahalanobis_distances():
    # Check every drawn point x of the two curves has (x - mu)^T Sigma^-1 (x - mu) = 1 and 4.
    mean, cov = np.array([1.0, -2.0]), np.array([[4.0, 1.5], [1.5, 1.0]])
    fig, ax = plotting.new_figure()
    plotting.plot_gaussian_ellipses(ax, mean, cov)
    for line, radius in zip(ax.get_lines(), (1, 2)):
        diff = line.get_xydata() - mean  # (100, 2)
        np.testing.assert_allclose(np.einsum("ij,jk,ik->i", diff, np.linalg.inv(cov), diff), radius**2, rtol=1e-10)
    plt.close(fig)


def test_image_grid_figure_shows_each_image_once_in_its_shape():
    # Check 5 images on 2 rows: 3 columns, 5 images of shape (2, 3) with their titles, the sixth panel off.
    images = np.arange(30.0).reshape(5, 6)
    fig = plotting.image_grid_figure(images, (2, 3), titles=list("abcde"), nrows=2)
    axes = fig.axes
    assert len(axes) == 6 and not axes[5].axison
    for ax, image, title in zip(axes, images, "abcde"):
        np.testing.assert_array_equal(ax.images[0].get_array(), image.reshape(2, 3))
        assert ax.get_title() == title
    plt.close(fig)
