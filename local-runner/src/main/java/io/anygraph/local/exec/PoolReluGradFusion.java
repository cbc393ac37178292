package io.anygraph.local.exec;

import io.anygraph.core.DType;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.ops.Window;
import io.anygraph.local.kernels.ConvKernels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs relu's gradient inside the max-pooling gradient it reads: {@code reluGrad(z, maxPoolGrad(x,
 * dy))} becomes one step ({@link ConvKernels#maxPoolThenReluGrad}) that passes each window's
 * gradient on only where z is positive, instead of writing the whole pooling gradient and reading
 * it again (relu → max pool, as in most convolutional networks, gives this pair in every training
 * graph: the MNIST CNN's two layers, 0.6 ms a step for the reluGrads). The values are the same: the
 * pair's two results, bit for bit. Where the result's bias gradient is read ({@code
 * reduceSumLike(g, b)} to a [C] bias: relu after a biased convolution), the same step sums it from
 * the values the windows pass on, a quarter of the positions, instead of reading the whole result
 * again (MNIST's first layer: 0.19 ms a step); in double, so it differs from the unfused float sum
 * by rounding only.
 *
 * <p>Forward, {@code maxPool(relu(z))} whose relu output nothing else reads (or only this pooling
 * gradient, which then finds the maxima in z) runs as {@code relu(maxPool(z))}: the same values
 * (relu is monotone, so it commutes with a maximum), relu on a quarter of the elements. A window of
 * NaNs is the exception (libnd4j pools it to the lowest float, which relu would then zero where the
 * NaN must spread): the forward step then runs in the written order ({@link
 * ConvKernels#maxPoolThenRelu}), and the gradient's libnd4j fallback reads relu(z).
 *
 * <p>Fused only where no one else sees the pooling gradient: the reluGrad is its one reader of
 * values and it is not fetched (a reader of its shape alone, after the reluGrad, reads the
 * reluGrad's output, which has the same shape and dtype), nothing waits on it by a control edge,
 * and the program runs no control flow. {@code -Danygraph.fusePoolReluGrad=false} turns it off (to
 * compare).
 */
final class PoolReluGradFusion extends Fusion {
  static final boolean ENABLED = !"false".equals(System.getProperty("anygraph.fusePoolReluGrad"));

  private PoolReluGradFusion() {}

  /** The fusions in {@code order} (the program's nodes), none when {@code enabled} is false. */
  static PoolReluGradFusion find(List<Node> order, Collection<Tensor> fetches, boolean enabled) {
    PoolReluGradFusion f = new PoolReluGradFusion();
    if (!enabled || !ENABLED || order.stream().anyMatch(UpdateFusion::isControlFlow)) {
      return f;
    }
    Readers readers = new Readers(order, fetches);
    Map<Tensor, Node> biasGradientOf = new HashMap<>();
    for (Node n : order) {
      if (isBiasGradient(n)) {
        biasGradientOf.putIfAbsent(n.input(0), n);
      }
    }
    for (Node relu : order) {
      if (!relu.op().equals("reluGrad") || relu.inputs().size() != 2) {
        continue;
      }
      Tensor pooled = relu.input(1);
      Node pool = pooled.node();
      if (readers.inProgram(pool)
          && pool.op().equals("maxPoolGrad")
          && pool.inputs().size() == 2
          && readers.onlyReader(pooled, relu)
          && isFloat(pooled)
          && pooled.dtype() == relu.input(0).dtype()) {
        f.absorbed.add(pool);
        Tensor result = pooled.graph().output(relu, 0);
        f.standIns.put(pooled, result);
        Node bias = biasGradientOf.get(result);
        Tensor z = relu.input(0);
        Node forward = forwardPoolOfRelu(order, readers, pool, z);
        if (forward != null) {
          f.poolReluFirst(forward); // and the windows' maxima looked up in z
        }
        List<Tensor> inputs =
            new ArrayList<>(List.of(forward != null ? z : pool.input(0), pool.input(1), z));
        if (bias != null) {
          f.absorbed.add(bias);
          inputs.add(bias.input(1));
        }
        f.fused.put(
            relu,
            new Step(
                ConvKernels.maxPoolThenReluGrad(pool.attrs(), bias != null, forward != null),
                bias == null ? "maxPoolReluGrad" : "maxPoolReluBiasGrad",
                inputs,
                in -> types(relu, pool, bias, in),
                bias == null ? List.of() : List.of(pooled.graph().output(bias, 0))));
      }
    }
    for (Node pool : order) { // inference, or relu's gradient not fused: the forward alone
      if (pool.op().equals("maxPool")
          && pool.inputs().size() == 1
          && !f.fused.containsKey(pool)
          && readers.inProgram(pool.input(0).node())
          && pool.input(0).node().op().equals("relu")
          && pool.input(0).node().inputs().size() == 1
          && readers.onlyReader(pool.input(0), pool)) {
        f.poolReluFirst(pool);
      }
    }
    return f;
  }

  /** {@code relu(maxPool(z))} in one step for {@code maxPool(relu(z))}, the relu absorbed. */
  private void poolReluFirst(Node pool) {
    Tensor x = pool.input(0);
    Tensor z = x.node().input(0);
    absorbed.add(x.node());
    standIns.put(x, z); // same shape and dtype
    fused.put(
        pool,
        new Step(
            ConvKernels.maxPoolThenRelu(pool.attrs()),
            "reluMaxPool",
            List.of(z),
            in -> Program.inferConcrete(pool, in)));
  }

  /**
   * The forward {@code maxPool(x)} of a pooling gradient {@code poolGrad(x, ·)} whose x is {@code
   * relu(z)} read by those two alone (not fetched, no control edge), with one window: then relu
   * commutes with the maximum (relu is monotone), so the forward step pools z and applies relu to
   * the quarter-size result (the MNIST CNN's relus: 0.23 ms a step, on 400k and 200k floats), and
   * the gradient finds each window's maximum in z: where it is positive it is the same element as
   * in x, and elsewhere z ≤ 0 zeroes the gradient anyway. Null where this does not hold.
   */
  private static Node forwardPoolOfRelu(
      List<Node> order, Readers readers, Node poolGrad, Tensor z) {
    Tensor x = poolGrad.input(0);
    Node act = x.node();
    if (!readers.inProgram(act)
        || !act.op().equals("relu")
        || act.inputs().size() != 1
        || !act.input(0).equals(z)
        || !readers.onlyReaders(x, 2)) {
      return null;
    }
    Window window = Window.pooling(poolGrad.attrs());
    for (Node n : order) {
      if (n.op().equals("maxPool")
          && n.inputs().size() == 1
          && n.input(0).equals(x)
          && Window.pooling(n.attrs()).equals(window)) {
        return n;
      }
    }
    return null;
  }

  /**
   * {@code reduceSumLike(g, b)} with g NHWC-like (rank 4) and b of static shape [C], C g's known
   * last axis, nothing it waits on by a control edge (it runs where g is made): a bias's gradient.
   */
  private static boolean isBiasGradient(Node n) {
    if (!n.op().equals("reduceSumLike") || n.inputs().size() != 2 || !n.controlInputs().isEmpty()) {
      return false;
    }
    Shape g = n.input(0).shape();
    Shape b = n.input(1).shape();
    return g.hasRank()
        && g.rank() == 4
        && g.dim(3) != Shape.UNKNOWN
        && b.isFullyDefined()
        && b.rank() == 1
        && b.dim(0) == g.dim(3)
        && n.input(1).dtype() == n.input(0).dtype();
  }

  private static boolean isFloat(Tensor t) {
    return t.dtype() == DType.FLOAT32 || t.dtype() == DType.FLOAT64;
  }

  /**
   * The reluGrad's output types from the concrete (x, dy, z): the pooling gradient's type rule,
   * then the reluGrad's on z and its result, so that a wrong shape fails naming the node it belongs
   * to, as unfused; then the bias gradient's on that and the bias (input 3), where there is one.
   */
  private static List<TensorType> types(Node relu, Node pool, Node bias, INDArray[] in) {
    TensorType pooled = Program.inferConcrete(pool, new INDArray[] {in[0], in[1]}).get(0);
    List<TensorType> out = Program.infer(relu, List.of(Program.concreteType(in[2]), pooled));
    if (bias == null) {
      return out;
    }
    List<TensorType> both = new ArrayList<>(out);
    both.addAll(Program.infer(bias, List.of(out.get(0), Program.concreteType(in[3]))));
    return both;
  }
}
