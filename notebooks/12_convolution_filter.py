# %% [markdown]
# # Exploration 12: draw a 3x3 filter and convolve a digit
#
# A convolution slides one small filter over the image and takes a weighted sum
# at every position. Set the nine weights yourself: all equal blurs, a positive
# centre with negative neighbours sharpens, weights that go from -1 on the left
# to +1 on the right respond to vertical edges, and flipping the signs flips the
# response. The filter starts as a Sobel filter for vertical edges.
#
# Built in: `06-intro-to-deep-learning/ex11_convolution.py` (`conv_forward_im2col`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import data, explore, plotting

conv = explore.load("06-intro-to-deep-learning/ex11_convolution.py")

images, labels = data.load_digits()
SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)


# %%
def draw(digit=0, **weights):
    kernel = np.array([weights[f"w{i}{j}"] for i in range(3) for j in range(3)]).reshape(3, 3)  # (3, 3)
    x = images[digit].reshape(1, 1, 8, 8) / 16.0  # (N, C, H, W) = (1, 1, 8, 8)
    w = kernel.reshape(1, 1, 3, 3)  # (F, C, HH, WW)
    out, _ = conv.conv_forward_im2col(x, w, np.zeros(1), {"stride": 1, "pad": 1})  # (1, 1, 8, 8)

    fig, (left, middle, right) = plotting.new_figure(1, 3, width=3.0, height=3.0)
    left.imshow(x[0, 0], cmap="gray_r")
    left.set_title(f"digit {labels[digit]}")
    limit = np.abs(kernel).max() or 1.0
    middle.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
    for (i, j), value in np.ndenumerate(kernel):
        middle.text(j, i, f"{value:g}", ha="center", va="center")
    middle.set_title("the filter")
    response = out[0, 0]
    bound = np.abs(response).max() or 1.0
    right.imshow(response, cmap="RdBu_r", vmin=-bound, vmax=bound)
    right.set_title("the response")
    for ax in (left, middle, right):
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
    return fig


# %%
weight_sliders = {
    f"w{i}{j}": widgets.FloatSlider(SOBEL_X[i, j], min=-4.0, max=4.0, step=0.5, description=f"w[{i},{j}]",
                                    continuous_update=False, layout=widgets.Layout(width="250px"))
    for i in range(3) for j in range(3)
}
explore.interactive(
    draw,
    digit=widgets.IntSlider(0, min=0, max=len(images) - 1, description="digit", continuous_update=False),
    **weight_sliders,
)
