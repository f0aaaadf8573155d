"""
Exercise 02: the dot product, norms, angles and projections

Learning goals
--------------
- Compute a dot product with a loop that reads like the formula, then as one
  vectorized NumPy expression.
- Measure a vector's length three ways (L1, L2, L-infinity); see their "unit circles".
- Turn a dot product into an angle and a cosine similarity (a zero vector has none),
  and split u into a part along v (its projection) and a part orthogonal to v.

The math
--------
u and v are vectors of shape (n,).
    u . v          = u_1 v_1 + ... + u_n v_n                  (a number)
    ||u||_1        = |u_1| + ... + |u_n|,    ||u||_2 = sqrt(u . u),    ||u||_inf = max_i |u_i|
Cauchy-Schwarz says |u . v| <= ||u||_2 ||v||_2, so for nonzero u, v the ratio
    cos(theta)     = (u . v) / (||u||_2 ||v||_2)
lies in [-1, 1]; it is the cosine similarity, and theta = arccos(cos(theta)) is
the angle between u and v (0 = same direction, pi/2 = orthogonal, pi = opposite).
The projection of u onto a nonzero v, and the remainder, are
    proj_v(u)      = (u . v / v . v) v,       r = u - proj_v(u),
with r . v = 0: u = proj_v(u) + r splits u into "along v" plus "across v".

Algorithm
---------
1. Dot product: accumulate u_i * v_i in a loop; then np.sum(u * v) in one line.
2. Norms: sum of |u_i|; square root of the sum of squares, scaled by max |u_i|
   first (no overflow or underflow); the largest |u_i|.
3. Cosine: the dot product of u / ||u|| and v / ||v|| (refuse a zero vector),
   clipped to [-1, 1] against round-off; arccos gives the angle.
4. Projection: scale v by (u . v) / (v . v); the remainder is u minus that.

References: G. Strang, Introduction to Linear Algebra, 5th ed., ch. 1.2 and 4.2;
J. L. Blue, "A portable Fortran program to find the Euclidean norm of a vector",
ACM Trans. Math. Software 4(1), 1978 (scaling to avoid overflow and underflow).
Difficulty: 1 of 3, about 25 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex02_dot_product_norms.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array, check_option, check_same_shape

# %% [markdown]
# ## Implementation


# %%
def _as_vector(x, name):
    x = as_float_array(x, name)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"{name} must be a non-empty vector of shape (n,); got shape {x.shape}")
    return x


def _as_pair(u, v):
    u, v = _as_vector(u, "u"), _as_vector(v, "v")
    check_same_shape(u, v, ("u", "v"))
    return u, v


def dot_loop(u, v):
    """u . v (a float) for u, v of shape (n,), by an explicit loop over the entries."""
    u, v = _as_pair(u, v)
    # BEGIN SOLUTION
    # HINT 1: Walk both vectors together and accumulate the products.
    total = 0.0
    for u_i, v_i in zip(u, v):
        total += u_i * v_i
    return float(total)
    # END SOLUTION


def dot(u, v):
    """u . v in one vectorized expression (no Python loop)."""
    u, v = _as_pair(u, v)
    # BEGIN SOLUTION
    # HINT 1: Multiply elementwise, then sum: no Python loop.
    # HINT 2: float(np.sum(u * v))
    return float(np.sum(u * v))  # u * v: (n,) elementwise products, then one sum
    # END SOLUTION


def norm(x, ord=2):
    """The L1 (ord=1), L2 (ord=2) or L-infinity (ord=np.inf) norm (a float >= 0) of x of shape (n,)."""
    x = _as_vector(x, "x")
    check_option(ord, "ord", (1, 2, np.inf))
    # BEGIN SOLUTION
    # HINT 1: L1 and L-inf are one reduction each. For L2, squaring can overflow or underflow:
    # HINT 1: divide by the largest |x_i| first and multiply it back after the square root.
    # HINT 2: L1 = sum|x|; Linf = max|x|; L2 = M * sqrt(sum((x / M)**2)) with M = max|x| (0 if M == 0)
    # HINT 3: if ord == 1: return sum(|x|); if ord == inf: return max(|x|); biggest = max(|x|);
    # HINT 3: if biggest == 0: return 0.0; scaled = x / biggest; return biggest * sqrt(sum(scaled * scaled))
    if ord == 1:
        return float(np.sum(np.abs(x)))
    if ord == np.inf:
        return float(np.max(np.abs(x)))
    # L2: squaring 1e200 overflows to inf and 1e-200 underflows to 0, so divide by the largest
    # |x_i| first (every scaled entry is in [-1, 1]) and multiply it back after the square root.
    biggest = np.max(np.abs(x))
    if biggest == 0:
        return 0.0
    scaled = x / biggest  # (n,), entries in [-1, 1]
    return float(biggest * np.sqrt(np.sum(scaled * scaled)))
    # END SOLUTION


def cosine_similarity(u, v):
    """cos(theta) = u . v / (||u|| ||v||), a number in [-1, 1]; a ValueError for a zero vector (no direction)."""
    u, v = _as_pair(u, v)
    if not np.any(u) or not np.any(v):
        raise ValueError("cosine similarity is undefined for a zero vector: it has no direction")
    # BEGIN SOLUTION
    # HINT 1: Normalise each vector to unit length first, then take the dot; clip into [-1, 1].
    # HINT 2: cos = clip(dot(u / norm(u), v / norm(v)), -1, 1)
    # Divide each vector by its length first: the same value, and u . v can no longer overflow.
    u_hat, v_hat = u / norm(u), v / norm(v)  # (n,) each, unit length
    # Round-off can push the ratio a hair past +-1 (1.0000000000000002 for u = v): clip for arccos.
    return float(np.clip(dot(u_hat, v_hat), -1.0, 1.0))
    # END SOLUTION


def angle_between(u, v):
    """The angle theta in [0, pi] between two nonzero vectors, in radians."""
    cosine = cosine_similarity(u, v)  # raises for a zero vector
    # BEGIN SOLUTION
    # HINT 1: The angle is the arccos of the cosine similarity (already clipped).
    return float(np.arccos(cosine))
    # END SOLUTION


def project(u, v):
    """Split u (n,) into its projection onto a nonzero v (n,), a multiple of v, and the remainder
    u - projection, orthogonal to v; both of shape (n,)."""
    u, v = _as_pair(u, v)
    if not np.any(v):
        raise ValueError("cannot project onto the zero vector v: it spans no line")
    # BEGIN SOLUTION
    # HINT 1: The projection is the multiple of v closest to u; the remainder is what is left over.
    # HINT 2: proj = (u . v / v . v) * v; remainder = u - proj
    # HINT 3: coefficient = dot(u, v) / dot(v, v); projection = coefficient * v; return projection, u - projection
    projection = dot(u, v) / dot(v, v) * v  # (n,): u . v / ||v||^2 copies of v
    return projection, u - projection  # (n,), (n,)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def _arrow(ax, tip, tail=(0.0, 0.0), color="black", label=None, style="-"):
    ax.annotate("", xy=tip, xytext=tail, arrowprops=dict(arrowstyle="->", color=color, lw=2, ls=style))
    if label:
        ax.plot([], [], color=color, lw=2, ls=style, label=label)  # a legend entry for the arrow


def main():
    u, v = np.array([1.0, 3.0]), np.array([4.0, 1.0])
    a, b = np.random.default_rng(2).standard_normal((2, 1000))  # (1000,) each
    print(f"Dot product of two random (1000,) vectors: loop {dot_loop(a, b): .12f}, vectorized {dot(a, b): .12f}, "
          f"np.dot {np.dot(a, b): .12f}")
    print(f"\nNorms of u = {u}, ours (np.linalg.norm): "
          + ", ".join(f"L{order} {norm(u, order):.4f} ({np.linalg.norm(u, order):.4f})" for order in [1, 2, np.inf]))

    theta = angle_between(u, v)
    projection, remainder = project(u, v)
    print(f"\nu = {u}, v = {v}: cosine similarity {cosine_similarity(u, v):.4f}, angle {theta:.4f} rad = "
          f"{np.degrees(theta):.1f} degrees")
    print(f"  projection of u on v {projection}, remainder {remainder}, remainder . v = {dot(remainder, v):.2e}; "
          f"Cauchy-Schwarz: |u.v| = {abs(dot(u, v)):.3f} <= ||u|| ||v|| = {norm(u) * norm(v):.3f}")

    fig, (ax_proj, ax_ball) = plotting.new_figure(1, 2, width=5.5, height=5)
    for tip, tail, color, label, style in [(u, (0, 0), 0, "u", "-"), (v, (0, 0), 1, "v", "-"), (projection, (0, 0), 2,
                                           "projection of u on v", "-"), (u, projection, 3, "remainder u - proj", "--")]:
        ax_proj.annotate("", xy=tip, xytext=tail, arrowprops=dict(arrowstyle="->", color=plotting.COLORS[color], lw=2, ls=style))
        ax_proj.plot([], [], color=plotting.COLORS[color], lw=2, ls=style, label=label)  # a legend entry for the arrow
    along, across = 0.25 * v / norm(v), 0.25 * remainder / norm(remainder)  # (2,) each
    corner = np.array([projection - along, projection - along + across, projection + across])  # (3, 2): the right angle
    ax_proj.plot(corner[:, 0], corner[:, 1], color="grey", lw=1)
    ax_proj.set(aspect="equal", xlim=(-0.5, 4.5), ylim=(-0.5, 3.5), xlabel="$x_1$", ylabel="$x_2$",
                title=f"Angle {np.degrees(theta):.0f}°; u = proj + remainder")
    ax_proj.legend(loc="upper right")

    t = np.linspace(0, 2 * np.pi, 400)  # (400,), for the "unit circles" {x : ||x|| = 1} of the three norms
    directions = np.column_stack([np.cos(t), np.sin(t)])  # (400, 2), one direction per row
    for i, (order, name) in enumerate([(1, "$L_1$"), (2, "$L_2$"), (np.inf, r"$L_\infty$")]):
        unit = directions / np.array([norm(d, order) for d in directions])[:, None]  # (400, 2), each row of norm 1
        ax_ball.plot(unit[:, 0], unit[:, 1], color=plotting.COLORS[i], lw=2, label=f"{name} norm = 1")
    ax_ball.set(aspect="equal", xlim=(-1.5, 1.5), ylim=(-1.3, 1.7), xlabel="$x_1$", ylabel="$x_2$",
                title="Unit circles of three norms")
    ax_ball.legend(loc="upper center", ncol=3)
    plotting.show_or_save(fig, "ex02_dot_product_norms")


if __name__ == "__main__":
    main()
