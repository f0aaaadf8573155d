"""
Exercise 09: an autoencoder on the digits, and what a bottleneck learns

Learning goals
--------------
- Build an autoencoder from module 06's MLP (utils.nn): an encoder MLP squeezes each image
  into a short code, a decoder MLP rebuilds the image from the code, and the
  two are trained together to reconstruct their input.
- Use the Bernoulli cross-entropy for pixels in [0, 1] (the decoder outputs
  logits), and mean squared error for the linear case.
- See that a linear autoencoder with squared error finds the PCA subspace, and
  that a non-linear one reconstructs better with the same code length.

The math
--------
X has shape (N, 64), pixels in [0, 1]. The encoder f maps a row x to a code
c = f(x) of length k (the bottleneck), the decoder g maps c to logits
l = g(c) of length 64, and the reconstruction is sigmoid(l). Both are ReLU MLPs
with a linear last layer. Per image, summed over the 64 pixels j:
    Bernoulli:  rec(x, l) = sum_j softplus(l_j) - x_j l_j     (the cross-entropy; for pixels in
                                                               {0, 1} it is -log p(x | c))
    squared:    rec(x, l) = 1/2 sum_j (l_j - x_j)^2           (output l used directly)
and the loss is the batch mean L = 1/N sum_n rec(x_n, l_n), with
dL/dl = (sigmoid(l) - x) / N (Bernoulli) or (l - x) / N (squared).
Baldi and Hornik (1989): with no hidden layers and squared error, the best
decoder spans the top-k principal subspace, so the loss equals PCA's.

Algorithm
---------
1. Forward: code = encoder(X_batch), logits = decoder(code).
2. Loss and dL/dlogits; backward through the decoder (giving dL/dcode), then
   through the encoder.
3. An Adam step (utils.optim) on both parameter sets; repeat over shuffled mini-batches.

References: G. Hinton, R. Salakhutdinov, "Reducing the dimensionality of data
with neural networks", Science 313 (2006); P. Baldi, K. Hornik, "Neural networks
and principal component analysis", Neural Networks 2 (1989); Goodfellow, Bengio,
Courville, Deep Learning (2016), ch. 14.
Difficulty: 2 of 3, about 40 minutes.
Run: python 07-advanced-deep-learning/ex09_autoencoder.py
"""

# %%
import numpy as np

import utils
from utils import data, nn, optim, plotting
from utils.timing import format_table
from utils.validation import as_float_arrays, check_option, check_positive_int, check_same_shape, check_X

# %% [markdown]
# ## Reconstruction losses and the autoencoder's gradients


# %%
def reconstruction_loss(logits, X, kind="bernoulli"):
    """Mean over images of the summed per-pixel loss; returns (loss, dlogits (N, D))."""
    check_option(kind, "kind", ("bernoulli", "squared"))
    logits, X = as_float_arrays(logits=logits, X=X)
    check_same_shape(logits, X, ("logits", "X"))  # an (N, 1) against (N,) would broadcast to (N, N)
    n = len(X)
    # BEGIN SOLUTION
    # HINT 1: Sum over the pixels of one image, then average over the images.
    # HINT 2: bernoulli: softplus(l) - x l, gradient (sigmoid(l) - x) / N; squared: (l - x)^2 / 2, gradient (l - x) / N.
    # HINT 3: use np.logaddexp(0, logits) for softplus (never overflows) and nn.sigmoid
    if kind == "bernoulli":
        loss = np.sum(np.logaddexp(0.0, logits) - X * logits) / n  # softplus written without overflow
        return float(loss), (nn.sigmoid(logits) - X) / n
    diff = logits - X  # (N, D)
    return float(0.5 * np.sum(diff**2) / n), diff / n
    # END SOLUTION


def autoencoder_loss(encoder, decoder, X, kind="bernoulli"):
    """Loss of decoder(encoder(X)) against X; returns (loss, grads_encoder, grads_decoder)."""
    # BEGIN SOLUTION
    # HINT 1: Forward through both networks, then backward through the decoder and on into the encoder.
    # HINT 2: the decoder's input gradient dL/dcode is the encoder's upstream gradient.
    # HINT 3: code, enc_caches = nn.mlp_forward(encoder, X); logits, dec_caches = nn.mlp_forward(decoder, code)
    # HINT 3: loss, dlogits = reconstruction_loss(...); dcode, g_dec = nn.mlp_backward(dlogits, dec_caches)
    # HINT 3: _, g_enc = nn.mlp_backward(dcode, enc_caches)
    code, enc_caches = nn.mlp_forward(encoder, X)  # (N, k)
    logits, dec_caches = nn.mlp_forward(decoder, code)  # (N, D)
    loss, dlogits = reconstruction_loss(logits, X, kind)
    dcode, grads_decoder = nn.mlp_backward(dlogits, dec_caches)  # dcode: (N, k)
    _, grads_encoder = nn.mlp_backward(dcode, enc_caches)
    # END SOLUTION
    return loss, grads_encoder, grads_decoder


# %% [markdown]
# ## The model


# %%
class Autoencoder:
    """Encoder D -> hidden -> code_size, decoder the mirror image, trained with mini-batch Adam.

    Attributes after fit: encoder_, decoder_ (parameter dicts), loss_curve_ (mean loss per epoch).
    """

    def __init__(self, code_size=2, hidden_sizes=(64,), kind="bernoulli", learning_rate=2e-3, batch_size=64,
                 max_epochs=60, random_state=None):
        self.code_size, self.hidden_sizes, self.kind = code_size, hidden_sizes, kind
        self.learning_rate, self.batch_size, self.max_epochs = learning_rate, batch_size, max_epochs
        self.random_state = random_state

    def fit(self, X):
        X = check_X(X)
        check_option(self.kind, "kind", ("bernoulli", "squared"))
        code, batch = check_positive_int(self.code_size, "code_size"), check_positive_int(self.batch_size, "batch_size")
        rng = data.as_rng(self.random_state)
        hidden = list(self.hidden_sizes)
        self.encoder_ = nn.mlp_init([X.shape[1], *hidden, code], rng)
        self.decoder_ = nn.mlp_init([code, *hidden[::-1], X.shape[1]], rng)
        optimizer = optim.Adam(lr=self.learning_rate)
        params = {**{f"enc_{k}": v for k, v in self.encoder_.items()}, **{f"dec_{k}": v for k, v in self.decoder_.items()}}
        self.loss_curve_ = []
        for _ in range(check_positive_int(self.max_epochs, "max_epochs")):
            order, total = rng.permutation(len(X)), 0.0  # order: (N,)
            for start in range(0, len(X), batch):
                X_batch = X[order[start : start + batch]]  # (batch, D)
                loss, g_enc, g_dec = autoencoder_loss(self.encoder_, self.decoder_, X_batch, self.kind)
                grads = {**{f"enc_{k}": v for k, v in g_enc.items()}, **{f"dec_{k}": v for k, v in g_dec.items()}}
                optimizer.step(params, grads)  # params holds the same arrays: the networks update in place
                total += loss * len(X_batch)
            self.loss_curve_.append(total / len(X))
        return self

    def encode(self, X):
        return nn.mlp_forward(self.encoder_, check_X(X))[0]  # (N, code_size)

    def decode(self, codes):
        out = nn.mlp_forward(self.decoder_, np.asarray(codes, dtype=float))[0]  # (N, D)
        return nn.sigmoid(out) if self.kind == "bernoulli" else out

    def reconstruct(self, X):
        return self.decode(self.encode(X))


# %% [markdown]
# ## Demo: codes of length 2 and 8, against PCA


# %%
def main():
    from sklearn.decomposition import PCA

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    epochs = 4 if utils.quick_mode() else 60
    rows, models = [], {}
    for k in (2, 8):
        model = Autoencoder(code_size=k, hidden_sizes=(64,), max_epochs=epochs, random_state=0).fit(X_train)
        models[k] = model
        pca = PCA(n_components=k).fit(X_train)
        pca_error = np.mean(np.sum((pca.inverse_transform(pca.transform(X_test)) - X_test) ** 2, axis=1))
        ae_error = np.mean(np.sum((model.reconstruct(X_test) - X_test) ** 2, axis=1))
        rows.append([k, f"{pca_error:.2f}", f"{ae_error:.2f}"])
        print(f"code length {k}: {epochs} epochs, final training loss {model.loss_curve_[-1]:.2f} nats per image")
    print("\nSquared reconstruction error per test image (sum over 64 pixels in [0, 1]):")
    print(format_table(["code length", "PCA", "autoencoder 64-64-k-64-64"], rows))

    fig, (ax_codes, ax_loss) = plotting.new_figure(1, 2, layout="constrained")
    codes = models[2].encode(X_test)  # (n_test, 2)
    points = ax_codes.scatter(codes[:, 0], codes[:, 1], c=y_test, cmap="tab10", s=8)
    fig.colorbar(points, ax=ax_codes, label="digit")
    ax_codes.set(title="Test digits in the 2-D code space", xlabel="code 1", ylabel="code 2")
    plotting.plot_loss_curves(ax_loss, {f"code length {k}": m.loss_curve_ for k, m in models.items()}, xlabel="epoch",
                              ylabel="Bernoulli loss (nats per image)", title="Training loss")
    plotting.show_or_save(fig, "ex09_autoencoder")

    fig, axes = plotting.new_figure(3, 8, width=1.1, height=1.2, layout="constrained", squeeze=False)
    for j in range(8):
        for i, image in enumerate((X_test[j], models[2].reconstruct(X_test[j : j + 1])[0],
                                   models[8].reconstruct(X_test[j : j + 1])[0])):
            axes[i, j].imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
            axes[i, j].axis("off")
    fig.suptitle("Test digits (top), rebuilt from 2 numbers (middle) and from 8 (bottom)")
    plotting.show_or_save(fig, "ex09_autoencoder_reconstructions")


if __name__ == "__main__":
    main()
