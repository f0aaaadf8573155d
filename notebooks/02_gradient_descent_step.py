# %% [markdown]
# # Exploration 02: the learning rate on a loss surface
#
# Gradient descent on the quadratic L(x) = 1/2 x^T A x with A = diag(1, kappa).
# Its largest curvature is L = kappa, and the iteration converges only when the
# learning rate is below 2/L. Slide the rate across that limit and watch the path
# go from crawling, to zig-zagging, to flying off; raise kappa (the condition
# number) and watch a safe rate make almost no progress along the flat direction.
#
# Built in: `00-math-fundamentals/calculus/ex18_gradient_descent.py`
# (`gradient_descent`, `quadratic`, `quadratic_gradient`, `max_stable_learning_rate`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import explore, plotting

gd = explore.load("00-math-fundamentals/calculus/ex18_gradient_descent.py")


# %%
def draw(rate_fraction=0.5, kappa=10.0, n_steps=30):
    A, b = np.diag([1.0, kappa]), np.zeros(2)
    limit = gd.max_stable_learning_rate(A)  # 2 / largest eigenvalue
    lr = rate_fraction * limit
    path = gd.gradient_descent(lambda x: gd.quadratic_gradient(x, A, b), np.array([-4.0, 2.0]), lr, n_steps)
    losses = [gd.quadratic(x, A, b) for x in path]

    fig, (surface, curve) = plotting.new_figure(1, 2, width=4.5, height=3.8)
    u, v = np.meshgrid(np.linspace(-5, 5, 201), np.linspace(-3, 3, 121))
    surface.contour(u, v, 0.5 * (u**2 + kappa * v**2), levels=np.geomspace(0.05, 200, 15), cmap="viridis")
    shown = path[np.all(np.abs(path) < 10, axis=1)]
    surface.plot(shown[:, 0], shown[:, 1], "o-", color="C3", ms=3)
    surface.set(xlim=(-5, 5), ylim=(-3, 3), title=f"lr = {lr:.3g} = {rate_fraction:.2f} x (2/L)")
    curve.semilogy(np.maximum(losses, 1e-300))
    curve.set(xlabel="step", ylabel="loss", title=f"{len(path) - 1} steps, final loss {losses[-1]:.3g}")
    return fig


# %%
explore.interactive(
    draw,
    rate_fraction=widgets.FloatSlider(0.5, min=0.05, max=1.1, step=0.05, description="lr / (2/L)", continuous_update=False),
    kappa=widgets.FloatLogSlider(10.0, base=10, min=0, max=2, step=0.1, description="kappa", continuous_update=False),
    n_steps=widgets.IntSlider(30, min=1, max=100, description="steps", continuous_update=False),
)
