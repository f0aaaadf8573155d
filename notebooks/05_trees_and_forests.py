# %% [markdown]
# # Exploration 05: a tree's depth, and many trees together
#
# Left: one decision tree on two noisy moons. Each extra level of depth cuts the
# plane into more axis-parallel boxes; with no limit it carves a box around every
# noisy point. min_samples_leaf stops it from trusting a single sample. Right: a
# random forest of such trees, each grown on a bootstrap sample with a random
# feature per split: the average of many jagged trees is smooth.
#
# Built in: `02-fundamentals-of-machine-learning/ex08_decision_tree.py`
# (`DecisionTreeClassifier`) and `ex10_random_forest.py` (`RandomForestClassifier`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import data, explore, plotting

tree = explore.load("02-fundamentals-of-machine-learning/ex08_decision_tree.py")
forest = explore.load("02-fundamentals-of-machine-learning/ex10_random_forest.py")

X, y = data.make_moons(n_samples=300, noise=0.3, random_state=0)
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.3, random_state=0)


# %%
def draw(max_depth=4, min_samples_leaf=1, n_estimators=25):
    depth = None if max_depth == 0 else max_depth
    one = tree.DecisionTreeClassifier(max_depth=depth, min_samples_leaf=min_samples_leaf).fit(X_train, y_train)
    many = forest.RandomForestClassifier(n_estimators=n_estimators, max_depth=depth, min_samples_leaf=min_samples_leaf,
                                         random_state=0).fit(X_train, y_train)
    fig, axes = plotting.new_figure(1, 2, width=4.5, height=4)
    for ax, model, name in [(axes[0], one, "one tree"), (axes[1], many, f"forest of {n_estimators}")]:
        plotting.plot_decision_boundary(ax, model.predict, X_train, y_train, resolution=100)
        accuracy = np.mean(model.predict(X_test) == y_test)
        ax.set_title(f"{name}: test accuracy {accuracy:.0%}")
    fig.suptitle(f"max_depth = {depth}, min_samples_leaf = {min_samples_leaf}")
    return fig


# %%
explore.interactive(
    draw,
    max_depth=widgets.IntSlider(4, min=0, max=12, description="max_depth (0: none)", continuous_update=False),
    min_samples_leaf=widgets.IntSlider(1, min=1, max=30, description="min_samples_leaf", continuous_update=False),
    n_estimators=widgets.IntSlider(25, min=1, max=60, description="trees", continuous_update=False),
)
