# %% [markdown]
# # Exploration 16: an agent's values as gamma and epsilon change
#
# On FrozenLake, value iteration gives the best policy (arrows) and its values
# V*(s): the chance-weighted, discounted reward of starting in s. Lower gamma and
# far-away rewards fade, so tiles far from the goal look worthless. Then the agent
# explores: it follows the best arrow with probability 1 - epsilon and a random
# direction otherwise. Policy evaluation of that epsilon-greedy policy shows what
# exploring costs near the holes. Try the slippery ice against solid ice.
#
# Built in: `08-reinforcement-learning/ex03_dynamic_programming.py`
# (`value_iteration`, `policy_evaluation`), on `utils.envs.FrozenLakeEnv`.

# %%
import ipywidgets as widgets
import numpy as np

from utils import envs, explore, plotting

dp = explore.load("08-reinforcement-learning/ex03_dynamic_programming.py")
ARROWS = {0: (-1, 0), 1: (0, 1), 2: (1, 0), 3: (0, -1)}  # action -> (dx, dy) on the picture (rows go down)


# %%
def draw(gamma=0.95, epsilon=0.1, map_name="4x4", is_slippery=True):
    env = envs.FrozenLakeEnv(map_name=map_name, is_slippery=is_slippery)
    V_star, best = dp.value_iteration(env.P, gamma)  # (S,), (S, A) one-hot
    n_actions = best.shape[1]
    explore_policy = (1 - epsilon) * best + epsilon / n_actions  # (S, A): each row sums to 1
    V_eps = dp.policy_evaluation(env.P, explore_policy, gamma)  # (S,)

    fig, axes = plotting.new_figure(1, 2, width=4.2, height=4.2)
    shape = env.desc.shape
    for ax, V, title in [(axes[0], V_star, f"V* (best policy), gamma {gamma:.2f}"),
                         (axes[1], V_eps, f"epsilon-greedy, epsilon {epsilon:.2f}")]:
        ax.imshow(V.reshape(shape), cmap="viridis", vmin=0, vmax=max(V_star.max(), 1e-12))
        for s in range(V.size):
            row, col = divmod(s, shape[1])
            letter = env.desc[row, col].decode()
            if letter in "HG":
                ax.text(col, row, letter, ha="center", va="center", color="w", fontsize=12, weight="bold")
            else:
                dx, dy = ARROWS[int(best[s].argmax())]
                ax.arrow(col - 0.25 * dx, row - 0.25 * dy, 0.3 * dx, 0.3 * dy, head_width=0.15, color="w")
        ax.set(xticks=[], yticks=[], title=f"{title}\nV(start) = {V[0]:.3f}")
        ax.grid(False)
    return fig


# %%
explore.interactive(
    draw,
    gamma=widgets.FloatSlider(0.95, min=0.5, max=0.99, step=0.01, description="gamma", continuous_update=False),
    epsilon=widgets.FloatSlider(0.1, min=0.0, max=1.0, step=0.05, description="epsilon", continuous_update=False),
    map_name=widgets.Dropdown(options=["4x4", "8x8"], value="4x4", description="map"),
    is_slippery=widgets.Checkbox(True, description="slippery ice"),
)
