package io.anygraph.core.ops;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import io.anygraph.core.ShapeException;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;

/**
 * What type inference sees: the node's name and op, its input types and attributes. Used both when
 * a node is added (static types) and at run time (concrete shapes), so one rule serves both.
 *
 * @param inputs the input tensors when building a node; empty at run time
 */
public record OpContext(
    String node, String op, List<TensorType> inputTypes, Attrs attrs, List<Tensor> inputs) {

  public TensorType in(int i) {
    return inputTypes.get(i);
  }

  public Shape shape(int i) {
    return inputTypes.get(i).shape();
  }

  public DType dtype(int i) {
    return inputTypes.get(i).dtype();
  }

  /** A {@link ShapeException} naming the node, the op and every input's type. */
  public ShapeException fail(String message) {
    StringBuilder b =
        new StringBuilder("Node '")
            .append(node)
            .append("' (op ")
            .append(op)
            .append("): ")
            .append(message);
    if (!inputTypes.isEmpty()) {
      b.append("; inputs: ");
      for (int i = 0; i < inputTypes.size(); i++) {
        b.append(i > 0 ? ", " : "");
        if (i < inputs.size()) {
          b.append(inputs.get(i).name()).append(' ');
        }
        b.append(inputTypes.get(i));
      }
    }
    return new ShapeException(b.toString());
  }

  public void requireInputs(int n) {
    if (inputTypes.size() != n) {
      throw fail("expects " + n + " inputs, got " + inputTypes.size());
    }
  }

  /** All inputs share one dtype (TensorFlow does no implicit promotion). */
  public DType sameDType() {
    DType t = dtype(0);
    for (int i = 1; i < inputTypes.size(); i++) {
      if (dtype(i) != t) {
        throw fail("dtypes differ: " + t + " vs " + dtype(i) + " (cast one of them)");
      }
    }
    return t;
  }

  public void requireFloating(int i) {
    if (!dtype(i).isFloating()) {
      throw fail("input " + i + " must be a floating-point tensor, not " + dtype(i));
    }
  }

  public void requireNumeric(int i) {
    if (!dtype(i).isNumeric()) {
      throw fail("input " + i + " must be numeric, not " + dtype(i));
    }
  }

  /** Axis {@code a} of a rank-{@code rank} tensor, negative counting from the end. */
  public int axis(long a, int rank) {
    long r = a < 0 ? a + rank : a;
    if (r < 0 || r >= rank) {
      throw fail("axis " + a + " is out of range for rank " + rank);
    }
    return (int) r;
  }
}
