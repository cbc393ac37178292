package io.anygraph.local.kernels;

import io.anygraph.core.Layouts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a kernel gets the arrays it writes: the executor lends buffers from a pool that lives
 * across runs, because a fresh ND4J array costs far more than a small op (registration with ND4J's
 * deallocator, and page faults on first touch of a large one). Buffers come uninitialized,
 * row-major; the kernel overwrites every element.
 */
public interface Buffers {
  /**
   * A buffer for output {@code index} (the same one if asked again); the kernel must return this
   * very array there.
   */
  INDArray output(int index, DataType type, long[] shape);

  /** A buffer the kernel uses only while it runs; it goes back to the pool afterwards. */
  INDArray scratch(DataType type, long[] shape);

  /** Sets an array to zeros (a native memset for a whole buffer); returns it. */
  static INDArray zero(INDArray a) {
    if (!Layouts.isDenseRowMajor(a)) {
      a.assign(0);
    } else if (!a.isEmpty()) {
      Nd4j.getMemoryManager().memset(a);
    }
    return a;
  }

  /** Fresh arrays every time, for kernels run outside a program. */
  Buffers FRESH =
      new Buffers() {
        @Override
        public INDArray output(int index, DataType type, long[] shape) {
          return Nd4j.createUninitialized(type, shape, 'c');
        }

        @Override
        public INDArray scratch(DataType type, long[] shape) {
          return Nd4j.createUninitialized(type, shape, 'c');
        }
      };
}
