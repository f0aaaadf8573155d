# %% [markdown]
# # Exploration 04: k-NN's decision regions, and why scale matters
#
# Two wine measurements on very different scales: proline (hundreds to over a
# thousand) and hue (about 0.5 to 1.7). k-NN measures plain Euclidean distance,
# so without scaling only proline counts and the regions become vertical bands.
# Tick "standardise" and both features count. Small k draws
# islands around single points (high variance); large k smooths everything away
# (high bias); distance weights let the nearest neighbours speak loudest.
#
# Built in: `02-fundamentals-of-machine-learning/ex05_knn.py` (`KNeighborsClassifier`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import data, explore, plotting

knn = explore.load("02-fundamentals-of-machine-learning/ex05_knn.py")

X_all, y = data.load_wine()
X = X_all[:, [12, 10]]  # proline, hue
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.3, random_state=0)


# %%
def draw(n_neighbors=5, weights="uniform", standardise=False):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    scale = (lambda Z: (Z - mean) / std) if standardise else (lambda Z: Z)
    model = knn.KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights).fit(scale(X_train), y_train)
    accuracy = np.mean(model.predict(scale(X_test)) == y_test)

    fig, ax = plotting.new_figure(width=6, height=4.5)
    plotting.plot_decision_boundary(ax, lambda Z: model.predict(scale(Z)), X_train, y_train, resolution=120)
    ax.set(xlabel="proline", ylabel="hue",
           title=f"k = {n_neighbors}, {weights}, {'standardised' if standardise else 'raw'}: test accuracy {accuracy:.0%}")
    return fig


# %%
explore.interactive(
    draw,
    n_neighbors=widgets.IntSlider(5, min=1, max=50, description="k", continuous_update=False),
    weights=widgets.Dropdown(options=["uniform", "distance"], value="uniform", description="weights"),
    standardise=widgets.Checkbox(False, description="standardise the features"),
)
