"""
Exercise 08: plotting with Matplotlib: figures, axes, and the curriculum's plot kinds

Learning goals
--------------
- Use the object interface: a Figure holds Axes; every drawing call goes to an Axes
  (ax.plot, ax.scatter, ax.set), never to "the current plot".
- Lay out k panels in a grid, remove the empty ones, and save the figure as PNG, SVG or PDF.
- Meet the shared helpers in utils.plotting that later modules use: loss curves,
  decision boundary, clusters, regression fit, confusion matrix, ROC curve, heat map.

The math
--------
A grid for k panels: rows = floor(sqrt(k)), cols = ceil(k / rows), so the grid is
about square, a little wider than tall (screens are), and wastes fewer than
`rows` slots. With a cap on the columns: cols = min(cols, max_cols),
rows = ceil(k / cols).
The gallery's data are small worked examples: a nearest-centroid classifier (the class
whose mean is closest), an ROC curve (for each threshold t, TPR(t) = P(score >= t | positive),
FPR(t) = P(score >= t | negative)) and a gradient-descent fit's losses per epoch.

Algorithm
---------
1. grid_shape(k): the rows and columns of the panel grid.
2. build_gallery: one figure, one Axes per plot kind, each drawn by a utils.plotting
   helper with a title; delete the unused Axes.
3. save_figure: make the folder, then fig.savefig with the format from the file suffix.

References: J. D. Hunter, "Matplotlib: A 2D graphics environment", Computing in Science & Engineering
9(3) (2007); Matplotlib documentation, "Quick start guide" and "Anatomy of a figure".
Difficulty: 1 of 3, about 30 minutes.
Run: python 01-python-for-ml/ex08_plotting_with_matplotlib.py
"""

# %%
import math
import tempfile
from pathlib import Path

import numpy as np

from utils import data, plotting
from utils.validation import check_positive_int

# %% [markdown]
# ## Implementation


# %%
def grid_shape(k, max_cols=None):
    """(rows, cols) of a near-square grid with room for k panels.

    Examples: 1 -> (1, 1), 3 -> (1, 3), 5 -> (2, 3), 7 -> (2, 4), 10 -> (3, 4).
    """
    k = check_positive_int(k, "k")
    max_cols = check_positive_int(max_cols, "max_cols", allow_none=True)
    # BEGIN SOLUTION
    # HINT 1: Start near a square (floor of sqrt k rows), add columns until k panels fit; cap the columns.
    # HINT 2: rows = isqrt(k); cols = ceil(k / rows); if cols > max_cols: cols = max_cols; rows = ceil(k / cols)
    rows = math.isqrt(k)  # floor(sqrt(k)), exactly, with integers
    cols = math.ceil(k / rows)
    if max_cols is not None and cols > max_cols:
        cols, rows = max_cols, math.ceil(k / max_cols)
    return rows, cols
    # END SOLUTION


def _nearest_centroid(X, y):
    """Class means (n_classes, n_features) and a predict function: the class of the nearest mean."""
    classes = np.unique(y)  # (n_classes,)
    centroids = np.array([X[y == c].mean(axis=0) for c in classes])  # (n_classes, n_features)

    def predict(points):
        d = np.sum((points[:, None, :] - centroids[None, :, :]) ** 2, axis=2)  # (n_points, n_classes)
        return classes[np.argmin(d, axis=1)]

    return centroids, predict


def _gradient_descent_losses(X_train, y_train, X_val, y_val, epochs=60, lr=0.05):
    """Train and validation mean squared error of a linear model after each gradient step."""
    w = np.zeros(X_train.shape[1])  # (n_features,)
    train, val = [], []
    for _ in range(epochs):
        w -= lr * 2 * X_train.T @ (X_train @ w - y_train) / len(y_train)  # gradient of the MSE
        train.append(np.mean((X_train @ w - y_train) ** 2))
        val.append(np.mean((X_val @ w - y_val) ** 2))
    return train, val


GALLERY_PANELS = ("loss curves", "decision boundary", "clusters", "regression fit",
                  "confusion matrix", "ROC curve", "heat map")


def build_gallery(random_state=0):
    """(fig, panels): one figure with a panel for each plot kind the curriculum uses, and a dict
    mapping each name in GALLERY_PANELS to its Axes."""
    rng = data.as_rng(random_state)
    # BEGIN SOLUTION
    # HINT 1: One figure, a grid of axes from grid_shape, one named panel per plot;
    # HINT 1: each panel gets its own small data set and one utils.plotting helper.
    # HINT 2: axes = np.ravel(plotting.new_figure(rows, cols, ...)[1]); panels = dict(zip(GALLERY_PANELS, axes))
    # HINT 3: rows, cols = grid_shape(...); fig, axes = plotting.new_figure(..., layout="constrained")
    # HINT 3: flatten axes; delete the spare ones; panels = dict(zip(GALLERY_PANELS, axes))
    # HINT 3: fill each panel with its own small data set and its plotting.plot_* helper; return fig, panels
    rows, cols = grid_shape(len(GALLERY_PANELS))
    # layout="constrained" spaces the panels (and colour bars) when the figure is drawn, not now.
    fig, axes = plotting.new_figure(rows, cols, width=4.0, height=3.5, layout="constrained")  # axes: (rows, cols) Axes
    axes = np.ravel(axes)  # (rows * cols,): one list, filled left to right
    for spare in axes[len(GALLERY_PANELS):]:
        fig.delaxes(spare)  # an empty grid slot would show a blank frame
    panels = dict(zip(GALLERY_PANELS, axes))

    X, y, _ = data.make_linear_regression(n_samples=80, n_features=3, noise=0.5, random_state=rng)
    train, val = _gradient_descent_losses(X[:60], y[:60], X[60:], y[60:])
    plotting.plot_loss_curves(panels["loss curves"], {"train": train, "validation": val},
                              xlabel="epoch", ylabel="mean squared error", log_y=True, title="Loss curves")

    X, y = data.make_blobs(n_samples=150, centers=3, cluster_std=1.5, random_state=rng)
    centroids, predict = _nearest_centroid(X, y)
    plotting.plot_decision_boundary(panels["decision boundary"], predict, X, y, resolution=150,
                                    title="Decision boundary (nearest centroid)")
    plotting.plot_clusters(panels["clusters"], X, y, centers=centroids, title="Clusters and their centres")

    x, t = data.make_polynomial_regression(n_samples=60, random_state=rng)  # (60,) each
    coefs = np.polyfit(x, t, deg=2)  # (3,), highest power first
    grid = np.linspace(x.min(), x.max(), 100)  # (100,)
    plotting.plot_regression_fit(panels["regression fit"], x, t, grid, np.polyval(coefs, grid), label="degree-2 fit", title="Regression fit")

    X, y = data.make_blobs(n_samples=300, centers=3, cluster_std=3.0, random_state=rng)
    _, predict = _nearest_centroid(X, y)
    confusion = np.zeros((3, 3), dtype=int)  # (n_classes, n_classes): rows true, columns predicted
    np.add.at(confusion, (y, predict(X)), 1)
    plotting.plot_confusion_matrix(panels["confusion matrix"], confusion, labels=[0, 1, 2])

    labels = np.repeat([0, 1], 100)  # (200,)
    scores = rng.normal(loc=1.2 * labels, scale=1.0)  # (200,): positives score higher on average
    thresholds = np.concatenate([[np.inf], np.sort(scores)[::-1]])  # (201,): from "nothing positive" to "all"
    tpr = np.mean(scores[labels == 1][None, :] >= thresholds[:, None], axis=1)  # (201,): P(score >= t | positive)
    fpr = np.mean(scores[labels == 0][None, :] >= thresholds[:, None], axis=1)  # (201,): P(score >= t | negative)
    plotting.plot_roc_curve(panels["ROC curve"], fpr, tpr, auc=np.trapezoid(tpr, fpr), label="scores").set_title("ROC curve")

    X, y, _ = data.make_linear_regression(n_samples=200, n_features=3, noise=2.0, random_state=rng)
    corr = np.corrcoef(np.column_stack([X, y]), rowvar=False)  # (4, 4)
    plotting.plot_heatmap(panels["heat map"], corr, row_labels=["x1", "x2", "x3", "y"], col_labels=["x1", "x2", "x3", "y"],
                          cmap="RdBu_r", vmin=-1, vmax=1, title="Heat map (correlations)")  # symmetric scale: 0 is white
    return fig, panels
    # END SOLUTION


def save_figure(fig, path, dpi=150):
    """Save fig to path (.png, .svg or .pdf, from the suffix), creating the folder. Returns the Path."""
    path = Path(path)
    if path.suffix.lower() not in {".png", ".svg", ".pdf"}:
        raise ValueError(f"path must end in .png, .svg or .pdf; got {path.name!r}")
    # BEGIN SOLUTION
    # HINT 1: Create the folder if needed, then save; dpi only matters for raster formats.
    # HINT 2: path.parent.mkdir(parents=True, exist_ok=True); fig.savefig(path, dpi=dpi, bbox_inches="tight")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight")  # dpi matters for PNG only: SVG and PDF are vector formats
    return path
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # The anatomy: a Figure with two Axes side by side, sharing the y axis.
    fig, (left, right) = plotting.new_figure(1, 2, width=4.5, height=3.5, sharey=True)
    t = np.linspace(0, 2 * np.pi, 200)  # (200,)
    left.plot(t, np.sin(t), label="sin t")  # every call goes to one Axes object
    left.plot(t, np.cos(t), ls="--", label="cos t")
    left.annotate("maximum", xy=(np.pi / 2, 1), xytext=(2.4, 0.55), arrowprops=dict(arrowstyle="->"))
    left.set(xlabel="t", ylabel="value", title="ax.plot: lines")
    left.legend(loc="lower left")
    rng = np.random.default_rng(0)
    right.scatter(rng.uniform(0, 2 * np.pi, 80), rng.uniform(-1, 1, 80), s=12, alpha=0.7)
    right.set(xlabel="t", title="ax.scatter: points (shares y)")
    fig.suptitle("One Figure, two Axes")
    fig.tight_layout()
    print(f"Figure {fig.get_size_inches()} inches with {len(fig.axes)} Axes: left {len(left.lines)} lines and "
          f"{len(left.texts)} annotation, right {len(right.collections)} point collection")
    print("\nGrid shapes for k panels: " + ", ".join(f"{k} -> {grid_shape(k)}" for k in (1, 2, 3, 4, 5, 7, 10)))
    with tempfile.TemporaryDirectory() as folder:  # saved copies go to a throw-away folder, never the repository
        for suffix in (".png", ".svg", ".pdf"):
            saved = save_figure(fig, Path(folder) / f"anatomy{suffix}")
            print(f"  save_figure -> {saved.name}: {saved.stat().st_size / 1024:.0f} KiB")
    plotting.show_or_save(fig, "ex08_plotting_with_matplotlib_anatomy")

    gallery, panels = build_gallery(random_state=0)
    print(f"\nGallery: {len(panels)} panels on a {grid_shape(len(panels))} grid ({len(gallery.axes)} Axes with colour bars)")
    gallery.suptitle("The plots of the curriculum (utils.plotting)")
    plotting.show_or_save(gallery, "ex08_plotting_with_matplotlib_gallery")


if __name__ == "__main__":
    main()
