# %% [markdown]
# # Exploration 01: a matrix moves the whole plane
#
# A 2x2 matrix M sends every point p to M p. Move its four entries and watch the
# unit grid follow: the first column of M is where the x-axis arrow lands, the
# second column is where the y-axis arrow lands, and |det M| is the area the unit
# square becomes. When det M reaches 0, the plane collapses onto a line.
#
# Built in: `00-math-fundamentals/linear-algebra/ex03_matrix_multiplication.py`
# (`transform_points`). Things to try: a = d = 1, b = 1 (a shear); b = -c, a = d
# (a rotation and scaling); c = 2a, d = 2b (det 0).

# %%
import ipywidgets as widgets
import numpy as np

from utils import explore, plotting

mm = explore.load("00-math-fundamentals/linear-algebra/ex03_matrix_multiplication.py")


# %%
def grid_lines(n=5, points=41):
    """The lines x = k and y = k for k = -n..n, each as an array of points (points, 2)."""
    t = np.linspace(-n, n, points)
    vertical = [np.column_stack([np.full_like(t, k), t]) for k in range(-n, n + 1)]
    horizontal = [np.column_stack([t, np.full_like(t, k)]) for k in range(-n, n + 1)]
    return vertical + horizontal


def draw(a=1.0, b=0.5, c=0.0, d=1.0):
    M = np.array([[a, b], [c, d]])
    fig, (before, after) = plotting.new_figure(1, 2, width=4.2, height=4.2)
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)
    for ax, title, move in [(before, "before: the unit grid", lambda p: p),
                            (after, f"after M: det M = {np.linalg.det(M):.2f}", lambda p: mm.transform_points(M, p))]:
        for line in grid_lines():
            moved = move(line)
            ax.plot(moved[:, 0], moved[:, 1], color="0.75", lw=0.7)
        ax.fill(*move(square).T, color="C1", alpha=0.4, label="unit square")
        for vector, color, name in [((1, 0), "C0", "e1"), ((0, 1), "C2", "e2")]:
            end = move(np.array([vector], dtype=float))[0]
            ax.annotate("", xy=end, xytext=(0, 0), arrowprops=dict(color=color, width=2, headwidth=8))
            ax.text(*end, f" {name}" if ax is before else f" M {name}", color=color)
        ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal", title=title)
    return fig


# %%
entry = dict(min=-2.0, max=2.0, step=0.1, continuous_update=False)
explore.interactive(
    draw,
    a=widgets.FloatSlider(1.0, description="a (M[0,0])", **entry),
    b=widgets.FloatSlider(0.5, description="b (M[0,1])", **entry),
    c=widgets.FloatSlider(0.0, description="c (M[1,0])", **entry),
    d=widgets.FloatSlider(1.0, description="d (M[1,1])", **entry),
)
