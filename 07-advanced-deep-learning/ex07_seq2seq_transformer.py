"""
Exercise 07: an encoder-decoder transformer with cross-attention, normalising written dates

Learning goals
--------------
- Build the original transformer's two halves: an encoder that reads the whole input with
  (padding-masked) self-attention, and a decoder whose blocks add a cross-attention step:
  its queries come from the output written so far, its keys and values from the encoder.
- Write the decoder block's backward pass, where the gradient reaches the encoder through
  the keys and values of every cross-attention.
- Train with teacher forcing, and see in the cross-attention weights which source characters
  each output character reads.

The math
--------
Source characters s (N, S) padded with id 0 (mask m (N, 1, S), True on real characters),
target t (N, 10): "1997-03-03", preceded by a start token for the decoder's input.
    encoder:  e_0 = E_src[s] + P_src,  e_l = Block_l(e_{l-1}, mask m)  (06's block),  M = LN(e_L)   (N, S, D)
    decoder:  d_0 = E_tgt[[BOS, t_1 .. t_9]] + P_tgt                                               (N, 10, D)
              y = d + MHA(LN_1(d), LN_1(d), causal)        self-attention over the output so far
              z = y + MHA(LN_c(y), M, mask m)               cross-attention: queries from y, keys/values from M
              out = z + MLP(LN_2(z))
    logits = LN(d_L) W_out + b_out (N, 10, V_out), loss = mean cross-entropy of t_1 .. t_10.
Teacher forcing: during training, the decoder reads the true previous characters, so all ten
positions train in one pass. Backward through cross-attention: multi-head attention returns dx_q (to y's
branch) and dx_kv, and dM = sum over the decoder blocks of their dx_kv (M feeds every block).
The cross-attention weights A (N, h, 10, S) = softmax(Q K^T / sqrt(d), mask m): row i says how
much output position i reads each source character; padded characters get exactly 0.

Algorithm
---------
1. Generate dates (utils.text.make_dates: six written formats; every tenth day held out).
2. Train with Adam (utils.optim) and teacher forcing on fresh batches of training days.
3. With teacher forcing, score training and held-out days (loss, characters right); draw the last
   decoder block's cross-attention for one held-out date. (The next exercise writes without the truth.)

References: A. Vaswani et al., "Attention is all you need", NeurIPS 2017 (sec. 3.1-3.2.3);
D. Bahdanau, K. Cho, Y. Bengio, "Neural machine translation by jointly learning to align and
translate", ICLR 2015 (attention for translation, alignment pictures).
Difficulty: 3 of 3, about 50 minutes.
Run: python 07-advanced-deep-learning/ex07_seq2seq_transformer.py
"""

# %%
import time

import numpy as np

import utils
from utils import nn, optim, plotting
from utils.text import MONTHS, make_dates
from utils.timing import format_table

SRC_CHARS = sorted(set("0123456789 ,./" + "".join(MONTHS) + "".join(MONTHS).lower() + "stndrh"))
SRC_INDEX = {c: i + 1 for i, c in enumerate(SRC_CHARS)}  # id 0 is padding
TGT_CHARS = "0123456789-"
BOS = len(TGT_CHARS)  # the decoder's start token, id 11
OUT_LEN = 10  # "YYYY-MM-DD"

# %% [markdown]
# ## The decoder block: self-attention, cross-attention, MLP


# %%
def init_decoder_block(d_model, d_ff, rng):
    """A transformer block's parameters (utils.nn), plus a cross-attention (cross_Wq .. cross_bo) and its layer norm."""
    params = nn.init_block(d_model, d_ff, rng)
    params.update({f"cross_{k}": v for k, v in nn.init_multi_head_attention(d_model, rng).items()})
    params.update(lnc_gamma=np.ones(d_model), lnc_beta=np.zeros(d_model))
    return params


def _cross(params):
    return {name[6:]: value for name, value in params.items() if name.startswith("cross_")}


def decoder_block_forward(x, memory, params, n_heads, cross_mask=None):
    """x (N, T, D) the decoder stream, memory (N, S, D) the encoder output; returns (out, cache)."""
    # BEGIN SOLUTION
    # HINT 1: three residual branches in a row: causal self-attention, cross-attention, MLP; each reads LN(stream).
    # HINT 2: z = y + MHA(LN_c(y), memory): nn.multi_head_attention_forward(h, memory, _cross(params), n_heads, cross_mask).
    # HINT 3: h1 = LN_1(x); y = x + MHA(h1, h1, causal); h = LN_c(y); z = y + MHA(h, memory, cross_mask);
    # HINT 3: out = z + W2 relu(W1 LN_2(z)); keep every cache.
    h1, c_ln1 = nn.layernorm_forward(x, params["ln1_gamma"], params["ln1_beta"])  # (N, T, D)
    a, c_self = nn.multi_head_attention_forward(h1, h1, params, n_heads, nn.causal_mask(x.shape[1]))
    y = x + a  # (N, T, D)
    hc, c_lnc = nn.layernorm_forward(y, params["lnc_gamma"], params["lnc_beta"])
    c, c_cross = nn.multi_head_attention_forward(hc, memory, _cross(params), n_heads, cross_mask)  # (N, T, D)
    z = y + c
    h2, c_ln2 = nn.layernorm_forward(z, params["ln2_gamma"], params["ln2_beta"])
    hidden, c_fc1 = nn.affine_forward(h2, params["W1"], params["b1"])  # (N, T, F)
    act, c_relu = nn.relu_forward(hidden)
    m, c_fc2 = nn.affine_forward(act, params["W2"], params["b2"])  # (N, T, D)
    out = z + m
    # END SOLUTION
    return out, (c_ln1, c_self, c_lnc, c_cross, c_ln2, c_fc1, c_relu, c_fc2)


def decoder_block_backward(dout, cache):
    """(dx, dmemory, grads) of decoder_block_forward."""
    c_ln1, c_self, c_lnc, c_cross, c_ln2, c_fc1, c_relu, c_fc2 = cache
    # BEGIN SOLUTION
    # HINT 1: undo the three branches in reverse; each residual adds its branch gradient to the stream's.
    # HINT 2: cross-attention's backward gives (dh, dmemory, grads): dh goes back through LN_c into y, dmemory to the encoder.
    # HINT 3: MLP: dz = dout + LN_2 backward(...); cross: dy = dz + LN_c backward(dh_q);
    # HINT 3: self: dx = dy + LN_1 backward(dh_q + dh_kv); prefix the cross grads with "cross_".
    grads = {}
    dact, grads["W2"], grads["b2"] = nn.affine_backward(dout, c_fc2)
    dh2, grads["W1"], grads["b1"] = nn.affine_backward(nn.relu_backward(dact, c_relu), c_fc1)
    dz_mlp, grads["ln2_gamma"], grads["ln2_beta"] = nn.layernorm_backward(dh2, c_ln2)
    dz = dout + dz_mlp  # (N, T, D)
    dhc, dmemory, cross_grads = nn.multi_head_attention_backward(dz, c_cross)
    grads.update({f"cross_{k}": v for k, v in cross_grads.items()})
    dy_cross, grads["lnc_gamma"], grads["lnc_beta"] = nn.layernorm_backward(dhc, c_lnc)
    dy = dz + dy_cross
    dq, dkv, self_grads = nn.multi_head_attention_backward(dy, c_self)
    grads.update(self_grads)
    dx_self, grads["ln1_gamma"], grads["ln1_beta"] = nn.layernorm_backward(dq + dkv, c_ln1)
    dx = dy + dx_self
    # END SOLUTION
    return dx, dmemory, grads


# %% [markdown]
# ## The model, its teacher-forced loss, the data and training


# %%
def init_model(n_enc=2, n_dec=2, d_model=32, d_ff=64, max_src=24, random_state=0):
    """Embeddings, n_enc encoder blocks "enc{l}.*", n_dec decoder blocks "dec{l}.*", final norms and W_out, in one dict."""
    rng = np.random.default_rng(random_state)
    params = {"enc_tok": rng.standard_normal((len(SRC_CHARS) + 1, d_model)), "enc_pos": 0.5 * rng.standard_normal((max_src, d_model)),
              "dec_tok": rng.standard_normal((BOS + 1, d_model)), "dec_pos": 0.5 * rng.standard_normal((OUT_LEN, d_model))}
    for l in range(n_enc):
        params.update({f"enc{l}.{k}": v for k, v in nn.init_block(d_model, d_ff, rng).items()})
    for l in range(n_dec):
        params.update({f"dec{l}.{k}": v for k, v in init_decoder_block(d_model, d_ff, rng).items()})
    params.update(encln_gamma=np.ones(d_model), encln_beta=np.zeros(d_model), decln_gamma=np.ones(d_model), decln_beta=np.zeros(d_model),
                  W_out=rng.standard_normal((d_model, len(TGT_CHARS))) / np.sqrt(d_model), b_out=np.zeros(len(TGT_CHARS)))
    return params


def _layers(params, prefix):
    n = len({k.split(".")[0] for k in params if k.startswith(prefix) and "." in k})
    return [{k.split(".", 1)[1]: v for k, v in params.items() if k.startswith(f"{prefix}{l}.")} for l in range(n)]


def encode(params, src, n_heads):
    """Encoder output M (N, S, D), its padding mask (N, 1, S) and the caches."""
    mask = src[:, None, :] > 0  # (N, 1, S): padding keys get no attention
    e = params["enc_tok"][src] + params["enc_pos"][: src.shape[1]]  # (N, S, D)
    caches = []
    for block in _layers(params, "enc"):
        e, c = nn.transformer_block_forward(e, block, n_heads, mask)
        caches.append(c)
    memory, c_ln = nn.layernorm_forward(e, params["encln_gamma"], params["encln_beta"])
    return memory, mask, (src, caches, c_ln)


def decode(params, memory, mask, dec_in, n_heads):
    """Logits (N, T, 11) for the decoder input ids dec_in (N, T), and the caches."""
    d = params["dec_tok"][dec_in] + params["dec_pos"][: dec_in.shape[1]]  # (N, T, D)
    caches = []
    for block in _layers(params, "dec"):
        d, c = decoder_block_forward(d, memory, block, n_heads, mask)
        caches.append(c)
    h, c_ln = nn.layernorm_forward(d, params["decln_gamma"], params["decln_beta"])
    logits, c_out = nn.affine_forward(h, params["W_out"], params["b_out"])  # (N, T, 11)
    return logits, (dec_in, caches, c_ln, c_out)


def teacher_forcing_input(tgt):
    """The decoder's input (N, 10) for targets tgt (N, 10): BOS, then the truth shifted right by one."""
    return np.concatenate([np.full((len(tgt), 1), BOS), tgt[:, :-1]], axis=1)


def model_loss(params, src, tgt, n_heads):
    """Teacher-forced cross-entropy over the ten output characters; returns (loss, grads)."""
    dec_in = teacher_forcing_input(tgt)  # (N, 10)
    memory, mask, enc_cache = encode(params, src, n_heads)
    logits, (_, dec_caches, c_ln, c_out) = decode(params, memory, mask, dec_in, n_heads)
    loss, dflat = nn.softmax_cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))
    grads = {}
    dh, grads["W_out"], grads["b_out"] = nn.affine_backward(dflat.reshape(logits.shape), c_out)
    dd, grads["decln_gamma"], grads["decln_beta"] = nn.layernorm_backward(dh, c_ln)
    dmemory = np.zeros_like(memory)  # (N, S, D): every decoder block reads M
    for l in reversed(range(len(dec_caches))):
        dd, dm, g = decoder_block_backward(dd, dec_caches[l])
        dmemory += dm
        grads.update({f"dec{l}.{k}": v for k, v in g.items()})
    src_ids, enc_caches, c_eln = enc_cache
    de, grads["encln_gamma"], grads["encln_beta"] = nn.layernorm_backward(dmemory, c_eln)
    for l in reversed(range(len(enc_caches))):
        de, g = nn.transformer_block_backward(de, enc_caches[l])
        grads.update({f"enc{l}.{k}": v for k, v in g.items()})
    for name, ids, dx in (("enc", src_ids, de), ("dec", dec_in, dd)):
        grads[f"{name}_pos"] = np.zeros_like(params[f"{name}_pos"])
        grads[f"{name}_pos"][: ids.shape[1]] = dx.sum(axis=0)
        grads[f"{name}_tok"] = np.zeros_like(params[f"{name}_tok"])
        np.add.at(grads[f"{name}_tok"], ids, dx)
    return loss, grads


def encode_dates(written, iso, max_src=24):
    """Source ids (N, S) padded with 0 to the longest string, target ids (N, 10)."""
    src = np.zeros((len(written), max(map(len, written))), dtype=int)
    for i, text in enumerate(written):
        src[i, : len(text)] = [SRC_INDEX[c] for c in text]
    return src[:, :max_src], np.array([[TGT_CHARS.index(c) for c in s] for s in iso])


def train(n_steps, batch_size=64, lr=3e-3, n_heads=4, random_state=0, log_every=0, **model_args):
    """Adam with cosine decay on fresh batches of training days; returns (params, losses)."""
    rng = np.random.default_rng(random_state)
    params, adam, losses = init_model(random_state=rng, **model_args), optim.Adam(lr=lr), []
    start = time.perf_counter()
    for step in range(1, n_steps + 1):
        src, tgt = encode_dates(*make_dates(batch_size, rng, split="train"))
        loss, grads = model_loss(params, src, tgt, n_heads)
        adam.lr = lr * 0.5 * (1 + np.cos(np.pi * (step - 1) / n_steps))  # cosine decay, as in module 06's transformer
        adam.step(params, grads)
        losses.append(loss)
        if log_every and step % log_every == 0:
            print(f"  step {step:4d}: loss {np.mean(losses[-log_every:]):.4f} ({time.perf_counter() - start:.0f} s)")
    return params, losses


# %% [markdown]
# ## Demo: train, score with teacher forcing, look at the cross-attention


# %%
FULL_RUN = dict(n_steps=1500, batch_size=64, lr=3e-3, n_heads=4)
QUICK_RUN = dict(FULL_RUN, n_steps=30, batch_size=32)


def main():
    config = QUICK_RUN if utils.quick_mode() else FULL_RUN
    params, losses = train(**config, log_every=config["n_steps"] // 5)
    rows = []
    for split, seed in (("train", 7), ("test", 123)):
        written, iso = make_dates(500, np.random.default_rng(seed), split=split)
        src, tgt = encode_dates(written, iso)
        logits, _ = decode(params, *encode(params, src, config["n_heads"])[:2], teacher_forcing_input(tgt), config["n_heads"])
        loss = nn.softmax_cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))[0]
        right = logits.argmax(axis=-1) == tgt  # (N, 10)
        rows.append([f"{split} days", f"{loss:.4f}", f"{right.mean():.1%}", f"{right.all(axis=1).mean():.1%}"])
    print(f"{config['n_steps']} Adam steps of {config['batch_size']} dates; 500 dates each, the true prefix fed in")
    print(format_table(["dates", "loss", "characters right", "all ten right"], rows))

    i = next(j for j, text in enumerate(written) if any(c.isalpha() for c in text))  # a held-out date with a month name
    src, tgt = encode_dates([written[i]], [iso[i]])
    _, (_, caches, _, _) = decode(params, *encode(params, src, config["n_heads"])[:2], teacher_forcing_input(tgt), config["n_heads"])
    weights = caches[-1][3][3][3][0].mean(axis=0)  # (10, S): last block -> cross cache -> attention cache -> weights; mean of heads
    fig, ax = plotting.new_figure(1, 1, width=8, height=4.5)
    plotting.plot_heatmap(ax, weights, row_labels=list(iso[i]), col_labels=list(written[i]), annotate=False, cmap="magma",
                          title=f"Cross-attention of the last decoder block: {written[i]!r} -> {iso[i]}")
    ax.set(xlabel="source character (key)", ylabel="output character being written (query)")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex07_seq2seq_transformer")


if __name__ == "__main__":
    main()
