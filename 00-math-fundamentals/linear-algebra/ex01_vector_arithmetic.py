"""
Exercise 01: vectors, their arithmetic and linear combinations

Learning goals
--------------
- Treat a vector as an array of numbers and add, scale and combine vectors.
- See a linear combination a*u + b*v as "walk a steps along u, then b along v".
- Find the coefficients that reach a target point by solving a 2x2 system,
  and recognise when two vectors span only a line.

The math
--------
A vector u in R^n is an array of shape (n,). For scalars a, b:
    u + v      = (u_1 + v_1, ..., u_n + v_n)
    a * u      = (a u_1, ..., a u_n)
    a*u + b*v  is a linear combination of u and v.
Stacking k vectors as the columns of V, of shape (n, k), and the coefficients
as c, of shape (k,), every linear combination is one product:
    V @ c = c_1 v_1 + ... + c_k v_k.
Two vectors u, v in R^2 span the whole plane exactly when det([u v]) != 0;
then the coefficients that reach a target t solve [u v] c = t.

Algorithm
---------
1. Compute the combination V @ c column by column (a loop that reads like the math).
2. Compute it again as one matrix-vector product and check they agree.
3. To reach a target t, check det([u v]) and solve [u v] c = t with np.linalg.solve.

References: G. Strang, Introduction to Linear Algebra, 5th ed., ch. 1.1.
Difficulty: 1 of 3, about 15 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex01_vector_arithmetic.py
"""

# %%
import numpy as np

from utils import plotting

# %% [markdown]
# ## Implementation


# %%
def linear_combination(vectors, coefficients):
    """Sum of coefficients[j] * vectors[:, j], one column at a time.

    Parameters
    ----------
    vectors : ndarray of shape (n, k), one vector per column
    coefficients : ndarray of shape (k,)

    Returns
    -------
    ndarray of shape (n,)
    """
    vectors = np.asarray(vectors, dtype=float)
    coefficients = np.asarray(coefficients, dtype=float)
    if vectors.ndim != 2 or coefficients.shape != (vectors.shape[1],):
        raise ValueError(
            f"expected vectors of shape (n, k) and coefficients of shape (k,); "
            f"got {vectors.shape} and {coefficients.shape}"
        )
    # BEGIN SOLUTION
    # HINT 1: The vectors are the COLUMNS; scale each by its coefficient and add them up.
    # HINT 2: total = sum_j coefficients[j] * vectors[:, j]  # (n,)
    # HINT 3: total = zeros(n)
    # HINT 3: for j, c in enumerate(coefficients): total += c * vectors[:, j]
    # HINT 3: return total
    total = np.zeros(vectors.shape[0])  # (n,)
    for j, c in enumerate(coefficients):
        total += c * vectors[:, j]  # scale the j-th column, then add it
    return total
    # END SOLUTION


def coefficients_to_reach(u, v, target, tol=1e-12):
    """The (a, b) with a*u + b*v = target, for u, v, target in R^2.

    Raises
    ------
    ValueError
        When u and v are parallel (or zero): they span a line at most, so most
        targets cannot be reached and the ones that can have many answers.
    """
    basis = np.column_stack([u, v]).astype(float)  # (2, 2), u and v as columns
    target = np.asarray(target, dtype=float)
    if basis.shape != (2, 2) or target.shape != (2,):
        raise ValueError(f"expected three vectors of shape (2,); got {np.shape(u)}, {np.shape(v)}, {target.shape}")
    # BEGIN SOLUTION
    # HINT 1: Reaching target = a u + b v is a 2 x 2 linear system with u
    # HINT 1: and v as columns. It has a unique answer unless u and v are
    # HINT 1: parallel (zero determinant, relative to their lengths).
    # HINT 2: basis = [u v] (2, 2); solve basis @ [a, b] = target; parallel if |det| <= tol * |u| |v|
    # HINT 3: scale = norm(u) * norm(v)
    # HINT 3: if scale == 0 or |det(basis)| <= tol * scale: raise ValueError (parallel)
    # HINT 3: return np.linalg.solve(basis, target)
    # The determinant is the signed area of the parallelogram u, v span; scale it by
    # the vectors' lengths so "zero" means the same for tiny and huge vectors.
    scale = np.linalg.norm(u) * np.linalg.norm(v)
    if scale == 0 or abs(np.linalg.det(basis)) <= tol * scale:
        raise ValueError(f"u={u} and v={v} are parallel: they span a line, not the plane")
    return np.linalg.solve(basis, target)  # solve, not inv: one factorisation, less round-off
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    u, v = np.array([2.0, 1.0]), np.array([-1.0, 1.5])
    print("u =", u, " v =", v)
    print("u + v   =", u + v)
    print("3 * u   =", 3 * u)
    print("2u - v  =", linear_combination(np.column_stack([u, v]), [2, -1]))

    target = np.array([1.0, 4.0])
    a, b = coefficients_to_reach(u, v, target)
    print(f"\nTo reach {target}: {a:.3f} * u + {b:.3f} * v")

    # A grid of combinations a*u + b*v for integer a, b: the lattice u and v generate.
    grid = np.array([[a_, b_] for a_ in range(-3, 4) for b_ in range(-3, 4)], dtype=float)  # (49, 2)
    points = grid @ np.column_stack([u, v]).T  # (49, 2): row i is grid[i,0]*u + grid[i,1]*v

    fig, ax = plotting.new_figure(width=6, height=6)
    ax.scatter(points[:, 0], points[:, 1], s=10, color="grey", label="a*u + b*v, integer a, b")
    for vec, name, color in [(u, "u", plotting.COLORS[0]), (v, "v", plotting.COLORS[1])]:
        ax.annotate("", xy=vec, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color=color, lw=2))
        ax.text(*(vec * 1.1), name, color=color, fontsize=12)
    # The path to the target: a steps along u, then b steps along v.
    ax.annotate("", xy=a * u, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color=plotting.COLORS[2], ls="--"))
    ax.annotate("", xy=target, xytext=a * u, arrowprops=dict(arrowstyle="->", color=plotting.COLORS[3], ls="--"))
    ax.scatter(*target, marker="*", s=200, color="black", zorder=3, label=f"target = {a:.2f} u + {b:.2f} v")
    ax.set(aspect="equal", title="Linear combinations of u and v", xlabel="$x_1$", ylabel="$x_2$")
    ax.legend(loc="lower right")
    plotting.show_or_save(fig, "ex01_vector_arithmetic")


if __name__ == "__main__":
    main()
