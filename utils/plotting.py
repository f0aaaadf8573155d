"""Figures for the exercises: one style, and the plots several modules share.

``show_or_save(fig, name)`` opens a window when you run a script on a desktop.
When there is no screen (``MPLBACKEND=Agg``, a server, the test suite) it saves a
PNG under ``figures/`` at the repository root, or under the folder named by the
``MLSC_FIGURE_DIR`` environment variable, and prints the path.

Every ``plot_*`` helper draws on an ``ax`` you pass in and returns it, so a
script can arrange several plots in one figure with ``plt.subplots``.
"""

import os
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from utils import REPO_ROOT

__all__ = [
    "STYLE",
    "new_figure",
    "new_mosaic",
    "figure_dir",
    "show_or_save",
    "plot_loss_curves",
    "plot_decision_boundary",
    "plot_clusters",
    "plot_regression_fit",
    "plot_confusion_matrix",
    "plot_roc_curve",
    "plot_heatmap",
    "plot_splits",
    "plot_grouped_bars",
    "plot_samples_vs_density",
    "plot_frequencies_vs_pmf",
    "plot_ecdf_gap",
    "plot_scores_per_fold",
    "plot_projection_3d",
    "plot_image_grid",
    "image_grid_figure",
    "plot_computational_graph",
    "plot_line",
    "plot_margins",
    "plot_gaussian_ellipses",
]

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "savefig.bbox": "tight",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "image.cmap": "viridis",
}
plt.rcParams.update(STYLE)

# A colour-blind-friendly qualitative palette (Okabe & Ito, 2008).
COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
plt.rcParams["axes.prop_cycle"] = matplotlib.cycler(color=COLORS)

_NON_INTERACTIVE = {"agg", "pdf", "ps", "svg", "pgf", "cairo", "template"}


def new_figure(nrows=1, ncols=1, width=5.0, height=4.0, **kwargs):
    """``plt.subplots`` sized per panel: each panel is ``width`` x ``height`` inches."""
    return plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), **kwargs)


def new_mosaic(layout, width=5.0, height=4.0, **kwargs):
    """``plt.subplot_mosaic`` sized per cell: layout is a list of rows of panel names (a name
    repeated across cells spans them); returns (fig, {name: ax})."""
    fig, axes = plt.subplot_mosaic(layout, figsize=(width * len(layout[0]), height * len(layout)), **kwargs)
    return fig, axes


def figure_dir():
    """Where headless runs save their figures (created on demand)."""
    folder = Path(os.environ.get("MLSC_FIGURE_DIR") or REPO_ROOT / "figures")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _is_headless():
    return matplotlib.get_backend().lower() in _NON_INTERACTIVE


def show_or_save(fig, name):
    """Show ``fig`` in a window, or save it as ``<figure_dir>/<name>.png`` when headless.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        File name without extension; start it with the script's name
        (``"ex03_matrix_multiplication_grid"``) so figures never collide.

    Returns
    -------
    pathlib.Path or None
        The saved file when headless, else None.
    """
    if not re.fullmatch(r"[\w.-]+", name):
        raise ValueError(f"figure name must be letters, digits, '_', '-' or '.'; got {name!r}")
    if not _is_headless():
        plt.show()
        return None
    path = figure_dir() / f"{name}.png"
    fig.savefig(path)
    plt.close(fig)
    print(f"Figure saved to {path}")
    return path


# --------------------------------------------------------------------------- shared plots


def plot_loss_curves(ax, curves, xlabel="iteration", ylabel="loss", log_y=False, title=None):
    """Draw one line per named curve, e.g. ``{"train": [...], "validation": [...]}``."""
    for label, values in curves.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if log_y:
        ax.set_yscale("log")
    if len(curves) > 1:
        ax.legend()
    return ax


def _grid_over(X, resolution, margin):
    """A (resolution x resolution) grid covering the first two columns of X."""
    lo, hi = X[:, :2].min(axis=0), X[:, :2].max(axis=0)
    pad = margin * (hi - lo + 1e-12)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    xx, yy = np.meshgrid(xs, ys)  # (resolution, resolution) each
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])  # grid: (resolution**2, 2)


def plot_decision_boundary(ax, predict, X, y=None, resolution=200, margin=0.1, title=None):
    """Colour the plane by ``predict`` (a function of an (n, 2) array) and scatter the data.

    ``predict`` returns class labels, or scores/probabilities (then a colour map).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary needs X of shape (n_samples, 2); got {X.shape}")
    xx, yy, grid = _grid_over(X, resolution, margin)
    zz = np.asarray(predict(grid)).reshape(xx.shape)
    classes = np.unique(y) if y is not None else np.unique(zz)
    if np.issubdtype(zz.dtype, np.floating) and not np.all(np.isin(zz, classes)):
        ax.contourf(xx, yy, zz, levels=20, cmap="RdBu_r", alpha=0.5)
        ax.contour(xx, yy, zz, levels=[0.5 if zz.min() >= 0 else 0.0], colors="k", linewidths=1)
    else:
        codes = np.searchsorted(classes, zz)  # labels -> 0..k-1 for the colour map
        ax.contourf(xx, yy, codes, levels=np.arange(len(classes) + 1) - 0.5, colors=COLORS[: len(classes)], alpha=0.25)
    if y is not None:
        plot_clusters(ax, X, y)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    return ax


def plot_clusters(ax, X, labels, centers=None, title=None):
    """Scatter 2-D points coloured by label; optional cluster centres as crosses."""
    X = np.asarray(X, dtype=float)
    for i, label in enumerate(np.unique(labels)):
        mask = np.asarray(labels) == label
        ax.scatter(X[mask, 0], X[mask, 1], s=14, color=COLORS[i % len(COLORS)], edgecolor="white", linewidth=0.3, label=str(label))
    if centers is not None:
        centers = np.asarray(centers)
        ax.scatter(centers[:, 0], centers[:, 1], marker="X", s=120, color="black", label="centres")
    if title:
        ax.set_title(title)
    return ax


def plot_regression_fit(ax, x, y, x_line=None, y_line=None, label="fit", title=None):
    """Scatter (x, y) and draw a fitted curve (x_line, y_line) over it."""
    ax.scatter(x, y, s=12, alpha=0.7, label="data")
    if x_line is not None:
        order = np.argsort(x_line)
        ax.plot(np.asarray(x_line)[order], np.asarray(y_line)[order], color=COLORS[3], linewidth=2, label=label)
    ax.set(xlabel="x", ylabel="y", title=title)
    ax.legend()
    return ax


def plot_heatmap(
    ax, matrix, row_labels=None, col_labels=None, annotate=True, fmt="{:.2f}", cmap="viridis", title=None, colorbar=True, vmin=None, vmax=None
):
    """A labelled heat map of a 2-D array, with the value written in each cell.

    Each number is written in black on a light cell and in white on a dark one,
    judged from the cell's own colour, so it stays readable with any colour map.
    """
    matrix = np.asarray(matrix)
    image = ax.imshow(matrix, cmap=cmap, aspect="auto", vmin=vmin, vmax=vmax)
    ax.grid(False)
    if row_labels is not None:
        ax.set_yticks(np.arange(matrix.shape[0]), labels=[str(r) for r in row_labels])
    if col_labels is not None:
        ax.set_xticks(np.arange(matrix.shape[1]), labels=[str(c) for c in col_labels])
    if annotate and matrix.size <= 400:
        rgba = image.cmap(image.norm(matrix))  # (n_rows, n_cols, 4): the colour of each cell
        luminance = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])  # (n_rows, n_cols), ITU-R BT.601
        for (i, j), value in np.ndenumerate(matrix):
            color = "black" if luminance[i, j] > 0.5 else "white"
            ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize=8, color=color)
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    if title:
        ax.set_title(title)
    return ax


def plot_confusion_matrix(ax, matrix, labels=None, normalized=False, title="Confusion matrix"):
    """A confusion matrix (rows: true class, columns: predicted class) as a heat map."""
    fmt = "{:.2f}" if normalized else "{:.0f}"
    plot_heatmap(ax, matrix, row_labels=labels, col_labels=labels, fmt=fmt, cmap="Blues", title=title)
    ax.set(xlabel="predicted", ylabel="true")
    return ax


def plot_roc_curve(ax, fpr, tpr, auc=None, label="model"):
    """An ROC curve with the chance diagonal."""
    text = label if auc is None else f"{label} (AUC = {auc:.3f})"
    ax.plot(fpr, tpr, linewidth=2, label=text)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", xlim=(0, 1), ylim=(0, 1.01), aspect="equal")
    ax.legend(loc="lower right")
    return ax


def plot_splits(ax, splits, n_samples, y=None, title=None, legend=False):
    """One row per (train_idx, test_idx) split: training, test and unused samples as squares.

    With labels y (shape (n_samples,)) a last row shows each sample's class; legend=True
    explains the three colours below the axes.
    """
    j = -1
    for j, (train, test) in enumerate(splits):
        colors = np.full(n_samples, "#DDDDDD", dtype=object)  # (n_samples,), unused: grey
        colors[train], colors[test] = COLORS[0], COLORS[1]
        ax.scatter(np.arange(n_samples), np.full(n_samples, j), c=list(colors), marker="s", s=28)
    ticks, names = list(range(j + 1)), [f"split {i + 1}" for i in range(j + 1)]
    if y is not None:
        ax.scatter(np.arange(n_samples), np.full(n_samples, -1.3), c=[COLORS[(2 + int(c)) % len(COLORS)] for c in y], marker="s", s=28)
        ticks, names = [-1.3] + ticks, ["class"] + names
    ax.set(xlabel="sample index", yticks=ticks, yticklabels=names)
    if title:
        ax.set_title(title)
    ax.invert_yaxis()
    ax.grid(False)
    if legend:
        for color, label in [(COLORS[0], "train"), (COLORS[1], "test"), ("#DDDDDD", "not used")]:
            ax.scatter([], [], marker="s", color=color, label=label)
        ax.legend(loc="lower left", ncol=3, bbox_to_anchor=(0.0, -0.45))
    return ax


def plot_scores_per_fold(ax, scores, ylabel="score", title=None):
    """Box plots of fold scores, one box per name in the dict scores, every fold a dot, the mean a diamond."""
    ax.boxplot(list(scores.values()), widths=0.5, showfliers=False)
    for i, s in enumerate(scores.values()):
        jitter = np.random.default_rng(i).uniform(-0.15, 0.15, len(s))  # (n_folds,), fixed seed: same figure each run
        ax.scatter(i + 1 + jitter, s, s=10, alpha=0.5, color=COLORS[i % 5], zorder=3)
        ax.scatter(i + 1.3, np.mean(s), marker="D", color="black", zorder=4, label="mean (the CV estimate)" if i == 0 else None)
    ax.set_xticks(np.arange(1, len(scores) + 1), labels=list(scores.keys()))
    ax.set(ylabel=ylabel)
    if title:
        ax.set_title(title)
    return ax


def plot_grouped_bars(ax, values, groups, series, notes=None, log=False):
    """Grouped bars: values has shape (n_groups, n_series); one group of bars per name in groups,
    one colour per name in series. notes (one string per group) are written above the last bar
    of each group; log=True uses a log scale, with head room for the legend."""
    values = np.asarray(values, dtype=float)  # (n_groups, n_series)
    positions, width = np.arange(len(groups)), 0.8 / len(series)  # (n_groups,)
    offsets = (np.arange(len(series)) - (len(series) - 1) / 2) * width  # (n_series,), centred on each group
    for k, label in enumerate(series):
        ax.bar(positions + offsets[k], values[:, k], width=width, label=label, color=COLORS[k % len(COLORS)])
    for p, row, note in zip(positions, values, notes or []):
        ax.text(p + offsets[-1], row[-1] * (1.3 if log else 1.02), note, ha="center", va="bottom", fontsize=9)
    if log:
        ax.set_yscale("log")
        ax.set_ylim(top=ax.get_ylim()[1] * 10)  # head room for the legend (a decade on a log axis)
    ax.set_xticks(positions, labels=list(groups))
    ax.legend(loc="upper center", ncol=len(series))
    return ax


def plot_samples_vs_density(ax, samples, grid, density, bins=60, title=None):
    """A density histogram of samples (shape (n,)) over [grid[0], grid[-1]], with the density
    values (shape like grid) drawn on top as a line."""
    ax.hist(samples, bins=bins, range=(grid[0], grid[-1]), density=True, color=COLORS[5], label="samples")
    ax.plot(grid, density, color=COLORS[3], linewidth=2, label="pdf")
    ax.set(xlabel="x", ylabel="density")
    if title:
        ax.set_title(title)
    return ax


def plot_ecdf_gap(ax, samples, cdf, x_min=None, label="largest gap"):
    """The empirical CDF of samples (shape (n,)) as a step, the true cdf (a function) as a line,
    and the largest vertical gap between them (the Kolmogorov-Smirnov distance) as a black bar."""
    x = np.sort(np.asarray(samples, dtype=float))  # (n,)
    n = x.size
    start = x[0] if x_min is None else x_min
    ecdf = np.arange(1, n + 1) / n  # (n,), F_n just after each jump
    t = np.linspace(start, x.max() * 1.1 if x.max() > 0 else x.max() + 1.0, 400)  # (400,)
    ax.step(np.r_[start, x], np.r_[0, ecdf], where="post", color=COLORS[0], label="empirical CDF")
    ax.plot(t, cdf(t), color=COLORS[3], label="true CDF")
    F = cdf(x)  # (n,)
    above, below = ecdf - F, F - (ecdf - 1 / n)  # gaps just after / just before each jump
    i = int(np.argmax(np.maximum(above, below)))
    ends = (F[i], ecdf[i]) if above[i] >= below[i] else (ecdf[i] - 1 / n, F[i])
    ax.vlines(x[i], *ends, color="black", linewidth=2.5, label=label)
    ax.set(xlabel="x", ylabel="P(X <= x)")
    return ax


def plot_frequencies_vs_pmf(ax, values, frequencies, pmf, title=None, xlabel="k"):
    """Sampled frequencies of the discrete values (bars) against their probabilities (dots)."""
    ax.bar(values, frequencies, color=COLORS[5], label="sampled frequency")
    ax.plot(values, pmf, "o", color=COLORS[3], label="probability")
    ax.set(xlabel=xlabel, ylabel="probability")
    if title:
        ax.set_title(title)
    return ax


def plot_projection_3d(ax, b, p, title=None):
    """A 3-D picture of an orthogonal projection onto a plane through 0: b, its projection p, the residual
    e = b - p drawn from p, and a patch of the plane (spanned by p and e x p). ``ax`` has projection="3d";
    b and p have shape (3,), with p != 0 and e != 0."""
    b, p = np.asarray(b, dtype=float), np.asarray(p, dtype=float)  # (3,), (3,)
    e = b - p  # (3,), orthogonal to the plane
    w1 = p / np.linalg.norm(p)  # (3,), an orthonormal basis (w1, w2) of the plane
    w2 = np.cross(e, w1) / np.linalg.norm(e)  # (3,)
    size = 0.6 * np.linalg.norm(b)
    alpha, beta = np.meshgrid(np.linspace(-size, size, 2), np.linspace(-size, size, 2))  # (2, 2) each
    plane = p / 2 + alpha[..., None] * w1 + beta[..., None] * w2  # (2, 2, 3), a square patch centred on p / 2
    ax.plot_surface(plane[..., 0], plane[..., 1], plane[..., 2], alpha=0.2, color=COLORS[0])
    fmt = lambda v: "(" + ", ".join(f"{c:g}" for c in np.round(v, 6) + 0.0) + ")"  # noqa: E731
    for vec, start, color, name in [(b, np.zeros(3), "black", f"b = {fmt(b)}"), (p, np.zeros(3), COLORS[0], f"p = {fmt(p)}"),
                                    (e, p, COLORS[3], f"e = b - p = {fmt(e)}")]:
        ax.quiver(*start, *vec, color=color, arrow_length_ratio=0.08, linewidth=2, label=name)
    ax.set_proj_type("ortho")  # no perspective, so the right angle between e and the plane shows
    ax.set_aspect("equal")
    ax.view_init(elev=30, azim=160)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", zlabel="$x_3$", title=title)
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_image_grid(ax, images, n_cols, image_shape=(8, 8), vmin=0.0, vmax=1.0, title=None):
    """Tile images (n, h * w) into one picture of n_cols per row, each in a one-pixel frame of
    vmin (blank), the last row padded with blank tiles, and draw it in grey on ax.
    Returns the mosaic, shape (n_rows * (h + 2), n_cols * (w + 2))."""
    tiles = np.asarray(images, dtype=float).reshape(-1, *image_shape)  # (n, h, w)
    n_rows = -(-len(tiles) // n_cols)  # ceiling division
    tiles = np.concatenate([tiles, np.full((n_rows * n_cols - len(tiles), *image_shape), vmin)])  # blank fill
    tiles = np.pad(tiles, ((0, 0), (1, 1), (1, 1)), constant_values=vmin)  # (n_rows * n_cols, h + 2, w + 2)
    h, w = tiles.shape[1:]
    mosaic = tiles.reshape(n_rows, n_cols, h, w).transpose(0, 2, 1, 3).reshape(n_rows * h, n_cols * w)
    ax.imshow(mosaic, cmap="gray_r", vmin=vmin, vmax=vmax)
    ax.set(xticks=[], yticks=[], title=title)
    return mosaic


def plot_computational_graph(ax, graph, values, grads, local, expressions=None):
    """A computational graph, left to right by depth: one box per value with its forward value and
    its adjoint df/d(node), one arrow per edge labelled with its local derivative.

    graph: (node name, op, input names) in evaluation order; values, grads: dicts name -> number
    for the inputs and every node; local: dict (input name, node name) -> local derivative;
    expressions: optional dict name -> a title such as "a = x * y" (default: the name).
    """
    nodes = {name for name, _, _ in graph}
    inputs = [name for name in values if name not in nodes]
    depth, row = {n: 0 for n in inputs}, {n: float(i) for i, n in enumerate(inputs)}
    for name, _, args in graph:
        depth[name] = 1 + max(depth[a] for a in args)
    for level in range(1, max(depth.values()) + 1):  # spread each column, ordered by the parents' rows
        parents = {name: np.mean([row[a] for a in args]) for name, _, args in graph if depth[name] == level}
        for i, name in enumerate(sorted(parents, key=parents.get)):
            row[name] = i * (len(inputs) - 1) / (len(parents) - 1) if len(parents) > 1 else parents[name]
    pos = {name: (2.2 * depth[name], -1.3 * row[name]) for name in depth}
    for (arg, name), d in local.items():
        (x0, y0), (x1, y1) = pos[arg], pos[name]
        ax.annotate("", xy=(x1 - 0.5, y1), xytext=(x0 + 0.5, y0), arrowprops=dict(arrowstyle="->", color="grey"))
        ax.text((x0 + x1) / 2, (y0 + y1) / 2, f"∂{name}/∂{arg} = {float(d):.2f}", fontsize=7, ha="center",
                va="center", color="dimgrey", bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"))
    for name, (px, py) in pos.items():
        ax.text(px, py + 0.25, (expressions or {}).get(name, name), ha="center", va="bottom", fontsize=9, fontweight="bold")
        ax.text(px, py, f"value {float(values[name]):+.3f}\ndf/d{name} {float(grads[name]):+.3f}", ha="center",
                va="center", fontsize=8, family="monospace", bbox=dict(boxstyle="round", facecolor="#e8f1f8", edgecolor=COLORS[0]))
    xs, ys = zip(*pos.values())
    ax.set(xlim=(min(xs) - 0.9, max(xs) + 0.9), ylim=(min(ys) - 0.5, max(ys) + 0.6))
    ax.axis("off")
    return ax


def plot_line(ax, w, b, xlim, **style):
    """Draw the line w[0] x_1 + w[1] x_2 + b = 0 across xlim (a vertical line when w[1] = 0; nothing when w = 0)."""
    xs = np.array(xlim, dtype=float)
    if abs(w[1]) > 1e-12:
        return ax.plot(xs, -(w[0] * xs + b) / w[1], **style)
    if abs(w[0]) > 1e-12:
        return ax.axvline(-b / w[0], **style)
    return None


def plot_margins(ax, decision_function, X, support_vectors=None, resolution=150, margin=0.1):
    """An SVM's lines f(x) = 0 (solid) and f(x) = +-1 (dashed) over the window of X (n, 2), the
    same window as plot_decision_boundary; support_vectors (n_SV, 2), if given, are circled."""
    xx, yy, grid = _grid_over(np.asarray(X, dtype=float), resolution, margin)
    zz = np.asarray(decision_function(grid)).reshape(xx.shape)  # (resolution, resolution)
    ax.contour(xx, yy, zz, levels=[-1, 0, 1], colors="k", linestyles=["--", "-", "--"], linewidths=1)
    if support_vectors is not None:
        sv = np.asarray(support_vectors, dtype=float)
        ax.scatter(sv[:, 0], sv[:, 1], s=55, facecolors="none", edgecolors="k", linewidths=0.8, label="support vectors")
    return ax


def plot_gaussian_ellipses(ax, mean, covariance, color="black", radii=(1, 2)):
    """The curves at Mahalanobis distance 1 (solid) and 2 (dashed) of a 2-D Gaussian with mean (2,)
    and covariance (2, 2): they hold about 39% and 86% of its mass."""
    eigvals, eigvecs = np.linalg.eigh(np.asarray(covariance, dtype=float))  # the axes and their squared lengths
    t = np.linspace(0, 2 * np.pi, 100)
    circle = np.stack([np.cos(t), np.sin(t)])  # (2, 100)
    for radius, style in zip(radii, ["-", "--", ":"]):
        curve = np.asarray(mean, dtype=float)[:, None] + eigvecs @ (radius * np.sqrt(eigvals)[:, None] * circle)  # (2, 100)
        ax.plot(curve[0], curve[1], color=color, linestyle=style, linewidth=1.8)
    return ax


def image_grid_figure(images, shape, titles=None, nrows=1, cmap="gray_r", suptitle=None, size=1.8):
    """A figure of small images (one per row of ``images``, each reshaped to ``shape``), laid out on
    ``nrows`` rows, without ticks; ``titles`` label them. Returns the figure."""
    images = np.asarray(images, dtype=float)
    ncols = -(-len(images) // nrows)  # ceil
    fig, axes = new_figure(nrows, ncols, width=size, height=size * 1.1, layout="constrained", squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        if i >= len(images):  # a short last row: no empty frames
            ax.set_axis_off()
            continue
        ax.imshow(images[i].reshape(shape), cmap=cmap)
        ax.set(xticks=[], yticks=[], title=titles[i] if titles is not None else "")
        ax.grid(False)
    if suptitle:
        fig.suptitle(suptitle)
    return fig
