package io.anygraph.local.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Free buffers of one program, by dtype and shape, kept from run to run: a training step asks for
 * the same shapes every time, so after the first run no kernel output is freshly allocated. A
 * buffer comes back when its last reader has run; a buffer no run has asked for in the last two
 * runs (a batch size seen once, say) is closed, so the pool holds what recent runs needed.
 */
final class BufferPool {
  /**
   * A dtype and shape, compared by value (taken for every kernel output: no boxing, no streams).
   */
  private static final class Key {
    private final DataType type;
    private final long[] shape;
    private final int hash;

    private Key(DataType type, long[] shape) {
      this.type = type;
      this.shape = shape;
      this.hash = 31 * type.hashCode() + Arrays.hashCode(shape);
    }

    /** The array is held, not copied: ND4J and the kernels never change a shape array in place. */
    static Key of(DataType type, long[] shape) {
      return new Key(type, shape);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.type == type && Arrays.equals(k.shape, shape);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** A free buffer and the run that last gave it back. */
  private record Free(INDArray array, long run) {}

  private final Map<Key, ArrayDeque<Free>> free = new HashMap<>();
  private long run;

  /** A buffer of this type and shape, reused if one is free. */
  INDArray take(DataType type, long[] shape) {
    ArrayDeque<Free> list = free.get(Key.of(type, shape));
    Free f = list == null ? null : list.pollLast();
    if (f != null) {
      return f.array();
    }
    for (long d : shape) {
      if (d == 0) {
        return Nd4j.create(type, shape); // empty: no buffer to reuse
      }
    }
    return Nd4j.createUninitialized(type, shape, 'c');
  }

  /** Gives a buffer from {@link #take} back; nothing may read it afterwards. */
  void give(INDArray a) {
    if (a.isEmpty()) {
      return;
    }
    free.computeIfAbsent(Key.of(a.dataType(), a.shape()), k -> new ArrayDeque<>())
        .addLast(new Free(a, run));
  }

  /** Ends a run: closes buffers that neither this run nor the one before gave back. */
  void endRun() {
    List<Key> empty = new ArrayList<>();
    free.forEach(
        (key, list) -> {
          for (Iterator<Free> it = list.iterator(); it.hasNext(); ) {
            Free f = it.next();
            if (f.run() < run - 1) {
              it.remove();
              f.array().close();
            }
          }
          if (list.isEmpty()) {
            empty.add(key);
          }
        });
    empty.forEach(free::remove);
    run++;
  }
}
