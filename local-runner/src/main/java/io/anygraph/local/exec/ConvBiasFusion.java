package io.anygraph.local.exec;

import io.anygraph.core.DType;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.local.kernels.ConvKernels;
import java.util.Collection;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adds a bias inside the convolution, as TensorFlow's fused convolution does: {@code add(conv2d(x,
 * f), b)} in NHWC with a bias of one value per output channel ({@code [C]}) becomes one step whose
 * kernel hands the bias to the convolution ({@link ConvKernels#withBias}): oneDNN adds it to each
 * output as it writes it, instead of a second pass over the whole output (the MNIST CNN's first
 * layer: 0.3 ms a step for the add). The sum is the same: oneDNN adds the bias to the finished dot
 * product, as the add does. Every network's biased convolutions get it, not one model's.
 *
 * <p>Fused only where no one else sees the convolution's own output: the add is its one reader of
 * values and it is not fetched (a reader of its shape alone, after the add, reads the add's output,
 * which has the same shape and dtype), nothing waits on it by a control edge, and the program runs
 * no control flow and is not a device subgraph of a plan. {@code -Danygraph.fuseConvBias=false}
 * turns it off (to compare).
 */
final class ConvBiasFusion extends Fusion {
  static final boolean ENABLED = !"false".equals(System.getProperty("anygraph.fuseConvBias"));

  private ConvBiasFusion() {}

  /** The fusions in {@code order} (the program's nodes), none when {@code enabled} is false. */
  static ConvBiasFusion find(List<Node> order, Collection<Tensor> fetches, boolean enabled) {
    ConvBiasFusion f = new ConvBiasFusion();
    if (!enabled || !ENABLED || order.stream().anyMatch(UpdateFusion::isControlFlow)) {
      return f;
    }
    Readers readers = new Readers(order, fetches);
    for (Node add : order) {
      if (!add.op().equals("add") || add.inputs().size() != 2) {
        continue;
      }
      for (int s = 0; s < 2; s++) {
        int side = s;
        Tensor convOut = add.input(side);
        Tensor bias = add.input(1 - side);
        Node conv = convOut.node();
        if (readers.inProgram(conv)
            && conv.op().equals("conv2d")
            && !f.absorbed.contains(conv)
            && readers.onlyReader(convOut, add)
            && isChannelBias(conv, bias)) {
          f.absorbed.add(conv);
          // same shape and dtype: a [C] bias broadcasts into the convolution's shape
          f.standIns.put(convOut, convOut.graph().output(add, 0));
          f.fused.put(
              add,
              new Step(
                  ConvKernels.withBias(conv.attrs()),
                  "conv2dBias",
                  List.of(conv.input(0), conv.input(1), bias),
                  in -> types(add, side, conv, in)));
          break;
        }
      }
    }
    return f;
  }

  /**
   * Whether {@code bias} adds one value per output channel of an NHWC float convolution: static
   * shape [C] with C the filter's known output channels, the convolution's dtype.
   */
  private static boolean isChannelBias(Node conv, Tensor bias) {
    TensorType out = conv.output(0);
    Shape b = bias.shape();
    Shape filter = conv.input(1).shape();
    String format = conv.attrs().has("dataFormat") ? conv.attrs().getString("dataFormat") : "NHWC";
    return format.equals("NHWC")
        && (out.dtype() == DType.FLOAT32 || out.dtype() == DType.FLOAT64)
        && bias.dtype() == out.dtype()
        && filter.hasRank()
        && filter.rank() == 4
        && filter.dim(3) != Shape.UNKNOWN
        && b.isFullyDefined()
        && b.rank() == 1
        && b.dim(0) == filter.dim(3);
  }

  /**
   * The add's output types from the concrete (x, filter, bias): the convolution's type rule, then
   * the add's on its result and the bias, in the add's order, so that a wrong shape fails naming
   * the node it belongs to, as unfused.
   */
  private static List<TensorType> types(Node add, int convSide, Node conv, INDArray[] in) {
    TensorType convOut = Program.inferConcrete(conv, new INDArray[] {in[0], in[1]}).get(0);
    TensorType bias = Program.concreteType(in[2]);
    List<TensorType> addIn = convSide == 0 ? List.of(convOut, bias) : List.of(bias, convOut);
    return Program.infer(add, addIn);
  }
}
