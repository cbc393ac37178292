package io.anygraph.local.exec;

import io.anygraph.core.DType;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.local.kernels.ConvKernels;
import java.util.Collection;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs relu's gradient inside the max-pooling gradient it reads: {@code reluGrad(z, maxPoolGrad(x,
 * dy))} becomes one step ({@link ConvKernels#maxPoolThenReluGrad}) that passes each window's
 * gradient on only where z is positive, instead of writing the whole pooling gradient and reading
 * it again (relu → max pool, as in most convolutional networks, gives this pair in every training
 * graph: the MNIST CNN's two layers, 0.6 ms a step for the reluGrads). The values are the same: the
 * pair's two results, bit for bit.
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
        f.standIns.put(pooled, pooled.graph().output(relu, 0));
        f.fused.put(
            relu,
            new Step(
                ConvKernels.maxPoolThenReluGrad(pool.attrs()),
                "maxPoolReluGrad",
                List.of(pool.input(0), pool.input(1), relu.input(0)),
                in -> types(relu, pool, in)));
      }
    }
    return f;
  }

  private static boolean isFloat(Tensor t) {
    return t.dtype() == DType.FLOAT32 || t.dtype() == DType.FLOAT64;
  }

  /**
   * The reluGrad's output types from the concrete (x, dy, z): the pooling gradient's type rule,
   * then the reluGrad's on z and its result, so that a wrong shape fails naming the node it belongs
   * to, as unfused.
   */
  private static List<TensorType> types(Node relu, Node pool, INDArray[] in) {
    TensorType pooled = Program.inferConcrete(pool, new INDArray[] {in[0], in[1]}).get(0);
    return Program.infer(relu, List.of(Program.concreteType(in[2]), pooled));
  }
}
