package io.anygraph.local.kernels;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dense float32 or float64 array read and written as doubles, for Java loops that compute in
 * double whatever the dtype ({@link CrossEntropyKernels}, {@link RowReductions}).
 */
final class DoubleView {
  private final FloatBuffer floats;
  private final DoubleBuffer doubles;

  DoubleView(INDArray a) {
    boolean single = a.dataType() == DataType.FLOAT;
    floats = single ? a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer() : null;
    doubles = single ? null : a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
  }

  void get(int at, double[] row) {
    if (doubles != null) {
      doubles.get(at, row, 0, row.length);
    } else {
      for (int j = 0; j < row.length; j++) {
        row[j] = floats.get(at + j);
      }
    }
  }

  double get(int at) {
    return doubles != null ? doubles.get(at) : floats.get(at);
  }

  void put(int at, double[] row) {
    if (doubles != null) {
      doubles.put(at, row, 0, row.length);
    } else {
      for (int j = 0; j < row.length; j++) {
        floats.put(at + j, (float) row[j]);
      }
    }
  }

  void put(int at, double v) {
    if (doubles != null) {
      doubles.put(at, v);
    } else {
      floats.put(at, (float) v);
    }
  }
}
