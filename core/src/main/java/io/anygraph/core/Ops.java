package io.anygraph.core;

import io.anygraph.core.ops.OpNames;
import java.util.Arrays;
import java.util.List;

/**
 * Op builders of one graph, TensorFlow's {@code tf.*} namespace. Get it from {@link Graph#ops()};
 * {@link Graph#withName(String)} gives builders whose op gets an exact name:
 *
 * <pre>{@code
 * Tensor addition = g.withName("addition").add(a, b);   // node "addition"
 * }</pre>
 *
 * Binary ops broadcast like NumPy and require equal dtypes (cast explicitly). The ops' definitions
 * (types, shapes, gradients) are the {@code *OpDefs} families in {@code io.anygraph.core.ops}.
 */
public final class Ops {
  private final Graph g;
  private final String name; // exact name for the op built through this instance, or null

  Ops(Graph g, String name) {
    this.g = g;
    this.name = name;
  }

  private Tensor op(String op, Attrs attrs, Tensor... inputs) {
    return g.add(op, List.of(inputs), attrs, name).get(0);
  }

  private Tensor op(String op, Tensor... inputs) {
    return op(op, Attrs.empty(), inputs);
  }

  /** A scalar constant of {@code like}'s dtype (for {@code x.add(2)} and gradient rules). */
  public Tensor scalarLike(double value, Tensor like) {
    return g.constant(Values.scalar(value, like.dtype()));
  }

  public Tensor add(Tensor a, Tensor b) {
    return op("add", a, b);
  }

  public Tensor sub(Tensor a, Tensor b) {
    return op("sub", a, b);
  }

  public Tensor mul(Tensor a, Tensor b) {
    return op("mul", a, b);
  }

  /**
   * Division; on integer dtypes it truncates toward zero, as in Java and C (TensorFlow's {@code
   * truncatediv}): {@code -7 / 2 = -3}. See {@link #floorDiv} for Python's {@code //}.
   */
  public Tensor div(Tensor a, Tensor b) {
    return op("div", a, b);
  }

  /**
   * Python's {@code a // b} (TensorFlow's {@code floordiv}): the quotient rounded toward minus
   * infinity, for integer and float dtypes: {@code -7 // 2 = -4}, {@code -7.5 // 2 = -4.0}. For
   * floats it is {@code floor(a / b)}. Integer division by zero fails the run. No gradient flows
   * through it (it is piecewise constant).
   *
   * <pre>{@code
   * Tensor q = g.ops().floorDiv(a, b);   // a.floorDiv(b)
   * }</pre>
   */
  public Tensor floorDiv(Tensor a, Tensor b) {
    return op("floorDiv", a, b);
  }

  /**
   * Python's {@code a % b} (TensorFlow's {@code floormod}): {@code a - floorDiv(a, b) * b}, which
   * has the sign of {@code b}: {@code -7 % 2 = 1}, {@code 7 % -2 = -1}, {@code -7.5 % 2 = 0.5}.
   * Integer division by zero fails the run. Gradients: {@code dy} for a and {@code -dy *
   * floorDiv(a, b)} for b.
   */
  public Tensor floorMod(Tensor a, Tensor b) {
    return op("floorMod", a, b);
  }

  public Tensor pow(Tensor a, Tensor b) {
    return op("pow", a, b);
  }

  public Tensor maximum(Tensor a, Tensor b) {
    return op("maximum", a, b);
  }

  public Tensor minimum(Tensor a, Tensor b) {
    return op("minimum", a, b);
  }

  public Tensor neg(Tensor x) {
    return op("neg", x);
  }

  public Tensor square(Tensor x) {
    return op("square", x);
  }

  public Tensor sqrt(Tensor x) {
    return op("sqrt", x);
  }

  public Tensor exp(Tensor x) {
    return op("exp", x);
  }

  public Tensor log(Tensor x) {
    return op("log", x);
  }

  public Tensor abs(Tensor x) {
    return op("abs", x);
  }

  public Tensor sign(Tensor x) {
    return op("sign", x);
  }

  public Tensor greater(Tensor a, Tensor b) {
    return op("greater", a, b);
  }

  public Tensor greaterEqual(Tensor a, Tensor b) {
    return op("greaterEqual", a, b);
  }

  public Tensor less(Tensor a, Tensor b) {
    return op("less", a, b);
  }

  public Tensor lessEqual(Tensor a, Tensor b) {
    return op("lessEqual", a, b);
  }

  public Tensor equal(Tensor a, Tensor b) {
    return op("equal", a, b);
  }

  public Tensor notEqual(Tensor a, Tensor b) {
    return op("notEqual", a, b);
  }

  /** {@code a} where {@code cond} is true, else {@code b} (NumPy's {@code where}). */
  public Tensor select(Tensor cond, Tensor a, Tensor b) {
    return op("select", cond, a, b);
  }

  /** {@code matmul(a, b, false, false)}. */
  public Tensor matmul(Tensor a, Tensor b) {
    return matmul(a, b, false, false);
  }

  /**
   * Matrix product of the last two axes ({@code tf.linalg.matmul}); leading axes are batches and
   * broadcast like NumPy's. Both operands need rank 2 or more; the transposes act on the last two
   * axes.
   *
   * <pre>{@code
   * Tensor a = g.placeholder(DType.FLOAT32, Shape.of(2, 1, 3, 4), "a");
   * Tensor b = g.placeholder(DType.FLOAT32, Shape.of(5, 4, 6), "b");
   * Tensor c = g.ops().matmul(a, b, false, false);   // [2, 5, 3, 6]
   * }</pre>
   */
  public Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
    return op("matmul", Attrs.of("transposeA", transposeA, "transposeB", transposeB), a, b);
  }

  /** Reshape; one dimension may be {@code -1} and is inferred. */
  public Tensor reshape(Tensor x, long... shape) {
    return op("reshape", Attrs.of("shape", shape), x);
  }

  /**
   * Reshape to a shape computed in the graph (an integer vector, {@code tf.reshape} with a tensor);
   * one entry may be {@code -1} and is inferred.
   *
   * <pre>{@code
   * Tensor flat = g.ops().reshape(x, g.constant(Nd4j.createFromArray(-1L)));
   * Tensor back = g.ops().reshape(flat, g.ops().shape(x));
   * }</pre>
   */
  public Tensor reshape(Tensor x, Tensor shape) {
    return op("reshapeTo", x, shape);
  }

  /** The shape of {@code x} when the graph runs, an int64 vector ({@code tf.shape}). */
  public Tensor shape(Tensor x) {
    return op("shape", x);
  }

  /** Reshape {@code x} to the run-time shape of {@code like}. */
  public Tensor reshapeLike(Tensor x, Tensor like) {
    return op("reshapeLike", x, like);
  }

  /** Permute axes; with no permutation, reverse them. */
  public Tensor transpose(Tensor x, int... perm) {
    return op("transpose", perm.length == 0 ? Attrs.empty() : Attrs.of("perm", perm), x);
  }

  public Tensor cast(Tensor x, DType to) {
    return op("cast", Attrs.of("dtype", to), x);
  }

  public Tensor identity(Tensor x) {
    return op("identity", x);
  }

  /**
   * {@code x} unchanged, but the run fails with a {@link NumericsException} naming {@code x}'s node
   * when {@code x} holds NaN or infinity ({@code tf.debugging.check_numerics}).
   */
  public Tensor checkNumerics(Tensor x) {
    return op(
        CheckNumerics.OP, Attrs.of("node", x.node().name(), "output", x.index(), "op", x.op()), x);
  }

  public Tensor expandDims(Tensor x, int axis) {
    return op("expandDims", Attrs.of("axis", axis), x);
  }

  /** Remove the given size-1 axes, or all of them when none are given. */
  public Tensor squeeze(Tensor x, int... axes) {
    return op("squeeze", axes.length == 0 ? Attrs.empty() : Attrs.of("axes", axes), x);
  }

  public Tensor broadcastLike(Tensor x, Tensor like) {
    return op("broadcastLike", x, like);
  }

  /** Sum {@code x} down to the shape of {@code like} (the adjoint of broadcasting). */
  public Tensor reduceSumLike(Tensor x, Tensor like) {
    return op("reduceSumLike", x, like);
  }

  public Tensor onesLike(Tensor x) {
    return op("onesLike", x);
  }

  public Tensor zerosLike(Tensor x) {
    return op("zerosLike", x);
  }

  /** A tensor of {@code shape} filled with {@code value}, computed when run (small in files). */
  public Tensor fill(DType dtype, Shape shape, double value) {
    return op("fill", Attrs.of("dtype", dtype, "shape", shape, "value", value));
  }

  public Tensor zeros(DType dtype, long... shape) {
    return fill(dtype, Shape.of(shape), 0);
  }

  public Tensor ones(DType dtype, long... shape) {
    return fill(dtype, Shape.of(shape), 1);
  }

  public Tensor reduceSum(Tensor x, int[] axes, boolean keepDims) {
    return reduce("reduceSum", x, Arrays.stream(axes).asLongStream().toArray(), keepDims);
  }

  public Tensor reduceSum(Tensor x, long[] axes, boolean keepDims) {
    return reduce("reduceSum", x, axes, keepDims);
  }

  public Tensor reduceMean(Tensor x, int[] axes, boolean keepDims) {
    return reduce("reduceMean", x, Arrays.stream(axes).asLongStream().toArray(), keepDims);
  }

  public Tensor reduceMax(Tensor x, int[] axes, boolean keepDims) {
    return reduce("reduceMax", x, Arrays.stream(axes).asLongStream().toArray(), keepDims);
  }

  /** Number of elements of {@code x} over {@code axes} (all when empty), an int64 scalar. */
  public Tensor size(Tensor x, long... axes) {
    return op("size", axes.length == 0 ? Attrs.empty() : Attrs.of("axes", axes), x);
  }

  private Tensor reduce(String op, Tensor x, long[] axes, boolean keepDims) {
    return op(op, Attrs.of("axes", axes, "keepDims", keepDims), x);
  }

  /** One tensor that, when fetched, runs all of {@code deps} ({@code tf.group}). */
  public Tensor group(List<Tensor> deps) {
    return g.add(OpNames.GROUP, deps, Attrs.empty(), name).get(0);
  }

  /** Set {@code variable} to {@code value}; outputs the new value. */
  public Tensor assign(Tensor variable, Tensor value) {
    return op("assign", variable, value);
  }

  /** Add {@code delta} to {@code variable}; outputs the new value. */
  public Tensor assignAdd(Tensor variable, Tensor delta) {
    return op("assignAdd", variable, delta);
  }

  /** Indices of the largest values along {@code axis} (int64). */
  public Tensor argMax(Tensor x, int axis) {
    return op("argMax", Attrs.of("axis", axis), x);
  }

  /**
   * One-hot rows: a new last axis of {@code depth} with 1 at each index, 0 elsewhere. With {@code
   * strict}, an index outside [0, depth) fails the run (for class labels); otherwise it gives an
   * all-zero row, as TensorFlow's {@code one_hot}.
   */
  public Tensor oneHot(Tensor indices, long depth, DType dtype, boolean strict) {
    return op("oneHot", Attrs.of("depth", depth, "dtype", dtype, "strict", strict), indices);
  }

  /** The elements in reverse order along the given axes. */
  public Tensor reverse(Tensor x, int... axes) {
    return op("reverse", Attrs.of("axes", axes), x);
  }

  /** {@code tf.pad}: x surrounded by zeros, {@code paddings[d] = {before, after}} per axis. */
  public Tensor pad(Tensor x, long[][] paddings) {
    return pad(x, paddings, 0);
  }

  /** {@code tf.pad} with a constant other than zero. */
  public Tensor pad(Tensor x, long[][] paddings, double constantValue) {
    long[] flat = new long[2 * paddings.length];
    for (int d = 0; d < paddings.length; d++) {
      if (paddings[d].length != 2) {
        throw new AnygraphException(
            "pad of "
                + x.name()
                + ": paddings["
                + d
                + "] must be {before, after}, not "
                + Arrays.toString(paddings[d]));
      }
      flat[2 * d] = paddings[d][0];
      flat[2 * d + 1] = paddings[d][1];
    }
    return op("pad", Attrs.of("paddings", flat, "constantValue", constantValue), x);
  }

  /** The inputs joined along {@code axis}; only that axis may differ in size. */
  public Tensor concat(List<Tensor> xs, int axis) {
    return g.add("concat", xs, Attrs.of("axis", axis), name).get(0);
  }

  /** {@code x[begin : begin + size]} per axis; a size of -1 runs to the end. */
  public Tensor slice(Tensor x, long[] begin, long[] size) {
    return op("slice", Attrs.of("begin", begin, "size", size), x);
  }

  /**
   * {@code x[begin : begin + size]} per axis with begin and size computed in the graph (integer
   * vectors, one entry per axis; a size of -1 runs to the end), as {@code tf.slice}.
   *
   * <pre>{@code
   * Tensor head = g.ops().slice(x, g.constant(Nd4j.createFromArray(0L, 0L)), g.ops().shape(y));
   * }</pre>
   */
  public Tensor slice(Tensor x, Tensor begin, Tensor size) {
    return op("dynamicSlice", x, begin, size);
  }

  /**
   * Rows of {@code params} (axis 0) picked by integer {@code indices}; shape indices + params[1:].
   */
  public Tensor gather(Tensor params, Tensor indices) {
    return op("gather", params, indices);
  }

  /**
   * {@code tf.math.cumsum}: running sums along {@code axis} (negative counts from the end); {@code
   * exclusive} leaves each element out of its own sum, {@code reverse} sums from the end.
   *
   * <pre>{@code
   * g.ops().cumsum(x, 0, false, false);   // [a, b, c] -> [a, a + b, a + b + c]
   * g.ops().cumsum(x, 0, true, true);     // [a, b, c] -> [b + c, c, 0]
   * }</pre>
   */
  public Tensor cumsum(Tensor x, int axis, boolean exclusive, boolean reverse) {
    return op("cumsum", Attrs.of("axis", axis, "exclusive", exclusive, "reverse", reverse), x);
  }

  /**
   * NumPy's and TensorFlow 2's {@code where(cond, x, y)}: {@link #select}, whose three operands
   * broadcast together.
   */
  public Tensor where(Tensor cond, Tensor x, Tensor y) {
    return select(cond, x, y);
  }

  /**
   * {@code tf.clip_by_global_norm}: every tensor scaled by {@code clipNorm / max(globalNorm,
   * clipNorm)}, where globalNorm is the L2 norm of all of them together; null entries stay null. A
   * non-finite global norm makes every result NaN, as in TensorFlow.
   *
   * <pre>{@code
   * ClippedByGlobalNorm c = g.ops().clipByGlobalNorm(g.grad(loss, params), 5.0);
   * }</pre>
   */
  public ClippedByGlobalNorm clipByGlobalNorm(List<Tensor> tensors, double clipNorm) {
    return ClippedByGlobalNorm.of(this, tensors, clipNorm);
  }

  /** Elementwise cosine (radians), as {@code tf.cos}. */
  public Tensor cos(Tensor x) {
    return op("cos", x);
  }
}
