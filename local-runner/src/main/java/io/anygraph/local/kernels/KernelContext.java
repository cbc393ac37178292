package io.anygraph.local.kernels;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Layouts;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.ShapeException;
import io.anygraph.core.TensorType;
import io.anygraph.local.state.RunState;
import io.anygraph.local.state.VariableStore;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a kernel sees: its node, input values, the output types for these concrete inputs, the
 * session's state (variables, random generators), and where its output buffers come from.
 */
public final class KernelContext {
  private final Node node;
  private final INDArray[] inputs;
  private final List<TensorType> outputTypes;
  private final RunState state;
  private final Buffers buffers;
  private final boolean[] unused;
  private final boolean[] movable;
  private final boolean[] kept;

  public KernelContext(Node node, INDArray[] inputs, List<TensorType> outputTypes, RunState state) {
    this(
        node,
        inputs,
        outputTypes,
        state,
        Buffers.FRESH,
        new boolean[outputTypes.size()],
        new boolean[inputs.length]);
  }

  /**
   * A context whose kernel takes buffers from {@code buffers}; {@code unused[i]} says that no step
   * reads output i and it is not fetched, so a kernel may skip computing it; {@code movable[i]}
   * that input i is a buffer the executor would free right after this step, which nothing else can
   * see, so a kernel may keep it ({@link #keepOrCopy}).
   */
  public KernelContext(
      Node node,
      INDArray[] inputs,
      List<TensorType> outputTypes,
      RunState state,
      Buffers buffers,
      boolean[] unused,
      boolean[] movable) {
    this.node = node;
    this.inputs = inputs;
    this.outputTypes = outputTypes;
    this.state = state;
    this.buffers = buffers;
    this.unused = unused;
    this.movable = movable;
    this.kept = new boolean[inputs.length];
  }

  public Node node() {
    return node;
  }

  public INDArray in(int i) {
    return inputs[i];
  }

  public Attrs attrs() {
    return node.attrs();
  }

  /** Output type for the concrete inputs of this run (unknown dimensions resolved). */
  public TensorType outputType(int i) {
    return outputTypes.get(i);
  }

  public DType outputDType(int i) {
    return outputTypes.get(i).dtype();
  }

  public long[] outputShape(int i) {
    Shape s = outputTypes.get(i).shape();
    if (!s.isFullyDefined()) {
      throw fail("output shape " + s + " is not known for these inputs");
    }
    return s.dims();
  }

  /** An uninitialized buffer in output i's inferred type and shape, to return as output i. */
  public INDArray output(int i) {
    return buffers.output(i, outputDType(i).nd4j(), outputShape(i));
  }

  /** An uninitialized buffer for this kernel's own use while it runs. */
  public INDArray scratch(DataType type, long... shape) {
    return buffers.scratch(type, shape);
  }

  /**
   * {@code a} itself when its buffer is dense row-major ({@link Layouts#isDenseRowMajor}), else a
   * copy in a scratch buffer: for code that reads raw memory (bitcasts, loops over {@code data()},
   * reshapes into GEMM operands).
   */
  public INDArray dense(INDArray a) {
    return Layouts.isDenseRowMajor(a) ? a : scratch(a.dataType(), a.shape()).assign(a);
  }

  /**
   * Input i as a dense row-major array this kernel may keep beyond the step (a variable's new
   * value): the input's own buffer when the executor would free it right after this step (the
   * executor then leaves it alone), else a copy, since the value may be a feed the caller still
   * owns or a buffer the executor reuses.
   */
  public INDArray keepOrCopy(int i) {
    INDArray a = inputs[i];
    if (movable[i] && Layouts.isDenseRowMajor(a)) {
      kept[i] = true;
      return a;
    }
    return a.dup('c');
  }

  /**
   * Changes ref input i's variable array in place by {@code update} (a scatter into an embedding
   * table) and returns it, or returns null when the kernel must store a new array instead: in place
   * needs the compiler's word that no value of the variable read earlier in the run is read from
   * this step on or fetched, and the store's that it alone holds the array and no other run is
   * under way ({@link VariableStore#updateInPlace}).
   */
  public INDArray updateVariableInPlace(int i, Consumer<INDArray> update) {
    return movable[i] ? state.variables().updateInPlace(node.input(i).node(), update) : null;
  }

  /** Whether the kernel kept input i's buffer ({@link #keepOrCopy}). */
  public boolean kept(int i) {
    return kept[i];
  }

  /** Whether output i is read by some later step or fetched; if not, it may hold anything. */
  public boolean needed(int i) {
    return !unused[i];
  }

  public RunState state() {
    return state;
  }

  /** An error naming the node, its op and the concrete input shapes and dtypes. */
  public ShapeException fail(String message) {
    StringBuilder b =
        new StringBuilder("Node '")
            .append(node.name())
            .append("' (op ")
            .append(node.op())
            .append("): ")
            .append(message)
            .append("; input values:");
    for (INDArray a : inputs) {
      b.append(' ')
          .append(
              a == null
                  ? "(reference)"
                  : DType.fromNd4j(a.dataType()) + Arrays.toString(a.shape()));
    }
    return new ShapeException(b.toString());
  }
}
