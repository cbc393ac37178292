package io.anygraph.bench;

import io.anygraph.core.Layouts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Copies between ND4J arrays and TensorFlow tensors (row-major on both sides). */
final class TfArrays {
  private TfArrays() {}

  /** A float32 tensor with the array's shape and values; the caller closes it. */
  static TFloat32 floats(INDArray a) {
    float[] values = Layouts.denseRowMajor(a.castTo(DataType.FLOAT)).data().asFloat();
    return TFloat32.tensorOf(Shape.of(a.shape()), DataBuffers.of(values, true, false));
  }

  /** An int32 tensor with the array's shape and values; the caller closes it. */
  static TInt32 ints(INDArray a) {
    int[] values = Layouts.denseRowMajor(a.castTo(DataType.INT)).data().asInt();
    return TInt32.tensorOf(Shape.of(a.shape()), DataBuffers.of(values, true, false));
  }

  /** A float32 tensor's values as an ND4J array of the same shape. */
  static INDArray toNd4j(Tensor t) {
    if (!(t instanceof TFloat32 f)) {
      throw new IllegalArgumentException(
          "expected a float32 tensor, got " + t.dataType() + " of shape " + t.shape());
    }
    float[] values = new float[(int) f.shape().size()];
    f.copyTo(DataBuffers.of(values, false, false));
    return Nd4j.create(values, f.shape().asArray(), 'c');
  }
}
