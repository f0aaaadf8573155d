# %% [markdown]
# # Exploration 08: outliers against least squares and Huber's loss
#
# Least squares squares every residual, so one far point pulls the line with a
# force that grows with its distance. Huber's loss is quadratic for residuals
# below epsilon (times a robust scale) and linear beyond, so a far point pulls
# with a bounded force. Add outliers and watch the least-squares line tilt while
# the Huber line stays; shrink epsilon toward 1 to make Huber more robust, grow it
# to make it behave like least squares.
#
# Built in: `04-feature-engineering/ex06_huber_regression.py` (`HuberRegressor`, `least_squares_line`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import explore, plotting

huber = explore.load("04-feature-engineering/ex06_huber_regression.py")

rng = np.random.default_rng(0)
x_clean = rng.uniform(0, 10, 60)
y_clean = 2.0 + 0.5 * x_clean + rng.normal(0, 0.5, 60)
x_bad = rng.uniform(7, 10, 30)


# %%
def draw(n_outliers=5, epsilon=1.35):
    x = np.r_[x_clean, x_bad[:n_outliers]]
    y = np.r_[y_clean, np.full(n_outliers, -5.0)]
    slope, intercept = huber.least_squares_line(x, y)
    model = huber.HuberRegressor(epsilon=epsilon).fit(x[:, None], y)
    grid = np.linspace(0, 10, 2)

    fig, ax = plotting.new_figure(width=6.5, height=4.2)
    ax.scatter(x_clean, y_clean, s=15, color="C0", label="clean points")
    ax.scatter(x[60:], y[60:], s=30, color="C3", marker="x", label=f"{n_outliers} outliers")
    ax.plot(grid, 2.0 + 0.5 * grid, color="0.5", ls=":", label="true line: 2 + 0.5 x")
    ax.plot(grid, intercept + slope * grid, color="C1", label=f"least squares: slope {slope:.2f}")
    ax.plot(grid, model.intercept_ + model.coef_[0] * grid, color="C2",
            label=f"Huber (epsilon {epsilon:.2f}): slope {model.coef_[0]:.2f}")
    ax.set(xlabel="x", ylabel="y", ylim=(-6, 9))
    ax.legend(loc="upper left")
    return fig


# %%
explore.interactive(
    draw,
    n_outliers=widgets.IntSlider(5, min=0, max=30, description="outliers", continuous_update=False),
    epsilon=widgets.FloatSlider(1.35, min=1.0, max=5.0, step=0.05, description="epsilon", continuous_update=False),
)
